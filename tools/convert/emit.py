"""A plan as YAML text: deterministic, and loading it gives back every string exactly.

Scene text is written as a literal block (``|``) when YAML allows it; PyYAML
falls back to a quoted style when it does not (trailing spaces, control
characters …), which round-trips just as exactly. All display text is
brace-escaped here, once, so that the engine shows it as written.

Only the pure-Python emitter is used: its output is the same on every
machine, with or without libyaml.
"""

from __future__ import annotations

from typing import Any

import attrs
import yaml

from engine.model import FORMAT_VERSION
from engine.text import escape_braces, join_paragraphs
from tools.convert.graph import Plan, PlanChoice, PlanScene

STORY_FILE = "story.yaml"
DRAFTS_FILE = "drafts.yaml"


class _Literal(str):
    """A string to be written as a literal block when possible."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that never writes anchors and knows :class:`_Literal`."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# YAML reads these as line breaks inside a block scalar; only the quoted style keeps them.
_YAML_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_literal(dumper: yaml.SafeDumper, data: _Literal) -> yaml.ScalarNode:
    style = '"' if any(ch in data for ch in _YAML_BREAKS) else "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


_Dumper.add_representer(_Literal, _represent_literal)


def dump(data: Any) -> str:
    """YAML text for plain data (dicts keep their order)."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=2**30,
        indent=2,
    )
    return text


@attrs.frozen
class Source:
    """Where a story came from, as recorded in story.yaml."""

    path: str
    sha256: str


def _choice(choice: PlanChoice) -> dict[str, Any]:
    data: dict[str, Any] = {"text": escape_braces(choice.text), "to": choice.to}
    if choice.condition is not None:
        data["if"] = choice.condition
    if choice.effects:
        data["do"] = list(choice.effects)
    if choice.canon:
        data["canon"] = True
    return data


def _scene(scene: PlanScene) -> dict[str, Any]:
    text = join_paragraphs([escape_braces(p) for p in scene.paragraphs])
    data: dict[str, Any] = {"text": _Literal(text)}
    if scene.ending is not None:
        data["end"] = scene.ending  # labels are shown as written, never interpolated
    else:
        data["choices"] = [_choice(c) for c in scene.choices]
    if scene.draft:
        data["draft"] = True
    return data


def story_body(plan: Plan, source: Source | None) -> str:
    """``story.yaml`` without its header comments: metadata, variables, canonical scenes."""
    data: dict[str, Any] = {
        "carnet": FORMAT_VERSION,
        "title": plan.title,
        "start": plan.start,
    }
    if source is not None:
        data["source"] = {"path": source.path, "sha256": source.sha256}
    if plan.variables:
        data["vars"] = {v.name: v.default for v in plan.variables}
    data["scenes"] = {s.id: _scene(s) for s in plan.canonical}
    return dump(data)


def drafts_body(plan: Plan) -> str | None:
    """``drafts.yaml`` without its header: the generated scenes, or None if there are none."""
    if not plan.drafts:
        return None
    return dump({"scenes": {s.id: _scene(s) for s in plan.drafts}})


def emit(plan: Plan, source: Source | None) -> dict[str, str]:
    """File name -> body, for every file of the story (``story.yaml`` first)."""
    files = {STORY_FILE: story_body(plan, source)}
    drafts = drafts_body(plan)
    if drafts is not None:
        files[DRAFTS_FILE] = drafts
    return files
