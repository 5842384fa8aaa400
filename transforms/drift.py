"""Drift of an outlet against its own recent level: the alerts no generic data-quality tool raises for news.

A news scraper rarely fails loudly. An outlet redesigns its article template and the dateline line moves
into an image caption; a byline block gets a new CSS class; a feed stops publishing. Every article still
loads and every column check still passes (a NULL dateline is allowed), but one outlet's datelines, authors
or articles quietly vanish. So each run is compared, outlet by outlet, with that outlet's own recent runs.

Policy (``DriftRules`` holds the numbers):

- What is measured, per run and outlet (``METRICS``): the share of articles with a dateline, an agency, an
  author, a published date; the share of quotes with a resolved speaker; distinct entities per article; and
  the outlet's share of the run's articles (volume: a share, because runs differ in size by design: a run
  over one new file is small for every outlet alike).
- The recent level is pooled over the outlet's last ``window`` runs that loaded articles (numerators and
  denominators summed, so a big run weighs more than a small one; for volume, runs where the outlet was
  absent count as zero).
- A value is flagged only when all of these hold: enough evidence on both sides (``min_articles`` now,
  ``min_baseline`` before; for volume, ``min_expected`` articles expected now), a large fall relative to
  the recent level (``relative_drop``; ``volume_drop`` for volume), a large absolute fall for shares
  (``absolute_drop``), and a fall unlikely to be chance (a one-sided z score of at least ``min_z``, binomial
  for shares, Poisson for per-article counts). Small outlets therefore never flap, and a field an outlet
  never filled cannot "drop".
- Only falls are flagged: a field that appears is good news, and an outlet that grows is not a fault.

No I/O: the caller (flows/monitor.py) reads the per-run, per-outlet counts from the warehouse (table
``outlet_metrics``) and stores what this returns.

>>> past = [{"run_id": f"r{i}", "outlet_domain": "sana.sy", "articles": 20, "with_dateline": 19}
...         for i in range(3)]
>>> now = [{"run_id": "r3", "outlet_domain": "sana.sy", "articles": 20, "with_dateline": 0}]
>>> [a.message for a in detect_drift(now, past) if a.metric == "dateline"]
['sana.sy: dateline in 0% of 20 articles, recent level 95% of 60 (3 runs)']
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

RUN_TOTAL = "run_articles"  # the denominator of the volume share: all articles the run loaded


@dataclass(frozen=True)
class Metric:
    """One monitored quantity: ``numerator`` / ``denominator`` (columns of ``outlet_metrics``).

    ``kind`` is ``share`` (a proportion, 0..1: binomial test) or ``rate`` (a count per unit that may
    exceed 1, such as entities per article: Poisson test).
    """

    name: str
    label: str
    numerator: str
    denominator: str
    kind: str
    description: str


METRICS: tuple[Metric, ...] = (
    Metric("dateline", "dateline", "with_dateline", "articles", "share",
           "share of an outlet's articles with a dateline place"),
    Metric("agency", "agency", "with_agency", "articles", "share",
           "share of an outlet's articles with a news agency"),
    Metric("author", "author", "with_author", "articles", "share",
           "share of an outlet's articles with an author"),
    Metric("published_date", "published date", "with_published_date", "articles", "share",
           "share of an outlet's articles with a published date"),
    Metric("quote_speaker", "quotes with a speaker", "quotes_with_speaker", "quotes", "share",
           "share of an outlet's quotes whose speaker is resolved"),
    Metric("entities", "entities per article", "article_entities", "articles", "rate",
           "distinct entities mentioned per article of an outlet"),
    Metric("volume", "volume", "articles", RUN_TOTAL, "share",
           "an outlet's share of the articles of a run"),
)
METRIC_BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


@dataclass(frozen=True)
class DriftRules:
    """The thresholds of the policy in the module docstring."""

    window: int = 5  # recent runs (with articles) of the outlet that make its level
    min_articles: int = 10  # denominator needed now (articles, or quotes for the speaker share)
    min_baseline: int = 20  # denominator needed over the window
    min_expected: float = 10.0  # volume: articles the outlet would have at its recent share
    relative_drop: float = 0.5  # now <= level * (1 - this)
    volume_drop: float = 0.75
    absolute_drop: float = 0.15  # shares: level - now >= this (15 points)
    min_z: float = 3.0


@dataclass(frozen=True)
class DriftAlert:
    """One outlet's value fallen well below its recent level."""

    outlet: str | None
    metric: str
    current: float
    current_n: int
    baseline: float
    baseline_n: int
    baseline_runs: int
    z: float

    @property
    def label(self) -> str:
        return METRIC_BY_NAME[self.metric].label

    @property
    def message(self) -> str:
        """One line for people.

        >>> DriftAlert("aawsat.com", "volume", 0.0, 200, 0.3, 900, 5, 9.8).message
        "aawsat.com: 0% of the run's 200 articles, recent level 30% of 900 (5 runs)"
        >>> DriftAlert(None, "entities", 1.5, 40, 6.0, 200, 4, 11.6).message
        'unknown outlet: entities per article 1.5 over 40 articles, recent level 6.0 over 200 (4 runs)'
        """
        metric = METRIC_BY_NAME[self.metric]
        outlet = self.outlet or "unknown outlet"
        runs = f"{self.baseline_runs} run{'s' if self.baseline_runs != 1 else ''}"
        if metric.kind == "rate":
            return (f"{outlet}: {metric.label} {self.current:.1f} over {self.current_n} {metric.denominator}, "
                    f"recent level {self.baseline:.1f} over {self.baseline_n} ({runs})")
        if metric.denominator == RUN_TOTAL:
            return (f"{outlet}: {self.current:.0%} of the run's {self.current_n} articles, "
                    f"recent level {self.baseline:.0%} of {self.baseline_n} ({runs})")
        return (f"{outlet}: {metric.label} in {self.current:.0%} of {self.current_n} {metric.denominator}, "
                f"recent level {self.baseline:.0%} of {self.baseline_n} ({runs})")

    def as_dict(self) -> dict:
        return {"outlet": self.outlet, "metric": self.metric, "label": self.label, "current": self.current,
                "current_n": self.current_n, "baseline": self.baseline, "baseline_n": self.baseline_n,
                "baseline_runs": self.baseline_runs, "z": round(self.z, 2), "message": self.message}


