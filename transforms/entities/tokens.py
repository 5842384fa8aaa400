"""The words of a text, as entity and quote extraction see them: offsets, folded form, per-word facts.

:func:`tokens_of` splits a text into :class:`Tokens`, parallel lists indexed by word: where each word starts
and ends, its text and folded form, whether only spaces separate it from the word before (``joined``), and
its :class:`WordInfo` with the facts the passes test, also packed as bit flags (``flags``) so that a pass finds
its candidates with one scan of a list of ints.

Word facts are computed once per distinct written word per process (news vocabulary repeats heavily), so
tokenising an article costs about one dict lookup per word. A sequence model can read the same tokens and
facts as features.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter

from transforms.arabic.chars import HAS_LETTER_RE, WORD_RE
from transforms.arabic.fold import fold_word
from transforms.arabic.morphology import (
    ARTICLE_WITH_PROCLITIC,
    CONJUNCTIONS,
    IMPERFECT_PREFIXES,
    PREPOSITIONS,
    VERBAL_NOUN_RE,
    is_definite,
    is_nisba,
    proclitic_readings,
)
from transforms.entities.reference import names_starting, reference

fold = fold_word  # the folded form of one written word (remembered)
_WORD_RUN = re.compile(r"\w+")
# Gaps that may sit inside a multi-word name: spaces only (a newline or punctuation ends a name).
_SPACE_GAP = re.compile(r"[ \t\u00a0\u200c\u200f\u200e]+")


@lru_cache(maxsize=300_000)
def _short_first_words(forms: tuple[tuple[str, int], ...]) -> tuple:
    """Names of several words whose first is two letters, read off a preposition that the readings keep on a
    three-letter word (``لبي بي سي``: a reading of لبي as بي would make بن of لبن everywhere else): per reading,
    (letters stripped, those names by their second word, no one-word names), as ``WordInfo.names`` holds them.

    >>> [(skip, sorted(multi)) for skip, multi, _ in _short_first_words(proclitic_forms("لبي"))]
    [(1, ['ان', 'بي'])]
    """
    gaz = reference().gaz
    out = []
    for form, skip in forms:
        if len(form) == 3 and form[0] in PREPOSITIONS and form[1:] in gaz:
            multi, _ = names_starting(form[1:])
            if multi:
                out.append((skip + 1, multi, ()))
    return tuple(out)


def proclitic_forms(word: str) -> tuple[tuple[str, int], ...]:
    """Folded ``word`` and its readings without proclitics, as (form, characters stripped), full form first.

    >>> proclitic_forms("وبوتين")
    (('وبوتين', 0), ('بوتين', 1), ('وتين', 2))
    >>> ('الامم', 1) in proclitic_forms("للأمم")
    True
    """
    return proclitic_readings(fold(word))


# Reporting-verb kinds of a word (transforms.quotes reads them): bits of reporting_kinds, and of
# WordInfo.flags at QUOTE_SHIFT.
VERB, PARTICIPLE, WEAK, ATTRIBUTION = 1, 2, 4, 8


def _reporting_bits(forms: tuple[tuple[str, int], ...]) -> int:
    """VERB|PARTICIPLE|WEAK|ATTRIBUTION bits of the word whose :func:`proclitic_forms` are ``forms`` (the first
    three readings count)."""
    readings = [f for f, _ in forms][:3]
    mask = 0
    for bit, kind in zip((VERB, PARTICIPLE, WEAK, ATTRIBUTION), reference().reporting, strict=True):
        if any(f in kind for f in readings):
            mask |= bit
    return mask


def reporting_kinds(word: str) -> int:
    """Which reporting-verb lists ``word`` (or it without a proclitic) belongs to, as VERB|PARTICIPLE|… bits.

    >>> reporting_kinds("وقال") & VERB, reporting_kinds("بوتين")
    (1, 0)
    """
    return _reporting_bits(proclitic_forms(word))


@lru_cache(maxsize=200_000)
def _can_be_name_word(text: str, first: bool) -> bool:
    """The context-free part of the test whether a word can be (the first) word of a person's name."""
    f = fold(text)
    ref = reference()
    if not HAS_LETTER_RE.search(f) or len(f) < 2 or f in ref.stop:
        return False
    if f in ref.first_names:
        return True
    # a word that is a particle, title or verbal noun once a proclitic is removed (لرئيس، لاستثمار)
    if any(g in ref.stop or g in ref.titles or VERBAL_NOUN_RE.match(g) for g, n in proclitic_forms(text)[1:]):
        return False
    if VERBAL_NOUN_RE.match(f) or f[0] in CONJUNCTIONS and len(f) > 3:
        return False
    if first:
        # common nouns: feminine ending, sound plurals, -iyyan adverbs (حاليا), imperfect verbs (يبدو)
        if is_definite(f) or f.endswith(("ه", "ات", "يا", "ون", "ين")) or f in ref.titles or f[0] == "ي":
            return False
        return True
    if f.startswith(ARTICLE_WITH_PROCLITIC) and f not in ref.first_names:
        return False
    if f in ref.titles or f.endswith("يا") and len(f) > 4 or f.endswith(("ته", "تها", "هم", "ها")) \
            or f.endswith("ات") and len(f) >= 6:
        return False
    return True


