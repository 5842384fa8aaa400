"""Full-text search over the warehouse (BM25, Snowball Arabic stems, offline) and the ``stories_summary`` view.

The index is four tables of our own, declared in ``schemas/tables.py`` and kept in step with ``articles``
by ``sync_index`` at a cost that follows the articles new, changed or gone since the last sync:

- ``search_docs``: one row per indexed article (``docid``, ``article_id``), with the ``content_sha256``
  and ``headline`` it was indexed with (how a changed article is noticed) and ``len``, its term count;
- ``search_terms``: the dictionary, ``termid`` → ``term`` (a Snowball Arabic stem);
- ``search_postings``: ``(docid, termid)``, one row per indexed token of the headline and body;
- ``search_meta``: the fingerprint of the tokeniser, folding and stopwords that built the index.

Text is tokenised and stemmed in SQL (the ``stem`` function of the ``fts`` extension, loaded from the file
shipped by the PyPI package ``duckdb-ext-fts``: no network). The headline is put in the same
``normalize_for_search`` form as ``body_norm``, and queries are normalised the same way, so ``أ``/``ا``,
``ة``/``ه`` and diacritics never decide a match. The stopword list is ``seeds/stories.json`` →
``search_stopwords``. Tokens, terms and scores are those of the extension's ``PRAGMA create_fts_index`` /
``match_bm25`` over headline and body, which this module used before: that PRAGMA rebuilt everything on
every run, with correlated UPDATEs whose cost grew with the whole warehouse.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from schemas.tables import INTERNAL, VIEWS, comment_statements, duckdb_ddl, qualified
from transforms import seeds
from transforms.arabic.morphology import FINAL_NISBA_RE2, FINAL_NISBA_RE2_REPLACEMENT
from transforms.normalize import search_form

# The index tables, in the internal schema (schemas/tables.py): names as declared, and as SQL writes them.
_INDEX_NAMES = ("search_docs", "search_terms", "search_postings", "search_meta")
DOCS_TABLE, TERMS_TABLE, POSTINGS_TABLE, META_TABLE = (qualified(n) for n in _INDEX_NAMES)
_INDEX_TABLES = (DOCS_TABLE, TERMS_TABLE, POSTINGS_TABLE, META_TABLE)
# Bump when the indexed text changes in a way the fingerprint cannot see (``search_form``'s code, the
# table layout): a warehouse indexed under another version is rebuilt by its next sync.
INDEX_VERSION = 2
STEMMER = "arabic"
# Tokens are runs of letters and digits of any script (the default keeps a-z only and would drop Arabic).
_IGNORE = r"[^\p{L}\p{N}]+"
# Search-only folding on top of body_norm, applied to the indexed text (in SQL, here) and to queries and
# headlines (``search_form``): transforms.arabic.morphology.fold_final_nisba.
# BM25 parameters: the defaults of the extension's match_bm25.
BM25_K = 1.2
BM25_B = 0.75


class IndexMissingError(RuntimeError):
    """``search`` on a warehouse whose index was never built by this version (its next run builds it)."""


def _tokenize_sql(expr: str) -> str:
    """SQL for the token list of a text: the ``tokenize`` macro that ``create_fts_index`` wrote (lower=1,
    strip_accents=0), kept character for character so that tokens, and so scores, stay the same."""
    return f"string_split_regex(regexp_replace(lower({expr}), '{_IGNORE}', ' ', 'g'), '\\s+')"


def _fold_nisba_sql(expr: str) -> str:
    """SQL applying the ي+ا/ه folding to a text (what ``search_form`` does for queries and headlines)."""
    return f"regexp_replace({expr}, '{FINAL_NISBA_RE2}', '{FINAL_NISBA_RE2_REPLACEMENT}', 'g')"


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
    con.load_extension(fts_extension_path().as_posix())  # by the client API: the path is never put in SQL


@cache
def _stopwords() -> tuple[str, ...]:
    return tuple(sorted({search_form(w) for w in seeds.stories()["search_stopwords"]}))


@cache
def index_fingerprint() -> str:
    """What the index is a function of besides the articles: a different value means rebuild it.

    >>> len(index_fingerprint())
    16
    """
    spec = [INDEX_VERSION, STEMMER, _IGNORE, FINAL_NISBA_RE2, list(_stopwords())]
    return hashlib.sha256(json.dumps(spec, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _has_tables(con: duckdb.DuckDBPyConnection, *names: str) -> bool:
    """Whether the tables exist (names as SQL writes them: ``articles``, ``internal.search_docs``)."""
    # Asked of the catalog rather than tried: inside the caller's transaction a failed statement would
    # abort the whole transaction (and so the publish).
    found = con.execute("SELECT count(DISTINCT (schema_name, table_name)) FROM duckdb_tables() WHERE database_name "
                        "= current_database() AND (CASE schema_name WHEN 'main' THEN table_name "
                        "ELSE schema_name || '.' || table_name END) IN (SELECT unnest(?::VARCHAR[]))",
                        [list(names)]).fetchone()[0]
    return found == len(set(names))


def _index_is_valid(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index tables exist, with their declared columns, and were built by this tokeniser,
    folding and stopword list."""
    if not _has_tables(con, *_INDEX_TABLES):
        return False
    # An older search_docs (article_id, headline_norm, body_norm) may have had columns added by
    # warehouse.connect: only the declared layout, and a matching fingerprint, count as this index.
    schema, name = DOCS_TABLE.split(".")
    cols = con.execute("SELECT list(column_name ORDER BY column_index) FROM duckdb_columns() WHERE "
                       "database_name = current_database() AND schema_name = ? AND table_name = ?",
                       [schema, name]).fetchone()[0]
    if cols != INTERNAL[name].names:
        return False
    return con.execute(f"SELECT list(fingerprint) FROM {META_TABLE}").fetchone()[0] == [index_fingerprint()]


