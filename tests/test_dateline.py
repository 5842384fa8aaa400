"""Datelines, bylines and outlets on real shapes: the brief's forms, corpus bylines, coverage of the dev corpus."""
from __future__ import annotations

import json
import zipfile
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import corpus_zips, requires_corpus
from transforms.dateline import (
    agency_canonical,
    credit_line,
    looks_like_byline,
    parse_byline,
    parse_dateline,
    parse_header_lines,
    pen_name,
    split_dateline,
)
from transforms.outlets import (
    canonical_domain,
    domain_from_source,
    domain_from_url,
    is_own_name,
    resolve_outlet,
)
from transforms.types import Dateline

# (byline as the site wrote it, place, agency, author, outlet) — the forms named in the brief
BRIEF = [
    ("موسكو-سانا", "موسكو", "سانا", None, None),
    ("هانغتشو-الصين-سانا", "هانغتشو", "سانا", None, None),
    ("الرياض - واس", "الرياض", "واس", None, None),
    ("لندن: رنيم حنوش", "لندن", None, "رنيم حنوش", None),
    ("علي حفول- سبق- نجران:", "نجران", None, "علي حفول", "sabq.org"),
    ("محمد العبد الله (الدمام)", "الدمام", None, "محمد العبد الله", None),
    ("خليفة الهاملي من بريدة", "بريدة", None, "خليفة الهاملي", None),
    ("مكة المكرمة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", "مكة المكرمة", "واس", None, None),
    ("ق. د/ الوكالات", None, "الوكالات", None, None),
    ("القاهرة: «الشرق الأوسط»", "القاهرة", None, None, "aawsat.com"),
    ("«الاقتصادية» من الرياض", "الرياض", None, None, "aleqt.com"),
    ("الوئام - cnn", None, "cnn", None, "alweeam.com.sa"),
    ("المدينة المنورة - واس:", "المدينة المنورة", "واس", None, None),
    ("نايف الروقي ـ الرياض", "الرياض", None, "نايف الروقي", None),
]

# Real bylines of the dev corpus (saudinewsnet 2015), with what they say.
CORPUS = [
    ("واس - الرياض", "الرياض", "واس", None, None),
    ("الرياض - الوئام :", "الرياض", None, None, "alweeam.com.sa"),
    ("لندن: «الشرق الأوسط أونلاين»", "لندن", None, None, "aawsat.com"),
    ("اليوم - الدمام", "الدمام", None, None, None),
    ("الوئام - رويترز:", None, "رويترز", None, "alweeam.com.sa"),
    ("\"الاقتصادية\" من الرياض", "الرياض", None, None, "aleqt.com"),
    ("سبق- الرياض:", "الرياض", None, None, "sabq.org"),
    ("الجزيرة - واس:", None, "واس", None, None),
    ("أبها: الوطن", "أبها", None, None, None),
    ("أبها - عبدالله الهاجري:", "أبها", None, "عبدالله الهاجري", None),
    ("سبق- وكالات:", None, "وكالات", None, "sabq.org"),
    ("المدينة - جدة", "جدة", None, None, None),
    ("الجزيرة - المحليات:", None, None, None, None),
    ("متابعة - الرياض الإلكتروني", None, None, None, "alriyadh.com"),
    ("\u00a0عكاظ (الرياض)", "الرياض", None, None, "okaz.com.sa"),
    ("القاهرة - مكتب الجزيرة - طارق محيي:", "القاهرة", None, "طارق محيي", "al-jazirah.com"),
    ("عبدالله البرقاوي- سبق- الرياض:", "الرياض", None, "عبدالله البرقاوي", "sabq.org"),
    ("&nbsp;أحمد الشميري (صنعاء)", "صنعاء", None, "أحمد الشميري", None),
    ("\u00a0واس (جدة)", "جدة", "واس", None, None),
    ("واشنطن: محمد علي صالح", "واشنطن", None, "محمد علي صالح", None),
    ("لندن - رويترز", "لندن", "رويترز", None, None),
    ("الأحساء - عايدة بنت صالح:", "الأحساء", None, "عايدة بنت صالح", None),
    ("فهد عامر الأحمدي", None, None, "فهد عامر الأحمدي", None),
    ("الوئام - يو بي اي:", None, "يو بي اي", None, "alweeam.com.sa"),
    ("لندن - د ب أ", "لندن", "د ب أ", None, None),
    ("أبوظبي - أ.ف.ب:", "أبوظبي", "أ.ف.ب", None, None),
    ("أ.د عبد الله الدايل", None, None, "عبد الله الدايل", None),
    ("كتب - عبدالله الحنيان:", None, None, "عبدالله الحنيان", None),
    ("كلمة الاقتصادية", None, None, None, None),
    ("وكالات - عواصم", None, "وكالات", None, None),
    ("دبي - الرياض", "دبي", None, None, None),
    ("المدينة - الرياض", "الرياض", None, None, None),
    ("محمد ماهر - القدس المحتلة", "القدس المحتلة", None, "محمد ماهر", None),
    ("القاهرة: السيد الحراني", "القاهرة", None, "السيد الحراني", None),
    ("الرياض - الوئام - تصوير : راشد ناصر آل قنيعير", "الرياض", None, None, "alweeam.com.sa"),
    ("هادي العصيمي، ياسر العتيبي- سبق- جدة:", "جدة", None, "هادي العصيمي، ياسر العتيبي", "sabq.org"),
    ("الحديدة (اليمن): وائل حزام", "الحديدة", None, "وائل حزام", None),
    ("طهران - لندن: «الشرق الأوسط»", "طهران", None, None, "aawsat.com"),
    ("أيمـن الـحـمـاد", None, None, "أيمن الحماد", None),
    ("عين اليوم – كابول", "كابول", None, None, "3alyoum.com"),
    ("حنان الحامدي – عين اليوم", None, None, "حنان الحامدي", "3alyoum.com"),
    ("الوئام - sky", None, "sky", None, "alweeam.com.sa"),
    ("مكة - الوئام - حجب العصيمي :", "مكة", None, "حجب العصيمي", "alweeam.com.sa"),
    ("\u200f\u202bفايز الأسمري- سبق- الرياض:", "الرياض", None, "فايز الأسمري", "sabq.org"),
]


