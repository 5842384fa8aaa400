#!/usr/bin/env python3
"""Compare khabar's Arabic date parser with ``dateparser.search.search_dates(text, languages=['ar'])``.

(a) the labelled strings of ``tests/data/date_cases.json`` (each with the expected ISO date, or null where no
    publication-usable day is written: month-year only, impossible dates, no date). A method's answer is the
    first full date it finds; "any" variants count a hit when *any* returned date is the expected one.
(b) the dev corpus (``../shared/corpora/saudinewsnet-dev``): a seeded sample of articles whose first 300
    characters contain a 4-digit year (a filter neither method controls); each method's first full date in
    those 300 characters is compared with the crawl date ``date_extracted``: a hit is within 2 days. This is
    a loose check (articles also mention other dates up top), equally loose for both methods.

    .venv/bin/python scripts/compare_dates.py [--articles 500] [--seed 13]

dateparser runs twice: with its defaults (it fills missing parts from today) and with
``REQUIRE_PARTS=['day','month','year']`` (only complete dates), the fairer setting for this task.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.dates import find_dates, resolve_publication_date  # noqa: E402
from transforms.normalize import fold_arabic  # noqa: E402

CASES = ROOT / "tests" / "data" / "date_cases.json"
CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet-dev"
_YEAR = re.compile(r"(?<!\d)(?:19|20|13|14)\d\d(?!\d)")

Method = Callable[[str], list[date]]


def ours_find(text: str) -> list[date]:
    return [m.date for m in find_dates(text) if m.precision == "day"]


def ours_resolve(text: str) -> list[date]:
    r = resolve_publication_date(text, None, None)
    return [r.published_date] if r.published_date else []


def _dateparser(settings: dict | None) -> Method:
    from dateparser.search import search_dates

    def run(text: str) -> list[date]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = search_dates(text, languages=["ar"], settings=settings) or []
            except Exception:  # dateparser raises on some inputs (e.g. year 0); count as no answer
                found = []
        out = []
        for _, dt in found:
            if isinstance(dt, datetime):
                out.append(dt.date())
        return out

    return run


METHODS: list[tuple[str, Method]] = [
    ("khabar find_dates", ours_find),
    ("khabar resolve_publication_date", ours_resolve),
    ("dateparser (defaults)", _dateparser(None)),
    ("dateparser (REQUIRE_PARTS d/m/y)", _dateparser({"REQUIRE_PARTS": ["day", "month", "year"]})),
]


def _timed(fn: Method, texts: list[str]) -> tuple[list[list[date]], float]:
    fn(texts[0])  # warm caches / lazy imports outside the timing
    t0 = time.perf_counter()
    out = [fn(t) for t in texts]
    return out, len(texts) / max(time.perf_counter() - t0, 1e-9)


def labelled() -> list[tuple[str, str, str, str, str]]:
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    texts = [c["text"] for c in cases]
    want = [date.fromisoformat(c["expected"]) if c["expected"] else None for c in cases]
    pos = sum(w is not None for w in want)
    rows = []
    for name, fn in METHODS:
        got, rate = _timed(fn, texts)
        first = sum((g[0] if g else None) == w for g, w in zip(got, want, strict=True))
        first_pos = sum(bool(g) and g[0] == w for g, w in zip(got, want, strict=True) if w is not None)
        anyhit = sum((w in g) if w is not None else not g for g, w in zip(got, want, strict=True))
        rows.append((name, f"{first / len(cases):.1%} ({first}/{len(cases)})",
                     f"{first_pos / pos:.1%}", f"{anyhit / len(cases):.1%}", f"{rate:,.0f}"))
    return rows


def _corpus_sample(n: int, seed: int) -> list[tuple[str, date]]:
    pool: list[tuple[str, date]] = []
    for z in sorted(CORPUS.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for member in zf.namelist():
                for a in json.loads(zf.read(member)):
                    head = (a.get("content") or "")[:300]
                    if _YEAR.search(fold_arabic(head)) and a.get("date_extracted"):
                        pool.append((head, date.fromisoformat(a["date_extracted"][:10])))
    random.Random(seed).shuffle(pool)
    return pool[:n]


def corpus(n: int, seed: int) -> list[tuple[str, str, str, str, str]]:
    sample = _corpus_sample(n, seed)
    texts = [t for t, _ in sample]
    rows = []
    for name, fn in METHODS:
        got, rate = _timed(fn, texts)
        answered = sum(bool(g) for g in got)
        hits = sum(bool(g) and abs((g[0] - crawl).days) <= 2 for g, (_, crawl) in zip(got, sample, strict=True))
        rows.append((name, f"{hits / len(sample):.1%} ({hits}/{len(sample)})",
                     f"{hits / answered:.1%} ({hits}/{answered})" if answered else "-",
                     f"{answered}", f"{rate:,.0f}"))
    return rows


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    n_cases = len(json.loads(CASES.read_text(encoding="utf-8")))
    _table(f"(a) labelled strings: {n_cases} from tests/data/date_cases.json",
           ("method", "accuracy (first date)", "acc. on dated only", "accuracy (any date)", "strings/s"),
           labelled())
    if not any(CORPUS.glob("*.zip")):
        print(f"\n(b) skipped: dev corpus {CORPUS} absent")
        return 0
    _table(f"(b) dev corpus: {args.articles} articles with a year in the first 300 chars, first full date vs "
           "crawl date (±2 days)",
           ("method", "hit rate (all)", "precision (answered)", "answered", "articles/s"),
           corpus(args.articles, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
