"""The immutable story model.

A :class:`Story` never changes once loaded; everything that changes while a
story is played lives in :class:`engine.state.State`. Positions in the YAML
source are not stored here: they live in :class:`engine.sourcemap.SourceMap`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from carnet.engine.expr.nodes import Effect, Expression, Value, VarType
from carnet.engine.expr.walk import variables_read
from carnet.engine.template import (
    Block,
    Template,
    Text,
    TextCondition,
    block_conditions,
    literal_template,
    plain_blocks,
    template_conditions,
)

FORMAT_VERSION = 1


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(value, (MappingProxyType, LazyScenes)):
        return value  # already read-only: no copy
    return MappingProxyType(dict(value))


@attrs.frozen
class Choice:
    text: str
    target: str
    condition: Expression | None = None
    effects: tuple[Effect, ...] = ()
    once: bool = False
    canon: bool = False
    # ``text`` compiled (``text`` itself when it has nothing to fill in); the
    # loader gives it, other callers get it parsed from ``text``.
    template: Text = attrs.field(
        default=attrs.Factory(lambda self: literal_template(self.text), takes_self=True),
        eq=False, repr=False)


@attrs.frozen
class Scene:
    id: str
    paragraphs: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    on_enter: tuple[Effect, ...] = ()
    draft: bool = False
    noqa: frozenset[str] = frozenset()
    # ``paragraphs`` holds the source paragraphs of ``text:`` (every branch of a
    # conditional paragraph included); ``text`` is what is rendered, compiled.
    # ``revisit`` is shown instead of ``text`` from the second visit on.
    text: tuple[Block, ...] = attrs.field(
        default=attrs.Factory(lambda self: plain_blocks(self.paragraphs), takes_self=True),
        eq=False, repr=False)
    revisit: tuple[Block, ...] | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    def blocks(self, visits: int) -> tuple[Block, ...]:
        """The text shown on the ``visits``-th entry (1 for the first)."""
        return self.revisit if self.revisit is not None and visits > 1 else self.text

    def text_conditions(self) -> Iterator[TextCondition]:
        """Every condition in the scene's text, revisit text and choice texts
        (not the choices' ``if``), each with where it is written."""
        yield from block_conditions(self.text)
        if self.revisit is not None:
            yield from block_conditions(self.revisit)
        for choice in self.choices:
            yield from template_conditions(choice.template)

    def text_variables(self) -> frozenset[str]:
        """Variables the scene's texts read: ``{name}`` and text conditions."""
        names: set[str] = set()
        for template in _templates(self):
            names.update(name for name, _ in template.names)
        for condition in self.text_conditions():
            names |= variables_read(condition.expression.root)
        return frozenset(names)

    @property
    def canon_choice(self) -> Choice | None:
        return next((c for c in self.choices if c.canon), None)


def _templates(scene: Scene) -> Iterator[Template]:
    for blocks in (scene.text, scene.revisit or ()):
        for block in blocks:
            for text in (*block.paragraphs, *block.otherwise):
                if not isinstance(text, str):
                    yield text
    for choice in scene.choices:
        if not isinstance(choice.template, str):
            yield choice.template


class LazyScenes(Mapping[str, "Scene"]):
    """A read-only mapping of scenes, each built on first use by ``build``.

    A story read from the compiled cache keeps its scenes encoded until they
    are needed, so that a warm load does not build a hundred thousand scenes
    to show one. Iteration follows the order of ``ids``.
    """

    __slots__ = ("_build", "_built", "_ids", "ending_ids")

    def __init__(self, ids: Mapping[str, object], build: Callable[[str], Scene],
                 ending_ids: tuple[str, ...] | None = None) -> None:
        self._ids = ids
        self._build = build
        self._built: dict[str, Scene] = {}
        self.ending_ids = ending_ids  # when known, the endings need no other scene built

    def __getitem__(self, scene_id: str) -> Scene:
        scene = self._built.get(scene_id)
        if scene is None:
            if scene_id not in self._ids:
                raise KeyError(scene_id)
            scene = self._built[scene_id] = self._build(scene_id)
        return scene

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@attrs.frozen
class Variable:
    name: str
    type: VarType
    default: Value


@attrs.frozen
class Source:
    """The prose a story was converted from."""

    path: str
    sha256: str


@attrs.frozen(eq=False)
class Story:
    """A whole story: metadata, variables and scenes, keyed by id.

    ``fingerprint`` is the sha256 of the story's files (names and bytes), so a
    save can tell whether the story changed since it was written.
    ``description`` is the one line that tells a player what the story is.
    """

    id: str
    title: str
    start: str
    variables: Mapping[str, Variable] = attrs.field(converter=_frozen_mapping)
    scenes: Mapping[str, Scene] = attrs.field(converter=_frozen_mapping)
    source: Source | None = None
    fingerprint: str = ""
    description: str = ""

    @property
    def endings(self) -> tuple[Scene, ...]:
        scenes = self.scenes
        if isinstance(scenes, LazyScenes) and scenes.ending_ids is not None:
            return tuple(scenes[sid] for sid in scenes.ending_ids)
        return tuple(s for s in scenes.values() if s.is_ending)

    def defaults(self) -> dict[str, Value]:
        return {name: var.default for name, var in self.variables.items()}
