"""Run khabar's scheduled deployment on one machine: ``khabar serve`` (no server or worker to set up)."""
from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"


def deployment_config(path: Path = PREFECT_YAML) -> dict:
    """The first deployment of prefect.yaml (name, cron, parameters)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    dep = doc["deployments"][0]
    sched = (dep.get("schedules") or [{}])[0]
    return {"name": dep["name"], "cron": sched.get("cron"), "timezone": sched.get("timezone", "UTC"),
            "parameters": dep.get("parameters") or {}}


def fire_times(cron: str, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` times a cron expression fires after ``after`` (UTC).

    >>> [t.strftime("%H:%M") for t in fire_times("5 * * * *", datetime(2026, 1, 1, 10, 7, tzinfo=UTC), 2)]
    ['11:05', '12:05']
    """
    from cronsim import CronSim

    it = CronSim(cron, after.astimezone(UTC).replace(tzinfo=None))
    return [next(it).replace(tzinfo=UTC) for _ in range(count)]


def serve(landing: str, warehouse_dir: str, cron: str | None = None, max_runs: int | None = None) -> int:
    """Run the deployment's flow on its cron, on this machine, until interrupted.

    Prefect's own ``flow.serve`` needs a long-running Prefect server to create scheduled runs (a temporary
    server refuses: "Cannot schedule flows on an ephemeral server"), so the schedule is driven here and
    each run is a normal Prefect flow run. With PREFECT_API_URL set to a server, ``prefect deploy --all``
    registers the same deployment instead.
    """
    from flows import interrupt
    from flows.pipeline import khabar_run

    cfg = deployment_config()
    params = {**cfg["parameters"], "landing": landing, "warehouse_dir": warehouse_dir}
    cron = cron or cfg["cron"]
    print(f"khabar: serving deployment {cfg['name']!r} on cron {cron!r} (UTC); Ctrl-C to stop", flush=True)
    runs = 0
    try:
        while max_runs is None or runs < max_runs:
            when = fire_times(cron, datetime.now(UTC), 1)[0]
            print(f"khabar: next run at {when.isoformat()}", flush=True)
            time.sleep(max(0.0, (when - datetime.now(UTC)).total_seconds()))
            try:
                summary = khabar_run(**params)
                print(f"khabar: run {summary.get('run_id')} {summary.get('status')}: "
                      f"{summary.get('articles_loaded', 0)} new articles", flush=True)
            except Exception as exc:  # noqa: BLE001 - one failed run must not stop the schedule
                print(f"khabar: run failed: {exc}", flush=True)
            runs += 1
    except interrupt.RunStopped:  # Ctrl-C or SIGTERM, between runs or during one (which stops at a safe point)
        print("khabar: stopped", flush=True)
    return 0
