#!/usr/bin/env python3
"""Generate seeds/models/clusters.npz: distributional word classes of news Arabic (``make clusters``).

    .venv/bin/python scripts/build_clusters.py

The entity model reads the class of a word as a feature (:mod:`transforms.entities.model`): a name it never saw
in training shares a class with names it did (the words that stand where given names, surnames, cities stand).
The classes are learned from unlabelled text alone, the shared news corpora read in place
(``../shared/corpora/saudinewsnet-dev``, ``../shared/corpora/ant-dev``: titles and contents, each distinct
text once):

1. every word is folded as the entity model folds it (``word_info(...).folded``); the vocabulary is the
   :data:`VOCABULARY` most frequent folded words; a word outside it counts as its first proclitic-stripped
   reading inside it (وبوتين as بوتين: that is where its identity is), else as no word;
2. each vocabulary word's neighbours at -2, -1, +1, +2 in the same line (each offset its own context) are
   counted, weighted by positive pointwise mutual information (context counts smoothed to the power 0.75);
3. a truncated SVD (``scipy.sparse.linalg.svds``, fixed start vector) makes :data:`DIMS`-dimensional word
   vectors, scaled by the square root of the singular values and normalised to unit length;
4. k-means (k-means++ start from a fixed seed, Lloyd steps until no word moves) groups them at each of
   :data:`GRANULARITIES`; a class's id is the rank of its most frequent word, so ids do not depend on the
   order k-means found them in.

Everything runs in a fixed order from fixed seeds: the same corpora make the same file (its zip dates fixed).
The committed file is what runs; this script only regenerates it.
"""
from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import svds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import corpora  # noqa: E402
from scripts.train_ner import write_model  # noqa: E402
from transforms.arabic.chars import WORD_RE  # noqa: E402
from transforms.entities import model  # noqa: E402
from transforms.entities.tokens import proclitic_forms, word_info  # noqa: E402
from transforms.seeds import SEEDS_DIR  # noqa: E402

OUT = SEEDS_DIR / model.CLUSTERS_FILE
VOCABULARY = 30_000
DIMS = 100
GRANULARITIES = (256, 1024)
WINDOW = 2
CONTEXT_POWER = 0.75
SEED = 0
MAX_STEPS = 100
_LINE = re.compile(r"[\n\r]+")


def corpus_texts() -> Iterator[str]:
    """Titles and contents of the shared news corpora, in corpus order, each distinct text once."""
    seen: set[str] = set()
    for source in (corpora.saudinewsnet(), corpora.ant()):
        for _, rec in source:
            for text in (rec.get("title") or "", rec.get("content") or ""):
                if text and text not in seen:
                    seen.add(text)
                    yield text


def lines_of_words(texts: Iterable[str]) -> Iterator[list[str]]:
    """The written words of each line of each text (a line is where a window of neighbours ends)."""
    for text in texts:
        for line in _LINE.split(text):
            words = WORD_RE.findall(line)
            if words:
                yield words


def units(lines: Iterable[list[str]], vocabulary: int) -> tuple[list[str], np.ndarray]:
    """The vocabulary (most frequent folded words first, ties by the word) and the text as one array of
    vocabulary ids, ``-1`` for a word outside it and ``WINDOW`` times ``-1`` between lines."""
    ids: dict[str, int] = {}  # written word -> its index in ``written``
    written: list[str] = []
    seq: list[int] = []
    pad = [-1] * WINDOW
    for words in lines:
        for w in words:
            k = ids.get(w)
            if k is None:
                k = ids[w] = len(written)
                written.append(w)
            seq.append(k)
        seq.extend(pad)
    raw = np.array(seq, dtype=np.int64)
    counts = np.bincount(raw[raw >= 0], minlength=len(written))
    folded = [word_info(w).folded for w in written]
    by_fold: Counter[str] = Counter()
    for f, n in zip(folded, counts.tolist(), strict=True):
        if f:
            by_fold[f] += n
    vocab = [f for f, _ in sorted(by_fold.items(), key=lambda kv: (-kv[1], kv[0]))[:vocabulary]]
    index = {f: k for k, f in enumerate(vocab)}
    unit_of = np.array([unit_id(w, f, index) for w, f in zip(written, folded, strict=True)] + [-1], dtype=np.int64)
    return vocab, unit_of[raw]  # raw -1 (a pad) picks the appended -1


def unit_id(text: str, folded: str, index: dict[str, int]) -> int:
    """The vocabulary id of a written word: its folded form's, else its first proclitic-stripped reading's."""
    if folded in index:
        return index[folded]
    return next((index[g] for g, _ in proclitic_forms(text)[1:] if g in index), -1)


