"""Arabic text normal forms: the contract's ``body_norm`` and a matching key for names.

``normalize_for_search`` is contract §5 exactly; ``match_key`` adds punctuation folding on top, for
comparing names and phrases (entities, agencies, quotes) regardless of how a site spelled them.
"""
from __future__ import annotations

import re
import unicodedata

# Diacritics U+064B–U+065F, superscript alef U+0670, and tatweel U+0640.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
# Bidi marks/embeddings/isolates, zero-width characters and the BOM.
CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c\u00ad]")
_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
    **{chr(0x660 + i): str(i) for i in range(10)},
    **{chr(0x6F0 + i): str(i) for i in range(10)},
})
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\"'“”«»„‟‘’()\[\]{}.,،؛;:!?؟…\-–—/\\|*]+")


def strip_controls(text: str) -> str:
    """Remove bidi and zero-width control characters, keeping everything else as written.

    >>> strip_controls("سانا\u200f")
    'سانا'
    """
    return CONTROLS.sub("", text)


def fold_arabic(text: str) -> str:
    """NFKC, drop diacritics/tatweel and controls, fold letter variants and digits (no spacing change).

    >>> fold_arabic("إِلى ٢٠١٦")
    'الي 2016'
    """
    text = unicodedata.normalize("NFKC", text)
    return CONTROLS.sub("", _DIACRITICS.sub("", text)).translate(_FOLD)


def normalize_for_search(text: str) -> str:
    """The contract's ``body_norm``: folded Arabic with whitespace collapsed.

    >>> normalize_for_search("  أكّد   الرئيسُ\u200f  في ٢٠١٦ ")
    'اكد الرئيس في 2016'
    """
    return _SPACE.sub(" ", fold_arabic(text)).strip()


def match_key(text: str) -> str:
    """A comparison key: ``normalize_for_search`` with punctuation folded to spaces.

    >>> match_key("«الشرق الأوسط»") == match_key("الشرق الاوسط")
    True
    """
    return _SPACE.sub(" ", _PUNCT.sub(" ", fold_arabic(text))).strip()
