"""Stories (articles about the same event, across outlets) and quote provenance (one statement, many articles).

**Stories.** Each article is reduced to a TF-IDF vector of light-stemmed words of its headline (counted
twice) and the first ``lead_words`` words of its body; IDF mixes the batch with a background document
frequency table (``seeds/stories.json`` → ``background``, counted on the dev corpus), so a run of five
articles still knows that ``الرئيس`` is common and ``هانغتشو`` is not. Candidate pairs come from a sparse
product over the *rare* terms only (batch document frequency ≤ ``rare_df_cap``), never from all pairs,
plus the pairs that share a quoted statement (``link_quotes``). ``joins`` decides a pair from its text
cosine, the days between the articles (different years never join; an unknown date demands more text),
one outlet vs two, shared entities and shared statements. Joined pairs are merged strongest first
(``_groups``): average linkage over the group, a date span cap, and no outlet with two dissimilar
articles in one story, so look-alike items (condolences, daily weather, telegrams) do not chain.

A group's ``story_id`` is a story id already carried by one of its members (the smallest, so re-runs and
incremental runs keep ids), else ``sto_`` + its smallest article_id. For incremental runs, pass the new
articles together with the recent (``max_span_days``) stored ones and their ``story_id``.

**Quote links.** Quotes are compared on their light-stemmed words weighted by IDF: exact same words →
1.0; two translations of one statement share much rare vocabulary (weighted Jaccard ≥ ``threshold``);
a quote cut short by one outlet lies inside the longer one as a phrase (weighted containment ≥
``containment`` and word-pair overlap ≥ ``phrase_share``).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix, csr_matrix, diags, vstack

from transforms.arabic.morphology import light_stem
from transforms.dedup import load_config
from transforms.normalize import match_key

# Punctuation and symbols that glue to words in body_norm ("سوريا،", "“الاتفاق”"): split on them.
_NON_WORD = r"[^\p{L}\p{N}]+"  # RE2 syntax: \w would be ASCII-only


@dataclass(frozen=True)
class StoryDoc:
    """What story grouping needs of one article (all text in ``normalize_for_search`` form)."""

    article_id: str
    body_norm: str
    published_date: date | None = None
    outlet: str | None = None
    entity_ids: frozenset[str] = frozenset()
    quote_keys: frozenset[str] = frozenset()
    headline_norm: str = ""
    story_id: str | None = None  # assigned by an earlier run: kept for the group it ends up in


@dataclass(frozen=True)
class QuoteDoc:
    quote_id: str
    article_id: str
    text_norm: str


@dataclass
class _Terms:
    """Sparse term counts of a batch of texts, over a shared stem vocabulary."""

    matrix: csr_matrix
    vocab: list[str] = field(default_factory=list)


stem = light_stem  # story vectors and quote links count light stems


def _terms(texts: Sequence[str], block: int = 8192) -> _Terms:
    """Count the stems of every text: a (len(texts), vocabulary) CSR matrix of counts.

    Texts are tokenised ``block`` at a time (per-token arrays are ~50 bytes a token, the counts matrix a
    fraction of that), growing one stem vocabulary in order of first occurrence: the matrix is the same as
    from one pass over all texts.

    >>> t = _terms(["الاتفاق حول سوريا", "اتفاق و سوريا سوريا"], block=1)
    >>> t.vocab, t.matrix.toarray().tolist()
    (['اتفاق', 'حول', 'سوريا', ''], [[1.0, 1.0, 1.0, 0.0], [1.0, 0.0, 2.0, 0.0]])
    """
    stem_ids: dict[str, int] = {}
    vocab: list[str] = []
    parts: list[csr_matrix] = []
    for start in range(0, max(len(texts), 1), block):
        chunk = texts[start: start + block]
        arr = pa.array(chunk, type=pa.large_string())
        words = pc.split_pattern_regex(pc.utf8_lower(arr), _NON_WORD)
        counts = np.diff(words.offsets.to_numpy())
        flat = words.flatten()
        enc = pc.dictionary_encode(flat)
        surface = enc.dictionary.to_pylist()
        # Stem each distinct surface form once; tokens map through it.
        surf_to_stem = np.empty(len(surface), dtype=np.int64)
        for k, w in enumerate(surface):
            s = stem(w) if len(w) > 1 else ""
            sid = stem_ids.get(s)
            if sid is None:
                sid = stem_ids[s] = len(vocab)
                vocab.append(s)
            surf_to_stem[k] = sid
        cols = surf_to_stem[enc.indices.to_numpy(zero_copy_only=False)] if len(flat) else np.zeros(0, np.int64)
        rows = np.repeat(np.arange(len(chunk)), counts)
        if "" in stem_ids:  # one-letter words and empty splits carry nothing
            keep = cols != stem_ids[""]
            rows, cols = rows[keep], cols[keep]
        m = coo_matrix((np.ones(len(cols), dtype=np.float64), (rows, cols)),
                       shape=(len(chunk), max(len(vocab), 1))).tocsr()
        m.sum_duplicates()
        parts.append(m)
    width = max(len(vocab), 1)
    for m in parts:
        m.resize(m.shape[0], width)
    return _Terms(vstack(parts, format="csr") if len(parts) > 1 else parts[0], vocab)


@cache
def _background() -> tuple[int, dict[str, int]]:
    bg = load_config()["background"]
    return int(bg["docs"]), dict(bg["df"])


def idf_weights(vocab: Sequence[str], batch_df: np.ndarray, n_docs: int) -> np.ndarray:
    """IDF of each stem from the background table plus this batch: ``log((N + 1) / (df + 1)) + 1``.

    >>> w = idf_weights(["في", "هانغتشو"], np.array([1, 1]), 2)
    >>> bool(w[1] > 2 * w[0])
    True
    """
    n_bg, df_bg = _background()
    df = np.array([df_bg.get(t, 0) for t in vocab], dtype=np.float64) + batch_df
    return np.log((n_bg + n_docs + 1) / (df + 1)) + 1.0


def _tfidf(terms: _Terms, extra: csr_matrix | None = None) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """Row-normalised sublinear TF-IDF; also the batch document frequency and the IDF of each column."""
    m = terms.matrix if extra is None else terms.matrix + extra
    df = np.bincount(m.indices, minlength=m.shape[1]).astype(np.float64)
    idf = idf_weights(terms.vocab, df, m.shape[0])
    x = m.copy()
    x.data = 1.0 + np.log(x.data)
    x = x @ diags(idf)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return diags(1.0 / norms) @ x, df, idf


def _rowwise_dot(x: csr_matrix, i: np.ndarray, j: np.ndarray, y: csr_matrix | None = None) -> np.ndarray:
    """x[i[k]] · y[j[k]] (y defaults to x) for every k, in bounded chunks."""
    y = x if y is None else y
    out = np.zeros(len(i))
    step = 1 << 15
    for s in range(0, len(i), step):
        out[s: s + step] = np.asarray(x[i[s: s + step]].multiply(y[j[s: s + step]]).sum(axis=1)).ravel()
    return out


def _rare_pairs(x: csr_matrix, df: np.ndarray, idf: np.ndarray, cap: int, min_idf: float,
                min_score: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) whose dot product over rare columns reaches ``min_score``: sub-quadratic candidates."""
    rare = (df <= cap) & (df >= 2) & (idf >= min_idf)
    xr = x @ diags(rare.astype(np.float64))
    xr.eliminate_zeros()
    return upper_pairs(xr, min_score)


