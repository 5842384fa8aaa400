"""After the batches: link duplicates, stories and quotes, validate, publish atomically, export, report."""
from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from flows import data_docs, interrupt, monitor, progress, stages
from flows.data_docs import GX_DIR
from flows.errors import describe, user_facing
from flows.linking import Links, link_new_articles, link_staged
from flows.search import create_stories_summary_view, sync_index
from flows.warehouse import (
    Layout,
    check_mirror,
    connect,
    existing,
    export_run,
    insert_parquet,
    insert_rows,
    insert_table,
    new_version,
    read_parquet_sql,
    store_quarantined_file,
)
from schemas.tables import ARTICLES

if TYPE_CHECKING:
    from flows.quality import QualityResult

log = logging.getLogger(__name__)
CURATED_ORDER = ("articles", "quotes", "mentions")
STAGED_TABLES = ("articles", "quotes", "mentions", "entities", "features")


def link_and_publish(layout: Layout, run_id: str, plan: stages.Plan, results: list[stages.BatchResult],
                     started_at: datetime, landing: str, in_workers: bool = False,
                     lock_wait: float = 0.0) -> dict[str, Any]:
    """Link, validate and publish a run's staged batches; with ``in_workers`` linking and the checks run in
    local worker processes (forked from the batch workers' fork server). ``lock_wait``: how long to wait
    for a reader that holds the database file open."""
    timings: Counter[str] = Counter()
    for r in results:
        timings.update(r.seconds)
    file_rows = plan.file_rows + [row for r in results for row in r.file_rows]
    q_rows = plan.quarantine_rows + [row for r in results for row in r.quarantine_rows]
    staged: dict[str, list[Path]] = {t: [Path(p) for r in results for p in r.staged.get(t, [])]
                                     for t in STAGED_TABLES}
    articles_loaded = sum(r.articles for r in results)
    records_seen = sum(r.records_seen for r in results)
    with _connect(layout, lock_wait) as con:
        committed = _committed_summary(con, layout, run_id)
        if committed is not None:
            # A retry of this task after its COMMIT (the export failed): publishing again would repeat the run.
            return _finish(con, layout, run_id, committed, timings)

    # 1. duplicates, stories, quote provenance against everything already published. In a worker process
    #    when the run has local workers and is not small: its memory (which grows with the run) is returned
    #    when it exits.
    interrupt.checkpoint("link")
    t = time.perf_counter()
    links = None
    if articles_loaded:
        links = (stages.start_in_worker(link_staged, str(layout.db), _as_str(staged))()
                 if in_workers and articles_loaded >= SMALL_RUN_ARTICLES else _link_here(layout, staged))
    timings["link stories"] += time.perf_counter() - t

    # 2. the checks, in a worker process when there is one (Great Expectations is seconds of pure-Python
    #    CPU), else (and for a small run) in a thread, while this process loads the rows; not beside
    #    linking, so the two peaks do not add up. The
    #    report is written beside the staged rows and replaces the warehouse's only once the run is
    #    committed: a run that fails to publish leaves the last real result on show.
    interrupt.checkpoint("checks")
    t_validate = time.perf_counter()
    report_dir = layout.staging / run_id / "reports"
    checks = _start_validation(staged, run_id, report_dir,
                               in_worker=in_workers and articles_loaded > 0 and not _checks_cheaper_here(articles_loaded))
    try:
        return _publish(layout, run_id, plan, checks, links, file_rows, q_rows, staged, records_seen,
                        articles_loaded, started_at, landing, report_dir, lock_wait, timings, t_validate)
    finally:
        checks.cancel()  # a no-op once the checks have answered


