"""Bytes → text for khabar's inputs, detected and never guessed silently.

Order (first that holds wins):

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-32 LE/BE, UTF-16 LE/BE;
2. strict UTF-8;
3. UTF-16 without a BOM, recognised by its byte pattern (every other byte NUL or an Arabic-block
   high byte ``0x06``/``0x08``/``0xFB``–``0xFE``, ``0x20`` for punctuation);
4. a charset the document itself declares (``<meta charset>``, an XML declaration), see
   :func:`sniff_declared_charset`; UTF-7 and non-text codecs are never honoured;
5. the Arabic single-byte code pages, each accepted only when the result is mostly Arabic letters and
   ASCII (:func:`looks_arabic`): cp1256 first (the common one, and the right tie-break for short texts
   that read as Arabic in several pages), then iso8859-6, cp720 and cp864 in charset-normalizer's order.

Anything else raises :class:`UndecodableError` with a reason code: ``empty`` (no bytes, or only a BOM /
whitespace), ``binary`` (NUL bytes or control characters: not text), ``undecodable`` (text-like bytes in
no encoding we can vouch for). ``errors="replace"`` is never used: a lossy decode is a silent guess.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from transforms.arabic.chars import SCRIPT_LETTER_RE

ARABIC_CODE_PAGES = ("cp1256", "iso8859_6", "cp720", "cp864")

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# control characters that never occur in text (tab, newlines, form feed and vertical tab excepted)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
# symbols a wrong code page produces (box drawing, math, private use, unassigned)
_JUNK = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u05ff\u2190-\u23ff\u2500-\u25ff"
                   r"\ue000-\uf8ff\ufff0-\uffff]")
_LETTERLIKE = re.compile(r"[^\W\d_]")
_DECLARED = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]{1,40})""",
    re.IGNORECASE,
)
_UTF16_HIGH = frozenset(b"\x00\x06\x08\x20\x22\x25\x26\xfb\xfc\xfd\xfe")
_SNIFF_BYTES = 8192
_SANITY_CHARS = 200_000  # judge plausibility on a prefix: enough to decide, cheap on big inputs


class UndecodableError(ValueError):
    """Bytes that are not text in any encoding khabar can vouch for.

    >>> err = UndecodableError("binary", "NUL bytes")
    >>> err.reason_code, err.detail
    ('binary', 'NUL bytes')
    """

    def __init__(self, reason_code: str, detail: str) -> None:
        super().__init__(f"{reason_code}: {detail}")
        self.reason_code = reason_code
        self.detail = detail


def canonical_codec(name: str | None) -> str | None:
    """Python's canonical name of a declared text charset, or ``None`` when unknown or unsafe.

    UTF-7 is refused (a classic way to smuggle markup past filters), as are non-text codecs (rot13,
    base64). A byte-sniffed declaration of UTF-16/32 is read as UTF-8: a document whose ASCII
    declaration we could read is not UTF-16 (the HTML rule).

    >>> canonical_codec("Windows-1256"), canonical_codec("ISO-8859-6"), canonical_codec("utf-7")
    ('cp1256', 'iso8859-6', None)
    >>> canonical_codec("rot13"), canonical_codec("no-such-charset"), canonical_codec("UTF-16")
    (None, None, 'utf-8')
    """
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'").lower())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name == "utf-7":
        return None
    if info.name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return info.name


