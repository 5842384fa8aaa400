"""The warehouse on disk: lock, DuckDB tables, quarantine bytes, atomic publish, Parquet mirror.

Publishing is one DuckDB transaction per run: curated rows, the manifest (``ingest_files``), the
quarantine rows, the data-quality rows and the ``runs`` row commit together or not at all. It is made in a
copy of the database file that then replaces it in one rename (``new_version``): the run never opens the
database itself for writing, so readers (``khabar search``, an analyst's read-only connection) are served
the last committed state at any moment of a run and never wait for it, and a reader that stays open never
holds a run back. The Parquet mirror is exported *from* DuckDB after the commit, one partition per run, each file written
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from flows import interrupt
from flows.errors import UserFacingError, damaged_database, describe, no_space_path
from schemas.tables import (
    ALL_TABLES,
    CURATED,
    INTERNAL,
    INTERNAL_SCHEMA,
    comment_statements,
    description,
    duckdb_ddl,
    qualified,
)

DB_NAME = "news.duckdb"
LOCK_NAME = ".khabar.lock"
# Tables mirrored to Parquet one partition per run; entities are global and rewritten whole.
PER_RUN_TABLES = ("articles", "quotes", "mentions", "quote_links", "ingest_files", "quarantine", "dq_results", "runs",
                  "outlet_metrics")


class WarehouseBusy(UserFacingError):
    """Another khabar run holds the warehouse lock, or another process holds the database file."""


class WarehouseUnusable(UserFacingError):
    """The warehouse folder cannot be created or written, or overlaps the landing folder."""


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


def check_separate(landing: Path, root: Path) -> None:
    """Refuse a warehouse inside the landing folder (its reports, database and quarantine would become
    inputs) and a landing folder inside the warehouse (the run would read its own output folders)."""
    land, wh = os.path.realpath(landing), os.path.realpath(root)
    if land == wh:
        raise WarehouseUnusable(f"the landing folder and the warehouse are the same folder ({landing}): "
                                "give the warehouse a folder of its own")
    if wh.startswith(land.rstrip(os.sep) + os.sep):
        raise WarehouseUnusable(f"the warehouse {root} is inside the landing folder {landing}: its own files "
                                "would be read as inputs; put it outside")
    if land.startswith(wh.rstrip(os.sep) + os.sep):
        raise WarehouseUnusable(f"the landing folder {landing} is inside the warehouse {root}: put the inputs "
                                "outside the warehouse")


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


_LOCK_CONFLICT = re.compile(r"Could not set lock on file")
_WAL_REPLAY = re.compile(r"Failure while replaying WAL file")
_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")
WAIT_STEP_SECONDS = 0.2


def connect(layout: Layout, read_only: bool = False, wait_seconds: float = 0.0,
            on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse database (creating its tables when writable).

    Another process holding the file (a reader, while this opens it for writing; a publishing run, while
    this reads) is waited for up to ``wait_seconds`` (``on_wait`` is told once, with who holds it); then
    :class:`WarehouseBusy`. A file DuckDB cannot read raises :class:`~flows.errors.DamagedDatabase`.
    """
    if not read_only and not layout.db.exists():
        _create(layout)
    deadline = time.monotonic() + wait_seconds
    told = replayed = False
    while True:
        try:
            con = duckdb.connect(str(layout.db), read_only=read_only,
                                 config={"memory_limit": DUCKDB_MEMORY_LIMIT, "preserve_insertion_order": False})
            break
        except duckdb.Error as exc:
            if read_only and not replayed and _WAL_REPLAY.search(str(exc)) and _replay_wal(layout):
                replayed = True
                continue
            if _LOCK_CONFLICT.search(str(exc)) is None:
                raise _unreadable(layout, exc) from exc
            pid = _LOCK_HOLDER.search(str(exc))
            holder = f"process {pid.group(1)}" if pid else "another process"
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"{layout.db} is held open by {holder}; close it (or wait for it) and "
                                    "try again") from None
            if on_wait is not None and not told:
                on_wait(f"waiting for {holder} to close {layout.db}")
                told = True
            interrupt.sleep(WAIT_STEP_SECONDS)
    try:
        if not read_only:
            _declare_tables(con)
    except duckdb.Error as exc:
        con.close()
        raise _unreadable(layout, exc) from exc
    return con


