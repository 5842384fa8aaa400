"""``khabar`` command line: run, serve, server, search, restore.

Exit status of ``khabar run`` (contract §1): 0 completed, 1 a critical data-quality check failed and the
batch was not published, 2 bad usage or an environment fault the user can fix (one line on stderr, no
traceback), 130 / 143 stopped by SIGINT / SIGTERM.

Every command goes through :func:`run_command`, the one place where a failure becomes what the user sees:
a :class:`~flows.errors.UserFacingError` (raised anywhere in ``flows/``) or an environment fault a library
raised (``flows.errors.user_facing``: a full disk, a damaged database, missing credentials) is printed as one
line, ``khabar: …``, with exit status 2; a stop by signal (flows/interrupt.py) as one line with 128 + the
signal number. Bad option values are told the same way by the parser.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
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
    from flows.server import PROJECT_PREFECT_HOME

    # One PREFECT_HOME however khabar is started (make, .venv/bin/khabar, python -m flows.cli): the resident
    # server and its records live there (flows/server.py).
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_PREFECT_HOME))


def fail(message: str) -> int:
    """Tell the user one line on stderr; the exit status of a failure they can fix."""
    print(f"khabar: {message}", file=sys.stderr, flush=True)
    return 2


def run_command(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; failures the user can fix become one line and exit status 2, a stop by signal one
    line and 128 + the signal (see the module docstring). Anything else is a bug and keeps its traceback."""
    from flows import interrupt
    from flows.errors import user_facing

    try:
        return command(args)
    except interrupt.RunStopped as stop:
        from flows import stages

        stages.stop_workers()
        return _stopped(stop.signum)
    except BrokenPipeError:  # output piped into `head` and closed early
        return 0
    except Exception as exc:
        if interrupt.requested() is not None:  # a failure the stop caused (a child process that got the signal)
            from flows import stages

            stages.stop_workers()
            return _stopped(interrupt.requested())
        problem = user_facing(exc, warehouse=getattr(args, "warehouse", None))
        if problem is None:
            raise
        return fail(str(problem))


def _stopped(signum: int) -> int:
    from flows import interrupt

    name = interrupt.SIGNAL_NAMES.get(signum, str(signum))
    committed = interrupt.committed_run()
    if committed:
        print(f"khabar: stopped by {name} after run {committed} was published", file=sys.stderr, flush=True)
    else:
        print(f"khabar: stopped by {name}; nothing was published, the warehouse is as it was before this run",
              file=sys.stderr, flush=True)
    return 128 + signum


class Parser(argparse.ArgumentParser):
    """argparse, with a bad option told in one line (and exit status 2) instead of the usage block."""

    def error(self, message: str):  # noqa: ANN201 - argparse's signature (NoReturn)
        print(f"khabar: {self.prog.removeprefix('khabar ') or 'khabar'}: {message} (see {self.prog} --help)",
              file=sys.stderr, flush=True)
        sys.exit(2)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of 1 or more: {value!r}")
    return n


def _seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        n = -1.0
    if not 0 <= n < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds (0 or more): {value!r}")
    return n


