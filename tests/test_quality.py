"""The data-quality layer: suites from schemas/expectations.py run through Great Expectations on real text."""
from __future__ import annotations

import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pandas as pd
import pyarrow as pa
import pytest

from flows import data_docs
from flows.quality import QualityResult, validate_batch
from schemas.expectations import SUITES
from schemas.tables import DQ_RESULTS
from tests.conftest import SEEDS_RAW, corpus_zips, requires_corpus

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def seed_articles() -> pd.DataFrame:
    """The five sample articles: headline = first line, body = the rest (real Arabic news text)."""
    rows = []
    for i, path in enumerate(sorted(SEEDS_RAW.glob("*.txt"))):
        headline, body = path.read_text(encoding="utf-8").strip().split("\n", 1)
        rows.append({"article_id": f"art-{i}", "source_file": path.name, "headline": headline.strip(),
                     "body": body.strip(), "published_at": pd.Timestamp("2015-08-01T10:00:00Z") + pd.Timedelta(days=i),
                     "published_date": (datetime(2015, 8, 1) + timedelta(days=i)).date(),
                     "date_source": "explicit", "language": "ar", "word_count": len(body.split())})
    assert len(rows) == 5
    return pd.DataFrame(rows)


def seed_batch() -> dict[str, pd.DataFrame]:
    """A consistent batch: articles, quotes drawn from their bodies, mentions inside the bodies, entities."""
    articles = seed_articles()
    quotes, mentions = [], []
    for _, a in articles.iterrows():
        words = a["body"].split()
        for k in range(3):
            quotes.append({"quote_id": f"{a['article_id']}-q{k}", "article_id": a["article_id"], "ordinal": k,
                           "text": " ".join(words[10 * k:10 * k + 8]),
                           "speaker": "فلاديمير بوتين" if k < 2 else None, "speaker_entity_id": None})
        start = a["body"].index(words[3])
        mentions.append({"article_id": a["article_id"], "entity_id": "ent-putin", "surface": words[3],
                         "char_start": start, "char_end": start + len(words[3])})
    entities = pd.DataFrame([
        {"entity_id": "ent-putin", "canonical_name": "فلاديمير بوتين", "entity_type": "PERSON",
         "aliases": ["بوتين"]},
        {"entity_id": "ent-syria", "canonical_name": "سوريا", "entity_type": "PLACE", "aliases": ["سورية"]},
    ])
    return {"articles": articles, "quotes": pd.DataFrame(quotes), "mentions": pd.DataFrame(mentions),
            "entities": entities}


def failing(res: QualityResult) -> set[str]:
    return {r["expectation"] for r in res.rows if not r["success"]}


def row(res: QualityResult, name: str) -> dict:
    [found] = [r for r in res.rows if r["expectation"] == name]
    return found


def test_good_batch_passes_every_check(tmp_path):
    res = validate_batch(seed_batch(), "run-good", tmp_path / "reports", now=NOW)
    assert res.critical_success and res.success, [(r["expectation"], r["observed"]) for r in res.rows]
    assert len(res.rows) == sum(len(checks) for checks in SUITES.values())
    assert {(r["table_name"], r["expectation"]) for r in res.rows} == \
        {(t, c.name) for t, checks in SUITES.items() for c in checks}
    assert row(res, "article_id_unique")["observed"] == "0 of 5 unexpected (0.00%)"
    assert res.report_path == tmp_path / "reports" / "index.html"


def test_duplicate_article_id_is_critical(tmp_path):
    batch = seed_batch()
    batch["articles"].loc[4, "article_id"] = "art-0"
    res = validate_batch(batch, "run-dup", tmp_path, now=NOW)
    assert not res.critical_success and not res.success
    dup = row(res, "article_id_unique")
    assert dup["severity"] == "critical" and dup["success"] is False
    assert dup["observed"].startswith("2 of 5 unexpected")
    # art-4's quotes and mentions now point at no article of the batch: reported, as warnings
    assert failing(res) == {"article_id_unique", "quote_article_in_batch", "mention_article_in_batch"}
    assert {r["expectation"] for r in res.rows if not r["success"] and r["severity"] == "critical"} == \
        {"article_id_unique"}


@pytest.mark.parametrize("headline, broken", [("   ", "headline_not_empty"), (None, "headline_not_null")])
def test_empty_or_missing_headline_is_critical(tmp_path, headline, broken):
    batch = {"articles": seed_articles()}
    batch["articles"].loc[2, "headline"] = headline
    res = validate_batch(batch, "run-headline", tmp_path, now=NOW)
    assert not res.critical_success
    assert failing(res) == {broken}
    assert row(res, broken)["severity"] == "critical"


