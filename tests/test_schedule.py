"""The schedule of prefect.yaml and the cron driver behind `khabar serve`."""
from __future__ import annotations

from datetime import UTC, datetime

from flows import schedule


def test_deployment_config_reads_prefect_yaml():
    cfg = schedule.deployment_config()
    assert cfg["name"] == "khabar-hourly"
    assert cfg["cron"] == "5 * * * *"
    assert cfg["parameters"]["landing"] == "seeds/raw"


def test_fire_times_follow_the_cron():
    start = datetime(2026, 11, 23, 23, 59, 30, tzinfo=UTC)
    assert schedule.fire_times("*/15 * * * *", start, 3) == [
        datetime(2026, 11, 24, 0, 0, tzinfo=UTC), datetime(2026, 11, 24, 0, 15, tzinfo=UTC),
        datetime(2026, 11, 24, 0, 30, tzinfo=UTC)]


def test_serve_runs_the_flow_on_schedule(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr(schedule.time, "sleep", lambda s: calls.append(("sleep", s)))
    import flows.pipeline

    monkeypatch.setattr(flows.pipeline, "khabar_run",
                        lambda **kw: calls.append(("run", kw)) or {"run_id": "r1", "status": "published"})
    assert schedule.serve("seeds/raw", str(tmp_path), cron="* * * * *", max_runs=2) == 0
    runs = [c for c in calls if c[0] == "run"]
    assert len(runs) == 2 and runs[0][1]["warehouse_dir"] == str(tmp_path)
    assert all(0 <= s <= 60 for kind, s in calls if kind == "sleep")
    assert "next run at" in capsys.readouterr().out
