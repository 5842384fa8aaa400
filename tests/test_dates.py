"""transforms.dates on real strings: the seeds, the dev corpus and a labelled set (tests/data/date_cases.json)."""
from __future__ import annotations

import json
import re
import zipfile
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hijridate import Gregorian, Hijri
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS_RAW, corpus_zips, requires_corpus
from transforms.dateline import parse_dateline, split_dateline
from transforms.dates import (
    DateMatch,
    calendar_data,
    find_dates,
    find_relative,
    is_date_stamp,
    parse_feed_date,
    resolve_publication_date,
    resolve_relative,
)

CASES = json.loads((Path(__file__).parent / "data" / "date_cases.json").read_text(encoding="utf-8"))


def _seed(prefix: str) -> str:
    return next(SEEDS_RAW.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _day_dates(text: str, **kw) -> list[date]:
    return [m.date for m in find_dates(text, **kw) if m.precision == "day"]


# ------------------------------------------------------------------------------------- labelled set

@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}-{c['category']}" for i, c in enumerate(CASES)])
def test_labelled_cases(case: dict) -> None:
    found = [m for m in find_dates(case["text"]) if m.precision == "day"]
    got = found[0] if found else None
    if case["expected"] is None:
        assert got is None, case
        return
    assert got is not None, case
    assert got.date.isoformat() == case["expected"]
    if "time" in case:
        want = time.fromisoformat(case["time"])
        assert got.time == want
    if "tz" in case:
        assert got.tz is not None and got.tz.utcoffset(None) == datetime.fromisoformat(
            "2000-01-01T00:00:00" + case["tz"]).utcoffset()


def test_labelled_set_is_broad() -> None:
    cats = {c["category"] for c in CASES}
    assert len(CASES) >= 60
    assert {"levantine", "gulf", "maghrebi", "compound", "hijri", "hijri_gregorian", "arabic_indic",
            "numeric", "month_only", "impossible"} <= cats


# ------------------------------------------------------------------------------------- find_dates forms

def test_compound_with_weekday_time_and_zone_spans_the_stamp() -> None:
    text = "آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)."
    [m] = find_dates(text)
    assert text[m.start:m.end] == "الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)"
    assert (m.date, m.time, m.tz) == (date(2016, 9, 6), time(10, 4), timezone(timedelta(hours=4)))
    assert m.is_update_stamp and m.kind == "absolute" and m.calendar == "gregorian"


def test_plain_stamp_is_not_an_update_stamp() -> None:
    [m] = find_dates("03 أيلول 2016 ق. د/ الوكالات")
    assert (m.start, m.end, m.date, m.is_update_stamp) == (0, 13, date(2016, 9, 3), False)


def test_hijri_is_converted_with_umm_al_qura() -> None:
    [m] = find_dates("25 شوال 1436 هـ")
    assert (m.date, m.calendar) == (date(2015, 8, 10), "hijri")
    assert m.end == len("25 شوال 1436 هـ")  # the tatweel of هـ is inside the span


def test_hijri_with_gregorian_equivalent_is_one_match_and_gregorian_wins() -> None:
    text = "مكة المكرمة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس"
    [m] = find_dates(text)
    assert m.date == date(2015, 8, 10) and m.calendar == "gregorian"
    assert text[m.start:m.end] == "25 شوال 1436 هـ الموافق 10 اغسطس 2015 م"


def test_disagreeing_hijri_and_gregorian_stay_two_matches() -> None:
    # 1 شوال 1436 is 2015-07-17; "10 اغسطس" is three weeks later, so these are two different dates
    assert _day_dates("1 شوال 1436 هـ الموافق 10 اغسطس 2015 م") == [date(2015, 7, 17), date(2015, 8, 10)]


def test_arabic_indic_digits_and_offsets() -> None:
    text = "صدر في ٢١ مارس ٢٠١٦م"
    [m] = find_dates(text)
    assert m.date == date(2016, 3, 21) and text[m.start:m.end] == "٢١ مارس ٢٠١٦م"


def test_numeric_forms_with_times() -> None:
    assert [(m.date, m.time) for m in find_dates("2015-07-21 13:09:19")] == [(date(2015, 7, 21), time(13, 9, 19))]
    assert _day_dates("21/07/2015") == [date(2015, 7, 21)]
    assert _day_dates("2015/07/21") == [date(2015, 7, 21)]
    [m] = find_dates("2015-07-21T13:09:19Z")
    assert m.tz == UTC and m.kind == "numeric"


