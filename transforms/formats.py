"""Input formats: one file's bytes → article-shaped records, quarantined pieces and file facts.

Pure: takes bytes, returns :class:`~transforms.types.IngestedFile`; never touches the filesystem. Archive
members are read into memory only (nothing is ever extracted to disk), so a member called
``../../etc/passwd`` is just a string here; it is still quarantined as ``unsafe_member``.

Format detection (:func:`detect_format`): binary signatures win over the name (a ``.txt`` that is really
a zip is opened as the zip it is, and ``format`` says ``zip``; a ``.txt`` that is really a PDF is
``unknown`` → ``unsupported_format``), then the extension, then a ``<!doctype html``/``<html`` start
(for ``.txt`` dumps of whole pages and extension-less pages). Everything else is ``unknown``.

Reason codes. File level (``IngestedFile.reason``, whole file quarantined with its bytes): ``oversized``,
``empty``, ``binary``, ``undecodable``, ``invalid_json`` (also JSON nested deeper than the parser's stack),
``not_object`` (JSON top level is a scalar), ``unsupported_format``, ``corrupt_archive``,
``decompression_bomb``. Record / member level (the rest of the file loads): ``no_body``, ``not_object``,
``invalid_json`` (one JSONL line), ``nested_too_deep`` (one JSON record nested deeper than
``Limits.max_json_depth``), ``oversized_record`` (one record over ``Limits.max_record_bytes``),
``unsafe_member``, ``unsupported_format``, and any file-level decode/JSON/archive reason applied to one
archive member. A decompression bomb anywhere inside an archive quarantines the whole top-level file: its
bytes on disk are small and kept, and nothing inside a hostile archive is trusted.

Decisions taken once, here, at decode time:

- JSON numbers are kept as the text they were written as (:class:`JsonNumber`): no field of khabar's is
  numeric, and converting would fail on integers of more than 4,300 digits (Python's limit).
- A JSON string escape of a lone UTF-16 surrogate (``"\\ud800"``, what a scraper writes when it cuts an emoji
  in half) cannot be stored as UTF-8: each one becomes U+FFFD, and the rest of the record loads.
- Characters XML forbids (C0 controls but tab and line breaks, U+FFFE, U+FFFF) are removed from HTML
  before it is parsed: lxml refuses them, and none of them is text.
- One record's size is capped (``Limits.max_record_bytes``: a ``.txt`` or HTML page's bytes, or the text
  fields of one JSON record) so the time and memory of cleaning and extraction stay bounded by the cap, and
  JSON records are nested at most ``Limits.max_json_depth`` deep (deeper ones are not article-shaped).
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import struct
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import trafilatura

from transforms.decode import UndecodableError, decode_bytes, sniff_declared_charset
from transforms.types import IngestedFile, Quarantined, RawRecord

MiB = 1 << 20
CONTAINERS = frozenset({"zip", "gz", "tar", "tar.gz"})
TEXT_FORMATS = frozenset({"txt", "html", "json", "jsonl"})

# name suffix → format; longest suffixes first so ".tar.gz" beats ".gz"
_EXTENSIONS = (
    (".tar.gz", "tar.gz"), (".tgz", "tar.gz"), (".tar", "tar"), (".gz", "gz"), (".zip", "zip"),
    (".txt", "txt"), (".text", "txt"), (".html", "html"), (".htm", "html"), (".xhtml", "html"),
    (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"),
)
# binary signatures: containers we open, and formats we recognise only to refuse
_MAGIC = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"PK\x07\x08", "zip"), (b"\x1f\x8b", "gz"),
    (b"%PDF-", "unknown"), (b"\x89PNG\r\n\x1a\n", "unknown"), (b"\xff\xd8\xff", "unknown"),
    (b"GIF87a", "unknown"), (b"GIF89a", "unknown"), (b"\xfd7zXZ\x00", "unknown"),
    (b"7z\xbc\xaf\x27\x1c", "unknown"), (b"Rar!\x1a\x07", "unknown"), (b"\x28\xb5\x2f\xfd", "unknown"),
    (b"\x7fELF", "unknown"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unknown"), (b"SQLite format 3\x00", "unknown"),
    (b"PAR1", "unknown"),
)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)

# JSON field spellings, in order of preference (keys are matched case-insensitively)
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "head_line", "headline"),
    "text": ("content", "text", "maintext", "body", "article_body", "articlebody"),
    "author": ("author", "authors", "byline"),
    "url": ("url", "link", "canonical_url"),
    "date": ("date", "date_publish", "published", "date_extracted", "date_published", "published_at",
             "pubdate", "datetime"),
    "source": ("source", "source_domain", "sitename", "site", "outlet"),
}
_LIST_KEYS = ("articles", "items", "data", "results", "entries", "posts")
_BODY_KEYS = frozenset(FIELDS["text"])

# elements whose content is code, raw text or widgets, never article prose (textarea/noscript/xmp are raw
# text in HTML parsing, so their "text" would be live markup)
_DROP = ("script", "style", "noscript", "textarea", "template", "iframe", "object", "embed", "svg", "math",
         "applet", "frame", "frameset", "noembed", "noframes", "xmp", "plaintext", "select", "button")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
                     "table", "tr", "section", "article", "header", "footer", "figure", "figcaption", "aside",
                     "nav", "main", "dl", "dt", "dd", "hr", "address", "caption", "center"})
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--.*?-->|<![A-Za-z][^<>]*>", re.S)
_LOOKS_HTML = re.compile(r"<(?:p|div|br|span|a|img|script|style|iframe|h[1-6]|ul|ol|li|strong|em|b|i|figure"
                         r"|blockquote|table|svg|object|embed|noscript)\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")
_SAFE_URL = re.compile(r"^(?:https?:)?//|^[\w.-]+\.[a-z]{2,}(?:/|$)", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_META_DATE = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished' or @name='pubdate'"
    " or @name='publishdate' or @name='DC.date.issued' or @name='dc.date' or @name='date'"
    " or @name='parsely-pub-date' or @name='sailthru.date']/@content"
    " | //*[@itemprop='datePublished']/@datetime | //time[@pubdate]/@datetime | //article//time/@datetime"
)
_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class Limits:
    """Caps that keep one hostile input from exhausting the machine (sizes in bytes)."""

    max_file_bytes: int = 256 * MiB  # a landing file larger than this is 'oversized', never read
    max_uncompressed: int = 512 * MiB  # all decompressed bytes of one landing file together
    max_member_bytes: int = 256 * MiB  # one archive member, decompressed
    max_ratio: float = 200.0  # decompressed / compressed, checked for outputs over ratio_min_bytes
    ratio_min_bytes: int = 1 * MiB
    max_depth: int = 3  # archives inside archives: at most this many levels of containers
    max_members: int = 100_000  # members of all archives of one landing file together
    # One record: a .txt or HTML page (its bytes), or one JSON record's text fields (UTF-8 bytes). 4 MiB is
    # ~50 times the longest real news article; extraction is linear, ~2 s per MiB.
    max_record_bytes: int = 4 * MiB
    max_json_depth: int = 64  # containers inside one JSON record (scraper records nest a few levels)


class FormatProblem(Exception):
    """The current file or member cannot be read as what it claims to be."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class _Bomb(FormatProblem):
    """A decompression cap was exceeded: quarantines the whole top-level file."""

    def __init__(self, detail: str) -> None:
        super().__init__("decompression_bomb", detail)


