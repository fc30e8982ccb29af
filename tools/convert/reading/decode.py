"""Bytes to text: the first thing the converter does with an input file.

UTF-8 (with or without a byte-order mark) is expected. UTF-16 with a BOM is
accepted. Anything else that still looks like text is read as Windows-1252,
or Latin-1 when a byte is undefined in Windows-1252; ``Decoded.encoding``
says which, so the caller can warn. Binary files and empty files are refused.
"""

from __future__ import annotations

import codecs

import attrs

from carnet.engine.text import normalize_newlines
from carnet.tools.convert.errors import ConvertError

MAX_BYTES = 32 * 1024 * 1024
"""Larger inputs are refused: a short story is a few kilobytes, a novel one or two megabytes."""

# Bytes that never appear in text: C0 controls other than tab, LF, FF, CR, and DEL.
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
_CONTROL_CHARS: dict[int, None] = dict.fromkeys(_CONTROL_BYTES)
_CONTROL_LIMIT = 0.10  # above this share of control characters, a file is not text
_SAMPLE = 64 * 1024


@attrs.frozen
class Decoded:
    """Text read from a file, and the encoding it was read with."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252" or "latin-1"

    @property
    def is_utf8(self) -> bool:
        return self.encoding in ("utf-8", "utf-8-sig")


def _mostly_control(text: str) -> bool:
    sample = text[:_SAMPLE]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    kept = sample.translate(_CONTROL_CHARS)
    return (len(sample) - len(kept)) / len(sample) > _CONTROL_LIMIT


def _not_text(path: str) -> ConvertError:
    return ConvertError(
        path,
        "not a text file",
        hint="carnet convert reads prose stories saved as plain text (UTF-8)",
    )


def _decode_text(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise _not_text(path) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise _not_text(path)
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def decode(data: bytes, path: str) -> Decoded:
    """Decode an input file's bytes; newlines normalized to LF.

    Raises :class:`ConvertError` for a file that is too large, binary, or
    empty (nothing but whitespace).
    """
    if len(data) > MAX_BYTES:
        raise ConvertError(
            path,
            f"the file is too large ({len(data)} bytes; the limit is {MAX_BYTES} bytes)",
        )
    raw, encoding = _decode_text(data, path)
    if _mostly_control(raw):
        raise _not_text(path)
    text = normalize_newlines(raw)
    if not text.strip():
        raise ConvertError(path, "the file is empty", hint="write the story in the file first")
    return Decoded(text, encoding)


def decode_source(data: bytes, path: str) -> str:
    """The text of an input file (see :func:`decode`; this drops the encoding)."""
    return decode(data, path).text
