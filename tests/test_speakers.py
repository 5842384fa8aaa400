"""Who said it: golden sentences from the train set (seeds/labels/train.gold.json articles) for each way Arabic
news attributes a quote, and properties of every speaker the resolver gives."""
from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from transforms.attribution import verb_gender
from transforms.entities import extract_entities, fold, reference
from transforms.quotes import extract_quotes


def speakers(body: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(body, extract_entities(body)[0])]


def speaker_of(body: str, starts: str) -> str:
    hit = next(s for t, s in speakers(body) if t.startswith(starts))
    assert hit is not None, starts
    return hit


def test_name_in_apposition_after_a_role():
    # ant-bbc-0150: the role first, the name between commas
    body = ('ورحب الرئيس الكوري الجنوبي، مون جيه-إن، بهذه الأنباء، قائلا إن: "نزع السلاح النووي بشكل كامل من '
            'شبه الجزيرة الكورية"')
    assert "مون جيه-إن" in speaker_of(body, "نزع السلاح")
    # ant-bbc-0126: a name after the role and its complement
    body = 'وقال الرئيس التنفيذي للمجموعة بول إيفريت: "نرحب بمذكرة النوايا التي وقعتها شركة بي ايه اي سيستمز".'
    assert "إيفريت" in speaker_of(body, "نرحب بمذكرة")


def test_unknown_name_after_the_verb():
    # ant-bbc-0665, ant-skynews-0222: names no reference list holds
    body = 'وقالت هندرسون "لم نحصل على الفوز في السباق ولكنني سعيدة للغاية بمثابرة فريقي وكفاحه".'
    assert speaker_of(body, "لم نحصل") == "هندرسون"
    body = 'وقال صالحي في مقابلة مع "أسوشييتد برس" في طهران إن "العواقب ستكون وخيمة جدا" في حال وقعت هجمات.'
    assert speaker_of(body, "العواقب") == "صالحي"


def test_a_name_the_extractor_cut_short_is_completed():
    # snn-2015-08-10-00342: the person is known by the given name only
    body = ('من جانبه، أعرب رودي جارسيا مدرب فريق روما الإيطالي عن سعادته، وقال خلال المؤتمر الصحافي '
            '"الفريق ظهر بمستوى جيد، لكن الأداء تغير".')
    assert "جارسيا" in speaker_of(body, "الفريق ظهر")


def test_role_alone_is_the_person_named_with_it_earlier():
    # ant-skynews-0047
    body = ('قالت مديرة صندوق النقد الدولي كريستين لاغارد، الخميس، إن مبادرة الحزام والطريق الصينية تبدي '
            'علامات تقدم.\n\nوقالت مديرة الصندوق :"من حسن الحظ نعلم أن القيادة الصينية تعي تلك المخاطر".')
    assert "لاغارد" in speaker_of(body, "من حسن الحظ")
    # snn-2015-07-21-00083: the role words agree with the ones the person was named with
    body = ('وقال النائب العام التمييزي في لبنان القاضي سمير حمود إن التحقيق مستمر.\n\nولفت النائب العام '
            'التمييزي إلى أن «الأجهزة الأمنية أبلغت السفارة التشيكية في بيروت بالعملية».')
    assert "حمود" in speaker_of(body, "الأجهزة الأمنية")


def test_institution_speaking_and_back_reference_to_it():
    # snn-2015-08-10-00715: المرصد is the observatory named before
    body = ('وأفاد المرصد السوري لحقوق الإنسان بسقوط قتلى.\n\nوقال المرصد في بيان «نفذ أكثر من ألف شخص '
            'اعتصامًا عند دوار الزراعة في مدينة اللاذقية»')
    assert speaker_of(body, "نفذ أكثر").startswith("المرصد السوري")
    # ant-alarabia-0219: a body and its adjective, never the statement it issued
    body = 'وقالت الشرطة السودانية في بيان في حينه "عثر على موظف بالقسم القنصلي في سفارة نيجيريا ميتا داخل منزله".'
    assert speaker_of(body, "عثر على") == "الشرطة السودانية"


def test_statement_is_never_the_speaker_its_issuer_is():
    # ant-france24-0692: the statement's issuer, carried by the bare verbs after it
    body = ('وجاء في بيان للحكومة الإسرائيلية "أعاد الموساد إلى إسرائيل ساعة مقاتل الموساد الراحل إيلي كوهين"، '
            'وأضاف "تمت إعادة الساعة في عملية خاصة نفذها الموساد مؤخرا"، وتابع أنه "بعد إعدام كوهين في 18 '
            'أيار/مايو 1965 بقيت ساعته في دولة عدوة".')
    got = speakers(body)
    assert len(got) == 3 and all("الحكومة الإسرائيلية" in s and "بيان" not in s for _, s in got)