@pytest.mark.parametrize(("byline", "place", "agency", "author", "outlet"), BRIEF + CORPUS, ids=lambda x: str(x)[:24])
def test_parse_byline_golden(byline: str, place, agency, author, outlet) -> None:
    assert parse_byline(byline) == Dateline(place=place, agency=agency, author=author, outlet_domain=outlet)


# The agency column holds the agency as the page writes it (labels/GUIDELINES.md): real bylines with an alias,
# then the shapes a dateline or credit line gives the same names. (byline, place, agency as written, canonical)
AS_WRITTEN = [
    ("لندن - فرانس برس", "لندن", "فرانس برس", "أ ف ب"),  # ant-alarabia-0401
    ("اسونسيون (باراغواي) - أسوشيتد برس", "اسونسيون", "أسوشيتد برس", "أ ب"),  # ant-alarabia-0212
    ("الوئام - rt", None, "rt", "RT"),  # snn-2015-07-21-01799
    ("رويتر - بروكسل", "بروكسل", "رويتر", "رويترز"),  # snn-2015-07-21-02244
    ("&nbsp;رويتر (نيويورك)", "نيويورك", "رويتر", "رويترز"),  # snn-2015-07-21-02590
    ("الرياض - وكالة الأنباء السعودية:", "الرياض", "وكالة الأنباء السعودية", "واس"),
    ("القاهرة - «رويترز»:", "القاهرة", "رويترز", "رويترز"),
    ("أبوظبي - أ.ف.ب:", "أبوظبي", "أ.ف.ب", "أ ف ب"),
]


@pytest.mark.parametrize(("byline", "place", "agency", "canonical"), AS_WRITTEN, ids=lambda x: str(x)[:24])
def test_agency_as_written(byline: str, place, agency, canonical) -> None:
    got = parse_byline(byline)
    assert (got.place, got.agency) == (place, agency)
    assert agency_canonical(got.agency) == canonical