def test_empty_body_and_bad_date_source_are_critical(tmp_path):
    batch = seed_batch()
    batch["articles"].loc[0, "body"] = ""
    batch["articles"].loc[1, "date_source"] = "guessed"
    res = validate_batch(batch, "run-body", tmp_path, now=NOW)
    assert not res.critical_success
    # the empty body also has no Arabic (4 of 5 < 95%) and art-0's mention now lies outside it: warnings
    assert failing(res) == {"body_not_empty", "date_source_in_set", "arabic_share_of_body", "mention_inside_body"}


def test_warnings_alone_keep_the_batch_publishable(tmp_path):
    batch = seed_batch()
    batch["articles"]["language"] = "en"
    batch["articles"].loc[3, "published_date"] = datetime(1985, 5, 5).date()
    batch["quotes"]["speaker"] = None
    res = validate_batch(batch, "run-warn", tmp_path, now=NOW)
    assert res.critical_success and not res.success
    assert failing(res) == {"language_in_set", "published_date_plausible", "speakers_resolved_share"}
    assert {row(res, n)["severity"] for n in failing(res)} == {"warning"}
    assert row(res, "speakers_resolved_share")["observed"].startswith("15 of 15 unexpected")


def test_speakers_resolved_share_threshold(tmp_path):
    # 2 of 3 quotes per article have a speaker: 66% ≥ 60%
    batch = {t: f for t, f in seed_batch().items() if t in ("articles", "quotes")}
    assert row(validate_batch(batch, "r", tmp_path, now=NOW), "speakers_resolved_share")["success"]
    batch["quotes"].loc[batch["quotes"]["ordinal"] == 1, "speaker"] = None  # 33%
    assert not row(validate_batch(batch, "r", tmp_path, now=NOW), "speakers_resolved_share")["success"]


def test_published_at_in_the_future_is_critical_null_is_allowed(tmp_path):
    batch = {"articles": seed_articles()}
    arts = batch["articles"]
    arts["published_at"] = arts["published_at"].astype("datetime64[us, UTC]")
    arts.loc[0, "published_at"] = pd.NaT
    arts.loc[1, "published_at"] = pd.Timestamp(NOW) + pd.Timedelta(hours=3)  # local clock ahead of UTC: tolerated
    assert validate_batch(batch, "r", tmp_path, now=NOW).critical_success
    arts.loc[2, "published_at"] = pd.Timestamp(NOW) + pd.Timedelta(days=3)
    res = validate_batch(batch, "r", tmp_path, now=NOW)
    assert failing(res) == {"published_at_not_future"}
    assert row(res, "published_at_not_future")["observed"] == "1 of 5 unexpected (25.00%); 1 null, not checked"


def test_mention_and_entity_integrity(tmp_path):
    batch = seed_batch()
    batch["mentions"].loc[0, "char_end"] = batch["mentions"].loc[0, "char_start"]  # empty span
    batch["mentions"].loc[1, "char_end"] = 10 ** 6  # past the end of the body
    batch["entities"].loc[1, "entity_type"] = "COUNTRY"
    res = validate_batch(batch, "r", tmp_path, now=NOW)
    assert not res.critical_success
    assert failing(res) == {"mention_span_ordered", "mention_inside_body", "entity_type_in_set"}
    assert row(res, "mention_inside_body")["severity"] == "warning"


def test_orphan_quote_is_reported(tmp_path):
    batch = seed_batch()
    batch["quotes"].loc[0, "article_id"] = "art-unknown"
    res = validate_batch(batch, "r", tmp_path, now=NOW)
    assert res.critical_success and failing(res) == {"quote_article_in_batch"}


def test_rows_match_the_dq_results_schema(tmp_path):
    batch = {"articles": seed_articles()}
    batch["articles"].loc[4, "article_id"] = "art-0"
    res = validate_batch(batch, "run-schema", tmp_path, now=NOW)
    for r in res.rows:
        assert list(r) == DQ_RESULTS.names
        assert r["severity"] in ("critical", "warning") and isinstance(r["success"], bool)
        assert r["run_id"] == "run-schema" and r["checked_at"] == NOW
        assert isinstance(r["observed"], str) and r["observed"]
    table = pa.Table.from_pylist(res.rows, schema=DQ_RESULTS)  # raises on a type mismatch
    assert table.num_rows == len(res.rows)
    assert table.column("success").to_pylist().count(False) == 1


def test_publish_frames_with_precomputed_body_stats_agree(tmp_path):
    """flows/publish.py ships body_length/arabic_share instead of bodies: the outcome is the same."""
    batch = {"articles": seed_articles()}
    arts = batch["articles"]
    lean = arts.drop(columns=["body"]).assign(
        body_length=arts["body"].str.len(),
        arabic_share=[len(re.findall(r"[\u0600-\u06FF]", b)) / len(re.findall(r"\S", b)) for b in arts["body"]])
    assert (lean["arabic_share"] > 0.75).all()  # real Arabic news text
    full = validate_batch(batch, "r", tmp_path / "a", now=NOW)
    fast = validate_batch({**batch, "articles": lean}, "r", tmp_path / "b", now=NOW)
    assert [(r["expectation"], r["success"], r["observed"]) for r in full.rows] == \
        [(r["expectation"], r["success"], r["observed"]) for r in fast.rows]


