"""The warehouse tables, declared once.

Each table is a pyarrow schema; the Parquet writer, the DuckDB loader (via ``duckdb_ddl``) and the
data-quality checks all read these. Column names and types follow the public contract §4; columns
beyond it are additions, never renames.
"""
from __future__ import annotations

import pyarrow as pa

TZ = "UTC"
TS = pa.timestamp("us", tz=TZ)
DESCRIPTION = b"description"


def col(name: str, type_: pa.DataType, description: str) -> pa.Field:
    """A column, with what it holds: the description becomes its DuckDB comment and its line in docs/tables.md.

    >>> description(col("x", pa.string(), "an example"))
    'an example'
    """
    return pa.field(name, type_, metadata={DESCRIPTION: description.encode("utf-8")})


def table(description_: str, *columns: pa.Field) -> pa.Schema:
    """A table's schema, with what one row of it is."""
    return pa.schema(columns, metadata={DESCRIPTION: description_.encode("utf-8")})


def description(item: pa.Field | pa.Schema) -> str:
    """The description declared for a column or a table ('' if none)."""
    return ((item.metadata or {}).get(DESCRIPTION) or b"").decode("utf-8")


RUN_ID = "the run that wrote the row (runs.run_id)"
ARTICLE_ID = "the article (articles.article_id)"

ARTICLES = table(
    "One row per article: its text as written (body) and in search form (body_norm), where and when it was "
    "published, by whom, and the story it belongs to.",
    col("article_id", pa.string(), "unique, stable across re-runs of the same input"),
    col("source_file", pa.string(), "the input file, relative to the landing folder (archive.zip!member inside "
                                    "containers)"),
    col("source_record", pa.int32(), "index of the record inside a multi-record file (JSON, JSONL), else 0"),
    col("content_sha256", pa.string(), "SHA-256 of the cleaned body"),
    col("outlet_domain", pa.string(), "the outlet, e.g. sana.sy, arabic.cnn.com (from the URL, else the page's own "
                                      "signatures); NULL if unknown"),
    col("headline", pa.string(), "the headline as written"),
    col("subheadline", pa.string(), "the subheadline; NULL if none"),
    col("byline", pa.string(), "the byline as written (raw)"),
    col("author", pa.string(), "person name(s) of the byline only; NULL if none"),
    col("dateline_place", pa.string(), "the place of the dateline, e.g. موسكو; NULL if none"),
    col("agency", pa.string(), "the news agency credited, e.g. سانا, واس, الوكالات; NULL if none"),
    col("published_at", TS, "when it was published (UTC); NULL when unknown, never made up"),
    col("published_date", pa.date32(), "the date of published_at, or the date alone when only that is known"),
    col("date_source", pa.string(), "where the date came from: explicit (written in the article), feed (a date "
                                    "field of the input record), relative (أمس against a reference), none"),
    col("body", pa.string(), "the cleaned text: site chrome and control characters removed, paragraphs "
                             "separated by a blank line"),
    col("body_norm", pa.string(), "body in search form: NFKC, no diacritics or tatweel, أ إ آ ٱ → ا, ى → ي, "
                                  "ة → ه, ASCII digits, whitespace collapsed"),
    col("word_count", pa.int32(), "words in body"),
    col("language", pa.string(), "ar for Arabic"),
    col("story_id", pa.string(), "articles reporting the same event share it"),
    col("near_duplicate_of", pa.string(), "the article_id this one is a near-copy of (the first seen); NULL if "
                                          "none"),
    col("url", pa.string(), "the page's URL when the input has one"),
    col("agency_canonical", pa.string(), "the agency's one short form (أ ف ب for فرانس برس): group and join on it"),
    col("run_id", pa.string(), "the run that loaded the article (runs.run_id)"),
    col("ingested_at", TS, "when that run loaded it"),
)

QUOTES = table(
    "Direct quotations: the words in quotation marks that are speech, and NAME: sentence. statements, with "
    "their speakers.",
    col("quote_id", pa.string(), "unique id of the quote"),
    col("article_id", pa.string(), ARTICLE_ID),
    col("ordinal", pa.int32(), "the quote's place in its article (0, 1, …)"),
    col("text", pa.string(), "the quoted words, without the quote marks"),
    col("speaker", pa.string(), "canonical name of who said it (a person, the body issuing a statement, the "
                                "unnamed source as written); NULL if unresolved"),
    col("speaker_entity_id", pa.string(), "the speaker's entity (entities.entity_id); NULL if not one of the "
                                          "article's entities"),
    col("char_start", pa.int32(), "offset of the quote's first character in articles.body"),
    col("char_end", pa.int32(), "offset just past its last character in articles.body"),
)

