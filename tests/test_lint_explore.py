"""The semantic exploration: findings the graph cannot show, with witnesses."""

from __future__ import annotations

from pathlib import Path

from carnet.engine.diagnostics import Severity
from carnet.engine.loader import load_story
from carnet.tools.lint.explore import Step, explore, reached_by, visit_caps
from tests.lint_support import HEAD, codes, found, lint_text, where, write_story

GATE = """\
vars:
  brave: false
start: gate
scenes:
  gate:
    text: A dark gate.
    choices:
      - text: Steel yourself
        to: gate
        if: visits(gate) > 5
        do: [brave = true]
      - text: Enter
        to: crypt
        if: brave
      - text: Run
        to: home
  crypt:
    text: Bones.
    choices: [{text: Leave, to: home}]
  home:
    text: Home.
    end: Safe
"""


def _load(tmp_path: Path, story_yaml: str):  # type: ignore[no-untyped-def]
    result = load_story(write_story(tmp_path, {"story.yaml": HEAD + story_yaml}))
    assert result.story is not None, result.diagnostics
    return result.story


def test_a_condition_that_is_never_true(tmp_path: Path) -> None:
    report = lint_text(tmp_path, GATE)
    # "Steel yourself" needs a sixth visit of the gate, but nothing leads back
    # to the gate before it is offered: never offered, so brave is never set,
    # so Enter is never offered and the crypt is never reached.
    assert where(report, "X401") == [("s/story.yaml", 12, 13), ("s/story.yaml", 16, 13)]
    first = found(report, "X401")[0]
    assert first.message == ("choice 1 of scene 'gate' is never offered: 'visits(gate) > 5' is "
                             "false every time the scene is reached (2 states explored)")
    assert first.severity is Severity.WARNING
    assert where(report, "X402") == [("s/story.yaml", 19, 3)]
    assert "never reached in play" in found(report, "X402")[0].message
    assert where(report, "X403") == []
    assert report.states == 2 and report.complete  # gate, home


def test_the_same_story_with_a_way_to_get_brave(tmp_path: Path) -> None:
    fixed = GATE.replace("if: visits(gate) > 5", "if: not brave")
    report = lint_text(tmp_path, fixed)
    assert codes(report) == []
    # gate(brave=false) -> gate(brave=true); crypt; home twice (two ways in, same vars)
    assert report.states == 5


def test_an_ending_that_no_playthrough_reaches(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
vars:
  coins: 0
start: shop
scenes:
  shop:
    text: A crown for sale. You have {coins}.
    choices:
      - {text: Buy the crown, to: king, if: coins >= 100}
      - {text: Beg, to: shop, do: [coins += 10], if: coins < 50}
      - {text: Leave, to: street}
  king:
    text: You wear the crown.
    end: Crowned
  street:
    text: A busy street.
    end: Poor
""")
    assert where(report, "X403") == [("s/story.yaml", 13, 3)]
    assert found(report, "X403")[0].severity is Severity.ERROR
    assert "'Crowned'" in found(report, "X403")[0].message
    assert where(report, "X401") == [("s/story.yaml", 10, 45)]
    assert report.states == 12  # the shop with 0, 10, ... 50 coins, and the street from each


def test_a_softlock_names_the_shortest_playthrough(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
start: start
scenes:
  start:
    text: Start.
    choices:
      - {text: Long way, to: far}
      - {text: To the well, to: well}
  far:
    text: Far.
    choices: [{text: To the well, to: well}]
  well:
    text: A well.
    choices:
      - {text: Drink, to: field, once: true}
      - {text: Go home, to: home, if: visits(well) < 2}
  field:
    text: A field.
    choices: [{text: Back to the well, to: well}]
  home:
    text: Home.
    end: Home
""")
    assert where(report, "X404") == [("s/story.yaml", 13, 3)]
    softlock = found(report, "X404")[0]
    assert softlock.severity is Severity.ERROR
    assert softlock.message.endswith(
        "(reached by: 2 'To the well' -> 1 'Drink' -> 1 'Back to the well')")
    # the graph alone sees nothing wrong
    assert [c for c in codes(report) if not c.startswith("X")] == []


def test_a_softlock_at_the_start(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
vars: {ready: false}
start: a
scenes:
  a:
    text: A.
    choices: [{text: Go, to: b, if: ready}]
  b:
    text: B.
    end: B
""", ignore=("V",))
    assert "(reached at the start of a new game)" in found(report, "X404")[0].message


def test_a_runtime_failure_has_a_witness(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
vars: {echo: "ha"}
start: cave
scenes:
  cave:
    text: "{echo}"
    choices:
      - {text: Shout, to: cave, do: [echo = echo + echo + echo]}
      - {text: Leave, to: out}
  out:
    text: Out.
    end: Out
""")
    assert where(report, "X405") == [("s/story.yaml", 9, 9)]
    message = found(report, "X405")[0].message
    assert "choice 1 of scene 'cave' fails in play" in message
    assert "10000" in message or "10,000" in message
    # 3**9 = 19683 > 10000: the ninth shout fails
    assert message.endswith("(reached by: " + " -> ".join(["1 'Shout'"] * 8) + ")")


