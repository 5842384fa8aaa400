"""The trained entity model: features, weight export, the numpy Viterbi against crfsuite's, golden mentions."""
from __future__ import annotations

import numpy as np
import pytest

from scripts import train_ner
from transforms.entities import GazetteerExtractor, ReferenceMatcher, extract_entities, model, tokens_of

requires_ner_corpora = pytest.mark.skipif(not (train_ner.NER / "anercorp.txt").exists(),
                                          reason="../shared/corpora/ner absent")


def mentions(body: str) -> list[tuple[str, str]]:
    return [(m.surface, m.entity_type) for m in extract_entities(body)[0]]


# -- features -------------------------------------------------------------------------------------------

def test_word_features_are_the_same_on_every_call_and_name_the_word_its_readings_and_lists():
    first = model.word_features.__wrapped__("وبوتين")
    assert first == model.word_features.__wrapped__("وبوتين") == model.word_features("وبوتين")
    at0, near, far = first
    assert {"w=وبوتين", "p=بوتين", "g1=PERSON", "F=gaz"} <= set(at0)
    assert set(far) <= set(near) <= set(at0)
    assert model.word_features(model.PAD) == (("w=<pad>",),) * 3


def test_a_word_of_a_transliterated_name_is_marked_and_an_ordinary_word_of_the_same_spelling_is_not():
    # كوفاتش and غولن (ANETAC's transliterations) are in name_words.json, with و glued too; سفير and غارات,
    # which foreign names also spell, are dropped by the build (ال + word is common), as is a country
    names = {"كوفاتش", "وغولن", "باميلا"}
    ordinary = {"سفير", "غارات", "سوريا", "وقال"}
    assert all("F=xname" in model.word_features(w)[0] for w in names)
    assert not any("F=xname" in model.word_features(w)[0] for w in ordinary)


def test_a_tokens_features_are_its_neighbours_word_features_by_offset():
    body = "وقال كاميرون لشبكة"
    tokens = tokens_of(body)
    before, after = model.gaps(tokens, body, 0, len(tokens))
    feats = model.token_features(tokens.text, before, after)
    assert feats == model.token_features(tokens.text, before, after)
    assert {"-1:w=وقال", "0:w=كاميرون", "1:w=لشبكه", "-2:w=<pad>", "gb=sp", "ga=sp"} <= set(feats[1])
    assert "2:w=<pad>" in feats[1] and "-2:w=<pad>" in feats[0]


def test_the_emissions_are_the_sums_of_the_weights_of_each_tokens_features():
    body = "أعلن الرئيس الأميركي باراك أوباما، في واشنطن، أن وزارة الخارجية ستراجع القرار."
    tokens = tokens_of(body)
    table = model._table()
    spans = model.sentences(tokens, body)
    got = np.concatenate(model.emissions(table, tokens, body, spans))
    want = []
    for first, end in spans:
        before, after = model.gaps(tokens, body, first, end)
        for feats in model.token_features(tokens.text[first:end], before, after):
            rows = [table.weights.features[f] for f in feats if f in table.weights.features]
            want.append(np.sum(rows, axis=0))
    assert np.allclose(got, np.array(want), atol=1e-4)


def test_sentences_end_at_sentence_punctuation_but_not_inside_a_dotted_acronym():
    body = 'وقال كاميرون لشبكة "ان.بي.سي" الاميركية. وأضاف'
    tokens = tokens_of(body)
    assert [tokens.text[a:b] for a, b in model.sentences(tokens, body)] == [
        ["وقال", "كاميرون", "لشبكة", "ان", "بي", "سي", "الاميركية"], ["وأضاف"]]


# -- the model file -------------------------------------------------------------------------------------

