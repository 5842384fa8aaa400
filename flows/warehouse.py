"""The warehouse on disk: lock, DuckDB tables, quarantine bytes, atomic publish, Parquet mirror.

Publishing is one DuckDB transaction per run: curated rows, the manifest (``ingest_files``), the
quarantine rows, the data-quality rows and the ``runs`` row commit together or not at all. The
Parquet mirror is exported *from* DuckDB after the commit, one partition per run, each file written
to a temporary name and renamed; a run whose partition is missing (killed between commit and
export) is exported again by the next run. So a ``kill -9`` at any moment leaves either the old
state or the new one, and the next run completes the work.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import ALL_TABLES, CURATED, duckdb_ddl

DB_NAME = "news.duckdb"
LOCK_NAME = ".khabar.lock"
# Tables mirrored to Parquet one partition per run; entities are global and rewritten whole.
PER_RUN_TABLES = ("articles", "quotes", "mentions", "quote_links", "ingest_files", "quarantine", "dq_results", "runs",
                  "outlet_metrics")


class WarehouseBusy(RuntimeError):
    """Another khabar run holds the warehouse lock."""


class WarehouseUnusable(RuntimeError):
    """The warehouse folder cannot be created or written."""


@dataclass
class Layout:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def parquet(self) -> Path:
        return self.root / "parquet"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def staging(self) -> Path:
        return self.root / "_staging"


def prepare(root: Path) -> Layout:
    """Create the warehouse folders, or raise WarehouseUnusable with a one-line reason."""
    layout = Layout(Path(root).absolute())  # absolute: GE's Data Docs site insists on it
    try:
        for d in (layout.root, layout.parquet, layout.reports, layout.quarantine, layout.staging):
            d.mkdir(parents=True, exist_ok=True)
        probe = layout.root / ".write-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise WarehouseUnusable(f"warehouse {root} is not writable: {exc.strerror or exc}") from exc
    return layout


@contextmanager
def run_lock(layout: Layout, wait_seconds: float, on_wait=None) -> Iterator[None]:
    """Hold the warehouse's exclusive lock; wait up to ``wait_seconds`` for another run to finish."""
    fh = open(layout.root / LOCK_NAME, "a+")
    try:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another khabar run is using {layout.root} (lock {LOCK_NAME}); try again when it ends"
                    ) from None
                if not told and on_wait:
                    on_wait()
                    told = True
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield
    finally:
        fh.close()  # closing releases the flock


# DuckDB would otherwise take up to 80% of RAM for caches; past this it spills to disk instead, so a
# run's memory does not grow with the size of the warehouse or the batch.
DUCKDB_MEMORY_LIMIT = os.environ.get("KHABAR_DUCKDB_MEMORY", "384MB")


def connect(layout: Layout, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(layout.db), read_only=read_only,
                         config={"memory_limit": DUCKDB_MEMORY_LIMIT, "preserve_insertion_order": False})
    if not read_only:
        for name, schema in ALL_TABLES.items():
            con.execute(duckdb_ddl(name, schema))
        _ensure_columns(con)
    return con