@dataclass
class _Budget:
    limits: Limits
    left: int
    members: int = 0

    def count(self, n: int) -> None:
        self.members += n
        if self.members > self.limits.max_members:
            raise _Bomb(f"more than {self.limits.max_members} archive members")

    def allowance(self, compressed: int, per_member: bool) -> tuple[int, str]:
        """How many bytes the next decompression may produce, and which cap that is."""
        lim = self.limits
        caps = [(self.left, f"over {lim.max_uncompressed} uncompressed bytes in one file")]
        if per_member:
            caps.append((lim.max_member_bytes, f"member over {lim.max_member_bytes} bytes"))
        ratio_cap = max(lim.ratio_min_bytes, int(lim.max_ratio * max(compressed, 1)))
        caps.append((ratio_cap, f"compression ratio over {lim.max_ratio:g} ({compressed} bytes compressed)"))
        return min(caps)

    def spend(self, n: int) -> None:
        self.left -= n


@dataclass
class _Out:
    records: list[RawRecord] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    encodings: set[str] = field(default_factory=set)

    def merge(self, other: _Out) -> None:
        self.records.extend(other.records)
        self.quarantined.extend(other.quarantined)
        self.encodings |= other.encodings


# ----------------------------------------------------------------------------------------------- detection

def detect_format(name: str, head: bytes) -> str:
    """``txt``, ``html``, ``json``, ``jsonl``, ``zip``, ``gz``, ``tar``, ``tar.gz`` or ``unknown``.

    >>> detect_format("a/b.JSON", b"[{}]"), detect_format("x.tgz", b"\\x1f\\x8b"), detect_format("n.txt", b"PK\\x03\\x04")
    ('json', 'tar.gz', 'zip')
    >>> detect_format("report.txt", b"%PDF-1.7"), detect_format("page", b"<!DOCTYPE html><html>")
    ('unknown', 'html')
    >>> detect_format("dump.txt", b"<html lang=ar>"), detect_format("notes.docx", b"hello")
    ('html', 'unknown')
    """
    base = name.rsplit("!", 1)[-1].lower()
    by_name = next((fmt for suffix, fmt in _EXTENSIONS if base.endswith(suffix)), None)
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            if fmt == "gz" and by_name == "tar.gz":
                return "tar.gz"
            return fmt
    if head[257:262] == b"ustar":
        return "tar"
    if by_name in (None, "txt") and _HTML_START.match(head):
        return "html"
    return by_name or "unknown"


