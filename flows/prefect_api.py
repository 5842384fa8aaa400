"""Prefect's temporary API server, launched as the command starts, before Prefect is imported.

With no ``PREFECT_API_URL``, Prefect 3 starts a temporary server on the first flow call: it imports its
whole server package (FastAPI, SQLAlchemy, every route; seconds of CPU and ~80 MB) into *this* process
only to spawn a subprocess that imports it all again, and it does so when the flow is called, so the
run waits for the full boot. khabar spawns the same subprocess (Prefect's own uvicorn command) itself,
first thing, points ``PREFECT_API_URL`` at it, and imports the pipeline while the server boots on the
other core. Flow and task runs are recorded exactly as with Prefect's own temporary server; the server
stops when the command exits. With ``PREFECT_API_URL`` already set (a resident ``prefect server start``
or Prefect Cloud), nothing is started.

The server is this command's child, but not in its process group: a Ctrl-C in the terminal reaches the
command, which stops its run at a safe point, then the server (a server killed first would fail every
state report the run still makes). On Linux the kernel also stops it if the command dies without a word
(``kill -9``): it never outlives the command. This module is the one place that starts and stops it.
"""
from __future__ import annotations

import atexit
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

_ADDRESS_IN_USE = 3  # uvicorn's exit status when the port was taken between our probe and its bind


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prefect_parent() -> str:
    """The folder holding the ``prefect`` package, found without importing it (uvicorn's --app-dir)."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("prefect is not installed")
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


def server_command(port: int) -> list[str]:
    """Prefect's own temporary-server command (as in ``SubprocessASGIServer``), on ``port``."""
    return [sys.executable, "-m", "uvicorn", "--app-dir", _prefect_parent(), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]


@dataclass
class TemporaryServer:
    """A temporary Prefect API server subprocess; ``wait_ready`` before the first flow call."""

    port: int
    process: subprocess.Popen
    started: float = field(default_factory=time.monotonic)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_ready(self, timeout: float) -> None:
        """Block until ``/api/health`` answers 200; restart on another port if this one was taken."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code == _ADDRESS_IN_USE:
                self._restart()
                continue
            if code is not None:
                raise RuntimeError(f"the temporary Prefect server exited with status {code}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:.0f} s")

    def _restart(self) -> None:
        from prefect.settings import PREFECT_API_URL
        from prefect.settings.context import temporary_settings

        self.port = free_port()
        self.process = _spawn(self.port)
        os.environ["PREFECT_API_URL"] = self.api_url
        # Prefect read the old URL when it was imported: replace it for the rest of this process.
        temporary_settings(updates={PREFECT_API_URL: self.api_url}).__enter__()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends SIGTERM when the parent dies (Linux; elsewhere nothing)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _spawn(port: int) -> subprocess.Popen:
    # The same environment Prefect gives its temporary server: no UI, ephemeral services only.
    env = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", **os.environ,
           "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    return subprocess.Popen(server_command(port), env=env, stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)


def configured_api_url() -> str | None:
    """The API URL the user configured: ``PREFECT_API_URL`` or the active Prefect profile's (read as TOML,
    without importing Prefect)."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or doc.get("active") or "ephemeral"
    return (doc.get("profiles", {}).get(active) or {}).get("PREFECT_API_URL") or None


def start_temporary_server() -> TemporaryServer | None:
    """Spawn the temporary server now and point ``PREFECT_API_URL`` at it; None when a server is configured.

    Call before ``import prefect`` (Prefect reads the URL when its settings load).
    """
    if configured_api_url():
        return None
    port = free_port()
    server = TemporaryServer(port, _spawn(port))
    os.environ["PREFECT_API_URL"] = server.api_url
    atexit.register(server.stop)
    from flows import interrupt

    interrupt.on_exit(server.stop)
    return server
