"""Validate a batch of curated rows with Great Expectations and write the run's data-quality report.

``validate_batch`` runs the suites declared in ``schemas/expectations.py`` (one GX suite per table, each
expectation carrying its severity) through an ephemeral GX context: a pandas data source, one
``ValidationDefinition`` and one ``Checkpoint`` per table, then one Data Docs build for all of them, added to
the filesystem site kept under ``reports_dir/gx/`` (flows/data_docs.py: earlier runs' pages stay, every page
works offline). ``reports_dir/index.html`` and the pages of each run are khabar's data-quality monitor
(flows/monitor.py), written from the warehouse once the run is published; they link into this site.
Nothing GX writes lands outside ``reports_dir`` (the context keeps its stores in memory).

The report is safe to open on hostile input. GX 1.24 writes unexpected values into Data Docs without
escaping them, so three layers keep scraped markup inert:

1. results are collected as ``SUMMARY`` with ``partial_unexpected_count = 0``: no data value is recorded in a
   validation result, so none can be rendered;
2. every text value GX sees is ``html.escape``-d first (a one-to-one mapping, so uniqueness, blankness and
   set membership checks are unaffected), and run names are reduced to ``[A-Za-z0-9._-]``;
3. after the site is built, each page is scanned for any markup-bearing value of the batch in raw form, and
   such an occurrence is replaced by its escaped form (a backstop for rendering paths not foreseen here).

khabar's own pages escape every value with ``html.escape`` (flows/monitor.py). ``tests/test_report_browser.py``
proves all of it in headless Chromium.
"""
from __future__ import annotations

import html
import logging
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from flows import data_docs
from flows.data_docs import GX_DIR
from schemas.expectations import CLOCK_SLACK, DERIVED, NOW, SUITES, TODAY, Check, needed_columns
from transforms.arabic.chars import arabic_share

log = logging.getLogger(__name__)

RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 0, "include_unexpected_rows": False}
_MARKUP = re.compile(r"<\s*[A-Za-z!/?]")
_ESCAPED = r"[&<>\"']"  # the characters html.escape replaces
_MARKUP_SCAN_LIMIT = 5000  # distinct markup-bearing values checked by the backstop scan


@dataclass(frozen=True)
class QualityResult:
    """Outcome of one batch's checks: ``rows`` for ``dq_results`` and where the report lives (``report_path``:
    the monitor's index, written after the publish)."""

    rows: list[dict]
    critical_success: bool
    success: bool
    report_path: Path
    report_seconds: float = 0.0  # of the whole: rendering the Data Docs (the rest is checking)


def validate_batch(tables: dict[str, pd.DataFrame], run_id: str, reports_dir: Path,
                   now: datetime | None = None) -> QualityResult:
    """Check ``tables`` (curated table name → new rows) and add their Data Docs to ``reports_dir/gx/``.

    Tables without a suite are ignored; a suite table missing from ``tables`` is not checked (with none to
    check, the kept Data Docs are left as they are). Articles may come with ``body`` or with the precomputed
    ``body_length`` / ``arabic_share`` columns. ``now`` anchors the "not in the future" checks and
    ``checked_at`` (default: the current UTC time). ``checkpoint.run()`` never raises on failed expectations:
    its results are read.
    """
    now = _utc(now or datetime.now(UTC))
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    frames, markup = _prepare(tables)
    build_dir = reports_dir / f".{GX_DIR}-build-{os.getpid()}-{time.monotonic_ns()}"
    rows: list[dict] = []
    report_seconds = 0.0
    try:
        if frames:
            rows, build_docs = _run_checkpoints(frames, run_id, build_dir, now)
            t = time.perf_counter()
            build_docs()
            _scrub_site(build_dir, markup)
            data_docs.localize_site(build_dir)
            data_docs.merge_site(build_dir, reports_dir / GX_DIR)
            report_seconds += time.perf_counter() - t
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
    critical_success = all(r["success"] for r in rows if r["severity"] == "critical")
    success = all(r["success"] for r in rows)
    return QualityResult(rows=rows, critical_success=critical_success, success=success,
                         report_path=reports_dir / "index.html", report_seconds=report_seconds)


# --- preparing the frames GX sees ------------------------------------------------------------------------

