#!/usr/bin/env python3
"""Tools behind khabar's story thresholds (dev corpus only; nothing here runs in the pipeline).

    .venv/bin/python scripts/label_pairs.py background          # rebuild seeds/stories.json → background
    .venv/bin/python scripts/label_pairs.py candidates [N]      # print candidate pairs to label by reading
    .venv/bin/python scripts/label_pairs.py evaluate            # precision/recall on tests/data/story_pairs.json

The dev corpus is read in place (../shared/corpora/saudinewsnet-dev/*.zip), never copied.
"""
from __future__ import annotations

import json
import random
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.normalize import normalize_for_search  # noqa: E402
from transforms.seeds import SEEDS_DIR  # noqa: E402
from transforms.stories import StoryDoc, assign_stories, background_df, pair_evidence  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet-dev"
SEEDS = SEEDS_DIR / "stories.json"
PAIRS = ROOT / "tests" / "data" / "story_pairs.json"
MIN_DF = 8  # stems rarer than this in the background behave as unseen (idf near the maximum)


def read_corpus(corpus: Path = CORPUS) -> list[dict]:
    """Every record of the dev corpus, with its (zip, url) identity, body_norm and headline_norm."""
    out = []
    for z in sorted(corpus.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                for rec in json.loads(zf.read(name).decode("utf-8")):
                    rec["zip"] = z.name
                    rec["body_norm"] = normalize_for_search(rec.get("content") or "")
                    rec["headline_norm"] = normalize_for_search(rec.get("title") or "")
                    out.append(rec)
    return out


def story_docs(recs: list[dict]) -> list[StoryDoc]:
    return [StoryDoc(article_id=f"{r['zip']}|{r['url']}", body_norm=r["body_norm"],
                     published_date=date.fromisoformat(r["date_extracted"][:10]), outlet=r["source"],
                     headline_norm=r["headline_norm"]) for r in recs]


def dump_config(cfg: dict) -> str:
    """seeds/stories.json as text: readable sections, the background table on one line."""
    parts = []
    for key, value in cfg.items():
        if key == "background":
            inner = ",\n".join([f'  "_doc": {json.dumps(value["_doc"], ensure_ascii=False)}',
                                 f'  "docs": {value["docs"]}',
                                 '  "df": ' + json.dumps(value["df"], ensure_ascii=False, separators=(",", ":"))])
            parts.append(f' "background": {{\n{inner}\n }}')
        else:
            parts.append(f" {json.dumps(key)}: " + json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n "))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def cmd_background(recs: list[dict]) -> None:
    n, df = background_df(f"{r['headline_norm']} {' '.join(r['body_norm'].split(' ')[:50])}" for r in recs)
    cfg = json.loads(SEEDS.read_text(encoding="utf-8"))
    kept = dict(sorted(((t, c) for t, c in df.items() if c >= MIN_DF), key=lambda kv: (-kv[1], kv[0])))
    cfg["background"] = {"_doc": f"document frequency of light stems over headline + first 50 words of "
                                 f"the saudinewsnet dev corpus; stems with df < {MIN_DF} are left out",
                         "docs": n, "df": kept}
    SEEDS.write_text(dump_config(cfg), encoding="utf-8")
    print(f"{n} docs, {len(kept)} stems kept of {len(df)}")


def cmd_candidates(recs: list[dict], n: int) -> None:
    docs = story_docs(recs)
    ev = pair_evidence(docs)
    random.seed(7)
    random.shuffle(ev)
    for e in ev[:n]:
        ra, rb = recs[e.i], recs[e.j]
        print(f"--- cos={e.cos:.2f} gap={e.gap} {ra['source']} / {rb['source']}")
        print("A", ra["zip"], ra["url"], "|", ra["title"], "|", ra["body_norm"][:300])
        print("B", rb["zip"], rb["url"], "|", rb["title"], "|", rb["body_norm"][:300])


def cmd_evaluate(recs: list[dict]) -> None:
    labels = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    t = time.perf_counter()
    stories = assign_stories(story_docs(recs))
    print(f"assign_stories {time.perf_counter() - t:.2f}s")
    tp = fp = fn = tn = 0
    for p in labels:
        a, b = (f"{x['zip']}|{x['url']}" for x in (p["a"], p["b"]))
        pred = stories[a] == stories[b]
        if p["same_story"]:
            tp, fn = tp + pred, fn + (not pred)
        else:
            fp, tn = fp + pred, tn + (not pred)
        if pred != p["same_story"]:
            print("WRONG", p["same_story"], p["a"]["title"], "|", p["b"]["title"])
    print(f"precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f} (tp {tp} fp {fp} fn {fn} tn {tn})")


def main(argv: list[str]) -> int:
    recs = read_corpus()
    if argv[:1] == ["background"]:
        cmd_background(recs)
    elif argv[:1] == ["candidates"]:
        cmd_candidates(recs, int(argv[1]) if len(argv) > 1 else 50)
    elif argv[:1] == ["evaluate"]:
        cmd_evaluate(recs)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