ENTITIES = table(
    "One row per canonical entity (person, organisation, place), whatever its spellings.",
    col("entity_id", pa.string(), "unique id of the entity"),
    col("canonical_name", pa.string(), "the full Arabic name, e.g. فلاديمير بوتين"),
    col("entity_type", pa.string(), "PERSON, ORG or PLACE"),
    col("aliases", pa.list_(pa.string()), "other spellings and short forms seen or known, e.g. بوتين"),
)

MENTIONS = table(
    "Entity occurrences: each place an article names an entity.",
    col("article_id", pa.string(), ARTICLE_ID),
    col("entity_id", pa.string(), "the entity named (entities.entity_id)"),
    col("surface", pa.string(), "the name as written"),
    col("char_start", pa.int32(), "offset into articles.body; NULL for a mention outside the body (see field)"),
    col("char_end", pa.int32(), "offset just past the mention in articles.body; NULL outside the body"),
    col("field", pa.string(), "where the mention is: body, headline, subheadline or dateline"),
)

INGEST_FILES = table(
    "The manifest: one row per input file per run that saw it, loaded, skipped or quarantined, so nothing "
    "under the landing folder goes unaccounted for.",
    col("run_id", pa.string(), RUN_ID),
    col("source_file", pa.string(), "the file, relative to the landing folder"),
    col("sha256", pa.string(), "SHA-256 of the file's bytes (how an already loaded file is recognised)"),
    col("bytes", pa.int64(), "the file's size"),
    col("format", pa.string(), "txt, html, json, jsonl, zip, gz, tar.gz, … or unknown"),
    col("encoding", pa.string(), "the text encoding detected (utf-8, utf-16, cp1256, …)"),
    col("status", pa.string(), "loaded, skipped (already loaded, same content as another file, hidden) or "
                               "quarantined"),
    col("records", pa.int32(), "records read from the file (articles and rejected records)"),
    col("reason", pa.string(), "why the file was skipped or quarantined, in words: the reason code and its "
                               "detail; NULL when loaded"),
    col("reason_code", pa.string(), "the same as reason, as a code: a quarantined file's quarantine.reason_code, "
                                    "or already_loaded, duplicate_content, hidden_name for a skipped one; NULL "
                                    "when loaded"),
)

QUARANTINE = table(
    "Every rejected file or record, with why and where its raw bytes are kept (under the warehouse's "
    "quarantine/ folder).",
    col("run_id", pa.string(), RUN_ID),
    col("source_file", pa.string(), "the file, relative to the landing folder"),
    col("source_record", pa.int32(), "the record inside the file; NULL when the whole file is rejected"),
    col("reason_code", pa.string(), "why, as a code: unsupported_format, unreadable, invalid_json, not_object, "
                                    "no_body, no_headline, oversized, oversized_record, nested_too_deep, "
                                    "unsafe_member, not_regular_file, parse_error, extract_error, "
                                    "unwritable_record, worker_crashed, dq_critical_failed"),
    col("detail", pa.string(), "the error or check behind the reason, in words"),
    col("stored_path", pa.string(), "where the raw bytes are, relative to the warehouse"),
)

DQ_RESULTS = table(
    "One row per data-quality check per run (Great Expectations suites of schemas/expectations.py, and the "
    "drift checks of transforms/drift.py).",
    col("run_id", pa.string(), RUN_ID),
    col("table_name", pa.string(), "the table checked"),
    col("expectation", pa.string(), "the check's stable name, e.g. speakers_resolved_share"),
    col("severity", pa.string(), "critical (a failure keeps the batch out) or warning (reported, published)"),
    col("success", pa.bool_(), "whether the check passed"),
    col("observed", pa.string(), "what it observed, e.g. 3 of 120 unexpected (2.50%)"),
    col("checked_at", TS, "when it ran"),
)