# Bits of WordInfo.flags: the per-word facts the passes test on every token, as one int per token
# (``Tokens.flags``) so that a pass finds its candidates with one cheap scan of a list of ints.
GAZ = 1  # a reference name starts here (some proclitic reading)
TITLE = 2  # a role title starts here
HEAD = 4  # an organisation or place head (وزارة، جامعة، مطار …), or a definite body (الجيش، المنتخب)
GIVEN = 8  # a known given name (also after و/ف)
NAME_FIRST = 16  # can be the first word of a name (context-free part of the test)
NAME_NEXT = 32  # can be a later word of a name
CONNECTOR = 64  # بن، أبو، عبد …: continues a name only if a name word follows
DEFINITE = 128  # the article and more than one letter after it (morphology.is_definite)
ADJECTIVE = 256  # a nationality or listed title adjective (الروسي): ends a name, continues a title
NISBA = 512  # a definite relation adjective, or a listed title adjective
PLAIN = 1024  # neither a particle nor a reporting verb
COMPLEMENT = 2048  # a listed title complement word, or باسم
VERB_LIKE = 4096  # starts like an imperfect verb (ي ت ن س) and is no given name
EMPTY = 8192  # folds to nothing (a run of tatweel or diacritics): the only bit such a word has
QUOTE_SHIFT = 14  # flags >> QUOTE_SHIFT are the word's reporting_kinds (VERB, PARTICIPLE, WEAK, ATTRIBUTION)
PREFIXED_GAZ = 1 << 18  # (past the reporting kinds) a reference name starts after a preposition on this word
EXTENDS = NAME_NEXT | CONNECTOR  # can continue a name started on the word before
STARTS = GAZ | TITLE | HEAD | GIVEN | PREFIXED_GAZ  # what the matching passes start from
# One int object per distinct flags value: the few hundred values stay in the CPU cache, where an int object
# of its own per word (ints above 256 are allocated) would be one more memory access per token and pass.
_FLAG_VALUES: dict[int, int] = {}


class WordInfo:
    """Everything the matcher asks about one written word, computed once per distinct word per process.

    News vocabulary repeats heavily, so per-token work in an article is one dict lookup; the matching passes
    then visit only the tokens that can start something (a reference name, a title, an organisation head).
    """

    # The slots read for every token of every text come first: they share the object's first cache line
    # (the vocabulary cache is far bigger than the CPU caches, so each token's WordInfo is a memory access).
    __slots__ = ("folded", "flags", "forms", "names", "single_name", "titles", "org_head", "given", "name_first",
                 "name_next", "verb", "word_runs", "prefixed_names")

    def __init__(self, text: str):
        ref = reference()
        f = self.folded = fold(text)
        forms = self.forms = proclitic_forms(text)
        # reference names starting here: per proclitic reading (in order), (letters stripped, names of several
        # words by their second word, one-word names), see names_starting
        self.names = tuple((skip, *names_starting(form)) for form, skip in forms if form in ref.gaz)
        # and those read off a preposition the readings keep (لبي بي سي): for the matcher only, the model's
        # gazetteer features stay those of the readings it was trained with
        self.prefixed_names = _short_first_words(forms)
        # when every name starting here is one word, the match is the first reading's first entry
        self.single_name = (self.names[0][0], self.names[0][2][0][1]) \
            if self.names and not any(multi for _, multi, _ in self.names) else None
        self.titles = tuple((form, skip, tuple(ref.titles[form])) for form, skip in forms if form in ref.titles)
        # an organisation head, a place head (مطار، محافظة) or a definite body (الجيش، المنتخب): the pass tells
        # them apart by the form
        self.org_head = next(((g, n) for g, n in forms if g in ref.org_heads or g in ref.place_heads
                              or g in ref.definite_heads or g in ref.place_org_heads), None)
        self.given = bool(f) and (f in ref.first_names or (f[0] in CONJUNCTIONS and f[1:] in ref.first_names))
        self.name_first = bool(f) and _can_be_name_word(text, True)
        self.name_next = bool(f) and _can_be_name_word(text, False)
        self.verb = any(g in ref.verbs for g, _ in proclitic_forms(f))
        self.word_runs = len(_WORD_RUN.findall(text))  # \w runs: diacritics split them (article word counts)
        reporting = _reporting_bits(forms)
        bits = ((GAZ, self.names), (TITLE, self.titles), (HEAD, self.org_head is not None), (GIVEN, self.given),
                (NAME_FIRST, self.name_first), (NAME_NEXT, self.name_next),
                (CONNECTOR, f in ref.connectors or f == "عبد"), (DEFINITE, is_definite(f)),
                (ADJECTIVE, f in ref.nationality or f in ref.nisba_extra),
                (NISBA, is_nisba(f) or f in ref.nisba_extra),
                (PLAIN, f not in ref.particles and f not in ref.verbs),
                (COMPLEMENT, f in ref.complement_words or f == "باسم"),
                (VERB_LIKE, bool(f) and f[0] in IMPERFECT_PREFIXES and f not in ref.first_names))
        flags = sum(bit for bit, on in bits if on) + (reporting << QUOTE_SHIFT) if f else EMPTY
        if self.prefixed_names:
            flags |= PREFIXED_GAZ
        self.flags = _FLAG_VALUES.setdefault(flags, flags)


