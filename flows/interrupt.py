"""Stopping a run on SIGINT or SIGTERM at the next safe point (contract §1: exit 130 / 143).

The handlers only note the signal. The run looks at it at its safe points (``checkpoint``): between files
while planning and in thread-run batches, while it waits for batches, linking or the checks, and before
COMMIT; there it raises :class:`RunStopped`, the open transaction rolls back, and the command line stops
every child process (the batch workers and their fork server, a local Dask cluster; the resident Prefect
server is not the run's) and exits with 128 + the signal number. A signal that arrives after COMMIT lets
the export finish: the run is then published. A second signal does not wait for a safe point: the children are stopped and
the process exits at once (the warehouse is as safe as after ``kill -9``: the next run completes the work).

A stop never hangs: if a run that has not committed is still alive ``STOP_GRACE_SECONDS`` after the signal
(a wait with no safe point, a child process that does not answer), a watchdog does what a second signal
does. A committed run is left to finish its publish; only a second signal cuts that short.

Batch workers ignore SIGINT (a Ctrl-C reaches the whole terminal process group; the run decides when
they stop) and are stopped by the run instead.

``checkpoint(stage)`` also names the stage the run is in. ``KHABAR_STAGE_TRACE=FILE`` appends each stage
name to FILE as it starts, and ``KHABAR_STAGE_PAUSE=STAGE=SECONDS`` holds the run that long at that stage;
the signal tests use both to stop a run at a chosen moment. ``KHABAR_STAGE_HANG=STAGE=SECONDS`` holds it
there deaf to signals, as a wait with no safe point would: the watchdog's test.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flows.schedule import descendants

_stop_signal: int | None = None
_in_run = False  # inside a run (run_scope): a signal waits for a safe point; outside, it stops at once
_committed: str | None = None  # the run whose transaction committed, if one did
_on_exit: list[Callable[[], None]] = []
_announced = False  # the one stop line was written
_watchdog: threading.Timer | None = None
STAGE_TRACE = "KHABAR_STAGE_TRACE"
STAGE_PAUSE = "KHABAR_STAGE_PAUSE"
STAGE_HANG = "KHABAR_STAGE_HANG"
SIGNAL_NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}
STOP_GRACE_SECONDS = 30.0  # KHABAR_STOP_GRACE_SECONDS overrides it, read at the stop (a runner fork has imported this)


class RunStopped(BaseException):  # noqa: N818 - not an error: the user asked for it
    """The run was asked to stop by a signal. A BaseException, so that no retry or ``except Exception``
    takes it for a failure of the work."""

    def __init__(self, signum: int, published: bool = False) -> None:
        super().__init__(f"stopped by {SIGNAL_NAMES.get(signum, signum)}")
        self.signum = signum
        self.published = published

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def _handle(signum: int, _frame: object) -> None:
    global _stop_signal
    if _stop_signal is None:
        _stop_signal = signum
        if not _in_run:  # starting up, or between scheduled runs: nothing to protect
            raise RunStopped(signum)
        _arm_watchdog(signum)
        return
    # a second signal: do not wait for a safe point
    force_exit(signum, f"stopped at once by a second {SIGNAL_NAMES.get(signum, signum)}; the next run "
                       "completes the work")


def _arm_watchdog(signum: int) -> None:
    global _watchdog
    grace = float(os.environ.get("KHABAR_STOP_GRACE_SECONDS") or STOP_GRACE_SECONDS)

    def expire() -> None:
        if _committed:  # publishing what committed: let it finish (a second signal still cuts it short)
            _arm_watchdog(signum)
            return
        force_exit(signum, f"stopped by {SIGNAL_NAMES.get(signum, signum)}: no safe point within "
                           f"{grace:g} s, so the run was cut short; nothing was published, "
                           "the next run completes the work")

    _watchdog = threading.Timer(grace, expire)
    _watchdog.daemon = True
    _watchdog.start()


def force_exit(signum: int, line: str) -> None:
    """Say ``line`` (unless the stop was already said), kill every process this run started, exit 128 +
    the first signal. Nothing here waits on a child: this is the way out when waiting is what hangs."""
    if not _announced:
        os.write(2, f"khabar: {line}\n".encode())
    kill_session_children()
    os._exit(128 + (_stop_signal or signum))


def announce(line: str) -> None:
    """Write the one line that says the run stopped (on stderr)."""
    global _announced
    _announced = True
    os.write(2, f"khabar: {line}\n".encode())


def kill_session_children() -> None:
    """SIGKILL every live process below this one that is in this one's session: the batch workers, their fork
    server, a local Dask cluster; never the resident Prefect server or runner (sessions of their own)."""
    for pid in descendants(os.getpid(), session=os.getsid(0)):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue


@contextmanager
def run_scope() -> Iterator[None]:
    """While a run is in progress, signals wait for its safe points."""
    global _in_run, _committed
    _in_run, _committed = True, None
    try:
        yield
    finally:
        _in_run = False


def note_committed(run_id: str) -> None:
    """The run's transaction committed: a stop from now on lets it finish publishing."""
    global _committed
    _committed = run_id


def committed_run() -> str | None:
    return _committed


def install() -> dict[int, object]:
    """Take over SIGINT and SIGTERM (in the main thread; elsewhere a no-op); returns the handlers replaced.
    Prefect installs a SIGTERM handler of its own for the duration of a flow run that raises wherever the
    run is: the flow calls this again first thing, so that the run stops only at its safe points."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _handle) for sig in SIGNAL_NAMES}


@contextmanager
def handling() -> Iterator[None]:
    """Signals handled as this module says for the duration (a command), then as before."""
    global _stop_signal, _committed, _announced
    _stop_signal, _committed, _announced = None, None, False
    before = install()
    try:
        yield
    finally:
        # A stopped command is on its way out: the watchdog stays armed in case leaving is what hangs.
        if _watchdog is not None and _stop_signal is None:
            _watchdog.cancel()
        for sig, handler in before.items():
            signal.signal(sig, handler)


def requested() -> int | None:
    """The signal that asked the run to stop, or None."""
    return _stop_signal


def checkpoint(stage: str | None = None) -> None:
    """A safe point: raise :class:`RunStopped` if a stop was asked for; ``stage`` names where the run is."""
    if stage is not None:
        mark(stage)
    if _stop_signal is not None:
        raise RunStopped(_stop_signal)


def mark(stage: str) -> None:
    """Name the stage the run is in (no stop here: for stages that must run to their end)."""
    path = os.environ.get(STAGE_TRACE)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(stage + "\n")
    name, _, seconds = os.environ.get(STAGE_PAUSE, "").partition("=")
    if name == stage and seconds:
        deadline = time.monotonic() + float(seconds)
        while _stop_signal is None and time.monotonic() < deadline:
            time.sleep(0.05)
    name, _, seconds = os.environ.get(STAGE_HANG, "").partition("=")
    if name == stage and seconds:
        time.sleep(float(seconds))


def sleep(seconds: float) -> None:
    """``time.sleep`` that ends early (with :class:`RunStopped`) when a stop is asked for."""
    deadline = time.monotonic() + seconds
    while True:
        checkpoint()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.1))


def on_exit(stop: Callable[[], None]) -> None:
    """Register what stops a child process (run on a stop, and at a second signal before exiting)."""
    if stop not in _on_exit:
        _on_exit.append(stop)


def stop_children() -> None:
    """Stop every registered child process, newest first; never raises."""
    while _on_exit:
        stop = _on_exit.pop()
        try:
            stop()
        except Exception:  # noqa: BLE001, S110 - stopping the others matters more than why one failed
            pass
