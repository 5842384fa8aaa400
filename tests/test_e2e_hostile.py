"""End to end over a landing folder of hostile inputs: every file and record accounted for, counts
reconcile (contract §5), raw bytes kept, nothing outside the landing folder read, and a re-run changes nothing."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_khabar, summary_of
from tests.hostile import XSS_LITERAL, build_hostile_landing, expected_files


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    landing = root / "landing"
    expected = build_hostile_landing(landing)
    wh = root / "wh"
    proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    return landing, wh, expected, summary_of(proc)


def test_counts_reconcile(hostile_run):
    _, wh, expected, s = hostile_run
    assert s["files_seen"] == s["files_loaded"] + s["files_skipped"] + s["files_quarantined"]
    assert s["records_seen"] == s["articles_loaded"] + s["records_quarantined"]
    assert s["files_seen"] == len(expected_files(expected))
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == s["articles_loaded"]
    assert con.execute("SELECT count(*) FROM ingest_files WHERE run_id = ?", [s["run_id"]]).fetchone()[0] == \
        s["files_seen"]


def test_every_file_has_the_expected_status(hostile_run):
    _, wh, expected, s = hostile_run
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    got = {f: (st, reason) for f, st, reason in con.execute(
        "SELECT source_file, status, reason FROM ingest_files WHERE run_id = ?", [s["run_id"]]).fetchall()}
    for rel, want in expected_files(expected).items():
        assert rel in got, f"{rel} never reported"
        status, reason = got[rel]
        if want.startswith("quarantined:"):
            assert status == "quarantined" and reason.startswith(want.split(":", 1)[1]), (rel, got[rel])
        else:
            assert status == want, (rel, got[rel])


def test_every_record_is_an_article_or_quarantined(hostile_run):
    _, wh, expected, s = hostile_run
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    articles = {f"{f}#{r}" for f, r in con.execute("SELECT source_file, source_record FROM articles").fetchall()}
    q = {}
    for f, r, code in con.execute("SELECT source_file, source_record, reason_code FROM quarantine "
                                  "WHERE run_id = ?", [s["run_id"]]).fetchall():
        q[f if r is None else f"{f}#{r}"] = code
    for key, want in expected.items():
        if "#" in key and want.startswith("article"):
            assert key in articles, key
        elif want.startswith("quarantined:") and ("#" in key or "!" in key):
            assert q.get(key) == want.split(":", 1)[1], (key, q.get(key))


def test_quarantined_bytes_are_kept(hostile_run):
    _, wh, _, s = hostile_run
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    rows = con.execute("SELECT source_file, reason_code, stored_path FROM quarantine WHERE run_id = ?",
                       [s["run_id"]]).fetchall()
    assert rows
    for source, code, stored in rows:
        assert stored, (source, code)
        path = wh / stored
        assert path.is_file(), (source, stored)
        if code == "link_outside_landing":
            assert b"root:" not in path.read_bytes()  # the link target's content is never copied


def test_markup_in_an_article_loads_as_text(hostile_run):
    _, wh, _, _ = hostile_run
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    n = con.execute("SELECT count(*) FROM articles WHERE body LIKE '%' || ? || '%'", [XSS_LITERAL]).fetchone()[0]
    assert n == 1
    report = (wh / "reports" / "index.html").read_text(encoding="utf-8")
    assert XSS_LITERAL not in report
    for page in Path(wh / "reports").rglob("*.html"):
        assert "onerror=alert(document.title)>" not in page.read_text(encoding="utf-8", errors="replace")


def test_rerun_changes_nothing(hostile_run):
    landing, wh, _, first = hostile_run
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "quotes", "mentions", "entities")}
    con.close()
    proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = summary_of(proc)
    assert s["files_seen"] == first["files_seen"]
    assert s["files_loaded"] == 0 and s["articles_loaded"] == 0
    assert s["files_skipped"] == first["files_loaded"] + first["files_skipped"]
    assert s["files_quarantined"] == first["files_quarantined"]
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before} == before
