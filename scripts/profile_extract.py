#!/usr/bin/env python3
"""Per-article extraction cost (``transforms.article.build_rows``) and an exact-output snapshot check.

Parses N dev-corpus articles plus the seed pages, runs ``build_rows`` on each with a fixed ``ingested_at``,
and then any of:

* ``--snapshot FILE``: write every output (article row minus ``ingested_at``, quote, mention and entity rows)
  as JSON lines, one per record, to compare before/after an optimisation;
* ``--compare FILE``: diff the current outputs against such a snapshot and report every difference;
* ``--bench``: ms per article (best of ``--repeat`` timed passes, after one warm-up) and a cProfile top 25.

    .venv/bin/python scripts/profile_extract.py --n 3000 --snapshot /tmp/extract_before.jsonl
    .venv/bin/python scripts/profile_extract.py --n 3000 --compare /tmp/extract_before.jsonl --bench
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.article import build_rows  # noqa: E402
from transforms.formats import Limits, parse_file  # noqa: E402
from transforms.types import Quarantined  # noqa: E402

CORPUS = Path("/work/shared/corpora/saudinewsnet-dev")
INGESTED_AT = datetime(2020, 1, 1, tzinfo=UTC)
REFERENCE: date | None = None


def load_records(n: int, corpus: Path) -> list:
    """The seed pages, then up to ``n`` corpus records (zips in name order)."""
    recs = []
    for p in sorted((ROOT / "seeds" / "raw").glob("*.txt")):
        recs.extend(parse_file(p.name, p.read_bytes(), Limits()).records)
    for z in sorted(corpus.glob("*.zip")):
        if len(recs) >= n + 5:
            break
        recs.extend(parse_file(z.name, z.read_bytes(), Limits()).records)
    return recs[:n + 5]


def _jsonable(x):
    if isinstance(x, datetime | date):
        return x.isoformat()
    raise TypeError(type(x))


def run_all(recs: list) -> list:
    return [build_rows(r, "run", INGESTED_AT, REFERENCE) for r in recs]


def serialise(rec, out) -> str:
    """One record's outputs as a JSON line (stable key order)."""
    key = f"{rec.source_file}#{rec.source_record}"
    if isinstance(out, Quarantined):
        doc = {"key": key, "quarantined": [out.reason_code, out.detail]}
    else:
        article, quote_rows, mention_rows, entity_rows = out
        article = {k: v for k, v in article.items() if k != "ingested_at"}
        doc = {"key": key, "article": article, "quotes": quote_rows, "mentions": mention_rows,
               "entities": entity_rows}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, default=_jsonable)


def compare(lines: list[str], path: Path, show: int = 10) -> int:
    """Number of records whose outputs differ from the snapshot (details of the first ``show`` printed)."""
    old = path.read_text(encoding="utf-8").splitlines()
    diffs = 0
    if len(old) != len(lines):
        print(f"record count differs: snapshot {len(old)} now {len(lines)}")
        diffs += 1
    for a, b in zip(old, lines, strict=False):
        if a == b:
            continue
        diffs += 1
        if diffs <= show:
            da, db = json.loads(a), json.loads(b)
            print(f"DIFF {da['key']}")
            for k in sorted(set(da) | set(db)):
                if da.get(k) != db.get(k):
                    print(f"  {k}:\n    before {json.dumps(da.get(k), ensure_ascii=False)[:600]}\n"
                          f"    after  {json.dumps(db.get(k), ensure_ascii=False)[:600]}")
    print(f"{diffs} differing records out of {len(lines)}")
    return diffs


def bench(recs: list, repeat: int) -> None:
    # Warm-up pass fills per-process caches (reference data, per-word caches) as a long run would.
    run_all(recs)
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        run_all(recs)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    ms = lambda xs: ", ".join(f"{1000 * x / len(recs):.3f}" for x in xs)  # noqa: E731
    print(f"build_rows: {1000 * min(times) / len(recs):.3f} ms/article wall, best of {repeat} ({ms(times)}); "
          f"CPU {1000 * min(cpu) / len(recs):.3f} ({ms(cpu)}) over {len(recs)} records")
    prof = cProfile.Profile()
    prof.enable()
    run_all(recs)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(25)
    print(s.getvalue())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="corpus records (the 5 seeds are added)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--snapshot", type=Path, help="write outputs as JSON lines to this file")
    ap.add_argument("--compare", type=Path, help="diff outputs against this snapshot")
    ap.add_argument("--bench", action="store_true", help="time build_rows and print a cProfile top 25")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    recs = load_records(args.n, args.corpus)
    print(f"{len(recs)} records")
    rc = 0
    if args.snapshot or args.compare:
        t = time.perf_counter()
        lines = [serialise(r, o) for r, o in zip(recs, run_all(recs), strict=True)]
        print(f"first pass (cold caches): {1000 * (time.perf_counter() - t) / len(recs):.3f} ms/article")
        if args.snapshot:
            args.snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"snapshot written: {args.snapshot}")
        if args.compare:
            rc = 1 if compare(lines, args.compare) else 0
    if args.bench:
        bench(recs, args.repeat)
    return rc


if __name__ == "__main__":
    sys.exit(main())
