"""The scene graph of a story, ready to draw: pure, no output format here.

Nodes come in story order and edges in choice order, so the same story
always gives the same drawing. The canonical path follows each scene's
``canon: true`` choice from the start until an ending (or a scene without
one, or a scene already on the path).
"""

from __future__ import annotations

from typing import Literal

import attrs

from carnet.engine.model import Choice, Story

NodeKind = Literal["scene", "ending"]


@attrs.frozen
class Node:
    id: str
    kind: NodeKind
    start: bool = False
    draft: bool = False
    canon: bool = False
    ending: str | None = None  # the ending's label


@attrs.frozen
class Edge:
    source: str
    target: str
    index: int  # the position in its scene of the first choice drawn as this edge
    text: str
    condition: str | None = None
    once: bool = False
    canon: bool = False

    @property
    def label(self) -> str:
        """What is written on the edge: its condition, and ``once``."""
        parts = []
        if self.condition is not None:
            parts.append(f"if {self.condition}")
        if self.once:
            parts.append("once")
        return ", ".join(parts)


@attrs.frozen
class Graph:
    id: str
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def canon_path(story: Story) -> list[tuple[str, int]]:
    """(scene, choice index) of each canonical step from the start."""
    path: list[tuple[str, int]] = []
    scene_id, seen = story.start, set()
    while scene_id not in seen:
        seen.add(scene_id)
        scene = story.scenes.get(scene_id)
        if scene is None or scene.is_ending:
            break
        index = next((i for i, c in enumerate(scene.choices) if c.canon), None)
        if index is None:
            break
        path.append((scene_id, index))
        scene_id = scene.choices[index].target
    return path


def _edge(source: str, index: int, choice: Choice, canon: bool) -> Edge:
    condition = choice.condition.source.strip() if choice.condition is not None else None
    return Edge(source, choice.target, index, choice.text, condition, choice.once, canon)


def build(story: Story) -> Graph:
    steps = set(canon_path(story))
    on_path = {s for s, _ in steps} | {story.scenes[s].choices[i].target for s, i in steps}
    nodes = tuple(
        Node(scene.id, "ending" if scene.is_ending else "scene", start=scene.id == story.start,
             draft=scene.draft, canon=scene.id in on_path, ending=scene.ending)
        for scene in story.scenes.values())
    edges: dict[tuple[str, str, str], Edge] = {}
    for scene in story.scenes.values():
        for i, choice in enumerate(scene.choices):
            edge = _edge(scene.id, i, choice, (scene.id, i) in steps)
            key = (edge.source, edge.target, edge.label)
            # parallel choices that look alike are drawn once (canonical if one is)
            if key not in edges or edge.canon:
                edges[key] = edge if key not in edges else attrs.evolve(edges[key], canon=True)
    # a folder name that is not valid UTF-8 (the story id) is drawn with U+FFFD
    shown_id = story.id.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return Graph(shown_id, story.title, nodes, tuple(edges.values()))
