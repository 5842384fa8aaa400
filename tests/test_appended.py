"""Page structure of templates khabar was not built on: golden real pages and the rules' own shapes.

The pages are records of the shared development corpora (ANT 2018, SaudiNewsNet 2015), named by their keys
and read in place (``scripts/corpora.py``); none is in the development test set. Each golden says where the
article's body starts and ends, what its dateline and agency are, and which chrome is gone.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts import corpora
from transforms.appended import (
    appended_start,
    is_headline_shaped,
    is_lede,
    is_teaser_link,
    opens_continuation,
    related_titles,
    split_credits,
)
from transforms.article import extract
from transforms.dateline import credit_names
from transforms.formats import Limits, parse_file
from transforms.normalize import match_key
from transforms.types import Extracted

requires_ant = pytest.mark.skipif(not (corpora.ANT / "ant-cnn.jsonl").exists(),
                                  reason="ANT corpus ../shared/corpora/ant-dev absent")
requires_snn = pytest.mark.skipif(not corpora.snn_zips(), reason="SaudiNewsNet corpus absent")


def _extract(key: str) -> Extracted:
    rec = parse_file(key, corpora.landing_bytes(corpora.record(key)), Limits()).records[0]
    got = extract(rec, None, datetime(2030, 1, 1, tzinfo=UTC))
    assert isinstance(got, Extracted), key
    return got


# key, body starts with, body ends with, dateline place, agency, author, chrome that must be gone
GOLDEN = [
    # CNN: dateline glued to the lead, (CNN) is the outlet's own name; five teasers of other stories appended
    ("ant-cnn-0030.json", "توقع خبيران اقتصاديان، أن تؤثر الاستثمارات",
     "في محاولة الانقلاب الفاشلة في تركيا.", "دبي", None, None,
     ["الإمارات العربية المتحدة (CNN)", "ألقى قرار الاستثمار القطري بقيمة 15 مليار دولار حبل نجاة", "لمساعدتك على إظهار ثقتك بنفسك",
      "حقق الميزان التجاري السعودي، فائضا قدره 61.3 مليار ريال"]),
    # CNN: teasers about the same person as the article (ترامب) are still other stories
    ("ant-cnn-0247.json", "قال الرئيس الأمريكي، دونالد ترامب، الأحد، إنه", None, "واشنطن", None, None,
     ["طرحت وزيرة الخارجية الأسبق، هيلاري كلينتون", "أصدرت وزارة الدفاع البلجيكية بيانا"]),
    # CNN: the dash before the bracket ("- (CNN)") and no separator after it; teasers of which only two open
    # with a reporting verb, the others off the article's topic (the Canadian dollar)
    ("ant-cnn-0017.json", "يستمر تراجع الدولار الكندي، إلى أدنى مستوى له في نحو أسبوعين",
     "أكدوا تضامنهم مع السعودية في أزمتها مع كندا.", "دبي", None, None,
     ["الإمارات العربية المتحدة - (CNN)", "توصلت شركة أرامكو النفطية السعودية، لاتفاق", "يدرس ايلون ماسك",
      "أنتوني بوردان", "مشروع قانون لحماية البيانات الشخصية الرقمية"]),
    # CNN: the first teaser carries its own dateline; one starts with a verb no table lists (خفضت)
    ("ant-cnn-0034.json", "تراجع احتياطي الأردن من النقد الأجنبي", "مقارنة مع 4.1 مليار دولار في 2016.", "دبي", None,
     None, ["تسعى إيران لإيجاد حلول بديله لتسويق النفط", "ستاندرد أند بورز", "أعلنت شركة أرامكو النفطية السعودية"]),
    # CNN: "this day in history" teasers open with a date, not a verb
    ("ant-cnn-0223.json", "فاجأت كارين كنايسل، وزيرة خارجية النمسا", "لاسيما في الشرق الأوسط..\"", "دبي", None, None,
     ["اعتمدت إسرائيل الشيكل كعملة رسمية", "أصدرت محكمة العدل الدولية حكماً بأحقية مصر بطابا",
      "منتقدة التحركات التجارية الأحادية الجانب"]),
    # BBC: a cluster of three related titles, two of them opening with the same name; a lone one further down
    ("ant-bbc-0381.json", "قررت وزارة الدفاع الأمريكية (البنتاغون) تأجيل العرض العسكري", None, None, None, None,
     ["ترامب للبنتاغون: أريد عرضا عسكريا يفوق عرض فرنسا", "عرض عسكري في كوريا الشمالية عشية الأولمبياد",
      "ترامب يتعهد بـ\"زيادة تاريخية\" في ميزانية الدفاع"]),
    ("ant-bbc-0786.json", None, "وإنقاذ آلاف الأرواح\".", None, None, None,
     ["عقار جديد يقلص أورام سرطان المبيض", "أنجلينا جولي تستأصل مبيضيها خشية السرطان"]),
    # CNN: a profile written as a list, then teasers (one cut short on a comma)
    ("ant-cnn-0423.json", "أصدر العاهل السعودي، الملك سلمان بن عبد العزيز، أمرا ملكيا",
     "المشرف العام على اللجنة العليا للاتحادات الرياضية القتالية عام 2018", "دبي", None, None,
     ["في الساعات الأولى من بداية 20 أكتوبر", "أعرب الأمين العام للأمم المتحدة، أنطونيو غوتيريس",
      "علق السيناتور روبرت مينديز"]),
    # CNN without teasers: the body is kept to its last paragraph
    ("ant-cnn-0137.json", "أعلنت الشرطة الأمريكية، الأحد، عن مقتل 4 أشخاص",
     "في حين طلبت السلطات مساعدة العامة في إيجاده.", "أتلانتا", None, None, ["الولايات المتحدة الأمريكية (CNN)"]),
    # CNN opinion page: the disclaimer goes, its byline becomes the author
    ("ant-cnn-0483.json", "انشغلت وسائل الإعلام العالمية إلى حد كبير", None, None, None, "کاملیا انتخابی فرد",
     ["والآراء الواردة أدناه تعبر عن رأي الكاتبة", "قد يهمك أيضا: ترامب يتحدث كثيرا عن أموال السعودية"]),
    # CNN: a verification disclaimer closing the article
    ("ant-cnn-0293.json", "لا تزال التصريحات تتوالى بمناسبة مرور عام على الأزمة", None, "دبي", None, None,
     ["علماً أن CNN بالعربية لا يمكنها التأكد من صحة المعلومات"]),
    # BBC: three related-story titles between paragraphs
    ("ant-bbc-0126.json", "اقتربت السعودية من التوصل إلى اتفاق بشأن شراء 48 مقاتلة",
     "فيما يحدث داخل اليمن.", None, None, None,
     ["أنظمة مراقبة متطورة لدول عربية", "قطر توقع اتفاقا لشراء 24 مقاتلة", "احتجاجات تستقبل ولي عهد السعودية"]),
    # BBC: a rule line and the app promotion after the end
    ("ant-bbc-0053.json", "أطلق شاين داوسون، نجم موقع التواصل الاجتماعي", "قد يكون سببا في ظهور اتجاه جديد بين مدوني يوتيوب إذا قلدوه.",
     None, None, None, ["يمكنكم استلام إشعارات بأهم الموضوعات", "تطبيق بي بي سي عربي"]),
    # France24: a credit line names the agency; a "للمزيد" link mid-article
    ("ant-france24-0010.json", "قررت السفيرة الإسرائيلية في باريس الأحد مقاطعة", "بين 13 و20 آذار/مارس في باريس.",
     None, "أ ف ب", None, ["فرانس24/ أ ف ب"]),
    ("ant-france24-0260.json", None, "ولم تسفر الجهود الدبلوماسية عن حل للأزمة التي تهز مجلس التعاون الخليجي.",
     None, None, None, ["للمزيد: وزير خارجية قطر"]),
    # Al Arabiya opinion page: the reprint credit and the disclaimer
    ("ant-alarabia-0446.json", "ينتهي العام 2013 على أكبر المخاطر والتحديات", None, None, None, None,
     ["نقلا عن", "جميع المقالات المنشورة تمثل رأي كتابها فقط"]),
    # Sky News: its own name in the byline is the outlet, not an agency
    ("ant-skynews-0047.json", None, None, "أبوظبي", None, None, []),
    # SaudiNewsNet: a kicker above the byline line; a signature alone on the last line
    ("snn-2015-07-21-02308.json", "تأكد رسمياً استبعاد لاعب منتخب الإكوادور", None, "الرياض", None, "عبدالكريم الحمد",
     ["عبدالكريم الحمد - الرياض"]),
    ("snn-2015-08-06-02998.json", "أثارت الجريمة الإرهابية البشعة", None, None, None, "فهيم الحامد", ["فهيم الحامد"]),
    # SPA wire dateline with Hijri and Gregorian dates, the wire end mark and time
    ("snn-2015-08-10-01535.json", None, None, "إسلام آباد", "واس", None, ["25 شوال 1436", "// انتهى //", "ت م"]),
]


@requires_ant
@requires_snn
@pytest.mark.parametrize(("key", "starts", "ends", "place", "agency", "author", "gone"), GOLDEN,
                         ids=[g[0][:-5] for g in GOLDEN])
def test_golden_pages(key, starts, ends, place, agency, author, gone) -> None:
    got = _extract(key)
    body = got.body
    if starts:
        assert body.startswith(starts), body[:120]
    if ends:
        assert body.endswith(ends), body[-120:]
    assert (got.dateline_place, got.agency, got.author) == (place, agency, author)
    for chrome in gone:
        assert match_key(chrome) not in match_key(body), chrome
    assert "-----" not in body


@requires_ant
def test_bbc_outlet_is_the_url_host() -> None:
    assert _extract("ant-bbc-0126.json").outlet_domain == "bbc.co.uk"


# Pages whose short lines and fresh paragraphs are their own text: nothing is cut as inserted or appended.
KEPT = [
    ("ant-alarabia-0792.json", "• يمكن أن تفرض انتهاكات اللوائح غرامات عالية"),  # a bullet list at the end
    ("ant-skynews-0537.json", "- خط الهجوم: فخر الدين بن يوسف"),  # a squad list after "التشكيلة:"
    ("snn-2015-07-27-01050.json", "تم تشكيل فريق عمل من الجهات الأمنية"),  # a short report in fresh paragraphs
    ("snn-2015-08-08-00795.json", "امدح لامة محمد يظهر الإيناس"),  # verse quoted in an essay
    ("snn-2015-08-10-00430.json", "أرى القلب أوفى بالعهود وأكرما"),
]


@requires_ant
@requires_snn
@pytest.mark.parametrize(("key", "kept"), KEPT, ids=[k[:-5] for k, _ in KEPT])
def test_own_text_is_kept(key: str, kept: str) -> None:
    assert match_key(kept) in match_key(_extract(key).body)


# -- the rules on real paragraphs ---------------------------------------------------------------------------

CNN_TAIL = [  # the end of ant-cnn-0063: the article, then the teasers the page printed under it
    "دبي، الإمارات العربية المتحدة (CNN)-- أكد الرئيس التركي، رجب طيب أردوغان، الأحد، أن بلاده سددت جميع "
    "الديون المستحقة لصندوق النقد الدولي، وأنها طوت دفتر ديون الصندوق بلا رجعة.",
    "وقال أردوغان: \"إن تركيا ولله الحمد تقف بعيدًا عن أي مستوى تضطر فيه لقبول مساعدات من صندوق النقد\".",
    "في سياق متصل، أعلن وزير المالية والخزانة التركي، براءت البيرق، أن حكومة بلاده ستكشف قريبًا عن خطة.",
    "يذكر أن مؤسسة الإحصاء التركية أعلنت، الأربعاء الماضي، أن التضخم لشهر سبتمبر/أيلول الماضي، ارتفع بنسبة 6.30%.",
    "وافق مجلس النواب البحريني، الأحد، على الاتفاقية الخليجية الموحدة لضريبة القيمة المضافة، كما وافق على "
    "الترتيبات الإطارية للتعاون المالي.",
    "شهد أداء البورصات العربية، خلال الـ9 أشهر الأولى من العام الحالي، ارتفاع مؤشرات أسواق السعودية والكويت وقطر.",
    "أعلن البنك المركزي السوداني، الأحد، عن سعر جديد للعملة المحلية، عند مستوى 47.5 جنيه للدولار الواحد.",
    "كشف الشيخ حمدان بن محمد بن راشد آل مكتوم، ولي عهد دبي رئيس المجلس التنفيذي، أن تدفقات الاستثمار ارتفعت.",
]


def test_appended_stories_start_at_the_first_lede() -> None:
    assert appended_start(CNN_TAIL) == 4
    # the same paragraphs without the article's continuation style: nothing can be told, nothing is cut
    fresh = [p.removeprefix("و") for p in CNN_TAIL[:4]] + CNN_TAIL[4:]
    fresh[2] = "أعلن وزير المالية والخزانة التركي، براءت البيرق، أن حكومة بلاده ستكشف قريبًا عن خطة."
    fresh[3] = "التضخم لشهر سبتمبر/أيلول الماضي ارتفع بنسبة 6.30% بحسب مؤسسة الإحصاء التركية."
    assert appended_start(fresh) == len(fresh)
    # a list announced by the article is its own
    assert appended_start([*CNN_TAIL[:3], "وفيما يلي أبرز ما جاء في البيان:", *CNN_TAIL[4:]]) == 8


def test_paragraph_openers() -> None:
    assert all(map(opens_continuation, ["وقال أردوغان إن تركيا تقف بعيدا", "يذكر أن مؤسسة الإحصاء أعلنت",
                                        "من جهتها، قالت وزيرة الداخلية", "فقد أعلن الجيش", "بدوره، قال محمد"]))
    assert not any(map(opens_continuation, ["وافق مجلس النواب البحريني، الأحد", "فرضت وزارة الخزانة الأمريكية",
                                            "فحص جميع النساء للكشف عن جين", "أعلن البنك المركزي السوداني"]))
    assert is_lede(CNN_TAIL[-1]) and is_lede(CNN_TAIL[0]) and not is_lede(CNN_TAIL[1])


def test_related_titles_need_a_flow_around_them() -> None:
    body = ["وقالت شركة بي ايه اي إن توقيع المذكرة خطوة إيجابية تجاه التوصل إلى اتفاق مع شريكنا الذي نقدره.",
            "قطر توقع اتفاقا لشراء 24 مقاتلة تايفون من بريطانيا",
            "احتجاجات تستقبل ولي عهد السعودية في أول زيارة له إلى بريطانيا",
            "ورحبت مجموعة أيه.دي.إس، وهي الهيئة الصناعية الممثلة لشركات صناعات الطيران، بهذه الخطوة الأولى."]
    assert related_titles(body) == [False, True, True, False]
    assert related_titles(body[:3]) == [False, False, False]  # nothing after them: not between paragraphs
    single = [body[0], body[1], body[3]]
    assert related_titles(single) == [False, True, False]  # a lone title the text flows across is a link
    colon = [body[0].replace("نقدره.", "نقدره:"), *body[1:]]
    assert related_titles(colon) == [False, False, False, False]  # announced by a colon: quoted lines, a list
    assert not is_headline_shaped("- خط الدفاع: حمدي النقاز (الزمالك المصري)، ديلان برون (غنت البلجيكي)")
    assert not is_headline_shaped("الزمالك المصري - القادسية الكويتي")


# ant-bbc-0195: a lone link between two paragraphs that continue one another; ant-france24-0696: a sub-heading
# whose words come back right under it; ant-bbc-0739: a sub-heading opening a fresh section.
LONE_LINK = ["وقالت العائلة والأصدقاء في ذلك الوقت إن بيدرو كان يتحدث عن أداء تلك الحيلة لبعض الوقت.",
             "مقتل رجل في شيكاغو يُبث مباشرة على فيسبوك",
             "وقالت عمة الشاب كلوديا رويز، لمحطة تليفزيون محلية:\"طلبت منه ألا يفعل ذلك\".",
             "وأكدت على أن الضحية رد عليها بأنه سيفعل هذا لأنه يريد \"المزيد من المشاهدين\"."]
SUB_HEADING = ["ونقلت الوكالة عن مصدر عسكري قوله إن \"طيران العدو الإسرائيلي أطلق عدة صواريخ باتجاه بعض نقاط الجيش\".",
               "إسرائيل تؤكد استهداف ثلاثة مواقع عسكرية في سوريا",
               "وأكد الجيش الإسرائيلي لاحقا في تغريدة أنه ضرب \"ثلاثة مواقع عسكرية في سوريا، ردا على تسلل طائرة\".",
               "كما قال الجيش الإسرائيلي إنه عازم \"على العمل بحزم ضد أي محاولة لإلحاق الأذى بالمدنيين الإسرائيليين\"."]
FRESH_SECTION = ["وأضافوا أن الأمهات اللواتي اخترن إرضاع أطفالهن طبيعياً لم يعشن هذه التجرية.",
                 "الرضاعة الطبيعية أم بالقنينة أو كلاهما",
                 "تعتبر نسبة الرضاعة الطبيعية في بريطانيا الأقل في أوروبا.",
                 "وبالرغم من أن الأمهات الجدد يحاولن إرضاع أطفالهن في الفترة الأولى، إلا أن أقل من نصفهن يواظبن على ذلك."]


def test_a_lone_title_is_a_link_only_off_the_text_it_interrupts() -> None:
    assert related_titles(LONE_LINK) == [False, True, False, False]
    assert related_titles(SUB_HEADING) == [False, False, False, False]
    assert related_titles(FRESH_SECTION) == [False, False, False, False]
    # a bracketed note is the text's own
    note = [LONE_LINK[0], "(شمل تقرير منظمة العفو 5 دول ليست أعضاء في الأمم المتحدة)", *LONE_LINK[2:]]
    assert related_titles(note) == [False, False, False, False]


def test_teaser_links_in_the_body() -> None:
    # ant-cnn-0485 and ant-bbc-0414: a cue, two dots or a colon, another story's title
    assert is_teaser_link("انفوجرافيك.. هذه المواقع السعودية التي استهدفتها صواريخ الحوثيين")
    assert is_teaser_link("بالصور: الاستعدادات للانتخابات في ليبيا")
    # a sentence after the cue is the text's own
    assert not is_teaser_link("شاهد: الحشود تملأ الساحة منذ الصباح، وقالت الشرطة إن الوضع تحت السيطرة.")
    assert not is_teaser_link("المزيد من القتلى سقطوا في القصف الذي استهدف المدينة أمس")


def test_credit_lines_leave_the_body() -> None:
    assert split_credits(["أعلن الجيش أمس أن العملية انتهت.", "فرانس 24/ أ ف ب/ رويترز"]) == (
        ["أعلن الجيش أمس أن العملية انتهت."], ["فرانس 24/ أ ف ب/ رويترز"])
    assert split_credits(["فرانس24/ أ ف ب"]) == (["فرانس24/ أ ف ب"], [])  # never the whole body
    # a labelled credit (Al Jazeera's shape) and a bracketed agency alone on a line; the names are read for the agency
    assert split_credits(["أعلن الجيش أمس أن العملية انتهت.", "المصدر : الجزيرة + وكالات"]) == (
        ["أعلن الجيش أمس أن العملية انتهت."], ["الجزيرة / وكالات"])
    assert split_credits(["أعلن الجيش أمس أن العملية انتهت.", "(أ ف ب)"])[1] == ["(أ ف ب)"]
    # a lone name without a label or brackets, or a label before unnamed sources, is text
    assert split_credits(["أعلن الجيش أمس.", "رويترز", "المصدر: مصادر مطلعة"])[1] == []


_WORDS = st.sampled_from(["قال", "وقال", "أعلن", "الرئيس", "في", "من", "الأحد،", "إن", "الاتفاق", "قريب.", "دبي،",
                          "(CNN)--", "-", ":", "فرانس24/", "أ ف ب", "رويترز", "؟", "و", "للمزيد:", "سمات"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=25).map(" ".join), max_size=12))
def test_rules_only_ever_drop_whole_paragraphs_from_the_end_or_marked_ones(paragraphs: list[str]) -> None:
    """Total on any input. The appended part is a suffix after the lead holding two ledes at least, made of
    paragraphs that do not continue the one before; marked titles are headline-shaped lines after the lead;
    credits are credit lines after the lead and every other paragraph stays, in order."""
    start = appended_start(paragraphs, paragraphs[0] if paragraphs else None)
    assert min(1, len(paragraphs)) <= start <= len(paragraphs)
    if start < len(paragraphs):
        assert sum(map(is_lede, paragraphs[start:])) >= 2 and not any(map(opens_continuation, paragraphs[start:]))
    mask = related_titles(paragraphs)
    assert len(mask) == len(paragraphs) and not (mask and mask[0])
    assert all(is_headline_shaped(p) for p, m in zip(paragraphs, mask, strict=True) if m)
    body, credits = split_credits(paragraphs)
    named = [credit_names(p) if i else None for i, p in enumerate(paragraphs)]
    assert body == [p for p, n in zip(paragraphs, named, strict=True) if n is None]
    assert credits == [n for n in named if n is not None] and (not paragraphs or body[0] == paragraphs[0])
