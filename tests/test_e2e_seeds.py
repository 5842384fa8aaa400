"""End to end over seeds/raw/: the command line, the warehouse of contract §3–§4, a re-run that changes nothing."""
from __future__ import annotations

import re

import duckdb
import pyarrow.parquet as pq

from tests.conftest import SEEDS_RAW, run_khabar, summary_of

CONTRACT_COLUMNS = {
    "articles": {"article_id": "VARCHAR", "source_file": "VARCHAR", "source_record": "INTEGER",
                 "content_sha256": "VARCHAR", "outlet_domain": "VARCHAR", "headline": "VARCHAR",
                 "subheadline": "VARCHAR", "byline": "VARCHAR", "author": "VARCHAR", "dateline_place": "VARCHAR",
                 "agency": "VARCHAR", "published_at": "TIMESTAMP WITH TIME ZONE", "published_date": "DATE",
                 "date_source": "VARCHAR", "body": "VARCHAR", "body_norm": "VARCHAR", "word_count": "INTEGER",
                 "language": "VARCHAR", "story_id": "VARCHAR", "near_duplicate_of": "VARCHAR", "run_id": "VARCHAR",
                 "ingested_at": "TIMESTAMP WITH TIME ZONE"},
    "quotes": {"quote_id": "VARCHAR", "article_id": "VARCHAR", "ordinal": "INTEGER", "text": "VARCHAR",
               "speaker": "VARCHAR", "speaker_entity_id": "VARCHAR"},
    "entities": {"entity_id": "VARCHAR", "canonical_name": "VARCHAR", "entity_type": "VARCHAR",
                 "aliases": "VARCHAR[]"},
    "mentions": {"article_id": "VARCHAR", "entity_id": "VARCHAR", "surface": "VARCHAR", "char_start": "INTEGER",
                 "char_end": "INTEGER"},
    "ingest_files": {"run_id": "VARCHAR", "source_file": "VARCHAR", "sha256": "VARCHAR", "bytes": "BIGINT",
                     "format": "VARCHAR", "encoding": "VARCHAR", "status": "VARCHAR", "records": "INTEGER",
                     "reason": "VARCHAR"},
    "quarantine": {"run_id": "VARCHAR", "source_file": "VARCHAR", "source_record": "INTEGER",
                   "reason_code": "VARCHAR", "detail": "VARCHAR", "stored_path": "VARCHAR"},
    "dq_results": {"run_id": "VARCHAR", "table_name": "VARCHAR", "expectation": "VARCHAR", "severity": "VARCHAR",
                   "success": "BOOLEAN", "observed": "VARCHAR", "checked_at": "TIMESTAMP WITH TIME ZONE"},
    "runs": {"run_id": "VARCHAR", "started_at": "TIMESTAMP WITH TIME ZONE",
             "finished_at": "TIMESTAMP WITH TIME ZONE", "status": "VARCHAR"},
    "quote_links": {"quote_id": "VARCHAR", "other_quote_id": "VARCHAR", "similarity": "DOUBLE"},
}
SUMMARY_KEYS = {"run_id", "files_seen", "files_loaded", "files_skipped", "files_quarantined", "records_seen",
                "articles_loaded", "records_quarantined", "dq_success", "seconds"}


def test_seed_run_summary(seeds_warehouse):
    _, summary = seeds_warehouse
    assert SUMMARY_KEYS <= set(summary)
    assert summary["files_seen"] == summary["files_loaded"] == 5
    assert summary["articles_loaded"] == summary["records_seen"] == 5
    assert summary["files_quarantined"] == summary["records_quarantined"] == 0
    assert summary["dq_success"] is True


def test_seed_run_times_every_stage_the_benchmark_splits(seeds_warehouse):
    """The per-stage split ``make bench`` prints: every stage present, each a real, non-negative duration."""
    _, summary = seeds_warehouse
    stages = summary["stage_seconds"]
    assert {"ingest", "clean", "extract", "validate", "report", "write parquet", "load duckdb"} <= set(stages)
    assert all(v >= 0 for v in stages.values())
    assert stages["validate"] > 0 and stages["report"] > 0 and stages["extract"] > 0


def test_warehouse_has_every_contract_table_and_type(seeds_warehouse):
    wh, _ = seeds_warehouse
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    for table, columns in CONTRACT_COLUMNS.items():
        got = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                               [table]).fetchall())
        for col, typ in columns.items():
            assert got.get(col) == typ, f"{table}.{col}: {got.get(col)} != {typ}"
    view = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'stories_summary'")
    assert {"story_id", "first_seen", "outlets", "article_count", "top_entities", "top_quote"} <= {
        r[0] for r in view.fetchall()}
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    assert con.execute("SELECT count(DISTINCT article_id) FROM articles").fetchone()[0] == 5
    # every child row points at an article
    assert con.execute("SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT article_id FROM articles)"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM mentions WHERE entity_id NOT IN (SELECT entity_id FROM entities)"
                       ).fetchone()[0] == 0


