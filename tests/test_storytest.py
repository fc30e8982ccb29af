"""`carnet test` below the CLI: walkthrough parsing, checking, random runs."""

from __future__ import annotations

from pathlib import Path

from carnet.engine.choosing import normalize
from carnet.engine.model import Story
from carnet.tools.storytest.check import run_walkthrough
from carnet.tools.storytest.randomtest import random_runs
from carnet.tools.storytest.walkthrough import Problem, Walkthrough, parse
from tests.storyfiles import load_ok

STORY = """\
carnet: 1
title: T
start: a
vars: {coins: 0, who: "Inês"}
scenes:
  a:
    text: "Hello, {who}."
    choices:
      - {text: "Take a coin", to: a, do: [coins += 1], once: true}
      - {text: "Ask Inês", to: b}
      - {text: "Ask Ines's brother", to: b}
      - {text: "Leave", to: c}
  b:
    text: "Inês counts {coins} coins."
    end: Counted
  c:
    text: Gone.
    end: Gone
"""


def story(tmp_path: Path, text: str = STORY) -> Story:
    return load_ok(tmp_path, {"story.yaml": text})


def walk(text: str) -> Walkthrough:
    parsed = parse(text.encode(), "w.yaml")
    assert isinstance(parsed, Walkthrough), parsed
    return parsed


def failures(tmp_path: Path, text: str) -> list[str]:
    return [f.format() for f in run_walkthrough(story(tmp_path), walk(text))]


def test_choice_text_ignores_case_accents_and_spacing() -> None:
    assert normalize("  Ask  INÊS ") == "ask ines"


def test_a_passing_walkthrough_has_no_failure(tmp_path: Path) -> None:
    assert failures(tmp_path, """\
carnet_test: 1
steps:
  - choose: take a coin
    expect: {scene: a, vars: {coins: 1}, not_text: [Take a coin]}
  - choose: ask ines
expect:
  ending: Counted
  vars: {coins: 1, who: "Inês"}
  text: ["Hello, Inês.", "Inês counts 1 coins."]
""") == []


def test_a_mismatch_names_the_line_and_what_differed(tmp_path: Path) -> None:
    got = failures(tmp_path, """\
carnet_test: 1
steps:
  - choose: 3
    expect: {scene: c}
expect:
  ending: Gone
  vars: {coins: 2, who: 1}
  text: [Goodbye]
""")
    assert got == [
        "w.yaml:4:21: scene differs\n    expected: 'c'\n    got:      'b'",
        "w.yaml:6:11: ending differs\n    expected: 'Gone'\n    got:      'Counted'",
        "w.yaml:7:10: variable coins differs\n    expected: 2\n    got:      0",
        "w.yaml:7:20: variable who differs\n    expected: 1\n    got:      'Inês'",
        "w.yaml:8:10: text 'Goodbye' was not shown\n    expected: a text containing "
        "'Goodbye'\n    got:      \"Hello, Inês. Take a coin Ask Inês Ask Ines's brother "
        "Leave\\nInês counts 0 coins.\"",
    ]


def test_a_step_that_cannot_be_played_stops_the_run(tmp_path: Path) -> None:
    assert failures(tmp_path, "carnet_test: 1\nsteps: [{choose: 7}, {choose: 1}]\n") == [
        "w.yaml:2:18: no choice 7 in scene 'a' (offered: 1 'Take a coin'; 2 'Ask Inês'; "
        "3 \"Ask Ines's brother\"; 4 'Leave')"]
    assert failures(tmp_path, "carnet_test: 1\nsteps: [4, 1]\nexpect: {ending: Gone}\n") == [
        "w.yaml:2:12: nothing can be chosen at the ending 'Gone'"]


def test_a_prefix_must_name_one_choice_unless_one_matches_exactly(tmp_path: Path) -> None:
    got = failures(tmp_path, "carnet_test: 1\nsteps: [Ask]\n")
    assert got == ["w.yaml:2:9: 'Ask' starts more than one choice in scene 'a' "
                   "(2 'Ask Inês'; 3 \"Ask Ines's brother\")"]
    assert failures(tmp_path, "carnet_test: 1\nsteps: [ask ines]\nexpect: {scene: b}\n") == []
    assert failures(tmp_path, "carnet_test: 1\nsteps: [Fly]\n")[0].startswith(
        "w.yaml:2:9: no choice starts with 'Fly' in scene 'a' (offered: 1 'Take a coin'")


def test_unknown_scene_and_variable_get_a_suggestion(tmp_path: Path) -> None:
    got = failures(tmp_path, "carnet_test: 1\nsteps: []\nexpect: {scene: aa, vars: {coin: 0}}\n")
    assert got == ["w.yaml:3:17: the story has no scene 'aa'; did you mean 'a'?",
                   "w.yaml:3:28: the story has no variable 'coin'; did you mean 'coins'?"]


def test_a_bool_is_not_the_int_1(tmp_path: Path) -> None:
    text = STORY.replace("coins: 0", "coins: 1")
    parsed = walk("carnet_test: 1\nsteps: []\nexpect: {vars: {coins: true}}\n")
    assert [f.message for f in run_walkthrough(story(tmp_path, text), parsed)] == [
        "variable coins differs"]


