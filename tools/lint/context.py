"""What a rule gets: the loaded story, where things are, and shared analyses."""

from __future__ import annotations

from typing import Any

import attrs

from carnet.engine.diagnostics import Diagnostic, Severity
from carnet.engine.model import Story
from carnet.engine.sourcemap import Pos, SourceMap
from carnet.tools.lint.explore import DEFAULT_MAX_STATES, Exploration, explore
from carnet.tools.lint.graph import Graph, build_graph


@attrs.define
class LintContext:
    """One story being linted.

    ``owners`` records which scene each finding belongs to, so the runner can
    apply that scene's ``noqa``; rules fill it through :meth:`finding`.
    """

    story: Story
    source_map: SourceMap
    story_file: str  # the display path of story.yaml, for findings about the whole story
    max_states: int = DEFAULT_MAX_STATES
    graph: Graph = attrs.field(init=False)
    owners: dict[Diagnostic, str] = attrs.field(init=False, factory=dict)
    # filled by the runner for N501: the rule codes that ran, and the
    # (scene, noqa code) pairs that silenced a finding
    ran: frozenset[str] = attrs.field(init=False, default=frozenset())
    silenced: set[tuple[str, str]] = attrs.field(init=False, factory=set)
    _exploration: Exploration | None = attrs.field(init=False, default=None)

    def __attrs_post_init__(self) -> None:
        self.graph = build_graph(self.story)

    def exploration(self) -> Exploration:
        """The state-space walk, computed once for all the rules that need it."""
        if self._exploration is None:
            self._exploration = explore(self.story, self.max_states, self.graph)
        return self._exploration

    @property
    def explored(self) -> Exploration | None:
        """The exploration if some rule already ran it (never starts one)."""
        return self._exploration

    # -- positions -------------------------------------------------------------
    def _fallback(self) -> Pos:
        return Pos(self.story_file, 1, 1)

    def scene_pos(self, scene_id: str, *path: Any) -> Pos:
        """A scene's id (no ``path``) or a value inside it."""
        return self.source_map.scene(scene_id, *path) or self._fallback()

    def key_pos(self, scene_id: str | None, *path: Any) -> Pos:
        """The key of ``path`` (in a scene, or in story.yaml when ``scene_id`` is None)."""
        return self.source_map.key(scene_id, *path) or self._fallback()

    def story_pos(self, *path: Any) -> Pos:
        return self.source_map.story(*path) or self._fallback()

    # -- findings --------------------------------------------------------------
    def finding(self, pos: Pos, code: str, severity: Severity, message: str,
                hint: str | None = None, scene: str | None = None) -> Diagnostic:
        """A finding at ``pos``; ``scene`` is the scene whose ``noqa`` applies."""
        found = Diagnostic(pos.path, pos.line, pos.col, code, message, severity, hint)
        if scene is not None:
            self.owners[found] = scene
        return found
