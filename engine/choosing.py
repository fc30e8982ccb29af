"""Choosing by text: how typed words name a choice, for the REPL, its Tab
completion and walkthroughs (`carnet test`) alike.

Text is compared case-folded, accents dropped (``ines`` matches ``Inês``),
runs of spaces collapsed and leading punctuation (quotes, dashes) dropped.
A choice is named by its whole text, or by the start of it when only one
choice starts that way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_WORDS = re.compile(r"\s+")
_LEADING_PUNCT = re.compile(r"^[\W_]+")


def normalize(text: str) -> str:
    """``text`` as compared for typed choices."""
    folded = unicodedata.normalize("NFKD", _WORDS.sub(" ", text.strip()).casefold())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return _LEADING_PUNCT.sub("", unicodedata.normalize("NFC", bare))


def named(options: Sequence[tuple[T, str]], typed: str) -> tuple[T, ...]:
    """The options (each with its shown text) that ``typed`` names: the one
    whose whole text it is, else every one whose text it starts. Empty when
    ``typed`` is blank or names none; more than one when it is ambiguous."""
    wanted = normalize(typed)
    if not wanted:
        return ()
    texts = [(option, normalize(text)) for option, text in options]
    exact = tuple(option for option, text in texts if text == wanted)
    if len(exact) == 1:
        return exact
    return tuple(option for option, text in texts if text.startswith(wanted))
