"""Arabic text normal forms: the contract's ``body_norm``, a matching key for names, the search form.

``normalize_for_search`` is contract §5 exactly; ``match_key`` adds punctuation folding on top, for
comparing names and phrases (entities, agencies, quotes) regardless of how a site spelled them;
``search_form`` adds the word-final ي+ا/ه folding that full-text search applies to queries and headlines.
The character-level folds they are built on are :mod:`transforms.arabic.fold`'s (``fold_arabic`` and
``strip_controls`` are importable from here too).
"""
from __future__ import annotations

import re

from transforms.arabic.chars import CONTROL_RE as CONTROLS
from transforms.arabic.fold import fold_arabic, strip_controls
from transforms.arabic.morphology import fold_final_nisba

__all__ = ["CONTROLS", "fold_arabic", "fold_paragraph", "match_key", "normalize_for_search", "normalize_paragraphs",
           "paragraph_key", "search_form", "strip_controls"]

_PUNCT = re.compile(r"[\"'“”«»„‟‘’()\[\]{}.,،؛;:!?؟…\-–—/\\|*]+")


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


def search_form(text: str) -> str:
    """A query or headline as the full-text index holds it: ``normalize_for_search`` plus the word-final
    ي+ا/ه folding (سوريا/سورية, الأمريكية/الأمريكي), which the Arabic stemmer leaves apart.

    >>> search_form("الاتفاق حول سورية") == search_form("الإتفاق حول سوريا")
    True
    """
    return fold_final_nisba(normalize_for_search(text))
