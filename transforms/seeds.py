"""The one reader of the reference data in ``seeds/``: every file parsed once per process, typed.

Each seed file is a JSON object with a ``_doc`` string that says what it holds and who reads it. The
functions below return the parsed object as it is in the file (a ``TypedDict`` of its layout), memoised: the
modules that use a seed index or fold it themselves, once, and must not change what they are given.

>>> calendar()["hijri_months"]["10"]
['شوال']
>>> {"heads", "media", "place_heads"} <= set(entity_list("org_heads"))
True
"""
import json
from functools import cache
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict, cast

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@cache
def read_seed(relative_path: str) -> Any:
    """The parsed JSON of ``seeds/<relative_path>``, read once per process.

    >>> read_seed("stories.json") is read_seed("stories.json")
    True
    """
    with open(SEEDS_DIR / relative_path, encoding="utf-8") as fh:
        return json.load(fh)


# -- calendar.json: transforms/dates.py ------------------------------------------------------------------

class CalendarSeed(TypedDict):
    """Month, weekday, relative-word, marker and time-zone names; numbers are the keys' or the values' ints."""

    _doc: str
    gregorian_months: dict[str, list[str]]  # "1".."12" -> names
    hijri_months: dict[str, list[str]]
    weekdays: dict[str, list[str]]  # "0" (Monday).."6" -> names
    day_ordinals: dict[str, int]
    relative_words: dict[str, int]  # word -> days from the reference date
    relative_weekday_qualifiers: dict[str, list[str]]  # past / future
    update_markers: list[str]
    era_markers: dict[str, list[str]]  # hijri / gregorian
    linkers: list[str]
    year_words: list[str]
    month_words: list[str]
    am_pm: dict[str, list[str]]
    timezones: dict[str, int]  # zone name -> minutes east of UTC
    ordinal_blockers: list[str]


def calendar() -> CalendarSeed:
    """``seeds/calendar.json``."""
    return cast(CalendarSeed, read_seed("calendar.json"))


# -- chrome.json: transforms/clean.py, transforms/dateline.py -------------------------------------------

class ChromeSeed(TypedDict):
    """Site-chrome rules: line regexes by category, tail markers, inline footers, section and stamp words."""

    _doc: str
    line: dict[str, list[str]]
    tail_markers: list[str]
    inline_tail: list[str]
    section_words: list[str]
    stamp_words: list[str]
    paragraph_openers: dict[str, Any]  # connectives, root_initial_words, lede_verbs (lists of folded words)


def chrome() -> ChromeSeed:
    """``seeds/chrome.json``."""
    return cast(ChromeSeed, read_seed("chrome.json"))


# -- agencies.json, places_dateline.json, outlets.json: dateline.py, outlets.py ------------------------

class Agency(TypedDict):
    canonical: str
    aliases: NotRequired[list[str]]
    outlet: NotRequired[str]  # the agency's own site, when it publishes one
    own_outlet: NotRequired[str]  # a broadcaster credited like an agency: its own site (there it is no agency)


class AgenciesSeed(TypedDict):
    _doc: str
    agencies: list[Agency]
    desk_words: list[str]
    honorifics: list[str]
    not_name_words: list[str]
    name_first_words: NotRequired[list[str]]


def agencies() -> AgenciesSeed:
    """``seeds/agencies.json``."""
    return cast(AgenciesSeed, read_seed("agencies.json"))


class DatelinePlacesSeed(TypedDict):
    _doc: str
    places: list[str]
    countries: list[str]
    place_suffixes: list[str]
    place_heads: list[str]


def dateline_places() -> DatelinePlacesSeed:
    """``seeds/places_dateline.json``."""
    return cast(DatelinePlacesSeed, read_seed("places_dateline.json"))


class Outlet(TypedDict):
    domain: str
    hosts: NotRequired[list[str]]
    source_ids: NotRequired[list[str]]
    names: NotRequired[list[str]]
    ambiguous_names: NotRequired[list[str]]
    signatures: NotRequired[list[str]]


