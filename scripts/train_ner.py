#!/usr/bin/env python3
"""Train the entity model (``make train``), score it on ANERcorp's test sixth, cross-validate on the labels.

    .venv/bin/python scripts/train_ner.py                  # train on everything, write seeds/models/ner.npz
    .venv/bin/python scripts/train_ner.py --score          # ANERcorp test-sixth span F1 of the committed model
    .venv/bin/python scripts/train_ner.py --cv             # train without half the labelled articles, score them

Training data: ANERcorp's first five sixths (by tokens; the last sixth is the test part, never trained on),
the Wojood sample and AQMAR (all their files) and the labelled training articles (``seeds/labels/train.gold.json``,
and ``train5.gold.json``, labelled for their entities only),
whose gold entity names are projected onto the pipeline's cleaned body as BIO tags by longest match. Every
text is tokenised the way the pipeline tokenises a body (``tokens_of``), so corpus tags are moved onto those
tokens. python-crfsuite (L-BFGS, fixed parameters and input order) makes the same weights from the same
data; the model file is written with fixed zip dates, so ``make train`` rebuilds it byte for byte.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import corpora  # noqa: E402
from transforms.article import clean_page  # noqa: E402
from transforms.entities import model  # noqa: E402
from transforms.entities.tokens import Tokens, tokens_of, word_info  # noqa: E402
from transforms.formats import Limits, parse_file  # noqa: E402
from transforms.types import Quarantined  # noqa: E402

NER = corpora.CORPORA / "ner"
MODEL_PATH = ROOT / "seeds" / model.MODEL_FILE
SCORES_PATH = MODEL_PATH.with_suffix(".scores.json")  # the committed model's ANERcorp test-sixth score
TRAIN_GOLD = ROOT / "seeds" / "labels" / "train.gold.json"
# articles labelled for their entities only (and the headline): trained on, never held out by --cv
ENTITY_GOLD = ROOT / "seeds" / "labels" / "train5.gold.json"
# corpus tag -> our type (MISC, dates, events, occupations … are not entities here)
TYPES = {"PERS": "PERSON", "PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "GPE": "PLACE"}
KINDS = (("persons", "PERSON"), ("orgs", "ORG"), ("places", "PLACE"))
ARTICLE_REPEAT = 1
PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}

Sequence = tuple[list[str], list[list[str]], list[str]]  # (token texts, features, tags)


# -- corpora -----------------------------------------------------------------------------------------------

def read_conll(path: Path, split_at_dot: bool = False) -> list[list[tuple[str, str]]]:
    """Sentences of a one-token-per-line BIO file (the first tag column is the outer layer)."""
    sents: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sents[-1]:
                sents.append([])
            continue
        token, tag = parts[0], (parts[1] if len(parts) > 1 else "O")
        kind, _, etype = tag.partition("-")
        ours = TYPES.get(etype)
        sents[-1].append((token, f"{kind}-{ours}" if kind in ("B", "I") and ours else "O"))
        if split_at_dot and token == ".":
            sents.append([])
    return [s for s in sents if s]


def anercorp_parts() -> tuple[list[list[tuple[str, str]]], list[list[tuple[str, str]]]]:
    """ANERcorp's first five sixths (training) and last sixth (test), split by tokens at a sentence end."""
    sents = read_conll(NER / "anercorp.txt", split_at_dot=True)
    total = sum(map(len, sents))
    seen, cut = 0, len(sents)
    for k, s in enumerate(sents):
        if seen >= total * 5 // 6:
            cut = k
            break
        seen += len(s)
    return sents[:cut], sents[cut:]


