"""Datelines and bylines: who wrote it, from where, for which agency.

Real sites write the same three facts in many shapes::

    موسكو-سانا                                   place موسكو, agency سانا
    هانغتشو-الصين-سانا                           place هانغتشو (the country is dropped), agency سانا
    الرياض - واس - أكد …                         the same, glued to the first paragraph
    مكة المكرمة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس   place, date stamp, agency (wire style)
    لندن: رنيم حنوش                              place لندن, author رنيم حنوش
    علي حفول- سبق- نجران:                       author, the outlet's own name (sabq.org, not an agency), place
    محمد العبد الله (الدمام)  /  خليفة الهاملي من بريدة   author and place
    ق. د/ الوكالات                               desk initials (no author), agency الوكالات
    القاهرة: «الشرق الأوسط»  /  «الاقتصادية» من الرياض    place and outlet, no author, no agency

A byline is cut into components at dashes, colons, slashes, parentheses, commas and a final ``من``; each
component is classified with the reference tables (``seeds/agencies.json``, ``seeds/outlets.json`` through
:mod:`transforms.outlets`, ``seeds/places_dateline.json``) and, failing those, by shape: two to six words
with no function word and no leading ``ال`` make a person's name; a lone unknown word next to a known
component is a place. Decisions worth knowing:

* the outlet's own name (``سبق``, ``الوئام``, ``«الشرق الأوسط»``) is never an agency nor an author;
* desk initials such as ``ق. د`` are not a person's name: author stays NULL;
* ``الرياض`` is both a city and a newspaper: it is the place unless another place is named;
* a country after a city (``هانغتشو-الصين``) is dropped; a country alone is the place;
* CNN, Sky News, BBC and RT credited in a byline (``الوئام - cnn``) fill the agency column: they are the
  credited source of the copy, as an agency is;
* the agency column holds the agency as the article writes it (``فرانس برس``, ``أ.ف.ب``, ``وكالة الأنباء
  السعودية``), trimmed of punctuation: readers and the labels expect the page's own words. Code that needs the
  agency's identity (the outlet's own name, its own site) compares :func:`agency_canonical` keys instead.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from transforms import seeds
from transforms.arabic.chars import QUOTE_MARKS, TATWEEL_RE
from transforms.arabic.fold import strip_controls, to_ascii_digits
from transforms.arabic.morphology import ARTICLE, ARTICLE_WITH_PROCLITIC, CONJUNCTIONS
from transforms.clean import chrome_rules
from transforms.dates import find_dates
from transforms.normalize import match_key
from transforms.outlets import name_key, outlet_by_name
from transforms.types import Dateline

# A written date: day, month name(s), year, optional era mark; Hijri and Gregorian joined by الموافق or "/".
_DATE_CHUNK = r"\d{1,2}\s+[^\s\d]+(?:\s+[^\s\d]+)?\s+\d{4}\s*(?:هـ|ه|م)?\.?"
_DATE = re.compile(rf"(?:{_DATE_CHUNK})(?:\s*(?:الموافق\s*(?:ل\s*)?|/)\s*(?:{_DATE_CHUNK}))?")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:ت\s*م|ص|م|am|pm)?", re.I)
_DIGITS = re.compile(r"\d")
_NBSP = re.compile(r"\u00a0|&nbsp;?|&#160;", re.I)
# Component separators of a byline: dashes, colon, slash, brackets, commas, and a tatweel used as a dash.
_SPLIT = re.compile(r"\s*(?:[-–—:/|()\[\]{}،,؛]|(?:^|\s)ـ+(?:\s|$))\s*")
_FROM = re.compile(r"^(?P<who>.*\S)\s+من\s+(?P<where>\S+(?:\s+\S+){0,2})$")
_PHOTO = re.compile(r"\s*[-–—]?\s*(?:تصوير|عدسة|بعدسة|تصوير\s*و\s*عدسة)\b.*$")
_QUOTES = re.compile(f"[{QUOTE_MARKS}'‘’{{}}]")
_SPACES = re.compile(r"\s+")
_INITIAL = re.compile(r"^\w\.?$")
# One leading component of a paragraph: a short run of words ended by a dash, a colon or a slash; or a name in
# guillemets (بيروت - «الحياة» - أكد …). A dot inside a word is part of it (العربية.نت).
_LEAD = re.compile(r"\s*(«[^«»\n]{1,30}»|(?:[^\-–—:/\n()«»\"“”.،,]|\.(?=\w)){1,40}?)\s*([-–—:/]|\s+ـ+\s+)\s*")
# A source in guillemets closing a dateline with a space only (لندن: «الشرق الأوسط» أكد …).
_QUOTED_SOURCE = re.compile(r"\s*(«[^«»\n]{1,30}»)\s+(?=\S)")
# The place words that open a wire dateline, right before its date (digits may follow without a space).
_WIRE_PLACE = re.compile(r"^\s*((?:[^\s\d:،,.\-–—]+\s+){0,2}[^\s\d:،,.\-–—]+?)\s*(?=\d)")
# A source in brackets closing a dateline glued to the first sentence: place and country before it, a dash or
# colon after it ("دبي، الإمارات العربية المتحدة (CNN)--", "القاهرة (رويترز) -", "(CNN)--").
# The dash may stand before the bracket instead ("دبي، الإمارات العربية المتحدة - (CNN) يستمر …").
_BRACKETED = re.compile(r"^\s*(?P<head>[^()\n\-–—:.«»\"“”]{0,60}?)\s*(?P<dash>[-–—]+\s*)?\((?P<source>[^()\n]{1,40})\)"
                        r"\s*(?P<sep>[-–—]+|:)?\s*")
_HEAD_SPLIT = re.compile(r"\s*[،,]\s*")
_SOURCE_KINDS = frozenset({"agency", "outlet", "outlet_amb"})

_MAX_NAME_WORDS = 5  # عبدالرحمن بن عبدالله بن محمد; longer runs of words are phrases, not names
_SENTENCE = re.compile(r"[.!؟?]\s*$")
STRONG = frozenset({"agency", "outlet", "place", "place_amb"})


@cache
def dateline_tables() -> dict[str, Any]:
    """Agency aliases, desk words, honorifics, name-breaking words and the dateline gazetteer, indexed once.

    >>> dateline_tables()["agencies"][name_key("فرانس برس")]
    'أ ف ب'
    """
    ag = seeds.agencies()
    pl = seeds.dateline_places()
    agencies = {name_key(n): a["canonical"] for a in ag["agencies"] for n in [a["canonical"], *a.get("aliases", [])]}
    return {
        "agencies": agencies,
        "desk": frozenset(name_key(w) for w in ag["desk_words"]),
        "desk_first": frozenset(match_key(w) for w in ag["desk_words"] if " " not in w.strip()),
        "honorifics": frozenset(match_key(w) for w in ag["honorifics"]),
        "not_name": frozenset(match_key(w) for w in ag["not_name_words"]),
        "name_first": frozenset(match_key(w) for w in ag.get("name_first_words", [])),
        "places": frozenset(name_key(p) for p in pl["places"]),
        "countries": frozenset(name_key(c) for c in pl["countries"]),
        "suffixes": frozenset(match_key(s) for s in pl["place_suffixes"]),
        "place_heads": frozenset(match_key(s) for s in pl["place_heads"]),
    }


def agency_canonical(name: str | None) -> str | None:
    """The one short form of an agency however it is written (its identity: ``seeds/agencies.json``
    ``canonical``), or None when the name is no agency.

    >>> agency_canonical("أ.ف.ب"), agency_canonical("فرانس برس"), agency_canonical("cnn"), agency_canonical("سبق")
    ('أ ف ب', 'أ ف ب', 'CNN', None)
    >>> agency_canonical("وكالات"), agency_canonical(None)
    ('الوكالات', None)
    """
    return dateline_tables()["agencies"].get(name_key(name)) if name and name.strip() else None


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", TATWEEL_RE.sub("", _QUOTES.sub(" ", text))).strip(" .:-–—_*")


_EDGE_PUNCTUATION = " .,:;،؛!?؟-–—_*()[]{}«»\"'“”‘’/|"


def agency_as_written(span: str) -> str:
    """An agency name for the agency column: the page's own words, without the punctuation, brackets and
    quotation marks around them, spaces collapsed (the score and the reader see the name the article wrote).

    >>> agency_as_written(" (أ ف ب) "), agency_as_written("«رويتر»:"), agency_as_written("فرانس   برس.")
    ('أ ف ب', 'رويتر', 'فرانس برس')
    """
    return _SPACES.sub(" ", TATWEEL_RE.sub("", span)).strip(_EDGE_PUNCTUATION)


def _is_place(key_words: list[str], tables: dict[str, Any]) -> bool:
    key = "".join(key_words)
    if key in tables["places"]:
        return True
    if len(key_words) > 1 and key_words[-1] in tables["suffixes"] and "".join(key_words[:-1]) in tables["places"]:
        return True
    return len(key_words) >= 2 and key_words[0] in tables["place_heads"]


# Bylines and dateline components repeat heavily (واس، الرياض، an outlet's desk): the pure functions of a
# string below are memoised (bounded lru caches; their results are immutable tuples).
@lru_cache(maxsize=50_000)
def classify(component: str) -> tuple[str, str | None]:
    """(kind, value) of one byline component.

    kinds: ``agency`` (value: as written, see :func:`agency_as_written`), ``outlet`` (value: domain), ``outlet_amb`` (an outlet name that is
    also a word or place; value: domain), ``place`` / ``place_amb`` (value: as written), ``country``, ``desk``,
    ``initials``, ``person`` (value: the name without honorifics), ``single`` (one unknown word), ``other``.

    >>> classify("سانا"), classify("«الشرق الأوسط»"), classify("موسكو"), classify("الرياض")
    (('agency', 'سانا'), ('outlet', 'aawsat.com'), ('place', 'موسكو'), ('place_amb', 'الرياض'))
    >>> classify("فرانس برس"), classify(" أ.ف.ب. "), classify("وكالة الأنباء السعودية")
    (('agency', 'فرانس برس'), ('agency', 'أ.ف.ب'), ('agency', 'وكالة الأنباء السعودية'))
    >>> classify("ق. د"), classify("رنيم حنوش"), classify("أ.د عبد الله الدايل"), classify("الصين")
    (('initials', None), ('person', 'رنيم حنوش'), ('person', 'عبد الله الدايل'), ('country', 'الصين'))
    >>> classify("القدس المحتلة"), classify("متابعات"), classify("كلمة الاقتصادية"), classify("الحرب السورية")
    (('place', 'القدس المحتلة'), ('desk', None), ('other', None), ('other', None))
    """
    text = _tidy(component)
    if not text:
        return "other", None
    tables = dateline_tables()
    words = match_key(text).split()
    if not words:
        return "other", None
    key = "".join(words).lower()  # the tables' keys are name_key()s: Latin names lower-cased (CNN = cnn)
    if key in tables["agencies"]:  # before initials: د ب أ and أ ف ب are agencies
        return "agency", agency_as_written(text)
    if len(words) <= 3 and all(_INITIAL.match(w) for w in text.replace(".", ". ").split()):
        return "initials", None
    domain, ambiguous = outlet_by_name(text)
    if domain and not ambiguous:
        return "outlet", domain
    if words[0] == "مكتب" and len(words) > 1:  # a bureau: مكتب الجزيرة
        inner, _ = outlet_by_name(" ".join(words[1:]))
        return ("outlet_amb", inner) if inner else ("desk", None)
    if words[0] in ("من", "في") and len(words) > 1:
        rest = text.split(None, 1)[1:]
        if not rest:  # the preposition glued to what follows by punctuation (من،0): neither a place nor a name
            return "other", None
        words, text = words[1:], rest[0]
    if _is_place(words, tables):
        return ("place_amb" if domain else "place"), text
    if domain:
        return "outlet_amb", domain
    if "".join(words) in tables["countries"]:
        return "country", text
    if "".join(words) in tables["desk"] or (words[0] in tables["desk_first"] and len(words) <= 3):
        return "desk", None
    return _person_or_other(text, words, tables)


def _person_or_other(text: str, words: list[str], tables: dict[str, Any]) -> tuple[str, str | None]:
    raw = text.split()
    while len(raw) > 1 and match_key(raw[0]) in tables["honorifics"]:
        raw = raw[1:]  # أ.د عبد الله الدايل → عبد الله الدايل
    words = match_key(" ".join(raw)).split()
    if _DIGITS.search(text) or any(w in tables["not_name"] for w in words):
        return "other", None
    if len(words) == 1:
        return ("single", text) if len(words[0]) >= 2 else ("other", None)
    if 2 <= len(words) <= _MAX_NAME_WORDS and (not words[0].startswith(ARTICLE) or words[0] in tables["name_first"]):
        return "person", " ".join(raw)
    return "other", None


def _strip_dates(text: str) -> str:
    """A byline without its dates (any shape :func:`transforms.dates.find_dates` knows, numeric ones included,
    and day-month-year runs with an unknown month word) and clock times.

    >>> _strip_dates("الرياض 12 / 3 / 1438هـ الموافق 11 / 12 / 2016م واس")
    'الرياض  -  واس'
    """
    if _DIGITS.search(text):
        for m in reversed(find_dates(text)):
            text = text[:m.start] + " - " + text[m.end:]
    return _TIME.sub(" - ", _DATE.sub(" - ", text))


def components(byline: str) -> list[tuple[str, str | None]]:
    """The classified components of a byline, in order (dates, times and photo credits removed).

    >>> [k for k, _ in components("عبدالله البرقاوي- سبق- الرياض:")]
    ['person', 'outlet', 'place_amb']
    >>> [k for k, _ in components("«الاقتصادية» من الرياض")]
    ['outlet', 'place_amb']
    """
    return list(_components(byline))


# "أ ف ب (بوينوس آيرس)", "عكاظ (الرياض)": a source, then in brackets where it wrote from.
_SOURCE_PLACE = re.compile(r"^\s*(?P<source>[^()]+?)\s*\((?P<place>[^()]+)\)\s*[:.]?\s*$")


@lru_cache(maxsize=20_000)
def _components(byline: str) -> tuple[tuple[str, str | None], ...]:
    text = _PHOTO.sub("", _strip_dates(fold_digits(byline)))
    m = _SOURCE_PLACE.match(text)
    if m and classify(m.group("source"))[0] in ("agency", "outlet", "outlet_amb"):
        kind, value = classify(m.group("place"))
        if kind in ("person", "single"):  # an unknown place: the bracket after a source holds the place
            return classify(m.group("source")), ("place", _tidy(m.group("place")))
    out: list[tuple[str, str | None]] = []
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        m = _FROM.match(part)
        pieces = [m.group("who"), m.group("where")] if m and classify(m.group("where"))[0] in (
            "place", "place_amb", "country", "single") and classify(m.group("who"))[0] in (
            "person", "outlet", "outlet_amb", "agency", "desk") else [part]
        for piece in pieces:
            kind, value = classify(piece)
            if kind != "other" or _tidy(piece):
                out.append((kind, value))
    return tuple(out)


def fold_digits(text: str) -> str:
    """Controls removed, Arabic-Indic digits to ASCII, NBSP to space (all bylines need before splitting).

    >>> fold_digits("٢٥ شوال")
    '25 شوال'
    """
    text = to_ascii_digits(strip_controls(text))
    return _NBSP.sub(" ", text) if "\xa0" in text or "&" in text else text


def assemble(parts: list[tuple[str, str | None]]) -> Dateline:
    """A Dateline from classified components (see the module docstring for the rules).

    >>> assemble([("place", "هانغتشو"), ("country", "الصين"), ("agency", "سانا")])
    Dateline(place='هانغتشو', agency='سانا', author=None, outlet_domain=None)
    """
    places = [v for k, v in parts if k == "place"]
    amb = [v for k, v in parts if k == "place_amb"]
    countries = [v for k, v in parts if k == "country"]
    singles = [v for k, v in parts if k == "single"]
    persons = [v for k, v in parts if k == "person" and v]
    agency = next((v for k, v in parts if k == "agency"), None)
    outlet = next((v for k, v in parts if k == "outlet"), None)
    others = agency or outlet or persons or any(k == "outlet_amb" for k, _ in parts) or places or amb
    place = (places or amb or (singles if others else []) or countries or [None])[0]
    return Dateline(place=place, agency=agency, author="، ".join(persons) or None, outlet_domain=outlet)


def parse_byline(byline: str) -> Dateline:
    """Place, agency, author and outlet named by a byline or dateline, as written by the site.

    >>> parse_byline("لندن: رنيم حنوش")
    Dateline(place='لندن', agency=None, author='رنيم حنوش', outlet_domain=None)
    >>> parse_byline("علي حفول- سبق- نجران:")
    Dateline(place='نجران', agency=None, author='علي حفول', outlet_domain='sabq.org')
    >>> parse_byline("ق. د/ الوكالات")
    Dateline(place=None, agency='الوكالات', author=None, outlet_domain=None)
    >>> parse_byline("\u00a0محمد العبد الله (الدمام)")
    Dateline(place='الدمام', agency=None, author='محمد العبد الله', outlet_domain=None)
    """
    if not byline or not byline.strip():
        return Dateline()
    return assemble(components(byline))


def parse_dateline(text: str) -> Dateline:
    """The Dateline of a dateline segment (own line, or cut from the first paragraph), wire style included.

    >>> parse_dateline("مكة المكرمة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس")
    Dateline(place='مكة المكرمة', agency='واس', author=None, outlet_domain=None)
    >>> parse_dateline("هانغتشو-الصين-سانا")
    Dateline(place='هانغتشو', agency='سانا', author=None, outlet_domain=None)
    """
    return parse_byline(text)


def _kinds_ok(parts: list[tuple[str, str | None]]) -> bool:
    kinds = [k for k, _ in parts]
    return bool(kinds) and "other" not in kinds and any(k in STRONG for k in kinds)


def looks_like_byline(line: str) -> bool:
    """A short line made only of byline components, at least one of them a place, agency or outlet.

    >>> looks_like_byline("موسكو-سانا"), looks_like_byline("ق. د/ الوكالات"), looks_like_byline("واس (جدة)")
    (True, True, True)
    >>> looks_like_byline("الحرب السورية"), looks_like_byline("بوتين: سنرد بشكل حاسم")
    (False, False)
    """
    if not line or len(line) > 120 or len(line.split()) > 12:
        return False
    if len(line.split()) >= 6 and _SENTENCE.search(line):
        return False  # a sentence, not a byline
    return _kinds_ok(components(line))


# "بقلم فلان": the byline of a column, often inside the page's disclaimer line.
_PEN = re.compile(r"^\s*بقلم\s*:?\s*(?P<alone>[^،,.:\n()]{3,50}?)\s*$|(?:^|\s)بقلم\s*:?\s*(?P<name>[^،,.:\n()]{3,50}?)\s*[،,.:(]")


def pen_name(line: str) -> str | None:
    """The person a "بقلم" byline names, as written, or None.

    >>> pen_name("هذا المقال بقلم کاملیا انتخابی فرد، والآراء الواردة أدناه تعبر عن رأي الكاتبة")
    'کاملیا انتخابی فرد'
    >>> pen_name("هذا التقرير بقلم عبيدة نفاع، محرر الشؤون الرياضية بموقع CNN بالعربية"), pen_name("بقلم الحرب")
    ('عبيدة نفاع', None)
    """
    m = _PEN.search(line)
    if not m:
        return None
    kind, value = classify(m.group("alone") or m.group("name"))
    return value if kind == "person" else None


_SIGNATURE_NOISE = re.compile(r"[.!?؟:،,()«»\"“”\d@/]")
_SIGNATURE_KINDS = frozenset({"person", "desk", "place", "place_amb", "country", "initials"})
_NAME_PARTICLES = ("بن", "بنت", "ابن", "ابو", "ال")  # بن، آل، أبو inside a name (folded)


@cache
def _first_names() -> frozenset[str]:
    return frozenset(match_key(n) for n in seeds.entity_list("first_names")["names"])


@cache
def _title_heads() -> frozenset[str]:
    heads = seeds.entity_list("titles")["heads"]
    return frozenset(match_key(h) for h in heads) | frozenset(match_key(h).removeprefix(ARTICLE) for h in heads)


def signature_name(line: str) -> str | None:
    """The name of a writer's signature standing alone on a line (``فهيم الحامد``, ``سلوى سعد – متابعات``),
    or None. The line must read as a name: two to four words without punctuation or a joined article, one of
    them a known first name, an ``عبد…`` name or a name particle (بن، آل، أبو), or a family name with ``ال``.

    >>> signature_name("فهيم الحامد"), signature_name("سلوى سعد – متابعات"), signature_name("- نجوى الأحمد")
    ('فهيم الحامد', 'سلوى سعد', 'نجوى الأحمد')
    >>> signature_name("بوزارة الشؤون البلدية والقروية"), signature_name("غباء منقطع النظير!"), signature_name("عمان - الأردن")
    (None, None, None)
    """
    text = line.strip(" -–—_•ـ")
    if not text or len(text) > 60 or _SIGNATURE_NOISE.search(text) or _QUOTES.search(text) or "*" in text:
        return None
    parts = components(text)
    persons = [v for k, v in parts if k == "person" and v]
    if len(persons) != 1 or any(k not in _SIGNATURE_KINDS for k, _ in parts):
        return None
    name = persons[0]
    words = match_key(name).split()
    if not 2 <= len(words) <= 4:
        return None
    if any(w.startswith(ARTICLE_WITH_PROCLITIC) or (i and w[0] in CONJUNCTIONS and w not in _NAME_PARTICLES)
           for i, w in enumerate(words)):
        return None
    if any(w in _title_heads() for w in words[:-1]):
        return None  # أمير منطقة الباحة, سعادة رئيس التحرير: a title, not a name
    evidence = (len(parts) > 1 or words[0] in _first_names() or words[0].startswith("عبد")
                or any(w in _NAME_PARTICLES for w in words) or words[-1].startswith(ARTICLE))
    return name if evidence else None


_CREDIT_KINDS = frozenset({"agency", "outlet", "outlet_amb"})
_CREDIT_MAX_CHARS = 60


def credit_line(line: str) -> bool:
    """A credit line: only the names of the outlet and its agencies, at least two of them and one an agency.

    >>> credit_line("فرانس24/ أ ف ب"), credit_line("فرانس 24/ أ ف ب/ رويترز"), credit_line("الرياض - واس")
    (True, True, False)
    """
    return credit_names(line) is not None


# "المصدر: …" names the sources of the copy; "+" joins them as a slash does (المصدر : الجزيرة + وكالات).
_CREDIT_LABEL = re.compile(r"^\s*(?:المصدر|المصادر|مصدر|source)\s*[:：]\s*", re.I)


def credit_names(line: str) -> str | None:
    """The names of a credit line, as a byline of them, or None when the line is not one.

    A line of two names or more (one an agency) joined by slashes, bars or dashes; or one name at least after a
    ``المصدر:`` label or alone in brackets (``(أ ف ب)``).

    >>> credit_names("المصدر : الجزيرة + وكالات"), credit_names("(رويترز)"), credit_names("فرانس24/ أ ف ب")
    ('الجزيرة / وكالات', '(رويترز)', 'فرانس24/ أ ف ب')
    >>> credit_names("رويترز"), credit_names("المصدر: مصادر مطلعة")
    (None, None)
    """
    if not line or len(line) > _CREDIT_MAX_CHARS:
        return None
    labelled = _CREDIT_LABEL.match(line)
    text = (line[labelled.end():] if labelled else line).replace("+", "/").strip()
    bracketed = text.startswith("(") and text.endswith(")")
    if not (labelled or bracketed or "/" in text or "|" in text or " - " in text):
        return None
    kinds = [k for k, _ in components(text)]
    if not kinds or any(k not in _CREDIT_KINDS for k in kinds):
        return None
    if labelled:  # the outlet's own name after the label is a credit too (with no agency)
        return text
    return text if "agency" in kinds and (len(kinds) >= 2 or bracketed) else None


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Cut a dateline from the start of a paragraph: (dateline, rest), or (None, paragraph).

    >>> split_dateline("الرياض - واس - أكد وزير الصحة أن الموسم خال من الأوبئة.")
    ('الرياض - واس', 'أكد وزير الصحة أن الموسم خال من الأوبئة.')
    >>> split_dateline("خالد السليمي- سبق- حائل: ناشدت معلمة سعودية في ألمانيا بالوقوف معها.")
    ('خالد السليمي- سبق- حائل', 'ناشدت معلمة سعودية في ألمانيا بالوقوف معها.')
    >>> split_dateline("روما 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس")
    ('روما 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس', '')
    >>> split_dateline("وقال بوتين: إن الاتفاق قريب - وفق ما نقلت الوكالات.")
    (None, 'وقال بوتين: إن الاتفاق قريب - وفق ما نقلت الوكالات.')
    """
    text = fold_digits(paragraph)
    wire = _split_bracketed(text) or _split_wire(text)
    if wire is not None:
        return wire
    parts: list[tuple[str, str | None]] = []
    pos = 0
    for _ in range(4):
        m = _LEAD.match(text, pos)
        if not m:
            break
        kind, value = classify(m.group(1))
        if kind == "other" or (kind == "person" and parts) or (kind == "country" and not parts and m.group(2) == ":"):
            break
        parts.append((kind, value))
        pos = m.end()
        if m.group(2) == ":":
            break
    rest = text[pos:]
    tail = rest.strip(" .:-–—")
    if tail and len(tail.split()) <= 3 and not _LEAD.match(tail):
        kind, value = classify(tail)  # an own-line dateline ends without a separator: موسكو-سانا
        if kind in STRONG or kind == "country":
            parts.append((kind, value))
            pos, rest = len(text), ""
    if rest and parts:
        quoted = _QUOTED_SOURCE.match(rest)
        if quoted and classify(quoted.group(1))[0] in _SOURCE_KINDS:
            parts.append(classify(quoted.group(1)))
            pos += quoted.end()
        else:
            pos += _agency_run(rest)  # the agency closes the dateline with a space only: موسكو-سانا أكد …
    if not _kinds_ok(parts) or (len(parts) == 1 and parts[0][0] not in ("place", "place_amb", "agency", "outlet")):
        return None, paragraph
    return paragraph[:pos].strip(" :-–—"), paragraph[pos:].strip()


