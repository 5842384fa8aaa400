"""Near-duplicate article bodies: the same wire copy published twice, or by several outlets with small edits.

Two bodies are near-duplicates when the Jaccard similarity of their word 5-shingle sets reaches
``dedup.threshold`` of ``seeds/stories.json`` (0.8: a few sentences added, cut or reworded). Exact copies
(same ``body_norm``) are grouped first by the string itself. The rest is found without comparing all pairs:

* every body is reduced to a MinHash signature by *one-permutation hashing*: each shingle is hashed once,
  the top bits pick one of ``num_perm`` buckets and each bucket keeps its minimum (empty buckets borrow
  the next filled one, "rotation densification"), so hashing is one vectorised numpy pass over all shingles
  instead of ``num_perm`` passes;
* LSH banding (``bands`` bands of ``num_perm / bands`` rows) proposes candidate pairs, and a pair is kept
  when the share of equal signature buckets (the Jaccard estimate) reaches the threshold;
* the kept pairs and exact groups form connected components; every member points at the earliest one.

Bodies under ``min_words`` words only match exact copies: their signature is the content hash repeated,
so they never partially match anything. Empty bodies match nothing.

Token hashes are computed from the UTF-8 bytes (a polynomial hash, not Python's salted ``hash``), so
signatures are stable across processes: persist them with ``signatures`` and match a later run's
documents against them with ``match_new``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from transforms import seeds

_EMPTY = np.uint32(0xFFFFFFFF)  # an empty bucket / a body with no words
_P = np.uint64(0x100000001B3)  # odd multiplier of the byte polynomial hash (FNV prime)
_P_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def load_config() -> seeds.StoriesSeed:
    """Thresholds of the dedup, story and quote-link rules (``seeds/stories.json``), read once.

    >>> 0 < load_config()["dedup"]["threshold"] <= 1
    True
    """
    return seeds.stories()


@dataclass(frozen=True)
class DupDoc:
    """One article body to deduplicate; ``order_key`` sorts earliest first (ties broken by article_id)."""

    article_id: str
    body_norm: str
    order_key: Any = ()


class SigRow(NamedTuple):
    """A stored signature of an earlier run (see ``signatures``)."""

    article_id: str
    order_key: Any
    signature: np.ndarray


def _fmix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, vectorised: spreads every input bit over the output."""
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX1
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX2
    return h ^ (h >> np.uint64(33))


