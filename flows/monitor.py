"""khabar's data-quality monitor: what each run saw, kept, with trends and drift alerts.

Two moments of a run:

1. ``observe_run``, inside the publish transaction: counts the run's new rows per outlet (table
   ``outlet_metrics``: articles, coverage of dateline, agency, author, published date, quotes and their
   speakers, entities, words), checks every outlet against its own recent level (transforms/drift.py) and
   returns those checks as ``dq_results`` rows and alerts. Computed once per run, from the rows just loaded;
   history pages never rescan the articles.
2. ``write_reports``, after COMMIT: renders, from the warehouse only, the run's page
   ``reports/runs/<run_id>.html`` (kept: one per run) with its results as data beside it
   (``<run_id>.json``, as dbt's ``run_results.json``), ``reports/runs/index.html`` (every run) and
   ``reports/index.html`` (the latest result, trends as static SVG charts, the recent runs). Any run whose
   page is missing (a run killed after its COMMIT) gets it then too.

A run that found nothing new gets a page that says so and links the last run that did, and the index keeps
showing that run's result. Pages are static HTML: one inline stylesheet, SVG charts, no script, nothing
loaded from anywhere; every value is ``html.escape``-d; Arabic text is marked ``lang="ar" dir="rtl"``.
"""
from __future__ import annotations

import html
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from flows import charts, data_docs
from flows.charts import Series
from flows.data_docs import GX_DIR
from flows.warehouse import Layout, insert_rows
from schemas.expectations import SUITES
from schemas.tables import OUTLET_METRICS
from transforms.arabic.chars import ARABIC_RUN_RE
from transforms.drift import METRICS, DriftAlert, check_name, detect_drift, dq_rows

HISTORY_RUNS = 50  # runs with articles read as drift history (each outlet then uses its own last few)
TREND_RUNS = 30  # runs on the index's charts
INDEX_RUNS = 50  # runs listed on the index (all of them: runs/index.html)
CHART_OUTLETS = len(charts.PALETTE)  # outlets drawn on the charts (the largest); the tables list all
SAMPLES_PER_REASON = 3
SAMPLE_BYTES = 300
HEADLINES_PER_OUTLET = 2
RUNS_DIR = "runs"
FIELDS = tuple(m for m in METRICS if m.name != "volume")  # the coverage charts, in this order


# --- 1. in the publish transaction -------------------------------------------------------------------------

@dataclass
class Observation:
    """What ``observe_run`` measured and judged; ``outlet_metrics`` rows are already inserted."""

    run_counts: dict[str, int]
    alerts: list[DriftAlert] = field(default_factory=list)
    dq_rows: list[dict] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.alerts


def observe_run(con: duckdb.DuckDBPyConnection, run_id: str, checked_at: datetime,
                published: bool) -> Observation:
    """Per-outlet counts of the run's published articles into ``outlet_metrics``, and the drift checks.

    Runs in the publish transaction after the curated rows are loaded (``published``: they are; a run that
    loaded nothing, or whose batch a critical check held back, has nothing to measure).
    """
    if not published:
        return Observation({"quotes_loaded": 0, "mentions_loaded": 0, "entities_mentioned": 0})
    rows = _outlet_counts(con, run_id)
    insert_rows(con, "outlet_metrics", rows)
    alerts = drift_alerts(con, run_id)
    quotes, mentions, entities = con.execute("""
        SELECT (SELECT count(*) FROM quotes q JOIN articles a USING (article_id) WHERE a.run_id = $run),
               (SELECT count(*) FROM mentions m JOIN articles a USING (article_id) WHERE a.run_id = $run),
               (SELECT count(DISTINCT entity_id) FROM mentions m JOIN articles a USING (article_id)
                WHERE a.run_id = $run)""", {"run": run_id}).fetchone()
    dq = [{"run_id": run_id, "table_name": "outlet_metrics", "expectation": name, "severity": "warning",
           "success": ok, "observed": observed, "checked_at": checked_at}
          for name, ok, observed in dq_rows(alerts, len(rows))]
    return Observation({"quotes_loaded": quotes, "mentions_loaded": mentions, "entities_mentioned": entities},
                       alerts, dq)


