"""Near-duplicates, stories and quote provenance for a run's new articles, against what is published.

Reads the staged new rows and the stored state (signatures, recent articles, their entities and
quotes) and hands them to the pure rules in transforms/dedup.py and transforms/stories.py.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from flows.warehouse import DUCKDB_MEMORY_LIMIT, existing, read_parquet_sql
from schemas.tables import QUOTE_LINKS
from transforms.dedup import DupDoc, SigRow, load_config, match_new
from transforms.normalize import normalize_for_search
from transforms.stories import QuoteDoc, StoryDoc, assign_stories, candidate_windows, link_quotes

# Stored articles this close in time to the new ones are story candidates (stories span days, not months).
STORY_WINDOW_DAYS = 4
LINK_COLUMNS = pa.schema([("article_id", pa.string()), ("story_id", pa.string()),
                          ("near_duplicate_of", pa.string())])


@dataclass
class Links:
    article_columns: pa.Table  # article_id, story_id, near_duplicate_of
    quote_links: pa.Table = field(default_factory=QUOTE_LINKS.empty_table)  # columnar: a big run has 100k+


def _new_articles(staged: dict[str, list[Path]]) -> tuple[list[tuple], np.ndarray]:
    """The run's new articles, in staging order: (article_id, order_key, body digest, lead, published_date,
    outlet_domain, headline) each, and their MinHash signatures as one (n, num_perm) matrix.

    Bodies are not read: the batch workers staged every article's signature, digest and lead
    (transforms/features.py) in a part parallel to its articles part (same rows, same order).
    """
    new: list[tuple] = []
    sigs: list[np.ndarray] = []
    for art_part, feat_part in zip(staged["articles"], staged["features"], strict=True):
        if not art_part.exists():
            continue
        arts = pq.read_table(art_part, columns=["article_id", "published_date", "outlet_domain", "headline"])
        feats = pq.read_table(feat_part, columns=["article_id", "order_key", "body_digest", "lead", "signature"])
        if not arts["article_id"].equals(feats["article_id"]):
            raise RuntimeError(f"staged features {feat_part.name} do not match {art_part.name}")
        cols = [arts["article_id"], feats["order_key"], feats["body_digest"], feats["lead"],
                arts["published_date"], arts["outlet_domain"], arts["headline"]]
        new += zip(*(c.to_pylist() for c in cols), strict=True)
        if len(feats):
            sigs.append(_signature_matrix(feats["signature"].combine_chunks()))
    num_perm = load_config()["dedup"]["num_perm"]
    return new, (np.vstack(sigs) if sigs else np.zeros((0, num_perm), dtype=np.uint32))


def _signature_matrix(col: pa.BinaryArray) -> np.ndarray:
    """(rows, num_perm) uint32 view of a column of equal-length little-endian signatures (no per-row copy)."""
    offsets = np.frombuffer(col.buffers()[1], dtype=np.int32)[col.offset: col.offset + len(col) + 1]
    data = np.frombuffer(col.buffers()[2], dtype=np.uint8)[offsets[0]: offsets[-1]]
    return data.view("<u4").reshape(len(col), -1).copy()


def link_staged(db: str, staged: dict[str, list[str]]) -> Links:
    """``link_new_articles`` over a read-only connection of its own (to run in a worker process, whose memory
    is returned when it exits, before the publishing process loads the rows)."""
    con = duckdb.connect(db, read_only=True, config={"memory_limit": DUCKDB_MEMORY_LIMIT})
    try:
        return link_new_articles(con, {t: [Path(p) for p in ps] for t, ps in staged.items()})
    finally:
        con.close()


def link_new_articles(con: duckdb.DuckDBPyConnection, staged: dict[str, list[Path]]) -> Links:
    # 1. near-duplicates of the new bodies against every stored signature (exact copies by digest)
    rows, new_sigs = _new_articles(staged)
    docs = [DupDoc(a, digest, key) for a, key, digest, *_ in rows]
    stored = [SigRow(a, k, np.frombuffer(sig, dtype="<u4"))
              for a, k, sig in con.execute("SELECT article_id, order_key, signature FROM internal.article_signatures"
                                           ).fetchall()]
    dups = match_new(stored, docs, new_sigs)
    new = [(a, lead, day, outlet, head) for a, _, _, lead, day, outlet, head in rows]
    new_ids = [r[0] for r in new]

    # 2. stories: the new articles plus stored ones close in time (or undated and recent). An undated new
    # article is dated by its ingestion (today): its story is the news of these days, not of every period
    # that was loaded this week (a backfilled archive).
    today = datetime.now(UTC).date()
    windows = candidate_windows([r[2] or today for r in new], STORY_WINDOW_DAYS)
    con.register("_story_windows", pa.table({"lo": [w[0] for w in windows], "hi": [w[1] for w in windows]},
                                            schema=pa.schema([("lo", pa.date32()), ("hi", pa.date32())])))
    old = con.execute("""
        SELECT article_id, array_to_string(list_slice(string_split(body_norm, ' '), 1, 51), ' ') AS lead,
               published_date, outlet_domain, headline, story_id FROM articles
        WHERE EXISTS (SELECT 1 FROM _story_windows w WHERE published_date BETWEEN w.lo AND w.hi)
           OR (published_date IS NULL AND ingested_at >= now() - INTERVAL 7 DAY)
        ORDER BY article_id""").fetchall()
    con.unregister("_story_windows")
    new_set = set(new_ids)
    old = [r for r in old if r[0] not in new_set]
    old_ids = [r[0] for r in old]

    ents: dict[str, set[str]] = defaultdict(set)
    mention_files = existing(staged["mentions"])
    for a, e in con.execute(f"SELECT DISTINCT article_id, entity_id FROM {read_parquet_sql()}",
                            {"files": mention_files}).fetchall() if mention_files else []:
        ents[a].add(e)
    if old_ids:
        con.register("_old_ids", pa.table({"article_id": old_ids}))
        for a, e in con.execute("SELECT DISTINCT article_id, entity_id FROM mentions "
                                "WHERE article_id IN (SELECT article_id FROM _old_ids)").fetchall():
            ents[a].add(e)
    # Ordered: which quote of a repeated statement is linked first (link_quotes) depends on input order.
    quote_files = existing(staged["quotes"])
    quote_rows = con.execute(f"SELECT quote_id, article_id, text FROM {read_parquet_sql()} ORDER BY quote_id",
                             {"files": quote_files}).fetchall() if quote_files else []
    old_quotes = con.execute("SELECT quote_id, article_id, text FROM quotes WHERE article_id IN "
                             "(SELECT article_id FROM _old_ids) ORDER BY quote_id").fetchall() if old_ids else []
    if old_ids:
        con.unregister("_old_ids")
    qdocs = [QuoteDoc(q, a, normalize_for_search(t or "")) for q, a, t in [*quote_rows, *old_quotes]]
    qkeys: dict[str, set[str]] = defaultdict(set)
    for q in qdocs:
        qkeys[q.article_id].add(q.text_norm)

    items = [StoryDoc(a, body or "", day, outlet, frozenset(ents[a]), frozenset(qkeys[a]),
                      normalize_for_search(head or ""))
             for a, body, day, outlet, head in new]
    items += [StoryDoc(a, body or "", day, outlet, frozenset(ents[a]), frozenset(qkeys[a]),
                       normalize_for_search(head or ""), story_id=sid)
              for a, body, day, outlet, head, sid in old]
    story_of = assign_stories(items)

    # 3. the same statement quoted in different articles (pairs that involve a new quote)
    new_q = {q for q, _, _ in quote_rows}
    pairs = [p for p in link_quotes(qdocs) if p[0] in new_q or p[1] in new_q]
    links = pa.table([pa.array([p[0] for p in pairs], pa.string()), pa.array([p[1] for p in pairs], pa.string()),
                      pa.array([float(p[2]) for p in pairs], pa.float64())], schema=QUOTE_LINKS)

    columns = pa.table({"article_id": new_ids,
                        "story_id": [story_of.get(a, "sto_" + a) for a in new_ids],
                        "near_duplicate_of": [dups.get(a) if dups.get(a) != a else None for a in new_ids]},
                       schema=LINK_COLUMNS)
    return Links(columns, links)
