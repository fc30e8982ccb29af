"""The scene graph of a story, and what can reach what: linear-time walks
over the numbered edges of the lint index.

Only the choices' targets are edges; conditions are ignored here (the
exploration in :mod:`carnet.tools.lint.explore` takes them into account).
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from typing import TypeVar

import attrs

from carnet.engine.model import Story
from carnet.tools.lint.index import Numbered, StoryIndex, marked

_S = TypeVar("_S")


class Members(Set[str]):
    """The scene ids whose byte is 1 in a column numbered like the index's ids
    (a set of ids that holds a byte per scene, not a hashed string)."""

    __slots__ = ("_bits", "_ids", "_number")

    def __init__(self, ids: Sequence[str], number: Mapping[str, int], bits: bytes) -> None:
        self._ids = ids
        self._number = number
        self._bits = bits

    def __contains__(self, sid: object) -> bool:
        at = self._number.get(sid) if isinstance(sid, str) else None
        return at is not None and self._bits[at] == 1

    def __iter__(self) -> Iterator[str]:
        ids = self._ids
        return (ids[at] for at in marked(self._bits))

    def __len__(self) -> int:
        return self._bits.count(1)

    @classmethod
    def _from_iterable(cls, it: Iterable[_S]) -> frozenset[_S]:
        return frozenset(it)  # what &, |, - give


@attrs.frozen
class Components:
    """The graph's strongly connected components: ``on_cycle``, the scenes that
    can be entered again after leaving them; ``level``, each scene's
    component numbered in topological order: a choice never leads to a lower
    level, and two scenes share a level exactly when each can reach the other."""

    on_cycle: Members
    level: Mapping[str, int]


@attrs.frozen
class Graph:
    """The scene graph, numbered like the :class:`StoryIndex` it was made from.

    ``successors`` lists each scene's distinct targets that exist, in file
    order; ``reachable`` (from the start scene) and ``reaches_ending``
    (scenes from which some ending can be reached) are sets of ids, kept
    as a byte per scene: ``forward`` and ``backward``, for the rules' scans
    (:func:`~carnet.tools.lint.index.marked`). The components
    (``on_cycle``, ``level``; only the exploration asks) are found the first
    time they are asked for.
    """

    forward: bytes
    backward: bytes
    successors: Mapping[str, tuple[str, ...]]
    reachable: Members
    reaches_ending: Members
    _index: StoryIndex = attrs.field(alias="index", eq=False, repr=False)

    @functools.cached_property
    def components(self) -> Components:
        index = self._index
        ids, number = index.ids, index.number
        on_cycle, levels = _components(index.targets)
        cycle = bytearray(len(ids))
        for i in on_cycle:
            cycle[i] = 1
        return Components(Members(ids, number, bytes(cycle)), Numbered(ids, number, levels))

    @property
    def on_cycle(self) -> Members:
        return self.components.on_cycle

    @property
    def level(self) -> Mapping[str, int]:
        return self.components.level


def reachable_from(seeds: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every node reachable from ``seeds`` (included) along ``edges``: a BFS,
    O(nodes + edges). The one such walk: graph checks elsewhere reuse it."""
    seen = set(seeds)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


class _Successors(Mapping[str, tuple[str, ...]]):
    """Each scene's distinct targets, by id, made from the numbered graph on
    demand (the rules never ask; a story of 100k scenes need not hold 100k
    tuples of ids)."""

    __slots__ = ("_ids", "_number", "_succ")

    def __init__(self, ids: Sequence[str], number: Mapping[str, int],
                 succ: Sequence[Sequence[int]]) -> None:
        self._ids = ids
        self._number = number
        self._succ = succ

    def __getitem__(self, sid: str) -> tuple[str, ...]:
        ids = self._ids
        return tuple(ids[t] for t in self._succ[self._number[sid]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def build_graph(story: Story, index: StoryIndex | None = None) -> Graph:
    """Forward and backward reachability in O(scenes + choices), on the
    numbered edges of the story's ``index`` (made when not given): no
    hashing at all."""
    index = index or StoryIndex.of(story)
    ids, number, succ = index.ids, index.number, index.targets
    pred: list[list[int]] = [[] for _ in ids]
    for i, targets in enumerate(succ):
        for t in targets:
            pred[t].append(i)
    start = number.get(story.start)
    forward = bytes(_reach([] if start is None else [start], succ))
    backward = bytes(_reach(list(marked(index.ending)), pred))
    return Graph(forward, backward, _Successors(ids, number, succ),
                 Members(ids, number, forward), Members(ids, number, backward), index=index)


def _reach(seeds: list[int], edges: Sequence[Sequence[int]]) -> bytearray:
    """1 for each node reachable from ``seeds`` along ``edges``, else 0."""
    seen = bytearray(len(edges))
    stack = []
    for seed in seeds:
        if not seen[seed]:
            seen[seed] = 1
            stack.append(seed)
    while stack:
        for nxt in edges[stack.pop()]:
            if not seen[nxt]:
                seen[nxt] = 1
                stack.append(nxt)
    return seen


def _components(successors: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    """The scenes in a cycle (a strongly connected component of two or more, or
    a self-loop), and each scene's component level in topological order.
    Tarjan's algorithm with an explicit stack (no recursion limit); it
    completes the components in reverse topological order."""
    count = len(successors)
    index = [-1] * count
    low = [0] * count
    on_stack = bytearray(count)
    stack: list[int] = []
    result: list[int] = []
    completed = [0] * count  # scene -> its component's number, sinks first
    numbered = 0
    components = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = numbered
                numbered += 1
                stack.append(node)
                on_stack[node] = 1
            targets = successors[node]
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if index[nxt] < 0:
                    work.append((nxt, 0))
                elif on_stack[nxt] and index[nxt] < low[node]:
                    low[node] = index[nxt]
                continue
            if work:  # back in the parent: pass the low-link up
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = 0
                    completed[member] = components
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in targets:
                    result.extend(component)
                components += 1
    top = components - 1
    return result, [top - c for c in completed]