def _outlet_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """One row per outlet of the run's articles, with the columns of ``OUTLET_METRICS``."""
    cur = con.execute("""
        WITH a AS (
            SELECT article_id, outlet_domain, nullif(trim(dateline_place), '') AS dateline,
                   nullif(trim(agency), '') AS agency, nullif(trim(author), '') AS author, published_date,
                   word_count, near_duplicate_of
            FROM articles WHERE run_id = $run),
        q AS (SELECT a.outlet_domain, count(*) AS quotes, count(nullif(trim(q.speaker), '')) AS with_speaker
              FROM quotes q JOIN a USING (article_id) GROUP BY ALL),
        m AS (SELECT a.outlet_domain, count(*) AS mentions,
                     count(DISTINCT (m.article_id, m.entity_id)) AS article_entities
              FROM mentions m JOIN a USING (article_id) GROUP BY ALL),
        o AS (SELECT outlet_domain, count(*) AS articles, count(dateline) AS with_dateline,
                     count(agency) AS with_agency, count(author) AS with_author,
                     count(published_date) AS with_published_date, coalesce(sum(word_count), 0) AS words,
                     count(near_duplicate_of) AS near_duplicates
              FROM a GROUP BY ALL)
        SELECT $run AS run_id, o.outlet_domain, o.articles, o.with_dateline, o.with_agency, o.with_author,
               o.with_published_date, coalesce(q.quotes, 0) AS quotes,
               coalesce(q.with_speaker, 0) AS quotes_with_speaker, coalesce(m.mentions, 0) AS mentions,
               coalesce(m.article_entities, 0) AS article_entities, o.words, o.near_duplicates
        FROM o LEFT JOIN q ON q.outlet_domain IS NOT DISTINCT FROM o.outlet_domain
               LEFT JOIN m ON m.outlet_domain IS NOT DISTINCT FROM o.outlet_domain
        ORDER BY o.articles DESC, o.outlet_domain""", {"run": run_id})
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return [{f.name: row[f.name] for f in OUTLET_METRICS} for row in rows]


def drift_alerts(con: duckdb.DuckDBPyConnection, run_id: str) -> list[DriftAlert]:
    """The drift alerts of ``run_id``: its ``outlet_metrics`` against those of the runs before it."""
    current = _dicts(con, "SELECT * FROM outlet_metrics WHERE run_id = ?", [run_id])
    if not current:
        return []
    history = _dicts(con, f"""
        WITH before AS (
            SELECT run_id, started_at FROM runs
            WHERE articles_loaded > 0 AND run_id <> $run
              AND started_at < coalesce((SELECT started_at FROM runs WHERE run_id = $run), 'infinity'::TIMESTAMPTZ)
            ORDER BY started_at DESC LIMIT {HISTORY_RUNS})
        SELECT m.* FROM outlet_metrics m JOIN before b USING (run_id)
        ORDER BY b.started_at, m.outlet_domain""", {"run": run_id})
    return detect_drift(current, history)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


# --- 2. after COMMIT: the pages -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reports:
    index: Path
    run_page: Path | None


def write_reports(con: duckdb.DuckDBPyConnection, layout: Layout, run_id: str | None = None) -> Reports:
    """Render ``run_id``'s page (and any run's missing page) and the indexes, from the warehouse."""
    reports = layout.reports
    (reports / RUNS_DIR).mkdir(parents=True, exist_ok=True)
    runs = _dicts(con, "SELECT * FROM runs ORDER BY started_at, run_id")
    history = _History(con, runs)
    # The run, the one before it (its "next" link), and any run whose page is missing.
    fresh = {run_id}
    if run_id in history.order and history.order[run_id] > 0:
        fresh.add(runs[history.order[run_id] - 1]["run_id"])
    todo = [r["run_id"] for r in runs
            if r["run_id"] in fresh or not (reports / RUNS_DIR / run_file(r["run_id"])).exists()]
    for rid in todo[-50:]:  # a warehouse from before the monitor: its recent runs, not all at once
        _write(reports / RUNS_DIR / run_file(rid), render_run_page(con, layout, history, rid))
        _write(reports / RUNS_DIR / (data_docs.gx_run_name(rid) + ".json"), run_results_json(con, history, rid))
    _write(reports / RUNS_DIR / "index.html", render_run_list(history, runs, in_runs_dir=True))
    index = reports / "index.html"
    _write(index, render_index(con, history))
    page = reports / RUNS_DIR / run_file(run_id) if run_id and run_id in history.by_id else None
    return Reports(index, page)