_PLACE_KINDS = ("place", "place_amb", "single", "country")


def _split_bracketed(text: str) -> tuple[str, str] | None:
    """A dateline whose source stands in brackets before a dash: place, an optional country, (source).

    >>> _split_bracketed("دبي، الإمارات العربية المتحدة (CNN)-- توقع خبيران اقتصاديان أن تؤثر الاستثمارات.")
    ('دبي، الإمارات العربية المتحدة (CNN)', 'توقع خبيران اقتصاديان أن تؤثر الاستثمارات.')
    >>> _split_bracketed("(CNN)-- يسقط قمر الصين الصناعي من السماء.")
    ('(CNN)', 'يسقط قمر الصين الصناعي من السماء.')
    >>> _split_bracketed("دبي، الإمارات العربية المتحدة - (CNN) يستمر تراجع الدولار الكندي.")
    ('دبي، الإمارات العربية المتحدة - (CNN)', 'يستمر تراجع الدولار الكندي.')
    >>> _split_bracketed("محمد العبد الله (الدمام) - أكد مدير التعليم.") is None
    True
    """
    m = _BRACKETED.match(text)
    if not m or classify(m.group("source"))[0] not in _SOURCE_KINDS:
        return None
    head = [part for part in _HEAD_SPLIT.split(m.group("head").strip()) if part]
    if len(head) > 3 or (m["sep"] is None and not (m["dash"] and head)):
        return None  # one separator at least, after the bracket or between the place and it
    if head:
        kinds = [classify(part)[0] for part in head]
        if kinds[0] not in _PLACE_KINDS or "person" in kinds[1:]:
            return None
    return text[:m.end()].strip(" :-–—"), text[m.end():].strip()


