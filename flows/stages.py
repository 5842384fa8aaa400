"""The I/O side of each pipeline stage. The flow (flows/pipeline.py) calls these; the Arabic-text logic
they apply lives in transforms/.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa

from flows import landing
from flows.warehouse import Layout, store_quarantined_bytes, store_quarantined_file, write_staging
from schemas.tables import ARTICLES, ENTITIES, MENTIONS, QUOTES
from transforms.article import build_rows
from transforms.formats import Limits, parse_file
from transforms.types import IngestedFile, Quarantined

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
    staged: dict[str, list[str]] = field(default_factory=dict)  # table -> staging parquet parts
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
    out.staged = {t: [] for t in CURATED_STAGED}

    def flush() -> None:
        t2 = time.perf_counter()
        part = len(out.staged["articles"])
        for table, schema in CURATED_STAGED.items():
            path = stage_dir / f"{table}-{batch_no:04d}-{part:04d}.parquet"
            write_staging(path, pa.Table.from_pylist(buffers[table], schema=schema))
            out.staged[table].append(str(path))
            buffers[table].clear()
        out.seconds["write staging"] += time.perf_counter() - t2

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
        loaded = 0
        quarantined = list(ingested.quarantined)
        for rec in ingested.records:
            result = build_rows(rec, run_id=run_id, ingested_at=now, reference=reference)
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
        out.seconds["clean+extract"] += time.perf_counter() - t1
    if buffers["articles"] or not out.staged["articles"]:
        flush()
    return out


def drop_staging(layout: Layout, run_id: str) -> None:
    import shutil

    shutil.rmtree(layout.staging / run_id, ignore_errors=True)


_POOL = None


def local_pool():
    """The run's local process pool, if one is open (see local_pool_scope)."""
    return _POOL


class local_pool_scope:  # noqa: N801 - used as a context manager
    """Open a fork-based process pool of ``workers`` processes for the duration of a run (0: none).

    Fork, not spawn: workers inherit the already-imported transforms and reference data, so a batch
    starts in milliseconds instead of paying a fresh interpreter and imports per worker.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def __enter__(self):
        global _POOL
        if self.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _POOL = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
        return _POOL

    def __exit__(self, *exc) -> None:
        global _POOL
        if _POOL is not None:
            _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None