# ------------------------------------------------------------------------------------------------- entry

def parse_file(name: str, data: bytes, limits: Limits | None = None) -> IngestedFile:
    """One landing file's bytes → its records and quarantined pieces (``reason`` set when all of it is rejected).

    >>> f = parse_file("a.json", '[{"headline": "عنوان", "maintext": "نص الخبر"}, 7]'.encode())
    >>> f.format, f.encoding, [(r.title, r.text) for r in f.records], [(q.source_record, q.reason_code) for q in f.quarantined]
    ('json', 'utf-8', [('عنوان', 'نص الخبر')], [(1, 'not_object')])
    >>> parse_file("e.txt", b"").reason
    'empty'
    """
    limits = limits or Limits()
    fmt = detect_format(name, data[:1024])
    result = IngestedFile(source_file=name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data),
                          format=fmt, encoding=None)
    if len(data) > limits.max_file_bytes:
        return _reject(result, "oversized", f"{len(data)} bytes > {limits.max_file_bytes}", data)
    out = _Out()
    try:
        _parse(name, data, fmt, 0, _Budget(limits, limits.max_uncompressed), out)
    except FormatProblem as p:
        return _reject(result, p.reason, p.detail, data)
    result.records, result.quarantined = out.records, out.quarantined
    result.encoding = ",".join(sorted(out.encodings)) or None
    return result


def _reject(result: IngestedFile, reason: str, detail: str, data: bytes) -> IngestedFile:
    result.reason = reason
    result.quarantined = [Quarantined(result.source_file, None, reason, detail, data)]
    return result


def _parse(source: str, data: bytes, fmt: str, depth: int, budget: _Budget, out: _Out) -> None:
    if fmt in CONTAINERS:
        if depth >= budget.limits.max_depth:
            raise _Bomb(f"archives nested more than {budget.limits.max_depth} deep")
        if fmt == "zip":
            _zip(source, data, depth + 1, budget, out)
        elif fmt == "tar":
            _tar(source, data, depth + 1, budget, out)
        elif fmt == "tar.gz":
            _tar(source, _gunzip(data, budget, per_member=False), depth + 1, budget, out)
        else:
            inner = source.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
            inner = inner[:-3] if inner.lower().endswith(".gz") else inner
            payload = _gunzip(data, budget, per_member=True)
            _member(f"{source}!{inner}", inner, payload, depth + 1, budget, out)
        return
    if fmt == "unknown":
        raise FormatProblem("unsupported_format", "not txt, html, json, jsonl, zip, gz, tar or tar.gz")
    limit = budget.limits.max_record_bytes
    if fmt in ("txt", "html") and len(data) > limit:  # one page is one record: refused before decoding
        out.quarantined.append(Quarantined(source, 0, "oversized_record",
                                           f"a {fmt} page of {len(data)} bytes > {limit}", data))
        return
    text, encoding = _decode(data, sniff_declared_charset(data) if fmt == "html" else None)
    out.encodings.add(encoding)
    if fmt == "txt":
        out.records.append(RawRecord(source, 0, "txt", text, is_page=True))
    elif fmt == "html":
        rec = html_record(source, text)
        if isinstance(rec, Quarantined):
            rec.raw = data
            out.quarantined.append(rec)
        else:
            out.records.append(rec)
    else:
        for item in json_records(source, text, fmt, budget.limits):
            (out.quarantined if isinstance(item, Quarantined) else out.records).append(item)


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    try:
        return decode_bytes(data, declared)
    except UndecodableError as exc:
        raise FormatProblem(exc.reason_code, exc.detail) from None