def _publish(layout: Layout, run_id: str, plan: stages.Plan, checks: stages.InWorker | stages.InThread | stages.Done,
             links: Links | None, file_rows: list[dict], q_rows: list[dict], staged: dict[str, list[Path]],
             records_seen: int, articles_loaded: int, started_at: datetime, landing: str, report_dir: Path,
             lock_wait: float, timings: Counter[str], t_validate: float) -> dict[str, Any]:
    """Step 3 of ``link_and_publish``: the one transaction, then the report and the export.

    The transaction is made in a new version of the database (``warehouse.new_version``), which replaces the
    file once committed: readers go on reading the last published state meanwhile, and the run is published
    at that rename."""
    with new_version(layout) as con:
        # One transaction for curated rows, manifest, quarantine, checks and the run row. The curated
        # rows go in while the checks may still run; a critical failure rolls them back before the
        # operational rows are written.
        t = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        try:
            if links is not None:
                _load_curated(con, staged, links)
            timings["load duckdb"] += time.perf_counter() - t
            interrupt.checkpoint()
            t = time.perf_counter()
            # Every run, in the same transaction: the index follows the articles (also after an upgrade).
            sync_index(con)
            create_stories_summary_view(con)
            timings["search index"] += time.perf_counter() - t

            t = time.perf_counter()
            quality: QualityResult = checks()
            timings["validate"] += time.perf_counter() - t_validate - quality.report_seconds
            timings["data docs"] += quality.report_seconds  # rendered in the checks' worker
            timings["wait for checks"] += time.perf_counter() - t

            interrupt.checkpoint("publish")
            t = time.perf_counter()
            published = quality.critical_success and articles_loaded > 0
            if articles_loaded and not quality.critical_success:
                con.execute("ROLLBACK")
                con.execute("BEGIN TRANSACTION")
                _hold_back(layout, run_id, plan, file_rows, q_rows)
                articles_loaded = 0
            counts = _counts(file_rows, records_seen, articles_loaded, q_rows, plan)
            # Per-outlet counts of what is published, and each outlet against its recent level (drift).
            observed = monitor.observe_run(con, run_id, datetime.now(UTC), published)
            dq_success = quality.success and observed.success
            finished_at = datetime.now(UTC)
            status = ("published" if published else "dq_failed" if not quality.critical_success
                      else "nothing_new")
            run_row = {"run_id": run_id, "started_at": started_at, "finished_at": finished_at, "status": status,
                       **counts, "dq_success": dq_success,
                       "seconds": (finished_at - started_at).total_seconds(), "landing": landing,
                       **observed.run_counts}
            insert_rows(con, "ingest_files", file_rows)
            insert_rows(con, "quarantine", q_rows)
            insert_rows(con, "dq_results", quality.rows + observed.dq_rows)
            insert_rows(con, "runs", [run_row])
            interrupt.checkpoint()
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            raise
    interrupt.note_committed(run_id)  # the new version replaced the database: the run is published
    timings["load duckdb"] += time.perf_counter() - t
    show_data_docs(report_dir, layout.reports)
    with _connect(layout, lock_wait) as con:
        return _finish(con, layout, run_id, {**counts, "dq_success": dq_success, "status": status}, timings)


def _connect(layout: Layout, lock_wait: float):
    """A read-only connection to the published database (another process that opened it for writing, which
    khabar never does, is waited for)."""
    return connect(layout, read_only=True, wait_seconds=lock_wait,
                   on_wait=lambda who: print(f"khabar: {who} before publishing", flush=True))