def run_file(run_id: str) -> str:
    """The file name of a run's page (run ids are ``[0-9T]+-[0-9a-f]+``; anything else is made safe).

    >>> run_file("20261202T075030-fa47d64b")
    '20261202T075030-fa47d64b.html'
    """
    return data_docs.gx_run_name(run_id) + ".html"


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class _History:
    """The runs, and per run: check counts by severity, quarantine by reason, the last run with data."""

    def __init__(self, con: duckdb.DuckDBPyConnection, runs: list[dict]) -> None:
        self.runs = runs
        self.by_id = {r["run_id"]: r for r in runs}
        self.order = {r["run_id"]: i for i, r in enumerate(runs)}
        self.checks: dict[str, Counter] = defaultdict(Counter)
        for rid, severity, ok, n in con.execute(
                "SELECT run_id, severity, success, count(*) FROM dq_results GROUP BY ALL").fetchall():
            self.checks[rid][(severity, bool(ok))] += n
        self.quarantine: dict[str, Counter] = defaultdict(Counter)
        for rid, reason, n in con.execute(
                "SELECT run_id, reason_code, count(*) FROM quarantine GROUP BY ALL").fetchall():
            self.quarantine[rid][reason] += n

    def is_noop(self, run: dict) -> bool:
        """Nothing new: every file seen was already loaded (nothing loaded, nothing quarantined, no check)."""
        return not (run.get("files_loaded") or run.get("files_quarantined") or run.get("records_seen")
                    or self.checks.get(run["run_id"]))

    def last_real_before(self, run_id: str) -> dict | None:
        for run in reversed(self.runs[: self.order[run_id]]):
            if not self.is_noop(run):
                return run
        return None

    def verdict(self, run: dict) -> tuple[str, str]:
        """(css class, words) for a run's outcome."""
        if run.get("status") == "dq_failed":
            return "bad", "critical checks failed: batch not published"
        if self.is_noop(run):
            return "none", "nothing new"
        checks = self.checks.get(run["run_id"], Counter())
        failed = checks[("warning", False)] + checks[("critical", False)]
        if failed:
            return "warn", f"{failed} warning{'s' if failed != 1 else ''} failed"
        if run.get("files_quarantined") or run.get("records_quarantined"):
            return "warn", "all checks passed; inputs quarantined"
        return "ok", "all checks passed"


# --- HTML pieces ----------------------------------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _text(value: Any) -> str:
    """Escaped text; Arabic marked right to left (``bdi`` isolates it inside left-to-right lines)."""
    text = "" if value is None else str(value)
    if ARABIC_RUN_RE.search(text):
        return f'<bdi lang="ar" dir="rtl">{html.escape(text)}</bdi>'
    return html.escape(text)


def _when(ts: Any) -> str:
    return ts.strftime("%Y-%m-%d %H:%M:%S UTC") if isinstance(ts, datetime) else _e(ts)


def _axis_labels(runs: list[dict]) -> list[str]:
    """Run start times under a chart: the time of day when the runs share a day, else the day and hour."""
    times = [r["started_at"] for r in runs]
    same_day = len({t.date() for t in times if isinstance(t, datetime)}) <= 1
    return [t.strftime("%H:%M:%S" if same_day else "%m-%d %H:%M") if isinstance(t, datetime) else str(t)
            for t in times]


def _seconds(value: Any) -> str:
    if value is None:
        return "–"
    value = float(value)
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


def _pct(num: int, den: int) -> str:
    return charts.percent(num / den) if den else "–"


_CSS = """
:root{--ok:#2e7d32;--warn:#b26a00;--bad:#c62828;--none:#607d8b;--line:#e3e6ea;--muted:#5f6b76}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Noto Naskh Arabic","DejaVu Sans",sans-serif;margin:0;color:#1d2329;background:#f6f7f9}
header{background:#1d2b3a;color:#fff;padding:14px 28px}header a{color:#cfe3ff}header h1{margin:0;font-size:20px}
header nav{font-size:13px;margin-top:4px}main{padding:18px 28px;max-width:1500px}
h2{font-size:17px;margin:26px 0 8px}h3{font-size:14px;margin:14px 0 6px;color:var(--muted)}
a{color:#1a5fb4}code{font-size:12.5px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid var(--line);border-radius:8px;
padding:12px 16px;min-width:150px}.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:12px}
.pill{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600;color:#fff}
.pill.ok{background:var(--ok)}.pill.warn{background:var(--warn)}.pill.bad{background:var(--bad)}
.pill.none{background:var(--none)}
.banner{background:#fff;border-left:5px solid var(--none);padding:10px 14px;margin:12px 0;border-radius:4px}
.banner.ok{border-color:var(--ok)}.banner.warn{border-color:var(--warn)}.banner.bad{border-color:var(--bad)}
table{border-collapse:collapse;background:#fff;margin:6px 0}th,td{border:1px solid var(--line);
padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef1f4;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tr.fail td{background:#fdecea}
.drift{color:var(--bad);font-weight:700}tr.noop td{color:var(--muted)}
.alerts li{margin:4px 0}.alerts{background:#fff;border:1px solid #f3c1bd;border-radius:6px;padding:8px 8px 8px 28px}
.charts{display:flex;flex-wrap:wrap;gap:14px}.chartbox{background:#fff;border:1px solid var(--line);
border-radius:8px;padding:8px 10px}.chartbox h3{margin:2px 0 4px}
svg.chart text{font:11px system-ui,sans-serif;fill:#4a5561}svg.chart .grid{stroke:#e8ebee}
svg.chart .cell.pass{fill:#66bb6a}svg.chart .cell.fail{fill:#e53935}svg.chart a:hover rect,svg.chart a:hover circle{opacity:.75}
.legend span{margin-right:12px;font-size:12px;white-space:nowrap}.legend i{display:inline-block;width:10px;
height:10px;margin-right:4px;border-radius:2px}
pre.sample{white-space:pre-wrap;max-width:640px;max-height:7.5em;overflow:hidden;margin:0;font-size:12px;
background:#f4f5f7;padding:4px 6px;unicode-bidi:plaintext}
.muted{color:var(--muted)}
"""


