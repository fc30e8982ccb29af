"""The scene graph of a story, and what can reach what: linear-time BFS.

Only the choices' targets are edges; conditions are ignored here (the
exploration in :mod:`carnet.tools.lint.explore` takes them into account).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

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


def build_graph(story: Story) -> Graph:
    """Forward and backward reachability in O(scenes + choices)."""
    scenes = story.scenes
    successors: dict[str, tuple[str, ...]] = {}
    predecessors: dict[str, list[str]] = {}
    for sid, scene in scenes.items():
        targets = tuple(dict.fromkeys(c.target for c in scene.choices if c.target in scenes))
        successors[sid] = targets
        for target in targets:
            predecessors.setdefault(target, []).append(sid)
    reachable = reachable_from([story.start] if story.start in scenes else [], successors)
    endings = [sid for sid, scene in scenes.items() if scene.is_ending]
    on_cycle, level = _components(successors)
    return Graph(successors, frozenset(reachable),
                 frozenset(reachable_from(endings, predecessors)), frozenset(on_cycle), level)


def _components(successors: Mapping[str, tuple[str, ...]]) -> tuple[set[str], dict[str, int]]:
    """The scenes in a cycle (a strongly connected component of two or more, or
    a self-loop), and each scene's component level in topological order.
    Tarjan's algorithm with an explicit stack (no recursion limit); it
    completes the components in reverse topological order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: set[str] = set()
    completed: dict[str, int] = {}  # scene -> its component's number, sinks first
    components = 0
    for root in successors:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = successors.get(node, ())
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:  # back in the parent: pass the low-link up
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                completed.update((member, components) for member in component)
                components += 1
                if len(component) > 1 or node in targets:
                    result.update(component)
    return result, {sid: components - 1 - c for sid, c in completed.items()}
