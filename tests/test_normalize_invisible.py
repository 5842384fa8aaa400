"""The one rule for control and invisible characters (transforms/normalize.py ``CONTROLS``): checked against
the Unicode database code point by code point, and as a property of ``body`` and ``body_norm``."""
from __future__ import annotations

import sys
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from transforms.clean import clean_text
from transforms.normalize import CONTROLS, normalize_for_search

# whitespace controls clean_text turns into a space or a line break, so they are not removed as such
WHITESPACE_CONTROLS = {"\t", "\n", "\x0b", "\x0c", "\r", "\x85"}
# default-ignorable code points that are not Cc/Cf (Unicode's DerivedCoreProperties), all invisible
OTHER_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0,
                   *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}


def test_the_class_is_every_control_format_and_default_ignorable_code_point():
    missed, extra = [], []
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        category = unicodedata.category(ch)
        must = ((category == "Cc" and ch not in WHITESPACE_CONTROLS) or category == "Cf" or cp in OTHER_INVISIBLE)
        # beyond those, only unassigned code points inside the listed ranges may match
        may = must or category == "Cn"
        matched = CONTROLS.fullmatch(ch) is not None
        if must and not matched:
            missed.append(f"U+{cp:04X}")
        if matched and not may:
            extra.append(f"U+{cp:04X} {category}")
    assert missed == [] and extra == []


def test_the_probes_characters_go_and_the_search_form_finds_the_word():
    word = "هانغ\u2060تشو"
    for ch in ["\u2060", "\u180e", *map(chr, range(0x2061, 0x2070)), "\ufff9", "\ufffa", "\ufffb", "\x07", "\x1b",
               "\x84", "\x9b"]:
        assert ch not in clean_text(f"قال {word.replace(chr(0x2060), ch)} اليوم")
    assert normalize_for_search(word) == normalize_for_search("هانغتشو") == "هانغتشو"


arabic = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
anything = st.characters(codec=None, exclude_categories=("Cs",)).filter(lambda c: c != "&")  # no &nbsp; entities
invisible = st.sampled_from(["\u2060", "\u180e", "\u200b", "\u200f", "\u202e", "\u2066", "\ufeff", "\u00ad",
                             "\ufff9", "\x00", "\x07", "\x1b", "\x7f", "\x84", "\x9b", "\U000e0041", "\ufe0f",
                             "\u3164", "\u034f", "\r", "\x0b", "\x85", "\u2028", "\t", "\u00a0"])
texts = st.lists(st.one_of(arabic, anything, invisible, st.just(" "), st.just("\n")), max_size=300).map("".join)


def _clean(text: str, newline_ok: bool) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in text if (unicodedata.category(ch) in ("Cc", "Cf") and
                                                  not (newline_ok and ch == "\n")) or CONTROLS.match(ch)]


@settings(max_examples=300, deadline=None)
@given(texts)
@example("\u0610\u0600\u0618")  # an invisible character between two marks that NFKC would reorder
def test_body_and_body_norm_hold_no_control_or_invisible_character(text):
    body = clean_text(text)
    assert _clean(body, newline_ok=True) == []
    assert clean_text(body) == body  # one pass is enough
    norm = normalize_for_search(body)
    assert _clean(norm, newline_ok=False) == []
    assert normalize_for_search(text) == norm  # the search form does not depend on them