def test_agency_as_written_in_datelines_and_credit_lines() -> None:
    assert split_dateline("لندن - فرانس برس - أعلنت الحكومة البريطانية أن الاتفاق قريب")[0] == "لندن - فرانس برس"
    assert parse_dateline("لندن - فرانس برس").agency == "فرانس برس"
    # a credit line: the agency alone in brackets, and after the outlet's name (the outlet is no agency)
    assert parse_header_lines(["(أ ف ب)"]) == Dateline(agency="أ ف ب")
    assert parse_header_lines(["فرانس24/ أ.ف.ب"]) == Dateline(agency="أ.ف.ب", outlet_domain="france24.com")
    assert parse_header_lines(["(فرانس برس)"]) == Dateline(agency="فرانس برس")


def test_agency_aliases_canonical() -> None:
    assert {agency_canonical(a) for a in ("أ ف ب", "ا ف ب", "أ.ف.ب", "فرانس برس", "AFP")} == {"أ ف ب"}
    assert {agency_canonical(a) for a in ("واس", "وكالة الأنباء السعودية", "SPA")} == {"واس"}
    assert {agency_canonical(a) for a in ("سانا", "SANA")} == {"سانا"}
    assert {agency_canonical(a) for a in ("وكالات", "الوكالات")} == {"الوكالات"}
    assert agency_canonical("سبق") is None and agency_canonical("الشرق الأوسط") is None
    assert agency_canonical("") is None


def test_split_dateline_forms() -> None:
    assert split_dateline("موسكو-سانا أكد الرئيس الروسي فلاديمير بوتين أن بلاده سترد") == (
        "موسكو-سانا", "أكد الرئيس الروسي فلاديمير بوتين أن بلاده سترد")
    assert split_dateline("القاهرة: أعلنت وزارة الصحة المصرية اليوم") == ("القاهرة", "أعلنت وزارة الصحة المصرية اليوم")
    assert split_dateline("عين اليوم – كابول") == ("عين اليوم – كابول", "")
    # Not datelines: a quote lead, a name with a colon, a headline-like line, two countries
    for text in ("بوتين: سنرد بشكل حاسم في حالة تصعيد الأعمال العدوانية",
                 "وقال لافروف: إن التعاون ممكن",
                 "السعودية - قطر: مباراة ودية الليلة",
                 "أكد وزير الصحة - في بيان - أن الموسم خال من الأوبئة"):
        assert split_dateline(text) == (None, text)


# Datelines glued to the first sentence, with the source in brackets (ANT 2018 pages), and wire datelines with
# numeric Hijri and Gregorian dates: (first paragraph as written, dateline cut, place, agency)
GLUED = [
    ("دبي، الإمارات العربية المتحدة (CNN)-- توقع خبيران اقتصاديان، أن تؤثر الاستثمارات",
     "دبي، الإمارات العربية المتحدة (CNN)", "دبي", "CNN"),
    ("واشنطن، الولايات المتحدة الأمريكية (CNN)—قال الرئيس الأمريكي، دونالد ترامب، الأحد",
     "واشنطن، الولايات المتحدة الأمريكية (CNN)", "واشنطن", "CNN"),
    ("أتلانتا، الولايات المتحدة الامريكية (CNN) – أعلنت الشرطة الأمريكية، الأحد",
     "أتلانتا، الولايات المتحدة الامريكية (CNN)", "أتلانتا", "CNN"),
    ("عمان، الأردن (CNN) – تعرض أحد رجال قوات الدرك الأردني لعملية طعن", "عمان، الأردن (CNN)", "عمان", "CNN"),
    ("(CNN)-- فوجئ عدد من مستخدمي شبكة التواصل الاجتماعي", "(CNN)", None, "CNN"),
    ("القاهرة (رويترز) - قالت وزارة الصحة المصرية", "القاهرة (رويترز)", "القاهرة", "رويترز"),
    # ant-cnn-0017: the dash before the bracket, nothing after it
    ("دبي، الإمارات العربية المتحدة - (CNN) يستمر تراجع الدولار الكندي، إلى أدنى مستوى له",
     "دبي، الإمارات العربية المتحدة - (CNN)", "دبي", "CNN"),
    # the shapes of other outlets: a slash, a source in guillemets (closed by a dash or by a space only)
    ("بغداد/ رويترز: أعلن الجيش العراقي أن العملية انتهت", "بغداد/ رويترز", "بغداد", "رويترز"),
    ("بيروت - «الحياة» - أكد رئيس الحكومة أن الحكومة ستتشكل قريبا", "بيروت - «الحياة»", "بيروت", None),
    ("لندن: «الشرق الأوسط» أكد رئيس الوزراء أن الاتفاق قريب", "لندن: «الشرق الأوسط»", "لندن", None),
    ("دبي - العربية.نت: أعلنت الحكومة أن الاتفاق قريب", "دبي - العربية.نت", "دبي", None),
    ("الرياض 12 / 3 / 1438هـ الموافق 11 / 12 / 2016م واس أكد وزير الصحة أن الموسم خال من الأوبئة.",
     "الرياض 12 / 3 / 1438هـ الموافق 11 / 12 / 2016م واس", "الرياض", "واس"),
    ("الدمام25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس", "الدمام25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس",
     "الدمام", "واس"),
]