def test_numeric_order_follows_a_stated_weekday() -> None:
    # sabq/alweeam: "الاثنين الموافق 10/4 / 1436هـ" is Monday 4 Shawwal 1436 (2015-07-20), written month-first
    assert _day_dates("هذا اليوم الاثنين الموافق 10/4 / 1436هـ بلغ") == [date(2015, 7, 20)]
    assert _day_dates("اليوم الاثنين 4/10/1436 وسيستمر") == [date(2015, 7, 20)]


def test_month_year_only_is_marked_not_a_day() -> None:
    [m] = find_dates("أيلول/سبتمبر 2016")
    assert (m.precision, m.date) == ("month", date(2016, 9, 1))
    assert resolve_publication_date("سبتمبر 2016", None, None).source == "none"


def test_impossible_dates_are_rejected_silently() -> None:
    assert find_dates("31 شباط 2016") == []
    assert find_dates("30 ذو الحجة 1600 هـ") == []
    assert find_dates("45/13/2015") == []
    assert _day_dates("31 نيسان 2016 و1 أيار 2016") == [date(2016, 5, 1)]


def test_day_month_without_year_needs_a_reference_year() -> None:
    text = "مجلس الأمن يناقش الأزمة خلال جلسة خاصة في 21 سبتمبر"  # seed 001
    assert find_dates(text) == []
    assert _day_dates(text, reference_year=2016) == [date(2016, 9, 21)]


def test_ordinal_day_words_but_not_ordinal_periods() -> None:
    assert _day_dates("تفجيرات الحادي عشر من سبتمبر 2001.") == [date(2001, 9, 11)]
    assert _day_dates("في الأسبوع الأول من شهر محرم من العام 1437") == []


def test_time_zone_words_and_am_pm() -> None:
    [m] = find_dates("2015-07-21 10:00 بتوقيت مكة المكرمة")
    assert m.tz is not None and m.tz.utcoffset(None) == timedelta(hours=3)
    [m] = find_dates("بتاريخ 26 /9 /1436هـ الساعة 7:39 مساء بواسطة")
    assert m.time == time(19, 39) and m.tz is None


def test_range_after_a_date_is_not_a_zone() -> None:
    [m] = find_dates("الثلاثاء الثالث عشر من ربيع الأول 1395 - 25 مارس 1975")
    assert m.date == date(1975, 3, 25) and m.tz is None


# ------------------------------------------------------------------------------------- relative words

def test_find_relative_real_sentences() -> None:
    seed001 = _seed("001")
    words = [w for _, _, w in find_relative(seed001)]
    assert "أمس" in words
    text = "أعلن الرئيس، أمس الأول، أن الاجتماع عقد الاثنين الماضي وسيستأنف غداً"
    assert [w for _, _, w in find_relative(text)] == ["أمس الأول", "الاثنين الماضي", "غداً"]
    for s, e, w in find_relative(text):
        assert text[s:e] == w
    assert find_relative("أمسية شعرية في يومها") == []  # words, not substrings


def test_resolve_relative_against_reference() -> None:
    ref = date(2016, 9, 6)  # a Tuesday
    got = [m.date for m in resolve_relative("قال أمس، وأمس الأول، والاثنين الماضي، والخميس المقبل", ref)]
    assert got == [date(2016, 9, 5), date(2016, 9, 4), date(2016, 9, 5), date(2016, 9, 8)]


# ------------------------------------------------------------------------------------- publication date

def test_seed_001_stamp_is_explicit() -> None:
    r = resolve_publication_date("03 أيلول 2016 ق. د/ الوكالات", None, None, _seed("001"))
    assert (r.published_date, r.published_at, r.source) == (date(2016, 9, 3), None, "explicit")


def test_seed_004_update_stamp_has_time_and_zone() -> None:
    stamps = "بوتين: الاتفاق حول سوريا قد يأتي خلال أيام\nالحرب السورية\n" \
             "آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)."
    r = resolve_publication_date(stamps, None, None, _seed("004"))
    assert r.source == "explicit" and r.published_date == date(2016, 9, 6)
    assert r.published_at == datetime(2016, 9, 6, 6, 4, tzinfo=UTC)
    assert r.published_at.utcoffset() == timedelta(hours=4)


