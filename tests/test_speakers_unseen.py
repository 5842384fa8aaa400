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
