"""The data-quality monitor end to end (issue 11): runs kept with a page each, "nothing new" never hiding the
last result, trends over runs, drift alerts for an outlet that loses its datelines, and the whole page set
working in headless Chromium with the network shut (screenshots under tests/artefacts/)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from schemas.expectations import SUITES
from tests.browser import CHROMIUM, Chromium, artefact_dir
from tests.conftest import SEEDS_RAW, run_khabar, summary_of
from transforms.drift import METRICS

SANA_PAGES = ("000_fce3ca92cfa685eb.txt", "002_3d9604a9e474a807.txt")  # sana.sy articles with a dateline
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not found "
                                    "(apt-get install -y chromium)")


def run(landing: Path, wh: Path) -> tuple[dict, str]:
    proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return summary_of(proc), proc.stdout


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The issue's sequence: a run over the seeds, the same again (nothing new), then one seed file changed."""
    root = tmp_path_factory.mktemp("monitor")
    landing, wh = root / "landing", root / "wh"
    shutil.copytree(SEEDS_RAW, landing)
    summaries = [run(landing, wh)[0], run(landing, wh)[0]]
    with open(landing / SANA_PAGES[1], "a", encoding="utf-8") as fh:
        fh.write("\nوأضاف لافروف أن الاجتماع المقبل سيعقد في جنيف الأسبوع المقبل.\n")
    summaries.append(run(landing, wh)[0])
    assert [s["articles_loaded"] for s in summaries] == [5, 0, 1]
    return wh, summaries


def page(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def slots(svg_class: str, text: str) -> list[str]:
    """The runs (data-run) of the chart with that class."""
    [svg] = re.findall(rf'<svg class="chart {svg_class}".*?</svg>', text, re.S)
    return re.findall(r'<g class="slot" data-run="([^"]+)"', svg)


def local_links(path: Path) -> list[str]:
    return [h for h in re.findall(r'href="([^"#]+)"', page(path)) if not h.startswith(("http:", "https:"))]


def test_index_lists_three_runs_the_second_nothing_new(three_runs):
    wh, summaries = three_runs
    first, second, third = (s["run_id"] for s in summaries)
    index = page(wh / "reports" / "index.html")
    runs_table = index[index.index("<h2>Runs</h2>"):]
    assert re.findall(r'<tr[^>]*><td><a href="runs/([^"]+)\.html">', runs_table) == [third, second, first]
    # the no-op run says so and links the last run with data
    [noop_row] = [r for r in runs_table.split("<tr") if f"runs/{second}.html" in r]
    assert "nothing new since run" in noop_row and f'href="runs/{first}.html"' in noop_row
    # the latest run (with data) heads the page with its result
    assert f"Latest run <a href=\"runs/{third}.html\">" in index and "all checks passed" in index
    assert f"Last run with data: {third}" in index


def test_a_no_op_run_never_hides_the_last_result(tmp_path, three_runs):
    """After a run with nothing new, the index still shows the last real result and links it."""
    wh, summaries = three_runs
    copy = tmp_path / "wh"
    shutil.copytree(wh, copy)
    summary, _ = run(SEEDS_RAW.parent / "raw", copy)  # the original seeds: nothing new for this warehouse
    assert summary["status"] == "nothing_new" and summary["dq_success"] is True
    index = page(copy / "reports" / "index.html")
    banner = index[index.index('<div class="banner'):index.index("</div>")]
    assert "nothing new" in banner and f'Nothing new since run <a href="runs/{summaries[2]["run_id"]}.html">' \
        in banner and "all checks passed" in banner
    assert f"Last run with data: {summaries[2]['run_id']}" in index
    # and the Data Docs of every run with data are still there
    gx = copy / "reports" / "gx" / "validations"
    assert {p.parts[-3] for p in gx.rglob("*.html")} == {summaries[0]["run_id"], summaries[2]["run_id"]}


def test_every_run_keeps_its_page(three_runs):
    wh, summaries = three_runs
    first, second, third = (s["run_id"] for s in summaries)
    pages = wh / "reports" / "runs"
    assert sorted(p.name for p in pages.glob("*.html")) == sorted([f"{r}.html" for r in (first, second, third)]
                                                                  + ["index.html"])
    one = page(pages / f"{first}.html")
    # counts, outlets, checks by severity, wall time, its own Data Docs
    for expected in ("files seen", "articles loaded", "records quarantined", "quotes", "entities", "wall time",
                     "sana.sy", "arabic.cnn.com", "unknown outlet", "critical: 23 passed, 0 failed",
                     "Nothing quarantined", f'href="{second}.html"'):
        assert expected in one, expected
    assert len(re.findall(rf'href="\.\./gx/validations/[a-z]+/{first}/', one)) == 4
    assert '<bdi lang="ar" dir="rtl">' in one  # the run's Arabic headlines and datelines
    two = page(pages / f"{second}.html")
    assert "Nothing new since run" in two and f'href="{first}.html"' in two and f'href="{third}.html"' in two
    # the same results as data beside each page
    results = json.loads((pages / f"{first}.json").read_text(encoding="utf-8"))
    assert results["run"]["articles_loaded"] == 5 and results["verdict"] == "all checks passed"
    assert len(results["checks"]) == sum(map(len, SUITES.values())) + len(METRICS)  # GX suites + drift checks
    assert all(c["success"] for c in results["checks"])
    assert {o["outlet_domain"] for o in results["outlets"]} == {"sana.sy", "arabic.cnn.com", None}
    assert json.loads((pages / f"{second}.json").read_text(encoding="utf-8"))["nothing_new_since"] == first
    # every link of every page leads to a file that exists
    for path in [*pages.glob("*.html"), wh / "reports" / "index.html"]:
        for href in local_links(path):
            assert (path.parent / href).resolve().exists(), (path.name, href)


def test_trend_charts_have_a_point_per_run(three_runs):
    wh, summaries = three_runs
    ids = [s["run_id"] for s in summaries]
    index = page(wh / "reports" / "index.html")
    for chart in ("volume", "quarantine", "walltime", "coverage dateline", "grid checks"):
        assert slots(chart, index) == ids, chart
    [walltime] = re.findall(r'<svg class="chart walltime".*?</svg>', index, re.S)
    assert walltime.count('class="point"') == 3
    [volume] = re.findall(r'<svg class="chart volume".*?</svg>', index, re.S)
    assert re.findall(r'class="total"[^>]*>([^<]+)<', volume) == ["5", "0", "1"]
    # the coverage of a run that loaded nothing is no value (no point), not a 0%
    [dateline] = re.findall(r'<svg class="chart coverage dateline".*?</svg>', index, re.S)
    assert f"run {ids[1]}" not in dateline and f"sana.sy, run {ids[0]}: 100%" in dateline


def test_metrics_are_stored_once_per_run(three_runs):
    wh, summaries = three_runs
    first, second, third = (s["run_id"] for s in summaries)
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT run_id, outlet_domain, articles, with_dateline, with_agency FROM outlet_metrics "
                           "ORDER BY run_id, outlet_domain NULLS LAST").fetchall()
        assert rows == [(first, "arabic.cnn.com", 1, 0, 0), (first, "sana.sy", 2, 2, 2), (first, None, 2, 0, 1),
                        (third, "sana.sy", 1, 1, 1)]
        runs = con.execute("SELECT run_id, landing, quotes_loaded > 0, entities_mentioned > 0 FROM runs "
                           "ORDER BY started_at").fetchall()
        assert [r[2:] for r in runs] == [(True, True), (False, False), (True, True)]
        drift = con.execute("SELECT run_id, count(*), bool_and(success) FROM dq_results "
                            "WHERE expectation LIKE 'drift_%' GROUP BY ALL ORDER BY 1").fetchall()
        assert drift == [(first, 7, True), (third, 7, True)]
    finally:
        con.close()
    assert all(s["drift_alerts"] == [] for s in summaries)


