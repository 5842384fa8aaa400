"""Direct quotations in an Arabic article body, what is not one, and who said them.

Quotes are found two ways:

* between quote marks of any style (``“…”``, ``"…"``, ``«…»``, ``„…“``), tolerating marks reversed or glued
  to words as scraped (``مجلة”المصلحة الوطنية”الامريكية”فيما …”``): each mark is read as opening or closing
  from the letters around it; marks inside a quote are nested quotes (part of the outer one); a quote left
  open runs to the end of its paragraph;
* a paragraph ``NAME: speech.`` (a person or role, a colon, then a full sentence) is a statement by NAME;
  ``وقال X في بيان: إن …`` without quotation marks is reported speech, not a quote.

Quoted text that is not speech is dropped (GUIDELINES, "Not quotes"): names in quotation marks (a known
entity, or a short phrase after a word like وكالة/صحيفة/تنظيم/تطبيق, a phrase starting with a body's head
noun, a name glossed in Latin letters or after a hashtag, a speaker label ``"القرعوطي": "…"``); titles of works,
programmes, campaigns and slogans after a title word (``بعنوان``، ``تحت شعار``، ``برنامج``); single words in scare
quotes; two words unless a reporting word introduces them (``وصفه بأنه "قمعي وخطير"``); anything in a
related-story or read-also line (``اقرأ أيضا: …``). The word lists are ``seeds/entities/quotes.json``.

Speakers are resolved by :mod:`transforms.speakers`; the short quoted names are handed to it, since a quoted
name can be the subject (``وتابع "القرعوطي": "…"``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from transforms import seeds
from transforms.arabic.chars import MARK_RE, WORD_RE
from transforms.arabic.morphology import ARTICLE, CONJUNCTIONS, PROCLITICS
from transforms.attribution import COMPLEMENTIZER, INSTITUTION, word_class
from transforms.entities import (  # noqa: F401  (VERB … ATTRIBUTION: this module's names too)
    ATTRIBUTION,
    PARTICIPLE,
    QUOTE_SHIFT,
    VERB,
    WEAK,
    Tokens,
    analyze,
    fold,
    proclitic_forms,
    reference,
    reporting_kinds,
    tokens_of,
)
from transforms.entities.matching import never_in_a_name, says_name
from transforms.entities.model import common_words as model_common_words
from transforms.entities.reference import entity_id
from transforms.entities.tokens import DEFINITE, NAME_NEXT, word_info
from transforms.speakers import SpeakerResolver
from transforms.types import Entity, Mention, Quote

# Every quote mark (transforms.arabic.chars.QUOTE_MARKS) by its style: straight, curly or low, guillemets.
_CLASS = {'"': "S", "“": "C", "”": "C", "„": "C", "‟": "C", "«": "G", "»": "G"}
# Group 2 runs from the first to the last non-space character after the colon: written greedy (``\S(?:.*\S)?``)
# rather than lazy (``\S.*?`` then ``\s*$``, which retries the end test after every character), same spans.
_COLON = re.compile(r"^\s*([^:\n\"“”«»]{2,80}?)\s*:\s*(\S(?:.*\S)?)\s*$")
_END_PUNCT = re.compile(r"[.!؟?…]\s*[\"”»“]?\s*$")
MAX_NAME_QUOTE_WORDS = 4
_CLOSING_PUNCT = ".!?؟…،"
# لـ"اليوم"، لـ"CNN بالعربية": a preposition glued to a quoted name (و" opens speech; بـ"الخطير والقمعي" after
# وصفه is a description, a single word after it a term)
_NAME_PREPOSITIONS = "لبك"


@dataclass(frozen=True)
class QuoteData:
    """The word lists that tell a quote from a name or a title (seeds/entities/quotes.json), folded."""

    media_heads: frozenset[str]  # nouns after which a short quoted phrase is a name (وكالة، تطبيق، برنامج)
    title_markers: tuple[tuple[str, ...], ...]  # phrases after which a quote is a title or a name (بعنوان)
    related_markers: tuple[tuple[str, ...], ...]  # openings of related-story lines (اقرأ أيضا)
    letter_names: frozenset[str]  # Latin letters spelled in Arabic (إف، بي، آي)


@cache
def quote_data() -> QuoteData:
    """The not-a-quote word lists, folded once.

    >>> fold("وكالة") in quote_data().media_heads
    True
    """
    q = seeds.quote_lists()
    phrases = lambda words: tuple(sorted({tuple(fold(w) for w in WORD_RE.findall(p)) for p in words},  # noqa: E731
                                         key=len, reverse=True))
    return QuoteData(frozenset(fold(x) for x in q["media_heads"]), phrases(q["title_markers"]),
                     phrases(q["related_story_markers"]), frozenset(fold(x) for x in q["latin_letter_names"]))


# Reporting-verb kinds of a token, as its flags carry them (transforms.entities.tokens.reporting_kinds).
_V, _P, _A = (bit << QUOTE_SHIFT for bit in (VERB, PARTICIPLE, ATTRIBUTION))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or MARK_RE.match(ch) is not None


def mark_role(line: str, p: int) -> str:
    """How the quote mark at ``line[p]`` reads from its neighbours: 'open', 'close' or 'amb'.

    A mark after a lone proclitic (و"جبهة) opens; one glued on both sides or spaced on both is ambiguous.

    >>> mark_role('قال "نعم" و"لا"', 4), mark_role('قال "نعم" و"لا"', 8), mark_role('قال "نعم" و"لا"', 11)
    ('open', 'close', 'open')
    """
    prev = line[p - 1] if p > 0 else " "
    nxt = line[p + 1] if p + 1 < len(line) else " "
    left = _is_word_char(prev)
    if left and prev in PROCLITICS and (p < 2 or not _is_word_char(line[p - 2])):
        left = False
    right = _is_word_char(nxt)
    if line[p] == "«":
        return "open" if not (left and not right) else "close"
    if line[p] == "»":
        return "close" if not (right and not left) else "open"
    if right and not left:
        return "open"
    if left and not right:
        return "close"
    return "amb"


def _mark_positions(line: str) -> list[int]:
    """``[m.start() for m in re.finditer('["“”„‟«»]', line)]``: every quote mark's offset, in order (by str.find).

    >>> _mark_positions('قال "نعم" و«لا»')
    [4, 8, 11, 14]
    """
    out = []
    for c in _CLASS:
        p = line.find(c)
        while p >= 0:
            out.append(p)
            p = line.find(c, p + 1)
    out.sort()
    return out


_LAST_WORD = re.compile(r"(\w+)\W{0,2}$")


def _after_reporting_word(line: str, p: int) -> bool:
    """The word right before ``line[p]`` is a reporting verb or participle (``وتابع"``، ``قائلا:"``)."""
    m = _LAST_WORD.search(line, max(0, p - 30), p)
    return m is not None and bool(reporting_kinds(m.group(1)) & (VERB | PARTICIPLE))


def quoted_spans(line: str) -> list[tuple[int, int, bool]]:
    """Top-level quoted stretches of one paragraph: (start, end, closed), excluding the marks.

    >>> line = 'قال "نص "داعش" هنا" ثم مجلة”المصلحة الوطنية”الامريكية”فيما قال”'
    >>> [line[s:e] for s, e, _ in quoted_spans(line)]
    ['نص "داعش" هنا', 'المصلحة الوطنية', 'فيما قال']
    """
    out: list[tuple[int, int, bool]] = []
    stack: list[tuple[str, int]] = []
    positions = _mark_positions(line)
    left = {c: 0 for c in "SCG"}  # marks of each style still to come
    for p in positions:
        left[_CLASS[line[p]]] += 1
    for p in positions:
        cls = _CLASS[line[p]]
        left[cls] -= 1
        role = mark_role(line, p)
        same = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == cls), None)
        if role == "open" and same is not None and p > 0 and line[p - 1] in _CLOSING_PUNCT:
            role = "close"  # "أرامكو."ويربط: a mark right after a full stop closes, even glued to the next word
        if role == "open" and same is not None and not left[cls]:
            role = "close"  # مجموعة «إرادة «التطوعية: no mark left to close a nested quote, so this one closes
        if role == "open" or (role == "amb" and same is None):
            stack.append((cls, p))
            continue
        if same is None:
            if not stack:
                if _after_reporting_word(line, p):
                    stack.append((cls, p))  # وتابع" انا …: a mark glued to the verb that introduces the quote
                continue  # a stray closing mark
            same = len(stack) - 1  # mismatched pair (“…")
        start = stack[same][1]
        del stack[same:]
        if not stack:
            out.append((start + 1, p, True))
    if stack:
        out.append((stack[0][1] + 1, len(line), False))
    return out


def _is_name_quote(body: str, start: int, end: int, tokens: Tokens, names: set[tuple[str, ...]],
                   seen_twice: set[tuple[str, ...]]) -> bool:
    """A short quoted stretch that names something (an entity, or right after وكالة/صحيفة/تنظيم …).

    ``names`` collects the short quotes already judged names in this article, so a later bare
    repetition ("مخابز منش" after شركة "مخابز منش") is recognised too; ``seen_twice`` is
    :func:`_seen_twice` of the body.
    """
    # The tokens of body[start:end] are the body's tokens starting there (no token crosses a quote mark or a
    # line end), and each holds at least one \w run: more tokens than words allowed means more words too.
    if bisect.bisect_left(tokens.start, end) - bisect.bisect_left(tokens.start, start) > MAX_NAME_QUOTE_WORDS + 2:
        return False
    words = WORD_RE.findall(body[start:end])
    if not words:
        return True
    if len(words) > MAX_NAME_QUOTE_WORDS + 2:
        return False
    key = tuple(map(fold, words))
    if key in names or len(key) > 1 and key[0][:1] in "لب" and (key[0][1:],) + key[1:] in names:
        return True
    k = bisect.bisect_left(tokens.start, start) - 1
    prev = [f for f, _ in proclitic_forms(tokens.text[k])] if k >= 0 else []
    if k >= 0 and not any(c in body[tokens.end[k]:start] for c in "\n:") and not _is_verb(words[0]) \
            and _head_before(tokens, k, _name_heads(), chain=len(words) <= 3):  # (وقالت الوزارة: "…": a label)
        names.add(key)
        return True
    # a quoted word right after a preposition (لـ"اليوم"، في "تويتر"), or a short phrase glued to one
    # (لـ"CNN بالعربية"), or after an attribution word (بحسب "العربية نت"), is a name, not speech
    glued = k >= 0 and tokens.end[k] == start - 1 and prev[0][:1] in _NAME_PREPOSITIONS and len(prev[0]) <= 2
    # (never a verb: بحسب "وقال" is a stray word, and a verb names no one)
    if not _is_verb(words[0]) and (
            len(words) == 1 and (glued or any(f in reference().particles for f in prev[:1]))
            or len(words) <= 3 and (glued and prev[0][:1] == "ل" or k >= 0 and tokens.flags[k] & _A)):
        return True
    if len(words) <= MAX_NAME_QUOTE_WORDS:
        for cand, _ in proclitic_forms(words[0]):
            for gkey, _entry in reference().gaz.get(cand, ()):
                if gkey[1:] == key[1:] and len(gkey) == len(key):
                    return True
    if len(words) <= 3 and key in seen_twice:
        names.add(key)
        return True
    return False


@cache
def _name_heads() -> frozenset[str]:
    """Nouns after which a short quoted phrase is a name: the media heads and the heads of bodies' names."""
    return quote_data().media_heads | reference().org_heads


def _is_verb(word: str) -> bool:
    """A word that is surely a verb: a reporting verb, or a future (ستحترم، سيزرع): speech, never a name."""
    f = fold(word)
    return bool(reporting_kinds(word) & (VERB | WEAK)) or len(f) > 3 and f[:2] in ("سي", "ست", "سن")


def _head_before(tokens: Tokens, k: int, heads: frozenset[str], chain: bool = True) -> bool:
    """A head noun (``heads``) at token ``k``, or (``chain``) before the definite words that end at ``k``
    (``البرنامج التدريبي``، ``موقع التواصل``), with or without a proclitic or the article."""
    for j in range(k, max(-1, k - 3) if chain else k - 1, -1):
        if j < k and not tokens.joined[j + 1]:
            return False
        for f, _ in proclitic_forms(tokens.text[j])[:3]:
            if f in heads or f.startswith(ARTICLE) and f[len(ARTICLE):] in heads:
                return True
        if not tokens.flags[j] & DEFINITE:
            return False
    return False


def _seen_twice(lines: list[tuple[str, list[tuple[int, int, bool]]]]) -> set[tuple[str, ...]]:
    """Short quoted phrases repeated in a body (a product or campaign name, not a statement).

    ``lines`` holds each paragraph with its :func:`quoted_spans`.

    >>> line = 'حملة "صحتك تهمنا" ثم "صحتك تهمنا"'
    >>> _seen_twice([(line, quoted_spans(line))])
    {('صحتك', 'تهمنا')}
    """
    counts: dict[tuple[str, ...], int] = {}
    for line, spans in lines:
        for s, e, closed in spans:
            if not closed:
                continue
            words = WORD_RE.findall(line[s:e])
            if 0 < len(words) <= 3:  # only short phrases count: fold just those
                w = tuple(map(fold, words))
                counts[w] = counts.get(w, 0) + 1
    return {w for w, c in counts.items() if c > 1}


# -- what is not a quote ------------------------------------------------------------------------------------

_LATIN_GLOSS = re.compile(r"\s*[(\[]?\s*[A-Za-z]")
_HASHTAG_BEFORE = re.compile(r"#\w+\s*$")


@cache
def _by_last_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """``phrases`` filed under their last word (a phrase ending at a token is looked up by that token)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[-1], []).append(phrase)
    return {w: tuple(ps) for w, ps in out.items()}


def _phrase_before(tokens: Tokens, k: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """One of ``phrases`` (folded words) ends at token ``k`` (its last word may carry a proclitic)."""
    index = _by_last_word(phrases)
    for form, _ in proclitic_forms(tokens.text[k])[:3]:
        for phrase in index.get(form, ()):
            n = len(phrase)
            if k - n + 1 >= 0 and tokens.folded[k - n + 1:k] == list(phrase[:-1]):
                return True
    return False


def is_related_line(line: str) -> bool:
    """A related-story or read-also line (``اقرأ أيضا: …``، ``للمزيد: …``): its quotation marks quote nobody.

    >>> is_related_line("اقرأ.. الخارجية السورية: لا نستغرب هذا التصعيد"), is_related_line("وقال الوزير")
    (True, False)
    >>> is_related_line('شاهد عيان قال إن "النيران اشتعلت فجأة"'), is_related_line("اقرأ أيضا الخبر")
    (False, True)
    """
    head = line[:80].lstrip(" \u00a0-–•*>|")
    words = [fold(w) for w in WORD_RE.findall(head)[:4]]
    for p in quote_data().related_markers:
        if words[:len(p)] == list(p):
            if len(p) > 1:
                return True
            # a one-word marker needs punctuation after it (اقرأ: …، شاهد.. …): شاهد عيان قال … is a sentence
            m = re.match(r"\W*\w+\s*([:.…|\-–]|$)", head)
            return m is not None
    return False


def _after_title_marker(body: str, start: int, tokens: Tokens) -> bool:
    """The quote follows a word that introduces a title or a name (``بعنوان``، ``تحت شعار``، ``برنامج
    المسابقات``)."""
    k = bisect.bisect_left(tokens.start, start) - 1
    if k < 0 or "\n" in body[tokens.end[k]:start]:
        return False
    markers = quote_data().title_markers
    # after a colon only the marker itself (بعنوان: "…"), not one before a chain (المتحدث باسم الخارجية: "…")
    return _phrase_before(tokens, k, markers) or _head_before(tokens, k, frozenset(p[0] for p in markers
                                                                                   if len(p) == 1),
                                                              chain=":" not in body[tokens.end[k]:start])


def _is_label(body: str, end: int) -> bool:
    """A quoted name followed by a colon: a speaker's label (``وتابع "القرعوطي": "…"``)."""
    return body[end + 1:end + 4].lstrip(" \u00a0").startswith(":")


def _is_glossed(body: str, start: int, end: int) -> bool:
    """A name given with its Latin spelling (``لعبة «جيومتري داش» Geometry Dash``) or after a hashtag."""
    return _LATIN_GLOSS.match(body, end + 1) is not None or _HASHTAG_BEFORE.search(body, max(0, start - 40),
                                                                                 max(0, start - 1)) is not None


def _starts_with_body(words: list[str]) -> bool:
    """The phrase names a body or a thing: it starts with a body's or a title's head noun and holds no verb
    (``شركة سالم للطيران``، ``الهيئة العامة للطيران المدني``، ``عملية جامب ستريت``; not ``الحكومة ستعمل``)."""
    first = fold(words[0])
    if len(first) > 3 and first[0] in CONJUNCTIONS and first[1:].startswith(ARTICLE):
        first = first[1:]
    bare = first[len(ARTICLE):] if first.startswith(ARTICLE) else first
    if bare not in reference().org_heads and not word_class(first) & INSTITUTION \
            and first not in quote_data().media_heads:
        return False
    ref = reference()
    return not any(reporting_kinds(w) & (VERB | WEAK) or fold(w) in ref.particles for w in words[1:])


_LIST_SEPARATOR = re.compile(r"\s*[،,]\s*")
_SENTENCE_OPENERS = frozenset({"و", "لن", "لا", "لم", "ولن", "ولا", "ولم", "ليس", "وليس", "قد", "وقد", "لقد"})


def is_term_list(text: str) -> bool:
    """A list of three or more short items, no verb among them (``معلوماتية، تفاعلية، إجرائية، تكاملية``، a
    list of players' names): terms or names, not speech.

    >>> is_term_list("معلوماتية، تفاعلية، إجرائية، تكاملية"), is_term_list("نحن هنا، ولن نرحل، أبدا")
    (True, False)
    """
    items = [WORD_RE.findall(x) for x in _LIST_SEPARATOR.split(text.strip(" .…"))]
    if len(items) < 3 or any(not 0 < len(words) <= 3 for words in items):
        return False
    # a verb, a negation or إن/أن opening an item makes the list a sentence (صبية مغرر بهم، وأنها أجندة خارجية، …)
    return not any(_is_verb(w) for words in items for w in words) and not any(
        fold(words[0]) in _SENTENCE_OPENERS or word_class(fold(words[0])) & COMPLEMENTIZER for words in items)


def _acronym(words: list[str]) -> bool:
    """Most words are Latin letters spelled in Arabic (``آر بي جي``، ``إتش بي وودلون``): an acronym's name.

    >>> _acronym(["آر", "بي", "جي"]), _acronym(["إتش", "بي", "وودلون"]), _acronym(["في", "الحرب", "الأهلية"])
    (True, True, False)
    """
    letters = quote_data().letter_names
    return len(words) > 1 and 2 * sum(fold(w) in letters for w in words) >= len(words) + (len(words) > 2)


def _introduced(body: str, tokens: Tokens, start: int) -> bool:
    """A reporting word (verb, participle, attribution) in the words before the quote, in its clause: what
    makes a two-word quote speech (``وصفه بأنه "قمعي وخطير"``) rather than a scare-quoted term."""
    k = bisect.bisect_left(tokens.start, start) - 1
    lo = max(-1, k - 12)
    while k > lo:
        if tokens.flags[k] & (_V | _P):
            return True
        if k > 0 and not tokens.joined[k] and any(c in _CLAUSE_END for c in body[tokens.end[k - 1]:tokens.start[k]]):
            return False
        k -= 1
    return False


_CLAUSE_END = ".!؟?\n\"“”«»„‟"
MAX_LONG_NAME_WORDS = 8


def _long_name(body: str, start: int, end: int, tokens: Tokens, words: list[str]) -> bool:
    """A longer name right after a body's or a medium's head noun and its adjectives (``المنظمة السويسرية
    "المبادرة الدولية ضد الجرائم المنظمة العابرة للقارات"``، ``الموقع الإخباري "كل شيء حول الجزائر"``): no verb in
    it, no full stop at its end."""
    if not MAX_NAME_QUOTE_WORDS < len(words) + 1 <= MAX_LONG_NAME_WORDS + 1 or _END_PUNCT.search(body, start, end):
        return False
    k = bisect.bisect_left(tokens.start, start) - 1
    if k < 0 or any(c in body[tokens.end[k]:start] for c in "\n:") or any(_is_verb(w) for w in words):
        return False  # (a colon: the head is the label of a statement, جاء في بيان الوزارة: "…")
    if any(word_class(tokens.folded[j]) & COMPLEMENTIZER for j in range(max(0, k - 4), k + 1)):
        return False  # إلى أن المنتخب البرازيلي الحالي «لا يحظى …»: the predicate of reported speech
    if _introduced(body, tokens, start) and not _complement_follows(body, end, tokens):
        return False  # دعا غاينو العضو في حزب الجمهوريين "البريطانيين الى …": the verb's words
    return _head_before(tokens, k, _name_heads(), chain=True)


def _complement_follows(body: str, end: int, tokens: Tokens) -> bool:
    """إن/أن right after the quote (``كتب الموقع "كل شيء حول الجزائر" أنه "…"``): the speech comes after it."""
    j = bisect.bisect_left(tokens.start, end)
    return j < len(tokens) and "\n" not in body[end:tokens.start[j]] and bool(
        word_class(tokens.folded[j]) & COMPLEMENTIZER)


QUOTE, NAME, NOT_QUOTE = "quote", "name", "not"


def quote_kind(body: str, start: int, end: int, tokens: Tokens, names: set[tuple[str, ...]],
               seen_twice: set[tuple[str, ...]]) -> str:
    """Whether the quoted stretch ``body[start:end]`` (marks excluded, stripped) is speech (QUOTE), a name
    (NAME: dropped, but a subject where it stands as one) or other non-speech (NOT_QUOTE: titles, scare quotes).

    >>> body = 'وقال لـ"اليوم" في برنامج "بيت القصيد" إن الوضع "صعب" و"صعب جدا" ثم "نتقدم شيئا فشيئا"'
    >>> t = tokens_of(body)
    >>> [quote_kind(body, s, e, t, set(), set()) for s, e, _ in quoted_spans(body)]
    ['name', 'name', 'not', 'not', 'quote']
    """
    if _is_name_quote(body, start, end, tokens, names, seen_twice):
        return NAME
    if _after_title_marker(body, start, tokens):
        return NOT_QUOTE
    words = WORD_RE.findall(body[start:end])
    if _long_name(body, start, end, tokens, words):
        return NAME
    if is_term_list(body[start:end]):
        return NOT_QUOTE
    if _acronym(words):
        return NAME
    if len(words) <= MAX_NAME_QUOTE_WORDS:
        if _is_label(body, end) or _is_glossed(body, start, end) or _starts_with_body(words) \
                or any(w.isdigit() for w in words[1:]):  # الفرقة 30، فانتوم 3 أدفانسد، سبورت 360
            return NAME
    if len(words) == 1:
        return NOT_QUOTE  # a single word in quotation marks is a scare-quoted term
    if len(words) == 2 and not _introduced(body, tokens, start):
        return NOT_QUOTE
    return QUOTE


def is_mentioned(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """The quoted text ``start:end`` is one entity mention, or mentions with at most a connecting word between
    (``spans``: the mentions' sorted character spans).

    >>> is_mentioned(1, 20, [(1, 20)]), is_mentioned(1, 20, [(1, 9)]), is_mentioned(1, 20, [(1, 9), (12, 20)])
    (True, False, True)
    """
    i = bisect.bisect_left(spans, (start, -1))
    pos, gaps = start, 0
    while i < len(spans) and spans[i][0] < end:
        s, e = spans[i]
        if s > pos:
            if s - pos > 3:  # more than a connecting و between two mentions
                return False
            gaps += 1
        pos = max(pos, e)
        i += 1
    return pos >= end and gaps <= 1


def coordinated(body: str, prev_end: int, start: int) -> bool:
    """The quoted stretch whose text starts at ``start`` is joined by و alone to the one that ended at
    ``prev_end`` (``"موديز" و"ستاندرد أند بورز"``): items of one list.

    >>> body = 'وكالتا "موديز" و"ستاندرد أند بورز"'
    >>> coordinated(body, 13, 17), coordinated('"أ" ثم "ب"', 2, 8)
    (True, False)
    """
    return body[prev_end + 1:start - 1].strip() in ("و", "أو", "او")


# -- statements after a colon -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Colon:
    """A paragraph ``NAME: text``: the name's and the text's character spans."""

    head: tuple[int, int]
    text: tuple[int, int]


def _colon_statement(line: str, base: int) -> _Colon | None:
    """``بوتين: نص.`` — a statement introduced by a name or a role and a colon.

    Speech after a reporting verb and a colon without quotation marks (``وقال الوزير: إن …``) is reported
    speech, not a quote (GUIDELINES: a quote is text inside quotation marks); a name and a colon before a full
    sentence is a statement by that name.

    >>> _colon_statement("بوتين: لن نتراجع عن ذلك أبدا.", 0).text
    (7, 29)
    >>> _colon_statement("بوتين: روسيا تولي اهتماما كبيرا", 0) is None  # a headline: no full stop
    True
    """
    m = _COLON.match(line)
    if m is None:
        return None
    head, text = m.group(1), m.group(2)
    head_words = WORD_RE.findall(head)
    text_words = WORD_RE.findall(text[:200])
    if len(head_words) > 12 or len(text_words) < 3 or any(c in text for c in _CLASS):
        return None  # بوتين: "…" — the marks carry the quote, the name is found as the subject before it
    if any(reporting_kinds(w) & (VERB | PARTICIPLE) for w in head_words):
        return None  # وقال الوزير: … — speech without quotation marks is reported, not quoted (GUIDELINES)
    if len(head_words) > 5 or not _END_PUNCT.search(line) or head.rstrip()[-1:].isdigit():
        return None  # a headline-like line (بوتين: روسيا تولي …) has no final full stop; 09:35 is a time
    if reporting_kinds(text_words[0]) & (VERB | WEAK) or fold(text_words[0]) in ("من", "ومن") and len(
            text_words) > 1 and fold(text_words[1]) in ("جهته", "جهتها", "جانبه", "جانبها"):
        return None  # the text reports someone (نواف بن محمد: كشف عضو شرف …): a section, not speech
    return _Colon((base + m.start(1), base + m.end(1)), (base + m.start(2), base + m.end(2)))


# -- the article ------------------------------------------------------------------------------------------

def extract_quotes(body: str, mentions: list[Mention]) -> list[Quote]:
    """Direct quotes of ``body`` in text order, with speakers resolved against ``mentions``.

    >>> body = 'وقال الرئيس الروسي فلاديمير بوتين “نتقدم شيئا فشيئا” مضيفا "المحادثات صعبة جدا".'
    >>> from transforms.entities import extract_entities
    >>> [(q.text, q.speaker) for q in extract_quotes(body, extract_entities(body)[0])]
    [('نتقدم شيئا فشيئا', 'فلاديمير بوتين'), ('المحادثات صعبة جدا', 'فلاديمير بوتين')]
    """
    if not body or not any(c in body for c in _CLASS) and ":" not in body:
        return []
    # the paragraphs (non-empty runs without a newline) and their offsets, from one C-level split
    pieces = body.split("\n")
    bases = accumulate([len(p) + 1 for p in pieces], initial=0)  # one more than pieces: zip stops first
    lines = [(p, base) for p, base in zip(pieces, bases, strict=False) if p]
    spans = {base: quoted_spans(line) for line, base in lines if any(map(line.__contains__, _CLASS))}
    # the entity pass's tokens (analyze is memoised: after extract_entities this costs nothing)
    tokens = analyze(body).tokens
    seen_twice: set[tuple[str, ...]] | None = None
    names: set[tuple[str, ...]] = set()
    mention_spans = sorted((m.char_start, m.char_end) for m in mentions)
    found: list[tuple[int, int, int, _Colon | None]] = []  # (start, end, mark start, colon statement)
    quoted_names: list[tuple[int, int]] = []
    for line, base in lines:
        if base not in spans:
            colon = _colon_statement(line, base) if ":" in line else None
            if colon is not None:
                found.append((*colon.text, colon.text[0], colon))
            continue
        related = is_related_line(line)
        prev: tuple[int, str] | None = None  # end of the previous quoted stretch of the line, and its kind
        for s, e, _closed in spans[base]:
            s0, e0 = base + s, base + e
            text = body[s0:e0]
            s1, e1 = s0 + len(text) - len(text.lstrip()), s0 + len(text.rstrip())
            if s1 >= e1 or related:
                continue
            if seen_twice is None:  # built on first need: most bodies have no short quote to test
                # only spans of at most 3 tokens can count (see _is_name_quote on tokens and words)
                starts = tokens.start
                seen_twice = _seen_twice([(ln, [sp for sp in spans[b] if bisect.bisect_left(starts, b + sp[1])
                                                - bisect.bisect_left(starts, b + sp[0]) <= 3])
                                          for ln, b in lines if b in spans])
            kind = quote_kind(body, s1, e1, tokens, names, seen_twice)
            if kind == QUOTE and prev is not None and prev[1] != QUOTE and coordinated(body, prev[0], s0) \
                    and len(WORD_RE.findall(text)) <= MAX_NAME_QUOTE_WORDS:
                kind = prev[1]  # «انتقام» و«يحيى الملك المخلص»، "موديز" و"ستاندرد أند بورز": one list, one kind
            if kind == QUOTE and is_mentioned(s1, e1, mention_spans):
                kind = NAME  # «عمر بن صالح المهنا»، «عصائب أهل الحق»: a name the entity pass found
            prev = (e0, kind)
            if kind == QUOTE:
                found.append((s1, e1, s0, None))
            elif kind == NAME:
                quoted_names.append((s1, e1))
    if not found:
        return []
    resolver = SpeakerResolver(body, mentions, [(s, e) for s, e, _, _ in found], quoted_names, tokens)
    out: list[Quote] = []
    for s, e, mark_start, colon in found:
        if colon is None:
            sp, gender = resolver.speaker(mark_start, e)
        else:
            sp, gender = resolver.label(*colon.head), ""
        if colon is not None and sp is None:
            continue  # a colon line whose head names nobody is a heading, not a statement
        if sp is not None:
            resolver.add_event(s, sp, gender)
        out.append(Quote(len(out) + 1, body[s:e], sp.name if sp else None, sp.entity_id if sp else None, s, e,
                         sp.kind if sp else None))
    return out


def reads_as_person(words: list[str]) -> bool:
    """A speaker's name as the resolver read it is a person's: a word says it is a name
    (:func:`~transforms.entities.matching.says_name`); no word is one no name has
    (:func:`~transforms.entities.matching.never_in_a_name`: ``شاين سؤالا``) or, unless a given name, one the
    training data almost never has in a name; the first is neither definite nor a given name with و glued
    to it, and a later one can continue a name.

    >>> reads_as_person(["سعد", "الصعب"]), reads_as_person(["عباس", "بتقديم"]), reads_as_person(["وإلياس"])
    (True, False, False)
    >>> reads_as_person(["شاين", "سؤالا"])  # ant-bbc-0053: وجه شاين سؤالا
    False
    """
    if not words or not says_name(words):
        return False
    common, first_names = model_common_words(), reference().first_names
    for k, text in enumerate(words):
        info = word_info(text)
        f = info.folded
        if never_in_a_name(text, info, common) or f in common and not info.given:
            return False
        if k == 0 and (info.flags & DEFINITE or f[0] in CONJUNCTIONS and f[1:] in first_names):
            return False
        if k and not (info.flags & NAME_NEXT or info.given):
            return False
    return True


def speaker_persons(body: str, found: list[Quote], known: list[Entity]) -> tuple[list[Mention], list[Entity]]:
    """The persons the quotes name and no mention covers: a speaker read as a name (``أكد سعد الصعب نائب رئيس
    نادي الطائي``) is a person of the article when its words can be a name and one of them says so
    (:func:`reads_as_person`). Each gets one mention, where the name is written last before its first quote, an entity unless ``known``
    has it, and the quotes it spoke point to it (``speaker_entity_id``).

    >>> body = 'من جانبه أكد سعد الصعب نائب رئيس نادي الطائي "أن الرائد واللاعب اتفقا".'
    >>> qs = [Quote(1, "أن الرائد واللاعب اتفقا", "سعد الصعب", None, 48, 71, "name")]
    >>> mentions, entities = speaker_persons(body, qs, [])
    >>> [body[m.char_start:m.char_end] for m in mentions], qs[0].speaker_entity_id == entities[0].entity_id
    (['سعد الصعب'], True)
    """
    mentions: list[Mention] = []
    entities: list[Entity] = []
    by_name: dict[str, str | None] = {}
    ids = {e.entity_id for e in known}
    for q in found:
        if q.speaker_kind != "name" or q.speaker_entity_id is not None or not q.speaker:
            continue
        if q.speaker not in by_name:
            by_name[q.speaker] = None
            words = q.speaker.split()
            at = body.rfind(q.speaker, 0, q.char_start)
            if at < 0 or not reads_as_person(words):
                continue
            eid = entity_id("PERSON", q.speaker)
            mentions.append(Mention(eid, q.speaker, "PERSON", q.speaker, at, at + len(q.speaker)))
            if eid not in ids:
                entities.append(Entity(eid, q.speaker, "PERSON", []))
                ids.add(eid)
            by_name[q.speaker] = eid
        q.speaker_entity_id = by_name[q.speaker]
    return mentions, entities


def link_named_speakers(found: list[Quote], mentions: list[Mention], entities: list[Entity]) -> None:
    """Point each quote whose speaker is written as an entity of the article (its canonical name, an alias or a
    mention's surface) and has no entity yet to that entity: ``speaker_entity_id`` is set whenever the speaker
    is an entity.

    >>> from transforms.entities import entity_id
    >>> eid = entity_id("ORG", "وكالة الأناضول")
    >>> qs = [Quote(1, "إن الوضع هادئ", "الأناضول", None, 10, 24, "source")]
    >>> link_named_speakers(qs, [Mention(eid, "وكالة الأناضول", "ORG", "الأناضول", 0, 8)], [])
    >>> qs[0].speaker_entity_id == eid
    True
    """
    by_form: dict[str, str] = {}
    for e in entities:
        for form in (e.canonical_name, *e.aliases):
            by_form.setdefault(form, e.entity_id)
    for m in mentions:
        by_form.setdefault(m.surface, m.entity_id)
    for q in found:
        if q.speaker and q.speaker_entity_id is None:
            q.speaker_entity_id = by_form.get(q.speaker)