_POW_CACHE: dict[str, np.ndarray] = {}


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**k and P**-k (mod 2**64) for k < n, grown by doubling and kept: only the length varies by call."""
    have = _POW_CACHE.get("p")
    if have is None or len(have) < n:
        size = max(n, 2 * len(have) if have is not None else 1 << 20)
        with np.errstate(over="ignore"):
            one = np.ones(1, dtype=np.uint64)
            _POW_CACHE["p"] = np.concatenate((one, np.cumprod(np.full(size - 1, _P, dtype=np.uint64))))
            _POW_CACHE["q"] = np.concatenate((one, np.cumprod(np.full(size - 1, _P_INV, dtype=np.uint64))))
    return _POW_CACHE["p"][:n], _POW_CACHE["q"][:n]


def _string_hashes(strings: pa.Array) -> np.ndarray:
    """Stable 64-bit hashes of an Arrow string array: a byte polynomial, computed without a Python loop."""
    strings = strings.cast(pa.large_string())
    if len(strings) == 0:
        return np.zeros(0, dtype=np.uint64)
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)[strings.offset: strings.offset + len(strings) + 1]
    data = strings.buffers()[2]
    raw = np.frombuffer(data, dtype=np.uint8)[: offsets[-1]] if data is not None else np.zeros(0, np.uint8)
    powers, inverse = _powers(len(raw) + 1)
    with np.errstate(over="ignore"):
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(raw.astype(np.uint64) * powers[: len(raw)],
                                                           dtype=np.uint64)))
        start, end = offsets[:-1], offsets[1:]
        # (prefix[end] - prefix[start]) is the string's polynomial shifted by P**start: undo the shift.
        h = (prefix[end] - prefix[start]) * inverse[start] + (end - start).astype(np.uint64) * _GOLD
        return _fmix(h)


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hash every space-separated word of every text: (hashes of all words, per-text offsets into them).

    Hashes depend only on the word's bytes, so they are the same in every process.

    >>> h, off = token_hashes(["بوتين قال", "قال", ""])
    >>> off.tolist(), bool(h[1] == h[2]), bool(h[0] == h[1])
    ([0, 2, 3, 3], True, False)
    """
    # Empty texts become nulls (no words); body_norm has single spaces, so no other empty words arise.
    arr = pa.array([t or None for t in texts], type=pa.large_string())
    parts = pc.split_pattern(arr, " ")
    words = parts.flatten()
    counts = np.diff(parts.offsets.to_numpy())
    if len(words) == 0:
        return np.zeros(0, np.uint64), np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    enc = pc.dictionary_encode(words)
    hashes = _string_hashes(enc.dictionary)[enc.indices.to_numpy(zero_copy_only=False)]
    return hashes, np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def shingle_hashes(hashes: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every run of ``k`` consecutive words inside one text, and the text index of each.

    >>> h, off = token_hashes(["a b c d e f", "a b c d e", "a b"])
    >>> s, doc = shingle_hashes(h, off, 5)
    >>> doc.tolist(), bool(s[0] == s[2])
    ([0, 0, 1], True)
    """
    n = len(hashes)
    if n < k:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    with np.errstate(over="ignore"):
        s = hashes[: n - k + 1].copy()
        for j in range(1, k):
            s = s * _GOLD + hashes[j: n - k + 1 + j]
    counts = np.diff(offsets)
    doc = np.repeat(np.arange(len(counts)), counts)[: n - k + 1]
    # A shingle is valid when its k words all belong to one text: its start is ≤ end - k.
    ends = np.repeat(offsets[1:], counts)[: n - k + 1]
    valid = np.arange(n - k + 1) + k <= ends
    return _fmix(s[valid]), doc[valid]


def _oph(shingles: np.ndarray, doc: np.ndarray, n_docs: int, num_perm: int) -> np.ndarray:
    """One-permutation MinHash with rotation densification: an (n_docs, num_perm) uint32 matrix."""
    bits = int(num_perm).bit_length() - 1
    bucket = (shingles >> np.uint64(64 - bits)).astype(np.int64)
    value = (shingles & np.uint64(0xFFFFFFFE)).astype(np.uint32)  # never equal to _EMPTY
    sig = np.full(n_docs * num_perm, _EMPTY, dtype=np.uint32)
    np.minimum.at(sig, doc * num_perm + bucket, value)
    sig = sig.reshape(n_docs, num_perm)
    empty = sig == _EMPTY
    if empty.any():
        # Each empty bucket takes the next filled bucket to its right (circularly), salted by the distance,
        # so two bodies with the same shingle set still get the same signature.
        cols = np.arange(2 * num_perm)
        filled = np.where(np.tile(~empty, 2), cols, 2 * num_perm)
        nxt = np.minimum.accumulate(filled[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
        has = nxt < 2 * num_perm
        src = np.where(has, nxt % num_perm, 0)
        dist = (np.where(has, nxt, 0) - np.arange(num_perm)).astype(np.uint32)
        borrowed = np.take_along_axis(sig, src, axis=1)
        with np.errstate(over="ignore"):
            salted = ((borrowed ^ (dist * np.uint32(0x9E3779B1))) * np.uint32(0x85EBCA6B)) & np.uint32(0xFFFFFFFE)
        sig = np.where(empty & has, salted, sig)
    return sig


def _exact_signature(text: str, num_perm: int) -> np.ndarray:
    """A signature that only an identical text shares: the content hash spread over every bucket."""
    seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
    with np.errstate(over="ignore"):
        vals = _fmix(np.uint64(seed) + np.arange(1, num_perm + 1, dtype=np.uint64) * _GOLD)
    return (vals & np.uint64(0xFFFFFFFE)).astype(np.uint32)


def signatures(docs: Sequence[DupDoc]) -> np.ndarray:
    """MinHash signatures of the bodies, (len(docs), num_perm) uint32, stable across runs (persist them).

    >>> a = "وقال الرئيس الروسي إن الاتفاق مع الولايات المتحدة حول سوريا قريب جدا " * 5
    >>> sig = signatures([DupDoc("x", a), DupDoc("y", a + " وأضاف"), DupDoc("z", "خبر قصير")])
    >>> sig.shape[0], float((sig[0] == sig[1]).mean()) > 0.8, float((sig[0] == sig[2]).mean())
    (3, True, 0.0)
    """
    cfg = load_config()["dedup"]
    k, num_perm, min_words = cfg["shingle_words"], cfg["num_perm"], cfg["min_words"]
    texts = [d.body_norm or "" for d in docs]
    hashes, offsets = token_hashes(texts)
    counts = np.diff(offsets)
    long_doc = counts >= max(min_words, k)
    # Only long bodies go through MinHash; the others get an exact-content signature (or none).
    sh, doc = shingle_hashes(hashes, offsets, k)
    keep = long_doc[doc]
    sig = _oph(sh[keep], doc[keep], len(texts), num_perm)
    for i in np.flatnonzero(~long_doc):
        sig[i] = _exact_signature(texts[i], num_perm) if counts[i] > 0 else _EMPTY
    return sig


def candidate_pairs(sig: np.ndarray, bands: int, cap: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """LSH banding: index pairs (i < j) whose signatures agree on every row of at least one band.

    Within a band bucket, each row is paired with its next ``cap`` neighbours (all pairs for buckets up
    to ``cap + 1`` rows); the connected components are the same as with all pairs when pairs chain.

    >>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 3, 4]], dtype=np.uint32)
    >>> [p.tolist() for p in candidate_pairs(sig, bands=2)]
    [[0, 0], [1, 2]]
    """
    n, num_perm = sig.shape
    rows = num_perm // bands
    live = np.flatnonzero(~(sig == _EMPTY).all(axis=1))
    firsts, seconds = [], []
    if len(live) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    wide = sig[live].astype(np.uint64)
    with np.errstate(over="ignore"):
        for b in range(bands):
            key = np.full(len(live), np.uint64(b), dtype=np.uint64)
            for r in range(b * rows, (b + 1) * rows):
                key = _fmix(key * _GOLD + wide[:, r])
            order = np.argsort(key, kind="stable")
            ks = key[order]
            for d in range(1, cap + 1):
                same = ks[d:] == ks[:-d]
                if not same.any():
                    break
                firsts.append(live[order[:-d][same]])
                seconds.append(live[order[d:][same]])
    if not firsts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    code = np.unique(lo.astype(np.int64) * n + hi)
    return code // n, code % n


def estimated_jaccard(sig: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Share of equal buckets of the signature pairs (i[k], j[k]): the Jaccard estimate.

    >>> sig = np.array([[1, 2, 3, 4], [1, 2, 3, 9]], dtype=np.uint32)
    >>> estimated_jaccard(sig, np.array([0]), np.array([1])).tolist()
    [0.75]
    """
    if len(i) == 0:
        return np.zeros(0)
    out = np.empty(len(i))
    step = 1 << 16  # bounded memory for millions of candidate pairs
    for s in range(0, len(i), step):
        out[s: s + step] = (sig[i[s: s + step]] == sig[j[s: s + step]]).mean(axis=1)
    return out


