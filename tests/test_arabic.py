"""The Arabic language layer (transforms/arabic) and the seed reader (transforms/seeds): properties of the
folds and affix rules, the SQL form of the search folding against the Python one, and one home per fact."""
from __future__ import annotations

import re
import typing
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import seeds
from transforms.arabic import chars
from transforms.arabic.fold import (
    fold_arabic,
    fold_with_offsets,
    fold_word,
    letter_offset,
    strip_controls,
    strip_diacritics,
    to_ascii_digits,
)
from transforms.arabic.morphology import (
    ARTICLE,
    CONJUNCTIONS,
    FINAL_NISBA_RE2,
    FINAL_NISBA_RE2_REPLACEMENT,
    PREPOSITIONS,
    attach_lam,
    detach_lam,
    fold_final_nisba,
    inflect_nisba,
    is_nisba,
    light_stem,
    nisba_of,
    proclitic_readings,
    proclitic_spellings,
)

ROOT = Path(__file__).resolve().parent.parent
LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱىةؤئ"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0640"
# everything the folds treat specially: letters and their variants, marks, tatweel, both kinds of Indic digits,
# controls, presentation forms and ligatures (NFKC expands them), Latin with a combining accent, spaces
ALPHABET = (LETTERS + MARKS + "٠١٢٣٤٥٦٧٨٩۰۱۲۳" + "0123" + "\u200b\u200c\u200e\u200f\u202a\u2066\ufeff\u061c\u00ad"
            + "ﻻﷺﺑﻟﻠ" + "e\u0301" + " \n.،")
texts = st.text(alphabet=ALPHABET, max_size=80)
words = st.text(alphabet=LETTERS, min_size=1, max_size=9)


# -- characters ------------------------------------------------------------------------------------------

def _members(pattern: re.Pattern[str]) -> set[int]:
    return {c for c in range(0x10000) if pattern.fullmatch(chr(c))}


def test_character_sets_are_the_documented_code_points():
    diacritics = set(range(0x64B, 0x660)) | {0x670}
    assert _members(chars.DIACRITIC_RE) == diacritics | {0x640}
    assert _members(chars.MARK_RE) == set(range(0x64B, 0x660))
    assert _members(chars.INDIC_DIGIT_RE) == set(range(0x660, 0x66A)) | set(range(0x6F0, 0x6FA))
    assert _members(chars.HAS_LETTER_RE) == set(range(0x621, 0x64B))
    assert _members(re.compile(f"[{chars.ARABIC_BLOCK}]")) == set(range(0x600, 0x700))
    assert set(chars.DIGIT_FOLDS.values()) == set("0123456789") and len(chars.DIGIT_FOLDS) == 20
    # The control class is checked code point by code point against Unicode in test_normalize_invisible.
    assert set(range(0x200B, 0x2010)) | set(range(0x202A, 0x202F)) | set(range(0x2060, 0x2070)) \
        | {0xFEFF, 0x061C, 0x00AD} <= _members(chars.CONTROL_RE)
    assert not _members(chars.CONTROL_RE) & (set(range(0x621, 0x64B)) | diacritics)


def test_word_class_is_word_characters_plus_diacritics_and_tatweel():
    plain = re.compile(r"[\w\u064b-\u065f\u0670\u0640]")
    assert all((plain.match(chr(c)) is None) == (chars.WORD_RE.match(chr(c)) is None) for c in range(0x110000))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_arabic_share_counts_the_block_over_visible_characters(text: str):
    visible = [c for c in text if not c.isspace()]
    expected = sum("\u0600" <= c <= "\u06ff" for c in visible) / max(len(visible), 1)
    assert chars.arabic_share(text) == pytest.approx(expected)


# -- folding ---------------------------------------------------------------------------------------------

@settings(max_examples=500, deadline=None)
@given(texts)
def test_folding_with_offsets_maps_every_folded_span_back(text: str):
    folded = fold_with_offsets(text)
    assert folded.text == "".join(fold_arabic(c) for c in text)
    starts = folded.starts if folded.starts is not None else list(range(len(text) + 1))
    assert len(starts) == len(folded.text) + 1 and starts[-1] == len(text)
    assert starts == sorted(starts) and all(s < len(text) for s in starts[:-1])
    # a span whose ends fall between whole characters' folds is the fold of the original span it maps to
    cuts = [i for i in range(len(folded.text) + 1) if i in (0, len(folded.text)) or starts[i] != starts[i - 1]]
    for a in cuts:
        for b in cuts:
            if a <= b:
                lo, hi = folded.original_span(a, b)
                assert "".join(fold_arabic(c) for c in text[lo:hi]) == folded.text[a:b], (a, b, lo, hi)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_folds_drop_what_they_say(text: str):
    assert not chars.CONTROL_RE.search(strip_controls(text))
    assert not chars.DIACRITIC_RE.search(strip_diacritics(text))
    ascii_digits = to_ascii_digits(text)
    assert len(ascii_digits) == len(text) and not chars.INDIC_DIGIT_RE.search(ascii_digits)
    folded = fold_arabic(text)
    assert not re.search(f"[{chars.CONTROLS}{chars.DIACRITICS}{chars.TATWEEL}{chars.INDIC_DIGITS}"
                         f"{''.join(chars.LETTER_FOLDS)}]", folded)
    assert fold_word(text) == folded


def test_whole_text_fold_composes_where_the_per_character_fold_cannot():
    # waw + hamza above is NFKC's ؤ; alone, the mark is a diacritic and goes
    assert fold_arabic("و\u0654") == "ؤ" and fold_with_offsets("و\u0654").text == "و"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LETTERS + MARKS, min_size=1, max_size=12))
