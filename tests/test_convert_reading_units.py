"""The reading stage's edges and building blocks: decoding, slugs, sentences, quotes."""

from __future__ import annotations

import codecs

import pytest

from carnet.tools.convert.errors import ConvertError
from carnet.tools.convert.reading.decode import MAX_BYTES, decode, decode_source
from carnet.tools.convert.reading.quotes import find_quotes
from carnet.tools.convert.reading.sentences import sentence_bounds
from carnet.tools.convert.slug import slugify, unique_id

# ------------------------------------------------------------------ decoding


def test_utf8_with_and_without_bom() -> None:
    text = "Zoë came home.\n\nThe end."
    assert decode(text.encode("utf-8"), "a.txt").encoding == "utf-8"
    with_bom = decode(codecs.BOM_UTF8 + text.encode("utf-8"), "a.txt")
    assert with_bom.text == text
    assert with_bom.encoding == "utf-8-sig"
    assert decode_source(text.encode(), "a.txt") == text


def test_newlines_are_normalized() -> None:
    assert decode_source(b"one\r\ntwo\rthree\n", "a.txt") == "one\ntwo\nthree\n"


def test_windows_1252_and_latin1_fallbacks() -> None:
    cp = decode("“Café”, she said.".encode("cp1252"), "a.txt")
    assert cp.text == "“Café”, she said."
    assert cp.encoding == "cp1252"
    assert not cp.is_utf8
    # 0x81 is undefined in Windows-1252: Latin-1 reads every byte
    latin = decode(b"caf\xe9 \x81ok", "a.txt")
    assert latin.encoding == "latin-1"
    assert latin.text.startswith("café")


def test_utf16_with_bom_is_text() -> None:
    data = "Hello there.".encode("utf-16")
    assert decode_source(data, "a.txt") == "Hello there."


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # NUL bytes
        bytes(range(256)) * 4,
        b"\x01\x02\x03\x04\x05\x06\x07\x08abc",  # mostly control bytes, valid UTF-8
    ],
)
def test_binary_files_are_refused(data: bytes) -> None:
    with pytest.raises(ConvertError) as caught:
        decode(data, "pic.png")
    assert caught.value.path == "pic.png"
    assert caught.value.message == "not a text file"
    assert str(caught.value) == "pic.png: not a text file"
    assert caught.value.hint


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8 + b"\n\n"])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(ConvertError, match="the file is empty"):
        decode(data, "empty.txt")


def test_too_large_is_refused() -> None:
    with pytest.raises(ConvertError, match="too large"):
        decode(b"a" * (MAX_BYTES + 1), "big.txt")


def test_error_format_with_hint() -> None:
    error = ConvertError("x.txt", "not a text file", hint="save it as UTF-8")
    assert error.format() == "x.txt: not a text file\n    hint: save it as UTF-8"
    assert ConvertError("x.txt", "boom").format() == "x.txt: boom"


# ---------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("text", "sep", "expected"),
    [
        ("Léon", "_", "leon"),
        ("Mrs. Hale", "_", "mrs_hale"),
        ("The Small Café", "-", "the-small-cafe"),
        ("Don't stop", "_", "dont_stop"),
        ("Straße", "_", "strasse"),
        ("Œuvre complète", "_", "oeuvre_complete"),
        ("1984", "_", "x_1984"),
        ("", "_", "x"),
        ("!!!", "-", "x"),
        ("Ivan Dmitritch", "-", "ivan-dmitritch"),
    ],
)
def test_slugify(text: str, sep: str, expected: str) -> None:
    assert slugify(text, sep) == expected


def test_slugify_is_a_valid_identifier_and_bounded() -> None:
    for text in ["ÉCOLE nº 5", "   a  b   ", "日本語", "x" * 200, "The ‘quoted’ — dash"]:
        slug = slugify(text)
        assert slug[0].isalpha()
        assert all(c.isascii() and (c.isalnum() or c == "_") for c in slug)
        assert slug == slug.lower()
        assert len(slug) <= 40
    with pytest.raises(ValueError, match="separator"):
        slugify("a", sep=".")


def test_unique_id() -> None:
    taken: dict[str, int] = {}
    assert [unique_id(b, taken) for b in ["cafe", "cafe", "leon", "cafe", "cafe_2"]] == [
        "cafe",
        "cafe_2",
        "leon",
        "cafe_3",
        "cafe_2_2",
    ]


# ------------------------------------------------------------------ sentences


def _sentences(paragraph: str) -> list[str]:
    return [paragraph[a:b] for a, b in sentence_bounds(paragraph)]


def test_sentences_respect_abbreviations_and_initials() -> None:
    text = "Mr. and Mrs. Dale walked to St. Anne's with Dr. Ruiz. J. B. Ortolan followed them. Done"
    assert _sentences(text) == [
        "Mr. and Mrs. Dale walked to St. Anne's with Dr. Ruiz.",
        "J. B. Ortolan followed them.",
        "Done",
    ]


def test_sentences_and_quotes() -> None:
    text = (
        '"Where?" Nadia asked. "Over there!" She pointed. "Fine," he said. '
        "“I know. I came anyway.” Then silence…"
    )
    assert _sentences(text) == [
        '"Where?" Nadia asked.',
        '"Over there!"',
        "She pointed.",
        '"Fine," he said.',
        "“I know.",
        "I came anyway.”",
        "Then silence…",
    ]


def test_sentences_do_not_split_on_lowercase_or_dashes() -> None:
    # a sentence starts with a capital, a digit or an opening quote
    text = "It was late — too late. e.g. this stays whole? yes it does"
    assert _sentences(text) == [text]


def test_sentence_of_blank_or_punctuation_only() -> None:
    assert sentence_bounds("") == ()
    assert _sentences("...") == ["..."]
    assert _sentences("  Indented line.\nNext line. ") == ["Indented line.", "Next line."]


# --------------------------------------------------------------------- quotes


def _quotes(paragraph: str, double: bool = True) -> list[str]:
    return [paragraph[q.start : q.end] for q in find_quotes(paragraph, double=double)]


def test_straight_and_curly_double_quotes() -> None:
    assert _quotes('"One," she said. "Two." “Three”') == ['"One,"', '"Two."', "“Three”"]


def test_unclosed_quote_runs_to_paragraph_end() -> None:
    text = '"It goes on and on\nover the line'
    (quote,) = find_quotes(text, double=True)
    assert (quote.start, quote.end, quote.inner_end) == (0, len(text), len(text))


def test_single_quotes_are_not_apostrophes() -> None:
    text = "‘Don’t go,’ she said. ‘The boys’ room is there.’ It’s late."
    assert _quotes(text, double=False) == ["‘Don’t go,’", "‘The boys’ room is there.’"]
    straight = "'Come in,' said Ada. The Smiths' dog barked."
    assert _quotes(straight, double=False)[0] == "'Come in,'"
