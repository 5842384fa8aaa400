"""The resident runner: ``khabar run`` handed to a process that has already imported the pipeline.

Importing Prefect, the transforms and Great Expectations takes seconds of CPU at every command. The runner
(started beside the resident Prefect server, flows/server.py) imports them once and listens on a Unix socket
in ``PREFECT_HOME``. ``khabar run`` (the program, not ``flows.cli.main`` called in a process of one's own)
sends it its arguments, working directory, environment and its stdin, stdout and stderr (the descriptors
themselves); the runner forks, and the fork runs the command exactly as ``khabar run`` would in its own
process, writing to the caller's terminal or pipes. The caller waits for the exit status and forwards
SIGINT and SIGTERM to the fork (which stops at its next safe point, as always); if the caller dies, the
fork is told to stop.

A run is handed over only when the runner can do exactly what the command would: same Python, same code
(the files of flows/, transforms/, schemas/ and seeds/ unchanged since the runner started; otherwise a
fresh runner is started, and the old one takes no more runs and exits once those it is doing have
finished) and same settings read at import (``PREFECT_*``, ``GX_*``, ``KHABAR_DUCKDB_*``). Otherwise, or
with ``KHABAR_RUNNER=0``, the command runs in its own process.
"""
from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.server import alive, prefect_home
from transforms.seeds import SEEDS_DIR

STATE = "khabar-runner.json"  # the runner that takes runs: pid, socket, code and settings
LOCK = "khabar-runner.lock"  # held by that runner: one at a time per PREFECT_HOME
STATE_LOCK = "khabar-runner-state.lock"  # around reading and writing STATE
LOG = "runner.log"
ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("flows", "transforms", "schemas", SEEDS_DIR.name)
NOT_CODE = tuple(f"{SEEDS_DIR.name}/{d}" for d in ("raw", "labels"))  # inputs and labels: no code or reference
IMPORT_TIME_ENV = ("PREFECT_", "GX_", "KHABAR_DUCKDB_")
_HEADER = struct.Struct("!I")


def code_fingerprint(root: Path = ROOT) -> str:
    """The newest modification time and the number of the files the runner imported or loaded."""
    newest, count = 0, 0
    skip = tuple(str(root / d) for d in NOT_CODE)
    for d in CODE_DIRS:
        for folder, dirs, files in os.walk(root / d):
            if folder.startswith(skip):
                dirs[:] = []
                continue
            dirs[:] = [x for x in dirs if x != "__pycache__"]
            for name in files:
                try:
                    newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                    count += 1
                except OSError:
                    pass
    return f"{newest}:{count}"


def _python() -> str:
    """This Python: its environment (the venv's folder) and version, whichever of its executables started it."""
    return f"{sys.prefix} {sys.version}"


def import_env(env: dict[str, str]) -> dict[str, str]:
    """The part of an environment that is read when the pipeline is imported."""
    return {k: v for k, v in env.items() if k.startswith(IMPORT_TIME_ENV)}


def _send(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [_HEADER.pack(len(data)) + data], fds)
    else:
        sock.sendall(_HEADER.pack(len(data)) + data)


def _receive(sock: socket.socket, with_fds: int = 0) -> tuple[dict | None, list[int]]:
    """One message (and up to ``with_fds`` descriptors); (None, []) when the other side closed."""
    fds: list[int] = []
    if with_fds:
        chunk, fds, _, _ = socket.recv_fds(sock, 1 << 16, with_fds)
    else:
        chunk = sock.recv(1 << 16)
    if not chunk:
        return None, fds
    while len(chunk) < _HEADER.size or len(chunk) < _HEADER.size + _HEADER.unpack_from(chunk)[0]:
        more = sock.recv(1 << 16)
        if not more:
            return None, fds
        chunk += more
    size = _HEADER.unpack_from(chunk)[0]
    return json.loads(chunk[_HEADER.size:_HEADER.size + size]), fds


# --- the caller's side -------------------------------------------------------------------------------------