RUNS = table(
    "One row per run: when, what came out of it, and its counts.",
    col("run_id", pa.string(), "unique id of the run (start time and a random suffix)"),
    col("started_at", TS, "when the run started"),
    col("finished_at", TS, "when it committed"),
    col("status", pa.string(), "published, dq_failed (a critical check failed: nothing published) or nothing_new"),
    col("files_seen", pa.int64(), "files under the landing folder"),
    col("files_loaded", pa.int64(), "files read and loaded"),
    col("files_skipped", pa.int64(), "files skipped (already loaded, duplicate content, hidden)"),
    col("files_quarantined", pa.int64(), "files rejected whole"),
    col("records_seen", pa.int64(), "records read from the loaded files"),
    col("articles_loaded", pa.int64(), "articles published"),
    col("records_quarantined", pa.int64(), "records rejected"),
    col("dq_success", pa.bool_(), "whether every data-quality check, warnings included, passed"),
    col("seconds", pa.float64(), "the run's duration"),
    col("landing", pa.string(), "the landing folder or URL the run read"),
    col("quotes_loaded", pa.int64(), "quotes published"),
    col("mentions_loaded", pa.int64(), "entity mentions published"),
    col("entities_mentioned", pa.int64(), "distinct entities the run's articles mention"),
)

# The counts the monitor's trends and drift alerts (transforms/drift.py) read, computed once per run.
OUTLET_METRICS = table(
    "One row per run and outlet with articles in that run (outlet NULL: unknown): the counts behind the "
    "data-quality monitor's trends and drift alerts.",
    col("run_id", pa.string(), RUN_ID),
    col("outlet_domain", pa.string(), "the outlet; NULL for articles of no known outlet"),
    col("articles", pa.int64(), "articles published"),
    col("with_dateline", pa.int64(), "articles with dateline_place"),
    col("with_agency", pa.int64(), "articles with agency"),
    col("with_author", pa.int64(), "articles with author"),
    col("with_published_date", pa.int64(), "articles with published_date"),
    col("quotes", pa.int64(), "quotes"),
    col("quotes_with_speaker", pa.int64(), "quotes with a speaker"),
    col("mentions", pa.int64(), "entity mentions (body, headline, subheadline, dateline)"),
    col("article_entities", pa.int64(), "distinct entities per article, summed over the articles"),
    col("words", pa.int64(), "sum of word_count"),
    col("near_duplicates", pa.int64(), "articles with near_duplicate_of"),
)

QUOTE_LINKS = table(
    "The same statement quoted in different articles: one row per pair of quotes.",
    col("quote_id", pa.string(), "a quote (quotes.quote_id)"),
    col("other_quote_id", pa.string(), "a quote of another article with the same words, or nearly"),
    col("similarity", pa.float64(), "1.0 for the same words, less for near ones"),
)

# The schema of the tables kept for khabar's own work, beside the curated ones: derived data, rebuilt when needed.
INTERNAL_SCHEMA = "internal"

# MinHash signature of each published body, so later runs find near-duplicates without re-reading bodies.
ARTICLE_SIGNATURES = table(
    "Internal: the MinHash signature of each published body, so that later runs find near-duplicates "
    "without reading bodies again.",
    col("article_id", pa.string(), ARTICLE_ID),
    col("order_key", pa.string(), "which of two copies counts as the first (published date, source)"),
    col("signature", pa.binary(), "uint32[num_perm], little-endian"),
)

# The full-text search index (flows/search.py), derived from ``articles`` and kept in step with them.
SEARCH_DOCS = table(
    "Internal, full-text index: one row per indexed article.",
    col("docid", pa.int32(), "the article's number in the index"),
    col("article_id", pa.string(), ARTICLE_ID),
    col("content_sha256", pa.string(), "articles.content_sha256 when indexed: another value means re-index"),
    col("headline", pa.string(), "articles.headline when indexed: another value means re-index"),
    col("len", pa.int32(), "indexed terms in headline + body: the BM25 document length"),
)
SEARCH_TERMS = table(
    "Internal, full-text index: the dictionary of terms.",
    col("termid", pa.int32(), "the term's number"),
    col("term", pa.string(), "Snowball Arabic stem of a token"),
)
SEARCH_POSTINGS = table(
    "Internal, full-text index: one row per indexed token occurrence (headline and body alike).",
    col("docid", pa.int32(), "the article (search_docs.docid)"),
    col("termid", pa.int32(), "the term (search_terms.termid)"),
)
SEARCH_META = table(
    "Internal, full-text index: which tokeniser, folding and stopwords built it (another one means rebuild).",
    col("fingerprint", pa.string(), "hash of the index's settings"),
)