def _replay_wal(layout: Layout) -> bool:
    """A run killed between its COMMIT and the checkpoint leaves a write-ahead log that only a writable
    connection can replay: replay it into the file (the data is committed). False if another process
    holds the file (the caller then waits for it)."""
    try:
        con = duckdb.connect(str(layout.db), config={"memory_limit": DUCKDB_MEMORY_LIMIT})
    except duckdb.Error as exc:
        if _LOCK_CONFLICT.search(str(exc)):
            return False
        raise _unreadable(layout, exc) from exc
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return True


def _declare_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the declared tables that are missing and add missing columns, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {INTERNAL_SCHEMA}")
        _move_internal_tables(con)
        for name, schema in ALL_TABLES.items():
            con.execute(duckdb_ddl(name, schema))
        _ensure_columns(con)
        _comment(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _create(layout: Layout) -> None:
    """A new database file with every table, under a temporary name and then renamed: a database file that
    exists always holds the tables, whenever a run is killed."""
    tmp = layout.db.with_name(f".{layout.db.name}.new-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        _declare_tables(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    try:
        os.link(tmp, layout.db)  # never replaces a database another process created meanwhile
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not layout.db.exists():
            os.replace(tmp, layout.db)
    finally:
        tmp.unlink(missing_ok=True)


NEXT_PREFIX = f".{DB_NAME}.next-"  # a run's new version of the database, before it replaces the file


@contextmanager
def new_version(layout: Layout) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the database (tables declared, columns added) that replaces it in one rename when
    the block ends without an error; dropped otherwise.

    A connection opened before the rename keeps reading the version it opened (its file stays readable
    through the open handle); one opened after it reads the new version; none sees a half-written one. Call
    under the run lock (one writer at a time), after :func:`ensure`.
    """
    tmp = layout.root / f"{NEXT_PREFIX}{os.getpid()}"
    _drop_db_file(tmp)
    con = None
    try:
        shutil.copyfile(layout.db, tmp)  # copy_file_range: a block copy (or a reflink) in the kernel
        con = duckdb.connect(str(tmp), config={"memory_limit": DUCKDB_MEMORY_LIMIT, "preserve_insertion_order": False})
        _declare_tables(con)
        yield con
        con.execute("CHECKPOINT")  # everything into the file: a new version never comes with a log to replay
        con.close()
        wal = tmp.with_name(tmp.name + ".wal")
        if wal.exists() and wal.stat().st_size:
            raise RuntimeError(f"the new version of {layout.db} kept a write-ahead log after its checkpoint")
        wal.unlink(missing_ok=True)
        _fsync(tmp)
        os.replace(tmp, layout.db)
        _fsync(layout.root)
    except BaseException:
        if con is not None:
            con.close()
        _drop_db_file(tmp)
        raise


def _drop_db_file(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure(layout: Layout, wait_seconds: float = 0.0, on_wait: Callable[[str], None] | None = None) -> None:
    """Make the database file ready for a run: created if missing; a write-ahead log left by a writer that
    was killed replayed into it; the tables and columns declared in schemas/ present (an older warehouse is
    upgraded through a new version). Call under the run lock."""
    if not layout.db.exists():
        _create(layout)
        return
    if layout.db.with_name(layout.db.name + ".wal").exists():
        connect(layout, wait_seconds=wait_seconds, on_wait=on_wait).close()  # opens writable: replays, checkpoints
    with connect(layout, read_only=True, wait_seconds=wait_seconds, on_wait=on_wait) as con:
        current = _schema_is_current(con)
    if not current:
        with new_version(layout):
            pass


def _schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    have = set(con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall())
    return all((name, f.name) in have for name, schema in ALL_TABLES.items() for f in schema)


def check_database(layout: Layout) -> None:
    """Raise :class:`~flows.errors.DamagedDatabase` now if the database file cannot be opened (a file held by
    another process is left for the run to wait for)."""
    if not layout.db.exists():
        return
    try:
        connect(layout, read_only=True).close()
    except WarehouseBusy:
        pass


def _unreadable(layout: Layout, exc: duckdb.Error) -> Exception:
    """What to raise for a database that would not open: disk full and damage are told as such."""
    if no_space_path(exc) is not None:
        return exc
    for words in ("Permission denied", "Read-only file system"):
        if words in str(exc):
            return WarehouseUnusable(f"cannot open {layout.db}: {words}")
    if isinstance(exc, duckdb.IOException | duckdb.SerializationException | duckdb.InternalException |
                  duckdb.InvalidInputException | duckdb.CatalogException):
        return damaged_database(str(layout.db))
    return exc


def _schema_of(name: str) -> str:
    return INTERNAL_SCHEMA if name in INTERNAL else "main"


def _ensure_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Add columns declared in schemas/ that an older warehouse lacks (additions never rename)."""
    from schemas.tables import duckdb_type

    for name, schema in ALL_TABLES.items():
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [_schema_of(name), name]).fetchall()}
        for f in schema:
            if f.name not in have:
                con.execute(f"ALTER TABLE {qualified(name)} ADD COLUMN {f.name} {duckdb_type(f.type)}")


