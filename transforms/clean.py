"""Page text hygiene: control characters, line breaks, paragraphs, and site chrome.

Chrome is recognised by rules kept as data in ``seeds/chrome.json`` (regexes by category, matched on the
``fold_arabic`` form of a line so that alef/ya/ta-marbuta variants and tatweel do not matter). Rules are
about the *shape* of a line (a follow-us prompt, a bare URL, a view counter, a teaser heading), never about
one site, so they carry over to outlets not seen yet.

Three kinds of rule:

* ``line`` rules: a paragraph matching one is chrome wherever it stands (share prompts, subscription lines,
  URLs and phone numbers, comment notices, view counters, photo credits, tickers, video durations, wire
  end marks such as ``// انتهى //``);
* ``tail_markers``: a bare heading such as ``انظر ايضاً`` or ``رأيك في الموضوع`` starts a teaser or
  comments block; when it stands in the last part of the page it and everything after it are cut, otherwise
  only it and the short teaser lines right after it;
* ``inline_tail``: a footer glued to the last paragraph (``رابط الخبر بصحيفة الوئام: …``) is cut from the
  paragraph.

Header-zone chrome (a duplicated title, a section label, an image caption) depends on where a line stands
relative to the headline and the first body paragraph; ``strip_chrome(paragraphs, headline)`` handles the
duplicates anywhere and :mod:`transforms.segment` the rest, with the predicates defined here.
"""
from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from collections.abc import Callable
from functools import cache
from typing import Any

from transforms import seeds
from transforms.arabic.chars import ARABIC_BLOCK, CONTROLS
from transforms.arabic.fold import fold_arabic, fold_with_offsets, strip_controls
from transforms.normalize import match_key, paragraph_key

# Runs of horizontal space become one space. Only the runs that change are matched (two or more characters,
# or one that is not a plain space): same text, without rewriting every single space between words.
_HSPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_NBSP_ENTITY = re.compile(r"&nbsp;?|&#160;", re.I)
_ODD_NEWLINE = re.compile("[\u2028\u2029\x85\x0b\x0c]")
_ODD_HSPACE = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Any character clean_text may remove or rewrite: every whitespace character but space and newline (those are
# checked as sequences), and the controls strip_controls drops. A text without any, without an entity, double
# space, blank-line run or space at a line edge is already clean (most bodies on their second pass).
_NOT_CLEAN = re.compile(f"[\t\x0b\x0c\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000{CONTROLS}]")
_MANY_BLANKS = re.compile(r"\n{3,}")
_BARE_NUMBER = re.compile(r"^\s*\d{1,7}\s*$")
_ANY_NUMBER = re.compile(r"^[\s\d,./:-]+$")
_SENTENCE_END = re.compile(r"[.!?؟…:]\s*[\"'“”»)\]]*\s*$")
_WORD = re.compile(r"\w+")

# A teaser block counts as the page's tail when what follows the marker is at most this share of the page or
# holds no body-shaped paragraph; otherwise the marker is mid-article and only the teaser lines next to it go.
_TAIL_SHARE = 0.4
_TEASER_LINES = 4  # short teaser headlines dropped after a mid-article marker
_TEASER_WORDS = 25


# -- cheaper forms of the seed regexes -----------------------------------------------------------------
# A category regex is the alternation of its seed patterns, and most lines match none. Searching the whole
# alternation tries every pattern at every character; instead (same answer, see _line_test):
# * the patterns anchored at the start (``^…``, no MULTILINE) can only match at 0: one ``match`` call;
# * every other pattern is searched on its own, and only when the line contains one of the literal strings
#   that any match of it must contain (_required_literals), tested with C-level ``in``.
# Only Arabic-block characters and ASCII non-letters are taken as literals: none has a case variant, so the
# re.I the rules are compiled with cannot make them match anything but themselves.

_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)


_ARABIC_BLOCK_CHAR = re.compile(f"[{ARABIC_BLOCK}]")


def _caseless(ch: str) -> bool:
    return _ARABIC_BLOCK_CHAR.match(ch) is not None or (ch.isascii() and not ch.isalpha())


