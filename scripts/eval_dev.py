#!/usr/bin/env python3
"""khabar on its own labelled articles: a run over them, scored by ../shared/eval/score.py.

    .venv/bin/python scripts/eval_dev.py [--set dev] [--warehouse DIR] [--reuse] [--json]
    .venv/bin/python scripts/eval_dev.py --update-baseline      # after a deliberate change, committed with it

Builds a landing folder of the set's articles (scripts/devset.py), runs the real command line over it, and
scores the warehouse against ``seeds/labels/<set>.gold.json``: all articles, then SaudiNewsNet and ANT
apart. The ``dev`` set is the development test set: report it, never tune on it; ``check`` (40 articles
with quotations, labelled for quotes and speakers only) is a second untouched set for the speaker rules. ``--check`` exits 1 if any
metric of the whole set falls below ``seeds/labels/dev_baseline.json`` (the gate ``tests/test_eval_gate.py``
applies).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import corpora  # noqa: E402

LABELS = corpora.ROOT / "seeds" / "labels"
BASELINE = LABELS / "dev_baseline.json"
SCORER = corpora.SHARED / "eval" / "score.py"
PARTS = {"all": lambda key: True, "snn": lambda key: key.startswith("snn-"), "ant": lambda key: key.startswith("ant-")}


def _score_module():
    spec = importlib.util.spec_from_file_location("khabar_score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build(keys: list[str], warehouse: Path) -> None:
    """Write the articles as a landing folder and run khabar over it into ``warehouse``."""
    with tempfile.TemporaryDirectory(prefix="khabar-eval-") as tmp:
        landing = Path(tmp) / "landing"
        corpora.write_landing(keys, landing)
        proc = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--landing", str(landing),
                               "--warehouse", str(warehouse)],
                              cwd=corpora.ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"khabar run failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-4000:]}")


def score(warehouse: Path, gold: dict) -> dict[str, dict[str, float]]:
    """score.py's metrics for each part of the set, as {part: {metric: value}}."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="khabar-gold-") as tmp:
        for part, keep in PARTS.items():
            subset = {"articles": {k: v for k, v in gold["articles"].items() if keep(k)}, "stories": {}}
            if not subset["articles"]:
                continue
            path = Path(tmp) / f"{part}.json"
            path.write_text(json.dumps(subset, ensure_ascii=False), encoding="utf-8")
            proc = subprocess.run([sys.executable, str(SCORER), "--warehouse", str(warehouse), "--gold", str(path),
                                   "--json"], capture_output=True, text=True, check=True)
            out[part] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def below_baseline(scores: dict[str, dict[str, float]], baseline: dict[str, dict[str, float]]) -> list[str]:
    """Metrics of the whole set that fell below the committed baseline.

    >>> below_baseline({"all": {"a": 0.5, "b": 0.9}}, {"all": {"a": 0.6, "b": 0.9}})
    ['a 0.500 < baseline 0.600']
    """
    return [f"{metric} {scores['all'].get(metric, 0.0):.3f} < baseline {value:.3f}"
            for metric, value in baseline.get("all", {}).items() if scores["all"].get(metric, 0.0) < value]


def table(scores: dict[str, dict[str, float]]) -> str:
    parts = list(scores)
    metrics = list(scores["all"])
    lines = [f"{'metric':20}" + "".join(f"{p:>8}" for p in parts)]
    for m in metrics:
        lines.append(f"{m:20}" + "".join(f"{scores[p].get(m, float('nan')):8.3f}" for p in parts))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="dev", choices=sorted(p.name.removesuffix(".gold.json")
                                                           for p in LABELS.glob("*.gold.json")),
                    help="a gold file of seeds/labels by its name")
    ap.add_argument("--warehouse", type=Path, help="where to build (default: a temporary folder)")
    ap.add_argument("--reuse", action="store_true", help="score --warehouse as it is, without a run")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="also list score.py's misses (the train set's, to tune)")
    ap.add_argument("--check", action="store_true", help="exit 1 if a metric fell below the committed baseline")
    ap.add_argument("--update-baseline", action="store_true")
    a = ap.parse_args()
    gold = json.loads((LABELS / f"{a.set}.gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="khabar-wh-") as tmp:
        warehouse = a.warehouse or Path(tmp) / "warehouse"
        if not a.reuse:
            build(list(gold["articles"]), warehouse)
        scores = score(warehouse, gold)
        if a.misses:
            subprocess.run([sys.executable, str(SCORER), "--warehouse", str(warehouse), "--gold",
                            str(LABELS / f"{a.set}.gold.json"), "--misses"])
    print(f"khabar on its {a.set} set ({len(gold['articles'])} articles), ../shared/eval/score.py")
    print(table(scores))
    if a.json:
        print(json.dumps(scores, ensure_ascii=False))
    if a.update_baseline:
        if a.set != "dev":
            print("the baseline is the dev set's", file=sys.stderr)
            return 2
        BASELINE.write_text(json.dumps({"all": scores["all"]}, indent=1) + "\n", encoding="utf-8")
        print(f"baseline -> {BASELINE}")
    if a.check and BASELINE.exists():
        drops = below_baseline(scores, json.loads(BASELINE.read_text(encoding="utf-8")))
        for d in drops:
            print(f"below baseline: {d}", file=sys.stderr)
        return 1 if drops else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