def test_seed_000_without_any_date_is_none() -> None:
    body = _seed("000")
    assert find_relative(body)  # the body says اليوم ...
    r = resolve_publication_date("بوتين : الاتفاق المحتمل مع الأمريكيين\nهانغتشو-الصين-سانا", None, None, body)
    assert (r.published_at, r.published_date, r.source) == (None, None, "none")
    # ... which only counts against a caller's reference day
    r = resolve_publication_date("هانغتشو-الصين-سانا", None, date(2016, 9, 5), body)
    assert (r.published_date, r.published_at, r.source) == (date(2016, 9, 5), None, "relative")


def test_body_event_dates_never_become_publication_date() -> None:
    body = "وكان الاتفاق وقع في 26 يوليو (تموز) 1956، ويجتمع المجلس في 21 سبتمبر 2016."
    assert resolve_publication_date("عنوان الخبر", None, None, body).source == "none"


def test_a_date_in_the_title_is_an_event_not_the_stamp() -> None:
    stamps = "في ذكرى هجمات 11 سبتمبر 2001 أوباما يزور نيويورك\nواشنطن - الوكالات"
    r = resolve_publication_date(stamps, "2016-09-11 08:00:00", None)
    assert (r.source, r.published_date) == ("feed", date(2016, 9, 11))
    stamps = "في ذكرى هجمات 11 سبتمبر 2001 أوباما يزور نيويورك\nالأحد 11 أيلول 2016"
    r = resolve_publication_date(stamps, None, None)
    assert (r.source, r.published_date) == ("explicit", date(2016, 9, 11))
    # a dateline segment on a header line counts
    r = resolve_publication_date("أمطار غزيرة\nبريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس هطلت", None, None)
    assert (r.source, r.published_date) == ("explicit", date(2015, 8, 10))


def test_explicit_beats_feed_and_prefers_a_stamp_with_time() -> None:
    stamps = "نشر في 05 أيلول 2016\nآخر تحديث 06 أيلول 2016 - 10:04 GMT"
    r = resolve_publication_date(stamps, "2016-09-01 00:00:00", None)
    assert r.source == "explicit" and r.published_at == datetime(2016, 9, 6, 10, 4, tzinfo=UTC)
    assert stamps[r.span[0]:r.span[1]].startswith("06 أيلول 2016")


def test_feed_dates() -> None:
    r = resolve_publication_date("عنوان بلا تاريخ", "2015-07-21 02:51:32", None)  # saudinewsnet date_extracted
    assert r.source == "feed" and r.published_at == datetime(2015, 7, 21, 2, 51, 32, tzinfo=UTC)
    assert r.published_date == date(2015, 7, 21)
    r = resolve_publication_date("", "2016-09-06", None)
    assert (r.source, r.published_date, r.published_at) == ("feed", date(2016, 9, 6), None)
    r = resolve_publication_date("", "junk", date(2016, 9, 6), "بلا كلمات نسبية")
    assert r.source == "none"


def test_parse_feed_date_forms() -> None:
    assert parse_feed_date("2016-09-06T10:04:00+04:00") == datetime(2016, 9, 6, 6, 4, tzinfo=UTC)
    assert parse_feed_date("Tue, 06 Sep 2016 10:04:00 GMT") == datetime(2016, 9, 6, 10, 4, tzinfo=UTC)
    assert parse_feed_date("الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)") == \
        datetime(2016, 9, 6, 6, 4, tzinfo=UTC)
    assert parse_feed_date("25 شوال 1436 هـ") == date(2015, 8, 10)
    assert parse_feed_date("1473156240") == datetime(2016, 9, 6, 10, 4, tzinfo=UTC)
    for bad in (None, "", "  ", "غير معروف", "0000-00-00", "سبتمبر 2016"):
        assert parse_feed_date(bad) is None


# ------------------------------------------------------------------------------------- is_date_stamp

@pytest.mark.parametrize("line", [
    "آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400).",
    "03 أيلول 2016 ق. د/ الوكالات",
    "نشر في: 2016-09-06 10:04",
    "الخميس 1 كانون الأول 2016",
    "مكة المكرمة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس",
])
def test_date_stamp_lines(line: str) -> None:
    assert is_date_stamp(line)


@pytest.mark.parametrize("line", [
    "وفي 29 محرم 1430 هـ (1982م) وافق مجلس الوزراء، بعد النظر في قرار مجلس الشورى على نظام صندوق التنمية",
    "مجلس الأمن يناقش الأزمة خلال جلسة خاصة في 21 سبتمبر",
    "الحرب السورية",
    "2268",
    "ارتفاع قياسي للتضخم في يوليو 2014.",
    "",
])
def test_not_date_stamp_lines(line: str) -> None:
    assert not is_date_stamp(line)