def _prepare(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], set[str]]:
    """Derived columns, only the needed columns, GX-friendly types, escaped text; plus the raw markup seen."""
    articles = tables.get("articles")
    if articles is not None and not {"body_length", "arabic_share"} <= set(articles.columns):
        articles = _with_body_stats(articles)
    frames: dict[str, pd.DataFrame] = {}
    markup: set[str] = set()
    for table in SUITES:
        df = articles if table == "articles" else tables.get(table)
        if df is None:
            continue
        df = _derive(table, df, articles)
        cols = [c for c in needed_columns(table) if c in df.columns]
        # A column the suite needs but the batch lacks stays absent: its expectations then fail, loudly.
        out = df[cols].copy()
        for col in cols:
            out[col] = _coerce(col, out[col], markup)
        frames[table] = out.reset_index(drop=True)
    return frames, markup


def _with_body_stats(articles: pd.DataFrame) -> pd.DataFrame:
    """``body_length`` and ``arabic_share`` from ``body``, so the bodies themselves need not go to GX."""
    if "body" not in articles.columns:
        return articles
    lengths, shares = [], []
    for body in articles["body"]:
        if not isinstance(body, str):
            lengths.append(None)
            shares.append(None)
            continue
        lengths.append(len(body))
        shares.append(arabic_share(body))
    return articles.assign(body_length=pd.Series(lengths, index=articles.index, dtype="Int64"),
                           arabic_share=pd.Series(shares, index=articles.index, dtype="float64"))


def _derive(table: str, df: pd.DataFrame, articles: pd.DataFrame | None) -> pd.DataFrame:
    """Cross-table helper columns of ``DERIVED`` (referential checks inside one batch)."""
    wanted = [c for c in DERIVED.get(table, ()) if c not in df.columns]
    if not wanted or table == "articles":
        return df
    df = df.copy()
    known = articles[["article_id", "body_length"]].drop_duplicates("article_id") \
        if articles is not None and {"article_id", "body_length"} <= set(articles.columns) else None
    ids = df["article_id"] if "article_id" in df.columns else pd.Series([None] * len(df), index=df.index)
    if "article_in_batch" in wanted:
        df["article_in_batch"] = ids.isin(known["article_id"]) if known is not None else False
    if "inside_body" in wanted and "char_end" in df.columns:
        lengths = ids.map(known.set_index("article_id")["body_length"]) if known is not None else \
            pd.Series([None] * len(df), index=df.index, dtype="float64")
        inside = pd.to_numeric(df["char_end"], errors="coerce") <= lengths
        # An article missing from the batch is the other check's business: leave it NULL here.
        df["inside_body"] = inside.astype(object).where(lengths.notna(), None)
    return df


def _coerce(col: str, s: pd.Series, markup: set[str]) -> pd.Series:
    """Types GX compares reliably; text escaped (layer 2) after noting values that carry markup."""
    if col == "published_at":
        return pd.to_datetime(s, utc=True, errors="coerce")
    if col == "published_date":
        d = pd.to_datetime(s, errors="coerce")
        return d.dt.tz_localize(None) if d.dt.tz is not None else d
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s
    # A string column (pandas' Arrow-backed "str") holds text or nulls: no per-value type test needed.
    is_text = s.notna() if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object \
        else s.map(lambda v: isinstance(v, str)).astype(bool)
    text = s.where(is_text, "").astype(str)
    # Only values with a character html.escape replaces change: escape those alone (ids, dates and most
    # Arabic text have none), with the same result as escaping every value.
    special = is_text & text.str.contains(_ESCAPED, regex=True)
    if not special.any():
        return s
    if len(markup) < _MARKUP_SCAN_LIMIT:
        tagged = s[special & text.str.contains("<", regex=False)]
        markup.update(v for v in tagged.unique()[:_MARKUP_SCAN_LIMIT] if _MARKUP.search(v))
    return s.where(~special, s[special].map(_escape_value))


def _escape_value(value: Any) -> Any:
    """Layer 2: text reaches GX as inert HTML text (``html.escape`` is one-to-one, so checks agree).

    >>> _escape_value('<img src=x onerror="alert(1)">'), _escape_value(3)
    ('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;', 3)
    """
    return html.escape(value) if isinstance(value, str) else value


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _resolve(value: Any, now: datetime) -> Any:
    """Turn the suite's time tokens and dates into values GX compares with the prepared columns."""
    if value == NOW:
        return pd.Timestamp(now + CLOCK_SLACK).to_pydatetime()
    if value == TODAY:
        return datetime.combine((now + CLOCK_SLACK).date(), datetime.min.time())
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time())
    return value


# --- running GX -------------------------------------------------------------------------------------------