def _agency_run(text: str) -> int:
    """Length of a leading agency name (1–3 words) followed by more text, else 0."""
    words = text.split()
    for n in (3, 2, 1):
        if len(words) > n:
            if classify(" ".join(words[:n]))[0] == "agency":  # not an outlet: سبق is also a verb
                return text.index(words[n - 1]) + len(words[n - 1])
    return 0


def _split_wire(text: str) -> tuple[str, str] | None:
    """A wire dateline: place, date (any shape :func:`transforms.dates.find_dates` reads), agency or outlet.

    >>> _split_wire("الرياض 12 / 3 / 1438هـ الموافق 11 / 12 / 2016م واس أكد الوزير أن الموسم خال.")
    ('الرياض 12 / 3 / 1438هـ الموافق 11 / 12 / 2016م واس', 'أكد الوزير أن الموسم خال.')
    """
    m = _WIRE_PLACE.match(text)
    if not m or classify(m.group(1))[0] not in ("place", "place_amb", "single", "country"):
        return None
    found = find_dates(text[m.end():m.end() + 90])
    if not found or found[0].start != 0 or found[0].precision != "day":
        return None
    date_end = m.end() + found[0].end
    if text[date_end:date_end + 1].isdigit():
        return None
    after = text[date_end:]
    m_end = date_end
    words = after.split()
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        cand = " ".join(words[:n]).rstrip(":-–—")
        if classify(cand)[0] in ("agency", "outlet"):
            end = m_end + after.index(words[n - 1]) + len(words[n - 1])
            return text[:end].strip(" :-–—"), text[end:].strip(" :-–—\n")
    return None


