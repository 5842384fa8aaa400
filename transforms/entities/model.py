"""The trained entity model: a linear-chain CRF's weights applied with numpy, per word type.

The CRF is trained by ``scripts/train_ner.py`` (python-crfsuite) on ANERcorp, the Wojood sample and the
labelled articles; this module is inference only and needs numpy alone. Its features are designed so that a
token's state score is a sum of per-*word-type* vectors:

* every feature of token ``i`` is a feature of one word ``i+o`` (``o`` in -2..+2, :data:`OFFSETS`) prefixed by
  its offset (``"-1:w=قال"``), or a feature of the gap before or after token ``i`` (``"gb=,"``);
* so the state scores of token ``i`` are ``sum_o V[type(i+o), o] + GB[gap before] + GA[gap after]``, where
  ``V[t, o]`` is the sum of the weights of word type ``t``'s features at offset ``o``: computed once per
  distinct written word per process (:class:`_TypeTable`), an article is then a few numpy gathers and a
  Viterbi run over all its sentences at once (:func:`viterbi`).

Besides a word's spelling, readings and listed facts, the token at offset 0 has its distributional classes
(:func:`word_classes`, ``seeds/models/clusters.npz``, learned from unlabelled news text by
``scripts/build_clusters.py``): a name the labelled data never had shares a class with names it had.

Tags are BIO over :data:`LABELS`. :func:`tag_spans` gives an article's model spans as token ranges; the
reference matcher (:mod:`transforms.entities.matching`) decides which of them become mentions.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from transforms import seeds
from transforms.arabic.chars import QUOTE_MARKS
from transforms.arabic.morphology import is_definite
from transforms.entities.reference import reference
from transforms.entities.tokens import (
    ADJECTIVE,
    CONNECTOR,
    DEFINITE,
    GAZ,
    GIVEN,
    HEAD,
    NAME_FIRST,
    NAME_NEXT,
    NISBA,
    PLAIN,
    TITLE,
    VERB,
    VERB_LIKE,
    Tokens,
    word_info,
)

LABELS = ("O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG", "B-PLACE", "I-PLACE")
OFFSETS = (-2, -1, 0, 1, 2)
PAD = ""  # the word type beyond a sentence's ends (tokens are never empty)
MODEL_FILE = "models/ner.npz"
CLUSTERS_FILE = "models/clusters.npz"  # distributional word classes (scripts/build_clusters.py)

# Named word-fact bits (tokens.WordInfo.flags) used as features
_BITS = (("gaz", GAZ), ("title", TITLE), ("head", HEAD), ("given", GIVEN), ("first", NAME_FIRST),
         ("next", NAME_NEXT), ("conn", CONNECTOR), ("def", DEFINITE), ("adj", ADJECTIVE), ("nisba", NISBA),
         ("plain", PLAIN), ("vlike", VERB_LIKE))
_FAR_BITS = ("gaz", "title", "head", "given", "def")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
# A gap that ends a sentence: a newline, or sentence punctuation other than one bare dot between two words
# (the dot of an acronym, إن.بي.سي, or of a number)
_SENTENCE_END = re.compile(r"[\n.!?؟]")


@lru_cache(maxsize=200_000)
def word_features(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Features of one written word as seen from offset 0, from ±1 and from ±2 (without the offset prefix).

    Word, proclitic-stripped readings, affixes, shape, word facts (reference-list and gazetteer membership),
    and at offset 0 only the word's distributional classes (:func:`word_classes`).

    >>> at0, near, far = word_features("وبوتين")
    >>> "w=وبوتين" in at0 and "p=بوتين" in at0 and "g1=PERSON" in at0, far[0]
    (True, 'w=وبوتين')
    >>> [x for x in at0 if x.startswith("c")] == [f"c{k}={c}" for k, c in word_classes("بوتين")]
    True
    """
    if text == PAD:
        return ("w=<pad>",), ("w=<pad>",), ("w=<pad>",)
    info = word_info(text)
    f = info.folded
    ref = reference()
    stripped = [g for g, _ in info.forms[1:3]]
    core = f[2:] if is_definite(f) else f
    bits = [name for name, bit in _BITS if info.flags & bit]
    if info.verb or info.flags >> 14 & VERB:
        bits.append("verb")
    if f in ref.stop:
        bits.append("stop")
    if f in ref.given_ambiguous:  # a given name that is also an ordinary word (صالح، عادل، نور)
        bits.append("amb")
    if core in ref.name_words or any(g in ref.name_words for g in stripped):
        bits.append("xname")
    gaz = sorted({f"g1={entry.etype}" for _, _, single in info.names for _, entry, _ in single}
                 | {f"gm={entry.etype}" for _, multi, _ in info.names for keys in multi.values()
                    for _, entry, _ in keys})
    shape = [s for s, on in (("digit", _DIGIT.search(f)), ("latin", _LATIN.search(f))) if on]
    words = [f"w={f}", *(f"p={g}" for g in stripped)]
    flags = [f"F={b}" for b in bits]
    skeleton = f"k={vowel_skeleton(core)}"
    classes = word_classes(f) or next((c for g in stripped if (c := word_classes(g))), ())
    at0 = (*words, f"b2={core[:2]}", f"b3={core[:3]}", f"e1={f[-1:]}", f"e2={f[-2:]}", f"e3={f[-3:]}",
           f"n={min(len(core), 8)}", skeleton, *(f"S={s}" for s in shape), *flags, *gaz,
           *(f"c{k}={c}" for k, c in classes))
    near = (*words, f"e2={f[-2:]}", skeleton, *flags, *gaz)
    far = (f"w={f}", *(x for x in flags if x[2:] in _FAR_BITS))
    return at0, near, far