def _context(site_dir: Path):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    site = {"class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(), analytics_enabled=False,
                               progress_bars=ProgressBarsConfig(globally=False),
                               data_docs_sites={"khabar": site})
    return gx, gx.get_context(mode="ephemeral", project_config=config)


def _expectation(gx, check: Check, now: datetime):
    cls = getattr(gx.expectations, check.expectation)
    kwargs = {k: _resolve(v, now) for k, v in check.kwargs.items()}
    return cls(**kwargs, severity=check.severity, notes=check.description,
               meta={"khabar_name": check.name}, catch_exceptions=True)


def _run_checkpoints(frames: dict[str, pd.DataFrame], run_id: str, site_dir: Path,
                     now: datetime) -> tuple[list[dict], Callable[[], None]]:
    """Validate every table; returns the rows for ``dq_results`` and what renders their Data Docs pages
    (done once for all tables, apart from the checks, so the report's time is its own)."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    gx, ctx = _context(site_dir)
    source = ctx.data_sources.add_pandas("khabar")
    run = RunIdentifier(run_name=data_docs.gx_run_name(run_id), run_time=now)
    rows: list[dict] = []
    rendered: list = []
    for table, df in frames.items():
        checks = {c.name: c for c in SUITES[table]}
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(f"{table}_batch")
        suite = ctx.suites.add(gx.ExpectationSuite(
            name=table, expectations=[_expectation(gx, c, now) for c in checks.values()]))
        definition = ctx.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite))
        checkpoint = ctx.checkpoints.add(gx.Checkpoint(
            name=f"khabar_{table}", validation_definitions=[definition], result_format=RESULT_FORMAT))
        result = checkpoint.run(batch_parameters={"dataframe": df}, run_id=run)
        rendered += [*result.run_results, ExpectationSuiteIdentifier(name=table)]
        for validation in result.run_results.values():
            for r in validation.results:
                name = (r.expectation_config.meta or {}).get("khabar_name")
                check = checks[name]
                rows.append({"run_id": run_id, "table_name": table, "expectation": name,
                             "severity": check.severity, "success": bool(r.success),
                             "observed": observed_text(r.result, r.exception_info), "checked_at": now})
    return rows, lambda: ctx.build_data_docs(site_names=["khabar"], resource_identifiers=rendered)


def observed_text(result: dict | None, exception_info: dict | None = None) -> str:
    """A short, data-free account of what an expectation saw.

    >>> observed_text({"element_count": 10, "unexpected_count": 1, "unexpected_percent": 10.0,
    ...                "missing_count": 2})
    '1 of 10 unexpected (10.00%); 2 null, not checked'
    >>> observed_text({"observed_value": 0.5})
    'observed 0.5'
    >>> observed_text({}, {"m1": {"raised_exception": True, "exception_message": "KeyError: 'body_length'"}})
    "error: KeyError: 'body_length'"
    """
    # GX gives either one {"raised_exception", "exception_message"} or a dict of them keyed by metric.
    infos = [exception_info] if exception_info and "raised_exception" in exception_info else \
        [v for v in (exception_info or {}).values() if isinstance(v, dict)]
    for info in infos:
        if info.get("raised_exception"):
            msg = str(info.get("exception_message") or "exception").strip().splitlines()
            return "error: " + (msg[0] if msg else "exception")[:200]
    result = result or {}
    if "observed_value" in result:
        return f"observed {str(result['observed_value'])[:120]}"
    if "unexpected_count" in result:
        pct = result.get("unexpected_percent")
        pct_text = f" ({pct:.2f}%)" if isinstance(pct, int | float) else ""
        text = f"{result['unexpected_count']} of {result.get('element_count', 0)} unexpected{pct_text}"
        if result.get("missing_count"):
            text += f"; {result['missing_count']} null, not checked"
        return text
    return ""


# --- files ------------------------------------------------------------------------------------------------

def _scrub_site(site_dir: Path, markup: set[str]) -> None:
    """Layer 3: replace any raw occurrence of the batch's markup-bearing values in the built pages."""
    if not markup or not site_dir.is_dir():
        return
    values = sorted(markup, key=len, reverse=True)  # longest first: a value inside another is handled by it
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        clean = text
        for v in values:
            if v in clean:
                clean = clean.replace(v, html.escape(v))
        if clean != text:
            log.warning("escaped raw data markup GX left in %s", page)
            page.write_text(clean, encoding="utf-8")
