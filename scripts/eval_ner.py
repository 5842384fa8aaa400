#!/usr/bin/env python3
"""Entity extraction alone on labelled articles, in process: persons recall and precision, orgs and places recall.

    .venv/bin/python scripts/eval_ner.py --held-out --model /tmp/ner_cv.npz   # the half train_ner.py --cv left out
    .venv/bin/python scripts/eval_ner.py --held-out --reference               # reference matching alone

Scores like ``../shared/eval/score.py`` (an entity is found when one of its gold forms equals, after the
scorer's ``norm``, the canonical name, an alias or a surface of an extracted entity of its type), on the
bodies the pipeline cleans, without a pipeline run. For cross-validation on the training labels only.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import corpora, eval_dev, train_ner  # noqa: E402
from transforms import entities  # noqa: E402
from transforms.article import extract  # noqa: E402
from transforms.entities import GazetteerExtractor, extract_entities, model  # noqa: E402
from transforms.formats import Limits, parse_file  # noqa: E402
from transforms.types import Quarantined  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--held-out", action="store_true", help="only the training articles train_ner.py --cv left out")
    ap.add_argument("--model", type=Path, help="a model file other than the committed one")
    ap.add_argument("--reference", action="store_true", help="reference matching alone (no model)")
    ap.add_argument("--misses", type=int, default=0, help="print up to N misses of each kind")
    a = ap.parse_args()
    gold = json.loads(train_ner.TRAIN_GOLD.read_text(encoding="utf-8"))
    keys = sorted(gold["articles"])
    if a.held_out:
        keys = keys[1::2]
    if a.model:
        table = model._TypeTable(model.unpack(dict(train_ner.np.load(a.model))))
        model._table = lambda: table  # noqa: SLF001 - this script scores another model file
    norm = eval_dev._score_module().norm
    extractor = GazetteerExtractor() if a.reference else None
    if a.reference:  # the pipeline's extraction with reference matching alone
        entities.extract_entities = lambda body, _=None: extract_entities(body, GazetteerExtractor())
    now = datetime(2030, 1, 1, tzinfo=UTC)
    records = [(k, parse_file(k, corpora.landing_bytes(corpora.record(k)), Limits()).records[0]) for k in keys]
    hit: dict[str, list[int]] = {}
    misses: dict[str, list[str]] = {}
    elapsed = 0.0
    done = []
    for key, rec in records:
        ex = extract(rec, None, now)
        if isinstance(ex, Quarantined):
            continue
        done.append(ex.body)
        ents = ex.entities
        art = gold["articles"][key]
        for kind, etype in train_ner.KINDS:
            got = [{norm(x) for x in [e.canonical_name, *e.aliases]} for e in ents if e.entity_type == etype]
            wanted = [{norm(x) for x in [g["name"], *g["aliases"]]} for g in art.get(kind, [])]
            for g, forms in zip(art.get(kind, []), wanted, strict=True):
                ok = any(forms & f for f in got)
                hit.setdefault(f"{kind}_recall", []).append(ok)
                if not ok:
                    misses.setdefault(f"{kind}_recall", []).append(f"{key}: {g['name']}")
            if kind == "persons":
                for f in got:
                    ok = any(forms & f for forms in wanted)
                    hit.setdefault("persons_precision", []).append(ok)
                    if not ok:
                        misses.setdefault("persons_precision", []).append(f"{key}: {sorted(f)[:2]}")
    n = len(done)
    for body in done:  # warm: every word seen once already (a long run's steady state)
        t0 = time.process_time()
        extract_entities(body, extractor)
        elapsed += time.process_time() - t0
    for metric, oks in sorted(hit.items()):
        print(f"{metric:20} {sum(oks) / len(oks):.3f}  ({sum(oks)}/{len(oks)})")
    print(f"entities ms/article  {1000 * elapsed / n:.2f}  (every word seen before, {n} articles)")
    for metric, items in sorted(misses.items()):
        for item in items[:a.misses]:
            print(f"  {metric}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
