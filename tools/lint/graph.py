"""The scene graph of a story, and what can reach what: linear-time BFS.

Only the choices' targets are edges; conditions are ignored here (the
exploration in :mod:`carnet.tools.lint.explore` takes them into account).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from itertools import compress

import attrs

from carnet.engine.model import Story


@attrs.frozen
class Graph:
    """``successors`` lists each scene's distinct targets that exist, in file order."""

    successors: Mapping[str, tuple[str, ...]]
    reachable: frozenset[str]  # from the start scene
    reaches_ending: frozenset[str]  # scenes from which some ending can be reached
    on_cycle: frozenset[str]  # scenes that can be entered again after leaving them
    # each scene's strongly connected component, numbered in topological
    # order: a choice never leads to a lower level, and two scenes share a
    # level exactly when each can reach the other
    level: Mapping[str, int]


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

    def __init__(self, ids: list[str], number: Mapping[str, int], succ: list[list[int]]) -> None:
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


def build_graph(story: Story) -> Graph:
    """Forward and backward reachability in O(scenes + choices).

    Scenes are numbered in story order and the walks run on lists of
    numbers: one lookup of an id per choice, then no hashing at all.
    """
    scenes = story.scenes
    ids = list(scenes)
    number = dict(zip(ids, range(len(ids)), strict=True))
    succ: list[list[int]] = []
    endings: list[int] = []
    find = number.get
    for i, scene in enumerate(scenes.values()):
        targets = [t for c in scene.choices if (t := find(c.target)) is not None]
        succ.append(list(dict.fromkeys(targets)) if len(targets) > 1 else targets)
        if scene.is_ending:
            endings.append(i)
    pred: list[list[int]] = [[] for _ in ids]
    for i, targets in enumerate(succ):
        for t in targets:
            pred[t].append(i)
    start = find(story.start)
    forward = _reach([] if start is None else [start], succ)
    backward = _reach(endings, pred)
    on_cycle, level = _components(succ)
    return Graph(_Successors(ids, number, succ),
                 frozenset(compress(ids, forward)), frozenset(compress(ids, backward)),
                 frozenset(ids[i] for i in on_cycle),
                 dict(zip(ids, level, strict=True)))


def _reach(seeds: list[int], edges: list[list[int]]) -> bytearray:
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


def _components(successors: list[list[int]]) -> tuple[list[int], list[int]]:
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
