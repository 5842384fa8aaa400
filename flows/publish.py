"""After the batches: link duplicates, stories and quotes, validate, publish atomically, export, report."""
from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from flows import stages
from flows.linking import link_new_articles
from flows.quality import validate_batch
from flows.warehouse import (
    Layout,
    connect,
    export_run,
    insert_parquet,
    insert_rows,
    parquet_list,
    store_quarantined_file,
)

CURATED_ORDER = ("articles", "quotes", "mentions")


def link_and_publish(layout: Layout, run_id: str, plan: stages.Plan, results: list[stages.BatchResult],
                     started_at: datetime, landing: str) -> dict[str, Any]:
    timings: Counter[str] = Counter()
    for r in results:
        timings.update(r.seconds)
    file_rows = plan.file_rows + [row for r in results for row in r.file_rows]
    q_rows = plan.quarantine_rows + [row for r in results for row in r.quarantine_rows]
    staged: dict[str, list[Path]] = {t: [Path(p) for r in results for p in r.staged.get(t, [])]
                                     for t in ("articles", "quotes", "mentions", "entities")}
    articles_loaded = sum(r.articles for r in results)
    records_seen = sum(r.records_seen for r in results)

    with connect(layout) as con:
        # 1. duplicates, stories, quote provenance (against everything already published)
        t = time.perf_counter()
        links = None
        if articles_loaded:
            links = link_new_articles(con, staged)
            staged["articles"] = [_apply_story_columns(layout, run_id, staged["articles"], links.article_columns)]
        timings["link stories"] += time.perf_counter() - t

        # 2. validate the new curated rows
        t = time.perf_counter()
        quality = validate_batch(_frames_for_checks(staged), run_id, layout.reports,
                                 summary={"run_id": run_id, "landing": landing})
        timings["validate"] += time.perf_counter() - t

        published = quality.critical_success and articles_loaded > 0
        if articles_loaded and not quality.critical_success:
            # Keep the batch out of the curated tables; its files stay unloaded and are retried next run.
            for row in file_rows:
                if row["status"] == "loaded":
                    row["status"], row["reason"] = "quarantined", "dq_critical_failed: batch not published"
            paths = {j.rel: Path(j.path) for j in plan.jobs}
            for row in file_rows:
                if (row["reason"] or "").startswith("dq_critical_failed"):
                    q_rows.append({"run_id": run_id, "source_file": row["source_file"], "source_record": None,
                                   "reason_code": "dq_critical_failed",
                                   "detail": "a critical data-quality check failed; retried next run",
                                   "stored_path": store_quarantined_file(layout, row["source_file"],
                                                                         paths[row["source_file"]])})
            articles_loaded = 0

        counts = _counts(file_rows, records_seen, articles_loaded, q_rows, plan)
        finished_at = datetime.now(UTC)
        status = ("published" if published else "dq_failed" if not quality.critical_success
                  else "nothing_new")
        run_row = {"run_id": run_id, "started_at": started_at, "finished_at": finished_at, "status": status,
                   **counts, "dq_success": quality.success,
                   "seconds": (finished_at - started_at).total_seconds()}

        # 3. publish: one transaction for curated rows, manifest, quarantine, checks and the run row
        t = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        try:
            if published:
                con.execute("CREATE TEMP TABLE _new_ids AS SELECT article_id FROM "
                            f"read_parquet({parquet_list(staged['articles'])})")
                for table in CURATED_ORDER:
                    con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _new_ids)")
                con.execute("DELETE FROM quote_links WHERE quote_id NOT IN (SELECT quote_id FROM quotes)")
                for table in CURATED_ORDER:
                    insert_parquet(con, table, staged[table])
                _upsert_entities(con, staged["entities"])
                insert_rows(con, "quote_links", links.quote_links if links else [])
                con.execute("DELETE FROM article_signatures WHERE article_id IN (SELECT article_id FROM _new_ids)")
                insert_rows(con, "article_signatures", links.signature_rows if links else [])
                con.execute("DROP TABLE _new_ids")
            insert_rows(con, "ingest_files", file_rows)
            insert_rows(con, "quarantine", q_rows)
            insert_rows(con, "dq_results", quality.rows)
            insert_rows(con, "runs", [run_row])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        timings["load duckdb"] += time.perf_counter() - t

        t = time.perf_counter()
        export_run(con, layout, run_id)
        timings["write parquet"] += time.perf_counter() - t
        from flows.search import build_index, create_stories_summary_view, index_is_current

        # Also after a run killed while indexing: the next run (even with nothing new) rebuilds it.
        if articles_loaded or not index_is_current(con):

            t = time.perf_counter()
            build_index(con)
            create_stories_summary_view(con)
            timings["search index"] += time.perf_counter() - t
    stages.drop_staging(layout, run_id)
    return {"run_id": run_id, **counts, "dq_success": quality.success, "status": status,
            "report": str(quality.report_path), "stage_seconds": {k: round(v, 3) for k, v in timings.items()}}


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


