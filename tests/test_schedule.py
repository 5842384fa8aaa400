"""`khabar serve`: prefect.yaml's deployment served by Prefect's runner; Prefect's scheduler schedules it."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import uuid

import pytest

from flows import schedule, server
from flows.interrupt import STAGE_PAUSE, STAGE_TRACE
from tests.conftest import KHABAR, ROOT, SEEDS_RAW, khabar_env, prefect_api
from tests.test_e2e_signals import TAG, tagged_processes


def test_deployment_config_reads_prefect_yaml():
    cfg = schedule.deployment_config()
    assert cfg["name"] == "khabar-hourly"
    assert (cfg["cron"], cfg["timezone"]) == ("5 * * * *", "UTC")
    assert cfg["parameters"]["landing"] == "seeds/raw"


def test_descendants_are_every_process_below_but_those_kept(tmp_path):
    child = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30 & wait"])
    try:
        deadline = time.monotonic() + 10
        while len(schedule.descendants(child.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        grandchildren = schedule.descendants(child.pid)
        assert len(grandchildren) == 2
        assert child.pid in schedule.descendants(os.getpid())
        assert schedule.descendants(os.getpid(), keep=frozenset({child.pid})).count(grandchildren[0]) == 0
        schedule.end_processes([child.pid, *grandchildren], grace=5)
        assert child.wait(timeout=5) is not None
        assert schedule.descendants(child.pid) == []
    finally:
        child.kill()


def run_failure(api: str, flow_run: dict) -> str:
    """Why a flow run did not complete: its state's message and the last lines of its log, from the API."""
    logs = prefect_api(f"{api}/logs/filter", {"logs": {"flow_run_id": {"any_": [flow_run["id"]]}}, "limit": 200})
    lines = [f"{entry['level']} {entry['message']}" for entry in logs][-40:]
    return f"{flow_run['state_type']}: {(flow_run.get('state') or {}).get('message')}\n" + "\n".join(lines)[-6000:]


def wait_for(what, timeout: float, step: float = 0.5):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(step)
    return None


@pytest.mark.slow
def test_serve_registers_the_scheduled_deployment_runs_it_and_stops_every_child(tmp_path):
    """The deployment is Prefect's (cron and time zone from prefect.yaml, scheduled runs created by Prefect's
    scheduler); a run of it is executed by the runner and publishes; SIGTERM during a run stops every process."""
    tag = uuid.uuid4().hex
    trace = tmp_path / "trace"
    wh = tmp_path / "wh"
    env = {**khabar_env(), TAG: tag, STAGE_TRACE: str(trace), "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    child = subprocess.Popen([*KHABAR, "serve", "--landing", str(SEEDS_RAW), "--warehouse", str(wh)], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = ""
        while "serving deployment" not in first:
            first = child.stdout.readline()
            assert first or child.poll() is None, child.stderr.read()[-3000:]
        deployment_id = re.search(r"/deployments/deployment/([0-9a-f-]+)", first).group(1)
        api = server.recorded().api_url
        dep = prefect_api(f"{api}/deployments/{deployment_id}")
        assert dep["name"] == "khabar-hourly"
        assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in dep["schedules"]] == [("5 * * * *", "UTC")]
        scheduled = wait_for(lambda: prefect_api(f"{api}/flow_runs/filter", {
            "deployments": {"id": {"any_": [deployment_id]}}, "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}),
            timeout=120)
        assert scheduled, "Prefect's scheduler created no scheduled run"
        assert all(r["expected_start_time"][14:16] == "05" for r in scheduled)

        # A run of the deployment now (as from the UI): the runner executes it.
        run = prefect_api(f"{api}/deployments/{deployment_id}/create_flow_run", {})
        done = wait_for(lambda: prefect_api(f"{api}/flow_runs/{run['id']}")["state_type"] in ("COMPLETED", "FAILED",
                                                                                        "CRASHED"), timeout=240)
        final = prefect_api(f"{api}/flow_runs/{run['id']}")
        assert done and final["state_type"] == "COMPLETED", run_failure(api, final)
        assert (wh / "news.duckdb").exists()

        # Another, held at its planning stage; SIGTERM to `khabar serve` ends it and everything below it.
        trace.unlink(missing_ok=True)
        prefect_api(f"{api}/deployments/{deployment_id}/create_flow_run",
                 {"job_variables": {"env": {STAGE_PAUSE: "plan=120"}}})
        assert wait_for(lambda: trace.exists() and "plan" in trace.read_text().split(), timeout=240)
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 143
    finally:
        child.kill()
        out, err = child.communicate()
    assert "stopped serving (SIGTERM)" in out, out[-2000:] + err[-2000:]
    left = wait_for(lambda: not [p for p in tagged_processes(tag) if p.split()[0] != str(server.recorded().pid)],
                    timeout=30)
    assert left, tagged_processes(tag)