def upper_pairs(m: csr_matrix, min_value: float, block: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i < j) whose dot product ``(m @ m.T)[i, j]`` reaches ``min_value``, sorted by (i, j).

    The product is formed ``block`` rows at a time: the same values as the whole product (each entry is
    the same sum, accumulated in the same order), but memory is bounded by the block, not by all pairs.

    >>> m = csr_matrix(np.array([[1.0, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 0]]))
    >>> [p.tolist() for p in upper_pairs(m, 1.0, block=2)]
    [[0, 0], [1, 2]]
    """
    mt = m.T.tocsr()
    rows, cols = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for start in range(0, m.shape[0], block):
        p = (m[start: start + block] @ mt).tocoo()
        r = p.row.astype(np.int64) + start
        keep = (p.col > r) & (p.data >= min_value)
        rows.append(r[keep])
        cols.append(p.col[keep].astype(np.int64))
    i, j = np.concatenate(rows), np.concatenate(cols)
    order = np.lexsort((j, i))
    return i[order], j[order]


def _quote_vectors(texts: Sequence[str]) -> tuple[csr_matrix, csr_matrix, np.ndarray, np.ndarray]:
    """Binary stem sets of quotes, their IDF-weighted form, their batch df and IDF."""
    terms = _terms(texts)
    b = terms.matrix.copy()
    b.data[:] = 1.0
    df = np.bincount(b.indices, minlength=b.shape[1]).astype(np.float64)
    idf = idf_weights(terms.vocab, df, b.shape[0])
    return b, b @ diags(idf), df, idf


def link_quotes(quotes: Sequence[QuoteDoc]) -> list[tuple[str, str, float]]:
    """Pairs of quotes in different articles that are the same statement: (quote_id, other_quote_id, similarity).

    Each pair is listed once, in both directions' stead, with ``quote_id < other_quote_id``; similarity
    is 1.0 for the same words, else the IDF-weighted Jaccard or containment (below 1.0). Exact repeats in
    more than ``exact_group_cap`` quotes are linked as a star from the first one (linear, not quadratic).

    >>> qs = [QuoteDoc("q1", "a", "سيزيد من فعالية محاربة الارهاب"),
    ...       QuoteDoc("q2", "b", "الاتفاق مع الامريكيين سيزيد من فعالية محاربة الارهاب بقدر كبير"),
    ...       QuoteDoc("q3", "c", "سيزيد من فعالية محاربة الارهاب"), QuoteDoc("q4", "a", "لا تعليق")]
    >>> [(a, b, round(s, 2)) for a, b, s in link_quotes(qs)]
    [('q1', 'q2', 0.99), ('q1', 'q3', 1.0), ('q2', 'q3', 0.99)]
    """
    cfg = load_config()["quotes"]
    if len(quotes) < 2:
        return []
    keys = [match_key(q.text_norm) for q in quotes]
    key_ids: dict[str, int] = {}
    key_id = np.array([key_ids.setdefault(k, len(key_ids)) for k in keys], dtype=np.int64)
    binary, weighted, df, idf = _quote_vectors(keys)
    n_words = np.asarray(binary.sum(axis=1)).ravel()
    # Candidates: quotes sharing at least ``min_shared`` rare stems (an inverted index as a sparse product).
    rare = (df <= cfg["rare_df_cap"]) & (idf >= cfg["min_idf"])
    br = binary @ diags(rare.astype(np.float64))
    br.eliminate_zeros()
    i, j = upper_pairs(br, cfg["min_shared"])
    # Exact repeats always pair, whatever their length; a statement repeated by very many articles (a
    # slogan, a boilerplate line) links its first occurrence to each other one instead of all pairs.
    by_key: dict[str, list[int]] = defaultdict(list)
    for r, k in enumerate(keys):
        if k:
            by_key[k].append(r)
    cap = cfg["exact_group_cap"]
    ex = [(a, b) for rows in by_key.values() if len(rows) > 1
          for ai, a in enumerate(rows[:1] if len(rows) > cap else rows) for b in rows[ai + 1:]]
    if ex:
        i = np.concatenate([i, np.array([a for a, _ in ex])])
        j = np.concatenate([j, np.array([b for _, b in ex])])
    art = np.array([q.article_id for q in quotes], dtype=object)
    diff = art[i] != art[j]
    i, j = i[diff], j[diff]
    if len(i) == 0:
        return []
    total = np.asarray(weighted.sum(axis=1)).ravel()
    shared = _rowwise_dot(binary, i, j, weighted)  # IDF mass of the stems both quotes use
    shared_rare = _rowwise_dot(br, i, j)  # how many rare stems both use
    union = total[i] + total[j] - shared
    jac = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    shorter = np.minimum(total[i], total[j])
    contain = np.divide(shared, shorter, out=np.zeros_like(shared), where=shorter > 0)
    fewest = np.minimum(n_words[i], n_words[j])
    # A paraphrase (two translations of one statement) shares much of its rare vocabulary; a quote cut
    # short by one outlet is (nearly) all inside the longer one, as a phrase, and is a sentence, not a name.
    para = (jac >= cfg["threshold"]) & (shared_rare >= cfg["min_shared_paraphrase"]) & (fewest >= cfg["min_words"])
    cont = (contain >= cfg["containment"]) & (fewest >= cfg["min_words_contained"])
    out: dict[tuple[str, str], float] = {}
    exact = key_id[i] == key_id[j]
    for k in np.flatnonzero(para | cont | exact):
        a, b = int(i[k]), int(j[k])
        if exact[k]:
            sim = 1.0
        else:
            short, long_ = (keys[a], keys[b]) if n_words[a] <= n_words[b] else (keys[b], keys[a])
            phrase = cont[k] and _phrase_share(short, long_) >= cfg["phrase_share"]
            sim = max(float(jac[k]) if para[k] else 0.0, float(contain[k]) * 0.99 if phrase else 0.0)
            if sim == 0.0:
                continue
            sim = round(min(sim, 0.99), 4)
        qa, qb = quotes[a].quote_id, quotes[b].quote_id
        key = (qa, qb) if qa < qb else (qb, qa)
        out[key] = max(out.get(key, 0.0), sim)
    return sorted((a, b, s) for (a, b), s in out.items())


def _phrase_share(short: str, long_: str) -> float:
    """Share of the shorter text's consecutive stem pairs that also occur in the longer one (word order).

    >>> _phrase_share("سيزيد من فعالية محاربة الارهاب", "الاتفاق سيزيد من فعالية محاربة الارهاب بقدر كبير")
    1.0
    """
    def bigrams(text: str) -> set[tuple[str, str]]:
        words = [stem(w) for w in text.split()]
        return set(zip(words, words[1:], strict=False))

    mine = bigrams(short)
    return len(mine & bigrams(long_)) / len(mine) if mine else 0.0


def _article_quote_pairs(items: Sequence[StoryDoc]) -> dict[tuple[int, int], float]:
    """Article index pairs (i < j) that share a statement, with the best quote similarity."""
    quotes = [QuoteDoc(f"{r}:{k}", str(r), key) for r, it in enumerate(items) for k, key in enumerate(
        sorted(it.quote_keys)) if key]
    best: dict[tuple[int, int], float] = {}
    for qa, qb, sim in link_quotes(quotes):
        a, b = int(qa.split(":")[0]), int(qb.split(":")[0])
        key = (min(a, b), max(a, b))
        best[key] = max(best.get(key, 0.0), sim)
    return best


def _lead(body: str, n: int) -> str:
    parts = body.split(" ", n)
    return " ".join(parts[:n])


def story_text_vectors(items: Sequence[StoryDoc]) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """TF-IDF rows of headline (twice) + lead of each item, and the batch df and IDF of the columns."""
    cfg = load_config()["stories"]
    texts = [f"{it.headline_norm} {it.headline_norm} {_lead(it.body_norm or '', cfg['lead_words'])}"
             for it in items]
    return _tfidf(_terms(texts))


class Evidence(NamedTuple):
    """Why two articles (rows i < j of the batch) might be one story."""

    i: int
    j: int
    cos: float  # TF-IDF cosine of headline + lead
    quote: float  # best similarity of a statement quoted by both (0 when none)
    shared_entities: int  # entities both mention, leaving out the batch's ubiquitous ones
    gap: int | None  # days between the published dates; None when one is unknown
    same_outlet: bool
    same_year: bool


def pair_evidence(items: Sequence[StoryDoc]) -> list[Evidence]:
    """Candidate pairs (sub-quadratic: rare shared stems, shared quotes) with their evidence."""
    cfg = load_config()["stories"]
    n = len(items)
    x, df, idf = story_text_vectors(items)
    ci, cj = _rare_pairs(x, df, idf, cfg["rare_df_cap"], cfg["min_idf"], cfg["min_candidate_score"])
    quote_pairs = _article_quote_pairs(items)
    if quote_pairs:
        qi = np.array([a for a, _ in quote_pairs], dtype=np.int64)
        qj = np.array([b for _, b in quote_pairs], dtype=np.int64)
        code = np.unique(np.concatenate([ci * n + cj, qi * n + qj]))
        ci, cj = code // n, code % n
    cos = _rowwise_dot(x, ci, cj) if len(ci) else np.zeros(0)
    # Pairs below every threshold can neither join nor weigh in a group's mean: leave them out early.
    hopeful = cos >= cfg["min_pair_cos"]
    if quote_pairs:
        hopeful |= np.isin(ci * n + cj, qi * n + qj)
    ci, cj, cos = ci[hopeful], cj[hopeful], cos[hopeful]
    # Entities found in a large share of the batch (the home country, its king) are no evidence.
    ent_df: dict[str, int] = defaultdict(int)
    for it in items:
        for e in it.entity_ids:
            ent_df[e] += 1
    common = {e for e, c in ent_df.items() if c > max(cfg["entity_df_cap"], cfg["entity_df_share"] * n)}
    out = []
    for a, b, c in zip(ci.tolist(), cj.tolist(), cos.tolist(), strict=True):
        ia, ib = items[a], items[b]
        da, db = ia.published_date, ib.published_date
        out.append(Evidence(a, b, c, quote_pairs.get((a, b), 0.0),
                            len((ia.entity_ids & ib.entity_ids) - common) if ia.entity_ids else 0,
                            None if da is None or db is None else abs((da - db).days),
                            ia.outlet is not None and ia.outlet == ib.outlet,
                            da is None or db is None or da.year == db.year))
    return out


def joins(ev: Evidence) -> bool:
    """The scoring rule of one candidate pair (thresholds from ``seeds/stories.json`` → ``stories``).

    Text alone must reach a cosine that grows with the days between the articles (and is higher when a
    date is unknown, or both articles are from one outlet: one outlet writing twice about one event is
    rarer than a recurring template such as the weather or a market close). Shared entities lower it a
    little; a statement quoted by both articles (``link_quotes``) is enough with a little shared text.

    >>> e = Evidence(0, 1, 0.6, 0.0, 0, 1, False, True)
    >>> joins(e), joins(e._replace(gap=9)), joins(e._replace(cos=0.45, gap=None)), joins(e._replace(cos=0.25, quote=0.3))
    (True, False, False, True)
    """
    t = load_config()["stories"]
    if not ev.same_year or (ev.gap is not None and ev.gap > t["max_days"]):
        return False
    need = t["text_undated"] if ev.gap is None else t["text"] + t["per_day"] * ev.gap
    if ev.same_outlet:
        need = max(need, t["text_same_outlet"])
    if ev.shared_entities >= t["min_shared_entities"]:
        need -= t["entity_bonus"]
    if ev.quote > 0:
        need = min(need, t["text_with_quote"] if ev.gap is not None else t["text_with_quote_undated"])
    return ev.cos >= need


def _groups(n: int, candidates: list[Evidence], joined: list[Evidence], dates: list[date | None],
            outlets: list[str | None], cfg: dict) -> list[int]:
    """Average-linkage union-find: merge along joined pairs, strongest first, when the merged group stays tight.

    Two groups merge only when the mean text cosine over all their cross pairs (pairs that were never
    candidates count 0) reaches ``group_mean``, their dates span at most ``max_span_days`` days, and no
    outlet would have two articles in the group less similar than ``text_same_outlet`` (an outlet reports
    one news item once; its second look-alike article is another item). One strong pair thus does not
    chain a run of look-alike items (condolences, daily weather, telegrams) into one story.
    """
    max_span, min_mean, same_outlet = cfg["max_span_days"], cfg["group_mean"], cfg["text_same_outlet"]
    sim = {(e.i, e.j): e.cos for e in candidates}
    parent = list(range(n))
    members: list[list[int]] = [[r] for r in range(n)]
    lo: list[date | None] = list(dates)
    hi: list[date | None] = list(dates)

    def find(r: int) -> int:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for ev in sorted(joined, key=lambda e: (-e.cos, e.i, e.j)):
        a, b = find(ev.i), find(ev.j)
        if a == b:
            continue
        los = [d for d in (lo[a], lo[b]) if d is not None]
        his = [d for d in (hi[a], hi[b]) if d is not None]
        if los and (max(his) - min(los)).days > max_span:
            continue
        ma, mb = members[a], members[b]
        if len(ma) * len(mb) > 1:
            total, clash = 0.0, False
            for x in ma:
                for y in mb:
                    s = sim.get((x, y) if x < y else (y, x), 0.0)
                    total += s
                    clash = clash or (s < same_outlet and outlets[x] is not None and outlets[x] == outlets[y])
            if clash or total < min_mean * len(ma) * len(mb):
                continue
        if len(ma) < len(mb):
            a, b, ma, mb = b, a, mb, ma
        parent[b] = a
        ma.extend(mb)
        members[b] = []
        lo[a] = min(los) if los else None
        hi[a] = max(his) if his else None
    return [find(r) for r in range(n)]


def assign_stories(items: Sequence[StoryDoc]) -> dict[str, str]:
    """Group articles that report the same event: {article_id: story_id} for every item.

    >>> a = StoryDoc("a1", "اكد الرئيس الروسي فلاديمير بوتين في هانغتشو ان الاتفاق مع واشنطن حول سوريا قريب",
    ...              date(2016, 9, 5), "sana.sy", headline_norm="بوتين: الاتفاق حول سوريا قريب")
    >>> b = StoryDoc("b2", "قال الرئيس الروسي فلاديمير بوتين في هانغتشو ان الاتفاق مع واشنطن حول سوريا قد ياتي قريبا",
    ...              date(2016, 9, 6), "cnn.com", headline_norm="بوتين: الاتفاق حول سوريا قد ياتي قريبا")
    >>> c = StoryDoc("c3", "افتتح امير منطقه الرياض مهرجانا للتمور", date(2016, 9, 6), headline_norm="مهرجان التمور")
    >>> assign_stories([a, b, c])
    {'a1': 'sto_a1', 'b2': 'sto_a1', 'c3': 'sto_c3'}
    """
    n = len(items)
    if n == 0:
        return {}
    cfg = load_config()["stories"]
    candidates = pair_evidence(items)
    label = _groups(n, candidates, [ev for ev in candidates if joins(ev)], [it.published_date for it in items],
                    [it.outlet for it in items], cfg)
    groups: dict[int, list[int]] = defaultdict(list)
    for r, lab in enumerate(label):
        groups[lab].append(r)
    out: dict[str, str] = {}
    for rows in groups.values():
        kept = sorted(items[r].story_id for r in rows if items[r].story_id)
        sid = kept[0] if kept else "sto_" + min(items[r].article_id for r in rows)
        for r in rows:
            out[items[r].article_id] = sid
    return out


def background_df(texts: Iterable[str]) -> tuple[int, dict[str, int]]:
    """Document frequency of stems over texts (to build the ``background`` table of ``seeds/stories.json``).

    >>> background_df(["الاتفاق حول سوريا", "اتفاق اخر"])
    (2, {'اتفاق': 2, 'حول': 1, 'سوريا': 1, 'اخر': 1})
    """
    texts = list(texts)
    terms = _terms(texts)
    b = terms.matrix
    df = np.bincount(b.indices, minlength=b.shape[1])
    return len(texts), {t: int(df[k]) for k, t in enumerate(terms.vocab) if t and df[k] > 0}


def candidate_windows(days: Iterable[date], reach: int) -> list[tuple[date, date]]:
    """The date ranges in which stored articles can share a story with articles of ``days``: each day
    ``reach`` days either side, overlapping ranges merged (a batch of two periods reads two ranges, never
    the years between them).

    >>> candidate_windows([date(2015, 7, 21), date(2015, 7, 23), date(2026, 12, 2)], 4)
    [(datetime.date(2015, 7, 17), datetime.date(2015, 7, 27)), (datetime.date(2026, 11, 28), datetime.date(2026, 12, 6))]
    """
    windows: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        lo, hi = day - timedelta(days=reach), day + timedelta(days=reach)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows
