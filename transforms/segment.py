"""Page anatomy: one record's text → headline, subheadline, header lines, dateline, body paragraphs.

A scraped page reads top to bottom as: chrome (tickers, menus) · headline · header zone · body · chrome
(share prompts, teasers, comments). The header zone is everything between the headline and the first body
paragraph; each of its lines is one of

* a date/update stamp (``آخر تحديث …``, ``03 أيلول 2016 ق. د/ الوكالات``) → ``header_lines``;
* a dateline or byline line (``موسكو-سانا``, ``ق. د/ الوكالات``, ``لندن: رنيم حنوش``) → ``header_lines``
  (and ``dateline_text`` / ``byline``);
* a repeat of the headline, possibly shortened → dropped;
* a standfirst: the first sentence-like line after the headline when header material still separates it
  from the body, or a medium line (a kicker) before the body → ``subheadline``;
* a section label (≤ 4 words, no sentence end) or an image caption (a medium line that is not a sentence,
  once the subheadline is taken) → dropped.

The body starts at the first paragraph shaped like body text (long, or a full sentence); a dateline glued to
its start (``الرياض - واس - أكد …``) is cut into ``dateline_text``. Position-free chrome
(:func:`transforms.clean.chrome_mask`) is removed everywhere first.

Feed records (``title`` given: the text is already the article body) keep every line as body except a
leading date stamp, byline or dateline, which go to the header as above.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from transforms import appended
from transforms.clean import (
    chrome_mask,
    clean_text,
    cut_inline_tail,
    has_section_word,
    is_body_sentence,
    is_duplicate_title,
    is_label_line,
    split_paragraphs,
    strip_section_prefix,
)
from transforms.dateline import (
    classify,
    looks_like_byline,
    parse_byline,
    pen_name,
    signature_name,
    split_dateline,
)
from transforms.dates import is_date_stamp
from transforms.normalize import fold_paragraph, paragraph_key

# The header zone is short: if no body-shaped paragraph shows up within this many lines after the headline,
# the page has no header zone worth the name (a poem, a list) and everything after the headline is body.
_HEADER_LOOKAHEAD = 8
_FEED_HEADER_LINES = 3  # leading lines of a feed body that may still be stamps/bylines/datelines
_SUBHEAD_MIN_WORDS = 5
_KICKER_MAX_WORDS = 12


@dataclass
class PageParts:
    """The parts of one article's text; ``body_paragraphs`` are clean (chrome and header removed)."""

    headline: str | None
    subheadline: str | None = None
    header_lines: list[str] = field(default_factory=list)
    dateline_text: str | None = None
    body_paragraphs: list[str] = field(default_factory=list)
    byline: str | None = None
    credit_lines: list[str] = field(default_factory=list)  # "فرانس24/ أ ف ب": cut from the body, read for the agency


def _person_line(line: str) -> bool:
    """A header line that is only a person's name (a columnist's byline), not a section label."""
    if has_section_word(line) or len(line.split()) > 5:
        return False
    return classify(line)[0] == "person"


class _Header:
    """Accumulates what the header zone yields."""

    def __init__(self, signed: bool = True) -> None:
        self.lines: list[str] = []
        self.dateline: str | None = None
        self.byline: str | None = None
        self.signed = signed  # the page may carry its writer's signature as a bare name (no byline field)

    def add_byline_line(self, line: str) -> None:
        self.lines.append(line)
        got = parse_byline(line)
        if self.dateline is None and (got.place or got.agency):
            self.dateline = line
        if self.byline is None and got.author:
            self.byline = line

    def take_meta(self, line: str, allow_person: bool) -> bool:
        """Consume a stamp / dateline / byline line; True if it was one."""
        if looks_like_byline(line):
            self.add_byline_line(line)
            return True
        if is_date_stamp(line):
            self.lines.append(line)
            return True
        if allow_person and _person_line(line):
            self.lines.append(line)
            self.byline = self.byline or line
            return True
        return False

    def take_signature(self, line: str) -> bool:
        """Consume a writer's signature line (a name alone, ``سلوى سعد – متابعات``); True if it was one."""
        name = signature_name(line) if self.signed else None
        if name is None:
            return False
        self.lines.append(name)
        self.byline = self.byline or line
        return True

    def cut_glued(self, paragraph: str) -> str:
        """Cut a dateline glued to the first body paragraph; returns what is left of the paragraph."""
        dl, rest = split_dateline(paragraph)
        if dl is None:
            return paragraph
        self.lines.append(dl)
        if self.dateline is None:
            self.dateline = dl
        if self.byline is None and parse_byline(dl).author:
            self.byline = dl
        return rest


def _content_lines(text: str) -> tuple[list[str], list[str]]:
    """The page's lines without chrome, and the chrome lines (a disclaimer may hold the byline)."""
    raw = split_paragraphs(clean_text(text))
    # folded once, shared by the chrome rules (and remembered: the article's body_norm folds them again)
    folded = [fold_paragraph(p) for p in raw]
    lines = [cut_inline_tail(p, f) for p, f in zip(raw, folded, strict=True)]
    mask = chrome_mask(lines, [f if p is q else fold_paragraph(q) for p, q, f in zip(raw, lines, folded, strict=True)])
    return [p for p, m in zip(lines, mask, strict=True) if not m and p], [p for p, m in zip(lines, mask, strict=True) if m]


def split_page(text: str, title: str | None = None, byline: str | None = None) -> PageParts:
    """Split a record's text into its parts; ``title`` given means a feed record (text is the body).

    ``byline``: the record's own byline field, when it has one; a page without one may sign the article with
    the writer's name alone on its first or last line (``فهيم الحامد``), which then is its byline.

    >>> p = split_page("الشريط الإخباري\\n\\nلافروف: التعاون ممكن\\n\\nموسكو-سانا\\n\\nأعلن وزير الخارجية الروسي سيرغي لافروف أن التعاون ممكن.")
    >>> p.headline, p.dateline_text, p.body_paragraphs
    ('لافروف: التعاون ممكن', 'موسكو-سانا', ['أعلن وزير الخارجية الروسي سيرغي لافروف أن التعاون ممكن.'])
    >>> f = split_page("الرياض - واس - أكد وزير الصحة أن الموسم خال من الأوبئة.", title="وزير الصحة: الموسم خال")
    >>> f.headline, f.dateline_text, f.body_paragraphs
    ('وزير الصحة: الموسم خال', 'الرياض - واس', ['أكد وزير الصحة أن الموسم خال من الأوبئة.'])
    """
    lines, chrome = _content_lines(text)
    signed = not (byline and byline.strip())
    if title is not None:
        parts = _split_feed(lines, _title_text(title), signed)
    else:
        parts = _split_html_page(lines, signed)
    pen = next((name for name in map(pen_name, chrome) if name), None) if chrome else None
    if pen is not None:  # "هذا المقال بقلم …، والآراء الواردة …": the disclaimer is chrome, its byline is not
        parts.header_lines.append(pen)
        parts.byline = parts.byline or pen
    return parts


def _title_text(title: str) -> str | None:
    """A feed's title field as a headline: one line, HTML entities decoded, no section label before it.

    >>> _title_text("&quot;أوباما&quot;: 99% من العالم يوافقون"), _title_text("عام / مقتل العشرات من تنظيم داعش في العراق")
    ('"أوباما": 99% من العالم يوافقون', 'مقتل العشرات من تنظيم داعش في العراق')
    """
    text = clean_text(html.unescape(title) if "&" in title else title).replace("\n", " ").strip()
    return strip_section_prefix(text) or None


def _split_feed(lines: list[str], headline: str | None, signed: bool = True) -> PageParts:
    head = _Header(signed)
    i = 0
    # paragraph_key == match_key (from the folds remembered by _content_lines); the headline's key once
    key = paragraph_key(headline) if headline else None
    subheadline: str | None = None
    while i < len(lines) and i < _FEED_HEADER_LINES:
        line = lines[i]
        if (headline and paragraph_key(line) == key) or head.take_meta(line, allow_person=False) \
                or (not is_body_sentence(line) and head.take_signature(line)):
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (subheadline is None and not is_body_sentence(line) and 0 < len(line.split()) <= _KICKER_MAX_WORDS
                and (looks_like_byline(nxt) or (signed and signature_name(nxt)))):
            subheadline = line  # a kicker above the byline: "كواك بمفرده يمثل الملاعب السعودية في المونديال"
            i += 1
            continue
        break
    body = lines[i:]
    if body:
        first = head.cut_glued(body[0])
        body = ([first] if first else []) + body[1:]
    body, credits = _article_only(body, head, headline)
    return PageParts(headline=headline, subheadline=subheadline, header_lines=head.lines,
                     dateline_text=head.dateline, body_paragraphs=body, byline=head.byline, credit_lines=credits)


def _article_only(body: list[str], head: _Header, headline: str | None) -> tuple[list[str], list[str]]:
    """The body without what the page inserted or appended (:mod:`transforms.appended`) and without a writer's
    signature on its last line (which goes to ``head``), and its credit lines."""
    body, credits = appended.split_credits(body)
    body = [p for i, p in enumerate(body) if i == 0 or not appended.is_teaser_link(p)]
    body = [p for p, related in zip(body, appended.related_titles(body), strict=True) if not related]
    body = body[:appended.appended_start(body, headline)]
    if len(body) >= 2 and head.take_signature(body[-1]):
        body = body[:-1]
    return body, credits


def _split_html_page(lines: list[str], signed: bool = True) -> PageParts:
    head = _Header(signed)
    i = 0
    # Leading stamps/bylines before the headline (some dumps put the date first).
    while i < len(lines) and not is_body_sentence(lines[i]) and head.take_meta(lines[i], allow_person=False):
        i += 1
    if i >= len(lines):
        return PageParts(headline=None, header_lines=head.lines, dateline_text=head.dateline, byline=head.byline)
    headline = lines[i]
    i += 1
    window = lines[i:i + _HEADER_LOOKAHEAD]
    if not any(is_body_sentence(x) for x in window):
        key = paragraph_key(headline)
        body = [x for x in lines[i:] if paragraph_key(x) != key]
        return PageParts(headline=headline, header_lines=head.lines, dateline_text=head.dateline,
                         body_paragraphs=body, byline=head.byline)
    subheadline: str | None = None
    meta_seen = False
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if is_duplicate_title(line, headline):
            i += 1
            continue
        if head.take_meta(line, allow_person=not is_body_sentence(line)):
            meta_seen = True
            i += 1
            continue
        if is_body_sentence(line):
            # A standfirst: sentence-like, right under the headline, and header material (a caption, a
            # label, a stamp, a dateline) still stands between it and the body.
            if (subheadline is None and not meta_seen and nxt is not None and not is_body_sentence(nxt)
                    and split_dateline(line)[0] is None
                    and any(is_body_sentence(x) for x in lines[i + 1:i + 1 + _HEADER_LOOKAHEAD])):
                subheadline = line
                i += 1
                continue
            break
        if is_label_line(line):
            i += 1  # a section label or kicker
            continue
        if subheadline is None and len(line.split()) >= _SUBHEAD_MIN_WORDS:
            subheadline = line
        # else: an image caption
        i += 1
    key = paragraph_key(headline)
    body = [x for x in lines[i:] if paragraph_key(x) != key]
    if body:
        first = head.cut_glued(body[0])
        body = ([first] if first else []) + body[1:]
    body, credits = _article_only(body, head, headline)
    return PageParts(headline=headline, subheadline=subheadline, header_lines=head.lines,
                     dateline_text=head.dateline, body_paragraphs=body, byline=head.byline, credit_lines=credits)
