"""Scene text: paragraphs and ``{variable}`` interpolation.

The converter and the engine share these functions, so that what the
converter writes is exactly what the player is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import attrs

from carnet.engine.expr.nodes import Value

_BLANK_LINE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading byte-order mark is dropped."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs are separated by one or more blank lines.

    Leading and trailing newlines of the whole text are dropped (a YAML literal
    block ends with one); nothing inside a paragraph is touched, so indentation
    and single line breaks survive.
    """
    body = text.strip("\n")
    if not body.strip():
        return ()
    return tuple(p for p in _BLANK_LINE.split(body) if p.strip())


def join_paragraphs(paragraphs: tuple[str, ...] | list[str]) -> str:
    """The inverse of :func:`split_paragraphs` for paragraphs it produced."""
    return "\n\n".join(paragraphs)


def escape_braces(text: str) -> str:
    """Make prose safe to use as scene text: braces stand for themselves."""
    return text.replace("{", "{{").replace("}", "}}")


@attrs.frozen
class Placeholder:
    """A ``{...}`` in a text: its name and 0-based offset; ``valid`` is False
    for a brace that is neither a ``{name}`` nor an escaped ``{{``/``}}``."""

    name: str
    offset: int
    valid: bool


def placeholders(text: str) -> Iterator[Placeholder]:
    for match in _PLACEHOLDER.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is not None and _NAME.match(name):
            yield Placeholder(name, match.start(), True)
        else:
            yield Placeholder(token, match.start(), False)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 error``, ``2 errors`` (``nouns`` when the plural is not noun + s)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def format_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def interpolate(text: str, variables: Mapping[str, Value]) -> str:
    """Replace ``{name}`` by the variable's value; ``{{``/``}}`` by braces.

    An unknown name or a stray brace is left as written: the loader reports
    those, the player never crashes on them.
    """
    if "{" not in text and "}" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name is not None and name in variables:
            return format_value(variables[name])
        return token

    return _PLACEHOLDER.sub(replace, text)


# What must never reach a terminal raw. Story text, file names and values can
# hold any of these (YAML escapes such as "\e[2J" or "\u202e", file names that
# are not UTF-8):
# - C0 controls but tab and newline, DEL, and C1 controls (0x80-0x9f: 0x9b is
#   a one-byte CSI that some terminals obey);
# - invisible format characters (Unicode category Cf, and the line and
#   paragraph separators): among them the bidirectional overrides and isolates
#   U+202A-202E and U+2066-2069 that make text read backwards, zero-width
#   spaces and joiners, soft hyphens. ZWNJ and ZWJ (U+200C, U+200D) stay:
#   scripts and emoji need them and they cannot reorder text;
# - lone surrogates (a file name that is not UTF-8 decodes to U+DC80-U+DCFF).
# tests/test_terminal_safety.py checks this list against unicodedata.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return f"^{chr(code + 64)}"
    if code == 0x7F:
        return "^?"
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """``text`` safe to print: every unsafe character above made visible.

    Controls become ``^X`` (``^[`` for ESC, ``^?`` for DEL), an undecodable
    byte of a file name ``\\xNN``, anything else ``<U+202E>``. Tab and
    newline are kept. The one sanitizer for everything carnet prints.
    """
    if _plain(text):
        return text
    return _UNSAFE.sub(_visible, text)


def _plain(text: str) -> bool:
    """A fast (C speed) proof that ``text`` has nothing :data:`_UNSAFE` matches:
    ``str.isprintable`` is False for every unsafe character (and for a few safe
    ones, such as a no-break space, which then take the slower regex)."""
    return text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable()


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_safe(dumped: str) -> str:
    """JSON text (from ``json.dumps``) with the same unsafe characters written as
    ``\\uXXXX`` escapes: a program still reads the exact text, a terminal
    showing the stream sees nothing it would obey."""
    if _plain(dumped):
        return dumped
    return _UNSAFE.sub(_escaped, dumped)
