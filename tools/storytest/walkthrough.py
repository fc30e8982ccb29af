"""Walkthrough files: parsed from YAML into values with their positions.

A walkthrough is a ``*.yaml`` file in a story's ``walkthroughs/`` folder
(docs/test.md has the format). Parsing never raises for a problem in the
file: every problem becomes a :class:`Problem` with its line and column.
"""

from __future__ import annotations

from typing import Any

import attrs

from carnet.engine.expr.nodes import Value, value_type
from carnet.engine.loader import did_you_mean
from carnet.engine.yamlio import Document, YamlProblem, decode, read_yaml

VERSION = 1
FILE_KEYS = frozenset({"carnet_test", "name", "steps", "expect"})
STEP_KEYS = frozenset({"choose", "expect"})
EXPECT_KEYS = frozenset({"scene", "ending", "vars", "text", "not_text"})


@attrs.frozen
class At:
    """A 1-based position in a walkthrough file."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@attrs.frozen
class Problem:
    """Something wrong in the walkthrough file itself (not in the story)."""

    at: At
    message: str


@attrs.frozen
class Expect:
    """What must hold; each check keeps the position of its value."""

    at: At
    scene: tuple[str, At] | None = None
    ending: tuple[str, At] | None = None
    vars: tuple[tuple[str, Value, At], ...] = ()
    text: tuple[tuple[str, At], ...] = ()
    not_text: tuple[tuple[str, At], ...] = ()


@attrs.frozen
class Step:
    """``choose``: the number as shown, or the start of a choice's text."""

    choose: int | str
    at: At
    expect: Expect | None = None


@attrs.frozen
class Walkthrough:
    path: str
    name: str | None
    steps: tuple[Step, ...]
    expect: Expect | None


class _Reader:
    def __init__(self, path: str, doc: Document) -> None:
        self.path = path
        self.doc = doc
        self.problems: list[Problem] = []

    def key_at(self, mapping: dict[Any, Any], key: Any, value: bool = True) -> At:
        mark = self.doc.marks.get(id(mapping), {})
        if isinstance(mark, dict) and key in mark:
            found = mark[key]
            return At(self.path, found[2], found[3]) if value else At(self.path, found[0],
                                                                      found[1])
        return At(self.path, self.doc.root[0], self.doc.root[1])

    def item_at(self, items: list[Any], index: int) -> At:
        mark = self.doc.marks.get(id(items), [])
        if isinstance(mark, list) and index < len(mark):
            return At(self.path, mark[index][0], mark[index][1])
        return At(self.path, self.doc.root[0], self.doc.root[1])

    def problem(self, at: At, message: str) -> None:
        self.problems.append(Problem(at, message))

    def known_keys(self, mapping: dict[Any, Any], allowed: frozenset[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                self.problem(self.key_at(mapping, key, value=False),
                             f"unknown key {str(key)!r} in {what}"
                             + (f"; {hint}" if hint else "")
                             + f" (known: {', '.join(sorted(allowed))})")

    def string(self, mapping: dict[Any, Any], key: str) -> tuple[str, At] | None:
        if key not in mapping:
            return None
        value, at = mapping[key], self.key_at(mapping, key)
        if not isinstance(value, str) or not value:
            self.problem(at, f"{key!r} must be a non-empty string")
            return None
        return value, at

    def strings(self, mapping: dict[Any, Any], key: str) -> tuple[tuple[str, At], ...]:
        if key not in mapping:
            return ()
        value = mapping[key]
        if isinstance(value, str):
            value = [value]
            found = [(value[0], self.key_at(mapping, key))]
        elif isinstance(value, list):
            found = [(item, self.item_at(value, i)) for i, item in enumerate(value)]
        else:
            self.problem(self.key_at(mapping, key), f"{key!r} must be a list of strings")
            return ()
        result = []
        for item, at in found:
            if isinstance(item, str) and item:
                result.append((item, at))
            else:
                self.problem(at, f"each entry of {key!r} must be a non-empty string")
        return tuple(result)

    def expect(self, mapping: dict[Any, Any], key: str) -> Expect | None:
        if key not in mapping:
            return None
        data, at = mapping[key], self.key_at(mapping, key)
        if not isinstance(data, dict):
            self.problem(at, f"{key!r} must be a mapping (scene, ending, vars, text, not_text)")
            return None
        self.known_keys(data, EXPECT_KEYS, "expect")
        variables: list[tuple[str, Value, At]] = []
        if "vars" in data:
            given = data["vars"]
            if isinstance(given, dict):
                for name, value in given.items():
                    vat = self.key_at(given, name, value=False)
                    if not isinstance(name, str) or value_type(value) is None:
                        self.problem(vat, f"vars: {name!r} must name a variable and give "
                                          "a bool, int or str")
                    else:
                        variables.append((name, value, vat))
            else:
                self.problem(self.key_at(data, "vars"), "'vars' must be a mapping name: value")
        return Expect(at, scene=self.string(data, "scene"), ending=self.string(data, "ending"),
                      vars=tuple(variables), text=self.strings(data, "text"),
                      not_text=self.strings(data, "not_text"))

    def step(self, data: Any, at: At) -> Step | None:
        if isinstance(data, dict):
            self.known_keys(data, STEP_KEYS, "a step")
            if "choose" not in data:
                self.problem(at, "a step needs 'choose': a number or the start of a choice")
                return None
            choose, cat = data["choose"], self.key_at(data, "choose")
            expect = self.expect(data, "expect")
        else:  # `- 2` or `- Go home`: a step that only chooses
            choose, cat, expect = data, at, None
        if isinstance(choose, bool) or not isinstance(choose, (int, str)) or choose == "":
            self.problem(cat, "'choose' must be a choice number (1, 2, ...) or the start "
                              "of a choice's text")
            return None
        if isinstance(choose, int) and choose < 1:
            self.problem(cat, "'choose' numbers start at 1")
            return None
        return Step(choose, cat, expect)

    def walkthrough(self) -> Walkthrough | None:
        data = self.doc.data
        root = At(self.path, self.doc.root[0], self.doc.root[1])
        if not isinstance(data, dict):
            self.problem(root, "a walkthrough is a mapping with carnet_test: 1 and steps: [...]")
            return None
        self.known_keys(data, FILE_KEYS, "a walkthrough")
        if data.get("carnet_test") != VERSION or isinstance(data.get("carnet_test"), bool):
            where = self.key_at(data, "carnet_test") if "carnet_test" in data else root
            self.problem(where, f"a walkthrough starts with carnet_test: {VERSION}")
        name = self.string(data, "name")
        steps: list[Step] = []
        given = data.get("steps", [])
        if not isinstance(given, list):
            self.problem(self.key_at(data, "steps"), "'steps' must be a list")
        else:
            for i, item in enumerate(given):
                step = self.step(item, self.item_at(given, i))
                if step is not None:
                    steps.append(step)
        expect = self.expect(data, "expect")
        if self.problems:
            return None
        return Walkthrough(self.path, name[0] if name else None, tuple(steps), expect)


def parse(data: bytes, path: str) -> Walkthrough | list[Problem]:
    """The walkthrough in ``data`` (the file shown as ``path``), or its problems."""
    try:
        doc = read_yaml(decode(data))
    except YamlProblem as problem:
        return [Problem(At(path, problem.line, problem.col), problem.message)]
    reader = _Reader(path, doc)
    reader.problems.extend(Problem(At(path, p.line, p.col), p.message) for p in doc.problems)
    found = reader.walkthrough()
    if found is None:
        return sorted(reader.problems, key=lambda p: (p.at.line, p.at.col))
    return found
