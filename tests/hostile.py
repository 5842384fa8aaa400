"""A landing folder of hostile and awkward inputs, with what khabar must make of each.

``build_hostile_landing(root)`` fills ``root`` and returns the expected outcome per ``source_file``:

- a landing file (``rel`` path, no ``!`` and no ``#``) → its ``ingest_files`` status:
  ``"loaded"``, ``"skipped"`` or ``"quarantined:<reason_code>"``;
- one record of a loaded file (``"<source_file>#<source_record>"``; ``source_file`` may be an archive member
  like ``archives/a.zip!good.txt``) → ``"article"``, ``"article:escaped"`` (it loads, and its literal markup
  must appear escaped in the report), or ``"quarantined:<reason_code>"``;
- a whole archive member (``"<archive>!<member>"``, no ``#``) → ``"quarantined:<reason_code>"``.

Every good article is real Arabic news text from ``seeds/raw`` (re-encoded, wrapped, re-keyed).
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
import stat
import tarfile
import zipfile
from pathlib import Path

from transforms.formats import Limits

ROOT = Path(__file__).resolve().parent.parent
SEEDS_RAW = ROOT / "seeds" / "raw"
XSS_LITERAL = "<img src=x onerror=alert(document.title)>"


def seed_texts() -> list[str]:
    """The five sample articles as text (headline line, dateline, paragraphs)."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS_RAW.glob("*.txt"))]


