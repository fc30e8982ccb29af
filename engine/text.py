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


# Control characters a story could smuggle in through YAML escapes ("\e[2J",
# "\a"): shown as ^X (C1 controls as U+FFFD), never sent to the terminal.
_CONTROLS: dict[int, str] = {
    **{c: f"^{chr(c + 64)}" for c in range(32) if chr(c) not in "\t\n"},
    0x7F: "^?",
    **{c: "\ufffd" for c in range(0x80, 0xA0)},
}


def printable(text: str) -> str:
    """``text`` with control characters (other than tab and newline) made visible,
    so that story text printed to a terminal cannot drive the terminal."""
    return text.translate(_CONTROLS)
