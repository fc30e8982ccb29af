"""Each lint rule on a story that breaks it and on one that does not, with positions."""

from __future__ import annotations

from pathlib import Path

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.rules import RULES
from tests.lint_support import HEAD, codes, found, lint, lint_text, where, write_story

# Lines (HEAD is lines 1-2):
#  3 start: a / 4 scenes: / 5 a: / 6 text / 7 choices: / 8 - text: Go / 9 to: b
# 10 b: / 11 text / 12 end
CLEAN = """\
start: a
scenes:
  a:
    text: A.
    choices:
      - text: Go
        to: b
  b:
    text: B.
    end: The end
"""


def test_the_clean_story_has_no_finding(tmp_path: Path) -> None:
    assert lint_text(tmp_path, CLEAN).diagnostics == ()


def test_every_rule_module_declares_its_constants() -> None:
    for code, rule in RULES.items():
        assert code == rule.CODE
        assert rule.NAME.lower() == rule.NAME and " " not in rule.NAME and "_" not in rule.NAME
        assert isinstance(rule.SEVERITY, Severity)
        doc = rule.__doc__ or ""
        for section in ("What it does", "Why", "Bad::", "Good::"):
            assert section in doc, (code, section)
    assert len({rule.NAME for rule in RULES.values()}) == len(RULES)


# -- G101 unreachable-scene ----------------------------------------------------

def test_unreachable_scene(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN + """\
  c:
    text: C.
    choices:
      - text: Go
        to: b
""")
    assert where(report, "G101") == [("s/story.yaml", 13, 3)]
    assert found(report, "G101")[0].severity is Severity.WARNING
    assert "'c'" in found(report, "G101")[0].message


def test_a_scene_reached_only_through_a_conditional_choice_is_reachable(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("        to: b\n", """\
        to: b
      - text: Look
        to: c
        if: false
""") + """\
  c:
    text: C.
    choices:
      - text: Go
        to: b
""", ignore=("X",))
    assert found(report, "G101") == []


# -- G102 dead-end -------------------------------------------------------------

def test_dead_end(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("    end: The end\n", ""))
    assert where(report, "G102") == [("s/story.yaml", 10, 3)]
    assert found(report, "G102")[0].severity is Severity.ERROR
    # the dead end is not also reported as a trap, and its way in is
    assert where(report, "G103") == []
    assert where(report, "G104") == [("s/story.yaml", 3, 1)]


def test_an_ending_is_not_a_dead_end(tmp_path: Path) -> None:
    assert found(lint_text(tmp_path, CLEAN), "G102") == []


# -- G103 trap -----------------------------------------------------------------

TRAP = """\
start: a
scenes:
  a:
    text: A.
    choices:
      - {text: Maze, to: maze}
      - {text: Out, to: fin}
  maze:
    text: M.
    choices: [{text: Onward, to: corridor}]
  corridor:
    text: C.
    choices: [{text: Back, to: maze}]
  fin:
    text: F.
    end: Out
"""


def test_trap(tmp_path: Path) -> None:
    report = lint_text(tmp_path, TRAP)
    assert where(report, "G103") == [("s/story.yaml", 10, 3), ("s/story.yaml", 13, 3)]
    assert all(d.severity is Severity.ERROR for d in found(report, "G103"))
    assert "'maze'" in found(report, "G103")[0].message


def test_a_loop_with_a_way_out_is_no_trap(tmp_path: Path) -> None:
    fixed = TRAP.replace("choices: [{text: Back, to: maze}]",
                         "choices: [{text: Back, to: maze}, {text: Out, to: fin}]")
    assert codes(lint_text(tmp_path, fixed)) == []


def test_the_way_into_a_dead_end_is_a_trap(tmp_path: Path) -> None:
    report = lint_text(tmp_path, TRAP.replace("choices: [{text: Back, to: maze}]", ""))
    # corridor is a dead end (G102); maze can only go there, so it is a trap
    assert where(report, "G102") == [("s/story.yaml", 13, 3)]
    assert where(report, "G103") == [("s/story.yaml", 10, 3)]


def test_an_unreachable_trap_is_only_unreachable(tmp_path: Path) -> None:
    report = lint_text(tmp_path, TRAP.replace("      - {text: Maze, to: maze}\n", ""))
    assert where(report, "G103") == []
    assert where(report, "G101") == [("s/story.yaml", 9, 3), ("s/story.yaml", 12, 3)]


# -- G104 no-ending ------------------------------------------------------------