def _page(title: str, header: str, body: Iterable[str]) -> str:
    return "\n".join(["<!DOCTYPE html>", '<html lang="en" dir="ltr"><head><meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
                      f"<header>{header}</header><main>", *body, "</main></body></html>", ""])


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (),
           row_class: Sequence[str] | None = None) -> str:
    """A table of already-escaped cells (``numeric``: indexes of right-aligned columns)."""
    out = ["<table><tr>" + "".join(f'<th{" class=num" if i in numeric else ""}>{h}</th>'
                                   for i, h in enumerate(head)) + "</tr>"]
    for r, row in enumerate(rows):
        css = f' class="{row_class[r]}"' if row_class and row_class[r] else ""
        out.append(f"<tr{css}>" + "".join(
            f'<td{" class=num" if i in numeric else ""}>{c}</td>' for i, c in enumerate(row)) + "</tr>")
    return "".join(out) + "</table>"


def _run_link(run: dict | None, prefix: str) -> str:
    if run is None:
        return "–"
    return f'<a href="{_e(prefix + run_file(run["run_id"]))}"><code>{_e(run["run_id"])}</code></a>'


# --- the run page -----------------------------------------------------------------------------------------

def render_run_page(con: duckdb.DuckDBPyConnection, layout: Layout, history: _History, run_id: str) -> str:
    run = history.by_id[run_id]
    css, verdict = history.verdict(run)
    i = history.order[run_id]
    prev_run = history.runs[i - 1] if i > 0 else None
    next_run = history.runs[i + 1] if i + 1 < len(history.runs) else None
    header = (f"<h1>khabar run <code>{_e(run_id)}</code></h1><nav><a href=\"../index.html\">data-quality "
              f"monitor</a> · <a href=\"index.html\">all runs</a> · previous: {_run_link(prev_run, '')} · "
              f"next: {_run_link(next_run, '')}</nav>")
    body = [f'<div class="banner {css}"><span class="pill {css}">{_e(verdict)}</span> '
            f"started {_when(run['started_at'])}, finished {_when(run['finished_at'])}, wall time "
            f"{_seconds(run.get('seconds'))}; landing <code>{_text(run.get('landing'))}</code></div>"]
    if history.is_noop(run):
        last = history.last_real_before(run_id)
        since = f"since run {_run_link(last, '')} ({_e(history.verdict(last)[1])})" if last else "yet"
        body.append(f'<p class="banner none">Nothing new {since}: every one of the {_e(run["files_seen"])} '
                    "files seen was already loaded.</p>")
    body.append(_run_counts(run))
    alerts = drift_alerts(con, run_id)
    if alerts:
        body.append('<h2 id="drift">Drift alerts</h2><ul class="alerts">' + "".join(
            f"<li>{_e(a.message)}</li>" for a in alerts) + "</ul>")
    body.append(_quarantine_section(con, layout, run_id))
    body.append(_files_section(con, run_id))
    body.append(_outlets_section(con, run_id, alerts))
    body.append(_checks_section(con, layout, run_id))
    return _page(f"khabar run {run_id}: {verdict}", header, body)