def test_relayed_speech_is_the_original_speaker():
    # ant-bbc-0305, ant-bbc-0581
    body = ('ونقلت وكالة رويترز للأنباء عن المواطن محمد أمير في قندز قوله "لم أصدق عيني، رأيت مسلحي طالبان '
            'وقوات الأمن سويا".')
    assert speaker_of(body, "لم أصدق") == "محمد أمير"
    body = ('ونقلت وكالة الأنباء السعودية عن متحدث باسم التحالف تأكيده "التزام التحالف الثابت بإجراء التحقيقات '
            'في كافة الحوادث".')
    assert "متحدث باسم التحالف" in speaker_of(body, "التزام التحالف")


def test_unnamed_source_as_described_and_referred_back_to():
    # snn-2015-07-21-00083: مصدر أمني before the verb (SVO), then المصدر الأمني
    body = ('مصدر أمني متابع للقضية قال لـ«الشرق الأوسط» إن «الأجهزة الأمنية لا تزال تتعقب أثر المختطفين». '
            'وشدد المصدر الأمني على أن «عمليات الدهم لنقاط محددة لا تزال مستمرة».')
    got = speakers(body)
    assert [t.split()[0] for t, _ in got] == ["الأجهزة", "عمليات"]
    assert all(s.startswith("مصدر أمني") for _, s in got)


def test_subject_of_a_relative_clause():
    # ant-cnn-0293: the name before the apposition and الذي
    body = ('تصريحات بن جاسم استدعت رداً من سعود القحطاني، المستشار في الديوان الملكي السعودي، الذي قال: '
            '"الانحطاط هو السنة التي شرعتموها منذ إنشائكم"')
    assert "القحطاني" in speaker_of(body, "الانحطاط")


def test_source_named_after_the_quote():
    # snn-2015-07-21-02020
    body = '«هل انتقاد متطرفي الشيعة، طائفية؟»، كتب الأستاذ عبد الرحمن الراشد، متسائلاً، في الزميلة.'
    assert "الراشد" in speaker_of(body, "هل انتقاد")
    body = ('لا يمكن لأي حاضنة أن تقي الجماعة من الضرر. «حين يصيبنا شر ما فإنه يمكننا القضاء عليه إما بإزالة '
            'أسبابه»، على حد تعبير نيتشه.')
    assert speaker_of(body, "حين يصيبنا") == "نيتشه"


def test_verb_before_an_attribution_word_wins():
    # ant-france24-0533
    body = ('وأشار ماكرون بحسب بيان رئاسي، إلى أن فرنسا ستواصل جهودها من أجل "حل تفاوضي بين الإسرائيليين '
            'والفلسطينيين".')
    assert speaker_of(body, "حل تفاوضي") == "إيمانويل ماكرون"


def test_bare_verb_carries_the_speaker_its_gender_agrees_with():
    # ant-bbc-0179: وأضافت (feminine) goes back to كيرلي past a masculine speaker
    body = ('وقالت كلير كيرلي، المديرة المحلية لجمعية مكافحة التقوس البريطانية إن "تشخيص هذه الحالة يصيب '
            'البعض الذعر."\n\nوقال جان ليهوفسكي إن "الأميرة يوجيني تظهر كيف يمكنها العيش بشكل طبيعي".\n\n'
            'وأضافت أنه "لرائع أن يوجيني تظهر هذا القدر من الشعور بالثقة."')
    assert "كيرلي" in speaker_of(body, "لرائع أن")
    assert "ليهوفسكي" in speaker_of(body, "الأميرة يوجيني")


def test_quoted_name_standing_as_the_subject():
    # snn-2015-07-23-01261: the name in quotation marks is the speaker, not a quote
    body = ('قال نائب المتحدث الإعلامي باسم صحة تبوك "صالح القرعوطي": "من قام بتصوير المقطع هو أحد المرضى". '
            'وتابع "القرعوطي": "إدارة المستشفى تؤكد أن عملية الخلط تتم يدوياً".')
    got = speakers(body)
    assert [t.split()[0] for t, _ in got] == ["من", "إدارة"]
    assert all("القرعوطي" in s for _, s in got)


def test_speaker_entity_id_is_the_article_entity():
    body = 'وقال الرئيس الروسي فلاديمير بوتين “نتقدم شيئا فشيئا في الاتجاه الصحيح”.'
    mentions = extract_entities(body)[0]
    (q,) = extract_quotes(body, mentions)
    assert q.speaker_entity_id == next(m.entity_id for m in mentions if m.surface.endswith("بوتين"))
    # an unnamed source is no entity
    body = 'وقال مسؤول كبير في الإدارة الأميركية "إن اللقاء بين الرئيسين اتسم بالجدية".'
    (q,) = extract_quotes(body, extract_entities(body)[0])
    assert q.speaker.startswith("مسؤول") and q.speaker_entity_id is None


def test_verb_gender():
    assert [verb_gender(fold(w)) for w in ("وقالت", "وأضاف", "تقول", "قالوا", "مضيفة", "أعلنته")] == \
        ["f", "m", "f", "p", "f", "f"]


# -- properties ---------------------------------------------------------------------------------------------

