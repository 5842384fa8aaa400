"""``khabar`` command line: run, serve, search, status.

Exit status of ``khabar run`` (contract §1): 0 completed, 1 a critical data-quality check failed and the
batch was not published, 2 bad usage or an unusable/busy warehouse (one line, no traceback).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path

SUMMARY_KEYS = ("run_id", "files_seen", "files_loaded", "files_skipped", "files_quarantined", "records_seen",
                "articles_loaded", "records_quarantined", "dq_success", "seconds")


def _quiet_env() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    os.environ.setdefault("PREFECT_HOME", str(Path.home() / ".prefect"))


def _usage_error(message: str) -> int:
    print(f"khabar: {message}", file=sys.stderr)
    return 2


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="khabar", description="Arabic news to a validated, queryable warehouse.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="one run over a landing folder")
    r.add_argument("--landing", default="seeds/raw",
                   help="folder of raw inputs (recursive), or an fsspec URL (s3://…, file://…); default seeds/raw")
    r.add_argument("--warehouse", default="warehouse", help="output folder; default warehouse")
    r.add_argument("--reference-date", type=_parse_date, help="anchor for relative dates (YYYY-MM-DD)")
    r.add_argument("--json", action="store_true", help="print the run summary as JSON on the last line")
    r.add_argument("--runner", choices=("process", "thread", "dask"), default="process",
                   help="where batches run: local process pool (default), threads, or Dask")
    r.add_argument("--dask-address", help="Dask scheduler address (tcp://host:8786); implies --runner dask")
    r.add_argument("--workers", type=int, help="parallel batch workers (default: CPU cores)")
    r.add_argument("--parquet-url", help="also mirror the Parquet tables to this fsspec URL (s3://bucket/prefix)")
    r.add_argument("--lock-wait", type=float, default=600.0,
                   help="seconds to wait for another run on the same warehouse (default 600)")
    s = sub.add_parser("serve", help="run the scheduled deployment on this machine (cron from prefect.yaml)")
    s.add_argument("--landing", default="seeds/raw")
    s.add_argument("--warehouse", default="warehouse")
    s.add_argument("--cron", default=None, help="override the schedule (default: the one in prefect.yaml)")
    q = sub.add_parser("search", help="full-text search over articles (Arabic stemmer)")
    q.add_argument("query")
    q.add_argument("--warehouse", default="warehouse")
    q.add_argument("--limit", type=int, default=10)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_env()
    try:
        return _dispatch(args)
    except BrokenPipeError:  # output piped into `head` and closed early
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        return cmd_run(args)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "search":
        return cmd_search(args)
    return 2


def cmd_run(args: argparse.Namespace) -> int:
    from flows.remote import local_path

    landing = local_path(args.landing)
    if landing is not None and not landing.is_dir():
        return _usage_error(f"landing folder not found: {args.landing}")
    server = _start_prefect_api()  # first: it boots on the other core while this process imports
    if args.runner == "process" and not args.dask_address and (args.workers or os.cpu_count() or 1) > 1:
        from flows.stages import start_worker_server

        start_worker_server()  # the batch workers' fork server warms up meanwhile too
    from flows import warehouse

    try:
        warehouse.prepare(Path(args.warehouse))
    except warehouse.WarehouseUnusable as exc:
        return _usage_error(str(exc))
    from flows.pipeline import khabar_run  # imports Prefect and the pipeline while the API server boots

    logging.getLogger("prefect").setLevel(logging.WARNING)
    if server is not None:
        try:
            server.wait_ready(_startup_timeout())
        except RuntimeError as exc:
            return _usage_error(f"cannot start Prefect's temporary API server: {exc}")

    try:
        summary = khabar_run(landing=args.landing, warehouse_dir=args.warehouse,
                             reference_date=args.reference_date.isoformat() if args.reference_date else None,
                             runner=args.runner, dask_address=args.dask_address, workers=args.workers,
                             lock_wait_seconds=args.lock_wait, parquet_url=args.parquet_url)
    except warehouse.WarehouseBusy as exc:
        return _usage_error(str(exc))
    if summary.get("status") == "busy":
        return _usage_error(summary["message"])
    print_summary(summary)
    if args.json:
        # The contract's keys first; status and the per-stage split are additions.
        extra = {k: summary.get(k) for k in ("status", "stage_seconds", "drift_alerts")}
        print(json.dumps({**{k: summary.get(k) for k in SUMMARY_KEYS}, **extra}, ensure_ascii=False))
    return 0 if summary.get("status") != "dq_failed" else 1


def _start_prefect_api():
    """Prefect's temporary API server, spawned now (see flows/prefect_api.py); None with a configured server."""
    from flows.prefect_api import start_temporary_server

    return start_temporary_server()


def _startup_timeout() -> float:
    # Prefect's own setting for its temporary server; a loaded CI machine may need more than its 20 s.
    return max(60.0, float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 0))


def print_summary(summary: dict) -> None:
    print(f"khabar run {summary['run_id']}: {summary['status']}")
    print(f"  files   seen {summary['files_seen']}  loaded {summary['files_loaded']}  "
          f"skipped {summary['files_skipped']}  quarantined {summary['files_quarantined']}")
    print(f"  records seen {summary['records_seen']}  articles {summary['articles_loaded']}  "
          f"quarantined {summary['records_quarantined']}")
    print(f"  data quality {'passed' if summary['dq_success'] else 'FAILED (see report)'}: {summary['report']}")
    for alert in summary.get("drift_alerts") or ():
        print(f"  drift   {alert['message']}")
    stages = summary.get("stage_seconds") or {}
    if stages:
        print("  seconds " + "  ".join(f"{k} {v:.2f}" for k, v in stages.items()) + f"  total {summary['seconds']:.2f}")


def cmd_serve(args: argparse.Namespace) -> int:
    server = _start_prefect_api()
    from flows.schedule import serve

    if server is not None:
        server.wait_ready(_startup_timeout())
    return serve(landing=args.landing, warehouse_dir=args.warehouse, cron=args.cron)


def cmd_search(args: argparse.Namespace) -> int:
    from flows import warehouse

    layout = warehouse.Layout(Path(args.warehouse))
    if not layout.db.exists():
        return _usage_error(f"no warehouse at {args.warehouse}: run `khabar run` first")
    from flows.search import IndexMissingError, search

    with warehouse.connect(layout, read_only=True) as con:
        try:
            hits = search(con, args.query, limit=args.limit)
        except IndexMissingError:
            return _usage_error(f"the warehouse {args.warehouse} has no search index yet: run `khabar run` once")
    if not hits:
        print("no matching articles")
    for i, h in enumerate(hits, 1):
        when = h.get("published_date") or "—"
        print(f"{i:2}. [{h.get('score', 0):.2f}] {h['headline']}  ({h.get('outlet_domain') or 'unknown outlet'}, {when})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
