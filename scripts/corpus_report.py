#!/usr/bin/env python3
"""What khabar extracts on real outlets: field coverage over a warehouse built from the dev corpus.

    .venv/bin/python scripts/corpus_report.py [--warehouse DIR] [--build]

With ``--build`` it first runs khabar over ../shared/corpora/saudinewsnet-dev into DIR (default
bench_out/corpus-wh). Prints the share of articles with a dateline place, agency, author, each date source,
quotes per article and the share with a resolved speaker, entities per article, duplicates flagged (and
whether every repeated body is flagged), and stories spanning two or more outlets.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet-dev"

QUERIES = [
    ("articles", "SELECT count(*) FROM articles"),
    ("with dateline place", "SELECT avg((dateline_place IS NOT NULL)::INT) FROM articles"),
    ("with agency", "SELECT avg((agency IS NOT NULL)::INT) FROM articles"),
    ("with author", "SELECT avg((author IS NOT NULL)::INT) FROM articles"),
    ("with outlet", "SELECT avg((outlet_domain IS NOT NULL)::INT) FROM articles"),
    ("date explicit (in the article)", "SELECT avg((date_source = 'explicit')::INT) FROM articles"),
    ("date from feed field", "SELECT avg((date_source = 'feed')::INT) FROM articles"),
    ("date relative", "SELECT avg((date_source = 'relative')::INT) FROM articles"),
    ("no date", "SELECT avg((date_source = 'none')::INT) FROM articles"),
    ("quotes per article", "SELECT (SELECT count(*) FROM quotes) / count(*) FROM articles"),
    ("articles with a quote", "SELECT avg((article_id IN (SELECT article_id FROM quotes))::INT) FROM articles"),
    ("quotes with a speaker", "SELECT avg((speaker IS NOT NULL)::INT) FROM quotes"),
    ("quotes with a speaker entity", "SELECT avg((speaker_entity_id IS NOT NULL)::INT) FROM quotes"),
    ("persons per article", """SELECT count(*) / (SELECT count(*) FROM articles) FROM
        (SELECT DISTINCT article_id, entity_id FROM mentions JOIN entities USING (entity_id)
         WHERE entity_type = 'PERSON')"""),
    ("places per article", """SELECT count(*) / (SELECT count(*) FROM articles) FROM
        (SELECT DISTINCT article_id, entity_id FROM mentions JOIN entities USING (entity_id)
         WHERE entity_type = 'PLACE')"""),
    ("orgs per article", """SELECT count(*) / (SELECT count(*) FROM articles) FROM
        (SELECT DISTINCT article_id, entity_id FROM mentions JOIN entities USING (entity_id)
         WHERE entity_type = 'ORG')"""),
    ("distinct entities", "SELECT count(*) FROM entities"),
    ("flagged near_duplicate_of", "SELECT count(*) FROM articles WHERE near_duplicate_of IS NOT NULL"),
    ("groups of repeated bodies", "SELECT count(*) FROM (SELECT content_sha256 FROM articles GROUP BY 1 HAVING count(*) > 1)"),
    # In a group of identical bodies exactly one (the earliest) may be unflagged (none if it copies another).
    ("repeated bodies not flagged", """SELECT coalesce(sum(heads - 1), 0) FROM (
        SELECT count(*) FILTER (WHERE near_duplicate_of IS NULL) AS heads FROM articles
        GROUP BY content_sha256 HAVING count(*) > 1) WHERE heads > 1"""),
    ("stories", "SELECT count(DISTINCT story_id) FROM articles"),
    ("stories with >= 2 outlets", "SELECT count(*) FROM stories_summary WHERE len(outlets) >= 2"),
    ("quote links", "SELECT count(*) FROM quote_links"),
    ("quarantined records", "SELECT count(*) FROM quarantine"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, default=ROOT / "bench_out" / "corpus-wh")
    ap.add_argument("--build", action="store_true")
    a = ap.parse_args()
    if a.build:
        subprocess.run([sys.executable, "-m", "flows.cli", "run", "--landing", str(CORPUS), "--warehouse",
                        str(a.warehouse)], cwd=ROOT, check=True)
    con = duckdb.connect(str(a.warehouse / "news.duckdb"), read_only=True)
    print(f"dev-corpus coverage ({a.warehouse})")
    for label, sql in QUERIES:
        v = con.execute(sql).fetchone()[0]
        shown = f"{v:.1%}" if isinstance(v, float) and v <= 1 and "per article" not in label else (
            f"{v:.2f}" if isinstance(v, float) else str(v))
        print(f"  {label:34} {shown}")
    # one agency however the pages write it (فرانس برس, أ.ف.ب): counted by its canonical form
    print("\nmost common agencies:", con.execute(
        "SELECT list(agency_canonical || ' ' || n) FROM (SELECT agency_canonical, count(*) n FROM articles "
        "WHERE agency_canonical IS NOT NULL GROUP BY ALL ORDER BY n DESC LIMIT 8)").fetchone()[0])
    print("most quoted speakers:", con.execute(
        "SELECT list(speaker || ' ' || n) FROM (SELECT speaker, count(*) n FROM quotes WHERE speaker IS NOT NULL "
        "GROUP BY ALL ORDER BY n DESC LIMIT 8)").fetchone()[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
