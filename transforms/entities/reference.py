"""Reference data of entity extraction: the named-entity lists, titles and word lists, folded and indexed once.

The lists are ``seeds/entities/*.json`` (countries generated from pycountry, cities, organisations,
well-known persons, role titles, organisation heads, given names, stopwords, reporting verbs). Every name is
kept as the tuple of its folded words (:func:`folded_words`), filed under its first word, so that matching a
text is a dict lookup per word.

An entity's id is a hash of its type and its canonical name's match key (:func:`entity_id`): the same entity
gets the same id in every article and every run, whichever extractor found it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache

from transforms import seeds
from transforms.arabic.chars import WORD_RE
from transforms.arabic.fold import fold_word
from transforms.arabic.morphology import definite_forms, inflect_nisba, nisba_of
from transforms.normalize import match_key

_PREFIX = {"per": "PERSON", "org": "ORG", "plc": "PLACE"}
_TYPE_PREFIX = {v: k for k, v in _PREFIX.items()}


@dataclass(frozen=True)
class GazEntry:
    """One reference entity: canonical name, type, every alias (folded keys are built from them)."""

    canonical: str
    etype: str
    aliases: tuple[str, ...]
    media: bool = False
    roles: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()  # short forms that are ordinary words: the entity's aliases, never matched
    country: bool = False  # a country (countries.json), not a city or region
    generated: bool = False  # from the generated geo list (geo.json): many of its towns are also given names


# A reference name as the matcher files it: its folded words, the entry, the number of words.
NameKey = tuple[tuple[str, ...], GazEntry, int]


@dataclass
class Reference:
    """All reference data, folded and indexed once per process."""

    gaz: dict[str, list[tuple[tuple[str, ...], GazEntry]]]  # first folded word -> [(folded words, entry)]
    titles: dict[str, list[tuple[str, ...]]]  # first folded word -> title phrases (longest first)
    anaphoric: frozenset[str]
    complement_words: frozenset[str]
    nisba_extra: frozenset[str]
    stop: frozenset[str]  # particles, verbs, adverbs, nouns: never inside a name
    particles: frozenset[str]
    connectors: frozenset[str]
    first_names: frozenset[str]  # given names that start a person's name (first_names.json, given_names.json)
    org_heads: frozenset[str]
    media_heads: frozenset[str]
    role_fallback: dict[tuple[str, ...], GazEntry]
    verbs: frozenset[str] = frozenset()
    nationality: frozenset[str] = frozenset()  # الروسي، الأمريكية، الدولية …: adjectives, never a surname
    country_adjectives: frozenset[str] = frozenset()  # الروسي، الأمريكية …: the nationality ones of a country
    # quotes.json's finite verbs, participles, weak verbs, attribution words: the bits of reporting_kinds
    reporting: tuple[frozenset[str], ...] = ()
    place_heads: frozenset[str] = frozenset()  # مطار، محافظة، ملعب …: head a PLACE name as org_heads head an ORG
    same_place_heads: frozenset[str] = frozenset()  # مدينة، محافظة …: before a listed place, that place again
    given_ambiguous: frozenset[str] = frozenset()  # given names that are also ordinary words (أمل، سلام)
    foreign_given: frozenset[str] = frozenset()  # جون، مايكل …: a definite word after such a name is no surname
    place_org_heads: frozenset[str] = frozenset()  # صحة، تعليم …: an ORG head only before a place (صحة عسير)
    definite_heads: frozenset[str] = frozenset()  # الجيش، المنتخب …: an ORG with a nationality (الجيش المصري)
    body_adjectives: frozenset[str] = frozenset()  # العامة، المسلحة …: adjectives of a definite body's name
    not_body_adjectives: frozenset[str] = frozenset()  # المعنية، المحلية …: describe a body, never name it
    media_generic: frozenset[str] = frozenset()  # الأنباء …: after a media head, the head stays in the name
    named_after: frozenset[str] = frozenset()  # الملك، الأمير …: a title and name inside a head's name
    led_by: frozenset[str] = frozenset()  # رئاسة، قوات …: before a person's given name, no body's name
    company_heads: frozenset[str] = frozenset()  # شركة، بنك …: heads of names that go on past a place (شركة آسيا كابيتال)
    org_context: frozenset[str] = frozenset()  # فريق، شبكة، تطبيق …: the name after one is an organisation's
    statements: frozenset[str] = frozenset()  # بيان، تصريحات، مقابلة …: ل after one is a preposition (to, by)
    name_words: frozenset[str] = frozenset()  # غولن، كوفاتش …: words of persons' names (name_words.json), folded


def folded_words(text: str) -> tuple[str, ...]:
    """The folded words of a text (a name, a title phrase).

    >>> folded_words("وزير الخارجية الأمريكي")
    ('وزير', 'الخارجيه', 'الامريكي')
    """
    return tuple(map(fold_word, WORD_RE.findall(text)))


name_words = lru_cache(maxsize=50_000)(folded_words)  # the folded words of a canonical name (names recur)


@cache
def reference() -> Reference:
    """Reference lists folded and indexed for matching (built once).

    >>> reference().gaz[fold_word("بوتين")][0][1].canonical
    'فلاديمير بوتين'
    """
    load = seeds.entity_list
    entries: list[GazEntry] = []
    for row in load("countries")["countries"]:
        entries.append(GazEntry(row["name"], "PLACE", tuple(row["aliases"]), country=True))
    for row in load("places")["places"]:
        entries.append(GazEntry(row["name"], "PLACE", tuple(row["aliases"])))
    # places.json's "more" and the generated provinces and cities: no source of nationality adjectives (a
    # city's relation adjective is a common family name: العلي، الغزالي، المصراتي)
    nationality_sources = len(entries)
    for row in load("places")["more"]:
        entries.append(GazEntry(row["name"], "PLACE", tuple(row["aliases"])))
    for row in load("orgs")["orgs"]:
        entries.append(GazEntry(row["name"], "ORG", tuple(row["aliases"]) + tuple(row.get("unmatched", ())),
                                bool(row.get("media")), unmatched=tuple(row.get("unmatched", ()))))
    for row in load("geo")["places"]:
        entries.append(GazEntry(row["name"], "PLACE", tuple(row["aliases"]), generated=True))
    for row in load("persons")["persons"]:
        entries.append(GazEntry(row["name"], "PERSON", tuple(row["aliases"]), roles=tuple(row.get("roles", ()))))
    gaz: dict[str, list[tuple[tuple[str, ...], GazEntry]]] = {}
    role_fallback: dict[tuple[str, ...], GazEntry] = {}
    for e in entries:
        for name in (e.canonical, *e.aliases):
            if name in e.unmatched:
                continue
            key = folded_words(name)
            if key:
                gaz.setdefault(key[0], []).append((key, e))
        for role in e.roles:
            role_fallback[folded_words(role)] = e
    for lst in gaz.values():
        lst.sort(key=lambda kv: -len(kv[0]))
    t = load("titles")
    titles: dict[str, list[tuple[str, ...]]] = {}
    for phrase in (*t["heads"], *t["phrases"]):
        key = folded_words(phrase)
        titles.setdefault(key[0], []).append(key)
    for lst in titles.values():
        lst.sort(key=lambda k: -len(k))
    s = load("stopwords")
    q = load("quotes")
    fset = lambda xs: frozenset(fold_word(x) for x in xs)  # noqa: E731
    oh = load("org_heads")
    g = load("given_names")
    given = fset(g["male"] + g["female"] + g["foreign"])
    given_ambiguous = fset(g["ambiguous"])
    nationality: set[str] = set()
    for e in entries[:nationality_sources]:
        if e.etype != "PLACE":
            continue
        for name in (e.canonical, *e.aliases):
            w = folded_words(name)
            if len(w) == 1:
                nationality.update(inflect_nisba(nisba_of(w[0])))
    for x in t["nationality_extra"]:
        nationality.update(inflect_nisba(fold_word(x)))
    country_adjectives = frozenset(nationality)
    for x in t["relation_extra"]:
        nationality.update(inflect_nisba(fold_word(x)))
    return Reference(
        gaz=gaz, titles=titles, anaphoric=frozenset(" ".join(folded_words(x)) for x in t["anaphoric"]),
        complement_words=fset(t["complement_words"]), nisba_extra=fset(t["nisba_extra"]),
        stop=fset(s["particles"] + s["verbs"] + s["adverbs"] + s["nouns"] + q["verbs"] + q["participles"]),
        particles=fset(s["particles"]), connectors=fset(s["person_connectors"]),
        first_names=fset(load("first_names")["names"]) | given - given_ambiguous, org_heads=fset(oh["heads"]),
        media_heads=fset(oh["media"]), role_fallback=role_fallback,
        verbs=fset(q["verbs"] + q["participles"]), nationality=frozenset(nationality), country_adjectives=country_adjectives,
        reporting=(fset(q["verbs"]), fset(q["participles"]), fset(q["weak_verbs"]), fset(q["attribution"])),
        place_heads=fset(oh["place_heads"]), same_place_heads=fset(oh["same_place_heads"]), given_ambiguous=given_ambiguous, foreign_given=fset(g["foreign"]),
        definite_heads=fset(oh["definite_heads"]) | definite_forms(fset(oh["heads"])),
        body_adjectives=fset(oh["body_adjectives"]), media_generic=fset(oh["media_generic"]), not_body_adjectives=fset(oh["not_body_adjectives"]), place_org_heads=fset(oh["place_org_heads"]), named_after=fset(oh["named_after"]),
        led_by=fset(oh["led_by"]), company_heads=fset(oh["company_heads"]),
        org_context=fset(load("org_context")["words"]), statements=fset(q["statement_nouns"]),
        name_words=frozenset(load("name_words")["words"]),
    )


@cache
def names_starting(form: str) -> tuple[dict[str, tuple[NameKey, ...]], tuple[NameKey, ...]]:
    """The reference names whose first folded word is ``form`` (``reference().gaz[form]``, longest first),
    as (names of several words by their second word, one-word names), each as (key, entry, length) and in
    the original order. Bounded by the reference lists.

    >>> multi, single = names_starting(fold_word("مجلس"))
    >>> all(key[1] == w for w, names in multi.items() for key, _, _ in names), single
    (True, ())
    """
    multi: dict[str, list[NameKey]] = {}
    single = []
    for key, e in reference().gaz[form]:
        if len(key) == 1:
            single.append((key, e, 1))
        else:
            multi.setdefault(key[1], []).append((key, e, len(key)))
    return {w: tuple(names) for w, names in multi.items()}, tuple(single)


@lru_cache(maxsize=100_000)
def entity_id(etype: str, canonical: str) -> str:
    """Deterministic id of an entity: type prefix plus a hash of the canonical name's match key.

    >>> entity_id("PERSON", "فلاديمير بوتين") == entity_id("PERSON", "فلاديمير  بوتين")
    True
    >>> entity_id("PLACE", "سوريا").startswith("plc_")
    True
    """
    digest = hashlib.sha1(f"{etype}|{match_key(canonical)}".encode()).hexdigest()[:12]
    return f"{_TYPE_PREFIX.get(etype, 'ent')}_{digest}"