def _move_internal_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouses made before the ``internal`` schema kept its tables in ``main``: move them (their rows too, so
    the search index is not rebuilt)."""
    old = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name IN (SELECT unnest(?::VARCHAR[]))", [list(INTERNAL)]).fetchall()}
    for name in sorted(old):
        con.execute(f"CREATE TABLE IF NOT EXISTS {qualified(name)} AS FROM main.{name}")
        con.execute(f"DROP TABLE main.{name}")


def _comment(con: duckdb.DuckDBPyConnection) -> None:
    """Give tables and columns the descriptions declared in schemas/ (only those that differ: a comment is a
    catalog write, and most connections find them all in place)."""
    have = {(r[0], r[1], r[2]): r[3] or "" for r in con.execute(
        "SELECT schema_name, table_name, NULL, comment FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
        "WHERE database_name = current_database()").fetchall()}
    for name, schema in ALL_TABLES.items():
        where = _schema_of(name)
        wanted = [((where, name, None), description(schema)), *(((where, name, f.name), description(f)) for f in schema)]
        for (key, text), sql in zip(wanted, comment_statements(name, schema), strict=True):
            if have.get(key) != text:
                con.execute(sql)


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Content hashes of every file already published (the manifest)."""
    return {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM ingest_files WHERE status = 'loaded'").fetchall()}


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def existing(paths: list[Path]) -> list[str]:
    """The existing files among ``paths``, as the list a ``read_parquet($files)`` parameter takes (paths are
    always bound as parameters, never written into SQL)."""
    return [p.as_posix() for p in paths if p.exists()]


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


def entities_file(layout: Layout) -> Path:
    return layout.parquet / "entities" / "entities.parquet"


def read_parquet_sql(param: str = "files") -> str:
    """``read_parquet`` over the file list bound to ``$param``; hive partitioning off, so a ``key=value``
    folder anywhere in a path never adds a column."""
    return f"read_parquet(${param}, hive_partitioning = false)"


EXPORT_ROW_GROUP_BYTES = "32MB"
# rows per row group when an export streams (each row is at most a few record limits: bounded memory)
STREAM_BATCH_ROWS = 64


def _atomic_copy(con: duckdb.DuckDBPyConnection, sql: str, params: dict, dest: Path) -> None:
    """Write the result of ``sql`` to ``dest`` as Parquet, atomically (a temporary name, then a rename).

    DuckDB's COPY first: parallel, row groups capped in bytes (a default group of 122,880 article bodies is
    hundreds of MB, more than the connection's memory limit). Should it still run out of memory, the rows
    are streamed out in small batches instead, which needs memory for one batch only.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    try:
        con.execute(f"COPY ({sql}) TO $dest "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES '{EXPORT_ROW_GROUP_BYTES}')",
                    {**params, "dest": tmp.as_posix()})
    except duckdb.OutOfMemoryException:
        tmp.unlink(missing_ok=True)
        _stream_copy(con, sql, params, tmp)
    os.replace(tmp, dest)


def _stream_copy(con: duckdb.DuckDBPyConnection, sql: str, params: dict, dest: Path) -> None:
    reader = con.execute(sql, params).fetch_record_batch(STREAM_BATCH_ROWS)
    with pq.ParquetWriter(dest, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)


_RUN_FILTER = {
    "articles": "SELECT * FROM articles WHERE run_id = $run_id",
    "quotes": "SELECT q.* FROM quotes q JOIN articles a USING (article_id) WHERE a.run_id = $run_id",
    "mentions": "SELECT m.* FROM mentions m JOIN articles a USING (article_id) WHERE a.run_id = $run_id",
    "quote_links": ("SELECT l.* FROM quote_links l JOIN quotes q USING (quote_id) "
                    "JOIN articles a USING (article_id) WHERE a.run_id = $run_id"),
    "ingest_files": "SELECT * FROM ingest_files WHERE run_id = $run_id",
    "quarantine": "SELECT * FROM quarantine WHERE run_id = $run_id",
    "dq_results": "SELECT * FROM dq_results WHERE run_id = $run_id",
    "runs": "SELECT * FROM runs WHERE run_id = $run_id",
    "outlet_metrics": "SELECT * FROM outlet_metrics WHERE run_id = $run_id",
}
# Rows per run of each mirrored table as DuckDB holds them: what the mirror check compares with the files.
_RUN_COUNTS = {
    "articles": "SELECT run_id, count(*) FROM articles GROUP BY run_id",
    "quotes": "SELECT a.run_id, count(*) FROM quotes q JOIN articles a USING (article_id) GROUP BY a.run_id",
    "mentions": "SELECT a.run_id, count(*) FROM mentions m JOIN articles a USING (article_id) GROUP BY a.run_id",
    "quote_links": ("SELECT a.run_id, count(*) FROM quote_links l JOIN quotes q USING (quote_id) "
                    "JOIN articles a USING (article_id) GROUP BY a.run_id"),
    "ingest_files": "SELECT run_id, count(*) FROM ingest_files GROUP BY run_id",
    "quarantine": "SELECT run_id, count(*) FROM quarantine GROUP BY run_id",
    "dq_results": "SELECT run_id, count(*) FROM dq_results GROUP BY run_id",
    "runs": "SELECT run_id, count(*) FROM runs GROUP BY run_id",
    "outlet_metrics": "SELECT run_id, count(*) FROM outlet_metrics GROUP BY run_id",
}


def export_run(con: duckdb.DuckDBPyConnection, layout: Layout, run_id: str,
               tables: tuple[str, ...] = PER_RUN_TABLES) -> None:
    """Mirror one committed run to Parquet (idempotent), then rewrite the global entities file."""
    for table in tables:
        _atomic_copy(con, _RUN_FILTER[table], {"run_id": run_id}, _parquet_file(layout, table, run_id))
    _atomic_copy(con, "SELECT * FROM entities ORDER BY entity_id", {}, entities_file(layout))
    # Marker written last: a run is fully mirrored once it exists.
    marker = layout.parquet / "_exported" / run_id
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("ok\n")


_ROWS_CACHE = "_mirror_rows.json"


def _parquet_rows(layout: Layout, path: Path, cache: dict[str, list[int]]) -> int | None:
    """Rows in a Parquet file from its footer (None: missing or unreadable); footers are read again only
    for files whose size or modification time changed since the last check."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = path.relative_to(layout.parquet).as_posix()
    hit = cache.get(key)
    if hit is not None and hit[:2] == [st.st_size, st.st_mtime_ns]:
        return hit[2]
    try:
        rows = pq.read_metadata(path).num_rows
    except (OSError, ValueError, pa.ArrowException):
        return None
    cache[key] = [st.st_size, st.st_mtime_ns, rows]
    return rows


def check_mirror(con: duckdb.DuckDBPyConnection, layout: Layout, repairs: bool = True) -> list[str]:
    """Compare the Parquet mirror with DuckDB (every committed run's partition of every table present, with
    DuckDB's row count; the entities file likewise) and export again whatever differs. Returns one line per
    kind of repair, for the run summary (``repairs=False``: only what could not be repaired); a partition that
    cannot be written now is named and retried by the next run (a full disk is raised: the user must act).

    After its own export a run calls it too: a run also changes earlier runs' rows (an article loaded again
    from a changed file moves to the new run; a link between a new and an old quote can belong to the old
    one), and their partitions follow at once."""
    import json

    cache_path = layout.parquet / _ROWS_CACHE
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    runs = [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY started_at, run_id").fetchall()]
    stale: dict[str, list[str]] = {}  # run_id -> tables to export again
    why: dict[str, int] = {"missing": 0, "different row count": 0}
    for table in PER_RUN_TABLES:
        counts = dict(con.execute(_RUN_COUNTS[table]).fetchall())
        for run_id in runs:
            rows = _parquet_rows(layout, _parquet_file(layout, table, run_id), cache)
            if rows is None or rows != counts.get(run_id, 0):
                stale.setdefault(run_id, []).append(table)
                why["missing" if rows is None else "different row count"] += 1
    entities = con.execute("SELECT count(*) FROM entities").fetchone()[0]
    entities_ok = not runs or _parquet_rows(layout, entities_file(layout), cache) == entities
    notes: list[str] = []
    failed: list[str] = []
    for run_id, tables in stale.items():
        try:
            export_run(con, layout, run_id, tuple(tables))
            entities_ok = True
        except Exception as exc:
            if no_space_path(exc) is not None:
                raise
            failed.append(f"run {run_id} ({describe(exc)})")
    if not entities_ok:
        _atomic_copy(con, "SELECT * FROM entities ORDER BY entity_id", {}, entities_file(layout))
    if stale and repairs:
        parts = sum(len(t) for t in stale.values())
        reasons = ", ".join(f"{n} {k}" for k, n in why.items() if n)
        notes.append(f"mirror: {parts} Parquet partition(s) of {len(stale)} run(s) differed from the database "
                     f"({reasons}) and were exported again")
    elif not entities_ok and repairs:
        notes.append("mirror: the entities Parquet file differed from the database and was written again")
    if failed:
        notes.append("mirror: could not export " + "; ".join(failed) + ": the next run tries again")
    orphans = sorted({p.parent.name.removeprefix("run_id=") for p in layout.parquet.glob("*/run_id=*/*.parquet")}
                     - set(runs))
    if orphans and repairs:
        notes.append(f"mirror: {len(orphans)} Parquet partition folder(s) belong to runs the database does not "
                     f"hold (e.g. {orphans[0]}); left as they are (`khabar restore` reads them back)")
    for table in PER_RUN_TABLES:  # refresh the cache with what is on disk now
        for run_id in stale:
            _parquet_rows(layout, _parquet_file(layout, table, run_id), cache)
    _parquet_rows(layout, entities_file(layout), cache)
    tmp = cache_path.with_name(cache_path.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(cache), encoding="utf-8")
    os.replace(tmp, cache_path)
    return notes


def recover(con: duckdb.DuckDBPyConnection, layout: Layout) -> list[str]:
    """Finish what an earlier run left: half-written Parquet temporaries and stale staging are removed,
    and the mirror is checked against the database (committed runs not exported yet, deleted or damaged
    partitions). Returns the lines the run summary shows."""
    for tmp in [*layout.parquet.rglob("*.tmp*"), *layout.root.glob(f".{DB_NAME}.new-*"),
                *layout.root.glob(f"{NEXT_PREFIX}*")]:
        tmp.unlink(missing_ok=True)
    if layout.staging.exists():
        for d in layout.staging.iterdir():
            shutil.rmtree(d, ignore_errors=True)
    return check_mirror(con, layout)


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
    paths = existing(files)
    if not paths:
        return
    cols = ", ".join(f.name for f in CURATED[table])
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {read_parquet_sql()}", {"files": paths})


def write_staging(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
