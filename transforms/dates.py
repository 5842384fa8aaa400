"""Arabic date and time expressions: find them, convert Hijri to Gregorian, pick a publication date.

All month, weekday, relative-word, marker and time-zone names are data (``seeds/calendar.json``), loaded once
by :func:`calendar_data`. Matching happens on a *folded* copy of the text (``fold_arabic`` applied character by
character, :func:`transforms.arabic.fold.fold_with_offsets`, so every folded offset maps back to the text as
written): each name is written once in the seed and matches its alef/ya/ta-marbuta/diacritic/digit variants.

Publication-date policy (:func:`resolve_publication_date`): an explicit date in the article's own header wins,
then the input's feed date, then a relative word against a caller-given reference; otherwise nothing. Dates of
events mentioned in the body never become the publication date, and no date or time is ever invented.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any

from hijridate import Hijri

from transforms import seeds
from transforms.arabic.fold import fold_arabic, fold_with_offsets
from transforms.arabic.morphology import ARTICLE, CONJUNCTIONS, LAM_ARTICLE, attach_lam, detach_lam
from transforms.types import DateResult

# Plausible years: news pages talk about the modern era; hijridate (Umm al-Qura) covers AH 1343–1500.
_GREG_YEARS = range(1900, 2101)
_HIJRI_YEARS = range(1343, 1501)


@dataclass
class DateMatch:
    """One date found in a text; ``start``/``end`` are offsets into the text as given.

    ``precision`` is ``day`` for a full date and ``month`` for a month-year only expression (``سبتمبر 2016``),
    whose ``date`` is the first of that month and which must never become a publication date.
    """

    start: int
    end: int
    date: date
    time: time | None
    tz: tzinfo | None
    calendar: str  # gregorian | hijri (the calendar the text used; ``date`` is always Gregorian)
    kind: str  # absolute | relative | numeric
    is_update_stamp: bool
    precision: str = "day"  # day | month


def calendar_data() -> seeds.CalendarSeed:
    """The parsed ``seeds/calendar.json`` (read once per process).

    >>> calendar_data()["hijri_months"]["10"]
    ['شوال']
    """
    return seeds.calendar()


# ---------------------------------------------------------------------------------------------- patterns

def _alt(names: list[str]) -> str:
    """A regex alternation of folded names, longest first, internal spaces as flexible whitespace."""
    uniq = sorted({fold_arabic(n).strip() for n in names if n.strip()}, key=len, reverse=True)
    return "|".join(r"\s*".join(re.escape(p) for p in n.split()) if " " in n else re.escape(n) for n in uniq)


def _lookup(section: dict[str, list[str]]) -> dict[str, int]:
    """Folded, whitespace-free name -> number for a ``{"number": [names]}`` seed section."""
    return {re.sub(r"\s+", "", fold_arabic(n)): int(k) for k, names in section.items() for n in names}


# A conjunction or بـ may be glued to an ordinal day (والخامس من، بالخامس من); ل + ال is للـ, a spelling of
# its own (see _compiled).
_ORDINAL_PROCLITICS = CONJUNCTIONS + "ب"
_NB = r"(?<![^\W\d_])"  # not preceded by a letter (Arabic words have no \b of their own here)
_NA = r"(?![^\W\d_])"  # not followed by a letter


@cache
def _compiled() -> dict[str, Any]:
    """Build every regex and lookup table from the seed once."""
    cal = calendar_data()
    greg = _lookup(cal["gregorian_months"])
    hijri = _lookup(cal["hijri_months"])
    months = {k: ("gregorian", v) for k, v in greg.items()}
    months.update({k: ("hijri", v) for k, v in hijri.items()})
    weekdays = _lookup(cal["weekdays"])
    ordinals = {re.sub(r"\s+", "", fold_arabic(k)): v for k, v in cal["day_ordinals"].items()}
    # "الموافق للخامس من فبراير": the preposition ل swallows the alef of ال (ل + الخامس = للخامس)
    ord_names = [*cal["day_ordinals"],
                 *(attach_lam(fold_arabic(k)) for k in cal["day_ordinals"] if fold_arabic(k).startswith(ARTICLE))]
    ordinals.update({re.sub(r"\s+", "", fold_arabic(k)): ordinals[re.sub(r"\s+", "", fold_arabic(detach_lam(k)))]
                     for k in ord_names if k.startswith(LAM_ARTICLE)})
    tzs = {re.sub(r"\s+", "", fold_arabic(k)): v for k, v in cal["timezones"].items()}
    ampm = {re.sub(r"\s+", "", fold_arabic(n)).lower(): k for k, ns in cal["am_pm"].items() for n in ns}
    rel = {re.sub(r"\s+", "", fold_arabic(k)): v for k, v in cal["relative_words"].items()}

    mon = _alt([n for sec in ("gregorian_months", "hijri_months") for ns in cal[sec].values() for n in ns])
    wd = _alt([n for ns in cal["weekdays"].values() for n in ns])
    ordw = _alt(ord_names)
    era_h = _alt(cal["era_markers"]["hijri"])
    era_g = _alt(cal["era_markers"]["gregorian"])
    yearw = _alt(cal["year_words"])
    monw = _alt(cal["month_words"])
    tzw = _alt([k for k in cal["timezones"] if not k.isascii()])
    ap = _alt([n for ns in cal["am_pm"].values() for n in ns])
    link = _alt(cal["linkers"])

    prefix = rf"(?:(?:يوم\s+)?{_NB}(?P<wd>{wd}){_NA}[\s,،]*(?:(?:{link}){_NA}\s*)?)?"
    day = rf"(?:(?<![\d:/.])(?P<d>\d{{1,2}})(?![\d:])|{_NB}[{_ORDINAL_PROCLITICS}]?(?P<dw>{ordw})\s+من{_NA})"
    textual = (
        rf"(?:{day}\s*(?:-\s*)?(?:من\s+)?(?:(?:{monw})\s+)?)?"
        rf"{_NB}(?P<m>{mon}){_NA}"
        rf"(?:\s*[/\\(\-–]?\s*(?P<m2>{mon}){_NA}\s*\)?)?"
        rf"(?:[\s,،\-]*(?:من\s+)?(?:(?:{yearw})\s+)?(?P<y>\d{{4}})(?!\d))?"
    )
    num_ymd = r"(?<![\d/.:-])(?P<ay>\d{4})\s*(?P<as>[-/.])\s*(?P<am>\d{1,2})\s*(?P=as)\s*(?P<ad>\d{1,2})(?![\d/])"
    num_dmy = r"(?<![\d/.:-])(?P<bd>\d{1,2})\s*(?P<bs>[-/.])\s*(?P<bm>\d{1,2})\s*(?P=bs)\s*(?P<by>\d{4})(?![\d/])"
    era = rf"(?:\s*(?:(?P<eh>{era_h})|(?P<eg>{era_g})){_NA})?"
    # a zone is only read after a clock time: "- 25" after a date is a range, not UTC-25
    zone = (
        rf"(?:\s*\(?\s*(?:(?P<z>Z)(?![A-Za-z])|(?:GMT|UTC)\s*(?P<off>[+-]\s*\d{{1,2}}(?::?\d{{2}})?)"
        rf"|(?P<off2>[+-]\d{{2}}:?\d{{2}})(?!\d)|(?P<zn>GMT|UTC|{tzw}){_NA})\s*\)?)?"
    )
    clock = (
        rf"(?:(?:T|[\s,،;؛\-–]*(?:(?:في\s+)?(?:تمام\s+)?(?:الساعه)\s*)?)"
        rf"(?P<hh>\d{{1,2}}):(?P<mi>\d{{2}})(?::(?P<ss>\d{{2}})(?:\.\d+)?)?(?!\d)"
        rf"(?:\s*(?P<ap>{ap})(?![^\W\d_]))?{zone})?"
    )
    # month first, the day then a comma before the year (English order: "ديسمبر 11، 2016", "Dec 11, 2016"); the
    # comma is required: "سبتمبر 11 2001" is as often a month-year after a number as a date
    month_first = (rf"{_NB}(?P<fm>{mon}){_NA}\s*(?P<fd>\d{{1,2}})(?![\d:])\s*[,،]\s*(?P<fy>\d{{4}})(?!\d)")
    date_re = re.compile(rf"{prefix}(?:{num_ymd}|{num_dmy}|{month_first}|{textual}){era}{clock}", re.IGNORECASE)

    relw = _alt(list(cal["relative_words"]))
    quals = cal["relative_weekday_qualifiers"]
    qual = _alt(quals["past"] + quals["future"])
    rel_re = re.compile(rf"(?:{_NB}(?:[{CONJUNCTIONS}])?(?P<wd>{wd})\s+(?P<q>{qual}){_NA}"
                        rf"|{_NB}(?:[{CONJUNCTIONS}])?(?P<w>{relw}){_NA})")
    upd_re = re.compile(rf"(?:{_alt(cal['update_markers'])})[\s:：\-–,،]*(?:(?:في|بتاريخ|يوم)\s*)?[\s:\-]*$",
                        re.IGNORECASE)
    gap_re = re.compile(rf"^[\s,،\-–()/]*(?:(?:{link}){_NA}\s*)?[\s()]*$")
    past = {re.sub(r"\s+", "", fold_arabic(q)) for q in quals["past"]}
    # "الأسبوع الأول من شهر محرم": an ordinal after a period noun numbers the period, not the day
    blockers = re.compile(rf"{_NB}(?:{_alt(cal['ordinal_blockers'])})\s*$")
    return {"date": date_re, "rel": rel_re, "upd": upd_re, "gap": gap_re, "months": months,
            "weekdays": weekdays, "ordinals": ordinals, "blockers": blockers, "tz": tzs, "ampm": ampm, "relwords": rel, "past": past}


_DIGIT = re.compile(r"\d")


# ---------------------------------------------------------------------------------------------- find_dates

def _key(s: str) -> str:
    return re.sub(r"\s+", "", s).lower()


def _to_gregorian(cal: str, y: int, m: int, d: int) -> date | None:
    """A valid Gregorian date for (y, m, d) in ``cal``, or None when impossible or out of range."""
    try:
        if cal == "hijri":
            if y not in _HIJRI_YEARS:
                return None
            return date(*Hijri(y, m, d).to_gregorian().datetuple())
        if y not in _GREG_YEARS:
            return None
        return date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _parse_offset(s: str) -> timezone | None:
    s = s.replace(" ", "")
    sign = -1 if s[0] == "-" else 1
    digits = s[1:].replace(":", "")
    if len(digits) <= 2:
        hh, mm = int(digits), 0
    else:
        hh, mm = int(digits[:-2]), int(digits[-2:])
    if hh > 14 or mm > 59:
        return None
    return timezone(sign * timedelta(hours=hh, minutes=mm))


def _time_zone(g: dict[str, str | None], tables: dict[str, Any]) -> tuple[time | None, tzinfo | None]:
    if g["hh"] is None:
        return None, None
    hh, mi, ss = int(g["hh"]), int(g["mi"]), int(g["ss"] or 0)
    if g["ap"]:
        half = tables["ampm"].get(_key(g["ap"]))
        if half == "pm" and hh < 12:
            hh += 12
        elif half == "am" and hh == 12:
            hh = 0
    if hh > 23 or mi > 59 or ss > 59:
        return None, None
    tz: tzinfo | None = None
    if g["z"]:
        tz = UTC
    elif g["off"] or g["off2"]:
        tz = _parse_offset(g["off"] or g["off2"])
    elif g["zn"]:
        minutes = tables["tz"].get(_key(g["zn"]).upper() if g["zn"].isascii() else _key(g["zn"]))
        tz = UTC if minutes == 0 else (timezone(timedelta(minutes=minutes)) if minutes is not None else None)
    return time(hh, mi, ss), tz


def _numeric(g: dict[str, str | None], wd: int | None) -> tuple[str, int, int, int] | None:
    """(calendar, y, m, d) of a numeric date; day-first unless a stated weekday only fits month-first."""
    if g["ay"]:
        y, m, d = int(g["ay"]), int(g["am"]), int(g["ad"])
        cal = "hijri" if y in _HIJRI_YEARS else "gregorian"
        return cal, y, m, d
    y, a, b = int(g["by"]), int(g["bd"]), int(g["bm"])
    cal = "hijri" if y in _HIJRI_YEARS else "gregorian"
    d, m = a, b
    if m > 12 and d <= 12:
        d, m = m, d  # only month-first makes sense
    elif wd is not None and a <= 12 and b <= 12:
        first = _to_gregorian(cal, y, b, a)
        swapped = _to_gregorian(cal, y, a, b)
        if first is not None and first.weekday() != wd and swapped is not None and swapped.weekday() == wd:
            d, m = b, a
    return cal, y, m, d


def _raw_matches(folded: str, reference_year: int | None) -> list[DateMatch]:
    t = _compiled()
    out: list[DateMatch] = []
    for mt in t["date"].finditer(folded):
        g = mt.groupdict()
        wd = t["weekdays"].get(_key(g["wd"])) if g["wd"] else None
        precision = "day"
        if g["ay"] or g["bd"]:
            num = _numeric(g, wd)
            if num is None:
                continue
            cal, y, m, d = num
            if g["eh"]:
                cal = "hijri"
            kind = "numeric"
        elif g["fm"]:
            cal, m = t["months"][_key(g["fm"])]
            y, d, kind = int(g["fy"]), int(g["fd"]), "absolute"
        elif g["m"]:
            cal, m = t["months"][_key(g["m"])]
            if g["m2"]:
                cal2, m2 = t["months"][_key(g["m2"])]
                if cal2 != cal or m2 != m:
                    continue  # "سبتمبر/أيلول" must name one month twice; anything else is not a date
            if g["d"]:
                d = int(g["d"])
            elif g["dw"]:
                if t["blockers"].search(folded[max(0, mt.start("dw") - 20):mt.start("dw")]):
                    continue
                d = t["ordinals"][_key(g["dw"])]
            else:
                d = 0
            kind = "absolute"
            if g["y"]:
                y = int(g["y"])
            elif d and reference_year is not None:
                y = reference_year  # day-month without a year is only usable against a caller's year
            else:
                continue
            if not d:
                precision, d = "month", 1
        else:
            continue
        when = _to_gregorian(cal, y, m, d)
        if when is None:
            continue  # impossible date (31 شباط, 30 شباط ...): not a match, never an error
        tm, tz = _time_zone(g, t)
        start = mt.start("wd") if g["wd"] and (wd is None or when.weekday() == wd or precision != "day") else None
        if start is None:
            start = next(mt.start(k) for k in ("ay", "bd", "fm", "d", "dw", "m") if g[k] is not None)
        upd = bool(t["upd"].search(folded[max(0, start - 40):start]))
        out.append(DateMatch(start, mt.end(), when, tm, tz, cal, kind, upd, precision))
    return out


def _month_first(greg: DateMatch) -> date | None:
    """The other reading of a numeric Gregorian date whose day and month are both ≤ 12 (11/12/2016 as 12 Nov)."""
    d = greg.date
    if greg.kind != "numeric" or d.day > 12 or d.day == d.month:
        return None
    return date(d.year, d.day, d.month)


def _merge_paired(folded: str, matches: list[DateMatch]) -> list[DateMatch]:
    """Join ``<hijri> الموافق <gregorian>`` (either order) into one match; the Gregorian date wins.

    The Hijri date also settles the order of an ambiguous numeric Gregorian one: ``12/3/1438هـ الموافق
    12/11/2016م`` is written month-first (11 December 2016), as its Hijri equivalent says.
    """
    gap = _compiled()["gap"]
    out: list[DateMatch] = []
    for m in matches:
        prev = out[-1] if out else None
        if (prev is not None and prev.calendar != m.calendar and prev.precision == m.precision == "day"
                and gap.match(folded[prev.end:m.start])):
            greg, hijri = (m, prev) if m.calendar == "gregorian" else (prev, m)
            when = greg.date
            if abs((hijri.date - when).days) > 1:
                other = _month_first(greg)
                when = other if other is not None and abs((hijri.date - other).days) <= 1 else None
            if when is not None:
                out[-1] = DateMatch(prev.start, m.end, when, m.time or prev.time, m.tz or prev.tz, "gregorian",
                                    greg.kind, prev.is_update_stamp or m.is_update_stamp, "day")
                continue
        out.append(m)
    return out


def find_dates(text: str, reference_year: int | None = None) -> list[DateMatch]:
    """Every absolute date in ``text`` (Gregorian in any regional naming, Hijri, numeric), in text order.

    Month-year only expressions come back with ``precision='month'``; a day and month without a year only
    when ``reference_year`` is given. Impossible dates are skipped, never raised.

    >>> [(m.date.isoformat(), str(m.time), m.tz) for m in find_dates("الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)")]
    [('2016-09-06', '10:04:00', datetime.timezone(datetime.timedelta(seconds=14400)))]
    >>> [(m.date.isoformat(), m.calendar) for m in find_dates("مكة المكرمة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس")]
    [('2015-08-10', 'gregorian')]
    >>> find_dates("31 شباط 2016")
    []
    """
    folded = fold_with_offsets(text)
    if not _DIGIT.search(folded.text):
        return []  # every absolute form carries a day or a year in digits
    found = _merge_paired(folded.text, _raw_matches(folded.text, reference_year))
    for m in found:
        m.start, m.end = folded.original_span(m.start, m.end)
    return found


# ---------------------------------------------------------------------------------------------- relative

def find_relative(text: str) -> list[tuple[int, int, str]]:
    """Relative day expressions (اليوم، أمس، أمس الأول، غدا، الاثنين الماضي …) as (start, end, text as written).

    >>> find_relative("أعلن الرئيس، أمس الأول، أن")
    [(13, 22, 'أمس الأول')]
    """
    folded = fold_with_offsets(text)
    out: list[tuple[int, int, str]] = []
    for mt in _compiled()["rel"].finditer(folded.text):
        s, e = (mt.start("wd"), mt.end("q")) if mt.group("wd") else mt.span("w")
        s, e = folded.original_span(s, e)
        out.append((s, e, text[s:e]))
    return out


def resolve_relative(text: str, reference: date) -> list[DateMatch]:
    """Relative expressions resolved against ``reference`` (the day the text was written).

    >>> [m.date.isoformat() for m in resolve_relative("قال أمس إن", date(2016, 9, 6))]
    ['2016-09-05']
    >>> [m.date.isoformat() for m in resolve_relative("الاثنين الماضي", date(2016, 9, 6))]
    ['2016-09-05']
    """
    t = _compiled()
    out = []
    for s, e, surface in find_relative(text):
        words = [_key(fold_arabic(w)) for w in surface.split()]
        key = "".join(words)
        if key in t["relwords"]:
            when = reference + timedelta(days=t["relwords"][key])
        elif words[0] in t["weekdays"]:
            wd = t["weekdays"][words[0]]
            if words[-1] in t["past"]:
                when = reference - timedelta(days=(reference.weekday() - wd) % 7 or 7)
            else:
                when = reference + timedelta(days=(wd - reference.weekday()) % 7 or 7)
        else:
            continue
        out.append(DateMatch(s, e, when, None, None, "gregorian", "relative", False))
    return out


# ---------------------------------------------------------------------------------------------- feed & stamps

_EPOCH = re.compile(r"^\d{9,10}$")


def parse_feed_date(value: str | None) -> datetime | date | None:
    """A feed/metadata date field: ISO 8601, ``YYYY-MM-DD hh:mm:ss``, RFC 2822, epoch seconds or Arabic text.

    A timestamp without a zone is taken as UTC (scraper dumps record crawl/feed times in UTC); a date without a
    time comes back as a ``date``. Unparseable values give None.

    >>> parse_feed_date("2015-07-21 02:51:32")
    datetime.datetime(2015, 7, 21, 2, 51, 32, tzinfo=datetime.timezone.utc)
    >>> parse_feed_date("Tue, 06 Sep 2016 10:04:00 +0400").isoformat()
    '2016-09-06T10:04:00+04:00'
    >>> parse_feed_date("03 أيلول 2016")
    datetime.date(2016, 9, 3)
    """
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    dt: datetime | None = None
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
        if len(s) <= 10 and dt.hour == dt.minute == 0 and ":" not in s:
            return dt.date() if dt.year in _GREG_YEARS else None
    except ValueError:
        dt = None
    if dt is None and _EPOCH.match(s):
        dt = datetime.fromtimestamp(int(s), UTC)
    if dt is None:
        try:
            dt = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is not None:
        if dt.year not in _GREG_YEARS:
            return None
        return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    for m in find_dates(s):
        if m.precision == "day":
            if m.time is None:
                return m.date
            return datetime.combine(m.date, m.time, m.tz or UTC)
    return None


_LINE = re.compile(r"[^\n]+")


def _stamp_dates(stamps: str) -> list[DateMatch]:
    r"""Full dates of the header that state when the page was published, best evidence first.

    A date on a stamp line (:func:`is_date_stamp`), or one carrying a time or an update marker, is a
    publication stamp. Otherwise a date within the first few words of a header line (a dateline segment)
    counts, except on the first of several lines (the title: "ذكرى هجمات 11 سبتمبر 2001") which is an event.

    >>> [m.date.isoformat() for m in _stamp_dates("ذكرى هجمات 11 سبتمبر 2001 في نيويورك\n03 أيلول 2016 ق. د")]
    ['2016-09-03']
    >>> _stamp_dates("ذكرى هجمات 11 سبتمبر 2001 في نيويورك\nالرياض - واس")
    []
    """
    strong: list[DateMatch] = []
    weak: list[DateMatch] = []
    for i, line in enumerate(_LINE.finditer(stamps)):
        found = [m for m in find_dates(line.group()) if m.precision == "day"]
        if not found:
            continue
        stamp_line = is_date_stamp(line.group())
        for m in found:
            m.start, m.end = m.start + line.start(), m.end + line.start()
            if stamp_line or m.time is not None or m.is_update_stamp:
                strong.append(m)
            elif (i > 0 or "\n" not in stamps.strip()) and line.group()[:m.start - line.start()].count(" ") < 4:
                weak.append(m)  # a dateline: "بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس ..."
    return strong or weak


def resolve_publication_date(stamps: str, feed_date: str | None, reference: date | None,
                             body: str = "") -> DateResult:
    """The publication date of one article, from its header ``stamps``, its feed date, or a relative word.

    Order: an explicit full date in ``stamps`` (update stamps count; among several the first one with a time,
    else the first) → ``explicit``; else a parseable ``feed_date`` → ``feed``; else, given ``reference``, a
    relative word (اليوم، أمس …) in the stamps or body → ``reference`` itself, ``relative``; else ``none``.
    A date in the title line or deep inside a header sentence is an event, not a stamp (see ``_stamp_dates``).
    ``published_at`` is set only with a known time *and* zone (an explicit time without a zone keeps only the
    date); a bare date never gets an invented midnight. ``span`` is the explicit or relative stamp's offsets in
    ``stamps`` (None for a feed date or a body word).

    >>> r = resolve_publication_date("03 أيلول 2016 ق. د/ الوكالات", None, None)
    >>> (r.published_date.isoformat(), r.published_at, r.source)
    ('2016-09-03', None, 'explicit')
    >>> resolve_publication_date("", None, None, "التقى اليوم الرئيس").source
    'none'
    """
    found = _stamp_dates(stamps) if stamps else []
    if found:
        best = next((m for m in found if m.time is not None), found[0])
        at = datetime.combine(best.date, best.time, best.tz) if best.time and best.tz else None
        return DateResult(at, best.date, "explicit", (best.start, best.end))
    feed = parse_feed_date(feed_date)
    if isinstance(feed, datetime):
        return DateResult(feed, feed.date(), "feed", None)
    if isinstance(feed, date):
        return DateResult(None, feed, "feed", None)
    if reference is not None:
        rel = find_relative(stamps) if stamps else []
        if rel:
            return DateResult(None, reference, "relative", (rel[0][0], rel[0][1]))
        if body and find_relative(body):
            return DateResult(None, reference, "relative", None)
    return DateResult(None, None, "none", None)


_STAMP_NOISE = re.compile(r"^[\s\W_]*$")


def is_date_stamp(line: str) -> bool:
    """True for a short line that is mostly a date/time stamp (publication or update line, Hijri dateline).

    >>> is_date_stamp("آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400).")
    True
    >>> is_date_stamp("03 أيلول 2016 ق. د/ الوكالات")
    True
    >>> is_date_stamp("وفي 29 محرم 1430 هـ وافق مجلس الوزراء على نظام صندوق التنمية الزراعية بالصيغة المرفقة")
    False
    """
    s = line.strip()
    if not s or len(s) > 160:
        return False
    found = [m for m in find_dates(s) if m.precision == "day"]
    if not found:
        return False
    words = len(s.split())
    if words > 16:
        return False
    first = found[0]
    head = fold_arabic(s[:first.start])
    head = _compiled()["upd"].sub("", head) if not _STAMP_NOISE.match(head) else ""
    head_words = [w for w in re.split(r"[\s\W_]+", head) if w]
    if not head_words:
        return True  # begins with the date (after an update marker / punctuation)
    # a dateline ("مكة المكرمة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس") is mostly date; a title that
    # mentions one ("ذكرى هجمات 11 سبتمبر 2001 في نيويورك") is mostly words
    covered = sum(len(s[m.start:m.end].replace(" ", "")) for m in found)
    rest = len(s.replace(" ", "")) - covered
    return len(head_words) <= 2 and len(s[first.end:].split()) <= 4 and 2 * covered >= 3 * rest
