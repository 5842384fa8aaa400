"""Static SVG charts for the data-quality monitor: no script, no library, nothing fetched.

Every chart has one slot per run on its x axis (``<g class="slot" data-run="...">``, a link to the run's page
when ``hrefs`` are given), so a run with no value for a series (a run that loaded nothing has no coverage)
keeps its place and the line breaks there. Each mark carries a ``<title>``: the browser shows it on hover.
Every text is escaped.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Tableau 10: distinguishable, and readable by most colour-blind readers.
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
ALERT = "#d62728"
_W, _H = 560, 190
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 10, 34


@dataclass
class Series:
    name: str
    values: Sequence[float | None]  # one per run slot; None: no value in that run
    color: str = PALETTE[0]
    flagged: Sequence[bool] = field(default_factory=list)  # runs where this series raised an alert


def percent(value: float) -> str:
    """A share as a whole percentage.

    >>> percent(0.456)
    '46%'
    """
    return f"{value:.0%}"


def number(value: float) -> str:
    """A count with thousands separators, a small fraction with one decimal.

    >>> number(1234.0), number(2.5)
    ('1,234', '2.5')
    """
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.1f}"


def _nice_max(value: float) -> float:
    """A round top for the y axis.

    >>> _nice_max(0), _nice_max(7), _nice_max(42), _nice_max(0.83)
    (1.0, 10.0, 50.0, 1.0)
    """
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    for mult in (1, 2, 2.5, 5, 10):
        if value <= mult * step:
            return float(mult * step)
    return float(10 * step)


class _Frame:
    """Coordinates of a chart with ``slots`` runs and a y range 0..``top``."""

    def __init__(self, slots: int, top: float, width: int = _W, height: int = _H) -> None:
        self.slots, self.top, self.width, self.height = max(slots, 1), top, width, height
        self.plot_w = width - _LEFT - _RIGHT
        self.plot_h = height - _TOP - _BOTTOM

    def x(self, i: int) -> float:
        return _LEFT + self.plot_w * (i + 0.5) / self.slots

    def y(self, value: float) -> float:
        return _TOP + self.plot_h * (1 - min(value, self.top) / self.top)

    @property
    def slot_w(self) -> float:
        return self.plot_w / self.slots


def _open(title: str, frame: _Frame, css_class: str) -> list[str]:
    e = html.escape
    return [f'<svg class="chart {e(css_class)}" role="img" viewBox="0 0 {frame.width} {frame.height}" '
            f'width="{frame.width}" height="{frame.height}" xmlns="http://www.w3.org/2000/svg">',
            f"<title>{e(title)}</title>"]


def _axes(frame: _Frame, labels: Sequence[str], fmt: Callable[[float], str]) -> list[str]:
    e = html.escape
    out = []
    for frac in (0, 0.5, 1):
        value = frame.top * frac
        y = frame.y(value)
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{frame.width - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{e(fmt(value))}</text>')
    every = max(1, -(-len(labels) // 8))  # at most ~8 labels under the axis
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            out.append(f'<text class="tick" x="{frame.x(i):.1f}" y="{frame.height - _BOTTOM + 16}" '
                       f'text-anchor="middle">{e(label)}</text>')
    return out


def _slot_open(run: str, hrefs: Sequence[str] | None, i: int) -> str:
    e = html.escape
    link = f'<a href="{e(hrefs[i])}">' if hrefs else ""
    return f'<g class="slot" data-run="{e(run)}">{link}'


def _slot_close(hrefs: Sequence[str] | None) -> str:
    return ("</a>" if hrefs else "") + "</g>"


def line_chart(title: str, runs: Sequence[str], labels: Sequence[str], series: Sequence[Series], *,
               top: float | None = None, fmt: Callable[[float], str] = number, css_class: str = "",
               hrefs: Sequence[str] | None = None) -> str:
    """Lines over runs (one per series; broken where a run has no value), a point per value.

    >>> svg = line_chart("t", ["r1", "r2", "r3", "r4"], list("abcd"), [Series("s", [1, 2, None, 3])])
    >>> svg.count('class="slot"'), svg.count('class="point"'), svg.count("<path")
    (4, 3, 1)
    """
    values = [v for s in series for v in s.values if v is not None]
    frame = _Frame(len(runs), top if top is not None else _nice_max(max(values, default=0)))
    e = html.escape
    out = _open(title, frame, css_class) + _axes(frame, labels, fmt)
    for s in series:
        segment: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                out += _path(segment, s.color)
                segment = []
                continue
            segment.append(f"{frame.x(i):.1f},{frame.y(v):.1f}")
        out += _path(segment, s.color)
    for i, run in enumerate(runs):
        out.append(_slot_open(run, hrefs, i))
        for s in series:
            v = s.values[i] if i < len(s.values) else None
            if v is None:
                continue
            flagged = i < len(s.flagged) and s.flagged[i]
            ring = f' stroke="{ALERT}" stroke-width="3"' if flagged else ""
            out.append(f'<circle class="point{" flagged" if flagged else ""}" cx="{frame.x(i):.1f}" '
                       f'cy="{frame.y(v):.1f}" r="{5 if flagged else 3.5}" fill="{s.color}"{ring}>'
                       f"<title>{e(f'{s.name}, run {run}: {fmt(v)}' + (' (drift alert)' if flagged else ''))}"
                       "</title></circle>")
        out.append(_slot_close(hrefs))
    out.append("</svg>")
    return "".join(out)


def _path(points: list[str], color: str) -> list[str]:
    if len(points) < 2:
        return []
    return [f'<path class="line" d="M{" L".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>']


def stacked_bars(title: str, runs: Sequence[str], labels: Sequence[str], series: Sequence[Series], *,
                 fmt: Callable[[float], str] = number, css_class: str = "",
                 hrefs: Sequence[str] | None = None) -> str:
    """One bar per run, stacked by series (zero-height bars still hold their slot).

    >>> svg = stacked_bars("t", ["r1", "r2"], ["a", "b"], [Series("x", [2, 0]), Series("y", [1, None])])
    >>> svg.count('class="slot"'), svg.count('class="bar"')
    (2, 2)
    """
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(runs))]
    frame = _Frame(len(runs), _nice_max(max(totals, default=0)))
    e = html.escape
    out = _open(title, frame, css_class) + _axes(frame, labels, fmt)
    bar_w = max(2.0, min(28.0, frame.slot_w * 0.7))
    for i, run in enumerate(runs):
        out.append(_slot_open(run, hrefs, i))
        base = 0.0
        for s in series:
            v = s.values[i] or 0
            if v <= 0:
                continue
            y_top, y_bottom = frame.y(base + v), frame.y(base)
            out.append(f'<rect class="bar" x="{frame.x(i) - bar_w / 2:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" '
                       f'height="{max(y_bottom - y_top, 0.5):.1f}" fill="{s.color}">'
                       f"<title>{e(f'{s.name}, run {run}: {fmt(v)}')}</title></rect>")
            base += v
        out.append(f'<text class="total" x="{frame.x(i):.1f}" y="{frame.y(base) - 4:.1f}" text-anchor="middle">'
                   f"{e(fmt(totals[i]))}</text>" if len(runs) <= 12 else "")
        out.append(_slot_close(hrefs))
    out.append("</svg>")
    return "".join(out)


def status_grid(title: str, runs: Sequence[str], labels: Sequence[str], rows: Sequence[tuple[str, Sequence[bool | None]]],
                *, hrefs: Sequence[str] | None = None, css_class: str = "") -> str:
    """A check × run grid: green passed, red failed, blank not run; each row ends with its pass rate.

    >>> svg = status_grid("t", ["r1", "r2"], ["a", "b"], [("c1", [True, False]), ("c2", [None, True])])
    >>> svg.count('class="cell pass"'), svg.count('class="cell fail"'), "50%" in svg, "100%" in svg
    (2, 1, True, True)
    """
    e = html.escape
    row_h, name_w, rate_w = 16, 300, 50
    cell = max(16, min(80, 600 // max(len(runs), 1)))  # few runs: wide cells, room for their labels
    width = name_w + cell * max(len(runs), 1) + rate_w
    height = 24 + row_h * len(rows) + 30
    out = [f'<svg class="chart grid {e(css_class)}" role="img" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>']
    for r, (name, outcomes) in enumerate(rows):
        y = 20 + r * row_h
        ran = [o for o in outcomes if o is not None]
        rate = percent(sum(ran) / len(ran)) if ran else "–"
        out.append(f'<text class="tick" x="{name_w - 6}" y="{y + 12}" text-anchor="end">{e(name)}</text>')
        out.append(f'<text class="tick" x="{width - rate_w + 6}" y="{y + 12}">{e(rate)}</text>')
    for i, run in enumerate(runs):
        out.append(_slot_open(run, hrefs, i))
        for r, (name, outcomes) in enumerate(rows):
            outcome = outcomes[i] if i < len(outcomes) else None
            if outcome is None:
                continue
            state = "pass" if outcome else "fail"
            out.append(f'<rect class="cell {state}" x="{name_w + i * cell + 1}" y="{20 + r * row_h + 1}" '
                       f'width="{cell - 2}" height="{row_h - 2}" rx="2">'
                       f"<title>{e(f'{name}, run {run}: {state}ed')}</title></rect>")
        out.append(_slot_close(hrefs))
    every = -(-80 // cell)  # a label needs ~80 px
    for i, label in enumerate(labels):
        if i % every == 0:
            out.append(f'<text class="tick" x="{name_w + i * cell + cell / 2}" y="{height - 8}" '
                       f'text-anchor="middle">{e(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def legend(series: Sequence[Series]) -> str:
    """An HTML legend for the series of a chart (outlet names are text, escaped)."""
    e = html.escape
    return '<p class="legend">' + " ".join(
        f'<span><i style="background:{s.color}"></i>{e(s.name)}</span>' for s in series) + "</p>"
