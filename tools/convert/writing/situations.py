"""The prose templates, loaded from package data (``templates/*.yaml``).

Each beat kind has its own file, ``templates/<kind>.yaml``, with two keys:

- ``situations``: what a choice point of that kind offers, keyed ``<kind>``
  (any subject) or ``<kind>.<subject kind>`` (``arrival.person``,
  ``discovery.place``...): ``canon`` (choice texts true to any story, one is
  picked) and ``alternatives`` (a choice, the scene it leads to, and that
  scene's prose);
- ``bridges``: the paragraph that takes an alternative back to the story at
  the next choice point, keyed like ``situations``.

``templates/common.yaml`` holds what every story shares: ``closings`` (an
alternative that ends the story), ``detours`` (a reflective scene an earlier
canon choice unlocks) and ``link_choice``. The template language is
:mod:`carnet.tools.convert.writing.prose`; nothing here knows any story.

The files are read once, at import, with ``yaml.safe_load``; a malformed file
is a bug in the package and raises :class:`TemplateError` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

import attrs
import yaml

from carnet.tools.convert.analysis import BEAT_KINDS


class TemplateError(ValueError):
    """A template file of the package does not have the expected shape."""


@attrs.frozen
class Alternative:
    """A non-canonical choice and the scene it leads to.

    ``scene_id`` is a slug pattern: ``{}`` is replaced by the subject's slug.
    ``label`` names the ending when this alternative ends the story.
    ``comeback`` starts the bridging paragraph when the scene rejoins the
    story: it undoes just enough of the alternative for the story to go on.
    ``away`` says the alternative sends the beat's character away or avoids
    them: the story goes on without them (see :mod:`.continuity`), so it
    rejoins only where they are not needed again, and has no comeback.
    """

    choice: str
    scene_id: str
    paragraphs: tuple[str, ...]
    label: str
    comeback: str = ""
    away: bool = False


@attrs.frozen
class Situation:
    """The choices a kind of beat offers: canon texts (true to any story) and alternatives."""

    canon: tuple[str, ...]
    alternatives: tuple[Alternative, ...]


@attrs.frozen
class Detour:
    """A choice (and scene) unlocked by an earlier canon choice, then back to the same choices."""

    choice: str
    scene_id: str
    paragraphs: tuple[str, ...]


@attrs.frozen
class Templates:
    """Everything the writer says that is not the story's own text."""

    situations: Mapping[str, Situation]
    bridges: Mapping[str, tuple[str, ...]]
    closings: tuple[str, ...]
    detours: Mapping[str, Detour]
    link_choice: str


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise TemplateError(f"{where}: expected a non-empty list of strings")
    return tuple(value)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise TemplateError(f"{where}: expected a string")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise TemplateError(f"{where}: expected true or false")
    return value


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise TemplateError(f"{where}: expected a mapping")
    return value


def _alternative(data: Any, where: str) -> Alternative:
    item = _mapping(data, where)
    return Alternative(
        choice=_string(item.get("choice"), f"{where}.choice"),
        scene_id=_string(item.get("scene_id"), f"{where}.scene_id"),
        paragraphs=_strings(item.get("paragraphs"), f"{where}.paragraphs"),
        label=_string(item.get("label"), f"{where}.label"),
        comeback=_string(item.get("comeback", ""), f"{where}.comeback"),
        away=_flag(item.get("away", False), f"{where}.away"),
    )


def _situation(data: Any, where: str) -> Situation:
    item = _mapping(data, where)
    alternatives = item.get("alternatives")
    if not isinstance(alternatives, list) or not alternatives:
        raise TemplateError(f"{where}.alternatives: expected a non-empty list")
    return Situation(
        canon=_strings(item.get("canon"), f"{where}.canon"),
        alternatives=tuple(
            _alternative(a, f"{where}.alternatives[{i}]") for i, a in enumerate(alternatives)
        ),
    )


def _read(name: str) -> dict[str, Any]:
    folder = resources.files("carnet.tools.convert.writing").joinpath("templates")
    text = folder.joinpath(name).read_text(encoding="utf-8")
    return _mapping(yaml.safe_load(text), name)


def load_templates() -> Templates:
    """Read every template file of the package (one per beat kind, plus common)."""
    situations: dict[str, Situation] = {}
    bridges: dict[str, tuple[str, ...]] = {}
    for kind in BEAT_KINDS:
        name = f"{kind}.yaml"
        data = _read(name)
        for key, value in _mapping(data.get("situations"), f"{name}: situations").items():
            if key.split(".")[0] != kind:
                raise TemplateError(f"{name}: situation {key!r} is not of kind {kind!r}")
            situations[key] = _situation(value, f"{name}: situations.{key}")
        for key, value in _mapping(data.get("bridges"), f"{name}: bridges").items():
            if key.split(".")[0] != kind:
                raise TemplateError(f"{name}: bridge {key!r} is not of kind {kind!r}")
            bridges[key] = _strings(value, f"{name}: bridges.{key}")
    common = _read("common.yaml")
    detours = {
        key: Detour(
            choice=_string(_mapping(value, f"detours.{key}").get("choice"), f"detours.{key}"),
            scene_id=_string(value.get("scene_id"), f"detours.{key}.scene_id"),
            paragraphs=_strings(value.get("paragraphs"), f"detours.{key}.paragraphs"),
        )
        for key, value in _mapping(common.get("detours"), "common.yaml: detours").items()
    }
    return Templates(
        situations=situations,
        bridges=bridges,
        closings=_strings(common.get("closings"), "common.yaml: closings"),
        detours=detours,
        link_choice=_string(common.get("link_choice"), "common.yaml: link_choice"),
    )


TEMPLATES = load_templates()
SITUATIONS = TEMPLATES.situations
BRIDGES = TEMPLATES.bridges
CLOSINGS = TEMPLATES.closings
DETOURS = TEMPLATES.detours
LINK_CHOICE = TEMPLATES.link_choice
"""The one choice that links two canonical scenes cut from a long stretch of text."""