@cache
def _clusters() -> dict[str, tuple[tuple[int, int], ...]]:
    """Folded word -> its (number of classes, class id) at each granularity of :data:`CLUSTERS_FILE`."""
    arrays = seeds.model_arrays(CLUSTERS_FILE)
    words = bytes(arrays["words"]).decode("utf-8").split("\n")
    sizes = sorted(int(name[1:]) for name in arrays if name.startswith("c"))
    columns = [arrays[f"c{k}"].tolist() for k in sizes]
    return {w: tuple(zip(sizes, ids, strict=True)) for w, *ids in zip(words, *columns, strict=True)}


def word_classes(folded: str) -> tuple[tuple[int, int], ...]:
    """The distributional classes of a folded word, as (number of classes, class id) per granularity; empty for
    a word outside the clusters' vocabulary (the 30,000 most frequent words of the news corpora).

    >>> [k for k, _ in word_classes("محمد")], word_classes("محمد")[0][1] == word_classes("احمد")[0][1]
    ([256, 1024], True)
    >>> word_classes("كوفاتشيتشي")
    ()
    """
    return _clusters().get(folded, ())


_LONG_VOWEL_LETTERS = frozenset("اويى")


def vowel_skeleton(folded: str) -> str:
    """The word's shape as consonants and long-vowel letters (``C``/``V``), up to 9 letters: the shape of a name
    that generalises to names never seen (transliterated foreign names are rich in long vowels: كيلور نافاس).

    >>> vowel_skeleton("نافاس"), vowel_skeleton("كتب")
    ('CVCVC', 'CCC')
    """
    return "".join("V" if c in _LONG_VOWEL_LETTERS else "C" for c in folded[:9])


def offset_features(text: str, offset: int) -> tuple[str, ...]:
    """The features word ``text`` gives the token ``offset`` places before it (prefixed with the offset).

    >>> offset_features("قال", -1)[0]
    '-1:w=قال'
    """
    at0, near, far = word_features(text)
    feats = at0 if offset == 0 else near if abs(offset) == 1 else far
    return tuple(f"{offset}:{x}" for x in feats)


@lru_cache(maxsize=4096)
def gap_class(gap: str) -> str:
    """The kind of the characters between two words: space, comma, quote, bracket, dash, dot, other.

    >>> gap_class(" "), gap_class("، "), gap_class(" «"), gap_class(".")
    ('sp', ',', 'q', 'dot')
    """
    g = gap.strip()
    if not g:
        return "sp"
    if g == ".":
        return "dot"
    if any(c in QUOTE_MARKS for c in g):
        return "q"
    if any(c in "(){}[]" for c in g):
        return "br"
    if any(c in ",،؛;" for c in g):
        return ","
    if any(c in "-–—:/" for c in g):
        return "-"
    return "o"


