"""``khabar serve``: prefect.yaml's deployment, served by Prefect's runner against the resident server.

Prefect does the scheduling: the deployment (its cron, time zone and parameters from prefect.yaml) is
registered with the resident Prefect server, whose scheduler creates the scheduled flow runs; the runner
here (what ``flow.serve`` starts) polls for them and runs each in a subprocess. The deployment shows in the
UI, where a run can also be started by hand (``prefect deployment run 'khabar-run/khabar-hourly'`` too).

SIGINT or SIGTERM stops the runner, and then every process it started: a flow run in progress gets the
signal (it stops at its next safe point, as a ``khabar run`` does) and whatever is left of it is killed.
"""
from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import yaml

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"
GRACE_SECONDS = 20.0  # for a flow run in progress to reach a safe point once told to stop


def deployment_config(path: Path = PREFECT_YAML) -> dict:
    """The first deployment of prefect.yaml (name, description, cron, time zone, parameters)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    dep = doc["deployments"][0]
    sched = (dep.get("schedules") or [{}])[0]
    return {"name": dep["name"], "description": dep.get("description"), "cron": sched.get("cron"),
            "timezone": sched.get("timezone", "UTC"), "parameters": dep.get("parameters") or {}}


def descendants(pid: int, keep: frozenset[int] = frozenset(), session: int | None = None) -> list[int]:
    """Every live process below ``pid`` (children first), read from /proc, but those in ``keep`` and below
    them; with ``session``, only those in that session (the walk still goes through the others). Empty where
    there is no /proc."""
    parents: dict[int, int] = {}
    sessions: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
            sessions[int(entry.name)] = int(fields[3])
    found, frontier = [], [pid]
    while frontier:
        below = [p for p, parent in parents.items() if parent in frontier and p not in keep]
        found += below
        frontier = below
    return found if session is None else [p for p in found if sessions[p] == session]


def end_processes(pids: list[int], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM each process, wait up to ``grace`` seconds, SIGKILL the ones left."""
    def send(pid: int, sig: int) -> None:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass

    for pid in pids:
        send(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids):
        for pid in pids:  # reap our own children as they end
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.1)
    for pid in pids:
        send(pid, signal.SIGKILL)


def serve(landing: str, warehouse_dir: str, cron: str | None = None) -> int:
    """Serve the deployment until SIGINT or SIGTERM; returns the exit status (128 + the signal)."""
    from prefect.runner import Runner
    from prefect.schedules import Cron

    from flows import server
    from flows.pipeline import khabar_run

    resident = server.recorded()  # this command's child when it started it: never stopped with the runs
    cfg = deployment_config()
    params = {**cfg["parameters"], "landing": str(Path(landing).absolute()),
              "warehouse_dir": str(Path(warehouse_dir).absolute())}
    cron = cron or cfg["cron"]
    stopped_by: list[int] = []

    class KhabarRunner(Runner):
        def handle_sigterm(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - Prefect's signature
            # As a Ctrl-C: the runner's loop ends and its shutdown runs (Prefect's own handler exits with 0).
            stopped_by.append(signal.SIGTERM)
            raise KeyboardInterrupt

    runner = KhabarRunner(name=f"khabar-serve-{os.getpid()}", pause_on_shutdown=True)
    deployment = khabar_run.to_deployment(name=cfg["name"], description=cfg["description"],
                                          schedules=[Cron(cron, timezone=cfg["timezone"])], parameters=params,
                                          paused=False)  # paused when a previous serve stopped
    deployment_id = runner.add_deployment(deployment)
    from prefect.settings import PREFECT_UI_URL

    print(f"khabar: serving deployment {khabar_run.name}/{cfg['name']} on cron {cron!r} ({cfg['timezone']}), "
          f"scheduled by Prefect: {PREFECT_UI_URL.value()}/deployments/deployment/{deployment_id}", flush=True)
    print("khabar: Ctrl-C or SIGTERM stops serving", flush=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # the runner's loop ends on KeyboardInterrupt
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        stopped_by.append(signal.SIGINT)
    finally:
        # a flow run in progress, and all it started
        end_processes(descendants(os.getpid(), keep=frozenset({resident.pid} if resident else ())))
    signum = stopped_by[0] if stopped_by else signal.SIGTERM
    print(f"khabar: stopped serving ({signal.Signals(signum).name})", flush=True)
    return 128 + signum
