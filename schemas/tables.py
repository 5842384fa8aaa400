"""The warehouse tables, declared once.

Each table is a pyarrow schema; the Parquet writer, the DuckDB loader (via ``duckdb_ddl``) and the
data-quality checks all read these. Column names and types follow the public contract §4; columns
beyond it are additions, never renames.
"""
from __future__ import annotations

import pyarrow as pa

TZ = "UTC"
TS = pa.timestamp("us", tz=TZ)

ARTICLES = pa.schema([
    ("article_id", pa.string()),
    ("source_file", pa.string()),
    ("source_record", pa.int32()),
    ("content_sha256", pa.string()),
    ("outlet_domain", pa.string()),
    ("headline", pa.string()),
    ("subheadline", pa.string()),
    ("byline", pa.string()),
    ("author", pa.string()),
    ("dateline_place", pa.string()),
    ("agency", pa.string()),
    ("published_at", TS),
    ("published_date", pa.date32()),
    ("date_source", pa.string()),
    ("body", pa.string()),
    ("body_norm", pa.string()),
    ("word_count", pa.int32()),
    ("language", pa.string()),
    ("story_id", pa.string()),
    ("near_duplicate_of", pa.string()),
    ("url", pa.string()),
    ("agency_canonical", pa.string()),  # the agency's one short form (أ ف ب for فرانس برس): group and join on it
    ("run_id", pa.string()),
    ("ingested_at", TS),
])

QUOTES = pa.schema([
    ("quote_id", pa.string()),
    ("article_id", pa.string()),
    ("ordinal", pa.int32()),
    ("text", pa.string()),
    ("speaker", pa.string()),
    ("speaker_entity_id", pa.string()),
    ("char_start", pa.int32()),
    ("char_end", pa.int32()),
])

ENTITIES = pa.schema([
    ("entity_id", pa.string()),
    ("canonical_name", pa.string()),
    ("entity_type", pa.string()),
    ("aliases", pa.list_(pa.string())),
])

MENTIONS = pa.schema([
    ("article_id", pa.string()),
    ("entity_id", pa.string()),
    ("surface", pa.string()),
    # Offsets into ``body``; NULL for a mention in the headline, subheadline or dateline (see ``field``).
    ("char_start", pa.int32()),
    ("char_end", pa.int32()),
    ("field", pa.string()),  # body | headline | subheadline | dateline
])

INGEST_FILES = pa.schema([
    ("run_id", pa.string()),
    ("source_file", pa.string()),
    ("sha256", pa.string()),
    ("bytes", pa.int64()),
    ("format", pa.string()),
    ("encoding", pa.string()),
    ("status", pa.string()),
    ("records", pa.int32()),
    ("reason", pa.string()),
])

QUARANTINE = pa.schema([
    ("run_id", pa.string()),
    ("source_file", pa.string()),
    ("source_record", pa.int32()),
    ("reason_code", pa.string()),
    ("detail", pa.string()),
    ("stored_path", pa.string()),
])

DQ_RESULTS = pa.schema([
    ("run_id", pa.string()),
    ("table_name", pa.string()),
    ("expectation", pa.string()),
    ("severity", pa.string()),
    ("success", pa.bool_()),
    ("observed", pa.string()),
    ("checked_at", TS),
])

RUNS = pa.schema([
    ("run_id", pa.string()),
    ("started_at", TS),
    ("finished_at", TS),
    ("status", pa.string()),
    ("files_seen", pa.int64()),
    ("files_loaded", pa.int64()),
    ("files_skipped", pa.int64()),
    ("files_quarantined", pa.int64()),
    ("records_seen", pa.int64()),
    ("articles_loaded", pa.int64()),
    ("records_quarantined", pa.int64()),
    ("dq_success", pa.bool_()),
    ("seconds", pa.float64()),
    # Beyond the contract: what the data-quality monitor (flows/monitor.py) shows per run.
    ("landing", pa.string()),  # the landing folder or URL the run read
    ("quotes_loaded", pa.int64()),
    ("mentions_loaded", pa.int64()),
    ("entities_mentioned", pa.int64()),  # distinct entities the run's articles mention
])

# One row per run and outlet (NULL: outlet unknown) with articles in that run: the counts the monitor's
# trends and drift alerts (transforms/drift.py) read, computed once when the run is published.
OUTLET_METRICS = pa.schema([
    ("run_id", pa.string()),
    ("outlet_domain", pa.string()),
    ("articles", pa.int64()),
    ("with_dateline", pa.int64()),  # articles with dateline_place
    ("with_agency", pa.int64()),
    ("with_author", pa.int64()),
    ("with_published_date", pa.int64()),
    ("quotes", pa.int64()),
    ("quotes_with_speaker", pa.int64()),
    ("mentions", pa.int64()),  # entity mentions (body, headline, subheadline, dateline)
    ("article_entities", pa.int64()),  # distinct entities per article, summed over the articles
    ("words", pa.int64()),  # sum of word_count
    ("near_duplicates", pa.int64()),  # articles with near_duplicate_of
])

QUOTE_LINKS = pa.schema([
    ("quote_id", pa.string()),
    ("other_quote_id", pa.string()),
    ("similarity", pa.float64()),
])

# MinHash signature of each published body, so later runs find near-duplicates without re-reading bodies.
ARTICLE_SIGNATURES = pa.schema([
    ("article_id", pa.string()),
    ("order_key", pa.string()),
    ("signature", pa.binary()),  # uint32[num_perm], little-endian
])

# The full-text search index (flows/search.py), derived from ``articles`` and kept in step with them.
SEARCH_DOCS = pa.schema([
    ("docid", pa.int32()),
    ("article_id", pa.string()),
    # The article's values when it was indexed: a different content_sha256 (the body) or headline means
    # the article changed and is indexed again.
    ("content_sha256", pa.string()),
    ("headline", pa.string()),
    ("len", pa.int32()),  # indexed terms in headline + body: the BM25 document length
])
SEARCH_TERMS = pa.schema([
    ("termid", pa.int32()),
    ("term", pa.string()),  # Snowball Arabic stem of a token
])
# One row per indexed token occurrence (headline and body alike).
SEARCH_POSTINGS = pa.schema([
    ("docid", pa.int32()),
    ("termid", pa.int32()),
])
# One row: which tokeniser, folding and stopwords built the index (another one means rebuild it).
SEARCH_META = pa.schema([("fingerprint", pa.string())])

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
# Internal: published with the curated rows, not mirrored to Parquet.
INTERNAL: dict[str, pa.Schema] = {
    "article_signatures": ARTICLE_SIGNATURES,
    "search_docs": SEARCH_DOCS,
    "search_terms": SEARCH_TERMS,
    "search_postings": SEARCH_POSTINGS,
    "search_meta": SEARCH_META,
}
ALL_TABLES: dict[str, pa.Schema] = {**CURATED, **OPERATIONAL, **INTERNAL}

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
    """
    # No PRIMARY KEY constraints: DuckDB checks them eagerly inside a transaction that deletes and
    # re-inserts a key, which is exactly what re-publishing a batch does. Uniqueness is enforced by
    # the publisher and checked by the data-quality suite instead.
    cols = [f"    {f.name} {duckdb_type(f.type)}" for f in schema]
    return f"CREATE TABLE IF NOT EXISTS {name} (\n" + ",\n".join(cols) + "\n)"