@pytest.mark.parametrize(("paragraph", "dateline", "place", "agency"), GLUED, ids=lambda x: str(x)[:20])
def test_glued_datelines(paragraph: str, dateline: str, place, agency) -> None:
    cut, rest = split_dateline(paragraph)
    assert cut == dateline
    assert paragraph.endswith(rest) and not rest.startswith(("-", "–", "—"))
    got = parse_dateline(cut)
    assert (got.place, got.agency) == (place, agency)


def test_bracketed_source_is_not_a_place_in_brackets() -> None:
    """``name (place) -`` is a byline, not a dateline with a source; a bracket in a sentence is nothing."""
    for text in ("محمد العبد الله (الدمام) - أكد مدير التعليم أن الدراسة تبدأ في موعدها",
                 "أعلنت منظمة الصحة العالمية (WHO) - في بيان - أن الوباء انحسر"):
        assert split_dateline(text)[0] != text.split("(")[0] + "(" + text.split("(")[1].split(")")[0] + ")"


def test_credit_lines_and_pen_names() -> None:
    assert credit_line("فرانس24/ أ ف ب") and credit_line("فرانس 24 / أ ف ب") and credit_line("فرانس 24/ أ ف ب/ رويترز")
    assert parse_header_lines(["فرانس24/ أ ف ب"]) == Dateline(agency="أ ف ب", outlet_domain="france24.com")
    for line in ("الرياض - واس", "رويترز", "فرانس 24", "وقالت الوكالة الفرنسية/ رويترز إن الاتفاق قريب",
                 "أكد وزير الخارجية أن الاتفاق قريب"):
        assert not credit_line(line), line
    assert pen_name("هذا المقال بقلم جيري ماهر، محلل سياسي وكاتب لبناني. المقال يعبر عن رأي الكاتب") == "جيري ماهر"
    assert pen_name("بقلم: عبدالله الهاجري") == "عبدالله الهاجري"
    assert pen_name("كتب بقلم رصاص على الجدار") is None


def test_own_name_is_not_an_agency() -> None:
    """A broadcaster crediting itself on its own site is the outlet, not an agency; a news agency on its own
    site, and a broadcaster credited by another outlet, stay agencies."""
    assert is_own_name("CNN", "arabic.cnn.com") and is_own_name("سكاي نيوز", "skynewsarabia.com")
    assert is_own_name("BBC", "bbc.co.uk")
    assert not is_own_name("CNN", "alweeam.com.sa") and not is_own_name("واس", "spa.gov.sa")
    assert not is_own_name("سانا", "sana.sy") and not is_own_name(None, "arabic.cnn.com")
    # the page writes the name its own way; its identity (agency_canonical) decides
    assert is_own_name(agency_canonical("سي إن إن"), "arabic.cnn.com")
    assert is_own_name(agency_canonical("روسيا اليوم"), "arabic.rt.com")


def test_looks_like_byline() -> None:
    assert all(looks_like_byline(x) for x in ("موسكو-سانا", "واس (جدة)", "لندن: «الشرق الأوسط»", "سبق- الرياض:"))
    assert not any(looks_like_byline(x) for x in ("الحرب السورية", "بوتين وأوباما بحثا الأزمة السورية",
                                                   "الرياض - واس - أكد وزير الصحة أن الموسم خال من الأوبئة."))


