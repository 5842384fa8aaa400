"""Prefect's own server (API and UI) as a resident service: ``khabar server start|stop|status``, and the
server ``khabar run`` and ``khabar serve`` use.

The server is the command ``prefect server start --background`` runs (Prefect's uvicorn app factory, UI
included), started detached in a session of its own: it outlives the command that started it, and a
Ctrl-C or SIGTERM meant for a run never reaches it. Its process id is kept in ``PREFECT_HOME/server.pid``
(Prefect's own file, so ``prefect server stop`` stops it too) and its address in
``PREFECT_HOME/khabar-server.json``. Every way of starting khabar (``make``, ``.venv/bin/khabar``,
``python -m flows.cli``) uses one ``PREFECT_HOME``: the one set in the environment, else the project's
``.prefect`` folder (flows/cli.py sets it before anything reads it).

A run uses, in this order: a server the user configured (``PREFECT_API_URL``, or the active Prefect
profile's), the resident server of this ``PREFECT_HOME``, or a resident server it starts (and leaves
running). Nothing here imports Prefect: the run imports it while the server boots.
"""
from __future__ import annotations

import argparse
import fcntl
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PID_FILE = "server.pid"  # Prefect's name for its background server's process id
STATE_FILE = "khabar-server.json"
LOG_FILE = "server.log"
DEFAULT_PORT = 4200  # Prefect's default (PREFECT_SERVER_API_PORT)
HOST = "127.0.0.1"
PROJECT_PREFECT_HOME = Path(__file__).resolve().parent.parent / ".prefect"


def prefect_home() -> Path:
    """The ``PREFECT_HOME`` every khabar command uses: the environment's, else the project's ``.prefect``."""
    return Path(os.environ.get("PREFECT_HOME") or PROJECT_PREFECT_HOME).expanduser()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def configured_api_url() -> str | None:
    """The API URL the user configured: ``PREFECT_API_URL`` or the active Prefect profile's (read as TOML,
    without importing Prefect)."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or prefect_home() / "profiles.toml").expanduser()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or doc.get("active") or "ephemeral"
    return (doc.get("profiles", {}).get(active) or {}).get("PREFECT_API_URL") or None


def ui_url_for(api_url: str) -> str:
    """The UI's address for an API address (Prefect serves both; the API under ``/api``).

    >>> ui_url_for("http://127.0.0.1:4200/api")
    'http://127.0.0.1:4200'
    """
    return api_url.rstrip("/").removesuffix("/api")


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc: kill(0) said it exists


@dataclass
class Server:
    """The resident server of a ``PREFECT_HOME``."""

    pid: int
    port: int
    home: Path

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return ui_url_for(self.api_url)

    def wait_ready(self, timeout: float) -> None:
        """Block until the API answers; raise RuntimeError if the process ends or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not alive(self.pid):
                raise RuntimeError(f"the Prefect server exited; see {self.home / LOG_FILE}")
            if healthy(self.api_url, timeout=1.0):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the Prefect server did not answer within {timeout:.0f} s; see {self.home / LOG_FILE}")


def recorded(home: Path | None = None) -> Server | None:
    """The server this ``PREFECT_HOME`` started, if its process still runs (it may still be booting)."""
    home = home or prefect_home()
    try:
        state = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
        server = Server(int(state["pid"]), int(state["port"]), home)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return server if alive(server.pid) else None


@contextmanager
def _start_lock(home: Path) -> Iterator[None]:
    """One start at a time per ``PREFECT_HOME`` (two runs starting together share one server)."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "khabar-server.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def server_command(port: int) -> list[str]:
    """``prefect server start --background``'s command: Prefect's uvicorn app factory, on ``port``."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("prefect is not installed")
    app_dir = str(Path(next(iter(spec.submodule_search_locations))).parent)
    return [sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory",
            "prefect.server.api.server:create_app", "--host", HOST, "--port", str(port), "--log-level", "warning"]


# What a resident service keeps of the environment of the command that starts it: the system's basics and
# the settings read when Prefect, Great Expectations and khabar are imported; never the rest (a test's or a
# run's own variables), which the next commands need not share.
SERVICE_ENV = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_", "TZ", "TMPDIR", "PYTHON", "VIRTUAL_ENV", "SSL_",
               "REQUESTS_CA_BUNDLE", "PREFECT_", "GX_", "KHABAR_DUCKDB_")


def service_env(**overrides: str) -> dict[str, str]:
    """The environment of a resident service: ``SERVICE_ENV``'s part of this one, and ``overrides``."""
    return {**{k: v for k, v in os.environ.items() if k.startswith(SERVICE_ENV)}, **overrides}


