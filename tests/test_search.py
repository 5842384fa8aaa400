"""Full-text search and the stories_summary view (flows/search.py) on a small DuckDB of the seed pages."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from flows.search import build_index, create_stories_summary_view, fts_extension_path, search, search_form
from schemas.tables import ALL_TABLES, duckdb_ddl
from tests.conftest import SEEDS_RAW
from transforms.normalize import normalize_for_search

OUTLETS = {"000": "sana.sy", "001": None, "002": "sana.sy", "003": "almayadeen.net", "004": "arabic.cnn.com"}
STORY = {"000": "sto_000", "003": "sto_000", "004": "sto_000", "001": "sto_001", "002": "sto_002"}
DATES = {"001": dt.date(2016, 9, 3), "004": dt.date(2016, 9, 6)}


@pytest.fixture()
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "news.duckdb"))
    for name, schema in ALL_TABLES.items():
        con.execute(duckdb_ddl(name, schema))
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for path in sorted(SEEDS_RAW.glob("*.txt")):
        key = path.name[:3]
        text = path.read_text(encoding="utf-8")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        headline = lines[1] if key == "002" else lines[0]  # 002 opens with a ticker label
        body = "\n\n".join(lines[1:])
        con.execute("INSERT INTO articles (article_id, headline, outlet_domain, published_date, body, body_norm, "
                    "story_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [key, headline, OUTLETS[key], DATES.get(key), body, normalize_for_search(body), STORY[key], now])
    quotes = [("000-q1", "000", "من السابق لأوانه الحديث عن أي أطر لاتفاقنا"),
              ("004-q1", "004", "بالنسبة لي أن نتحدث في أي تفاصيل لاتفاقنا حول سوريا أمر سابق لأوانه"),
              ("000-q2", "000", "غير طبيعي"), ("002-q1", "002", "سنقدم كل أشكال الدعم")]
    con.executemany("INSERT INTO quotes (quote_id, article_id, ordinal, text) VALUES (?, ?, 1, ?)", quotes)
    con.execute("INSERT INTO quote_links VALUES ('000-q1', '004-q1', 0.28)")
    con.executemany("INSERT INTO entities (entity_id, canonical_name, entity_type) VALUES (?, ?, ?)",
                    [("p1", "فلاديمير بوتين", "PERSON"), ("g1", "سوريا", "PLACE"), ("p2", "سيرغي لافروف", "PERSON")])
    con.executemany("INSERT INTO mentions (article_id, entity_id, surface) VALUES (?, ?, ?)",
                    [(a, "p1", "بوتين") for a in "000 003 004 001 002".split()] +
                    [(a, "g1", "سوريا") for a in "000 003 004".split()] + [("000", "p2", "لافروف")])
    yield con
    con.close()


def test_fts_extension_ships_with_the_package():
    path = fts_extension_path()
    assert path.name == "fts.duckdb_extension" and path.stat().st_size > 100_000
    assert path.parent.parent.name == f"v{duckdb.__version__}"


def test_search_puts_the_g20_articles_first(con):
    assert build_index(con) == 5
    hits = search(con, "الاتفاق حول سوريا")
    assert {h["article_id"] for h in hits[:3]} == {"000", "003", "004"}
    top = hits[0]
    assert set(top) == {"article_id", "headline", "outlet_domain", "published_date", "score"}
    assert all(a["score"] >= b["score"] for a, b in zip(hits, hits[1:], strict=False))


def test_search_ignores_hamza_diacritics_and_ta_marbuta(con):
    build_index(con)
    plain = [h["article_id"] for h in search(con, "لافروف")]
    assert plain[0] == "002"  # the Lavrov interview
    spelled = [h["article_id"] for h in search(con, "الإتّفاق حول سورية")]
    assert spelled == [h["article_id"] for h in search(con, "الاتفاق حول سوريا")]
    assert search(con, "   ") == [] and search(con, "كلمةغيرموجودةابدا") == []
    assert len(search(con, "بوتين", limit=2)) == 2


def test_search_on_a_read_only_connection(con, tmp_path):
    build_index(con)
    con.close()
    ro = duckdb.connect(str(tmp_path / "news.duckdb"), read_only=True)
    try:
        assert search(ro, "هانغتشو")[0]["article_id"] == "000"
    finally:
        ro.close()


def test_stories_summary_view(con):
    create_stories_summary_view(con)
    rows = {r[0]: r for r in con.execute(
        "SELECT story_id, first_seen, outlets, article_count, top_entities, top_quote FROM stories_summary").fetchall()}
    assert set(rows) == {"sto_000", "sto_001", "sto_002"}
    g20 = rows["sto_000"]
    assert g20[3] == 3
    assert g20[2] == ["almayadeen.net", "arabic.cnn.com", "sana.sy"]
    assert g20[4][:2] == ["سوريا", "فلاديمير بوتين"]  # mentioned by 3 articles each; ties by name
    # a statement another outlet also quoted (ties: the longer), never the unlinked "غير طبيعي"
    assert g20[5].startswith("بالنسبة لي أن نتحدث")
    assert g20[1] is not None  # 004's date
    assert rows["sto_001"][2] == [] and rows["sto_001"][1].date() == dt.date(2016, 9, 3)
    assert rows["sto_002"][5] == "سنقدم كل أشكال الدعم"


def test_search_form_matches_the_index_folding():
    assert search_form("الأمريكية") == search_form("الامريكي")
    assert search_form("سورية") == "سوري"
