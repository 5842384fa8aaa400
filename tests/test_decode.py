"""transforms.decode on the real sample articles, every encoding the contract names, and random input."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.decode import (
    UndecodableError,
    canonical_codec,
    decode_bytes,
    is_binary,
    looks_arabic,
    sniff_declared_charset,
)

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds" / "raw").glob("*.txt"))
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]

# (how to encode, the encoding name decode_bytes must report)
ENCODINGS = [
    (lambda t: t.encode("utf-8"), "utf-8"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16-le"),
    (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be"),
    (lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"), "utf-32-le"),
    (lambda t: t.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by byte pattern
    (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    (lambda t: t.encode("cp1256"), "cp1256"),
    (lambda t: t.encode("iso8859_6", "ignore"), "iso8859-6"),
    (lambda t: t.encode("cp720", "ignore"), "cp720"),
]


def test_seeds_are_present():
    assert len(SEED_TEXTS) == 5 and all("بوتين" in t for t in SEED_TEXTS)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("encode,name", ENCODINGS, ids=[n + str(i) for i, (_, n) in enumerate(ENCODINGS)])
def test_each_encoding_of_each_seed_round_trips(seed, encode, name):
    data = encode(SEED_TEXTS[seed])
    text, encoding = decode_bytes(data)
    assert encoding == name
    # the code pages without some characters (iso8859-6, cp720) were encoded lossily on purpose: compare
    # with what they can represent
    codec = {"utf-8-sig": "utf-8"}.get(name, name)
    expected = data.decode(codec).lstrip("\ufeff")
    assert text == expected
    assert "فلاديمير بوتين" in text or "بوتين" in text


def test_declared_charset_from_html_meta_is_used_when_not_utf8():
    page = '<html><head><meta charset="windows-1256"></head><body><p>قال الرئيس الروسي فلاديمير بوتين</p></body></html>'
    data = page.encode("cp1256")
    assert sniff_declared_charset(data) == "cp1256"
    text, enc = decode_bytes(data, sniff_declared_charset(data))
    assert enc == "cp1256" and "فلاديمير بوتين" in text


def test_declared_charset_never_overrides_valid_utf8():
    data = SEED_TEXTS[0].encode("utf-8")
    assert decode_bytes(data, "cp1256") == (SEED_TEXTS[0], "utf-8")


def test_utf7_declaration_is_not_honoured():
    # a UTF-7 page would turn "+ADw-script+AD4-" into "<script>": read it as the ASCII it is
    assert canonical_codec("UTF-7") is None
    assert decode_bytes(b"+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "utf-7")[0].startswith("+ADw-script")


def test_declared_latin1_is_honoured_for_latin_text():
    data = "Le président français a déclaré à Paris".encode("latin-1")
    assert decode_bytes(data, "iso-8859-1") == ("Le président français a déclaré à Paris", "iso8859-1")


def test_non_arabic_single_byte_text_without_declaration_is_not_guessed():
    data = "Le président français a déclaré à Paris".encode("latin-1")
    with pytest.raises(UndecodableError) as err:
        decode_bytes(data)
    assert err.value.reason_code == "undecodable"


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (codecs.BOM_UTF8, "empty"),
    (b"  \n\t\r\n ", "empty"),
    ("   ".encode("utf-16"), "empty"),
    (b"\x00\x01\x02\x03binary\x00\xff\xfe junk", "binary"),
    ("خبر\x00عاجل".encode(), "binary"),
    (bytes(range(256)) * 4, "binary"),
    (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "undecodable"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "undecodable"),  # a lone surrogate
])
def test_rejections_carry_reason_codes(data, reason):
    with pytest.raises(UndecodableError) as err:
        decode_bytes(data)
    assert err.value.reason_code == reason


def test_pdf_and_png_bytes_are_not_text():
    for data in (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"):
        with pytest.raises(UndecodableError):
            decode_bytes(data)


def test_mojibake_is_not_arabic():
    cp1256_bytes = SEED_TEXTS[0].encode("cp1256")
    assert looks_arabic(cp1256_bytes.decode("cp1256"))
    assert not looks_arabic(cp1256_bytes.decode("latin-1"))
    assert not looks_arabic(SEED_TEXTS[0].encode("utf-8").decode("cp1256"))


def test_stray_control_characters_are_tolerated_but_binary_is_not():
    text = SEED_TEXTS[1]
    assert not is_binary(text[:500] + "\x0b" + text[500:])
    assert is_binary(text[:500] + "\x01" * 50)


def test_sniff_declared_charset_variants():
    assert sniff_declared_charset(b"<meta http-equiv='content-type' content='text/html;charset=windows-1256'>") == "cp1256"
    assert sniff_declared_charset(b'<?xml version="1.0" encoding="ISO-8859-6"?>') == "iso8859-6"
    assert sniff_declared_charset(b'<meta charset="bogus-charset">') is None
    assert sniff_declared_charset(b" " * 9000 + b'<meta charset="cp1256">') is None  # only the head counts


# ------------------------------------------------------------------------------------------ properties

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
words = st.text(alphabet=ARABIC_LETTERS, min_size=2, max_size=9)
sentences = st.lists(words, min_size=1, max_size=40).map(" ".join)
mixed = st.tuples(words, st.lists(st.one_of(words, words, words, st.sampled_from(["2016", "سانا", "(قال)", "-", ".", "\n"])),
                                  max_size=60)).map(lambda t: " ".join([t[0], *t[1]]))


@settings(max_examples=150, deadline=None)
@given(mixed)
def test_property_utf8_round_trip(text):
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


@settings(max_examples=150, deadline=None)
@given(mixed, st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]))
def test_property_utf16_round_trip_with_and_without_bom(text, codec):
    decoded, name = decode_bytes(text.encode(codec))
    assert decoded == text and name.startswith("utf-16")


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=6, max_size=40).map(" ".join))
def test_property_cp1256_round_trip(text):
    decoded, name = decode_bytes(text.encode("cp1256"))
    assert decoded == text and name == "cp1256"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_property_random_bytes_only_raise_undecodable(data):
    try:
        text, name = decode_bytes(data)
    except UndecodableError as err:
        assert err.reason_code in {"empty", "binary", "undecodable"}
    else:
        assert isinstance(text, str) and text.strip() and "\x00" not in text
        assert text == data.decode({"utf-8-sig": "utf-8"}.get(name, name)).lstrip("\ufeff")
