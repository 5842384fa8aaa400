"""Beyond one machine: the same flow on a Dask cluster, and landing/Parquet on S3 (a local moto server)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import SEEDS_RAW, khabar_env, run_khabar, summary_of

COMPARABLE = ("SELECT source_file, source_record, headline, subheadline, author, dateline_place, agency, "
              "outlet_domain, published_at, date_source, body, story_id, near_duplicate_of FROM articles "
              "ORDER BY source_file")


def warehouse_rows(wh) -> dict[str, list]:
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    try:
        return {"articles": con.execute(COMPARABLE).fetchall(),
                "quotes": con.execute("SELECT text, speaker FROM quotes ORDER BY quote_id").fetchall(),
                "mentions": con.execute("SELECT count(*) FROM mentions").fetchall(),
                "entities": con.execute("SELECT entity_id, canonical_name FROM entities ORDER BY 1").fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def default_run(seeds_warehouse):
    return seeds_warehouse


@pytest.mark.slow
def test_dask_runner_gives_the_same_warehouse(default_run, tmp_path):
    wh_default, s_default = default_run
    wh = tmp_path / "wh-dask"
    proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--runner", "dask",
                      "--workers", "2", "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = summary_of(proc)
    for key in ("files_seen", "files_loaded", "records_seen", "articles_loaded", "records_quarantined"):
        assert s[key] == s_default[key], key
    assert warehouse_rows(wh) == warehouse_rows(wh_default)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": url, "AWS_EC2_METADATA_DISABLED": "true"}
    yield url, env
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.slow
def test_s3_landing_and_parquet_give_the_same_counts(default_run, s3_server, tmp_path, monkeypatch):
    import boto3

    wh_default, s_default = default_run
    url, env = s3_server
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s3 = boto3.client("s3", endpoint_url=url)
    s3.create_bucket(Bucket="news")
    for p in sorted(SEEDS_RAW.glob("*.txt")):
        s3.put_object(Bucket="news", Key=f"landing/2016/{p.name}", Body=p.read_bytes())
    wh = tmp_path / "wh-s3"
    full_env = {**khabar_env(), **env}
    cmd = [sys.executable, "-m", "flows.cli", "run", "--landing", "s3://news/landing", "--warehouse", str(wh),
           "--parquet-url", "s3://news/parquet", "--json"]
    proc = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=600,
                          cwd=os.path.dirname(os.path.dirname(__file__)))
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = summary_of(proc)
    for key in ("files_seen", "files_loaded", "records_seen", "articles_loaded"):
        assert s[key] == s_default[key], key
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert {r[0] for r in con.execute("SELECT source_file FROM articles").fetchall()} == {
        f"2016/{p.name}" for p in SEEDS_RAW.glob("*.txt")}
    con.close()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="news", Prefix="parquet/")["Contents"]]
    assert any(k.startswith("parquet/articles/run_id=") for k in keys)
    assert "parquet/entities/entities.parquet" in keys
    import pyarrow.parquet as pq
    import s3fs

    fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": url})
    art = [k for k in keys if k.startswith("parquet/articles/")][0]
    assert pq.read_table(f"news/{art}", filesystem=fs).num_rows == s_default["articles_loaded"]
    # a second run over the same bucket downloads nothing new and loads nothing
    proc = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=600,
                          cwd=os.path.dirname(os.path.dirname(__file__)))
    assert proc.returncode == 0 and summary_of(proc)["files_skipped"] == 5
