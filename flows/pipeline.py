"""khabar's Prefect flow: one run over a landing folder into a warehouse. Reads as a table of contents;
each step is a task working on whole batches, never one task per article.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows import interrupt, progress, remote, stages, warehouse  # noqa: E402
from flows.errors import user_facing  # noqa: E402
from flows.publish import link_and_publish  # noqa: E402
from transforms.formats import Limits  # noqa: E402


class _RunFailuresToTheCommandLine(logging.Filter):
    """Prefect prints a flow or task run's failure (a traceback, "Crash detected!") on the console; the
    command line reports failures itself: one line for what the user can fix or for a stop by signal, the
    traceback of a bug. Once a stop is asked for, nothing else is printed either (services flushing on the
    way out). Prefect's API still records it all (this filters the console only)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if interrupt.requested() is not None:
            return False
        return not (record.levelno >= logging.ERROR and record.name.startswith(_RUN_LOGGERS))


_RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")
for _handler in logging.getLogger().handlers:
    if type(_handler).__name__ == "PrefectConsoleHandler":
        _handler.addFilter(_RunFailuresToTheCommandLine())


def retry_unless_user_facing(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's retry_condition_fn
    """Retry a failed task, except when it failed on something the user must fix (a full disk, missing
    credentials): trying again cannot help, and the user waits for nothing."""
    try:
        state.result()
    except Exception as exc:  # noqa: BLE001 - the task's own failure, inspected
        return user_facing(exc) is None
    return True


@task(name="plan-inputs", retries=2, retry_delay_seconds=1, retry_condition_fn=retry_unless_user_facing)
def plan_inputs(landing: str, root: str, run_id: str, done: set[str]) -> stages.Plan:
    return stages.plan_inputs(Path(landing), warehouse.Layout(Path(root)), run_id, done, Limits())


@task(name="process-batch", retries=1, retry_delay_seconds=1, retry_condition_fn=retry_unless_user_facing)
def process_batch(jobs: list[stages.FileJob], root: str, run_id: str, batch_no: int,
                  reference: date | None) -> stages.BatchResult:
    """One batch of files: read, decode, parse, clean, extract, stage. CPU work goes to the local process
    pool when there is one (forked workers start in milliseconds), else runs here (a Dask worker).

    Inputs cannot fail a batch (stages.process_batch quarantines them), but one can still kill its worker
    process (a crash in a parser's C code, the kernel's out-of-memory killer): then the batch's files are
    run one at a time, each in a process of its own, and a file that fails alone is quarantined."""
    interrupt.checkpoint()
    try:
        return _run_batch(jobs, root, run_id, batch_no, reference)
    except Exception as exc:
        if interrupt.requested() is not None:
            raise interrupt.RunStopped(interrupt.requested()) from None
        if user_facing(exc) is not None:
            raise
        return stages.merge_results([_run_alone(job, root, run_id, f"{batch_no:04d}.{i:04d}", reference)
                                     for i, job in enumerate(jobs)])


def _run_batch(jobs: list[stages.FileJob], root: str, run_id: str, batch_no: int | str,
               reference: date | None) -> stages.BatchResult:
    pool = stages.local_pool()
    if pool is not None:
        return stages.wait_for(pool.submit(stages.process_batch, jobs, root, run_id, batch_no, reference))
    return stages.process_batch(jobs, root, run_id, batch_no, reference)


def _run_alone(job: stages.FileJob, root: str, run_id: str, tag: str, reference: date | None) -> stages.BatchResult:
    try:
        if stages.local_pool() is not None:
            stages.replace_broken_pool()
            return stages.start_in_worker(stages.process_batch, [job], root, run_id, tag, reference)()
        return stages.process_batch([job], root, run_id, tag, reference)
    except Exception as exc:  # noqa: BLE001 - this file alone fails: it is quarantined, the run goes on
        if interrupt.requested() is not None:
            raise interrupt.RunStopped(interrupt.requested()) from None
        if user_facing(exc) is not None:
            raise
        return stages.crashed_file(job, root, run_id, exc)


@task(name="link-validate-publish", retries=2, retry_delay_seconds=1, retry_condition_fn=retry_unless_user_facing)
def publish(root: str, run_id: str, plan: stages.Plan, results: list[stages.BatchResult],
            started_at: datetime, landing: str, in_workers: bool = False, lock_wait: float = 0.0) -> dict[str, Any]:
    return link_and_publish(warehouse.Layout(Path(root)), run_id, plan, results, started_at, landing, in_workers,
                            lock_wait)


@task(name="sync-landing", retries=3, retry_delay_seconds=2, retry_condition_fn=retry_unless_user_facing)
def sync_landing(url: str, cache: str) -> str:
    return str(remote.sync_landing(url, Path(cache)))


@task(name="mirror-parquet", retries=3, retry_delay_seconds=2, retry_condition_fn=retry_unless_user_facing)
def mirror_parquet(root: str, url: str, run_id: str) -> int:
    return remote.mirror_parquet(warehouse.Layout(Path(root)).parquet, url, run_id)


def resolve_landing(landing: str, layout: warehouse.Layout) -> str:
    """A local folder to read: the path itself, a file:// path, or a synchronised cache of a remote URL."""
    local = remote.local_path(landing)
    if local is not None:
        return str(local)
    cache = layout.root / "_landing_cache" / hashlib.sha256(landing.encode()).hexdigest()[:16]
    return sync_landing(landing, str(cache))


def task_runner_for(runner: str, dask_address: str | None, workers: int):
    """Where batch tasks run: threads that hand CPU work to a local fork-based process pool (default), or
    a Dask cluster (a scheduler address, or a local multi-process cluster when none is given)."""
    if runner == "dask" or dask_address:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # A local cluster is this command's: its workers' and nannies' chatter (and their shutdown
        # complaints when a run is stopped) stays off the console, which the command line speaks on.
        for name in ("distributed", "tornado"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        return _local_cluster_runner()(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                                       "processes": True, "silence_logs": logging.CRITICAL})
    return ThreadPoolTaskRunner(max_workers=max(1, workers))


def _local_cluster_runner():
    """Prefect's Dask task runner, whose local cluster's processes ignore SIGINT: a Ctrl-C reaches the whole
    terminal process group, and the run, not its workers, decides when to stop (flows/interrupt.py). They
    are started with SIGINT ignored, which a started process keeps; a Ctrl-C during those seconds is lost."""
    import signal
    import threading

    from prefect_dask import DaskTaskRunner

    class LocalClusterRunner(DaskTaskRunner):
        def __enter__(self):
            if threading.current_thread() is not threading.main_thread():
                return super().__enter__()
            before = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                return super().__enter__()
            finally:
                signal.signal(signal.SIGINT, before)

    return LocalClusterRunner


@flow(name="khabar-run", log_prints=False)
def khabar_run(landing: str = "seeds/raw", warehouse_dir: str = "warehouse", reference_date: str | None = None,
               runner: str = "process", dask_address: str | None = None, workers: int | None = None,
               lock_wait_seconds: float = 600.0, parquet_url: str | None = None) -> dict[str, Any]:
    """Ingest → clean → extract (in parallel batches) → link stories → validate → publish → report."""
    interrupt.install()  # in place of the SIGTERM handler Prefect installs for a flow run (see flows/interrupt.py)
    _announce_flow_run()
    with interrupt.run_scope():
        return _run(landing, warehouse_dir, reference_date, runner, dask_address, workers, lock_wait_seconds,
                    parquet_url)


def _announce_flow_run() -> None:
    """Print where this flow run can be followed in Prefect's UI, as it starts."""
    from prefect.runtime import flow_run

    from flows import progress

    if flow_run.ui_url:
        progress.stage(f"flow run {flow_run.name}: {flow_run.ui_url}")  # a stage line: -q keeps to the outcome


def _run(landing: str, warehouse_dir: str, reference_date: str | None, runner: str, dask_address: str | None,
         workers: int | None, lock_wait_seconds: float, parquet_url: str | None) -> dict[str, Any]:
    started_at = datetime.now(UTC)
    t0 = time.perf_counter()
    run_id = started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    reference = date.fromisoformat(reference_date) if reference_date else None
    local_landing = remote.local_path(landing)
    if local_landing is not None:
        warehouse.check_separate(local_landing, Path(warehouse_dir))
    layout = warehouse.prepare(Path(warehouse_dir))
    workers = workers or min(os.cpu_count() or 1, 4)
    try:
        return _locked_run(layout, landing, run_id, reference, runner, dask_address, workers, lock_wait_seconds,
                           parquet_url, started_at, t0)
    except warehouse.WarehouseBusy as exc:
        # Not a failure of this run: another one is publishing. Report it instead of raising.
        return {"run_id": run_id, "status": "busy", "message": str(exc)}


def _locked_run(layout: warehouse.Layout, landing: str, run_id: str, reference: date | None, runner: str,
                dask_address: str | None, workers: int, lock_wait_seconds: float, parquet_url: str | None,
                started_at: datetime, t0: float) -> dict[str, Any]:
    deadline = time.monotonic() + lock_wait_seconds

    def waiting(what: str) -> None:
        print(f"khabar: {what} (up to --lock-wait {lock_wait_seconds:g} s)", flush=True)

    def wait_left() -> float:
        return max(0.0, deadline - time.monotonic())

    # Wall time of the steps before publishing, in order (publish's own steps are in its stage_seconds).
    walls: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        walls[step] = walls.get(step, 0.0) + now - clock
        clock = now

    interrupt.checkpoint("lock")
    progress.stage(f"run {run_id}: {landing} into {layout.root}")
    with warehouse.run_lock(layout, lock_wait_seconds,
                            on_wait=lambda: waiting(f"waiting for another run to release {layout.root}")):
        interrupt.checkpoint("recover")
        warehouse.ensure(layout, wait_seconds=wait_left(), on_wait=waiting)
        with warehouse.connect(layout, read_only=True, wait_seconds=wait_left(), on_wait=waiting) as con:
            mirror_notes = warehouse.recover(con, layout)
            done = warehouse.loaded_hashes(con)
        lap("lock and mirror check")
        landing_dir = resolve_landing(landing, layout)
        interrupt.checkpoint("plan")
        plan = plan_inputs(landing_dir, str(layout.root), run_id, done)
        batches = stages.make_batches(plan.jobs, workers)
        progress.stage(plan_line(plan))
        lap("plan")
        results: list[stages.BatchResult] = []
        local = runner == "process" and not dask_address and workers > 1
        if batches:
            interrupt.checkpoint("batches")
            with stages.local_pool_scope(min(workers, len(batches)) if local else 0), \
                    task_runner_for(runner, dask_address, min(workers, len(batches))) as batch_runner:
                progress.batches(len(batches), len(plan.jobs))
                futures = [batch_runner.submit(process_batch, {
                    "jobs": b, "root": str(layout.root), "run_id": run_id, "batch_no": i, "reference": reference})
                    for i, b in enumerate(batches)]
                results = _gather(futures)
        lap("batches")
        progress.stage("linking stories, checking data quality, publishing")
        summary = publish(str(layout.root), run_id, plan, results, started_at, landing, in_workers=local,
                          lock_wait=wait_left())
        if mirror_notes:
            summary["mirror"] = mirror_notes + summary.get("mirror", [])
        if parquet_url:
            summary["parquet_files_mirrored"] = mirror_parquet(str(layout.root), parquet_url, run_id)
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    summary["flow_wall_seconds"] = {k: round(v, 3) for k, v in walls.items()}
    create_markdown_artifact(key="khabar-run-summary", markdown=summary_markdown(summary),
                             description="khabar run summary")
    return summary


def plan_line(plan: stages.Plan) -> str:
    """The stage line after planning: what was found and what will be read."""
    skipped = sum(1 for r in plan.file_rows if r["status"] == "skipped")
    rejected = sum(1 for r in plan.file_rows if r["status"] == "quarantined")
    return (f"{plan.files_seen} file(s) found: {len(plan.jobs)} to read, {skipped} skipped (already loaded or "
            f"hidden), {rejected} rejected")


def _gather(futures: list) -> list[stages.BatchResult]:
    """The batches' results, in order; a stop request is looked at while they run (and kills the workers).
    Each batch is told to the progress display as it finishes.

    A batch is done when the future its task runner wraps (a thread's, or Dask's) is: not through
    ``prefect.futures.wait(timeout=)``, whose timeout interrupts the waiting thread with an asynchronous
    exception that can land inside its own lock (``RuntimeError: release unlocked lock``, a failed run on a
    loaded machine)."""
    told: set[int] = set()

    def tell(done: set) -> None:
        for i, f in enumerate(futures):
            if i not in told and f in done:
                told.add(i)
                try:
                    r = f.result()
                except Exception:  # noqa: BLE001 - raised again, in order, once all are done
                    continue
                progress.batch_done(len(r.file_rows), r.articles, r.records_seen - r.articles)

    try:
        while True:
            done = {f for f in futures if f.wrapped_future.done()}
            tell(done)
            if len(done) == len(futures):
                break
            time.sleep(stages.WAIT_STEP_SECONDS)
            interrupt.checkpoint()
        interrupt.checkpoint()
    except interrupt.RunStopped:
        stages.stop_local_pool()  # the batch threads' waits end at once instead of at the end of their batch
        raise
    return [f.result() for f in futures]


def summary_markdown(summary: dict[str, Any]) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in summary.items() if not isinstance(v, dict | list))
    alerts = "".join(f"- {a['message']}\n" for a in summary.get("drift_alerts") or ())
    drift = f"\n## Drift alerts\n\n{alerts}" if alerts else ""
    return f"# khabar run {summary.get('run_id')}\n\n| metric | value |\n|---|---|\n{rows}\n{drift}"
