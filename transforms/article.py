"""One raw record → one article row plus its quotes, mentions and entities.

This is the composition of the page-anatomy, date, entity and quote transforms; every rule lives in
those modules, this one only wires them and shapes rows for the warehouse schemas.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter

from transforms import dateline, dates, entities, outlets, quotes, segment
from transforms.arabic.chars import ARABIC_SCRIPT_RUN_RE
from transforms.clean import clean_text, join_paragraphs
from transforms.normalize import normalize_for_search, normalize_paragraphs
from transforms.types import Dateline, DateResult, Entity, Extracted, Mention, Quarantined, RawRecord

_LATIN = re.compile(r"[A-Za-z]+")
_WORD = re.compile(r"\w+")
# The same counts on the UTF-8 bytes (see _language_utf8): U+0600–U+06FF are the characters with lead byte
# D8–DB (never a continuation byte), and [A-Za-z] are those bytes themselves.
_NOT_ARABIC_LEAD = bytes(b for b in range(256) if not 0xD8 <= b <= 0xDB)
_NOT_LATIN = bytes(b for b in range(256) if not (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A))
MIN_BODY_CHARS = 1


def article_id_for(source_file: str, source_record: int) -> str:
    """Stable id of the article at a place in the landing folder.

    >>> article_id_for("a.txt", 0) == article_id_for("a.txt", 0) != article_id_for("a.txt", 1)
    True
    """
    return hashlib.sha256(f"{source_file}#{source_record}".encode()).hexdigest()[:20]


def detect_language(text: str) -> str:
    """``ar`` when Arabic letters dominate, ``en`` for Latin, else ``und``.

    >>> detect_language("قال الرئيس"), detect_language("Hello world"), detect_language("123")
    ('ar', 'en', 'und')
    """
    ar = sum(map(len, ARABIC_SCRIPT_RUN_RE.findall(text)))  # runs: no list entry per letter
    la = sum(map(len, _LATIN.findall(text)))
    return _language(ar, la)


def _language(ar: int, la: int) -> str:
    if ar == la == 0:
        return "und"
    return "ar" if ar >= la else "en"


def _language_utf8(text: str, raw: bytes) -> str:
    """``detect_language(text)`` from ``raw = text.encode("utf-8")``: byte counting, no regex pass.

    >>> all(_language_utf8(t, t.encode()) == detect_language(t) for t in ("قال الرئيس", "Hello", "1", "ﻻ abc"))
    True
    """
    if b"\xdd" in raw or b"\xef" in raw:
        # U+0740–U+077F or U+F000–U+FFFF (which hold the other Arabic ranges) present: count with the regexes
        return detect_language(text)
    return _language(len(raw.translate(None, _NOT_ARABIC_LEAD)), len(raw.translate(None, _NOT_LATIN)))


def word_count(text: str) -> int:
    """Words in a text (Arabic and Latin alike).

    >>> word_count("قال بوتين: نعم 2016")
    4
    """
    return len(_WORD.findall(text))


def _merge(primary: Dateline, fallback: Dateline) -> Dateline:
    return Dateline(place=primary.place or fallback.place, agency=primary.agency or fallback.agency,
                    author=primary.author or fallback.author,
                    outlet_domain=primary.outlet_domain or fallback.outlet_domain)


@dataclass(frozen=True)
class CleanPage:
    """One record's text cleaned and split into its parts (``clean_page``), before any field is extracted."""

    text: str
    parts: segment.PageParts
    headline: str
    body: str


def clean_page(rec: RawRecord) -> CleanPage | Quarantined:
    """Clean a record's text and split off the site chrome; a Quarantined when no body or headline is left.

    >>> page = clean_page(RawRecord("a.txt", 0, "txt", "الاتفاق قريب\\n\\nقال الوزير إن الاتفاق قريب.\\n\\nشارك على فيسبوك"))
    >>> page.headline, page.body
    ('الاتفاق قريب', 'قال الوزير إن الاتفاق قريب.')
    >>> clean_page(RawRecord("b.txt", 0, "txt", "   ")).reason_code
    'no_body'
    """
    text = clean_text(rec.text or "")
    if len(text.strip()) < MIN_BODY_CHARS:
        return Quarantined(rec.source_file, rec.source_record, "no_body", "the record has no text",
                           (rec.text or "").encode("utf-8"))
    parts = segment.split_page(text, title=None if rec.is_page else rec.title, byline=rec.author)
    headline = parts.headline or (clean_text(rec.title).strip() if rec.title else None)
    body = join_paragraphs(parts.body_paragraphs)
    if not body.strip():
        return Quarantined(rec.source_file, rec.source_record, "no_body", "nothing left after removing site chrome",
                           (rec.text or "").encode("utf-8"))
    if not headline:
        return Quarantined(rec.source_file, rec.source_record, "no_headline", "no title line or title field",
                           (rec.text or "").encode("utf-8"))
    return CleanPage(text, parts, headline, body)


