"""Folding Arabic text to the form words are compared in, and mapping what is found there back to the text.

``fold_arabic`` is the one fold: NFKC, diacritics, tatweel and invisible controls dropped, letter variants
and digits mapped (:data:`~transforms.arabic.chars.LETTER_FOLDS`, :data:`~transforms.arabic.chars.DIGIT_FOLDS`).
It does not change spacing, so the contract's ``body_norm`` and the comparison keys of
:mod:`transforms.normalize` are built on it.

Rules that match on folded text but report offsets into the text as written (dates, inline footers) fold
character by character with :func:`fold_with_offsets`, which keeps where each folded character came from.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from transforms.arabic.chars import (
    CONTROL_RE,
    CONTROLS,
    DIACRITIC_RE,
    DIACRITICS,
    DIGIT_FOLDS,
    INDIC_DIGIT_RE,
    LETTER_FOLDS,
    TATWEEL,
)

_FOLD_TABLE = str.maketrans({**LETTER_FOLDS, **DIGIT_FOLDS})
_DIGIT_TABLE = str.maketrans(DIGIT_FOLDS)
_DROP_RE = re.compile(f"[{DIACRITICS}{TATWEEL}{CONTROLS}]")
_LETTER_PAIRS = tuple(LETTER_FOLDS.items())


def strip_controls(text: str) -> str:
    """Remove bidi and zero-width control characters, keeping everything else as written.

    >>> strip_controls("سانا\u200f")
    'سانا'
    """
    return CONTROL_RE.sub("", text)


def strip_diacritics(text: str) -> str:
    """Remove diacritics and tatweel, keeping the letters as written.

    >>> strip_diacritics("أَكَّدَ الـرئيسُ")
    'أكد الرئيس'
    """
    return DIACRITIC_RE.sub("", text)


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Extended Arabic-Indic digits as ASCII digits.

    >>> to_ascii_digits("٢٥ شوال ۱۴۳۶")
    '25 شوال 1436'
    """
    # str.translate walks non-ASCII text one dict lookup a character: only when there is a digit to map
    return text.translate(_DIGIT_TABLE) if INDIC_DIGIT_RE.search(text) is not None else text


def fold_arabic(text: str) -> str:
    """NFKC, drop diacritics/tatweel and controls, fold letter variants and digits (no spacing change).

    >>> fold_arabic("إِلى ٢٠١٦")
    'الي 2016'
    """
    if CONTROL_RE.search(text) is not None:
        # an invisible character between two marks (ؐ\u0600ؘ) keeps NFKC from putting them in canonical order: drop
        # it first, so that the folded form does not depend on it
        text = CONTROL_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    # Same result as deleting diacritics, then controls, then translating letters and digits (the deleted sets
    # are disjoint and the folds produce neither), but str.translate walks non-ASCII text one dict lookup per
    # character: a single deletion pass plus C-level replaces of only the letters present is ~10x faster.
    text = _DROP_RE.sub("", text)
    for src, dst in _LETTER_PAIRS:
        if src in text:
            text = text.replace(src, dst)
    if INDIC_DIGIT_RE.search(text) is not None:
        text = text.translate(_FOLD_TABLE)
    return text


@lru_cache(maxsize=300_000)
def fold_word(word: str) -> str:
    """``fold_arabic`` of one word, remembered (news vocabulary repeats heavily).

    >>> fold_word("أميركا") == fold_word("اميركا")
    True
    """
    return fold_arabic(word)


