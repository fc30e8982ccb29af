"""Which declared variables the story reads and which it writes."""

from __future__ import annotations

import attrs

from carnet.engine.model import Story
from carnet.tools.lint.index import StoryIndex


@attrs.frozen
class VariableUse:
    """``reads``: names in conditions, effect values, ``{name}`` and conditions in text (the
    target of ``x += 1`` is not a read: it only feeds itself). ``writes``:
    targets of effects."""

    reads: frozenset[str]
    writes: frozenset[str]


def variable_use(story: Story, index: StoryIndex | None = None) -> VariableUse:
    """What ``story`` reads and writes, from its ``index`` (made when not given)."""
    index = index or StoryIndex.of(story)
    reads = set(index.names)
    writes: set[str] = set()
    for use in index.distinct():
        reads |= use.reads
        writes |= use.writes
    return VariableUse(frozenset(reads), frozenset(writes))
