"""docs/tables.md, written from the table declarations of schemas/tables.py (``scripts/docs_tables.py`` writes
it; a test checks that the file in the repository is current)."""
from __future__ import annotations

import pyarrow as pa

from schemas.tables import CURATED, INTERNAL, OPERATIONAL, VIEWS, description, duckdb_type, qualified

_GROUPS = (
    ("Curated tables", "Validated, published atomically per run, mirrored to Parquet (`parquet/<table>/`).", CURATED),
    ("Operational tables", "Written for every run, whatever its checks say; mirrored to Parquet too.", OPERATIONAL),
    ("Views", "Computed from the tables when queried.", VIEWS),
    ("Internal tables (schema `internal`)", "khabar's own derived data (near-duplicate signatures, the full-text "
     "index): rebuilt when needed, not mirrored. Query the index through `search_articles` (`khabar sql`).",
     INTERNAL),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(name: str, schema: pa.Schema) -> str:
    """One table's section: its description and a row per column.

    >>> from schemas.tables import SEARCH_META
    >>> print(table_markdown("search_meta", SEARCH_META))
    ### `internal.search_meta`
    <BLANKLINE>
    Internal, full-text index: which tokeniser, folding and stopwords built it (another one means rebuild).
    <BLANKLINE>
    | column | type | description |
    | --- | --- | --- |
    | `fingerprint` | VARCHAR | hash of the index's settings |
    <BLANKLINE>
    """
    rows = "\n".join(f"| `{f.name}` | {duckdb_type(f.type)} | {_cell(description(f))} |" for f in schema)
    return (f"### `{qualified(name)}`\n\n{description(schema)}\n\n| column | type | description |\n"
            f"| --- | --- | --- |\n{rows}\n")


def tables_markdown() -> str:
    """The whole of docs/tables.md."""
    parts = ["# The warehouse's tables\n",
             "Generated from `schemas/tables.py` by `scripts/docs_tables.py`: do not edit by hand. The same "
             "descriptions are the tables' and columns' comments in `news.duckdb` (`SELECT table_name, comment "
             "FROM duckdb_tables()`, `SELECT column_name, comment FROM duckdb_columns()`). The public contract is "
             "`../shared/contract.md`; columns beyond it are additions.\n"]
    for title, intro, tables in _GROUPS:
        parts.append(f"## {title}\n\n{intro}\n")
        parts.extend(table_markdown(name, schema) for name, schema in tables.items())
    return "\n".join(parts)