def _member(source: str, name: str, data: bytes, depth: int, budget: _Budget, out: _Out) -> None:
    """Parse one archive member; its own problems quarantine just it (bombs propagate to the file)."""
    mine = _Out()
    try:
        _parse(source, data, detect_format(name, data[:1024]), depth, budget, mine)
    except _Bomb:
        raise
    except FormatProblem as p:
        out.quarantined.append(Quarantined(source, None, p.reason, p.detail, data))
        return
    out.merge(mine)


# --------------------------------------------------------------------------------------------- containers

def unsafe_member_name(name: str) -> str | None:
    """Why an archive member's path would escape an extraction folder, or ``None`` when it is safe.

    >>> [unsafe_member_name(n) for n in ("a/b.txt", "../evil.txt", "/etc/passwd", "C:\\\\x", "a/../../b")]
    [None, "'..' component", 'absolute path', 'absolute path', "'..' component"]
    """
    if not name or "\x00" in name:
        return "empty name or NUL in name"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or re.match(r"[A-Za-z]:", norm):
        return "absolute path"
    if ".." in norm.split("/"):
        return "'..' component"
    return None


def _safe_text(name: str) -> str:
    """A member name as valid UTF-8 text (undecodable bytes shown as escapes, never lone surrogates)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _gunzip(data: bytes, budget: _Budget, per_member: bool) -> bytes:
    """Decompress a (possibly multi-member) gzip stream, stopping as soon as a cap is passed."""
    allowed, cap = budget.allowance(len(data), per_member)
    parts: list[bytes] = []
    produced = 0
    rest: bytes | memoryview = memoryview(data)
    try:
        while True:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk = d.decompress(rest, allowed + 1 - produced)
            produced += len(chunk)
            parts.append(chunk)
            if produced > allowed:
                raise _Bomb(cap)
            if not d.eof:
                raise FormatProblem("corrupt_archive", "truncated gzip stream")
            rest = d.unused_data
            if not rest.strip(b"\x00"):
                break
            if not rest.startswith(b"\x1f\x8b"):
                raise FormatProblem("corrupt_archive", "trailing garbage after gzip stream")
    except zlib.error as exc:
        raise FormatProblem("corrupt_archive", f"gzip: {exc}") from None
    budget.spend(produced)
    return b"".join(parts)


def _zip_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: zipfile read it as cp437; many tools wrote UTF-8 anyway
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return _safe_text(name)


def _zip_stored_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes exactly as stored (compressed/encrypted), for quarantining what we cannot open."""
    off = info.header_offset
    if data[off:off + 4] != b"PK\x03\x04":
        return b""
    name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    start = off + 30 + name_len + extra_len
    return data[start:start + info.compress_size]


def _zip_member_problem(info: zipfile.ZipInfo) -> str | None:
    if info.create_system == 3:  # Unix: the high 16 bits are st_mode
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            return "symbolic link member"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            return "device or special file member"
    return None


def _zip(source: str, data: bytes, depth: int, budget: _Budget, out: _Out) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise FormatProblem("corrupt_archive", f"zip: {exc}") from None
    budget.count(len(infos))
    seen: set[str] = set()
    with zf:
        for info in infos:
            if info.is_dir():
                continue
            name = _zip_name(info)
            member = f"{source}!{name}"
            problem = unsafe_member_name(name) or _zip_member_problem(info)
            if name in seen:  # two members with one name would give two articles one id
                problem = "duplicate member name"
            seen.add(name)
            if info.flag_bits & 0x1:
                out.quarantined.append(Quarantined(member, None, "unsupported_format", "encrypted zip member",
                                                   _zip_stored_bytes(data, info)))
                continue
            allowed, cap = budget.allowance(info.compress_size, per_member=True)
            try:
                with zf.open(info) as fh:
                    payload = fh.read(allowed + 1)
            except NotImplementedError as exc:  # a compression method Python cannot read
                out.quarantined.append(Quarantined(member, None, "unsupported_format", f"zip: {exc}",
                                                   _zip_stored_bytes(data, info)))
                continue
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
                    struct.error) as exc:
                raise FormatProblem("corrupt_archive", f"zip member {name}: {exc}") from None
            if len(payload) > allowed:
                raise _Bomb(f"{name}: {cap}")
            budget.spend(len(payload))
            if problem:
                out.quarantined.append(Quarantined(member, None, "unsafe_member", problem, payload))
                continue
            _member(member, name, payload, depth, budget, out)