def _rollback(con) -> None:
    """Roll back the open transaction, if DuckDB has not already (a failed COMMIT, a full disk, an
    interrupted statement end it themselves; rolling back again would hide the real error)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def show_data_docs(built: Path, reports: Path) -> None:
    """Add a committed run's Data Docs (built beside its staged rows) to the warehouse's kept site."""
    data_docs.merge_site(built / GX_DIR, reports / GX_DIR)


def _committed_summary(con, layout: Layout, run_id: str) -> dict[str, Any] | None:
    """The summary of ``run_id`` from its ``runs`` row if the run is already committed, else None."""
    cur = con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id])
    row = cur.fetchone()
    if row is None:
        return None
    stored = dict(zip((d[0] for d in cur.description), row, strict=True))
    return {k: v for k, v in stored.items() if k not in ("run_id", "started_at", "finished_at", "seconds")}


def _finish(con, layout: Layout, run_id: str, summary: dict[str, Any], timings: Counter[str]) -> dict[str, Any]:
    """After COMMIT: mirror the run to Parquet, write the data-quality monitor's pages, drop the run's staging,
    and return the summary (with the drift alerts).

    The run is published whatever happens here: an export that fails is tried once more, and if that fails
    too the summary says so and the next run's mirror check exports it; a report that cannot be drawn is
    noted in the summary (a full disk is still raised, to be told in one line)."""
    interrupt.mark("export")
    progress.stage(f"run {run_id} {summary.get('status')}: exporting Parquet, writing the reports")
    t = time.perf_counter()
    notes = list(summary.pop("mirror", None) or [])
    for attempt in (1, 2):
        try:
            export_run(con, layout, run_id)
            notes += check_mirror(con, layout, repairs=False)  # earlier runs' partitions this run changed
            break
        except Exception as exc:
            if user_facing(exc) is not None:
                raise
            if attempt == 2:
                notes.append(f"mirror: run {run_id} is published but its Parquet export failed "
                             f"({describe(exc)}); the next run exports it")
    timings["write parquet"] += time.perf_counter() - t
    t = time.perf_counter()
    summary = {**summary, "report": str(layout.reports / "index.html"),
               "drift_alerts": [a.as_dict() for a in monitor.drift_alerts(con, run_id)],
               "failed_checks": failed_checks(con, run_id)}
    try:
        pages = monitor.write_reports(con, layout, run_id)
        summary["run_report"] = str(pages.run_page)
    except Exception as exc:  # the run is committed: a report that cannot be drawn must not undo it
        if user_facing(exc) is not None:
            raise
        log.exception("khabar: the data-quality report of run %s could not be written", run_id)
        summary["report_error"] = f"{type(exc).__name__}: {exc}"
    timings["report"] += time.perf_counter() - t
    stages.drop_staging(layout, run_id)
    out = {"run_id": run_id, **summary, "stage_seconds": {k: round(v, 3) for k, v in timings.items()}}
    if notes:
        out["mirror"] = notes
    return out


def failed_checks(con, run_id: str) -> list[dict[str, Any]]:
    """The run's failed data-quality checks (``dq_results``), critical first, for the run summary."""
    cur = con.execute("SELECT table_name, expectation, severity, observed FROM dq_results "
                      "WHERE run_id = ? AND NOT success ORDER BY severity, table_name, expectation", [run_id])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _load_curated(con, staged: dict[str, list[Path]], links: Links) -> None:
    """Replace the new articles' rows (same article_id: a re-loaded input) in every curated table."""
    con.execute(f"CREATE TEMP TABLE _new_ids AS SELECT article_id FROM {read_parquet_sql()}",
                {"files": existing(staged["articles"])})
    for table in CURATED_ORDER:
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _new_ids)")
    con.execute("DELETE FROM quote_links WHERE quote_id NOT IN (SELECT quote_id FROM quotes)")
    _insert_articles(con, staged["articles"], links.article_columns)
    for table in CURATED_ORDER[1:]:
        insert_parquet(con, table, staged[table])
    _upsert_entities(con, staged["entities"])
    insert_table(con, "quote_links", links.quote_links)
    con.execute("DELETE FROM internal.article_signatures WHERE article_id IN (SELECT article_id FROM _new_ids)")
    con.execute(f"INSERT INTO internal.article_signatures SELECT article_id, order_key, signature FROM {read_parquet_sql()}",
                {"files": existing(staged["features"])})
    con.execute("DROP TABLE _new_ids")


def _hold_back(layout: Layout, run_id: str, plan: stages.Plan, file_rows: list[dict], q_rows: list[dict]) -> None:
    """A critical check failed: the run's loaded files become quarantined (bytes kept) and are retried next run."""
    paths = {j.rel: Path(j.path) for j in plan.jobs}
    for row in file_rows:
        if row["status"] == "loaded":
            row["status"], row["reason"] = "quarantined", "dq_critical_failed: batch not published"
            row["reason_code"] = "dq_critical_failed"
            q_rows.append({"run_id": run_id, "source_file": row["source_file"], "source_record": None,
                           "reason_code": "dq_critical_failed",
                           "detail": "a critical data-quality check failed; retried next run",
                           "stored_path": store_quarantined_file(layout, row["source_file"],
                                                                 paths[row["source_file"]])})


def _counts(file_rows: list[dict], records_seen: int, articles: int, q_rows: list[dict],
            plan: stages.Plan) -> dict[str, int]:
    by_status = Counter(r["status"] for r in file_rows)
    return {
        "files_seen": plan.files_seen,
        "files_loaded": by_status["loaded"],
        "files_skipped": by_status["skipped"],
        "files_quarantined": by_status["quarantined"],
        "records_seen": records_seen,
        "articles_loaded": articles,
        "records_quarantined": records_seen - articles,
    }


def _insert_articles(con, paths: list[Path], links: pa.Table) -> None:
    """Insert the staged articles with their story_id / near_duplicate_of from linking (joined in DuckDB:
    bodies go from the staged Parquet to the table without passing through Python)."""
    cols = ", ".join(f.name for f in ARTICLES)
    values = ", ".join(f"l.{f.name}" if f.name in links.column_names and f.name != "article_id" else f"a.{f.name}"
                       for f in ARTICLES)
    con.register("_links", links)
    con.execute(f"INSERT INTO articles ({cols}) SELECT {values} "
                f"FROM {read_parquet_sql()} a LEFT JOIN _links l USING (article_id)", {"files": existing(paths)})
    con.unregister("_links")


def _as_str(staged: dict[str, list[Path]]) -> dict[str, list[str]]:
    return {t: [str(p) for p in ps] for t, ps in staged.items()}


def _link_here(layout: Layout, staged: dict[str, list[Path]]) -> Links:
    with connect(layout, read_only=True) as con:
        return link_new_articles(con, staged)


