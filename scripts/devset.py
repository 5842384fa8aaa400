#!/usr/bin/env python3
"""khabar's own labelled sets: which corpus articles they hold, label sheets, landing folders, checks.

    .venv/bin/python scripts/devset.py select            # (once) seeds/labels/selection.json
    .venv/bin/python scripts/devset.py sheets --set dev --parts 2 --out /tmp/sheets
    .venv/bin/python scripts/devset.py landing --set dev --out /tmp/dev-landing
    .venv/bin/python scripts/devset.py check seeds/labels/dev.gold.json
    .venv/bin/python scripts/devset.py merge --set dev /tmp/parts/dev-*      # folders of <key> files

The articles stay in ``../shared/corpora``; the repository keeps their keys (scripts/corpora.py) and the
gold labels (``seeds/labels/<set>.gold.json``, the format of ``../shared/labels``). ``dev`` is the
development test set: never trained or tuned on. ``train`` is for training and tuning.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import corpora  # noqa: E402

LABELS = corpora.ROOT / "seeds" / "labels"
SELECTION = LABELS / "selection.json"
SEED = 20261202
MIN_CHARS, MAX_CHARS = 300, 7000
# three words or more between a pair of marks of one style
QUOTED = re.compile(r'"[^"\n]*?\w+\s+\w+\s+\w+[^"\n]*"|«[^»\n]*?\w+\s+\w+\s+\w+[^»\n]*»|“[^”\n]*?\w+\s+\w+\s+\w+[^”\n]*”')
SIZES = {"dev": {"snn": 50, "ant": 50}, "train": {"snn": 100, "ant": 110}}


def _scorer():
    spec = importlib.util.spec_from_file_location("khabar_score", corpora.SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _outlet(key: str, rec: dict) -> str:
    return rec.get("source") or key.split("-")[1]


def quoted(body: str) -> bool:
    """The body holds a quotation of three words or more in any style of marks (a set for scoring quotes).

    >>> quoted('وقال إن "الوضع صعب جدا"'), quoted('صحيفة "الحياة" اليوم')
    (True, False)
    """
    return QUOTED.search(body) is not None


def _stratified(items: list[tuple[str, dict]], n: int, rnd: random.Random, taken: set[str],
                only_quoted: bool = False) -> list[str]:
    """n keys spread evenly over outlets (round robin over shuffled per-outlet lists)."""
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for key, rec in items:
        body = rec.get("content") or ""
        if key not in taken and MIN_CHARS <= len(body) <= MAX_CHARS and (not only_quoted or quoted(body)):
            by_outlet[_outlet(key, rec)].append(key)
    pools = [rnd.sample(keys, len(keys)) for _, keys in sorted(by_outlet.items())]
    chosen: list[str] = []
    while len(chosen) < n and any(pools):
        for pool in pools:
            if pool and len(chosen) < n:
                chosen.append(pool.pop())
    return sorted(chosen)


def cmd_select(a: argparse.Namespace) -> int:
    if a.extend:
        return extend_selection(a.extend, a.snn, a.ant, a.quoted)
    if SELECTION.exists():
        print(f"{SELECTION} exists; the sets are fixed once chosen", file=sys.stderr)
        return 2
    rnd = random.Random(SEED)
    snn = list(corpora.saudinewsnet())
    ant = list(corpora.ant())
    taken: set[str] = set()
    out: dict[str, list[str]] = {}
    for name in ("dev", "train"):
        keys = _stratified(snn, SIZES[name]["snn"], rnd, taken) + _stratified(ant, SIZES[name]["ant"], rnd, taken)
        taken.update(keys)
        out[name] = keys
    LABELS.mkdir(parents=True, exist_ok=True)
    SELECTION.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in out.items()})
    return 0


def extend_selection(name: str, n_snn: int, n_ant: int, only_quoted: bool = False) -> int:
    """Add a new set of articles that no existing set holds (the existing sets never change); ``only_quoted``:
    only articles with a quotation (:func:`quoted`), for a set that scores quotes."""
    sets = json.loads(SELECTION.read_text(encoding="utf-8"))
    if name in sets:
        print(f"set {name} exists", file=sys.stderr)
        return 2
    rnd = random.Random(f"{SEED}-{name}")
    taken = {k for keys in sets.values() for k in keys}
    keys = _stratified(list(corpora.saudinewsnet()), n_snn, rnd, taken, only_quoted)
    keys += _stratified(list(corpora.ant()), n_ant, rnd, taken | set(keys), only_quoted)
    sets[name] = keys
    SELECTION.write_text(json.dumps(sets, indent=1) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in sets.items()})
    return 0


def selection(name: str) -> list[str]:
    return json.loads(SELECTION.read_text(encoding="utf-8"))[name]


def sheet(key: str) -> str:
    """One article as a labeller sees it: the record's fields, then its content with numbered lines."""
    rec = corpora.record(key)
    lines = [f"=== {key}"]
    for field in ("url", "source", "date", "date_extracted", "title", "author", "description"):
        if rec.get(field):
            lines.append(f"{field}: {rec[field]}")
    lines.append("content:")
    for i, line in enumerate((rec.get("content") or "").split("\n"), 1):
        lines.append(f"  {i:3}| {line}")
    return "\n".join(lines) + "\n"