class Folded(NamedTuple):
    """A text folded character by character, with where each folded character came from.

    ``starts[i]`` is the offset in the original text of the character folded character ``i`` came from, plus
    one last entry, the original's length; ``None`` when every character folded to exactly one (offsets are
    then the same in both).
    """

    text: str
    starts: list[int] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the folded span ``start``..``end`` came from.

        The end maps to the next kept character, so diacritics or tatweel trailing the span stay inside it.

        >>> f = fold_with_offsets("قالَ أمسِ")
        >>> f.text, f.original_span(4, 7)
        ('قال امس', (5, 9))
        """
        if self.starts is None:
            return start, end
        return self.starts[start], self.starts[end]


class _CharFolds:
    """``fold_arabic`` of every character seen so far, and character classes over them for fast folding.

    ``text.translate(table)`` looks every character up in a dict. The same string is ``text`` with each
    character whose fold differs from it replaced by that fold: found with one regex scan, replaced with
    ``str.replace``. That is exact when no fold contains a changing character (``chained`` says when one does,
    and translate is used). The classes are rebuilt when a text brings characters not seen yet (rarely, after a
    while).
    """

    def __init__(self) -> None:
        self.table: dict[int, str] = {}  # ord(char) -> fold_arabic(char)
        self.odd: set[str] = set()  # chars whose fold is not exactly one character (offsets shift)
        self.unknown_re: re.Pattern[str] = re.compile(r"[\s\S]")  # a character not in the table yet
        self.changing_re: re.Pattern[str] | None = None
        self.odd_re: re.Pattern[str] | None = None
        self.chained = False

    def learn(self, text: str) -> None:
        table = self.table
        for ch in set(text):
            if ord(ch) not in table:
                folded = table[ord(ch)] = fold_arabic(ch)
                if len(folded) != 1:
                    self.odd.add(ch)
        klass = lambda chars: "".join(re.escape(c) for c in sorted(chars))  # noqa: E731
        self.unknown_re = re.compile(f"[^{klass(map(chr, table))}]")
        moved = {chr(k): v for k, v in table.items() if v != chr(k)}
        self.changing_re = re.compile(f"[{klass(moved)}]") if moved else None
        self.odd_re = re.compile(f"[{klass(self.odd)}]") if self.odd else None
        self.chained = any(c in moved for v in moved.values() for c in v)

    def fold(self, text: str) -> Folded:
        if self.unknown_re.search(text) is not None:
            self.learn(text)
        table = self.table
        if self.chained:
            out = text.translate(table)
        else:  # == text.translate(table): see the class docstring
            out = text
            if self.changing_re is not None:
                for ch in set(self.changing_re.findall(text)):
                    out = out.replace(ch, table[ord(ch)])
        if self.odd_re is None or self.odd_re.search(text) is None:
            return Folded(out, None)
        lens = list(map(len, map(table.__getitem__, map(ord, text))))
        if max(lens) <= 1:  # characters dropped, none expanded (the usual case): C-level offsets
            starts = list(compress(range(len(text)), lens))
        else:
            starts = [i for i, n in enumerate(lens) for _ in range(n)]
        starts.append(len(text))
        return Folded(out, starts)


_CHAR_FOLDS = _CharFolds()


def fold_with_offsets(text: str) -> Folded:
    """``fold_arabic`` applied character by character, with each folded character's offset in ``text``.

    Per character, so that every folded character has one origin: NFKC does not compose across characters
    here (``fold_arabic`` of the whole text may, and may then differ in length).

    >>> fold_with_offsets("٢٠١٦")
    Folded(text='2016', starts=None)
    >>> fold_with_offsets("هـ 5")
    Folded(text='ه 5', starts=[0, 2, 3, 4])
    """
    return _CHAR_FOLDS.fold(text)


@lru_cache(maxsize=100_000)
def letter_offset(word: str, letters: int) -> int:
    """Offset in a written word just past its first ``letters`` letters and the diacritics that follow them.

    Where a stem starts once ``letters`` proclitic letters (counted in the folded word) are stripped: the
    word-level case of :func:`fold_with_offsets`, counting every character but diacritics and tatweel as one
    letter (0 when the word has fewer).

    >>> letter_offset("وَبوتين", 1), letter_offset("للأمم", 1), letter_offset("بوتين", 0)
    (2, 1, 0)
    """
    if letters == 0:
        return 0
    seen = 0
    for k, ch in enumerate(word):
        if not DIACRITIC_RE.match(ch):
            seen += 1
            if seen == letters:
                k += 1
                while k < len(word) and DIACRITIC_RE.match(word[k]):
                    k += 1
                return k
    return 0