def detect_drift(current: Sequence[Mapping], history: Sequence[Mapping],
                 rules: DriftRules = DriftRules()) -> list[DriftAlert]:
    """Alerts for the outlets of ``current`` (one run's ``outlet_metrics`` rows) against ``history`` (rows of
    earlier runs, oldest run first; only each outlet's last ``rules.window`` runs are used).

    Rows are mappings with ``run_id``, ``outlet_domain`` and the metric columns (a missing column counts 0).
    Outlets of the recent runs that are absent now are checked for volume. Alerts come sorted by outlet, then
    metric order.

    >>> past = [{"run_id": "r1", "outlet_domain": "a", "articles": 3, "with_author": 3}]
    >>> detect_drift([{"run_id": "r2", "outlet_domain": "a", "articles": 3, "with_author": 0}], past)
    []
    """
    if not current:
        return []
    run_order = list(dict.fromkeys(r["run_id"] for r in history))
    recent_runs = run_order[-rules.window:]
    by_run: dict[str, list[Mapping]] = defaultdict(list)
    for row in history:
        by_run[row["run_id"]].append(row)
    now_by_outlet = {r.get("outlet_domain"): r for r in current}
    now_total = sum(_num(r, "articles") for r in current)
    outlets = sorted(set(now_by_outlet) | {r.get("outlet_domain") for run in recent_runs for r in by_run[run]},
                     key=lambda o: (o is None, o or ""))
    alerts: list[DriftAlert] = []
    for outlet in outlets:
        own_runs = [run for run in run_order if any(r.get("outlet_domain") == outlet for r in by_run[run])]
        own_recent = own_runs[-rules.window:]
        for metric in METRICS:
            if metric.denominator == RUN_TOTAL:
                # Volume: the run-level window, where a run without the outlet counts as zero.
                base_num = sum(_num(r, "articles") for run in recent_runs for r in by_run[run]
                               if r.get("outlet_domain") == outlet)
                base_den = sum(_num(r, "articles") for run in recent_runs for r in by_run[run])
                base_runs = len(recent_runs)
                cur_num, cur_den = _num(now_by_outlet.get(outlet, {}), "articles"), now_total
            else:
                if outlet not in now_by_outlet:
                    continue
                rows = [r for run in own_recent for r in by_run[run] if r.get("outlet_domain") == outlet]
                base_num = sum(_num(r, metric.numerator) for r in rows)
                base_den = sum(_num(r, metric.denominator) for r in rows)
                base_runs = len(own_recent)
                cur_num = _num(now_by_outlet[outlet], metric.numerator)
                cur_den = _num(now_by_outlet[outlet], metric.denominator)
            alert = _judge(outlet, metric, cur_num, cur_den, base_num, base_den, base_runs, rules)
            if alert is not None:
                alerts.append(alert)
    return alerts


