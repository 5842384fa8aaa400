"""Direct quotations in an Arabic article body and who said them.

Quotes are found two ways:

* between quote marks of any style (``“…”``, ``"…"``, ``«…»``, ``„…“``), tolerating marks reversed or glued
  to words as scraped (``مجلة”المصلحة الوطنية”الامريكية”فيما …”``): each mark is read as opening or closing
  from the letters around it; marks inside a quote are nested quotes (part of the outer one); a quote left
  open runs to the end of its paragraph;
* a paragraph ``NAME: speech.`` (a person or role, a colon, then a full sentence) is a statement by NAME.

Short quoted names are not quotes (``وكالة "رويترز"``, ``تنظيم “داعش”``): a quote of a few words that is a
known entity, or follows a word like وكالة/صحيفة/تنظيم (``seeds/entities/quotes.json``), is dropped.

The speaker is the subject of the reporting verb before the quote (``وقال بوتين``, ``وأضاف الوزير الروسي``,
``أردوغان قال``); a bare verb or participle (``وقال “…”``، ``مضيفا``) takes the subject carried from the
previous statement. Role descriptions resolve to the person named with that role earlier in the article
(``الرئيس الأميركي`` → باراك أوباما); unnamed sources (``مسؤول كبير في الإدارة الأميركية``) are kept as
text with no entity id.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, islice

from transforms import seeds
from transforms.arabic.chars import MARK_RE, WORD_RE
from transforms.arabic.morphology import CONJUNCTIONS, PROCLITICS
from transforms.entities import (  # noqa: F401  (VERB … ATTRIBUTION: this module's names too)
    ATTRIBUTION,
    PARTICIPLE,
    QUOTE_SHIFT,
    VERB,
    WEAK,
    Analysis,
    Role,
    Tokens,
    analyze,
    entity_id,
    fold,
    proclitic_forms,
    reference,
    reporting_kinds,
)
from transforms.types import Mention, Quote

# Every quote mark (transforms.arabic.chars.QUOTE_MARKS) by its style: straight, curly or low, guillemets.
_CLASS = {'"': "S", "“": "C", "”": "C", "„": "C", "‟": "C", "«": "G", "»": "G"}
# Group 2 runs from the first to the last non-space character after the colon: written greedy (``\S(?:.*\S)?``)
# rather than lazy (``\S.*?`` then ``\s*$``, which retries the end test after every character), same spans.
_COLON = re.compile(r"^\s*([^:\n\"“”«»]{2,80}?)\s*:\s*(\S(?:.*\S)?)\s*$")
_END_PUNCT = re.compile(r"[.!؟?…]\s*[\"”»“]?\s*$")
MAX_NAME_QUOTE_WORDS = 4


@dataclass(frozen=True)
class QuoteData:
    verbs: frozenset[str]  # finite reporting verbs
    participles: frozenset[str]
    weak: frozenset[str]
    attribution: frozenset[str]
    descriptions: frozenset[str]
    media_heads: frozenset[str]
    skip_after_verb: frozenset[str]
    stop: frozenset[str]
    # descriptions and و/ف + a description: ``f in described`` == ``f in descriptions or (f[:1] in CONJUNCTIONS
    # and f[1:] in descriptions)`` for a non-empty word f
    described: frozenset[str] = frozenset()


@cache
def quote_data() -> QuoteData:
    """Reporting verbs and related word lists from seeds/entities/quotes.json, folded once.

    >>> fold("قال") in quote_data().verbs
    True
    """
    q = seeds.entity_list("quotes")
    fs = lambda key: frozenset(fold(x) for x in q[key])  # noqa: E731
    desc = fs("descriptions")
    return QuoteData(fs("verbs"), fs("participles"), fs("weak_verbs"), fs("attribution"), desc,
                     fs("media_heads"), fs("skip_after_verb"), reference().stop,
                     desc | {c + d for d in desc for c in CONJUNCTIONS})


# Bits of a word's reporting-verb kinds (read on its first three proclitic readings): defined with the
# per-word facts in transforms.entities, whose token flags carry them at QUOTE_SHIFT.
_V, _P, _W, _A = (bit << QUOTE_SHIFT for bit in (VERB, PARTICIPLE, WEAK, ATTRIBUTION))
_ANY_VERB = _V | _P | _W | _A


def verb_mask(word: str) -> int:
    """Which reporting-verb lists ``word`` (or it without a proclitic) belongs to, as VERB|PARTICIPLE|… bits.

    >>> verb_mask("وقال") & VERB, verb_mask("بوتين")
    (1, 0)
    """
    # the lists are quote_data()'s verbs, participles, weak and attribution, as entities.reference() folds them
    return reporting_kinds(word)


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


def quoted_spans(line: str) -> list[tuple[int, int, bool]]:
    """Top-level quoted stretches of one paragraph: (start, end, closed), excluding the marks.

    >>> line = 'قال "نص "داعش" هنا" ثم مجلة”المصلحة الوطنية”الامريكية”فيما قال”'
    >>> [line[s:e] for s, e, _ in quoted_spans(line)]
    ['نص "داعش" هنا', 'المصلحة الوطنية', 'فيما قال']
    """
    out: list[tuple[int, int, bool]] = []
    stack: list[tuple[str, int]] = []
    for p in _mark_positions(line):
        cls = _CLASS[line[p]]
        role = mark_role(line, p)
        same = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == cls), None)
        if role == "open" or (role == "amb" and same is None):
            stack.append((cls, p))
            continue
        if same is None:
            if not stack:
                continue  # a stray closing mark
            same = len(stack) - 1  # mismatched pair (“…")
        start = stack[same][1]
        del stack[same:]
        if not stack:
            out.append((start + 1, p, True))
    if stack:
        out.append((stack[0][1] + 1, len(line), False))
    return out


@dataclass(slots=True)
class _Speaker:
    name: str
    eid: str | None
    end_tok: int  # last token of the subject phrase
    person: bool


class _Attributor:
    """Speaker resolution for one article."""

    def __init__(self, body: str, mentions: list[Mention], a: Analysis, quoted: list[tuple[int, int]]):
        self.body = body
        self.tokens: Tokens = a.tokens
        self.size = len(self.tokens)
        self.starts = self.tokens.start
        self.folded, self.joined = self.tokens.folded, self.tokens.joined
        # reporting-verb kinds of each token, as the flag bits _V, _P, _W, _A (entities.WordInfo.flags)
        self.mask = self.tokens.flags
        self.words = quote_data()
        self.persons: dict[int, tuple[Mention, int]] = {}  # first token -> (mention, last token)
        self.orgs: set[int] = set()
        starts = self.starts
        for m in mentions:  # tok_at, inlined
            i = max(0, bisect.bisect_right(starts, m.char_start) - 1)
            j = max(0, bisect.bisect_right(starts, max(m.char_end - 1, m.char_start)) - 1)
            if m.entity_type == "PERSON":
                self.persons[i] = (m, j)
            elif m.entity_type == "ORG":
                self.orgs.add(i)
        self.roles: dict[int, Role] = {r.first: r for r in a.roles}
        # role key -> [(token, speaker)] of persons named with that role in this article
        self.linked: dict[tuple[str, ...], list[tuple[int, _Speaker]]] = {}
        for r in a.roles:
            if r.person is not None:
                sp = _Speaker(r.person.canonical, entity_id("PERSON", r.person.canonical), r.person.last, True)
                for key in r.keys:
                    self.linked.setdefault(key, []).append((r.first, sp))
        self.events: list[tuple[int, _Speaker]] = []  # (token, speaker) of every subject seen so far
        self.event_toks: list[int] = []  # their tokens (events is sorted by them): bisected without a key
        self._ends: tuple[dict[int, tuple[Mention, int]], dict[int, Role]] | None = None  # see subject_before
        self._verb_events(quoted)

    def tok_at(self, char: int) -> int:
        return self.tokens.index_at(char)

    def is_verb(self, k: int, kinds: int) -> bool:
        """Token k (or it without a proclitic) is a word of one of ``kinds`` (bits of :func:`verb_mask`)."""
        return bool(self.mask[k] & (kinds << QUOTE_SHIFT))

    # -- subjects ----------------------------------------------------------------------------------
    def subject_at(self, k: int) -> _Speaker | None:
        """The person, role or unnamed source whose phrase starts at token k."""
        if k >= self.size:
            return None
        if k in self.persons:
            m, j = self.persons[k]
            return _Speaker(m.canonical_name, m.entity_id, j, True)
        role = self.roles.get(k)
        if role is not None:
            if role.person is not None:
                return _Speaker(role.person.canonical, entity_id("PERSON", role.person.canonical),
                                role.person.last, True)
            return self.resolve_role(role)
        f = self.folded[k]
        if f in self.words.described:  # a description, or و/ف + one (see QuoteData.described)
            j = k
            while j + 1 < self.size and j - k < 5 and self.joined[j + 1]:
                nf = self.folded[j + 1]
                if nf in self.words.verbs or nf in self.words.weak or nf in ("ان", "انه", "انها", "الذي", "التي") \
                        or nf in self.words.participles or nf in self.words.skip_after_verb:
                    break
                j += 1
            start = self.starts[k] + (1 if f not in self.words.descriptions else 0)
            return _Speaker(self.body[start:self.tokens.end[j]], None, j, False)
        return None

    def resolve_role(self, role: Role) -> _Speaker:
        """A role without a name: the person named with it in this article, a well-known holder, or the text."""
        for key in role.keys:
            hits = self.linked.get(key)
            if hits:
                before = [sp for i, sp in hits if i <= role.first]
                sp = (before or [hits[0][1]])[-1]
                return _Speaker(sp.name, sp.eid, role.last, True)
            gaz = reference().role_fallback.get(key)
            if gaz is not None:
                return _Speaker(gaz.canonical, entity_id("PERSON", gaz.canonical), role.last, True)
        if role.anaphoric:
            prev = self.last_event(role.first, persons_only=True)
            if prev is not None:
                return _Speaker(prev.name, prev.eid, role.last, True)
        return _Speaker(role.text, None, role.last, False)

    def subject_after_verb(self, v: int, limit: int) -> _Speaker | None:
        k = v + 1
        skipped = 0
        folded, joined = self.folded, self.joined
        while k < limit and joined[k] and skipped < 2 and (folded[k] in self.words.skip_after_verb or folded[k] == "عن"):
            k += 1
            skipped += 1
        if k >= limit or not joined[k]:
            return None
        sp = self.subject_at(k)
        return sp if sp is not None and sp.end_tok < limit else None

    def subject_before(self, v: int) -> _Speaker | None:
        """SVO: a person or role ending right before the verb (أردوغان قال)."""
        if v == 0 or not self.joined[v]:
            return None
        if self._ends is None:
            # the first person (in dict order) and the first role ending at each token: what the scans of
            # persons.values() and roles.values() for ``j == v - 1`` would find
            self._ends = ({}, {})
            for m, j in self.persons.values():
                self._ends[0].setdefault(j, (m, j))
            for r in self.roles.values():
                self._ends[1].setdefault(r.person.last if r.person is not None else r.last, r)
        hit = self._ends[0].get(v - 1)
        if hit is not None:
            m, j = hit
            return _Speaker(m.canonical_name, m.entity_id, j, True)
        r = self._ends[1].get(v - 1)
        if r is not None:
            return self.subject_at(r.first)
        return None

    def _verb_events(self, quoted: list[tuple[int, int]]) -> None:
        """Subjects of every verb outside quotes (a verb inside a quote belongs to the quoted speech)."""
        kinds = _V | _W | _A
        inside = [False] * self.size
        for s, e in quoted:
            a, b = bisect.bisect_left(self.starts, s), bisect.bisect_left(self.starts, e)
            if a < b:
                inside[a:b] = [True] * (b - a)  # the tokens a..b-1, one C-level slice assignment
        mask = self.mask
        for v in [v for v, m in enumerate(mask) if m & kinds]:
            if not inside[v]:
                sp = self.subject_after_verb(v, self.size)
                if sp is None and mask[v] & _V:
                    sp = self.subject_before(v)
                if sp is not None:
                    self.events.append((v, sp))
                    self.event_toks.append(v)

    def last_event(self, before_tok: int, persons_only: bool = False) -> _Speaker | None:
        k = bisect.bisect_left(self.event_toks, before_tok) - 1
        while k >= 0:
            sp = self.events[k][1]
            if sp.person or not persons_only:
                return sp
            k -= 1
        return None

    def add_event(self, tok: int, sp: _Speaker) -> None:
        # insort(events, (tok, sp), key=first item) puts it after the events of the same token
        i = bisect.bisect_right(self.event_toks, tok)
        self.event_toks.insert(i, tok)
        self.events.insert(i, (tok, sp))

    # -- the speaker of one quote ------------------------------------------------------------------
    def speaker(self, open_char: int, window_char: int) -> _Speaker | None:
        """Who said the quote opening at ``open_char``; the verb is searched from ``window_char`` on."""
        first = bisect.bisect_left(self.starts, window_char)
        limit = bisect.bisect_left(self.starts, open_char)
        mask = self.mask
        v = next((k for k in range(limit - 1, first - 1, -1) if mask[k] & _ANY_VERB), None)
        if v is not None:
            sp = self.subject_after_verb(v, limit)
            if sp is None and mask[v] & _V:
                sp = self.subject_before(v)
            if sp is not None:
                return sp
        # a subject right before the mark (وأصاف الوزير الروسي "…", بوتين: "…")
        for k in range(max(first, limit - 6), limit):
            sp = self.subject_at(k)
            if sp is not None and sp.end_tok >= limit - 1:
                return sp
        return self.last_event(limit)


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
    if any(f in quote_data().media_heads for f in prev):
        names.add(key)
        return True
    # a single quoted word right after a preposition (لـ"اليوم"، في "تويتر") is a name, not speech
    glued = k >= 0 and tokens.end[k] == start - 1
    if len(words) == 1 and (any(f in reference().particles for f in prev[:1]) or glued and len(prev[0]) <= 2):
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


def _colon_statement(line: str, base: int,
                     attributor: Callable[[], _Attributor]) -> tuple[int, int, _Speaker | None] | None:
    """``بوتين: نص.`` — (start, end, speaker) of a statement introduced by a name or role and a colon.

    ``attributor()`` gives the article's :class:`_Attributor` (built on first need).
    """
    m = _COLON.match(line)
    if m is None:
        return None
    head_s, head_e = m.span(1)
    nhead = len(WORD_RE.findall(m.group(1)))
    if nhead > 12 or len(list(islice(WORD_RE.finditer(m.group(2)), 3))) < 3 or any(c in m.group(2) for c in _CLASS):
        return None  # بوتين: "…" — the marks carry the quote, the name is found as the subject before it
    att = attributor()
    first = bisect.bisect_left(att.starts, base + head_s)
    last = bisect.bisect_left(att.starts, base + head_e)
    if any(att.mask[k] & (_V | _P) for k in range(first, last)):
        # وقال الوزير في بيان: إن … — speech introduced by a reporting verb and a colon
        sp = att.speaker(base + head_e, base + head_s)
        return base + m.start(2), base + m.end(2), sp
    if nhead > 5 or not _END_PUNCT.search(line):
        return None  # a headline-like line (بوتين: روسيا تولي …) has no final full stop
    for k in range(first, last):
        sp = att.subject_at(k)
        if sp is not None and sp.eid is not None or sp is not None and k == first:
            return base + m.start(2), base + m.end(2), sp
    return None


def extract_quotes(body: str, mentions: list[Mention]) -> list[Quote]:
    """Direct quotes of ``body`` in text order, with speakers resolved against ``mentions``.

    >>> body = 'وقال الرئيس الروسي فلاديمير بوتين “نتقدم شيئا فشيئا” مضيفا "المحادثات صعبة جدا".'
    >>> from transforms.entities import extract_entities
    >>> [(q.text, q.speaker) for q in extract_quotes(body, extract_entities(body)[0])]
    [('نتقدم شيئا فشيئا', 'فلاديمير بوتين'), ('المحادثات صعبة جدا', 'فلاديمير بوتين')]
    """
    if not body or not any(c in body for c in _CLASS) and ":" not in body:
        return []
    a = analyze(body)
    # the paragraphs (non-empty runs without a newline) and their offsets, from one C-level split
    pieces = body.split("\n")
    bases = accumulate([len(p) + 1 for p in pieces], initial=0)  # one more than pieces: zip stops first
    lines = [(p, base) for p, base in zip(pieces, bases, strict=False) if p]
    spans = {base: quoted_spans(line) for line, base in lines if any(map(line.__contains__, _CLASS))}
    seen_twice: set[tuple[str, ...]] | None = None
    # The attributor (verb masks, subjects of every verb) is built on first need: many bodies have a colon or
    # a quote mark but no statement. It depends only on the body, its analysis and the quoted stretches, so
    # building it later gives the same one.
    att: _Attributor | None = None

    def attributor() -> _Attributor:
        nonlocal att
        if att is None:
            att = _Attributor(body, mentions, a,
                              [(base + s, base + e) for base, ss in spans.items() for s, e, _ in ss])
        return att

    found: list[tuple[int, int, _Speaker | None]] = []
    names: set[tuple[str, ...]] = set()
    for line, base in lines:
        window = base
        colon = _colon_statement(line, base, attributor) if ":" in line else None
        if colon is not None:
            att = attributor()
            s, e, sp = colon
            found.append((s, e, sp))
            if sp is not None:
                att.add_event(att.tok_at(s), sp)
            continue
        for s, e, _closed in spans.get(base, ()):
            s0, e0 = base + s, base + e
            text = body[s0:e0]
            ls = len(text) - len(text.lstrip())
            rs = len(text.rstrip())
            s1, e1 = s0 + ls, s0 + rs
            if s1 >= e1:
                continue
            if seen_twice is None:  # built on first need: most bodies have no short quote to test
                # only spans of at most 3 tokens can count (see _is_name_quote on tokens and words)
                starts = a.tokens.start
                seen_twice = _seen_twice([(ln, [sp for sp in spans[b] if bisect.bisect_left(starts, b + sp[1])
                                                - bisect.bisect_left(starts, b + sp[0]) <= 3])
                                          for ln, b in lines if b in spans])
            if _is_name_quote(body, s1, e1, a.tokens, names, seen_twice):
                continue
            att = attributor()
            sp = att.speaker(s0 - 1, window)
            found.append((s1, e1, sp))
            if sp is not None:
                att.add_event(att.tok_at(s0), sp)
            window = e0
    out = []
    for n, (s, e, sp) in enumerate(found, start=1):
        out.append(Quote(n, body[s:e], sp.name if sp else None, sp.eid if sp else None, s, e))
    return out