def test_only_stamp_lines_of_the_seeds_are_date_stamps() -> None:
    stamps = {p.name[:3]: [ln for ln in p.read_text(encoding="utf-8").splitlines() if is_date_stamp(ln)]
              for p in sorted(SEEDS_RAW.glob("*.txt"))}
    assert stamps == {"000": [], "001": ["03 أيلول 2016 ق. د/ الوكالات"], "002": [], "003": [],
                      "004": ["آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)."]}


# ------------------------------------------------------------------------------------- dev corpus

def _corpus_articles(limit_zips: int = 2) -> list[dict]:
    out: list[dict] = []
    for z in corpus_zips()[:limit_zips]:
        with zipfile.ZipFile(z) as zf:
            out += json.loads(zf.read(zf.namelist()[0]))
    return out


@requires_corpus
def test_corpus_was_datelines_parse_to_the_gregorian() -> None:
    lines = [a["content"][:80] for z in corpus_zips() if z.name == "2015-08-10.zip"
             for a in json.loads(zipfile.ZipFile(z).read("2015-08-10.json")) if a["source"] == "was"]
    dated = [ln for ln in lines if "1436" in ln.split("\n")[0]]
    assert len(dated) >= 20
    for ln in dated:
        assert is_date_stamp(ln.split("\n")[0]), ln
        assert _day_dates(ln)[0] == date(2015, 8, 10), ln


@requires_corpus
def test_corpus_hijri_gregorian_pairs_agree() -> None:
    """Wherever the corpus writes a Hijri date and ``الموافق`` a Gregorian one, we read both and they agree."""
    pair = re.compile(r"(14\d\d|١٤[٠-٩][٠-٩])\s*هـ?\s*،?\s*\(?الموافق")
    checked = agreed = 0
    for a in _corpus_articles(9):
        text = a["content"]
        for hit in pair.finditer(text):
            window = text[max(0, hit.start() - 40):hit.end() + 40]
            hijri = [m for m in find_dates(window[:hit.end() - hit.start() + 40 - len("الموافق")])
                     if m.calendar == "hijri" and m.precision == "day"]
            if not hijri:
                continue
            checked += 1
            merged = [m for m in find_dates(window) if m.precision == "day" and m.calendar == "gregorian"]
            agreed += any(abs((m.date - hijri[-1].date).days) <= 1 for m in merged)
    assert checked >= 30
    assert agreed / checked >= 0.9, (agreed, checked)


@requires_corpus
def test_corpus_heads_are_parsed_without_errors() -> None:
    """Every article head of a corpus day parses (speed: ``scripts/bench_components.py``)."""
    heads = [a["content"][:300] for a in _corpus_articles(1)]
    found = [find_dates(h) for h in heads]
    assert sum(map(len, found)) > 50
    assert all(m.start < m.end <= len(h) for h, ms in zip(heads, found, strict=True) for m in ms)


def test_repeated_parses_agree() -> None:
    """The parser keeps no state between texts: a second pass over the labelled texts gives the same matches."""
    texts = [c["text"] for c in CASES]
    assert [find_dates(t) for t in texts] == [find_dates(t) for t in texts]


# ------------------------------------------------------------------------------------- properties

def _variants(section: str) -> list[tuple[int, str]]:
    return [(int(k), n) for k, names in calendar_data()[section].items() for n in names]