def _tar(source: str, data: bytes, depth: int, budget: _Budget, out: _Out) -> None:
    max_member = budget.limits.max_member_bytes
    seen: set[str] = set()
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
            for ti in tf:
                budget.count(1)
                if ti.isdir():
                    continue
                name = _safe_text(ti.name)
                member = f"{source}!{name}"
                if ti.issym() or ti.islnk():
                    kind = "symbolic" if ti.issym() else "hard"
                    out.quarantined.append(Quarantined(member, None, "unsafe_member",
                                                       f"{kind} link to {_safe_text(ti.linkname)}",
                                                       _safe_text(ti.linkname).encode("utf-8")))
                    continue
                if not ti.isreg():  # character/block devices, FIFOs, anything the 'data' filter refuses
                    out.quarantined.append(Quarantined(member, None, "unsafe_member",
                                                       "device or special file member", b""))
                    continue
                if ti.size > max_member:
                    raise _Bomb(f"{name}: member over {max_member} bytes")
                fh = tf.extractfile(ti)
                payload = fh.read() if fh is not None else b""
                problem = unsafe_member_name(name) or ("duplicate member name" if name in seen else None)
                seen.add(name)
                if problem:
                    out.quarantined.append(Quarantined(member, None, "unsafe_member", problem, payload))
                    continue
                _member(member, name, payload, depth, budget, out)
    except (tarfile.TarError, EOFError, OSError, ValueError, UnicodeError) as exc:
        raise FormatProblem("corrupt_archive", f"tar: {exc}") from None


# -------------------------------------------------------------------------------------------------- HTML

# lxml refuses these in text (XML 1.0 forbids them); none is text, so they go before parsing
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_compatible(text: str) -> str:
    """``text`` without the characters XML (and so lxml) refuses.

    >>> xml_compatible("<p>خبر\\x01 عاجل\\ufffe</p>\\n")
    '<p>خبر عاجل</p>\\n'
    """
    return _XML_INCOMPATIBLE.sub("", text)


def _drop_unsafe(root: Any) -> None:
    for el in list(root.iter(*_DROP)):
        el.drop_tree()


def strip_markup(text: str) -> str:
    """Remove anything tag-shaped from HTML-derived text (raw-text elements and double escaping leak tags).

    >>> strip_markup("خبر <img src=x onerror=alert(1)>عاجل</script>")
    'خبر عاجل'
    >>> strip_markup("5 < 6 و 7 > 3")
    '5 < 6 و 7 > 3'
    """
    return _TAG.sub("", text)


def _paragraphs(text: str) -> str:
    """Lines → paragraphs separated by one blank line, inner spaces collapsed."""
    lines = (_SPACES.sub(" ", ln).strip() for ln in strip_markup(text).split("\n"))
    return "\n\n".join(ln for ln in lines if ln)


