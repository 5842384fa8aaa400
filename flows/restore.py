"""``khabar restore``: rebuild ``news.duckdb`` from the Parquet mirror (a damaged or lost database file).

The mirror holds every curated and operational table, one partition per committed run (flows/warehouse.py).
The damaged file is moved aside (``news.duckdb.damaged-<time>``), never deleted; a new database is created
with the declared tables and filled from the partitions; what the mirror does not hold is derived again from
the restored rows: the MinHash signatures later runs compare against (transforms/features.py) and the search
index (flows/search.py). The mirror is the state of the last exported run: a run committed but not exported
before the damage is lost, and its files are loaded again by the next run (their hashes are not in the
restored manifest).

A partition written before a later run re-loaded one of its articles may still hold the older rows: each
article is restored from the partition of its latest run, and its quotes, mentions and quote links from that
same partition.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

from flows.errors import UserFacingError
from flows.search import create_stories_summary_view, sync_index
from flows.warehouse import Layout, connect, entities_file, run_lock
from schemas.tables import ALL_TABLES, ARTICLE_FEATURES
from transforms.features import article_features

# Children of an article: restored from the partition of the run the article was restored from.
_CHILDREN = {
    "quotes": "JOIN articles a ON a.article_id = src.article_id",
    "mentions": "JOIN articles a ON a.article_id = src.article_id",
    "quote_links": "JOIN quotes q ON q.quote_id = src.quote_id JOIN articles a ON a.article_id = q.article_id",
}
_KEYS = {"articles": "article_id", "runs": "run_id"}
SIGNATURE_CHUNK = 2000


def _partitions(layout: Layout, table: str) -> list[str]:
    return sorted(p.as_posix() for p in (layout.parquet / table).glob("run_id=*/part-0.parquet"))


def _columns(con: duckdb.DuckDBPyConnection, files: list[str]) -> set[str]:
    rows = con.execute("SELECT name FROM parquet_schema($files)", {"files": files}).fetchall()
    return {r[0] for r in rows}


def _load(con: duckdb.DuckDBPyConnection, table: str, files: list[str]) -> int:
    """Insert one table's partitions (columns the files lack stay NULL); returns the rows inserted."""
    have = _columns(con, files)
    cols = [f.name for f in ALL_TABLES[table] if f.name in have]
    names = ", ".join(cols)
    src_cols = ", ".join(f"src.{c}" for c in cols)
    source = ("(SELECT *, regexp_extract(filename, 'run_id=([^/]+)/[^/]+$', 1) AS part_run "
              "FROM read_parquet($files, hive_partitioning = false, union_by_name = true, filename = true)) src")
    if table in _CHILDREN:
        sql = f"INSERT INTO {table} ({names}) SELECT DISTINCT {src_cols} FROM {source} {_CHILDREN[table]} " \
              "WHERE a.run_id = src.part_run"
    elif table in _KEYS:
        key = _KEYS[table]
        order = "src.ingested_at DESC NULLS LAST, src.part_run DESC" if table == "articles" else "src.part_run DESC"
        sql = f"INSERT INTO {table} ({names}) SELECT {src_cols} FROM {source} " \
              f"QUALIFY row_number() OVER (PARTITION BY src.{key} ORDER BY {order}) = 1"
    else:
        sql = f"INSERT INTO {table} ({names}) SELECT {src_cols} FROM {source}"
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    con.execute(sql, {"files": files})
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before


def _signatures(con: duckdb.DuckDBPyConnection) -> None:
    """The near-duplicate signatures of every restored article, as the batch workers computed them (a chunk
    of articles at a time, so memory stays that of one chunk)."""
    last = ""
    while True:
        cur = con.execute("SELECT article_id, published_date, source_file, source_record, body_norm, body "
                          "FROM articles WHERE article_id > $last ORDER BY article_id LIMIT $n",
                          {"last": last, "n": SIGNATURE_CHUNK})
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
        if not rows:
            return
        feats = article_features([dict(zip(cols, r, strict=True)) for r in rows], ARTICLE_FEATURES)
        con.register("_sigs", feats.select(["article_id", "order_key", "signature"]))
        con.execute("INSERT INTO internal.article_signatures SELECT article_id, order_key, signature FROM _sigs")
        con.unregister("_sigs")
        last = rows[-1][0]


def restore(root: Path, lock_wait: float = 0.0) -> dict[str, int | str]:
    """Rebuild the warehouse database under ``root`` from its Parquet mirror; returns rows per table and
    where the old file went (``moved_to``)."""
    layout = Layout(Path(root).absolute())
    if not _partitions(layout, "runs"):
        raise UserFacingError(f"no Parquet mirror to restore from in {layout.parquet} (no run partitions)")
    with run_lock(layout, lock_wait):
        moved = ""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for suffix in ("", ".wal"):
            old = layout.db.with_name(layout.db.name + suffix)
            if old.exists():
                target = old.with_name(f"{layout.db.name}.damaged-{stamp}{suffix}")
                os.replace(old, target)
                moved = moved or str(target)
        counts: dict[str, int | str] = {}
        try:
            with connect(layout) as con:
                con.execute("BEGIN TRANSACTION")
                for table in ("runs", "ingest_files", "quarantine", "dq_results", "articles", "quotes",
                              "mentions", "quote_links"):
                    files = _partitions(layout, table)
                    counts[table] = _load(con, table, files) if files else 0
                if entities_file(layout).exists():
                    counts["entities"] = _load(con, "entities", [entities_file(layout).as_posix()])
                _signatures(con)
                con.execute("COMMIT")
                sync_index(con)
                create_stories_summary_view(con)
        except BaseException:
            layout.db.unlink(missing_ok=True)
            layout.db.with_name(layout.db.name + ".wal").unlink(missing_ok=True)
            raise
        counts["moved_to"] = moved
        return counts