def _apply_story_columns(layout: Layout, run_id: str, paths: list[Path], columns: pa.Table) -> Path:
    """Rewrite the staged articles with story_id / near_duplicate_of filled in: one file, streamed by DuckDB
    (bodies never pass through Python here, so memory does not grow with the batch)."""
    import duckdb

    from schemas.tables import ARTICLES

    src = parquet_list(paths)
    dest = layout.staging / run_id / "articles-linked.parquet"
    tmp = dest.with_name(dest.name + ".tmp")
    cols = ", ".join(
        f"l.{f.name}" if f.name in ("story_id", "near_duplicate_of") else f"a.{f.name}" for f in ARTICLES)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.register("_links", columns)
    con.execute(f"COPY (SELECT {cols} FROM read_parquet({src}) a LEFT JOIN _links l USING (article_id)) "
                f"TO '{tmp.as_posix()}' (FORMAT parquet, COMPRESSION zstd)")
    con.close()
    tmp.replace(dest)
    return dest


def _frames_for_checks(staged: dict[str, list[Path]]) -> dict[str, Any]:
    """The new rows as the suites need them: only the columns they read (schemas/expectations.py), bodies
    summarised in SQL rather than shipped whole."""
    import duckdb

    from schemas.expectations import DERIVED, needed_columns

    con = duckdb.connect(config={"memory_limit": "512MB"})
    frames = {}
    for table in ("articles", "quotes", "mentions", "entities"):
        paths = [p for p in staged[table] if p.exists()]
        if not paths:
            continue
        src = parquet_list(paths)
        cols = [c for c in needed_columns(table) if c not in DERIVED.get(table, {})]
        if table == "articles":
            cols += ["length(body) AS body_length",
                     "length(regexp_replace(body, '[^\\x{0600}-\\x{06FF}]', '', 'g'))::DOUBLE"
                     " / greatest(length(regexp_replace(body, '\\s', '', 'g')), 1) AS arabic_share"]
        distinct = "DISTINCT ON (entity_id) " if table == "entities" else ""
        frames[table] = con.execute(f"SELECT {distinct}{', '.join(cols)} FROM read_parquet({src})").df()
    con.close()
    return frames


def _upsert_entities(con, paths: list[Path]) -> None:
    """Merge this run's entities into the global table: one row per id, aliases unioned."""
    paths = [p for p in paths if p.exists()]
    if not paths:
        return
    src = parquet_list(paths)
    con.execute(f"""
        CREATE TEMP TABLE _ent AS
        WITH incoming AS (
            SELECT entity_id, first(canonical_name ORDER BY canonical_name) AS canonical_name,
                   first(entity_type) AS entity_type, flatten(list(aliases)) AS aliases
            FROM read_parquet({src}) GROUP BY entity_id),
        merged AS (
            SELECT i.entity_id, coalesce(e.canonical_name, i.canonical_name) AS canonical_name,
                   coalesce(e.entity_type, i.entity_type) AS entity_type,
                   list_sort(list_distinct(list_concat(coalesce(e.aliases, []), i.aliases))) AS aliases
            FROM incoming i LEFT JOIN entities e USING (entity_id))
        SELECT * FROM merged""")
    con.execute("DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM _ent)")
    con.execute("INSERT INTO entities SELECT entity_id, canonical_name, entity_type, aliases FROM _ent")
    con.execute("DROP TABLE _ent")
