"""Full-text search over the warehouse (DuckDB ``fts``, offline) and the ``stories_summary`` view.

The ``fts`` extension is loaded from the file shipped by the PyPI package ``duckdb-ext-fts`` (no network).
The index covers a side table ``search_docs`` (article_id, headline_norm, body_norm): the headline is put
in the same ``normalize_for_search`` form as ``body_norm``, and queries are normalised the same way, so
``أ``/``ا``, ``ة``/``ه`` and diacritics never decide a match. Snowball's Arabic stemmer folds affixes;
the stopword list is ``seeds/stories.json`` → ``search_stopwords``.
"""
from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms.normalize import normalize_for_search

ROOT = Path(__file__).resolve().parent.parent
SEARCH_TABLE = "search_docs"
STOPWORDS_TABLE = "search_stopwords"
# Tokens are runs of letters and digits of any script (the default keeps a-z only and would drop Arabic).
_IGNORE = r"[^\p{L}\p{N}]+"
# Search-only folding on top of body_norm: a word-final ا/ه after ي goes (سوريا/سوريه, الامريكيه/الامريكي),
# which the Arabic stemmer leaves apart. Applied to the indexed text (in SQL) and to queries (in Python).
_NISBA_SQL = r"ي[اه]([^\p{L}\p{N}]|$)"
_NISBA = re.compile(r"ي[اه](?=[^\w]|$)")


@cache
def fts_extension_path() -> Path:
    """The ``fts`` extension file of the installed ``duckdb-ext-fts`` package, for this DuckDB version."""
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("duckdb-ext-fts is not installed (pip install duckdb-ext-fts)")
    for base in spec.submodule_search_locations:
        root = Path(base) / "extensions"
        found = sorted(root.glob(f"v{duckdb.__version__}/*/fts.duckdb_extension")) or \
            sorted(root.glob("*/*/fts.duckdb_extension"))
        if found:
            return found[0]
    raise RuntimeError("fts.duckdb_extension not found in the duckdb-ext-fts package")


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the ``fts`` extension from the package file (works offline and on read-only connections)."""
    con.execute(f"LOAD '{fts_extension_path().as_posix()}'")


@cache
def _stopwords() -> tuple[str, ...]:
    with open(ROOT / "seeds" / "stories.json", encoding="utf-8") as fh:
        words = json.load(fh)["search_stopwords"]
    return tuple(sorted({search_form(w) for w in words}))


def search_form(text: str) -> str:
    """A query or headline as indexed: ``normalize_for_search`` plus the word-final ي+ا/ه folding.

    >>> search_form("الاتفاق حول سورية") == search_form("الإتفاق حول سوريا")
    True
    """
    return _NISBA.sub("ي", normalize_for_search(text))


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the search table holds exactly the published articles (False if missing or stale)."""
    try:
        n_index, n_articles = con.execute(
            f"SELECT (SELECT count(*) FROM {SEARCH_TABLE}), (SELECT count(*) FROM articles)").fetchone()
        con.execute("SELECT 1 FROM information_schema.views WHERE table_name = 'stories_summary'").fetchone()[0]
    except (duckdb.Error, TypeError):
        return False
    return n_index == n_articles


def build_index(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build the search table and its BM25 index from ``articles``; returns the number of documents."""
    load_fts(con)
    rows = con.execute("SELECT article_id, headline FROM articles").fetchall()
    heads = pa.table({"article_id": [r[0] for r in rows],
                      "headline_norm": [search_form(r[1] or "") for r in rows]})
    con.register("_heads", heads)
    # body_norm is folded in SQL (C++ regex over the whole column), headlines were normalised in Python.
    con.execute(
        f"CREATE OR REPLACE TABLE {SEARCH_TABLE} AS "
        f"SELECT h.article_id, h.headline_norm, "
        f"regexp_replace(coalesce(a.body_norm, ''), '{_NISBA_SQL}', 'ي\\1', 'g') AS body_norm "
        f"FROM _heads h JOIN articles a USING (article_id)")
    con.unregister("_heads")
    con.execute(f"CREATE OR REPLACE TABLE {STOPWORDS_TABLE} (sw VARCHAR)")
    con.executemany(f"INSERT INTO {STOPWORDS_TABLE} VALUES (?)", [[w] for w in _stopwords()])
    con.execute(
        f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'article_id', 'headline_norm', 'body_norm', "
        f"stemmer='arabic', stopwords='{STOPWORDS_TABLE}', ignore='{_IGNORE}', strip_accents=0, lower=1, "
        "overwrite=1)")
    return len(rows)


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[dict]:
    """Best-matching articles for a query (BM25): article_id, headline, outlet_domain, published_date, score."""
    q = search_form(query)
    if not q:
        return []
    load_fts(con)
    cur = con.execute(
        f"""
        SELECT a.article_id, a.headline, a.outlet_domain, a.published_date, s.score
        FROM (SELECT article_id, fts_main_{SEARCH_TABLE}.match_bm25(article_id, ?) AS score
              FROM {SEARCH_TABLE}) s
        JOIN articles a USING (article_id)
        WHERE s.score IS NOT NULL
        ORDER BY s.score DESC, a.article_id
        LIMIT ?
        """, [q, int(limit)])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


STORIES_SUMMARY_SQL = """
CREATE OR REPLACE VIEW stories_summary AS
WITH arts AS (
    SELECT story_id, article_id, outlet_domain,
           coalesce(published_at, CAST(published_date AS TIMESTAMPTZ), ingested_at) AS seen
    FROM articles WHERE story_id IS NOT NULL
),
ents AS (
    SELECT a.story_id, e.canonical_name, count(DISTINCT m.article_id) AS n
    FROM arts a JOIN mentions m USING (article_id) JOIN entities e USING (entity_id)
    GROUP BY a.story_id, e.canonical_name
),
top_ents AS (
    SELECT story_id, list(canonical_name ORDER BY n DESC, canonical_name)[1:5] AS top_entities
    FROM ents GROUP BY story_id
),
link_counts AS (
    SELECT qid, count(*) AS links FROM (
        SELECT quote_id AS qid FROM quote_links UNION ALL SELECT other_quote_id FROM quote_links)
    GROUP BY qid
),
top_quotes AS (
    -- the statement quoted by the most other articles; ties: the longest, then the first quote_id
    SELECT a.story_id,
           first(q.text ORDER BY coalesce(l.links, 0) DESC, length(q.text) DESC, q.quote_id) AS top_quote
    FROM arts a JOIN quotes q USING (article_id) LEFT JOIN link_counts l ON l.qid = q.quote_id
    GROUP BY a.story_id
)
SELECT s.story_id, min(s.seen) AS first_seen,
       coalesce(list(DISTINCT s.outlet_domain ORDER BY s.outlet_domain)
                FILTER (WHERE s.outlet_domain IS NOT NULL), []) AS outlets,
       count(*) AS article_count,
       coalesce(any_value(t.top_entities), []) AS top_entities,
       any_value(tq.top_quote) AS top_quote
FROM arts s LEFT JOIN top_ents t USING (story_id) LEFT JOIN top_quotes tq USING (story_id)
GROUP BY s.story_id
"""


def create_stories_summary_view(con: duckdb.DuckDBPyConnection) -> None:
    """The contract view ``stories_summary``: story_id, first_seen, outlets, article_count, top_entities, top_quote."""
    con.execute(STORIES_SUMMARY_SQL)
