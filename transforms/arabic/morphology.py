"""Affixes of written Arabic: proclitics, the article, relation adjectives (nisba), a light stemmer.

The affixes are data (``seeds/arabic/morphology.json``, read once); the functions here take and return words
in folded form (:func:`transforms.arabic.fold.fold_arabic`), the form every rule compares words in.

A word may carry proclitics: a conjunction (و ف), then a preposition (ب ل ك), written joined to it; ل before
the article is written لل (للأمم = ل + الأمم). :func:`proclitic_readings` lists a word's readings without
them and :func:`proclitic_spellings` goes the other way.
"""
from __future__ import annotations

import re
from functools import lru_cache

from transforms import seeds

_SEED = seeds.morphology()

ARTICLE = _SEED["definite_article"]
CONJUNCTIONS = "".join(_SEED["conjunctions"])  # one letter each: a str, for ``ch in CONJUNCTIONS``
COORDINATOR = _SEED["coordinator"]  # و: joins the items of a list
PREPOSITIONS = "".join(_SEED["prepositions"])
PROCLITICS = CONJUNCTIONS + PREPOSITIONS
LAM_ARTICLE = _SEED["lam_article"]
# Beginnings of a word that carry a proclitic and the article (بالدوران، للتنمية).
ARTICLE_WITH_PROCLITIC = tuple(_SEED["article_with_proclitic"])
STEM_PREFIXES = tuple(_SEED["stem_prefixes"])
STEM_SUFFIXES = tuple(_SEED["stem_suffixes"])
NISBA_ENDINGS = tuple(_SEED["nisba_endings"])
NISBA_INFLECTIONS = tuple(_SEED["nisba_inflections"])
IMPERFECT_PREFIXES = "".join(_SEED["imperfect_prefixes"])
PRONOUN_SUFFIXES = tuple(_SEED["pronoun_suffixes"])  # on the written word: folded, ه and ة are one letter
VERBAL_NOUN_RE = re.compile(_SEED["verbal_noun_pattern"])
_NISBA = _SEED["nisba_ending"]
_PLACE_ENDING_RE = re.compile(f"({'|'.join(_SEED['place_name_endings'])})$")
_FINAL_NISBA_RE = re.compile(f"{_NISBA}[{''.join(_SEED['nisba_final_variants'])}](?=[^\\w]|$)")
# The same rule for DuckDB's regexp_replace (RE2: \w is ASCII there, so letters and digits are spelt out):
# replace FINAL_NISBA_RE2 by FINAL_NISBA_RE2_REPLACEMENT.
FINAL_NISBA_RE2 = f"{_NISBA}[{''.join(_SEED['nisba_final_variants'])}]([^\\p{{L}}\\p{{N}}]|$)"
FINAL_NISBA_RE2_REPLACEMENT = _NISBA + "\\1"


def is_definite(word: str) -> bool:
    """The word starts with the article and has more than one letter after it.

    >>> is_definite("الروسي"), is_definite("الي"), is_definite("روسيا")
    (True, False, False)
    """
    return word.startswith(ARTICLE) and len(word) > 3


def definite_forms(words) -> frozenset[str]:  # noqa: ANN001 - any iterable of words
    """The words with the article (a word that has it already is kept as it is).

    >>> sorted(definite_forms(["وزارة", "البيان"]))
    ['البيان', 'الوزارة']
    """
    return frozenset(w if w.startswith(ARTICLE) else ARTICLE + w for w in words)


def is_nisba(word: str) -> bool:
    """A definite relation adjective (الروسي، الامريكيه، السعوديين).

    >>> is_nisba("السعوديين"), is_nisba("روسي"), is_nisba("الرئيس")
    (True, False, False)
    """
    return is_definite(word) and word.endswith(NISBA_ENDINGS)


def nisba_of(name: str) -> str:
    """The definite relation adjective of a one-word place name (سوريا → السوري, الصين → الصيني).

    >>> nisba_of("سوريا"), nisba_of("الصين"), nisba_of("تركيه"), nisba_of("اليمن")
    ('السوري', 'الصيني', 'التركي', 'اليمني')
    """
    stem = name[len(ARTICLE):] if name.startswith(ARTICLE) else name
    stem = _PLACE_ENDING_RE.sub("", stem)
    return ARTICLE + stem + ("" if stem.endswith(_NISBA) else _NISBA)


