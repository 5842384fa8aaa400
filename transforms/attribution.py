"""The word classes of quote attribution: which words report speech, name a source, end a subject or issue
a statement, read from the lists of ``seeds/entities/quotes.json`` (folded once) and the reference lists.

:mod:`transforms.speakers` resolves speakers with them; :mod:`transforms.quotes` tells a name from a quote
with :func:`word_class`. Everything here is a pure function of one word.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from transforms import seeds
from transforms.arabic.chars import DIACRITIC_RE
from transforms.arabic.morphology import ARTICLE, CONJUNCTIONS, PRONOUN_SUFFIXES, definite_forms
from transforms.entities import fold, reference

# Word classes of attribution (bits of word_class), from seeds/entities/quotes.json.
DESCRIPTION = 1  # head of an unnamed source (مسؤول، مصادر، أحد)
INSTITUTION = 2  # a body's head noun (الوزارة، الشرطة)
STATEMENT = 4  # what is issued (بيان، تغريدة)
PERSON_NOUN = 8  # an epithet of a person (المهاجم، السناتور)
GENERIC_PERSON = 16  # a person by a common noun (الرجل)
NOT_NAME = 32  # an indefinite noun that is never a name (تقرير)
BOUNDARY = 64  # ends a subject phrase (في، خلال، أمس)
COMPLEMENTIZER = 128  # إن، أن، بأنه
CLAUSE_STOP = 256  # a name after it is not the subject's (مع، الذي)
RELAY = 512  # نقل، نقلت
RELAY_PREP = 1024  # عن
SKIP = 2048  # may sit between a verb and its subject (أيضا، اليوم)
PREP_PHRASE = 4096  # a preposition glued to a noun: لـ، للصحافيين، لصحيفة
CONJ_VERB = 8192  # a reporting word with a conjunction (وقال، فأضاف)
PRONOUN_SUFFIX = 16384  # a noun with a possessive suffix (تعبيره، قولها)
TITLE_HEAD = 32768  # a role-title head word (titles.json), without a proclitic preposition
OBJECT_VERB = 65536  # a reporting verb with an object pronoun (أعلنته، قاله): its subject follows
RELATIVE = 131072  # الذي، التي: the verb after it has the noun before it as subject


@dataclass(frozen=True)
class Words:
    """The folded word lists of seeds/entities/quotes.json that speaker resolution reads."""

    verbs: frozenset[str]
    participles: frozenset[str]
    classes: dict[str, int]  # folded word -> class bits
    openers: dict[str, tuple[tuple[str, ...], ...]]  # discourse openers, as folded words, by first word
    attribution_phrases: dict[str, tuple[tuple[str, ...], ...]]  # the same
    clause_openers: frozenset[str]  # folded: words opening a clause with its own subject (ولكن، بينما)
    role_synonyms: dict[str, str]  # folded role head -> the head it is compared as (ناطق -> متحدث)
    religious: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first folded word -> (phrase, speaker name)
    # folded, by role: was, already, in_it, called, withheld, saying, negations, demonstratives
    function_words: dict[str, frozenset[str]]
    before_with_hamza: frozenset[str]  # أمام as written (folded it is إمام)
    report_nouns: frozenset[str]  # folded, with and without the article: statements the article must name the issuer of
    naqlan: str = fold("نقلا")  # "relaying", before عن: the source after it is the original speaker


def _folded(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(fold(w) for w in words)


def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases (folded words) filed under their first word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            out.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(sorted(ps, key=len, reverse=True)) for w, ps in out.items()}


@cache
def attribution_words() -> Words:
    """The quote word lists, folded and indexed once.

    >>> attribution_words().classes[fold("بيان")] & STATEMENT
    4
    """
    q = seeds.quote_lists()
    ref = reference()
    classes: dict[str, int] = {}

    def mark(words: Iterable[str], bit: int) -> None:
        for w in words:
            f = fold(w)
            classes[f] = classes.get(f, 0) | bit

    mark(q["descriptions"], DESCRIPTION)
    mark(definite_forms(q["descriptions"]), DESCRIPTION)  # المسؤول، المصدر
    mark(q["institutions"], INSTITUTION)
    # a body's head noun with the article (الوزارة) is an institution too
    mark(definite_forms(ref.org_heads), INSTITUTION)
    mark(q["statement_nouns"], STATEMENT)
    mark(definite_forms(q["statement_nouns"]), STATEMENT)  # البيان
    reports = [*q["report_nouns"], *definite_forms(q["report_nouns"])]
    mark(reports, STATEMENT)
    mark(q["person_nouns"], PERSON_NOUN)
    mark(q["generic_person_nouns"], GENERIC_PERSON)
    mark(q["not_names"], NOT_NAME)
    mark(q["subject_boundaries"], BOUNDARY)
    mark(q["complementizers"], COMPLEMENTIZER)
    mark(q["clause_stops"], CLAUSE_STOP)
    mark(("الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي", "اللاتي", "اللذان", "اللتان"), RELATIVE)
    mark(q["relay_verbs"], RELAY)
    mark([q["relay_preposition"]], RELAY_PREP)
    mark(q["skip_after_verb"], SKIP)
    # role titles (titles.json) as heads, with and without the article, masculine and feminine (سفير، سفيرة)
    for t in ref.titles:
        bare = t[len(ARTICLE):] if t.startswith(ARTICLE) else t
        if len(bare) > 2:
            mark({bare, ARTICLE + bare, bare + "ه", ARTICLE + bare + "ه"} - {bare + "هه", ARTICLE + bare + "هه"},
                 TITLE_HEAD)
    return Words(verbs=frozenset(_folded(q["verbs"])), participles=frozenset(_folded(q["participles"])),
                  classes=classes,
                  openers=_by_first_word(_folded(p.split()) for p in q["discourse_openers"]),
                  attribution_phrases=_by_first_word(_folded(p.split()) for p in q["attribution_phrases"]),
                  clause_openers=frozenset(_folded(q["clause_openers"])),
                  role_synonyms={fold(k): fold(v) for k, v in q["role_synonyms"].items()},
                  religious=_religious(q["religious_sources"]),
                  function_words={role: frozenset(_folded(ws)) for role, ws in q["function_words"].items()},
                  before_with_hamza=frozenset(q["before_with_hamza"]),
                  report_nouns=frozenset(_folded(reports)))


def _religious(sources: dict[str, list[str]]) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Religious sources' phrases (folded words) filed under their first word, longest first, with the name
    given to their speaker.

    >>> _religious({"النبي": ["النبي", "رسول الله"]})[fold("رسول")]
    ((('رسول', 'الله'), 'النبي'),)
    """
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for name, phrases in sources.items():
        for phrase in phrases:
            key = _folded(phrase.split())
            out.setdefault(key[0], []).append((key, name))
    return {w: tuple(sorted(ps, key=lambda p: -len(p[0]))) for w, ps in out.items()}