class _InfoCache(dict):
    """text -> WordInfo, filled on first sight (bounded: past the cap new words are computed, not kept)."""

    def __missing__(self, text: str) -> WordInfo:
        info = WordInfo(text)
        if len(self) < 400_000:
            self[text] = info
        return info


class _GapCache(dict):
    """gap between two tokens -> whether it is spaces only (the tokens are 'joined')."""

    def __missing__(self, gap: str) -> bool:
        v = _SPACE_GAP.fullmatch(gap) is not None
        if len(self) < 50_000:
            self[gap] = v
        return v


_INFO = _InfoCache()
_WORD_RUNS = attrgetter("word_runs")
_GAPS = _GapCache()
_TOKEN_SPLIT = re.compile(f"({WORD_RE.pattern})")


def word_info(text: str) -> WordInfo:
    """The :class:`WordInfo` of one written word (remembered).

    >>> word_info("وقال").flags >> QUOTE_SHIFT & VERB, word_info("بوتين").flags & GAZ
    (1, 1)
    """
    return _INFO[text]


@dataclass(slots=True)
class Tok:
    """One word of a text (see :meth:`Tokens.__getitem__`)."""

    start: int
    end: int
    text: str
    folded: str
    joined: bool  # only spaces between the previous token and this one


@dataclass(slots=True)
class Tokens:
    """The words of one text as parallel lists (index k is the k-th word)."""

    start: list[int]
    end: list[int]
    text: list[str]
    folded: list[str]
    joined: list[bool]  # only spaces between the previous token and this one
    info: list[WordInfo]
    flags: list[int] = field(default_factory=list)  # WordInfo.flags of each word
    dropped: list[WordInfo] = field(default_factory=list)  # runs of tatweel/diacritics only (not words)

    def __len__(self) -> int:
        return len(self.folded)

    def __getitem__(self, k: int) -> Tok:
        return Tok(self.start[k], self.end[k], self.text[k], self.folded[k], self.joined[k])

    def word_count(self) -> int:
        """``len(re.findall(r"\\w+", text))`` of the tokenised text.

        Every ``\\w`` character is a token character, so each ``\\w+`` run lies inside one token: the count
        is the sum of the tokens' own run counts (a dropped tatweel-only token still holds one).
        """
        return sum(map(_WORD_RUNS, self.info)) + sum(map(_WORD_RUNS, self.dropped))

    def index_at(self, char: int) -> int:
        """The token that starts at or before character offset ``char`` (0 before the first).

        >>> tokens_of("قال بوتين، إن").index_at(6)
        1
        """
        return max(0, bisect_right(self.start, char) - 1)


def tokens_of(body: str) -> Tokens:
    """Words of ``body`` as parallel lists: offsets, text, folded form, joined-to-previous, word info.

    >>> t = tokens_of("قال بوتين، إن")
    >>> t.text, t.joined, t.start
    (['قال', 'بوتين', 'إن'], [False, True, False], [0, 4, 11])
    """
    parts = _TOKEN_SPLIT.split(body)  # gap, word, gap, word, ..., gap
    texts = parts[1::2]
    if not texts:
        return Tokens([], [], [], [], [], [])
    cum = list(accumulate(map(len, parts)))
    starts = cum[0:-1:2]
    ends = cum[1::2]
    joined = [False, *map(_GAPS.__getitem__, parts[2:-1:2])]
    infos = list(map(_INFO.__getitem__, texts))
    folded = [w.folded for w in infos]
    flags = [w.flags for w in infos]
    dropped: list[WordInfo] = []
    if EMPTY in flags:  # == not all(folded), without reading every folded string
        # a run of tatweel or diacritics only is not a word; the word after it is never joined
        keep = [k for k, f in enumerate(folded) if f]
        dropped = [w for w in infos if not w.folded]
        joined = [joined[k] and (n > 0 and keep[n - 1] == k - 1) for n, k in enumerate(keep)]
        starts, ends, texts, folded, infos, flags = ([xs[k] for k in keep]
                                                     for xs in (starts, ends, texts, folded, infos, flags))
    return Tokens(starts, ends, texts, folded, joined, infos, flags, dropped)


def tokenize(body: str) -> list[Tok]:
    """Words of ``body`` with offsets, folded forms and whether only spaces precede them.

    >>> [(t.text, t.joined) for t in tokenize("قال بوتين، إن")]
    [('قال', False), ('بوتين', True), ('إن', False)]
    """
    t = tokens_of(body)
    return [t[k] for k in range(len(t))]