def _run_counts(run: dict, heading: str = "Counts") -> str:
    cards = [("files seen", run.get("files_seen")), ("files loaded", run.get("files_loaded")),
             ("files skipped", run.get("files_skipped")), ("files quarantined", run.get("files_quarantined")),
             ("records seen", run.get("records_seen")), ("articles loaded", run.get("articles_loaded")),
             ("records quarantined", run.get("records_quarantined")), ("quotes", run.get("quotes_loaded")),
             ("entity mentions", run.get("mentions_loaded")), ("entities", run.get("entities_mentioned"))]
    return f'<h2>{_e(heading)}</h2><div class="cards">' + "".join(
        f'<div class="card"><b>{_e(charts.number(v) if isinstance(v, int | float) else "–")}</b>'
        f"<span>{_e(k)}</span></div>" for k, v in cards) + "</div>"


def _quarantine_section(con: duckdb.DuckDBPyConnection, layout: Layout, run_id: str) -> str:
    rows = con.execute(f"""
        SELECT reason_code, count(*) OVER (PARTITION BY reason_code) AS n,
               count(DISTINCT source_file) OVER (PARTITION BY reason_code) AS files,
               source_file, source_record, detail, stored_path
        FROM quarantine WHERE run_id = ?
        QUALIFY row_number() OVER (PARTITION BY reason_code ORDER BY source_file, source_record NULLS FIRST)
                <= {SAMPLES_PER_REASON}
        ORDER BY n DESC, reason_code, source_file, source_record NULLS FIRST""", [run_id]).fetchall()
    if not rows:
        return "<h2>Quarantine</h2><p class=muted>Nothing quarantined in this run.</p>"
    by_reason: dict[str, list] = defaultdict(list)
    for row in rows:
        by_reason[row[0]].append(row)
    table_rows = []
    for reason, samples in by_reason.items():
        cells = []
        for _, _, _, source, record, detail, stored in samples:
            where = _text(source) + (f" record {_e(record)}" if record is not None else "")
            link = f' · <a href="../../{_e(stored)}">bytes</a>' if stored else ""
            cells.append(f"<div>{where}{link}<br><span class=muted>{_text(detail)}</span>"
                         f"{_sample(layout, stored)}</div>")
        table_rows.append([f"<code>{_e(reason)}</code>", _e(samples[0][1]), _e(samples[0][2]), "".join(cells)])
    return ("<h2>Quarantine by reason</h2><p class=muted>Every rejected input keeps its bytes under "
            "<code>quarantine/</code>; the first few of each reason are shown.</p>"
            + _table(["reason", "records", "files", "samples (escaped)"], table_rows, numeric=(1, 2)))


def _sample(layout: Layout, stored: str | None) -> str:
    """The first bytes of a quarantined input, decoded leniently, escaped, direction by its own text."""
    if not stored:
        return ""
    path = (layout.root / stored).resolve()
    if layout.root.resolve() not in path.parents or not path.is_file():
        return ""
    with open(path, "rb") as fh:
        raw = fh.read(SAMPLE_BYTES)
    text = raw.decode("utf-8", errors="replace")
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else "·" for ch in text)
    return f'<pre class="sample" dir="auto">{html.escape(text)}</pre>'