_CLASS_CACHE: dict[str, int] = {}


def word_class(folded: str) -> int:
    """Attribution class bits of one folded word (read as written, then without a conjunction و/ف).

    >>> word_class(fold("وقالت")) & CONJ_VERB, word_class(fold("للصحافيين")) & PREP_PHRASE
    (8192, 4096)
    """
    bits = _CLASS_CACHE.get(folded)
    if bits is not None:
        return bits
    w = attribution_words()
    classes = w.classes
    bits = classes.get(folded, 0)
    if len(folded) > 2 and folded[0] in CONJUNCTIONS:
        rest = folded[1:]
        bits |= classes.get(rest, 0) & ~(BOUNDARY | SKIP)
        if rest in w.verbs or rest in w.participles:
            bits |= CONJ_VERB
    bits |= _prep_phrase_bit(folded, classes)
    if len(_CLASS_CACHE) < 200_000:
        _CLASS_CACHE[folded] = bits
    return bits


_SUFFIX_CACHE: dict[str, int] = {}


def suffix_class(text: str) -> int:
    """PRONOUN_SUFFIX when a written word ends in a possessive or object pronoun (تعبيره، قولها; not the ة of
    القمة, which folding would confuse with it), with OBJECT_VERB when the word is a reporting verb (أعلنته).

    >>> suffix_class("تعبيره") & PRONOUN_SUFFIX, suffix_class("القمة"), suffix_class("أعلنته") & OBJECT_VERB
    (16384, 0, 65536)
    """
    bits = _SUFFIX_CACHE.get(text)
    if bits is not None:
        return bits
    bare = DIACRITIC_RE.sub("", text)
    bits = 0
    if len(bare) > 3 and bare.endswith(PRONOUN_SUFFIXES):
        folded = fold(bare)
        if not attribution_words().classes.get(folded, 0) & (DESCRIPTION | INSTITUTION):
            bits = PRONOUN_SUFFIX
            if object_verb_stem(folded, attribution_words().verbs) is not None:
                bits |= OBJECT_VERB
    if len(_SUFFIX_CACHE) < 200_000:
        _SUFFIX_CACHE[text] = bits
    return bits