_WORDS = ["وقال", "وأضاف", "قالت", "مضيفا", "بحسب", "نقلت", "عن", "الرئيس", "وزير", "الخارجية", "الروسي", "بوتين",
          "سيرغي", "لافروف", "مصدر", "أمني", "الوزارة", "بيان", "في", "إن", "أن", "،", ".", ":", "\n", "الذي",
          "صالحي", "كما", "يقول", "على", "حد", "تعبير", "وكالة", "رويترز", "مون", "جيه-إن", "شركة", "حملة"]
_MARKS = ['"', "“", "”", "«", "»"]
_QUOTE_TEXT = ["نتقدم شيئا فشيئا", "المحادثات صعبة جدا مع الجميع", "نعم", "لن نتراجع عن موقفنا أبدا"]


@st.composite
def _articles(draw) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_MARKS),
                                    st.sampled_from(_QUOTE_TEXT).map(lambda t: f'"{t}"')), max_size=40))
    return " ".join(parts)


_SPEECH = {fold(w) for w in ("قال", "قالت", "وقال", "وأضاف", "مضيفا", "يقول", "نقلت", "بحسب")}


@settings(max_examples=300, deadline=None)
@given(_articles())
@example('بحسب " وقال " "نتقدم شيئا فشيئا"')  # a quoted verb after بحسب is no quoted name
@example('بحسب " وقال " " وقال " "نتقدم شيئا فشيئا"')  # nor when quoted twice
@example('“ وقال وكالة “ وقال : " وقال وقال')  # a quoted verb after وكالة is no agency's name
def test_speakers_come_from_the_article_and_are_never_a_verb_or_a_particle(body):
    mentions = extract_entities(body)[0]
    known = {fold(w) for w in re.findall(r"[\w-]+", body)} | {fold(w) for m in mentions
                                                               for w in m.canonical_name.split()}
    ids = {m.entity_id for m in mentions}
    for q in extract_quotes(body, mentions):
        assert body[q.char_start:q.char_end] == q.text
        if q.speaker is None:
            assert q.speaker_entity_id is None
            continue
        words = [fold(w) for w in re.findall(r"[\w-]+", q.speaker)]
        assert words and all(w in known for w in words), q.speaker
        assert not (len(words) == 1 and (words[0] in _SPEECH or words[0] in reference().particles)), q.speaker
        assert words[0] not in _SPEECH and words[0] not in {"في", "عن", "علي", "ان"}, q.speaker
        assert q.speaker_entity_id is None or q.speaker_entity_id in ids


def test_a_spokesman_for_a_person_is_not_that_person():
    # ant-bbc-0591: باسم and a person's role: the name is the principal's, the speaker the spokesman
    body = ('وقال المتحدث باسم الرئيس الفلسطيني محمود عباس (أبو مازن) إن القرار الأمريكي "اعتداء سافر على '
            'الشعب الفلسطيني".')
    assert "المتحدث باسم الرئيس الفلسطيني" in speaker_of(body, "اعتداء سافر")
    # ant-bbc-0381: باسم and a body: the name is the spokesman's
    body = ('وقال المتحدث باسم البنتاغون، العقيد روب مانينغ، في بيان إن وزارة الدفاع والبيت الأبيض "اتفقا الآن '
            'على استكشاف فرص إقامة العرض عام 2019".')
    assert "مانينغ" in speaker_of(body, "اتفقا الآن")


def test_the_speakers_verb_wins_over_a_relayers():
    # ant-cnn-0705: بحسب ما نقل X after the speaker's own verb
    body = ('وقال كلوب عقب المباراة التي انتهت بخسارة النادي الإنجليزي، بحسب ما نقل الموقع العربي لليفربول: '
            '"هي إصابة خطيرة، خطيرة للغاية. صلاح الآن في المستشفى".')
    assert speaker_of(body, "هي إصابة") == "كلوب"
    # ant-france24-0732: a speech the television relayed (ونقلها التلفزيون)
    body = ('وقال أردوغان في كلمة ألقاها في بايبورت شمال شرق تركيا ونقلها التلفزيون "إن كان لديكم أموال بالدولار '
            'أو اليورو أو ذهب تدخرونه، اذهبوا إلى المصارف لاستبدالها بالليرة التركية".')
    assert "أردوغان" in speaker_of(body, "إن كان لديكم")


def test_a_preposition_and_its_noun_are_never_the_speaker():
    # ant-bbc-0248: للمركز is the role's complement, the name follows the comma
    body = ('وقال المدير التنفيذي للمركز، هادي قائمي "تواصل إيران اعتقالاتها العشوائية لمزدوجي الجنسية من دون '
            'أي شفافية".')
    assert "قائمي" in speaker_of(body, "تواصل إيران")
    # ant-france24-0384: a role with a complement, a comma, then the name and the verb's object
    body = ('من جانبه، دعا مبعوث الأمم المتحدة الخاص لعملية السلام في الشرق الأوسط، نيكولاي ملادينوف جميع '
            'الأطراف إلى "الابتعاد عن حافة الهاوية والعودة إلى الهدوء".')
    assert "ملادينوف" in speaker_of(body, "الابتعاد عن")
    # ant-france24-0212: the addressee (لآبي) is not the speaker
    body = ('وقال ترامب إن الهجرة مشكلة كبيرة لأوروبا. ثم قال لآبي "شينزو، لا توجد لديك هذه المشكلة، لكن '
            'يمكنني أن أرسل لك 25 مليون مكسيكي". وضحك شينزو آبي.')
    assert "لآبي" not in (dict(speakers(body)).get("شينزو، لا توجد لديك هذه المشكلة، لكن يمكنني أن أرسل لك 25 مليون مكسيكي") or "")