# --- drift ---------------------------------------------------------------------------------------------------

def sana_dump(path: Path, start: int, count: int, datelines: bool) -> None:
    """sana.sy articles as a scraper dump: the two seed pages, each record made distinct; with or without the
    dateline line ("موسكو-سانا") the outlet's template puts first."""
    pages = []
    for name in SANA_PAGES:
        lines = [ln for ln in (SEEDS_RAW / name).read_text(encoding="utf-8").splitlines() if ln.strip()]
        lines = [ln for ln in lines if ln != "الشريط الإخباري"]
        pages.append((lines[0], lines[1], lines[2:]))
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + count):
            title, dateline, body = pages[i % 2]
            paragraphs = ([dateline] if datelines else []) + body + [f"وقال المتحدث إن اللقاء رقم {i} عقد في موعده."]
            fh.write(json.dumps({"title": f"{title} ({i})", "content": "\n\n".join(paragraphs),
                                 "url": f"https://www.sana.sy/?p={100000 + i}"}, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def drift_runs(tmp_path_factory) -> tuple[Path, list[dict], str]:
    root = tmp_path_factory.mktemp("drift")
    landing, wh = root / "landing", root / "wh"
    landing.mkdir()
    sana_dump(landing / "sana-1.jsonl", 0, 24, datelines=True)
    first, _ = run(landing, wh)
    sana_dump(landing / "sana-2.jsonl", 24, 12, datelines=False)  # the template changed: no dateline line
    second, stdout = run(landing, wh)
    return wh, [first, second], stdout


def test_an_outlet_losing_its_datelines_raises_a_drift_alert(drift_runs):
    wh, (first, second), stdout = drift_runs
    assert first["articles_loaded"] == 24 and second["articles_loaded"] == 12
    assert first["drift_alerts"] == [] and first["dq_success"] is True
    # in the run summary (the CLI's JSON and its printed lines)
    alerts = {(a["outlet"], a["metric"]): a for a in second["drift_alerts"]}
    assert ("sana.sy", "dateline") in alerts
    assert alerts[("sana.sy", "dateline")]["message"] == \
        "sana.sy: dateline in 0% of 12 articles, recent level 100% of 24 (1 run)"
    assert "drift   sana.sy: dateline in 0% of 12 articles" in stdout
    assert second["dq_success"] is False and second["status"] == "published"  # a warning: published
    # in dq_results
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    try:
        row = con.execute("SELECT severity, success, observed FROM dq_results WHERE run_id = ? "
                          "AND expectation = 'drift_dateline'", [second["run_id"]]).fetchone()
        assert row[0] == "warning" and row[1] is False and "sana.sy: dateline in 0% of 12" in row[2]
        assert con.execute("SELECT bool_and(success) FROM dq_results WHERE run_id = ? AND expectation LIKE 'drift_%'",
                           [first["run_id"]]).fetchone()[0] is True
    finally:
        con.close()
    # on the run's page and on the index
    run_page = page(wh / "reports" / "runs" / f"{second['run_id']}.html")
    assert '<h2 id="drift">Drift alerts</h2>' in run_page and "sana.sy: dateline in 0% of 12 articles" in run_page
    assert "⚠ 0%" in run_page
    index = page(wh / "reports" / "index.html")
    assert "Drift alerts of run" in index and "sana.sy: dateline in 0% of 12 articles" in index
    assert 'class="point flagged"' in index


# --- in a browser, network off -----------------------------------------------------------------------------

SHOTS = ("index", "run-1", "run-2-nothing-new", "run-3", "gx-index", "gx-validation-run-1", "gx-suite-articles",
         "runs-list", "drift-run")


@pytest.mark.browser
@needs_chromium
def test_the_whole_page_set_works_offline_in_chromium(three_runs, drift_runs, tmp_path):
    wh, summaries = three_runs
    ids = [s["run_id"] for s in summaries]
    reports = wh / "reports"
    gx_validation = sorted((reports / "gx" / "validations" / "articles" / ids[0]).rglob("*.html"))[0]
    drift_wh, (_, drifted), _ = drift_runs
    pages = dict(zip(SHOTS, [reports / "index.html", *(reports / "runs" / f"{r}.html" for r in ids),
                             reports / "gx" / "index.html", gx_validation,
                             reports / "gx" / "expectations" / "articles.html", reports / "runs" / "index.html",
                             drift_wh / "reports" / "runs" / f"{drifted['run_id']}.html"], strict=True))
    shots = artefact_dir("monitor")
    every_page = [*reports.rglob("*.html")]
    with Chromium(tmp_path / "profile") as browser:
        visits = {name: browser.visit(path, screenshot=shots / f"{name}.png") for name, path in pages.items()}
        others = [browser.visit(p) for p in every_page if p not in pages.values()]
    print(f"\nscreenshots: {shots}")
    for name, visit in [*visits.items(), *((v.url, v) for v in others)]:
        assert visit.requests, name
        assert visit.remote == [], (name, visit.remote)  # no request left the machine
        assert visit.failed == [] and visit.exceptions == [], (name, visit.failed, visit.exceptions)
        assert visit.console_errors == [], (name, visit.console_errors)
        assert visit.facts["brokenImages"] == [] and visit.facts["unloadedStyles"] == [], (name, visit.facts)
        assert visit.facts["rtlWrong"] == [] and visit.facts["arabicNotMarked"] == [], (name, visit.facts)
    # khabar's pages: charts drawn, Arabic right to left
    assert visits["index"].facts["svgCharts"] >= 10
    assert visits["run-1"].facts["arabicElements"] >= 5 and "Nothing new since run" in visits[
        "run-2-nothing-new"].facts["text"]
    # Great Expectations' pages: styled and scripted from the vendored files; the validation list is built
    for name in ("gx-index", "gx-validation-run-1", "gx-suite-articles"):
        facts = visits[name].facts
        assert facts["jquery"] and facts["bootstrapTable"], name
        assert any("static/vendor/bootstrap/bootstrap.min.css" in u for u in visits[name].requests), name
        assert any(u.endswith("static/images/logo-long.png") for u in visits[name].requests), name
    assert ids[2] in visits["gx-index"].facts["text"] and "Showing 1 to 4 of 4 rows" in visits["gx-index"].facts["text"]
    assert "sana.sy: dateline in 0% of 12 articles" in visits["drift-run"].facts["text"]
    for name in SHOTS:
        assert (shots / f"{name}.png").stat().st_size > 10_000, name


@pytest.mark.parametrize("module", ["flows.charts", "flows.data_docs", "flows.monitor"])
def test_docstring_examples(module):
    """The examples in the monitor's flow modules (pytest collects doctests from transforms/ and schemas/ only)."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0, result