class OutletsSeed(TypedDict):
    _doc: str
    outlets: list[Outlet]


def outlets() -> OutletsSeed:
    """``seeds/outlets.json``."""
    return cast(OutletsSeed, read_seed("outlets.json"))


# -- stories.json: dedup.py, stories.py, features.py, search -----------------------------------------------

class BackgroundSeed(TypedDict):
    _doc: str
    docs: int
    df: dict[str, int]  # light stem -> document frequency


class StoriesSeed(TypedDict):
    """Thresholds of the dedup, story and quote-link rules, the search stopwords, the background table."""

    _doc: str
    dedup: dict[str, Any]
    stories: dict[str, Any]
    quotes: dict[str, Any]
    search_stopwords: list[str]
    background: BackgroundSeed


def stories() -> StoriesSeed:
    """``seeds/stories.json``."""
    return cast(StoriesSeed, read_seed("stories.json"))


# -- models/*.npz: transforms/entities/model.py ------------------------------------------------------------

@cache
def model_arrays(relative_path: str) -> dict[str, Any]:
    """The named arrays of a trained model file ``seeds/<relative_path>`` (an ``.npz``), read once per process."""
    import numpy as np  # only the entity model reads arrays; the other seeds are JSON

    with np.load(SEEDS_DIR / relative_path, allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}


# -- entities/*.json: transforms/entities, transforms/quotes.py --------------------------------------------

EntityList = Literal["countries", "places", "orgs", "persons", "titles", "stopwords", "quotes", "first_names",
                     "org_heads", "geo", "given_names", "org_context", "name_words"]


def entity_list(name: EntityList) -> dict[str, Any]:
    """``seeds/entities/<name>.json`` (reference names, titles, word lists of the entity and quote passes)."""
    return cast(dict[str, Any], read_seed(f"entities/{name}.json"))


class QuotesSeed(TypedDict):
    """Words of Arabic attribution: what reports speech, what ends a subject, what a source or a title is."""

    _doc: str
    verbs: list[str]
    participles: list[str]
    weak_verbs: list[str]
    attribution: list[str]
    descriptions: list[str]
    media_heads: list[str]
    skip_after_verb: list[str]
    relay_verbs: list[str]
    relay_preposition: str
    complementizers: list[str]
    subject_boundaries: list[str]
    clause_stops: list[str]
    statement_nouns: list[str]
    institutions: list[str]
    person_nouns: list[str]
    generic_person_nouns: list[str]
    not_names: list[str]
    discourse_openers: list[str]
    clause_openers: list[str]
    attribution_phrases: list[str]
    title_markers: list[str]
    related_story_markers: list[str]
    role_synonyms: dict[str, str]
    religious_sources: dict[str, list[str]]
    latin_letter_names: list[str]
    function_words: dict[str, list[str]]
    before_with_hamza: list[str]


def quote_lists() -> QuotesSeed:
    """``seeds/entities/quotes.json``: the word lists of quote finding and speaker resolution.

    >>> "بحسب" in quote_lists()["attribution"]
    True
    """
    return cast(QuotesSeed, read_seed("entities/quotes.json"))


# -- arabic/morphology.json: transforms/arabic/morphology.py ------------------------------------------------

class MorphologySeed(TypedDict):
    """Affixes of written Arabic, in folded form (see the file's ``_doc`` for each list)."""

    _doc: str
    definite_article: str
    coordinator: str
    conjunctions: list[str]
    prepositions: list[str]
    lam_article: str
    article_with_proclitic: list[str]
    stem_prefixes: list[str]
    stem_suffixes: list[str]
    nisba_endings: list[str]
    nisba_inflections: list[str]
    place_name_endings: list[str]
    nisba_ending: str
    nisba_final_variants: list[str]
    pronoun_suffixes: list[str]
    imperfect_prefixes: list[str]
    verbal_noun_pattern: str


def morphology() -> MorphologySeed:
    """``seeds/arabic/morphology.json``."""
    return cast(MorphologySeed, read_seed("arabic/morphology.json"))