def _server_env(home: Path, port: int) -> dict[str, str]:
    env = {**service_env(), "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_UI_ENABLED": "true", "PREFECT_SERVER_API_HOST": HOST,
           "PREFECT_SERVER_API_PORT": str(port), "PREFECT__SERVER_FINAL": "1",
           "PREFECT_SERVER_LOGGING_LEVEL": os.environ.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")}
    for name in ("PREFECT_API_URL", "PREFECT__SERVER_EPHEMERAL", "PREFECT_UI_ENABLED"):
        env.pop(name, None)
    return env


def start(port: int | None = None, home: Path | None = None) -> tuple[Server, bool]:
    """The resident server of ``home``, started now if none runs; (server, started now). Does not wait for
    it to answer (``Server.wait_ready``)."""
    home = home or prefect_home()
    with _start_lock(home):
        running = recorded(home)
        if running is not None:
            return running, False
        wanted = port or int(os.environ.get("PREFECT_SERVER_API_PORT") or DEFAULT_PORT)
        if port is None and not port_is_free(wanted):  # another home's server, or anything else, has it
            wanted = free_port()
        log = open(home / LOG_FILE, "ab")  # noqa: SIM115 - handed to the server, closed here once it has it
        try:
            # A session of its own: outlives this command, and no terminal or supervisor signal meant for a
            # run reaches it. stdin/stdout closed or in the log: it holds no pipe of the command.
            proc = subprocess.Popen(server_command(wanted), env=_server_env(home, wanted), cwd=home,
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        finally:
            log.close()
        server = Server(proc.pid, wanted, home)
        (home / PID_FILE).write_text(str(proc.pid), encoding="ascii")
        _write_state(server)
        return server, True


def _write_state(server: Server) -> None:
    tmp = server.home / f".{STATE_FILE}.tmp{os.getpid()}"
    tmp.write_text(json.dumps({"pid": server.pid, "port": server.port, "api_url": server.api_url,
                               "ui_url": server.ui_url}), encoding="utf-8")
    os.replace(tmp, server.home / STATE_FILE)


def stop(home: Path | None = None, timeout: float = 20.0) -> int | None:
    """Stop the resident server of ``home`` and every process of its session, and the resident runner that
    uses it (flows/runner.py); the server's pid, or None if none ran."""
    from flows import runner

    home = home or prefect_home()
    runner.stop(home)
    with _start_lock(home):
        server = recorded(home)
        pid = server.pid if server else _pid_file(home)
        if pid is not None and alive(pid):
            _end_session(pid, timeout)
        else:
            pid = None
        for name in (PID_FILE, STATE_FILE):
            (home / name).unlink(missing_ok=True)
        return pid


def _pid_file(home: Path) -> int | None:
    try:
        return int((home / PID_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _end_session(pid: int, timeout: float) -> None:
    """SIGTERM the server's process group (it leads it), then SIGKILL whatever is left after ``timeout``."""
    def signal_group(sig: int) -> None:
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:  # not a group leader we own: the process alone
            os.kill(pid, sig)

    signal_group(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        signal_group(signal.SIGKILL)
    try:  # our child when this command started it: reap it
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


@dataclass
class Api:
    """The Prefect API a command uses: its URL, where it comes from, and the resident server if it is ours."""

    url: str
    origin: str  # "configured" | "running" | "started"
    server: Server | None = None

    @property
    def ui_url(self) -> str:
        return ui_url_for(self.url)

    def wait_ready(self, timeout: float) -> None:
        if self.server is not None:
            self.server.wait_ready(timeout)

    def describe(self) -> str:
        if self.origin == "configured":
            return f"using the Prefect server at {self.ui_url} (PREFECT_API_URL)"
        if self.origin == "started":
            return (f"started the Prefect server at {self.ui_url}; it keeps running for the next commands "
                    "(khabar server stop)")
        return f"using the Prefect server at {self.ui_url}"


def api_for_command() -> Api:
    """The configured server, else the resident one (started now if none runs); ``PREFECT_API_URL`` is set
    for this process. Call before ``import prefect`` (Prefect reads the URL when its settings load)."""
    url = configured_api_url()
    if url:
        os.environ["PREFECT_API_URL"] = url
        return Api(url, "configured")
    server, started = start()
    os.environ["PREFECT_API_URL"] = server.api_url
    return Api(server.api_url, "started" if started else "running", server)


def startup_timeout() -> float:
    # Prefect's own setting for a server's start; a loaded CI machine may need more than its 20 s.
    return max(90.0, float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 0))


def command(args: argparse.Namespace) -> int:
    """``khabar server start|stop|status``."""
    from flows import runner

    home = prefect_home()
    if args.action == "start":
        server, started = start(args.port, home)
        runner.start(server.api_url, home)  # imports the pipeline while the server boots
        try:
            server.wait_ready(startup_timeout())
        except RuntimeError as exc:
            runner.stop(home)
            stop(home)
            print(f"khabar: cannot start the Prefect server: {exc}", file=sys.stderr, flush=True)
            return 2
        said = "started" if started else "already running"
        print(f"khabar: Prefect server {said} (pid {server.pid}, PREFECT_HOME {home})")
        print(f"  UI  {server.ui_url}")
        print(f"  API {server.api_url}")
        return 0
    if args.action == "stop":
        pid = stop(home)
        print(f"khabar: Prefect server stopped (pid {pid})" if pid else
              f"khabar: no Prefect server running (PREFECT_HOME {home})")
        return 0
    server = recorded(home)
    if server is None:
        print(f"khabar: no Prefect server running (PREFECT_HOME {home}); `khabar server start` starts one")
        return 3
    state = "up" if healthy(server.api_url) else "starting"
    print(f"khabar: Prefect server {state} (pid {server.pid}, PREFECT_HOME {home})")
    print(f"  UI  {server.ui_url}")
    print(f"  API {server.api_url}")
    warm = runner.recorded(home)
    print(f"  runner {'pid ' + str(warm['pid']) if warm else 'not running'} (khabar run hands its runs to it)")
    return 0 if state == "up" else 3
