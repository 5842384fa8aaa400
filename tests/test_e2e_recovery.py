"""Atomic publishing: kill -9 at any moment, then re-run; a second concurrent run; a failed critical check."""
from __future__ import annotations

import fcntl
import json
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import KHABAR, ROOT, SEEDS_RAW, khabar_env, run_khabar, summary_of


def synthetic_landing(root: Path, files: int = 6, per_file: int = 150) -> Path:
    """Scraper dumps made from the seed pages, each record made distinct, enough to take several seconds."""
    pages = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_RAW.glob("*.txt"))]
    landing = root / "landing"
    landing.mkdir()
    for f in range(files):
        with open(landing / f"dump-{f}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(per_file):
                page = pages[(f + i) % len(pages)]
                lines = page.splitlines()
                body = "\n\n".join(lines[1:]) + f"\n\nوقال المتحدث رقم {f}-{i} إن الاجتماع عقد في موعده."
                fh.write(json.dumps({"title": f"{lines[0]} ({f}-{i})", "content": body,
                                     "url": f"https://example.com/{f}/{i}"}, ensure_ascii=False) + "\n")
    return landing


def table_counts(wh: Path) -> dict[str, int]:
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "quotes", "mentions", "entities")}
    finally:
        con.close()


def assert_consistent(wh: Path) -> None:
    """No orphan child rows, no half-loaded file, and the Parquet mirror never ahead of DuckDB."""
    if not (wh / "news.duckdb").exists():
        return
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT article_id FROM articles)"
                           ).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT article_id FROM articles)"
                           ).fetchone()[0] == 0
        # a file is loaded with all of its records or none of them
        partial = con.execute("""
            SELECT f.source_file, f.records, count(a.article_id) AS n FROM ingest_files f
            LEFT JOIN articles a ON a.source_file = f.source_file
            WHERE f.status = 'loaded' GROUP BY ALL HAVING n <> f.records""").fetchall()
        assert partial == []
        committed = {r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()}
    finally:
        con.close()
    for part in (wh / "parquet" / "articles").glob("run_id=*"):
        assert part.name.removeprefix("run_id=") in committed
        for f in part.glob("*.parquet"):
            pq.read_metadata(f)  # never a truncated file


@pytest.mark.slow
def test_kill_nine_at_any_moment_then_rerun_completes(tmp_path):
    landing = synthetic_landing(tmp_path)
    reference = tmp_path / "reference"
    proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(reference), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = table_counts(reference)
    assert expected["articles"] == 900

    wh = tmp_path / "killed"
    for delay in (1.5, 4.0, 6.5, 9.0, 12.0):
        child = subprocess.Popen([*KHABAR, "run", "--landing", str(landing), "--warehouse", str(wh)],
                                 cwd=ROOT, env=khabar_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        time.sleep(delay)
        if child.poll() is None:
            import os

            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        assert_consistent(wh)
    proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert_consistent(wh)
    assert table_counts(wh) == expected
    assert not list((wh / "parquet").rglob("*.tmp*")), "the re-run cleans a killed export's temporaries"
    # the search index is complete too, even if a kill hit while it was being built
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM internal.search_docs").fetchone()[0] == expected["articles"]
    con.close()
    found = run_khabar("search", "الاجتماع عقد في موعده", "--warehouse", str(wh))
    assert found.returncode == 0 and found.stdout.count("\n") >= 10
    # The Parquet mirror holds exactly what DuckDB holds.
    files = list((wh / "parquet" / "articles").rglob("*.parquet"))
    assert sum(pq.read_metadata(f).num_rows for f in files) == expected["articles"]


def test_second_run_waits_or_exits_with_a_clear_message(tmp_path):
    wh = tmp_path / "wh"
    wh.mkdir()
    with open(wh / ".khabar.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--lock-wait", "1")
    assert proc.returncode == 2
    assert "another khabar run is using" in proc.stderr and "Traceback" not in proc.stderr


def test_failed_critical_check_keeps_batch_out_and_exits_1(tmp_path, monkeypatch):
    """A critical failure publishes nothing curated, records why, and the files are retried next run."""
    from flows import cli, quality
    from flows.quality import QualityResult

    real = quality.validate_batch

    def failing(frames, run_id, reports_dir, **kw):
        res = real(frames, run_id, reports_dir, **kw)
        return QualityResult(rows=res.rows, critical_success=False, success=False, report_path=res.report_path)

    monkeypatch.setattr(quality, "validate_batch", failing)
    wh = tmp_path / "wh"
    code = cli.main(["run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--runner", "thread", "--json"])
    assert code == 1
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert con.execute("SELECT status FROM runs").fetchone()[0] == "dq_failed"
    assert con.execute("SELECT count(*) FROM ingest_files WHERE status = 'quarantined'").fetchone()[0] == 5
    con.close()
    monkeypatch.setattr(quality, "validate_batch", real)
    proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0 and summary_of(proc)["articles_loaded"] == 5


def test_export_failing_after_commit_is_retried_without_publishing_twice(tmp_path, monkeypatch):
    """The publish task is retried when the Parquet export fails after COMMIT (as an out-of-memory COPY did on
    a 64k-article run): the retry only exports; the run is in ``runs`` once and its articles once."""
    from flows import cli, publish

    real, calls = publish.export_run, []

    def fails_once(con, layout, run_id):
        calls.append(run_id)
        if len(calls) == 1:
            raise duckdb.OutOfMemoryException("failed to allocate data of size 128.0 MiB")
        return real(con, layout, run_id)

    monkeypatch.setattr(publish, "export_run", fails_once)
    wh = tmp_path / "wh"
    code = cli.main(["run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--runner", "thread", "--json"])
    assert code == 0 and len(calls) == 2 and calls[0] == calls[1]
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert con.execute("SELECT run_id, status, articles_loaded FROM runs").fetchall() == [(calls[0], "published", 5)]
    assert con.execute("SELECT count(*) FROM ingest_files").fetchone()[0] == 5
    con.close()
    assert table_counts(wh)["articles"] == 5
    assert (wh / "parquet" / "_exported" / calls[0]).is_file()
    assert pq.read_table(wh / "parquet" / "articles" / f"run_id={calls[0]}").num_rows == 5
    assert_consistent(wh)
