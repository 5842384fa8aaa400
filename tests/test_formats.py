"""transforms.formats: every input format, every JSON field spelling, every archive trap."""
from __future__ import annotations

import gzip
import io
import json
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.formats import (
    FIELDS,
    FormatProblem,
    Limits,
    detect_format,
    html_record,
    json_records,
    parse_file,
    unsafe_member_name,
)
from transforms.types import Quarantined, RawRecord

HERE = Path(__file__).resolve().parent
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((HERE.parent / "seeds" / "raw").glob("*.txt"))]
HEADLINE = SEED_TEXTS[0].split("\n", 1)[0]
BODY = SEED_TEXTS[0].split("\n", 1)[1].strip()
CORPUS = HERE.parent.parent / "shared" / "corpora" / "saudinewsnet-dev"


def zip_of(*members: tuple[str | zipfile.ZipInfo, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def tar_of(*members: tuple[str, bytes], gz: bool = False) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz" if gz else "w") as tf:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def outcome(f) -> dict[str, str]:
    """source_file[#record] → 'article' or 'q:<reason>', as the warehouse would see it."""
    got = {f"{r.source_file}#{r.source_record}": "article" for r in f.records}
    for q in f.quarantined:
        got[q.source_file if q.source_record is None else f"{q.source_file}#{q.source_record}"] = f"q:{q.reason_code}"
    return got


# ------------------------------------------------------------------------------------------ detection

@pytest.mark.parametrize("name,head,fmt", [
    ("a.txt", "خبر".encode(), "txt"), ("A.TXT", b"x", "txt"), ("p.html", b"<p>", "html"), ("p.HTM", b"", "html"),
    ("f.json", b"[", "json"), ("f.jsonl", b"{", "jsonl"), ("f.ndjson", b"{", "jsonl"),
    ("a.zip", b"PK\x03\x04", "zip"), ("a.zip", b"garbage", "zip"), ("a.gz", b"\x1f\x8b", "gz"),
    ("a.tar.gz", b"\x1f\x8b", "tar.gz"), ("a.tgz", b"\x1f\x8b", "tar.gz"), ("a.tar", b"", "tar"),
    ("x.txt", b"PK\x03\x04rest", "zip"),  # a .txt that is really a zip is opened as the zip it is
    ("x.json", b"\x1f\x8b\x08", "gz"),
    ("x.txt", b"%PDF-1.5", "unknown"), ("x.pdf", b"%PDF-1.5", "unknown"), ("x.png", b"\x89PNG\r\n\x1a\n", "unknown"),
    ("dump.txt", b"\xef\xbb\xbf  <!DOCTYPE html><html>", "html"), ("index", b"<html dir=rtl>", "html"),
    ("notes.docx", b"PK\x03\x04", "zip"), ("notes.xml", b"<?xml", "unknown"), ("noext", "خبر".encode(), "unknown"),
    ("a.zip!inner/b.json", b"[]", "json"),
])
def test_detect_format(name, head, fmt):
    assert detect_format(name, head) == fmt


def test_detect_tar_by_ustar_magic():
    data = tar_of(("a.txt", b"x"))
    assert detect_format("backup", data[:1024]) == "tar"


# ---------------------------------------------------------------------------------------------- text

def test_txt_is_one_page_record_with_hash_and_size():
    data = SEED_TEXTS[1].encode("utf-8")
    f = parse_file("sub/a.txt", data)
    assert (f.format, f.encoding, f.reason, f.bytes) == ("txt", "utf-8", None, len(data))
    assert f.sha256 == __import__("hashlib").sha256(data).hexdigest()
    [r] = f.records
    assert (r.source_file, r.source_record, r.format, r.is_page, r.text) == ("sub/a.txt", 0, "txt", True, SEED_TEXTS[1])


@pytest.mark.parametrize("codec,name", [("cp1256", "cp1256"), ("utf-16", "utf-16-le"), ("utf-8-sig", "utf-8-sig")])
def test_txt_encodings(codec, name):
    f = parse_file("a.txt", SEED_TEXTS[2].encode(codec))
    assert f.encoding == name and f.records[0].text == SEED_TEXTS[2]


@pytest.mark.parametrize("data,reason", [(b"", "empty"), (b"\n \n", "empty"), (bytes(range(256)), "binary"),
                                         ("Café crème".encode("latin-1"), "undecodable")])
def test_txt_rejections_quarantine_the_whole_file_with_its_bytes(data, reason):
    f = parse_file("bad.txt", data)
    assert f.reason == reason and f.records == []
    [q] = f.quarantined
    assert (q.source_file, q.source_record, q.reason_code, q.raw) == ("bad.txt", None, reason, data)


def test_oversized_with_small_limits():
    f = parse_file("a.txt", SEED_TEXTS[0].encode(), Limits(max_file_bytes=100))
    assert f.reason == "oversized" and f.quarantined[0].raw == SEED_TEXTS[0].encode()


def test_unknown_format_is_quarantined():
    f = parse_file("report.pdf", b"%PDF-1.4 ...")
    assert f.reason == "unsupported_format" and f.format == "unknown"


# ---------------------------------------------------------------------------------------------- HTML

# HTML collapses runs of white space (NBSP included), so the expected paragraphs do too
PARAS = [" ".join(p.split()) for p in BODY.split("\n\n") if p.strip()]


def page(extra_head: str = "", article_extra: str = "", charset: str = "utf-8", paras: list[str] = PARAS[:5]) -> str:
    ps = "".join(f"<p>{p}</p>\n" for p in paras)
    return (f'<!DOCTYPE html><html lang="ar"><head><meta charset="{charset}"><title>{HEADLINE} | سانا</title>'
            f"{extra_head}</head><body><nav><ul><li><a href='/'>الرئيسية</a></li><li>سياسة</li></ul></nav>"
            f"<article><h1>{HEADLINE}</h1>\n{ps}{article_extra}</article><footer>جميع الحقوق محفوظة</footer>"
            "</body></html>")


def test_html_main_text_metadata_and_paragraphs():
    head = ("<link rel='canonical' href='https://sana.sy/?p=433221'><meta property='og:site_name' content='سانا'>"
            "<meta name='author' content='هيثم صالح'>"
            "<meta property='article:published_time' content='2016-09-05T14:20:00+03:00'>")
    f = parse_file("p.html", page(head).encode())
    [r] = f.records
    assert (r.format, r.is_page, r.source_record) == ("html", False, 0)
    assert HEADLINE in r.title
    assert r.url == "https://sana.sy/?p=433221" and r.source == "سانا" and r.author == "هيثم صالح"
    assert r.date == "2016-09-05T14:20:00+03:00"
    assert PARAS[0] in r.text and PARAS[4] in r.text
    assert f"{PARAS[1]}\n\n{PARAS[2]}" in r.text  # paragraphs separated by one blank line
    assert "الرئيسية" not in r.text and "جميع الحقوق" not in r.text  # navigation / footer chrome dropped


def test_html_never_passes_markup_into_text():
    nasty = (PARAS[:2] + [PARAS[2] + " <img src=x onerror=alert(1)>", "<script>alert(document.cookie)</script>"
                          + PARAS[3], PARAS[4] + "<svg onload=alert(3)><text>svg</text></svg>"])
    extra = ("<noscript><img src=x onerror=alert(4)></noscript><textarea><img src=x onerror=alert(5)></textarea>"
             "<p>&lt;script&gt;alert(6)&lt;/script&gt; نص مهرب</p><iframe srcdoc='<script>alert(7)</script>'></iframe>")
    rec = html_record("x.html", page(article_extra=extra, paras=nasty).replace("<title>", "<title><b>x</b>"))
    assert isinstance(rec, RawRecord)
    for needle in ("<", ">", "onerror", "onload", "script", "alert(1", "alert(2", "alert(3", "alert(4", "alert(5",
                   "alert(7", "alert(document"):
        assert needle not in rec.text, needle
        assert needle not in (rec.title or ""), needle
    assert "alert(6) نص مهرب" in rec.text  # escaped markup is page text: kept as words, minus the tag shape
    assert PARAS[2] in rec.text and PARAS[3] in rec.text
    assert "\n\n" in rec.text  # the leaked raw text did not collapse extraction into one paragraph


def test_html_javascript_url_is_dropped():
    rec = html_record("x.html", page("<link rel='canonical' href='javascript:alert(1)'>"))
    assert rec.url is None


def test_html_in_windows_1256_with_meta_charset():
    f = parse_file("p.html", page(charset="windows-1256").encode("cp1256"))
    assert f.encoding == "cp1256" and PARAS[0] in f.records[0].text


def test_html_declared_charset_in_http_equiv_and_xml_declaration():
    html = ("<?xml version='1.0' encoding='windows-1256'?>" + page(charset="windows-1256")).encode("cp1256")
    f = parse_file("p.xhtml", html)
    assert f.encoding == "cp1256" and PARAS[1] in f.records[0].text


def test_short_html_page_falls_back_to_block_text():
    f = parse_file("s.htm", "<html><body><p>خبر قصير جدا</p><p>سطر ثان</p></body></html>".encode())
    assert f.records[0].text == "خبر قصير جدا\n\nسطر ثان"


def test_html_without_text_is_a_record_level_no_body_with_the_page_bytes():
    data = b"<html><head><title>t</title></head><body><script>x()</script></body></html>"
    f = parse_file("e.html", data)
    assert f.reason is None and f.records == []
    [q] = f.quarantined
    assert (q.reason_code, q.source_record, q.raw) == ("no_body", 0, data)


# ---------------------------------------------------------------------------------------------- JSON

@pytest.mark.parametrize("key", FIELDS["title"] + tuple(k.upper() for k in FIELDS["title"]))
def test_every_title_spelling(key):
    [r] = json_records("f.json", json.dumps({key: HEADLINE, "content": BODY}, ensure_ascii=False), "json")
    assert r.title == HEADLINE and r.text == BODY


@pytest.mark.parametrize("key", FIELDS["text"])
def test_every_body_spelling(key):
    [r] = json_records("f.json", json.dumps({"title": HEADLINE, key: BODY}, ensure_ascii=False), "json")
    assert r.text == BODY and r.is_page is False


@pytest.mark.parametrize("key,value,expected", [
    ("author", "موسكو-سانا", "موسكو-سانا"), ("authors", ["رنيم حنوش", "محمد علي"], "رنيم حنوش، محمد علي"),
    ("byline", "بقلم: هيثم صالح", "بقلم: هيثم صالح"), ("authors", [{"name": "سانا"}], "سانا"),
])
def test_every_author_spelling(key, value, expected):
    [r] = json_records("f.json", json.dumps({key: value, "text": BODY}, ensure_ascii=False), "json")
    assert r.author == expected


@pytest.mark.parametrize("key", FIELDS["date"][:4])
def test_every_date_spelling(key):
    [r] = json_records("f.json", json.dumps({key: "2015-07-21 02:51:32", "text": BODY}), "json")
    assert r.date == "2015-07-21 02:51:32"


def test_date_takes_the_first_present_spelling():
    obj = {"date_extracted": "2015-07-21 02:51:32", "published": "2015-07-20", "date": None, "text": BODY}
    assert json_records("f.json", json.dumps(obj), "json")[0].date == "2015-07-20"


@pytest.mark.parametrize("key", ["source", "source_domain"])
def test_every_source_spelling_and_url(key):
    obj = {key: "aawsat.com", "url": "http://aawsat.com/home/article/410826", "text": BODY}
    [r] = json_records("f.json", json.dumps(obj), "json")
    assert r.source == "aawsat.com" and r.url == "http://aawsat.com/home/article/410826"


@pytest.mark.parametrize("doc", [
    {"articles": [{"text": "أ"}, {"text": "ب"}]}, {"items": [{"text": "أ"}, {"text": "ب"}]},
    {"data": [{"text": "أ"}, {"text": "ب"}]}, {"status": "ok", "data": {"articles": [{"text": "أ"}, {"text": "ب"}]}},
    [{"text": "أ"}, {"text": "ب"}],
])
def test_json_shapes(doc):
    assert [r.text for r in json_records("f.json", json.dumps(doc), "json")] == ["أ", "ب"]


def test_single_object_file():
    f = parse_file("one.json", json.dumps({"headline": HEADLINE, "maintext": BODY}, ensure_ascii=False).encode())
    assert [(r.source_record, r.title, r.format) for r in f.records] == [(0, HEADLINE, "json")]


def test_bad_records_quarantined_while_the_others_load():
    doc = [{"title": HEADLINE, "content": BODY}, "just a string", {"title": "بلا نص", "content": "   "}, None,
           {"title": HEADLINE, "text": BODY}]
    f = parse_file("feed.json", json.dumps(doc, ensure_ascii=False).encode())
    assert f.reason is None
    assert outcome(f) == {"feed.json#0": "article", "feed.json#1": "q:not_object", "feed.json#2": "q:no_body",
                          "feed.json#3": "q:not_object", "feed.json#4": "article"}
    by_index = {q.source_record: q for q in f.quarantined}
    assert json.loads(by_index[1].raw) == "just a string"
    assert json.loads(by_index[2].raw) == {"title": "بلا نص", "content": "   "}


@pytest.mark.parametrize("data,reason", [(b'[{"title": "x", ]', "invalid_json"), (b"{", "invalid_json"),
                                         (b"42", "not_object"), (b'"text"', "not_object"),
                                         (b"[" * 100000, "invalid_json")])
def test_invalid_json_quarantines_the_whole_file(data, reason):
    f = parse_file("bad.json", data)
    assert f.reason == reason and f.quarantined[0].raw == data and not f.records


def test_jsonl_bad_line_quarantines_only_that_line():
    lines = [json.dumps({"title": HEADLINE, "content": BODY}, ensure_ascii=False), "", "{not json",
             "[1, 2]", json.dumps({"head_line": "عنوان", "body": "نص"}, ensure_ascii=False)]
    f = parse_file("f.jsonl", "\n".join(lines).encode())
    assert outcome(f) == {"f.jsonl#0": "article", "f.jsonl#2": "q:invalid_json", "f.jsonl#3": "q:not_object",
                          "f.jsonl#4": "article"}
    assert [q.raw for q in f.quarantined if q.reason_code == "invalid_json"] == [b"{not json"]
    assert {r.format for r in f.records} == {"jsonl"}


def test_json_file_that_is_really_json_lines():
    data = "\n".join(json.dumps({"text": t}) for t in ("أ", "ب", "ج")).encode()
    f = parse_file("dump.json", data)
    assert [r.text for r in f.records] == ["أ", "ب", "ج"]


def test_json_with_utf16_bom_and_u2028_inside_strings():
    data = json.dumps([{"title": "عنوان", "text": "سطر\u2028آخر"}], ensure_ascii=False).encode("utf-16")
    f = parse_file("f.json", data)
    assert f.encoding == "utf-16-le" and f.records[0].text == "سطر\u2028آخر"
    line = json.dumps({"text": "سطر\u2028آخر"}, ensure_ascii=False)
    assert [r.text for r in parse_file("f.jsonl", line.encode()).records] == ["سطر\u2028آخر"]


def test_json_body_holding_html_is_turned_into_text():
    obj = {"title": {"rendered": "عنوان &amp; <b>خبر</b>"},
           "content": {"rendered": f"<p>{PARAS[0]}</p><p>{PARAS[1]}<img src=x onerror=alert(1)></p>"
                                   "<script>alert(2)</script>"}}
    [r] = json_records("wp.json", json.dumps(obj, ensure_ascii=False), "json")
    assert r.text == f"{PARAS[0]}\n\n{PARAS[1]}"
    assert "<" not in r.title


def test_literal_markup_in_plain_json_text_is_kept_as_text():
    # a body that merely mentions a tag-like string without HTML structure stays as written
    [r] = json_records("f.json", json.dumps({"text": "المعادلة 3 < 5 و 7 > 2"}), "json")
    assert r.text == "المعادلة 3 < 5 و 7 > 2"


# ------------------------------------------------------------------------------------------ containers

def test_zip_members_named_with_bang_and_directories_ignored():
    feed = json.dumps([{"title": HEADLINE, "content": BODY}, {"title": "x"}], ensure_ascii=False).encode()
    data = zip_of(("news/", b""), ("news/a.txt", SEED_TEXTS[0].encode()), ("news/feed.json", feed))
    f = parse_file("in/arch.zip", data)
    assert f.format == "zip" and f.encoding == "utf-8"
    assert outcome(f) == {"in/arch.zip!news/a.txt#0": "article", "in/arch.zip!news/feed.json#0": "article",
                          "in/arch.zip!news/feed.json#1": "q:no_body"}


def test_nested_containers():
    inner_tgz = tar_of(("c.txt", SEED_TEXTS[1].encode()), gz=True)
    gz = gzip.compress(SEED_TEXTS[2].encode("cp1256"))
    data = zip_of(("b.tar.gz", inner_tgz), ("d.txt.gz", gz), ("plain.tar", tar_of(("e.json", b'{"text": "\xd9\x86"}'))))
    f = parse_file("a.zip", data)
    assert outcome(f) == {"a.zip!b.tar.gz!c.txt#0": "article", "a.zip!d.txt.gz!d.txt#0": "article",
                          "a.zip!plain.tar!e.json#0": "article"}
    assert f.encoding == "cp1256,utf-8"


def test_gz_of_a_txt():
    f = parse_file("story.txt.gz", gzip.compress(SEED_TEXTS[3].encode()))
    assert f.format == "gz" and [(r.source_file, r.text) for r in f.records] == [("story.txt.gz!story.txt", SEED_TEXTS[3])]


def test_multi_member_gzip():
    data = gzip.compress("الجزء الأول ".encode()) + gzip.compress("والثاني".encode())
    assert parse_file("x.txt.gz", data).records[0].text == "الجزء الأول والثاني"


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_zip_unsafe_members_are_quarantined_with_their_bytes_and_good_ones_load():
    link = zipfile.ZipInfo("ln")
    link.create_system, link.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
    fifo = zipfile.ZipInfo("fifo")
    fifo.create_system, fifo.external_attr = 3, (stat.S_IFIFO | 0o644) << 16
    data = zip_of(("../evil.txt", b"pwned"), ("/abs.txt", b"abs"), ("a/../../up.txt", b"up"), ("C:\\win.txt", b"w"),
                  (link, b"/etc/passwd"), (fifo, b""), ("good.txt", SEED_TEXTS[0].encode()),
                  ("good.txt", SEED_TEXTS[1].encode()))
    f = parse_file("z.zip", data)
    got = outcome(f)
    assert got.pop("z.zip!good.txt#0") == "article"
    assert set(got.values()) == {"q:unsafe_member"}
    assert set(got) == {f"z.zip!{n}" for n in ("../evil.txt", "/abs.txt", "a/../../up.txt", "C:\\win.txt", "ln",
                                                "fifo", "good.txt")}
    raw = {q.source_file: q.raw for q in f.quarantined}
    assert raw["z.zip!../evil.txt"] == b"pwned" and raw["z.zip!ln"] == b"/etc/passwd"
    assert raw["z.zip!good.txt"] == SEED_TEXTS[1].encode()  # the duplicate name, kept


def test_tar_unsafe_members():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in (("../../etc/passwd", b"root:x"), ("/etc/shadow", b"root:*"), ("ok/a.txt", SEED_TEXTS[0].encode())):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
        for name, kind in (("ok/sym", tarfile.SYMTYPE), ("ok/hard", tarfile.LNKTYPE), ("ok/dev", tarfile.CHRTYPE),
                           ("ok/blk", tarfile.BLKTYPE), ("ok/fifo", tarfile.FIFOTYPE)):
            ti = tarfile.TarInfo(name)
            ti.type, ti.linkname = kind, "/etc/passwd"
            tf.addfile(ti)
        ti = tarfile.TarInfo("ok/dir")
        ti.type = tarfile.DIRTYPE
        tf.addfile(ti)
    f = parse_file("t.tgz", buf.getvalue())
    got = outcome(f)
    assert got.pop("t.tgz!ok/a.txt#0") == "article"
    assert got == {f"t.tgz!{n}": "q:unsafe_member" for n in ("../../etc/passwd", "/etc/shadow", "ok/sym", "ok/hard",
                                                            "ok/dev", "ok/blk", "ok/fifo")}
    raw = {q.source_file: q.raw for q in f.quarantined}
    assert raw["t.tgz!ok/sym"] == b"/etc/passwd" and raw["t.tgz!/etc/shadow"] == b"root:*"


def test_zip_bomb_trips_the_ratio_cap_and_quarantines_the_whole_file():
    data = zip_of(("zeros.txt", bytes(8 << 20)), ("fine.txt", SEED_TEXTS[0].encode()))
    assert len(data) < 100_000
    f = parse_file("bomb.zip", data)
    assert f.reason == "decompression_bomb" and "ratio" in f.quarantined[0].detail and f.records == []
    assert f.quarantined[0].raw == data


def test_small_high_ratio_members_are_fine():
    # under ratio_min_bytes a high ratio is normal (a page of repeated chrome compresses well)
    f = parse_file("ok.zip", zip_of(("a.txt", ("خبر " * 100_000).encode())))
    assert f.reason is None and len(f.records) == 1


@pytest.mark.parametrize("limits,detail", [
    (Limits(max_member_bytes=5_000, max_ratio=1e9), "member over"),
    (Limits(max_uncompressed=15_000, max_ratio=1e9), "uncompressed bytes"),
    (Limits(max_members=2), "members"),
])
def test_bomb_caps(limits, detail):
    data = zip_of(*((f"{i}.txt", SEED_TEXTS[i].encode()) for i in range(3)))
    f = parse_file("z.zip", data, limits)
    assert f.reason == "decompression_bomb" and detail in f.quarantined[0].detail


def test_gzip_bomb_and_tar_gz_bomb():
    gz = gzip.compress(bytes(8 << 20))
    assert parse_file("z.txt.gz", gz).reason == "decompression_bomb"
    assert parse_file("z.tar.gz", tar_of(("zeros.txt", bytes(8 << 20)), gz=True)).reason == "decompression_bomb"


def test_nesting_depth():
    doll = zip_of(("core.txt", SEED_TEXTS[0].encode()))
    for i in range(2):
        doll = zip_of((f"l{i}.zip", doll))
    assert parse_file("three.zip", doll).records[0].source_file == "three.zip!l1.zip!l0.zip!core.txt"
    f = parse_file("four.zip", zip_of(("l2.zip", doll)))
    assert f.reason == "decompression_bomb" and "nested" in f.quarantined[0].detail


@pytest.mark.parametrize("name,data", [
    ("c.zip", zip_of(("a.txt", b"x"))[:-10]), ("c.zip", b"PK\x03\x04" + b"\x00" * 50), ("c.gz", b"\x1f\x8b\x08garbage"),
    ("c.txt.gz", gzip.compress(b"abc" * 100)[:-12]), ("c.tar.gz", tar_of(("a.txt", SEED_TEXTS[0].encode()), gz=True)[:300]),
    ("c.tar", b"\x00\x01" * 600),
])
def test_corrupt_archives(name, data):
    f = parse_file(name, data)
    assert f.reason == "corrupt_archive" and f.quarantined[0].raw == data


def test_corrupt_nested_archive_quarantines_only_that_member():
    bad = zip_of(("a.txt", b"x"))[:-10]
    f = parse_file("o.zip", zip_of(("bad.zip", bad), ("ok.txt", SEED_TEXTS[0].encode())))
    assert outcome(f) == {"o.zip!bad.zip": "q:corrupt_archive", "o.zip!ok.txt#0": "article"}
    assert f.quarantined[0].raw == bad


def test_unsupported_and_undecodable_members_keep_their_bytes():
    pdf = b"%PDF-1.4 fake"
    f = parse_file("m.zip", zip_of(("doc.pdf", pdf), ("junk.txt", bytes(range(256))), ("empty.txt", b""),
                                   ("ok.txt", SEED_TEXTS[4].encode())))
    assert outcome(f) == {"m.zip!doc.pdf": "q:unsupported_format", "m.zip!junk.txt": "q:binary",
                          "m.zip!empty.txt": "q:empty", "m.zip!ok.txt#0": "article"}
    assert {q.source_file: q.raw for q in f.quarantined}["m.zip!doc.pdf"] == pdf


def test_utf8_member_names_without_the_utf8_flag():
    data = bytearray(zip_of(("أخبار.txt", SEED_TEXTS[0].encode())))
    data[7] &= ~0x08  # clear the UTF-8 flag (bit 11) in the local header ...
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 9] &= ~0x08  # ... and in the central directory, as many zip tools write it
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        assert zf.namelist() != ["أخبار.txt"]  # Python alone reads it as cp437 mojibake
    f = parse_file("n.zip", bytes(data))
    assert f.records[0].source_file == "n.zip!أخبار.txt"


def test_encrypted_zip_member_is_unsupported_with_its_stored_bytes():
    data = bytearray(zip_of(("secret.txt", SEED_TEXTS[0].encode()), method=zipfile.ZIP_STORED))
    data[6] |= 1  # local header flag
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 8] |= 1  # central directory flag
    f = parse_file("e.zip", bytes(data))
    [q] = f.quarantined
    assert q.reason_code == "unsupported_format" and q.raw == SEED_TEXTS[0].encode()


