"""A stop that lands while a batch thread is starting a worker: every worker of the pool is killed.

``ProcessPoolExecutor.submit`` starts a worker while holding the pool's lock and registers it only once the
fork server has forked it (seconds while the server still preloads the transforms, as at the start of a run
handed to the resident runner). A stop that killed the registered workers without that lock missed the
one being started: nothing killed it or told it to exit, the fork server (which lives as long as its last
worker) never ended, and the stopped run waited for it for ever, without a word (``stop_workers`` waits
for the fork server). Here the race is forced: the fork server forks the worker only once another thread
waits for the pool's lock, i.e. once the stop is under way.
"""
from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from flows import stages


class _NoticedLock:
    """A lock that notes when a thread has to wait for it (another holds it)."""

    def __init__(self, waited: threading.Event) -> None:
        self._lock = threading.Lock()
        self._waited = waited

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._lock.acquire(blocking=False):
            return True
        if not blocking:
            return False
        self._waited.set()
        return self._lock.acquire(True, timeout)

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def killed(pid: int) -> bool:
    """The process is gone, a zombie, or has SIGKILL pending (kill(2) queues it at once; it is only a matter
    of the scheduler): it is on its way out whatever it was doing."""
    try:
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if ":" in line)
    except (FileNotFoundError, ProcessLookupError):
        return True
    if status["State"].split()[0] in ("Z", "X"):
        return True
    pending = int(status["SigPnd"], 16) | int(status["ShdPnd"], 16)
    return bool(pending & (1 << (signal.SIGKILL - 1)))


@pytest.fixture
def worker_server():
    stages.start_worker_server()
    yield
    stages.stop_workers()


def test_a_stop_kills_the_worker_a_batch_thread_is_starting(worker_server):
    waited, spawning = threading.Event(), threading.Event()
    pool = stages._new_pool(2, max_tasks_per_child=stages.BATCHES_PER_WORKER)
    pool._shutdown_lock = pool._call_queue.shutdown_lock = _NoticedLock(waited)
    started: list = []
    spawn = pool._spawn_process

    def spawn_once_the_stop_waits() -> None:
        spawning.set()
        waited.wait()  # the submit holds the pool's lock until the stop waits for it
        spawn()
        started.extend(pool._processes.values())

    pool._spawn_process = spawn_once_the_stop_waits
    stages._POOL = pool
    batch = threading.Thread(target=pool.submit, args=(time.sleep, 600))  # a batch thread's submit
    try:
        batch.start()
        spawning.wait()
        stages.stop_local_pool()  # what a stop during the batches does (flows/pipeline.py _gather)
        batch.join()
        assert len(started) == 1, "the worker was not started"
        assert [p.pid for p in started if not killed(p.pid)] == [], "a worker survived the stop"
    finally:
        stages._POOL = None
        for proc in started:  # a worker the stop missed would sleep on, and stop_workers would wait for it
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_the_batch_wait_never_goes_through_prefects_timeout_wait(monkeypatch):
    """The batches are done when the futures their task runner wraps are: Prefect's ``wait(timeout=)`` interrupts
    its own lock with an asynchronous exception when its time is up, which failed runs on a loaded machine."""
    import prefect.futures
    from prefect.futures import PrefectConcurrentFuture

    from flows import pipeline  # imports Prefect: here, not at the top of this file

    def racing_wait(*args: object, **kwargs: object) -> None:
        raise RuntimeError("release unlocked lock")

    monkeypatch.setattr(prefect.futures, "wait", racing_wait)

    def batch(n: int) -> SimpleNamespace:
        time.sleep(0.3 * n)
        return SimpleNamespace(file_rows=[], articles=n, records_seen=n)

    with ThreadPoolExecutor(3) as pool:
        futures = [PrefectConcurrentFuture(uuid.uuid4(), pool.submit(batch, n)) for n in range(3)]
        assert [r.articles for r in pipeline._gather(futures)] == [0, 1, 2]