def extract(rec: RawRecord, reference: date | None, now: datetime) -> Extracted | Quarantined:
    """All fields of one record; a Quarantined when the record has no usable body or headline."""
    page = clean_page(rec)
    return page if isinstance(page, Quarantined) else extract_fields(rec, page, reference, now)


def extract_fields(rec: RawRecord, page: CleanPage, reference: date | None, now: datetime) -> Extracted:
    """Datelines, outlet, dates, entities and quotes of a cleaned page."""
    text, parts, headline, body = page.text, page.parts, page.headline, page.body
    from_dateline = dateline.parse_dateline(parts.dateline_text) if parts.dateline_text else Dateline()
    from_header = dateline.parse_header_lines(parts.header_lines + parts.credit_lines)
    from_byline = dateline.parse_byline(rec.author) if rec.author else Dateline()
    dl = _merge(_merge(from_dateline, from_byline), from_header)
    if from_byline.author:  # the record's own byline field names its writer as the page prints the name
        dl = Dateline(place=dl.place, agency=dl.agency, author=from_byline.author, outlet_domain=dl.outlet_domain)
    # dl.agency is as the page wrote it (فرانس برس); the outlet rules compare the agency's identity
    canonical = dateline.agency_canonical(dl.agency)
    outlet = outlets.resolve_outlet(rec.url, rec.source, text, rec.author, canonical) or dl.outlet_domain
    agency = None if outlets.is_own_name(canonical, outlet) else dl.agency
    byline = rec.author or parts.byline

    # The headline goes first: the date parser treats a date on the first line as the title's (an event).
    stamps = "\n".join([headline, *parts.header_lines, parts.dateline_text or ""])
    when = dates.resolve_publication_date(stamps, rec.date, reference, body)
    when = _not_in_future(when, now)

    mentions, ents = entities.extract_entities(body)
    # word_count(body) from the entity pass's tokens (memoised by analyze): Tokens.word_count says why it is equal
    n_words = entities.analyze(body).tokens.word_count()
    found_quotes = quotes.extract_quotes(body, mentions)
    named_mentions, named_entities = quotes.speaker_persons(body, found_quotes, ents)
    if named_mentions:  # the persons only the quotes name
        mentions = sorted([*mentions, *named_mentions], key=attrgetter("char_start"))
        ents = [*ents, *named_entities]
    quotes.link_named_speakers(found_quotes, mentions, ents)
    field_mentions = _mentions_outside_body(headline, parts.subheadline, _dateline_text(parts.dateline_text, dl.place))
    # normalize_for_search(body) from the paragraphs join_paragraphs joined (their folds are remembered)
    body_norm = normalize_paragraphs([p for p in (q.strip() for q in parts.body_paragraphs if q) if p])
    return Extracted(headline=headline, subheadline=parts.subheadline, byline=byline, author=dl.author,
                     dateline_place=dl.place, agency=agency, outlet_domain=outlet, date=when, body=body,
                     quotes=found_quotes, mentions=mentions, entities=_merge_entities(ents, field_mentions),
                     extra={"url": rec.url, "field_mentions": field_mentions, "word_count": n_words,
                            "body_norm": body_norm})


def _mentions_outside_body(headline: str | None, subheadline: str | None,
                           dateline_text: str | None) -> list[tuple[str, Mention, Entity]]:
    """Entities named only in the headline, standfirst or dateline ('هانغتشو-الصين-سانا') still belong to
    the article; their offsets are not into ``body``, so they are kept with the field they come from."""
    found = []
    for field_name, text in (("headline", headline), ("subheadline", subheadline), ("dateline", dateline_text)):
        if not text:
            continue
        ms, es = entities.extract_entities(text)
        by_id = {e.entity_id: e for e in es}
        found.extend((field_name, m, by_id[m.entity_id]) for m in ms)
    return found