def _split(text: str) -> tuple[str, str]:
    """(headline, rest): the first non-empty line and everything after it."""
    lines = text.strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _zip_bytes(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return buf.getvalue()


def _zip_symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def _tar_gz_bytes(build) -> bytes:  # noqa: ANN001 - a callback adding members to an open TarFile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        build(tf)
    return buf.getvalue()


def _html_page(title: str, paragraphs: list[str], charset: str, extra: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="{charset}">'
            f"<title>{title}</title></head>\n<body><nav><a href='/'>الرئيسية</a></nav>\n"
            f"<article><h1>{title}</h1>\n{body}\n{extra}</article>\n<footer>جميع الحقوق محفوظة</footer></body></html>")


def build_hostile_landing(root: Path, big_bytes: int | None = None) -> dict[str, str]:
    """Create the hostile landing folder under ``root``; return the expected outcome per source_file.

    ``big_bytes`` is the size of the sparse ``huge.txt`` (default: one byte over the default file cap, so
    it takes no disk space but must be refused as ``oversized``).
    """
    root.mkdir(parents=True, exist_ok=True)
    seeds = seed_texts()
    s = [_split(t) for t in seeds]
    expected: dict[str, str] = {}

    def put(rel: str, data: bytes, status: str, records: dict[str, str] | None = None) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[rel] = status
        for key, value in (records or {}).items():
            expected[key] = value

    # --- plain text in every encoding the contract names
    put("text/good_utf8.txt", seeds[0].encode("utf-8"), "loaded", {"text/good_utf8.txt#0": "article"})
    put("text/bom_utf8.txt", codecs.BOM_UTF8 + seeds[1].encode("utf-8"), "loaded",
        {"text/bom_utf8.txt#0": "article"})
    put("text/utf16le_bom.txt", codecs.BOM_UTF16_LE + seeds[2].encode("utf-16-le"), "loaded",
        {"text/utf16le_bom.txt#0": "article"})
    put("text/utf16be_bom.txt", codecs.BOM_UTF16_BE + seeds[3].encode("utf-16-be"), "loaded",
        {"text/utf16be_bom.txt#0": "article"})
    put("text/windows1256.txt", seeds[4].encode("cp1256"), "loaded", {"text/windows1256.txt#0": "article"})
    xss_text = (f"{s[1][0]}\n\nدمشق-سانا\n\n{_paragraphs(s[1][1])[1]}\n\n"
                f"وكتب أحد المعلقين على الموقع العبارة التالية حرفياً {XSS_LITERAL} في محاولة لاختراق الصفحة.\n\n"
                f"{_paragraphs(s[1][1])[-1]}\n")
    put("text/xss_body.txt", xss_text.encode("utf-8"), "loaded", {"text/xss_body.txt#0": "article:escaped"})
    put("text/empty.txt", b"", "quarantined:empty")
    put("text/junk.txt", random.Random(1256).randbytes(4096), "quarantined:binary")
    put("report.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        "quarantined:unsupported_format")

    # --- HTML: a Windows-1256 page that says so, and a page with live markup inside the article
    paras0 = _paragraphs(s[0][1])
    put("html/page_cp1256.html", _html_page(s[0][0], paras0, "windows-1256").encode("cp1256"), "loaded",
        {"html/page_cp1256.html#0": "article"})
    paras3 = _paragraphs(s[3][1])
    xss_paras = [paras3[0] + " <img src=x onerror=alert(1)>", *paras3[1:4],
                 "<script>alert(document.cookie)</script>" + paras3[4]]
    put("html/xss_page.html", _html_page(s[3][0], xss_paras, "utf-8",
                                         extra="<noscript><img src=x onerror=alert(2)></noscript>").encode(),
        "loaded", {"html/xss_page.html#0": "article"})

    # --- scraper JSON: every field spelling, a non-object and a record without body
    feed = [
        {"headline": s[0][0], "maintext": s[0][1], "authors": ["سانا"], "date_publish": "2016-09-05 10:00:00",
         "source_domain": "sana.sy", "url": "https://sana.sy/?p=1"},
        {"title": s[1][0], "content": s[1][1], "author": "موسكو-سانا", "date": "2016-09-06", "source": "sana"},
        {"head_line": s[3][0], "body": s[3][1], "byline": "وكالات", "published": "2016-09-07T08:00:00+03:00",
         "url": "https://example.com/a/3"},
        42,
        {"title": "خبر بلا نص", "url": "https://example.com/a/5"},
    ]
    put("json/feed_array.json", json.dumps(feed, ensure_ascii=False, indent=1).encode(), "loaded",
        {"json/feed_array.json#0": "article", "json/feed_array.json#1": "article",
         "json/feed_array.json#2": "article", "json/feed_array.json#3": "quarantined:not_object",
         "json/feed_array.json#4": "quarantined:no_body"})
    lines = [json.dumps({"title": s[4][0], "text": s[4][1], "date_extracted": "2016-09-08 12:00:00",
                         "source": "sana.sy"}, ensure_ascii=False),
             '{"title": "سطر مقطوع", "content": "لم يكتمل',
             json.dumps({"Headline": s[0][0], "Body": s[0][1]}, ensure_ascii=False)]
    put("json/feed_lines.jsonl", ("\n".join(lines) + "\n").encode(), "loaded",
        {"json/feed_lines.jsonl#0": "article", "json/feed_lines.jsonl#1": "quarantined:invalid_json",
         "json/feed_lines.jsonl#2": "article"})
    put("json/single_object.json", json.dumps({"head_line": s[1][0], "content": s[1][1], "url": "https://sana.sy/?p=2"},
                                              ensure_ascii=False).encode(), "loaded",
        {"json/single_object.json#0": "article"})
    put("json/broken.json", b'[{"title": "\xd8\xae\xd8\xa8\xd8\xb1", "content": ]', "quarantined:invalid_json")

    # --- archives
    good_member = seeds[3].encode("utf-8")
    put("archives/zip_slip.zip", _zip_bytes([("../evil.txt", b"owned\n"), ("good.txt", good_member),
                                              _zip_symlink("link_to_passwd", "/etc/passwd")]), "loaded",
        {"archives/zip_slip.zip!../evil.txt": "quarantined:unsafe_member",
         "archives/zip_slip.zip!link_to_passwd": "quarantined:unsafe_member",
         "archives/zip_slip.zip!good.txt#0": "article"})

    def traps(tf: tarfile.TarFile) -> None:
        for name, data in (("../../etc/passwd", b"root:x:0:0::/root:/bin/sh\n"), ("/etc/shadow", b"root:*:1::\n"),
                           ("news/good.txt", good_member)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
        for name, kind, target in (("news/sym", tarfile.SYMTYPE, "/etc/passwd"),
                                   ("news/hard", tarfile.LNKTYPE, "news/good.txt"),
                                   ("news/null", tarfile.CHRTYPE, "")):
            ti = tarfile.TarInfo(name)
            ti.type, ti.linkname, ti.devmajor, ti.devminor = kind, target, 1, 3
            tf.addfile(ti)

    put("archives/tar_traps.tar.gz", _tar_gz_bytes(traps), "loaded",
        {"archives/tar_traps.tar.gz!../../etc/passwd": "quarantined:unsafe_member",
         "archives/tar_traps.tar.gz!/etc/shadow": "quarantined:unsafe_member",
         "archives/tar_traps.tar.gz!news/sym": "quarantined:unsafe_member",
         "archives/tar_traps.tar.gz!news/hard": "quarantined:unsafe_member",
         "archives/tar_traps.tar.gz!news/null": "quarantined:unsafe_member",
         "archives/tar_traps.tar.gz!news/good.txt#0": "article"})
    # 20 MB of zeros deflate to ~20 KB: ratio ~1000 trips the ratio cap long before any size cap
    put("archives/bomb.zip", _zip_bytes([("zeros.txt", bytes(20 << 20)), ("fine.txt", seeds[0].encode())]),
        "quarantined:decompression_bomb")
    put("archives/story.txt.gz", gzip.compress(seeds[2].encode("utf-8"), mtime=0), "loaded",
        {"archives/story.txt.gz!story.txt#0": "article"})
    inner = _zip_bytes([("deep.txt", seeds[4].encode("utf-8"))])
    put("archives/nested.zip", _zip_bytes([("inner.zip", inner)]), "loaded",
        {"archives/nested.zip!inner.zip!deep.txt#0": "article"})
    doll = _zip_bytes([("core.txt", seeds[1].encode("utf-8"))])
    for level in range(4):  # four containers deep: one more than Limits.max_depth
        doll = _zip_bytes([(f"level{level}.zip", doll)])
    put("archives/matryoshka.zip", doll, "quarantined:decompression_bomb")
    whole = _zip_bytes([("a.txt", seeds[0].encode()), ("b.txt", seeds[1].encode())])
    put("archives/truncated.zip", whole[: len(whole) // 2], "quarantined:corrupt_archive")
    put("archives/disguised.txt", _zip_bytes([("inside.txt", seeds[3].encode("utf-16"))]), "loaded",
        {"archives/disguised.txt!inside.txt#0": "article"})

    # --- things that are not plain files
    os.symlink("/etc/passwd", root / "passwd_link.txt")
    expected["passwd_link.txt"] = "quarantined:link_outside_landing"
    os.symlink("text/good_utf8.txt", root / "zz_alias.txt")  # same bytes as its target: counted once
    expected["zz_alias.txt"] = "skipped"
    os.mkfifo(root / "pipe.txt")
    expected["pipe.txt"] = "quarantined:not_regular_file"
    with open(root / "huge.txt", "wb") as fh:  # sparse: no disk used
        fh.truncate(big_bytes if big_bytes is not None else Limits().max_file_bytes + 1)
    expected["huge.txt"] = "quarantined:oversized"
    return expected


def expected_files(expected: dict[str, str]) -> dict[str, str]:
    """Only the landing-file keys of an expected dict (their ``ingest_files`` status)."""
    return {k: v for k, v in expected.items() if "!" not in k and "#" not in k}
