#!/usr/bin/env python3
"""Throughput of the pieces the pipeline is built from, over the dev corpus (part of ``make bench``).

Timings are measurements, so they live here and not in the test suite (where a loaded CI machine makes
them flaky); each line shows the measured figure beside the budget it is expected to stay within on this
2-core machine, and the script exits 1 if any is over, so a regression is visible when benchmarking.

    .venv/bin/python scripts/bench_components.py [--corpus DIR]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.dates import find_dates  # noqa: E402
from transforms.dedup import DupDoc, near_duplicates  # noqa: E402
from transforms.formats import parse_file  # noqa: E402
from transforms.normalize import normalize_for_search  # noqa: E402
from transforms.stories import QuoteDoc, StoryDoc, assign_stories, link_quotes  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet-dev"
QUOTE = re.compile(r"“([^“”«»]{10,400})”|«([^“”«»]{10,400})»")


def _records(corpus: Path) -> list[dict]:
    out: list[dict] = []
    for z in sorted(corpus.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                for rec in json.loads(zf.read(name)):
                    rec["zip"] = z.name
                    out.append(rec)
    return out


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    zips = sorted(args.corpus.glob("*.zip"))
    if not zips:
        print(f"no corpus at {args.corpus}")
        return 2
    recs = _records(args.corpus)
    norms = [normalize_for_search(r.get("content") or "") for r in recs]
    rows: list[tuple[str, float, float, str]] = []  # (what, measured, budget, unit): lower is better

    first_day = [r for r in recs if r["zip"] == zips[0].name]
    heads = [r["content"][:300] for r in first_day]
    best = min(_timed(lambda: [find_dates(h) for h in heads]) for _ in range(3))
    rows.append(("find_dates, article heads (texts/s, best of 3)", len(heads) / best, 5000, "min"))
    cases = json.loads((ROOT / "tests" / "data" / "date_cases.json").read_text(encoding="utf-8"))
    short = [c["text"] for c in cases] * 40
    find_dates(short[0])
    rows.append(("find_dates, short labelled texts (texts/s)", len(short) / _timed(lambda: [find_dates(t) for t in short]),
                 5000, "min"))
    worst_zip = max(_timed(lambda z=z: parse_file(z.name, z.read_bytes())) for z in zips[:3])
    rows.append(("parse_file, one corpus zip (s, worst of 3)", worst_zip, 1.0, "max"))
    dups = [DupDoc(f"{r['zip']}#{i:05d}", n, (r.get("date_extracted") or "",)) for i, (r, n) in enumerate(zip(recs, norms, strict=True))]
    rows.append(("near_duplicates, whole corpus (s)", _timed(lambda: near_duplicates(dups)), 10, "max"))
    docs = [StoryDoc(f"{r['zip']}|{r['url']}", n, date.fromisoformat(r["date_extracted"][:10]), r["source"],
                     headline_norm=normalize_for_search(r.get("title") or "")) for r, n in zip(recs, norms, strict=True)]
    rows.append(("assign_stories, whole corpus (s)", _timed(lambda: assign_stories(docs)), 10, "max"))
    quotes = [QuoteDoc(f"{i}:{k}", d.article_id, q) for i, d in enumerate(docs)
              for k, q in enumerate(a or b for a, b in QUOTE.findall(d.body_norm)) if len(q.split()) >= 4]
    sample = random.Random(3).sample(quotes, min(6000, len(quotes)))
    rows.append(("link_quotes, 6000 quotes (s)", _timed(lambda: link_quotes(sample)), 5, "max"))
    rows.append(("validate_batch, whole corpus articles (s)", _validate_seconds(recs), 15, "max"))

    over = 0
    print(f"{'component':<46} {'measured':>10} {'budget':>8}")
    for what, value, budget, kind in rows:
        ok = value >= budget if kind == "min" else value <= budget
        over += not ok
        print(f"{what:<46} {value:>10.2f} {('≥ ' if kind == 'min' else '≤ ') + str(budget):>8}  {'ok' if ok else 'OVER'}")
    return 1 if over else 0


def _validate_seconds(recs: list[dict]) -> float:
    import pandas as pd  # the checks' own dependency; imported here so the other rows do not pay for it

    from flows.quality import validate_batch

    articles = pd.DataFrame([{"article_id": r["url"], "headline": r["title"], "body": r["content"],
                              "published_date": r["date_extracted"][:10], "date_source": "feed",
                              "published_at": r["date_extracted"] + "+00:00", "language": "ar",
                              "word_count": len(r["content"].split())} for r in recs])
    with tempfile.TemporaryDirectory() as tmp:
        return _timed(lambda: validate_batch({"articles": articles}, "bench", Path(tmp),
                                             now=datetime(2026, 3, 1, 12, 0, tzinfo=UTC)))


if __name__ == "__main__":
    sys.exit(main())
