"""What a page puts inside or after an article's body that is not the article.

Three shapes, recognised by how news pages are built rather than by one site's strings:

* **credit lines**: a short line made only of the outlet's and agencies' names (``فرانس24/ أ ف ب``): cut from
  the body and kept apart, so that its agency reaches the ``agency`` column;
* **related-story titles** inserted between paragraphs: a run of two to four headline-shaped lines (no sentence
  end, six to sixteen words each, no list marks) between a paragraph that ends a sentence and one that goes on.
  A single such line is a link only when the paragraph after it continues the one before it (``وقال …``: the
  flow of the text runs across it) and the line is not about what follows (few of its words come back in the
  next two paragraphs); a sub-heading announces the section under it;
* **stories appended after the end**: a run of trailing paragraphs that do not continue one another, each
  opening like the first paragraph of a news story (a reporting verb: ``أعلن``, ``أكد``, ``قال``; or another
  dateline) or off the article's topic (few words in common with its headline and lead), at least two of them
  ledes, in an article whose own paragraphs continue one another (``وقال``, ``وأضاف``, ``من جهته``). Each of
  them then starts a story of its own: the teasers some sites print under an article.

How a paragraph opens is data (``seeds/chrome.json``, ``paragraph_openers``): the connectives that continue
a paragraph, the words whose initial و/ف is a root letter, the lede verbs.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from transforms import seeds
from transforms.arabic.chars import QUOTE_MARKS
from transforms.arabic.fold import fold_arabic
from transforms.arabic.morphology import ARTICLE, CONJUNCTIONS, light_stem
from transforms.dateline import credit_names, split_dateline
from transforms.normalize import fold_paragraph, paragraph_key

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!…:؛;]\s*[\"'“”»)\]]*\s*$")
# A title may ask a question, or be a quotation; a quoted question closing a line that goes on before the
# quotation ends a sentence (تساءل ترامب: "خيانة؟").
_QUOTED_QUESTION_END = re.compile(r"[?؟]\s*[\"'“”»]+\s*$")
_FULL_STOP = re.compile(r"[.!?؟]\s*[\"'“”»)\]]*\s*$")  # a sentence that ends, not one announcing what follows
# A list item, not a title: a bullet, a dash, or a number with its separator at the start.
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•*·▪●]|\d{1,2}\s*[-.)]\s)")
# Items of a list written on one line ("الزمالك المصري - القادسية الكويتي"), or verse ("… .. …").
_LIST_SEPARATOR = re.compile(r"\s[-–—/]\s|\.\.")
_LEADING = re.compile(f"^[\\s{QUOTE_MARKS}'(\\[*•·-]+")
_TITLE_MIN_WORDS, _TITLE_MAX_WORDS = 6, 18
_TITLE_MAX_CHARS = 220  # eighteen words
_CLUSTER_MAX_LINES = 4
# Related titles are a few lines of a body; a page with many short lines is verse, a list or a letter.
_MAX_TITLE_LINES, _MAX_TITLE_SHARE = 5, 0.25
_APPENDED_MIN_WORDS = 8  # a teaser is a sentence; shorter leftovers end the run
_APPENDED_MAX_WORDS = 90
_LEDE_SHARE = 0.6
_LEDE_PREFIX_WORDS = 14  # a lede may open with a short phrase and a comma before its verb (في أول تعليق له، أكد …)
# Topic overlap, as the share of a paragraph's content stems found in another text. An appended teaser shares at
# most a word or two of 15-30 with the article's headline and lead; a paragraph of the article shares more.
_OFF_TOPIC_SHARE = 0.12
# A lone related-story title shares at most a quarter of its stems with the two paragraphs after it; a
# sub-heading names what its section is about (half of its stems and more come back right after it).
_LINK_SHARE = 0.25
_CUT_SHORT = ("،", ",")
_MIN_STEM_LETTERS = 3


@cache
def _openers() -> dict[str, Any]:
    """``paragraph_openers`` of ``seeds/chrome.json``, folded and indexed once."""
    raw = seeds.chrome()["paragraph_openers"]
    connectives = sorted({fold_arabic(c) for c in raw["connectives"]}, key=len, reverse=True)
    return {
        "connectives": re.compile("^(?:" + "|".join(re.escape(c) for c in connectives) + r")(?=[\s،,:؛]|$)"),
        "root_initial": frozenset(fold_arabic(w) for w in raw["root_initial_words"]),
        "lede_verbs": frozenset(fold_arabic(w) for w in raw["lede_verbs"]),
        "fa_rest": frozenset(fold_arabic(w) for w in raw["after_fa"]),
        "teaser": re.compile("^(?:" + "|".join(re.escape(fold_arabic(c)) for c in sorted(raw["teaser_cues"], key=len, reverse=True))
                             + r")\s*(?:\.{2,}|…|:|\|)\s*(?P<title>\S.*)$"),
    }


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(paragraph_key(w) for w in seeds.stories()["search_stopwords"])


@lru_cache(maxsize=20_000)
def content_stems(text: str) -> frozenset[str]:
    """Light stems of the content words of a text (no function words, no numbers): what its topic is made of.

    >>> sorted(content_stems("وأعلنت الحكومة المصرية عن الاتفاق مع صندوق النقد في 2018"))
    ['اتفاق', 'اعلنت', 'حكوم', 'صندوق', 'مصر', 'نقد']
    """
    stop = _stopwords()
    words = [w[1:] if len(w) > 4 and w[0] in CONJUNCTIONS else w for w in paragraph_key(text).split()]
    return frozenset(light_stem(w) for w in words if len(w) >= _MIN_STEM_LETTERS and w not in stop and not w.isdigit())


def shared_share(text: str, topic: frozenset[str]) -> float:
    """The share of ``text``'s content stems found in ``topic`` (1.0 for a text without any).

    >>> shared_share("ارتفعت أسعار النفط العالمية", content_stems("أسعار النفط تتراجع"))
    0.5
    """
    own = content_stems(text)
    return len(own & topic) / len(own) if own else 1.0


def _opening(paragraph: str) -> str:
    """The folded paragraph without leading quotes, brackets and bullets."""
    return _LEADING.sub("", fold_paragraph(paragraph))


@lru_cache(maxsize=20_000)
def opens_continuation(paragraph: str) -> bool:
    """The paragraph continues the one before: a conjunction glued to its first word or a connective opens it.

    >>> opens_continuation("وقال الوزير إن الاتفاق قريب."), opens_continuation("من جهته، أكد المتحدث أن …")
    (True, True)
    >>> opens_continuation("وافق مجلس النواب البحريني، الأحد، على الاتفاقية."), opens_continuation("أعلن الجيش أمس …")
    (False, False)
    """
    text = _opening(paragraph)
    words = text.split(None, 1)
    if not words:
        return True
    first = words[0].rstrip("،,:؛.")
    if first in CONJUNCTIONS:
        return True  # the conjunction written apart: "و أضاف أن …"
    tables = _openers()
    if len(first) >= 3 and first[0] in CONJUNCTIONS and first not in tables["root_initial"]:
        rest = first[1:]
        # و is nearly always the conjunction; ف opens many words (فحص، فوز), so what follows it must read as a
        # word of its own: the article, a particle, a verb (فقد، فإن، فالمحكمة، فأعلن)
        if first[0] == "و" or rest.startswith(ARTICLE) or rest in tables["fa_rest"] or rest in tables["lede_verbs"]:
            return True
    return tables["connectives"].match(text) is not None


@lru_cache(maxsize=20_000)
def is_lede(paragraph: str) -> bool:
    """The paragraph opens like the first paragraph of a news story: a reporting verb (after at most a short
    phrase and a comma), or a dateline.

    >>> is_lede("أكد وزير الخارجية السعودي، عادل الجبير، أن كندا ارتكبت خطأ وعليها تصحيحه، وأشار إلى أن التحقيق جار.")
    True
    >>> is_lede("في أول تعليق لها بعد الإعلان عن بدء العلاج، أكدت زوجة الرئيس السوري أنها من الشعب الذي علمها الصمود.")
    True
    >>> is_lede("وقال ترامب في برنامج 60 دقيقة إن الصين تريد التفاوض على اتفاق تجاري جديد مع بلاده.")
    False
    """
    words = _WORD.findall(paragraph)
    if not _APPENDED_MIN_WORDS <= len(words) <= _APPENDED_MAX_WORDS:
        return False
    text = _opening(paragraph)
    verbs = _openers()["lede_verbs"]
    tokens = text.split()
    if tokens and tokens[0].rstrip("،,") in verbs:
        return True
    head, comma, rest = text.partition("،")
    if comma and len(head.split()) <= _LEDE_PREFIX_WORDS and rest.split() and rest.split()[0] in verbs:
        return True
    return split_dateline(paragraph)[0] is not None


def _is_sentence(paragraph: str) -> bool:
    return bool(_SENTENCE_END.search(paragraph[-8:])) or len(paragraph) > 200 or len(_WORD.findall(paragraph)) >= 20


def is_teaser_link(line: str) -> bool:
    """A body line that links another story: a cue word, ``..`` or a colon, and a title (no sentence end).

    >>> is_teaser_link("المزيد... داعش يتبنى مسؤولية الهجمات على كنائس في إندونيسيا")
    True
    >>> is_teaser_link("انفوجرافيك.. هذه المواقع السعودية التي استهدفتها صواريخ الحوثيين")
    True
    >>> is_teaser_link("شاهد: الحشود تملأ الساحة منذ الصباح، وقالت الشرطة إن الوضع تحت السيطرة.")
    False
    """
    if len(line) > _TITLE_MAX_CHARS:
        return False
    m = _openers()["teaser"].match(_opening(line))
    if m is None:
        return False
    title = m["title"]
    return len(_WORD.findall(title)) <= _TITLE_MAX_WORDS and not _FULL_STOP.search(title[-8:])


def is_headline_shaped(line: str) -> bool:
    """A line shaped like a news headline: a few words, no sentence end, not a list item or a continuation.

    >>> is_headline_shaped("قطر توقع اتفاقا لشراء 24 مقاتلة \\"تايفون\\" من بريطانيا")
    True
    >>> is_headline_shaped("وأغلقت أسهم الشركة على ارتفاع."), is_headline_shaped("- خط الدفاع: حمدي النقاز")
    (False, False)
    """
    if len(line) > _TITLE_MAX_CHARS or _SENTENCE_END.search(line[-8:]) \
            or (_QUOTED_QUESTION_END.search(line[-8:]) and not _LEADING.match(line)):
        return False  # (cheap tests first: most paragraphs are long sentences)
    words = _WORD.findall(line)
    if not _TITLE_MIN_WORDS <= len(words) <= _TITLE_MAX_WORDS:
        return False
    if _LIST_ITEM.match(line) or _LIST_SEPARATOR.search(line) or line.rstrip().endswith((":", "：", "،", ",")):
        return False
    return not opens_continuation(line)


def _first_word(line: str) -> str:
    words = _opening(line).split()
    return words[0] if words else ""


def related_titles(paragraphs: list[str]) -> list[bool]:
    """For each body paragraph, True when it is the title of another story inserted in the body.

    >>> body = ["اقتربت السعودية من التوصل إلى اتفاق بشأن شراء 48 مقاتلة من طراز تايفون، بحسب ما ذكرته الشركة.",
    ...         "كيف باعت الشركة البريطانية أنظمة مراقبة متطورة لدول عربية؟",
    ...         "قطر توقع اتفاقا لشراء 24 مقاتلة تايفون من بريطانيا",
    ...         "ورحبت مجموعة أيه.دي.إس، وهي الهيئة الصناعية الممثلة لشركات الطيران، بهذه الخطوة الأولى."]
    >>> related_titles(body)
    [False, True, True, False]
    """
    n = len(paragraphs)
    mask = [False] * n
    shaped = [i > 0 and is_headline_shaped(p) for i, p in enumerate(paragraphs)]
    if sum(shaped) > min(_MAX_TITLE_LINES, _MAX_TITLE_SHARE * n + 1):
        return mask  # verse, a list, a letter: short lines are the text itself
    i = 1
    while i < n:
        if not shaped[i]:
            i += 1
            continue
        j = i
        while j < n and shaped[j]:
            j += 1
        run = paragraphs[i:j]
        # between two paragraphs of the article: one that ends a sentence before, one that goes on after
        between = (bool(_FULL_STOP.search(paragraphs[i - 1][-8:])) and _is_sentence(paragraphs[i - 1])
                   and j < n and _is_sentence(paragraphs[j]))
        if between and (_is_title_cluster(run) or (len(run) == 1 and _is_lone_link(run[0], paragraphs[j:j + 2]))):
            mask[i:j] = [True] * len(run)
        i = j
    return mask


def _is_title_cluster(run: list[str]) -> bool:
    """Two to four titles in a row, not the items of one list (which open alike: the same first word)."""
    firsts = [_first_word(p) for p in run]
    return 2 <= len(run) <= _CLUSTER_MAX_LINES and len(set(firsts)) > 1


def _is_lone_link(line: str, after: list[str]) -> bool:
    """A lone title is a link when the text flows across it (the next paragraph continues the one before it)
    and it is not about what follows it (a sub-heading is)."""
    if not after or not opens_continuation(after[0]) or line.lstrip().startswith(("(", "[")):
        return False  # (a bracketed line is a note on the text)
    return shared_share(line, frozenset().union(*map(content_stems, after))) <= _LINK_SHARE


def appended_start(paragraphs: list[str], headline: str | None = None) -> int:
    """Index of the first paragraph of the stories appended after the article (``len(paragraphs)``: none).

    ``headline``: the article's, with its first paragraph the topic a teaser is off (see the module's doc).

    >>> body = ["أكد الرئيس التركي، الأحد، أن بلاده سددت جميع الديون المستحقة لصندوق النقد الدولي بلا رجعة.",
    ...         "وقال أردوغان إن تركيا تقف بعيدا عن أي مستوى تضطر فيه لقبول مساعدات من الصندوق.",
    ...         "وأضاف أن الحكومة ستكشف قريبا عن خطة اقتصادية جديدة على المدى المتوسط.",
    ...         "أعلن البنك المركزي السوداني، الأحد، عن سعر جديد للعملة المحلية عند 47.5 جنيه للدولار.",
    ...         "كشف ولي عهد دبي، الأحد، أن تدفقات الاستثمار الأجنبي المباشر إلى الإمارة ارتفعت هذا العام."]
    >>> appended_start(body)
    3
    """
    n = len(paragraphs)
    start = n
    while start > 1:
        p = paragraphs[start - 1]
        if opens_continuation(p) or _LIST_ITEM.match(p) or len(_WORD.findall(p)) < _APPENDED_MIN_WORDS:
            break
        start -= 1
    run = paragraphs[start:]
    ledes = [is_lede(p) for p in run]
    if len(run) < 2 or sum(ledes) < 2:
        return n
    # Mostly ledes: the teasers start at the first lede. Otherwise (or earlier still) at the start of the last
    # stretch of ledes and paragraphs off the article's topic, when it holds two ledes.
    first = ledes.index(True) if sum(ledes) >= _LEDE_SHARE * len(run) else len(run)
    topic = content_stems(" ".join(filter(None, (headline, paragraphs[0]))))
    stretch = len(run)
    while stretch > 0 and (ledes[stretch - 1] or run[stretch - 1].rstrip().endswith(_CUT_SHORT)
                           or shared_share(run[stretch - 1], topic) <= _OFF_TOPIC_SHARE):
        stretch -= 1  # (a teaser is often a lead cut short: it ends on a comma, which no paragraph does)
    if sum(ledes[stretch:]) >= 2:
        first = min(first, stretch)
    if first == len(run):
        return n
    article = paragraphs[:start]
    if article[-1].rstrip().endswith((":", "：")):
        return n  # the article announces a list
    # The article's own paragraphs after its lead must mostly continue one another: then a run of fresh
    # ledes after them is not its way of writing.
    rest = article[1:]
    going_on = sum(1 for p in rest if opens_continuation(p) or _LIST_ITEM.match(p))  # a list goes on, too
    if not rest or going_on < max(1.0, 0.5 * len(rest)):
        return n
    return start + first


def split_credits(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(body without credit lines, the credit lines' names).

    >>> split_credits(["وأضاف أن الاتفاق قريب.", "فرانس24/ أ ف ب"])
    (['وأضاف أن الاتفاق قريب.'], ['فرانس24/ أ ف ب'])
    >>> split_credits(["وأضاف أن الاتفاق قريب.", "المصدر : الجزيرة + وكالات"])
    (['وأضاف أن الاتفاق قريب.'], ['الجزيرة / وكالات'])
    """
    body: list[str] = []
    credits: list[str] = []
    for i, p in enumerate(paragraphs):
        names = credit_names(p) if i > 0 else None
        if names is None:
            body.append(p)
        else:
            credits.append(names)
    return body, credits
