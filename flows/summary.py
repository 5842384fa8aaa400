"""The run summary the command line prints: what happened, in words a user can act on, and where the time went.

The first line says the outcome exactly: ``published``, ``published with 1 warning: …``, ``NOT published: …``
or ``nothing new``, with each failed check named and what it observed. The time lines keep apart the wall
time (from the command's start: start-up, each step of the run, in order; they add up to the total) and the
time spent in worker processes (summed over the workers, so it overlaps the wall steps and may exceed them).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from schemas.expectations import SUITES

# Steps the batch workers and the checks' worker run, summed over workers (publish.py and stages.py name them).
WORKER_STEPS = ("ingest", "clean", "extract", "features", "write staging", "validate", "data docs")
_UNEXPECTED = re.compile(r"^(\d+) of (\d+) unexpected \(([\d.]+)%\)")
_MOSTLY = {(table, c.name): c.kwargs["mostly"] for table, checks in SUITES.items() for c in checks
           if "mostly" in c.kwargs}


def check_text(row: dict[str, Any]) -> str:
    """One failed check, as the summary names it: ``table.check`` and what it observed; a check that allows
    some misses (GX's ``mostly``) says the share that passed against the share it needs.

    >>> check_text({"table_name": "quotes", "expectation": "speakers_resolved_share",
    ...             "observed": "49 of 90 unexpected (54.44%)"})
    'quotes.speakers_resolved_share 45.6% < 60%'
    >>> check_text({"table_name": "articles", "expectation": "headline_not_null",
    ...             "observed": "2 of 5 unexpected (40.00%)"})
    'articles.headline_not_null: 2 of 5 unexpected (40.00%)'
    """
    name = f"{row['table_name']}.{row['expectation']}"
    observed = str(row.get("observed") or "").strip()
    m = _UNEXPECTED.match(observed)
    mostly = _MOSTLY.get((row["table_name"], row["expectation"]))
    if m and mostly is not None:
        return f"{name} {100 - float(m.group(3)):.1f}% < {mostly * 100:g}%"
    return f"{name}: {observed}" if observed else name


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def outcome(summary: dict[str, Any]) -> list[str]:
    """The outcome line (and, with several failed checks, one line per check).

    >>> outcome({"run_id": "r1", "status": "published", "failed_checks": []})
    ['khabar run r1: published; every data-quality check passed']
    >>> outcome({"run_id": "r1", "status": "published", "failed_checks": [{"table_name": "quotes",
    ...     "expectation": "speakers_resolved_share", "severity": "warning", "observed": "49 of 90 unexpected (54.44%)"}]})
    ['khabar run r1: published with 1 warning: quotes.speakers_resolved_share 45.6% < 60%']
    >>> outcome({"run_id": "r1", "status": "dq_failed", "failed_checks": [{"table_name": "articles",
    ...     "expectation": "headline_not_null", "severity": "critical", "observed": "2 of 5 unexpected (40.00%)"}]})
    ['khabar run r1: NOT published: 1 critical check failed: articles.headline_not_null: 2 of 5 unexpected (40.00%)']
    >>> outcome({"run_id": "r2", "status": "nothing_new", "failed_checks": []})
    ['khabar run r2: nothing new to publish (every input was already loaded, skipped or rejected)']
    """
    run = f"khabar run {summary['run_id']}"
    failed = summary.get("failed_checks") or []
    critical = [check_text(r) for r in failed if r.get("severity") == "critical"]
    warnings = [check_text(r) for r in failed if r.get("severity") != "critical"]
    status = summary.get("status")
    if status == "dq_failed":
        head = f"{run}: NOT published: {_plural(len(critical), 'critical check')} failed"
        return _with(head, critical) + [f"  also {_plural(len(warnings), 'warning')}: {w}" for w in warnings]
    if status == "nothing_new":
        head = f"{run}: nothing new to publish (every input was already loaded, skipped or rejected)"
        return _with(head, warnings) if warnings else [head]
    if not warnings:
        return [f"{run}: {status}; every data-quality check passed"]
    return _with(f"{run}: {status} with {_plural(len(warnings), 'warning')}", warnings)


def _with(head: str, items: list[str]) -> list[str]:
    if len(items) == 1:
        return [f"{head}: {items[0]}"]
    return [f"{head}:"] + [f"  - {item}" for item in items]


def _steps(items: Iterable[tuple[str, float]]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in items)


def time_lines(summary: dict[str, Any], total: float, startup: float) -> list[str]:
    """The wall time from the command's start, split into steps that add up to it, and the workers' time apart.

    ``total``: seconds since the command started; ``startup``: before the flow was called (imports, Prefect's
    API server); ``other``: the rest (Prefect creating and closing the flow run, the steps' gaps).

    >>> s = {"seconds": 8.0, "flow_wall_seconds": {"plan": 1.0, "batches": 3.0},
    ...      "stage_seconds": {"extract": 5.0, "load duckdb": 2.0, "validate": 1.5}}
    >>> for line in time_lines(s, total=12.0, startup=3.5): print(line)
    time    12.00 s wall from the command's start: start-up 3.50, plan 1.00, batches 3.00, load duckdb 2.00, other 2.50
    workers 6.50 s in worker processes, summed over them (while the steps above ran): extract 5.00, validate 1.50
    """
    stages = summary.get("stage_seconds") or {}
    flow = summary.get("flow_wall_seconds") or {}
    wall = [("start-up", startup), *flow.items(),
            *((k, v) for k, v in stages.items() if k not in WORKER_STEPS)]
    other = total - sum(v for _, v in wall)
    wall.append(("other", max(0.0, other)))
    lines = [f"time    {total:.2f} s wall from the command's start: {_steps(wall)}"]
    workers = [(k, stages[k]) for k in WORKER_STEPS if k in stages]
    if workers:
        lines.append(f"workers {sum(v for _, v in workers):.2f} s in worker processes, summed over them (while the "
                     f"steps above ran): {_steps(workers)}")
    return lines


def render(summary: dict[str, Any], total: float, startup: float, quiet: bool = False) -> list[str]:
    """Every line of the summary (``quiet``: the outcome only)."""
    lines = outcome(summary)
    if quiet:
        return lines
    lines += [
        f"  files   seen {summary['files_seen']}  loaded {summary['files_loaded']}  "
        f"skipped {summary['files_skipped']}  quarantined {summary['files_quarantined']}",
        f"  records seen {summary['records_seen']}  articles {summary['articles_loaded']}  "
        f"quarantined {summary['records_quarantined']}",
        f"  report  {summary.get('run_report') or summary.get('report')}",
    ]
    lines += [f"  drift   {alert['message']}" for alert in summary.get("drift_alerts") or ()]
    lines += [f"  {note}" for note in summary.get("mirror") or []]
    if summary.get("report_error"):
        lines.append(f"  report  could not be drawn: {summary['report_error']}")
    lines += [f"  {line}" for line in time_lines(summary, total, startup)]
    return lines