def test_a_role_given_to_an_unknown_name_refers_back_to_it():
    # ant-bbc-0179: الأميرة يوجيني، … then الأميرة alone
    body = ('لكن الأميرة يوجيني، حفيدة ملكة بريطانيا، أضافت بعدا جديدا.\n\nوقالت الأميرة: "خضعت لجراحة عندما كنت '
            'في الثانية عشرة، وسوف ترون ذلك الجمعة".')
    assert "يوجيني" in speaker_of(body, "خضعت لجراحة")
    # ant-france24-0164: the name, a comma, then the role; later وتابع الباحث
    body = ('غير أن مات هيربر، الباحث في المنظمة السويسرية، أكد أن الانخفاض توقف.\n\nوتابع الباحث أن "الكثير من '
            'الذين يركبون البحر" بحثا عن عمل يغادرون.')
    assert "هيربر" in speaker_of(body, "الكثير من")


def test_bodies_no_mention_covers_and_their_statements():
    # ant-france24-0338, ant-france24-0506: a body's head noun with definite words or a name
    body = ('وقالت وكالة الأنباء السودانية الرسمية إن المحادثات بين الرئيسين تناولت "سبل تعزيز العلاقات الثنائية '
            'بين البلدين والعديد من القضايا".')
    assert "وكالة الأنباء السودانية" in speaker_of(body, "سبل تعزيز")
    body = ('وفيما أعلنت السلطات فتح تحقيق في الحادث، ذكرت صحيفة ليبرتيه بأنه "حتى اليوم، بالكاد رشح شيء من '
            'التحقيقات" التي جرت.')
    assert "ليبرتيه" in speaker_of(body, "حتى اليوم")
    # snn-2015-07-21-00563: بيان من مكتب X: the office issued it
    body = ('قالت الرئاسة في جنوب أفريقيا إن الرئيس جاكوب زوما غادر المستشفى أمس. وذكر بيان من مكتب زوما: «الأطباء راضون عن نتيجة العملية، سيقضي الرئيس الأيام القليلة المقبلة في '
            'النقاهة».')
    assert "مكتب زوما" in speaker_of(body, "الأطباء راضون")


def test_an_object_after_the_verb_is_not_its_subject():
    # ant-alarabia-0296: واتهم الحوثيين (oblique plural: the object); وقال carries the last speaker
    body = ('وقال علي عبد الله صالح إن الحرب طالت.\n\nواتهم الحوثيين بترويج فكر طائفي دخيل على اليمنيين.\n\n'
            'وقال إن الحوثيين "اتوا بإسلام غير إسلام اليمنيين".')
    assert "صالح" in speaker_of(body, "اتوا بإسلام")


def test_words_attributed_to_someone_with_qawluh_are_theirs():
    # snn-2015-07-21-01150: نسب بيان … إلى شي قوله «…»: the statement relays, شي spoke
    body = ('وخلال لقاء مع جنود في مدينة تشانغتشون قال الرئيس الصيني شي جين بينغ إنه لا غموض في مكافحة الفساد. '
            'ونسب بيان صدر عن وزارة الدفاع في وقت متأخر أمس الأول الأحد إلى شي قوله «الضرر الذي تسبب فيه سلوك شو '
            'كاي هو والأنشطة التي تخالف القانون ضرر بالغ».')
    assert "شي" in speaker_of(body, "الضرر الذي").split()


def test_the_statement_as_subject_is_its_earlier_issuer():
    # snn-2015-08-01-00073: بيان صادر عن مكتب نتنياهو … وأضاف البيان أن «…»
    body = ('وجاء في بيان صادر عن مكتب نتنياهو، في أعقاب العملية: «يعبر رئيس الوزراء نتنياهو عن صدمته من حرق '
            'منزل عائلة دوابشة». ونقل المصابون إلى مستشفى رفيديا في نابلس. وأضاف البيان أن «الحكومة الإسرائيلية '
            'موحدة برفضها القاطع لأعمال شنيعة وسافلة كهذه».')
    assert "مكتب نتنياهو" in speaker_of(body, "الحكومة الإسرائيلية موحدة")


def test_subject_between_a_complementizer_and_its_verb():
    # ant-bbc-0423: فإن ريبريف تقول إن "…"
    body = ('وبالمثل، فعلى الرغم من أن العفو الدولية سجلت أكثر من 567 إعداما في إيران، وريبريف وثقت أكثر من 534 '
            'إعداما، فإن ريبريف تقول إن "العدد الحقيقي للإعدامات أكبر من ذلك، لأن الحكومة تخفي الأرقام".')
    assert "ريبريف" in speaker_of(body, "العدد الحقيقي")