@contextmanager
def _state_lock(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with open(home / STATE_LOCK, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def recorded(home: Path | None = None) -> dict | None:
    """The runner of this ``PREFECT_HOME`` if its process runs (``socket`` in it once it takes runs; until
    then it is starting)."""
    home = home or prefect_home()
    try:
        state = json.loads((home / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and alive(int(state.get("pid", 0))) else None


def start(api_url: str, home: Path | None = None) -> int | None:
    """Start the runner in the background (a session of its own) unless one runs; its pid, or None."""
    home = home or prefect_home()
    if os.environ.get("KHABAR_RUNNER", "1") == "0":
        return None
    from flows.server import service_env

    env = service_env(PREFECT_HOME=str(home), PREFECT_API_URL=api_url,
                      PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    with _state_lock(home):
        if recorded(home) is not None:
            return None
        with open(home / LOG, "ab") as log:
            proc = subprocess.Popen([sys.executable, "-m", "flows.runner"], cwd=ROOT, env=env,
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        _write_state(home, {"pid": proc.pid})  # starting: stop() finds it before it takes runs
    return proc.pid


def _write_state(home: Path, state: dict) -> None:
    tmp = home / f".{STATE}.tmp{os.getpid()}"
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, home / STATE)


def retire(home: Path | None = None) -> None:
    """Tell the runner of ``home`` to take no more runs and to exit once those it is doing have finished."""
    state = recorded(home)
    if state is not None:
        _signal(int(state["pid"]), signal.SIGUSR1)


def stop(home: Path | None = None, timeout: float = 10.0) -> int | None:
    """Stop the runner of ``home`` (the runs it is doing are told to stop); its pid, or None if none ran."""
    import time

    home = home or prefect_home()
    with _state_lock(home):
        state = recorded(home)
    if state is None:
        return None
    pid = int(state["pid"])
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
    with _state_lock(home):
        _forget(home, pid)
    return pid


def hand_over(argv: list[str], started: float | None = None) -> int | None:
    """Run ``khabar <argv>`` in the resident runner; its exit status, or None when it cannot (no runner, other
    code or settings): the caller then runs the command itself. ``started``: when the command started (epoch
    seconds), from which the run's summary counts its wall time."""
    if os.environ.get("KHABAR_RUNNER", "1") == "0":
        return None
    from flows import server

    home = prefect_home()
    state = recorded(home)
    resident = server.recorded(home)
    if state is None or "socket" not in state or resident is None:
        return None
    env = dict(os.environ)  # the command line set its defaults (flows/cli.py) before handing over
    # The runner imported Prefect with the API the run will use: the configured one, or the resident server.
    effective = {**env, "PREFECT_API_URL": server.configured_api_url() or resident.api_url}
    if state.get("code") != code_fingerprint():
        retire(home)  # older code: a fresh runner for the next commands; this one runs here
        with _state_lock(home):
            _forget(home, int(state["pid"]))
        start(resident.api_url, home)
        return None
    if state.get("env") != import_env(effective) or state.get("python") != _python():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(state["socket"])
        _send(sock, {"argv": argv, "cwd": os.getcwd(), "env": env, "code": state["code"], "started": started},
              [0, 1, 2])
        answer, _ = _receive(sock)
    except OSError:
        sock.close()
        return None
    if not answer or "pid" not in answer:
        sock.close()
        return None
    return _wait(sock, int(answer["pid"]))


def _wait(sock: socket.socket, pid: int) -> int:
    """Forward SIGINT and SIGTERM to the run in the runner until it ends; its exit status."""
    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    before = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                answer, _ = _receive(sock)
            except InterruptedError:
                continue
            if answer is None:
                print("khabar: the resident runner ended during the run", file=sys.stderr, flush=True)
                return 2
            if "exit" in answer:
                return int(answer["exit"])
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        sock.close()


# --- the runner's side -------------------------------------------------------------------------------------

# What a run imports, in the runner once rather than in every run: the command line, the pipeline, the
# checks' libraries, and the modules these import on first use only (Prefect's flow and task engines and the
# encoder it serializes a flow's parameters with; the Arrow dataset layer DuckDB loads to scan a registered
# table; the run summary). None starts a thread: a fork of the runner is a clean copy.
PRELOAD = (
    "flows.cli", "flows.pipeline", "flows.quality", "flows.summary",
    "great_expectations.core.run_identifier", "great_expectations.data_context.types.base",
    "great_expectations.data_context.types.resource_identifiers",
    "prefect.flow_engine", "prefect.task_engine", "prefect.utilities.visualization", "fastapi.encoders",
    "anyio._backends._asyncio", "pyarrow.dataset", "pyarrow.pandas_compat",
)


def preload() -> None:
    """Import what a run needs and load the transforms' reference data (seeds, patterns, the entity model):
    every run forked from the runner starts with them."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    from flows import stages

    stages.warm_up()


def main() -> int:
    """The runner process: import everything once, then fork one child per run handed over."""
    preload()
    home = prefect_home()
    lock = open(home / LOCK, "a+")  # noqa: SIM115 - held for as long as this runner takes runs
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # another runner takes the runs of this PREFECT_HOME
        return 0
    path = home / f"khabar-runner-{os.getpid()}.sock"
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(16)
    code = code_fingerprint()
    with _state_lock(home):
        _write_state(home, {"pid": os.getpid(), "socket": str(path), "python": _python(), "code": code,
                            "env": import_env(dict(os.environ))})
    from flows import server

    resident = server.recorded(home)  # the runner lives as long as the server it reports to
    stopping: list[int] = []
    retiring: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))
    signal.signal(signal.SIGUSR1, lambda signum, _frame: retiring.append(signum))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    runs: dict[int, socket.socket] = {}  # child pid -> the caller's connection
    try:
        while not stopping and not (retiring and not runs):
            if resident is not None and not alive(resident.pid):
                retiring.append(0)
            if retiring and listener.fileno() >= 0:  # no more runs: a fresh runner takes them
                listener.close()
                path.unlink(missing_ok=True)
                with _state_lock(home):
                    _forget(home, os.getpid())
                lock.close()
            waiting = [listener] if listener.fileno() >= 0 else []
            ready, _, _ = select.select([*waiting, *runs.values()], [], [], 0.2)
            for conn in ready:
                if conn is listener:
                    _accept(listener, code, runs)
                else:  # a caller's connection said something or closed: it died; its run is told to stop
                    pid = next(p for p, c in runs.items() if c is conn)
                    if not conn.recv(1):
                        _signal(pid, signal.SIGTERM)
            _reap(runs)
    finally:
        for pid in runs:
            _signal(pid, signal.SIGTERM)
        path.unlink(missing_ok=True)
        with _state_lock(home):
            _forget(home, os.getpid())
    return 0


def _forget(home: Path, pid: int) -> None:
    """Remove the runner record if it is ``pid``'s (never a newer runner's)."""
    try:
        if json.loads((home / STATE).read_text(encoding="utf-8")).get("pid") == pid:
            (home / STATE).unlink()
    except (OSError, ValueError):
        pass


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _accept(listener: socket.socket, code: str, runs: dict[int, socket.socket]) -> None:
    conn, _ = listener.accept()
    try:
        request, fds = _receive(conn, with_fds=3)
    except OSError:
        conn.close()
        return
    if not request or len(fds) != 3 or request.get("code") != code:
        for fd in fds:
            os.close(fd)
        conn.close()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        listener.close()
        conn.close()
        for other in runs.values():
            other.close()
        _run_child(request, fds)  # never returns
    for fd in fds:
        os.close(fd)
    _send(conn, {"pid": pid})
    runs[pid] = conn


def _run_child(request: dict, fds: list[int]) -> None:
    """In the fork: become the command, in the caller's directory, environment and descriptors; then exit as a
    process does (exit handlers run: Prefect sends what it holds), never back into the runner's loop."""
    import atexit

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["khabar", *request["argv"]]
    import flows.cli
    from flows.cli import main as command

    if request.get("started"):  # the command's start, not the runner's
        flows.cli.STARTED = float(request["started"])

    status = 1
    try:
        status = command(request["argv"])
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BaseException:  # noqa: BLE001 - a bug: its traceback goes to the caller's stderr, as in-process
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            atexit._run_exitfuncs()
        finally:
            os._exit(status)


def _reap(runs: dict[int, socket.socket]) -> None:
    while runs:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = runs.pop(pid, None)
        if conn is None:
            continue
        code = os.waitstatus_to_exitcode(status)
        try:
            _send(conn, {"exit": code if code >= 0 else 128 - code})
        except OSError:
            pass
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
