"""The recipe "add a lint rule" (tools/lint/rules/__init__.py), followed once:
one module and one registry entry, and the rule runs, is chosen by
--select/--ignore, is silenced by a scene's noqa and appears in the docs."""

from __future__ import annotations

import gc
import importlib.util
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from carnet.engine.diagnostics import Severity
from carnet.engine.loader import load_story
from carnet.tools.lint import rules as rules_package
from carnet.tools.lint.context import Finding
from carnet.tools.lint.docgen import render
from carnet.tools.lint.graph import reachable_from
from carnet.tools.lint.rules import RULES, Rule, code_table
from carnet.tools.lint.runner import LintOptions, StoryReport, lint_loaded
from carnet.tools.lint.select import Decider
from tests.lint_support import HEAD, codes, found, write_story

# Step 1: one module in rules/ (here written to a temporary folder).
TOY_RULE = '''\
"""A scene whose text is all capitals.

What it does
    Flags a scene whose text shouts.

Why
    Capitals read as shouting.

Bad::

    scenes:
      hall:
        text: A HALL.

Good::

    scenes:
      hall:
        text: A hall.
"""

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding

CODE = "T390"
NAME = "shouting-scene"
SEVERITY = Severity.WARNING
SUMMARY = "a scene whose text is all capitals"


def check(ctx):
    for sid, scene in ctx.story.scenes.items():
        text = " ".join(scene.paragraphs)
        if text.isupper():
            yield Finding(sid, ctx.scene_pos(sid, "text"), f"scene {sid!r} shouts")
'''

STORY = """\
start: hall
scenes:
  hall:
    text: A HALL.
    choices: [{text: Go, to: yard}]
  yard:
    text: A yard.
    choices: [{text: Go, to: end}]
  end:
    text: THE END.
    end: The end
"""


def _toy(tmp_path: Path) -> Rule:
    path = tmp_path / "shouting_scene.py"
    path.write_text(TOY_RULE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("shouting_scene", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rule: Rule = module  # type: ignore[assignment]
    return rule


def _lint(tmp_path: Path, story: str, registry: dict[str, Rule],
          select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> StoryReport:
    folder = write_story(tmp_path, {"story.yaml": HEAD + story})
    return lint_loaded(load_story(folder, display="s"), "s",
                       LintOptions(Decider(select, ignore)), rules=registry)


def test_a_new_rule_is_one_module_and_one_registry_entry(tmp_path: Path) -> None:
    toy = _toy(tmp_path)
    registry = {**RULES, toy.CODE: toy}  # step 2: the registry entry

    report = _lint(tmp_path / "a", STORY, registry)
    shouts = found(report, "T390")
    assert [(d.line, d.col, d.message) for d in shouts] == [
        (6, 11, "scene 'hall' shouts"), (12, 11, "scene 'end' shouts")]
    assert {d.severity for d in shouts} == {Severity.WARNING}
    # not registered, not run
    assert "T390" not in codes(_lint(tmp_path / "b", STORY, dict(RULES)))

    # chosen by --select and --ignore like every rule
    assert codes(_lint(tmp_path / "c", STORY, registry, select=("T390",))) == ["T390"] * 2
    assert "T390" not in codes(_lint(tmp_path / "d", STORY, registry, ignore=("T3",)))

    # silenced by the scene's noqa, and a stale noqa on it is reported
    quiet = STORY.replace("    text: A HALL.\n", "    text: A HALL.\n    noqa: [T390]\n")
    assert [d.line for d in found(_lint(tmp_path / "e", quiet, registry), "T390")] == [13]
    stale = STORY.replace("    text: A yard.\n", "    text: A yard.\n    noqa: [T390]\n")
    report = _lint(tmp_path / "f", stale, registry)
    assert [d.message for d in found(report, "N501")] == [
        "noqa: 'T390' silences nothing in scene 'yard'"]
    # without the entry the same noqa names no lint code at all
    report = _lint(tmp_path / "g", stale, dict(RULES))
    assert [d.message for d in found(report, "N501")] == [
        "noqa: 'T390' is not a lint code (see carnet lint --list-rules)"]

    # listed and documented from its constants and docstring
    row = code_table(registry)["T390"]
    assert (row.stage, row.name, row.severity) == ("text", "shouting-scene", Severity.WARNING)
    doc = render(registry)
    section = doc.split("### T390 shouting-scene\n", 1)[1].split("\n### ", 1)[0]
    assert "*warning* — a scene whose text is all capitals." in section
    assert "Bad:\n\n```yaml\nscenes:\n  hall:\n    text: A HALL.\n```" in section


def test_every_rule_module_is_registered() -> None:
    """Step 2 of the recipe is not forgotten: each module of rules/ is in RULES."""
    modules = {info.name for info in pkgutil.iter_modules(rules_package.__path__)}
    registered = {rule.__name__.rsplit(".", 1)[1] for rule in RULES.values()
                  if isinstance(rule, ModuleType)}
    assert modules == registered
    assert all(code == rule.CODE for code, rule in RULES.items())


def test_reachable_from_is_a_plain_walk() -> None:
    edges = {"a": ["b"], "b": ["c", "a"], "c": [], "d": ["a"], "x": ["y"]}
    assert reachable_from(["a"], edges) == {"a", "b", "c"}
    assert reachable_from(["d", "x"], edges) == {"a", "b", "c", "d", "x", "y"}
    assert reachable_from([], edges) == set()
    assert reachable_from(["zz"], edges) == {"zz"}  # a seed with no edges
    chain = {str(i): [str(i + 1)] for i in range(50_000)}  # no recursion limit
    assert len(reachable_from(["0"], chain)) == 50_001



class _Spy:
    """A rule that records what the collector sees while rules run."""

    CODE = "T391"
    NAME = "spy"
    SEVERITY = Severity.WARNING
    SUMMARY = "records the collector's frozen count"
    __doc__ = "Spy.\n\nWhat it does\n    Nothing.\n"

    def __init__(self, fail: bool = False) -> None:
        self.frozen: list[int] = []
        self.fail = fail

    def check(self, ctx: object) -> Iterator[Finding]:
        self.frozen.append(gc.get_freeze_count())
        if self.fail:
            raise RuntimeError("boom")
        yield from ()


def test_the_collector_skips_the_story_while_rules_run(tmp_path: Path) -> None:
    folder = write_story(tmp_path, {"story.yaml": HEAD + STORY})
    result = load_story(folder, display="s")
    spy = _Spy()
    lint_loaded(result, "s", LintOptions(), rules={spy.CODE: spy})  # type: ignore[dict-item]
    assert spy.frozen and spy.frozen[0] > 1000  # the story's objects were frozen
    assert gc.get_freeze_count() == 0  # and given back
    failing = _Spy(fail=True)
    with pytest.raises(RuntimeError):
        lint_loaded(result, "s", LintOptions(), rules={failing.CODE: failing})  # type: ignore[dict-item]
    assert gc.get_freeze_count() == 0
