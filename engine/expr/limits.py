"""The expression language's limits (they live with every other limit in
:mod:`carnet.engine.limits`; docs/format.md cites them).

They exist so that a hostile story file cannot make the parser or the
evaluator slow, deeply recursive or memory-hungry.
"""

from __future__ import annotations

from carnet.engine.limits import (
    MAX_DEPTH,
    MAX_INT,
    MAX_INT_DIGITS,
    MAX_SOURCE_CHARS,
    MAX_STRING_CHARS,
    int_in_range,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_INT_DIGITS",
    "MAX_SOURCE_CHARS",
    "MAX_STRING_CHARS",
    "int_in_range",
]
