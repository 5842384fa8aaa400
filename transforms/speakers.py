"""Who said a quote: the attribution clause around it and the source its subject names.

For each quote the resolver finds the attribution clause, then reads the source from it, in this order:

1. the clause before the quote, nearest word first: a reporting verb (``وقال``، ``أكدت``، ``يقول``), a participle
   (``مضيفا``: the subject of the sentence's main verb), an attribution word (``بحسب``، ``وفق``، ``على لسان``) or a
   statement noun with its issuer (``في بيان للحكومة``); a verb before an attribution word wins (``وأشار ماكرون،
   بحسب بيان رئاسي، إلى أن "…"`` → ماكرون);
2. else the words after the quote (``"…"، كتب الراشد``، ``"…" على حد تعبير نيتشه``، ``"…"، كما يقول``، ``"…"، هذا ما
   قاله``; a verb with و there opens the next statement), else an attribution that closes the quote's sentence
   (``وساد "…" على خلفية الحادث، بحسب المرصد``);
3. else a name right before the mark (``بوتين: "…"``), else the speaker carried from before (``"…"`` alone in a
   paragraph that continues a statement).

A verb's source is its subject: the phrase after it (``وقال وزير الخارجية الأمريكي، جون كيري،``), or the one between
كان and the verb (``وكان ترامب قد وصف ترودو بـ"…"``), else for a verb without a conjunction the subject that opens
its sentence or its clause (``مصدر أمني متابع للقضية قال``، ``ولكن الرئيس الأمريكي قال``), else, for a bare verb
(``وأضاف``، ``وقالت إن``), the last source whose verb agrees in gender (``قالت`` feminine, ``قال`` masculine,
``قالوا`` plural), or the person the sentences before open with if no one spoke since (``ويطلب محامي ستورمي،
مايكل أفيناتي، … . وقال إنه``). A verb that describes a statement (``نشر قرقاش تغريدة … قال فيها``) has the
statement's issuer. Relayed speech (``نقلت الوكالة عن X قوله``، ``وأفادت الوكالة نقلا عن X``) is X's. A subject
phrase resolves to:

* a person of the article (any mention of them) or an unknown name (``وقال صالحي``) linked to a person of the
  article by surname when it is one; a role followed by a name (``الرئيس التنفيذي للمجموعة بول إيفريت``، ``الرئيس
  الكوري الجنوبي، مون جيه-إن،``) is the name; a role alone (``الوزير``، ``المهاجم الألماني``) is the person named
  with that role earlier, else the last person speaking; a role of an organisation without a name (``لاعب المنتخب
  البرازيلي السابق``) is the last person speaking where the article names him beside that organisation;
* an organisation or a state of the article (``وزارة الخارجية الأمريكية``، ``إيران``), or a body by its head noun
  (``الوزارة``، ``المرصد``) resolved to the last one of that head named earlier, else (a company's or a club's head,
  no state body's) to the organisation that spoke last (``الشركة``، ``النادي الإنجليزي``); a description with a name
  in apposition (``الشركة الأم "كيتي هوك"``) is that name; a statement (``بيان``) is never a source: its issuer is;
* an unnamed source as written (``مصدر أمني``، ``مسؤولون``، ``أحد المواطنين``);
* a religious text's source as GUIDELINES names it (``قال تعالى`` → الله، ``قال رسول الله`` → النبي); a name
  written as a hashtag (``#حسن_البلام``) or after يدعى (``رجل يدعى ماركوس ناسيمنتو``) is that name.

A person's or an organisation's name is its canonical name where that holds the name as the article writes it,
else the fullest form the article uses (``ترمب``, not a canonical ``ترامب``); ``entity_id`` is set whenever the
source is an entity of the article. The word lists are ``seeds/entities/quotes.json``, classed per word by
:mod:`transforms.attribution`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, compress

from transforms import seeds
from transforms.arabic.chars import QUOTE_MARKS
from transforms.arabic.morphology import ARTICLE, CONJUNCTIONS, LAM_ARTICLE, PROCLITICS, detach_lam
from transforms.attribution import (
    BOUNDARY,
    CLAUSE_STOP,
    COMPLEMENTIZER,
    CONJ_VERB,
    DESCRIPTION,
    GENERIC_PERSON,
    INSTITUTION,
    NOT_NAME,
    OBJECT_VERB,
    PERSON_NOUN,
    PREP_PHRASE,
    PRONOUN_SUFFIX,
    RELATIVE,
    RELAY,
    RELAY_PREP,
    SKIP,
    STATEMENT,
    TITLE_HEAD,
    TOKEN_CLASS,
    attribution_words,
    country_keys,
    head_key,
    manner_adverb,
    object_verb_stem,
    oblique_plural,
    plain_name_word,
    possessed_noun,
    prep_glued,
    relation_key,
    strip_article,
    strip_conj,
    verb_gender,
    word_class,
)
from transforms.entities import fold, reference
from transforms.entities.model import common_words
from transforms.entities.reference import folded_words
from transforms.entities.tokens import (
    ADJECTIVE,
    ATTRIBUTION,
    COMPLEMENT,
    CONNECTOR,
    DEFINITE,
    GIVEN,
    NAME_FIRST,
    NAME_NEXT,
    NISBA,
    PARTICIPLE,
    PLAIN,
    QUOTE_SHIFT,
    TITLE,
    VERB,
    VERB_LIKE,
    WEAK,
    Tokens,
    tokens_of,
)
from transforms.types import Mention

# Reporting-verb kinds of a token, as its flags hold them (transforms.entities.tokens.reporting_kinds).
_V, _P, _W, _A = (bit << QUOTE_SHIFT for bit in (VERB, PARTICIPLE, WEAK, ATTRIBUTION))
_ANY = _V | _P | _W | _A

# Gap classes: what separates a token from the one before it.
_SENT, _COMMA, _COLON, _QUOTE, _PAREN = 1, 2, 4, 8, 16
_GAP_BITS = _SENT | _COMMA | _COLON | _QUOTE | _PAREN
_POINT_ONLY, _MARK = 32, 64  # of _gap_class only: a full stop the only sentence end; a quote mark (of any quote)
_SENTENCE_END = ".!?؟…\n"
_COMMAS = "،,؛;"
_SUBJECT_KINDS = ("person", "name", "org", "place", "source", "role")
_PERSONS = ("person", "name")
# a preposition with a pronoun, between a verb and its subject (صرح به الدكتور، قال له الرئيس)
_PRONOUN_PPS = frozenset({"به", "بها", "بهم", "له", "لها", "لهم", "لنا", "لي"})
_REGARDING = fold("بالنسبة")  # أما بالنسبة لـX: as for X
MAX_SUBJECT_TOKENS = 14
_BRACKETED = re.compile(r"[ \u00a0]*\(([^()\n\d]{2,30})\)")
# the preposition على written with its final alef maqsura, alone or after و/ف: an article that spells it so
# writes the given name علي, not the preposition, where it writes ي
_ALA_SPELLED = re.compile(rf"(?<!\w)[{CONJUNCTIONS}]?على(?!\w)")
MAX_NAME_WORDS = 4


@dataclass(frozen=True, slots=True)
class Speaker:
    """A quote's source: the name to show, the article entity it is (if any), and what it is."""

    name: str
    entity_id: str | None
    kind: str  # person, name (an unknown named person), org, place, source (unnamed), role


@lru_cache(maxsize=4096)
def _gap_class(gap: str) -> int:
    """Classes of the characters between two words (gaps repeat: ``، ``، ``. ``، ``\n\n``)."""
    bits = 0
    if any(c in _SENTENCE_END for c in gap):
        bits |= _SENT | (0 if any(c in gap for c in "!?؟…\n") else _POINT_ONLY)
    if any(c in _COMMAS for c in gap):
        bits |= _COMMA
    if ":" in gap:
        bits |= _COLON
    if "(" in gap or ")" in gap:
        bits |= _PAREN
    if any(c in QUOTE_MARKS for c in gap):
        bits |= _MARK
    return bits


def _without_time_word(name: str) -> str:
    """A name without a day or time word the entity pass ran it on into (``وزارة العدل الإسرائيلية الخميس``).

    >>> _without_time_word("وزارة العدل الإسرائيلية الخميس"), _without_time_word("شرطة الحدود السبت القبض")
    ('وزارة العدل الإسرائيلية', 'شرطة الحدود')
    """
    words = name.split()
    for i in range(1, len(words)):
        bits = word_class(fold(words[i]))
        if bits & SKIP and bits & BOUNDARY:  # (شرطة الحدود الإسرائيلية | السبت القبض)
            return " ".join(words[:i])
    return name


def _unglued(folded: str) -> str:
    """A folded word without the preposition glued to its article (بالزعيم → الزعيم، للرئيس → الرئيس).

    >>> _unglued("بالزعيم"), _unglued("للرئيس"), _unglued("الرئيس")
    ('الزعيم', 'الرئيس', 'الرئيس')
    """
    if not prep_glued(folded):
        return folded
    return detach_lam(folded) if folded.startswith(LAM_ARTICLE) else folded[1:]


@cache
def _state_heads() -> frozenset[str]:
    """Definite heads of a state body (org_heads.json definite_heads: ``الجيش``، ``الرئاسة``), folded: with a
    nationality adjective or alone, the body's own name, not a description of another organisation."""
    return frozenset(map(fold, seeds.entity_list("org_heads")["definite_heads"]))


@dataclass(slots=True)
class _Event:
    tok: int
    speaker: Speaker
    gender: str


