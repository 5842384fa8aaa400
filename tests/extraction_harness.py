#!/usr/bin/env python3
"""Dev tool: measure entity and quote extraction against the seed gold, without the rest of the pipeline.

    .venv/bin/python tests/extraction_harness.py [--misses] [--corpus N] [--show K] [--bench]

* gold: each seed file's body is approximated from the raw page (from the line holding the first
  ``body_must_contain`` anchor to the line holding the last one; the real pipeline's segmenter does this
  properly) and scored with the same rules as ``../shared/eval/score.py`` (its ``norm`` is imported).
* ``--corpus N``: N random dev-corpus articles: share of quotes with a resolved speaker, persons per article.
* ``--show K``: print K of those articles' quotes and persons for eyeballing.
* ``--bench``: articles/s for entities+quotes over the sample.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.entities import extract_entities  # noqa: E402
from transforms.quotes import extract_quotes  # noqa: E402

SHARED = ROOT.parent / "shared"
GOLD = SHARED / "labels" / "seeds.gold.json"
SCORER = SHARED / "eval" / "score.py"
CORPUS = SHARED / "corpora" / "saudinewsnet-dev"


def _scorer():
    spec = importlib.util.spec_from_file_location("khabar_score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def approx_body(raw: str, anchors: list[str], norm) -> str:
    """The lines of the page from the first anchor's line to the last anchor's line, blank-line separated."""
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    idx = [next(i for i, ln in enumerate(lines) if norm(a) in norm(ln)) for a in anchors]
    return "\n\n".join(lines[min(idx):max(idx) + 1])


def score_seeds(show_misses: bool) -> dict[str, float]:
    sc = _scorer()
    norm = sc.norm
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    hit: dict[str, int] = {}
    tot: dict[str, int] = {}
    misses: list[str] = []

    def add(metric: str, ok: bool, what: str = "") -> None:
        tot[metric] = tot.get(metric, 0) + 1
        hit[metric] = hit.get(metric, 0) + bool(ok)
        if not ok:
            misses.append(f"{metric}: {what}")

    for name, g in gold["articles"].items():
        raw = (ROOT / "seeds" / "raw" / name).read_text(encoding="utf-8")
        body = approx_body(raw, g["body_must_contain"], norm)
        mentions, ents = extract_entities(body)
        quotes = extract_quotes(body, mentions)
        for m in mentions:
            assert body[m.char_start:m.char_end] == m.surface
        got = [(norm(q.text) or "", norm(q.speaker) or "") for q in quotes]
        matched = set()
        for q in g.get("quotes", []):
            want = norm(q["starts_with"])
            idx = next((i for i, (t, _) in enumerate(got) if t.startswith(want) or
                        (len(want.split()) >= 3 and want in t)), None)
            if idx is not None:
                matched.add(idx)
            if q.get("optional"):
                continue
            add("quote_recall", idx is not None, f"{name}: missed {q['starts_with']!r}")
            if idx is not None:
                add("quote_speaker", bool(got[idx][1]) and norm(q["speaker"]) in got[idx][1],
                    f"{name}: {q['starts_with']!r} want {q['speaker']!r} got {quotes[idx].speaker!r}")
        not_quotes = {norm(x) for x in g.get("not_quotes", [])}
        for i, (t, _) in enumerate(got):
            if i in matched:
                add("quote_precision", True)
            elif t in not_quotes or len(t.split()) >= 3:
                add("quote_precision", False, f"{name}: spurious {quotes[i].text[:70]!r}")
        by_ent: dict[str, set[str]] = {}
        types = {e.entity_id: e.entity_type for e in ents}
        for e in ents:
            by_ent[e.entity_id] = {norm(x) for x in [e.canonical_name, *e.aliases] if x}
        for m in mentions:
            by_ent[m.entity_id].add(norm(m.surface))
        for kind, etype in (("persons", "PERSON"), ("places", "PLACE"), ("orgs", "ORG")):
            extracted = [forms for eid, forms in by_ent.items() if types[eid] == etype]
            gold_forms = [{norm(x) for x in [e["name"], *e["aliases"]]} for e in g.get(kind, [])]
            for e, forms in zip(g.get(kind, []), gold_forms, strict=True):
                add(f"{kind}_recall", any(forms & x for x in extracted), f"{name}: missed {e['name']}")
            if kind == "persons":
                for x in extracted:
                    add("persons_precision", any(forms & x for forms in gold_forms),
                        f"{name}: spurious person {sorted(x)[:2]}")
    out = {k: hit[k] / tot[k] for k in tot}
    for k in tot:
        print(f"{k:18} {out[k]:6.3f}  ({hit[k]}/{tot[k]})")
    if show_misses:
        for m in misses:
            print("   -", m)
    return out


def corpus_sample(n: int, seed: int = 7) -> list[dict]:
    arts: list[dict] = []
    for z in sorted(CORPUS.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for member in zf.namelist():
                if member.endswith(".json"):
                    arts.extend(json.loads(zf.read(member).decode("utf-8")))
    random.Random(seed).shuffle(arts)
    return arts[:n]


def corpus_stats(n: int, show: int, bench: bool) -> None:
    arts = corpus_sample(n)
    bodies = ["\n\n".join(p.strip() for p in (a.get("content") or "").splitlines() if p.strip()) for a in arts]
    nq = nres = nper = 0
    t = time.perf_counter()
    results = []
    for body in bodies:
        mentions, ents = extract_entities(body)
        quotes = extract_quotes(body, mentions)
        results.append((mentions, ents, quotes))
    dt = time.perf_counter() - t
    for (_mentions, ents, quotes) in results:
        nq += len(quotes)
        nres += sum(q.speaker is not None for q in quotes)
        nper += sum(e.entity_type == "PERSON" for e in ents)
    print(f"corpus sample {len(bodies)}: quotes {nq}, with speaker {nres / max(nq, 1):.2%}, "
          f"with entity id {sum(q.speaker_entity_id is not None for r in results for q in r[2]) / max(nq, 1):.2%}, "
          f"persons/article {nper / len(bodies):.2f}")
    if bench:
        print(f"entities+quotes, one core, cold caches: {len(bodies) / dt:.0f} articles/s")
    for body, (_mentions, ents, quotes) in list(zip(bodies, results, strict=True))[:show]:
        print("=" * 80)
        print(body[:600].replace("\n\n", " ¶ "))
        print("PERSONS:", sorted({e.canonical_name for e in ents if e.entity_type == "PERSON"}))
        print("ORGS:", sorted({e.canonical_name for e in ents if e.entity_type == "ORG"})[:15])
        for q in quotes:
            print(f"  Q[{q.speaker}] {q.text[:100]!r}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--corpus", type=int, default=0)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--bench", action="store_true")
    a = ap.parse_args()
    score_seeds(a.misses)
    if a.corpus:
        corpus_stats(a.corpus, a.show, a.bench)


if __name__ == "__main__":
    main()