def _block_text(root: Any) -> str:
    """Plain text of an (already cleaned) element tree, one paragraph per block element."""
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif tag in _BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
        elif tag in ("td", "th"):
            el.tail = " " + (el.tail or "")
    return _paragraphs(root.text_content())


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (scraper JSON that stored markup): scripts dropped, blocks → paragraphs.

    >>> html_fragment_to_text("<p>الفقرة الأولى<script>alert(1)</script></p><p>الثانية <img src=x onerror=alert(1)></p>")
    'الفقرة الأولى\\n\\nالثانية'
    """
    fragment = xml_compatible(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.LxmlError):
        return _paragraphs(fragment)
    _drop_unsafe(root)
    return _block_text(root)


def _parse_html(html: str) -> Any:
    # bytes + an explicit UTF-8 parser: lxml refuses str input that carries an encoding declaration
    return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_HTML_PARSER)


def _safe_url(url: str | None) -> str | None:
    """Keep http(s) and scheme-less URLs; drop javascript:, data: and the like."""
    if not url:
        return None
    url = url.strip()
    return url if _SAFE_URL.match(url) else None


def _meta_date(root: Any) -> str | None:
    for value in root.xpath(_META_DATE):
        value = str(value).strip()
        if _ISO_DATE.match(value):
            return value
    return None


def html_record(source: str, html: str) -> RawRecord | Quarantined:
    """One HTML page → a record of its main text (trafilatura) and declared metadata.

    The main text never carries markup: code and raw-text elements are dropped before extraction and any
    tag-shaped leftover is removed after. Paragraphs are separated by a blank line.

    >>> page = ("<html><head><title>عنوان</title><link rel=canonical href='https://sana.sy/?p=1'></head><body>"
    ...         "<article><p>الفقرة الأولى من الخبر <img src=x onerror=alert(1)></p><script>alert(1)</script>"
    ...         "<p>الفقرة الثانية من الخبر</p></article></body></html>")
    >>> rec = html_record("p.html", page)
    >>> rec.title, rec.url, "<" in rec.text, rec.text.count("\\n\\n") >= 1
    ('عنوان', 'https://sana.sy/?p=1', False, True)
    """
    html = xml_compatible(html)
    try:
        root = _parse_html(html)
    except (ValueError, lxml.etree.LxmlError) as exc:
        return Quarantined(source, 0, "no_body", f"HTML could not be parsed: {exc}")
    _drop_unsafe(root)
    published = _meta_date(root)
    fallback_title = root.findtext(".//title")
    try:
        doc = trafilatura.bare_extraction(root, with_metadata=True, include_comments=False, include_tables=True,
                                          date_extraction_params=_DATE_PARAMS)
    except Exception:  # noqa: BLE001 - a third-party extractor failing on odd markup must not stop the run
        doc = None
    meta: dict[str, Any] = doc.as_dict() if doc is not None else {}
    text = _paragraphs(meta.get("text") or "")
    if not text:  # trafilatura found no main text (very short pages): fall back to all block text
        root = _parse_html(html)
        _drop_unsafe(root)
        body = root.find("body")
        text = _block_text(body) if body is not None else ""
    if not text:
        return Quarantined(source, 0, "no_body", "no text found in the HTML page")
    title = meta.get("title") or fallback_title
    title = _SPACES.sub(" ", strip_markup(title)).strip() or None if title else None
    author = meta.get("author")
    return RawRecord(source, 0, "html", text, title=title,
                     author=strip_markup(author).strip() or None if author else None,
                     url=_safe_url(meta.get("url")), date=published or meta.get("date"),
                     source=meta.get("sitename") or meta.get("hostname"), is_page=False)


# -------------------------------------------------------------------------------------------------- JSON

class JsonNumber(str):
    """A JSON number kept as the text it was written as (never converted: see the module docstring).

    >>> n = json.loads('[1' + '0' * 5000 + ', 2.50]', parse_int=JsonNumber, parse_float=JsonNumber)
    >>> len(n[0]), n[1], isinstance(n[1], JsonNumber)
    (5001, '2.50', True)
    """

    __slots__ = ()


_NUMBERS = {"parse_int": JsonNumber, "parse_float": JsonNumber, "parse_constant": JsonNumber}
# a \uD800-\uDFFF escape: the only way a lone surrogate gets into decoded text (no codec of ours makes one)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def _load_json(text: str) -> Any:
    r"""``json.loads`` with numbers kept as text and lone surrogates replaced by U+FFFD.

    >>> _load_json('{"t": "a\\ud800b\\ud83d\\ude00", "n": 1e400}')
    {'t': 'a�b😀', 'n': '1e400'}

    Raises ``json.JSONDecodeError``, or ``RecursionError`` for nesting deeper than the parser's stack.
    """
    doc = json.loads(text, **_NUMBERS)
    if _SURROGATE_ESCAPE.search(text) is None:
        return doc
    if isinstance(doc, str):
        return _replace_surrogates(doc)
    stack = [doc] if isinstance(doc, dict | list) else []
    while stack:  # iterative: a document may nest as deep as the parser allowed
        node = stack.pop()
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        if isinstance(node, dict) and any(isinstance(k, str) and _LONE_SURROGATE.search(k) for k, _ in items):
            node.clear()
            node.update((_replace_surrogates(k), v) for k, v in items)
            items = list(node.items())
        for key, value in items:
            if isinstance(value, str):
                node[key] = _replace_surrogates(value)
            elif isinstance(value, dict | list):
                stack.append(value)
    return doc


def json_depth(obj: Any, limit: int) -> int:
    """How deep containers nest in ``obj`` (a scalar: 0), counted up to ``limit + 1`` and no further.

    >>> json_depth({"a": [1, {"b": []}]}, 10), json_depth([[[[]]]], 2), json_depth("x", 5)
    (4, 3, 0)
    """
    deepest = 0
    stack = [(obj, 1)] if isinstance(obj, dict | list) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        for value in node.values() if isinstance(node, dict) else node:
            if isinstance(value, dict | list):
                stack.append((value, depth + 1))
    return deepest


def record_json_bytes(obj: Any) -> bytes:
    r"""A JSON value written back as UTF-8 bytes, numbers exactly as they were read, at any depth.

    >>> record_json_bytes({"n": JsonNumber("1e400"), "t": ["نص", None, True]})
    b'{"n": 1e400, "t": ["\xd9\x86\xd8\xb5", null, true]}'
    """
    parts: list[str] = []
    stack: list[Any] = [obj]
    while stack:  # iterative: json.dumps recurses, and a quarantined record may be deeply nested
        item = stack.pop()
        if isinstance(item, _Literal):
            parts.append(item.text)
        elif isinstance(item, JsonNumber):
            parts.append(str.__str__(item))
        elif isinstance(item, dict):
            stack.append(_Literal("}"))
            for n, (key, value) in enumerate(reversed(list(item.items()))):
                stack.append(value)
                stack.append(_Literal(("" if n == len(item) - 1 else ", ") + _json_string(str(key)) + ": "))
            stack.append(_Literal("{"))
        elif isinstance(item, list):
            stack.append(_Literal("]"))
            for n, value in enumerate(reversed(item)):
                stack.append(value)
                if n != len(item) - 1:
                    stack.append(_Literal(", "))
            stack.append(_Literal("["))
        elif isinstance(item, str):
            parts.append(_json_string(item))
        else:
            parts.append(json.dumps(item))
    return "".join(parts).encode("utf-8")


@dataclass(frozen=True)
class _Literal:
    text: str


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=_LONE_SURROGATE.search(text) is not None)


def _field_text(value: Any, joiner: str) -> str | None:
    """A JSON field as text: strings (numbers included) as they are, lists joined, ``{"rendered": ...}`` /
    ``{"name": ...}`` unwrapped. Records were checked for depth before (``Limits.max_json_depth``)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        for key in ("rendered", "name", "text", "value", "domain"):
            if key in value:
                return _field_text(value[key], joiner)
        return None
    if isinstance(value, list):
        parts = [t for t in (_field_text(v, joiner) for v in value) if t]
        return joiner.join(parts) or None
    return None


