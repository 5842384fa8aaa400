"""Reading while a run writes (issue 11): `khabar search` and an analyst's read-only DuckDB connection work at
every stage of a run over dev-corpus articles, the publish transaction included, and read the last published
state: the rows before the run, then all of them, never part of the run."""
from __future__ import annotations

import json
import shutil
import subprocess

import duckdb
import pytest

from flows.interrupt import STAGE_PAUSE, STAGE_TRACE
from tests.conftest import (
    KHABAR,
    ROOT,
    SEEDS_RAW,
    corpus_zips,
    khabar_env,
    requires_corpus,
    run_khabar,
    summary_of,
)


@requires_corpus
@pytest.mark.slow
def test_search_and_a_read_only_connection_work_while_a_run_is_in_progress(tmp_path):
    wh = tmp_path / "wh"
    first = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--json")
    assert first.returncode == 0, first.stderr[-3000:]
    before = summary_of(first)["articles_loaded"]
    landing = tmp_path / "landing"
    landing.mkdir()
    for z in corpus_zips()[:3]:
        shutil.copy(z, landing / z.name)
    trace = tmp_path / "trace"
    # The run holds still a few seconds inside its publish transaction, so that readers certainly come then.
    env = {**khabar_env(), STAGE_TRACE: str(trace), STAGE_PAUSE: "publish=4"}
    run = subprocess.Popen([*KHABAR, "run", "--landing", str(landing), "--warehouse", str(wh), "--json"], cwd=ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reads: list[tuple[str, int]] = []
    searched: dict[str, subprocess.CompletedProcess] = {}
    try:
        while run.poll() is None:
            stages = trace.read_text().split() if trace.exists() else []
            stage = stages[-1] if stages else "starting"
            con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)  # as an analyst would
            try:
                reads.append((stage, con.execute("SELECT count(*) FROM articles").fetchone()[0]))
            finally:
                con.close()
            if stage not in searched:
                searched[stage] = run_khabar("search", "السعودية", "--warehouse", str(wh), "--lock-wait", "0",
                                             timeout=120)
        out, err = run.communicate(timeout=600)
    finally:
        run.kill()
    assert run.returncode == 0, err[-3000:]
    after = before + json.loads(out.strip().splitlines()[-1])["articles_loaded"]
    assert after > before
    for stage, proc in searched.items():
        assert proc.returncode == 0 and "Traceback" not in proc.stderr and "waiting" not in proc.stderr, \
            (stage, proc.stderr[-2000:])
    seen = {stage for stage, _ in reads}
    assert {"batches", "publish"} <= seen, seen  # readers came while it worked and inside its transaction
    assert "publish" in searched
    counts = [n for _, n in reads]
    assert set(counts) <= {before, after}, sorted(set(counts))  # never part of a run
    assert counts == sorted(counts)  # and never back to an older state