class _ClassCache(dict):
    """written word -> :func:`word_class` of its folded form with its :func:`suffix_class`, filled on first
    sight (bounded: past the cap new words are computed, not kept). A dict subclass, so that a text's words
    are classed by one C-level ``map`` over ``__getitem__``."""

    def __missing__(self, text: str) -> int:
        bits = word_class(fold(text)) | suffix_class(text)
        if len(self) < 300_000:
            self[text] = bits
        return bits


TOKEN_CLASS = _ClassCache()


def object_verb_stem(folded: str, verbs: frozenset[str]) -> str | None:
    """The reporting verb under an object pronoun (أعلنته → أعلنت، قاله → قال، وذكرها → ذكر), or None."""
    for suffix in ("ها", "هم", "ه"):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            stem = folded[:-len(suffix)]
            if stem in verbs:
                return stem
            if stem[0] in CONJUNCTIONS and stem[1:] in verbs:
                return stem[1:]
    return None


def _prep_phrase_bit(folded: str, classes: dict[str, int]) -> int:
    """PREP_PHRASE when ``folded`` is a preposition ل/ب glued to a noun phrase (لـ، للصحافيين، لصحيفة، بالوزارة)."""
    if folded in ("ل", "ب"):
        return PREP_PHRASE
    if folded.startswith(("لل", "بال")) and len(folded) > 4:
        return PREP_PHRASE
    if len(folded) > 3 and folded[0] in "لب":
        rest = folded[1:]
        ref = reference()
        if rest in ref.org_heads or rest in ref.media_heads or rest in ref.titles or classes.get(rest, 0) & (
                INSTITUTION | STATEMENT | DESCRIPTION | PERSON_NOUN):
            return PREP_PHRASE
    return 0


def oblique_plural(folded: str) -> bool:
    """A definite relation-adjective plural in the oblique case (``الحوثيين``، ``الفلسطينيين``): right after a
    verb it is the object (``واتهم الحوثيين``), never the subject, which would read ``الحوثيون``.

    >>> oblique_plural("الحوثيين"), oblique_plural("الحوثيون"), oblique_plural("الحسين")
    (True, False, False)
    """
    return folded.startswith(ARTICLE) and folded.endswith("يين") and len(folded) > 6


def prep_glued(folded: str) -> bool:
    """A preposition glued to a definite noun (للمركز، بالوزارة، للسينما): never the start of a person's name.

    >>> prep_glued("للمركز"), prep_glued("بالوزاره"), prep_glued("لافروف"), prep_glued("بلال")
    (True, True, False, False)
    """
    return len(folded) > 4 and folded.startswith(("لل", "بال"))


@cache
def verb_gender(folded: str) -> str:
    """Gender and number of the subject a reporting verb or participle agrees with: 'f', 'm' or 'p'.

    >>> verb_gender(fold("وقالت")), verb_gender(fold("يقول")), verb_gender(fold("مضيفة")), verb_gender(fold("قالوا"))
    ('f', 'm', 'f', 'p')
    """
    w = attribution_words()
    known = w.verbs | w.participles
    folded = object_verb_stem(folded, w.verbs) or folded
    forms = [folded]
    if len(folded) > 2 and folded[0] in CONJUNCTIONS and folded[1:] in known:
        forms = [folded[1:]]
    f = forms[0]
    if f.endswith(("وا", "ون", "ين")) or (f.endswith("ا") and f[:-1] in known and f in w.verbs):
        return "p"
    if f.endswith("ت") and f[:-1] in known:
        return "f"
    if f.startswith("ت") and "ي" + f[1:] in known:
        return "f"
    if f.endswith("ه") and f in w.participles:
        return "f"
    return "m"


def manner_adverb(folded: str) -> bool:
    """A masculine indefinite participle in the accusative, the shape of a manner adverb (حال) right after a
    verb (``وأضاف متحديا``، ``وقال مبتسما``، ``وتابع ساخرا``، ``وقال مستغربا``): not the verb's subject. Read by
    its pattern (مُفعِلاً، مُتفعِّلاً، مُفتعِلاً، مُفاعِلاً، مُستفعِلاً، فاعِلاً); a given name of that shape (ماريا، داليا)
    is a name. Only a masculine verb's word can be one: after ``قالت`` a word in ا is a woman's name (باولا).

    >>> [manner_adverb(fold(w)) for w in ("متحديا", "مبتسما", "ممازحا", "مستغربا", "ضاحكا", "مؤكدا")]
    [True, True, True, True, True, True]
    >>> [manner_adverb(fold(w)) for w in ("ماريا", "مونيكا", "مارينا", "موسى", "أوغلو", "حبيب")]
    [False, False, False, False, False, False]
    """
    n = len(folded)
    if not folded.endswith("ا") or n < 5 or n > 7 or folded in reference().first_names:
        return False
    if n == 5:  # مُفعِلاً (مؤكدا، مشيرا), فاعِلاً (ضاحكا، ساخرا)
        return folded[0] == "م" and folded[1] not in "اوي" or folded[1] == "ا"
    if n == 6:  # مُتفعِّلاً (متحديا), مُفتعِلاً (مبتسما), مُفاعِلاً (مخاطبا، ممازحا)
        return folded[0] == "م" and (folded[1] == "ت" or folded[2] in "تا")
    return folded.startswith(("مست", "مت"))  # مُستفعِلاً (مستغربا), مُتفاعِلاً (متسائلا)