def cmd_sheets(a: argparse.Namespace) -> int:
    keys = selection(a.set)
    a.out.mkdir(parents=True, exist_ok=True)
    size = -(-len(keys) // a.parts)
    for p in range(a.parts):
        part = keys[p * size:(p + 1) * size]
        (a.out / f"{a.set}-{p + 1}.txt").write_text("\n".join(sheet(k) for k in part), encoding="utf-8")
        (a.out / f"{a.set}-{p + 1}.keys").write_text("\n".join(part) + "\n", encoding="utf-8")
    print(f"{len(keys)} articles in {a.parts} parts under {a.out}")
    return 0


def cmd_landing(a: argparse.Namespace) -> int:
    keys = selection(a.set) if a.set != "gold" else list(json.loads(a.gold.read_text())["articles"])
    corpora.write_landing(keys, a.out)
    print(f"{len(keys)} files in {a.out}")
    return 0


ENTITY_KEYS = ("persons", "places", "orgs")
REQUIRED = ("headline", "dateline_place", "agency", "author", "published_date", "date_source",
            "body_must_contain", "body_must_not_contain", "quotes", "not_quotes", *ENTITY_KEYS)


def problems(key: str, gold: dict) -> list[str]:
    """What is wrong with one article's labels: missing keys, and strings the article does not hold."""
    norm = _scorer().norm
    rec = corpora.record(key)
    raw = norm(" ".join(str(rec.get(f) or "") for f in ("title", "author", "description", "content")))
    content = norm(rec.get("content") or "")
    out = [f"missing key {k}" for k in REQUIRED if k not in gold]

    def absent(what: str, text: str | None, where: str = raw) -> None:
        if text and norm(text) not in where:
            out.append(f"{what} not in the article: {text!r}")

    for s in gold.get("body_must_contain", []):
        absent("body_must_contain", s, content)
    for s in gold.get("body_must_not_contain", []):
        absent("body_must_not_contain", s, content)
    for q in gold.get("quotes", []):
        absent("quote", q.get("starts_with"), content)
        if not q.get("speaker") and not q.get("optional"):
            out.append(f"quote without speaker: {q.get('starts_with')!r}")
    for kind in ENTITY_KEYS:
        for e in gold.get(kind, []):
            forms = [e.get("name"), *e.get("aliases", [])]
            if not any(f and written(norm(f), raw) for f in forms):
                out.append(f"{kind}: no form of {e.get('name')!r} in the article")
    if gold.get("dateline_place"):
        absent("dateline_place", gold["dateline_place"])
    if gold.get("date_source") not in (None, "explicit", "feed", "relative", "none"):
        out.append(f"bad date_source {gold.get('date_source')!r}")
    return out


def read_labels(paths: list[str]) -> dict[str, dict]:
    """Articles' labels from gold files, or from folders of one ``<key>`` file per article."""
    out: dict[str, dict] = {}
    for path in map(Path, paths):
        if path.is_dir():
            for f in sorted(path.glob("*.json")):
                out[f.name] = json.loads(f.read_text(encoding="utf-8"))
        else:
            out.update(json.loads(path.read_text(encoding="utf-8"))["articles"])
    return out


def written(name: str, text: str) -> bool:
    """The (normalized) name occurs in the text, also as ل + ال… written لل… (للأمم المتحدة: الأمم المتحدة).

    >>> written("الامم المتحده", "قال للامم المتحده")
    True
    """
    return name in text or (name.startswith("ال") and "ل" + name[1:] in text)


def cmd_check(a: argparse.Namespace) -> int:
    bad = 0
    labels = read_labels(a.gold)
    for key, gold in labels.items():
        for p in problems(key, gold):
            print(f"{key}: {p}")
            bad += 1
    print(f"{len(labels)} articles, {bad} problems")
    return 1 if bad else 0


def cmd_merge(a: argparse.Namespace) -> int:
    merged = read_labels(a.parts)
    want = [k for name in a.set.split(",") for k in selection(name)]
    missing = [k for k in want if k not in merged]
    extra = [k for k in merged if k not in want]
    if extra:
        print(f"not in the {a.set} selection: {extra}", file=sys.stderr)
        return 1
    out = LABELS / f"{a.out or a.set}.gold.json"
    out.write_text(json.dumps({"articles": {k: merged[k] for k in want if k in merged}, "stories": {}},
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(merged)} articles -> {out}; missing {len(missing)}: {missing[:10]}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("select")
    s.add_argument("--extend", help="add a new set of this name (e.g. train2) of articles no set holds yet")
    s.add_argument("--snn", type=int, default=0)
    s.add_argument("--ant", type=int, default=0)
    s.add_argument("--quoted", action="store_true", help="only articles with a quotation of 3 words or more")
    s = sub.add_parser("sheets")
    s.add_argument("--set", required=True)
    s.add_argument("--parts", type=int, default=1)
    s.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("landing")
    s.add_argument("--set", required=True, help="a set of selection.json, or gold (with --gold)")
    s.add_argument("--gold", type=Path, help="with --set gold: the articles of this gold file")
    s.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("check")
    s.add_argument("gold", nargs="+", help="gold files, or folders of one <key> file per article")
    s = sub.add_parser("merge")
    s.add_argument("--set", required=True, help="a set of selection.json, or several joined by commas")
    s.add_argument("--out", help="name of the gold file (default: the set's name)")
    s.add_argument("parts", nargs="+")
    a = ap.parse_args()
    return {"select": cmd_select, "sheets": cmd_sheets, "landing": cmd_landing, "check": cmd_check,
            "merge": cmd_merge}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