def test_articles_are_filled_by_real_extraction(seeds_warehouse):
    wh, _ = seeds_warehouse
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT regexp_extract(source_file, '[^/]+$'), headline, body, body_norm, language, word_count, "
        "date_source, published_date FROM articles").fetchall()}
    head, body, norm, lang, words, source, day = rows["000_fce3ca92cfa685eb.txt"]
    assert head.startswith("بوتين : الاتفاق المحتمل")
    assert "أكد الرئيس الروسي فلاديمير بوتين" in body and "telegram.me" not in body
    assert "اكد الرئيس الروسي" in norm and "أ" not in norm
    assert lang == "ar" and words > 300
    assert (source, day) == ("none", None)
    assert str(rows["004_14e6561c6e102fa1.txt"][6]) == "2016-09-06"
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] >= 20
    assert con.execute("SELECT count(*) FROM quotes WHERE speaker IS NOT NULL").fetchone()[0] >= 18
    names = {r[0] for r in con.execute("SELECT canonical_name FROM entities WHERE entity_type = 'PERSON'").fetchall()}
    assert "فلاديمير بوتين" in names


def test_parquet_mirror_matches_duckdb(seeds_warehouse):
    wh, _ = seeds_warehouse
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    for table in ("articles", "quotes", "mentions", "ingest_files", "runs", "dq_results"):
        files = list((wh / "parquet" / table).rglob("*.parquet"))
        assert files, table
        assert sum(pq.read_metadata(f).num_rows for f in files) == \
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    assert (wh / "parquet" / "entities" / "entities.parquet").exists()
    assert (wh / "reports" / "index.html").exists()


def test_rerun_skips_everything_and_changes_nothing(seeds_warehouse, tmp_path):
    wh, first = seeds_warehouse
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "quotes", "mentions", "entities", "quote_links")}
    con.close()
    proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = summary_of(proc)
    assert again["files_seen"] == 5 and again["files_skipped"] == 5 and again["articles_loaded"] == 0
    assert again["run_id"] != first["run_id"]
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def test_bad_usage_exits_2_with_one_line(tmp_path):
    proc = run_khabar("run", "--landing", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "wh"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "landing folder not found" in proc.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(blocker / "wh"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "not writable" in proc.stderr


def test_search_command_finds_the_story(seeds_warehouse):
    wh, _ = seeds_warehouse
    proc = run_khabar("search", "الاتفاق حول سوريا", "--warehouse", str(wh))
    assert proc.returncode == 0, proc.stderr[-2000:]
    # one line per hit (its snippet and copies follow on indented lines)
    lines = [ln for ln in proc.stdout.splitlines() if re.match(r" ?\d+\. \[", ln)]
    assert len(lines) >= 3
    # the Putin-at-the-G20 articles rank first; each line names headline, outlet and date
    top3 = "\n".join(lines[:3])
    for g20 in ("مقتنع بقرب التوصل", "قد يأتي خلال أيام", "الاتفاق المحتمل مع الأمريكيين"):
        assert g20 in top3
    assert any("sana.sy" in ln for ln in lines) and any("2016-09-06" in ln for ln in lines)


def test_relative_paths_work_from_any_folder(tmp_path):
    import shutil

    shutil.copytree(SEEDS_RAW, tmp_path / "in")
    proc = run_khabar("run", "--landing", "in", "--warehouse", "out", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert summary_of(proc)["articles_loaded"] == 5
    assert (tmp_path / "out" / "reports" / "index.html").is_file()
    assert (tmp_path / "out" / "news.duckdb").is_file()


def test_stories_and_duplicates_link_across_runs(tmp_path):
    """A story started in one run is joined by articles of a later run; a later copy points to the first."""
    import shutil

    landing, wh = tmp_path / "in", tmp_path / "wh"
    landing.mkdir()
    for p in SEEDS_RAW.glob("00[02]_*.txt"):
        shutil.copy(p, landing / p.name)
    assert run_khabar("run", "--landing", str(landing), "--warehouse", str(wh)).returncode == 0
    for p in SEEDS_RAW.glob("00[34]_*.txt"):
        shutil.copy(p, landing / p.name)
    (landing / "copy-of-000.txt").write_bytes(next(SEEDS_RAW.glob("000_*.txt")).read_bytes() + b"\n")
    proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0 and summary_of(proc)["articles_loaded"] == 3
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    story = dict(con.execute("SELECT regexp_extract(source_file, '^[^_.]+'), story_id FROM articles").fetchall())
    assert story["000"] == story["003"] == story["004"] != story["002"]
    first = con.execute("SELECT article_id FROM articles WHERE source_file LIKE '000_%'").fetchone()[0]
    assert con.execute("SELECT near_duplicate_of FROM articles WHERE source_file = 'copy-of-000.txt'"
                       ).fetchone()[0] == first
