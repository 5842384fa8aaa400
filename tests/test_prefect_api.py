"""Prefect's temporary API server started before Prefect is imported (flows/prefect_api.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from flows import prefect_api
from tests.conftest import ROOT


@pytest.fixture()
def prefect_env(monkeypatch, tmp_path):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    return tmp_path


def test_no_configured_server_by_default(prefect_env):
    assert prefect_api.configured_api_url() is None


def test_environment_url_wins(prefect_env, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    assert prefect_api.configured_api_url() == "http://prefect.example:4200/api"
    assert prefect_api.start_temporary_server() is None


def test_active_profile_url_is_respected(prefect_env):
    (prefect_env / "profiles.toml").write_text(
        'active = "prod"\n[profiles.prod]\nPREFECT_API_URL = "http://prod:4200/api"\n[profiles.local]\n',
        encoding="utf-8")
    assert prefect_api.configured_api_url() == "http://prod:4200/api"
    (prefect_env / "profiles.toml").write_text('active = "local"\n[profiles.local]\n', encoding="utf-8")
    assert prefect_api.configured_api_url() is None


def test_broken_profiles_file_is_ignored(prefect_env):
    (prefect_env / "profiles.toml").write_text("not [toml", encoding="utf-8")
    assert prefect_api.configured_api_url() is None


def test_server_command_is_prefects_own_uvicorn_factory():
    cmd = prefect_api.server_command(4321)
    assert cmd[:3] == [sys.executable, "-m", "uvicorn"]
    assert "prefect.server.api.server:create_app" in cmd and "4321" in cmd


@pytest.mark.slow
def test_temporary_server_answers_then_stops(prefect_env):
    server = prefect_api.start_temporary_server()
    try:
        assert server is not None
        assert os.environ["PREFECT_API_URL"] == server.api_url
        server.wait_ready(120)
        with urllib.request.urlopen(f"{server.api_url}/health", timeout=5) as resp:
            assert resp.status == 200
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        if server is not None:
            server.stop()
    assert server.process.poll() is not None


@pytest.mark.slow
def test_flow_runs_are_recorded_in_the_early_server(prefect_env):
    """A flow run in a process that started the server early is recorded by that server."""
    code = (
        "from flows import prefect_api\n"
        "s = prefect_api.start_temporary_server()\n"
        "from prefect import flow\n"
        "from prefect.client.orchestration import get_client\n"
        "@flow(name='khabar-probe')\n"
        "def probe():\n    return 7\n"
        "s.wait_ready(120)\n"
        "assert probe() == 7\n"
        "with get_client(sync_client=True) as c:\n"
        "    runs = c.read_flow_runs()\n"
        "import json; print(json.dumps([r.state_name for r in runs]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == ["Completed"]
