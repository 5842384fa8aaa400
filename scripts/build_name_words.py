#!/usr/bin/env python3
"""Generate seeds/entities/name_words.json: words of persons' names as Arabic writes them, foreign ones above all.

    .venv/bin/python scripts/build_name_words.py SOURCE_GIT_DIR

SOURCE_GIT_DIR is a clone (a bare git directory will do) of github.com/MohamedHadjAmeur/ANETAC: 79,924
English-Arabic named-entity pairs (PERSON, LOCATION, ORGANIZATION) taken from parallel translation corpora
(Hadj Ameur, Meziane and Guessoum 2017). Its persons' Arabic words are the transliterations Arabic news uses
for foreign names (كوفاتش، غولن، باميلا), the names an entity model trained on a few thousand sentences has
mostly never seen. The entity model reads membership of this list as one feature among others; it is no
gazetteer of persons.

A transliteration dataset also holds Arabic words that a foreign name happens to spell (سفير، ساهم، غارات), so
the script drops a word that:

* is a particle, a verb, a title, an organisation head or a nationality of the reference lists;
* is a one-word place or organisation of the reference lists (a country's name is not a person's word);
* the public NER corpora tag mostly as no entity (twice or more; ANERcorp's test sixth is not read);
* the shared news corpora write with the definite article at least a tenth as often as without it (names
  rarely take ال: السفير is a noun, no one writes الكوفاتش).

The committed JSON is what runs; this script only regenerates it (the corpora are read in place).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import corpora  # noqa: E402
from scripts.train_ner import NER, anercorp_parts, read_conll  # noqa: E402
from transforms.arabic.chars import ARABIC_BLOCK  # noqa: E402
from transforms.arabic.fold import fold_word  # noqa: E402
from transforms.entities.reference import folded_words, reference  # noqa: E402
from transforms.seeds import SEEDS_DIR  # noqa: E402

OUT = SEEDS_DIR / "entities" / "name_words.json"
SOURCE_FILE = "EN-AR NE/EN-AR Named-entities.txt"
MIN_LETTERS = 3
DEFINITE_SHARE = 0.1  # ال + word at least this often, relative to the bare word: an ordinary noun
DEFINITE_MIN = 3
_ARABIC_WORD = re.compile(f"^[{ARABIC_BLOCK}]+$")
_WORDS = re.compile(f"[{ARABIC_BLOCK}]+")
_NER_FILES = ("aqmar_train.txt", "aqmar_dev.txt", "aqmar_test.txt", "wojood_sample_train.txt",
              "wojood_sample_val.txt", "wojood_sample_test.txt")


def anetac_person_words(repo: Path) -> set[str]:
    """The folded Arabic words of ANETAC's PERSON rows (``PERSON <english> <arabic>`` per line)."""
    text = subprocess.run(["git", "--git-dir", str(repo), "show", f"HEAD:{SOURCE_FILE}"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    words = set()
    for line in text.splitlines():
        kind, _, rest = line.partition(" ")
        if kind != "PERSON":
            continue
        _, _, arabic = rest.partition(" ")
        for word in arabic.replace("\u0640", "").split():
            if _ARABIC_WORD.match(word):
                words.add(fold_word(word))
    return words


def mostly_plain_words() -> set[str]:
    """Words the public NER corpora tag as no entity in most of their (two or more) occurrences."""
    plain, seen = Counter(), Counter()
    sents = anercorp_parts()[0] + [s for name in _NER_FILES for s in read_conll(NER / name)]
    for sent in sents:
        for token, tag in sent:
            f = fold_word(token)
            seen[f] += 1
            plain[f] += tag == "O"
    return {w for w, n in plain.items() if n >= 2 and n * 2 > seen[w]}


def corpus_counts() -> Counter[str]:
    """Folded word counts of the shared news corpora's article texts."""
    counts: Counter[str] = Counter()
    for source in (corpora.saudinewsnet(), corpora.ant()):
        for _, rec in source:
            counts.update(_WORDS.findall(rec.get("content") or ""))
    folded: Counter[str] = Counter()
    for word, n in counts.items():
        folded[fold_word(word)] += n
    return folded


def reference_words() -> set[str]:
    """Words that the reference lists already class: particles, verbs, titles, heads, one-word places and orgs."""
    ref = reference()
    words = set(ref.stop | ref.verbs | ref.titles.keys() | ref.org_heads | ref.place_heads | ref.nationality)
    for first, names in ref.gaz.items():
        if any(len(key) == 1 and entry.etype != "PERSON" for key, entry in names):
            words.add(first)
    return words


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    words = {w for w in anetac_person_words(Path(sys.argv[1])) if len(w) >= MIN_LETTERS}
    counts = corpus_counts()
    definite = {w for w in words if counts["ال" + w] >= DEFINITE_MIN and counts["ال" + w] >= DEFINITE_SHARE * counts[w]}
    dropped = reference_words() | mostly_plain_words() | definite
    kept = sorted(words - dropped)
    assert all(folded_words(w) == (w,) for w in kept)
    OUT.write_text(json.dumps({
        "_doc": "Folded words of persons' names as Arabic writes them, foreign names above all (غولن، كوفاتش، باميلا): "
                "a feature of the entity model (transforms/entities/model.py), not a list of persons. Generated by "
                "scripts/build_name_words.py from ANETAC's PERSON transliterations, minus ordinary words; see SOURCES.md.",
        "words": kept}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(kept)} words -> {OUT} ({len(words)} in the source, {len(words & dropped)} dropped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