class SpeakerResolver:
    """Speaker resolution for one article body.

    ``quotes``: the character spans (start, end) of the quoted text of every quote (without the marks): words
    inside them belong to the speech, not to the attribution. ``names``: spans of short quoted names
    (``وتابع "القرعوطي": "…"``), read as names when they stand where a subject stands.
    """

    def __init__(self, body: str, mentions: list[Mention], quotes: list[tuple[int, int]],
                 names: list[tuple[int, int]], tokens: Tokens | None = None):
        self.body = body
        self.named_words: dict[str, Speaker] = {}  # folded word of an unknown speaker's name -> that speaker
        t = self.tokens = tokens if tokens is not None else tokens_of(body)
        self.size = len(t)
        self.starts, self.ends, self.folded, self.joined, self.flags = t.start, t.end, t.folded, t.joined, t.flags
        self.cls = list(map(TOKEN_CLASS.__getitem__, t.text))
        self.words = attribution_words()
        self.rep = self._reporting_kinds()
        self._inside(quotes)
        self._gaps(quotes)
        self._glued_prepositions(mentions)
        self._given_ali()
        # the first token of each token's sentence: the last sentence start at or before it
        self.sent_start = list(accumulate([k if g & _SENT else 0 for k, g in enumerate(self.gap)], max))
        self._mentions(mentions)
        self.name_at: dict[int, tuple[int, str]] = {}  # first token of a quoted name -> (last token, text)
        for s, e in names:
            a, b = bisect.bisect_left(self.starts, s), bisect.bisect_left(self.starts, e)
            if a < b:
                self.name_at[a] = (b - 1, body[s:e].strip())
        self.links: dict[str, list[tuple[int, Speaker, frozenset[str]]]] = {}  # role head -> persons named with it
        self._role_links()
        self._unknown_name_links()
        self.events: list[_Event] = []
        self.event_toks: list[int] = []
        self._verb_events()

    # -- article facts -------------------------------------------------------------------------------
    def _given_ali(self) -> None:
        """``علي`` after a title (``وزير النفط د. علي النعيمي``، ``الشيخ علي``) or before ``عبد`` (``علي عبد الله
        صالح``) is the given name, not the preposition ``على`` that folding makes it equal to."""
        spelled_ala: bool | None = None  # whether the article writes the preposition على (looked up once, lazily)
        for k in compress(range(self.size), map("علي".__eq__, self.folded)):
            if k and self.cls[k] & BOUNDARY and self.tokens.text[k].endswith("ي") and (
                    self.flags[k - 1] & TITLE or self.cls[k - 1] & (PERSON_NOUN | TITLE_HEAD | DESCRIPTION)
                    or len(self.folded[k - 1]) == 1 or self.joined[k] and self.flags[k - 1] & (NAME_FIRST | GIVEN)
                    and not self.rep[k - 1] and self.folded[k - 1] not in reference().stop
                    or k + 1 < self.size and self.joined[k + 1] and self.flags[k + 1] & CONNECTOR
                    and self.folded[k + 1] == "عبد"  # علي عبد الله صالح
                    or self.rep[k - 1] & (_V | _W) and k + 1 < self.size and self.joined[k + 1]
                    and self.flags[k + 1] & (NAME_FIRST | NAME_NEXT | GIVEN) and not self.flags[k + 1] & DEFINITE
                    and not self.cls[k + 1] & (BOUNDARY | INSTITUTION | STATEMENT | TITLE_HEAD | PERSON_NOUN)):
                # (وقال علي أكبر ولايتي: a verb, then علي before a name word)
                self.cls[k] &= ~BOUNDARY
            elif k and self.cls[k] & BOUNDARY and self.tokens.text[k].endswith("ي") and spelled_ala is not False \
                    and k + 1 < self.size and self.joined[k + 1] and self._name_word_after_ali(k + 1):
                spelled_ala = spelled_ala or bool(_ALA_SPELLED.search(self.body))
                if spelled_ala:  # المتحدث باسم مجلس قيادة المقاومة الشعبية علي الأحمدي، where the article writes على
                    self.cls[k] &= ~BOUNDARY

    def _name_word_after_ali(self, j: int) -> bool:
        """Token ``j`` can continue a name after ``علي``: a name word or a family name (``الأحمدي``), not a
        particle, a body, a statement or a role (``على الحكومة``، ``على البيان``)."""
        return bool(self.flags[j] & (NAME_FIRST | NAME_NEXT | GIVEN | NISBA)) and self.folded[j] not in reference().stop \
            and not self.cls[j] & (BOUNDARY | INSTITUTION | STATEMENT | TITLE_HEAD | PERSON_NOUN | SKIP | NOT_NAME)

    def _given_name_ali(self, k: int) -> bool:
        """Token ``k`` is ``علي`` read as the given name by :meth:`_given_ali`."""
        return self.folded[k] == "علي" and not self.cls[k] & BOUNDARY

    def _glued_prepositions(self, mentions: list[Mention]) -> None:
        """ل or ب glued to a word the article also writes bare (``قال لآبي`` beside ``شينزو آبي``، ``بوسائل``
        beside ``وسائل``), ل glued to a feminine noun (``لعملية السلام``) or to a word with a digit (``لفرانس24``): a
        preposition's object, never a speaker's name (PREP_PHRASE). (Not ب before a feminine ending: بقنة is a
        surname; باسم is read as a phrase elsewhere; nor a later word of a person's name: تيد بيكون, where the
        article also writes يكون.)"""
        bare = set(self.folded)
        text = self.tokens.text
        starts = self.starts
        in_name = {k for m in mentions if m.entity_type == "PERSON"
                   for k in range(bisect.bisect_right(starts, m.char_start), bisect.bisect_left(starts, m.char_end))}
        for k, f in enumerate(self.folded):
            if len(f) < 4 or f[0] not in "لب" or self.cls[k] & PREP_PHRASE or self.flags[k] & GIVEN or f == "باسم" \
                    or k in in_name or self._enclosed_pair(k):
                continue
            if f[1:] in bare or f[0] == "ل" and (text[k].endswith("ة") and f[1:] not in reference().stop
                                                  or any(ch.isdigit() for ch in f)) \
                    or len(f) > 4 and self.cls[k] & PRONOUN_SUFFIX and (  # بتغريدته: a preposition's noun
                        word_class(possessed_noun(f[1:])) & STATEMENT or possessed_noun(f[1:]) in reference().stop):
                self.cls[k] |= PREP_PHRASE

    def _enclosed_pair(self, k: int) -> bool:
        """Tokens ``k`` and ``k + 1`` stand alone between commas (or a comma and a bracket) and the second can be a
        name's word: a name in apposition (``مساعدة قائد الشرطة، لويزة روفل، إن``), whatever its first letter."""
        nxt = k + 1
        return bool(self.gap[k] & _COMMA and nxt < self.size and self.joined[nxt]
                    and self.flags[nxt] & NAME_NEXT and not self.flags[nxt] & DEFINITE
                    and (nxt + 1 >= self.size or self.gap[nxt + 1] & (_COMMA | _PAREN)))

    def _reporting_kinds(self) -> list[int]:
        """Reporting-verb kinds of each token (the token flags' bits), with the verbs the flags' proclitic
        readings miss: a conjunction on a short verb (ورد، فرد) and an object pronoun (أعلنته، قاله)."""
        kinds = list(map(_ANY.__and__, self.flags))
        for k in range(1, self.size - 1):
            if kinds[k] and self.folded[k + 1] in self.words.function_words["withheld"] \
                    and self.folded[k - 1] in self.words.function_words["negations"]:
                kinds[k] = 0  # مصدر لم يذكر اسمه، ساكن لم تذكر اسمه: a name withheld, no one speaking
        w = self.words
        for k in compress(range(self.size), map((OBJECT_VERB | CONJ_VERB).__and__, self.cls)):
            c = self.cls[k]
            if c & OBJECT_VERB:
                kinds[k] |= _V
            elif not kinds[k]:
                rest = self.folded[k][1:]
                kinds[k] |= _V if rest in w.verbs else _P if rest in w.participles else 0
        return kinds

    def _inside(self, quotes: list[tuple[int, int]]) -> None:
        self.inside = inside = [False] * self.size
        for s, e in quotes:
            a, b = bisect.bisect_left(self.starts, s), bisect.bisect_left(self.starts, e)
            if a < b:
                inside[a:b] = [True] * (b - a)

    def _gaps(self, quotes: list[tuple[int, int]]) -> None:
        """Gap class of each token: sentence end, comma, colon, a mark of a quote, a parenthesis before it."""
        body, starts, ends, folded = self.body, self.starts, self.ends, self.folded
        marks = sorted({p for s, e in quotes for p in (s - 1, e) if 0 <= p < len(body) and body[p] in QUOTE_MARKS})
        self.gap = gap = [0] * self.size
        if self.size:
            gap[0] = _SENT
        joined = self.joined
        for k in [k for k in range(1, self.size) if not joined[k]]:
            bits = _gap_class(body[ends[k - 1]:starts[k]])
            if bits & _POINT_ONLY and (len(folded[k - 1]) == 1 or folded[k - 1].isdigit() and folded[k].isdigit()):
                bits &= ~_SENT  # the point of an abbreviation (د. علي) or of a decimal number (6.7)
            if bits & _MARK:
                lo = bisect.bisect_left(marks, ends[k - 1])
                if lo < len(marks) and marks[lo] < starts[k]:
                    bits |= _QUOTE
            gap[k] = bits & _GAP_BITS

    def _mentions(self, mentions: list[Mention]) -> None:
        """Mentions by first and last token; each entity's surfaces (for its display name); person words."""
        starts = self.starts
        self.mention_first: dict[int, tuple[Mention, int]] = {}
        self.mention_last: dict[int, Mention] = {}
        self.covered = [False] * self.size
        self.surfaces: dict[str, list[str]] = {}
        self.canonical: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        self.org_mentions: list[tuple[int, Mention]] = []
        self.person_by_word: dict[str, list[str]] = {}  # folded name word -> person entity ids
        stop = reference().stop
        for m in mentions:
            a = max(0, bisect.bisect_right(starts, m.char_start) - 1)
            b = max(0, bisect.bisect_right(starts, max(m.char_end - 1, m.char_start)) - 1)
            if m.entity_type == "PERSON" and (self.cls[a] & (BOUNDARY | SKIP | NOT_NAME | COMPLEMENTIZER)
                                              or self.folded[a] in stop and not self._given_name_ali(a)
                                              or prep_glued(self.folded[a])):
                continue  # a particle or a preposition's noun taken for a name (وفي حالة، للمركز): not a source
            self.mention_first.setdefault(a, (m, b))
            self.mention_last.setdefault(b, m)
            for k in range(a, b + 1):
                self.covered[k] = True
            self.surfaces.setdefault(m.entity_id, []).append(m.surface)
            self.canonical[m.entity_id] = m.canonical_name
            if m.entity_type == "ORG":
                self.org_mentions.append((a, m))
            elif m.entity_type == "PERSON":
                for word in {*m.surface.split(), *m.canonical_name.split()}:
                    ids = self.person_by_word.setdefault(fold(word), [])
                    if m.entity_id not in ids:
                        ids.append(m.entity_id)

    def display(self, eid: str) -> str:
        """An entity's name as shown: its canonical name when that holds every form the article writes,
        else the fullest form the article writes (``ترمب`` stays ``ترمب``)."""
        shown = self._shown.get(eid)
        if shown is None:
            shown = self._shown[eid] = self._display(eid)
        return shown

    def _display(self, eid: str) -> str:
        canonical = self.canonical[eid]
        padded = f" {' '.join(fold(w) for w in canonical.split())} "
        surfaces = self.surfaces[eid]
        if all(f" {' '.join(fold(w) for w in s.split())} " in padded for s in surfaces):
            return _without_time_word(canonical)
        return _without_time_word(max(surfaces, key=lambda s: (len(s.split()), len(s))))

    def _entity_speaker(self, m: Mention) -> Speaker:
        kind = {"PERSON": "person", "ORG": "org", "PLACE": "place"}.get(m.entity_type, "org")
        return Speaker(self.display(m.entity_id), m.entity_id, kind)

    def _mention_speaker(self, a: int, m: Mention, b: int, e: int) -> Speaker:
        """The entity of a mention at tokens a..b; a person known by a given name only (``رودي``) takes the
        name words that follow it (``رودي جارسيا``); a name that ran on into a preposition or a time word
        (``رامي عبد الرحمن لوكالة الأنباء``، ``تسيبراس الجمعة``) stops before it."""
        if m.entity_type == "PERSON":
            for j in range(a + 1, b + 1):
                if self.cls[j] & (PREP_PHRASE | SKIP | BOUNDARY | STATEMENT | COMPLEMENTIZER) \
                        and not self.flags[j] & (CONNECTOR | GIVEN):  # (جيرارد فان بوهمن)
                    return Speaker(self._text(a, j), m.entity_id, "person")
        bare_given = all(self.flags[k] & (GIVEN | CONNECTOR) or k > a and self.flags[k - 1] & CONNECTOR
                         for k in range(a, b + 1))  # محمد، عبد الرحمن
        if m.entity_type == "PERSON" and b + 1 < e and self.joined[b + 1] and not self.covered[b + 1] \
                and (bare_given or a == b and len(m.canonical_name.split()) == 1) \
                and (self.flags[b + 1] & NAME_NEXT or plain_name_word(self.folded[b + 1])) \
                and (self.folded[b + 1][0] not in "بلكوف" or self.flags[b + 1] & GIVEN) \
                and (not self.tokens.text[b + 1].endswith("ة") or self.flags[b + 1] & GIVEN or self._name_ends(b + 2)) \
                and not self.flags[b + 1] & (ADJECTIVE | NISBA | TITLE) \
                and not self.cls[b + 1] & (BOUNDARY | NOT_NAME | PREP_PHRASE | COMPLEMENTIZER | STATEMENT | DESCRIPTION
                                           | PERSON_NOUN | INSTITUTION | SKIP | PRONOUN_SUFFIX):  # (وتابع أوغلو حديثه)
            last = self._read_name(b + 1, e)
            if last is not None:
                return self._name_speaker(self._text(a, last + 1))
        if m.entity_type == "ORG" and b + 1 < e and self.joined[b + 1] and not self.covered[b + 1] \
                and self.folded[b + 1].startswith("لل"):
            end = self._definite_end(b, e)  # المديرية العامة + للشؤون الصحية
            if end > b + 1:
                return Speaker(self._text(a, end), m.entity_id, "org")
        return self._with_short_form(self._entity_speaker(m), m.char_end)

    def _with_short_form(self, sp: Speaker, end: int) -> Speaker:
        """The name with the short form the article gives in brackets right after it (``حركة المقاومة الإسلامية
        (حماس)``، ``محمود عباس (أبو مازن)``): a source is cited by either."""
        m = _BRACKETED.match(self.body, end)
        if m is None or len(m.group(1).split()) > 3 or fold(m.group(1)) in fold(sp.name):
            return sp
        inner = self.tokens.index_at(m.start(1))
        acronym = sp.kind == "org" and len(sp.name.split()) > 1 and len(m.group(1).split()) <= 2  # (حماس)، (أونروا)
        if not 0 <= inner < self.size or not (self.covered[inner] or acronym):
            return sp  # محمد (56 عاما): a gloss, not a name
        return Speaker(f"{sp.name} ({m.group(1).strip()})", sp.entity_id, sp.kind)

    def _role_links(self) -> None:
        """Persons named with a role (``وزير الخارجية الأمريكي، جون كيري``، ``علياء ممدوح، محلل الاقتصاد``):
        role head -> [(token, person, the role's words)], for a later ``الوزير`` to find them."""
        flags, cls, folded = self.flags, self.cls, self.folded
        for a, (m, b) in sorted(self.mention_first.items()):
            if m.entity_type != "PERSON":
                continue
            sp = self._entity_speaker(m)
            heads: list[str] = []
            words: set[str] = set()
            # the role before the name: title, adjectives, complements (في لبنان، صندوق النقد), one comma
            k, commas = a - 1, 0
            while k >= 0 and a - k <= 9 and not self.gap[k + 1] & (_SENT | _QUOTE | _COLON):
                if self.gap[k + 1] & _COMMA:
                    commas += 1
                    if commas > 1:
                        break
                fl, c = flags[k], cls[k]
                if folded[k] == "باسم" and self._spoken_for(k - 1, a):
                    break  # المتحدث باسم الرئيس محمود عباس: the spokesman is not the one named
                before = self.mention_last.get(k)
                if before is not None and before.entity_type == "PERSON" and before.entity_id != m.entity_id:
                    h = self.tokens.index_at(before.char_start) - 1
                    if h < 0 or flags[h] & DEFINITE or not (flags[h] & TITLE or cls[h] & (
                            PERSON_NOUN | TITLE_HEAD | DESCRIPTION)):
                        break  # الجبير نظيره الأمريكي مايك بومبيو: another's name ends the role (not محامية جادج)
                nxt_definite = k + 1 < a and (flags[k + 1] & DEFINITE or self.covered[k + 1])
                if fl & TITLE or c & (PERSON_NOUN | TITLE_HEAD):
                    heads.append(head_key(_unglued(folded[k])))
                elif not (fl & (DEFINITE | NISBA | ADJECTIVE | COMPLEMENT) or self.covered[k] or nxt_definite and (
                        c & BOUNDARY and folded[k] in ("في", "لدى", "ب") or fl & NAME_NEXT and not c & BOUNDARY)):
                    break
                words.add(strip_article(_unglued(folded[k])))
                k -= 1
            # the role after the name (علياء ممدوح، محلل ... / نديم المنلا مستشار الحريري)
            k = b + 1
            if k < self.size and not self.gap[k] & (_SENT | _QUOTE | _COLON):
                for j in range(k, min(self.size, k + 2)):
                    if j > k and not self.joined[j] or cls[j] & PRONOUN_SUFFIX:
                        break  # (الجبير نظيره الأمريكي: the counterpart is someone else)
                    if flags[j] & TITLE or cls[j] & (PERSON_NOUN | TITLE_HEAD | DESCRIPTION):
                        heads.append(head_key(folded[j]))
                        words.add(strip_article(folded[j]))
                        for adj in range(j + 1, min(self.size, j + 4)):
                            if not self.joined[adj] or not (flags[adj] & DEFINITE or self.covered[adj]):
                                break
                            words.add(strip_article(folded[adj]))
                        break
            role_words = frozenset(words)
            for h in heads:
                self.links.setdefault(h, []).append((a, sp, role_words))

    def _unknown_name_links(self) -> None:
        """Roles given to a name no mention covers: ``الأميرة يوجيني،`` (a definite role, then the name) and
        ``مات هيربر، الباحث في …`` (the name, a comma, then the role), for a later ``الأميرة`` or ``الباحث``."""
        flags, cls, folded = self.flags, self.cls, self.folded
        for k in range(self.size):
            if self.inside[k] or not (flags[k] & TITLE or cls[k] & (PERSON_NOUN | TITLE_HEAD)) \
                    or not (strip_conj(folded[k]).startswith(ARTICLE) or prep_glued(folded[k])):
                continue  # (a role after a preposition names its person too: وصف القمة بالزعيم الكوري الشمالي كيم)
            tagged = self._tagged_after_role(k)
            if tagged is not None:
                self._link(k, k + 1, tagged)
                continue
            name = self._name_after_role(k) or self._name_before_role(k)
            if name is not None:
                self._link(k, k + 1, self._name_speaker(self._text(*name)))

    def _tagged_after_role(self, k: int) -> Speaker | None:
        """A hashtag name after the role at ``k`` and its relation adjectives (``الممثل الكويتي #حسن_البلام``)."""
        j = k + 1
        while j < self.size and j - k <= 3 and self.joined[j] and self.flags[j] & DEFINITE \
                and self.flags[j] & (NISBA | ADJECTIVE) and not self.covered[j]:
            j += 1
        if j >= self.size or self.covered[j] or self.inside[j]:
            return None
        tagged = self._hashtag_name(j)
        return self._name_speaker(tagged) if tagged is not None else None

    def _name_after_role(self, k: int) -> tuple[int, int] | None:
        """Tokens (start, end) of an unknown name right after the role at ``k`` that ends its phrase."""
        j = k + 1
        if j >= self.size or not self.joined[j] or self.covered[j] or self.inside[j] \
                or not self.flags[j] & (NAME_FIRST | NAME_NEXT | GIVEN) or self.flags[j] & (DEFINITE | TITLE) \
                or self.cls[j] & (NOT_NAME | BOUNDARY | DESCRIPTION | PREP_PHRASE | TITLE_HEAD | PRONOUN_SUFFIX):
            return None
        last = self._read_name(j, min(self.size, j + MAX_NAME_WORDS))
        if last is None or last + 1 < self.size and not self.gap[last + 1] & (_COMMA | _PAREN | _SENT):
            return None
        return j, last + 1

    def _name_before_role(self, k: int) -> tuple[int, int] | None:
        """Tokens (start, end) of an unknown name before a comma and the role at ``k``."""
        if not self.gap[k] & _COMMA or self.gap[k] & _SENT:
            return None
        j = k
        while j - 1 >= 0 and k - j < 3 and (j == k or self.joined[j]) and not self.covered[j - 1] \
                and not self.inside[j - 1] and self.flags[j - 1] & (NAME_FIRST | NAME_NEXT | GIVEN) \
                and not self.flags[j - 1] & (DEFINITE | TITLE) and not self.rep[j - 1] \
                and not self.cls[j - 1] & (NOT_NAME | BOUNDARY | COMPLEMENTIZER | PREP_PHRASE | DESCRIPTION):
            j -= 1
        if j == k or k - j < 2 and not self.flags[j] & GIVEN:
            return None  # one unknown word is too weak a name
        if j > 0 and self.joined[j] and not (self.cls[j - 1] & (COMPLEMENTIZER | BOUNDARY) or self.rep[j - 1]):
            return None
        return j, k

    def _link(self, k: int, pe: int, sp: Speaker) -> None:
        """Remember that the role at tokens k..pe-1 named ``sp`` (``مديرة صندوق النقد الدولي كريستين لاغارد``)."""
        folded = [_unglued(self.folded[j]) for j in range(k, pe)]
        words = frozenset(strip_article(strip_conj(f)) for f in folded)
        for j, f in zip(range(k, pe), folded, strict=True):
            if self.flags[j] & TITLE or self.cls[j] & (PERSON_NOUN | TITLE_HEAD):
                hits = self.links.setdefault(head_key(f), [])
                if (k, sp, words) not in hits:
                    bisect.insort(hits, (k, sp, words), key=lambda h: h[0])

    def _verb_events(self) -> None:
        """The explicit subject of every reporting verb outside quotes, in text order (for later bare verbs)."""
        inside = self.inside
        reporter = -1  # the last reporting verb with a subject of its own
        for v in compress(range(self.size), map((_V | _W).__and__, self.rep)):
            if inside[v] or v and self.folded[v - 1] == "حد":
                continue
            sp = self._explicit_subject(v, self._clause_end(v))
            if sp is not None and reporter >= self.sent_start[v] and any(
                    self.cls[c] & COMPLEMENTIZER for c in range(reporter + 1, v)):
                self._remember_name(sp)  # أكدت ساندرز أن واشنطن لا تزال تأمل: a subject in the reported clause is
                continue  # not the one a later bare وأضافت continues
            if sp is not None:
                reporter = v
                self.events.append(_Event(v, sp, self._speaker_gender(v, sp)))
                self._remember_name(sp)
                self.event_toks.append(v)

    def _speaker_gender(self, v: int, sp: Speaker) -> str:
        """The gender the verb at ``v`` gives its source ``sp``: none for a relaying verb's relayed source (``ونقلت
        صحيفة … عن ساكن``: the paper's, not the resident's, whom a later ``وأضاف`` continues); a relayer that
        relays no one's words (a body) is the verb's subject."""
        end = self._clause_end(v)
        if sp.kind != "org" and (self.cls[v] & RELAY and any(self.cls[j] & RELAY_PREP for j in range(v + 1, end))
                                 or self._relays_object(v) or self.words.naqlan in self.folded[v + 1:end]):
            return ""  # (نقل ولي العهد تحيات …: no عن, nothing relayed, the verb's subject)
        return verb_gender(self.folded[v])

    def add_event(self, char: int, sp: Speaker, gender: str) -> None:
        """Record a resolved quote's speaker at character ``char`` (later bare verbs may carry it)."""
        tok = self.tokens.index_at(char)
        i = bisect.bisect_right(self.event_toks, tok)
        self.event_toks.insert(i, tok)
        self.events.insert(i, _Event(tok, sp, gender))
        self._remember_name(sp)

    # -- clause geometry ------------------------------------------------------------------------------
    def _clause_end(self, v: int) -> int:
        """The first token after ``v`` that ends its clause: a sentence end, a colon, a quote."""
        k = v + 1
        while k < self.size and k - v < 40 and not self.gap[k] & (_SENT | _COLON | _QUOTE) and not self.inside[k]:
            k += 1
        return k

    def _window(self, k: int, limit: int) -> int:
        """End (exclusive) of the stretch from ``k`` where a subject's words can be: it stops at a sentence
        end, a colon, a quote, إن/أن, a reporting verb or a clause stop (مع، الذي)."""
        e = k
        gap, cls, inside = self.gap, self.cls, self.inside
        while e < limit and e - k < MAX_SUBJECT_TOKENS and not inside[e]:
            if e > k and (gap[e] & (_SENT | _COLON | _QUOTE) or cls[e] & (COMPLEMENTIZER | CLAUSE_STOP)
                          or self.rep[e] & (_V | _P)) and self.body[self.ends[e - 1]:self.starts[e]] != "-":
                break
            e += 1
        return e

    def _phrase_end(self, k: int, e: int, most: int = 6) -> int:
        """End of the noun phrase at ``k`` within ``e``: a comma, a preposition or a number ends it."""
        j = k + 1
        definite = bool(self.flags[k] & DEFINITE)
        saying = self.words.function_words["saying"]  # (وأضاف المتحدث قوله: the phrase ends before قوله)
        # (ويعتبر الخبراء هذه التعليقات: a demonstrative opens the object)
        demonstratives = self.words.function_words["demonstratives"]
        reports = self.words.report_nouns  # (معدو الدراسة: a report noun in construct is the phrase's)
        while j < e and j - k < most and self.joined[j] and not self.cls[j] & (BOUNDARY | PREP_PHRASE) \
                and not (self.cls[j] & STATEMENT and self.folded[j] not in reports) \
                and not self.folded[j].isdigit() and not self.gap[j] & (_COMMA | _PAREN) and self.folded[j] not in saying \
                and self.folded[j] not in demonstratives:
            if definite and not self.flags[j] & (DEFINITE | GIVEN) and not self.covered[j] \
                    and self.tokens.text[j].endswith(("ات", "ة", "اً")):
                break  # الرئيس اليمني الراحل | انتقادات: an indefinite noun after a definite phrase is a new one
            if self._definite_plural_after_definite(j):
                break  # وتتهم المنظمة | السلطات
            if self.flags[j - 1] & NISBA and j - 1 > k and self.flags[j] & DEFINITE \
                    and not self.flags[j] & (NISBA | ADJECTIVE | TITLE) and not self.covered[j] \
                    and not self.cls[j] & (PERSON_NOUN | TITLE_HEAD) and self.tokens.text[j].startswith("ال"):
                # وصف رئيس الوزراء الهندي | الحادث: a definite noun right after the adjectives is the object (not a
                # name written with إل: اللاعب البرازيلي إلتون الميدا)
                break
            j += 1
        return j

    def _source_complement_end(self, pe: int, e: int) -> int:
        """End of an unnamed source's description with the body or group it belongs to (``مسؤول | في حلف
        الأطلسي``، ``شخصا آخر | في العائلة``، ``مصدر مقرب | من الوزير``): في/من/لدى or a glued ب and a definite
        phrase or a name; else ``pe`` (``مسؤول | في تصريح``، ``في وقت لاحق``: no body)."""
        if pe >= e or not self.joined[pe] or self.gap[pe] & (_COMMA | _PAREN):
            return pe
        j = pe + 1 if self.folded[pe] in ("في", "من", "لدي", "لدى") else pe if self.folded[pe].startswith("ب") \
            and len(self.folded[pe]) > 3 and self.cls[pe] & PREP_PHRASE else None
        if j is None or j >= e or not self.joined[j]:
            return pe
        hit = self.mention_first.get(j)
        if hit is not None and hit[1] < e:
            end = self._definite_end(hit[1], e)
        elif (self.flags[j] & DEFINITE or j == pe and self.folded[j][1:].startswith(ARTICLE)) and not self.rep[j] \
                and not self.cls[j] & (STATEMENT | SKIP | BOUNDARY | COMPLEMENTIZER) \
                and not self.flags[j] & (NISBA | ADJECTIVE) and not (j == pe and self.folded[j].endswith("ي")):
            # (not an adjective: وصفه البعض بالأسطوري is a predicate, no group)
            end = self._definite_end(j, e)
        else:
            return pe
        while end - 1 > j and self.cls[end - 1] & SKIP:
            end -= 1  # a time word the name ran on into (في وزارة الخارجية الأمريكية السبت)
        return end

    def _definite_end(self, k: int, e: int, most: int = 4) -> int:
        """End of a body's name at ``k``: its head and the definite words or names that follow it
        (``الشرطة السودانية``، ``جهاز الشرطة``, not ``النادي الإماراتي تغريدة``)."""
        j = k + 1
        while j < e and j - k < most and self.joined[j] and (self.flags[j] & DEFINITE or self.covered[j]) \
                and not self.cls[j] & (BOUNDARY | STATEMENT) \
                and not (self.cls[j] & PREP_PHRASE and not self.folded[j].startswith("لل")) \
                and not self._definite_plural_after_definite(j):
            j += 1
        return j

    def _definite_plural_after_definite(self, j: int) -> bool:
        """Token ``j`` is a definite plural (``السلطات``) right after a definite word: no adjective of it, so the
        object of the verb that word is the subject of (``وتتهم المنظمة السلطات``), not more of its name."""
        return bool(self.flags[j - 1] & DEFINITE and self.flags[j] & DEFINITE) and not self.covered[j] \
            and not self.flags[j] & (NISBA | ADJECTIVE | TITLE) and self.tokens.text[j].endswith("ات")

    def _text(self, k: int, end: int) -> str:
        """Tokens k..end-1 as written (a conjunction on the first word dropped when the rest is the word)."""
        start = self.starts[k]
        f = self.folded[k]
        if len(f) > 3 and f[0] in CONJUNCTIONS and (word_class(f[1:]) & (DESCRIPTION | INSTITUTION | PERSON_NOUN)
                                                     or f[1:] in reference().org_heads | reference().media_heads):
            start += 1  # والمصدر، فمنظمة "هيومن رايتس ووتش"
        return " ".join(self.body[start:self.ends[end - 1]].split())

    def _bare_class(self, k: int) -> tuple[int, str]:
        """Class and folded form of token ``k`` without a glued preposition (للحكومة → الحكومة)."""
        f = self.folded[k]
        if self.cls[k] & PREP_PHRASE and len(f) > 2:
            bare = ARTICLE + f[2:] if f.startswith("لل") else f[1:]
            return word_class(bare), bare
        return self.cls[k], f

    # -- subjects -------------------------------------------------------------------------------------
    def subject_at(self, k: int, limit: int, after_verb: bool = True) -> Speaker | None:
        """The source named by the phrase starting at token ``k`` (before token ``limit``), or None.

        ``after_verb``: the phrase stands where a reporting verb's subject stands (after the verb, after
        ``عن``، ``بحسب``); a phrase opening a sentence names a source only when it is a known one."""
        if k >= limit or k >= self.size or self.inside[k] or self.tokens.text[k] in self.words.before_with_hamza:
            return None
        e = self._window(k, limit)
        if e <= k:
            return None
        religious = self._religious_source(k, e)
        if religious is not None:
            return religious
        tagged = self._hashtag_name(k)
        if tagged is not None and k not in self.mention_first:
            return self._name_speaker(tagged)
        quoted = self.name_at.get(k)
        if quoted is not None:
            if self.rep[k] & (_V | _P | _W) or self.folded[k] in reference().stop and not self._given_name_ali(k):
                return None  # a quoted verb or particle (بحسب " وقال "، "في") is a stray word, no one's name
            return self._name_speaker(quoted[1])
        hit = self.mention_first.get(k)
        c, fl = self.cls[k], self.flags[k]
        if k + 1 < e and k + 1 in self.name_at and (c & INSTITUTION or reference().org_heads & {
                f for f, _ in self.tokens.info[k].forms[:2]}):
            # شركة "بي ايه اي": a body's head noun and its quoted name
            name = f"{self._text(k, k + 1)} {self.name_at[k + 1][1]}"
            return Speaker(name, hit[0].entity_id if hit is not None else None, "org")
        if hit is not None and hit[1] < e + 1:
            return self._described_body(k, hit[0], hit[1]) or self._mention_speaker(k, hit[0], hit[1], e)
        if c & STATEMENT:
            # وقال البيان: the statement stands for its issuer; كتبت تغريدة: an indefinite one is an object
            definite = strip_conj(self.folded[k]).startswith(ARTICLE)
            return self._issuer(k, e, strict=not (definite and after_verb))
        role = fl & TITLE or c & (PERSON_NOUN | TITLE_HEAD)
        if role or c & (DESCRIPTION | GENERIC_PERSON):
            called = self._called_name(k, e)
            if called is not None:
                return called  # رجل يدعى ماركوس ناسيمنتو
        if role or c & DESCRIPTION:
            sp = self._person_in(k, e) or self._apposition_name(k, e)
            pe = self._phrase_end(k, e)
            if sp is not None:
                if role and sp.kind in _PERSONS:
                    self._link(k, pe, sp)
                return sp
            ref = (self._role_reference(k, pe) or self._member_reference(k, pe, e) if role else None) or (
                self._source_reference(k) if c & DESCRIPTION else None)
            if ref is not None:
                return ref
            if c & DESCRIPTION and not role or role and not fl & DEFINITE:
                pe = self._source_complement_end(pe, e)  # an unnamed role is described by its body too (عضو في المجلس)
            return Speaker(self._text(k, pe), None, "source" if c & DESCRIPTION else "role")
        if c & INSTITUTION:
            return self._body_reference(k, self._definite_end(k, e))
        named = self._named_body(k, e)
        if named is not None:
            return named
        if c & GENERIC_PERSON:
            sp = self._person_in(k, e)  # رجل الأعمال المشهور بيل غيتس
            if sp is not None:
                return sp
            return Speaker(self._text(k, self._phrase_end(k, e, most=3)), None, "role")
        if c & PRONOUN_SUFFIX and not fl & VERB_LIKE:
            named = self._possessor_apposition(k, e)  # محاميتها عزه محمد أحمد، نظيره الروسي سيرغي لافروف
            if named is not None:
                return named
        if c & PRONOUN_SUFFIX and (fl & VERB_LIKE or not (k + 1 < e and self.joined[k + 1]
                                                           and self.flags[k + 1] & NAME_NEXT
                                                           and not self.flags[k + 1] & DEFINITE)):
            return None  # جهتها، سعادته، تصنعها; but a name may end in ه (أيرينيه زيفونو)
        connector = fl & CONNECTOR and k + 1 < e and self.joined[k + 1] and self.flags[k + 1] & NAME_NEXT
        if connector:  # أبو الغيط، بن علوي
            last = self._read_name(k, e)
            return self._name_speaker(self._text(k, last + 1)) if last is not None and last > k else None
        if c & (NOT_NAME | BOUNDARY | COMPLEMENTIZER | PREP_PHRASE | SKIP) or self.covered[k] \
                or fl & COMPLEMENT or self.folded[k] in reference().stop and not self._given_name_ali(k):
            return None
        if fl & DEFINITE:
            # a definite word where a subject stands: a role before a name (وقال المشرف على الدراسة، الدكتور
            # توم مول) or a family name (وأوضح الجارحي، الزهراني)
            sp = self._person_in(k, e) or self._apposition_name(k, e)  # أعرب المصري الدولي محمد صلاح
            if sp is not None:
                return sp
            if after_verb and fl & NISBA and strip_conj(self.folded[k]) in reference().nationality:
                sp = self._nationality_reference(k)  # وأعرب الإسباني … after جناحه الإسباني بدرو رودريغيز
                if sp is not None:
                    return sp
            if not after_verb or fl & ADJECTIVE:
                return None
            sp = self._name_speaker(self._text(k, k + 1))
            if sp.kind == "person" or sp.kind == "name" and sp.name != self._text(k, k + 1):
                return sp
            if k + 1 < e and self.joined[k + 1] and self.flags[k + 1] & NISBA and not fl & NISBA \
                    and self.folded[k + 1] not in reference().nisba_extra:
                # a definite noun and its relation adjectives: a body (قالت الخطوط الجوية الماليزية)
                return Speaker(self._text(k, self._definite_end(k, e)), None, "org")
            # a relation adjective that is no nationality, alone where a subject stands, is a family name
            return sp if fl & NISBA and self._phrase_ends(k + 1, e) else None
        if fl & (NAME_FIRST | GIVEN) or fl & NAME_NEXT and not self.tokens.text[k].endswith("ة") \
                or after_verb and not c and self.tokens.text[k].endswith("ة") and self._name_ends(k + 1) \
                and not fl & DEFINITE and not self.rep[k] and not self._head_noun(k) \
                and self.folded[k] not in reference().stop \
                or fl & PLAIN and not fl & VERB_LIKE and plain_name_word(self.folded[k], bool(fl & DEFINITE)):
            last = self._read_name(k, e)
            if last is not None:
                sp = self._name_speaker(self._text(k, last + 1))
                if sp.kind != "person" and not fl & GIVEN and self.folded[k] in common_words():
                    # واعترف بوجود "…"، ما كتب مجرد مغالطات: a word the training text never has in a name opens none
                    return None
                if sp.kind == "person" or fl & GIVEN or self._role_follows(last + 1, e) \
                        or after_verb and self._phrase_ends(last + 1, e):
                    return sp
        return None

    def _religious_source(self, k: int, e: int) -> Speaker | None:
        """A religious text's source as such texts name it (``قال تعالى``، ``يقول رسول الله صلى الله عليه وسلم``): the
        name GUIDELINES gives it (``الله``، ``النبي``), whatever epithet the article uses."""
        first = self.folded[k]
        for head in (first, first[1:] if len(first) > 3 and first[0] in CONJUNCTIONS else None):
            for phrase, name in self.words.religious.get(head, ()) if head else ():
                n = len(phrase)
                if k + n <= e and tuple(self.folded[k + 1:k + n]) == phrase[1:] \
                        and all(self.joined[k + i] for i in range(1, n)):
                    return Speaker(name, None, "source")
        return None

    def _called_name(self, k: int, e: int) -> Speaker | None:
        """The name after ``يدعى``/``تدعى``/``اسمه`` that follows the noun at ``k`` (``رجل يدعى ماركوس ناسيمنتو``،
        ``مواطنة تدعى فاطمة``): the person so called."""
        for j in range(k + 1, min(e - 1, k + 4)):
            if self.folded[j] in self.words.function_words["called"] and self.joined[j] and self.joined[j + 1]:
                last = self._read_name(j + 1, e)
                return self._name_speaker(self._text(j + 1, last + 1)) if last is not None else None
            if not self.joined[j] or not self.flags[j] & (NISBA | ADJECTIVE):
                return None  # only the noun's adjectives stand between (not مسؤول لم يذكر اسمه)
        return None

    def _hashtag_name(self, k: int) -> str | None:
        """A person's name written as a hashtag (``الممثل الكويتي #حسن_البلام``): its words, when the first is a
        given name; else None (``#الجيش_الإسرائيلي``، ``#قطر_أرسلت_أموالا``)."""
        text = self.tokens.text[k]
        if "_" not in text:  # (a hashtag, its # kept or not: underscores join no other Arabic words)
            return None
        words = [w for w in text.split("_") if w]
        first = fold(words[0])
        if not 2 <= len(words) <= MAX_NAME_WORDS or first not in reference().first_names \
                and first not in reference().given_ambiguous:  # (حسن، كيم: given names that are words too)
            return None
        return " ".join(words)

    def _possessor_apposition(self, k: int, e: int) -> Speaker | None:
        """A noun with a possessive pronoun at ``k`` (a kin or a role: ``محاميتها``، ``شقيقه``، ``نظيره``), its
        relation adjectives, then a name (``محاميتها عزه محمد أحمد``، ``نظيره الروسي سيرغي لافروف``): the name,
        remembered under the noun for a later ``المحامية``."""
        noun = possessed_noun(strip_conj(self.folded[k]))
        if not (word_class(noun) | word_class(ARTICLE + noun)) & (TITLE_HEAD | PERSON_NOUN | DESCRIPTION | GENERIC_PERSON):
            return None  # not a kin or a role (أنهم سبب تدخل، حديثه)
        j = k + 1
        while j < e and self.joined[j] and self.flags[j] & DEFINITE and self.flags[j] & (NISBA | ADJECTIVE) \
                and not self.covered[j]:
            j += 1
        if j >= e or not self.joined[j] or self.inside[j]:
            return None
        hit = self.mention_first.get(j)
        if hit is not None:
            sp = self._mention_speaker(j, hit[0], hit[1], e) if hit[0].entity_type == "PERSON" else None
        elif self.flags[j] & (NAME_FIRST | NAME_NEXT | GIVEN) and not self.flags[j] & (DEFINITE | TITLE) \
                and not self.cls[j] & (NOT_NAME | BOUNDARY | COMPLEMENTIZER | PREP_PHRASE | STATEMENT | DESCRIPTION
                                       | PERSON_NOUN | TITLE_HEAD | INSTITUTION | PRONOUN_SUFFIX | SKIP) \
                and not self.rep[j] and self.folded[j] not in reference().stop:
            last = self._read_name(j, e)
            sp = self._name_speaker(self._text(j, last + 1)) if last is not None and (
                last > j or self.flags[j] & GIVEN) else None
        else:
            sp = None
        if sp is not None and sp.kind in _PERSONS:
            head = head_key(noun)
            hits = self.links.setdefault(head, [])
            bisect.insort(hits, (k, sp, frozenset({head})), key=lambda h: h[0])
            return sp
        return None

    def _nationality_reference(self, k: int) -> Speaker | None:
        """A nationality standing alone as a subject (``وأعرب الإسباني``، ``وقال المصري``): the last person named
        right after that nationality before it (``جناحه الإسباني بدرو رودريغيز``)."""
        want = strip_conj(self.folded[k])
        for a in sorted((a for a in self.mention_first if a < k), reverse=True):
            m = self.mention_first[a][0]
            if m.entity_type != "PERSON":
                continue
            for j in (a - 1, a - 2):
                if j >= 0 and self.joined[j + 1] and strip_conj(self.folded[j]) == want:
                    return self._entity_speaker(m)
        return None

    def _named_body(self, k: int, e: int) -> Speaker | None:
        """A body's or a medium's head noun and its name, where no mention covers it: definite words
        (``وكالة الأنباء السودانية الرسمية``) or a name (``صحيفة ليبرتيه``)."""
        ref = reference()
        forms = {strip_article(f) for f, _ in self.tokens.info[k].forms[:2]}
        if not forms & (ref.org_heads | ref.media_heads) or k + 1 >= e or not self.joined[k + 1] \
                or self.cls[k + 1] & (BOUNDARY | COMPLEMENTIZER | PREP_PHRASE | STATEMENT | SKIP):
            return None
        if self.flags[k + 1] & DEFINITE or self.covered[k + 1]:
            return self._body_reference(k, self._definite_end(k, e))
        if self.flags[k + 1] & (NAME_FIRST | NAME_NEXT | PLAIN) and not self.flags[k + 1] & VERB_LIKE \
                and not self.rep[k + 1] and self.folded[k + 1] not in ref.stop and self._phrase_ends(k + 2, e):
            return Speaker(self._text(k, k + 2), None, "org")
        return None

    def _phrase_ends(self, j: int, e: int) -> bool:
        """A subject's phrase can end before token ``j``: the window ends, or a comma, a preposition, إن/أن, a
        relative or a time word follows (``وقال صالحي في``); not a plain word (``أضافت بعدا جديدا يتدخل``)."""
        if j >= e or self.gap[j] & (_COMMA | _PAREN | _COLON | _SENT | _QUOTE) or self.folded[j] in ("من", "ومن"):
            return True
        return bool(self.cls[j] & (BOUNDARY | COMPLEMENTIZER | PREP_PHRASE | CLAUSE_STOP | RELATIVE | SKIP
                                   | RELAY_PREP | PRONOUN_SUFFIX) or self.rep[j] or self.flags[j] & CONNECTOR)

    def _name_ends(self, j: int) -> bool:
        """A name can end before token ``j`` by punctuation or إن/أن alone (``أكرم طعمة،``، ``حسن شحادة إن``): what a
        word in ة needs after it to be a surname rather than a noun (``نشر رودريغيز صورة بينما``)."""
        return j >= self.size or bool(self.gap[j] & (_COMMA | _PAREN | _SENT | _COLON | _QUOTE)
                                      or self.cls[j] & COMPLEMENTIZER)

    def _role_follows(self, j: int, e: int) -> bool:
        """A role right after a name (``ليون كامهي، المدير التنفيذي``، ``نديم المنلا مستشار الحريري``)."""
        if j >= e or self.gap[j] & (_SENT | _QUOTE | _COLON):
            return False
        return bool(self.flags[j] & TITLE or self.cls[j] & (TITLE_HEAD | PERSON_NOUN | DESCRIPTION))

    def _read_name(self, k: int, e: int) -> int | None:
        """Last token of an unknown person's name starting at ``k`` (1-4 words, connectors between)."""
        flags, cls, joined = self.flags, self.cls, self.joined
        if cls[k] & (NOT_NAME | BOUNDARY | COMPLEMENTIZER | STATEMENT | PREP_PHRASE) or self.rep[k] & (_V | _P):
            return None
        last, words = k, 1
        while last + 1 < e and words < MAX_NAME_WORDS:
            nxt = last + 1
            if not joined[nxt]:
                if self.body[self.ends[last]:self.starts[nxt]] == "-":  # مون جيه-إن
                    last = nxt
                    continue
                break
            fl, c = flags[nxt], cls[nxt]
            if fl & CONNECTOR and nxt + 1 < e and joined[nxt + 1] and flags[nxt + 1] & NAME_NEXT:
                last = nxt + 1  # بن، أبو، فان …
                words += 1
                continue
            role_word = fl & TITLE or c & (DESCRIPTION | PERSON_NOUN | INSTITUTION | TITLE_HEAD)
            # a role word after two name words, or one that opens a role, ends the name (جريج آبوت | حاكم ولاية)
            if c & (BOUNDARY | COMPLEMENTIZER | CLAUSE_STOP | PREP_PHRASE | STATEMENT | NOT_NAME | SKIP | PRONOUN_SUFFIX) \
                    or self.folded[nxt].isdigit() \
                    or role_word and not fl & GIVEN and (words >= 2 or self._title_opens(nxt, e)) \
                    or self.covered[nxt] and (nxt not in self.mention_first  # (عزه محمد أحمد | لفرانس برس)
                                              or self.mention_first[nxt][0].entity_type == "ORG"):
                break
            if fl & CONNECTOR:
                if nxt + 1 < e and joined[nxt + 1] and flags[nxt + 1] & NAME_NEXT:
                    last = nxt + 1
                    words += 1
                    continue
                break
            word = self.folded[nxt]
            if self.tokens.text[nxt].endswith("ة") and not fl & (GIVEN | DEFINITE):
                # a noun (مجريات، صحة), not a name's later word; but a given name's surname in ة ending the
                # phrase is one (أكرم طعمة، ، حسن شحادة في)
                if words == 1 and flags[last] & (GIVEN | NAME_FIRST) and not c and not self.rep[nxt] \
                        and self._name_ends(nxt + 1):
                    last = nxt
                break
            if not fl & (NAME_NEXT | GIVEN) and not (fl & PLAIN and not fl & (VERB_LIKE | DEFINITE)
                                                     and not c & PRONOUN_SUFFIX and plain_name_word(word)):
                # (a plain word that is no known word continues a name: رودي جارسيا; والتون before a role)
                if word.startswith(("وال", "فال")) and (self._phrase_ends(nxt + 1, e) or self._role_follows(nxt + 1, e)):
                    last = nxt
                break
            if fl & DEFINITE:  # a definite surname ends the name (العتيري); a nationality adjective is not part of it
                if not fl & ADJECTIVE and (not fl & NISBA or word not in reference().nationality):
                    last = nxt
                break
            if words >= 2 and fl & VERB_LIKE and not (nxt + 1 >= e or self.gap[nxt + 1] & (_COMMA | _PAREN | _COLON)
                                                      or self.cls[nxt + 1] & (RELATIVE | COMPLEMENTIZER)):
                break  # a third word like يواصل ends the name, unless the phrase ends there (مسيح علي نجاد التي)
            last = nxt
            words += 1
        return last

    def _title_opens(self, j: int, e: int) -> bool:
        """The title word at ``j`` opens a role (``رودي جارسيا مدرب فريق روما``): it is definite or a complement
        follows it; a title word ending the phrase is a name's (``المواطن محمد أمير في قندز``)."""
        if self.flags[j] & DEFINITE or j + 1 >= e or not self.joined[j + 1]:
            return bool(self.flags[j] & DEFINITE)
        nxt = self.flags[j + 1]
        return bool(nxt & (DEFINITE | COMPLEMENT) or self.covered[j + 1]) and not self.cls[j + 1] & BOUNDARY

    def _name_speaker(self, text: str) -> Speaker:
        """An unknown name: the article's person it names by surname or full name, else the name as written."""
        words = [fold(w) for w in text.split()]
        if not words:
            return Speaker(text, None, "name")
        for eid in reversed(self.person_by_word.get(words[-1], ())):
            forms = {fold(w) for s in self.surfaces[eid] for w in s.split()} | {
                fold(w) for w in self.canonical[eid].split()}
            if all(w in forms for w in words):
                return Speaker(self.display(eid), eid, "person")
        if len(words) == 1:
            known = self.named_words.get(words[0]) or self._full_name_of(words[0])
            if known is not None:
                return known  # وانغ after وانغ هيجون quoted before (a name the entity pass missed)
        return Speaker(text, None, "name")

    def _full_name_of(self, surname: str) -> Speaker | None:
        """The first name and ``surname`` where the article first writes them together (``أمين الناصر`` … ``قال
        الناصر``), for a surname alone that no mention covers: a plain word before it, no particle, no verb."""
        stop = reference().stop
        for j in compress(range(1, self.size), map(surname.__eq__, self.folded[1:])):
            g = j - 1
            if self.joined[j] and not self.inside[j] and not self.covered[g] and not self.rep[g] \
                    and self.flags[g] & (GIVEN | NAME_FIRST | NAME_NEXT | PLAIN) and not self.flags[g] & DEFINITE \
                    and not self.cls[g] & (BOUNDARY | COMPLEMENTIZER | PREP_PHRASE | STATEMENT | NOT_NAME | SKIP
                                           | DESCRIPTION | INSTITUTION | PRONOUN_SUFFIX | CONJ_VERB) \
                    and self.folded[g] not in stop and self.folded[g][1:] not in stop \
                    and not self.tokens.text[g].endswith("ة") and not self.flags[g] & VERB_LIKE \
                    and (self.folded[g][0] not in CONJUNCTIONS or self.flags[g] & GIVEN) \
                    and (self.flags[g] & GIVEN or g == 0 or self.covered[g - 1] or self.gap[g] & (_COMMA | _PAREN)
                         or self.flags[g - 1] & (DEFINITE | TITLE) or self.cls[g - 1] & (TITLE_HEAD | PERSON_NOUN)):
                return Speaker(self._text(g, j + 1), None, "name")
        return None

    def _remember_name(self, sp: Speaker) -> None:
        """A speaker's unknown full name (``وانغ هيجون``), so that a later surname or given name alone finds it."""
        if sp.kind == "name" and sp.entity_id is None:
            words = sp.name.split()
            if 1 < len(words) <= MAX_NAME_WORDS:
                for w in words:
                    f = fold(w)
                    if len(f) > 2 and f not in reference().stop and not self.person_by_word.get(f):
                        self.named_words.setdefault(f, Speaker(sp.name, None, "person"))

    def _person_in(self, k: int, e: int) -> Speaker | None:
        """A person named after a role at ``k`` within ``e`` (``الرئيس التنفيذي للمجموعة بول إيفريت``), unless
        the name belongs to a complement (``مقرب من الرئيس بشار الأسد``، ``مستشار الرئيس ماكرون``)."""
        for j in range(k + 1, e):
            hit = self.mention_first.get(j)
            if hit is None or hit[0].entity_type != "PERSON":
                continue
            # the person's own title words (الرئيس، الدكتور) before the name
            t0 = j
            while t0 - 1 > k and (self.joined[t0] or len(self.folded[t0 - 1]) == 1) and (
                    self.flags[t0 - 1] & TITLE or self.cls[t0 - 1] & (PERSON_NOUN | TITLE_HEAD)
                    or len(self.folded[t0 - 1]) == 1):  # د. علي النعيمي
                t0 -= 1
            if self._spoken_for(k, j):
                return None  # the one a spokesman speaks for (المتحدث باسم الرئيس الفلسطيني محمود عباس)
            if t0 > k and not self.gap[t0] & (_COMMA | _PAREN):
                before = t0 - 1
                fb, cb = self.folded[before], self.cls[before]
                if cb & (BOUNDARY | RELAY_PREP) and not cb & PREP_PHRASE or fb in ("ل", "ب"):
                    return None  # the object of a preposition
                if not self.flags[before] & DEFINITE and not self.covered[before] and (
                        self.flags[before] & TITLE or cb & (TITLE_HEAD | DESCRIPTION | PERSON_NOUN)):
                    # the complement of a construct (مستشار الرئيس ماكرون); the role's own name may follow it, in
                    # apposition (كبير موظفي بنس، نيك آيرز)
                    continue
            return self._mention_speaker(j, hit[0], hit[1], e)
        return None

    def _spoken_for(self, k: int, j: int) -> bool:
        """The name at token ``j`` is the principal a spokesman at ``k`` speaks for: ``باسم`` and a person's
        role stand between them (``المتحدث باسم الرئيس الفلسطيني محمود عباس``); after a body (``المتحدثة باسم
        الخارجية الروسية ماريا زاخاروفا``) the name is the spokesman's."""
        try:
            p = self.folded.index("باسم", k + 1, j)
        except ValueError:
            return False
        # the complement opens with a person's role (الرئيس), not a body (البنتاغون، قوات التحالف العقيد …); a comma
        # before the name sets it in apposition to the spokesman (المتحدث باسم فريق تقييم الحوادث، المستشار منصور المنصور)
        return p + 1 < j and bool(self.flags[p + 1] & TITLE or self.cls[p + 1] & (PERSON_NOUN | TITLE_HEAD)) \
            and not any(self.gap[t] & _COMMA for t in range(p + 2, j + 1))

    def _apposition_name(self, k: int, e: int) -> Speaker | None:
        """An unknown name in apposition to the role at ``k``: after a comma (``الرئيس الكوري الجنوبي، مون
        جيه-إن،``), right after a definite word (``المهاجم دياندري ييلدين``) or quoted (``"صالح القرعوطي"``)."""
        flags, cls, gap = self.flags, self.cls, self.gap
        for j in range(k + 1, min(e, k + 10)):
            quoted = self.name_at.get(j)
            if quoted is not None:
                if self.cls[j - 1] & PREP_PHRASE or self._head_noun(j - 1):
                    return None  # متحدث باسم الممثلة لصحيفة "يو إس ايه توداي": the paper is addressed, not named
                return self._name_speaker(quoted[1])
            tagged = self._hashtag_name(j)
            if tagged is not None and not self.covered[j]:
                return self._name_speaker(tagged)  # الممثل الكويتي #حسن_البلام
            if self.covered[j] or len(self.folded[j]) == 1:
                continue  # a name already found, or an abbreviation (د.)
            fl, c = flags[j], cls[j]
            if c & (CLAUSE_STOP | COMPLEMENTIZER):
                return None
            if gap[j] & (_COMMA | _PAREN):
                if fl & NAME_NEXT and not fl & (DEFINITE | COMPLEMENT) and not c & (NOT_NAME | BOUNDARY | DESCRIPTION):
                    last = self._read_name(j, e)
                    # two name words after the comma are a name whatever follows (، نيكولاي ملادينوف جميع الأطراف)
                    if last is not None and (last + 1 >= e or gap[last + 1] & (_COMMA | _PAREN)
                                             or cls[last + 1] & (BOUNDARY | COMPLEMENTIZER | PREP_PHRASE)
                                             or last > j and fl & (NAME_FIRST | GIVEN)):
                        return self._name_speaker(self._text(j, last + 1))
                continue
            before_definite = flags[j - 1] & DEFINITE or self.covered[j - 1] or len(self.folded[j - 1]) == 1 \
                or j - 1 == k and cls[k] & DESCRIPTION and cls[k] & PRONOUN_SUFFIX  # وقال أحدهم ليو موراي
            if before_definite and fl & (NAME_FIRST | GIVEN | NAME_NEXT) and not fl & (DEFINITE | COMPLEMENT | TITLE) \
                    and not c & (NOT_NAME | BOUNDARY | DESCRIPTION | PREP_PHRASE | TITLE_HEAD | PRONOUN_SUFFIX) \
                    and (self.folded[j] not in reference().stop or self._given_name_ali(j)) \
                    and not self._in_prepositional_phrase(k, j):
                last = self._read_name(j, e)
                # a name-like word that is not a known name must end the phrase (المسؤول عن الدراسة كيفين إنغ،)
                if last is not None and (fl & (NAME_FIRST | GIVEN) and last > j or last + 1 >= e
                                         or gap[last + 1] & (_COMMA | _PAREN)
                                         or cls[last + 1] & (BOUNDARY | COMPLEMENTIZER | PREP_PHRASE)):
                    return self._name_speaker(self._text(j, last + 1))
            construct = j + 1 < e and self.joined[j + 1] and (flags[j + 1] & DEFINITE or self.covered[j + 1])
            if not (fl & (DEFINITE | NISBA | ADJECTIVE | COMPLEMENT | TITLE) or construct or c & (
                    BOUNDARY | PREP_PHRASE | PERSON_NOUN | TITLE_HEAD | INSTITUTION)
                    or c & DESCRIPTION and self.folded[j][0] == "و"):  # المحامية وناشطة حقوق الإنسان ليلى …
                return None
        return None

    def _in_prepositional_phrase(self, k: int, j: int) -> bool:
        """Between the role at ``k`` and token ``j`` stands a preposition other than في/لدى (``التقرير الأميركي إلى
        المخاوف جراء الإفراط``): a word at ``j`` is in its object, not a name in apposition, unless a known given
        name opens it (``المسؤول عن الدراسة كيفين إنغ``)."""
        if self.flags[j] & GIVEN:
            return False
        return any(self.cls[i] & BOUNDARY and self.folded[i] not in ("في", "لدي", "لدى") for i in range(k + 1, j))

    def _head_noun(self, k: int) -> bool:
        """Token ``k`` is a body's or a medium's head noun (``صحيفة``، ``وكالة``، ``شركة``): a quoted phrase after
        it is that body's name."""
        ref = reference()
        return bool({strip_article(f) for f, _ in self.tokens.info[k].forms[:2]} & (ref.org_heads | ref.media_heads))

    def _role_reference(self, k: int, pe: int) -> Speaker | None:
        """A role without a name: the person named with that role (the role's words agreeing), before it or
        else after it, else for a definite role alone (``الوزير``، ``المهاجم الألماني``) the last person
        speaking."""
        # the phrase's own head, not a role in its complement (متحدث باسم الرئيس: not the president)
        heads = [head_key(self.folded[j]) for j in range(k, min(pe, k + 1))
                 if self.flags[j] & TITLE or self.cls[j] & (PERSON_NOUN | TITLE_HEAD)]
        words = {strip_article(strip_conj(self.folded[j])) for j in range(k, pe)}
        keys = [relation_key(strip_article(strip_conj(self.folded[j]))) for j in range(k, pe)]
        # the phrase may run on into the verb's object or an adverb (وهاجم رئيس الزمالك الاتحاد الأفريقي، وأكد رئيس
        # الوزراء الكندي من جديد): its starts of two words or more that a new phrase follows, longest first
        # (not an unnamed source's head: متحدث باسم الخارجية is a spokesman, maybe not the one named)
        starts = [] if self.cls[k] & DESCRIPTION else [
            n for n in range(len(keys), 1, -1) if n == len(keys) or not self.flags[k + n] & (NISBA | ADJECTIVE)
            and all(self.flags[j] & DEFINITE or self.covered[j] for j in range(k + 1, k + n))]
        nationality = reference().nationality
        mine = {w for w in words if ARTICLE + w in nationality} | {
            strip_article(strip_conj(self.folded[j])) for j in range(k + 1, pe) if self.flags[j] & NISBA}
        for head in heads[:1]:
            links = self.links.get(head, ())
            for hits in ([h for h in links if h[0] < k], [h for h in links if h[0] > k]):
                agreeing = [sp for _tok, sp, rw in hits if words <= rw]
                if not agreeing and starts:
                    hit_keys = [(sp, {relation_key(w) for w in rw}) for _tok, sp, rw in hits]
                    for n in starts:
                        agreeing = [sp for sp, rk in hit_keys if set(keys[:n]) <= rk]
                        if agreeing:
                            break
                if agreeing:
                    return agreeing[-1] if hits[0][0] < k else agreeing[0]
                # the role said with more words than when the person was named (الفنان محمد هنيدي … الفنان
                # المصري), unless they name another country
                adjectives_only = all(self.flags[j] & (NISBA | ADJECTIVE) for j in range(k + 1, pe))
                compatible = [sp for _tok, sp, rw in hits if not mine or not any(
                    ARTICLE + w in nationality and w not in mine for w in rw)]
                if compatible and adjectives_only and hits[0][0] < k:
                    return compatible[-1]
        # a definite role alone, or with adjectives only, refers back (الوزير الروسي، المهاجم الألماني)
        first = strip_conj(self.folded[k])
        anaphoric = " ".join([first, *self.folded[k + 1:k + 2]]) in reference().anaphoric \
            or first in reference().anaphoric or self.cls[k] & PERSON_NOUN or self.flags[k] & TITLE
        if anaphoric and first.startswith(ARTICLE) and pe - k <= 4 and all(
                self.flags[j] & (NISBA | ADJECTIVE) for j in range(k + 1, pe)):
            if not mine:
                return self.carry(k, "f" if first.endswith("ه") else "", persons_only=True)
            # الرئيس السنغالي: not the last person speaking if the article gave him another country's role
            # (الرئيس الصيني شي جينبينغ)
            theirs = {relation_key(w) for w in mine}
            for sp in self._carried_persons(k):
                countries = {relation_key(w) for w in self._role_words(sp)} & country_keys()
                if not countries or countries & theirs:
                    return sp
        return None

    def _member_reference(self, k: int, pe: int, e: int) -> Speaker | None:
        """A role in construct with an organisation and no name (``وقال لاعب المنتخب البرازيلي السابق، إن``): the person
        speaking last, where the article names him beside that body (``دونغا الفائز مع المنتخب البرازيلي``); a new
        person otherwise (``مدير المستشفى``)."""
        body = k + 1
        hit = self.mention_first.get(body)
        if strip_conj(self.folded[k]).startswith(ARTICLE) or body >= pe or not self.joined[body] or hit is None \
                or hit[0].entity_type != "ORG" or not self._phrase_ends(pe, e):
            return None  # (شقيق الفقيد: no body)
        carried = self._carried_persons(k)
        if not carried or carried[0].entity_id is None:
            return None
        sp = carried[0]
        for a, (m, b) in self.mention_first.items():
            if m.entity_id == sp.entity_id and a < k and any(
                    self.folded[j] == self.folded[body] for j in range(max(0, a - 4), min(self.size, b + 5))):
                return sp
        return None

    def _role_words(self, sp: Speaker) -> set[str]:
        """Every word of the roles the article named ``sp`` with."""
        return {w for hits in self.links.values() for _tok, who, rw in hits if who == sp for w in rw}

    def _carried_persons(self, tok: int) -> list[Speaker]:
        """The persons speaking before token ``tok``, the last first (at most 8)."""
        out: list[Speaker] = []
        for ev in reversed(self.events[:bisect.bisect_left(self.event_toks, tok)]):
            if ev.speaker.kind in _PERSONS and ev.speaker not in out:
                out.append(ev.speaker)
                if len(out) == 8:
                    break
        return out

    def _source_reference(self, k: int) -> Speaker | None:
        """A definite unnamed source (``المصدر الأمني``، ``المسؤول``) is the one quoted before
        (``مصدر أمني متابع للقضية``)."""
        first = strip_conj(self.folded[k])
        if not first.startswith(ARTICLE):
            return None
        key = head_key(first)
        for ev in reversed(self.events[:bisect.bisect_left(self.event_toks, k)]):
            if ev.speaker.kind in ("source", "role") and head_key(fold(ev.speaker.name.split()[0])) == key:
                return ev.speaker
        return None

    def _body_reference(self, k: int, pe: int, bare: str | None = None) -> Speaker:
        """A body by its head noun (``الوزارة``، ``المرصد``، ``الشرطة السودانية``): the last organisation named
        or speaking before with that word, else the phrase as written."""
        named = self._body_named(k, pe, bare)
        if named is not None:
            return named
        start = self.starts[k] + (len(self.tokens.text[k]) - len(bare) if bare and not bare.startswith(ARTICLE)
                                  else 0)
        text = " ".join(self.body[start:self.ends[pe - 1]].split())
        if bare and bare.startswith(ARTICLE) and self.folded[k].startswith("لل"):
            text = "ال" + text[2:]
        return Speaker(text, None, "org")

    def _body_named(self, k: int, pe: int, bare: str | None = None) -> Speaker | None:
        """The organisation a body's head noun at ``k`` (its phrase ending before ``pe``) stands for: the last one
        named or speaking before with that word (a description's name in apposition: ``شركة الطيران التونسية
        الخاصة «سيفاكس إيرلاينز»``), a name in apposition after it, the organisation that spoke last; else None."""
        key = head_key(bare or self.folded[k])
        adjectives = {head_key(self.folded[j]) for j in range(k + 1, pe)}
        best: Speaker | None = None
        for a, m in reversed(self.org_mentions):
            if a >= k:
                continue
            words = self._apposed_head(a, m) + [head_key(fold(w)) for w in m.surface.split() + m.canonical_name.split()]
            if key in words and adjectives <= set(words):
                b = self.mention_first[a][1] if a in self.mention_first else a
                found = (self._apposed_body(b + 1) if self._describes_body(a, m, b) else None) \
                    or self._entity_speaker(m)
                if words[0] == key:
                    best = found
                    break
                best = best or found
        if best is None:
            for ev in reversed(self.events[:bisect.bisect_left(self.event_toks, k)]):
                words = [head_key(fold(w)) for w in ev.speaker.name.split()]
                if ev.speaker.kind == "org" and words and words[0] == key and adjectives <= set(words):
                    return ev.speaker
        return best or self._apposed_body(pe) or self._body_speaking_before(k, pe, bare or self.folded[k])

    def _describes_body(self, a: int, m: Mention, b: int) -> bool:
        """The organisation mention ``m`` at tokens a..b only describes a body: a head noun and definite words
        (``النادي الإنجليزي``، ``شركة الطيران التونسية الخاصة``), no listed organisation's name."""
        if m.entity_type != "ORG" or b <= a or strip_article(strip_conj(self.folded[a])) not in \
                reference().org_heads | reference().media_heads:
            return False
        if not all(self.flags[j] & DEFINITE for j in range(a + 1, b + 1)):
            return False
        key = folded_words(m.canonical_name)
        return bool(key) and not any(words == key for words, _entry in reference().gaz.get(key[0], ()))

    def _described_body(self, a: int, m: Mention, b: int) -> Speaker | None:
        """The organisation a describing mention at tokens a..b stands for (``النادي الإنجليزي`` → مانشستر
        سيتي), else None."""
        return self._body_named(a, b + 1) if self._describes_body(a, m, b) else None

    def _apposed_body(self, j: int) -> Speaker | None:
        """The organisation named right after a body's description, in apposition (``الشركة الأم "كيتي
        هوك"``، ``شركة الطيران التونسية الخاصة «سيفاكس إيرلاينز»``): its name."""
        if j >= self.size or self.gap[j] & (_SENT | _COLON | _QUOTE | _PAREN) or self.inside[j]:
            return None  # (a short form in brackets is shown with the name: _with_short_form)
        quoted = self.name_at.get(j)
        if quoted is None:
            return None  # a name in quotation marks (not a verb's object: استلمت القوات البحرية قيادة القوة)
        hit = self.mention_first.get(j)
        if hit is not None:  # (not a name with a preposition glued to it: القيادة الأفريقية بالجيش الأمريكي)
            return self._entity_speaker(hit[0]) if hit[0].entity_type == "ORG" \
                and hit[0].char_start == self.starts[j] else None
        return Speaker(quoted[1], None, "org")

    def _apposed_head(self, a: int, m: Mention) -> list[str]:
        """The head noun and definite words of a description right before the name ``m`` at token ``a``
        (``الشركة الأم "كيتي هوك"``), as :func:`head_key` compares them; else [] (not a name with a preposition
        glued to it: ``التحالف بقيادة السعودية``)."""
        if m.char_start != self.starts[a]:
            return []
        heads = reference().org_heads | reference().media_heads
        for j in range(a - 1, max(-1, a - 4), -1):
            if self.gap[j + 1] & (_SENT | _COLON | _COMMA) or self.inside[j] or self.covered[j] \
                    or not (self.flags[j] & DEFINITE or j == a - 1):
                return []
            if strip_article(strip_conj(self.folded[j])) in heads:
                # a definite head: apposition; not an indefinite one in construct (صندوق الأمم المتحدة، وكالة
                # التصنيف الائتماني), whose mention lost its head
                definite = strip_conj(self.folded[j]).startswith(ARTICLE)
                return [head_key(self.folded[i]) for i in range(j, a)] if definite else []
        return []

    def _body_speaking_before(self, k: int, pe: int, head: str) -> Speaker | None:
        """A body's head noun with nothing but adjectives (``الشركة``، ``النادي الإنجليزي``) where no organisation
        of that head was named: the organisation that spoke last before it, when its name has no head noun of its
        own (``الخطوط الجوية السعودية``، ``مانشستر سيتي``, not ``وزارة الصحة``) and no other country's adjective.
        A state body's head (``الرئاسة الأميركية``، ``الشرطة``) names the body itself."""
        head = strip_conj(head)
        if not head.startswith(ARTICLE) or head[2:] not in reference().org_heads | reference().media_heads \
                or head in _state_heads() \
                or not all(self.flags[j] & (NISBA | ADJECTIVE) for j in range(k + 1, pe)):
            return None
        mine = {relation_key(strip_article(self.folded[j])) for j in range(k + 1, pe)} & country_keys()
        for ev in reversed(self.events[:bisect.bisect_left(self.event_toks, k)]):
            if ev.speaker.kind != "org" or ev.speaker.entity_id is None:
                continue  # (an organisation of the article; not a phrase read as one: قالت التقارير الإخبارية)
            words = [fold(w) for w in ev.speaker.name.split()]
            if not words or word_class(words[0]) & INSTITUTION \
                    or strip_article(words[0]) in reference().org_heads | reference().media_heads:
                return None
            theirs = {relation_key(strip_article(w)) for w in words} & country_keys()
            return ev.speaker if not theirs or not mine or theirs & mine else None
        return None

    def _issuer(self, k: int, e: int, strict: bool, glued: bool = False) -> Speaker | None:
        """Who issued the statement noun at ``k``: the body or person after it (``بيان للحكومة الإسرائيلية``،
        ``بيان الخارجية``), or, where the statement itself is the subject (``وقال البيان``), the last body
        that spoke. ``strict``: only an issuer the phrase names. ``glued``: a name with ل glued to it is the
        issuer (``جاء ذلك في مقابلة لنصر``), as it is where no verb of speaking has the statement (``وأضاف في
        تصريحات لنيوزبيتس``: the outlet is the addressee)."""
        j = k + 1
        if j < e and self.joined[j] and self.folded[j] in ("صادر", "الصادر", "صدر") and j + 1 < e:
            j += 1 + (self.cls[j + 1] & RELAY_PREP > 0)
        if j < e and self.joined[j] and self.folded[j] in ("ل", "ب", "من", "عن"):
            j += 1  # بيان لـ، بيان من مكتب زوما
        elif j + 1 < e and self.joined[j] and self.joined[j + 1] and j not in self.mention_first \
                and self.folded[j].endswith(("ه", "ها")) and len(self.folded[j]) > 4 \
                and (j + 1 in self.mention_first or self.cls[j + 1] & INSTITUTION):
            j += 1  # تقرير أصدره معهد واشنطن، بيان نشرته الوزارة: the verb's subject issued it
        if j < e and self.joined[j]:
            hit = self.mention_first.get(j)
            if hit is not None:
                return self._described_body(j, hit[0], hit[1]) or self._entity_speaker(hit[0])
            c, bare = self._bare_class(j)
            if c & INSTITUTION:
                return self._body_reference(j, self._definite_end(j, e), bare)
            named = self._glued_name(j, e) if glued else None
            if named is not None:
                return named  # مقابلة لنصر، تغريدة للأحمر
        if strict:
            return None
        earlier = self._earlier_issuer(k)  # وأضاف البيان: the issuer of the statement named before
        if earlier is not None or strip_conj(self.folded[k]) in self.words.report_nouns:
            return earlier  # وقال التقرير: a report is no body's that the article did not name with one
        for ev in reversed(self.events[:bisect.bisect_left(self.event_toks, k)]):
            if ev.speaker.kind == "org":
                return ev.speaker
        for a, m in reversed(self.org_mentions):
            if a < k:
                return self._entity_speaker(m)
        return None

    def _earlier_issuer(self, k: int) -> Speaker | None:
        """The issuer named with the last statement noun before token ``k`` in the article (``بيان صادر عن مكتب
        نتنياهو`` … ``وأضاف البيان``)."""
        reports = self.words.report_nouns
        report = strip_conj(self.folded[k]) in reports  # a report is cited all through an article: its own issuer
        for j in range(k - 1, -1 if report else max(-1, k - 400), -1):
            if self.cls[j] & STATEMENT and not self.inside[j] and (not report or strip_conj(self.folded[j]) in reports):
                sp = self._issuer(j, min(self.size, j + MAX_SUBJECT_TOKENS), strict=True)
                if sp is not None:
                    return sp
        return None

    def _explicit_subject(self, v: int, limit: int) -> Speaker | None:
        """The subject a reporting verb at ``v`` names: after it (VSO), or before it (SVO); after ``أما X فقد``
        the topic is the subject (``أما إدين هازارد … فقد انتقد أداء خصومه``: not the object after the verb)."""
        if v and self.folded[v - 1] in ("فقد", "فلقد") and self.joined[v] and self._opens_with_amma(v):
            sp = self._sentence_subject(v - 1)
            if sp is not None:
                return sp
        return self._vso_subject(v, limit) or self._svo_subject(v)

    def _vso_subject(self, v: int, limit: int) -> Speaker | None:
        """The source after a verb: relayed (``نقلت الوكالة عن X``) or its subject (``وقال X``); after ``كان X
        قد`` the subject X (the words after the verb are its object)."""
        sp = self._kana_subject(v)
        if sp is not None:
            return sp
        if self.cls[v] & RELAY or self._relays_object(v):  # نقلت الوكالة عن، بحسب ما نقلته الوكالة عن
            sp = self._relayed(v, limit)
            if sp is not None:
                return sp
        elif self.words.naqlan in self.folded[v + 1:limit]:
            sp = self._relayed(v, limit, naqlan_only=True)  # وأفادت الوكالة نقلا عن مسؤول في الشرطة
            if sp is not None:
                return sp
        return self._subject_after(v, limit)

    def _kana_subject(self, v: int) -> Speaker | None:
        """``وكان X قد قال``، ``وكانت X أعلنت``: the sentence opens with كان and its subject runs up to the verb at
        ``v`` (``وكان ترامب قد وصف ترودو بـ"…"``: ترامب, not the object after the verb)."""
        if self.cls[v] & CONJ_VERB or not self.joined[v]:
            return None
        j = v - 1
        qad = j > 0 and self.folded[j] in self.words.function_words["already"] and self.joined[j]
        if qad:
            j -= 1  # the subject's last token
        t = self.sent_start[v]
        while t < j and self.folded[t] in ("و", "ف"):
            t += 1
        if t >= j or self.folded[t] not in self.words.function_words["was"] or self.inside[t] or self._window(t + 1, j + 1) != j + 1:
            return None  # (ما إذا كان خير سيأتي، وكانت واشنطن قد فرضت … كما هدد ترامب: not the verb's subject)
        if not qad and not (self.covered[j] or self.flags[j] & (NAME_FIRST | NAME_NEXT | GIVEN)):
            return None  # وكان X قال: the verb right after a name
        sp = self.subject_at(t + 1, j + 1)
        return sp if sp is not None and sp.kind in _SUBJECT_KINDS else None

    def _svo_subject(self, v: int) -> Speaker | None:
        """The subject before a verb: a person or body named right before it (``ترامب قال``), the noun a
        relative pronoun refers to (``سعود القحطاني، المستشار …، الذي قال``), the subject opening the sentence
        (``مصدر أمني متابع للقضية قال``، ``أما كروز … فقال``). A verb with a conjunction (``وقال``) has none."""
        if not self.rep[v] & (_V | _W):
            return None
        if v + 1 < self.size and self.joined[v + 1] and self.folded[v + 1] in self.words.function_words["in_it"]:
            # نشر قرقاش تغريدة عبر حسابه على موقع تويتر قال فيها: the verb describes the statement; its issuer
            # (or the sentence's subject) speaks, not a body named right before the verb; a person there is the
            # issuer (بريد صوتي من السفير الخيارين يقول فيه)
            m = self.mention_last.get(v - 1)
            if m is not None and m.entity_type == "PERSON" and self.joined[v]:
                return self._entity_speaker(m)
            return self._statement_in_sentence(v) or self._sentence_subject(v)
        if self.cls[v] & CONJ_VERB:
            if self.folded[v][0] == "ف" and self._opens_with_amma(v):
                return self._sentence_subject(v)
            return None
        if v == 0 or self.gap[v] & (_SENT | _QUOTE | _COLON):
            return None
        j = v - 1
        if self.cls[j] & RELATIVE:
            lo = max(self.sent_start[v], j - 14)
            for want in ("PERSON", "ORG"):
                for i in range(j - 1, lo - 1, -1):
                    m = self.mention_last.get(i)
                    if m is not None and m.entity_type == want and not self.inside[i]:
                        return self._entity_speaker(m)
            return None
        m = self.mention_last.get(j)
        if m is not None and self.joined[v] and m.entity_type in ("PERSON", "ORG"):
            return None if self._regarding(v) else self._entity_speaker(m)
        return self._subject_after_complementizer(v) or self._sentence_subject(v)

    def _subject_after_complementizer(self, v: int) -> Speaker | None:
        """SVO inside a clause: ``فإن ريبريف تقول``، ``أن ترامب قال``، ``ولكن الرئيس الأمريكي قال``، ``لكن القومندان
        داهلين الذي رفض تأكيد مقتل العسكريين قال``: the subject between إن/أن or a clause opener and the verb (not
        ``بأنه سبق له وأن حذر``: a particle before the verb ends no subject)."""
        if v < 2 or self.folded[v - 1] in reference().stop or self.cls[v - 1] & (BOUNDARY | PRONOUN_SUFFIX):
            return None
        openers = self.words.clause_openers
        for c in range(v - 1, max(self.sent_start[v] - 1, v - MAX_SUBJECT_TOKENS), -1):
            if not self.joined[c + 1] or self.inside[c] or c + 1 < v and self.rep[c + 1] & (_V | _W) \
                    or self.cls[c] & COMPLEMENTIZER and v - c > 5:
                return None
            if (self.cls[c] & COMPLEMENTIZER or self.folded[c] in openers) and c + 1 < v:
                sp = self.subject_at(c + 1, v)
                return sp if sp is not None and sp.kind in _SUBJECT_KINDS else None
        return None

    def _after_amma(self, v: int) -> str | None:
        """The folded word after the أما that opens the sentence of token ``v``, or None."""
        s = self.sent_start[v]
        while s < v and self.folded[s] in ("و", "ف"):
            s += 1
        return self.folded[s + 1] if s + 1 < v and self.folded[s] in ("اما", "واما") else None

    def _opens_with_amma(self, v: int) -> bool:
        """The sentence of token ``v`` opens with أما and its topic (``أما كروز … فقال``); not ``أما بالنسبة لـX``,
        whose X is spoken about (:meth:`_regarding`)."""
        after = self._after_amma(v)
        return after is not None and after != _REGARDING

    def _regarding(self, v: int) -> bool:
        """The sentence of token ``v`` opens with ``أما بالنسبة لـ``: the one named next is spoken about (``أما
        بالنسبة لدنيا سمير غانم فوصفها``)."""
        return self._after_amma(v) == _REGARDING

    def _subject_after(self, v: int, limit: int) -> Speaker | None:
        k, skipped = v + 1, 0
        while k < limit and skipped < 3 and not self.gap[k] & (_SENT | _COLON | _QUOTE):
            n = self._opener_at(k, limit)
            if n:
                k += n
            elif self.cls[k] & SKIP or self.folded[k] in _PRONOUN_PPS:  # صرح به رئيس القسم، قال لها الطبيب
                k += 1
            elif self._manner_adverb(v, k) or self.rep[k] & _P:
                return None  # وأضاف متحديا، وتابع مخاطبا الرئيس تالون: the subject would stand before it
            else:
                break
            skipped += 1
        if k >= limit or self.gap[k] & (_SENT | _COLON | _QUOTE) or oblique_plural(strip_conj(self.folded[k])):
            return None
        addressee = self._addressee(k)
        glued_body = 0 if addressee else self._glued_body_end(k)
        if self.cls[k] & PREP_PHRASE or addressee or glued_body:
            # قال لـ"الاقتصادية" الدكتور عبد الله …، وقال لرويترز إن: a short addressee before the subject
            j = k + 1
            quoted = self.name_at.get(j)
            if quoted is not None:
                j = quoted[0] + 1
            elif addressee:
                j = self.mention_first[k][1] + 1
            elif glued_body:
                j = glued_body
            elif self.folded[k] in ("ل", "ب") and j < limit:
                j += 1
            while j < limit and j - k < 4 and self.joined[j] and self.flags[j] & DEFINITE and not self.flags[j] & TITLE:
                j += 1
            sp = self.subject_at(j, limit) if j < limit and not self.gap[j] & (_SENT | _COLON | _QUOTE) else None
            return sp if sp is not None and sp.kind in ("person", "role", "source") else None
        return self.subject_at(k, limit)

    def _manner_adverb(self, v: int, k: int) -> bool:
        """Token ``k`` after the masculine verb at ``v`` is a manner adverb (``وأضاف متحديا``، ``وقال ضاحكا``), not its
        subject, even where the entity pass took the word alone for a name."""
        hit = self.mention_first.get(k)
        return (not self.covered[k] or hit is not None and hit[1] == k) and not self.flags[k] & GIVEN \
            and verb_gender(self.folded[v]) == "m" and manner_adverb(self.folded[k])

    def _glued_body_end(self, k: int) -> int:
        """End (exclusive) of a listed organisation's name written with ل glued to its first word (``وقال لبي بي
        سي``، ``لوكالة الأنباء``): the one spoken to; 0 if token ``k`` opens none."""
        f = self.folded[k]
        if len(f) < 3 or f[0] != "ل" or not self.joined[k] and k:
            return 0
        rest = ARTICLE + f[2:] if f.startswith("لل") else f[1:]
        for key, entry in reference().gaz.get(rest, ()):
            n = len(key)
            if entry.etype == "ORG" and k + n <= self.size and tuple(self.folded[k + 1:k + n]) == key[1:] \
                    and all(self.joined[k + i] for i in range(1, n)):
                return k + n
        return 0

    def _addressee(self, k: int) -> bool:
        """Token ``k`` is a preposition ل glued to an organisation the article names (``وقال لرويترز``، ``قالت
        لبي بي سي``): the one spoken to, never the speaker (the mention's own name has no ل)."""
        hit = self.mention_first.get(k)
        if hit is None or hit[0].entity_type != "ORG" or not self.joined[k] and k:
            return False
        text = self.tokens.text[k]
        return len(text) > 2 and text[0] == "ل" and not hit[0].surface.startswith("ل")

    def _opener_at(self, s: int, limit: int) -> int:
        """Length of a discourse opener (من جهته، بدوره، أما) at token ``s`` (a conjunction before it allowed),
        else 0."""
        first = self.folded[s]
        openers = self.words.openers
        for head in (first, first[1:] if first[:1] in CONJUNCTIONS else None):
            for phrase in openers.get(head, ()) if head else ():
                n = len(phrase)
                if s + n <= limit and tuple(self.folded[s + 1:s + n]) == phrase[1:]:
                    return n
        return 0

    def _sentence_subject(self, v: int) -> Speaker | None:
        """SVO: the subject that opens the sentence of the verb at ``v`` (``مصدر أمني متابع للقضية قال``)."""
        s = self.sent_start[v]
        already = self.words.function_words["already"]
        verb_next = False  # قد before a word makes it a verb (وقد رفع الرئيس دونالد ترامب …، وقال إن)
        while s < v:
            if self.folded[s] in ("و", "ف"):
                s += 1
                continue
            if s + 1 < v and self.joined[s + 1] and (self.folded[s] in already or self.folded[s][:1] in CONJUNCTIONS
                                                     and self.folded[s][1:] in already):
                s, verb_next = s + 1, True
                break
            if s + 1 < v and self.folded[s] in ("كما", "وكما") and self.cls[s + 1] & COMPLEMENTIZER:
                s += 2  # كما أن ترامب أثار …: the subject follows
                continue
            n = self._opener_at(s, v)
            if not n:
                break
            s += n
        if s >= v or self.inside[s]:
            return None
        f = self.folded[s]
        if verb_next or self.rep[s] & (_V | _W) or (len(f) > 3 and f[0] in CONJUNCTIONS and s not in self.mention_first
                                        and not f[1:].startswith(ARTICLE)
                                        and f not in self.person_by_word and f not in self.named_words  # وانغ، وليد
                                        and not self.flags[s] & GIVEN
                                          and not self.cls[s] & (DESCRIPTION | INSTITUTION | PERSON_NOUN)
                                          and not self.flags[s] & TITLE):
            sp = self._subject_after(s, v)  # وشكر ترامب …، قائلا
        else:
            sp = self.subject_at(s, v, after_verb=False)
            unknown = sp is not None and sp.kind == "name" and sp.entity_id is None and " " not in sp.name
            if (sp is None or unknown) and s + 1 < v and s not in self.mention_first and not self.flags[s] & DEFINITE \
                    and not self.cls[s] & (COMPLEMENTIZER | STATEMENT) and self.joined[s + 1] \
                    and self.folded[s] not in ("من", "عن", "في", "مع", "الي", "علي"):
                # a verb no list holds opening the sentence (من جانبه، عبر اللاعب البرازيلي إلتون الميدا عن سعادته):
                # a person of the article or a role right after it is its subject
                # (سئل رئيس الوزراء التركي أحمد داود أوغلو …، فأجاب: a word no list knows, then a person of the
                # article, is a verb and its subject rather than a name)
                after = self._subject_after(s, v)
                if after is not None and (after.kind == "person" and after.entity_id is not None
                                          or after.kind == "role" and not unknown):
                    sp = after
                elif not unknown:
                    sp = None
        return sp if sp is not None and sp.kind in _SUBJECT_KINDS else None

    def _relayed(self, v: int, limit: int, naqlan_only: bool = False) -> Speaker | None:
        """Relayed speech: ``نقلت الوكالة عن مصدر مقرب …``، ``على لسان ليبرمان`` → the source after it.
        ``naqlan_only``: only after ``نقلا عن`` (the verb itself relays nothing: ``وأفادت الوكالة نقلا عن X``)."""
        k = v + 1
        while k < limit and k - v < 12 and not self.gap[k] & (_SENT | _COLON | _QUOTE) \
                and not self.cls[k] & COMPLEMENTIZER:
            if naqlan_only and self.folded[k] != self.words.naqlan:
                k += 1
                continue
            if self.cls[k] & RELAY_PREP and not self.cls[k] & CONJ_VERB:
                return self.subject_at(k + 1, limit)
            n = self._attribution_phrase_at(k)
            if n:
                return self.subject_at(k + n, limit)
            k += 1
        return None

    def _attribution_source(self, a: int, limit: int, length: int = 1) -> tuple[Speaker | None, bool]:
        """The source after an attribution word or phrase at ``a`` (``بحسب``، ``وفق ما نقلت X عن Y``، ``على حد
        تعبيره``); (speaker, whether the words named one)."""
        k = a + length
        if k < limit and self.folded[k] == "ما" and k + 1 < limit and (
                self.rep[k + 1] & (_V | _W)):
            sp = self._vso_subject(k + 1, limit)
            if sp is not None:
                return sp, True
            return self.carry(k + 1, verb_gender(self.folded[k + 1])), True
        if k < limit and self.folded[k] in ("ل", "ب") or k < limit and self.cls[k] & RELAY_PREP:
            k += 1
        if k >= limit or self.gap[k] & (_SENT | _QUOTE):
            return None, False
        named_next = length > 1 and self.folded[a + length - 1] != "حد"  # على حد تعبير نيتشه، على لسان X
        if self.folded[a + length - 1] == "حد" and not self.cls[k] & PRONOUN_SUFFIX and k + 1 < limit:
            k += 1  # على حد وصف المحلل: the source follows the noun
            named_next = True
        if self.cls[k] & PRONOUN_SUFFIX and not named_next and not self.cls[k] & STATEMENT \
                and k not in self.mention_first:
            # على حد تعبيره، وفق قولها: the speaker of the sentence
            return self.carry(a, "f" if self.folded[k].endswith("ها") else "m"), True
        sp = self.subject_at(k, limit)
        if sp is not None:
            if sp.entity_id is None and self.cls[k] & PREP_PHRASE and sp.name.startswith("ل") \
                    and self.tokens.text[k].startswith("ل"):
                # وفقا للمتحدث باسم الجيش: the source without the preposition glued to it
                sp = Speaker("ال" + sp.name[2:] if sp.name.startswith("لل") else sp.name[1:], None, sp.kind)
            return sp, True
        if named_next and self.flags[k] & (NAME_FIRST | NAME_NEXT | PLAIN) and self._phrase_ends(k + 1, limit):
            return self._name_speaker(self._text(k, k + 1)), True  # على حد تعبير نيتشه (a name ending in ه)
        return None, False

    def _attribution_phrase_at(self, k: int) -> int:
        """Length of an attribution phrase (على حد تعبير، نقلا عن) starting at token ``k``, else 0."""
        for phrase in self.words.attribution_phrases.get(self.folded[k], ()):
            n = len(phrase)
            if tuple(self.folded[k:k + n]) == phrase and all(self.joined[k + i] for i in range(1, n)):
                return n
        return 0

    # -- carrying a speaker -----------------------------------------------------------------------------
    def carry(self, tok: int, gender: str, persons_only: bool = False) -> Speaker | None:
        """The last source before token ``tok`` whose verb agreed with ``gender`` (any, if none did)."""
        i = bisect.bisect_left(self.event_toks, tok) - 1
        fallback: Speaker | None = None
        seen = 0
        while i >= 0 and seen < 8:
            ev = self.events[i]
            i -= 1
            if persons_only and ev.speaker.kind not in _PERSONS:
                continue
            seen += 1
            if fallback is None:
                fallback = ev.speaker
            if not gender or not ev.gender or ev.gender == gender:
                return ev.speaker
        return fallback

    # -- one quote -------------------------------------------------------------------------------------
    def speaker(self, start: int, end: int) -> tuple[Speaker | None, str]:
        """Who said the quote whose text runs from character ``start`` to ``end``, and the gender its verb
        gives (for later bare verbs)."""
        a = bisect.bisect_left(self.starts, start)
        if a < self.size and self.gap[a] & _SENT and not self.gap[a] & _COLON:
            # a quote that opens its sentence is attributed by the words after it (``"…"، هذا ما قاله الأمين العام``),
            # not by the sentence before it (``… بحسب نظام القرعة. "…"``)
            trailing = self._trailing(end, a)
            if trailing is not None:
                return trailing, ""
        sp, gender, named = self._lead(a)
        if named:
            return sp, gender
        trailing = self._trailing(end, a)
        if trailing is not None:
            return trailing, ""
        if sp is not None:
            return sp, gender
        tail = self._sentence_tail(end)
        if tail is not None:
            return tail, ""
        label = self._label_before(a)
        if label is not None:
            return label, ""
        return self.carry(a, ""), ""

    def _lead(self, a: int) -> tuple[Speaker | None, str, bool]:
        """The source the clause before token ``a`` names: (speaker, gender of its verb, whether the clause
        named it). A bare verb (``وأضاف أن``) looks further back in its sentence, then carries."""
        quoted_from = self._qawl_source(a) or self._scripture_source(a)
        if quoted_from is not None:
            return quoted_from, "", True
        cls = self.cls
        found: tuple[Speaker | None, str] | None = None  # an attribution word's source, if no verb comes first
        relayed = False  # the attribution is a relayer's verb (بحسب ما نقلت الوكالة): a bare verb before it wins
        addressed = False  # the statement's issuer is read off a ل-word: a bare verb before it makes it the addressee
        bare: str | None = None  # gender of a bare verb met on the way
        bare_at = 0  # and its token
        for v in range(a - 1, -1, -1):
            if self.inside[v]:
                break
            fl, c = self.rep[v], cls[v]
            if fl & (_V | _W) and (self._after_attribution(v) or self._relays_object(v)):
                # وقال كلوب، بحسب ما نقل الموقع العربي: "…": the relayer's verb; the speaker's verb comes before
                if found is None:
                    found, relayed = (self._vso_subject(v, a), ""), True
            elif fl & (_V | _W):
                gender = verb_gender(self.folded[v])
                sp = self._vso_subject(v, a)
                if sp is not None:
                    return sp, bare or self._speaker_gender(v, sp), True
                sp = self._svo_subject(v)
                if sp is not None:
                    # a subject before the verb: a source named after the quote (بحسب X) is more precise
                    return sp, bare or gender, False
                if fl & _V and bare is None:
                    bare, bare_at = gender, v
            elif fl & _P:
                gender = verb_gender(self.folded[v])
                return self._participle_speaker(v, gender), gender, True
            elif found is None:
                n = self._attribution_phrase_at(v) or (1 if fl & _A else 0)
                if n:
                    sp, named = self._attribution_source(v, a, n)
                    if named:
                        found = (sp, "")
                elif c & STATEMENT:
                    sp = self._issuer(v, a, strict=True)
                    if sp is not None:
                        found, addressed = (sp, ""), self._lam_object(v + 1)
            if self.gap[v] & _SENT:
                break
        if found is not None and not ((relayed or addressed) and bare is not None):
            return found[0], bare or found[1], True
        if bare is not None:
            opening = self._sentence_subject(bare_at)  # وكان البشير قد توجه … وصرح أن: the sentence's subject
            if opening is not None and opening.entity_id is not None:
                return opening, bare, False
            issuer = self._statement_in_sentence(bare_at)  # جاء ذلك في تغريدة للأحمر …، حيث قال
            if issuer is not None:
                return issuer, bare, False
            topic = self._previous_topic(bare_at)
            if topic is not None:
                i = bisect.bisect_left(self.event_toks, a) - 1
                if i < 0 or self.event_toks[i] < topic[0]:
                    return topic[1], bare, False  # ويطلب محامي ستورمي، مايكل أفيناتي، … . وقال إنه …
            return self.carry(a, bare), bare, False
        return None, "", False

    def _previous_topic(self, tok: int) -> tuple[int, Speaker] | None:
        """The person a sentence before the one of token ``tok`` opens with, as the subject of its first verb of
        any kind (``ويطلب محامي ستورمي، مايكل أفيناتي، شهادة …``), passing back over sentences that open with a
        bare reporting verb (``وقال إنه …``): (its first token, the person), the subject a bare verb continues."""
        s = self.sent_start[tok]
        for _ in range(3):
            if s == 0:
                return None
            ps = self.sent_start[s - 1]
            x = ps
            while x < s and self.folded[x] in ("و", "ف"):
                x += 1
            opened = self._opener_at(x, s)  # من جانبه، أبدى عبدالله السالم تفاؤله: after an opener, a verb
            x += opened
            if x >= s or self.inside[x]:
                return None
            f = self.folded[x]
            # a reporting verb, or a word with و (or after an opener) that is no name, noun or body (ويطلب، وتوجه),
            # as _sentence_subject
            glued = len(f) > 3 and f[0] in CONJUNCTIONS
            verb = self.rep[x] & (_V | _W) or (glued or opened) and x not in self.mention_first \
                and not (f[1:] if glued else f).startswith(ARTICLE) and f not in self.person_by_word \
                and not self.flags[x] & (GIVEN | TITLE) \
                and not self.cls[x] & (DESCRIPTION | INSTITUTION | PERSON_NOUN | STATEMENT | BOUNDARY)
            if not verb:
                return None
            sp = self._subject_after(x, min(s, x + MAX_SUBJECT_TOKENS))
            if sp is not None:  # a person of the article (ويلبس المتسابقون أزياء نسائية: no one's name)
                return (ps, sp) if sp.kind == "person" and sp.entity_id is not None else None
            if not self.rep[x] & _V:
                return None
            s = ps
        return None

    def _lam_object(self, j: int) -> bool:
        """Token ``j`` (after a statement noun) has ل glued to it, as written (``تصريحات لنيوزبيتس``،
        ``بيان لوزارة``): a speaking verb that has the statement (``وأضاف في تصريحات لنيوزبيتس``) makes that
        the addressee; without one (``جاء في بيان لحماس``) it is the issuer."""
        return j < self.size and self.joined[j] and len(self.folded[j]) > 3 and self.folded[j][0] == "ل" \
            and not self.flags[j] & GIVEN

    def _qawl_source(self, a: int) -> Speaker | None:
        """``عن/إلى X قوله "…"`` (``ونسب بيان … إلى شي قوله``): the words are X's, whoever relays them."""
        q = a - 1
        if q < 1 or self.folded[q] not in self.words.function_words["saying"] or self.inside[q]:
            return None
        for j in range(q - 1, max(self.sent_start[q] - 1, q - 9), -1):
            if self.inside[j] or self.gap[j + 1] & (_SENT | _QUOTE):
                return None
            if self.folded[j] in ("عن", "الي", "ل") or self.cls[j] & RELAY_PREP:
                return self.subject_at(j + 1, q)
        return None

    def _scripture_source(self, a: int) -> Speaker | None:
        """``لقوله تعالى "…"``، ``في قوله عز وجل "…"``: a saying noun and a religious epithet before the quote name
        the text's source."""
        for j in range(a - 2, max(self.sent_start[a - 1] - 1, a - 6), -1) if a > 1 else ():
            if self.inside[j]:
                return None
            f = self.folded[j]
            f = f[1:] if len(f) > 3 and f[0] in PROCLITICS else f
            if f == "قول" or f in self.words.function_words["saying"]:  # (لقول الله، لقوله تعالى)
                return self._religious_source(j + 1, a)
        return None

    def _relays_object(self, v: int) -> bool:
        """A relay verb with an object pronoun (``كلمة ألقاها … ونقلها التلفزيون``): its subject relays words
        said before."""
        if not self.cls[v] & OBJECT_VERB:
            return False
        stem = object_verb_stem(self.folded[v], self.words.verbs)
        return stem is not None and bool(word_class(stem) & RELAY)

    def _after_attribution(self, v: int) -> bool:
        """The verb at ``v`` follows an attribution word and ``ما`` (``بحسب ما نقل``، ``وفقا لما ذكرت``)."""
        if v < 2 or self.folded[v - 1] not in ("ما", "لما") or not self.joined[v] or not self.joined[v - 1]:
            return False
        return bool(self.rep[v - 2] & _A or self._attribution_phrase_end(v - 2))

    def _attribution_phrase_end(self, k: int) -> bool:
        """An attribution phrase (على حد تعبير) ends at token ``k``."""
        return any(self._attribution_phrase_at(j) == k - j + 1 for j in range(max(0, k - 3), k + 1))

    def _participle_speaker(self, p: int, gender: str) -> Speaker | None:
        """``مضيفا``، ``قائلة``: the subject of the sentence's main verb (quotes before it included), else the
        issuer of a statement the sentence names (``جاء ذلك في مقابلة لنصر …، قائلا``)."""
        s = self.sent_start[p]
        for v in range(p - 1, s - 1, -1):
            if self.inside[v] or not self.rep[v] & (_V | _W):
                continue
            sp = self._explicit_subject(v, self._clause_end(v))
            if sp is not None:
                return sp
            if self.rep[v] & _V:
                break
        sp = self._sentence_subject(p) or self._statement_in_sentence(p)
        if sp is not None:
            return sp
        return self.carry(p, gender)

    def _statement_in_sentence(self, p: int) -> Speaker | None:
        """The issuer named with the first statement noun of the sentence before token ``p``."""
        for k in range(self.sent_start[p], p):
            if self.cls[k] & STATEMENT and not self.inside[k]:
                sp = self._issuer(k, min(p, k + MAX_SUBJECT_TOKENS), strict=True, glued=True)
                if sp is not None:
                    return sp
        return None

    def _glued_name(self, j: int, e: int) -> Speaker | None:
        """A name with ل glued to it after a statement noun (``مقابلة لنصر``، ``تغريدة للأحمر``)."""
        text = self.tokens.text[j]
        article = self.folded[j].startswith("لل")  # للأحمر: ل and the article's ا dropped
        if len(text) < 4 or text[0] != "ل" or not self.flags[j] & (NAME_FIRST | NAME_NEXT | GIVEN) \
                or article and not self._phrase_ends(j + 1, e):
            return None
        rest = "ال" + text[2:] if article else text[1:]
        if fold(rest) in reference().stop or word_class(fold(rest)) & (STATEMENT | NOT_NAME | DESCRIPTION):
            return None
        return self._name_speaker(rest)

    def _trailing(self, end: int, a: int) -> Speaker | None:
        """A source named after the quote: ``"…"، كتب الراشد``، ``"…" بحسب المنلا``، ``"…"، كما يقول``."""
        t = bisect.bisect_left(self.starts, end)
        if t >= self.size:
            return None
        between = self.body[end + 1:self.starts[t]]
        if any(c in QUOTE_MARKS for c in between):
            return None
        new_sentence = any(c in _SENTENCE_END for c in between)
        if new_sentence and not (a == 0 or self.gap[a] & _SENT):
            return None
        limit = self._clause_end(t)
        if any(self.inside[j] for j in range(t, min(limit + 1, self.size))):
            # the words after introduce the next quote, unless a participle after a comma does (``"…"، هذا ما
            # قاله جون ألكسندر، مضيفا "…"``): the words before it still attribute this one
            limit = next((j for j in range(t + 1, limit) if self.rep[j] & _P and self.gap[j] & _COMMA), 0)
            if not limit:
                return None
        k = t
        if not new_sentence and k + 2 < limit and self.folded[k] in ("هذا", "هذه", "ذلك") and self.folded[k + 1] == "ما":
            k += 1  # "…"، هذا ما قاله الخبير: as كما قال
        elif not new_sentence and k + 2 < limit and not self.rep[k] and self.cls[k + 1] & OBJECT_VERB \
                and self.rep[k + 1] & _V:
            # "…" جملة قالها شاهين، "…" عبارة رددها المتظاهرون: a noun for the words, then the verb that said them
            sp = self._subject_after(k + 1, limit)
            if sp is not None:
                return sp
        if not new_sentence and self.folded[k] in ("كما", "هكذا", "ما") and k + 1 < limit:  # "…"، هكذا علق المتحدث
            k += 1
            if self.rep[k] & _V:
                sp = self._subject_after(k, limit)
                return sp if sp is not None else self.carry(a, verb_gender(self.folded[k]))
        if self.rep[k] & _V and self.cls[k] & CONJ_VERB:
            return None  # "…" ورددت الجماهير "نعم": a verb with و opens the next statement, it attributes none before
        if self.rep[k] & _V:
            sp = self._subject_after(k, limit)
            if sp is not None:
                return sp
            return None if new_sentence else self.carry(a, verb_gender(self.folded[k]))
        if new_sentence:
            return None
        n = self._attribution_phrase_at(k) or (1 if self.rep[k] & _A else 0)
        if n:
            sp, _named = self._attribution_source(k, limit, n)
            return sp
        return None

    def _sentence_tail(self, end: int) -> Speaker | None:
        """A source named by an attribution that closes the quote's sentence after a comma, where no verb
        introduced the quote: ``وساد "…" على خلفية هذا الحادث، بحسب المرصد السوري``، ``بأن تأمر أبوظبي "…" وأن
        "…"، وفق ما أعلنه محمد الخليفي``. A reporting verb on the way introduces other words: None."""
        t = bisect.bisect_left(self.starts, end)
        for k in range(t, min(self.size, t + 60)):
            if k > t and self.gap[k] & _SENT:
                return None
            if self.inside[k]:
                continue
            n = self._attribution_phrase_at(k) or (1 if self.rep[k] & _A else 0)
            if n and (k == t or self.gap[k] & _COMMA):
                limit = self._clause_end(k)
                if limit < self.size and not self.gap[limit] & _SENT:
                    return None  # the attribution's clause goes on to a colon or a quote: the next quote's
                sp, _named = self._attribution_source(k, limit, n)
                return sp
            if self.rep[k] & (_V | _W | _P):
                return None
        return None

    def label(self, start: int, end: int) -> Speaker | None:
        """The source that the words ``body[start:end]`` name, as a statement's label (``بوتين: …``)."""
        k, limit = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        while k < limit and self.folded[k] in ("و", "ف"):
            k += 1
        if any(self.rep[j] or self.cls[j] & (BOUNDARY | COMPLEMENTIZER | SKIP) or self.flags[j] & VERB_LIKE
               and not self.covered[j] for j in range(k, limit)):
            return None  # a clause before the colon (وسيكون الأعضاء أمام خيارين:), not a name
        sp = self.subject_at(k, limit, after_verb=False)
        return sp if sp is not None and sp.kind in _SUBJECT_KINDS else None

    def _label_before(self, a: int) -> Speaker | None:
        """A name right before the quote and a colon: ``بوتين: "…"``."""
        if a == 0 or a >= self.size or not self.gap[a] & _COLON:
            return None
        for k in range(max(0, a - 6, self.sent_start[a - 1]), a):  # in the quote's sentence only
            if self.cls[k] & PREP_PHRASE:
                return None  # في حديث لصحيفة "صنداي تايمز": the paper spoken to and its name label no one
            sp = self.subject_at(k, a, after_verb=False)
            if sp is not None and sp.kind in _SUBJECT_KINDS:
                return sp
        return None
