"""What the steps after extraction need of each article body, computed once where the body is built.

Linking (near-duplicates, stories) and the data-quality checks run in one process over a whole run. If
they read the bodies back they would redo, serially, work the parallel batch workers can do while the body
is in hand. So each worker reduces every article to a few small values: its MinHash signature, a digest of
``body_norm`` (exact copies compare equal), the lead of ``body_norm`` (story vectors), and the body's length
and Arabic share (quality checks). After that no step reads a body again except to load it.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from transforms.arabic.chars import arabic_share
from transforms.dedup import DupDoc, load_config, signatures


def order_key(published_date: date | None, source_file: str, source_record: int) -> str:
    """Earliest first: by publication date (unknown dates last), then by place in the landing folder.

    >>> order_key(date(2016, 9, 5), "a.json", 3)
    '2016-09-05|a.json|00000003'
    >>> order_key(None, "a.json", 3) > order_key(date(2016, 9, 5), "z.json", 9)
    True
    """
    day = published_date.isoformat() if published_date else "9999-12-31"
    return f"{day}|{source_file}|{source_record:08d}"


def lead_of(body_norm: str, words: int) -> str:
    """The first ``words`` space-separated words of a ``body_norm``.

    >>> lead_of("قال الرئيس الروسي ان الاتفاق قريب", 3)
    'قال الرئيس الروسي'
    """
    return " ".join(body_norm.split(" ", words)[:words])


def body_digest(body_norm: str) -> str:
    """A stand-in for ``body_norm`` in equality tests ('' for an empty body, which equals nothing).

    >>> body_digest("") , len(body_digest("خبر"))
    ('', 64)
    """
    return hashlib.sha256(body_norm.encode("utf-8")).hexdigest() if body_norm else ""


def article_features(articles: Sequence[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Features of article rows (as ``build_rows`` makes them), one row each, in ``schema`` (ARTICLE_FEATURES).

    Signatures are computed for all rows at once (one vectorised MinHash pass).
    """
    if not articles:
        return schema.empty_table()
    lead_words = load_config()["stories"]["lead_words"] + 1  # one spare word, as linking always read
    keys = [order_key(a["published_date"], a["source_file"], a["source_record"]) for a in articles]
    norms = [a["body_norm"] or "" for a in articles]
    sigs = signatures([DupDoc(a["article_id"], n, k) for a, n, k in zip(articles, norms, keys, strict=True)])
    return pa.table({
        "article_id": [a["article_id"] for a in articles],
        "order_key": keys,
        "signature": [row.astype("<u4").tobytes() for row in sigs],
        "body_digest": [body_digest(n) for n in norms],
        "lead": [lead_of(n, lead_words) for n in norms],
        "body_length": [len(a["body"]) for a in articles],
        "arabic_share": [arabic_share(a["body"]) for a in articles],
    }, schema=schema)
