"""Run khabar's scheduled deployment on one machine: ``khabar serve`` (no server or worker to set up)."""
from __future__ import annotations

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


def serve(landing: str, warehouse_dir: str, cron: str | None = None) -> int:
    from flows.pipeline import khabar_run

    cfg = deployment_config()
    params = {**cfg["parameters"], "landing": landing, "warehouse_dir": warehouse_dir}
    cron = cron or cfg["cron"]
    print(f"khabar: serving deployment {cfg['name']!r} on cron {cron!r} ({cfg['timezone']}); Ctrl-C to stop")
    khabar_run.serve(name=cfg["name"], cron=cron, parameters=params)
    return 0