def inflect_nisba(adjective: str) -> tuple[str, ...]:
    """A relation adjective with its feminine and plural forms.

    >>> inflect_nisba("الروسي")
    ('الروسي', 'الروسيه', 'الروسيين', 'الروسيون')
    """
    return (adjective, *(adjective + ending for ending in NISBA_INFLECTIONS))


def fold_final_nisba(text: str) -> str:
    """Fold a word-final ي followed by ا or ه to ي (سوريا, سوريه → سوري; الامريكيه → الامريكي).

    >>> fold_final_nisba("الاتفاق حول سوريه والامريكيه")
    'الاتفاق حول سوري والامريكي'
    """
    return _FINAL_NISBA_RE.sub(_NISBA, text)


def attach_lam(word: str) -> str:
    """A word with the article as written after the preposition ل (ل + الامم = للامم).

    >>> attach_lam("الخامس")
    'للخامس'
    """
    return LAM_ARTICLE + word[len(ARTICLE):]


def detach_lam(word: str) -> str:
    """The inverse of :func:`attach_lam`: the word after ل, with its article (للامم → الامم).

    >>> detach_lam("للخامس")
    'الخامس'
    """
    return ARTICLE + word[len(LAM_ARTICLE):]


def proclitic_readings(word: str) -> tuple[tuple[str, int], ...]:
    """A folded word and its readings without proclitics, as (form, letters stripped), the word itself first.

    A conjunction is read off words of more than three letters, then a preposition off what is left when more
    than three letters remain (لل, as ل + ال, when more than four).

    >>> proclitic_readings("وبوتين")
    (('وبوتين', 0), ('بوتين', 1), ('وتين', 2))
    >>> proclitic_readings("للامم")
    (('للامم', 0), ('الامم', 1))
    """
    out = [(word, 0)]
    stems = [(word, 0)]
    if len(word) > 3 and word[0] in CONJUNCTIONS:
        stems.append((word[1:], 1))
        out.append((word[1:], 1))
    for stem, stripped in stems:
        if len(stem) > 4 and stem.startswith(LAM_ARTICLE):
            out.append((detach_lam(stem), stripped + 1))
        elif len(stem) > 3 and stem[0] in PREPOSITIONS:
            out.append((stem[1:], stripped + 1))
    return tuple(out)


def proclitic_spellings(forms: frozenset[str]) -> set[str]:
    """Every folded word that :func:`proclitic_readings` can read as one of ``forms`` (plus a few it cannot).

    A reading strips a conjunction, then a preposition or the لل of ل + ال: so a word reading as ``x`` is
    ``x``, ``p+x`` (p a preposition), ``c+x`` or ``c+p+x`` (c a conjunction), or for ``x = ال…`` ``لل…`` and
    ``c+لل…``.

    >>> words = ("الامم", "والامم", "للامم", "فللامم", "بالامم", "وبالامم")
    >>> all("الامم" in dict(proclitic_readings(w)) for w in words)
    True
    >>> all(w in proclitic_spellings(frozenset({"الامم"})) for w in words)
    True
    """
    out: set[str] = set()
    for x in forms:
        stems = {x, *(p + x for p in PREPOSITIONS)}
        if x.startswith(ARTICLE):
            stems.add(attach_lam(x))
        out |= stems
        for c in CONJUNCTIONS:
            out.update(c + w for w in stems)
    return out


@lru_cache(maxsize=200_000)
def light_stem(word: str) -> str:
    """Light stem: strip one article/conjunction prefix and one common suffix, keeping ≥ 3 letters.

    >>> [light_stem(w) for w in ["والاتفاق", "لاتفاقنا", "الامريكيين", "سوريا", "المفاوضات"]]
    ['اتفاق', 'لاتفاقنا', 'امريك', 'سوريا', 'مفاوض']
    """
    for p in STEM_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 3:
            word = word[len(p):]
            break
    for s in STEM_SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 3:
            return word[: -len(s)]
    return word