def _first(low: dict[str, Any], keys: tuple[str, ...], joiner: str = " ") -> str | None:
    for key in keys:
        if key in low:
            text = _field_text(low[key], joiner)
            if text:
                return text
    return None


def _json_kind(obj: Any) -> str:
    if isinstance(obj, JsonNumber):
        return "number"
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(obj), type(obj).__name__)


def map_record(source: str, index: int, obj: Any, fmt: str, limits: Limits | None = None) -> RawRecord | Quarantined:
    """One scraper JSON object → a record, mapping every known field spelling (case-insensitive).

    >>> r = map_record("f.json", 2, {"Headline": "عنوان", "maintext": "نص", "authors": ["أ", "ب"],
    ...                              "date_publish": "2016-09-05", "source_domain": "sana.sy"}, "json")
    >>> r.title, r.text, r.author, r.date, r.source, r.source_record, r.is_page
    ('عنوان', 'نص', 'أ، ب', '2016-09-05', 'sana.sy', 2, False)
    >>> map_record("f.json", 3, {"title": "بلا نص"}, "json").reason_code
    'no_body'
    >>> map_record("f.json", 4, {"text": "نص" * 10}, "json", Limits(max_record_bytes=20)).reason_code
    'oversized_record'
    """
    limits = limits or Limits()
    if not isinstance(obj, dict):
        return Quarantined(source, index, "not_object", f"record is a JSON {_json_kind(obj)}, not an object",
                           record_json_bytes(obj))
    depth = json_depth(obj, limits.max_json_depth)
    if depth > limits.max_json_depth:
        return Quarantined(source, index, "nested_too_deep",
                           f"containers nested more than {limits.max_json_depth} deep", record_json_bytes(obj))
    low = {k.lower(): v for k, v in obj.items() if isinstance(k, str)}
    fields = {name: _first(low, FIELDS[name], joiner) for name, joiner in
              (("text", "\n\n"), ("title", " "), ("author", "، "), ("url", " "), ("date", " "), ("source", " "))}
    size = sum(len(v.encode("utf-8")) for v in fields.values() if v)
    if size > limits.max_record_bytes:
        return Quarantined(source, index, "oversized_record",
                           f"text fields of {size} bytes > {limits.max_record_bytes}", record_json_bytes(obj))
    text = fields["text"]
    if text and _LOOKS_HTML.search(text):
        text = html_fragment_to_text(text)
    if not text:
        return Quarantined(source, index, "no_body", "no content/text/maintext/body field with text",
                           record_json_bytes(obj))
    title, author = fields["title"], fields["author"]
    return RawRecord(source, index, fmt, text, title=strip_markup(title).strip() or None if title else None,
                     author=strip_markup(author).strip() or None if author else None,
                     url=_safe_url(fields["url"]), date=fields["date"], source=fields["source"], is_page=False)