def test_english_bodies_fail_the_arabic_share_warning(tmp_path):
    batch = {"articles": seed_articles()}
    batch["articles"].loc[0, "body"] = "Russian President Vladimir Putin said on Monday that talks would go on."
    res = validate_batch(batch, "r", tmp_path, now=NOW)
    assert res.critical_success and failing(res) == {"arabic_share_of_body"}


def test_missing_column_fails_loudly_not_silently(tmp_path):
    batch = {"articles": seed_articles()}
    batch["articles"] = batch["articles"].drop(columns=["body"])
    res = validate_batch(batch, "r", tmp_path, now=NOW)
    assert not res.critical_success
    assert {"body_not_null", "body_not_empty", "arabic_share_of_body"} <= failing(res)
    assert row(res, "body_not_null")["observed"].startswith("error:")


def test_nothing_to_validate_leaves_the_kept_data_docs_alone(tmp_path):
    """A run with nothing new checks nothing and must not wipe the Data Docs of the last run that did
    (the report used to forget it: issue 11)."""
    reports = tmp_path / "reports"
    validate_batch(seed_batch(), "run-data", reports, now=NOW)
    before = sorted(p.relative_to(reports) for p in (reports / "gx").rglob("*.html"))
    res = validate_batch({}, "run-empty", reports, now=NOW + timedelta(hours=1))
    assert res.rows == [] and res.critical_success and res.success
    assert sorted(p.relative_to(reports) for p in (reports / "gx").rglob("*.html")) == before
    assert any("/run-data/" in str(p) for p in before)


def test_data_docs_keep_every_run_and_work_offline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reports = tmp_path / "wh" / "reports"
    validate_batch(seed_batch(), "run-1", reports, now=NOW)
    validate_batch(seed_batch(), "run-2", reports, now=NOW + timedelta(hours=1))
    # GX keeps nothing outside reports_dir; its site keeps both runs' validation pages (4 suites each)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wh"]
    assert sorted(p.name for p in reports.iterdir()) == ["gx"]
    pages = sorted(str(p.relative_to(reports)) for p in (reports / "gx" / "validations").rglob("*.html"))
    assert len(pages) == 8
    assert sum("/run-1/" in p for p in pages) == 4 and sum("/run-2/" in p for p in pages) == 4
    assert set(data_docs.run_pages(reports / "gx", "run-1")) == {"articles", "quotes", "mentions", "entities"}
    # every page loads its styles, scripts and images from the site itself, none from a CDN
    for page in (reports / "gx").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loads = re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', text)
        assert loads, page
        for ref in loads:
            assert not ref.startswith(("http:", "https:", "//")), (page, ref)
            assert (page.parent / ref.split("?")[0]).resolve().is_file(), (page, ref)
        assert "integrity=" not in text and "cdn" not in text.lower(), page


def test_vendored_assets_match_their_manifest():
    """The files the Data Docs load offline are the pinned npm releases the manifest names, byte for byte."""
    import hashlib

    manifest = data_docs.manifest()
    assert {p["name"] for p in manifest["packages"]} >= {"bootstrap", "jquery", "popper.js", "vega"}
    for entry in manifest["files"]:
        data = (data_docs.VENDOR_DIR / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    for package in manifest["packages"]:
        assert (data_docs.VENDOR_DIR / package["folder"] / "LICENSE").is_file()
    assert set(manifest["urls"].values()) <= {f["path"] for f in manifest["files"]}


@requires_corpus
def test_validates_the_dev_corpus(tmp_path):
    """~16k real articles pass the article suite (time: ``scripts/bench_components.py``)."""
    rows = []
    for z in corpus_zips():
        with zipfile.ZipFile(z) as zf:
            for member in zf.namelist():
                for rec in json.loads(zf.read(member)):
                    rows.append({"article_id": rec["url"], "headline": rec["title"], "body": rec["content"],
                                 "published_date": rec["date_extracted"][:10], "date_source": "feed",
                                 "published_at": rec["date_extracted"] + "+00:00", "language": "ar",
                                 "word_count": len(rec["content"].split())})
    articles = pd.DataFrame(rows)
    assert len(articles) > 10_000
    res = validate_batch({"articles": articles}, "run-corpus", tmp_path, now=NOW)
    by_name = {r["expectation"]: r for r in res.rows}
    assert by_name["arabic_share_of_body"]["success"], by_name["arabic_share_of_body"]["observed"]
    assert by_name["date_source_in_set"]["success"] and by_name["published_at_not_future"]["success"]