def sentences(tokens: Tokens, body: str) -> list[tuple[int, int]]:
    """Token ranges ``[first, end)`` of the sentences of a tokenised text.

    >>> from transforms.entities.tokens import tokens_of
    >>> body = "قال بوتين. إن.بي.سي نقلت"
    >>> sentences(tokens_of(body), body)
    [(0, 2), (2, 6)]
    """
    return _layout(tokens, body)[0]


def _layout(tokens: Tokens, body: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The sentences of a tokenised text and the class (index in :data:`_GAP_CLASSES`) of the gap before each
    token (0 for the first): one pass, reading only the gaps that are more than spaces."""
    starts, ends, joined, n = tokens.start, tokens.end, tokens.joined, len(tokens.start)
    out: list[tuple[int, int]] = []
    classes = [0] * n
    first = 0
    index = _GAP_INDEX
    marks = _has_joining_marks(body)
    for k in range(1, n):
        if joined[k] and not marks:  # spaces only: "sp", index 0
            continue
        gap = body[ends[k - 1]:starts[k]]
        classes[k] = index[gap_class(gap)]
        if gap != "." and _SENTENCE_END.search(gap):
            out.append((first, k))
            first = k
    if n:
        out.append((first, n))
    return out, classes


def _has_joining_marks(body: str) -> bool:
    """Whether the text holds a zero-width or direction mark: a gap of spaces and such marks counts as joined
    (``tokens_of``) but is not a space gap to :func:`gap_class` (cleaned bodies hold none; raw corpora may)."""
    return "\u200c" in body or "\u200e" in body or "\u200f" in body


def gaps(tokens: Tokens, body: str, first: int, end: int) -> tuple[list[str], list[str]]:
    """Gap classes before and after each token of the sentence ``first..end-1`` (``bos``/``eos`` at its ends)."""
    starts, ends, joined = tokens.start, tokens.end, tokens.joined
    marks = _has_joining_marks(body)
    inner = ["sp" if joined[k] and not marks else gap_class(body[ends[k - 1]:starts[k]])
             for k in range(first + 1, end)]
    return ["bos", *inner], [*inner, "eos"]


def token_features(texts: list[str], before: list[str], after: list[str]) -> list[list[str]]:
    """Every feature of every token of one sentence, as the trainer sees them (the per-type sums' terms).

    >>> feats = token_features(["قال", "بوتين"], ["bos", "sp"], ["sp", "eos"])
    >>> "-1:w=قال" in feats[1] and "1:w=<pad>" in feats[1] and "gb=sp" in feats[1]
    True
    """
    n = len(texts)
    out = []
    for i in range(n):
        feats: list[str] = []
        for o in OFFSETS:
            j = i + o
            feats.extend(offset_features(texts[j] if 0 <= j < n else PAD, o))
        feats.append(f"gb={before[i]}")
        feats.append(f"ga={after[i]}")
        out.append(feats)
    return out


@dataclass(frozen=True)
class Weights:
    """A trained CRF: state weights by feature name, transition weights, label names."""

    features: dict[str, np.ndarray]  # feature -> weight per label
    transitions: np.ndarray  # [from label, to label]
    labels: tuple[str, ...]
    common: frozenset[str] = frozenset()  # folded words the training data (almost) never has in a name


def pack(state: dict[tuple[str, str], float], transitions: dict[tuple[str, str], float],
         labels: tuple[str, ...] = LABELS, common: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """A trained CRF's weights as the arrays the model file holds (sorted: the same weights give the same file).

    >>> arrays = pack({("w=a", "O"): 0.5, ("w=a", "B-ORG"): -1.0}, {("O", "B-ORG"): 2.0}, ("O", "B-ORG"))
    >>> unpack(arrays).features["w=a"].tolist(), unpack(arrays).transitions.tolist()
    ([0.5, -1.0], [[0.0, 2.0], [0.0, 0.0]])
    """
    index = {label: k for k, label in enumerate(labels)}
    names = sorted({attr for attr, _ in state})
    row = {name: k for k, name in enumerate(names)}
    triples = sorted((row[attr], index[label], w) for (attr, label), w in state.items() if w != 0.0)
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), w in transitions.items():
        trans[index[a], index[b]] = w
    return {"names": np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
            "rows": np.array([t[0] for t in triples], dtype=np.int32),
            "cols": np.array([t[1] for t in triples], dtype=np.int8),
            "weights": np.array([t[2] for t in triples], dtype=np.float32),
            "transitions": trans,
            "labels": np.frombuffer("\n".join(labels).encode("utf-8"), dtype=np.uint8),
            "common": np.frombuffer("\n".join(sorted(common)).encode("utf-8"), dtype=np.uint8)}


def unpack(arrays: dict[str, np.ndarray]) -> Weights:
    """The :class:`Weights` of a model file's arrays (see :func:`pack`)."""
    names = bytes(arrays["names"]).decode("utf-8").split("\n")
    labels = tuple(bytes(arrays["labels"]).decode("utf-8").split("\n"))
    dense = np.zeros((len(names), len(labels)), dtype=np.float32)
    dense[arrays["rows"], arrays["cols"].astype(np.int64)] = arrays["weights"]
    common = frozenset(bytes(arrays["common"]).decode("utf-8").split("\n")) if "common" in arrays else frozenset()
    return Weights(dict(zip(names, dense, strict=True)), np.asarray(arrays["transitions"], dtype=np.float32),
                   labels, common)


class _TypeIds(dict):
    """Word type -> its row in the table's vectors, filled on first sight (see :meth:`_TypeTable.add`)."""

    def __init__(self, table: _TypeTable):
        super().__init__()
        self.table = table

    def __missing__(self, text: str) -> int:
        return self.table.add(text)


class _TypeTable:
    """Word type -> its per-offset state vectors ``V[type, offset]``, filled on first sight of a type."""

    def __init__(self, weights: Weights):
        self.weights = weights
        self.labels = len(weights.labels)
        self.ids = _TypeIds(self)
        self.size = 0
        self.vectors = np.zeros((1024, len(OFFSETS), self.labels), dtype=np.float32)
        zero = np.zeros(self.labels, dtype=np.float32)
        self.gap_before = np.array([weights.features.get(f"gb={c}", zero) for c in _GAP_CLASSES])
        self.gap_after = np.array([weights.features.get(f"ga={c}", zero) for c in _GAP_CLASSES])
        self.id_of(PAD)

    def id_of(self, text: str) -> int:
        return self.ids[text]

    def add(self, text: str) -> int:
        """The row of a type not seen before: its features' weights summed per offset."""
        k = self.size
        self.size += 1
        if k == len(self.vectors):
            self.vectors = np.concatenate([self.vectors, np.zeros_like(self.vectors)])
        get = self.weights.features.get
        for j, o in enumerate(OFFSETS):
            rows = [w for w in map(get, offset_features(text, o)) if w is not None]
            if rows:
                self.vectors[k, j] = np.sum(rows, axis=0)
        self.ids[text] = k
        return k

    def bound(self, limit: int = 300_000) -> None:
        """Forget every type once the table holds ``limit`` (between articles: an article's rows stay valid)."""
        if self.size >= limit:
            self.ids.clear()
            self.size = 0
            self.id_of(PAD)


_GAP_CLASSES = ("sp", "dot", "q", "br", ",", "-", "o", "bos", "eos")  # "sp" first: index 0
_GAP_INDEX = {c: k for k, c in enumerate(_GAP_CLASSES)}


@cache
def _table() -> _TypeTable:
    return _TypeTable(unpack(seeds.model_arrays(MODEL_FILE)))


def emissions(table: _TypeTable, tokens: Tokens, body: str, spans: list[tuple[int, int]],
              classes: list[int] | None = None) -> list[np.ndarray]:
    """State scores ``[len, labels]`` of each sentence ``spans`` names, from the per-type vectors."""
    if classes is None:
        spans, classes = _layout(tokens, body)
    table.bound()
    ids = np.fromiter(map(table.ids.__getitem__, tokens.text), dtype=np.int64, count=len(tokens.text))
    lengths = np.array([end - first for first, end in spans])
    firsts = np.array([first for first, _ in spans])
    # one row of type ids with two pads before each sentence and after the last, so that every offset's
    # neighbour is one gather (pads are type 0)
    pos = np.arange(len(ids)) + 2 + 2 * np.repeat(np.arange(len(spans)), lengths)
    seq = np.zeros(len(ids) + 2 * len(spans) + 2, dtype=np.int64)
    seq[pos] = ids
    vec = table.vectors[seq]
    scores = vec[pos - 2, 0] + vec[pos - 1, 1] + vec[pos, 2] + vec[pos + 1, 3] + vec[pos + 2, 4]
    before = np.array(classes)
    after = np.append(before[1:], 0)
    before[firsts] = _GAP_INDEX["bos"]
    after[firsts + lengths - 1] = _GAP_INDEX["eos"]
    scores += table.gap_before[before] + table.gap_after[after]
    return np.split(scores, np.cumsum(lengths)[:-1])


def viterbi(emits: list[np.ndarray], transitions: np.ndarray) -> list[np.ndarray]:
    """Best label sequence of each sentence (all sentences in one batch: one numpy step per position).

    >>> t = np.array([[0.0, -5.0], [0.0, 0.0]], dtype=np.float32)
    >>> [p.tolist() for p in viterbi([np.array([[1, 0], [0, 1.0]]), np.array([[0, 1.0]])], t)]
    [[0, 0], [1]]
    """
    if not emits:
        return []
    lengths = np.array([len(e) for e in emits])
    batch, longest, labels = len(emits), int(lengths.max()), transitions.shape[0]
    em = np.zeros((batch, longest, labels), dtype=np.float32)
    for b, e in enumerate(emits):
        em[b, :len(e)] = e
    # the sentences whose last position is t: their best final label is read from delta at step t (past it,
    # a sentence's delta goes on over padding, which no path of it uses)
    order = np.argsort(lengths, kind="stable")
    bounds = np.searchsorted(lengths[order], np.arange(1, longest + 2))
    ending = [order[bounds[t]:bounds[t + 1]] for t in range(longest)]
    final = np.zeros(batch, dtype=np.int64)
    delta = em[:, 0]
    back = np.empty((longest, batch, labels), dtype=np.int64)
    for t in range(longest):
        if t:
            cand = delta[:, :, None] + transitions
            back[t] = cand.argmax(1)
            delta = cand.max(1) + em[:, t]
        if ending[t].size:
            final[ending[t]] = delta[ending[t]].argmax(1)
    tags = np.empty((batch, longest), dtype=np.int64)
    cur = np.zeros(batch, dtype=np.int64)
    rows = np.arange(batch)
    for t in range(longest - 1, -1, -1):
        if ending[t].size:
            cur[ending[t]] = final[ending[t]]
        tags[:, t] = cur
        if t:
            cur = back[t][rows, cur]
    return [tags[b, :n] for b, n in enumerate(lengths)]


def bio_spans(tags: list[str]) -> Iterator[tuple[int, int, str]]:
    """(first, last, type) of each entity in a BIO tag sequence (an I- after another type starts one).

    >>> list(bio_spans(["B-PERSON", "I-PERSON", "O", "I-ORG", "B-ORG"]))
    [(0, 1, 'PERSON'), (3, 3, 'ORG'), (4, 4, 'ORG')]
    """
    start, etype = None, None
    for k, tag in enumerate([*tags, "O"]):
        kind, _, t = tag.partition("-")
        if start is not None and (kind != "I" or t != etype):
            yield start, k - 1, etype
            start, etype = None, None
        if kind == "B" or (kind == "I" and start is None):
            start, etype = k, t
    return


def tag_tokens(tokens: Tokens, body: str, table: _TypeTable | None = None) -> list[str]:
    """The model's BIO tag of every token of a tokenised body."""
    table = table or _table()
    spans, classes = _layout(tokens, body)
    if not spans:
        return []
    labels = table.weights.labels
    paths = viterbi(emissions(table, tokens, body, spans, classes), table.weights.transitions)
    return [labels[k] for path in paths for k in path]


def tag_spans(tokens: Tokens, body: str) -> list[tuple[int, int, str]]:
    """(first token, last token, PERSON|ORG|PLACE) of each entity the model finds in a tokenised body."""
    return list(bio_spans(tag_tokens(tokens, body)))


def common_words() -> frozenset[str]:
    """Folded words that the training data has in a name almost never (a model span is trimmed of them)."""
    return _table().weights.common