# Staged by the batch workers beside each run's articles, never a warehouse table: what linking and the
# data-quality checks need of every body (transforms/features.py), so no later step reads bodies again.
ARTICLE_FEATURES = pa.schema([
    ("article_id", pa.string()),
    ("order_key", pa.string()),
    ("signature", pa.binary()),  # as in ARTICLE_SIGNATURES
    ("body_digest", pa.string()),  # sha256 of body_norm; '' for an empty body
    ("lead", pa.string()),  # the first words of body_norm
    ("body_length", pa.int32()),
    ("arabic_share", pa.float64()),
])

# Curated tables: validated, published atomically per batch, mirrored to Parquet.
CURATED: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "quotes": QUOTES,
    "entities": ENTITIES,
    "mentions": MENTIONS,
    "quote_links": QUOTE_LINKS,
}
# Operational tables: written for every run, whatever the checks say.
OPERATIONAL: dict[str, pa.Schema] = {
    "ingest_files": INGEST_FILES,
    "quarantine": QUARANTINE,
    "dq_results": DQ_RESULTS,
    "runs": RUNS,
    "outlet_metrics": OUTLET_METRICS,
}
# Internal, in schema ``internal``: published with the curated rows, not mirrored to Parquet.
INTERNAL: dict[str, pa.Schema] = {
    "article_signatures": ARTICLE_SIGNATURES,
    "search_docs": SEARCH_DOCS,
    "search_terms": SEARCH_TERMS,
    "search_postings": SEARCH_POSTINGS,
    "search_meta": SEARCH_META,
}
ALL_TABLES: dict[str, pa.Schema] = {**CURATED, **OPERATIONAL, **INTERNAL}

# Views, declared for their descriptions (flows/search.py creates stories_summary after each publish).
VIEWS: dict[str, pa.Schema] = {
    "stories_summary": table(
        "One row per story (articles sharing a story_id): when it was first seen, by which outlets, its most "
        "named entities and its most quoted statement.",
        col("story_id", pa.string(), "the story (articles.story_id)"),
        col("first_seen", TS, "the earliest published_at (else published_date, else ingested_at) of its "
                              "articles"),
        col("outlets", pa.list_(pa.string()), "the outlets that carried it, in name order"),
        col("article_count", pa.int64(), "its articles"),
        col("top_entities", pa.list_(pa.string()), "the five entities named by most of its articles"),
        col("top_quote", pa.string(), "the statement quoted by the most other articles (ties: the longest)"),
    ),
}

# Keys the publisher and the data-quality suite keep unique.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "quotes": ("quote_id",),
    "entities": ("entity_id",),
    "runs": ("run_id",),
}

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    TS: "TIMESTAMPTZ",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.binary(): "BLOB",
}


def qualified(name: str) -> str:
    """A table's name as SQL writes it: internal tables live in their own schema.

    >>> qualified("articles"), qualified("search_docs")
    ('articles', 'internal.search_docs')
    """
    return f"{INTERNAL_SCHEMA}.{name}" if name in INTERNAL else name


def duckdb_type(t: pa.DataType) -> str:
    """DuckDB column type of a pyarrow type.

    >>> duckdb_type(TS)
    'TIMESTAMPTZ'
    """
    return _DUCK_TYPES[t]


def duckdb_ddl(name: str, schema: pa.Schema) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for one table.

    >>> duckdb_ddl("runs", RUNS).splitlines()[0]
    'CREATE TABLE IF NOT EXISTS runs ('
    >>> duckdb_ddl("search_meta", SEARCH_META).splitlines()[0]
    'CREATE TABLE IF NOT EXISTS internal.search_meta ('
    """
    # No PRIMARY KEY constraints: DuckDB checks them eagerly inside a transaction that deletes and
    # re-inserts a key, which is exactly what re-publishing a batch does. Uniqueness is enforced by
    # the publisher and checked by the data-quality suite instead.
    cols = [f"    {f.name} {duckdb_type(f.type)}" for f in schema]
    return f"CREATE TABLE IF NOT EXISTS {qualified(name)} (\n" + ",\n".join(cols) + "\n)"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements(name: str, schema: pa.Schema, kind: str = "TABLE") -> list[str]:
    """``COMMENT ON`` statements giving a table (or view) and its columns their declared descriptions.

    >>> comment_statements("search_meta", SEARCH_META)[1]
    "COMMENT ON COLUMN internal.search_meta.fingerprint IS 'hash of the index''s settings'"
    """
    target = qualified(name)
    return [f"COMMENT ON {kind} {target} IS {_literal(description(schema))}",
            *(f"COMMENT ON COLUMN {target}.{f.name} IS {_literal(description(f))}" for f in schema)]