def sniff_declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or XML declaration in the first 8 KiB names, canonicalised.

    >>> sniff_declared_charset(b'<html><head><meta charset="windows-1256">')
    'cp1256'
    >>> sniff_declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">')
    'iso8859-6'
    >>> sniff_declared_charset(b"<?xml version='1.0' encoding='UTF-8'?><rss/>")
    'utf-8'
    >>> sniff_declared_charset(b"<p>no declaration</p>") is None
    True
    """
    m = _DECLARED.search(data[:_SNIFF_BYTES])
    if not m:
        return None
    raw = (m.group(1) or m.group(2)).decode("ascii", "ignore")
    return canonical_codec(raw)


def is_binary(text: str) -> bool:
    """True when decoded text holds NULs, or control characters beyond a stray one per 200 characters.

    >>> is_binary("خبر عاجل\\n\\tنص"), is_binary("abc\\x00def"), is_binary("\\x01\\x02\\x03 abc")
    (False, True, True)
    """
    if "\x00" in text:
        return True
    controls = len(_CONTROL.findall(text, 0, _SANITY_CHARS))
    return controls * 200 > min(len(text), _SANITY_CHARS)


def looks_arabic(text: str) -> bool:
    """Plausibility of a single-byte decode: mostly Arabic letters and ASCII, no mojibake symbols.

    >>> looks_arabic("قال الرئيس السوري في دمشق، اليوم: نعم.")
    True
    >>> looks_arabic("ÞÇá ÇáÑÆíÓ")  # cp1256 bytes read as Latin-1
    False
    >>> looks_arabic("hello world")
    False
    """
    sample = text[:_SANITY_CHARS]
    if is_binary(sample):
        return False
    arabic = len(SCRIPT_LETTER_RE.findall(sample))
    if arabic == 0:
        return False
    letters = len(_LETTERLIKE.findall(sample))
    junk = len(_JUNK.findall(sample))
    # Arabic letters dominate the letters; symbols a wrong code page would produce stay rare
    return arabic >= 0.5 * letters and junk <= max(1, len(sample) // 100)


def _plausible_text(text: str) -> bool:
    """Any-script plausibility (for BOM-less UTF-16): some letters or digits; no controls, surrogates,
    private-use or unassigned code points."""
    sample = text[:_SANITY_CHARS]
    if is_binary(sample) or not any(ch.isalnum() for ch in sample):
        return False
    return not any(unicodedata.category(ch) in ("Cs", "Co", "Cn") for ch in sample)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Recognise BOM-less UTF-16 by where its high bytes sit: ``(text, codec)``, ``None`` when it is not."""
    if len(data) < 2 or len(data) % 2:
        return None
    sample = data[:_SNIFF_BYTES]
    for name, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if sum(1 for b in high if b in _UTF16_HIGH) < 0.9 * len(high):
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _plausible_text(text):
            return text, name
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise UndecodableError("empty", f"only whitespace ({encoding})")
    if is_binary(text):
        raise UndecodableError("binary", f"control characters in {encoding} text")
    return text, encoding


def _looks_binary_bytes(data: bytes) -> bool:
    head = data[:_SANITY_CHARS]
    return b"\x00" in head or len(_CONTROL_BYTES.findall(head)) > max(2, len(head) // 100)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode an input's bytes; return ``(text, encoding)`` or raise :class:`UndecodableError`.

    >>> decode_bytes("خبر".encode("utf-8"))
    ('خبر', 'utf-8')
    >>> decode_bytes(codecs.BOM_UTF8 + "خبر".encode())
    ('خبر', 'utf-8-sig')
    >>> decode_bytes("خبر عاجل".encode("utf-16"))[1] in ("utf-16-le", "utf-16-be")
    True
    >>> decode_bytes("قال الرئيس السوري في دمشق اليوم".encode("cp1256"))[1]
    'cp1256'
    >>> decode_bytes(b"")
    Traceback (most recent call last):
    ...
    transforms.decode.UndecodableError: empty: no bytes
    """
    if not data:
        raise UndecodableError("empty", "no bytes")
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec = "utf-8" if name == "utf-8-sig" else name
            try:
                return _checked(data[len(bom):].decode(codec), name)
            except UnicodeDecodeError as exc:
                raise UndecodableError("undecodable", f"{name} BOM but invalid {codec}: {exc.reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not is_binary(text):
            return _checked(text, "utf-8")
    # valid-but-controls UTF-8 may still be BOM-less UTF-16 ("ab" → b"a\0b\0"), so test that first
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _checked(*utf16)
    if _looks_binary_bytes(data):
        raise UndecodableError("binary", "NUL or control bytes: not text")
    codec = canonical_codec(declared)
    if codec and codec != "utf-8":
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if not is_binary(text):
                return _checked(text, codec)
    # cp1256 first: by far the most common Arabic code page, and the tie-breaker when the bytes read as
    # plausible Arabic in several pages (short texts); charset-normalizer ranks the rarer pages
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        pass
    else:
        if looks_arabic(text):
            return _checked(text, "cp1256")
    for match in from_bytes(data, cp_isolation=[p for p in ARABIC_CODE_PAGES if p != "cp1256"]):
        name = codecs.lookup(match.encoding).name
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if looks_arabic(text):
            return _checked(text, name)
    raise UndecodableError("undecodable", "not UTF-8/UTF-16 and no Arabic code page yields Arabic text")
