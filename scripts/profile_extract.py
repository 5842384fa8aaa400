#!/usr/bin/env python3
"""Per-article extraction cost (``transforms.article.build_rows``) and an exact-output snapshot check.

Parses the seed pages plus N SaudiNewsNet dev-corpus articles (``--all``: every SaudiNewsNet and every ANT
article of ``../shared/corpora``, read through ``scripts/corpora.py``), runs ``build_rows`` on each with a
fixed ``ingested_at``, and then any of:

* ``--snapshot FILE``: write every output (article row minus ``ingested_at``, quote, mention and entity rows,
  and the text forms that search and story linking derive from the article: see ``text_forms``) as JSON
  lines, one per record, plus one line of search-index settings, to compare before/after a change;
* ``--compare FILE``: diff the current outputs against such a snapshot and report every difference;
* ``--bench``: ms per article (best of ``--repeat`` timed passes, after one warm-up) and a cProfile top 25.

    .venv/bin/python scripts/profile_extract.py --all --snapshot /tmp/extract_before.jsonl
    .venv/bin/python scripts/profile_extract.py --all --compare /tmp/extract_before.jsonl
    .venv/bin/python scripts/profile_extract.py --n 3000 --bench
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

from flows import search  # noqa: E402
from scripts import corpora  # noqa: E402
from transforms.article import build_rows  # noqa: E402
from transforms.features import arabic_share  # noqa: E402
from transforms.formats import Limits, parse_file  # noqa: E402
from transforms.normalize import match_key, normalize_for_search  # noqa: E402
from transforms.stories import stem  # noqa: E402
from transforms.types import Quarantined  # noqa: E402

INGESTED_AT = datetime(2020, 1, 1, tzinfo=UTC)
REFERENCE: date | None = None
# Typed queries besides the headlines (which stand in for real ones): spelling variants the folding must join.
QUERIES = ("الاتفاق حول سوريا", "الإتفاق حول سورية", "الرئيس الأمريكي", "الرئيس الامريكيه", "وزير الخارجية الروسي",
           "بوتين", "مجلس الأمن", "الأمم المتحدة", "أسعار النفط", "هيئة كبار العلماء", "٢٠١٦ سبتمبر", "الـسـعـوديـة")


def load_records(n: int | None, corpus: Path = corpora.SAUDINEWSNET, ant: bool = False) -> list:
    """The seed pages, then up to ``n`` SaudiNewsNet records (zips in name order; ``None``: all of them), then
    with ``ant`` every ANT record as the one-object JSON file a landing folder would hold."""
    recs = []
    for p in sorted((ROOT / "seeds" / "raw").glob("*.txt")):
        recs.extend(parse_file(p.name, p.read_bytes(), Limits()).records)
    limit = len(recs) + n if n is not None else None
    for z in corpora.snn_zips(corpus):
        if limit is not None and len(recs) >= limit:
            break
        recs.extend(parse_file(z.name, z.read_bytes(), Limits()).records)
    recs = recs[:limit]
    if ant:
        for key, rec in corpora.ant():
            recs.extend(parse_file(key, corpora.landing_bytes(rec), Limits()).records)
    return recs


def _jsonable(x):
    if isinstance(x, datetime | date):
        return x.isoformat()
    raise TypeError(type(x))


def run_all(recs: list) -> list:
    return [build_rows(r, "run", INGESTED_AT, REFERENCE) for r in recs]


def text_forms(article: dict, quote_rows: list[dict]) -> dict:
    """What the steps after extraction derive from an article's text: the search form of its headline (as
    the index stores it and as a query of the same words is folded), the light stems story vectors and quote
    links count, the quotes' match keys and the body's Arabic share (a data-quality column)."""
    headline = article["headline"] or ""
    lead = (article["body_norm"] or "").split(" ")[:60]
    return {"search_headline": search.search_form(headline),
            "stems": [stem(w) for w in normalize_for_search(headline).split() + lead],
            "quote_keys": [match_key(normalize_for_search(q["text"])) for q in quote_rows],
            "arabic_share": arabic_share(article["body"])}


def search_settings() -> str:
    """One line: what the search index is a function of (a change rebuilds every warehouse's index) and the
    search form of a few typed queries."""
    doc = {"key": "search settings", "fingerprint": search.index_fingerprint(),
           "queries": {q: search.search_form(q) for q in QUERIES}}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def serialise(rec, out) -> str:
    """One record's outputs as a JSON line (stable key order)."""
    key = f"{rec.source_file}#{rec.source_record}"
    if isinstance(out, Quarantined):
        doc = {"key": key, "quarantined": [out.reason_code, out.detail]}
    else:
        article, quote_rows, mention_rows, entity_rows = out
        forms = text_forms(article, quote_rows)
        article = {k: v for k, v in article.items() if k != "ingested_at"}
        doc = {"key": key, "article": article, "quotes": quote_rows, "mentions": mention_rows,
               "entities": entity_rows, "forms": forms}
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
    ap.add_argument("--n", type=int, default=3000, help="SaudiNewsNet records (the 5 seeds are added)")
    ap.add_argument("--all", action="store_true", help="every SaudiNewsNet and every ANT record (ignores --n)")
    ap.add_argument("--corpus", type=Path, default=corpora.SAUDINEWSNET)
    ap.add_argument("--snapshot", type=Path, help="write outputs as JSON lines to this file")
    ap.add_argument("--compare", type=Path, help="diff outputs against this snapshot")
    ap.add_argument("--bench", action="store_true", help="time build_rows and print a cProfile top 25")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    recs = load_records(None if args.all else args.n, args.corpus, ant=args.all)
    print(f"{len(recs)} records")
    rc = 0
    if args.snapshot or args.compare:
        t = time.perf_counter()
        lines = [serialise(r, o) for r, o in zip(recs, run_all(recs), strict=True)] + [search_settings()]
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