def _ensure_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Add columns declared in schemas/ that an older warehouse lacks (additions never rename)."""
    from schemas.tables import duckdb_type

    for name, schema in ALL_TABLES.items():
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]).fetchall()}
        for f in schema:
            if f.name not in have:
                con.execute(f"ALTER TABLE {name} ADD COLUMN {f.name} {duckdb_type(f.type)}")


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Content hashes of every file already published (the manifest)."""
    return {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM ingest_files WHERE status = 'loaded'").fetchall()}


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def parquet_list(paths: list[Path]) -> str:
    """A DuckDB list literal of the existing Parquet files among ``paths``, for ``read_parquet``."""
    return "[" + ", ".join(f"'{p.as_posix()}'" for p in paths if p.exists()) + "]"


def _quarantine_rel(source_file: str, digest: str) -> Path:
    """Content-addressed place of a rejected input's bytes, relative to the warehouse."""
    name = _SAFE.sub("_", source_file.replace("!", "__"))[-80:] or "input"
    return Path("quarantine") / digest[:2] / f"{digest[:16]}-{name}"


def store_quarantined_bytes(layout: Layout, source_file: str, raw: bytes) -> str:
    """Keep the raw bytes of a rejected input, content-addressed; return the path relative to the warehouse."""
    rel = _quarantine_rel(source_file, hashlib.sha256(raw).hexdigest())
    dest = layout.root / rel
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
        tmp.write_bytes(raw)
        os.replace(tmp, dest)
    return rel.as_posix()


def store_quarantined_file(layout: Layout, source_file: str, path: Path, chunk: int = 1 << 20) -> str | None:
    """Keep a file too large to read whole: stream it into the quarantine folder. None if unreadable."""
    tmp = layout.quarantine / f".incoming-{os.getpid()}"
    h = hashlib.sha256()
    try:
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            while block := src.read(chunk):
                h.update(block)
                dst.write(block)
    except OSError:
        tmp.unlink(missing_ok=True)
        return None
    rel = _quarantine_rel(source_file, h.hexdigest())
    (layout.root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, layout.root / rel)
    return rel.as_posix()


def _parquet_file(layout: Layout, table: str, run_id: str) -> Path:
    return layout.parquet / table / f"run_id={run_id}" / "part-0.parquet"


EXPORT_ROW_GROUP_BYTES = "32MB"


def _atomic_copy(con: duckdb.DuckDBPyConnection, sql: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    # Row groups capped in bytes: a default group (122,880 rows) of article bodies is hundreds of MB, more
    # than the connection's memory limit on a big run.
    con.execute(f"COPY ({sql}) TO '{tmp.as_posix()}' "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES '{EXPORT_ROW_GROUP_BYTES}')")
    os.replace(tmp, dest)


_RUN_FILTER = {
    "articles": "SELECT * FROM articles WHERE run_id = ?",
    "quotes": "SELECT q.* FROM quotes q JOIN articles a USING (article_id) WHERE a.run_id = ?",
    "mentions": "SELECT m.* FROM mentions m JOIN articles a USING (article_id) WHERE a.run_id = ?",
    "quote_links": ("SELECT l.* FROM quote_links l JOIN quotes q USING (quote_id) "
                    "JOIN articles a USING (article_id) WHERE a.run_id = ?"),
    "ingest_files": "SELECT * FROM ingest_files WHERE run_id = ?",
    "quarantine": "SELECT * FROM quarantine WHERE run_id = ?",
    "dq_results": "SELECT * FROM dq_results WHERE run_id = ?",
    "runs": "SELECT * FROM runs WHERE run_id = ?",
    "outlet_metrics": "SELECT * FROM outlet_metrics WHERE run_id = ?",
}


def export_run(con: duckdb.DuckDBPyConnection, layout: Layout, run_id: str) -> None:
    """Mirror one committed run to Parquet (idempotent), then rewrite the global entities file."""
    safe_id = run_id.replace("'", "")
    for table in PER_RUN_TABLES:
        sql = _RUN_FILTER[table].replace("?", f"'{safe_id}'")
        _atomic_copy(con, sql, _parquet_file(layout, table, run_id))
    _atomic_copy(con, "SELECT * FROM entities ORDER BY entity_id", layout.parquet / "entities" / "entities.parquet")
    # Marker written last: a run without it is exported again by the next run.
    marker = layout.parquet / "_exported" / run_id
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("ok\n")


def recover(con: duckdb.DuckDBPyConnection, layout: Layout) -> list[str]:
    """Finish what a killed run left: export committed runs missing from Parquet, drop stale staging."""
    done = set()
    marker_dir = layout.parquet / "_exported"
    if marker_dir.exists():
        done = {p.name for p in marker_dir.iterdir()}
    missing = [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY started_at").fetchall() if r[0] not in done]
    for run_id in missing:
        export_run(con, layout, run_id)
    # Half-written Parquet temporaries of a killed export.
    for tmp in layout.parquet.rglob("*.tmp*"):
        tmp.unlink(missing_ok=True)
    if layout.staging.exists():
        for d in layout.staging.iterdir():
            shutil.rmtree(d, ignore_errors=True)
    return missing


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert python rows through the table's declared schema (so types are checked once, here)."""
    if rows:
        insert_table(con, table, pa.Table.from_pylist(rows, schema=ALL_TABLES[table]))


def insert_table(con: duckdb.DuckDBPyConnection, table: str, tbl: pa.Table) -> None:
    """Insert an Arrow table that has the table's declared schema."""
    if tbl.schema != ALL_TABLES[table]:
        raise TypeError(f"{table}: rows have schema {tbl.schema}, not the declared one")
    if not len(tbl):
        return
    con.register("_rows", tbl)
    cols = ", ".join(f.name for f in ALL_TABLES[table])
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows")
    con.unregister("_rows")


def insert_parquet(con: duckdb.DuckDBPyConnection, table: str, files: list[Path]) -> None:
    """Insert staged Parquet files of one curated table, replacing rows with the same key."""
    if not any(f.exists() for f in files):
        return
    cols = ", ".join(f.name for f in CURATED[table])
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet({parquet_list(files)})")


def write_staging(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