def test_no_ending(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
start: a
scenes:
  a:
    text: A.
    choices: [{text: Again, to: a}]
""")
    assert codes(report) == ["G104"]  # and no G103 for every scene
    assert where(report, "G104") == [("s/story.yaml", 3, 1)]


# -- G105 unreachable-ending ---------------------------------------------------

def test_unreachable_ending(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN + """\
  escape:
    text: Over the wall.
    end: Freedom
""")
    assert where(report, "G105") == [("s/story.yaml", 13, 3)]
    assert found(report, "G105")[0].severity is Severity.ERROR
    assert "'Freedom'" in found(report, "G105")[0].message
    assert where(report, "G101") == []  # endings are G105's only


# -- V201 unused-variable, V202 constant-variable ------------------------------

def _with_vars(vars_yaml: str, story: str) -> str:
    return story.replace("scenes:\n", vars_yaml + "scenes:\n", 1)


def test_unused_variable(tmp_path: Path) -> None:
    story = _with_vars("vars:\n  coins: 0\n  flag: false\n",
                       CLEAN.replace("to: b\n", "to: b\n        do: [coins += 1]\n"))
    report = lint_text(tmp_path, story)
    # coins is only incremented; flag is neither read nor written: V201 only
    assert where(report, "V201") == [("s/story.yaml", 5, 3), ("s/story.yaml", 6, 3)]
    assert where(report, "V202") == []
    assert all(d.severity is Severity.WARNING for d in report.diagnostics)


def test_a_variable_shown_in_text_is_read(tmp_path: Path) -> None:
    story = _with_vars("vars:\n  coins: 0\n",
                       CLEAN.replace("text: B.", "text: You have {coins}.")
                       .replace("        to: b\n", "        to: b\n        do: [coins += 1]\n"))
    assert codes(lint_text(tmp_path, story)) == []


def test_constant_variable(tmp_path: Path) -> None:
    story = _with_vars("vars:\n  has_key: false\n",
                       CLEAN.replace("        to: b\n", "        to: b\n        if: not has_key\n"))
    report = lint_text(tmp_path, story, ignore=("X",))
    assert where(report, "V202") == [("s/story.yaml", 5, 3)]
    assert "always false" in found(report, "V202")[0].message
    assert where(report, "V201") == []


def test_a_variable_set_in_on_enter_is_written(tmp_path: Path) -> None:
    story = _with_vars("vars:\n  has_key: false\n",
                       CLEAN.replace("        to: b\n", "        to: b\n        if: not has_key\n")
                       .replace("text: A.\n", "text: A.\n    on_enter: [has_key = false]\n"))
    assert where(lint_text(tmp_path, story, ignore=("X",)), "V202") == []


# -- T301 duplicate-choice -----------------------------------------------------

def test_duplicate_choice(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("        to: b\n", """\
        to: b
      - text: "  go "
        to: b
""", 1))
    assert where(report, "T301") == [("s/story.yaml", 10, 15)]
    assert "choice 2" in found(report, "T301")[0].message
    assert "choice 1" in found(report, "T301")[0].message


def test_different_choice_texts(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("        to: b\n", """\
        to: b
      - text: Go on
        to: b
""", 1))
    assert found(report, "T301") == []


# -- T302 empty-text, T303 empty-choice-text -----------------------------------

def test_empty_scene_text(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("text: B.", 'text: "\\n\\n"'))
    assert where(report, "T302") == [("s/story.yaml", 11, 11)]
    assert found(report, "T302")[0].severity is Severity.ERROR


def test_empty_choice_text(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("- text: Go", "- text: '  '"))
    assert where(report, "T303") == [("s/story.yaml", 8, 15)]


def test_text_present(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN)
    assert found(report, "T302") == found(report, "T303") == []


# -- T304 draft-scene ----------------------------------------------------------

def test_draft_scene(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("    text: B.\n", "    text: B.\n    draft: true\n"))
    assert where(report, "T304") == [("s/story.yaml", 12, 5)]
    assert found(report, "T304")[0].severity is Severity.WARNING


def test_draft_false_is_fine(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("text: B.\n", "text: B.\n    draft: false\n"))
    assert found(report, "T304") == []


# -- positions in other files --------------------------------------------------

def test_findings_point_into_the_file_that_holds_the_scene(tmp_path: Path) -> None:
    folder = write_story(tmp_path, {
        "story.yaml": HEAD + CLEAN,
        "more/side.yaml": "# a branch\nscenes:\n  side:\n    text: Side.\n",
    })
    report = lint(folder)
    assert where(report, "G101") == [("s/more/side.yaml", 3, 3)]
    assert where(report, "G102") == [("s/more/side.yaml", 3, 3)]


# -- the loader's errors -------------------------------------------------------

def test_a_story_that_does_not_load_gets_the_loaders_findings_only(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("to: b", "to: nowhere")
                       .replace("text: B.", "text: Hi {who}.")
                       + "  c:\n    text: C.\n")
    # the dangling target, the undeclared variable; no G1xx for the unreachable scene c
    assert [(d.code, d.line, d.col) for d in report.diagnostics] == [
        ("E011", 9, 13), ("E012", 11, 15)]
    assert all(d.severity is Severity.ERROR for d in report.diagnostics)


def test_loader_type_errors_and_yaml_errors(tmp_path: Path) -> None:
    story = _with_vars("vars:\n  coins: 0\n",
                       CLEAN.replace("        to: b\n", "        to: b\n        if: coins\n"))
    report = lint_text(tmp_path, story)
    assert [(d.code, d.line, d.col) for d in report.diagnostics] == [("E010", 12, 13)]
    broken = write_story(tmp_path, {"story.yaml": HEAD + "start: [a\n"}, name="broken")
    report = lint(broken)
    assert [d.code for d in report.diagnostics] == ["E001"]
    # the bracket never closed: shown where it opens, not at the end of the file
    assert (report.diagnostics[0].line, report.diagnostics[0].col) == (3, 8)


def test_loader_codes_obey_ignore(tmp_path: Path) -> None:
    report = lint_text(tmp_path, CLEAN.replace("to: b", "to: nowhere"), ignore=("E011",))
    assert report.diagnostics == ()
