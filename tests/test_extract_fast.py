"""The faster forms used on the per-article extraction path compute exactly what they replace.

Each test states the original computation and checks the fast one against it, on random text drawn from
the characters that matter (Arabic letters, diacritics, tatweel, digits of both kinds, punctuation, quote
marks, spaces of every kind, controls, newlines) and on the dev corpus where one is present.
"""
from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import corpus_zips, requires_corpus
from transforms import clean, normalize
from transforms.arabic.chars import WORD_RE
from transforms.arabic.fold import fold_with_offsets
from transforms.arabic.morphology import proclitic_spellings
from transforms.article import _language_utf8, detect_language, word_count
from transforms.clean import chrome_rules, clean_text
from transforms.entities import Tokens, fold, proclitic_forms, reference, tokens_of
from transforms.entities.tokens import _GAPS, _INFO, EMPTY
from transforms.normalize import fold_arabic, normalize_for_search, normalize_paragraphs, paragraph_key

# characters that exercise every branch of the folds, token classes and byte counts
_ALPHABET = (
    "ابتثجحخدذرسشصضطظعغفقكلمنهوي" "أإآٱىةءؤئ" "\u064b\u064c\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0670\u0640"
    "٠١٢٣٤٥٦٧٨٩۰۱۲" "0123456789" "abcXYZ_" "،؛؟.,:;!?-–—/()«»\"“”„‟'" " \t\n\r\u00a0\u2002\u3000\u200b"
    "\u200c\u200e\u200f\u202a\u2066\ufeff\u061c\u00ad\u2028\x85\x0b\x1c\u1680" "ﻻﷺﺑ" "ڤکی" "ݐ" "&"
)
texts = st.text(alphabet=_ALPHABET, max_size=120)


def test_token_class_is_the_original_set() -> None:
    original = re.compile(r"[\w\u064b-\u065f\u0670\u0640]")
    assert all((original.match(chr(c)) is None) == (WORD_RE.match(chr(c)) is None) for c in range(0x110000))


def _tokens_original(body: str) -> Tokens:
    """tokens_of as it was: one regex split, offsets from the part lengths, then the empty folds dropped."""
    parts = re.split(r"([\w\u064b-\u065f\u0670\u0640]+)", body)
    texts = parts[1::2]
    if not texts:
        return Tokens([], [], [], [], [], [])
    cum = list(accumulate(map(len, parts)))
    starts, ends = cum[0:-1:2], cum[1::2]
    joined = [False, *(re.fullmatch(r"[ \t\u00a0\u200c\u200f\u200e]+", g) is not None for g in parts[2:-1:2])]
    infos = [_INFO[t] for t in texts]
    folded = [w.folded for w in infos]
    if not all(folded):
        keep = [k for k, f in enumerate(folded) if f]
        joined = [joined[k] and (n > 0 and keep[n - 1] == k - 1) for n, k in enumerate(keep)]
        starts, ends, texts, folded, infos = ([xs[k] for k in keep] for xs in (starts, ends, texts, folded, infos))
    return Tokens(starts, ends, texts, folded, joined, infos)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_tokens_and_word_counts(text: str) -> None:
    got, want = tokens_of(text), _tokens_original(text)
    assert (got.start, got.end, got.text, got.folded, got.joined) == \
        (want.start, want.end, want.text, want.folded, want.joined)
    assert got.info == want.info and got.flags == [w.flags for w in want.info] and EMPTY not in got.flags
    assert got.word_count() == len(re.findall(r"\w+", text)) == word_count(text)
    assert all(_GAPS[g] == (re.fullmatch(r"[ \t\u00a0\u200c\u200f\u200e]+", g) is not None) for g in list(_GAPS)[:50])


@settings(max_examples=400, deadline=None)
@given(texts)
def test_language_from_utf8_bytes(text: str) -> None:
    assert _language_utf8(text, text.encode("utf-8")) == detect_language(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=5))
def test_body_norm_from_paragraph_folds(paragraphs: list[str]) -> None:
    kept = [p for p in (q.strip() for q in paragraphs if q) if p]
    assert normalize_paragraphs(kept) == normalize_for_search("\n\n".join(kept))
    # NFKC does not reach across a newline, so folding is per line too
    joined = "\n".join(paragraphs)
    assert unicodedata.normalize("NFKC", joined) == "\n".join(unicodedata.normalize("NFKC", p) for p in paragraphs)
    assert all(paragraph_key(p) == normalize.match_key(p) for p in paragraphs)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET + "&nbsp;#160", max_size=80))
def test_clean_text_output_without_ampersand_is_clean(text: str) -> None:
    out = clean_text(text)
    clean._last_clean = None  # the slow path, not the remembered result
    again = clean_text((out + ".")[:-1])  # a copy: not the remembered object either
    if "&" not in out:
        assert again == out
    assert clean_text(out) == clean_text((out + ".")[:-1])