def _start_validation(staged: dict[str, list[Path]], run_id: str, reports: Path,
                      in_worker: bool) -> stages.InWorker | stages.InThread | stages.Done:
    """Start checking the staged rows, in a worker process or a thread of this one (beside the loading into
    DuckDB either way); returns what waits for the result. With no staged article there is nothing to check
    (every suite's table is empty): no result rows, a success."""
    if not existing(staged["articles"]):
        from flows.quality import QualityResult

        return stages.Done(QualityResult(rows=[], critical_success=True, success=True,
                                         report_path=reports / "index.html"))
    args = (_as_str(staged), run_id, str(reports))
    if not in_worker:
        return stages.InThread(validate_staged, *args)
    return stages.start_in_worker(validate_staged, *args)


# Below this many articles the checks take less time than importing Great Expectations in a worker (a
# process that has it imported already, the resident runner's fork (flows/runner.py), runs them itself), and
# linking less than starting a worker.
SMALL_RUN_ARTICLES = 500


def _checks_cheaper_here(articles: int) -> bool:
    import sys

    return articles < SMALL_RUN_ARTICLES and "great_expectations" in sys.modules


def validate_staged(staged: dict[str, list[str]], run_id: str, reports: str) -> QualityResult:
    """Run the data-quality suites over a run's staged rows and build their Data Docs (a pool task)."""
    import logging

    from flows.quality import validate_batch  # pandas and Great Expectations: only where checks run

    # Great Expectations logs a Data Docs page it could not render as an error with a traceback, and goes
    # on; what matters (a full disk) is raised and told by the command line in one line.
    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)

    frames = _frames_for_checks({t: [Path(p) for p in ps] for t, ps in staged.items()})
    return validate_batch(frames, run_id, Path(reports))


def _frames_for_checks(staged: dict[str, list[Path]]) -> dict[str, Any]:
    """The new rows as the suites need them: only the columns they read (schemas/expectations.py); the body
    columns the article checks read (length, Arabic share) were staged by the workers, not the bodies."""
    import duckdb

    from schemas.expectations import DERIVED, needed_columns

    con = duckdb.connect(config={"memory_limit": "512MB"})
    frames = {}
    for table in ("articles", "quotes", "mentions", "entities"):
        paths = existing(staged[table])
        if not paths:
            continue
        src = read_parquet_sql()
        params: dict[str, list[str]] = {"files": paths}
        cols = [c for c in needed_columns(table) if c not in DERIVED.get(table, {})]
        if table == "articles":
            cols = [f"a.{c}" for c in cols] + ["f.body_length", "f.arabic_share"]
            src += f" a JOIN {read_parquet_sql('features')} f USING (article_id)"
            params["features"] = existing(staged["features"])
        distinct = "DISTINCT ON (entity_id) " if table == "entities" else ""
        frames[table] = _dataframe(con.execute(f"SELECT {distinct}{', '.join(cols)} FROM {src}", params))
    con.close()
    return frames


def _dataframe(cur) -> Any:
    """``cur.df()`` without the ``Pandas4Warning`` that DuckDB 1.4's own conversion raises under pandas 3.1
    (it calls ``DataFrame.drop(inplace=True)``): the frame is DuckDB's, with its nullable dtypes, which the
    checks rely on (an Arrow round trip would give other dtypes)."""
    import warnings

    from pandas.errors import Pandas4Warning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=Pandas4Warning, message="The inplace keyword")
        return cur.df()


def _upsert_entities(con, paths: list[Path]) -> None:
    """Merge this run's entities into the global table: one row per id, aliases unioned."""
    files = existing(paths)
    if not files:
        return
    con.execute(f"""
        CREATE TEMP TABLE _ent AS
        WITH incoming AS (
            SELECT entity_id, first(canonical_name ORDER BY canonical_name) AS canonical_name,
                   first(entity_type) AS entity_type, flatten(list(aliases)) AS aliases
            FROM {read_parquet_sql()} GROUP BY entity_id),
        merged AS (
            SELECT i.entity_id, coalesce(e.canonical_name, i.canonical_name) AS canonical_name,
                   coalesce(e.entity_type, i.entity_type) AS entity_type,
                   list_sort(list_distinct(list_concat(coalesce(e.aliases, []), i.aliases))) AS aliases
            FROM incoming i LEFT JOIN entities e USING (entity_id))
        SELECT * FROM merged""", {"files": files})
    con.execute("DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM _ent)")
    con.execute("INSERT INTO entities SELECT entity_id, canonical_name, entity_type, aliases FROM _ent")
    con.execute("DROP TABLE _ent")