# ------------------------------------------------------------------------------------------ properties

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                               st.sampled_from(["title", "text", "content", "body", "author", "date", "url", "x"]),
                               kids, max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, max_size=8))
def test_property_every_array_element_becomes_exactly_one_record_or_quarantine(items):
    out = json_records("f.json", json.dumps(items), "json")
    assert [x.source_record for x in out] == list(range(len(items)))
    for item, x in zip(items, out, strict=True):
        if isinstance(x, RawRecord):
            assert isinstance(item, dict) and x.text.strip()
        else:
            assert x.reason_code in {"not_object", "no_body"} and x.raw


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.json", "a.jsonl", "a.html", "a.zip", "a.gz", "a.tar.gz",
                                                 "a.tar", "a.bin"]))
def test_property_parse_file_never_raises_and_loses_nothing(data, name):
    f = parse_file(name, data)
    assert f.bytes == len(data)
    if f.reason is not None:
        assert f.records == [] and [q.raw for q in f.quarantined] == [data]
    else:
        assert all(isinstance(q, Quarantined) for q in f.quarantined)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab./\\:C", min_size=1, max_size=8), min_size=1, max_size=5, unique=True))
def test_property_zip_members_escaping_the_folder_never_load(names):
    data = zip_of(*((n, SEED_TEXTS[0].encode()) for n in names))
    f = parse_file("p.zip", data)
    if f.reason is not None:
        return
    loaded = {r.source_file.split("!", 1)[1] for r in f.records}
    for name in loaded:
        norm = name.replace("\\", "/")
        assert not norm.startswith("/") and ".." not in norm.split("/") and unsafe_member_name(name) is None


