"""Quoted speech marks inside one paragraph.

Double quotes (straight ``"`` or curly ``“ ”``) are used when the story has
any; otherwise single quotes (``‘ ’`` or ``'``), where a quote mark must sit at
a word's edge so that apostrophes ("don't", "the boys' room") are not taken for
quotes. A quote left open runs to the end of the paragraph, as in a speech
that goes on over several paragraphs.
"""

from __future__ import annotations

import re

import attrs

_DOUBLE = re.compile(r"[\"“”«»]")
_SINGLE = re.compile(r"['‘’]")


@attrs.frozen
class Quote:
    """A quotation: ``start``/``end`` include the marks, ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int


def uses_double_quotes(text: str) -> bool:
    return _DOUBLE.search(text) is not None


def _letter(ch: str) -> bool:
    return ch.isalnum()


def _double_quotes(paragraph: str) -> list[Quote]:
    quotes: list[Quote] = []
    opened: int | None = None
    text_start = len(paragraph) - len(paragraph.lstrip())
    for match in _DOUBLE.finditer(paragraph):
        pos = match.start()
        mark = match.group(0)
        if opened is None:
            if mark in "”»" and not quotes and pos > text_start:
                continue  # a stray closing mark
            opened = pos
        elif mark in "“«" and pos > opened + 1:
            continue  # a nested or stray opening mark inside a quote
        else:
            quotes.append(Quote(opened, pos + 1, opened + 1, pos))
            opened = None
    if opened is not None:
        quotes.append(Quote(opened, len(paragraph), opened + 1, len(paragraph)))
    return quotes


def _single_quotes(paragraph: str) -> list[Quote]:
    """Single quotes. With curly marks, ``‘`` always opens, and a quote closes at
    the last ``’`` at a word's end before the next ``‘``: "the boys’ room" inside
    a quote does not close it. Straight ``'`` closes at the first word end."""
    quotes: list[Quote] = []
    opened: int | None = None
    closer: int | None = None  # the best closing mark seen for the open quote
    size = len(paragraph)

    def close(limit: int) -> None:
        """Close the open quote at its best closing mark, else just before ``limit``."""
        nonlocal opened, closer
        if opened is not None:
            if closer is not None:
                quotes.append(Quote(opened, closer + 1, opened + 1, closer))
            else:
                end = limit
                while end > opened + 1 and paragraph[end - 1].isspace():
                    end -= 1
                quotes.append(Quote(opened, end, opened + 1, end))
        opened = closer = None

    for match in _SINGLE.finditer(paragraph):
        pos = match.start()
        mark = match.group(0)
        before = paragraph[pos - 1] if pos > 0 else " "
        after = paragraph[pos + 1] if pos + 1 < size else " "
        if _letter(before) and _letter(after):
            continue  # an apostrophe inside a word
        opens = mark != "’" and not _letter(before) and not after.isspace()
        closes = mark != "‘" and not _letter(after) and not before.isspace()
        if opened is None:
            if opens:
                opened = pos
        elif mark == "‘" and opens:
            close(pos)
            opened = pos
        elif closes:
            closer = pos
            if mark == "'":
                close(size)
    if opened is not None:
        if closer is None:
            quotes.append(Quote(opened, size, opened + 1, size))
        else:
            close(size)
    return quotes


def find_quotes(paragraph: str, *, double: bool) -> tuple[Quote, ...]:
    """The quotations of a paragraph, in order (see the module docstring)."""
    if double:
        return tuple(_double_quotes(paragraph))
    return tuple(_single_quotes(paragraph))
