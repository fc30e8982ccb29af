"""Characters to tokens, lazily, with an author-readable error for anything else.

The lexer is a generator so that the parser meets errors in source order: a
syntax error early in an expression is reported before a bad character later.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from carnet.engine.expr.errors import ExprError
from carnet.engine.limits import MAX_INT_DIGITS

KEYWORDS = frozenset({"and", "or", "not", "true", "false", "visits"})

_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | _DIGITS
_SPACE = frozenset(" \t\n\r")
_TWO_CHAR_OPS = frozenset({"==", "!=", "<=", ">=", "+=", "-="})
_ONE_CHAR_OPS = frozenset("<>+-()=,")
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n"}
_ESCAPE_HINT = "the escapes are \\\\, \\\", \\' and \\n"

# Characters that look like another language's syntax: (message, hint).
_UNSUPPORTED: dict[str, tuple[str, str | None]] = {
    "**": ("'**' is not supported", "there are no powers; only '+' and '-' do arithmetic"),
    "&&": ("'&&' is not supported; use 'and'", None),
    "||": ("'||' is not supported; use 'or'", None),
    "&": ("'&' is not supported; use 'and'", None),
    "|": ("'|' is not supported; use 'or'", None),
    "!": ("'!' is not supported; use 'not'", None),
    ".": ("'.' is not supported (no attributes)", None),
    "[": ("'[' is not supported (no indexing)", None),
    "]": ("']' is not supported (no indexing)", None),
    "{": ("'{' is not supported", "write a variable's name without braces"),
    "}": ("'}' is not supported", "write a variable's name without braces"),
    "*": ("'*' is not supported", "only '+' and '-' do arithmetic"),
    "/": ("'/' is not supported", "only '+' and '-' do arithmetic"),
    "%": ("'%' is not supported", "only '+' and '-' do arithmetic"),
}


@attrs.frozen
class Token:
    """One token. ``kind`` is ``INT``, ``STRING``, ``NAME``, ``EOF``, or the
    keyword or operator itself (``and``, ``==``, ``(``...)."""

    kind: str
    text: str
    pos: int
    value: int | str | None = None


def show_char(ch: str) -> str:
    """A character as an author can read it in a message: quoted, or U+XXXX."""
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return f"U+{ord(ch):04X}"


def _is_control(ch: str) -> bool:
    return ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0


def tokenize(source: str) -> Iterator[Token]:
    """Yield the tokens of ``source``, ending with one ``EOF`` token.

    Raises :class:`ExprError` at the first character that cannot start a token.
    """
    n = len(source)
    i = 0
    while True:
        while i < n and source[i] in _SPACE:
            i += 1
        if i >= n:
            yield Token("EOF", "", n)
            return
        ch = source[i]
        if ch in _DIGITS:
            token = _number(source, i)
        elif ch in _NAME_START:
            token = _name(source, i)
        elif ch in "'\"":
            token = _string(source, i)
        else:
            token = _operator(source, i)
        yield token
        i = token.pos + len(token.text)


def _number(source: str, start: int) -> Token:
    end = start
    while end < len(source) and source[end] in _DIGITS:
        end += 1
    if end < len(source) and source[end] in _NAME_START:
        word_end = end
        while word_end < len(source) and source[word_end] in _NAME_CHARS:
            word_end += 1
        raise ExprError(
            f"'{_clip(source[start:word_end])}' is neither a number nor a name",
            start,
            "names start with a letter or '_'",
        )
    if end + 1 < len(source) and source[end] == "." and source[end + 1] in _DIGITS:
        raise ExprError("only whole numbers are supported", start)
    text = source[start:end]
    if len(text) > MAX_INT_DIGITS:
        raise ExprError(f"integer literal is longer than {MAX_INT_DIGITS} digits", start)
    return Token("INT", text, start, int(text))


def _name(source: str, start: int) -> Token:
    end = start
    while end < len(source) and source[end] in _NAME_CHARS:
        end += 1
    if end < len(source) and source[end].isalnum():
        raise ExprError(
            f"{show_char(source[end])} is not allowed in a name",
            end,
            "names use ASCII letters, digits and '_'",
        )
    text = source[start:end]
    return Token(text if text in KEYWORDS else "NAME", text, start, text)


def _string(source: str, start: int) -> Token:
    quote = source[start]
    parts: list[str] = []
    i = start + 1
    while True:
        if i >= len(source):
            raise ExprError("unterminated string", start, f"close it with {quote}")
        ch = source[i]
        if ch == quote:
            return Token("STRING", source[start : i + 1], start, "".join(parts))
        if ch == "\\":
            if i + 1 >= len(source):
                raise ExprError("unterminated string", start, f"close it with {quote}")
            escaped = source[i + 1]
            if escaped not in _ESCAPES:
                shown = f"'\\{escaped}'" if escaped.isprintable() else show_char(escaped)
                raise ExprError(f"unknown escape {shown}", i, _ESCAPE_HINT)
            parts.append(_ESCAPES[escaped])
            i += 2
            continue
        if ch in "\n\r":
            raise ExprError("a string cannot span lines", i, "write \\n for a line break")
        if _is_control(ch) and ch != "\t":
            raise ExprError(f"control character {show_char(ch)} is not allowed", i)
        parts.append(ch)
        i += 1


def _operator(source: str, start: int) -> Token:
    pair = source[start : start + 2]
    if pair in _TWO_CHAR_OPS:
        return Token(pair, pair, start)
    if pair in _UNSUPPORTED:
        message, hint = _UNSUPPORTED[pair]
        raise ExprError(message, start, hint)
    ch = source[start]
    if ch in _ONE_CHAR_OPS:
        return Token(ch, ch, start)
    if ch in _UNSUPPORTED:
        message, hint = _UNSUPPORTED[ch]
        raise ExprError(message, start, hint)
    if _is_control(ch):
        raise ExprError(f"control character {show_char(ch)} is not allowed", start)
    if ch.isalnum():
        raise ExprError(
            f"{show_char(ch)} is not allowed in a name",
            start,
            "names use ASCII letters, digits and '_'",
        )
    raise ExprError(f"unexpected character {show_char(ch)}", start)


def _clip(text: str, width: int = 20) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def describe(token: Token) -> str:
    """A token as a message quotes it: ``'coins'``, ``')'``, ``string "x"``."""
    if token.kind == "EOF":
        return "the end of the expression"
    if token.kind == "STRING":
        return f"string {_clip(token.text)}"
    return f"'{_clip(token.text)}'"