def test_packed_weights_unpack_to_the_same_weights_and_write_the_same_bytes(tmp_path):
    state = {("w=a", "O"): 0.25, ("w=a", "B-ORG"): -1.5, ("gb=sp", "I-ORG"): 0.125}
    arrays = model.pack(state, {("B-ORG", "I-ORG"): 2.0}, common={"قال", "ان"})
    weights = model.unpack(arrays)
    assert weights.features["w=a"][model.LABELS.index("B-ORG")] == -1.5
    assert weights.transitions[model.LABELS.index("B-ORG"), model.LABELS.index("I-ORG")] == 2.0
    assert weights.common == {"قال", "ان"}
    train_ner.write_model(arrays, tmp_path / "a.npz")
    train_ner.write_model(model.pack(dict(reversed(state.items())), {("B-ORG", "I-ORG"): 2.0},
                                     common=["ان", "قال"]), tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


@requires_ner_corpora
def test_the_numpy_viterbi_tags_as_crfsuites_own_tagger_and_training_is_deterministic(tmp_path):
    pycrfsuite = pytest.importorskip("pycrfsuite")
    train_part, test_part = train_ner.anercorp_parts()
    seqs = list(train_ner.sequences(train_ner.corpus_sequences(train_part[:300])))
    arrays = train_ner.train(seqs, tmp_path / "small.crfsuite")
    assert all(np.array_equal(arrays[k], v) for k, v in train_ner.train(seqs).items())
    table = model._TypeTable(model.unpack(arrays))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "small.crfsuite"))
    compared = named = 0
    for tokens, body, _ in train_ner.corpus_sequences(test_part[:80]):
        ours = model.tag_tokens(tokens, body, table)
        theirs = []
        for first, end in model.sentences(tokens, body):
            before, after = model.gaps(tokens, body, first, end)
            theirs.extend(tagger.tag(model.token_features(tokens.text[first:end], before, after)))
        assert ours == theirs, body
        compared += 1
        named += any(t != "O" for t in ours)
    assert compared >= 80 and named >= 20


@requires_ner_corpora
def test_the_committed_model_scores_its_recorded_anercorp_test_f1():
    recorded = train_ner.recorded_scores()["anercorp_test_sixth"]["f1"]
    assert train_ner.anercorp_test_f1()["f1"] >= recorded - 1e-9 >= 0.67


# -- golden mentions on real corpus sentences --------------------------------------------------------------

def test_a_person_in_a_hospitals_name_is_the_hospitals_name():
    # snn-2015-07-21-00064
    body = "قام الأمير مشاري بن سعود، أمير منطقة الباحة، عددًا من المرضى المنومين في مستشفى الملك فهد في الباحة، " \
           "وهنأهم بعيد الْفِطْر المبارك"
    got = mentions(body)
    assert ("مستشفى الملك فهد", "ORG") in got
    assert not any(etype == "PERSON" and "فهد" in surface for surface, etype in got)


def test_a_dotted_acronym_is_one_name():
    # snn-2015-07-21-00085
    body = 'وقال كاميرون لشبكة "ان.بي.سي" الاميركية "أود أن تبذل بريطانيا المزيد"'
    got = mentions(body)
    assert ("ان.بي.سي", "ORG") in got
    assert not any(s in ("ان", "بي", "سي") for s, _ in got)


def test_a_foreign_name_no_list_holds_is_found_by_the_model():
    # snn-2015-07-21-00012: no title before the name, no listed given name
    body = "ويتوجه زيجمار جابريل، وزير الاقتصاد الألماني، اليوم إلى طهران"
    assert ("زيجمار جابريل", "PERSON") in mentions(body)
    assert not any(m.surface == "زيجمار جابريل" for m in GazetteerExtractor().extract(body))


def test_a_name_stops_before_a_verb():
    # ant-france24-0185: a model that runs the name into the verb (the CV model did) still gives كيم alone
    body = "وبومبيو هو أرفع مسؤول أمريكي يلتقي كيم ويلعب دورا رئيسيا في التحضير للقمة التاريخية المرتقبة."
    matcher = ReferenceMatcher(body)
    kim = matcher.tokens.text.index("كيم")
    spans = matcher.run([(kim, kim + 1, "PERSON")]).spans
    assert [(matcher.text(s.first, s.last, s.skip), s.etype) for s in spans if s.source == "model"] == [
        ("كيم", "PERSON")]
    assert not any("ويلعب" in surface for surface, _ in mentions(body))
