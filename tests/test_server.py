"""Prefect's server as a resident service (flows/server.py): `khabar server start|stop|status`, a run that
uses it (and starts one when none is up), its UI loading with the network shut, and no process left behind."""
from __future__ import annotations

import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
from pathlib import Path

import pytest

from flows import server
from tests.browser import CHROMIUM, Chromium
from tests.conftest import KHABAR, ROOT, SEEDS_RAW, khabar_env, prefect_api


@pytest.fixture()
def prefect_env(monkeypatch, tmp_path):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    return tmp_path


def test_no_configured_server_by_default(prefect_env):
    assert server.configured_api_url() is None
    assert server.recorded() is None


def test_environment_url_wins(prefect_env, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    api = server.api_for_command()
    assert (api.origin, api.url, api.server) == ("configured", "http://prefect.example:4200/api", None)
    assert "PREFECT_API_URL" in api.describe() and not (prefect_env / server.STATE_FILE).exists()


def test_active_profile_url_is_respected(prefect_env):
    (prefect_env / "profiles.toml").write_text(
        'active = "prod"\n[profiles.prod]\nPREFECT_API_URL = "http://prod:4200/api"\n[profiles.local]\n',
        encoding="utf-8")
    assert server.configured_api_url() == "http://prod:4200/api"
    (prefect_env / "profiles.toml").write_text('active = "local"\n[profiles.local]\n', encoding="utf-8")
    assert server.configured_api_url() is None


def test_broken_profiles_file_is_ignored(prefect_env):
    (prefect_env / "profiles.toml").write_text("not [toml", encoding="utf-8")
    assert server.configured_api_url() is None


def test_a_dead_servers_record_is_not_a_running_server(prefect_env):
    dead = subprocess.Popen(["true"])
    dead.wait()
    (prefect_env / server.STATE_FILE).write_text(json.dumps({"pid": dead.pid, "port": 4999}), encoding="utf-8")
    assert server.recorded() is None


def test_server_command_is_prefects_own_uvicorn_factory():
    cmd = server.server_command(4321)
    assert "uvicorn" in cmd and "prefect.server.api.server:create_app" in cmd and "4321" in cmd


def test_the_program_hands_a_run_over_whatever_global_options_come_first(monkeypatch):
    """`khabar -q run`, `khabar --log-level INFO run` and `khabar run -q` all go to the resident runner, with the
    command's start for the summary's wall time; other commands never do."""
    from flows import cli, runner

    for name in ("PREFECT_SERVER_ANALYTICS_ENABLED", "GX_ANALYTICS_ENABLED", "DO_NOT_TRACK", "PREFECT_LOGGING_LEVEL",
                 "PREFECT_SERVER_LOGGING_LEVEL", "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "PREFECT_HOME"):
        monkeypatch.delenv(name, raising=False)  # set by the command line; restored after the test
    handed: list[tuple[list[str], float | None]] = []
    monkeypatch.setattr(runner, "hand_over", lambda argv, started=None: handed.append((argv, started)) or 0)
    for argv in (["-q", "run", "--json"], ["--log-level", "INFO", "run"], ["run", "-q"]):
        monkeypatch.setattr("sys.argv", ["khabar", *argv])
        assert cli.entry() == 0
    assert [argv for argv, _ in handed] == [["-q", "run", "--json"], ["--log-level", "INFO", "run"], ["run", "-q"]]
    assert {started for _, started in handed} == {cli.STARTED}
    monkeypatch.setattr("sys.argv", ["khabar", "-q", "server", "--help"])
    with pytest.raises(SystemExit):
        cli.entry()
    assert len(handed) == 3


def test_the_runner_preloads_what_a_run_imports_without_starting_a_thread():
    """A fork of the runner is a clean copy only if the runner runs no thread; everything it preloads is there."""
    probe = ("import sys, threading; from flows import runner; runner.preload(); "
             "missing = [m for m in runner.PRELOAD if m not in sys.modules]; "
             "print(threading.active_count(), missing)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=khabar_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[-2] == "1 []", done.stdout


def khabar(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**khabar_env(), "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run([*KHABAR, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def session_processes(pid: int) -> list[int]:
    """Live processes in the session ``pid`` leads (the server and anything it started)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[4]) == pid:  # state, then ppid, pgrp, session
            found.append(int(proc.name))
    return found


def processes_of_home(home: Path) -> list[str]:
    """Live processes started with ``PREFECT_HOME=home`` (the server, the runner, anything they started)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if f"PREFECT_HOME={home}".encode() not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ")[:100].decode(errors="replace")
                found.append(f"{proc.name} {cmd}")
        except (OSError, IndexError):
            continue
    return found


def flow_run(api_url: str, flow_run_id: str) -> dict:
    return prefect_api(f"{api_url}/flow_runs/{flow_run_id}")


@pytest.mark.slow
def test_resident_server_start_run_ui_stop(tmp_path):
    """start prints the UI's address and leaves the server up; a run uses it and prints its flow run's UI
    link; the UI loads with the network shut; stop leaves no process; a run with none up starts one."""
    home = tmp_path / "prefect-home"
    started = khabar(home, "server", "start")
    assert started.returncode == 0, started.stderr[-3000:]
    ui = re.search(r"UI\s+(http://127\.0\.0\.1:\d+)", started.stdout).group(1)
    pid = json.loads((home / server.STATE_FILE).read_text())["pid"]
    assert int((home / "server.pid").read_text()) == pid  # Prefect's own pid file: `prefect server stop` works too
    try:
        again = khabar(home, "server", "start")
        assert again.returncode == 0 and "already running" in again.stdout and f"pid {pid}" in again.stdout
        status = khabar(home, "server", "status")
        assert status.returncode == 0 and "up" in status.stdout and ui in status.stdout

        wh = tmp_path / "wh"
        run = khabar(home, "run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh))
        assert run.returncode == 0, run.stderr[-3000:]
        assert f"khabar: using the Prefect server at {ui}" in run.stdout
        link = re.search(rf"flow run \S+: ({re.escape(ui)}/flow-runs/flow-run/([0-9a-f-]+))", run.stdout)
        assert link, run.stdout
        assert flow_run(f"{ui}/api", link.group(2))["state_type"] == "COMPLETED"
        assert server.alive(pid)  # the run left it running

        if CHROMIUM is not None:
            with Chromium(tmp_path / "chromium", allow=(f"{ui}/",)) as browser:
                visit = browser.visit(link.group(1), screenshot=tmp_path / "ui.png")
            assert visit.remote == [], visit.remote  # nothing but the local server was asked for
            assert not visit.exceptions, visit.exceptions
            assert "Prefect" in visit.facts["title"] and "khabar-run" in visit.facts["text"], visit.facts["text"][:500]
    finally:
        stopped = khabar(home, "server", "stop")
    assert stopped.returncode == 0 and f"pid {pid}" in stopped.stdout
    assert not server.alive(pid) and session_processes(pid) == []
    status = khabar(home, "server", "status")
    assert status.returncode == 3 and "no Prefect server running" in status.stdout

    # None up: the run starts one, in a session of its own, and leaves it running. A Ctrl-C reaches the run's
    # whole process group, and stops the run, never the server.
    env = {**khabar_env(), "PREFECT_HOME": str(home), "KHABAR_STAGE_PAUSE": "plan=60"}
    env.pop("PREFECT_API_URL", None)
    child = subprocess.Popen([*KHABAR, "run", "--landing", str(SEEDS_RAW), "--warehouse", str(tmp_path / "wh")],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        said = []
        for line in child.stdout:
            said.append(line)
            if "flow run" in line:
                break
        assert any("khabar: started the Prefect server at" in ln for ln in said), said
        os.killpg(child.pid, signal.SIGINT)
        assert child.wait(timeout=120) == 130
        running = server.recorded(home)
        assert running is not None and server.healthy(running.api_url)
        assert khabar(home, "server", "status").returncode == 0
    finally:
        child.kill()
        child.communicate()
        khabar(home, "server", "stop")
    assert server.recorded(home) is None
    deadline = time.monotonic() + 30  # the runner the run started may still be importing: it goes too
    while processes_of_home(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_of_home(home) == []


@pytest.mark.slow
def test_runs_are_handed_to_the_resident_runner_and_a_signal_stops_them(tmp_path):
    """With the runner up, `khabar run` runs in a fork of it (no process of its own below the command), writes
    to the command's own stdout, and exits with the run's status; SIGTERM to the command stops the run there."""
    from flows import runner
    from flows.schedule import descendants

    assert khabar(server.prefect_home(), "server", "start").returncode == 0
    state = None
    deadline = time.monotonic() + 240
    while state is None and time.monotonic() < deadline:  # the runner imports the pipeline once
        state = runner.recorded()
        time.sleep(0.5)
    assert state is not None, (server.prefect_home() / runner.LOG).read_text()[-3000:]
    wh = tmp_path / "wh"
    waited = time.monotonic()
    done = subprocess.run([*KHABAR, "run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--json"], cwd=ROOT,
                          env=khabar_env(), capture_output=True, text=True, timeout=300)
    waited = time.monotonic() - waited
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["files_loaded"] == 5
    # Wall time from the command's own start (not the runner's, which started long before): within what the
    # caller waited for it (the process's start is known to a clock tick, the summary to a millisecond).
    assert 0 < summary["startup_seconds"] < summary["wall_seconds"] <= waited + 1 / os.sysconf("SC_CLK_TCK") + 0.001
    assert "flow run" in done.stdout

    trace = tmp_path / "trace"
    env = {**khabar_env(), "KHABAR_STAGE_TRACE": str(trace), "KHABAR_STAGE_PAUSE": "plan=60"}
    child = subprocess.Popen([*KHABAR, "run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (trace.exists() and "plan" in trace.read_text().split()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert descendants(child.pid) == []  # the run is not in the command's process
        assert descendants(int(state["pid"])), "the run is not in the runner"
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 143, err[-3000:]
    assert [ln for ln in err.splitlines() if ln.strip()][0].startswith("khabar: stopped by SIGTERM")
    deadline = time.monotonic() + 15
    while descendants(int(state["pid"])) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert descendants(int(state["pid"])) == []  # the run and everything it started are gone


def test_prefect_api_retries_a_locked_database_503_and_not_a_404():
    """The tests' API helper sends again what Prefect's server refused as retryable, as Prefect's client does."""
    answers = [503, 503, 200, 404]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            code = answers.pop(0)
            self.send_response(code)
            self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(b'{"id": "run"}')

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_port}/deployments/x/create_flow_run"
        assert prefect_api(url, {}) == {"id": "run"}
        assert answers == [404]
        with pytest.raises(urllib.error.HTTPError) as refused:
            prefect_api(url, {})
        assert refused.value.code == 404 and answers == []
    finally:
        httpd.shutdown()
