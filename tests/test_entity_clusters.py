"""Distributional word classes: the builder (scripts/build_clusters.py), the committed classes, the model feature."""
from __future__ import annotations

import numpy as np

from scripts import build_clusters
from transforms.arabic.fold import fold_word
from transforms.entities import model

# Given names, cities and verbs of speech, each in the same places of the same sentences: a small text in
# which a word's neighbours say what kind of word it is.
_NAMES = ("محمد", "أحمد", "خالد", "فهد", "سلمان", "عبدالله")
_CITIES = ("الرياض", "جدة", "الدمام", "مكة", "أبها", "تبوك")
_VERBS = ("قال", "أكد", "أوضح", "ذكر", "أضاف", "بين")


def _small_text() -> list[str]:
    lines = []
    for i, name in enumerate(_NAMES):
        for j, city in enumerate(_CITIES):
            verb = _VERBS[(i + j) % len(_VERBS)]
            lines.append(f"{verb} الأمير {name} بن سعود في مدينة {city} اليوم إن الوزارة ستفتتح المشروع")
            lines.append(f"وصل الشيخ {name} إلى {city} أمس حيث {verb} للصحفيين إن الزيارة ناجحة")
    return ["\n".join(lines[k::3]) for k in range(3)]


def _small_build() -> tuple[list[str], dict[int, np.ndarray]]:
    return build_clusters.build(_small_text(), vocabulary=60, dims=8, granularities=(3, 6))


def test_the_builder_makes_the_same_classes_from_the_same_text_and_puts_words_of_a_kind_together():
    vocab, classes = _small_build()
    again_vocab, again = _small_build()
    assert vocab == again_vocab and all(np.array_equal(classes[k], again[k]) for k in (3, 6))
    assert build_clusters.arrays_of(vocab, classes)["c6"].tolist() == classes[6].tolist()
    for k in (3, 6):
        of = {w: int(c) for w, c in zip(vocab, classes[k], strict=True)}
        names, cities, verbs = ({of[fold_word(w)] for w in kind} for kind in (_NAMES, _CITIES, _VERBS))
        assert len(names) == len(cities) == len(verbs) == 1
    assert len(names | cities | verbs) == 3  # the finer classes tell the three kinds apart
    # ids are numbered by each class's most frequent word: the most frequent word is in class 0
    assert classes[3][0] == 0 and classes[6][0] == 0


def test_a_word_outside_the_vocabulary_counts_as_its_reading_without_a_proclitic():
    index = {"بوتين": 0, "قال": 1}
    assert build_clusters.unit_id("وبوتين", fold_word("وبوتين"), index) == 0
    assert build_clusters.unit_id("لبوتين", fold_word("لبوتين"), index) == 0
    assert build_clusters.unit_id("كوفاتش", fold_word("كوفاتش"), index) == -1


def test_the_committed_classes_put_given_names_together_and_heads_of_state_together_apart_from_cities():
    classes = model.word_classes
    given = [classes(fold_word(w)) for w in ("محمد", "أحمد", "خالد", "فهد")]
    leaders = [classes(fold_word(w)) for w in ("بوتين", "ترامب", "ماكرون", "أردوغان")]
    city = classes(fold_word("الرياض"))
    assert all(c == given[0] for c in given) and all(c == leaders[0] for c in leaders)
    assert [k for k, _ in given[0]] == [256, 1024]
    assert given[0][0] != leaders[0][0] != city[0] != given[0][0]


def test_the_class_is_a_feature_of_the_word_at_offset_zero_only_read_through_a_proclitic():
    at0, near, far = model.word_features("بوتين")
    want = {f"c{k}={c}" for k, c in model.word_classes("بوتين")}
    assert len(want) == 2 and want <= set(at0)
    assert not any(x.startswith("c") for x in (*near, *far))
    # وبوتين is too rare to be in the vocabulary: it gets بوتين's classes
    assert not model.word_classes("وبوتين")
    assert want <= set(model.word_features("وبوتين")[0])
    # ومحمد is in the vocabulary itself: its own classes, not محمد's
    own = {f"c{k}={c}" for k, c in model.word_classes("ومحمد")}
    assert own and own <= set(model.word_features("ومحمد")[0])
    assert not {f"c{k}={c}" for k, c in model.word_classes("محمد")} & set(model.word_features("ومحمد")[0])
    assert not any(x.startswith("c") for x in model.word_features("كوفاتشيتشي")[0])
