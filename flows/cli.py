"""``khabar`` command line: run, serve, server, search, sql, restore.

Exit status of ``khabar run`` (contract §1): 0 completed, 1 a critical data-quality check failed and the
batch was not published, 2 bad usage or an environment fault the user can fix (one line on stderr, no
traceback), 130 / 143 stopped by SIGINT / SIGTERM.

Every command goes through :func:`run_command`, the one place where a failure becomes what the user sees:
a :class:`~flows.errors.UserFacingError` (raised anywhere in ``flows/``) or an environment fault a library
raised (``flows.errors.user_facing``: a full disk, a damaged database, missing credentials) is printed as one
line, ``khabar: …``, with exit status 2; a stop by signal (flows/interrupt.py) as one line with 128 + the
signal number. Bad option values are told the same way by the parser.

Global options (before or after the command): ``-q`` (the outcome line only, no progress), ``-v`` (Prefect's
and khabar's INFO logs too), ``--log-level LEVEL`` (the logging level of every library), ``--version``.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path


def _started() -> float:
    """When this command's process started, to a clock tick (Linux: its start in /proc against the boot
    clock; psutil's create_time adds the boot time, known only to the second); this module's import elsewhere."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - max(age, 0.0)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.time()


STARTED = _started()
SUMMARY_KEYS = ("run_id", "files_seen", "files_loaded", "files_skipped", "files_quarantined", "records_seen",
                "articles_loaded", "records_quarantined", "dq_success", "seconds")