_MAX_EXPANSION = 32  # strings a run of literals and literal alternations may stand for


def _expand(seq: Any) -> set[str] | None:
    """The finite set of strings ``seq`` matches when it is only caseless literals, groups and alternations."""
    out = {""}
    for op, av in seq:
        if op is _sre.LITERAL and _caseless(chr(av)):
            e: set[str] | None = {chr(av)}
        elif op is _sre.SUBPATTERN:
            e = _expand(av[-1])
        elif op is _sre.BRANCH:
            alts = [_expand(a) for a in av[1]]
            e = None if any(a is None for a in alts) else set().union(*alts)
        else:
            return None
        if e is None or len(out) * len(e) > _MAX_EXPANSION:
            return None
        out = {a + b for a in out for b in e}
    return out


def _required_literals(seq: Any) -> list[list[str]]:
    r"""Literal tests every match of the parsed regex sequence ``seq`` passes: each item is a list of strings
    of which the match contains at least one (best first; empty: nothing known).

    Consecutive items that stand for a finite set of strings (literals, ``(a|b)`` groups) give the set of
    their concatenations, which the matched text contains verbatim; a group, a repeat of at least one, or an
    alternation whose every branch requires something, requires that too.

    >>> _required_literals(_sre_parse.parse(r"(?<=[.])\s*سمات(\s+\w+){1,15}$"))
    [['سمات']]
    >>> _required_literals(_sre_parse.parse(r"(?:^|\s)(اقرا|انظر) (ايضا|كذلك)\s*:"))[0]
    ['اقرا ايضا', 'اقرا كذلك', 'انظر ايضا', 'انظر كذلك']
    >>> _required_literals(_sre_parse.parse("[ab]+x?"))
    []
    """
    cands: list[set[str]] = []
    cur = {""}

    def flush() -> None:
        nonlocal cur
        if "" not in cur:  # a set holding "" requires nothing
            cands.append(cur)
        cur = {""}

    for op, av in seq:
        e = _expand([(op, av)])
        if e is not None:
            if len(cur) * len(e) <= _MAX_EXPANSION:
                cur = {a + b for a in cur for b in e}
            else:
                flush()
                cur = e
            continue
        flush()
        if op is _sre.SUBPATTERN:
            cands.extend(map(set, _required_literals(av[-1])))
        elif op is _sre.ATOMIC_GROUP:
            cands.extend(map(set, _required_literals(av)))
        elif op in _REPEATS and av[0] >= 1:  # at least one repetition is in the match
            cands.extend(map(set, _required_literals(av[2])))
        elif op is _sre.BRANCH:  # the match goes through one branch: one of that branch's strings
            alts = [_required_literals(a) for a in av[1]]
            if all(alts):
                cands.append({x for a in alts for x in a[0]})
        # anything else (classes, anchors, lookarounds, back-references) requires nothing
    flush()
    # a string containing another one of its set is implied by it: testing the shorter one is enough
    out = [sorted(x for x in c if not any(y != x and y in x for y in c)) for c in cands]
    return sorted(out, key=lambda c: -min(map(len, c)))


def _has_groupref(seq: Any) -> bool:
    for op, av in seq:
        if op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            return True
        subs = (av[-1],) if op is _sre.SUBPATTERN else (av[2],) if op in _REPEATS else \
            av[1] if op is _sre.BRANCH else (av,) if op is _sre.ATOMIC_GROUP else \
            (av[1],) if op in (_sre.ASSERT, _sre.ASSERT_NOT) else ()
        if any(_has_groupref(x) for x in subs):
            return True
    return False