def _files_section(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    rows = con.execute("""
        SELECT coalesce(format, '?'), coalesce(encoding, '–'), status, count(*), sum(records), sum(bytes)
        FROM ingest_files WHERE run_id = ? GROUP BY ALL ORDER BY 4 DESC, 1, 2, 3""", [run_id]).fetchall()
    if not rows:
        return ""
    return "<h2>Files by format and encoding</h2>" + _table(
        ["format", "encoding", "status", "files", "records", "bytes"],
        ([_e(f), _e(enc), _e(st), _e(n), _e(r or 0), _e(charts.number(b or 0))] for f, enc, st, n, r, b in rows),
        numeric=(3, 4, 5))


def _outlets_section(con: duckdb.DuckDBPyConnection, run_id: str, alerts: list[DriftAlert]) -> str:
    rows = _dicts(con, "SELECT * FROM outlet_metrics WHERE run_id = ? ORDER BY articles DESC, outlet_domain",
                  [run_id])
    if not rows:
        return ""
    flagged = {(a.outlet, a.metric) for a in alerts}
    head = ["outlet", "articles", *[_e(m.label) for m in FIELDS], "words / article", "near-duplicates"]
    body = []
    for r in rows:
        outlet = r["outlet_domain"]
        cells = [_e(outlet or "unknown outlet"), _e(r["articles"])]
        for m in FIELDS:
            value = (charts.number(r[m.numerator] / r[m.denominator]) if m.kind == "rate" and r[m.denominator]
                     else _pct(r[m.numerator], r[m.denominator]))
            mark = "⚠ " if (outlet, m.name) in flagged else ""
            cells.append(f'<span class="{"drift" if mark else ""}" title="{_e(r[m.numerator])} of '
                         f'{_e(r[m.denominator])}">{mark}{_e(value)}</span>')
        cells += [_e(charts.number(r["words"] / r["articles"]) if r["articles"] else "–"), _e(r["near_duplicates"])]
        if (outlet, "volume") in flagged:
            cells[1] = f"⚠ {cells[1]}"
        body.append(cells)
    headlines = _headlines(con, run_id)
    return ("<h2>Outlets</h2><p class=muted>Coverage: the share of the outlet's articles with the field "
            "(quotes: with a resolved speaker); ⚠ marks a drift alert.</p>"
            + _table(head, body, numeric=tuple(range(1, len(head)))) + headlines)


def _headlines(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    rows = con.execute(f"""
        SELECT outlet_domain, headline, dateline_place, agency, published_date FROM articles WHERE run_id = ?
        QUALIFY row_number() OVER (PARTITION BY outlet_domain ORDER BY source_file, source_record)
                <= {HEADLINES_PER_OUTLET}
        ORDER BY outlet_domain NULLS LAST, source_file, source_record""", [run_id]).fetchall()
    if not rows:
        return ""
    return "<h3>A few of the run's articles</h3>" + _table(
        ["outlet", "headline", "dateline", "agency", "published"],
        ([_e(o or "unknown outlet"), _text(h), _text(d), _text(a), _e(p)] for o, h, d, a, p in rows))


def _checks_section(con: duckdb.DuckDBPyConnection, layout: Layout, run_id: str) -> str:
    rows = con.execute("""SELECT table_name, expectation, severity, success, observed FROM dq_results
                          WHERE run_id = ? ORDER BY success, severity, table_name, expectation""",
                       [run_id]).fetchall()
    if not rows:
        return "<h2>Checks</h2><p class=muted>No new rows, so no checks in this run.</p>"
    by_severity = Counter((sev, bool(ok)) for _, _, sev, ok, _ in rows)
    summary = " · ".join(f"{sev}: {by_severity[(sev, True)]} passed, {by_severity[(sev, False)]} failed"
                         for sev in ("critical", "warning") if by_severity[(sev, True)] + by_severity[(sev, False)])
    pages = data_docs.run_pages(layout.reports / GX_DIR, run_id)
    links = " · ".join(f'<a href="../{GX_DIR}/{_e(href)}">{_e(table)}</a>' for table, href in pages.items())
    docs = (f"<p>Great Expectations Data Docs of this run: {links} (<a href=\"../{GX_DIR}/index.html\">"
            "site</a>)</p>") if links else ""
    described = _descriptions()
    body, classes = [], []
    for table, name, sev, ok, observed in rows:
        body.append([_e(table), f"<code>{_e(name)}</code>", _e(sev), "pass" if ok else "FAIL", _text(observed),
                     _e(described.get((table, name), ""))])
        classes.append("" if ok else "fail")
    return (f"<h2>Checks</h2><p>{_e(summary)}</p>{docs}"
            + _table(["table", "check", "severity", "result", "observed", "what it checks"], body,
                     row_class=classes))


def _descriptions() -> dict[tuple[str, str], str]:
    found = {(table, c.name): c.description for table, checks in SUITES.items() for c in checks}
    found.update({("outlet_metrics", check_name(m)): f"{m.description}: not well below the outlet's recent "
                  "level (transforms/drift.py)" for m in METRICS})
    return found


def run_results_json(con: duckdb.DuckDBPyConnection, history: _History, run_id: str) -> str:
    """A run's results as data: the ``runs`` row, its verdict, checks, outlets, quarantine and drift alerts."""
    run = history.by_id[run_id]
    last = history.last_real_before(run_id) if history.is_noop(run) else None
    document = {
        "run": run, "verdict": history.verdict(run)[1], "nothing_new_since": last["run_id"] if last else None,
        "checks": _dicts(con, "SELECT table_name, expectation, severity, success, observed FROM dq_results "
                              "WHERE run_id = ? ORDER BY table_name, expectation", [run_id]),
        "outlets": _dicts(con, "SELECT * EXCLUDE (run_id) FROM outlet_metrics WHERE run_id = ? "
                               "ORDER BY articles DESC, outlet_domain", [run_id]),
        "quarantine_by_reason": dict(history.quarantine.get(run_id, Counter()).most_common()),
        "drift_alerts": [a.as_dict() for a in drift_alerts(con, run_id)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, default=_json_value) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return str(value)


# --- the index -------------------------------------------------------------------------------------------

def render_index(con: duckdb.DuckDBPyConnection, history: _History) -> str:
    header = ('<h1>khabar data quality</h1><nav><a href="runs/index.html">all runs</a> · '
              f'<a href="{GX_DIR}/index.html">Great Expectations Data Docs</a></nav>')
    runs = history.runs
    if not runs:
        return _page("khabar data quality", header, ["<p>No run yet.</p>"])
    latest = runs[-1]
    real = latest if not history.is_noop(latest) else history.last_real_before(latest["run_id"])
    css, verdict = history.verdict(latest)
    body = [f'<div class="banner {css}">Latest run {_run_link(latest, RUNS_DIR + "/")}, '
            f"{_when(latest['finished_at'])}: <span class=\"pill {css}\">{_e(verdict)}</span>"]
    if real is not latest:
        rcss, rverdict = history.verdict(real) if real else ("none", "")
        body.append(f"<br>Nothing new since run {_run_link(real, RUNS_DIR + '/')}: "
                    f"<span class=\"pill {rcss}\">{_e(rverdict)}</span>" if real else "<br>No data loaded yet.")
    body.append("</div>")
    if real is not None:
        body.append(_run_counts(real, f"Last run with data: {real['run_id']}"))
        alerts = drift_alerts(con, real["run_id"])
        if alerts:
            body.append(f'<h3>Drift alerts of run {_run_link(real, RUNS_DIR + "/")}</h3><ul class="alerts">'
                        + "".join(f"<li>{_e(a.message)}</li>" for a in alerts) + "</ul>")
    body.append(_trends(con, history))
    body.append(f"<h2>Runs</h2><p class=muted>Newest first; the last {INDEX_RUNS} of {len(runs)} "
                f'(<a href="runs/index.html">all runs</a>).</p>' if len(runs) > INDEX_RUNS else "<h2>Runs</h2>")
    body.append(_runs_table(history, runs[-INDEX_RUNS:], RUNS_DIR + "/"))
    return _page("khabar data quality", header, body)


def render_run_list(history: _History, runs: list[dict], in_runs_dir: bool) -> str:
    header = ('<h1>khabar runs</h1><nav><a href="../index.html">data-quality monitor</a></nav>')
    return _page("khabar runs", header, [_runs_table(history, runs, "" if in_runs_dir else RUNS_DIR + "/")])


def _runs_table(history: _History, runs: list[dict], prefix: str) -> str:
    body, classes = [], []
    for run in reversed(runs):
        css, verdict = history.verdict(run)
        outcome = f'<span class="pill {css}">{_e(verdict)}</span>'
        if history.is_noop(run):
            last = history.last_real_before(run["run_id"])
            outcome += f" nothing new since run {_run_link(last, prefix)}" if last else ""
        checks = history.checks.get(run["run_id"], Counter())
        quarantine = history.quarantine.get(run["run_id"], Counter())
        body.append([_run_link(run, prefix), _e(_when(run["started_at"])), outcome,
                     _e(run.get("files_seen")), _e(run.get("files_loaded")), _e(run.get("articles_loaded")),
                     _e(run.get("records_quarantined")),
                     _e(", ".join(f"{k} {v}" for k, v in quarantine.most_common(3))),
                     _e(f"{checks[('critical', False)]} / {checks[('warning', False)]}" if checks else "–"),
                     _e(_seconds(run.get("seconds")))])
        classes.append("noop" if history.is_noop(run) else "")
    return _table(["run", "started", "outcome", "files", "loaded", "articles", "quarantined", "top reasons",
                   "failed critical / warning", "wall time"], body, numeric=(3, 4, 5, 6, 9), row_class=classes)


def _trends(con: duckdb.DuckDBPyConnection, history: _History) -> str:
    runs = history.runs[-TREND_RUNS:]
    ids = [r["run_id"] for r in runs]
    labels = _axis_labels(runs)
    hrefs = [f"{RUNS_DIR}/{run_file(r)}" for r in ids]
    con.register("_trend_runs", _arrow_ids(ids))
    metrics = _dicts(con, "SELECT m.* FROM outlet_metrics m JOIN _trend_runs USING (run_id)")
    checks = con.execute("SELECT run_id, table_name, expectation, success FROM dq_results "
                         "JOIN _trend_runs USING (run_id)").fetchall()
    con.unregister("_trend_runs")
    alerts = {rid: {(a.outlet, a.metric) for a in drift_alerts(con, rid)} for rid in ids
              if any(m["run_id"] == rid for m in metrics)}
    by_run_outlet = {(m["run_id"], m["outlet_domain"]): m for m in metrics}
    volume = Counter()
    for m in metrics:
        volume[m["outlet_domain"]] += m["articles"]
    outlets = [o for o, _ in sorted(volume.items(), key=lambda kv: (-kv[1], kv[0] or "~"))][:CHART_OUTLETS]
    colors = {o: charts.PALETTE[i % len(charts.PALETTE)] for i, o in enumerate(outlets)}
    name = {o: o or "unknown outlet" for o in outlets}

    def flags(outlet: str | None, metric: str) -> list[bool]:
        return [(outlet, metric) in alerts.get(rid, set()) for rid in ids]

    out = [f"<h2>Trends</h2><p class=muted>The last {len(runs)} runs, oldest left; every mark links its run. "
           f"Outlets: the {len(outlets)} largest of these runs.</p><div class=charts>"]
    vol_series = [Series(name[o], [by_run_outlet[(rid, o)]["articles"] if (rid, o) in by_run_outlet else 0
                                   for rid in ids], colors[o], flags(o, "volume")) for o in outlets]
    out.append(_box("Articles per run, by outlet", charts.stacked_bars(
        "articles per run by outlet", ids, labels, vol_series, hrefs=hrefs, css_class="volume") + charts.legend(
        vol_series)))
    q_rate = [r["records_quarantined"] / r["records_seen"] if r.get("records_seen") else None for r in runs]
    f_rate = [r["files_quarantined"] / r["files_seen"] if r.get("files_seen") else None for r in runs]
    q_series = [Series("records quarantined", q_rate, charts.PALETTE[3]),
                Series("files quarantined", f_rate, charts.PALETTE[1])]
    out.append(_box("Quarantine rate", charts.line_chart("quarantine rate", ids, labels, q_series, top=_rate_top(
        q_rate + f_rate), fmt=charts.percent, hrefs=hrefs, css_class="quarantine") + charts.legend(q_series)))
    wall = [Series("wall time (s)", [r.get("seconds") for r in runs], charts.PALETTE[0])]
    out.append(_box("Wall time per run (seconds)", charts.line_chart("wall time", ids, labels, wall, hrefs=hrefs,
                                                                     css_class="walltime")))
    out.append("</div><h3>Field coverage per outlet</h3><div class=charts>")
    for metric in FIELDS:
        series = []
        for o in outlets:
            values = []
            for rid in ids:
                row = by_run_outlet.get((rid, o))
                values.append(row[metric.numerator] / row[metric.denominator]
                              if row and row[metric.denominator] else None)
            series.append(Series(name[o], values, colors[o], flags(o, metric.name)))
        fmt = charts.number if metric.kind == "rate" else charts.percent
        top = None if metric.kind == "rate" else 1.0
        out.append(_box(metric.label, charts.line_chart(metric.label, ids, labels, series, top=top, fmt=fmt,
                                                        hrefs=hrefs, css_class=f"coverage {metric.name}")))
    out.append("</div>" + charts.legend([Series(name[o], [], colors[o]) for o in outlets]))
    grid_rows = _check_rows(ids, checks)
    if grid_rows:
        out.append("<h3>Checks over runs (pass rate on the right)</h3><div class=chartbox>" + charts.status_grid(
            "checks over runs", ids, labels, grid_rows, hrefs=hrefs, css_class="checks") + "</div>")
    return "".join(out)


def _arrow_ids(ids: list[str]):
    import pyarrow as pa

    return pa.table({"run_id": pa.array(ids, pa.string())})


def _rate_top(values: list[float | None]) -> float:
    peak = max((v for v in values if v is not None), default=0.0)
    return 1.0 if peak > 0.5 else 0.5 if peak > 0.1 else 0.1


def _box(title: str, svg: str) -> str:
    return f"<div class=chartbox><h3>{_e(title)}</h3>{svg}</div>"


def _check_rows(ids: list[str], checks: list[tuple]) -> list[tuple[str, list[bool | None]]]:
    outcome: dict[str, dict[str, bool]] = defaultdict(dict)
    for rid, table, name, ok in checks:
        key = f"{table}.{name}"
        outcome[key][rid] = outcome[key].get(rid, True) and bool(ok)
    # Failing checks first (the ones to look at), then by name.
    keys = sorted(outcome, key=lambda k: (all(outcome[k].values()), k))
    return [(k, [outcome[k].get(rid) for rid in ids]) for k in keys]