def _quiet_env(log_level: str | None = None) -> None:
    """Settings read when Prefect is imported (so before it is): no analytics, and the console's log level
    (WARNING unless ``-v`` or ``--log-level`` asks for another)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # else Prefect's client prints a telemetry notice on a terminal
    if log_level:
        os.environ["PREFECT_LOGGING_LEVEL"] = log_level
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    from flows.server import PROJECT_PREFECT_HOME

    # One PREFECT_HOME however khabar is started (make, .venv/bin/khabar, python -m flows.cli): the resident
    # server and its records live there (flows/server.py).
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_PREFECT_HOME))
    if log_level:
        # Asked for: the logs of every library (khabar's, Dask's, …) on stderr, not only Prefect's console. Not
        # by default: Prefect's run loggers report failures the command line tells in one line.
        logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")


def _log_level(args: argparse.Namespace) -> str | None:
    """The logging level the options ask for: --log-level, else INFO with -v, else None (the default)."""
    return getattr(args, "log_level", None) or ("INFO" if getattr(args, "verbose", False) else None)


def _library_levels(level: str | None) -> None:
    """After the imports: the level asked for, on the loggers that set their own (Dask's, Prefect's)."""
    names = ("prefect", "distributed", "tornado", "flows")
    for name in names:
        logging.getLogger(name).setLevel(level or "WARNING")


def fail(message: str) -> int:
    """Tell the user one line on stderr; the exit status of a failure they can fix."""
    print(f"khabar: {message}", file=sys.stderr, flush=True)
    # The one line is said: a library's shutdown chatter (Prefect's events worker flushing) must not follow it.
    logging.disable(logging.CRITICAL)
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
    sys.stdout.flush()
    sys.stderr.flush()
    if committed:
        interrupt.announce(f"stopped by {name} after run {committed} was published")
    else:
        interrupt.announce(f"stopped by {name}; nothing was published, the warehouse is as it was before this run")
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        mine = version("khabar")
    except PackageNotFoundError:  # run from a checkout that was never installed
        mine = "unknown"
    import duckdb

    return f"khabar {mine} (Python {sys.version.split()[0]}, DuckDB {duckdb.__version__})"


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level_value(value: str) -> str:
    level = value.upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"not a log level ({', '.join(LOG_LEVELS)}): {value!r}")
    return level


def _global_options(defaults: bool) -> argparse.ArgumentParser:
    """-q, -v and --log-level, accepted before the command and after it. On the subcommands their default is
    'not given', so that an option given before the command is not reset by the subcommand's default."""
    g = argparse.ArgumentParser(add_help=False)
    unset = {} if defaults else {"default": argparse.SUPPRESS}
    g.add_argument("-q", "--quiet", action="store_true", **unset,
                   help="print only the outcome line (and failures); no stage lines or progress bar. "
                        "Example: khabar -q run")
    g.add_argument("-v", "--verbose", action="store_true", **unset,
                   help="also print Prefect's and khabar's INFO logs. Example: khabar -v run")
    g.add_argument("--log-level", type=_log_level_value, metavar="LEVEL", **unset,
                   help=f"logging level of every library ({', '.join(LOG_LEVELS)}); default WARNING. "
                        "Example: --log-level DEBUG")
    return g


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    p = Parser(prog="khabar", description="Arabic news to a validated, queryable warehouse.",
               parents=[_global_options(defaults=True)], formatter_class=formatter,
               epilog=_examples("khabar run                                  # seeds/raw/ into warehouse/",
                                "khabar search 'الاتفاق حول سوريا'",
                                "khabar sql \"SELECT count(*) FROM articles\"",
                                "khabar COMMAND --help                       # each command's options"))
    p.add_argument("--version", action="version", version=_version(), help="print the version and exit")
    common = [_global_options(defaults=False)]
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="COMMAND")
    r = sub.add_parser("run", help="one run over a landing folder", parents=common, formatter_class=formatter,
                       description="One run: every new file under the landing folder is read, checked and "
                                   "published to the warehouse (files already loaded are skipped).",
                       epilog=_examples("khabar run --landing seeds/raw --warehouse warehouse",
                                        "khabar run --reference-date 2016-09-06 --json",
                                        "khabar run --runner dask --workers 4",
                                        "khabar run --landing s3://news-landing/2016/ --warehouse /data/khabar \\",
                                        "    --dask-address tcp://scheduler:8786 "
                                        "--parquet-url s3://news-warehouse/parquet"))
    r.add_argument("--landing", default="seeds/raw", type=_path, metavar="DIR|URL",
                   help="folder of raw inputs (read recursively) or an fsspec URL; default seeds/raw. "
                        "Example: --landing s3://news-landing/2016/")
    r.add_argument("--warehouse", default="warehouse", type=_path, metavar="DIR",
                   help="output folder (news.duckdb, parquet/, reports/, quarantine/); default warehouse. "
                        "Example: --warehouse /data/khabar")
    r.add_argument("--reference-date", type=_parse_date, metavar="YYYY-MM-DD",
                   help="anchor for relative dates (أمس) of inputs with no date of their own; default: none. "
                        "Example: --reference-date 2016-09-06")
    r.add_argument("--json", action="store_true",
                   help="also print the run summary as one JSON object, the last line of stdout. "
                        "Example: khabar run --json | tail -1")
    r.add_argument("--runner", choices=("process", "thread", "dask"), default="process",
                   help="where batches run: a local process pool (default), threads, or Dask (a local cluster "
                        "unless --dask-address). Example: --runner dask")
    r.add_argument("--dask-address", metavar="ADDRESS",
                   help="Dask scheduler to send batches to; implies --runner dask. "
                        "Example: --dask-address tcp://scheduler:8786")
    r.add_argument("--workers", type=_positive_int, metavar="N",
                   help="parallel batch workers; default: the CPU cores (at most 4). Example: --workers 2")
    r.add_argument("--parquet-url", metavar="URL",
                   help="also upload the Parquet tables to this fsspec URL after publishing. "
                        "Example: --parquet-url s3://news-warehouse/parquet")
    r.add_argument("--lock-wait", type=_seconds, default=600.0, metavar="SECONDS",
                   help="how long to wait for another run, or a reader holding the database, before exit 2 "
                        "(default 600). Example: --lock-wait 30")
    s = sub.add_parser("serve", help="run the scheduled deployment on this machine (cron from prefect.yaml)",
                       parents=common, formatter_class=formatter,
                       description="Start a run at each fire time of the deployment's cron (UTC) until Ctrl-C.",
                       epilog=_examples("khabar serve", "khabar serve --cron '*/15 * * * *'"))
    s.add_argument("--landing", default="seeds/raw", type=_path, metavar="DIR|URL",
                   help="landing folder of every run; default seeds/raw. Example: --landing /data/landing")
    s.add_argument("--warehouse", default="warehouse", type=_path, metavar="DIR",
                   help="warehouse of every run; default warehouse. Example: --warehouse /data/khabar")
    s.add_argument("--cron", default=None, metavar="CRON",
                   help="the schedule, a cron expression in UTC; default: the one in prefect.yaml. "
                        "Example: --cron '*/15 * * * *'")
    v = sub.add_parser("server", help="Prefect's server (API and UI) as a resident service", parents=common,
                       formatter_class=formatter,
                       description="Start, stop or look at the resident Prefect server (UI included) that runs "
                                   "use; it stays up between commands. status exits 3 when none runs.",
                       epilog=_examples("khabar server start", "khabar server status", "khabar server stop"))
    v.add_argument("action", choices=("start", "stop", "status"),
                   help="start it (and print the UI's address), stop it, or say whether it runs. "
                        "Example: khabar server start")
    v.add_argument("--port", type=_positive_int, metavar="PORT",
                   help="port for start (default 4200, or a free one if taken). Example: --port 4300")
    q = sub.add_parser("search", help="full-text search over articles (Arabic stemmer)", parents=common,
                       formatter_class=formatter,
                       description="Best-matching articles for a query (BM25 over headline and body, Arabic "
                                   "stems; أ/ا, ة/ه and diacritics never decide a match). Words in double quotes "
                                   "must appear together, in that order. Copies of one story (near-duplicates) "
                                   "are one hit, with their ids listed.",
                       epilog=_examples("khabar search 'الاتفاق حول سوريا'",
                                        "khabar search '\"مجلس الأمن\" سوريا' --limit 5",
                                        "khabar search 'بوتين' --json | jq '.[0].article_id'"))
    q.add_argument("query", help="the words to look for; \"a phrase\" in double quotes. Example: 'بوتين أوباما'")
    q.add_argument("--warehouse", default="warehouse", type=_path, metavar="DIR",
                   help="the warehouse to search; default warehouse. Example: --warehouse /data/khabar")
    q.add_argument("--limit", type=_positive_int, default=10, metavar="N",
                   help="hits to show (default 10). Example: --limit 3")
    q.add_argument("--json", action="store_true",
                   help="print the hits as one JSON array (article_id, headline, outlet, date, score, snippet, "
                        "copies). Example: --json")
    q.add_argument("--lock-wait", type=_seconds, default=60.0, metavar="SECONDS",
                   help="seconds to wait for a run that is publishing (default 60). Example: --lock-wait 5")
    sq = sub.add_parser("sql", help="the warehouse in DuckDB, read-only: a shell, or one query",
                        parents=common, formatter_class=formatter,
                        description="Open news.duckdb read-only: with a query, run it and print the result; "
                                    "without, start DuckDB's shell. Full-text search is there too: the table "
                                    "macro search_articles(query, n) returns article_id, headline, "
                                    "outlet_domain, published_date and score.",
                        epilog=_examples("khabar sql",
                                         "khabar sql \"SELECT outlet_domain, count(*) FROM articles GROUP BY ALL\"",
                                         "khabar sql \"SELECT * FROM search_articles('الاتفاق حول سوريا', 5)\"",
                                         "khabar sql --format csv \"SELECT * FROM quotes\" > quotes.csv"))
    sq.add_argument("query", nargs="?", help="one SQL query; without it, DuckDB's interactive shell. "
                                             "Example: \"SELECT count(*) FROM articles\"")
    sq.add_argument("--warehouse", default="warehouse", type=_path, metavar="DIR",
                    help="the warehouse to open; default warehouse. Example: --warehouse /data/khabar")
    sq.add_argument("--format", choices=("table", "csv", "json"), default="table",
                    help="how a query's result is printed (default table). Example: --format json")
    sq.add_argument("--lock-wait", type=_seconds, default=60.0, metavar="SECONDS",
                    help="seconds to wait for a run that is publishing (default 60). Example: --lock-wait 5")
    b = sub.add_parser("restore", help="rebuild news.duckdb from the Parquet mirror (a damaged database)",
                       parents=common, formatter_class=formatter,
                       description="Move a damaged news.duckdb aside and rebuild it from parquet/.",
                       epilog=_examples("khabar restore --warehouse warehouse"))
    b.add_argument("--warehouse", default="warehouse", type=_path, metavar="DIR",
                   help="the warehouse whose database to rebuild; default warehouse. Example: --warehouse /data/khabar")
    b.add_argument("--lock-wait", type=_seconds, default=600.0, metavar="SECONDS",
                   help="seconds to wait for a run using the warehouse (default 600). Example: --lock-wait 30")
    return p


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_env(_log_level(args))
    from flows import interrupt, progress

    progress.use(progress.for_terminal(quiet=args.quiet))

    with interrupt.handling():
        return run_command(COMMANDS[args.command], args)