def test_kinship_roles_and_wahuwa_end_a_name():
    # ant-bbc-0195: a relative named after the kinship word
    body = 'وقالت عمة الشاب كلوديا رويز، لمحطة تليفزيون محلية:"طلبت منه ألا يفعل ذلك".'
    assert "كلوديا رويز" in speaker_of(body, "طلبت منه")
    # ant-skynews-0770: وهو after the name ends it; وأضاف carries it
    body = ('وقال غريغ دوسو وهو باحث في جامعة تكساس بمدينة دالاس، لم يشارك في الدراسة، إن برودة الطقس قد تكون '
            'سببا.\n\nوأضاف في رسالة عبر البريد الإلكتروني "يبدو أن عوامل الضغط أو تغيير الأنماط العادية من '
            'مسببات هجمات الصداع".')
    assert "دوسو" in speaker_of(body, "يبدو أن عوامل")


def test_a_body_is_shown_with_the_short_form_bracketed_after_it():
    # ant-bbc-0591: the source is cited by either form
    body = 'وقالت حركة المقاومة الإسلامية (حماس) إن القرار "تصعيد خطير ضد الشعب الفلسطيني"، بحسب رويترز.'
    assert speaker_of(body, "تصعيد خطير") == "حركة المقاومة الإسلامية (حماس)"


def test_a_bare_verb_in_a_sentence_with_a_subject_is_that_subjects():
    # ant-france24-0338: وكان البشير قد توجه … وصرح أن "…"
    body = ('زار السيسي الخرطوم أمس.\n\nوكان البشير قد توجه إلى القاهرة عشية الانتخابات الرئاسية في مصر وصرح أن '
            'اختياره توقيت الزيارة "يؤكد أننا مع استقرار مصر ومع دعم الرئيس السيسي لأننا عرفناه".')
    assert "البشير" in speaker_of(body, "يؤكد أننا")
    # ant-bbc-0040: كما أن ترامب أثار … عندما قال إنه يجب أن "…"
    body = ('وقالت الكاتبة مارغريت آتوود إن الرواية مهمة. كما أن ترامب أثار قلق الكثير من النشطاء في مجال تقنين '
            'الإجهاض عندما قال إنه يجب أن "يطبق نوع من أنواع العقاب" على النساء.')
    assert "ترامب" in speaker_of(body, "يطبق نوع")


def test_a_family_name_in_nisba_form_ends_the_name():
    # ant-france24-0017: العتيري is a family name (a relation adjective that is no nationality)
    body = ('وقالت شيراز العتيري مديرة المركز الوطني للسينما والصورة، والمتواجدة يومها لدعم الفاكتوري "تميزت '
            'السينما التونسية في السنوات القليلة الأخيرة بجرأتها".')
    assert speaker_of(body, "تميزت السينما") == "شيراز العتيري"


def test_a_definite_unnamed_source_refers_back_across_synonyms():
    # ant-cnn-0645: الناطق … then وتابع المتحدث
    body = ('ونقلت وكالة الأنباء السودانية الرسمية على لسان الناطق باسم الخارجية السودانية قوله في بيان: "منذ مطلع '
            'شهر رمضان بدأت بعض القنوات عرض مسلسل مصري".\n\nوتابع المتحدث قائلا: "إن هذا المسلسل المسيء للمواطنين '
            'المصريين القادمين والمقيمين".')
    assert "الناطق باسم الخارجية السودانية" in speaker_of(body, "إن هذا المسلسل")


def test_a_name_after_an_abbreviated_title():
    # snn-2015-07-23-00615: وزير النفط د. علي النعيمي (علي the given name, not the preposition)
    body = ('وهذا ما أكد عليه وزير النفط د. علي النعيمي في وقت سابق بقوله: "إن المملكة ستصبح قوة عالمية في مجال '
            'الطاقة"، وبين التقرير أن الطلب يرتفع.')
    assert "النعيمي" in speaker_of(body, "إن المملكة")


def test_a_kinship_role_alone_refers_back_to_the_person_of_its_gender():
    # ant-bbc-0178 (a corpus article outside the labelled sets): وقالت الأم after her son spoke
    body = ('وردت تشاريتي قائلة: "ماذا تعني؟".\n\nوقال باريس: "كنت دائما تقولين إنه لو قام أي شخص بإيذاء أبنائك، '
            'فإن هذه ستكون هي الحالة الوحيدة".\n\nوقالت الأم: "لم يكن يسألني كما لو كان خائفاً، بلك كان يبدو أنه '
            'يتحداني."')
    assert speaker_of(body, "لم يكن يسألني") == "تشاريتي"