def test_header_lines_stamps_do_not_leak() -> None:
    assert parse_header_lines(["آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)."]) == Dateline()
    assert parse_header_lines(["03 أيلول 2016 ق. د/ الوكالات"]) == Dateline(agency="الوكالات")
    assert parse_header_lines(["نشر في 12 مارس 2017", "بيروت: فيفيان حداد"]) == Dateline(
        place="بيروت", author="فيفيان حداد")


def test_outlets() -> None:
    assert domain_from_url("http://www.alriyadh.com/1067194") == "alriyadh.com"
    assert domain_from_url("http://www.spa.gov.sa/details.php?id=1386755") == "spa.gov.sa"
    # the URL's host as written (the gold's rule: "the URL's host without www."), one outlet by canonical_domain
    assert domain_from_url("https://gate.ahram.org.eg/News/1.aspx") == "gate.ahram.org.eg"
    assert canonical_domain(domain_from_url("https://gate.ahram.org.eg/News/1.aspx")) == "ahram.org.eg"
    assert domain_from_url("http://www.bbc.co.uk/arabic/business-43351036") == "bbc.co.uk"
    assert canonical_domain("bbc.co.uk") == canonical_domain("bbc.com") == "bbc.com"
    assert {domain_from_source(s) for s in ("aawsat", "sabq", "alweeam", "aleqtisadiya", "almadina", "okaz", "alyaum",
                                            "aljazirah", "arreyadi", "alwatan", "alriyadh", "3alyoum", "was")} == {
        "aawsat.com", "sabq.org", "alweeam.com.sa", "aleqt.com", "al-madina.com", "okaz.com.sa", "alyaum.com",
        "al-jazirah.com", "arreyadi.com.sa", "alwatan.com.sa", "alriyadh.com", "3alyoum.com", "spa.gov.sa"}
    # the URL wins over everything; an ambiguous own-name (اليوم) never decides alone; nothing → None
    assert resolve_outlet("https://www.sana.sy/?p=1", "aawsat", "", "سبق- الرياض:", "واس") == "sana.sy"
    assert resolve_outlet(None, None, "", "اليوم - الدمام", None) is None
    assert resolve_outlet(None, None, "أعلن الرئيس الروسي فلاديمير بوتين، أمس", None, "الوكالات") is None
    assert resolve_outlet(None, None, "", None, "سانا") == "sana.sy"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآةى «»()-–:،/.0123456789", max_size=60))
@example("من،0")  # a preposition glued by punctuation to what follows
def test_parse_byline_total_and_grounded(text: str) -> None:
    """Never raises; a place or author it returns is made of words of the input."""
    got = parse_byline(text)
    for value in (got.place, got.author):
        if value:
            assert all(w in text for w in value.replace("، ", " ").split())
    dl, rest = split_dateline(text)
    assert dl is None or (text.startswith(dl) or dl in text) and rest in text


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([b for b, *_ in BRIEF + CORPUS]), st.sampled_from(["", " ", "\u00a0", "\u200f"]))
def test_parse_byline_ignores_padding(byline: str, pad: str) -> None:
    assert parse_byline(pad + byline + pad) == parse_byline(byline)


def _corpus() -> list[dict]:
    out: list[dict] = []
    for z in corpus_zips():
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                if name.endswith(".json"):
                    out += json.loads(zf.read(name))
    return out


@requires_corpus
def test_corpus_common_byline_shapes_parse() -> None:
    """The 200 most frequent bylines of the dev corpus: nearly all yield something, and no agency name is
    ever taken for a person."""
    counts = Counter(r["author"].strip() for r in _corpus() if r["author"].strip())
    top = [b for b, _ in counts.most_common(200)]
    parsed = {b: parse_byline(b) for b in top}
    empty = [b for b, d in parsed.items() if d == Dateline()]
    assert len(empty) <= 10, empty
    agencies = {"واس", "رويترز", "سبق", "الوئام", "الاقتصادية", "الشرق الأوسط", "وكالات", "اليوم", "الجزيرة"}
    for b, d in parsed.items():
        assert not (d.author and any(a == d.author for a in agencies)), b
    share_place = sum(1 for b in top if parsed[b].place) / len(top)
    assert share_place > 0.7
