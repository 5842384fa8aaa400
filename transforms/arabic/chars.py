"""The characters of Arabic text that khabar's rules talk about, each set defined once.

A set is kept as the contents of a regex character class (ranges allowed), so that a rule can combine sets
in a class of its own (``f"[{LETTERS}{DIACRITICS}]"``); the compiled patterns most rules need are below them.
Character maps (letter and digit folds) are data: plain dicts that :mod:`transforms.arabic.fold` applies.

>>> DIACRITIC_RE.sub("", "أَكَّدَ الرئيسُ")
'أكد الرئيس'
>>> ARABIC_RUN_RE.findall("قال Putin")
['قال']
"""
from __future__ import annotations

import re

# -- sets (regex class contents) ---------------------------------------------------------------------------

# The Arabic block U+0600–U+06FF: letters, marks, digits and the script's punctuation.
ARABIC_BLOCK = "\u0600-\u06ff"
# Every Arabic block: the Arabic block, Arabic Supplement, Presentation Forms-A and -B.
ARABIC_SCRIPT = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
# The base letters hamza … ya (U+0621–U+064A): what "an Arabic word" has at least one of.
LETTERS = "\u0621-\u064a"
# Letters of every Arabic block, without marks, digits, punctuation or the presentation-form specials.
SCRIPT_LETTERS = "\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc"
# Combining marks U+064B–U+065F: tanwin, harakat, shadda, sukun, maddah, hamza above/below, …
MARKS = "\u064b-\u065f"
SUPERSCRIPT_ALEF = "\u0670"
# What folding drops from a word besides tatweel: the marks and the superscript (dagger) alef.
DIACRITICS = MARKS + SUPERSCRIPT_ALEF
TATWEEL = "\u0640"
# Every code point that is a control or invisible, removed from ``body`` and ``body_norm`` alike:
# - C0 and C1 controls, except the ones clean_text turns into a space or a line break (tab, LF, VT, FF,
#   CR, NEL); DEL;
# - every format character (Unicode category Cf): bidi marks, embeddings and isolates, zero-width space,
#   joiners, word joiner and invisible operators (U+2060–U+2064), the BOM, the Arabic letter mark, the soft
#   hyphen, U+180E, the interlinear annotation marks (U+FFF9–U+FFFB), tag characters, and the prepended
#   concatenation marks (U+0600–U+0605, U+06DD, …: a sign drawn over the digits that follow it, which a
#   search must not need);
# - the other default-ignorable code points (invisible by definition): combining grapheme joiner, Hangul
#   fillers, Khmer inherent vowels, Mongolian free variation selectors, variation selectors, U+2065, the
#   unassigned U+FFF0–U+FFF8, and the reserved block U+E0000–U+E0FFF.
# tests/test_normalize_invisible.py checks the class against the Unicode database, code point by code point.
CONTROLS = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
# Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹, Persian/Urdu) digits.
INDIC_DIGITS = "\u0660-\u0669\u06f0-\u06f9"
# Quotation marks of every style the pages use (ASCII, curly, guillemets, low-9).
QUOTE_MARKS = "\"“”«»„‟"
# a written accusative ending (ضيفاً، جميعاً): an adverb or object, never a name's word
TANWEEN_ENDINGS = ("اً", "ًا")

# -- maps (data) -------------------------------------------------------------------------------------------

# Letter variants that spelling does not decide: hamza forms of alef, wasla, alef maqsura, ta marbuta.
LETTER_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}
DIGIT_FOLDS = {**{chr(0x660 + i): str(i) for i in range(10)}, **{chr(0x6F0 + i): str(i) for i in range(10)}}

# -- compiled ----------------------------------------------------------------------------------------------

ARABIC_RUN_RE = re.compile(f"[{ARABIC_BLOCK}]+")
ARABIC_SCRIPT_RUN_RE = re.compile(f"[{ARABIC_SCRIPT}]+")
HAS_LETTER_RE = re.compile(f"[{LETTERS}]")
SCRIPT_LETTER_RE = re.compile(f"[{SCRIPT_LETTERS}]")
MARK_RE = re.compile(f"[{MARKS}]")
DIACRITIC_RE = re.compile(f"[{DIACRITICS}{TATWEEL}]")  # a diacritic or tatweel
TATWEEL_RE = re.compile(TATWEEL)
CONTROL_RE = re.compile(f"[{CONTROLS}]")
INDIC_DIGIT_RE = re.compile(f"[{INDIC_DIGITS}]")


# A written word: letters and digits (\w) plus the diacritics and tatweel inside Arabic words. The Arabic range
# U+0621–U+065F leads the class: the same set (its letters and tatweel are \w, the rest are the diacritics), but
# most characters of Arabic text then match on a range test before \w's category lookup.
WORD_RE = re.compile(f"[{LETTERS}{MARKS}{SUPERSCRIPT_ALEF}\\w]+")


def arabic_share(text: str) -> float:
    """Characters of the Arabic block over the non-space characters of ``text`` (0.0 for an empty text).

    >>> round(arabic_share("قال Putin"), 2), arabic_share("")
    (0.38, 0.0)
    """
    arabic = sum(map(len, ARABIC_RUN_RE.findall(text)))  # runs, not characters: ~4x faster on long texts
    return arabic / max(len("".join(text.split())), 1)

