"""Full-text search and the stories_summary view (flows/search.py) on a small DuckDB of the seed pages."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import duckdb
import pytest

from flows import search as search_mod
from flows import warehouse
from flows.search import (
    build_index,
    create_stories_summary_view,
    fts_extension_path,
    index_is_current,
    load_fts,
    search,
    search_form,
    sync_index,
)
from schemas.tables import ALL_TABLES, INTERNAL_SCHEMA, duckdb_ddl
from tests.conftest import SEEDS_RAW
from transforms.arabic.morphology import FINAL_NISBA_RE2
from transforms.normalize import normalize_for_search

OUTLETS = {"000": "sana.sy", "001": None, "002": "sana.sy", "003": "almayadeen.net", "004": "arabic.cnn.com"}
STORY = {"000": "sto_000", "003": "sto_000", "004": "sto_000", "001": "sto_001", "002": "sto_002"}
DATES = {"001": dt.date(2016, 9, 3), "004": dt.date(2016, 9, 6)}


@pytest.fixture()
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "news.duckdb"))
    con.execute(f"CREATE SCHEMA {INTERNAL_SCHEMA}")
    for name, schema in ALL_TABLES.items():
        con.execute(duckdb_ddl(name, schema))
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for path in sorted(SEEDS_RAW.glob("*.txt")):
        key = path.name[:3]
        text = path.read_text(encoding="utf-8")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        headline = lines[1] if key == "002" else lines[0]  # 002 opens with a ticker label
        body = "\n\n".join(lines[1:])
        con.execute("INSERT INTO articles (article_id, content_sha256, headline, outlet_domain, published_date, body, "
                    "body_norm, story_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [key, hashlib.sha256(body.encode()).hexdigest(), headline, OUTLETS[key], DATES.get(key), body,
                     normalize_for_search(body), STORY[key], now])
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
    assert set(top) == {"article_id", "headline", "outlet_domain", "published_date", "score", "snippet", "copies"}
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


# --- the incremental index -------------------------------------------------------------------------------

QUERIES = ["الاتفاق حول سوريا", "بوتين", "لافروف", "هانغتشو", "الرئيس الروسي", "«سوريا»", "وزير الخارجية الأمريكي",
           "مجموعة العشرين", "2016", "في"]


def index_contents(con) -> tuple[list, list]:
    """The index as data, independent of how docids and termids were numbered."""
    postings = con.execute("""
        SELECT d.article_id, t.term, count(*) FROM internal.search_postings p JOIN internal.search_docs d USING (docid)
        JOIN internal.search_terms t USING (termid) GROUP BY ALL ORDER BY ALL""").fetchall()
    docs = con.execute("SELECT article_id, content_sha256, headline, len FROM internal.search_docs ORDER BY ALL").fetchall()
    return postings, docs


def rankings(con) -> dict[str, list[tuple[str, float]]]:
    return {q: [(h["article_id"], h["score"]) for h in search(con, q)] for q in QUERIES}


def assert_same_rankings(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for q in want:
        assert [a for a, _ in got[q]] == [a for a, _ in want[q]], q
        assert [s for _, s in got[q]] == pytest.approx([s for _, s in want[q]], rel=1e-12), q


def hold_out(con, ids: list[str]) -> None:
    """Take articles out of the warehouse (kept aside in a temp table, for ``put_back``)."""
    con.execute("CREATE OR REPLACE TEMP TABLE held AS SELECT * FROM articles WHERE article_id IN "
                "(SELECT unnest(?::VARCHAR[]))", [ids])
    con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM held)")


def put_back(con) -> None:
    con.execute("INSERT INTO articles SELECT * FROM held")


def docids(con) -> dict[str, int]:
    return dict(con.execute("SELECT article_id, docid FROM internal.search_docs").fetchall())


def test_sync_indexes_only_the_new_articles_and_matches_a_fresh_build(con):
    hold_out(con, ["001", "003"])
    assert sync_index(con) == 3
    first = docids(con)
    assert sorted(first) == ["000", "002", "004"]
    put_back(con)
    assert sync_index(con) == 2
    after = docids(con)
    assert sorted(after) == ["000", "001", "002", "003", "004"]
    assert {a: after[a] for a in first} == first  # the three already indexed were left alone
    incremental, ranked = index_contents(con), rankings(con)
    assert ranked["الاتفاق حول سوريا"][0][0] in {"000", "003", "004"}
    assert build_index(con) == 5
    assert index_contents(con) == incremental
    assert_same_rankings(rankings(con), ranked)


def test_changed_articles_are_indexed_again(con):
    build_index(con)
    assert search(con, "كلمةمضافةحديثا") == []
    body = con.execute("SELECT body FROM articles WHERE article_id = '004'").fetchone()[0] + "\n\nكلمةمضافةحديثا"
    con.execute("UPDATE articles SET body = ?, body_norm = ?, content_sha256 = ? WHERE article_id = '004'",
                [body, normalize_for_search(body), hashlib.sha256(body.encode()).hexdigest()])
    assert sync_index(con) == 1
    assert [h["article_id"] for h in search(con, "كلمةمضافةحديثا")] == ["004"]
    # a new headline alone (the body hash unchanged) is seen too
    con.execute("UPDATE articles SET headline = 'عنوان جديد عن الزرافات' WHERE article_id = '001'")
    assert sync_index(con) == 1
    assert [h["article_id"] for h in search(con, "الزرافات")] == ["001"]
    assert [h["headline"] for h in search(con, "الزرافات")] == ["عنوان جديد عن الزرافات"]
    incremental, ranked = index_contents(con), rankings(con)
    build_index(con)
    assert index_contents(con) == incremental
    assert_same_rankings(rankings(con), ranked)


def test_deleted_articles_leave_the_index(con):
    build_index(con)
    assert search(con, "لافروف")[0]["article_id"] == "002"
    gone = docids(con)["002"]
    con.execute("DELETE FROM articles WHERE article_id = '002'")
    assert not index_is_current(con)
    assert sync_index(con) == 0  # nothing (re)indexed, one removed
    assert "002" not in {h["article_id"] for h in search(con, "لافروف")}
    assert con.execute("SELECT count(*) FROM internal.search_docs").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM internal.search_postings WHERE docid = ?", [gone]).fetchone()[0] == 0
    incremental, ranked = index_contents(con), rankings(con)
    build_index(con)
    assert index_contents(con) == incremental
    assert_same_rankings(rankings(con), ranked)


def test_sync_inside_a_transaction_is_undone_by_rollback(con):
    hold_out(con, ["003"])
    sync_index(con)
    before, ranked = index_contents(con), rankings(con)
    con.execute("BEGIN TRANSACTION")
    put_back(con)
    con.execute("DELETE FROM articles WHERE article_id = '002'")
    assert sync_index(con) == 1  # it joined this transaction instead of committing one of its own
    assert "003" in docids(con) and "002" not in docids(con)
    con.execute("ROLLBACK")
    assert index_contents(con) == before
    assert_same_rankings(rankings(con), ranked)
    assert sorted(docids(con)) == ["000", "001", "002", "004"]
    # and with COMMIT it stays
    con.execute("BEGIN TRANSACTION")
    put_back(con)
    assert sync_index(con) == 1
    con.execute("COMMIT")
    assert sorted(docids(con)) == ["000", "001", "002", "003", "004"]


def test_a_failed_sync_leaves_the_index_as_it_was(con, monkeypatch):
    build_index(con)
    before = index_contents(con)
    con.execute("UPDATE articles SET headline = 'عنوان آخر', content_sha256 = 'x' WHERE article_id = '000'")
    real = search_mod._add_docs

    def add_then_fail(c):
        real(c)
        raise RuntimeError("killed half way")

    monkeypatch.setattr(search_mod, "_add_docs", add_then_fail)
    with pytest.raises(RuntimeError, match="half way"):
        sync_index(con)
    assert index_contents(con) == before  # its own transaction was rolled back
    monkeypatch.setattr(search_mod, "_add_docs", real)
    assert sync_index(con) == 1


def test_nothing_to_do(con):
    assert not index_is_current(con)
    assert sync_index(con) == 5
    create_stories_summary_view(con)
    assert index_is_current(con)
    assert sync_index(con) == 0
    con.execute("BEGIN TRANSACTION")
    assert sync_index(con) == 0
    con.execute("COMMIT")
    # re-publishing the same rows (delete + insert, as publish does) changes nothing to index
    hold_out(con, ["000", "004"])
    put_back(con)
    assert index_is_current(con) and sync_index(con) == 0
    con.execute("INSERT INTO articles (article_id, headline, body_norm) VALUES ('005', 'بوتين', 'قال بوتين')")
    assert not index_is_current(con)
    assert sync_index(con) == 1 and index_is_current(con)


def reference_bm25(con, query: str) -> list[tuple[str, float]]:
    """The ranking of the earlier PRAGMA-based index: the fts extension's own create_fts_index and match_bm25
    over the same two normalised fields, stemmer, stopwords and tokeniser."""
    load_fts(con)
    rows = con.execute("SELECT article_id, headline FROM articles").fetchall()
    con.execute("CREATE OR REPLACE TABLE ref_heads (article_id VARCHAR, headline_norm VARCHAR)")
    con.executemany("INSERT INTO ref_heads VALUES (?, ?)", [(a, search_form(h or "")) for a, h in rows])
    con.execute("CREATE OR REPLACE TABLE ref_docs AS SELECT h.article_id, h.headline_norm, "
                f"regexp_replace(coalesce(a.body_norm, ''), '{FINAL_NISBA_RE2}', 'ي\\1', 'g') AS body_norm "
                "FROM ref_heads h JOIN articles a USING (article_id)")
    con.execute("CREATE OR REPLACE TABLE ref_stopwords (sw VARCHAR)")
    con.executemany("INSERT INTO ref_stopwords VALUES (?)", [[w] for w in search_mod._stopwords()])
    con.execute("PRAGMA create_fts_index('ref_docs', 'article_id', 'headline_norm', 'body_norm', stemmer='arabic', "
                f"stopwords='ref_stopwords', ignore='{search_mod._IGNORE}', strip_accents=0, lower=1, overwrite=1)")
    return con.execute("SELECT article_id, score FROM (SELECT article_id, fts_main_ref_docs.match_bm25(article_id, ?) "
                       "AS score FROM ref_docs) WHERE score IS NOT NULL ORDER BY score DESC, article_id",
                       [search_form(query)]).fetchall()


def test_scores_are_the_fts_extensions_bm25(con):
    build_index(con)
    for q in QUERIES:
        want = reference_bm25(con, q)
        got = [(h["article_id"], h["score"]) for h in search(con, q, limit=10)]
        assert [a for a, _ in got] == [a for a, _ in want], q
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-12), q
    assert reference_bm25(con, "بوتين")  # the comparison compared something


def test_sync_replaces_the_pragma_index_of_older_versions(con, tmp_path):
    # What earlier versions left in schema main: search_docs (article_id, headline_norm, body_norm), its fts_main_
    # schema and a stopword table; warehouse.connect would also have added the declared columns. The next
    # writable connect moves the internal tables to their schema, and the next sync rebuilds the index there.
    for name in ("search_docs", "search_terms", "search_postings", "search_meta"):
        con.execute(f"DROP TABLE internal.{name}")
    con.execute("CREATE TABLE search_docs AS SELECT article_id, headline AS headline_norm, body_norm FROM articles")
    con.execute("CREATE TABLE search_stopwords (sw VARCHAR)")
    load_fts(con)
    con.execute("PRAGMA create_fts_index('search_docs', 'article_id', 'headline_norm', 'body_norm')")
    for col, typ in (("docid", "INTEGER"), ("content_sha256", "VARCHAR"), ("headline", "VARCHAR"), ("len", "INTEGER")):
        con.execute(f"ALTER TABLE search_docs ADD COLUMN {col} {typ}")
    con.close()
    con = warehouse.connect(warehouse.Layout(tmp_path))
    assert con.execute("SELECT list(DISTINCT schema_name) FROM duckdb_tables() WHERE table_name = 'search_docs'"
                       ).fetchone()[0] == ["internal"]
    assert sync_index(con) == 5
    assert con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name LIKE 'fts_main%'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'search_stopwords'").fetchone()[0] == 0
    cols = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'search_docs' "
                                      "ORDER BY column_index").fetchall()]
    assert cols == ["docid", "article_id", "content_sha256", "headline", "len"]
    assert sync_index(con) == 0
    con.close()


def test_a_new_stopword_list_rebuilds_the_index(con, monkeypatch):
    assert sync_index(con) == 5
    assert sync_index(con) == 0
    monkeypatch.setattr(search_mod, "index_fingerprint", lambda: "another-list")
    assert not index_is_current(con)
    assert sync_index(con) == 5
    assert sync_index(con) == 0


def test_phrases_are_read_from_double_quotes_guillemets_and_curly_quotes():
    from flows.search import parse_query

    assert parse_query('"مجلس الأمن" سوريا «وقف إطلاق النار»') == (
        "مجلس الأمن سوريا وقف إطلاق النار", ["مجلس الأمن", "وقف إطلاق النار"])
    assert parse_query("“الولايات المتحدة” روسيا") == ("الولايات المتحدة روسيا", ["الولايات المتحدة"])
    assert parse_query('بوتين "') == ("بوتين", [])  # an unmatched quote is no phrase


def test_search_form_in_sql_gives_the_tokens_of_search_form_on_every_seed_text(con):
    """The SQL fold behind the search_articles macro gives the tokens the Python rule it is made from gives (it
    leaves out NFKC's multi-character folds, such as … → ..., which tokenising drops anyway)."""
    from flows.search import _tokenize_sql, search_form_sql

    def tokens_sql(expr: str) -> str:
        return f"list_filter({_tokenize_sql(expr)}, t -> len(t) > 0)"

    rows = con.execute(f"SELECT headline, {tokens_sql(search_form_sql('headline'))}, "
                       f"body, {tokens_sql(search_form_sql('body'))} FROM articles").fetchall()
    assert len(rows) == 5
    for headline, headline_tokens, body, body_tokens in rows:
        assert headline_tokens == con.execute(f"SELECT {tokens_sql('?')}", [search_form(headline)]).fetchone()[0]
        assert body_tokens == con.execute(f"SELECT {tokens_sql('?')}", [search_form(body)]).fetchone()[0]
    q = "  الإتفاقُ   حول سورية ٢٠١٦\u200f"
    assert con.execute(f"SELECT {search_form_sql('?')}", [q]).fetchone()[0] == search_form(q) == "الاتفاق حول سوري 2016"


def test_a_phrase_must_appear_as_written_in_order(con):
    build_index(con)
    loose = {h["article_id"] for h in search(con, "مع الولايات المتحدة", limit=10)}
    phrase = search(con, '"مع الولايات المتحدة"', limit=10)
    bodies = dict(con.execute("SELECT article_id, headline || ' ' || body FROM articles").fetchall())
    assert {h["article_id"] for h in phrase} == {a for a in loose if "مع الولايات المتحدة" in bodies[a]}
    assert phrase and len(phrase) < len(loose)
    assert search(con, '"المتحدة الولايات مع"', limit=10) == []  # the same words in another order


def test_snippets_mark_the_matching_words_as_the_body_writes_them(con):
    build_index(con)
    hits = search(con, "سوريا", limit=10)
    assert hits

    def stem(word: str) -> str:  # as the index stems a token
        return con.execute("SELECT stem(?, 'arabic')", [search_form(word).strip("،.:\"")]).fetchone()[0]

    for h in hits:
        marked = re.findall(r"\[([^\]]+)\]", h["snippet"])
        assert marked and {stem(w) for w in marked} == {stem("سوريا")}, h["snippet"]
    assert any("[السورية]" in h["snippet"] for h in hits)  # the same stem, as the body writes it
