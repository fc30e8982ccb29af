"""Every limit carnet puts on a story, in one place (docs/format.md lists them).

Story files are untrusted input: these bounds keep the loader, lint and the
players fast and small whatever a file holds. Each exceeded limit is reported
as a clear error at its position (the loader, the expression parser) or, at
run time, as an :class:`~carnet.engine.expr.errors.EvalError` the player shows
instead of taking the choice.
"""

from __future__ import annotations

# -- files and folders --------------------------------------------------------
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest story file, in bytes (checked before it is parsed)."""

MAX_STORY_BYTES = 256 * 1024 * 1024
"""Largest story: all its files together, in bytes."""

MAX_FILES = 10_000
"""Most ``.yaml`` files in one story folder (``story.yaml`` included)."""

MAX_NESTING = 100
"""Deepest nesting of lists and mappings, block or flow (``[ ]``, ``{ }``),
below a YAML file's top level; brackets inside quoted text do not count."""

# -- the story ----------------------------------------------------------------
MAX_SCENES = 100_000
"""Most scenes in one story."""

MAX_VARIABLES = 10_000
"""Most variables in one story."""

# -- expressions and values ---------------------------------------------------
MAX_SOURCE_CHARS = 1000
"""Longest expression or effect source, in characters; checked before lexing."""

MAX_DEPTH = 32
"""Deepest nesting of parentheses and unary operators (``not``, ``-``) together."""

MAX_INT_DIGITS = 18
"""Most digits in an integer, written or computed."""

MAX_INT: int = 10**MAX_INT_DIGITS - 1
"""Largest integer (and ``-MAX_INT`` the smallest): the same cap for literals in
expressions, variable defaults, ``set`` in the REPL and the results of effects."""

MAX_STRING_CHARS = 10_000
"""Longest string value: a default, or what ``+`` builds while a story is played."""


def int_in_range(value: int) -> bool:
    """Whether ``value`` fits carnet's integers (``-MAX_INT`` to ``MAX_INT``)."""
    return -MAX_INT <= value <= MAX_INT