_GREG_NAMES = _variants("gregorian_months")
_HIJRI_NAMES = _variants("hijri_months")
_WEEKDAYS = {int(k): v[0] for k, v in calendar_data()["weekdays"].items()}
_DIGITS = {"ascii": "0123456789", "arabic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}


def _digits(n: int, width: int, digitset: str) -> str:
    return "".join(_DIGITS[digitset][int(c)] for c in str(n).zfill(width))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(d=st.dates(date(1950, 1, 1), date(2049, 12, 31)), name=st.sampled_from(_GREG_NAMES),
       digitset=st.sampled_from(sorted(_DIGITS)), weekday=st.booleans(), era=st.sampled_from(["", " م", "م"]),
       lead=st.sampled_from(["", "نشر في ", "دمشق-سانا ", "آخر تحديث: "]),
       tail=st.sampled_from(["", " (رويترز)", "، وقال", " واس"]))
def test_round_trip_gregorian_names(d, name, digitset, weekday, era, lead, tail) -> None:
    month, word = name
    d = d.replace(day=min(d.day, 28))
    d = date(d.year, month, d.day)
    wd = f"{_WEEKDAYS[d.weekday()]}، " if weekday else ""
    text = f"{lead}{wd}{_digits(d.day, 1, digitset)} {word} {_digits(d.year, 4, digitset)}{era}{tail}"
    assert _day_dates(text)[:1] == [d], text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(d=st.dates(date(1950, 1, 1), date(2049, 12, 31)), name=st.sampled_from(_GREG_NAMES),
       digitset=st.sampled_from(sorted(_DIGITS)), comma=st.sampled_from(["،", ",", " ،", ", "]),
       lead=st.sampled_from(["", "نشر في ", "آخر تحديث: ", "Published "]),
       clock=st.sampled_from(["", " 10:30", " - 22:05 GMT"]))
def test_round_trip_month_first(d, name, digitset, comma, lead, clock) -> None:
    """English order, in either language's month names: the month, the day, a comma, the year."""
    month, word = name
    d = date(d.year, month, min(d.day, 28))
    text = f"{lead}{word} {_digits(d.day, 1, digitset)}{comma} {_digits(d.year, 4, digitset)}{clock}"
    assert _day_dates(text) == [d], text


def test_month_first_needs_its_comma() -> None:
    assert _day_dates("هجمات سبتمبر 11 2001 غيرت العالم") == []
    assert [m.date for m in find_dates("Dec 11, 2016 10:30 GMT")] == [date(2016, 12, 11)]
    assert parse_feed_date("11 Dec 2016") == date(2016, 12, 11)
    assert [m.precision for m in find_dates("في مايو 2018")] == ["month"]


@settings(max_examples=200, deadline=None)
@given(y=st.integers(1390, 1460), name=st.sampled_from(_HIJRI_NAMES), day=st.integers(1, 29),
       digitset=st.sampled_from(sorted(_DIGITS)), era=st.sampled_from(["", " هـ", "هـ", " ه"]))
def test_round_trip_hijri_names(y, name, day, digitset, era) -> None:
    month, word = name
    want = Hijri(y, month, day).to_gregorian()
    text = f"{_digits(day, 1, digitset)} {word} {_digits(y, 4, digitset)}{era}"
    assert _day_dates(text) == [date(want.year, want.month, want.day)], text


@settings(max_examples=200, deadline=None)
@given(d=st.dates(date(1950, 1, 1), date(2049, 12, 31)), digitset=st.sampled_from(sorted(_DIGITS)),
       sep=st.sampled_from(["-", "/", "."]), order=st.sampled_from(["ymd", "dmy"]), pad=st.booleans())
def test_round_trip_numeric(d, digitset, sep, order, pad) -> None:
    w = 2 if pad else 1
    parts = [_digits(d.year, 4, digitset), _digits(d.month, w, digitset), _digits(d.day, w, digitset)]
    if order == "dmy":
        parts.reverse()
    text = f"بتاريخ {sep.join(parts)} صدر القرار"
    # d/m/y is read day-first (the Arab convention), so every rendering must come back as written
    assert _day_dates(text) == [d], text


@settings(max_examples=100, deadline=None)
@given(d=st.dates(date(1980, 1, 1), date(2030, 12, 31)))
def test_round_trip_hijri_equivalent_pair(d) -> None:
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    month_name = calendar_data()["hijri_months"][str(h.month)][0]
    greg_name = calendar_data()["gregorian_months"][str(d.month)][1]
    text = f"الرياض {h.day} {month_name} {h.year} هـ الموافق {d.day} {greg_name} {d.year} م واس"
    [m] = find_dates(text)
    assert (m.date, m.calendar) == (d, "gregorian")


_JUNK = st.text(alphabet=st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩/-.:+() ,،هـمGMTZابتثجحخدذرزسشصضطظعغفقكلمنهويىةأإآءئؤ\u064e\u0640\u200f"
                                              "يناير شوال أيلول الموافق آخر تحديث أمس")), max_size=120)


@settings(max_examples=400, deadline=None)
@given(text=_JUNK)
def test_junk_never_raises(text: str) -> None:
    for m in find_dates(text, reference_year=2016):
        assert isinstance(m, DateMatch) and 0 <= m.start < m.end <= len(text)
    for s, e, w in find_relative(text):
        assert text[s:e] == w
    is_date_stamp(text)
    parse_feed_date(text)
    r = resolve_publication_date(text, text, date(2016, 9, 6), text)
    assert r.source in {"explicit", "feed", "relative", "none"}
    assert r.published_at is None or r.published_at.tzinfo is not None