# Articles to (re)index: absent from the index, or indexed with another body or headline. ``content_sha256``
# covers ``body`` and so ``body_norm`` (a function of it); with a NULL hash (never written by the pipeline)
# only a headline change is seen.
_STALE_SQL = f"""
SELECT a.article_id, a.content_sha256, a.headline
FROM articles a LEFT JOIN {DOCS_TABLE} d USING (article_id)
WHERE d.article_id IS NULL OR d.content_sha256 IS DISTINCT FROM a.content_sha256
   OR d.headline IS DISTINCT FROM a.headline
"""
_GONE_SQL = f"SELECT docid FROM {DOCS_TABLE} WHERE article_id NOT IN (SELECT article_id FROM articles)"


def _has_work(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether some article is to be (re)indexed or some indexed one is gone (the index being valid)."""
    return con.execute(f"SELECT EXISTS ({_STALE_SQL}) OR EXISTS ({_GONE_SQL})").fetchone()[0]


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``sync_index`` would have nothing to do, and the ``stories_summary`` view exists.

    Only reads (fine on a read-only connection or inside a transaction). The view is part of the answer
    because publish makes both after loading: a run killed in between leaves this False.
    """
    if not _has_tables(con, "articles") or not _index_is_valid(con):
        return False
    if con.execute("SELECT count(*) FROM information_schema.views WHERE table_name = 'stories_summary'"
                   ).fetchone()[0] == 0:
        return False
    return not _has_work(con)


def _in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` is inside an explicit transaction (BEGIN … COMMIT).

    In auto-commit mode every statement runs in a transaction of its own, so two statements see two ids;
    inside one transaction they see the same. (Probing with BEGIN would abort the caller's transaction.)

    >>> con = duckdb.connect()
    >>> _in_transaction(con), con.execute("BEGIN") is con and _in_transaction(con)
    (False, True)
    """
    first = con.execute("SELECT txid_current()").fetchone()[0]
    return con.execute("SELECT txid_current()").fetchone()[0] == first


def _reset_index(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the index tables (and what the PRAGMA-based index of older versions left) and create them empty."""
    if con.execute("SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() "
                   "AND schema_name = 'fts_main_search_docs'").fetchone()[0]:
        con.execute("DROP SCHEMA fts_main_search_docs CASCADE")
    con.execute("DROP TABLE IF EXISTS search_stopwords")
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {DOCS_TABLE.split('.')[0]}")
    for name in _INDEX_NAMES:
        # Dropped rather than emptied: an older search_docs had other columns (headline_norm, body_norm).
        con.execute(f"DROP TABLE IF EXISTS {qualified(name)}")
        con.execute(duckdb_ddl(name, INTERNAL[name]))
        for statement in comment_statements(name, INTERNAL[name]):
            con.execute(statement)
    con.execute(f"INSERT INTO {META_TABLE} VALUES (?)", [index_fingerprint()])


def _sync(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the index in line with ``articles`` (the caller holds the transaction); returns docs indexed."""
    # New docids start above every current one, so they never meet postings of a doc being dropped.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _search_todo AS
        SELECT s.*, ((SELECT coalesce(max(docid) + 1, 0) FROM {DOCS_TABLE})
                     + row_number() OVER (ORDER BY s.article_id) - 1)::INTEGER AS docid
        FROM ({_STALE_SQL}) s""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _search_drop AS
        SELECT docid FROM {DOCS_TABLE} WHERE article_id IN (SELECT article_id FROM _search_todo)
        UNION ALL {_GONE_SQL}""")
    if con.execute("SELECT count(*) FROM _search_drop").fetchone()[0]:
        for name in (POSTINGS_TABLE, DOCS_TABLE):
            con.execute(f"DELETE FROM {name} WHERE docid IN (SELECT docid FROM _search_drop)")
    n_todo = con.execute("SELECT count(*) FROM _search_todo").fetchone()[0]
    if n_todo:
        _add_docs(con)
    # Not in a ``finally``: after an error the transaction is aborted (these would fail and hide the error)
    # and its rollback takes the temp tables with it.
    for name in ("_search_todo", "_search_drop", "_search_pieces", "_search_map"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return n_todo


def _add_docs(con: duckdb.DuckDBPyConnection) -> None:
    """Index the articles of ``_search_todo`` (none of them is in the index now)."""
    # Headlines are folded in Python, for these rows only: search_form starts with NFKC, which DuckDB lacks
    # (and headlines are short). Bodies never leave DuckDB.
    rows = con.execute("SELECT docid, headline FROM _search_todo").fetchall()
    heads = pa.table({"docid": pa.array([r[0] for r in rows], pa.int32()),
                      "txt": pa.array([search_form(r[1] or "") for r in rows], pa.string())})
    # A space always ends a token (it is in the ignore class), so the tokens of a text are those of its
    # space-separated chunks, in order, and the ي+ا/ه pattern sees a chunk's end as it sees the space after
    # it. So the costly steps (lower, the regexps, the stemmer) run once per distinct chunk or word of the
    # new articles rather than once per occurrence; only the split and one join run over all their text.
    # Headlines got the ي+ا/ه folding from search_form; body_norm gets it here, as before.
    heads_chunks = "SELECT docid, unnest(string_split(txt, ' ')) AS c FROM _search_heads"
    body_chunks = ("SELECT t.docid, unnest(string_split(coalesce(a.body_norm, ''), ' ')) AS c "
                   "FROM articles a JOIN _search_todo t USING (article_id)")
    tokens = _tokenize_sql(f"CASE WHEN body THEN {_fold_nisba_sql('c')} ELSE c END")
    con.register("_search_heads", heads)
    try:
        # The tokens of each distinct chunk; as in create_fts_index, empty tokens and stopwords (compared
        # before stemming) are dropped.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _search_pieces AS
            WITH chunks AS (
                SELECT DISTINCT false AS body, c FROM ({heads_chunks})
                UNION ALL
                SELECT DISTINCT true AS body, c FROM ({body_chunks})
            )
            SELECT body, c, w FROM (SELECT body, c, unnest({tokens}) AS w FROM chunks)
            WHERE len(w) > 0 AND w NOT IN (SELECT unnest(?::VARCHAR[]))""", [list(_stopwords())])
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _search_map AS
            WITH words AS (SELECT w, stem(w, '{STEMMER}') AS term FROM (SELECT DISTINCT w FROM _search_pieces))
            SELECT p.body, p.c, w.term FROM _search_pieces p JOIN words w USING (w)""")
        # Terms never seen before join the dictionary (numbered in term order, so that a from-scratch build
        # is reproducible); terms of deleted articles stay, unused, which costs nothing.
        con.execute(f"""
            INSERT INTO {TERMS_TABLE} (termid, term)
            SELECT ((SELECT coalesce(max(termid) + 1, 0) FROM {TERMS_TABLE})
                    + row_number() OVER (ORDER BY term) - 1)::INTEGER, term
            FROM (SELECT DISTINCT term FROM _search_map WHERE term NOT IN (SELECT term FROM {TERMS_TABLE}))""")
        # One join per field on the chunk alone: over millions of rows a (field, chunk) key cost twice as much.
        con.execute(f"""
            INSERT INTO {POSTINGS_TABLE} (docid, termid)
            WITH m AS MATERIALIZED (SELECT body, c, termid FROM _search_map JOIN {TERMS_TABLE} USING (term))
            SELECT ch.docid, m.termid FROM ({heads_chunks}) ch JOIN (SELECT * FROM m WHERE NOT body) m USING (c)
            UNION ALL
            SELECT ch.docid, m.termid FROM ({body_chunks}) ch JOIN (SELECT * FROM m WHERE body) m USING (c)""")
    finally:
        con.unregister("_search_heads")  # (works in an aborted transaction too)
    # New docids are above every older one: zone maps keep this scan to the rows just written.
    con.execute(f"""
        INSERT INTO {DOCS_TABLE} (docid, article_id, content_sha256, headline, len)
        SELECT t.docid, t.article_id, t.content_sha256, t.headline, coalesce(n.len, 0)::INTEGER
        FROM _search_todo t LEFT JOIN (
            SELECT docid, count(*) AS len FROM {POSTINGS_TABLE}
            WHERE docid >= (SELECT min(docid) FROM _search_todo) GROUP BY docid) n USING (docid)""")


def _run_sync(con: duckdb.DuckDBPyConnection, rebuild: bool) -> int:
    """``_sync`` (after a reset when asked for, or when the index is not this version's), in the caller's
    transaction if there is one, else in a transaction of its own."""
    rebuild = rebuild or not _index_is_valid(con)
    if not rebuild and not _has_work(con):
        return 0  # the common case after a run that loaded nothing: no transaction, no temp tables
    load_fts(con)
    own = not _in_transaction(con)
    if own:
        con.execute("BEGIN TRANSACTION")
    try:
        if rebuild:
            _reset_index(con)
        n = _sync(con)
        if own:
            con.execute("COMMIT")
    except BaseException:
        if own:
            con.execute("ROLLBACK")
        raise
    return n


def sync_index(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the search index in line with ``articles``; returns how many articles it (re)indexed.

    Indexes the articles absent from the index and those whose ``content_sha256`` or ``headline`` changed,
    and drops the index rows of articles that are gone. The cost follows those articles; with nothing to do
    it is a few anti-joins over ``articles`` and ``search_docs``. An index built with another tokeniser,
    folding or stopword list, or by the PRAGMA-based versions of this module, is rebuilt from scratch.

    Inside an open transaction it only adds statements to it, so that a ROLLBACK undoes it with the rest
    (publish can call it between its BEGIN and COMMIT, making the index atomic with the data); otherwise it
    runs in a transaction of its own. An error inside the caller's transaction leaves that transaction
    aborted: the caller rolls back, as for any other failed statement.

    >>> from schemas.tables import ARTICLES
    >>> con = duckdb.connect()
    >>> con.execute(duckdb_ddl("articles", ARTICLES)) is con
    True
    >>> _ = con.execute("INSERT INTO articles (article_id, headline, body_norm) VALUES ('a', 'بوتين', 'قال')")
    >>> sync_index(con), sync_index(con)
    (1, 0)
    """
    return _run_sync(con, rebuild=False)


def build_index(con: duckdb.DuckDBPyConnection) -> int:
    """Drop the search index and build it again from ``articles``; returns the number of documents.

    Same transaction rules as ``sync_index``, which is what runs need; this is for an index suspected
    wrong in a way ``sync_index`` cannot see.
    """
    return _run_sync(con, rebuild=True)


# Code points whose fold is worth writing into SQL: the Arabic blocks and their presentation forms, general
# punctuation (the invisible controls), and the full-width forms NFKC maps to ASCII.
_FOLD_RANGES = ((0x0080, 0x08FF), (0x2000, 0x206F), (0xFB50, 0xFEFF), (0xFF00, 0xFFEF))


@cache
def _fold_translation() -> tuple[str, str]:
    """The one-character folds of ``search_form`` as the two strings of SQL's ``translate`` (a character of the
    first with no counterpart in the second is deleted), made by folding each code point with
    ``transforms.arabic.fold.fold_arabic`` itself: the rules stay in one place. Folds into several characters
    (NFKC's ligatures such as ﷺ) are left out: a query typed with them matches less."""
    from transforms.arabic.fold import fold_arabic

    mapped, targets, deleted = [], [], []
    for lo, hi in _FOLD_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            folded = fold_arabic(ch)
            if folded == ch or len(folded) > 1:
                continue
            (mapped if folded else deleted).append(ch)
            if folded:
                targets.append(folded)
    return "".join(mapped) + "".join(deleted), "".join(targets)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def search_form_sql(expr: str) -> str:
    """SQL for ``search_form`` of a text, for where Python cannot run (a macro in DuckDB's shell): the
    character folds of ``fold_arabic``, whitespace collapsed, and the word-final ي+ا/ه folding. It differs
    from ``search_form`` only on NFKC's multi-character folds.

    >>> con = duckdb.connect()
    >>> q = "  الإتفاقُ   حول سورية ٢٠١٦"
    >>> con.execute(f"SELECT {search_form_sql('?')}", [q]).fetchone()[0] == search_form(q)
    True
    """
    src, dst = _fold_translation()
    folded = f"translate({expr}, {_sql_literal(src)}, {_sql_literal(dst)})"
    return _fold_nisba_sql(f"trim(regexp_replace({folded}, '\\s+', ' ', 'g'))")


def _word_string_sql(expr: str) -> str:
    """SQL for a text as its tokens between single spaces, with a space at each end: a phrase is found in a
    text when the phrase's word string is inside the text's, whatever punctuation stood between the words."""
    return f"(' ' || trim(regexp_replace(lower({expr}), '{_IGNORE}', ' ', 'g')) || ' ')"


_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|«([^»]+)»')


def parse_query(query: str) -> tuple[str, list[str]]:
    """A query's loose words and its phrases (in double quotes, “…” or «…»: words that must appear together,
    in order). Every word of a phrase also counts for the ranking.

    >>> parse_query('"مجلس الأمن" سوريا «وقف إطلاق النار»')
    ('مجلس الأمن سوريا وقف إطلاق النار', ['مجلس الأمن', 'وقف إطلاق النار'])
    >>> parse_query('بوتين "')
    ('بوتين', [])
    """
    phrases = [next(g for g in m.groups() if g is not None).strip() for m in _PHRASE.finditer(query)]
    words = _PHRASE.sub(lambda m: " " + next(g for g in m.groups() if g is not None) + " ", query)
    return " ".join(words.replace('"', " ").split()), [p for p in phrases if p.split()]


def _scores_sql(qterms: str) -> str:
    """The BM25 scores of the articles matching the terms that the query ``qterms`` (one column ``term``)
    returns, as CTEs ending in ``scores (article_id, score)``.

    The score is the fts extension's ``match_bm25`` (k=1.2, b=0.75, not conjunctive) over headline and
    body together: the sum over the distinct query terms found in the article of
    ``log10((N - df + 0.5) / (df + 0.5) + 1) * tf * (k + 1) / (tf + k * (1 - b + b * len / avgdl))``, with
    tf counted over both fields, len the article's indexed terms in both, N and avgdl over all indexed
    articles and df the number of them holding the term. The arithmetic is the macro's own, literal for
    literal (decimal constants, BIGINT counts), so the scores are the same numbers, not just the same order.
    """
    return f"""
        qterms AS (SELECT termid FROM {TERMS_TABLE} WHERE term IN (SELECT term FROM ({qterms}))),
        tf AS (
            SELECT p.docid, p.termid, count(*) AS tf
            FROM {POSTINGS_TABLE} p WHERE p.termid IN (SELECT termid FROM qterms)
            GROUP BY p.docid, p.termid
        ),
        hits AS (SELECT tf.*, d.article_id, d.len::BIGINT AS len FROM tf JOIN {DOCS_TABLE} d USING (docid)),
        df AS (SELECT termid, count(*) AS df FROM hits GROUP BY termid),
        stats AS (SELECT count(*) AS num_docs, sum(len) / count(len) AS avgdl FROM {DOCS_TABLE}),
        scores AS (
            SELECT h.article_id,
                   sum(log(((s.num_docs - df.df) + 0.5) / (df.df + 0.5) + 1)
                       * ((h.tf * ({BM25_K} + 1))
                          / (h.tf + {BM25_K} * ((1 - {BM25_B}) + {BM25_B} * (h.len / s.avgdl))))) AS score
            FROM hits h JOIN df USING (termid) CROSS JOIN stats s
            GROUP BY h.article_id
        )"""


def _query_terms_sql(text_sql: str) -> str:
    """SQL listing the distinct index terms (stems) of a query text, as ``match_bm25`` makes them (the
    stopword list is not applied to queries there either)."""
    return f"SELECT DISTINCT stem(unnest({_tokenize_sql(text_sql)}), '{STEMMER}') AS term"


# The table macro of ``khabar sql``: full-text search from SQL, folding the query in SQL (search_form_sql).
SEARCH_MACRO = "search_articles"


def search_macro_sql() -> str:
    """``CREATE TEMP MACRO search_articles(query, n := 10)``: the best ``n`` articles for a query (article_id,
    headline, outlet_domain, published_date, score), ranked as ``khabar search`` ranks them. Temporary, so it
    works on a read-only connection; needs the fts extension loaded (``load_fts``)."""
    return f"""CREATE OR REPLACE TEMP MACRO {SEARCH_MACRO}(query, n := 10) AS TABLE
        WITH {_scores_sql(_query_terms_sql(search_form_sql('query')))}
        SELECT a.article_id, a.headline, a.outlet_domain, a.published_date, s.score
        FROM scores s JOIN articles a USING (article_id)
        WHERE s.score IS NOT NULL
        ORDER BY s.score DESC, a.article_id
        LIMIT n"""


SNIPPET_WORDS_BEFORE = 8
SNIPPET_WORDS = 24


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10, collapse: bool = True) -> list[dict]:
    """Best-matching articles for a query (BM25): article_id, headline, outlet_domain, published_date, score,
    snippet (a stretch of the body around the first matching word, matches in [brackets]) and copies.

    Ordered by score (highest first), then article_id; articles matching no query term are left out, and so
    are those lacking one of the query's phrases (``parse_query``: words in double quotes must appear
    together, in order, in the headline or the body). With ``collapse`` the near-duplicates of an article
    (``near_duplicate_of``) are one hit, the best-scoring copy's, and ``copies`` lists the others
    (article_id, outlet_domain). Works on a read-only connection; raises ``IndexMissingError`` where no
    index was ever built. The scores are those of ``_scores_sql``.
    """
    words, phrases = parse_query(query)
    q = search_form(words)
    if not q:
        return []
    if not _has_tables(con, *_INDEX_TABLES[:3]):
        raise IndexMissingError("this warehouse has no search index yet: run `khabar run` to build it")
    load_fts(con)
    terms = [r[0] for r in con.execute(_query_terms_sql("?::VARCHAR"), [q]).fetchall()]
    phrase_forms = [con.execute(f"SELECT {_word_string_sql('?::VARCHAR')}", [search_form(p)]).fetchone()[0]
                    for p in phrases]
    # A phrase is looked for in the article's words: body_norm (folded already) and the headline, both with the
    # word-final folding the index applies.
    article_words = (f"{_word_string_sql(_fold_nisba_sql('a.body_norm'))} || "
                     f"{_word_string_sql(search_form_sql('a.headline'))}")
    phrase_filter = "".join(f" AND contains({article_words}, ?)" for _ in phrase_forms)
    group = "coalesce(a.near_duplicate_of, a.article_id)" if collapse else "a.article_id"
    cur = con.execute(
        f"""
        WITH {_scores_sql("SELECT unnest(?::VARCHAR[]) AS term")},
        matched AS (
            SELECT a.article_id, a.headline, a.outlet_domain, a.published_date, s.score, {group} AS grp
            FROM scores s JOIN articles a USING (article_id)
            WHERE s.score IS NOT NULL{phrase_filter}
        ),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY grp ORDER BY score DESC, article_id) AS rank_in_group,
                   list({{'article_id': article_id, 'outlet_domain': outlet_domain}} ORDER BY score DESC, article_id)
                       OVER (PARTITION BY grp) AS members
            FROM matched
        )
        SELECT article_id, headline, outlet_domain, published_date, score, members[2:] AS copies
        FROM ranked WHERE rank_in_group = 1
        ORDER BY score DESC, article_id
        LIMIT ?
        """, [terms, *phrase_forms, int(limit)])
    cols = [d[0] for d in cur.description]
    hits = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    snippets = _snippets(con, [h["article_id"] for h in hits], terms)
    for h in hits:
        h["snippet"] = snippets.get(h["article_id"], "")
    return hits


def _snippets(con: duckdb.DuckDBPyConnection, article_ids: list[str], terms: list[str]) -> dict[str, str]:
    """For each article, ``SNIPPET_WORDS`` words of its body from a little before the first word whose stem is
    a query term, with every such word in [brackets] (the body's first words when only the headline matched)."""
    if not article_ids:
        return {}
    rows = con.execute(
        f"""
        WITH words AS (
            SELECT article_id, w.word, w.i
            FROM (SELECT article_id, string_split(regexp_replace(trim(body), '\\s+', ' ', 'g'), ' ') AS ws
                  FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))),
                 LATERAL (SELECT unnest(ws) AS word, generate_subscripts(ws, 1) AS i) w
        ),
        marked AS (
            SELECT article_id, word, i,
                   len(list_intersect(list_transform({_tokenize_sql(search_form_sql('word'))},
                                                     t -> stem(t, '{STEMMER}')), ?::VARCHAR[])) > 0 AS hit
            FROM words
        ),
        first_hit AS (SELECT article_id, coalesce(min(i) FILTER (WHERE hit), 1) AS at FROM marked GROUP BY ALL)
        SELECT m.article_id,
               string_agg(CASE WHEN m.hit THEN '[' || m.word || ']' ELSE m.word END, ' ' ORDER BY m.i),
               min(m.i) > 1, max(m.i) < (SELECT max(i) FROM marked x WHERE x.article_id = m.article_id)
        FROM marked m JOIN first_hit f USING (article_id)
        WHERE m.i BETWEEN greatest(1, f.at - {SNIPPET_WORDS_BEFORE}) AND greatest(1, f.at - {SNIPPET_WORDS_BEFORE})
                                                                         + {SNIPPET_WORDS - 1}
        GROUP BY m.article_id
        """, [article_ids, terms]).fetchall()
    return {aid: ("… " if cut_before else "") + text + (" …" if cut_after else "")
            for aid, text, cut_before, cut_after in rows}


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
    """The contract view ``stories_summary``: story_id, first_seen, outlets, article_count, top_entities, top_quote
    (with the descriptions of schemas/tables.py as comments: replacing the view drops them)."""
    con.execute(STORIES_SUMMARY_SQL)
    for statement in comment_statements("stories_summary", VIEWS["stories_summary"], kind="VIEW"):
        con.execute(statement)