def _earliest_map(ids: list[str], order: list[Any], n: int, edges: tuple[np.ndarray, np.ndarray]) -> dict[str, str]:
    """Connected components of ``edges`` over n rows → {article_id: article_id of the component's earliest}."""
    i, j = edges
    if len(i) == 0:
        return {}
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    rank = sorted(range(n), key=lambda r: (order[r], ids[r]))
    first: dict[int, int] = {}
    for r in rank:
        first.setdefault(int(label[r]), r)
    sizes = np.bincount(label, minlength=n)
    out: dict[str, str] = {}
    for r in np.flatnonzero(sizes[label] > 1):
        root = first[int(label[r])]
        if root != r:
            out[ids[r]] = ids[root]
    return out


def _exact_edges(texts: Sequence[str], start: int = 0) -> tuple[list[int], list[int], list[int]]:
    """Rows whose text repeats an earlier row's: (first rows, repeat rows, representatives)."""
    seen: dict[str, int] = {}
    a, b, reps = [], [], []
    for r, t in enumerate(texts, start):
        if not t:
            continue
        if t in seen:
            a.append(seen[t])
            b.append(r)
        else:
            seen[t] = r
            reps.append(r)
    return a, b, reps


def near_duplicates(docs: Sequence[DupDoc]) -> dict[str, str]:
    """Map every exact or near-duplicate body to the ``article_id`` of the earliest copy.

    The earliest copy itself, and bodies without copies, are absent from the result.

    >>> wire = "اعلن وزير الخارجية الروسي سيرغي لافروف ان موسكو وواشنطن توصلتا الي تفاهم بشان سوريا " * 4
    >>> near_duplicates([DupDoc("b", wire + "امس", (2,)), DupDoc("a", wire, (1,)), DupDoc("c", "خبر", (0,))])
    {'b': 'a'}
    """
    cfg = load_config()["dedup"]
    ids = [d.article_id for d in docs]
    order = [d.order_key for d in docs]
    texts = [d.body_norm or "" for d in docs]
    ea, eb, reps = _exact_edges(texts)
    # MinHash only one representative of each exact group; the exact edges join the rest.
    sig = signatures([docs[r] for r in reps])
    ci, cj = candidate_pairs(sig, cfg["bands"], cfg["bucket_cap"])
    ok = estimated_jaccard(sig, ci, cj) >= cfg["threshold"]
    rep = np.asarray(reps, dtype=np.int64)
    i = np.concatenate([np.asarray(ea, dtype=np.int64), rep[ci[ok]]])
    j = np.concatenate([np.asarray(eb, dtype=np.int64), rep[cj[ok]]])
    return _earliest_map(ids, order, len(docs), (i, j))