def _dateline_text(dateline_text: str | None, place: str | None) -> str | None:
    """The dateline as the entity pass reads it: its own line, or the place the dateline parser found where
    that line was not split off (a dateline fused with the lede, a byline field's place).

    >>> _dateline_text(None, "أبوظبي"), _dateline_text("الرياض - واس", "الرياض")
    ('أبوظبي', 'الرياض - واس')
    """
    if not place or (dateline_text and place in dateline_text):
        return dateline_text
    return f"{dateline_text}\n{place}" if dateline_text else place


def _merge_entities(body_entities: list[Entity], field_mentions: list[tuple[str, Mention, Entity]]) -> list[Entity]:
    merged = {e.entity_id: e for e in body_entities}
    for _, _, e in field_mentions:
        if e.entity_id in merged:
            merged[e.entity_id].aliases = sorted(set(merged[e.entity_id].aliases) | set(e.aliases))
        else:
            merged[e.entity_id] = e
    return list(merged.values())


def _not_in_future(when: DateResult, now: datetime) -> DateResult:
    """A date more than a day ahead of the run is a parsing or site error, not a publication date."""
    limit = now + timedelta(days=1)
    if when.published_at is not None and when.published_at > limit:
        return DateResult(None, None, "none")
    if when.published_date is not None and when.published_date > limit.date():
        return DateResult(None, None, "none")
    return when


def build_rows(rec: RawRecord, run_id: str, ingested_at: datetime, reference: date | None,
               page: CleanPage | None = None):
    """Rows for the articles, quotes, mentions and entities tables, or a Quarantined record (``page``: the
    record's ``clean_page``, when the caller already has it)."""
    ex = extract(rec, reference, ingested_at) if page is None else extract_fields(rec, page, reference, ingested_at)
    if isinstance(ex, Quarantined):
        return ex
    aid = article_id_for(rec.source_file, rec.source_record)
    published_at = ex.date.published_at
    if published_at is not None:
        published_at = published_at.astimezone(UTC)
    raw = ex.body.encode("utf-8")
    extra = ex.extra
    article = {
        "article_id": aid, "source_file": rec.source_file, "source_record": rec.source_record,
        "content_sha256": hashlib.sha256(raw).hexdigest(),
        "outlet_domain": ex.outlet_domain, "headline": ex.headline, "subheadline": ex.subheadline,
        "byline": ex.byline, "author": ex.author, "dateline_place": ex.dateline_place, "agency": ex.agency,
        "agency_canonical": dateline.agency_canonical(ex.agency),
        "published_at": published_at, "published_date": ex.date.published_date, "date_source": ex.date.source,
        "body": ex.body,
        "body_norm": extra["body_norm"] if "body_norm" in extra else normalize_for_search(ex.body),
        "word_count": extra["word_count"] if "word_count" in extra else word_count(ex.body),
        "language": _language_utf8(ex.body, raw), "story_id": None, "near_duplicate_of": None,
        "url": rec.url, "run_id": run_id, "ingested_at": ingested_at,
    }
    quote_rows = [{"quote_id": f"{aid}-q{q.ordinal}", "article_id": aid, "ordinal": q.ordinal, "text": q.text,
                   "speaker": q.speaker, "speaker_entity_id": q.speaker_entity_id,
                   "char_start": q.char_start, "char_end": q.char_end} for q in ex.quotes]
    mention_rows = [{"article_id": aid, "entity_id": m.entity_id, "surface": m.surface, "field": "body",
                     "char_start": m.char_start, "char_end": m.char_end} for m in ex.mentions]
    mention_rows += [{"article_id": aid, "entity_id": m.entity_id, "surface": m.surface, "field": field_name,
                      "char_start": None, "char_end": None} for field_name, m, _ in ex.extra["field_mentions"]]
    entity_rows = [{"entity_id": e.entity_id, "canonical_name": e.canonical_name, "entity_type": e.entity_type,
                    "aliases": sorted(set(e.aliases))} for e in ex.entities]
    return article, quote_rows, mention_rows, entity_rows
