"""The command line as a user meets it (issue 11): help with an example for every option, --version, -q and -v,
the summary's wording, one-line failures with exit status 2, `khabar sql`, and `khabar search --json`."""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import socket
import subprocess

import duckdb
import pytest

from flows.cli import build_parser
from flows.summary import check_text, outcome, time_lines
from tests.conftest import ROOT, SEEDS_RAW, run_khabar, summary_of
from transforms.normalize import search_form


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_has_help_with_an_example():
    parser = build_parser()
    commands = _subparsers(parser)
    assert set(commands) == {"run", "serve", "server", "search", "sql", "restore"}
    assert "examples:" in parser.epilog
    for name, sub in commands.items():
        assert sub.description and "examples:" in (sub.epilog or ""), name
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help and "Example" in action.help, (name, action.dest)


def test_global_options_work_before_and_after_the_command():
    parser = build_parser()
    before = parser.parse_args(["-q", "--log-level", "debug", "search", "x"])
    after = parser.parse_args(["search", "x", "-v"])
    assert (before.quiet, before.verbose, before.log_level) == (True, False, "DEBUG")
    assert (after.quiet, after.verbose, after.log_level) == (False, True, None)


def test_version():
    proc = run_khabar("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("khabar 0.1.0 (Python 3.11"), proc.stdout + proc.stderr


# The summary's first line: the outcome, with each failed check named.
WARNING = {"table_name": "quotes", "expectation": "speakers_resolved_share", "severity": "warning",
           "observed": "49 of 90 unexpected (54.44%)"}
CRITICAL = {"table_name": "articles", "expectation": "headline_not_null", "severity": "critical",
            "observed": "2 of 5 unexpected (40.00%)"}


def test_summary_says_passed_published_with_warnings_or_not_published():
    run = {"run_id": "r1", "status": "published"}
    assert outcome({**run, "failed_checks": []}) == ["khabar run r1: published; every data-quality check passed"]
    assert outcome({**run, "failed_checks": [WARNING]}) == [
        "khabar run r1: published with 1 warning: quotes.speakers_resolved_share 45.6% < 60%"]
    drift = {"table_name": "outlet_metrics", "expectation": "drift_agency", "severity": "warning",
             "observed": "sana.sy agency 12% of articles, below its recent 80%"}
    assert outcome({**run, "failed_checks": [WARNING, drift]}) == [
        "khabar run r1: published with 2 warnings:",
        "  - quotes.speakers_resolved_share 45.6% < 60%",
        "  - outlet_metrics.drift_agency: sana.sy agency 12% of articles, below its recent 80%"]
    failed = outcome({"run_id": "r1", "status": "dq_failed", "failed_checks": [CRITICAL, WARNING]})
    assert failed[0] == ("khabar run r1: NOT published: 1 critical check failed: articles.headline_not_null: "
                         "2 of 5 unexpected (40.00%)")
    assert "FAILED" not in " ".join(outcome({**run, "failed_checks": [WARNING]}))
    assert check_text({**CRITICAL, "observed": ""}) == "articles.headline_not_null"


def test_time_lines_add_up_and_keep_worker_seconds_apart():
    summary = {"flow_wall_seconds": {"lock and mirror check": 0.5, "plan": 0.2, "batches": 3.0},
               "stage_seconds": {"ingest": 1.0, "extract": 9.0, "link stories": 0.4, "load duckdb": 1.1,
                                 "validate": 6.0, "wait for checks": 2.0, "write parquet": 0.3, "report": 0.5}}
    wall, workers = time_lines(summary, total=20.0, startup=9.0)
    steps = dict(part.rsplit(" ", 1) for part in wall.split(": ", 1)[1].split(", "))
    assert sum(float(v) for v in steps.values()) == pytest.approx(20.0, abs=0.01)
    assert steps["start-up"] == "9.00" and "extract" not in steps and "validate" not in steps
    assert workers.startswith("workers 16.00 s") and "extract 9.00" in workers and "load duckdb" not in workers


# One line on stderr and exit status 2 for what the user can fix.
def _one_line_exit_2(proc: subprocess.CompletedProcess, words: str) -> None:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert len(lines) == 1 and lines[0].startswith("khabar: ") and words in lines[0], proc.stderr[-3000:]


def test_bad_flags_are_one_line_and_exit_2(tmp_path):
    _one_line_exit_2(run_khabar("run", "--bogus"), "unrecognized arguments: --bogus")
    _one_line_exit_2(run_khabar("run", "--workers", "0"), "--workers: not a whole number of 1 or more")
    _one_line_exit_2(run_khabar("search", "x", "--limit", "-1"), "--limit")
    _one_line_exit_2(run_khabar("--log-level", "loud", "run"), "not a log level")
    _one_line_exit_2(run_khabar("sql", "--warehouse", str(tmp_path / "none"), "SELECT 1"), "no warehouse at")


def test_an_unreachable_dask_scheduler_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as s:  # a port nothing listens on: bound, then closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(tmp_path / "wh"),
                      "--dask-address", f"tcp://127.0.0.1:{port}", timeout=120)
    _one_line_exit_2(proc, f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")


def test_missing_s3_credentials_are_one_line_and_exit_2(tmp_path, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    proc = run_khabar("run", "--landing", "s3://news-landing/2016/", "--warehouse", str(tmp_path / "wh"), timeout=120)
    _one_line_exit_2(proc, "no usable cloud credentials")


def test_a_busy_warehouse_is_one_line_and_exit_2(tmp_path):
    wh = tmp_path / "wh"
    wh.mkdir()
    with open(wh / ".khabar.lock", "a+") as held:  # as a run in progress holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--lock-wait", "0")
    _one_line_exit_2(proc, "another khabar run is using")


# -q and -v, on runs with nothing new (the seeds are loaded already).
def test_quiet_prints_the_outcome_only_and_verbose_the_logs_too(seeds_warehouse, tmp_path):
    wh = tmp_path / "wh"  # a copy: the shared warehouse's run count is asserted elsewhere
    shutil.copytree(seeds_warehouse[0], wh)
    quiet = run_khabar("-q", "run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh))
    assert quiet.returncode == 0, quiet.stderr[-3000:]
    lines = [ln for ln in quiet.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].endswith("nothing new to publish (every input was already loaded, skipped "
                                                 "or rejected)"), quiet.stdout
    assert "INFO" not in quiet.stdout + quiet.stderr
    verbose = run_khabar("run", "-v", "--landing", str(SEEDS_RAW), "--warehouse", str(wh))
    assert verbose.returncode == 0, verbose.stderr[-3000:]
    out = verbose.stdout + verbose.stderr
    assert "INFO" in out and "Traceback" not in out
    # not a terminal: the stages as plain lines, then the summary with its time lines
    assert "khabar: 5 file(s) found: 0 to read, 5 skipped" in verbose.stdout
    assert "  time    " in verbose.stdout and "s wall from the command's start: start-up " in verbose.stdout
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert con.execute("SELECT list(DISTINCT reason_code) FROM ingest_files WHERE status = 'skipped'").fetchone()[0] \
        == ["already_loaded"]
    assert con.execute("SELECT count(*) FROM ingest_files WHERE status = 'loaded' AND reason_code IS NOT NULL"
                       ).fetchone()[0] == 0
    con.close()


def test_json_summary_keeps_the_contract_keys_and_adds_the_time_split(seeds_warehouse):
    _, summary = seeds_warehouse
    assert list(summary)[:10] == ["run_id", "files_seen", "files_loaded", "files_skipped", "files_quarantined",
                                  "records_seen", "articles_loaded", "records_quarantined", "dq_success", "seconds"]
    assert summary["status"] == "published" and isinstance(summary["failed_checks"], list)
    assert summary["wall_seconds"] > summary["seconds"] > 0 and summary["startup_seconds"] > 0
    assert {"lock and mirror check", "plan", "batches"} == set(summary["flow_wall_seconds"])


# khabar sql
def test_sql_runs_one_query_read_only(seeds_warehouse):
    wh, _ = seeds_warehouse
    proc = run_khabar("sql", "--warehouse", str(wh), "--format", "json",
                      "SELECT count(*) AS n, count(DISTINCT outlet_domain) AS outlets FROM articles")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [{"n": 5, "outlets": 2}]  # sana.sy, arabic.cnn.com (and unknown)
    _one_line_exit_2(run_khabar("sql", "--warehouse", str(wh), "DELETE FROM articles"), "read-only")
    _one_line_exit_2(run_khabar("sql", "--warehouse", str(wh), "SELEC 1"), "syntax error")


def test_sql_search_macro_ranks_as_khabar_search(seeds_warehouse):
    wh, _ = seeds_warehouse
    query = "الاتفاق حول سوريا"
    proc = run_khabar("sql", "--warehouse", str(wh), "--format", "json",
                      f"SELECT article_id, score FROM search_articles('{query}', 5)")
    assert proc.returncode == 0, proc.stderr
    from_sql = json.loads(proc.stdout)
    hits = json.loads(run_khabar("search", query, "--warehouse", str(wh), "--limit", "5", "--json").stdout)
    assert [r["article_id"] for r in from_sql] == [h["article_id"] for h in hits]
    assert [r["score"] for r in from_sql] == pytest.approx([h["score"] for h in hits], rel=1e-12)


@pytest.mark.skipif(not os.access(ROOT / ".venv" / "bin" / "duckdb", os.X_OK), reason="DuckDB's shell not installed")
def test_sql_without_a_query_opens_duckdbs_shell_read_only(seeds_warehouse):
    wh, _ = seeds_warehouse
    script = ("SELECT 'hits:' || count(*) FROM search_articles('لافروف');\n"
              "SELECT comment FROM duckdb_tables() WHERE table_name = 'quotes';\n"
              "CREATE TABLE t (x INTEGER);\n")
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "khabar"), "sql", "--warehouse", str(wh)], input=script,
                          capture_output=True, text=True, timeout=120)
    searched = json.loads(run_khabar("search", "لافروف", "--warehouse", str(wh), "--json").stdout)
    assert f"hits:{len(searched)}" in proc.stdout, proc.stdout + proc.stderr
    assert "Direct quotations" in proc.stdout
    assert "read-only" in proc.stderr


# khabar search --json: ids, snippets, phrases, near-duplicates collapsed
def test_search_json_has_ids_snippets_and_phrases(seeds_warehouse):
    wh, _ = seeds_warehouse
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    ids = {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()}
    proc = run_khabar("search", "لافروف", "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(proc.stdout)
    assert hits and {h["article_id"] for h in hits} <= ids
    for h in hits:
        assert "[لافروف]" in h["snippet"], h["snippet"]  # the match, marked, in the body's own spelling
    # a phrase: its words together, in order; the loose words of the same query rank
    phrase = run_khabar("search", '"مع الولايات المتحدة"', "--warehouse", str(wh), "--json")
    words = run_khabar("search", "مع الولايات المتحدة", "--warehouse", str(wh), "--json")
    with_phrase = {h["article_id"] for h in json.loads(phrase.stdout)}
    loose = {h["article_id"] for h in json.loads(words.stdout)}
    bodies = dict(con.execute("SELECT article_id, headline || ' ' || body FROM articles").fetchall())
    wanted = search_form("مع الولايات المتحدة")
    assert with_phrase == {a for a in loose if wanted in search_form(bodies[a])}
    assert with_phrase and with_phrase < loose


def test_search_collapses_near_duplicates_into_one_hit(tmp_path):
    landing = tmp_path / "in"
    shutil.copytree(SEEDS_RAW, landing)
    original = next(landing.glob("000_*.txt"))
    # the same page scraped again under another name, one blank line longer: a near-duplicate
    (landing / "copy_of_000.txt").write_bytes(original.read_bytes() + b"\n")
    wh = tmp_path / "wh"
    proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0 and summary_of(proc)["articles_loaded"] == 6, proc.stderr[-3000:]
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    pairs = con.execute("SELECT article_id, near_duplicate_of FROM articles WHERE near_duplicate_of IS NOT NULL"
                        ).fetchall()
    con.close()
    assert len(pairs) == 1
    copy, first = pairs[0]
    hits = json.loads(run_khabar("search", "الاتفاق حول سوريا", "--warehouse", str(wh), "--json").stdout)
    ids = [h["article_id"] for h in hits]
    assert len(ids) == len(set(ids)) == 5 and (first in ids) != (copy in ids)
    kept = next(h for h in hits if h["article_id"] in (first, copy))
    assert [c["article_id"] for c in kept["copies"]] == [copy if kept["article_id"] == first else first]
    text = run_khabar("search", "الاتفاق حول سوريا", "--warehouse", str(wh)).stdout
    assert "1 near-duplicate copy: " in text