def possessed_noun(folded: str) -> str:
    """A folded noun without its possessive pronoun, its feminine ت back to ة (``محاميتها`` → ``محاميه``,
    ``شقيقه`` → ``شقيق``), for comparing it with the role written alone (``المحامية``).

    >>> possessed_noun(fold("محاميتها")), possessed_noun(fold("شقيقه")), possessed_noun(fold("زوجته"))
    ('محاميه', 'شقيق', 'زوجه')
    """
    for suffix in ("هما", "هم", "ها", "ه"):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            stem = folded[:-len(suffix)]
            return stem[:-1] + "ه" if stem.endswith("ت") else stem
    return folded


def plain_name_word(folded: str, definite: bool = True) -> bool:
    """A word no list knows that may still be a name where a name stands (وسام، جارسيا): not a listed word, no
    feminine ending, no preposition and article in front (بالمستوى، للقضية). ``definite``: whether the token
    analysis read an article in it; where it did not, و/ف/ك + ال is a name's own start (فاليري، والاس).

    >>> plain_name_word("جارسيا"), plain_name_word("باقمشه"), plain_name_word("حاليا")
    (True, False, False)
    >>> plain_name_word("فاليري"), plain_name_word("فاليري", definite=False)
    (False, True)
    """
    prefixes = ("بال", "لل", "وال", "فال", "كال") if definite else ("بال", "لل")
    return len(folded) >= 2 and folded not in reference().stop and not folded.endswith("ه") \
        and not folded.startswith(prefixes)


def strip_article(word: str) -> str:
    return word[len(ARTICLE):] if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 1 else word


def strip_conj(word: str) -> str:
    """A folded word without a conjunction before the article (والوزير → الوزير)."""
    return word[1:] if len(word) > 3 and word[0] in CONJUNCTIONS and word[1:].startswith(ARTICLE) else word


def relation_key(word: str) -> str:
    """A folded role word without article as compared across a role's mentions: a country and its relation
    adjective, a masculine and a feminine form, alike (``رئيسة وزراء بريطانيا`` … ``رئيس الوزراء البريطاني``).

    >>> [relation_key(fold(w)) for w in ("كندا", "كندي", "بريطانيا", "بريطانية", "رئيسة", "وزراء")]
    ['كند', 'كند', 'بريطان', 'بريطان', 'رئيس', 'وزراء']
    """
    for end in ("يه", "ي", "ا", "ه"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            word = word[:-len(end)]
            break
    return word[:-1] if word.endswith("ي") and len(word) > 3 else word  # بريطانيا: بريطاني, then بريطان


@cache
def country_keys() -> frozenset[str]:
    """:func:`relation_key` of every one-word country name (``روسيا``، ``السعودية``): what a relation adjective
    keys to when it names a country (``الروسي``), not an international body's (``الدولي``).

    >>> relation_key(fold("الروسي")[2:]) in country_keys(), relation_key(fold("الدولي")[2:]) in country_keys()
    (True, False)
    """
    return frozenset(relation_key(strip_article(key[0])) for entries in reference().gaz.values()
                     for key, entry in entries if entry.country and len(key) == 1)


def head_key(word: str) -> str:
    """A role or body noun as compared across an article: no conjunction, no article, no feminine ending, one
    word for synonyms.

    >>> head_key(fold("والوزيرة")), head_key(fold("وزير")), head_key(fold("الناطق"))
    ('وزير', 'وزير', 'متحدث')
    """
    if len(word) > 3 and word[0] in CONJUNCTIONS and word[1:].startswith(ARTICLE):
        word = word[1:]
    word = strip_article(word)
    word = word[:-1] if len(word) > 3 and word.endswith("ه") else word
    return attribution_words().role_synonyms.get(word, word)