def _literal_texts() -> st.SearchStrategy[str]:
    """Text built from pieces of the chrome patterns' literals, so that the rules do match sometimes."""
    raw = [p for pats in chrome_rules()["line_tests"].values() for t in pats.searched for c in t[1] for p in c]
    pieces = sorted(set(raw) | {"تابعونا على تويتر", "التعليقات", "ارسل رساله", "انظر ايضا:", "سمات", ".", ":",
                                "http://x.com", "2268", "اضف تعليق", "صوره: ارشيف", " ", "\u0651"})
    return st.lists(st.one_of(st.sampled_from(pieces), texts), max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(_literal_texts())
def test_chrome_line_tests_equal_the_seed_regexes(text: str) -> None:
    rules = chrome_rules()
    for f in (text, fold_arabic(text), fold_arabic(text).strip()):
        want = next((cat for cat, rx in rules["line"].items() if rx.search(f)), None)
        assert rules["first_category"](f) == want
        assert all(rules["line_tests"][cat](f) == bool(rx.search(f)) for cat, rx in rules["line"].items())
        assert rules["inline_test"](f) == any(rx.search(f) for rx in rules["inline"])


def test_required_literals_are_required() -> None:
    pats = [r"(?:^|\s)(اقرا|انظر) (ايضا|كذلك)\s*[:：].*$", r"(?<=[.!؟])\s*سمات(\s+\S+){1,15}\s*$", r"ab|cd",
            r"(x|y)+z", r"(?:foo)?bar", r"ق(ا|و)ل"]
    samples = ["انظر ايضا: هنا", "نص. سمات كلمة اخرى", "xxz", "bar", "قال", "قول", "cd", "لا شيء"]
    for p in pats:
        rx, lits = re.compile(p), clean._required_literals(re._parser.parse(p))
        for s in samples:
            if rx.search(s):
                assert all(any(x in s for x in c) for c in lits), (p, s, lits)


def test_spellings_cover_every_reading() -> None:
    ref = reference()
    names = sorted({w for key in ref.gaz for w in key.split()} | {k[0] for k in ref.titles})[:3000]
    for x in names:
        for w in (x, "و" + x, "ف" + x, "ب" + x, "ل" + x, "ك" + x, "وب" + x, "فل" + x, "لل" + x[2:], "ولل" + x[2:],
                  "ال" + x):
            for g, _ in proclitic_forms(w):
                assert fold(w) in proclitic_spellings(frozenset({g})), (w, g)


def _fold_original(text: str) -> tuple[str, list[int] | None]:
    out = "".join(fold_arabic(ch) for ch in text)
    if all(len(fold_arabic(ch)) == 1 for ch in text):
        return out, None
    starts = [i for i, ch in enumerate(text) for _ in range(len(fold_arabic(ch)))]
    return out, starts + [len(text)]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_fold_with_offsets_is_per_character_fold_arabic(text: str) -> None:
    assert fold_with_offsets(text) == _fold_original(text)


@requires_corpus
def test_dev_corpus_tokens_lines_and_folds() -> None:
    with zipfile.ZipFile(corpus_zips()[0]) as zf:
        bodies = [a["content"] for a in json.loads(zf.read(zf.namelist()[0]))][:400]
    rules = chrome_rules()
    for body in bodies:
        got, want = tokens_of(body), _tokens_original(body)
        assert (got.start, got.end, got.text, got.joined) == (want.start, want.end, want.text, want.joined)
        assert got.word_count() == len(re.findall(r"\w+", body))
        assert _language_utf8(body, body.encode()) == detect_language(body)
        assert fold_with_offsets(body[:300]) == _fold_original(body[:300])
        for line in body.split("\n"):
            f = fold_arabic(line).strip()
            assert rules["first_category"](f) == next((c for c, rx in rules["line"].items() if rx.search(f)), None)
            assert rules["inline_test"](f) == any(rx.search(f) for rx in rules["inline"])


_LINE_ALPHABET = "قال بوتين: نعم. \t\u00a0،؟!…\"“”«»:abc 12"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_LINE_ALPHABET, max_size=100))
def test_quote_line_regexes(line: str) -> None:
    from transforms import quotes

    lazy = re.compile(r"^\s*([^:\n\"“”«»]{2,80}?)\s*:\s*(\S.*?)\s*$")
    a, b = lazy.match(line), quotes._COLON.match(line)
    assert (a is None) == (b is None)
    if a is not None:
        assert a.span(1) == b.span(1) and a.span(2) == b.span(2)
    assert quotes._mark_positions(line) == [m.start() for m in re.finditer('["“”„‟«»]', line)]
