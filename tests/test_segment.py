"""Page anatomy on real pages: the five seeds against their gold labels, and feed records of the dev corpus."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS_RAW, SHARED, corpus_zips, requires_corpus
from transforms.clean import join_paragraphs
from transforms.dateline import parse_byline, parse_dateline, parse_header_lines
from transforms.normalize import match_key
from transforms.outlets import resolve_outlet
from transforms.segment import PageParts, split_page
from transforms.types import Dateline

GOLD = SHARED / "labels" / "seeds.gold.json"
SEED_FILES = sorted(SEEDS_RAW.glob("*.txt"))


def _gold() -> dict:
    if not GOLD.exists():
        pytest.skip(f"gold labels absent: {GOLD}")
    return json.loads(GOLD.read_text(encoding="utf-8"))["articles"]


def _fields(parts: PageParts, text: str, author: str | None = None, url: str | None = None,
            source: str | None = None) -> Dateline:
    """The same merge transforms/article.py does: dateline text, then the byline field, then header lines."""
    found = [parse_dateline(parts.dateline_text) if parts.dateline_text else Dateline(),
             parse_byline(author) if author else Dateline(), parse_header_lines(parts.header_lines)]
    merged = Dateline(*(next((getattr(d, f) for d in found if getattr(d, f)), None)
                        for f in ("place", "agency", "author", "outlet_domain")))
    merged.outlet_domain = resolve_outlet(url, source, text, author, merged.agency) or merged.outlet_domain
    return merged


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_page_matches_gold(path: Path) -> None:
    gold = _gold()[path.name]
    text = path.read_text(encoding="utf-8")
    parts = split_page(text)
    got = _fields(parts, text)
    body = match_key(join_paragraphs(parts.body_paragraphs))

    assert match_key(parts.headline) == match_key(gold["headline"])
    if gold.get("subheadline_starts_with"):
        assert match_key(parts.subheadline or "").startswith(match_key(gold["subheadline_starts_with"]))
    assert (got.place and match_key(got.place)) == (gold["dateline_place"] and match_key(gold["dateline_place"]))
    want_agency = gold["agency"] and match_key(gold["agency"]).removeprefix("ال")
    assert (got.agency and match_key(got.agency).removeprefix("ال")) == want_agency
    assert got.author == gold["author"]
    assert (got.outlet_domain in gold["outlet_domain"]) if gold["outlet_domain"] else got.outlet_domain is None
    for kept in gold["body_must_contain"]:
        assert match_key(kept) in body, kept
    for chrome in gold["body_must_not_contain"]:
        assert match_key(chrome) not in body, chrome


def test_seed_header_zone_details() -> None:
    """What the header zone of the seeds turns into, line by line."""
    p4 = split_page((SEEDS_RAW / "004_14e6561c6e102fa1.txt").read_text(encoding="utf-8"))
    assert p4.subheadline is None  # the second line is a shortened duplicate of the title, not a standfirst
    assert p4.header_lines == ["آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400)."]
    assert p4.body_paragraphs[0].startswith("قال الرئيس الروسي فلاديمير بوتين إنه لا يزال متفائلاً")
    assert "الحرب السورية" not in p4.body_paragraphs

    p1 = split_page((SEEDS_RAW / "001_46e5d2e89a486ef2.txt").read_text(encoding="utf-8"))
    assert p1.header_lines == ["03 أيلول 2016 ق. د/ الوكالات", "ق. د/ الوكالات"]
    assert p1.subheadline == "مجلس الأمن يناقش الأزمة خلال جلسة خاصة في 21 سبتمبر"
    assert p1.body_paragraphs[0].startswith("أعلن الرئيس الروسي فلاديمير بوتين، أمس")
    assert p1.body_paragraphs[-1].startswith("وأوضح أن \"نيوزيلندا")

    p3 = split_page((SEEDS_RAW / "003_96ac34a45deae35e.txt").read_text(encoding="utf-8"))
    assert "بوتين وأوباما بحثا الأزمة السورية على هامش قمة العشرين" not in p3.body_paragraphs  # caption
    assert p3.body_paragraphs[0].startswith("أعرب الرئيس الروسي")
    # a mid-article sub-heading stays in the body
    assert "أردوغان يأمل التوصل لهدنة قبل عيد الأضحى" in p3.body_paragraphs

    p0 = split_page((SEEDS_RAW / "000_fce3ca92cfa685eb.txt").read_text(encoding="utf-8"))
    assert p0.dateline_text == "هانغتشو-الصين-سانا" and p0.header_lines == ["هانغتشو-الصين-سانا"]
    assert p0.body_paragraphs[-1].endswith("إلا بشكل مقتضب جدا.")


def test_feed_record_with_glued_dateline() -> None:
    p = split_page("الرياض - واس - أكد وزير الصحة أن موسم الحج خال من الأوبئة.\nوأضاف أن الفرق جاهزة.",
                   title="وزير الصحة: الموسم خال من الأوبئة")
    assert p.headline == "وزير الصحة: الموسم خال من الأوبئة"
    assert p.dateline_text == "الرياض - واس"
    assert p.body_paragraphs == ["أكد وزير الصحة أن موسم الحج خال من الأوبئة.", "وأضاف أن الفرق جاهزة."]
    assert p.subheadline is None


def test_feed_record_keeps_short_lines_as_body() -> None:
    """A feed body of short lines (a poem) is all body: no header zone is invented."""
    poem = "المصاب اكبر من حروف الكلام\nلا تلوم الشعب هذا لو سكت\nالوطن مما جرى له ما يلام"
    p = split_page(poem, title="درع المملكة")
    assert p.body_paragraphs == poem.split("\n") and p.subheadline is None and p.header_lines == []


def test_page_without_header_zone_keeps_short_lines() -> None:
    poem = "درع المملكة\n\nالمصاب اكبر من حروف الكلام\nلا تلوم الشعب هذا لو سكت\nالوطن مما جرى له ما يلام"
    p = split_page(poem)
    assert p.headline == "درع المملكة" and len(p.body_paragraphs) == 3


def test_empty_and_chrome_only_pages() -> None:
    assert split_page("").headline is None
    p = split_page("تابعونا عبر تطبيق واتس أب :\nhttp://vk.com/syrianarabnewsagency")
    assert p.headline is None and p.body_paragraphs == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي -:.،0123456789\n", max_size=60), max_size=8))
def test_split_page_never_invents_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    p = split_page(text)
    for part in [p.headline, p.subheadline, p.dateline_text, *p.header_lines, *p.body_paragraphs]:
        if part:
            assert part in text or all(w in text for w in part.split())


def _corpus_records(source: str, limit: int) -> list[dict]:
    out: list[dict] = []
    for z in corpus_zips():
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                if name.endswith(".json"):
                    out += [r for r in json.loads(zf.read(name)) if r["source"] == source]
        if len(out) >= limit:
            break
    return out[:limit]


@requires_corpus
def test_corpus_spa_wire_datelines() -> None:
    """SPA items open with 'place + Hijri/Gregorian date + واس' and end with '// انتهى //' and a time."""
    recs = [r for r in _corpus_records("was", 60) if "الموافق" in r["content"].strip().split("\n")[0]]
    assert len(recs) > 20
    for r in recs:
        p = split_page(r["content"], title=r["title"])
        dl = parse_dateline(p.dateline_text or "")
        assert dl.agency == "واس", (p.dateline_text, r["content"][:120])
        assert dl.place and match_key(dl.place) in match_key(r["content"][:60])
        body = join_paragraphs(p.body_paragraphs)
        assert "انتهى //" not in body and " ت م" not in body[-20:]


@requires_corpus
def test_corpus_sabq_glued_bylines() -> None:
    """Sabq repeats its byline at the start of the body: it is cut, and agrees with the byline field."""
    recs = [r for r in _corpus_records("sabq", 400) if "- سبق-" in r["author"] and r["author"].strip().endswith(":")]
    assert len(recs) > 50
    cut = 0
    for r in recs:
        p = split_page(r["content"], title=r["title"])
        if p.dateline_text:
            cut += 1
            assert parse_dateline(p.dateline_text) == parse_byline(r["author"])
            assert not join_paragraphs(p.body_paragraphs).startswith(r["author"].strip()[:10])
    assert cut / len(recs) > 0.9
