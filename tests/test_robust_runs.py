"""Runs that meet trouble and complete: a slice of the fuzzer through the command line, an export that fails
after COMMIT (the next run exports it and says so), an export that runs out of memory (streamed instead),
and a batch that fails as a whole (its files are run one at a time; the one that fails alone is quarantined)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from flows import warehouse
from flows.warehouse import PER_RUN_TABLES
from scripts.fuzz import check_run, generate
from tests.conftest import SEEDS_RAW, run_khabar


@pytest.mark.slow
def test_fuzz_slice_no_aborted_run_nothing_unaccounted_rerun_a_no_op(tmp_path):
    """`make fuzz` runs 10,000 of these; here 200, the same checks (scripts/fuzz.py check_run)."""
    landing, wh = tmp_path / "landing", tmp_path / "wh"
    kinds = generate(landing, 200, seed=2026)
    assert kinds["json:lone_surrogate"] and kinds["json:deep"] and kinds["json:big_int"] and kinds["text:insert"]
    first = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    second = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json") \
        if first.returncode == 0 else None
    assert check_run(landing, wh, first, second) == []


def test_export_that_fails_after_commit_is_done_by_the_next_run(tmp_path, monkeypatch):
    from flows import cli, publish

    def always_fails(con, layout, run_id):
        raise duckdb.OutOfMemoryException("failed to allocate data of size 128.0 MiB")

    monkeypatch.setattr(publish, "export_run", always_fails)
    wh = tmp_path / "wh"
    assert cli.main(["run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--runner", "thread"]) == 0
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    (run_id,) = con.execute("SELECT run_id FROM runs WHERE status = 'published'").fetchone()
    con.close()
    assert not (wh / "parquet" / "articles" / f"run_id={run_id}").exists()
    monkeypatch.undo()
    proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    n = len(PER_RUN_TABLES)
    assert f"mirror: {n} Parquet partition(s) of 1 run(s) differed from the database ({n} missing)" in proc.stdout
    assert pq.read_metadata(wh / "parquet" / "articles" / f"run_id={run_id}" / "part-0.parquet").num_rows == 5


class _CopyRunsOutOfMemory:
    """A connection whose COPY statements fail as DuckDB's do at its memory limit."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, sql: str, params=None):
        if sql.lstrip().startswith("COPY"):
            raise duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB (384.0 MiB/384.0 MiB used)")
        return self.con.execute(sql, params)


def test_an_export_out_of_memory_is_streamed_in_small_batches(tmp_path):
    con = duckdb.connect()
    con.execute("CREATE TABLE articles AS SELECT 'a' || range AS article_id, repeat('خبر ', 1000) AS body, "
                "'r1' AS run_id FROM range(300)")
    dest = tmp_path / "it's" / "part-0.parquet"
    warehouse._atomic_copy(_CopyRunsOutOfMemory(con), "SELECT * FROM articles WHERE run_id = $run_id",
                           {"run_id": "r1"}, dest)
    meta = pq.read_metadata(dest)
    assert meta.num_rows == 300 and meta.num_row_groups >= 300 // warehouse.STREAM_BATCH_ROWS
    assert not list(dest.parent.glob("*.tmp*"))


def test_a_batch_that_fails_as_a_whole_is_run_file_by_file(tmp_path, monkeypatch):
    from flows import cli, stages

    landing = tmp_path / "landing"
    landing.mkdir()
    for p in sorted(SEEDS_RAW.glob("*.txt")):
        (landing / p.name).write_bytes(p.read_bytes())
    (landing / "kills_its_worker.txt").write_text("لا شيء", encoding="utf-8")
    real = stages.process_batch

    def crashes_on_one_file(jobs, *args, **kw):
        if any(j.rel == "kills_its_worker.txt" for j in jobs):
            raise MemoryError("the worker ran out of memory")  # as a parser crash or a killed worker would
        return real(jobs, *args, **kw)

    monkeypatch.setattr(stages, "process_batch", crashes_on_one_file)
    wh = tmp_path / "wh"
    assert cli.main(["run", "--landing", str(landing), "--warehouse", str(wh), "--runner", "thread",
                     "--workers", "1"]) == 0
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    status = dict(con.execute("SELECT source_file, status FROM ingest_files").fetchall())
    assert status.pop("kills_its_worker.txt") == "quarantined" and set(status.values()) == {"loaded"}
    assert con.execute("SELECT reason_code FROM quarantine").fetchall() == [("worker_crashed",)]
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    stored = con.execute("SELECT stored_path FROM quarantine").fetchone()[0]
    assert Path(wh / stored).read_text(encoding="utf-8") == "لا شيء"
    con.close()
