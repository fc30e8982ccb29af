"""A plan as YAML text: deterministic, and loading it gives back every string exactly.

The files have one fixed shape (block mappings and sequences of scalars), so
the block structure is written here directly, which is some ten times faster
than PyYAML's pure-Python emitter on a novel. Scalars are written plain, or
as a literal block (``|-``) for scene text, only when a conservative check
says that is exact; every other string goes through PyYAML (a
``SafeDumper`` subclass, no global state) in double-quoted style, which can
represent any string. The round trip is tested against PyYAML's loaders and
the engine's reader. All display text is brace-escaped here, once, so that
the engine shows it as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
import yaml

from carnet.engine.loader import STORY_FILE as STORY_FILE  # the one definition
from carnet.engine.model import FORMAT_VERSION
from carnet.engine.text import escape_braces, join_paragraphs
from carnet.tools.convert.writing.graph import Plan, PlanChoice, PlanScene

DRAFTS_FILE = "drafts.yaml"


class LiteralText(str):
    """A string to be written as a literal block when possible (scene text)."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that never writes anchors (used for single hard scalars)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()  # how a loader would type a plain scalar
# Plain scalars: a letter or digit first, then nothing YAML could read as syntax.
_PLAIN = re.compile(
    r"[^\W_][^:#{}\[\]&*!|>%@`\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*\Z"
)
# Literal blocks: YAML-printable characters, no line break YAML would read as one.
_NOT_LITERAL = re.compile(
    r"[^\n\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|[ \t]\n|[ \t]\Z|\n\t|\A[ \t\n]|\n\Z"
)


def _is_plain(text: str) -> bool:
    if not _PLAIN.match(text) or text[-1] == " " or "  " in text:
        return False
    tag: str = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, text, (True, False)
    )
    return tag == _STR_TAG


def _quoted(text: str) -> str:
    """Any string, double-quoted on one line, by PyYAML."""
    node_text: str = yaml.dump(
        str(text), Dumper=_Dumper, default_style='"', allow_unicode=True, width=2**30
    )
    return node_text.rstrip("\n")


def _scalar(value: object, indent: int) -> str:
    """A scalar as it follows ``key: `` or ``- `` (a literal block spans lines)."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} values")
    if isinstance(value, LiteralText) and value and not _NOT_LITERAL.search(value):
        pad = " " * indent
        return "|-\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))
    if value and _is_plain(value):
        return value
    return _quoted(value)


def _mapping(data: Mapping[str, Any], indent: int) -> Iterator[str]:
    pad = " " * indent
    for key, value in data.items():
        name = _scalar(key, indent)
        if isinstance(value, Mapping):
            if not value:
                yield f"{pad}{name}: {{}}"
                continue
            yield f"{pad}{name}:"
            yield from _mapping(value, indent + 2)
        elif isinstance(value, list):
            if not value:
                yield f"{pad}{name}: []"
                continue
            yield f"{pad}{name}:"
            yield from _sequence(value, indent)  # sequences are not indented under a key
        else:
            yield f"{pad}{name}: {_scalar(value, indent + 2)}"


def _sequence(items: Sequence[Any], indent: int) -> Iterator[str]:
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping) and item:
            lines = list(_mapping(item, indent + 2))
            yield f"{pad}- {lines[0][indent + 2 :]}"
            yield from lines[1:]
        elif isinstance(item, (Mapping, list)):
            raise TypeError("nested empty containers are not written")
        else:
            yield f"{pad}- {_scalar(item, indent + 2)}"


def dump(data: Mapping[str, Any]) -> str:
    """YAML block text for a mapping of mappings, lists and scalars (order kept)."""
    return "".join(line + "\n" for line in _mapping(data, 0))


@attrs.frozen
class Provenance:
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
    data: dict[str, Any] = {"text": LiteralText(text)}
    if scene.ending is not None:
        data["end"] = scene.ending  # labels are shown as written, never interpolated
    else:
        data["choices"] = [_choice(c) for c in scene.choices]
    if scene.draft:
        data["draft"] = True
    return data


def story_body(plan: Plan, source: Provenance | None) -> str:
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


def emit(plan: Plan, source: Provenance | None) -> dict[str, str]:
    """File name -> body, for every file of the story (``story.yaml`` first)."""
    files = {STORY_FILE: story_body(plan, source)}
    drafts = drafts_body(plan)
    if drafts is not None:
        files[DRAFTS_FILE] = drafts
    return files