def test_a_role_after_an_unknown_two_word_name_ends_it():
    # snn-2015-07-21-02139 (a corpus sentence): جريج آبوت | حاكم ولاية تكساس
    body = ('وقال جريج آبوت حاكم ولاية تكساس في تصريحات صحفية «أصبح واضحا أنه يتعين أن يكون بوسع أفراد قواتنا '
            'المسلحة الدفاع عن أنفسهم».')
    assert speaker_of(body, "أصبح واضحا") == "جريج آبوت"


def test_a_family_name_alone_before_a_preposition_is_the_subject():
    # snn-2015-08-08-00875 (a corpus sentence): ورد الخلافي على رسالة البحر بالقول "…"
    body = 'ورد الخلافي على رسالة البحر بالقول "لست ولي دماء الشهداء، حتى أعطيك الأمان".'
    assert speaker_of(body, "لست ولي") == "الخلافي"


def test_a_negated_clause_after_the_verb_is_never_its_subject():
    # snn-2015-07-21-01230 (a corpus sentence): أكد لا يوجد موعد محدد
    body = ('وعن مواعيد الحجز أكد لا يوجد موعد محدد وهناك رقم جوال موجود على بوابة الاستراحة.\n\nوفى لقاء مع بعض '
            'الشباب داخل إحدى الاستراحات قال: «كل عام في العيد نستأجر هذه الاستراحة».')
    assert [t for t, _ in speakers(body)] == ["كل عام في العيد نستأجر هذه الاستراحة"]
    assert all("لا يوجد" not in (s or "") for _, s in speakers(body))


def test_a_statement_given_by_someone_and_an_outlet_it_was_given_to():
    # ant-cnn-0166: جاء ذلك في مقابلة لنصر …، قائلا: the interview is Nasr's
    body = ('وقال نصر إن ترامب أهان الوطنية لدى الإيرانيين.\n\nجاء ذلك في مقابلة لنصر مع الزميلة بيكي اندرسون لـCNN '
            'حيث رد على من يتغنى بنجاح سياسة ترامب الخارجية، قائلا: "القوى الإقليمية فيما يتعلق بكوريا الشمالية '
            'كانت مؤيدة للمحادثات."')
    assert "نصر" in speaker_of(body, "القوى الإقليمية")
    # ant-bbc-0053: وأضاف في تصريحات لنيوزبيتس: the outlet is the addressee, the speaker carried
    body = ('وظهر فراسر ماكدونالد، مستخدم فاعل على يوتيوب، في الحلقة الأولى من المسلسل، واصفا العمل بأنه "فرصة '
            'لتغيير المسار المهني".\n\nوأضاف في تصريحات لنيوزبيتس: "حصلت على 70 ألف متابع، ومعنى ذلك أن هناك زيادة '
            'في الأموال".')
    assert "نيوزبيتس" not in speaker_of(body, "حصلت على")
    # ant-cnn-0484 (a corpus sentence): a statement named before a bare verb (حيث قال) is its speaker's
    body = ('جاء ذلك في تغريدة للأحمر على صفحته بموقع التواصل الاجتماعي، تويتر، حيث قال: "إن الاعتداءات الحوثية '
            'الإيرانية على عاصمة ومدن المملكة العربية".')
    assert speaker_of(body, "إن الاعتداءات") == "الأحمر"


def test_manner_and_time_words_and_honorifics_are_not_part_of_a_name():
    # snn-2015-07-2x corpus sentences: مازحا after the name, الأسبوع الماضي, رحمه الله
    body = 'وقال وزير الخارجية الأمريكي جون كيري مازحا في بداية أحد الاجتماعات في كوالالمبور «هذه العصا لها تاريخ».'
    assert "مازحا" not in speaker_of(body, "هذه العصا") and "كيري" in speaker_of(body, "هذه العصا")
    body = ('عن النبي صلى الله عليه وسلم في الحديث الذي رواه الإمام البخاري رحمه الله: «من حمل علينا السلاح '
            'فليس منا».')
    assert "رحمه" not in speaker_of(body, "من حمل علينا")


def test_words_after_the_verb_that_are_not_its_subject():
    # ant-bbc-0101: a day and its adjective (الثلاثاء الماضي) between the verb and the quote; the subject before
    body = ('وكان ماسك قد قال الثلاثاء الماضي إن سحب أسهم تيسلا من البورصة الأمريكية ربما "يكون المسار الأمثل '
            'لتقدم الشركة".')
    assert speaker_of(body, "يكون المسار") == "ماسك"
    # ant-skynews-0655: a manner adverb (متحديا) after a bare verb: the speaker is carried
    body = ('وقال حبيب، والابتسامة تعلو وجهه في التسجيل "هيا يا فلويد.. يجب أن نخوض نزالا الآن".\n\nوأضاف متحديا '
            '"50 نزالا دون خسارة مقابل 27 نزالا دون خسارة.. شخصان لم يتعرضا للخسارة".')
    assert speaker_of(body, "50 نزالا") == speaker_of(body, "هيا يا فلويد")
    # ant-france24-0429 (train): a participle with its object (مخاطبا الرئيس تالون): the addressee is not the speaker
    body = ('وأكد ماكرون بشأن هذه الممتلكات "تعهدت بأن تتوفر خلال خمس سنوات ظروف إعادة مؤقتة"، وتابع مخاطبا '
            'الرئيس تالون "أتمنى أيضا أن نتمكن من العمل من الآن معكم".')
    assert "تالون" not in speaker_of(body, "أتمنى أيضا")
    # ant-cnn-0406: a noun with a pronoun (حديثه) after the name is not part of it
    body = ('وأكد أوغلو أن التحقيق سيشمل منزل العتيبي.\n\nوتابع أوغلو حديثه عن قضية خاشقجي قائلا: "من المهم جدا '
            'أن تسير التحقيقات دون عقبات".')
    assert "حديثه" not in speaker_of(body, "من المهم جدا")