def test_letter_offset_is_the_word_level_fold_offset(word: str):
    folded = fold_with_offsets(word)
    starts = folded.starts if folded.starts is not None else list(range(len(word) + 1))
    for n in range(1, len(folded.text) + 1):
        assert letter_offset(word, n) == starts[n]


# -- morphology ------------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(words, st.sampled_from(["", *CONJUNCTIONS]), st.sampled_from(["", *PREPOSITIONS, "lam-article"]))
def test_every_reading_is_spelt_by_proclitic_spellings(stem: str, conjunction: str, preposition: str):
    stem = fold_word(stem)
    if preposition == "lam-article":
        word = conjunction + attach_lam(ARTICLE + stem)
    else:
        word = conjunction + preposition + stem
    for form, stripped in proclitic_readings(word):
        assert word in proclitic_spellings(frozenset({form}))
        # a reading is the word without its first ``stripped`` letters, or ل + ال read back from لل
        assert form == word[stripped:] or form == detach_lam(word[stripped - 1:])


@settings(max_examples=300, deadline=None)
@given(words)
def test_lam_article_round_trip_and_light_stem_bounds(stem: str):
    word = ARTICLE + fold_word(stem)
    assert detach_lam(attach_lam(word)) == word
    stemmed = light_stem(fold_word(stem))
    assert stemmed in fold_word(stem) and len(stemmed) >= min(len(fold_word(stem)), 3)


def test_nisba_rules():
    assert [nisba_of(w) for w in ("سوريا", "روسيا", "الصين", "مصر", "تركيه")] == \
        ["السوري", "الروسي", "الصيني", "المصري", "التركي"]
    assert all(is_nisba(w) for w in inflect_nisba("الروسي"))
    assert fold_final_nisba("سوريه، سوريا والامريكيه ويافا") == "سوري، سوري والامريكي ويافا"


_SQL_TEXT = st.text(alphabet=LETTERS + MARKS + "يااهه" + " .،\n0123", max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.lists(_SQL_TEXT, min_size=1, max_size=8))
def test_sql_form_of_the_search_folding_equals_the_python_one(batch: list[str]):
    con = duckdb.connect()
    sql = f"regexp_replace(t, '{FINAL_NISBA_RE2}', '{FINAL_NISBA_RE2_REPLACEMENT}', 'g')"
    got = con.execute(f"SELECT list_transform(?::VARCHAR[], t -> {sql})", [batch]).fetchone()[0]
    assert got == [fold_final_nisba(t) for t in batch]


# -- seeds -----------------------------------------------------------------------------------------------

_TYPED = {"calendar.json": (seeds.calendar, seeds.CalendarSeed), "chrome.json": (seeds.chrome, seeds.ChromeSeed),
          "agencies.json": (seeds.agencies, seeds.AgenciesSeed),
          "places_dateline.json": (seeds.dateline_places, seeds.DatelinePlacesSeed),
          "outlets.json": (seeds.outlets, seeds.OutletsSeed), "stories.json": (seeds.stories, seeds.StoriesSeed),
          "arabic/morphology.json": (seeds.morphology, seeds.MorphologySeed)}


@pytest.mark.parametrize("name", sorted(_TYPED))
def test_seed_types_describe_the_files(name: str):
    read, kind = _TYPED[name]
    data = read()
    assert data is read() is seeds.read_seed(name)  # parsed once
    hints = typing.get_type_hints(kind)
    assert set(kind.__required_keys__) <= set(data) <= set(hints), name
    for key, hint in hints.items():
        if key in data and hint is not typing.Any:
            expected = dict if typing.is_typeddict(hint) else typing.get_origin(hint) or hint
            assert isinstance(data[key], expected), (name, key)


def test_every_seed_file_has_a_reader():
    files = {p.relative_to(seeds.SEEDS_DIR).as_posix() for p in seeds.SEEDS_DIR.rglob("*.json")
             if p.parent.name not in ("raw", "labels")}
    entity_lists = set(typing.get_args(seeds.EntityList))
    read = set(_TYPED) | {f"entities/{n}.json" for n in entity_lists}
    # the overrides feed the generated countries.json and geo.json (scripts/build_gazetteer.py,
    # scripts/build_places.py), not the pipeline; the model's recorded scores are make train's and make eval's
    assert files - read == {"entities/country_overrides.json", "entities/geo_overrides.json",
                            "models/ner.scores.json"}
    assert all(seeds.entity_list(n) is seeds.entity_list(n) for n in entity_lists)


# -- one home per fact -----------------------------------------------------------------------------------

_DUPLICATES = {
    "a diacritic range": re.compile(r"\\u064[bB]-\\u065[fF]|[\u064b]-[\u065f]"),
    "the Arabic block": re.compile(r"\\u0600-\\u06[fF]{2}|[\u0600]-[\u06ff]"),
    "an Indic digit range": re.compile(r"\\u0660-\\u0669|\\u06[fF]0-\\u06[fF]9"),
    "a control range": re.compile(r"\\u200[bB]-\\u200[fF]"),
    "a proclitic class": re.compile(r"\[وف[بلك]*\]|\"وف\"|\"بلك\"|\"وبلفك\""),
    "a path to seeds/": re.compile(r"[\"']seeds[\"']\s*[)/]|/ *\"seeds\""),
}


def test_arabic_facts_and_seed_paths_have_one_home():
    homes = {ROOT / "transforms" / "arabic", ROOT / "transforms" / "seeds.py"}
    sources = [p for d in ("transforms", "flows") for p in (ROOT / d).rglob("*.py")
               if not any(p == h or h in p.parents for h in homes)]
    found = [(p.relative_to(ROOT).as_posix(), what) for p in sources for what, rx in _DUPLICATES.items()
             if rx.search(p.read_text(encoding="utf-8"))]
    assert found == []
