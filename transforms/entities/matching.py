"""Reference matching: entity mentions of one body from the reference lists and patterns that generalise.

Five passes over the body's tokens, each claiming tokens for spans (a token belongs to one span at most):

1. reference names (countries, cities, organisations, well-known persons), longest first;
2. a role title (``الرئيس الروسي``, ``وزير الخارجية``) and the name of one to four words after it;
3. an organisation head (``وزارة``، ``جامعة``، ``وكالة`` …) and the noun phrase after it;
4. a name starting with a known given name, or a name followed by a role (``دميتري بيسكوف الناطق الصحفي``);
5. later mentions of a person by surname (``بوتين``) or first and last name, mapped to the same entity.

The role titles found on the way (:class:`Role`) are kept with the spans in the :class:`Analysis`: the quote
pass resolves speakers described by their role (``الرئيس الأميركي``) through them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress

from transforms.arabic.chars import HAS_LETTER_RE, QUOTE_MARKS, TANWEEN_ENDINGS
from transforms.arabic.fold import letter_offset, strip_diacritics
from transforms.arabic.morphology import (
    ARTICLE,
    ARTICLE_WITH_PROCLITIC,
    CONJUNCTIONS,
    COORDINATOR,
    LAM_ARTICLE,
    PREPOSITIONS,
    PROCLITICS,
    PRONOUN_SUFFIXES,
    is_definite,
    is_nisba,
    proclitic_spellings,
)
from transforms.entities import model
from transforms.entities.reference import GazEntry, entity_id, folded_words, name_words, reference
from transforms.entities.tokens import (
    ADJECTIVE,
    COMPLEMENT,
    CONNECTOR,
    DEFINITE,
    EXTENDS,
    GAZ,
    GIVEN,
    HEAD,
    NAME_FIRST,
    NAME_NEXT,
    NISBA,
    PLAIN,
    PREFIXED_GAZ,
    STARTS,
    TITLE,
    VERB_LIKE,
    Tokens,
    WordInfo,
    tokens_of,
    word_info,
)
from transforms.types import Entity, Mention

MAX_NAME_WORDS = 4
_DOTTED_ACRONYM = re.compile(r"(?<![\w.])(?:[^\W\d_]{1,3}\.){2,}[^\W\d_]{1,3}(?![\w.])")
# a word ending in a pronoun of two letters or more (ابنتها، غيرهم) is no name's; ه alone ends names (عبدالله، طه)
_PRONOUN_ENDINGS = tuple(p for p in PRONOUN_SUFFIXES if len(p) > 1)
_LONG_VOWELS = "اوي"  # folded: أ، إ، آ، ى are ا or ي
GUESSED = ("title", "given", "apposition")  # span sources of the patterns that guess a name's extent
_LINEAGE = frozenset({"بن", "بنت", "ابن"})  # folded: "son/daughter of" inside a chain of names
_FAMILY = frozenset({"ال"})  # folded آل: "the house of" before a family's name (آل سعود، آل نهيان)


@dataclass(slots=True)
class Span:
    """A matched stretch of tokens (``first``..``last``, inclusive) that is an entity mention."""

    first: int
    last: int
    skip: int  # proclitic characters stripped from the first token
    etype: str
    canonical: str
    gaz: GazEntry | None = None
    source: str = "gaz"  # gaz | title | apposition | given | alias | orghead | model
    inner: tuple[Span, ...] = ()  # listed places inside an organisation's name (جامعة تبوك): mentions too


@dataclass(slots=True)
class Role:
    """A role title in the text (``الرئيس الأميركي``) and the person it introduces, if any."""

    first: int  # first token of the title
    last: int  # last token of the title and its adjectives
    keys: tuple[tuple[str, ...], ...]  # role keys, most specific first
    text: str  # the title as written (proclitic stripped)
    person: Span | None = None
    anaphoric: bool = False


@dataclass(slots=True)
class Analysis:
    """Everything the entity pass learned about one body (shared with the quote pass)."""

    tokens: Tokens
    spans: list[Span]
    roles: list[Role]
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


def _clean_name(text: str) -> str:
    """A name as written, without diacritics, and with a hashtag's underscores as the spaces they stand for.

    >>> _clean_name("الشرطة_البريطانية"), _clean_name("سيرغَي  لافروف")
    ('الشرطة البريطانية', 'سيرغي لافروف')
    """
    return " ".join(strip_diacritics(text).replace("_", " ").split())


def can_be_name(words: list[str]) -> bool:
    """Written words that can be a person's name: the first can start a name and the later ones continue
    it. No word is one no name has (:func:`never_in_a_name`), a word the training data almost never has in a
    name, a stop word, a title, a body's head, a nationality even indefinite (``مشجع بلجيكي``), a word with
    a pronoun suffix (``ابنتها``، ``غيرهم``) or a preposition glued to a common word (``مورينو بنقطة``).
    Only the last may be definite (a family name); an unknown first word has no preposition glued to it
    (``كقطاعي``) and is no perfect verb in ت (``قصدت``).

    >>> can_be_name(["طالع", "اليامي"]), can_be_name(["حقوق", "الإنسان", "الدولية"]), can_be_name(["ابنتها"])
    (True, False, False)
    """
    if not words:
        return False
    infos = [word_info(w) for w in words]
    common, ref = model.common_words(), reference()
    if not infos[0].flags & NAME_FIRST:
        return False
    last = len(words) - 1
    for k, (text, w) in enumerate(zip(words, infos, strict=True)):
        f = w.folded
        if never_in_a_name(text, w, common) or f in common or f in ref.stop or w.flags & (TITLE | HEAD) \
                or k and not w.flags & NAME_NEXT:
            return False
        if f in ref.nationality or ARTICLE + f in ref.nationality or ARTICLE + f in common:
            return False  # an adjective, indefinite after its noun
        if f.startswith(ARTICLE_WITH_PROCLITIC) or strip_diacritics(text).endswith(_PRONOUN_ENDINGS) \
                or w.flags & DEFINITE and k < last or k and f[0] in PREPOSITIONS and f[1:] in common:
            return False
    f = infos[0].folded
    return _known_name_word(infos[0]) or not (f[0] in PREPOSITIONS and len(f) > 3 or f.endswith("ت"))


def never_in_a_name(text: str, info: WordInfo, common: frozenset[str]) -> bool:
    """A written word no name has: a hashtag (``#وائل_كفوري``), a verb, an accusative written with its
    tanween (``ضيفاً``) or without it (:func:`is_accusative_of`).

    >>> common = frozenset({"سؤال"})
    >>> [never_in_a_name(w, word_info(w), common) for w in ("سؤالا", "ضيفاً", "كفوري")]
    [True, True, False]
    """
    return "_" in text or info.verb or text.endswith(TANWEEN_ENDINGS) or is_accusative_of(info.folded, common)


def is_accusative_of(folded: str, common: frozenset[str]) -> bool:
    """A folded word is the accusative, written without its tanween, of a word the training data almost never
    has in a name (``سؤالا``، ``موسما``): an object or adverb, never a name's word.

    >>> is_accusative_of("سؤالا", frozenset({"سؤال"})), is_accusative_of("ميا", frozenset({"مي"}))
    (True, False)
    """
    return len(folded) > 3 and folded.endswith("ا") and folded[:-1] in common


def says_name(words: list[str]) -> bool:
    """A written word says the words are a name: a given name that is no ordinary word, a word of a
    transliterated name, or a family name in ي after another word (``طالع اليامي``).

    >>> says_name(["طالع", "اليامي"]), says_name(["مفرح"]), says_name(["جمال"]), says_name(["محمد", "أمير"])
    (True, False, False, True)
    """
    ref = reference()
    infos = [word_info(w) for w in words]
    if any(w.given and w.folded not in ref.given_ambiguous or w.folded in ref.name_words for w in infos):
        return True
    return len(infos) > 1 and is_nisba(infos[-1].folded)


def _known_name_word(info: WordInfo) -> bool:
    ref = reference()
    return info.given or info.folded in ref.name_words or info.folded in ref.given_ambiguous


class ReferenceMatcher:
    """One article's matching state: its tokens, and which token is claimed by which span.

    Tokens are the parallel lists of :class:`~transforms.entities.tokens.Tokens`; each pass visits only the
    tokens whose word can start what it looks for, found by one scan of the ``flags`` ints (cheaper than
    reading an attribute of every token's WordInfo).
    """

    def __init__(self, body: str):
        self.body = body
        self.ref = reference()
        tokens = self.tokens = tokens_of(body)
        self.folded, self.joined, self.infos, self.flags = tokens.folded, tokens.joined, tokens.info, tokens.flags
        self.starts, self.ends, self.texts = tokens.start, tokens.end, tokens.text
        self.size = len(self.folded)
        # One scan for the tokens that can start something (about a tenth); each pass's candidates are then
        # picked from these few (the flags are fixed per word, so computing them before the passes is the same)
        flags = self.flags
        starts = [k for k, fl in enumerate(flags) if fl & STARTS]
        self.gaz_candidates = [k for k in starts if flags[k] & (GAZ | PREFIXED_GAZ)]
        self.title_candidates = [k for k in starts if flags[k] & TITLE]
        self.head_candidates = [k for k in starts if flags[k] & HEAD and k < self.size - 1]
        self.given_candidates = [k for k in starts if flags[k] & GIVEN]
        self.owner: list[Span | None] = [None] * self.size
        self.spans: list[Span] = []
        self.roles: list[Role] = []
        self._word_set: frozenset[str] | None = None
        self.use_model = False  # set by run() when the model's spans are given
        self.tagged = False  # whether run() was given the model's spans (its word table is then at hand)

    # -- helpers -----------------------------------------------------------------------------------
    def claim(self, span: Span) -> None:
        owner = self.owner
        for k in range(span.first, span.last + 1):
            owner[k] = span
        self.spans.append(span)

    def text(self, first: int, last: int, skip: int = 0) -> str:
        return self.body[self.starts[first] + letter_offset(self.texts[first], skip):self.ends[last]]

    def words_text(self, first: int, last: int, skip: int = 0) -> str:
        """Tokens first..last as written, space-joined, without diacritics or punctuation (a canonical name)."""
        texts = self.texts
        head = texts[first][letter_offset(texts[first], skip):]
        return _clean_name(" ".join([head, *texts[first + 1:last + 1]]))

    def definite_text(self, first: int, last: int, skip: int) -> str:
        """:meth:`words_text`, with the article's alef back where ل merged with it (للحكومة -> الحكومة)."""
        text = self.words_text(first, last, skip)
        if skip == 1 and self.folded[first].startswith(LAM_ARTICLE) and not text.startswith(ARTICLE):
            return ARTICLE[0] + text
        return text

    def _follows(self, k: int, key: tuple[str, ...], length: int) -> bool:
        """Tokens k+1 .. k+length-1 are key[1:], each joined to the one before."""
        folded, joined = self.folded, self.joined
        for m in range(1, length):
            if folded[k + m] != key[m] or not joined[k + m]:
                return False
        return True

    # -- pass 1: reference lists -------------------------------------------------------------------
    def gazetteer(self) -> None:
        infos, folded, joined, n = self.infos, self.folded, self.joined, self.size
        nxt = 0
        for k in self.gaz_candidates:
            if k < nxt:
                continue
            info = infos[k]
            if info.single_name is not None:  # only one-word names start with this word: the loop below picks it
                skip, entry = info.single_name
                if entry.etype == "PERSON" and (self._father_in_chain(k, skip) or self._lineage_end(k) > k):
                    continue
                self.claim(Span(k, k, skip, entry.etype, entry.canonical, entry))
                nxt = k + 1
                continue
            # Per reading, the names longest first; the first that matches wins, and a later reading only
            # tries names longer than the best so far. A name of several words can only match when its second
            # word is the next token (joined): so only the names filed under that word are tried (same order,
            # see names_starting), then the one-word names.
            best: tuple[int, int, GazEntry] | None = None
            second = folded[k + 1] if k + 1 < n and joined[k + 1] else None
            for skip, multi, single in (*info.names, *info.prefixed_names) if info.prefixed_names else info.names:
                done = False
                if second is not None:
                    for key, entry, length in multi.get(second, ()):
                        if best is not None and length <= best[0] - k + 1:
                            done = True
                            break
                        if k + length > n:
                            continue
                        if length == 2 or self._follows(k, key, length):
                            best = (k + length - 1, skip, entry)
                            done = True
                            break
                if not done and single and best is None:  # a one-word name: only when nothing matched yet
                    best = (k, skip, single[0][1])
            if best is None:
                continue
            last, skip, entry = best
            if entry.etype == "PERSON":
                if self._father_in_chain(k, skip):
                    continue
                # the name as written (in full where it goes on: سلمان بن عبدالعزيز), without the title of a
                # listed form (الملك سلمان): a title is no part of a name
                last = max(last, self._lineage_end(last), self._listed_words_after(last, entry))
                title = self._title_at(k) if self.flags[k] & TITLE else None
                if title is not None and title[0] < last:
                    k, skip = title[0] + 1, 0
            self.claim(Span(k, last, skip, entry.etype, entry.canonical, entry))
            nxt = last + 1

    def _listed_words_after(self, last: int, entry: GazEntry) -> int:
        """The end of a listed person's short form ending at token ``last`` written on with later words of the listed
        name (``صباح الأحمد`` | ``الصباح`` of صباح الأحمد الجابر الصباح): the name as the article writes it."""
        words = folded_words(entry.canonical)
        at = max((i for i, w in enumerate(words) if w == self.folded[last]), default=None)
        while at is not None and last + 1 < self.size and self.joined[last + 1] and self.owner[last + 1] is None:
            later = words[at + 1:]
            if self.folded[last + 1] not in later:
                break
            at += 1 + later.index(self.folded[last + 1])
            last += 1
        return last

    def _father_in_chain(self, k: int, skip: int) -> bool:
        """Token k (no proclitic) follows a name and بن/بنت/ابن: a listed person's name there is the father's or
        grandfather's in someone else's chain of names (سلطان بن سلمان بن عبدالعزيز is not سلمان بن عبدالعزيز).

        >>> [m.surface for m in analyze("وقال الأمير سلطان بن سلمان بن عبدالعزيز إن", False).mentions]
        ['سلطان بن سلمان بن عبدالعزيز']
        """
        return not skip and k >= 2 and self.joined[k] and self.joined[k - 1] and self.folded[k - 1] in _LINEAGE \
            and bool(self.flags[k - 2] & NAME_NEXT) and self.owner[k - 2] is None

    def _lineage_end(self, last: int) -> int:
        """The last token of the chain of fathers' names (بن/بنت/ابن and a name, again and again, then آل and a
        family) that follows a name ending at ``last``: the name as written goes on (محمد بن نايف | بن عبدالعزيز
        آل سعود). ``last`` when no chain follows. A one-word listed name with a chain after it is someone else's
        given name (سلمان بن فهد is not King Salman); a longer one is that person written in full.

        >>> [m.surface for m in analyze("وولي عهده الأمير محمد بن نايف بن عبدالعزيز آل سعود وولي ولي العهد", False).mentions]
        ['محمد بن نايف بن عبدالعزيز آل سعود']
        """
        folded, joined, flags, owner, n = self.folded, self.joined, self.flags, self.owner, self.size
        end = last
        while end + 2 < n and joined[end + 1] and joined[end + 2] and owner[end + 2] is None \
                and folded[end + 1] in _LINEAGE | _FAMILY and flags[end + 2] & NAME_NEXT:
            end += 2
            if folded[end] == "عبد" and end + 1 < n and joined[end + 1] and flags[end + 1] & NAME_NEXT:
                end += 1  # بن عبد الله
        return end

    # -- pass 2: titles ----------------------------------------------------------------------------
    def _title_at(self, k: int) -> tuple[int, int, str] | None:
        """(last token of the title phrase, proclitic chars, head form) when a role title starts at token k."""
        for form, skip, phrases in self.infos[k].titles:
            for key in phrases:
                length = len(key)
                if k + length <= self.size and (length == 1 or self._follows(k, key, length)):
                    return k + length - 1, skip, form
        return None

    def _name_from(self, k: int) -> int | None:
        """Last token of a person name starting at k (1-4 words plus connectors), or None.

        Word tests read the token flags (see WordInfo): CONNECTOR is ``f in connectors or f == "عبد"``,
        DEFINITE ``is_definite(f)``, ADJECTIVE ``f in nationality or f in nisba_extra``, VERB_LIKE an imperfect
        prefix and no given name.
        """
        n = self.size
        flags, joined, owner = self.flags, self.joined, self.owner
        if k >= n or owner[k] is not None or not flags[k] & NAME_FIRST:
            return None
        if flags[k] & CONNECTOR:  # عبد الله، أبو بكر: the connector needs a word
            if not (k + 1 < n and joined[k + 1] and owner[k + 1] is None and flags[k + 1] & NAME_NEXT):
                return None
        last, words = k, 1
        while last + 1 < n and joined[last + 1] and words < MAX_NAME_WORDS:
            nxt = last + 1
            fl = flags[nxt]
            if fl & CONNECTOR:
                if nxt + 1 < n and joined[nxt + 1] and owner[nxt + 1] is None and flags[nxt + 1] & NAME_NEXT:
                    last = nxt + 1
                    words += 1
                    continue
                break
            if owner[nxt] is not None or not fl & NAME_NEXT:
                break
            if fl & DEFINITE:  # a definite surname (الأسد، الزهراني) ends the name; an adjective (الروسي) does not
                # nor does a definite word after a foreign given name (خوان كوادرادو التعادل)
                if fl & ADJECTIVE or self.folded[k] in self.ref.foreign_given:
                    break
                last = nxt
                break
            # a third word that looks like a conjugated verb (يواصل، سيواصلان) ends the name
            if words >= 2 and fl & VERB_LIKE:
                break
            # a foreign name is a given name and a surname (ليونيل ميسي هداف): a third word only after a second
            # given name (جان كلود يونكر)
            if words >= 2 and self.folded[k] in self.ref.foreign_given and self.folded[last] not in self.ref.first_names:
                break
            # nor is a word in ة after a foreign given name (جايك مريض، فرناندو مرتبطة): a noun, not a surname
            if words == 1 and self.folded[k] in self.ref.foreign_given and self.texts[nxt].endswith("ة"):
                break
            last = nxt
            words += 1
        return last

    def titles(self) -> None:
        folded, joined, flags, n, ref, owner = self.folded, self.joined, self.flags, self.size, self.ref, self.owner
        next_min = 0
        for k in self.title_candidates:
            if k < next_min:
                continue
            hit = self._title_at(k) if owner[k] is None or owner[k].etype != "PERSON" else None
            if hit is None:
                continue
            if hit[2] in ref.named_after and k > 0 and joined[k] and flags[k - 1] & HEAD and owner[k - 1] is None \
                    and self.infos[k - 1].org_head[0] not in ref.definite_heads:
                continue  # مستشفى الملك فهد: the name of a body or site (the head pass takes it), not a person
            title_last, skip, head = hit
            # adjectives of the title (الروسي، العام) and complements (مجلس الأمن، لكرة القدم، نيوزيلندا)
            last = title_last
            adjectives: list[str] = []
            complements = 0
            while last + 1 < n and joined[last + 1] and complements < 6:
                nxt = last + 1
                own = owner[nxt]
                if own is not None and own.etype in ("ORG", "PLACE"):
                    last = own.last
                    complements += 1
                    continue
                if own is not None:
                    break
                fl = flags[nxt]
                if fl & NISBA:  # a relation adjective or a listed title adjective
                    adjectives.append(folded[nxt])
                    last = nxt
                    continue
                if fl & TITLE and nxt > title_last and self._title_at(nxt) is not None:
                    break  # a second title (… وزير الدفاع الأمير محمد)
                # PLAIN: not a particle nor a verb; COMPLEMENT: a complement word or باسم
                if (fl & DEFINITE and fl & PLAIN) or fl & COMPLEMENT or (
                        folded[nxt][0] == "ل" and nxt + 1 < n and flags[nxt + 1] & DEFINITE and joined[nxt + 1]
                        and fl & PLAIN):
                    last = nxt
                    complements += 1
                    continue
                break
            title_words = [head, *folded[k + 1:title_last + 1]]
            definite_head = head if head.startswith(ARTICLE) else ARTICLE + head
            keys = (tuple(title_words + adjectives), tuple([definite_head] + adjectives), (definite_head,))
            text = self.text(k, last, skip)
            role = Role(k, last, keys, text, anaphoric=" ".join(title_words) in ref.anaphoric
                        or definite_head in ref.anaphoric)
            self.roles.append(role)
            name_start = last + 1
            if name_start < n and joined[name_start]:
                own = owner[name_start]
                if own is not None and own.etype == "PERSON" and own.first == name_start:
                    role.person = own
                    next_min = own.last + 1
                    continue
                end = self._name_from(name_start)
                if end is not None:
                    # absorb a reference person right after the name (بشار حافظ الأسد)
                    if end + 1 < n and joined[end + 1] and owner[end + 1] is not None \
                            and owner[end + 1].etype == "PERSON":
                        end = owner[end + 1].last
                    person = self._person(name_start, end, "title")
                    role.person = person
                    next_min = person.last + 1
                    continue
            next_min = last + 1

    def _person(self, first: int, last: int, source: str) -> Span:
        """Claim tokens first..last as a person; merge with a reference person inside the span."""
        owner = self.owner
        inner = next((owner[m] for m in range(first, last + 1) if owner[m] is not None
                      and owner[m].etype == "PERSON"), None)
        if inner is not None:
            self.spans.remove(inner)
            for m in range(inner.first, inner.last + 1):
                owner[m] = None
        skip = 0
        if inner is None:
            f = self.folded[first]
            first_names = self.ref.first_names
            if f[0] in CONJUNCTIONS and len(f) > 3 and f not in first_names and f[1:] in first_names:
                skip = 1
        canonical = inner.canonical if inner is not None else self.words_text(first, last, skip)
        span = Span(first, last, skip, "PERSON", canonical, inner.gaz if inner else None, source)
        self.claim(span)
        return span

    # -- pass 3: organisation and place heads ------------------------------------------------------
    def _named_after(self, m: int) -> int | None:
        """Last token of a title and name that a body or site is named after (``الملك فهد`` in ``مستشفى الملك
        فهد``), starting at token m, or None."""
        hit = self._title_at(m)
        if hit is None or hit[2] not in self.ref.named_after:
            return None
        start = hit[0] + 1
        own = self.owner[start] if start < self.size else None
        if own is not None and own.etype == "PERSON" and own.gaz is not None and own.first == start \
                and self.joined[start] and m > 0 and self.flags[m - 1] & HEAD:
            return own.last  # a listed person right after head and title (استاد الأمير سلمان بن عبدالعزيز)
        return self._name_from(start)

    def _complement(self, last: int, limit: int) -> int:
        """Last token of a body's name once the complement after token ``last`` is added: ``للسياحة والتراث
        الوطني``، ``لمكافحة الفساد``، ``لكرة القدم`` (a word with لل, or ل and a definite word, then definite
        words and و with a definite word), up to token ``limit``."""
        folded, joined, owner, flags, n = self.folded, self.joined, self.owner, self.flags, min(self.size, limit + 1)
        m = last + 1
        if m >= n or not joined[m] or owner[m] is not None or folded[m][0] != "ل" or len(folded[m]) < 4 \
                or folded[m] in self.ref.stop:
            return last
        if folded[m].startswith(LAM_ARTICLE):
            last = m
        elif m + 1 < n and joined[m + 1] and owner[m + 1] is None and flags[m + 1] & DEFINITE \
                and flags[m + 1] & PLAIN:
            last = m + 1
        else:
            return last
        m = last + 1
        while m < n and joined[m] and owner[m] is None and flags[m] & PLAIN \
                and (flags[m] & DEFINITE or folded[m].startswith("و" + ARTICLE)):
            last = m
            m += 1
        return last

    def _definite_body(self, k: int, skip: int) -> None:
        """A definite body noun and its adjectives: ``الجيش الإسرائيلي``، ``القوات المسلحة الإماراتية`` (a
        state body: with a nationality), ``الهيئة الوطنية لمكافحة الفساد``، ``الاتحاد المصري لكرة القدم`` (the
        definite form of an organisation head: relation or listed adjectives, then a complement)."""
        joined, flags, owner, folded, ref = self.joined, self.flags, self.owner, self.folded, self.ref
        # the definite form of an organisation head (الهيئة) takes any relation or listed adjective; a state body
        # (الجيش) only a nationality, after at most two other definite words (القوات المسلحة الإماراتية)
        generic = self.infos[k].org_head[0][len(ARTICLE):] in ref.org_heads
        last = None
        m = k + 1
        while m < self.size and m - k <= 3 and joined[m] and flags[m] & DEFINITE and flags[m] & PLAIN:
            f = folded[m]
            own = owner[m]
            if own is not None:  # a nationality the lists took for a country (السفارة السعودية) ends the name
                if own.first == own.last == m and own.etype == "PLACE" and f in ref.nationality:
                    self._unclaim(own)
                    last = m
                break
            if f in ref.nationality or generic and (flags[m] & NISBA or f in ref.body_adjectives) \
                    and f not in ref.not_body_adjectives:
                last = m
            elif generic or last is not None:
                break
            m += 1
        if last is None:
            return
        if generic:
            last = self._complement(last, k + 8)
        self.claim(Span(k, last, skip, "ORG", self.words_text(k, last, skip), None, "orghead"))

    def clubs(self) -> None:
        """A city right before a nationality adjective is its club (``ليفربول الإنجليزي``، ``روما الإيطالي``): a
        city the text places in a country says so before it (``مدينة نيس الفرنسية``، ``العاصمة الفرنسية باريس``),
        and so does a feminine adjective (``عفرين السورية``: a city, مدينة, is feminine; a club, نادي, is not)."""
        joined, owner, folded, n, ref = self.joined, self.owner, self.folded, self.size, self.ref
        for span in [s for s in self.spans if s.etype == "PLACE" and s.gaz is not None and not s.gaz.country]:
            nxt = span.last + 1
            if nxt >= n or not joined[nxt] or owner[nxt] is not None or folded[nxt] not in ref.nationality \
                    or self._feminine(nxt):
                continue
            before = span.first - 1
            if before >= 0 and joined[span.first] and self.infos[before].org_head is not None \
                    or self._headed_place(span):
                continue
            self._unclaim(span)
            # the club goes by the city's name (ليفربول); the adjective only says which
            self.claim(Span(span.first, nxt, span.skip, "ORG", span.canonical, None, "orghead"))
        self._clubs_as_cities()

    def _clubs_as_cities(self) -> None:
        """A listed body's one-word name is a city's after a city's head or before a feminine nationality
        adjective (``مدينة برشلونة``، ``ميلان الإيطالية``), the places :meth:`clubs` keeps a city in."""
        joined, owner, folded, n, ref = self.joined, self.owner, self.folded, self.size, self.ref
        for span in [s for s in self.spans if s.etype == "ORG" and s.gaz is not None and s.first == s.last]:
            k, nxt = span.first, span.first + 1
            headed = k > 0 and joined[k] and owner[k - 1] is None and self.infos[k - 1].org_head is not None \
                and self.infos[k - 1].org_head[0] in ref.same_place_heads
            if headed or nxt < n and joined[nxt] and folded[nxt] in ref.nationality and self._feminine(nxt):
                self._unclaim(span)
                city = self._listed_city(k, span.skip)
                name = city.canonical if city is not None else self.words_text(k, k, span.skip)
                first, skip = (k - 1, self.infos[k - 1].org_head[1]) if headed else (k, span.skip)
                self.claim(Span(first, k, skip, "PLACE", name, city))

    def _listed_bodies_of_a_country(self) -> None:
        """A listed body named by its head (``مجلس الشيوخ``، ``حركة طالبان``) right before a nationality adjective
        is that country's body, a name of its own (``مجلس الشيوخ الأرجنتيني``، ``حركة طالبان الباكستانية``), as
        the head pass reads ``الجيش الإسرائيلي``."""
        joined, owner, folded, ref = self.joined, self.owner, self.folded, self.ref
        for span in [s for s in self.spans if s.etype == "ORG" and s.source == "gaz"]:
            nxt = span.last + 1
            if nxt < self.size and joined[nxt] and owner[nxt] is None and folded[nxt] in ref.country_adjectives \
                    and self.infos[span.first].org_head is not None:
                self._unclaim(span)
                # the listed body stays a mention inside it: the lists may name that very body (حركة طالبان)
                self.claim(Span(span.first, nxt, span.skip, "ORG", self.words_text(span.first, nxt, span.skip),
                                None, "orghead", (span,)))

    def _feminine(self, k: int) -> bool:
        """Token ``k`` is written with a feminine ending (ة)."""
        return self.texts[k].endswith("ة")

    def _listed_city(self, k: int, skip: int) -> GazEntry | None:
        """The listed place (no country) that token ``k`` alone names, read without ``skip`` proclitic letters."""
        key = self._form(k, skip)
        return next((entry for words, entry in self.ref.gaz.get(key, ())
                     if words == (key,) and entry.etype == "PLACE" and not entry.country), None)

    def org_heads(self) -> None:
        """An organisation head (``وزارة``) or a place head (``مطار``) and the noun phrase after it: definite words
        (``وزارة الداخلية السعودية``), a listed place (``منتخب مصر``), a title and name the body is named after
        (``مستشفى الملك فهد``), never a verb, a particle or a second title."""
        folded, joined, starts, ends, infos, n, ref, owner, body = self.folded, self.joined, self.starts, \
            self.ends, self.infos, self.size, self.ref, self.owner, self.body
        for k in self.head_candidates:
            if owner[k] is not None:
                continue
            head = infos[k].org_head
            form = head[0]
            if form in ref.place_org_heads:
                own = owner[k + 1]
                if own is not None and own.first == k + 1 and own.etype == "PLACE" and joined[k + 1]:
                    self._unclaim(own)
                    self.claim(Span(k, own.last, head[1], "ORG", self.words_text(k, own.last, head[1]), None,
                                    "orghead"))
                continue
            if form not in ref.org_heads and form not in ref.place_heads:
                # not inside a role title: وزير الخارجية الأمريكي is a role, not the ministry
                # nor after لل (للحكومة): that span could not start at the article the name is written with
                if not any(r.first < k <= r.last for r in self.roles) and not folded[k].startswith(LAM_ARTICLE):
                    self._definite_body(k, head[1])
                continue
            etype = "ORG" if form in ref.org_heads else "PLACE"
            nk = k + 1
            if self._led_by(k):
                continue
            gap = body[ends[k]:starts[nk]]
            quoted = any(c in QUOTE_MARKS for c in gap)
            if not (joined[nk] or quoted):
                continue
            last = named_last = None
            m = nk
            own = owner[nk]
            inner: tuple[Span, ...] = ()
            if quoted:
                name = self._quoted_name(nk)
                if name is not None:
                    close, inside = name
                    for span in inside:
                        self._unclaim(span)
                    # a listed place in the quoted name is a mention too (حزب "البديل لألمانيا"), not the name
                    # itself (صحيفة "الرياض")
                    inner = tuple(span for span in inside
                                  if span.etype == "PLACE" and (span.first, span.last) != (nk, close))
                    # a medium goes by its name alone (صحيفة "سيدني مورنينغ هيرالد"), as below
                    first, skip = (nk, 0) if form in ref.media_heads and folded[nk] not in ref.media_generic \
                        else (k, head[1])
                    self.claim(Span(first, close, skip, etype, self.words_text(nk, close), None, "orghead", inner))
                    continue
            if own is not None and own.first == nk and own.etype == "PLACE" and etype == "PLACE":
                self._place_with_head(k, head[1], own)
                continue
            if own is not None:
                # a listed place after an organisation head belongs to its name (منتخب مصر، جامعة القاهرة), and so
                # does a listed person it is named after (مركز الملك سلمان)
                if own.first != nk or form in ref.media_heads or not (
                        own.etype == "PLACE" and etype == "ORG"
                        or own.etype == "PERSON" and self._title_at(nk) is not None
                        and self._title_at(nk)[2] in ref.named_after):
                    continue
                self._unclaim(own)
                last = own.last
                named_last = last if own.etype == "PERSON" else None
                inner = (own,) if own.etype == "PLACE" else ()  # the place is named in the text: a mention too
                m = last + 1
            while m < n and m - nk < 6 and owner[m] is None:
                f = folded[m]
                if m > nk and not joined[m]:
                    break
                if infos[m].titles and (m == nk or last == m - 1):
                    named = self._named_after(m) if m == nk or (last is not None and not quoted) else None
                    if named is not None:
                        for own in {id(o): o for o in owner[m:named + 1] if o is not None}.values():
                            self._unclaim(own)
                        last = named_last = named
                        m = named + 1
                        continue
                    if m > nk and self._title_at(m) is not None:
                        break
                if f in ref.stop or infos[m].verb or not HAS_LETTER_RE.search(f):
                    break  # a reporting verb is never a name, quoted or not (وكالة "وقال)
                if m == nk and not is_definite(f) and f.endswith(("ه", "ي", "ات")) and not quoted:
                    break  # an indefinite noun or adjective: صحيفة لبنانية, شركة متخصصة are not names
                if m > nk and not (is_definite(f) or f.startswith("و" + ARTICLE) or quoted
                                   or form in ref.company_heads and self._name_word_after_place(m, inner)):
                    break
                if m > nk and self.flags[m] & ADJECTIVE and not quoted and (
                        not is_definite(folded[nk]) or form in ref.media_heads and folded[nk] not in ref.media_generic):
                    # a nationality after a proper name is not part of it (نادي ليفربول الإنجليزي), nor after a
                    # medium's (صحيفة التلغراف البريطانية), unless a generic noun names it (وكالة الأنباء السعودية)
                    break
                last = m
                m += 1
                if quoted and any(c in QUOTE_MARKS for c in body[ends[m - 1]:starts[m] if m < n else len(body)]):
                    break
            if last is None:
                continue
            # a complement after a name's adjective or the person it is named after (مركز الملك سلمان للإغاثة،
            # الجمعية الخيرية لرعاية الأيتام), not after a plain noun (وزارة الصحة للمواطنين)
            if etype == "ORG" and not quoted and (last == named_last or self.flags[last] & NISBA
                                                  or folded[last] in ref.body_adjectives):
                last = self._complement(last, k + 9)
            # a nationality after the name that the lists took for a country (وزارة الداخلية السعودية)
            if last + 1 < n and joined[last + 1] and owner[last + 1] is not None \
                    and owner[last + 1].first == owner[last + 1].last == last + 1 \
                    and owner[last + 1].etype == "PLACE" and folded[last + 1] in ref.nationality:
                self._unclaim(owner[last + 1])
                last += 1
            if form in ref.media_heads and folded[nk] not in ref.media_generic:
                span = Span(nk, last, 0, etype, self.words_text(nk, last), None, "orghead")
            elif quoted or form in ref.same_place_heads and not any(self._common(j) for j in range(nk, last + 1)):
                # the body or place goes by its name, written here with its head: the name in quotation marks
                # (حزب "المواطنون"، شركة "امباير ماركتس"), the place's after its head (بمدينة كلكتا); not a common
                # noun's (منطقة العمليات: the head is the name's)
                span = Span(k, last, head[1], etype, self.words_text(nk, last), None, "orghead")
            else:
                span = Span(k, last, head[1], etype, self.words_text(k, last, head[1]), None, "orghead", inner)
            if len(_clean_name(self.text(nk, last))) < 2:
                continue
            self.claim(span)

    def _name_word_after_place(self, m: int, inner: tuple[Span, ...]) -> bool:
        """Token ``m`` goes on a company's name that starts with a place (``شركة آسيا كابيتال``): it follows the place,
        can be a later word of a name, and the training text almost never has it outside a name."""
        return bool(inner) and inner[-1].last == m - 1 and self.tagged and bool(self.flags[m] & NAME_NEXT) \
            and not self.flags[m] & (DEFINITE | ADJECTIVE | NISBA) and self.folded[m] not in model.common_words()

    def _quoted_name(self, first: int) -> tuple[int, tuple[Span, ...]] | None:
        """The last token of the quoted name that starts at token ``first`` (up to six words, closed by a quotation
        mark) and the spans inside it, if any span holds one of its words and none runs past it."""
        n, owner = self.size, self.owner
        last = first
        while last + 1 < n and last + 1 - first < 6 and self.joined[last + 1]:
            last += 1
        gap_after = self.body[self.ends[last]:self.starts[last + 1] if last + 1 < n else len(self.body)]
        if not any(c in QUOTE_MARKS for c in gap_after):
            return None
        inside = tuple({id(o): o for o in owner[first:last + 1] if o is not None}.values())
        if not inside or any(o.first < first or o.last > last for o in inside) \
                or len(inside) == 1 and (inside[0].first, inside[0].last) == (first, last) and inside[0].etype != "PLACE":
            return None  # a listed body's name as the lists hold it (شركة "أرامكو السعودية")
        return last, inside

    def _place_with_head(self, k: int, skip: int, place: Span) -> None:
        """A place head before a listed place: a settlement's, a province's or an area's head names that place
        (``محافظة الطائف``، ``ولاية كاليفورنيا``، ``منطقة نجران``: one more form of it), any other head a site of its
        own in it (``مطار ينبع``، ``سجن تدمر``), whose listed place is a mention too."""
        self._unclaim(place)
        if self.infos[k].org_head[0] in self.ref.same_place_heads:
            self.claim(Span(k, place.last, skip, "PLACE", place.canonical, place.gaz, place.source))
        else:
            self.claim(Span(k, place.last, skip, "PLACE", self.words_text(k, place.last, skip), None, "orghead",
                            (place,)))

    def _headed_place(self, span: Span) -> bool:
        """The span is a listed place written with its settlement's or province's head (``مدينة نيس``)."""
        head = self.infos[span.first].org_head
        return span.etype == "PLACE" and span.first < span.last and head is not None \
            and head[0] in self.ref.same_place_heads

    def untitled_persons(self) -> None:
        folded, joined, infos, n, owner, body = self.folded, self.joined, self.infos, self.size, self.owner, \
            self.body
        next_min = 0
        # Only a known given name, or a name word followed by a word that can continue a name, can end in
        # a person here: a lone untitled word makes no span (the tests below need two words or a given name).
        flags = self.flags
        # Past a given name, a span needs the apposition below: two name words, then a definite word that
        # starts a title. _name_from(k) ends at k+6 at most (4 words, connectors between), so such a k lies
        # 2 to 7 tokens before a TITLE|DEFINITE token; other name words are not tried (they make nothing).
        near: set[int] = set()
        for t in self.title_candidates:
            if flags[t] & DEFINITE:
                near.update(range(t - 7, t - 1))
        # the given names, and the name words at those near positions followed by a word that can continue a name
        candidates = sorted({*self.given_candidates,
                             *(k for k in near if 0 <= k < n - 1 and flags[k] & NAME_FIRST and joined[k + 1]
                               and flags[k + 1] & EXTENDS)})
        for k in candidates:
            if k < next_min or owner[k] is not None:
                continue
            given = infos[k].given
            end = self._name_from(k)
            if end is None:
                continue
            words = end - k + 1
            if given and words >= 2:
                self._person(k, end, "given")
                next_min = end + 1
                continue
            # apposition: a name right before a role (دميتري بيسكوف الناطق الصحفي باسم ...)
            nxt = end + 1
            after_verb = k > 0 and joined[k] and self._after_break_or_verb(k)
            if nxt < n and (joined[nxt] or after_verb and body[self.ends[end]:self.starts[nxt]].strip()
                            in (",", "،")) and is_definite(folded[nxt]) and self._title_at(nxt) is not None \
                    and self._after_break_or_verb(k) and (words >= 2 or given):
                person = self._person(k, end, "apposition")
                self.roles.append(Role(nxt, nxt, ((folded[nxt],),), self.texts[nxt], person))
                next_min = end + 1
                continue

    def family_names(self) -> None:
        """A given name that is also an ordinary word (سعيد، ناصر، سالم) right before a definite family name in
        ي (الغامدي، الشمراني) is a person: the family name is the context the given name alone lacks. A
        nationality (صالح الفلسطيني) or a listed title adjective is no family name."""
        folded, owner, texts = self.folded, self.owner, self.texts
        ambiguous, stop = self.ref.given_ambiguous, self.ref.stop
        for m in compress(range(1, self.size), map(NISBA.__and__, self.flags[1:])):
            if owner[m] is not None or owner[m - 1] is not None or folded[m - 1] not in ambiguous \
                    or not self._family_name(m):
                continue
            # a particle that folds like a name (على / علي، أن / آن) is one only when written as the name
            if folded[m - 1] in stop and not texts[m - 1].endswith("ي"):
                continue
            self._person(m - 1, m, "given")

    def _after_break_or_verb(self, k: int) -> bool:
        if k == 0 or not self.joined[k]:
            return True
        return self.infos[k - 1].verb

    # -- pass 5: later mentions by surname / first+last ---------------------------------------------
    def aliases(self) -> None:
        table: dict[tuple[str, ...], Span] = {}
        ref = self.ref
        common = model.common_words() if self.use_model else frozenset()
        for span in self.spans:
            if span.etype != "PERSON" or span.gaz is not None:
                continue
            words = list(name_words(span.canonical))
            content = [w for w in words if w not in ref.connectors]
            if len(content) < 2:
                continue
            surname = content[-1]
            if len(surname.replace(ARTICLE, "", 1)) >= 3 and surname not in ref.stop \
                    and surname not in ref.first_names and surname not in common:
                table.setdefault((surname,), span)
            table.setdefault((content[0], surname), span)
            if len(words) >= 3 and words[-2] in ref.connectors:  # فان بوهمن، دي ميستورا، بن حلي
                table.setdefault((words[-2], surname), span)
        if not table:
            return
        firsts = {key[0] for key in table}  # a token none of whose readings starts a key cannot match
        folded, joined, infos, n, owner = self.folded, self.joined, self.infos, self.size, self.owner
        # Candidates by their folded word, C-level: every word with a reading in ``firsts`` is one of
        # proclitic_spellings(firsts) (a superset; the loop below still checks each reading).
        for k in compress(range(n), map(proclitic_spellings(frozenset(firsts)).__contains__, folded)):
            if owner[k] is not None:
                continue
            if k and joined[k] and folded[k - 1] in _LINEAGE:
                continue  # the word after بن is a father's name in someone's chain, not a later mention
            for form, skip in infos[k].forms:
                if form not in firsts:
                    continue
                if k + 1 < n and joined[k + 1] and owner[k + 1] is None \
                        and (form, folded[k + 1]) in table:
                    source = table[(form, folded[k + 1])]
                    self.claim(Span(k, k + 1, skip, "PERSON", source.canonical, None, "alias"))
                    break
                if (form,) in table:
                    source = table[(form,)]
                    self.claim(Span(k, k, skip, "PERSON", source.canonical, None, "alias"))
                    break

    # -- pass 5 (with the trained model): its spans where reference matching found nothing ---------------
    def model_spans(self, found: list[tuple[int, int, str]]) -> None:
        """Claim the trained model's spans (``(first, last, type)``) that the reference passes left open.

        Reference data wins where it has an answer (a listed country, city or organisation, a titled name);
        a model ORG or PLACE that contains a person claims it (``مستشفى الملك فهد`` is an ORG only); a span
        is cut before a verb or particle and runs over a dotted acronym (``إن.بي.سي``) as one name.
        """
        owner, flags, infos, ref = self.owner, self.flags, self.infos, self.ref
        # The names the patterns guessed (after a title, from a given name, in apposition) give way to the
        # model's: it ends a name before the verb or noun the patterns ran into, and finds none where they
        # took a word for one (اللاعب شاب، الرئيس للحفاظ)
        titled: dict[int, tuple[Span, Role]] = {}  # first token -> a name after a title, and its role
        for span in [s for s in self.spans if s.source in GUESSED]:
            self._unclaim(span)
            for role in self.roles:
                if role.person is span:
                    role.person = None
                    titled[span.first] = (span, role)
        for first, last, etype in self._bodies_before_names(found):
            if etype == "ORG" and self._led_by(first):
                first, etype = first + 1, "PERSON"
            bounds = self._trim(first, last, etype)
            if bounds is None:
                continue
            first, last = self._acronym(*bounds)
            if etype != "PERSON":
                last = self._cut_before_titled_name(first, last, titled)
                if last < first:
                    continue
            inside = {id(o): o for o in owner[first:last + 1] if o is not None}
            places: tuple[Span, ...] = ()
            if etype == "PERSON" and self._town_as_given_name(first, last, inside.values()):
                self._unclaim(next(iter(inside.values())))
                inside = {}
            if inside:
                # an ORG or PLACE of the model replaces the whole persons inside it; an ORG also the listed places
                # and shorter organisation-head matches inside it (ريال مدريد، جامعة جون هوبكينز)
                if etype == "PERSON" or any(o.first < first or o.last > last or not (
                        o.etype == "PERSON" or etype == "ORG" and (o.etype == "PLACE" and o.source == "gaz"
                                                                   or o.source == "orghead"))
                                            for o in inside.values()):
                    continue
                for o in inside.values():
                    self._unclaim(o)
                places = tuple(o for o in inside.values() if o.etype == "PLACE" and etype == "ORG")
            if etype == "PERSON":
                # one word: a name word the lists would accept; a title before the name is not part of it, one
                # inside it ends it (unless a family name: آل الشيخ)
                while first <= last and flags[first] & TITLE and self._title_at(first) is not None:
                    first += 1
                for k in range(first + 1, last + 1):
                    if flags[k] & TITLE and not flags[k - 1] & CONNECTOR and self._title_at(k) is not None:
                        last = k - 1
                        break
                # a definite noun or adjective before a word that can start a name describes the person (المتظاهر
                # حسين غازي، الأخوين أحمد، الفرنسي برنار كازنوف، السناتور ديك دوربين); a name written with hamza
                # (أليكس، إليزابيث) only folds like one
                while first < last and flags[first] & DEFINITE and flags[first + 1] & NAME_FIRST \
                        and not flags[first] & GIVEN and self.texts[first].startswith(ARTICLE):
                    first += 1
                if first > last:
                    continue
                first = self._given_names_before(first)
                if first == last and not flags[first] & NAME_FIRST \
                        or self.folded[first].startswith(ARTICLE_WITH_PROCLITIC):
                    continue
            skip = self._model_skip(first, etype == "PERSON")
            if etype == "PERSON" and first == last and self._described_word(first, skip):
                continue
            if skip == 1 and self.folded[first].startswith(LAM_ARTICLE) and etype != "PLACE":
                continue  # للحكومة: no surface of it spells the name (the quote pass shows an organisation's surface)
            if len(_clean_name(self.text(first, last, skip))) < 2 or first == last and infos[first].folded in ref.stop:
                continue
            self.claim(Span(first, last, skip, etype, self.definite_text(first, last, skip), None, "model", places))
        self._titled_names_left(titled)
        # a dotted acronym (إن.بي.سي، سي.إن.إن) no span holds is an organisation's name
        index_at = self.tokens.index_at
        for m in _DOTTED_ACRONYM.finditer(self.body):
            first, last = index_at(m.start()), index_at(m.end() - 1)
            if all(o is None for o in owner[first:last + 1]):
                self.claim(Span(first, last, 0, "ORG", _clean_name(self.text(first, last)), None, "model"))
        self._persons_in_orgs()
        self._one_type_per_name()
        self._first_names_to_full()
        self._listed_persons()

    def _bodies_before_names(self, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """The model's spans, with an organisation that ran on past its definite adjective into indefinite words
        (``وزارة الخارجية الأمريكية هيذر نويرت``) cut after the adjective: a body's name goes on with definite
        words only, or a complement with ل (``الرئاسة العامة لشؤون المسجد الحرام``). The words cut off are a
        person's span when they can be a name and one says so."""
        flags, joined = self.flags, self.joined
        out: list[tuple[int, int, str]] = []
        for first, last, etype in found:
            cut = next((k for k in range(first + 2, last + 1) if etype == "ORG" and joined[k]
                        and flags[k - 1] & ADJECTIVE and flags[k - 1] & DEFINITE
                        and not flags[k] & (DEFINITE | CONNECTOR) and self.folded[k][0] not in "ول"), None)
            if cut is None:
                out.append((first, last, etype))
                continue
            out.append((first, cut - 1, etype))
            if last > cut and self._name_words(cut, last, 0) and self._name_signal(cut, last, 0):
                out.append((cut, last, "PERSON"))
        return out

    def _titled_names_left(self, titled: dict[int, tuple[Span, Role]]) -> None:
        """A name after a title that the model left wholly untagged stays a person when its words can be a
        name's and one of them says so (:meth:`_name_signal`): the title is the context an unfamiliar name lacks
        (``العداء طالع اليامي``), while a guess that took words for a name (``اللاعب موسما مميزا``) does not
        survive; nor does one word (``لاعب روبين كازان``: a club; ``الملك يحيي``: a verb folded like a name). A
        title that is also a body's name (``الفريق``: a rank and a team) gives no such context."""
        for span, role in titled.values():
            if span.first < span.last and self.infos[role.first].org_head is None \
                    and self._name_words(span.first, span.last, span.skip) \
                    and self._name_signal(span.first, span.last, span.skip):
                self.claim(span)
                role.person = span

    def _listed_persons(self) -> None:
        """The next item of a list of persons is a person too (``عبر علي كعبي ونجيب غميض ومختار ذويب،``،
        ``الثلاثي مارسيلو وسيرخيو راموس``): before or after a person, a comma or و, then one to three name
        words that no span holds, closed by the list's end or its next item. The list gives the context a lone
        unfamiliar name lacks; the item still needs a word that says it is a name (:meth:`_name_signal`) unless
        persons stand on both sides of it."""
        done: set[int] = set()
        while True:
            persons = [span for span in self.spans if span.etype == "PERSON" and span.first not in done]
            found = [item for span in persons
                     for item in (self._list_item_after(span.last), self._list_item_before(span.first))
                     if item is not None]
            done.update(span.first for span in persons)
            if not found:
                return
            for first, last, skip in found:
                if all(o is None for o in self.owner[first:last + 1]):
                    self.claim(Span(first, last, skip, "PERSON", self.words_text(first, last, skip), None, "list"))

    def _list_item_after(self, end: int) -> tuple[int, int, int] | None:
        """(first, last, proclitic letters) of the untagged list item right after token ``end``, or None."""
        first = end + 1
        if first >= self.size or self.owner[first] is not None:
            return None
        gap = self.body[self.ends[end]:self.starts[first]].strip()
        conj = self._coordinated(first)
        if not (gap in (",", "،") or gap == "" and conj):
            return None
        skip = 1 if conj else 0
        last = first
        while last + 1 < self.size and last - first < 2 and self.joined[last + 1] and self.owner[last + 1] is None \
                and self.flags[last + 1] & NAME_NEXT and not self._coordinated(last + 1):
            last += 1
        if not self._closes_list(last):
            return None
        return self._list_item(first, last, skip, self._person_at(last + 1))

    def _list_item_before(self, start: int) -> tuple[int, int, int] | None:
        """The untagged list item right before the person starting at token ``start``: its words follow
        punctuation or a definite word (the list's description: ``الثلاثي``) and come before a comma or the
        person's و."""
        if start == 0 or self.owner[start - 1] is not None:
            return None
        gap = self.body[self.ends[start - 1]:self.starts[start]].strip()
        if not (gap in (",", "،") or gap == "" and self._coordinated(start)):
            return None
        first = start - 1
        while first > 0 and start - first < 3 and self.joined[first] and self.owner[first - 1] is None \
                and self.flags[first - 1] & NAME_FIRST and self.flags[first] & NAME_NEXT:
            first -= 1
        opener = first - 1
        if opener >= 0 and self.joined[first] and not (
                self.flags[opener] & (DEFINITE | TITLE) and self.owner[opener] is None):
            return None
        skip = 1 if self._coordinated(first) else 0
        return self._list_item(first, start - 1, skip, opener >= 0 and self._person_at(opener, last=True))

    def _coordinated(self, k: int) -> bool:
        """Token ``k`` starts with the list's و (and more than two letters)."""
        return self.folded[k].startswith(COORDINATOR) and len(self.folded[k]) > 3

    def _person_at(self, k: int, last: bool = False) -> bool:
        """A person's span starts (or with ``last``, ends) at token ``k``."""
        own = self.owner[k] if 0 <= k < self.size else None
        return own is not None and own.etype == "PERSON" and (own.last if last else own.first) == k

    def _list_item(self, first: int, last: int, skip: int, flanked: bool) -> tuple[int, int, int] | None:
        """Tokens first..last as a list item, if their words can be a name's and, unless persons stand on both
        sides (``flanked``), one of them says so."""
        if not self._name_words(first, last, skip) or not (flanked or self._name_signal(first, last, skip)):
            return None
        return first, last, skip

    def _name_words(self, first: int, last: int, skip: int) -> bool:
        """Tokens first..last (the first without ``skip`` proclitic letters) are unclaimed and
        :func:`can_be_name`."""
        if any(o is not None for o in self.owner[first:last + 1]):
            return False
        return can_be_name(self._written(first, last, skip))

    def _name_signal(self, first: int, last: int, skip: int) -> bool:
        return says_name(self._written(first, last, skip))

    def _written(self, first: int, last: int, skip: int) -> list[str]:
        """Tokens first..last as written, the first without ``skip`` proclitic letters."""
        texts = self.texts
        return [texts[first][letter_offset(texts[first], skip):], *texts[first + 1:last + 1]]

    def _closes_list(self, last: int) -> bool:
        """Token ``last`` ends a list item: punctuation or the text's end follows, or و (the next item, or
        ``وغيرهم``)."""
        nxt = last + 1
        if nxt >= self.size:
            return True
        gap = self.body[self.ends[last]:self.starts[nxt]]
        if gap.strip() and any(ch in gap for ch in ".,،:؛!?؟()\n"):
            return True
        return self.joined[nxt] and self._coordinated(nxt)

    def _led_by(self, k: int) -> bool:
        """Token k is a head that says whose leadership or forces are meant, before a listed given name: the name
        is a person's, not a body's (برئاسة نواف المقيرن، قيادة خليفة حفتر).

        >>> [(m.surface, m.entity_type) for m in analyze("أنهت إدارة النادي برئاسة نواف المقيرن التعاقد", False).mentions]
        [('نواف المقيرن', 'PERSON')]
        """
        head = self.infos[k].org_head
        return head is not None and head[0] in self.ref.led_by and k + 1 < self.size and self.joined[k + 1] \
            and self.folded[k + 1] in self.ref.first_names

    def _given_names_before(self, first: int) -> int:
        """The start of the model's person ``first..`` moved back over the given name it left out: a given name
        before بن and a name (مساعد | بن غالي العنزي، عبدالله | بن عبدالعزيز) is the person's own, and so is a given
        name that is also an ordinary word right before the listed given name the span starts with (محاميتها عزه |
        محمد أحمد): such an adjective or noun never precedes a name. Not a plain listed name before another (سنة
        نبيه محمد: his prophet), nor a particle (علي is على too).
        """
        folded, flags, joined, owner, ref = self.folded, self.flags, self.joined, self.owner, self.ref

        def given_at(k: int, ambiguous_only: bool = False) -> bool:
            f = folded[k]
            return owner[k] is None and f not in ref.stop and (
                f in ref.given_ambiguous or not ambiguous_only and f in ref.first_names)

        if first > 0 and folded[first] in _LINEAGE and joined[first] and given_at(first - 1):
            return first - 1
        if first > 1 and joined[first] and joined[first - 1] and folded[first - 1] in _LINEAGE and given_at(first - 2):
            return first - 2
        if first > 0 and joined[first] and flags[first] & GIVEN and given_at(first - 1, ambiguous_only=True):
            return first - 1
        return first

    def _cut_before_titled_name(self, first: int, last: int, titled: dict[int, tuple[Span, Role]]) -> int:
        """The end of the model's organisation or place ``first..last`` where it ran on into the name a role
        title introduced, starting with a given name (المتحدث باسم وزارة الصحة | أشرف القدرة، المتحدثة باسم
        المفوضية | مينا أندريفا): the body's name ends before that name, which is the role's person again (not a
        name right after a title inside the body's name: مستشفى الملك فهد)."""
        owner = self.owner
        for k in range(first + 1, last + 1):
            if k in titled and self.flags[k] & GIVEN and not self.flags[k - 1] & TITLE:
                span, role = titled[k]
                if span.last > span.first and all(o is None for o in owner[span.first:span.last + 1]):
                    self.claim(span)
                    role.person = span
                    return k - 1
        return last

    def _town_as_given_name(self, first: int, last: int, inside: Iterable[Span]) -> bool:
        """The only reference match inside the model's person ``first..last`` is a one-word town of the
        generated geo list at its start, and a family name follows it (``شيراز العتيري``): the town's name is
        the person's given name (the curated lists and countries are not second-guessed)."""
        spans = list(inside)
        if len(spans) != 1 or last == first:
            return False
        town = spans[0]
        return town.first == town.last == first and town.etype == "PLACE" and town.gaz is not None \
            and town.gaz.generated and self._family_name(first + 1)

    def _family_name(self, m: int) -> bool:
        """Token m, joined to the word before it, is a definite family name in ي (الغامدي، العتيري): a relation
        adjective that is no nationality, listed title adjective or describing adjective (المحلية)."""
        fl, f = self.flags[m], self.folded[m]
        return bool(fl & NISBA and fl & DEFINITE and fl & PLAIN) and not fl & ADJECTIVE and self.joined[m] \
            and self.texts[m].endswith("ي") and f not in self.ref.stop and f not in self.ref.not_body_adjectives

    def _described_word(self, k: int, skip: int) -> bool:
        """Token k is a given name that is also an ordinary word (صالح، سالم) and a nationality or listed title
        adjective follows it (صالح الفلسطيني): the adjective describes the word; it is no family name that would
        make the word a name (see :meth:`family_names`)."""
        nxt = k + 1
        return self._form(k, skip) in self.ref.given_ambiguous and nxt < self.size and self.joined[nxt] \
            and bool(self.flags[nxt] & ADJECTIVE)

    def _one_type_per_name(self) -> None:
        """A name after an organisation word (فريق تورينو، تطبيق تيليغرام) that the model took for a person's is
        the organisation's; then every model span of one name takes the type most of them have."""
        owner, joined, infos, context = self.owner, self.joined, self.infos, self.ref.org_context
        votes: dict[str, dict[str, int]] = {}
        for span in self.spans:
            if span.source != "model":
                continue
            k = span.first
            if span.etype == "PERSON" and k > 0 and joined[k] and not span.skip and owner[k - 1] is None \
                    and any(g in context for g, _ in infos[k - 1].forms):
                span.etype = "ORG"
            count = votes.setdefault(span.canonical, {})
            count[span.etype] = count.get(span.etype, 0) + 1
        for span in self.spans:
            if span.source == "model":
                count = votes[span.canonical]
                span.etype = max(count, key=lambda t: (count[t], t != "PERSON"))  # a tie is no person

    def _first_names_to_full(self) -> None:
        """A one-word model person that is the first word of a longer person's name is that person (فؤاد after
        فؤاد المهندس)."""
        full: dict[str, Span] = {}
        for span in self.spans:
            if span.etype == "PERSON" and span.last > span.first:
                full.setdefault(self._form(span.first, span.skip), span)
        names, connectors = self.ref.first_names, self.ref.connectors
        for span in [s for s in self.spans if s.etype == "PERSON" and s.source == "model"]:
            if span.first == span.last:
                other = full.get(self._form(span.first, span.skip))
                if other is not None:
                    span.canonical = other.canonical
                    continue
            # a given name alone (حسن، عبد الله) that names no one else in the article says too little
            words = [self._form(span.first, span.skip), *self.folded[span.first + 1:span.last + 1]]
            if len(words) <= 2 and words[-1] in names and (len(words) == 1 or words[0] in connectors
                                                          or words[0] == "عبد"):
                self._unclaim(span)

    def _short_forms_to_full_names(self) -> None:
        """A person the article writes only by a short form (``الملك عبدالله``, listed for عبدالله بن عبدالعزيز) is
        the one person it names in full with the same first words (``الملك عبدالله الثاني``): a short form can
        stand for several persons, and the full name in the article says which."""
        persons = [s for s in self.spans if s.etype == "PERSON"]
        longest: dict[str, tuple[str, ...]] = {}
        for s in persons:
            words = self._written_words(s)
            if len(words) > len(longest.get(s.canonical, ())):
                longest[s.canonical] = words
        for s in persons:
            if len(longest[s.canonical]) >= len(folded_words(s.canonical)):
                continue  # the article writes this person's own full name
            words = self._written_words(s)
            fuller = {c for c, full in longest.items()
                      if c != s.canonical and len(full) > len(words) and full[:len(words)] == words}
            if len(fuller) == 1:
                s.canonical = fuller.pop()

    def _written_words(self, span: Span) -> tuple[str, ...]:
        """The folded words of a span as the text writes them, its proclitic stripped."""
        return (self._form(span.first, span.skip), *self.folded[span.first + 1:span.last + 1])

    def _form(self, k: int, skip: int) -> str:
        """Token k's folded form with ``skip`` proclitic letters stripped."""
        return next((g for g, n in self.infos[k].forms if n == skip), self.folded[k])

    def _unclaim(self, span: Span) -> None:
        for k in range(span.first, span.last + 1):
            self.owner[k] = None
        self.spans.remove(span)

    def _common(self, k: int) -> bool:
        """Token k, or it without و/ف, is a word the training data (almost) never has in a name."""
        f, common = self.folded[k], model.common_words()
        return f in common or f[0] in CONJUNCTIONS and f[1:] in common and f not in self.ref.first_names

    def _acronym(self, first: int, last: int) -> tuple[int, int]:
        """The span grown over words joined to it by a bare dot (إن.بي.سي is one name)."""
        body, starts, ends, n = self.body, self.starts, self.ends, self.size
        while first > 0 and body[ends[first - 1]:starts[first]] == ".":
            first -= 1
        while last + 1 < n and body[ends[last]:starts[last + 1]] == ".":
            last += 1
        return first, last

    def _trim(self, first: int, last: int, etype: str) -> tuple[int, int] | None:
        """The span without particles, verbs and common words at its ends (a person's at both, an organisation's
        or place's at its start), cut before its first verb or particle (a name never runs into one)."""
        infos, stop, flags = self.infos, self.ref.stop, self.flags
        common = model.common_words()
        names = self.ref.first_names
        # a word is a verb as written (the readings without a proclitic misread names: كيري is no ك + يري); a
        # listed given name is a name even where it is also a particle (علي)
        while first <= last and (infos[first].folded in stop and not (infos[first].folded in names and first < last)
                                 or infos[first].folded in common):
            first += 1
        texts = self.texts
        for k in range(first + 1, last + 1):
            # the word after a connector is a name (علي بن أبي طالب); a word the training data never has in a
            # name, with و/ف or without, starts a clause (كيم ويلعب)
            if not self.joined[k] or not flags[k - 1] & CONNECTOR and not flags[k] & CONNECTOR and (
                    infos[k].folded in stop and infos[k].folded not in names or etype == "PERSON" and self._common(k)) \
                    or etype == "PERSON" and texts[k].endswith(TANWEEN_ENDINGS):
                last = k - 1
                break
        while last >= first and not (last > first and flags[last - 1] & CONNECTOR) and (
                infos[last].folded in stop or etype == "PERSON" and (
                    infos[last].folded in common or flags[last] & CONNECTOR)):
            last -= 1
        return (first, last) if first <= last else None

    def _model_skip(self, k: int, person: bool = False) -> int:
        """Proclitic letters to strip from a model span's first word: off the article (بالرياض، للأمم), or off a
        word that is no name itself when what is left is a known name or is written alone elsewhere in the body
        (وبوتين، لفيرمينو; not وليد، فيدران، كريم); و also off an unknown word (وروبرتو)."""
        info = self.infos[k]
        if info.given and info.folded in self.ref.first_names or info.names and info.names[0][0] == 0 \
                or info.folded in self.ref.given_ambiguous:
            return 0
        if info.org_head is not None:
            return info.org_head[1]
        for form, skip in info.forms[1:]:
            if is_definite(form):
                return skip
        f = info.folded
        if f[0] in PROCLITICS and len(f) > 3:
            rest = f[1:]
            if rest in self.ref.first_names or rest in self.ref.gaz or rest in self._words():
                return 1
            # و is a conjunction far more often than a name's first letter (وروبرتو); ف less so (فيدران); a
            # person's word of three letters after it too (وتوم), not a body's (وفاق سطيف)
            if f[0] == "و" and len(rest) >= (3 if person else 4) and f not in self.ref.first_names:
                return 1
            # ل after a statement noun or a reporting verb is the preposition (تصريحات لنيوزبيتس، قال لقرقاش)
            # where a consonant follows it: a name in ل starts with a long vowel (لافروف، لوبيز، ليزلي)
            if f[0] == "ل" and len(rest) >= 4 and rest[0] not in _LONG_VOWELS and self._governs_lam(k):
                return 1
        return 0

    def _governs_lam(self, k: int) -> bool:
        """The word before token k (joined to it) is a statement noun or a reporting verb, with or without
        و/ف: one that takes a complement with ل (the addressee, or the issuer: مقابلة لنصر)."""
        if k == 0 or not self.joined[k]:
            return False
        f = self.folded[k - 1]
        words = (f, f[1:]) if f[0] in CONJUNCTIONS else (f,)
        return any(w in self.ref.statements or w in self.ref.verbs for w in words)

    def _words(self) -> frozenset[str]:
        if self._word_set is None:
            self._word_set = frozenset(self.folded)
        return self._word_set

    def _persons_in_orgs(self) -> None:
        """A person right after an organisation or site head, with or without a title between, belongs to that
        name: ``مستشفى الملك فهد`` is an ORG, ``مطار الملك عبد العزيز الدولي`` a PLACE, neither a person; not after a
        head that says whose leadership is meant (``برئاسة نواف المقيرن``)."""
        owner, joined, infos, flags, ref = self.owner, self.joined, self.infos, self.flags, self.ref
        for span in [s for s in self.spans if s.etype == "PERSON" and s.gaz is None]:
            k = span.first
            if k == 0 or not joined[k] or span.skip or self._led_by(k - 1):
                continue
            head = k - 1
            if owner[head] is None and flags[head] & TITLE and head > 0 and joined[head]:
                head -= 1  # الملك، الأمير، الإمام between the head and the name
            before = owner[head]
            # an organisation-head match that stopped at a title (مستشفى الملك | فهد) goes on over the name; one
            # that is complete (وزير الخارجية الأمريكي مايك بومبيو) does not
            if before is not None and before.etype == "ORG" and before.source == "orghead" \
                    and before.last == k - 1 and flags[k - 1] & TITLE:
                self._unclaim(span)
                before.last = span.last
                before.canonical = self.words_text(before.first, before.last, before.skip)
                for m in range(before.first, span.last + 1):
                    owner[m] = before
                continue
            if before is not None or not any(o is None for o in owner[head + 1:k]) and head < k - 1:
                continue
            # the head's own form, indefinite: a definite noun before a name is in apposition to it (الرئيس التنفيذي
            # للمجموعة بول إيفريت), not the head of a name
            match = next(((g, n) for g, n in infos[head].forms if g in ref.org_heads or g in ref.place_heads), None)
            if match is None:
                continue
            kind = "ORG" if match[0] in ref.org_heads else "PLACE"
            skip = match[1]
            self._unclaim(span)
            self.claim(Span(head, span.last, skip, kind, self.words_text(head, span.last, skip), None, "model"))

    def run(self, found: list[tuple[int, int, str]] | None = None) -> Analysis:
        if self.size:
            self.tagged = found is not None
            self.gazetteer()
            self.titles()
            self.org_heads()
            self.clubs()
            self._listed_bodies_of_a_country()
            self.untitled_persons()
            self.family_names()
            if found is not None:
                self.use_model = True
            self.aliases()
            if found is not None:
                # the model's spans where the lists and patterns (and their persons' later mentions) found
                # nothing, then the later mentions of the persons only the model found
                self.model_spans(found)
                self.aliases()
            self._short_forms_to_full_names()
        self.spans.sort(key=lambda s: s.first)
        return Analysis(self.tokens, self.spans, self.roles)



def _with_mentions(body: str, analysis: Analysis) -> Analysis:
    """The analysis with the mentions and entity rows of its matched spans."""
    by_id: dict[str, Entity] = {}
    starts, ends, texts = analysis.tokens.start, analysis.tokens.end, analysis.tokens.text
    for span in [x for s in analysis.spans for x in (s, *s.inner)]:
        start = starts[span.first] + letter_offset(texts[span.first], span.skip) if span.skip \
            else starts[span.first]
        end = ends[span.last]
        surface = body[start:end]
        eid = entity_id(span.etype, span.canonical)
        analysis.mentions.append(Mention(eid, span.canonical, span.etype, surface, start, end))
        ent = by_id.get(eid)
        if ent is None:
            aliases = list(span.gaz.aliases) if span.gaz is not None else []
            ent = by_id[eid] = Entity(eid, span.canonical, span.etype, aliases)
        if surface not in ent.aliases and surface != ent.canonical_name:
            ent.aliases.append(surface)
    analysis.entities = list(by_id.values())
    return analysis


@lru_cache(maxsize=8)
def analyze(body: str, use_model: bool = True) -> Analysis:
    """Tokens, entity spans, role titles, mentions and entities of one body (memoised for the quote pass).

    With ``use_model`` the trained model's spans (:mod:`transforms.entities.model`) join the reference
    matches where those found nothing; without it, reference matching alone.

    >>> a = analyze("أعلن الرئيس الأميركي باراك أوباما أن أوباما")
    >>> [(m.surface, m.canonical_name) for m in a.mentions]
    [('باراك أوباما', 'باراك أوباما'), ('أوباما', 'باراك أوباما')]
    """
    matcher = ReferenceMatcher(body)
    found = model.tag_spans(matcher.tokens, body) if use_model and matcher.size else None
    return _with_mentions(body, matcher.run(found))
