"""Where a run's checks run (flows/publish.py, flows/stages.py): a small run checks its rows in a thread beside
the loading into DuckDB, a run with no new article has nothing to check, and a stop request ends the wait."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from flows import interrupt, publish, stages
from flows.publish import STAGED_TABLES


def test_checks_in_a_thread_give_their_result_or_their_error():
    assert stages.InThread(lambda a, b: a + b, 2, 40)() == 42

    def broken() -> None:
        raise ValueError("a check could not run")

    with pytest.raises(ValueError, match="could not run"):
        stages.InThread(broken)()


def test_a_stop_request_ends_the_wait_for_checks_in_a_thread(monkeypatch):
    release = threading.Event()
    checks = stages.InThread(release.wait)  # a call that never ends by itself
    monkeypatch.setattr(interrupt, "_stop_signal", 15)
    with pytest.raises(interrupt.RunStopped):
        checks()
    assert not checks.future.done()  # the wait ended, not the call (a daemon thread: it ends with the process)
    release.set()
    assert checks.future.result(timeout=60) is True


def test_a_run_with_no_new_article_has_nothing_to_check(tmp_path):
    staged: dict[str, list[Path]] = {t: [] for t in STAGED_TABLES}
    result = publish._start_validation(staged, "20260101T000000-noop", tmp_path / "reports", in_worker=False)()
    assert (result.rows, result.critical_success, result.success) == ([], True, True)
    assert not (tmp_path / "reports").exists()  # no Data Docs built, none to merge into the kept site


def test_a_small_runs_checks_in_a_thread_find_what_the_suites_find(seeds_warehouse, tmp_path):
    """The staged rows of a real run (the seeds, re-staged from the warehouse's Parquet mirror) checked in a
    thread give one result row per expectation of every suite, all passing as in the run itself."""
    import duckdb

    from schemas.expectations import SUITES

    wh, summary = seeds_warehouse
    staged: dict[str, list[Path]] = {}
    con = duckdb.connect()
    for table in STAGED_TABLES:
        if table == "features":
            staged[table] = []
            continue
        parts = sorted((wh / "parquet" / table).rglob("*.parquet"))
        assert parts, table
        staged[table] = [tmp_path / f"{table}.parquet"]
        con.execute(f"COPY (SELECT * FROM read_parquet({[str(p) for p in parts]!r})) TO '{staged[table][0]}'")
    # The article checks read two body statistics the batch workers stage as features.
    staged["features"] = [tmp_path / "features.parquet"]
    con.execute(f"COPY (SELECT article_id, length(body) AS body_length, 1.0 AS arabic_share FROM "
                f"read_parquet({[str(p) for p in sorted((wh / 'parquet' / 'articles').rglob('*.parquet'))]!r})) "
                f"TO '{staged['features'][0]}'")
    con.close()
    result = publish._start_validation(staged, summary["run_id"], tmp_path / "reports", in_worker=False)()
    assert len(result.rows) == sum(len(checks) for table, checks in SUITES.items() if staged.get(table))
    assert result.critical_success
    shutil.rmtree(tmp_path / "reports", ignore_errors=True)