def corpus_sequences(sents: Iterable[list[tuple[str, str]]]) -> Iterator[tuple[Tokens, str, list[str]]]:
    """Each corpus sentence as the pipeline would tokenise its text, with the corpus tags moved onto tokens."""
    for sent in sents:
        text, spans = "", []
        for token, tag in sent:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(token), tag))
            text += token
        tokens = tokens_of(text)
        tags, j = [], 0
        for start in tokens.start:
            while spans[j][1] <= start:
                j += 1
            first_piece = start == spans[j][0] or not tags
            tag = spans[j][2]
            if tag != "O" and not first_piece and tag.startswith("B-"):
                tag = "I-" + tag[2:]
            tags.append(tag)
        yield tokens, text, tags


def article_body(key: str) -> str | None:
    """The body the pipeline extracts entities from, for a corpus record key."""
    recs = parse_file(key, corpora.landing_bytes(corpora.record(key)), Limits()).records
    page = clean_page(recs[0]) if recs else None
    return None if page is None or isinstance(page, Quarantined) else page.body


def project(tokens: Tokens, gold: dict) -> list[str]:
    """BIO tags of a body's tokens from an article's gold entities (names and aliases, longest match first)."""
    n = len(tokens)
    found: list[tuple[int, int, int, str]] = []
    for kind, etype in KINDS:
        for ent in gold.get(kind, []):
            for form in {ent["name"], *ent["aliases"]}:
                words = tokens_of(form).folded
                if not words:
                    continue
                for k in range(n - len(words) + 1):
                    if words[0] not in (g for g, _ in tokens.info[k].forms):
                        continue
                    if all(tokens.folded[k + m] == words[m] and tokens.joined[k + m] for m in range(1, len(words))):
                        found.append((-len(words), k, k + len(words) - 1, etype))
    tags = ["O"] * n
    for _, first, last, etype in sorted(found):
        if any(t != "O" for t in tags[first:last + 1]):
            continue
        tags[first] = f"B-{etype}"
        for m in range(first + 1, last + 1):
            tags[m] = f"I-{etype}"
    return tags


def sequences(items: Iterable[tuple[Tokens, str, list[str]]]) -> Iterator[Sequence]:
    """(texts, features, tags) of every sentence of tokenised, tagged texts."""
    for tokens, body, tags in items:
        for first, end in model.sentences(tokens, body):
            before, after = model.gaps(tokens, body, first, end)
            texts = tokens.text[first:end]
            yield texts, model.token_features(texts, before, after), tags[first:end]


def labelled_articles(keys: list[str], gold: dict) -> Iterator[tuple[Tokens, str, list[str]]]:
    for key in keys:
        body = article_body(key)
        if body:
            tokens = tokens_of(body)
            yield tokens, body, project(tokens, gold["articles"][key])


# -- training and the model file ---------------------------------------------------------------------------

def common_words(seqs: Iterable[Sequence], least: int = 5, share: float = 0.02) -> set[str]:
    """Folded words seen at least ``least`` times in training, in an entity at most ``share`` of them."""
    seen: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for texts, _, tags in seqs:
        for text, tag in zip(texts, tags, strict=True):
            f = word_info(text).folded
            seen[f] += 1
            named[f] += tag != "O"
    return {f for f, n in seen.items() if n >= least and named[f] <= share * n}


def train(seqs: list[Sequence], crf_path: Path | None = None) -> dict[str, np.ndarray]:
    """Train the CRF on the sequences; its weights as the model file's arrays (``crf_path``: also keep
    crfsuite's own model file there, for comparing taggers)."""
    import pycrfsuite  # training only: inference is numpy

    trainer = pycrfsuite.Trainer(verbose=False)
    for _, feats, tags in seqs:
        trainer.append(feats, tags)
    trainer.set_params(PARAMS)
    with tempfile.TemporaryDirectory(prefix="khabar-ner-") as tmp:
        path = str(crf_path or Path(tmp) / "ner.crfsuite")
        trainer.train(path)
        return model.pack(*crf_weights(path), common=common_words(seqs))