class _LineTest:
    r"""``bool(re.compile("|".join(f"(?:{p})" for p in patterns), flags).search(text))``, computed faster.

    >>> t = _LineTest(["^تابعونا", "تبدا بالرمز", r"ارسل\s+رساله"], re.I)
    >>> t("تابعونا على تويتر"), t("نص تبدا بالرمز 5"), t("ارسل رساله"), t("لا شيء هنا تابعونا")
    (True, True, True, False)
    """

    def __init__(self, patterns: list[str], flags: int):
        parsed = [_sre_parse.parse(p, flags) for p in patterns]
        self.anchored: list[str] = []  # patterns that can only match at 0
        # (regex, literal tests) of the others: each test a tuple of strings one of which must be in the text
        self.searched: list[tuple[re.Pattern[str], list[tuple[str, ...]]]] = []
        if any(_has_groupref(sp) for sp in parsed):  # group numbers would change: keep the one regex
            self.searched.append((re.compile("|".join(f"(?:{p})" for p in patterns), flags), []))
            parsed = []
        for p, sp in zip(patterns, parsed, strict=True):
            if sp.data and sp.data[0] == (_sre.AT, _sre.AT_BEGINNING) and not sp.state.flags & re.M:
                self.anchored.append(p)
            else:  # the two most selective literal tests (more would cost more than they save)
                self.searched.append((re.compile(p, flags), [tuple(c) for c in _required_literals(sp)[:2]]))
        self.start = re.compile("|".join(f"(?:{p})" for p in self.anchored), flags) if self.anchored else None

    def unanchored(self, text: str) -> bool:
        """Whether one of the patterns that are not anchored at the start matches."""
        contains = text.__contains__
        for rx, tests in self.searched:
            for strings in tests:
                if not any(map(contains, strings)):
                    break  # a literal test failed: this pattern cannot match
            else:
                if rx.search(text) is not None:
                    return True
        return False

    def __call__(self, text: str) -> bool:
        return (self.start is not None and self.start.match(text) is not None) or self.unanchored(text)


def _first_category(tests: dict[str, _LineTest], flags: int) -> Callable[[str], str | None]:
    """``next((cat for cat, t in tests.items() if t(text)), None)``: one ``match`` of every category's
    anchored patterns first (most lines match none, and then only the unanchored ones need a look)."""
    order = list(tests.items())
    searched = [(cat, t) for cat, t in order if t.searched]  # the categories with unanchored patterns
    anchored = [p for t in tests.values() for p in t.anchored]
    try:
        any_start = re.compile("|".join(f"(?:{p})" for p in anchored), flags) if anchored else None
    except re.error:  # e.g. a group name used in two categories: test category by category
        return lambda text: next((cat for cat, t in order if t(text)), None)

    def first(text: str) -> str | None:
        if any_start is None or any_start.match(text) is None:
            for cat, t in searched:
                if t.unanchored(text):
                    return cat
            return None
        return next((cat for cat, t in order if t(text)), None)

    return first


@cache
def chrome_rules() -> dict[str, Any]:
    """``seeds/chrome.json`` compiled once: ``line`` (category -> regex), ``tail``, ``inline``, word sets.

    >>> sorted(chrome_rules()["line"])[:3]
    ['comments', 'counter', 'disclaimer']
    """
    raw = seeds.chrome()

    def compile_all(patterns: list[str]) -> re.Pattern[str]:
        # Patterns are written in ordinary Arabic; folding them the same way as the text keeps them readable.
        return re.compile("|".join(f"(?:{fold_arabic(p)})" for p in patterns), re.I)

    inline = [fold_arabic(p) for p in raw["inline_tail"]]
    line_tests = {cat: _LineTest([fold_arabic(p) for p in pats], re.I) for cat, pats in raw["line"].items()}
    return {
        "line": {cat: compile_all(pats) for cat, pats in raw["line"].items()},
        # the same tests as ``line`` and ``inline``, faster (see _LineTest)
        "line_tests": line_tests,
        "first_category": _first_category(line_tests, re.I),
        "inline_test": _LineTest(inline, re.I),
        "tail": compile_all(raw["tail_markers"]),
        "inline": [re.compile(p, re.I) for p in inline],
        "section_words": frozenset(match_key(w) for w in raw["section_words"]),
        "stamp_words": sorted({match_key(w) for w in raw["stamp_words"]}, key=len, reverse=True),
    }


