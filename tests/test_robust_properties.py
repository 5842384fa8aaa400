"""Nothing escapes a batch: arbitrary bytes and arbitrary JSON through ``parse_file`` → ``build_rows`` → the
staging writer (``flows.stages.process_batch``, the code a batch worker runs) never raise, and every
record comes out as an article row or a quarantine row with its bytes."""
from __future__ import annotations

import hashlib
import tempfile
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import stages
from scripts.fuzz import JsonRaw, SurrogateText, dumps, seed_pages
from transforms.normalize import CONTROLS

NAMES = ["a.txt", "a.html", "a.json", "a.jsonl", "a.zip", "a.gz", "a.tar.gz", "a", "a.docx", ".hidden.json"]
SEED = seed_pages()[0]
HEAD, BODY = SEED.split("\n", 1)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.from_regex(r"-?[1-9][0-9]{4300,4400}", fullmatch=True).map(JsonRaw),  # past Python's int limit
    st.sampled_from(["1e999", "NaN", "-Infinity", "-0.0"]).map(JsonRaw),
    st.text(max_size=50),
    st.builds(SurrogateText, st.text(max_size=20), st.sampled_from(["\\ud800", "\\udfff", "\\ud83d", "\\udc00x"])),
    st.sampled_from([HEAD, BODY, "<p>نص\x01</p>", "\u2060\x1b[31m", "'; DROP TABLE articles; --"]),
)
keys = st.one_of(st.sampled_from(["title", "headline", "content", "text", "maintext", "body", "author", "authors",
                                  "url", "date", "date_publish", "source", "items", "articles", "rendered",
                                  "name"]), st.text(max_size=10))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(keys, inner, max_size=5)),
                           max_leaves=20)


def deep(value: object, depth: int) -> object:
    for i in range(depth):
        value = [value] if i % 2 else {"text": value}
    return value


records = st.one_of(
    st.fixed_dictionaries({"title": st.one_of(st.just(HEAD), json_values), "content": st.one_of(st.just(BODY),
                                                                                               json_values)},
                          optional={"url": json_values, "date": json_values, "extra": json_values}),
    json_values,
    st.builds(lambda d: {"title": HEAD, "content": deep(BODY, d)}, st.integers(1, 1500)),
)
json_docs = st.one_of(st.lists(records, max_size=4), records,
                      st.builds(lambda rs: {"items": rs}, st.lists(records, max_size=3)))


def run_one(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "wh"
        path = Path(tmp) / "in" / name
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        job = stages.FileJob(name, str(path), hashlib.sha256(data).hexdigest(), len(data))
        out = stages.process_batch([job], str(root), "r1", 0, None)
        assert len(out.file_rows) == 1
        row = out.file_rows[0]
        record_level = [q for q in out.quarantine_rows if not (q["source_file"] == name and q["source_record"] is None)]
        if row["status"] == "quarantined":
            assert [q for q in out.quarantine_rows if q["source_record"] is None and q["source_file"] == name]
        else:
            assert row["status"] == "loaded"
            assert row["records"] == out.articles + len(record_level)
        for q in out.quarantine_rows:
            assert q["reason_code"] and q["stored_path"] and (root / q["stored_path"]).is_file()
        bodies = []
        for part in out.staged["articles"]:
            bodies += pq.read_table(part, columns=["body", "body_norm"]).to_pylist()
        assert len(bodies) == out.articles
        for b in bodies:
            for text, newline_ok in ((b["body"], True), (b["body_norm"], False)):
                assert not [c for c in text if (unicodedata.category(c) in ("Cc", "Cf", "Cs")
                                                and not (newline_ok and c == "\n")) or CONTROLS.match(c)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NAMES), st.binary(max_size=3000))
def test_arbitrary_bytes_never_escape(name, data):
    run_one(name, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["a.json", "a.jsonl", "a.txt"]), json_docs)
def test_arbitrary_json_never_escapes(name, doc):
    text = dumps(doc) if name != "a.jsonl" else "\n".join(dumps(d) for d in (doc if isinstance(doc, list) else [doc]))
    run_one(name, text.encode("utf-8", "surrogatepass"))


def test_the_probes_record_triggers_are_quarantined_or_loaded_never_raised():
    """The four triggers of issue 9 item 1, each beside a good record of the same file."""
    good = dumps({"title": HEAD, "content": BODY})
    for bad in (dumps({"title": HEAD, "content": SurrogateText(BODY, "\\ud800")}),
                dumps({"title": HEAD, "content": BODY, "views": JsonRaw("9" * 5000)}),
                dumps({"title": HEAD, "content": deep(BODY, 980)})):
        run_one("feed.json", f"[{good}, {bad}]".encode("utf-8", "surrogatepass"))
    html = f"<html><body><article><h1>{HEAD}</h1><p>{BODY.strip()}\x01</p></article></body></html>"
    run_one("page.html", html.encode())
