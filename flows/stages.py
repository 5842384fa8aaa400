"""The I/O side of each pipeline stage. The flow (flows/pipeline.py) calls these; the Arabic-text logic
they apply lives in transforms/.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from flows import landing
from flows.warehouse import Layout, store_quarantined_bytes, store_quarantined_file, write_staging
from schemas.tables import ARTICLE_FEATURES, ARTICLES, ENTITIES, MENTIONS, QUOTES
from transforms.article import build_rows, clean_page
from transforms.features import article_features
from transforms.formats import Limits, parse_file
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


def plan_inputs(landing_dir: Path, layout: Layout, run_id: str, done: set[str], limits: Limits) -> Plan:
    """Discover every file, hash it, and split into jobs, already-loaded skips and file-level rejects."""
    jobs: list[FileJob] = []
    file_rows: list[dict] = []
    q_rows: list[dict] = []
    seen_now: set[str] = set()
    entries = landing.discover(landing_dir, exclude=[layout.root])
    for entry in entries:
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


def _file_row(run_id: str, rel: str, sha: str, size: int, fmt: str | None, enc: str | None,
              status: str, records: int, reason: str | None) -> dict:
    return {"run_id": run_id, "source_file": rel, "sha256": sha, "bytes": size, "format": fmt,
            "encoding": enc, "status": status, "records": records, "reason": reason}


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


# Rows a worker holds before writing them out: memory stays flat whatever the size of a file or a batch.
FLUSH_ARTICLES = 1000


def process_batch(jobs: list[FileJob], root: str, run_id: str, batch_no: int,
                  reference: date | None, limits: Limits | None = None) -> BatchResult:
    """Read, decode, parse, clean and extract every file of one batch; stage curated rows as Parquet."""
    layout = Layout(Path(root))
    limits = limits or Limits()
    out = BatchResult()
    now = datetime.now(UTC)
    buffers: dict[str, list[dict]] = {t: [] for t in CURATED_STAGED}
    stage_dir = layout.staging / run_id
    out.staged = {t: [] for t in (*CURATED_STAGED, "features")}

    def flush() -> None:
        t2 = time.perf_counter()
        part = len(out.staged["articles"])
        tables = {table: pa.Table.from_pylist(buffers[table], schema=schema)
                  for table, schema in CURATED_STAGED.items()}
        t3 = time.perf_counter()
        tables["features"] = article_features(buffers["articles"], ARTICLE_FEATURES)
        features_seconds = time.perf_counter() - t3
        out.seconds["features"] += features_seconds
        for table, tbl in tables.items():
            path = stage_dir / f"{table}-{batch_no:04d}-{part:04d}.parquet"
            write_staging(path, tbl)
            out.staged[table].append(str(path))
        for rows in buffers.values():
            rows.clear()
        out.seconds["write staging"] += time.perf_counter() - t2 - features_seconds

    for job in jobs:
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
            continue
        ingested: IngestedFile = parse_file(job.rel, data, limits)
        out.seconds["ingest"] += time.perf_counter() - t0
        if ingested.reason is not None:  # the whole file is rejected, with its bytes
            for q in ingested.quarantined:
                out.quarantine_rows.append(_quarantine_row(layout, run_id, q))
            detail = ingested.quarantined[0].detail if ingested.quarantined else ""
            out.file_rows.append(_file_row(run_id, job.rel, job.sha256, job.size, ingested.format,
                                           ingested.encoding, "quarantined", 0,
                                           f"{ingested.reason}: {detail}"[:500]))
            continue
        t1 = time.perf_counter()
        cleaning = 0.0
        loaded = 0
        quarantined = list(ingested.quarantined)
        for rec in ingested.records:
            t_clean = time.perf_counter()
            page = clean_page(rec)
            cleaning += time.perf_counter() - t_clean
            result = page if isinstance(page, Quarantined) else \
                build_rows(rec, run_id=run_id, ingested_at=now, reference=reference, page=page)
            if isinstance(result, Quarantined):
                quarantined.append(result)
                continue
            art, quotes, mentions, entities = result
            buffers["articles"].append(art)
            buffers["quotes"].extend(quotes)
            buffers["mentions"].extend(mentions)
            buffers["entities"].extend(entities)
            loaded += 1
            if len(buffers["articles"]) >= FLUSH_ARTICLES:
                t_flush = time.perf_counter()
                flush()
                t1 += time.perf_counter() - t_flush  # staging time is counted apart from extraction
        for q in quarantined:
            out.quarantine_rows.append(_quarantine_row(layout, run_id, q))
        out.records_seen += len(ingested.records) + len(ingested.quarantined)
        out.articles += loaded
        out.file_rows.append(_file_row(run_id, job.rel, job.sha256, job.size, ingested.format, ingested.encoding,
                                       "loaded", loaded + len(quarantined), None))
        out.seconds["clean"] += cleaning
        out.seconds["extract"] += time.perf_counter() - t1 - cleaning
    if buffers["articles"] or not out.staged["articles"]:
        flush()
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


def _worker_context():
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_WORKER_PRELOAD)
    return ctx


def start_worker_server() -> None:
    """Start the workers' fork server now, without waiting: it warms up while the rest of the run starts."""
    from multiprocessing import forkserver

    _worker_context()
    forkserver.ensure_running()


def start_in_worker(fn: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Run ``fn(*args)`` in a fresh worker forked from the fork server; returns a function that waits for
    the result (and lets the worker go)."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(1, mp_context=_worker_context())
    future = pool.submit(fn, *args)

    def result() -> T:
        try:
            return future.result()
        finally:
            pool.shutdown(wait=True)

    return result


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
            from concurrent.futures import ProcessPoolExecutor

            _POOL = ProcessPoolExecutor(self.workers, mp_context=_worker_context(),
                                        max_tasks_per_child=BATCHES_PER_WORKER)
        return _POOL

    def __exit__(self, *exc) -> None:
        global _POOL
        if _POOL is not None:
            _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None
