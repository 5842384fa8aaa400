"""Per-article features the batch workers stage for linking and the checks (transforms/features.py)."""
from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa

from schemas.tables import ARTICLE_FEATURES
from tests.conftest import SEEDS_RAW
from transforms.article import build_rows
from transforms.dedup import DupDoc, load_config, signatures
from transforms.features import arabic_share, article_features, body_digest, lead_of, order_key
from transforms.types import RawRecord

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def seed_articles() -> list[dict]:
    rows = []
    for k, path in enumerate(sorted(SEEDS_RAW.glob("*.txt"))):
        rec = RawRecord(path.name, 0, "txt", path.read_text(encoding="utf-8"))
        art, *_ = build_rows(rec, run_id="t", ingested_at=NOW, reference=None)
        rows.append(art)
        assert k == len(rows) - 1
    return rows


def test_features_match_what_linking_used_to_compute_from_bodies():
    arts = seed_articles()
    feats = article_features(arts, ARTICLE_FEATURES)
    assert feats.schema == ARTICLE_FEATURES
    assert feats["article_id"].to_pylist() == [a["article_id"] for a in arts]
    # signatures: the same as dedup's over body_norm, stored as little-endian uint32 bytes
    expected = signatures([DupDoc(a["article_id"], a["body_norm"]) for a in arts])
    stored = np.vstack([np.frombuffer(b, dtype="<u4") for b in feats["signature"].to_pylist()])
    assert np.array_equal(stored, expected)
    # the lead is the first lead_words + 1 words of body_norm
    n = load_config()["stories"]["lead_words"] + 1
    for a, lead in zip(arts, feats["lead"].to_pylist(), strict=True):
        assert lead.split(" ") == a["body_norm"].split(" ")[:n]
    keys = feats["order_key"].to_pylist()
    assert keys == [order_key(a["published_date"], a["source_file"], a["source_record"]) for a in arts]
    assert feats["body_length"].to_pylist() == [len(a["body"]) for a in arts]
    assert all(0.5 < s <= 1.0 for s in feats["arabic_share"].to_pylist())  # Arabic pages


def test_identical_bodies_share_a_digest_and_empty_bodies_none():
    assert body_digest("خبر عاجل") == body_digest("خبر عاجل") != body_digest("خبر آخر")
    assert body_digest("") == ""


def test_empty_batch_gives_an_empty_table_of_the_schema():
    assert article_features([], ARTICLE_FEATURES) == ARTICLE_FEATURES.empty_table()


def test_arabic_share_counts_letters_not_spaces():
    assert arabic_share("قال") == 1.0
    assert arabic_share("abc") == 0.0
    assert arabic_share("قال    abc\n\n") == 0.5


def test_lead_of_short_body_is_the_body():
    assert lead_of("قال الرئيس", 51) == "قال الرئيس"
    assert lead_of("", 51) == ""


def test_undated_articles_sort_after_dated_ones():
    from datetime import date

    keys = sorted([order_key(None, "a", 0), order_key(date(2016, 9, 5), "b", 1), order_key(date(2015, 1, 1), "z", 0)])
    assert keys[0].startswith("2015") and keys[-1].startswith("9999")
    assert isinstance(pa.array(keys), pa.StringArray)