def cmd_run(args: argparse.Namespace) -> int:
    from flows import interrupt, progress, remote
    from flows.summary import render

    landing = remote.local_path(args.landing)
    if landing is not None:
        if not landing.is_dir():
            return fail(f"landing folder not found: {args.landing}")
        from flows.warehouse import check_separate

        check_separate(landing, Path(args.warehouse))
    else:
        remote.check_readable(args.landing)
    if args.dask_address:
        remote.check_dask_scheduler(args.dask_address)  # one line now, not a traceback after the start-up
    from flows import server

    api = server.api_for_command()  # first: a server being started boots while this process imports
    if args.runner == "process" and not args.dask_address and (args.workers or os.cpu_count() or 1) > 1 \
            and "flows.pipeline" not in sys.modules:
        # The batch workers' fork server warms up meanwhile too. In a process that has the pipeline imported
        # already (a fork of the resident runner) nothing would overlap it: a run that has batches for
        # workers starts it then, and a small run never does.
        from flows.stages import start_worker_server

        start_worker_server()
    from flows import warehouse

    warehouse.check_database(warehouse.prepare(Path(args.warehouse)))  # a damaged file: told before the wait
    from flows.pipeline import khabar_run  # imports Prefect and the pipeline while a new server boots

    _library_levels(_log_level(args))
    try:
        api.wait_ready(server.startup_timeout())
    except RuntimeError as exc:
        return fail(f"cannot start the Prefect server: {exc}")
    if not args.quiet:
        print(f"khabar: {api.describe()}", flush=True)
    if api.server is not None:
        from flows import runner

        runner.start(api.url)  # for the next runs, unless one is up (flows/runner.py)

    startup = time.time() - STARTED
    try:
        summary = khabar_run(landing=args.landing, warehouse_dir=args.warehouse,
                             reference_date=args.reference_date.isoformat() if args.reference_date else None,
                             runner=args.runner, dask_address=args.dask_address, workers=args.workers,
                             lock_wait_seconds=args.lock_wait, parquet_url=args.parquet_url)
    finally:
        progress.done()
    if summary.get("status") == "busy":
        return fail(summary["message"])
    if interrupt.requested() is not None:  # the signal came after COMMIT: the run finished publishing
        return _stopped(interrupt.requested())
    total = time.time() - STARTED
    for line in render(summary, total=total, startup=startup, quiet=args.quiet):
        print(line)
    if args.json:
        # The contract's keys first; the rest are additions.
        extra = {k: summary.get(k) for k in ("status", "failed_checks", "stage_seconds", "flow_wall_seconds",
                                              "drift_alerts", "mirror")}
        extra["wall_seconds"] = round(total, 3)
        extra["startup_seconds"] = round(startup, 3)
        print(json.dumps({**{k: summary.get(k) for k in SUMMARY_KEYS}, **extra}, ensure_ascii=False, default=str))
    return 0 if summary.get("status") != "dq_failed" else 1




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
    if args.json:
        print(json.dumps(hits, ensure_ascii=False, default=str))
        return 0
    if not hits:
        print("no matching articles")
    for i, h in enumerate(hits, 1):
        when = h.get("published_date") or "—"
        print(f"{i:2}. [{h.get('score', 0):.2f}] {h['headline']}  ({h.get('outlet_domain') or 'unknown outlet'}, "
              f"{when})  {h['article_id']}")
        if h.get("snippet"):
            print(f"    {h['snippet']}")
        if h.get("copies"):
            copies = ", ".join(f"{c['article_id']} ({c['outlet_domain'] or 'unknown outlet'})" for c in h["copies"])
            print(f"    {len(h['copies'])} near-duplicate cop{'y' if len(h['copies']) == 1 else 'ies'}: {copies}")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    """One query on the read-only warehouse, printed; or DuckDB's shell on it (the ``duckdb`` program of the
    ``duckdb-cli`` package), with the fts extension and the ``search_articles`` macro set up in both."""
    from flows import warehouse
    from flows.search import fts_extension_path, load_fts, search_macro_sql

    layout = warehouse.Layout(Path(args.warehouse))
    if not layout.db.exists():
        return fail(f"no warehouse at {args.warehouse}: run `khabar run` first")
    if args.query is None:
        return _duckdb_shell(layout.db, [f"LOAD '{fts_extension_path().as_posix()}';", search_macro_sql() + ";"])

    def waiting(what: str) -> None:
        print(f"khabar: {what} (a run is publishing; up to --lock-wait {args.lock_wait:g} s)", file=sys.stderr,
              flush=True)

    import duckdb

    with warehouse.connect(layout, read_only=True, wait_seconds=args.lock_wait, on_wait=waiting) as con:
        load_fts(con)
        con.execute(search_macro_sql())
        try:
            rel = con.sql(args.query)
        except duckdb.Error as exc:
            return fail(f"sql: {str(exc).splitlines()[0]}")
        if rel is None:  # a statement with no result
            return 0
        if args.format == "table":
            rel.show(max_width=10_000, max_rows=1_000_000)
        elif args.format == "csv":
            import csv

            writer = csv.writer(sys.stdout)
            writer.writerow(rel.columns)
            writer.writerows(rel.fetchall())
        else:
            rows = [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]
            print(json.dumps(rows, ensure_ascii=False, default=str))
    return 0


def _duckdb_shell(db: Path, setup: list[str]) -> int:
    """Replace this process with DuckDB's shell on ``db``, read-only, after the ``setup`` statements."""
    import shutil
    import sysconfig

    exe = Path(sysconfig.get_path("scripts")) / "duckdb"
    if not os.access(exe, os.X_OK):
        exe = Path(shutil.which("duckdb") or exe)
    if not os.access(exe, os.X_OK):
        return fail("DuckDB's shell is not installed (pip install duckdb-cli); `khabar sql \"QUERY\"` runs one query")
    os.execv(exe, [str(exe), "-readonly", *(a for stmt in setup for a in ("-cmd", stmt)), str(db)])
    return 0  # not reached


def cmd_restore(args: argparse.Namespace) -> int:
    from flows.restore import restore

    counts = restore(Path(args.warehouse), lock_wait=args.lock_wait)
    moved = counts.pop("moved_to")
    print(f"khabar: rebuilt {Path(args.warehouse) / 'news.duckdb'} from the Parquet mirror: "
          + ", ".join(f"{t} {n}" for t, n in counts.items()))
    if moved:
        print(f"khabar: the previous file is kept as {moved}")
    return 0


COMMANDS.update(run=cmd_run, serve=cmd_serve, server=cmd_server, search=cmd_search, sql=cmd_sql, restore=cmd_restore)


def command_of(argv: list[str]) -> str | None:
    """The command a command line asks for: its first word that is not a global option (-q, -v, --log-level
    LEVEL) or their value.

    >>> command_of(["-q", "--log-level", "INFO", "run", "--json"])
    'run'
    >>> command_of(["--log-level=DEBUG", "search", "سوريا"])
    'search'
    >>> command_of(["--version"]) is None
    True
    """
    words = iter(argv)
    for word in words:
        if word == "--log-level":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def entry() -> int:
    """The ``khabar`` program. A ``khabar run`` goes to the resident runner when one is up with this code and
    these settings (flows/runner.py: no imports to wait for), else runs in this process."""
    argv = sys.argv[1:]
    if command_of(argv) == "run":
        _quiet_env()
        from flows import runner

        status = runner.hand_over(argv, started=STARTED)
        if status is not None:
            return status
    return main(argv)


if __name__ == "__main__":
    sys.exit(entry())