def crf_weights(path: str) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """State and transition weights of a crfsuite model file (its dump prints them to 6 decimals)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    info = tagger.info()
    tagger.close()
    return dict(info.state_features), dict(info.transitions)


def write_model(arrays: dict[str, np.ndarray], path: Path) -> None:
    """An ``.npz`` with fixed member dates and order: the same arrays make the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            zf.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buf.getvalue(),
                        compress_type=zipfile.ZIP_DEFLATED)


# -- scoring -----------------------------------------------------------------------------------------------

def span_f1(table: model._TypeTable, items: Iterable[tuple[Tokens, str, list[str]]]) -> dict[str, float]:
    """Exact-span, exact-type precision, recall and F1 of the model's tags against gold tags."""
    tp = fp = fn = 0
    for tokens, body, gold in items:
        want = set(model.bio_spans(gold))
        got = set(model.bio_spans(model.tag_tokens(tokens, body, table)))
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def anercorp_test_f1(arrays: dict[str, np.ndarray] | None = None) -> dict[str, float]:
    """Span F1 on ANERcorp's last sixth (PERSON, ORG, PLACE; MISC ignored) of the given or committed model."""
    table = model._TypeTable(model.unpack(arrays)) if arrays is not None else model._table()
    return span_f1(table, corpus_sequences(anercorp_parts()[1]))


def recorded_scores() -> dict:
    """The scores ``make train`` recorded beside the committed model (a test holds the model to them)."""
    return json.loads(SCORES_PATH.read_text(encoding="utf-8"))


def training_data(article_keys: list[str], gold: dict, repeat: int = ARTICLE_REPEAT) -> list[Sequence]:
    """The training sentences: AQMAR, ANERcorp's first five sixths, Wojood, and the labelled articles ``repeat``
    times (the articles are the domain the model runs on, and their ORG is the guidelines' broader one). AQMAR's
    Wikipedia articles add names of every field and era, for names the news corpora never had."""
    ane_train, _ = anercorp_parts()
    wojood = [s for part in ("train", "val", "test") for s in read_conll(NER / f"wojood_sample_{part}.txt")]
    aqmar = [s for part in ("train", "dev", "test") for s in read_conll(NER / f"aqmar_{part}.txt")]
    articles = list(sequences(labelled_articles(article_keys, gold)))
    return [*sequences(corpus_sequences(aqmar)), *sequences(corpus_sequences(ane_train)),
            *sequences(corpus_sequences(wojood)), *articles * repeat]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--score", action="store_true", help="only score the committed model on ANERcorp's test sixth")
    ap.add_argument("--cv", action="store_true", help="train without every other labelled article, write the "
                                                      "model to --out, score it on ANERcorp's test sixth")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--c1", type=float, default=PARAMS["c1"], help="L1 weight (for experiments)")
    ap.add_argument("--repeat", type=int, default=ARTICLE_REPEAT, help="labelled articles' weight (experiments)")
    a = ap.parse_args()
    PARAMS["c1"] = a.c1
    if a.score:
        print(json.dumps({"anercorp_test_sixth": anercorp_test_f1()}))
        return 0
    gold = json.loads(TRAIN_GOLD.read_text(encoding="utf-8"))
    keys = sorted(gold["articles"])
    if a.cv:
        keys = keys[0::2]  # the odd ones are held out (scripts/eval_ner.py --held-out scores them)
    if ENTITY_GOLD.exists():
        entities_only = json.loads(ENTITY_GOLD.read_text(encoding="utf-8"))["articles"]
        gold = {**gold, "articles": {**gold["articles"], **entities_only}}
        keys += sorted(entities_only)
    arrays = train(training_data(keys, gold, a.repeat))
    write_model(arrays, a.out)
    print(f"{a.out}: {len(arrays['weights'])} weights, {a.out.stat().st_size // 1024} KiB")
    scores = {"anercorp_test_sixth": {k: math.floor(v * 10_000) / 10_000 for k, v in anercorp_test_f1(arrays).items()}}
    print(json.dumps(scores))
    if a.out == MODEL_PATH:
        SCORES_PATH.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
