"""The scene graph of a story, and what can reach what: linear-time BFS.

Only the choices' targets are edges; conditions are ignored here (the
exploration in :mod:`tools.lint.explore` takes them into account).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

import attrs

from engine.model import Story


@attrs.frozen
class Graph:
    """``successors`` lists each scene's distinct targets that exist, in file order."""

    successors: Mapping[str, tuple[str, ...]]
    reachable: frozenset[str]  # from the start scene
    reaches_ending: frozenset[str]  # scenes from which some ending can be reached


def _bfs(seeds: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
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
    reachable = _bfs([story.start] if story.start in scenes else [], successors)
    endings = [sid for sid, scene in scenes.items() if scene.is_ending]
    return Graph(successors, frozenset(reachable), frozenset(_bfs(endings, predecessors)))