# Numeric Hijri dates with their Gregorian equivalent, as Saudi pages and wire datelines write them:
# "12 / 3 / 1438هـ الموافق 11 / 12 / 2016م" (either calendar first, any digits, spacing and era marks).
_PAIR_LINKS = ["الموافق", "الموافق لـ", "الموافق ل", "(الموافق", "-", "/"]


def _numeric(day: int, month: int, year: int, digitset: str, sep: str, pad: bool, ymd: bool) -> str:
    w = 2 if pad else 1
    parts = [_digits(year, 4, digitset), _digits(month, w, digitset), _digits(day, w, digitset)]
    return sep.join(parts if ymd else parts[::-1])


@settings(max_examples=300, deadline=None)
@given(d=st.dates(date(1980, 1, 1), date(2030, 12, 31)), digitset=st.sampled_from(sorted(_DIGITS)),
       sep=st.sampled_from(["/", " / ", "-", "."]), pad=st.booleans(), ymd=st.booleans(),
       link=st.sampled_from(_PAIR_LINKS), hijri_first=st.booleans(),
       era_h=st.sampled_from(["هـ", " هـ", "ه"]), era_g=st.sampled_from(["م", " م", ""]))
def test_round_trip_numeric_hijri_with_gregorian_equivalent(d, digitset, sep, pad, ymd, link, hijri_first,
                                                            era_h, era_g) -> None:
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    hijri = _numeric(h.day, h.month, h.year, digitset, sep, pad, ymd) + era_h
    greg = _numeric(d.day, d.month, d.year, digitset, sep, pad, ymd) + era_g
    text = f"{hijri} {link} {greg}" if hijri_first else f"{greg} {link} {hijri}"
    found = find_dates(text)
    assert [(m.date, m.calendar) for m in found] == [(d, "gregorian")], text
    assert (found[0].start, found[0].end) == (0, len(text.rstrip(")")))


@settings(max_examples=200, deadline=None)
@given(d=st.dates(date(1980, 1, 1), date(2030, 12, 31)).filter(lambda x: x.day <= 12 and x.day != x.month))
def test_hijri_equivalent_settles_a_month_first_gregorian(d) -> None:
    """11/12 or 12/11? Written month-first next to its Hijri equivalent, the Gregorian date is read as the Hijri
    one says; alone, it stays day-first."""
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    text = f"{h.day}/{h.month}/{h.year}هـ الموافق {d.month}/{d.day}/{d.year}م"
    assert [(m.date, m.calendar) for m in find_dates(text)] == [(d, "gregorian")], text
    assert _day_dates(f"{d.month}/{d.day}/{d.year}م") == [date(d.year, d.day, d.month)]


@settings(max_examples=100, deadline=None)
@given(d=st.dates(date(2000, 1, 1), date(2030, 12, 31)), place=st.sampled_from(["الرياض", "مكة المكرمة", "جدة"]),
       agency=st.sampled_from(["واس", "سانا", "أ ف ب"]))
def test_numeric_wire_dateline_is_the_publication_date(d, place, agency) -> None:
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    dateline = f"{place} {h.day} / {h.month} / {h.year}هـ الموافق {d.day} / {d.month} / {d.year}م {agency}"
    cut, rest = split_dateline(f"{dateline} أكد وزير الصحة أن الموسم خال من الأوبئة.")
    assert cut == dateline and rest == "أكد وزير الصحة أن الموسم خال من الأوبئة."
    got = parse_dateline(cut)
    assert (got.place, got.agency) == (place, agency)
    r = resolve_publication_date(f"وزير الصحة: الموسم خال\n{cut}", "2030-01-01 00:00:00", None)
    assert (r.published_date, r.source) == (d, "explicit")


def test_numeric_hijri_event_dates_in_the_body_are_never_the_publication_date() -> None:
    body = ("وكان مجلس الوزراء قد وافق في 12 / 3 / 1438هـ الموافق 11 / 12 / 2016م على النظام، "
            "ويبدأ التقديم يوم الأحد 17 / 10 / 1436 هـ.")
    assert resolve_publication_date("نظام جديد للعمل", None, None, body).source == "none"
    got = resolve_publication_date("نظام جديد للعمل", "2015-07-21 02:51:32", None, body)
    assert (got.published_date, got.source) == (date(2015, 7, 21), "feed")