def _path(value: str) -> str:
    if not value or "\x00" in value:
        raise argparse.ArgumentTypeError(f"not a usable path: {value!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="khabar", description="Arabic news to a validated, queryable warehouse.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    r = sub.add_parser("run", help="one run over a landing folder")
    r.add_argument("--landing", default="seeds/raw", type=_path,
                   help="folder of raw inputs (recursive), or an fsspec URL (s3://…, file://…); default seeds/raw")
    r.add_argument("--warehouse", default="warehouse", type=_path, help="output folder; default warehouse")
    r.add_argument("--reference-date", type=_parse_date, help="anchor for relative dates (YYYY-MM-DD)")
    r.add_argument("--json", action="store_true", help="print the run summary as JSON on the last line")
    r.add_argument("--runner", choices=("process", "thread", "dask"), default="process",
                   help="where batches run: local process pool (default), threads, or Dask")
    r.add_argument("--dask-address", help="Dask scheduler address (tcp://host:8786); implies --runner dask")
    r.add_argument("--workers", type=_positive_int, help="parallel batch workers (default: CPU cores)")
    r.add_argument("--parquet-url", help="also mirror the Parquet tables to this fsspec URL (s3://bucket/prefix)")
    r.add_argument("--lock-wait", type=_seconds, default=600.0,
                   help="seconds to wait for another run, or a reader holding the database (default 600)")
    s = sub.add_parser("serve", help="run the scheduled deployment on this machine (cron from prefect.yaml)")
    s.add_argument("--landing", default="seeds/raw", type=_path)
    s.add_argument("--warehouse", default="warehouse", type=_path)
    s.add_argument("--cron", default=None, help="override the schedule (default: the one in prefect.yaml)")
    v = sub.add_parser("server", help="Prefect's server (API and UI) as a resident service",
                       description="Start, stop or look at the resident Prefect server (UI included) that runs "
                                   "use. status exits 3 when none runs.")
    v.add_argument("action", choices=("start", "stop", "status"))
    v.add_argument("--port", type=_positive_int, help="port for start (default 4200, or a free one if taken)")
    q = sub.add_parser("search", help="full-text search over articles (Arabic stemmer)")
    q.add_argument("query")
    q.add_argument("--warehouse", default="warehouse", type=_path)
    q.add_argument("--limit", type=_positive_int, default=10, help="hits to show (default 10)")
    q.add_argument("--lock-wait", type=_seconds, default=60.0,
                   help="seconds to wait for a run that is publishing (default 60)")
    b = sub.add_parser("restore", help="rebuild news.duckdb from the Parquet mirror (a damaged database)")
    b.add_argument("--warehouse", default="warehouse", type=_path)
    b.add_argument("--lock-wait", type=_seconds, default=600.0,
                   help="seconds to wait for a run using the warehouse (default 600)")
    return p


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_env()
    from flows import interrupt

    with interrupt.handling():
        return run_command(COMMANDS[args.command], args)


def cmd_run(args: argparse.Namespace) -> int:
    from flows import interrupt, remote

    landing = remote.local_path(args.landing)
    if landing is not None:
        if not landing.is_dir():
            return fail(f"landing folder not found: {args.landing}")
        from flows.warehouse import check_separate

        check_separate(landing, Path(args.warehouse))
    else:
        remote.check_readable(args.landing)
    from flows import server

    api = server.api_for_command()  # first: a server being started boots while this process imports
    if args.runner == "process" and not args.dask_address and (args.workers or os.cpu_count() or 1) > 1:
        from flows.stages import start_worker_server

        start_worker_server()  # the batch workers' fork server warms up meanwhile too
    from flows import warehouse

    warehouse.check_database(warehouse.prepare(Path(args.warehouse)))  # a damaged file: told before the wait
    from flows.pipeline import khabar_run  # imports Prefect and the pipeline while a new server boots

    logging.getLogger("prefect").setLevel(logging.WARNING)
    try:
        api.wait_ready(server.startup_timeout())
    except RuntimeError as exc:
        return fail(f"cannot start the Prefect server: {exc}")
    print(f"khabar: {api.describe()}", flush=True)
    if api.server is not None:
        from flows import runner

        runner.start(api.url)  # for the next runs, unless one is up (flows/runner.py)

    summary = khabar_run(landing=args.landing, warehouse_dir=args.warehouse,
                         reference_date=args.reference_date.isoformat() if args.reference_date else None,
                         runner=args.runner, dask_address=args.dask_address, workers=args.workers,
                         lock_wait_seconds=args.lock_wait, parquet_url=args.parquet_url)
    if summary.get("status") == "busy":
        return fail(summary["message"])
    if interrupt.requested() is not None:  # the signal came after COMMIT: the run finished publishing
        return _stopped(interrupt.requested())
    print_summary(summary)
    if args.json:
        # The contract's keys first; status and the per-stage split are additions.
        extra = {k: summary.get(k) for k in ("status", "stage_seconds", "drift_alerts", "mirror")}
        print(json.dumps({**{k: summary.get(k) for k in SUMMARY_KEYS}, **extra}, ensure_ascii=False))
    return 0 if summary.get("status") != "dq_failed" else 1


def print_summary(summary: dict) -> None:
    print(f"khabar run {summary['run_id']}: {summary['status']}")
    print(f"  files   seen {summary['files_seen']}  loaded {summary['files_loaded']}  "
          f"skipped {summary['files_skipped']}  quarantined {summary['files_quarantined']}")
    print(f"  records seen {summary['records_seen']}  articles {summary['articles_loaded']}  "
          f"quarantined {summary['records_quarantined']}")
    print(f"  data quality {'passed' if summary['dq_success'] else 'FAILED (see report)'}: {summary['report']}")
    for alert in summary.get("drift_alerts") or ():
        print(f"  drift   {alert['message']}")
    for note in summary.get("mirror") or []:
        print(f"  {note}")
    stages = summary.get("stage_seconds") or {}
    if stages:
        print("  seconds " + "  ".join(f"{k} {v:.2f}" for k, v in stages.items()) + f"  total {summary['seconds']:.2f}")


def cmd_serve(args: argparse.Namespace) -> int:
    from flows import server

    api = server.api_for_command()
    from flows.schedule import serve

    try:
        api.wait_ready(server.startup_timeout())
    except RuntimeError as exc:
        return fail(f"cannot start the Prefect server: {exc}")
    print(f"khabar: {api.describe()}", flush=True)
    return serve(landing=args.landing, warehouse_dir=args.warehouse, cron=args.cron)


def cmd_server(args: argparse.Namespace) -> int:
    from flows import server

    return server.command(args)


def cmd_search(args: argparse.Namespace) -> int:
    from flows import warehouse

    layout = warehouse.Layout(Path(args.warehouse))
    if not layout.db.exists():
        return fail(f"no warehouse at {args.warehouse}: run `khabar run` first")
    from flows.search import IndexMissingError, search

    def waiting(what: str) -> None:
        print(f"khabar: {what} (a run is publishing; up to --lock-wait {args.lock_wait:g} s)", file=sys.stderr,
              flush=True)

    with warehouse.connect(layout, read_only=True, wait_seconds=args.lock_wait, on_wait=waiting) as con:
        try:
            hits = search(con, args.query, limit=args.limit)
        except IndexMissingError:
            return fail(f"the warehouse {args.warehouse} has no search index yet: run `khabar run` once")
    if not hits:
        print("no matching articles")
    for i, h in enumerate(hits, 1):
        when = h.get("published_date") or "—"
        print(f"{i:2}. [{h.get('score', 0):.2f}] {h['headline']}  ({h.get('outlet_domain') or 'unknown outlet'}, {when})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from flows.restore import restore

    counts = restore(Path(args.warehouse), lock_wait=args.lock_wait)
    moved = counts.pop("moved_to")
    print(f"khabar: rebuilt {Path(args.warehouse) / 'news.duckdb'} from the Parquet mirror: "
          + ", ".join(f"{t} {n}" for t, n in counts.items()))
    if moved:
        print(f"khabar: the previous file is kept as {moved}")
    return 0


COMMANDS.update(run=cmd_run, serve=cmd_serve, server=cmd_server, search=cmd_search, restore=cmd_restore)


def entry() -> int:
    """The ``khabar`` program. A ``khabar run`` goes to the resident runner when one is up with this code and
    these settings (flows/runner.py: no imports to wait for), else runs in this process."""
    argv = sys.argv[1:]
    if argv[:1] == ["run"]:
        _quiet_env()
        from flows import runner

        status = runner.hand_over(argv)
        if status is not None:
            return status
    return main(argv)


if __name__ == "__main__":
    sys.exit(entry())