def _strip_stamp(line: str) -> str:
    """A header line without its date/time stamp and stamp words (``آخر تحديث``, weekdays, ``GMT``)."""
    text = _strip_dates(fold_digits(line))
    for m in sorted(find_dates(text), key=lambda d: d.start, reverse=True):
        text = text[:m.start] + " - " + text[m.end:]
    text = re.sub(r"\(?\s*(?:GMT|UTC)\s*[+-]?\s*\d{0,4}\s*\)?", " ", text, flags=re.I)
    words = [w for w in _SPACES.split(text) if w]
    stamp = set(chrome_rules()["stamp_words"])
    kept = [w for w in words if match_key(w) not in stamp]
    return " ".join(kept).strip(" .,;:-–—")


def parse_header_lines(lines: list[str]) -> Dateline:
    """Merge what the article's own header lines say (stamps, bylines, datelines): first value wins.

    >>> parse_header_lines(["03 أيلول 2016 ق. د/ الوكالات", "ق. د/ الوكالات", "2268"])
    Dateline(place=None, agency='الوكالات', author=None, outlet_domain=None)
    >>> parse_header_lines(["آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)."])
    Dateline(place=None, agency=None, author=None, outlet_domain=None)
    """
    out = Dateline()
    for line in lines:
        rest = _strip_stamp(line)
        if not rest or not re.search(r"[^\W\d_]", rest):
            continue
        parts = components(rest)
        kinds = [k for k, _ in parts]
        if not parts or "other" in kinds or not (set(kinds) & (STRONG | {"person"})):
            continue
        got = assemble(parts)
        out = Dateline(place=out.place or got.place, agency=out.agency or got.agency,
                       author=out.author or got.author, outlet_domain=out.outlet_domain or got.outlet_domain)
    return out
