"""Who said it, on sentence shapes of outlets the training set holds few of: each test is a shape that the
resolver got wrong before its rule (transforms/speakers.py, transforms/quotes.py, seeds/entities/quotes.json)."""
from __future__ import annotations

from transforms.entities import extract_entities
from transforms.quotes import extract_quotes


def speakers(body: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(body, extract_entities(body)[0])]


def speaker_of(body: str, starts: str) -> str:
    hit = next(s for t, s in speakers(body) if t.startswith(starts))
    assert hit is not None, starts
    return hit


def test_a_statement_label_before_a_colon_is_no_name_for_the_quote():
    # a body's head noun, a colon, then the quote: the statement's words, not the body's name in quotes
    body = 'وجاء في بيان الوزارة: "مصر لن تقبل بأي تدخل في شؤونها".'
    assert speakers(body) == [("مصر لن تقبل بأي تدخل في شؤونها", "الوزارة")]
    body = 'وجاء في بيان لوزارة الخارجية: "مصر لن تقبل بأي تدخل في شؤونها".'
    assert "وزارة الخارجية" in speaker_of(body, "مصر لن")


def test_kana_subject_stands_before_the_verb_and_the_words_after_it_are_its_object():
    # ant-bbc-0298: وكان X قد وصف Y بـ"…": X described Y, the words are X's
    body = ('وكان الرئيس الأمريكي دونالد ترامب قد وصف رئيس وزراء كندا، جاستن ترودو ب"عدم النزاهة والضعف"، '
            'وسحب تأييده من البيان الختامي للقمة.')
    assert "ترامب" in speaker_of(body, "عدم النزاهة")
    # ant-france24-0717: the object after the verb, then a participle
    body = ('وقال ترامب إن إيران تهدد المنطقة. وكان روحاني قد هدد ترامب في وقت سابق الأحد في خطاب متلفز، '
            'قائلا: "لا تلعب بالنار لأنك ستندم".')
    assert "روحاني" in speaker_of(body, "لا تلعب")
    # ant-cnn-0498: no قد; a body named in the subject's apposition right before the verb
    body = ('وكان العقيد الركن تركي المالكي المتحدث باسم التحالف العربي قال، في مقابلة مع CNN، إن "تهريب '
            'السلاح لا يبدأ من إيران".')
    assert "المالكي" in speaker_of(body, "تهريب السلاح")


def test_kana_in_a_clause_or_far_from_the_verb_names_no_subject():
    # ant-france24-0185: ما إذا كان … is no sentence's subject; the bare verb carries ترامب
    body = ('وأكد ترامب إنه سيعرف في دقيقة واحدة ما إذا كان خير سيأتي من وراء القمة. وتابع في ختام قمة '
            'مجموعة السبع في كندا "أشعر أن كيم جونغ أون يريد أن يفعل شيئا رائعا لشعبه".')
    assert "ترامب" in speaker_of(body, "أشعر أن")
