"""The expression language's limits, in one place (docs/format.md cites them).

They exist so that a hostile story file cannot make the parser or the
evaluator slow, deeply recursive or memory-hungry.
"""

from __future__ import annotations

MAX_SOURCE_CHARS = 1000
"""Longest expression or effect source, in characters; checked before lexing."""

MAX_DEPTH = 32
"""Deepest nesting of parentheses and unary operators (``not``, ``-``) together."""

MAX_INT_DIGITS = 18
"""Most digits in an integer literal (so every literal fits in 64 bits)."""

MAX_STRING_CHARS = 10_000
"""Longest string that ``+`` may build while a story is played (see evaluate)."""