def test_bad_walkthrough_files_are_problems_with_positions() -> None:
    def problems(text: str) -> list[tuple[int, int, str]]:
        parsed = parse(text.encode(), "w.yaml")
        assert isinstance(parsed, list)
        return [(p.at.line, p.at.col, p.message) for p in parsed if isinstance(p, Problem)]

    assert problems("steps: [1]\n") == [(1, 1, "a walkthrough starts with carnet_test: 1")]
    assert problems("carnet_test: 1\nsteps: [0, true, {expect: {}}]\nexpct: {}\n") == [
        (2, 9, "'choose' numbers start at 1"),
        (2, 12, "'choose' must be a choice number (1, 2, ...) or the start of a choice's text"),
        (2, 18, "a step needs 'choose': a number or the start of a choice"),
        (3, 1, "unknown key 'expct' in a walkthrough; did you mean 'expect'? "
               "(known: carnet_test, expect, name, steps)"),
    ]
    assert problems("carnet_test: 1\nexpect: {vars: {a: [1]}, text: 3}\n") == [
        (2, 17, "vars: 'a' must name a variable and give a bool, int or str"),
        (2, 32, "'text' must be a list of strings")]
    assert problems("carnet_test: 1\nsteps: [\n")[0][2].startswith("YAML syntax error")
    assert problems("carnet_test: 1\nx: &a 1\ny: *a\n")[0][2].startswith("anchors and aliases")
    assert parse(b"\xff", "w.yaml") == [Problem(parse(b"\xff", "w.yaml")[0].at,  # type: ignore[index]
                                                "the file is not valid UTF-8 (byte 0xff)")]


SOFT = """\
carnet: 1
title: T
start: a
vars: {n: 0}
scenes:
  a:
    text: A {n}
    choices:
      - {text: Up, to: a, do: [n += 1]}
      - {text: Stuck, to: stuck, if: n >= 2}
      - {text: Out, to: out}
  stuck:
    text: Nothing here.
    choices:
      - {text: Back, to: a, if: n > 100}
  out:
    text: Out.
    end: Out
  unused:
    text: Never.
    end: Never
"""


def test_random_runs_find_softlocks_with_a_replayable_path(tmp_path: Path) -> None:
    report = random_runs(story(tmp_path, SOFT), runs=200, seed=1)
    assert not report.ok
    [trouble] = report.troubles
    assert trouble.kind == "softlock" and trouble.scene == "stuck"
    assert trouble.scenes[-1] == "stuck" and trouble.scenes[0] == "a"
    # the numbers replay it: Up (1) at least twice, then Stuck (2)
    assert trouble.choices[-1] == 2 and trouble.choices.count(1) >= 2
    assert len(trouble.choices) == len(trouble.scenes) - 1
    assert report.seen == {"a", "stuck", "out"}
    assert set(report.scenes) - report.seen == {"unused"}
    assert ("stuck", 0) not in report.taken and ("a", 1) in report.taken
    assert dict((s, n) for s, _, n in report.endings)["unused"] == 0
    assert trouble.count + dict((s, n) for s, _, n in report.endings)["out"] == 200


def test_random_runs_are_deterministic_by_seed(tmp_path: Path) -> None:
    loaded = story(tmp_path, SOFT)
    first = random_runs(loaded, runs=50, seed=7)
    assert first == random_runs(loaded, runs=50, seed=7)
    others = [random_runs(loaded, runs=50, seed=s) for s in range(8)]
    assert len({(r.endings, r.troubles) for r in others}) > 1


LOOP = """\
carnet: 1
title: T
start: a
vars: {s: "ab"}
scenes:
  a:
    text: "{s}"
    choices:
      - {text: Again, to: a, do: [s = s + s]}
"""


def test_random_runs_report_runtime_errors_and_the_step_limit(tmp_path: Path) -> None:
    report = random_runs(story(tmp_path, LOOP), runs=3, seed=2, max_steps=40)
    [error] = report.troubles
    assert error.kind == "error" and error.count == 3 and report.unfinished == 0
    assert "string over 10000 characters" in error.message
    assert error.choices == (1,) * 13 and error.scenes[-1] == "?"  # 2 * 2**13 > 10000
    looped = random_runs(story(tmp_path, LOOP.replace("s = s + s", "s = s")), runs=5, seed=0,
                         max_steps=20)
    assert looped.unfinished == 5 and looped.ok


def test_walkthroughs_and_the_repl_name_choices_the_same_way() -> None:
    from carnet.engine.choosing import named

    options = [(1, "Ask Inês"), (2, "Ask the clerk"), (3, "“Leave.”")]
    assert named(options, "ask ines") == (1,)
    assert named(options, "ask") == (1, 2)  # ambiguous: both are returned
    assert named(options, "leave") == (3,)  # leading quotes do not count
    assert named(options, "   ") == ()
    assert named([(1, "Go"), (2, "Go on")], "go") == (1,)  # a whole text beats a prefix