def test_the_bound_reached_is_said_and_claims_are_withheld(tmp_path: Path) -> None:
    story = """\
vars: {steps: 0}
start: walk
scenes:
  walk:
    text: You walk.
    choices:
      - {text: Walk on, to: walk, do: [steps += 1]}
      - {text: Stop, to: rest, if: steps > 3}
      - {text: Never, to: rest, if: steps < 0}
  rest:
    text: Rest.
    end: Rested
"""
    report = lint_text(tmp_path, story, max_states=50)
    assert not report.complete and report.states == 50
    assert codes(report) == ["X400"]
    bound = found(report, "X400")[0]
    assert bound.message.startswith("explored 50 states (bound reached): results are not a proof")
    assert (bound.line, bound.col) == (4, 1)
    # with the walk bounded another way, the never-true choice is reported
    bounded = story.replace("do: [steps += 1]}", "do: [steps += 1], if: steps < 10}")
    report = lint_text(tmp_path / "b", bounded)
    assert report.complete and codes(report) == ["X401"]
    assert found(report, "X401")[0].line == 11


def test_softlocks_are_reported_even_when_the_bound_is_reached(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
vars: {n: 0}
start: a
scenes:
  a:
    text: A.
    choices:
      - {text: Count, to: a, do: [n += 1]}
      - {text: Stuck, to: b}
  b:
    text: B.
    choices: [{text: Out, to: c, if: n < 0}]
  c:
    text: C.
    end: C
""", max_states=20)
    assert codes(report) == ["X400", "X404"]
    assert "(reached by: 2 'Stuck')" in found(report, "X404")[0].message


def test_exploring_ignored_rules_does_not_run(tmp_path: Path) -> None:
    report = lint_text(tmp_path, GATE, ignore=("X",))
    assert report.states is None
    assert [c for c in codes(report) if c.startswith("X")] == []


# -- the state key -------------------------------------------------------------

def test_visit_caps(tmp_path: Path) -> None:
    story = _load(tmp_path, """\
vars: {n: 0}
start: a
scenes:
  a:
    text: A.
    on_enter: [n = visits(c)]
    choices:
      - {text: x, to: b, if: visits(a) >= 2 and 3 > visits(a)}
      - {text: y, to: b, if: visits(b) == -1}
  b:
    text: B.
    end: B
  c:
    text: C.
    end: C
""")
    # a: compared with 2 and 3 -> cap 4; b: only with -1 -> cap 1; c: read as a value -> exact
    assert visit_caps(story) == {"a": 4, "b": 1, "c": None}


def test_capped_visits_keep_the_state_space_finite(tmp_path: Path) -> None:
    story = _load(tmp_path, """\
start: a
scenes:
  a:
    text: A.
    choices:
      - {text: Again, to: a}
      - {text: Out, to: b, if: visits(a) >= 3}
  b:
    text: B.
    end: B
""")
    seen = explore(story, 1000)
    # a with 1, 2, 3 and "4 or more" (the cap) visits; b entered after 3 or after 4+
    assert seen.complete and seen.states == 6
    assert ("a", 1) in seen.offered


def test_once_choices_are_part_of_the_state(tmp_path: Path) -> None:
    story = _load(tmp_path, """\
start: a
scenes:
  a:
    text: A.
    choices:
      - {text: Take, to: a, once: true}
      - {text: Out, to: b}
  b:
    text: B.
    end: B
""")
    seen = explore(story)
    assert seen.states == 4  # a, a after Take, b, b after Take
    assert seen.softlocks == {}


def test_reached_by() -> None:
    assert reached_by(()) == "reached at the start of a new game"
    long = "a very long choice text that goes on and on and on"
    assert reached_by((Step(1, "Go north"), Step(2, long))) == (
        "reached by: 1 'Go north' -> 2 'a very long choice text that goes on ...'")


def test_long_witnesses_are_shortened_in_the_middle() -> None:
    steps = tuple(Step(1, f"step {n}") for n in range(1, 31))
    text = reached_by(steps)
    parts = text.removeprefix("reached by: ").split(" -> ")
    assert parts[:5] == [f"1 'step {n}'" for n in range(1, 6)]
    assert parts[5] == "... 10 more choices ..."
    assert parts[6:] == [f"1 'step {n}'" for n in range(16, 31)]


def test_many_choices_per_scene_spend_the_work_budget(tmp_path: Path) -> None:
    # 200 choices in one scene, looked at in each of its 10 states: 2,000
    # choices for a bound of 10 states (500 allowed); the walk stops, and says so
    choices = "\n".join(f"      - {{text: c{i}, to: a, do: [n += 1], if: n < 9}}"
                        for i in range(200))
    story = _load(tmp_path, f"""\
vars: {{n: 0}}
start: a
scenes:
  a:
    text: "{{n}}"
    choices:
{choices}
      - {{text: Out, to: b}}
  b:
    text: B.
    end: B
""")
    seen = explore(story, max_states=10)
    assert not seen.complete and seen.states < 10
    assert explore(story, max_states=100).complete