def cooccurrence(seq: np.ndarray, size: int) -> sparse.csr_matrix:
    """Counts ``[word, slot * size + context]`` of each word's neighbours, a slot per offset -2, -1, +1, +2."""
    total = None
    for slot, d in enumerate(o for o in range(-WINDOW, WINDOW + 1) if o):
        a = seq[max(0, -d):len(seq) - max(0, d)]
        b = seq[max(0, d):len(seq) - max(0, -d)]
        keep = (a >= 0) & (b >= 0)
        m = sparse.coo_matrix((np.ones(int(keep.sum()), dtype=np.float64), (a[keep], b[keep] + slot * size)),
                              shape=(size, 2 * WINDOW * size)).tocsr()
        total = m if total is None else total + m
    assert total is not None
    total.sum_duplicates()
    total.sort_indices()
    return total


def ppmi(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Positive pointwise mutual information of counts, the context distribution smoothed (``CONTEXT_POWER``)."""
    coo = counts.tocoo()
    rows = np.asarray(counts.sum(axis=1)).ravel()
    cols = np.asarray(counts.sum(axis=0)).ravel() ** CONTEXT_POWER
    p_context = cols / cols.sum()
    pmi = np.log(coo.data / (rows[coo.row] * p_context[coo.col]))
    keep = pmi > 0
    out = sparse.coo_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=counts.shape).tocsr()
    out.sort_indices()
    return out


def embed(matrix: sparse.csr_matrix, dims: int) -> np.ndarray:
    """Unit-length word vectors: the truncated SVD's left vectors scaled by the singular values' square roots."""
    v0 = np.random.default_rng(SEED).standard_normal(min(matrix.shape))
    u, s, _ = svds(matrix, k=dims, v0=v0, random_state=SEED)
    order = np.argsort(-s, kind="stable")
    vec = u[:, order] * np.sqrt(s[order])
    norms = np.linalg.norm(vec, axis=1, keepdims=True)
    return vec / np.where(norms > 0, norms, 1.0)


def _nearest(x: np.ndarray, centres: np.ndarray, chunk: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Index of and squared distance to each row's nearest centre."""
    c2 = (centres ** 2).sum(axis=1)
    idx = np.empty(len(x), dtype=np.int64)
    dist = np.empty(len(x))
    for s in range(0, len(x), chunk):
        d = c2[None, :] - 2 * x[s:s + chunk] @ centres.T
        idx[s:s + chunk] = d.argmin(axis=1)
        dist[s:s + chunk] = np.maximum(d[np.arange(len(d)), idx[s:s + chunk]] + (x[s:s + chunk] ** 2).sum(1), 0)
    return idx, dist


def kmeans(x: np.ndarray, k: int, seed: int = SEED, steps: int = MAX_STEPS) -> np.ndarray:
    """Class of each row: k-means++ start from ``seed``, Lloyd steps until no row moves (or ``steps``); a class
    left empty keeps its centre. Class ids are then renumbered by their first row (row order = frequency)."""
    rng = np.random.default_rng(seed)
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[rng.integers(len(x))]
    best = ((x - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        centres[j] = x[rng.choice(len(x), p=best / best.sum())] if best.sum() > 0 else x[rng.integers(len(x))]
        best = np.minimum(best, ((x - centres[j]) ** 2).sum(axis=1))
    labels = np.full(len(x), -1)
    for _ in range(steps):
        new, _ = _nearest(x, centres)
        if np.array_equal(new, labels):
            break
        labels = new
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, x)
        sizes = np.bincount(labels, minlength=k)
        filled = sizes > 0
        centres[filled] = sums[filled] / sizes[filled, None]
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(k, dtype=np.int64)
    rank[labels[np.sort(first)]] = np.arange(len(first))
    return rank[labels]


def build(texts: Iterable[str], vocabulary: int = VOCABULARY, dims: int = DIMS,
          granularities: tuple[int, ...] = GRANULARITIES) -> tuple[list[str], dict[int, np.ndarray]]:
    """The vocabulary (most frequent first) and each word's class at each granularity."""
    vocab, seq = units(lines_of_words(texts), vocabulary)
    vectors = embed(ppmi(cooccurrence(seq, len(vocab))), dims)
    return vocab, {k: kmeans(vectors, k) for k in granularities}


def arrays_of(vocab: list[str], classes: dict[int, np.ndarray]) -> dict[str, np.ndarray]:
    """The model file's arrays: the words (UTF-8, one a line) and a class-id array per granularity."""
    return {"words": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
            **{f"c{k}": ids.astype(np.uint16) for k, ids in classes.items()}}


def main() -> int:
    t0 = time.perf_counter()
    vocab, classes = build(corpus_texts())
    write_model(arrays_of(vocab, classes), OUT)
    print(f"{OUT}: {len(vocab)} words, classes {sorted(classes)}, {OUT.stat().st_size // 1024} KiB, "
          f"{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
