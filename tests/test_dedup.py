"""Near-duplicate bodies (transforms/dedup.py) on the seed pages and the dev corpus."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SEEDS_RAW, corpus_zips, requires_corpus
from transforms.dedup import DupDoc, SigRow, load_config, match_new, near_duplicates, signatures
from transforms.normalize import normalize_for_search


def seed_bodies() -> dict[str, str]:
    return {p.name[:3]: normalize_for_search(p.read_text(encoding="utf-8")) for p in sorted(SEEDS_RAW.glob("*.txt"))}


def test_distinct_seed_pages_are_not_duplicates():
    docs = [DupDoc(k, body, (k,)) for k, body in seed_bodies().items()]
    assert near_duplicates(docs) == {}


def test_edited_wire_copy_points_at_the_earliest_copy():
    body = seed_bodies()["000"]
    words = body.split()
    # another outlet's copy: a few words changed and the site footer cut
    edited = words[:-25]
    edited[40] = "وأكد"
    edited[120] = "الروسي"
    copy = " ".join(edited)
    docs = [DupDoc("late", copy, ("2016-09-06",)), DupDoc("first", body, ("2016-09-05",)),
            DupDoc("again", body, ("2016-09-07",)), DupDoc("other", seed_bodies()["002"], ("2016-09-05",))]
    assert near_duplicates(docs) == {"late": "first", "again": "first"}


def test_order_key_ties_break_on_article_id():
    body = seed_bodies()["004"]
    assert near_duplicates([DupDoc("b", body, (1,)), DupDoc("a", body, (1,))]) == {"b": "a"}


def test_short_bodies_match_only_exact_copies():
    short = "قال وزير الخارجية إن المحادثات مستمرة"
    almost = "قال وزير الخارجية إن المحادثات مستمرة اليوم"
    docs = [DupDoc("a", short, (1,)), DupDoc("b", short, (2,)), DupDoc("c", almost, (3,)), DupDoc("d", "", (4,)),
            DupDoc("e", "", (5,))]
    assert near_duplicates(docs) == {"b": "a"}  # empty bodies are nobody's copy


def test_signatures_are_stable_across_processes():
    """Persisted signatures must not depend on Python's per-process string hash salt."""
    bodies = list(seed_bodies().values())
    here = signatures([DupDoc(str(i), b) for i, b in enumerate(bodies)])
    code = (f"import sys, json, numpy as np; sys.path.insert(0, {str(ROOT)!r})\n"
            "from transforms.dedup import DupDoc, signatures\n"
            "bodies = json.load(sys.stdin)\n"
            "print(json.dumps(signatures([DupDoc(str(i), b) for i, b in enumerate(bodies)]).tolist()))")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(bodies), capture_output=True, text=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}, check=True)
    assert np.array_equal(here, np.array(json.loads(out.stdout), dtype=np.uint32))
    assert here.shape == (5, load_config()["dedup"]["num_perm"]) and here.dtype == np.uint32


def test_match_new_against_stored_signatures():
    bodies = seed_bodies()
    old_docs = [DupDoc("old0", bodies["000"], (1,)), DupDoc("old2", bodies["002"], (1,))]
    stored = [SigRow(d.article_id, d.order_key, s) for d, s in zip(old_docs, signatures(old_docs), strict=True)]
    trimmed = " ".join(bodies["000"].split()[:-40])
    new = [DupDoc("new_copy", trimmed, (2,)), DupDoc("new_exact", bodies["002"], (3,)),
           DupDoc("new_other", bodies["004"], (2,)), DupDoc("new_twin", bodies["004"], (4,))]
    assert match_new(stored, new) == {"new_copy": "old0", "new_exact": "old2", "new_twin": "new_other"}
    # a back-filled archive copy older than the stored one becomes the earliest of the group
    assert match_new(stored, [DupDoc("archive", bodies["000"], (0,))]) == {"old0": "archive"}
    assert match_new([], new[:1]) == {}


words = st.lists(st.sampled_from("قال الرئيس الروسي إن الاتفاق مع واشنطن حول سوريا قريب جدا وأضاف أمس في مؤتمر "
                                 "صحفي بختام قمة مجموعة العشرين الصينية".split()), min_size=40, max_size=120)


@settings(max_examples=40, deadline=None)
@given(words, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(ws, rnd):
    body = " ".join(ws)
    docs = [DupDoc("a", body, (1,)), DupDoc("b", body + " وقال", (2,)), DupDoc("c", body, (3,)),
            DupDoc("d", " ".join(reversed(ws)), (4,))]
    expected = near_duplicates(docs)
    shuffled = list(docs)
    rnd.shuffle(shuffled)
    assert near_duplicates(shuffled) == expected
    assert expected["c"] == "a"  # an exact repeat is always flagged, pointing at the earliest


@cache
def corpus_docs() -> list[DupDoc]:
    docs = []
    for z in corpus_zips():
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                for i, rec in enumerate(json.loads(zf.read(name))):
                    docs.append(DupDoc(f"{z.name}#{i:05d}", normalize_for_search(rec.get("content") or ""),
                                       (rec.get("date_extracted") or "", )))
    return docs


@requires_corpus
def test_dev_corpus_every_exact_repeat_is_flagged():
    docs = corpus_docs()
    dup = near_duplicates(docs)
    first: dict[str, str] = {}
    repeats = 0
    for d in sorted(docs, key=lambda d: (d.order_key, d.article_id)):
        if not d.body_norm:
            continue
        if d.body_norm in first:
            repeats += 1
            assert d.article_id in dup, d.article_id
        else:
            first[d.body_norm] = d.article_id
    near_only = len(dup) - repeats
    print(f"\n{len(docs)} bodies: {repeats} exact repeats, {near_only} near-duplicates")
    assert repeats > 300 and near_only > 100  # the corpus has both: a rule that finds none is broken
    assert all(v not in dup for v in dup.values())  # every pointer goes to a group's earliest copy