def test_json_records_raise_only_format_problems():
    with pytest.raises(FormatProblem):
        json_records("f.json", "{", "json")


# ------------------------------------------------------------------------------------------ dev corpus

def corpus_zips() -> list[Path]:
    return sorted(CORPUS.glob("*.zip")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not corpus_zips(), reason="dev corpus ../shared/corpora/saudinewsnet-dev absent")
@pytest.mark.parametrize("path", corpus_zips()[:3], ids=lambda p: p.name)
def test_dev_corpus_zip_parses_every_record(path):
    data = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        [member] = zf.namelist()
        raw = json.loads(zf.read(member))
    f = parse_file(path.name, data)
    assert f.reason is None and len(f.records) + len(f.quarantined) == len(raw)
    blank = {i for i, obj in enumerate(raw) if not (obj.get("content") or "").strip()}
    assert {q.source_record for q in f.quarantined} == blank
    assert {q.reason_code for q in f.quarantined} <= {"no_body"}
    first = next(i for i in range(len(raw)) if i not in blank)
    r = f.records[0]
    assert (r.source_file, r.source_record) == (f"{path.name}!{member}", first)
    assert (r.title, r.text, r.url, r.date, r.source) == (raw[first]["title"].strip(), raw[first]["content"].strip(),
                                                          raw[first]["url"], raw[first]["date_extracted"],
                                                          raw[first]["source"])
    assert r.author == ((raw[first].get("author") or "").strip() or None)
