"""What a rule gets (the loaded story, where things are, shared analyses) and
what it gives back (a :class:`Finding`)."""

from __future__ import annotations

from typing import Any

import attrs

from carnet.engine.model import Story
from carnet.engine.sourcemap import Pos, SourceMap
from carnet.tools.lint.explore import Exploration, explore
from carnet.tools.lint.graph import Graph, build_graph
from carnet.tools.lint.index import StoryIndex
from carnet.tools.lint.variables import VariableUse, variable_use


@attrs.frozen
class Finding:
    """One thing a rule found: the scene it is about (None: the whole story),
    where to point, what is wrong, and how to mend it.

    The runner adds the rule's code and severity; the suppression stage
    (:mod:`carnet.tools.lint.noqa`) applies the scene's ``noqa``.
    """

    scene: str | None
    pos: Pos
    message: str
    hint: str | None = None


class NotExplored(RuntimeError):
    """A rule asked for the exploration, which runs only when an X4xx code is selected."""


@attrs.frozen
class LintContext:
    """One story being linted: read-only, shared by every rule.

    ``graph``, ``index`` (what each scene reads and writes, each expression
    walked once) and ``variables`` (which variables the story reads and
    writes) are computed once for all the rules and the exploration.

    ``explored`` is the state-space walk, made once before the rules run when
    some X4xx rule is selected (None otherwise); X4xx rules read it through
    :meth:`exploration`.
    """

    story: Story
    source_map: SourceMap
    story_file: str  # the display path of story.yaml, for findings about the whole story
    graph: Graph
    index: StoryIndex
    variables: VariableUse
    explored: Exploration | None = None

    @classmethod
    def build(cls, story: Story, source_map: SourceMap, story_file: str,
              max_states: int | None) -> LintContext:
        """The context of ``story``, explored up to ``max_states`` (None: not explored)."""
        index = StoryIndex.of(story)
        graph = build_graph(story, index)
        seen = None if max_states is None else explore(story, max_states, graph, index)
        return cls(story, source_map, story_file, graph, index, variable_use(story, index), seen)

    def exploration(self) -> Exploration:
        if self.explored is None:
            raise NotExplored("the exploration runs only for X4xx rules")
        return self.explored

    # -- positions -------------------------------------------------------------
    def _fallback(self) -> Pos:
        return Pos(self.story_file, 1, 1)

    def scene_pos(self, scene_id: str, *path: Any) -> Pos:
        """A scene's id (no ``path``) or a value inside it."""
        return self.source_map.scene(scene_id, *path) or self._fallback()

    def key_pos(self, scene_id: str | None, *path: Any) -> Pos:
        """The key of ``path`` (in a scene, or in story.yaml when ``scene_id`` is None)."""
        return self.source_map.key(scene_id, *path) or self._fallback()
