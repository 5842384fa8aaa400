"""Drift of an outlet against its own recent level (transforms/drift.py): real falls flagged, noise never."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.drift import METRICS, DriftRules, detect_drift, dq_rows

FULL = {"with_dateline": 1.0, "with_agency": 0.9, "with_author": 0.6, "with_published_date": 1.0}


def outlet_row(run: str, outlet: str | None, articles: int, **shares: float) -> dict:
    """An outlet_metrics row: ``articles`` and each field at its share (default: a healthy outlet)."""
    coverage = {**FULL, **shares}
    row = {"run_id": run, "outlet_domain": outlet, "articles": articles,
           **{col: round(articles * share) for col, share in coverage.items()}}
    row["quotes"] = 3 * articles
    row["quotes_with_speaker"] = round(row["quotes"] * shares.get("speaker", 0.7))
    row["article_entities"] = round(articles * shares.get("entities", 6.0))
    return row


def history(runs: int = 3, articles: int = 20) -> list[dict]:
    return [r for i in range(runs) for r in (outlet_row(f"r{i}", "sana.sy", articles),
                                              outlet_row(f"r{i}", "aawsat.com", articles * 2))]


def alerts_of(current: list[dict], past: list[dict], **rules) -> set[tuple]:
    return {(a.outlet, a.metric) for a in detect_drift(current, past, DriftRules(**rules))}


def test_stable_outlets_raise_nothing():
    now = [outlet_row("r9", "sana.sy", 20), outlet_row("r9", "aawsat.com", 40)]
    assert alerts_of(now, history()) == set()


def test_an_outlet_losing_its_datelines_is_flagged_and_only_it():
    # The template change: datelines (and the agency that stood in them) vanish for one outlet.
    now = [outlet_row("r9", "sana.sy", 20, with_dateline=0.0, with_agency=0.0), outlet_row("r9", "aawsat.com", 40)]
    found = detect_drift(now, history())
    assert {(a.outlet, a.metric) for a in found} == {("sana.sy", "dateline"), ("sana.sy", "agency")}
    dateline = next(a for a in found if a.metric == "dateline")
    assert (dateline.current, dateline.current_n, dateline.baseline, dateline.baseline_n, dateline.baseline_runs) \
        == (0.0, 20, 1.0, 60, 3)
    assert dateline.message == "sana.sy: dateline in 0% of 20 articles, recent level 100% of 60 (3 runs)"


def test_small_outlets_never_flap():
    """Two-article outlets: 100% then 0% is no evidence of anything."""
    past = [outlet_row(f"r{i}", "tiny.example", 2) for i in range(5)]
    now = [outlet_row("r9", "tiny.example", 2, with_dateline=0.0, with_author=0.0, entities=0.0)]
    assert alerts_of(now, past) == set()
    # nor with a big history but a tiny run now
    assert alerts_of([outlet_row("r9", "sana.sy", 9, with_dateline=0.0)], history()) == set()


def test_a_modest_dip_is_not_an_alert():
    """60% -> 45% of authors: within what a news day does; half the level is the bar."""
    now = [outlet_row("r9", "sana.sy", 20, with_author=0.45), outlet_row("r9", "aawsat.com", 40)]
    assert alerts_of(now, history()) == set()


def test_a_field_the_outlet_never_filled_cannot_drop():
    past = [outlet_row(f"r{i}", "sana.sy", 20, with_author=0.0) for i in range(3)]
    assert alerts_of([outlet_row("r9", "sana.sy", 20, with_author=0.0)], past) == set()


def test_only_falls_are_flagged():
    past = [outlet_row(f"r{i}", "sana.sy", 20, with_author=0.1) for i in range(3)]
    assert alerts_of([outlet_row("r9", "sana.sy", 20, with_author=1.0)], past) == set()


def test_speaker_share_and_entities_per_article():
    now = [outlet_row("r9", "sana.sy", 20, speaker=0.1, entities=1.0), outlet_row("r9", "aawsat.com", 40)]
    assert alerts_of(now, history()) == {("sana.sy", "quote_speaker"), ("sana.sy", "entities")}


def test_volume_an_outlet_gone_from_a_big_run():
    """aawsat.com is two thirds of every run; a run of 60 without it flags its volume. A small run does not."""
    assert alerts_of([outlet_row("r9", "sana.sy", 60)], history()) == {("aawsat.com", "volume")}
    assert alerts_of([outlet_row("r9", "sana.sy", 5)], history()) == set()
    # a run that is small for every outlet alike (one new file) is not a volume drop
    assert alerts_of([outlet_row("r9", "sana.sy", 1), outlet_row("r9", "aawsat.com", 2)], history()) == set()


def test_the_level_is_recent_runs_only():
    """An outlet that lost its datelines five runs ago has a new level: the alert stops repeating."""
    old = [outlet_row(f"a{i}", "sana.sy", 20) for i in range(5)]
    new = [outlet_row(f"b{i}", "sana.sy", 20, with_dateline=0.0) for i in range(5)]
    now = [outlet_row("r9", "sana.sy", 20, with_dateline=0.0)]
    assert ("sana.sy", "dateline") in alerts_of(now, old + new[:1])
    assert alerts_of(now, old + new) == set()


def test_unknown_outlet_is_an_outlet_too():
    past = [outlet_row(f"r{i}", None, 30) for i in range(3)]
    found = detect_drift([outlet_row("r9", None, 30, with_published_date=0.0)], past)
    assert [(a.outlet, a.metric) for a in found] == [(None, "published_date")]
    assert found[0].message.startswith("unknown outlet: published date in 0% of 30 articles")


def test_no_history_or_nothing_now_means_no_alert():
    assert detect_drift([outlet_row("r1", "sana.sy", 50, with_dateline=0.0)], []) == []
    assert detect_drift([], history()) == []


def test_dq_rows_one_per_metric():
    now = [outlet_row("r9", "sana.sy", 20, with_dateline=0.0), outlet_row("r9", "aawsat.com", 40)]
    rows = dq_rows(detect_drift(now, history()), checked_outlets=2)
    assert [name for name, _, _ in rows] == [f"drift_{m.name}" for m in METRICS]
    failed = {name: observed for name, ok, observed in rows if not ok}
    assert list(failed) == ["drift_dateline"] and "sana.sy" in failed["drift_dateline"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.floats(0, 1)), min_size=1, max_size=6),
       st.integers(0, 60), st.floats(0, 1), st.floats(0, 1))
def test_property_no_alert_when_now_is_at_or_above_the_level(past, n_now, share_now, slack):
    """Whatever the history, a current share at least the pooled recent level never alerts."""
    rows = [{"run_id": f"r{i}", "outlet_domain": "x", "articles": n, "with_dateline": round(n * s)}
            for i, (n, s) in enumerate(past)]
    total = sum(r["articles"] for r in rows[-5:])
    level = sum(r["with_dateline"] for r in rows[-5:]) / total if total else 0
    share = level + (1 - level) * slack
    now = [{"run_id": "now", "outlet_domain": "x", "articles": n_now, "with_dateline": -(-n_now * share // 1)}]
    assert not [a for a in detect_drift(now, rows) if a.metric == "dateline"]
    # and more articles than before never makes a volume alert for the only outlet
    assert not [a for a in detect_drift(now, rows) if a.metric == "volume"]
