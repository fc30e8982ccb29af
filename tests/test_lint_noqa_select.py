"""Choosing what is reported: --select/--ignore prefixes, and a scene's noqa."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from carnet.engine.loader import load_story
from carnet.tools.lint.context import LintContext, NotExplored
from carnet.tools.lint.rules import RULES
from carnet.tools.lint.runner import LintOptions, lint_loaded
from carnet.tools.lint.select import BadCode, Decider, parse_codes
from tests.lint_support import HEAD, codes, found, lint_text, where, write_story

# G101 (scene c, unreachable, line 13), G102 (b, dead end, line 10) -> G103 on a,
# T304 (b is a draft, line 12), G104 (no ending, line 3)
MESSY = """\
start: a
scenes:
  a:
    text: A.
    choices:
      - text: Go
        to: b
  b:
    text: B.
    draft: true
  c:
    text: C.
    choices: [{text: Go, to: a}]
"""


def test_everything_is_selected_by_default(tmp_path: Path) -> None:
    assert codes(lint_text(tmp_path, MESSY)) == ["G104", "G102", "T304", "G101"]


@pytest.mark.parametrize(("select", "ignore", "expected"), [
    ((), ("G1",), ["T304"]),
    (("G",), (), ["G104", "G102", "G101"]),
    (("G",), ("G10",), []),
    (("G102",), (), ["G102"]),
    (("G", "T"), ("G1",), ["T304"]),
    # the longest matching prefix wins: G102 is back in, the rest of G1 is out
    (("G102",), ("G1",), ["G102"]),
    (("G1",), ("G102",), ["G104", "G101"]),
    # a tie is ignored
    (("G102",), ("G102",), []),
])
def test_select_and_ignore(tmp_path: Path, select: tuple[str, ...], ignore: tuple[str, ...],
                           expected: list[str]) -> None:
    assert codes(lint_text(tmp_path, MESSY, select=select, ignore=ignore)) == expected


def test_decider() -> None:
    assert Decider().enabled("G101")
    assert not Decider(select=("V",)).enabled("G101")
    assert Decider(select=("G1",), ignore=("G",)).enabled("G101")
    assert not Decider(select=("G",), ignore=("G1",)).enabled("G101")
    assert Decider(select=("G",), ignore=("G1",)).enabled("G201")


def test_parse_codes() -> None:
    assert parse_codes(["g1, V201", "X"]) == ("G1", "V201", "X")
    with pytest.raises(BadCode):
        parse_codes(["G-1"])
    with pytest.raises(BadCode):
        parse_codes(["102"])


def test_noqa_silences_a_code_for_its_scene_only(tmp_path: Path) -> None:
    silenced = MESSY.replace("    draft: true\n", "    draft: true\n    noqa: [T304, G102]\n")
    assert codes(lint_text(tmp_path, silenced)) == ["G104", "G101"]
    # c's noqa does not silence b's findings
    elsewhere = MESSY.replace("    text: C.\n", "    text: C.\n    noqa: [G102, G101]\n")
    report = lint_text(tmp_path / "x", elsewhere)
    assert codes(report) == ["G104", "G102", "T304", "N501"]
    assert "'G102' silences nothing in scene 'c'" in found(report, "N501")[0].message
    assert where(report, "N501") == [("s/story.yaml", 15, 5)]


def test_noqa_takes_a_prefix(tmp_path: Path) -> None:
    silenced = MESSY.replace("    draft: true\n", "    draft: true\n    noqa: [G1, T3]\n")
    assert codes(lint_text(tmp_path, silenced)) == ["G104", "G101"]


def test_noqa_does_not_silence_story_wide_findings(tmp_path: Path) -> None:
    silenced = MESSY.replace("    text: A.\n", "    text: A.\n    noqa: [G104]\n")
    report = lint_text(tmp_path, silenced)
    assert "G104" in codes(report)
    assert "'G104' silences nothing in scene 'a'" in found(report, "N501")[0].message


def test_unknown_noqa_code(tmp_path: Path) -> None:
    report = lint_text(tmp_path, MESSY.replace("    text: C.\n", "    text: C.\n    noqa: [Q9]\n"))
    assert [d.message for d in found(report, "N501")] == [
        "noqa: 'Q9' is not a lint code (see carnet lint --list-rules)"]


def test_a_noqa_code_of_a_rule_that_did_not_run_is_not_judged(tmp_path: Path) -> None:
    stale = MESSY.replace("    text: C.\n", "    text: C.\n    noqa: [T301]\n")
    assert "N501" in codes(lint_text(tmp_path, stale))
    assert "N501" not in codes(lint_text(tmp_path / "x", stale, ignore=("T3",)))


def test_noqa_on_exploration_codes_is_not_judged_when_the_bound_is_reached(
        tmp_path: Path) -> None:
    story = """\
vars: {n: 0}
start: a
scenes:
  a:
    noqa: [X401]
    text: A {n}.
    choices:
      - {text: Count, to: a, do: [n += 1]}
      - {text: Out, to: b}
  b:
    text: B.
    end: B
"""
    assert codes(lint_text(tmp_path, story, max_states=10)) == ["X400"]
    bounded = story.replace("do: [n += 1]}", "do: [n += 1], if: n < 3}")
    assert codes(lint_text(tmp_path / "x", bounded)) == ["N501"]


def test_the_suppression_stage_does_not_depend_on_the_registry_order(tmp_path: Path) -> None:
    story = MESSY.replace("    draft: true\n", "    draft: true\n    noqa: [T304, G102, V2]\n")
    folder = write_story(tmp_path, {"story.yaml": HEAD + story})
    result = load_story(folder, display="s")
    forward = lint_loaded(result, "s", LintOptions())
    backward = lint_loaded(result, "s", LintOptions(), rules=dict(reversed(RULES.items())))
    assert codes(forward) == ["G104", "N501", "G101"]  # V2 silences nothing in b
    assert forward.diagnostics == backward.diagnostics


def test_noqa_n501_silences_the_scenes_unused_noqa_reports(tmp_path: Path) -> None:
    story = MESSY.replace("    text: C.\n", "    text: C.\n    noqa: [T301, Q9, N501]\n")
    assert "N501" not in codes(lint_text(tmp_path, story))
    # and is itself never reported as unused
    quiet = MESSY.replace("    text: C.\n", "    text: C.\n    noqa: [N5]\n")
    assert "N501" not in codes(lint_text(tmp_path / "x", quiet))
    assert codes(lint_text(tmp_path / "y", story, ignore=("N501",))).count("N501") == 0
    assert codes(lint_text(tmp_path / "z", story.replace(", N501", ""))).count("N501") == 2


def test_the_context_is_frozen_and_explores_only_for_x_rules(tmp_path: Path) -> None:
    folder = write_story(tmp_path, {"story.yaml": HEAD + MESSY})
    result = load_story(folder, display="s")
    assert result.story is not None
    ctx = LintContext.build(result.story, result.source_map, "s/story.yaml", None)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ctx.explored = None  # type: ignore[misc]
    with pytest.raises(NotExplored):
        ctx.exploration()
    assert LintContext.build(result.story, result.source_map, "s/story.yaml",
                             10).exploration().states == 2
