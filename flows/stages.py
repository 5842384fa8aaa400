"""The I/O side of each pipeline stage. The flow (flows/pipeline.py) calls these; the Arabic-text logic
they apply lives in transforms/.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from flows import interrupt, landing
from flows.errors import describe
from flows.warehouse import Layout, store_quarantined_bytes, store_quarantined_file, write_staging
from schemas.tables import ARTICLE_FEATURES, ARTICLES, ENTITIES, MENTIONS, QUOTES
from transforms.article import build_rows, clean_page
from transforms.features import article_features
from transforms.formats import Limits, parse_file, record_json_bytes
from transforms.types import IngestedFile, Quarantined, RawRecord

T = TypeVar("T")
CURATED_STAGED = {"articles": ARTICLES, "quotes": QUOTES, "mentions": MENTIONS, "entities": ENTITIES}


@dataclass
class FileJob:
    rel: str
    path: str
    sha256: str
    size: int


@dataclass
class BatchResult:
    """What one batch task hands back: small rows and counts; the articles stay on disk in staging."""

    file_rows: list[dict] = field(default_factory=list)
    quarantine_rows: list[dict] = field(default_factory=list)
    staged: dict[str, list[str]] = field(default_factory=dict)  # table -> staging parquet parts (+ "features")
    records_seen: int = 0
    articles: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: Counter())


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@dataclass
class Plan:
    jobs: list[FileJob]
    file_rows: list[dict]  # skipped and file-level quarantined
    quarantine_rows: list[dict]
    files_seen: int


HIDDEN_REASON = "hidden name (starts with '.'): not read as an input"


def plan_inputs(landing_dir: Path, layout: Layout, run_id: str, done: set[str], limits: Limits) -> Plan:
    """Discover every file, hash it, and split into jobs, already-loaded skips and file-level rejects."""
    jobs: list[FileJob] = []
    file_rows: list[dict] = []
    q_rows: list[dict] = []
    seen_now: set[str] = set()
    entries = landing.discover(landing_dir, exclude=[layout.root], include_hidden=True)
    for entry in entries:
        interrupt.checkpoint()
        if entry.hidden:  # never opened: listed so that it is accounted for
            file_rows.append(_file_row(run_id, entry.rel, None, entry.size, None, None, "skipped", 0, HIDDEN_REASON))
            continue
        if entry.problem is not None:
            q = entry.problem
            _reject_file(layout, run_id, q, size=entry.size, fmt="unknown", file_rows=file_rows, q_rows=q_rows)
            continue
        try:
            digest = sha256_file(Path(entry.path))
        except OSError as exc:
            q = Quarantined(entry.rel, None, "unreadable", str(exc.strerror or exc))
            _reject_file(layout, run_id, q, size=entry.size, fmt="unknown", file_rows=file_rows, q_rows=q_rows)
            continue
        if digest in done or digest in seen_now:
            file_rows.append(_file_row(run_id, entry.rel, digest, entry.size, None, None, "skipped", 0,
                                       "already loaded" if digest in done else "same content as another file"))
            continue
        seen_now.add(digest)
        jobs.append(FileJob(entry.rel, str(entry.path), digest, entry.size))
    return Plan(jobs, file_rows, q_rows, files_seen=len(entries))


def make_batches(jobs: list[FileJob], workers: int, target_bytes: int = 2 << 20) -> list[list[FileJob]]:
    """Group files into size-balanced batches: enough to keep every worker busy, few enough to stay cheap."""
    if not jobs:
        return []
    total = sum(j.size for j in jobs)
    n = max(workers, min(len(jobs), -(-total // target_bytes)))
    bins: list[list[FileJob]] = [[] for _ in range(n)]
    loads = [0] * n
    for job in sorted(jobs, key=lambda j: -j.size):
        i = loads.index(min(loads))
        bins[i].append(job)
        loads[i] += job.size
    return [sorted(b, key=lambda j: j.rel) for b in bins if b]


# ingest_files.reason_code of a skipped file (a quarantined file's is its quarantine reason_code).
_SKIP_CODES = {HIDDEN_REASON: "hidden_name", "already loaded": "already_loaded",
               "same content as another file": "duplicate_content"}


def reason_code(status: str, reason: str | None) -> str | None:
    """The code of a file row's reason: a quarantined file's reason is ``code: detail`` (the code is the
    quarantine row's reason_code); a skipped file's is one of three phrases.

    >>> reason_code("quarantined", "parse_error: ValueError: bad"), reason_code("skipped", "already loaded")
    ('parse_error', 'already_loaded')
    >>> reason_code("loaded", None) is None
    True
    """
    if reason is None:
        return None
    if status == "skipped":
        return _SKIP_CODES.get(reason, "skipped")
    return reason.split(":", 1)[0].strip()


def _file_row(run_id: str, rel: str, sha: str | None, size: int, fmt: str | None, enc: str | None,
              status: str, records: int, reason: str | None) -> dict:
    return {"run_id": run_id, "source_file": rel, "sha256": sha, "bytes": size, "format": fmt,
            "encoding": enc, "status": status, "records": records, "reason": reason,
            "reason_code": reason_code(status, reason)}


def _quarantine_row(layout: Layout, run_id: str, q: Quarantined) -> dict:
    stored = store_quarantined_bytes(layout, q.source_file + (f"#{q.source_record}" if q.source_record else ""), q.raw)
    return {"run_id": run_id, "source_file": q.source_file, "source_record": q.source_record,
            "reason_code": q.reason_code, "detail": q.detail[:500], "stored_path": stored}


def _reject_file(layout: Layout, run_id: str, q: Quarantined, size: int, fmt: str,
                 file_rows: list[dict], q_rows: list[dict]) -> None:
    q_rows.append(_quarantine_row(layout, run_id, q))
    sha = hashlib.sha256(q.raw).hexdigest()
    file_rows.append(_file_row(run_id, q.source_file, sha, size, fmt, None, "quarantined", 0,
                               f"{q.reason_code}: {q.detail}"[:500]))


# Rows a worker holds before writing them out: memory stays flat whatever the size of a file or a batch
# (articles, or characters of body and body_norm: a few articles near the record-size limit fill a part).
FLUSH_ARTICLES = 1000
FLUSH_CHARS = 32 << 20


def record_bytes(rec: RawRecord) -> bytes:
    """The bytes kept for a record that failed after parsing: a page's text, or a JSON record's fields."""
    if rec.is_page:
        return rec.text.encode("utf-8", "surrogatepass")
    fields = {k: getattr(rec, k) for k in ("title", "text", "author", "url", "date", "source")}
    return record_json_bytes({k: v for k, v in fields.items() if v is not None})


@dataclass
class _Staged:
    """One article's rows waiting to be written, with the record they came from (kept until written, so that
    an article whose rows cannot be written is quarantined with its bytes)."""

    rec: RawRecord
    article: dict
    quotes: list[dict]
    mentions: list[dict]
    entities: list[dict]


class _Stager:
    """Writes a batch's articles as staging Parquet parts, FLUSH_ARTICLES at a time.

    An article whose rows cannot become Arrow rows (or features) is found by converting the part article
    by article, and quarantined (``unwritable_record``) while the others are written. An error writing the
    file itself (a full disk) is the environment's, not the record's: it is raised.
    """

    def __init__(self, layout: Layout, run_id: str, batch_no: int | str, out: BatchResult) -> None:
        self.layout, self.run_id, self.out = layout, run_id, out
        self.tag = f"{batch_no:04d}" if isinstance(batch_no, int) else batch_no
        self.pending: list[_Staged] = []
        self.pending_chars = 0
        self.stage_dir = layout.staging / run_id
        out.staged = {t: [] for t in (*CURATED_STAGED, "features")}

    def add(self, item: _Staged) -> None:
        self.pending.append(item)
        self.pending_chars += len(item.article["body"] or "") + len(item.article["body_norm"] or "")
        if len(self.pending) >= FLUSH_ARTICLES or self.pending_chars >= FLUSH_CHARS:
            self.flush()

    def _tables(self, items: list[_Staged]) -> tuple[dict[str, pa.Table], float]:
        rows = {"articles": [i.article for i in items], "quotes": [r for i in items for r in i.quotes],
                "mentions": [r for i in items for r in i.mentions], "entities": [r for i in items for r in i.entities]}
        tables = {table: pa.Table.from_pylist(rows[table], schema=schema) for table, schema in CURATED_STAGED.items()}
        t = time.perf_counter()
        tables["features"] = article_features(rows["articles"], ARTICLE_FEATURES)
        return tables, time.perf_counter() - t

    def flush(self) -> None:
        t = time.perf_counter()
        items, self.pending, self.pending_chars = self.pending, [], 0
        try:
            tables, features_seconds = self._tables(items)
        except Exception as exc:  # noqa: BLE001 - one article's rows; found below and quarantined
            if isinstance(exc, OSError):
                raise
            good = []
            for item in items:
                try:
                    self._tables([item])
                except Exception as one:  # noqa: BLE001 - this article's rows, not the batch's
                    if isinstance(one, OSError):
                        raise
                    self._reject(item, one)
                else:
                    good.append(item)
            tables, features_seconds = self._tables(good)
        part = len(self.out.staged["articles"])
        for table, tbl in tables.items():
            path = self.stage_dir / f"{table}-{self.tag}-{part:04d}.parquet"
            write_staging(path, tbl)
            self.out.staged[table].append(str(path))
        self.out.seconds["features"] += features_seconds
        self.out.seconds["write staging"] += time.perf_counter() - t - features_seconds

    def _reject(self, item: _Staged, exc: Exception) -> None:
        q = Quarantined(item.rec.source_file, item.rec.source_record, "unwritable_record", describe(exc),
                        record_bytes(item.rec))
        self.out.quarantine_rows.append(_quarantine_row(self.layout, self.run_id, q))
        self.out.articles -= 1

    def close(self) -> None:
        if self.pending or not self.out.staged["articles"]:
            self.flush()


def process_batch(jobs: list[FileJob], root: str, run_id: str, batch_no: int | str,
                  reference: date | None, limits: Limits | None = None) -> BatchResult:
    """Read, decode, parse, clean and extract every file of one batch; stage curated rows as Parquet.

    Whatever one file or record does, the batch goes on: a file the parser fails on is quarantined
    (``parse_error``), a record that fails in cleaning or extraction is quarantined (``extract_error``), and
    one whose rows cannot be written is quarantined (``unwritable_record``), each with its bytes and the
    error in ``detail``. Only the environment (the warehouse's disk) stops a batch.
    """
    layout = Layout(Path(root))
    limits = limits or Limits()
    out = BatchResult()
    now = datetime.now(UTC)
    stager = _Stager(layout, run_id, batch_no, out)
    for job in jobs:
        interrupt.checkpoint()  # a no-op in worker processes: they never see the signal; batches in threads stop
        _process_file(job, layout, run_id, reference, now, limits, stager, out)
    stager.close()
    return out


def _process_file(job: FileJob, layout: Layout, run_id: str, reference: date | None, now: datetime,
                  limits: Limits, stager: _Stager, out: BatchResult) -> None:
    t0 = time.perf_counter()
    try:
        data = landing.read_bytes(Path(job.path), limits)
    except landing.ReadProblem as exc:
        # Too big (or changed) to read whole: the bytes are still kept, copied in chunks.
        stored = store_quarantined_file(layout, job.rel, Path(job.path))
        out.quarantine_rows.append({"run_id": run_id, "source_file": job.rel, "source_record": None,
                                    "reason_code": exc.reason_code, "detail": exc.detail[:500],
                                    "stored_path": stored})
        out.file_rows.append(_file_row(run_id, job.rel, job.sha256, job.size, "unknown", None, "quarantined",
                                       0, f"{exc.reason_code}: {exc.detail}"[:500]))
        return
    try:
        ingested: IngestedFile = parse_file(job.rel, data, limits)
    except Exception as exc:  # noqa: BLE001 - a parser failing on one file must not stop the run
        ingested = IngestedFile(job.rel, job.sha256, len(data), "unknown", None, reason="parse_error",
                                quarantined=[Quarantined(job.rel, None, "parse_error", describe(exc), data)])
    out.seconds["ingest"] += time.perf_counter() - t0
    if ingested.reason is not None:  # the whole file is rejected, with its bytes
        for q in ingested.quarantined:
            out.quarantine_rows.append(_quarantine_row(layout, run_id, q))
        detail = ingested.quarantined[0].detail if ingested.quarantined else ""
        out.file_rows.append(_file_row(run_id, job.rel, job.sha256, job.size, ingested.format,
                                       ingested.encoding, "quarantined", 0,
                                       f"{ingested.reason}: {detail}"[:500]))
        return
    t1 = time.perf_counter()
    cleaning = 0.0
    loaded = 0
    quarantined = list(ingested.quarantined)
    for rec in ingested.records:
        t_clean = time.perf_counter()
        try:
            page = clean_page(rec)
            cleaning += time.perf_counter() - t_clean
            result = page if isinstance(page, Quarantined) else \
                build_rows(rec, run_id=run_id, ingested_at=now, reference=reference, page=page)
        except Exception as exc:  # noqa: BLE001 - one record's failure stays that record's
            result = Quarantined(rec.source_file, rec.source_record, "extract_error", describe(exc),
                                 record_bytes(rec))
        if isinstance(result, Quarantined):
            quarantined.append(result)
            continue
        art, quotes, mentions, entities = result
        loaded += 1
        out.articles += 1
        t_flush = time.perf_counter()
        stager.add(_Staged(rec, art, quotes, mentions, entities))
        t1 += time.perf_counter() - t_flush  # staging time is counted apart from extraction
    for q in quarantined:
        out.quarantine_rows.append(_quarantine_row(layout, run_id, q))
    out.records_seen += len(ingested.records) + len(ingested.quarantined)
    out.file_rows.append(_file_row(run_id, job.rel, job.sha256, job.size, ingested.format, ingested.encoding,
                                   "loaded", loaded + len(quarantined), None))
    out.seconds["clean"] += cleaning
    out.seconds["extract"] += time.perf_counter() - t1 - cleaning


def merge_results(results: list[BatchResult]) -> BatchResult:
    """One result for several (the files of a batch run one at a time)."""
    out = BatchResult()
    out.staged = {t: [] for t in (*CURATED_STAGED, "features")}
    for r in results:
        out.file_rows += r.file_rows
        out.quarantine_rows += r.quarantine_rows
        for table, parts in r.staged.items():
            out.staged.setdefault(table, []).extend(parts)
        out.records_seen += r.records_seen
        out.articles += r.articles
        out.seconds.update(r.seconds)
    return out


def crashed_file(job: FileJob, root: str, run_id: str, error: BaseException) -> BatchResult:
    """The result for a file whose processing killed or broke its worker process: the file is quarantined
    (``worker_crashed``) with its bytes, and the rest of the run goes on."""
    layout = Layout(Path(root))
    out = BatchResult()
    out.staged = {t: [] for t in (*CURATED_STAGED, "features")}
    stored = store_quarantined_file(layout, job.rel, Path(job.path))
    out.quarantine_rows.append({"run_id": run_id, "source_file": job.rel, "source_record": None,
                                "reason_code": "worker_crashed", "detail": describe(error)[:500],
                                "stored_path": stored})
    out.file_rows.append(_file_row(run_id, job.rel, job.sha256, job.size, "unknown", None, "quarantined", 0,
                                   f"worker_crashed: {describe(error)}"[:500]))
    return out


def drop_staging(layout: Layout, run_id: str) -> None:
    import shutil

    shutil.rmtree(layout.staging / run_id, ignore_errors=True)


def warm_up() -> None:
    """Load every reference table and compile every pattern of the transforms by extracting one small page."""
    page = ("دمشق-سانا\n\nقال وزير الخارجية سيرغي لافروف في موسكو يوم 3 أيلول 2016 إن \"الاتفاق قريب\".\n\n"
            "وأضاف لافروف أن الجانبين سيلتقيان في جنيف.")
    build_rows(RawRecord("warm-up.txt", 0, "txt", page, title="لافروف: الاتفاق قريب"), run_id="warm-up",
               ingested_at=datetime.now(UTC), reference=None)
    article_features([], ARTICLE_FEATURES)


# Batch workers are forked from a fork server: a small process that imports the transforms and warms them
# (flows/batch_worker.py) once, started as the command begins. Forking it rather than the run's main process
# keeps workers lean (no Prefect, Great Expectations or pandas pages in them) and fork-safe (the main
# process runs Prefect's threads by then), and a batch still starts in milliseconds.
_WORKER_PRELOAD = ["flows.batch_worker"]
# A worker's caches (words, names, datelines: bounded, but large when full) grow with the text it has seen;
# replacing it after a few batches (a fork of the warm server: milliseconds) keeps a long run's workers the
# size of a short run's.
BATCHES_PER_WORKER = 4
_POOL = None
_POOLS: set = set()  # every process pool open now (the batch pool, one-off workers): stop_workers ends them
WAIT_STEP_SECONDS = 0.2


def _worker_context():
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_WORKER_PRELOAD)
    return ctx


def _new_pool(workers: int, **kw):
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=_worker_context(), **kw)
    _POOLS.add(pool)
    interrupt.on_exit(stop_workers)
    return pool


def _close_pool(pool, kill: bool = False) -> None:
    if kill:
        _kill_workers(pool)
    pool.shutdown(wait=not kill, cancel_futures=True)
    _POOLS.discard(pool)


def _kill_workers(pool) -> None:
    """Kill every worker of ``pool``, including one that a ``submit`` in another thread is starting now, and
    let no other start.

    ``submit`` starts a worker while holding the pool's lock, and registers it only once the fork server
    has forked it (seconds while the server still preloads). Killing the registered workers without that
    lock misses such a worker: nothing kills it or tells it to exit, and the fork server, which runs until
    its last worker has exited, keeps ``stop_workers`` waiting for ever. Under the lock, marked shut down,
    the pool has no half-started worker and starts none after."""
    with pool._shutdown_lock:
        pool._shutdown_thread = True  # what shutdown() sets: a later submit raises instead of starting one
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                proc.kill()
            except (OSError, ValueError, AttributeError):
                pass


def start_worker_server() -> None:
    """Start the workers' fork server now, without waiting: it warms up while the rest of the run starts."""
    from multiprocessing import forkserver

    _worker_context()
    forkserver.ensure_running()
    interrupt.on_exit(stop_workers)


def stop_workers() -> None:
    """Kill every worker process of this run and the fork server they come from (on a stop: nothing they
    were doing is kept; staging is cleaned by the next run)."""
    global _POOL
    for pool in list(_POOLS):
        _close_pool(pool, kill=True)
    _POOL = None
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None and getattr(server, "_forkserver_pid", None):
        stop()


def wait_for(future, cancel: Callable[[], None] | None = None):
    """``future.result()``, looking for a stop request every WAIT_STEP_SECONDS (``cancel`` then runs)."""
    from concurrent.futures import TimeoutError as FutureTimeout

    while True:
        try:
            interrupt.checkpoint()
        except interrupt.RunStopped:
            if cancel is not None:
                cancel()
            raise
        try:
            return future.result(timeout=WAIT_STEP_SECONDS)
        except FutureTimeout:
            continue


class InWorker:
    """A call running in a fresh worker process forked from the fork server: call it to wait for the result
    (a stop request kills the worker), ``cancel()`` to kill it."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.pool = _new_pool(1)
        self.future = self.pool.submit(fn, *args)

    def __call__(self):
        try:
            return wait_for(self.future, self.cancel)
        finally:
            _close_pool(self.pool)

    def cancel(self) -> None:
        _close_pool(self.pool, kill=True)


class InThread:
    """A call running in a thread of this process, with the same interface as :class:`InWorker`: for
    pure-Python work that a worker would cost more to start than it takes (the checks of a small run), done
    while this thread waits on DuckDB, which releases the GIL. A stop request ends the wait, not the call: the
    thread is a daemon and ends with the process."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        from concurrent.futures import Future

        self.future: Future = Future()

        def call() -> None:
            try:
                self.future.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - raised again where the result is waited for
                self.future.set_exception(exc)

        threading.Thread(target=call, name=f"khabar-{getattr(fn, '__name__', 'call')}", daemon=True).start()

    def __call__(self):
        return wait_for(self.future)

    def cancel(self) -> None:
        pass


class Done:
    """A result already computed, with the same interface as :class:`InWorker`."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self):
        return self.value

    def cancel(self) -> None:
        pass


def start_in_worker(fn: Callable[..., T], *args: Any) -> InWorker:
    """Run ``fn(*args)`` in a fresh worker forked from the fork server; call the result to wait for it."""
    return InWorker(fn, *args)


def local_pool():
    """The run's local process pool, if one is open (see local_pool_scope)."""
    return _POOL


class local_pool_scope:  # noqa: N801 - used as a context manager
    """Open a process pool of ``workers`` warm, lean processes for the duration of a run (0: none)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def __enter__(self):
        global _POOL
        if self.workers > 1:
            _POOL = _new_pool(self.workers, max_tasks_per_child=BATCHES_PER_WORKER)
        return _POOL

    def __exit__(self, exc_type, *exc) -> None:
        global _POOL
        if _POOL is not None:
            # on a stop or a failure the workers are killed, not waited for
            _close_pool(_POOL, kill=exc_type is not None)
        _POOL = None


def stop_local_pool() -> None:
    """Kill the run's batch workers now (a stop request: what they were doing is dropped)."""
    if _POOL is not None:
        _close_pool(_POOL, kill=True)


_REPLACING = threading.Lock()


def replace_broken_pool() -> None:
    """A worker died (killed, or crashed on an input): open a fresh pool of the same size in its place."""
    global _POOL
    with _REPLACING:
        if _POOL is None or not getattr(_POOL, "_broken", False):
            return
        workers = _POOL._max_workers
        _close_pool(_POOL, kill=True)
        _POOL = _new_pool(workers, max_tasks_per_child=BATCHES_PER_WORKER)
