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


@attrs.frozen
class Scene:
    id: str
    paragraphs: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    on_enter: tuple[Effect, ...] = ()
    draft: bool = False
    noqa: frozenset[str] = frozenset()

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    @property
    def canon_choice(self) -> Choice | None:
        return next((c for c in self.choices if c.canon), None)


class LazyScenes(Mapping[str, "Scene"]):
    """A read-only mapping of scenes, each built on first use by ``build``.

    A story read from the compiled cache keeps its scenes encoded until they
    are needed, so that a warm load does not build a hundred thousand scenes
    to show one. Iteration follows the order of ``ids``.
    """

    __slots__ = ("_build", "_built", "_ids")

    def __init__(self, ids: Mapping[str, object], build: Callable[[str], Scene]) -> None:
        self._ids = ids
        self._build = build
        self._built: dict[str, Scene] = {}

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
    """

    id: str
    title: str
    start: str
    variables: Mapping[str, Variable] = attrs.field(converter=_frozen_mapping)
    scenes: Mapping[str, Scene] = attrs.field(converter=_frozen_mapping)
    source: Source | None = None
    fingerprint: str = ""

    @property
    def endings(self) -> tuple[Scene, ...]:
        return tuple(s for s in self.scenes.values() if s.is_ending)

    def defaults(self) -> dict[str, Value]:
        return {name: var.default for name, var in self.variables.items()}