def clean_text(text: str) -> str:
    r"""Remove bidi/zero-width controls, unify line breaks and horizontal spaces, trim each line.

    The text is otherwise kept as written (no letter folding).

    >>> clean_text("سانا\u200f\r\nموسكو\u00a0 -\tسانا  \r\n\r\n\r\n\r\nأكد")
    'سانا\nموسكو - سانا\n\nأكد'
    """
    global _last_clean
    if text is _last_clean:  # a text this function returned, known to be clean already (see below)
        return text
    if _is_clean(text):
        _last_clean = text
        return text
    # Each step below is guarded by a cheap test: regex passes over a whole Arabic body cost ~10-20 ns a
    # character even when they change nothing.
    if "&" in text:
        text = _NBSP_ENTITY.sub(" ", text)
    text = strip_controls(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ODD_NEWLINE.search(text):
        text = _ODD_NEWLINE.sub("\n", text)
    if "  " in text or _ODD_HSPACE.search(text):
        text = _HSPACE.sub(" ", text)  # _HSPACE cannot match a newline: one pass equals one per line
    text = "\n".join([line.strip() for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _MANY_BLANKS.sub("\n\n", text)
    text = text.strip()
    # The result is its own clean_text unless removing controls joined an entity ("&\u200fnbsp;"): no control,
    # \r, odd newline or space, double space, untrimmed line or blank-line run is left, and no later step makes
    # one. Pages are cleaned twice (the record, then segmentation): remember it to skip the second scan.
    if "&" not in text:
        _last_clean = text
    return text


_last_clean: str | None = None  # the last clean_text result known to be clean (compared by identity)


def _is_clean(text: str) -> bool:
    """``clean_text(text) == text`` for sure (False means: maybe not, do the work)."""
    if not text:
        return True
    if text[0].isspace() or text[-1].isspace():
        return False
    return not ("  " in text or " \n" in text or "\n " in text or "\n\n\n" in text
                or ("&" in text and _NBSP_ENTITY.search(text)) or _NOT_CLEAN.search(text))


def split_paragraphs(text: str) -> list[str]:
    """Non-empty lines of a cleaned text: every line is a paragraph (pages glue captions with one newline).

    >>> split_paragraphs("عنوان\\n\\n  فقرة أولى \\nفقرة ثانية\\n")
    ['عنوان', 'فقرة أولى', 'فقرة ثانية']
    """
    return [p for p in (line.strip() for line in text.split("\n")) if p]


def join_paragraphs(paragraphs: list[str]) -> str:
    """The contract's body layout: paragraphs separated by one blank line.

    >>> join_paragraphs(["أكد الرئيس.", " ", "وقال بوتين."])
    'أكد الرئيس.\\n\\nوقال بوتين.'
    """
    return "\n\n".join(p.strip() for p in paragraphs if p and p.strip())


def chrome_category(line: str, folded: str | None = None) -> str | None:
    """The ``seeds/chrome.json`` line category a paragraph falls in, or None for content.

    ``folded`` may carry ``fold_arabic(line)`` when the caller already has it (speed only).

    >>> chrome_category("تابعونا عبر تطبيق واتس أب :")
    'follow_share'
    >>> chrome_category("صورة: أرشيف"), chrome_category("2:44"), chrome_category("التعليقات ملك لصاحبها ولا تخص الجريدة")
    ('photo_credit', 'media', 'comments')
    >>> chrome_category("أكد الرئيس الروسي فلاديمير بوتين أن الاتفاق المحتمل سيزيد من فعالية محاربة الإرهاب.") is None
    True
    """
    if len(line) > 400:  # chrome lines are short; a long paragraph is content whatever it mentions
        return None
    folded = (fold_arabic(line) if folded is None else folded).strip()
    # the first category (in order) whose ``line`` regex searches successfully
    return chrome_rules()["first_category"](folded)


def is_tail_marker(line: str, folded: str | None = None) -> bool:
    """A bare heading that opens a teaser or comments block (``انظر ايضاً``, ``اخترنا لك``, ``رأيك في الموضوع``).

    >>> is_tail_marker("انظر ايضاً"), is_tail_marker("اخترنا لك"), is_tail_marker("انظر إلى الخريطة أدناه")
    (True, True, False)
    """
    folded = (fold_arabic(line) if folded is None else folded).strip()
    return len(folded) <= 60 and bool(chrome_rules()["tail"].search(folded))


def cut_inline_tail(paragraph: str, folded: str | None = None) -> str:
    """Cut a footer glued to the end of a paragraph (``رابط الخبر بصحيفة الوئام: …``, a ``سمات`` tag list).

    ``folded`` may carry ``fold_arabic(paragraph)`` when the caller already has it (speed only).

    >>> cut_inline_tail("وأكد الوزير الدعم. رابط الخبر بصحيفة الوئام: عنوان الخبر")
    'وأكد الوزير الدعم.'
    >>> cut_inline_tail("ومنيت القوات بخسائر جسيمة. سمات افغانستان جون كامبل قوات كابل")
    'ومنيت القوات بخسائر جسيمة.'
    """
    rules = chrome_rules()["inline"]
    quick = fold_arabic(paragraph) if folded is None else folded
    if not chrome_rules()["inline_test"](quick):  # == any(rx.search(quick) for rx in rules)
        return paragraph  # the common case: no footer, no need for character offsets
    # the rules' match offsets, mapped back to the paragraph as written; when folding kept the length, the
    # offsets are the paragraph's own
    folded, starts = (quick, None) if len(quick) == len(paragraph) else fold_with_offsets(paragraph)
    cut = len(folded)
    for rx in rules:
        m = rx.search(folded)
        if m:
            cut = min(cut, m.start())
    if cut >= len(folded):
        return paragraph
    return paragraph[:starts[cut] if starts is not None else cut].rstrip()


def is_body_sentence(line: str) -> bool:
    """Shape of a body paragraph: long, or a full sentence (ends with sentence punctuation).

    >>> is_body_sentence("الحرب السورية"), is_body_sentence("بوتين وأوباما بحثا الأزمة السورية على هامش قمة العشرين")
    (False, False)
    >>> is_body_sentence("قال الرئيس الروسي فلاديمير بوتين إنه لا يزال متفائلاً بالتوصل إلى اتفاق.")
    True
    """
    words = len(_WORD.findall(line))
    return words >= 14 or (words >= 6 and bool(_SENTENCE_END.search(line)))


def is_label_line(line: str) -> bool:
    """A short header line that is a label, not content: section names, kickers (≤ 4 words, no sentence end).

    >>> is_label_line("الحرب السورية"), is_label_line("أكد الوزير."), is_label_line("بوتين وأوباما بحثا الأزمة السورية")
    (True, False, False)
    """
    words = _WORD.findall(line)
    return 0 < len(words) <= 4 and not _SENTENCE_END.search(line)


def has_section_word(line: str) -> bool:
    """True when a short line holds a section word (``شؤون``, ``اقتصاد``, ``الحرب``): a label, not a name.

    >>> has_section_word("الحرب السورية"), has_section_word("أحمد العرفج")
    (True, False)
    """
    words = chrome_rules()["section_words"]
    return any(w in words or (w.startswith("و") and w[1:] in words) for w in match_key(line).split())


_SECTION_PREFIX = re.compile(r"^\s*(?P<label>[^/|\n]{2,30}?)\s*[/|]\s*(?P<rest>\S.*)$", re.S)


def strip_section_prefix(headline: str) -> str:
    """A headline without the section label a feed writes before it (``عام / …``, ``اقتصادي / …``).

    >>> strip_section_prefix("عام / زلزال يضرب باكستان وأفغانستان بقوة 6.7 درجات")
    'زلزال يضرب باكستان وأفغانستان بقوة 6.7 درجات'
    >>> strip_section_prefix("روسيا / تركيا: اتفاق على هدنة في إدلب")
    'روسيا / تركيا: اتفاق على هدنة في إدلب'
    """
    m = _SECTION_PREFIX.match(headline)
    if not m or len(m["rest"].split()) < 3:
        return headline
    words = chrome_rules()["section_words"]
    label = match_key(m["label"]).split()
    return m["rest"] if 1 <= len(label) <= 2 and all(w in words for w in label) else headline


def _tokens(text: str) -> list[str]:
    return paragraph_key(text).split()  # == match_key(text).split(); page lines' folds are remembered


def is_duplicate_title(line: str, headline: str | None) -> bool:
    """The headline repeated: the same words, a prefix dropped or added, or a shortened variant.

    >>> h = "بوتين: الاتفاق حول سوريا مع الولايات المتحدة قد يأتي خلال أيام"
    >>> is_duplicate_title("بوتين: الاتفاق حول سوريا قد يأتي خلال أيام", h)
    True
    >>> is_duplicate_title("الحرب السورية", h), is_duplicate_title("قال بوتين إن الاتفاق حول سوريا صعب جدا", h)
    (False, False)
    """
    if not headline:
        return False
    a, b = _tokens(line), _tokens(headline)
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = set(a), set(b)
    if len(sa) >= 3 and sa <= sb and len(sa) >= 0.6 * len(sb):
        return True  # shortened variant of the headline
    if sb <= sa and len(sa - sb) <= 3:
        return True  # the headline with a kicker/prefix added
    return len(sa & sb) / len(sa | sb) >= 0.75


def _number_neighbour(paragraphs: list[str], i: int) -> bool:
    # A bare number inside a run of numeric lines is table data, not a view counter.
    return any(0 <= j < len(paragraphs) and _ANY_NUMBER.match(paragraphs[j]) for j in (i - 1, i + 1))


def chrome_mask(paragraphs: list[str], folded: list[str] | None = None) -> list[bool]:
    """For each paragraph, True when it is site chrome by the position-free rules and the tail-block rule.

    ``folded`` may carry ``fold_arabic`` of each paragraph when the caller already has it (speed only).

    >>> chrome_mask(["عنوان الخبر", "2268", "أكد الرئيس أن الاتفاق قريب.", "انظر ايضاً", "خبر آخر"])
    [False, True, False, True, True]
    """
    n = len(paragraphs)
    mask = [False] * n
    total = sum(len(p) for p in paragraphs) or 1
    i = 0
    while i < n:
        p = paragraphs[i]
        if i > 0 and is_tail_marker(p, folded[i] if folded else None):
            after = sum(len(q) for q in paragraphs[i + 1:])
            if after <= _TAIL_SHARE * total or not any(is_body_sentence(q) for q in paragraphs[i + 1:]):
                for j in range(i, n):
                    mask[j] = True
                break
            mask[i] = True  # a mid-article "see also": drop it and the teaser headlines right after it
            j = i + 1
            while j < n and j <= i + _TEASER_LINES and len(_WORD.findall(paragraphs[j])) <= _TEASER_WORDS \
                    and not _SENTENCE_END.search(paragraphs[j]):
                mask[j] = True
                j += 1
            i = j
            continue
        if chrome_category(p, folded[i] if folded else None) is not None or (_BARE_NUMBER.match(p) and not _number_neighbour(paragraphs, i)):
            mask[i] = True
        i += 1
    return mask


def strip_chrome(paragraphs: list[str], headline: str | None = None) -> list[str]:
    """Paragraphs without site chrome; with ``headline``, also without repeats of the headline.

    Inline footers are cut from the paragraphs they are glued to; a paragraph left empty is dropped.

    >>> strip_chrome(["أكد بوتين أن الاتفاق قريب.", "تابعونا عبر تطبيق واتس أب :", "http://vk.com/syrianarabnewsagency"])
    ['أكد بوتين أن الاتفاق قريب.']
    >>> strip_chrome(["بوتين: الاتفاق قريب", "أعلن بوتين أن الاتفاق قريب."], headline="بوتين: \\"الاتفاق قريب\\"")
    ['أعلن بوتين أن الاتفاق قريب.']
    """
    cut = [cut_inline_tail(p) for p in paragraphs]
    mask = chrome_mask(cut)
    key = match_key(headline) if headline else None
    return [p for p, m in zip(cut, mask, strict=True) if not m and p and (key is None or match_key(p) != key)]