def _unwrap(doc: Any, depth: int = 0) -> list[Any] | None:
    """The list of article objects in a JSON document; ``None`` when the top level is a scalar."""
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        return None
    if depth < 2 and not any(k.lower() in _BODY_KEYS for k in doc if isinstance(k, str)):
        low = {k.lower(): v for k, v in doc.items() if isinstance(k, str)}
        for key in _LIST_KEYS:
            inner = low.get(key)
            if isinstance(inner, list):
                return inner
            if isinstance(inner, dict):
                found = _unwrap(inner, depth + 1)
                if found is not None and found != [inner]:
                    return found
    return [doc]


def _jsonl(source: str, text: str, limits: Limits) -> list[RawRecord | Quarantined]:
    items: list[RawRecord | Quarantined] = []
    for i, line in enumerate(text.split("\n")):  # not splitlines(): U+2028 may sit inside JSON strings
        line = line.strip()
        if not line:
            continue
        raw = line.encode("utf-8", "surrogatepass")
        try:
            obj = _load_json(line)
        except json.JSONDecodeError as exc:
            items.append(Quarantined(source, i, "invalid_json", f"line {i + 1}: {exc}"[:300], raw))
            continue
        except RecursionError:
            items.append(Quarantined(source, i, "invalid_json", f"line {i + 1}: nested too deeply to parse", raw))
            continue
        items.append(map_record(source, i, obj, "jsonl", limits))
    return items


def json_records(source: str, text: str, fmt: str, limits: Limits | None = None) -> list[RawRecord | Quarantined]:
    """Records of a JSON (array / object / object holding a list) or JSONL document.

    A ``.json`` file that is really JSON Lines (several values, one per line) is read as JSONL.

    >>> [type(x).__name__ for x in json_records("f.jsonl", '{"text": "نص"}\\n{bad\\n', "jsonl")]
    ['RawRecord', 'Quarantined']
    >>> [r.text for r in json_records("f.json", '{"items": [{"body": "أ"}, {"body": "ب"}]}', "json")]
    ['أ', 'ب']
    """
    limits = limits or Limits()
    if fmt == "jsonl":
        return _jsonl(source, text, limits)
    try:
        doc = _load_json(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            items = _jsonl(source, text, limits)
            if any(isinstance(x, RawRecord) for x in items):
                return items
        raise FormatProblem("invalid_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise FormatProblem("invalid_json", "nested too deeply to parse") from None
    items_in = _unwrap(doc)
    if items_in is None:
        raise FormatProblem("not_object", f"top level is a JSON {_json_kind(doc)}")
    return [map_record(source, i, obj, fmt, limits) for i, obj in enumerate(items_in)]
