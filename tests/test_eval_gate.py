"""The extraction gate: khabar on its development set must not score below the committed baseline.

As trafilatura gates its extractor on a fixed page set: ``seeds/labels/dev_baseline.json`` holds the dev
set's score.py metrics at the last deliberate change; a change that lowers any of them fails here until the
drop is fixed (or the baseline is deliberately re-committed with the reason: ``scripts/eval_dev.py
--update-baseline``).
"""
from __future__ import annotations

import json

import pytest

from scripts import corpora, eval_dev
from tests.conftest import corpus_zips

pytestmark = pytest.mark.slow
requires_corpora = pytest.mark.skipif(not corpus_zips() or not (corpora.ANT / "ant-cnn.jsonl").exists(),
                                      reason="../shared/corpora absent")


@requires_corpora
def test_dev_set_scores_do_not_fall_below_the_committed_baseline(tmp_path):
    gold = json.loads((eval_dev.LABELS / "dev.gold.json").read_text(encoding="utf-8"))
    eval_dev.build(list(gold["articles"]), tmp_path / "wh")
    scores = eval_dev.score(tmp_path / "wh", gold)
    baseline = json.loads(eval_dev.BASELINE.read_text(encoding="utf-8"))
    assert set(baseline["all"]) <= set(scores["all"]), "a baseline metric is no longer scored"
    assert eval_dev.below_baseline(scores, baseline) == []


def test_the_gate_reports_every_metric_below_its_baseline():
    scores = {"all": {"persons_recall": 0.80, "quote_speaker": 0.70, "headline": 1.0}}
    baseline = {"all": {"persons_recall": 0.81, "quote_speaker": 0.70, "headline": 0.99}}
    assert eval_dev.below_baseline(scores, baseline) == ["persons_recall 0.800 < baseline 0.810"]
