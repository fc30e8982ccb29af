"""A scene's text rendered once per set of values it reads.

:func:`carnet.engine.template.render_blocks` walks a scene's blocks and
templates every time. A :class:`TextPlan` knows, from the compiled text,
which variables and which ``visits(...)`` the text reads (``{name}``, the
conditions of ``{if ...}`` and of conditional paragraphs); it renders through
``render_blocks`` and keeps the result keyed by those values, each with its
type (so ``true`` and ``1`` never share an entry). Text that reads nothing is
rendered once. The rendering depends on nothing else, so a cached text is the
one ``render_blocks`` would give; a rendering that raises is not kept.

Memory stays bounded however long a game is: at most
:data:`TEXTS_PER_SCENE` renderings per text (the text's cache is emptied
when full), and at most :data:`CACHE_BUDGET` characters (rendered text plus
the string values in keys, and a fixed cost per entry) over all texts
together, past which every cache is emptied.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from operator import itemgetter

from carnet.engine.expr.nodes import Expression, Value
from carnet.engine.expr.walk import scenes_read, variables_read
from carnet.engine.template import Block, Conditional, Template, VarRef, render_blocks

TEXTS_PER_SCENE = 8
"""The most renderings of one text kept (the text's cache is emptied when full)."""
CACHE_BUDGET = 2_000_000
"""The most characters kept by all the caches together (see :func:`cache_cost`)."""
ENTRY_COST = 64
"""What one entry counts for, on top of its characters."""

Key = Callable[[Mapping[str, Value], Mapping[str, int]], Hashable]

_filled: list[dict[Hashable, tuple[str, ...]]] = []  # every cache kept into since the last clear
_used = [0]  # what they hold, counted as in cache_cost
_generation = [0]  # how many times every cache was emptied


def cache_cost() -> int:
    """What the caches hold now, in the units of :data:`CACHE_BUDGET`."""
    return _used[0]


def clear_caches() -> None:
    """Empty every text cache (the texts are rendered again when next shown)."""
    for cache in _filled:
        cache.clear()
    _filled.clear()
    _used[0] = 0
    _generation[0] += 1


class TextPlan:
    """One sequence of blocks (a scene's ``text`` or ``revisit``), rendered
    through a cache keyed by the values it reads."""

    __slots__ = ("_blocks", "_cache", "_chars", "_fixed", "_generation", "_key", "_known",
                 "_names")

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self._blocks = blocks
        self._fixed: tuple[str, ...] | None = None
        self._cache: dict[Hashable, tuple[str, ...]] = {}
        self._chars = 0  # what this cache holds, counted as in cache_cost
        self._generation = -1  # the clear_caches generation this cache is in _filled for
        reads = _reads(blocks)
        self._known = reads is not None
        names, scenes = reads or ((), ())
        self._names = names
        self._key = _key(names, scenes) if names or scenes else None

    def render(self, variables: Mapping[str, Value],
               visits: Mapping[str, int]) -> tuple[str, ...]:
        """``render_blocks(blocks, variables, visits)``, from the cache when it can."""
        fixed = self._fixed
        if fixed is not None:
            return fixed
        key_of = self._key
        if key_of is None:
            text = render_blocks(self._blocks, variables, visits)
            if self._known:  # reads nothing: the same text in every state
                self._fixed = text
            return text
        try:
            key = key_of(variables, visits)
        except KeyError:  # a variable missing: rendering says what it does
            return render_blocks(self._blocks, variables, visits)
        found = self._cache.get(key)
        if found is None:
            found = render_blocks(self._blocks, variables, visits)
            self._keep(key, found, variables)
        return found

    def _keep(self, key: Hashable, text: tuple[str, ...],
              variables: Mapping[str, Value]) -> None:
        cost = ENTRY_COST + sum(map(len, text))
        for name in self._names:
            value = variables[name]
            if isinstance(value, str):
                cost += len(value)
        if cost > CACHE_BUDGET // 16:
            return  # too big to be worth keeping
        cache = self._cache
        if len(cache) >= TEXTS_PER_SCENE:
            cache.clear()
            _used[0] -= self._chars
            self._chars = 0
        if _used[0] + cost > CACHE_BUDGET:
            clear_caches()
        if self._generation != _generation[0]:  # new, or emptied by clear_caches
            self._generation = _generation[0]
            self._chars = 0
            _filled.append(cache)
        cache[key] = text
        self._chars += cost
        _used[0] += cost


def _reads(blocks: tuple[Block, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The variables and the scenes (of ``visits(...)``) that rendering
    ``blocks`` can read, sorted; None when the text holds a part this module
    does not know (it is then rendered every time)."""
    names: set[str] = set()
    scenes: set[str] = set()

    def condition(expression: Expression) -> None:
        names.update(variables_read(expression.root))
        scenes.update(scenes_read(expression.root))

    pending: list[object] = []
    for block in blocks:
        if block.condition is not None:
            condition(block.condition)
        pending.extend(block.paragraphs)
        pending.extend(block.otherwise)
    while pending:
        item = pending.pop()
        if isinstance(item, Template):
            pending.extend(item.parts)
        elif isinstance(item, str):
            continue
        elif isinstance(item, VarRef):
            names.add(item.name)
        elif isinstance(item, Conditional):
            for branch in item.branches:
                if branch.condition is not None:
                    condition(branch.condition)
                pending.extend(branch.parts)
        else:
            return None
    return tuple(sorted(names)), tuple(sorted(scenes))


def _key(names: tuple[str, ...], scenes: tuple[str, ...]) -> Key:
    """A function giving the values ``names`` and ``scenes`` have in a state,
    each variable's with its type; KeyError when a variable is missing."""
    if len(names) == 1 and not scenes:
        name = names[0]

        def one(variables: Mapping[str, Value], visits: Mapping[str, int]) -> Hashable:
            value = variables[name]
            return value, value.__class__
        return one
    if names and not scenes:
        several = itemgetter(*names)

        def values(variables: Mapping[str, Value], visits: Mapping[str, int]) -> Hashable:
            found = several(variables)
            return found, tuple(map(type, found))
        return values

    def with_visits(variables: Mapping[str, Value], visits: Mapping[str, int]) -> Hashable:
        found = tuple([variables[name] for name in names])
        return found, tuple(map(type, found)), tuple([visits.get(s, 0) for s in scenes])
    return with_visits
