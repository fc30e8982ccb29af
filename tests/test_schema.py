"""The editor schema (engine/schema/story.schema.json) against the spec and the loader.

The project does not depend on ``jsonschema``, so a small validator for the
keywords the schema uses lives here; a test makes sure the schema uses no other
keyword, so nothing it says is silently skipped.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from carnet.engine.loader import story_files

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "engine" / "schema" / "story.schema.json"
FORMAT_DOC = ROOT / "docs" / "format.md"
AUTHORING_DOC = ROOT / "docs" / "authoring.md"
ID_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$"

SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

# Keywords that only annotate (hover text, completion defaults, messages).
ANNOTATIONS = {
    "$schema", "$id", "title", "description", "markdownDescription", "patternErrorMessage",
    "default", "definitions",
}
# Keywords the validator below implements.
ASSERTIONS = {
    "type", "const", "properties", "patternProperties", "additionalProperties", "required",
    "dependencies", "oneOf", "$ref", "minLength", "maxLength", "pattern", "minItems", "items",
    "uniqueItems",
}
# Keywords whose value is a map of names to subschemas (names are not keywords).
SCHEMA_MAPS = {"properties", "patternProperties", "definitions"}


# --- a small validator -------------------------------------------------------------------


def _resolve(ref: str) -> dict[str, Any]:
    assert ref.startswith("#/"), ref
    node: Any = SCHEMA
    for part in ref[2:].split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def _type_ok(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    raise AssertionError(f"type {name!r} not handled by the test validator")


def errors(value: Any, schema: dict[str, Any] | None = None, where: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema`` (the whole schema by default)."""
    schema = SCHEMA if schema is None else schema
    found: list[str] = []
    if "$ref" in schema:
        return errors(value, _resolve(schema["$ref"]), where)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_ok(value, t) for t in types):
            return [f"{where}: expected {types}, got {type(value).__name__}"]
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        found.append(f"{where}: must be {schema['const']!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{where}: too short")
        if len(value) > schema.get("maxLength", len(value)):
            found.append(f"{where}: too long")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            found.append(f"{where}: too few items")
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            found.append(f"{where}: duplicate items")
        if "items" in schema:
            for i, item in enumerate(value):
                found += errors(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        found += _object_errors(value, schema, where)
    if "oneOf" in schema:
        matches = sum(not errors(value, sub, where) for sub in schema["oneOf"])
        if matches != 1:
            found.append(f"{where}: matches {matches} of the oneOf alternatives, not exactly 1")
    return found


def _object_errors(value: dict[Any, Any], schema: dict[str, Any], where: str) -> list[str]:
    found = [f"{where}: missing {key!r}" for key in schema.get("required", []) if key not in value]
    for key, needed in schema.get("dependencies", {}).items():
        if key in value:
            found += [f"{where}: {key!r} needs {n!r}" for n in needed if n not in value]
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    for key, item in value.items():
        place = f"{where}.{key}"
        if not isinstance(key, str):
            found.append(f"{place}: key is not a string")
            continue
        matched = False
        if key in properties:
            matched = True
            found += errors(item, properties[key], place)
        for pattern, sub in patterns.items():
            if re.search(pattern, key):
                matched = True
                found += errors(item, sub, place)
        if not matched and schema.get("additionalProperties", True) is False:
            found.append(f"{place}: unknown key")
    return found


def _subschemas(schema: dict[str, Any], path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    yield path, schema
    for key, value in schema.items():
        if key in SCHEMA_MAPS:
            for name, sub in value.items():
                yield from _subschemas(sub, f"{path}/{key}/{name}")
        elif key == "oneOf":
            for i, sub in enumerate(value):
                yield from _subschemas(sub, f"{path}/oneOf/{i}")
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            yield from _subschemas(value, f"{path}/{key}")


# --- the schema itself ---------------------------------------------------------------------


def test_schema_is_draft_07() -> None:
    # yaml-language-server validates with draft-07 and below; newer drafts are partial.
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_schema_uses_only_keywords_the_test_validator_knows() -> None:
    unknown = {
        (path, key)
        for path, sub in _subschemas(SCHEMA)
        for key in sub
        if key not in ANNOTATIONS | ASSERTIONS
    }
    assert unknown == set()


def test_refs_resolve_and_stand_alone() -> None:
    # Draft-07 ignores keywords next to $ref; a description there would never show.
    refs = [(path, sub) for path, sub in _subschemas(SCHEMA) if "$ref" in sub]
    assert len(refs) >= 5
    for path, sub in refs:
        assert set(sub) == {"$ref"}, path
        assert _resolve(sub["$ref"])


def test_every_property_has_one_line_hover_text() -> None:
    described = [
        (path, sub)
        for path, sub in _subschemas(SCHEMA)
        if "$ref" not in sub
        and "/oneOf/" not in path
        and re.search(r"/(properties|patternProperties|definitions)/", path)
    ]
    assert len(described) >= 25
    for path, sub in described:
        assert sub.get("description"), path
        assert "\n" not in sub["description"], path
        assert len(sub["description"]) <= 160, path
        assert sub.get("markdownDescription"), path


def test_objects_are_closed() -> None:
    objects = [(p, s) for p, s in _subschemas(SCHEMA) if s.get("type") == "object"]
    # top level, vars, scenes, extend, source, scene, paragraph, extension, choice
    assert len(objects) == 9
    for path, sub in objects:
        assert sub.get("additionalProperties") is False, path


def test_id_patterns_are_the_spec_pattern() -> None:
    top = SCHEMA["properties"]
    defs = SCHEMA["definitions"]
    assert top["start"]["pattern"] == ID_PATTERN
    assert defs["choice"]["properties"]["to"]["pattern"] == ID_PATTERN
    assert list(top["scenes"]["patternProperties"]) == [ID_PATTERN]
    assert list(top["vars"]["patternProperties"]) == [ID_PATTERN]


def test_sha256_pattern_takes_a_real_digest_only() -> None:
    sha = SCHEMA["definitions"]["source"]["properties"]["sha256"]
    digest = hashlib.sha256(b"carnet").hexdigest()
    assert errors(digest, sha) == []
    assert errors(digest[:-1], sha)
    assert errors(digest + "0", sha)
    assert errors(digest[:-1] + "g", sha)
    assert errors(digest.upper(), sha)  # the loader takes lowercase only


@pytest.mark.parametrize(
    "effect", ["has_lamp = true", "coins += 2", "coins -= 1", 'name = "Ada"', "x=-1", "n = n + 1"]
)
def test_effect_pattern_accepts_effects(effect: str) -> None:
    assert errors(effect, SCHEMA["definitions"]["effect"]) == []


@pytest.mark.parametrize("text", ["coins == 1", "coins", "= 1", "coins =", "1 = coins", "x *= 2"])
def test_effect_pattern_rejects_non_effects(text: str) -> None:
    assert errors(text, SCHEMA["definitions"]["effect"])


# --- agreement with the spec and the loader ----------------------------------------------


def _table_keys(markdown: str, heading: str) -> set[str]:
    """The backticked first-column keys of the first table after ``heading``."""
    section = markdown.split(heading, 1)[1]
    keys: set[str] = set()
    in_table = False
    for line in section.splitlines():
        row = re.match(r"\|\s*`([a-z_]+)`\s*\|", line)
        if row:
            keys.add(row.group(1))
            in_table = True
        elif in_table and not line.startswith("|"):
            break
    return keys


def _property_sets() -> dict[str, set[str]]:
    defs = SCHEMA["definitions"]
    return {
        "story": set(SCHEMA["properties"]),
        "scene": set(defs["scene"]["properties"]),
        "choice": set(defs["choice"]["properties"]),
        "source": set(defs["source"]["properties"]),
        "paragraph": set(defs["paragraph"]["oneOf"][1]["properties"]),
        "extension": set(defs["extension"]["properties"]),
    }


def test_property_sets_match_the_format_tables() -> None:
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    props = _property_sets()
    assert props["story"] == _table_keys(doc, "## `story.yaml`")
    assert props["scene"] == _table_keys(doc, "## Scenes")
    assert props["choice"] == _table_keys(doc, "## Choices")
    assert props["source"] == {"path", "sha256"}


def test_property_sets_match_the_loader_tables() -> None:
    loader = importlib.import_module("carnet.engine.loader")
    props = _property_sets()
    assert props["story"] == set(loader.STORY_KEYS)
    assert props["scene"] == set(loader.SCENE_KEYS)
    assert props["choice"] == set(loader.CHOICE_KEYS)
    assert props["source"] == set(loader.SOURCE_KEYS)
    assert props["paragraph"] == set(loader.PARAGRAPH_KEYS)
    assert props["extension"] == set(loader.EXTEND_KEYS)
    assert set(SCHEMA["properties"]) - {"carnet", "title", "start", "source"} == set(
        loader.FILE_KEYS)


def _yaml_blocks(markdown: str) -> list[Any]:
    """Every ```yaml block, including those indented inside a list item."""
    blocks = re.findall(r"^ *```yaml\n(.*?)^ *```", markdown, flags=re.MULTILINE | re.DOTALL)
    return [yaml.safe_load(textwrap.dedent(block)) for block in blocks]


def _whole_files(markdown: str) -> list[dict[str, Any]]:
    """The YAML examples that are whole story files (not fragments)."""
    return [
        b for b in _yaml_blocks(markdown)
        if isinstance(b, dict) and ("scenes" in b or "carnet" in b)
    ]


def test_format_examples_validate() -> None:
    examples = _whole_files(FORMAT_DOC.read_text(encoding="utf-8"))
    assert sum("scenes" in e for e in examples) >= 1
    assert sum("carnet" in e for e in examples) >= 1
    for example in examples:
        assert errors(example) == []


def test_authoring_guide_examples_validate() -> None:
    examples = _whole_files(AUTHORING_DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 5
    for example in examples:
        assert errors(example) == []


def test_shipped_stories_validate() -> None:
    files = sorted(f for f in (ROOT / "scenes").rglob("*.yaml")
                   if "walkthroughs" not in f.parts)  # `carnet test` files, not story files
    assert any(f.parent.name == "tutorial" for f in files)
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert errors(data) == [], path


def test_tutorial_files_carry_the_schema_modeline() -> None:
    for path in story_files(ROOT / "scenes" / "tutorial"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        depth = len(path.relative_to(ROOT).parts) - 1
        target = "../" * depth + "engine/schema/story.schema.json"
        assert first == f"# yaml-language-server: $schema={target}", path
        assert (path.parent / target).resolve() == SCHEMA_PATH


# --- the schema refuses what the format refuses ------------------------------------------

GOOD_SCENE = {"text": "Hello.", "end": "Done"}

BAD_DOCUMENTS = {
    "unknown top-level key": {"scenes": {}, "scene": {}},
    "unknown scene key": {"scenes": {"a": {**GOOD_SCENE, "title": "x"}}},
    "unknown choice key": {"scenes": {"a": {"text": "t", "choices": [{"text": "c", "to": "a",
                                                                       "goto": "a"}]}}},
    "choices and end": {"scenes": {"a": {"text": "t", "end": "E",
                                         "choices": [{"text": "c", "to": "a"}]}}},
    "neither choices nor end": {"scenes": {"a": {"text": "t"}}},
    "no text": {"scenes": {"a": {"end": "E"}}},
    "empty choices": {"scenes": {"a": {"text": "t", "choices": []}}},
    "choice without to": {"scenes": {"a": {"text": "t", "choices": [{"text": "c"}]}}},
    "bad scene id": {"scenes": {"2nd": GOOD_SCENE}},
    "bad target id": {"scenes": {"a": {"text": "t", "choices": [{"text": "c", "to": "the end"}]}}},
    "if is not a string": {"scenes": {"a": {"text": "t", "choices": [{"text": "c", "to": "a",
                                                                      "if": True}]}}},
    "do is a string": {"scenes": {"a": {"text": "t", "choices": [{"text": "c", "to": "a",
                                                                   "do": "x = 1"}]}}},
    "comparison as effect": {"scenes": {"a": {**GOOD_SCENE, "on_enter": ["x == 1"]}}},
    "draft is a string": {"scenes": {"a": {**GOOD_SCENE, "draft": "yes"}}},
    "noqa is a string": {"scenes": {"a": {**GOOD_SCENE, "noqa": "E011"}}},
    "float variable": {"carnet": 1, "title": "T", "start": "a", "vars": {"x": 1.5}},
    "null variable": {"carnet": 1, "title": "T", "start": "a", "vars": {"x": None}},
    "bad variable name": {"carnet": 1, "title": "T", "start": "a", "vars": {"my var": 1}},
    "carnet 2": {"carnet": 2, "title": "T", "start": "a"},
    "carnet as string": {"carnet": "1", "title": "T", "start": "a"},
    "carnet without start": {"carnet": 1, "title": "T"},
    "empty text list": {"scenes": {"a": {"text": [], "end": "E"}}},
    "paragraph without if": {"scenes": {"a": {"text": [{"text": "t"}], "end": "E"}}},
    "paragraph with unknown key": {"scenes": {"a": {"text": [{"if": "x", "text": "t",
                                                             "otherwise": "u"}], "end": "E"}}},
    "extend without choices": {"extend": {"a": {}}},
    "extend with a scene key": {"extend": {"a": {"text": "t", "choices": [{"text": "c",
                                                                           "to": "a"}]}}},
    "source without sha256": {"carnet": 1, "title": "T", "start": "a",
                              "source": {"path": "p.txt"}},
    "empty title": {"carnet": 1, "title": "", "start": "a"},
    "a list at the top": [{"scenes": {}}],
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_schema_refuses(name: str) -> None:
    assert errors(BAD_DOCUMENTS[name]) != []


def test_schema_accepts_a_minimal_story_and_a_branch_file() -> None:
    story = {"carnet": 1, "title": "T", "start": "a", "vars": {"b": True, "n": 0, "s": ""},
             "source": {"path": "p.txt", "sha256": "0" * 64}, "scenes": {"a": GOOD_SCENE}}
    branch = {"scenes": {"b": {"text": "t", "draft": True, "noqa": ["G102"],
                               "on_enter": ["n += 1"],
                               "choices": [{"text": "c", "to": "a", "if": "b", "do": ["b = false"],
                                            "once": True, "canon": True}]}}}
    assert errors(story) == []
    assert errors(branch) == []
    assert errors({}) == []


def test_schema_accepts_text_that_follows_the_state_and_a_branch_file_with_vars() -> None:
    scene = {"text": ["Always.", {"if": "lit", "text": "Bright {name}.", "else": "Dark."},
                      {"if": "n > 1", "text": "{if lit: a | else: b}"}],
             "revisit": "Again.", "choices": [{"text": "{if lit: Go | else: Run}", "to": "a"}]}
    branch = {"vars": {"lit": False, "n": 0}, "scenes": {"b": scene},
              "extend": {"a": {"choices": [{"text": "To b", "to": "b", "if": "n > 0"}]}}}
    assert errors(branch) == []