def match_new(existing: Sequence[SigRow], new_docs: Sequence[DupDoc],
              new_signatures: np.ndarray | None = None) -> dict[str, str]:
    """Incremental ``near_duplicates``: match a run's new bodies against stored signatures of earlier runs.

    Returns {article_id: earliest copy} for every member of a duplicate group that contains a new
    document: new documents, and also stored ones whose earliest copy changes because a new document
    sorts before them (a back-filled archive). Groups of stored documents alone are left out: they were
    reported by the run that stored them.

    >>> wire = "اعلن وزير الخارجية الروسي سيرغي لافروف ان موسكو وواشنطن توصلتا الي تفاهم بشان سوريا " * 4
    >>> old = [SigRow("a", (1,), signatures([DupDoc("a", wire)])[0])]
    >>> match_new(old, [DupDoc("b", wire + "امس", (2,)), DupDoc("c", "خبر قصير", (3,))])
    {'b': 'a'}
    """
    cfg = load_config()["dedup"]
    m = len(existing)
    ids = [r.article_id for r in existing] + [d.article_id for d in new_docs]
    order = [r.order_key for r in existing] + [d.order_key for d in new_docs]
    texts = [d.body_norm or "" for d in new_docs]
    ea, eb, reps = _exact_edges(texts, start=m)
    # Callers that store the new signatures anyway pass them in, so they are computed once.
    new_sig = (new_signatures[np.asarray(reps, dtype=np.int64) - m] if new_signatures is not None
               else signatures([new_docs[r - m] for r in reps]))
    old_sig = np.vstack([np.asarray(r.signature, dtype=np.uint32) for r in existing]) if m else \
        np.zeros((0, new_sig.shape[1]), dtype=np.uint32)
    sig = np.vstack([old_sig, new_sig])
    rows = np.concatenate([np.arange(m), np.asarray(reps, dtype=np.int64)])
    ci, cj = candidate_pairs(sig, cfg["bands"], cfg["bucket_cap"])
    ci, cj = rows[ci], rows[cj]
    touches_new = (ci >= m) | (cj >= m)
    ci, cj = ci[touches_new], cj[touches_new]
    full = np.zeros((len(ids), sig.shape[1]), dtype=np.uint32)
    full[rows] = sig
    ok = estimated_jaccard(full, ci, cj) >= cfg["threshold"]
    i = np.concatenate([np.asarray(ea, dtype=np.int64), ci[ok]])
    j = np.concatenate([np.asarray(eb, dtype=np.int64), cj[ok]])
    return _earliest_map(ids, order, len(ids), (i, j))