def _judge(outlet: str | None, metric: Metric, cur_num: int, cur_den: int, base_num: int, base_den: int,
           base_runs: int, rules: DriftRules) -> DriftAlert | None:
    """The alert for one outlet and metric, or None (the conditions of the module docstring).

    >>> r = DriftRules()
    >>> _judge("x", METRIC_BY_NAME["author"], 0, 12, 24, 24, 2, r).z
    inf
    >>> _judge("x", METRIC_BY_NAME["author"], 5, 12, 24, 24, 2, r) is None  # 42% against 100%
    False
    >>> _judge("x", METRIC_BY_NAME["author"], 7, 12, 24, 24, 2, r) is None  # 58%: not half the level
    True
    >>> _judge("x", METRIC_BY_NAME["author"], 0, 9, 24, 24, 2, r) is None  # 9 articles: too few to say
    True
    """
    if base_den < rules.min_baseline or cur_den <= 0:
        return None
    level = base_num / base_den
    value = cur_num / cur_den
    if level <= 0:
        return None
    if metric.denominator == RUN_TOTAL:
        if level * cur_den < rules.min_expected or value > level * (1 - rules.volume_drop):
            return None
    else:
        if cur_den < rules.min_articles or value > level * (1 - rules.relative_drop):
            return None
        if metric.kind == "share" and level - value < rules.absolute_drop:
            return None
    z = _z_drop(metric.kind, cur_num, cur_den, level)
    if z < rules.min_z:
        return None
    return DriftAlert(outlet, metric.name, value, cur_den, level, base_den, base_runs, z)


def _z_drop(kind: str, count: int, n: int, level: float) -> float:
    """One-sided z score of observing ``count`` in ``n`` when the expected rate is ``level``.

    >>> round(_z_drop("share", 2, 20, 0.5), 2)
    3.58
    >>> round(_z_drop("rate", 40, 20, 5.0), 2)
    6.0
    """
    expected = level * n
    variance = expected * (1 - level) if kind == "share" else expected
    if variance <= 0:
        return math.inf if count < expected else 0.0
    return (expected - count) / math.sqrt(variance)


def _num(row: Mapping, column: str) -> int:
    value = row.get(column)
    return int(value) if value is not None else 0


def dq_rows(alerts: Iterable[DriftAlert], checked_outlets: int) -> list[tuple[str, bool, str]]:
    """One ``(expectation, success, observed)`` per metric for ``dq_results``: a check per metric and run.

    >>> dq_rows([], 3)[0]
    ('drift_dateline', True, 'no outlet of 3 below its recent level')
    >>> alert = DriftAlert("sana.sy", "dateline", 0.0, 12, 1.0, 24, 2, math.inf)
    >>> dq_rows([alert], 3)[0]
    ('drift_dateline', False, 'sana.sy: dateline in 0% of 12 articles, recent level 100% of 24 (2 runs)')
    """
    by_metric: dict[str, list[DriftAlert]] = defaultdict(list)
    for a in alerts:
        by_metric[a.metric].append(a)
    rows = []
    for metric in METRICS:
        found = by_metric.get(metric.name, [])
        observed = "; ".join(a.message for a in found)[:500] if found else \
            f"no outlet of {checked_outlets} below its recent level"
        rows.append((check_name(metric), not found, observed))
    return rows


def check_name(metric: Metric) -> str:
    """The ``dq_results.expectation`` of a metric's drift check (stable: charts follow it across runs)."""
    return f"drift_{metric.name}"
