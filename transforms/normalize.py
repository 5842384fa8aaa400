"""Arabic text normal forms: the contract's ``body_norm`` and a matching key for names.

``normalize_for_search`` is contract §5 exactly; ``match_key`` adds punctuation folding on top, for
comparing names and phrases (entities, agencies, quotes) regardless of how a site spelled them.
"""
from __future__ import annotations

import re
import unicodedata

# Diacritics U+064B–U+065F, superscript alef U+0670, and tatweel U+0640.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
# Every code point that is a control or invisible, removed from ``body`` and ``body_norm`` alike:
# - C0 and C1 controls, except the ones clean_text turns into a space or a line break (tab, LF, VT, FF,
#   CR, NEL); DEL;
# - every format character (Unicode category Cf): bidi marks, embeddings and isolates, zero-width space,
#   joiners, word joiner and invisible operators (U+2060–U+2064), the BOM, soft hyphen, U+180E, the
#   interlinear annotation marks (U+FFF9–U+FFFB), tag characters, and the prepended concatenation marks
#   (U+0600–U+0605, U+06DD, …: a sign drawn over the digits that follow it, which a search must not need);
# - the other default-ignorable code points (invisible by definition): combining grapheme joiner, Hangul
#   fillers, Khmer inherent vowels, Mongolian free variation selectors, variation selectors, U+2065, the
#   unassigned U+FFF0–U+FFF8, and the reserved block U+E0000–U+E0FFF.
# tests/test_normalize_invisible.py checks the class against the Unicode database, code point by code point.
INVISIBLE_CLASS = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
CONTROLS = re.compile(f"[{INVISIBLE_CLASS}]")
_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
    **{chr(0x660 + i): str(i) for i in range(10)},
    **{chr(0x6F0 + i): str(i) for i in range(10)},
})
_DROP = re.compile(f"[\u064b-\u065f\u0670\u0640{INVISIBLE_CLASS}]")
_LETTERS = tuple((chr(k), v) for k, v in _FOLD.items() if not 0x660 <= k <= 0x669 and not 0x6F0 <= k <= 0x6F9)
_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\"'“”«»„‟‘’()\[\]{}.,،؛;:!?؟…\-–—/\\|*]+")


def strip_controls(text: str) -> str:
    """Remove control and invisible characters (``CONTROLS``), keeping everything else as written.

    >>> strip_controls("سانا\u200f"), strip_controls("هانغ\u2060تشو\x1b[0m\x84")
    ('سانا', 'هانغتشو[0m')
    """
    return CONTROLS.sub("", text)


def fold_arabic(text: str) -> str:
    """NFKC, drop diacritics/tatweel and controls, fold letter variants and digits (no spacing change).

    >>> fold_arabic("إِلى ٢٠١٦")
    'الي 2016'
    """
    text = unicodedata.normalize("NFKC", text)
    # Same result as deleting diacritics, then controls, then ``translate(_FOLD)`` (the deleted sets are
    # disjoint and the folds produce neither), but str.translate walks non-ASCII text one dict lookup per
    # character: a single deletion pass plus C-level replaces of only the letters present is ~10x faster.
    text = _DROP.sub("", text)
    for src, dst in _LETTERS:
        if src in text:
            text = text.replace(src, dst)
    if _DIGITS.search(text) is not None:
        text = text.translate(_FOLD)
    return text


# fold_arabic of the paragraphs of the page in hand: segmentation folds every paragraph for its chrome rules,
# and the article's body_norm needs the same folds again (see normalize_paragraphs). Keyed by the text, so a hit
# is always exact; emptied whenever it holds more than _MEMO_CHARS characters (a page or two).
_MEMO: dict[str, str] = {}
_MEMO_CHARS = 200_000
_memo_size = 0


def fold_paragraph(text: str) -> str:
    """``fold_arabic(text)``, remembered for a while (paragraphs are folded by more than one stage).

    >>> fold_paragraph("إِلى ٢٠١٦") == fold_arabic("إِلى ٢٠١٦")
    True
    """
    global _memo_size
    f = _MEMO.get(text)
    if f is None:
        f = fold_arabic(text)
        if _memo_size + len(text) > _MEMO_CHARS:
            _MEMO.clear()
            _memo_size = 0
        _MEMO[text] = f
        _memo_size += len(text)
    return f


def normalize_paragraphs(paragraphs: list[str]) -> str:
    """``normalize_for_search("\\n\\n".join(paragraphs))``, from the folds of the single paragraphs.

    Folding is per character except NFKC, and NFKC never reaches across a newline (a starter that composes with
    nothing); whitespace splitting of the joined text is the splitting of each part. So the body's normal form
    is its paragraphs' words in order, and each paragraph fold is usually remembered from segmentation.

    >>> ps = ["أكّد   الرئيسُ", "في ٢٠١٦ ", "", "  "]
    >>> normalize_paragraphs(ps) == normalize_for_search("\\n\\n".join(ps))
    True
    """
    # each paragraph's words space-joined (C-level), then the non-empty ones space-joined: the same words in order
    return " ".join([x for x in [" ".join(fold_paragraph(p).split()) for p in paragraphs] if x])


def paragraph_key(text: str) -> str:
    """``match_key(text)``, from the remembered fold of a page paragraph (:func:`fold_paragraph`).

    >>> paragraph_key("«الشرق الأوسط»") == match_key("«الشرق الأوسط»")
    True
    """
    return " ".join(_PUNCT.sub(" ", fold_paragraph(text)).split())


def normalize_for_search(text: str) -> str:
    """The contract's ``body_norm``: folded Arabic with whitespace collapsed.

    >>> normalize_for_search("  أكّد   الرئيسُ\u200f  في ٢٠١٦ ")
    'اكد الرئيس في 2016'
    """
    # split/join == collapsing \s+ runs and stripping (both use Unicode whitespace), without a regex pass
    return " ".join(fold_arabic(text).split())


def match_key(text: str) -> str:
    """A comparison key: ``normalize_for_search`` with punctuation folded to spaces.

    >>> match_key("«الشرق الأوسط»") == match_key("الشرق الاوسط")
    True
    """
    return " ".join(_PUNCT.sub(" ", fold_arabic(text)).split())
