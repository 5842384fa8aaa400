"""Named entities (PERSON, ORG, PLACE) in an Arabic article body, with offsets into that body.

The default :class:`GazetteerExtractor` combines reference lists (``seeds/entities/*.json``: countries
generated from pycountry, cities, organisations, well-known persons) with patterns that generalise:

* a role title (``الرئيس الروسي``, ``وزير الخارجية``) followed by a name of one to four words is a person;
* a name followed by a role (``دميتري بيسكوف الناطق الصحفي``) or starting with a known given name is a person;
* an organisation head (``وزارة``، ``جامعة``، ``وكالة`` …) and the noun phrase after it is an organisation;
* later mentions of a person by surname (``بوتين``) or first and last name map to the same entity.

Words are compared in folded form (:func:`transforms.normalize.fold_arabic`) after stripping proclitics
(``و ف ب ل ك لل``): a mention's ``surface`` is the word as written *without* the proclitic and its offsets
are those of that stripped span, so ``body[char_start:char_end] == surface`` always holds.
``entity_id`` is a hash of the type and the canonical name's match key: the same entity gets the same id
in every article and every run.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, compress
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from transforms.normalize import fold_arabic, match_key
from transforms.types import Entity, Mention

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "entities"

# A word: letters/digits plus the diacritics and tatweel that sit inside Arabic words.
# Written with the Arabic block U+0621–U+065F as a leading range: the same set (its letters and tatweel are
# \w, the rest is the diacritics), but most characters then match on a range test before \w's category one.
_TOKEN = re.compile(r"[\u0621-\u065f\u0670\w]+")
_WORD = re.compile(r"\w+")
_DIACRITIC = re.compile("[\u064b-\u065f\u0670\u0640]")
_HAS_ARABIC = re.compile(r"[\u0621-\u064a]")
_QUOTE_MARKS = "\"“”«»„‟"
# Gaps that may sit inside a multi-word name: spaces only (a newline or punctuation ends a name).
_SPACE_GAP = re.compile(r"[ \t\u00a0\u200c\u200f\u200e]+")
# Verbal nouns (تعليم، استثمار، انتخاب، اجتماع): common nouns that follow titles but never start a name.
_MASDAR = re.compile(r"^(?:ت..?ي.|است...+|ان.ا.|ا.ت.ا.|ا.ت..)ا?$")
# Words carrying a preposition plus the article (بالدوران، للتنمية): never inside a name.
_PREP_ARTICLE = ("بال", "لل", "وال", "كال", "فال", "وبال", "ولل")
_PREFIX = {"per": "PERSON", "org": "ORG", "plc": "PLACE"}
_TYPE_PREFIX = {v: k for k, v in _PREFIX.items()}
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class GazEntry:
    """One reference entity: canonical name, type, every alias (folded keys are built from them)."""

    canonical: str
    etype: str
    aliases: tuple[str, ...]
    media: bool = False
    roles: tuple[str, ...] = ()


@dataclass
class Reference:
    """All reference data, folded and indexed once per process."""

    gaz: dict[str, list[tuple[tuple[str, ...], GazEntry]]]  # first folded token -> [(token keys, entry)]
    titles: dict[str, list[tuple[str, ...]]]  # first folded token -> title phrases (longest first)
    anaphoric: frozenset[str]
    complement_words: frozenset[str]
    nisba_extra: frozenset[str]
    stop: frozenset[str]  # particles, verbs, adverbs, nouns: never inside a name
    particles: frozenset[str]
    connectors: frozenset[str]
    first_names: frozenset[str]
    org_heads: frozenset[str]
    media_heads: frozenset[str]
    role_fallback: dict[tuple[str, ...], GazEntry]
    verbs: frozenset[str] = frozenset()
    nationality: frozenset[str] = frozenset()  # الروسي، الأمريكية …: adjectives, never a surname
    # quotes.json's finite verbs, participles, weak verbs, attribution words: the bits of reporting_kinds
    reporting: tuple[frozenset[str], ...] = ()


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in _TOKEN.findall(text))


_name_words = lru_cache(maxsize=50_000)(_words)  # the folded words of a canonical name (names recur)


@lru_cache(maxsize=300_000)
def fold(token: str) -> str:
    """Folded form of one word (cached: news vocabulary repeats heavily).

    >>> fold("أميركا") == fold("اميركا")
    True
    """
    return fold_arabic(token)


@cache
def _load(name: str) -> dict:
    """The one place this module reads reference data (seeds/entities/<name>.json), once per process."""
    return json.loads((SEEDS / f"{name}.json").read_text(encoding="utf-8"))


@cache
def reference() -> Reference:
    """Reference lists folded and indexed for matching (built once).

    >>> reference().gaz[fold("بوتين")][0][1].canonical
    'فلاديمير بوتين'
    """
    entries: list[GazEntry] = []
    for row in _load("countries")["countries"]:
        entries.append(GazEntry(row["name"], "PLACE", tuple(row["aliases"])))
    for row in _load("places")["places"]:
        entries.append(GazEntry(row["name"], "PLACE", tuple(row["aliases"])))
    for row in _load("orgs")["orgs"]:
        entries.append(GazEntry(row["name"], "ORG", tuple(row["aliases"]), bool(row.get("media"))))
    for row in _load("persons")["persons"]:
        entries.append(GazEntry(row["name"], "PERSON", tuple(row["aliases"]), roles=tuple(row.get("roles", ()))))
    gaz: dict[str, list[tuple[tuple[str, ...], GazEntry]]] = {}
    role_fallback: dict[tuple[str, ...], GazEntry] = {}
    for e in entries:
        for name in (e.canonical, *e.aliases):
            key = _words(name)
            if key:
                gaz.setdefault(key[0], []).append((key, e))
        for role in e.roles:
            role_fallback[_words(role)] = e
    for lst in gaz.values():
        lst.sort(key=lambda kv: -len(kv[0]))
    t = _load("titles")
    titles: dict[str, list[tuple[str, ...]]] = {}
    for phrase in (*t["heads"], *t["phrases"]):
        key = _words(phrase)
        titles.setdefault(key[0], []).append(key)
    for lst in titles.values():
        lst.sort(key=lambda k: -len(k))
    s = _load("stopwords")
    q = _load("quotes")
    fset = lambda xs: frozenset(fold(x) for x in xs)  # noqa: E731
    oh = _load("org_heads")
    nationality = set()
    for e in entries:
        if e.etype != "PLACE":
            continue
        for name in (e.canonical, *e.aliases):
            w = _words(name)
            if len(w) != 1:
                continue
            stem = w[0][2:] if w[0].startswith("ال") else w[0]
            stem = re.sub("(يا|ا|ه)$", "", stem)
            adj = "ال" + stem + ("" if stem.endswith("ي") else "ي")
            nationality.update({adj, adj + "ه", adj + "ين", adj + "ون"})
    for x in t.get("nationality_extra", ()):
        adj = fold(x)
        nationality.update({adj, adj + "ه", adj + "ين", adj + "ون"})
    return Reference(
        gaz=gaz, titles=titles, anaphoric=frozenset(" ".join(_words(x)) for x in t["anaphoric"]),
        complement_words=fset(t["complement_words"]), nisba_extra=fset(t["nisba_extra"]),
        stop=fset(s["particles"] + s["verbs"] + s["adverbs"] + s["nouns"] + q["verbs"] + q["participles"]),
        particles=fset(s["particles"]), connectors=fset(s["person_connectors"]),
        first_names=fset(_load("first_names")["names"]), org_heads=fset(oh["heads"]),
        media_heads=fset(oh["media"]), role_fallback=role_fallback,
        verbs=fset(q["verbs"] + q["participles"]), nationality=frozenset(nationality),
        reporting=(fset(q["verbs"]), fset(q["participles"]), fset(q["weak_verbs"]), fset(q["attribution"])),
    )


# Reporting-verb kinds of a word (transforms.quotes reads them): bits of reporting_kinds / WordInfo.qmask.
VERB, PARTICIPLE, WEAK, ATTRIBUTION = 1, 2, 4, 8


def _reporting_bits(forms: tuple[tuple[str, int], ...]) -> int:
    """VERB|PARTICIPLE|WEAK|ATTRIBUTION bits of the word whose :func:`proclitic_forms` are ``forms`` (the first
    three readings count)."""
    readings = [f for f, _ in forms][:3]
    mask = 0
    for bit, kind in zip((VERB, PARTICIPLE, WEAK, ATTRIBUTION), reference().reporting, strict=True):
        if any(f in kind for f in readings):
            mask |= bit
    return mask


def reporting_kinds(word: str) -> int:
    """Which reporting-verb lists ``word`` (or it without a proclitic) belongs to, as VERB|PARTICIPLE|… bits.

    >>> reporting_kinds("وقال") & VERB, reporting_kinds("بوتين")
    (1, 0)
    """
    return _reporting_bits(proclitic_forms(word))


@cache
def _gaz_index(form: str) -> tuple[dict[str, tuple[tuple[tuple[str, ...], GazEntry, int], ...]],
                                   tuple[tuple[tuple[str, ...], GazEntry, int], ...]]:
    """The reference names whose first folded word is ``form`` (``reference().gaz[form]``, longest first),
    as (names of several words by their second word, one-word names), each as (key, entry, length) and in
    the original order. Bounded by the reference lists.

    >>> multi, single = _gaz_index(fold("مجلس"))
    >>> all(key[1] == w for w, names in multi.items() for key, _, _ in names), single
    (True, ())
    """
    multi: dict[str, list[tuple[tuple[str, ...], GazEntry, int]]] = {}
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


@lru_cache(maxsize=300_000)
def proclitic_forms(word: str) -> tuple[tuple[str, int], ...]:
    """Folded ``word`` and its readings without proclitics, as (form, characters stripped), full form first.

    >>> proclitic_forms("وبوتين")
    (('وبوتين', 0), ('بوتين', 1), ('وتين', 2))
    >>> ('الامم', 1) in proclitic_forms("للأمم")
    True
    """
    w = fold(word)
    out = [(w, 0)]
    stems = [(w, 0)]
    if len(w) > 3 and w[0] in "وف":
        stems.append((w[1:], 1))
        out.append((w[1:], 1))
    for stem, n in stems:
        if len(stem) > 4 and stem.startswith("لل"):
            out.append(("ال" + stem[2:], n + 1))
        elif len(stem) > 3 and stem[0] in "بلك":
            out.append((stem[1:], n + 1))
    return tuple(out)


def _spellings(forms: frozenset[str]) -> set[str]:
    """Every folded word that :func:`proclitic_forms` can read as one of ``forms`` (plus a few that it cannot).

    A reading strips و/ف, then ب/ل/ك or the لل of للـ (ال): so a word reading as ``x`` is ``x``, ``c+x``
    (c in و ف ب ل ك), ``c1+c2+x`` (c1 in و ف, c2 in ب ل ك), or for ``x = ال…`` ``لل…`` and ``و/ف+لل…``.

    >>> words = ("الامم", "والامم", "للامم", "فللامم", "بالامم", "وبالامم")
    >>> all("الامم" in dict(proclitic_forms(w)) for w in words)
    True
    >>> all(w in _spellings(frozenset({"الامم"})) for w in words)
    True
    """
    out: set[str] = set()
    for x in forms:
        stems = {x, "ب" + x, "ل" + x, "ك" + x}
        if x.startswith("ال"):
            stems.add("لل" + x[2:])
        out |= stems
        out.update("و" + w for w in stems)
        out.update("ف" + w for w in stems)
    return out


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    f: str  # folded
    joined: bool  # only spaces between the previous token and this one


# Bits of WordInfo.flags: the per-word facts the passes test on every token, as one int per token
# (``Tokens.flags``) so that a pass finds its candidates with one cheap scan of a list of ints.
GAZ = 1  # a reference name starts here (some proclitic reading)
TITLE = 2  # a role title starts here
HEAD = 4  # an organisation head (وزارة، جامعة …)
GIVEN = 8  # a known given name (also after و/ف)
NAME_FIRST = 16  # can be the first word of a name (context-free part of the test)
NAME_NEXT = 32  # can be a later word of a name
CONNECTOR = 64  # بن، أبو، عبد …: continues a name only if a name word follows
DEFINITE = 128  # _is_al: الـ and more than 3 letters
ADJECTIVE = 256  # a nationality or listed title adjective (الروسي): ends a name, continues a title
NISBA = 512  # _is_nisba, or a listed title adjective
PLAIN = 1024  # neither a particle nor a reporting verb
COMPLEMENT = 2048  # a listed title complement word, or باسم
VERB_LIKE = 4096  # starts like an imperfect verb (ي ت ن س) and is no given name
EMPTY = 8192  # folds to nothing (a run of tatweel or diacritics): the only bit such a word has
QUOTE_SHIFT = 14  # flags >> QUOTE_SHIFT are the word's reporting_kinds (VERB, PARTICIPLE, WEAK, ATTRIBUTION)
EXTENDS = NAME_NEXT | CONNECTOR  # can continue a name started on the word before
_STARTS = GAZ | TITLE | HEAD | GIVEN  # what the passes start from
# One int object per distinct flags value: the few hundred values stay in the CPU cache, where an int object
# of its own per word (ints above 256 are allocated) would be one more memory access per token and pass.
_FLAG_VALUES: dict[int, int] = {}


class WordInfo:
    """Everything the matcher asks about one written word, computed once per distinct word per process.

    News vocabulary repeats heavily, so per-token work in an article is one dict lookup; the passes below
    then visit only the tokens that can start something (a reference name, a title, an organisation head).
    """

    # The slots read for every token of every text come first: they share the object's first cache line
    # (the vocabulary cache is far bigger than the CPU caches, so each token's WordInfo is a memory access).
    __slots__ = ("f", "flags", "qmask", "forms", "formset", "gaz", "gaz1", "titles", "head", "given", "nw_first",
                 "nw_next", "extends", "verbish", "nwords")

    def __init__(self, text: str):
        ref = reference()
        f = self.f = fold(text)
        forms = self.forms = proclitic_forms(text)
        # reference names starting here: per proclitic reading (in order), its (key, entry, length) longest first
        # reference names starting here: per proclitic reading (in order), (skip, names of several words by
        # their second word, one-word names), see _gaz_index
        self.gaz = tuple((skip, *_gaz_index(form)) for form, skip in forms if form in ref.gaz)
        # when every name starting here is one word, the match is the first reading's first entry
        self.gaz1 = (self.gaz[0][0], self.gaz[0][2][0][1]) \
            if self.gaz and not any(multi for _, multi, _ in self.gaz) else None
        self.titles = tuple((form, skip, tuple(ref.titles[form])) for form, skip in forms if form in ref.titles)
        self.head = next(((g, n) for g, n in forms if g in ref.org_heads), None)
        self.given = bool(f) and (f in ref.first_names or (f[0] in "وف" and f[1:] in ref.first_names))
        self.nw_first = bool(f) and _name_word_static(text, True)
        self.nw_next = bool(f) and _name_word_static(text, False)
        # can continue a name started on the word before (a name word, or a connector: بن، أبو، عبد)
        self.extends = self.nw_next or f in ref.connectors or f == "عبد"
        self.formset = frozenset(g for g, _ in forms)
        self.verbish = any(g in ref.verbs for g, _ in proclitic_forms(f))
        self.nwords = len(_WORD.findall(text))  # \w runs: diacritics split them (article word counts)
        self.qmask = _reporting_bits(forms)  # reporting-verb kinds (also in flags, at QUOTE_SHIFT)
        bits = ((GAZ, self.gaz), (TITLE, self.titles), (HEAD, self.head is not None), (GIVEN, self.given),
                (NAME_FIRST, self.nw_first), (NAME_NEXT, self.nw_next),
                (CONNECTOR, f in ref.connectors or f == "عبد"), (DEFINITE, _is_al(f)),
                (ADJECTIVE, f in ref.nationality or f in ref.nisba_extra),
                (NISBA, _is_nisba(f) or f in ref.nisba_extra),
                (PLAIN, f not in ref.particles and f not in ref.verbs),
                (COMPLEMENT, f in ref.complement_words or f == "باسم"),
                (VERB_LIKE, bool(f) and f[0] in "يتنس" and f not in ref.first_names))
        flags = sum(bit for bit, on in bits if on) + (self.qmask << QUOTE_SHIFT) if f else EMPTY
        self.flags = _FLAG_VALUES.setdefault(flags, flags)


class _InfoCache(dict):
    """text -> WordInfo, filled on first sight (bounded: past the cap new words are computed, not kept)."""

    def __missing__(self, text: str) -> WordInfo:
        info = WordInfo(text)
        if len(self) < 400_000:
            self[text] = info
        return info


class _GapCache(dict):
    """gap between two tokens -> whether it is spaces only (the tokens are 'joined')."""

    def __missing__(self, gap: str) -> bool:
        v = _SPACE_GAP.fullmatch(gap) is not None
        if len(self) < 50_000:
            self[gap] = v
        return v


_INFO = _InfoCache()
_NWORDS = attrgetter("nwords")
_GAPS = _GapCache()
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")


@dataclass(slots=True)
class Tokens:
    """The words of one text as parallel lists (index k is the k-th word)."""

    start: list[int]
    end: list[int]
    text: list[str]
    f: list[str]  # folded
    joined: list[bool]  # only spaces between the previous token and this one
    info: list[WordInfo]
    flags: list[int] = field(default_factory=list)  # WordInfo.flags of each word
    dropped: list[WordInfo] = field(default_factory=list)  # runs of tatweel/diacritics only (not words)

    def __len__(self) -> int:
        return len(self.f)

    def __getitem__(self, k: int) -> Tok:
        return Tok(self.start[k], self.end[k], self.text[k], self.f[k], self.joined[k])

    def word_count(self) -> int:
        """``len(re.findall(r"\\w+", text))`` of the tokenised text.

        Every ``\\w`` character is a token character, so each ``\\w+`` run lies inside one token: the count
        is the sum of the tokens' own run counts (a dropped tatweel-only token still holds one).
        """
        return sum(map(_NWORDS, self.info)) + sum(map(_NWORDS, self.dropped))


def tokens_of(body: str) -> Tokens:
    """Words of ``body`` as parallel lists: offsets, text, folded form, joined-to-previous, word info.

    >>> t = tokens_of("قال بوتين، إن")
    >>> t.text, t.joined, t.start
    (['قال', 'بوتين', 'إن'], [False, True, False], [0, 4, 11])
    """
    parts = _TOKEN_SPLIT.split(body)  # gap, word, gap, word, ..., gap
    texts = parts[1::2]
    if not texts:
        return Tokens([], [], [], [], [], [])
    cum = list(accumulate(map(len, parts)))
    starts = cum[0:-1:2]
    ends = cum[1::2]
    joined = [False, *map(_GAPS.__getitem__, parts[2:-1:2])]
    infos = list(map(_INFO.__getitem__, texts))
    folded = [w.f for w in infos]
    flags = [w.flags for w in infos]
    dropped: list[WordInfo] = []
    if EMPTY in flags:  # == not all(folded), without reading every folded string
        # a run of tatweel or diacritics only is not a word; the word after it is never joined
        keep = [k for k, f in enumerate(folded) if f]
        dropped = [w for w in infos if not w.f]
        joined = [joined[k] and (n > 0 and keep[n - 1] == k - 1) for n, k in enumerate(keep)]
        starts, ends, texts, folded, infos, flags = ([xs[k] for k in keep]
                                                     for xs in (starts, ends, texts, folded, infos, flags))
    return Tokens(starts, ends, texts, folded, joined, infos, flags, dropped)


def tokenize(body: str) -> list[Tok]:
    """Words of ``body`` with offsets, folded forms and whether only spaces precede them.

    >>> [(t.text, t.joined) for t in tokenize("قال بوتين، إن")]
    [('قال', False), ('بوتين', True), ('إن', False)]
    """
    t = tokens_of(body)
    return [t[k] for k in range(len(t))]


@dataclass(slots=True)
class Span:
    """A matched stretch of tokens (inclusive ``i``..``j``) that is an entity mention."""

    i: int
    j: int
    skip: int  # proclitic characters stripped from token i
    etype: str
    canonical: str
    gaz: GazEntry | None = None
    source: str = "gaz"  # gaz | title | apposition | given | alias | orghead


@dataclass(slots=True)
class Role:
    """A role title in the text (``الرئيس الأميركي``) and the person it introduces, if any."""

    i: int  # first token of the title
    j: int  # last token of the title and its adjectives
    keys: tuple[tuple[str, ...], ...]  # role keys, most specific first
    text: str  # the title as written (proclitic stripped)
    person: Span | None = None
    anaphoric: bool = False


@dataclass(slots=True)
class Analysis:
    """Everything the entity pass learned about one body (shared with the quote pass)."""

    toks: Tokens
    spans: list[Span]
    roles: list[Role]
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


@lru_cache(maxsize=100_000)
def _strip_offset(text: str, n: int) -> int:
    """Original-character offset after ``n`` folded (non-diacritic) characters of ``text``."""
    if n == 0:
        return 0
    seen = 0
    for k, ch in enumerate(text):
        if not _DIACRITIC.match(ch):
            seen += 1
            if seen == n:
                k += 1
                while k < len(text) and _DIACRITIC.match(text[k]):
                    k += 1
                return k
    return 0


def _clean_name(text: str) -> str:
    return " ".join(_DIACRITIC.sub("", text).split())


def _is_al(f: str) -> bool:
    return f.startswith("ال") and len(f) > 3


def _is_nisba(f: str) -> bool:
    """A definite nationality/relation adjective (الروسي، الأمريكية، السعوديين) or a listed title adjective."""
    return _is_al(f) and (f.endswith(("ي", "يه", "يين", "يون", "يان")) or f in reference().nisba_extra)


@lru_cache(maxsize=200_000)
def _name_word_static(text: str, first: bool) -> bool:
    """The context-free part of the name-word test (cached per word)."""
    f = fold(text)
    ref = reference()
    if not _HAS_ARABIC.search(f) or len(f) < 2 or f in ref.stop:
        return False
    if f in ref.first_names:
        return True
    # a word that is a particle, title or verbal noun once a proclitic is removed (لرئيس، لاستثمار)
    if any(g in ref.stop or g in ref.titles or _MASDAR.match(g) for g, n in proclitic_forms(text)[1:]):
        return False
    if _MASDAR.match(f) or f[0] in "وف" and len(f) > 3:
        return False
    if first:
        # common nouns: feminine ending, sound plurals, -iyyan adverbs (حاليا), imperfect verbs (يبدو)
        if _is_al(f) or f.endswith(("ه", "ات", "يا", "ون", "ين")) or f in ref.titles or f[0] == "ي":
            return False
        return True
    if f.startswith(_PREP_ARTICLE) and f not in ref.first_names:
        return False
    if f in ref.titles or f.endswith("يا") and len(f) > 4 or f.endswith(("ته", "تها", "هم", "ها")) \
            or f.endswith("ات") and len(f) >= 6:
        return False
    return True


class _Matcher:
    """One article's matching state: tokens, which token is claimed by which span.

    Tokens are parallel lists (``F`` folded, ``J`` joined, ``S``/``E`` offsets, ``T`` text, ``W`` word info,
    ``FL`` word flags); each pass visits only the tokens whose word can start what it looks for, found by
    one scan of the ``FL`` ints (cheaper than reading an attribute of every token's WordInfo).
    """

    def __init__(self, body: str):
        self.body = body
        self.ref = reference()
        tk = self.toks = tokens_of(body)
        self.F, self.J, self.S, self.E, self.T, self.W = tk.f, tk.joined, tk.start, tk.end, tk.text, tk.info
        self.FL = tk.flags
        self.n = len(self.F)
        # One scan for the tokens that can start something (about a tenth); each pass's candidates are then
        # picked from these few (the flags are fixed per word, so computing them before the passes is the same)
        FL = self.FL
        starts = [k for k, fl in enumerate(FL) if fl & _STARTS]
        self.gaz_cands = [k for k in starts if FL[k] & GAZ]
        self.title_cands = [k for k in starts if FL[k] & TITLE]
        self.head_cands = [k for k in starts if FL[k] & HEAD and k < self.n - 1]
        self.given_cands = [k for k in starts if FL[k] & GIVEN]
        self.owner: list[Span | None] = [None] * self.n
        self.spans: list[Span] = []
        self.roles: list[Role] = []

    # -- helpers -----------------------------------------------------------------------------------
    def claim(self, sp: Span) -> None:
        owner = self.owner
        for k in range(sp.i, sp.j + 1):
            owner[k] = sp
        self.spans.append(sp)

    def text(self, i: int, j: int, skip: int = 0) -> str:
        return self.body[self.S[i] + _strip_offset(self.T[i], skip):self.E[j]]

    def words_text(self, i: int, j: int, skip: int = 0) -> str:
        """Tokens i..j as written, space-joined, without diacritics or punctuation (a canonical name)."""
        T = self.T
        first = T[i][_strip_offset(T[i], skip):]
        return _clean_name(" ".join([first, *T[i + 1:j + 1]]))

    def _follows(self, k: int, key: tuple[str, ...], L: int) -> bool:
        """Tokens k+1 .. k+L-1 are key[1:], each joined to the one before."""
        F, J = self.F, self.J
        for m in range(1, L):
            if F[k + m] != key[m] or not J[k + m]:
                return False
        return True

    # -- pass 1: reference lists -------------------------------------------------------------------
    def gazetteer(self) -> None:
        W, F, J, n = self.W, self.F, self.J, self.n
        nxt = 0
        for k in self.gaz_cands:
            if k < nxt:
                continue
            w = W[k]
            if w.gaz1 is not None:  # only one-word names start with this word: the loop below picks gaz1
                skip, entry = w.gaz1
                self.claim(Span(k, k, skip, entry.etype, entry.canonical, entry))
                nxt = k + 1
                continue
            # Per reading, the names longest first; the first that matches wins, and a later reading only
            # tries names longer than the best so far. A name of several words can only match when its second
            # word is the next token (joined): so only the names filed under that word are tried (same order,
            # see _gaz_index), then the one-word names.
            best: tuple[int, int, GazEntry] | None = None
            second = F[k + 1] if k + 1 < n and J[k + 1] else None
            for skip, multi, single in w.gaz:
                done = False
                if second is not None:
                    for key, entry, L in multi.get(second, ()):
                        if best is not None and L <= best[0] - k + 1:
                            done = True
                            break
                        if k + L > n:
                            continue
                        if L == 2 or self._follows(k, key, L):
                            best = (k + L - 1, skip, entry)
                            done = True
                            break
                if not done and single and best is None:  # a one-word name: only when nothing matched yet
                    best = (k, skip, single[0][1])
            if best is None:
                continue
            j, skip, entry = best
            self.claim(Span(k, j, skip, entry.etype, entry.canonical, entry))
            nxt = j + 1

    # -- pass 2: titles ----------------------------------------------------------------------------
    def _title_at(self, k: int) -> tuple[int, int, str] | None:
        """(last token of the title phrase, proclitic chars, head form) when a role title starts at token k."""
        for form, skip, lst in self.W[k].titles:
            for key in lst:
                L = len(key)
                if k + L <= self.n and (L == 1 or self._follows(k, key, L)):
                    return k + L - 1, skip, form
        return None

    def _name_word(self, k: int, first: bool) -> bool:
        """Can token k be (the first) word of a person's name?"""
        return self.owner[k] is None and bool(self.FL[k] & (NAME_FIRST if first else NAME_NEXT))

    def _name_from(self, k: int) -> int | None:
        """Last token of a person name starting at k (1-4 words plus connectors), or None.

        Word tests read the token flags: CONNECTOR is ``f in connectors or f == "عبد"``, DEFINITE
        ``_is_al(f)``, ADJECTIVE ``f in nationality or f in nisba_extra``, VERB_LIKE ``f[0] in "يتنس" and f not
        in first_names`` (see WordInfo).
        """
        n = self.n
        FL, J, owner = self.FL, self.J, self.owner
        if k >= n or owner[k] is not None or not FL[k] & NAME_FIRST:
            return None
        if FL[k] & CONNECTOR:  # عبد الله، أبو بكر: the connector needs a word
            if not (k + 1 < n and J[k + 1] and owner[k + 1] is None and FL[k + 1] & NAME_NEXT):
                return None
        j, words = k, 1
        while j + 1 < n and J[j + 1] and words < MAX_NAME_WORDS:
            nxt = j + 1
            fl = FL[nxt]
            if fl & CONNECTOR:
                if nxt + 1 < n and J[nxt + 1] and owner[nxt + 1] is None and FL[nxt + 1] & NAME_NEXT:
                    j = nxt + 1
                    words += 1
                    continue
                break
            if owner[nxt] is not None or not fl & NAME_NEXT:
                break
            if fl & DEFINITE:  # a definite surname (الأسد، الزهراني) ends the name; an adjective (الروسي) does not
                if fl & ADJECTIVE:
                    break
                j = nxt
                break
            # a third word that looks like a conjugated verb (يواصل، سيواصلان) ends the name
            if words >= 2 and fl & VERB_LIKE:
                break
            j = nxt
            words += 1
        return j

    def titles(self) -> None:
        F, J, FL, n, ref, owner = self.F, self.J, self.FL, self.n, self.ref, self.owner
        nk_min = 0
        for k in self.title_cands:
            if k < nk_min:
                continue
            hit = self._title_at(k) if owner[k] is None or owner[k].etype != "PERSON" else None
            if hit is None:
                continue
            tj, skip, head = hit
            # adjectives of the title (الروسي، العام) and complements (مجلس الأمن، لكرة القدم، نيوزيلندا)
            j = tj
            nis: list[str] = []
            comp = 0
            while j + 1 < n and J[j + 1] and comp < 6:
                nxt = j + 1
                own = owner[nxt]
                if own is not None and own.etype in ("ORG", "PLACE"):
                    j = own.j
                    comp += 1
                    continue
                if own is not None:
                    break
                fl = FL[nxt]
                if fl & NISBA:  # _is_nisba(f) or f in nisba_extra
                    nis.append(F[nxt])
                    j = nxt
                    continue
                if fl & TITLE and nxt > tj and self._title_at(nxt) is not None:
                    break  # a second title (… وزير الدفاع الأمير محمد)
                # PLAIN: not a particle nor a verb; COMPLEMENT: a complement word or باسم
                if (fl & DEFINITE and fl & PLAIN) or fl & COMPLEMENT or (
                        F[nxt][0] == "ل" and nxt + 1 < n and FL[nxt + 1] & DEFINITE and J[nxt + 1]
                        and fl & PLAIN):
                    j = nxt
                    comp += 1
                    continue
                break
            title_words = [head, *F[k + 1:tj + 1]]
            al_head = head if head.startswith("ال") else "ال" + head
            keys = (tuple(title_words + nis), tuple([al_head] + nis), (al_head,))
            text = self.text(k, j, skip)
            role = Role(k, j, keys, text, anaphoric=" ".join(title_words) in ref.anaphoric
                        or al_head in ref.anaphoric)
            self.roles.append(role)
            nk = j + 1
            if nk < n and J[nk]:
                own = owner[nk]
                if own is not None and own.etype == "PERSON" and own.i == nk:
                    role.person = own
                    nk_min = own.j + 1
                    continue
                end = self._name_from(nk)
                if end is not None:
                    # absorb a reference person right after the name (بشار حافظ الأسد)
                    if end + 1 < n and J[end + 1] and owner[end + 1] is not None \
                            and owner[end + 1].etype == "PERSON":
                        end = owner[end + 1].j
                    sp = self._person(nk, end, "title")
                    role.person = sp
                    nk_min = sp.j + 1
                    continue
            nk_min = j + 1

    def _person(self, i: int, j: int, source: str) -> Span:
        """Claim tokens i..j as a person; merge with a reference person inside the span."""
        owner = self.owner
        inner = next((owner[m] for m in range(i, j + 1) if owner[m] is not None
                      and owner[m].etype == "PERSON"), None)
        if inner is not None:
            self.spans.remove(inner)
            for m in range(inner.i, inner.j + 1):
                owner[m] = None
        skip = 0
        if inner is None:
            f = self.F[i]
            if f[0] in "وف" and len(f) > 3 and f not in self.ref.first_names and f[1:] in self.ref.first_names:
                skip = 1
        canonical = inner.canonical if inner is not None else self.words_text(i, j, skip)
        sp = Span(i, j, skip, "PERSON", canonical, inner.gaz if inner else None, source)
        self.claim(sp)
        return sp

    # -- pass 3: organisation heads ----------------------------------------------------------------
    def org_heads(self) -> None:
        F, J, S, E, W, n, ref, owner, body = self.F, self.J, self.S, self.E, self.W, self.n, self.ref, \
            self.owner, self.body
        for k in self.head_cands:
            if owner[k] is not None:
                continue
            head = W[k].head
            nk = k + 1
            gap = body[E[k]:S[nk]]
            quoted = any(c in _QUOTE_MARKS for c in gap)
            if not (J[nk] or quoted) or owner[nk] is not None:
                continue
            j = None
            m = nk
            while m < n and m - nk < 4 and owner[m] is None:
                f = F[m]
                if m > nk and not J[m]:
                    break
                if f in ref.stop or not _HAS_ARABIC.search(f):
                    break
                if m == nk and not _is_al(f) and f.endswith(("ه", "ي", "ات")) and not quoted:
                    break  # an indefinite noun or adjective: صحيفة لبنانية, شركة متخصصة are not names
                if m > nk and W[m].titles and self._title_at(m) is not None:
                    break
                if m > nk and not (_is_al(f) or f.startswith("وال") or quoted):
                    break
                j = m
                m += 1
                if quoted and any(c in _QUOTE_MARKS for c in body[E[m - 1]:S[m] if m < n else len(body)]):
                    break
            if j is None:
                continue
            media = head[0] in ref.media_heads
            if media:
                sp = Span(nk, j, 0, "ORG", self.words_text(nk, j), None, "orghead")
            else:
                sp = Span(k, j, head[1], "ORG", self.words_text(k, j, head[1]), None, "orghead")
            if len(_clean_name(self.text(nk, j))) < 2:
                continue
            self.claim(sp)

    # -- pass 4: persons without a title -----------------------------------------------------------
    def untitled_persons(self) -> None:
        F, J, W, n, owner, body = self.F, self.J, self.W, self.n, self.owner, self.body
        nk_min = 0
        # Only a known given name, or a name word followed by a word that can continue a name, can end in
        # a person here: a lone untitled word makes no span (the tests below need two words or a given name).
        FL = self.FL
        # Past a given name, a span needs the apposition below: two name words, then a definite word that
        # starts a title. _name_from(k) ends at k+6 at most (4 words, connectors between), so such a k lies
        # 2 to 7 tokens before a TITLE|DEFINITE token; other name words are not tried (they make nothing).
        near: set[int] = set()
        for t in self.title_cands:
            if FL[t] & DEFINITE:
                near.update(range(t - 7, t - 1))
        # the original test, on the given names and those near positions (k < n-1: a word follows)
        cands = sorted({*self.given_cands, *(k for k in near if 0 <= k < n - 1 and FL[k] & NAME_FIRST and J[k + 1]
                                              and FL[k + 1] & EXTENDS)})
        for k in cands:
            if k < nk_min or owner[k] is not None:
                continue
            given = W[k].given
            end = self._name_from(k)
            if end is None:
                continue
            words = end - k + 1
            if given and words >= 2:
                self._person(k, end, "given")
                nk_min = end + 1
                continue
            # apposition: a name right before a role (دميتري بيسكوف الناطق الصحفي باسم ...)
            nxt = end + 1
            after_verb = k > 0 and J[k] and self._after_break_or_verb(k)
            if nxt < n and (J[nxt] or after_verb and body[self.E[end]:self.S[nxt]].strip()
                            in (",", "،")) and _is_al(F[nxt]) and self._title_at(nxt) is not None \
                    and self._after_break_or_verb(k) and (words >= 2 or given):
                sp = self._person(k, end, "apposition")
                self.roles.append(Role(nxt, nxt, ((F[nxt],),), self.T[nxt], sp))
                nk_min = end + 1
                continue

    def _after_break_or_verb(self, k: int) -> bool:
        if k == 0 or not self.J[k]:
            return True
        return self.W[k - 1].verbish

    # -- pass 5: later mentions by surname / first+last ---------------------------------------------
    def aliases(self) -> None:
        table: dict[tuple[str, ...], Span] = {}
        ref = self.ref
        for sp in self.spans:
            if sp.etype != "PERSON" or sp.gaz is not None:
                continue
            words = list(_name_words(sp.canonical))
            content = [w for w in words if w not in ref.connectors]
            if len(content) < 2:
                continue
            last = content[-1]
            if len(last.replace("ال", "", 1)) >= 3 and last not in ref.stop and last not in ref.first_names:
                table.setdefault((last,), sp)
            table.setdefault((content[0], last), sp)
            if len(words) >= 3 and words[-2] in ref.connectors:  # فان بوهمن، دي ميستورا، بن حلي
                table.setdefault((words[-2], last), sp)
        if not table:
            return
        firsts = {key[0] for key in table}  # a token none of whose readings starts a key cannot match
        F, J, W, n, owner = self.F, self.J, self.W, self.n, self.owner
        # Candidates by their folded word, C-level: every word with a reading in ``firsts`` is one of
        # _spellings(firsts) (a superset; the loop below still checks each reading).
        for k in compress(range(n), map(_spellings(frozenset(firsts)).__contains__, F)):
            if owner[k] is not None:
                continue
            for form, skip in W[k].forms:
                if form not in firsts:
                    continue
                if k + 1 < n and J[k + 1] and owner[k + 1] is None \
                        and (form, F[k + 1]) in table:
                    src = table[(form, F[k + 1])]
                    self.claim(Span(k, k + 1, skip, "PERSON", src.canonical, None, "alias"))
                    break
                if (form,) in table:
                    src = table[(form,)]
                    self.claim(Span(k, k, skip, "PERSON", src.canonical, None, "alias"))
                    break

    def run(self) -> Analysis:
        if self.n:
            self.gazetteer()
            self.titles()
            self.org_heads()
            self.untitled_persons()
            self.aliases()
        self.spans.sort(key=lambda s: s.i)
        return Analysis(self.toks, self.spans, self.roles)


def _finish(body: str, a: Analysis) -> Analysis:
    """Mentions and entity rows from the matched spans."""
    by_id: dict[str, Entity] = {}
    S, E, T = a.toks.start, a.toks.end, a.toks.text
    for sp in a.spans:
        start = S[sp.i] + _strip_offset(T[sp.i], sp.skip) if sp.skip else S[sp.i]
        end = E[sp.j]
        surface = body[start:end]
        eid = entity_id(sp.etype, sp.canonical)
        a.mentions.append(Mention(eid, sp.canonical, sp.etype, surface, start, end))
        ent = by_id.get(eid)
        if ent is None:
            aliases = list(sp.gaz.aliases) if sp.gaz is not None else []
            ent = by_id[eid] = Entity(eid, sp.canonical, sp.etype, aliases)
        if surface not in ent.aliases and surface != ent.canonical_name:
            ent.aliases.append(surface)
    a.entities = list(by_id.values())
    return a


@lru_cache(maxsize=8)
def analyze(body: str) -> Analysis:
    """Tokens, entity spans, role titles, mentions and entities of one body (memoised for the quote pass).

    >>> a = analyze("أعلن الرئيس الأميركي باراك أوباما أن أوباما")
    >>> [(m.surface, m.canonical_name) for m in a.mentions]
    [('باراك أوباما', 'باراك أوباما'), ('أوباما', 'باراك أوباما')]
    """
    return _finish(body, _Matcher(body).run())


class EntityExtractor(Protocol):
    """Anything that finds entity mentions in a body (a statistical model can be plugged in here)."""

    def extract(self, body: str) -> list[Mention]: ...


class GazetteerExtractor:
    """The default extractor: reference lists plus title, apposition and organisation patterns."""

    def extract(self, body: str) -> list[Mention]:
        """Mentions in text order.

        >>> [m.surface for m in GazetteerExtractor().extract("وقال بوتين في سورية")]
        ['بوتين', 'سورية']
        """
        return list(analyze(body).mentions)


def entities_of(mentions: list[Mention], extra_aliases: dict[str, list[str]] | None = None) -> list[Entity]:
    """Distinct entity rows for a list of mentions (canonical name, type, the surfaces seen as aliases).

    >>> ents = entities_of(GazetteerExtractor().extract("سوريا وسورية"))
    >>> len(ents), ents[0].canonical_name
    (1, 'سوريا')
    """
    by_id: dict[str, Entity] = {}
    for m in mentions:
        ent = by_id.setdefault(m.entity_id, Entity(m.entity_id, m.canonical_name, m.entity_type,
                                                   list((extra_aliases or {}).get(m.entity_id, []))))
        if m.surface != m.canonical_name and m.surface not in ent.aliases:
            ent.aliases.append(m.surface)
    return list(by_id.values())


def extract_entities(body: str, extractor: EntityExtractor | None = None) -> tuple[list[Mention], list[Entity]]:
    """Mentions (in text order) and the distinct entities they refer to.

    >>> mentions, ents = extract_entities("قال وزير الخارجية الروسي سيرغى لافروف إن لافروف")
    >>> [(m.surface, m.entity_type) for m in mentions]
    [('سيرغى لافروف', 'PERSON'), ('لافروف', 'PERSON')]
    >>> ents[0].canonical_name
    'سيرغي لافروف'
    """
    if extractor is None or isinstance(extractor, GazetteerExtractor):
        a = analyze(body)
        return list(a.mentions), [Entity(e.entity_id, e.canonical_name, e.entity_type, list(e.aliases))
                                  for e in a.entities]
    mentions = sorted(extractor.extract(body), key=lambda m: m.char_start)
    return mentions, entities_of(mentions)