def test_an_outlet_with_a_glued_preposition_is_spoken_to():
    # snn-2015-08-01-00005 (train): وقال لرويترز: the agency is the addressee, never the speaker
    body = ('وقال احد افراد العائلة “مولاي جلال الدين حقاني بات بدون شك هرما ويعاني أمراضا مختلفة.”\n\nلكن شخصا '
            'آخر في العائلة قال إن التقارير صحيحة. وقال لرويترز إن حقاني “توفي نتيجة نزيف في المخ قبل عام ونصف '
            'العام.”')
    assert "رويترز" not in speaker_of(body, "توفي نتيجة")
    # ant-bbc-0059: a spokesman speaking to a quoted paper is the spokesman
    body = 'وقال متحدث باسم الممثلة لصحيفة "يو إس ايه توداي" إن "فران والأوسكار قد اجتمع شملهما في سعادة".'
    assert speaker_of(body, "فران والأوسكار") == "متحدث باسم الممثلة"


def test_a_kin_or_role_with_a_possessive_before_the_name():
    # ant-alarabia-0225: محاميتها + name; the role alone later refers back to her
    body = ('وقالت محاميتها عزه محمد أحمد لفرانس برس "اكملت ستة أشهر في السجن واليوم جلدت 75 مرة".\n\nوأضافت '
            'المحامية "بعد أن تزوجت الرجل عاشا سويا لمدة عام".')
    assert speaker_of(body, "اكملت ستة") == "عزه محمد أحمد"
    assert speaker_of(body, "بعد أن تزوجت") == "عزه محمد أحمد"
    # a counterpart and his nationality before the name
    body = 'وقال نظيره الروسي سيرغي لافروف إن "العلاقات بين البلدين جيدة جدا".'
    assert "لافروف" in speaker_of(body, "العلاقات بين")
    # alarabia-0296 (train): a complementizer with a pronoun (أنهم) is no possessive noun
    body = ('ودعا صالح اليمنيين إلى انتفاضة شعبية عارمة ضد ميليشيات الحوثي، وأكد أنهم سبب تدخل التحالف العربي.\n\n'
            'وأضاف: "الحوثيون هم سبب الحرب والدمار وتردي الأوضاع".')
    assert "سبب" not in (speakers(body)[0][1] or "")


def test_roles_and_names_that_follow_them():
    # ant-bbc-0677: an assistant's role, then her name between commas (not the chief named before)
    body = ('وقال قائد الشرطة، مارك روبرتس، إن قواته تدخلت في "عدد قياسي من الحوادث".\n\nوقالت مساعدة قائد '
            'الشرطة، لويزة روفل، إن "كرة القدم لا تسبب العنف الأسري، ولكن هذه الأرقام تبين".')
    assert speaker_of(body, "كرة القدم") == "لويزة روفل"
    # snn-2015-08-06-00209: two coordinated roles, then the name
    body = ('قالت المحامية وناشطة حقوق الإنسان الإيرانية ليلى علي أكرمي لـ«الشرق الأوسط»، إن «السلطة القضائية لم '
            'تتعامل مع الملف بصورة قانونية».')
    assert speaker_of(body, "السلطة القضائية") == "ليلى علي أكرمي"
    # ant-skynews-0516: a given name and a surname in ة before a comma
    body = ('وكشف المعارض أكرم طعمة، رئيس الحكومة المؤقتة السابق التابعة للمعارضة، في تصريحه للصحيفة "اتفقنا '
            'جميعًا على أن يغادر الشباب وأن يبقى كبار السن. تأكدنا من سلامة الرجال".')
    assert speaker_of(body, "اتفقنا جميعًا") == "أكرم طعمة"
    # ant-cnn-0726: a noun in ة after a name is not its surname
    body = ('نشر رودريغيز صورة بينما كان يقف أمام الطائرة، وكتب تحت الصورة: "شكراً إسرائيل يا أصدقائي '
            'الأعزاء".')
    assert speaker_of(body, "شكراً إسرائيل") == "رودريغيز"
    # ant-skynews-0590: البالغ (من العمر) ends the role, which refers back to the player named before
    body = ('أعلن لاعب وسط المنتخب الأرجنتيني لكرة القدم خافيير ماسكيرانو اعتزاله اللعب دوليا.\n\nوقال اللاعب '
            'البالغ 34 عاما في حديث لشبكة "تي واي سي" الأرجنتينية "حان الوقت لأقول وداعا. من الآن فصاعدا".')
    assert "ماسكيرانو" in speaker_of(body, "حان الوقت")
    # ant-bbc-0186: the object after the role's adjectives is not part of it
    body = 'ومن جهته، وصف رئيس الوزراء الهندي الحادث بأنه "موجع للقلب ومؤلم جدا".'
    assert speaker_of(body, "موجع للقلب") == "رئيس الوزراء الهندي"


def test_names_the_entity_pass_may_miss():
    # ant-alarabia-0130: a surname alone after the full name was quoted; a name starting with و
    body = ('وقال المسؤول في وزارة التجارة الصينية وانغ هيجون في بيان صدر للرد على التقرير الأميركي: "في حال أثر '
            'قرار الولايات المتحدة النهائي على مصالح الصين، سنتخذ الإجراءات".\n\nوأشار التقرير الأميركي إلى '
            'المخاوف جراء الإفراط في الإنتاج الصيني. لكن وانغ اعتبر أن النتائج التي توصلت إليها تحقيقات وزارة '
            'التجارة "لا أساس لها ولا تتماشى مع الواقع".')
    assert "وانغ" in speaker_of(body, "لا أساس لها")
    # snn-2015-08-06-02290: a foreign given name that starts like ف + ال (فاليري)
    body = ('وقال فاليري بيرال، وهو أستاذ بجامعة أكسفورد في بريطانيا شارك في الإشراف على الدراسة: “الأثر القوي '
            'لموانع الحمل التي تؤخذ عن طريق الفم”.')
    assert speaker_of(body, "الأثر القوي") == "فاليري بيرال"
    # ant-cnn-0449: علي after the verb is the given name, not the preposition على
    body = 'وقال علي أكبر ولايتي مستشار المرشد الإيراني علي خامنئي إن "الحكومة البريطانية مقصرة في الاعتداء".'
    assert speaker_of(body, "الحكومة البريطانية") == "علي أكبر ولايتي"
    # ant-bbc-0003: a woman's name in ة right before the quote
    body = 'تقول تالة "العبء الأكبر يقع على معدّ الحلقات في توصيل المشاعر للمشاهد".'
    assert speaker_of(body, "العبء الأكبر") == "تالة"


def test_subjects_a_sentence_names_before_its_verb():
    # ant-skynews-0617: a nationality alone is the player named after it before
    body = ('أعلن نادي تشلسي الإنجليزي، الجمعة، تمديد عقد جناحه الإسباني بدرو رودريغيز لعام إضافي، حتى 2020.\n\n'
            'وأعرب الإسباني، البالغ من العمر 31 عاما، عن سعادته بمواصلة مشواره مع الـ"بلوز"، قائلا "إنه أمر جيد '
            'جدا بالنسبة لي، أنا حقا سعيد هنا".')
    assert speaker_of(body, "إنه أمر جيد") == "بدرو رودريغيز"
    # snn-2015-07-21-02467: an unlisted verb (عبر) opening the sentence after من جانبه
    body = ('من جانبها، أكدت إدارة النادي عبر بيان أصدرته مساء أمس حول الاستفسارات. من جانبه، عبر اللاعب البرازيلي '
            'إلتون الميدا عن سعادته بالتوقيع مع نادي الهلال، مضيفا «كنت متشوقا إلى رؤية الفريق وأصدقائي '
            'اللاعبين».')
    assert "الميدا" in speaker_of(body, "كنت متشوقا")
    # ant-france24-0308: أما X فقد + verb: the topic, not the object after the verb
    body = ('أما إدين هازارد قائد منتخب "الشياطين الحمر" فقد انتقد أداء خصومه بشدة، قائلا "أفضل الهزيمة بأسلوب '
            'لعب هذا الفريق البلجيكي".')
    assert speaker_of(body, "أفضل الهزيمة") == "إدين هازارد"


def test_a_speaker_name_never_runs_on_into_a_day():
    # ant-france24-0677: the entity pass ran the ministry's name into الخميس
    body = ('وقالت وزارة العدل الإسرائيلية الخميس إن النيابة قدمت لائحة. وقالت الوزارة في بيان لها إن "نيابة منطقة '
            'القدس قدمت لائحة اتهام بحق زوجة رئيس الوزراء".')
    assert "الخميس" not in speaker_of(body, "نيابة منطقة")


def test_a_surname_alone_finds_the_full_name_written_before():
    # ant-alarabia-0105: أمين الناصر named with his role (the entity pass missed him), then قال الناصر
    body = ('وخلال أعمال الجلسة الثانية من المنتدى قال الرئيس التنفيذي لشركة أرامكو أمين الناصر، إن الشركة ستنهي '
            'إجراءات الإدراج.\n\nوفيما يتعلق باستراتيجية أرامكو، قال الناصر "سنحافظ على قيادة استخراج النفط '
            'والغاز، وسنضاعف إنتاج الغاز".')
    assert speaker_of(body, "سنحافظ على") == "أمين الناصر"
