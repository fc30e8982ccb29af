"""The semantic exploration: findings the graph cannot show, with witnesses."""

from __future__ import annotations

import random
from pathlib import Path

from carnet.engine.diagnostics import Severity
from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.engine.state import State, new_game, once_key, options, take
from carnet.tools.lint.explore import Liveness, Step, explore, reached_by, visit_caps
from carnet.tools.lint.graph import build_graph
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
    # gate(brave=false) -> gate(brave=true); crypt; home (brave is never read
    # after the gate, so home is one state however it is reached)
    assert report.states == 4


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
    # the shop with 0, 10, ... 50 coins; the street once (coins are not read there)
    assert report.states == 7


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
    # a with 1, 2, 3 and "4 or more" (the cap) visits; b once (visits(a) is not
    # read after a)
    assert seen.complete and seen.states == 5
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
    assert seen.states == 3  # a, a after Take, b (the flag cannot matter there)
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
    # 200 choices of 20 effects each in one scene, looked at in each of its 10
    # states: about 10 * 200 * 60 units of work, more than 50 states allow
    effects = ", ".join(["n = n + 0"] * 19 + ["n += 1"])
    choices = "\n".join(f"      - {{text: c{i}, to: a, do: [{effects}], if: n < 9}}"
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
    seen = explore(story, max_states=50)
    assert not seen.complete and seen.bound == "work" and seen.states < 11
    done = explore(story, max_states=500)
    assert done.complete and done.bound is None and done.states == 11  # n = 0..9, and b


# -- what the state key keeps ----------------------------------------------------

SHOP_ROAD = """\
vars: {coins: 0, key: false}
start: shop
scenes:
  shop:
    text: A shop.
    choices:
      - {text: Earn, to: shop, do: [coins += 1], if: coins < 3}
      - {text: Leave, to: road, if: visits(shop) >= 2}
  road:
    text: A road.
    choices:
      - {text: Find a key, to: road, do: [key = true], if: not key}
      - {text: Open the gate, to: gate, if: key}
      - {text: Walk home, to: home}
  gate:
    text: A gate.
    end: Through
  home:
    text: Home.
    end: Home
"""


def test_values_no_later_scene_reads_are_dropped(tmp_path: Path) -> None:
    story = _load(tmp_path, SHOP_ROAD)
    seen = explore(story)
    # shop with 0..3 coins (visits(shop) capped, it follows the coins there);
    # on the road coins and visits(shop) are never read again: road without
    # and with the key; the endings read nothing: one state each
    assert seen.complete and seen.states == 4 + 2 + 2
    live = Liveness.of(story, build_graph(story))
    assert live.level["shop"] < live.level["road"] < min(live.level["gate"], live.level["home"])
    assert live.var_last == {"coins": live.level["shop"], "key": live.level["road"]}
    assert live.visit_last == {"shop": live.level["shop"]}


def _naive(story: Story) -> tuple[int, set[str], set[tuple[str, int]], set[tuple[str, int]],
                                  set[str]] | None:
    """The walk as it was before liveness: every variable and every once flag
    kept, visit counts capped. A reference to compare the real walk with."""
    caps = visit_caps(story)

    def key(state: State) -> tuple[object, ...]:
        counts = tuple((s, min(state.visits.get(s, 0), c) if c else state.visits.get(s, 0))
                       for s, c in caps.items())
        return (state.scene, tuple(sorted(state.vars.items())), counts, state.once)

    first = new_game(story)
    seen = {key(first)}
    queue = [first]
    reached, offered, refused, stuck = set(), set(), set(), set()
    while queue:
        if len(seen) > 5000:
            return None
        state = queue.pop()
        reached.add(state.scene)
        scene = story.scenes[state.scene]
        if scene.is_ending:
            continue
        open_ = options(story, state)
        if not open_ and scene.choices:
            stuck.add(scene.id)
        shown = {o.index for o in open_}
        for i, choice in enumerate(scene.choices):
            if choice.condition is not None and i not in shown and not (
                    choice.once and once_key(scene.id, choice) in state.once):
                refused.add((scene.id, i))
        for option in open_:
            offered.add((scene.id, option.index))
            after = take(story, state, option.index)
            if key(after) not in seen:
                seen.add(key(after))
                queue.append(after)
    return len(seen), reached, offered, refused, stuck


def _random_story(rng: random.Random) -> str:
    count = rng.randint(3, 7)
    ids = [f"s{i}" for i in range(count)]
    lines = ["vars: {n: 0, flag: false}", "start: s0", "scenes:"]
    conditions = ["n < 2", "n >= 1", "flag", "not flag", "visits(s1) >= 2", "visits(s0) < 3",
                  "n == 2 or flag", "visits(s2) > 1 and not flag"]
    effects = ["n += 1", "n = 0", "flag = true", "flag = not flag"]
    for i, sid in enumerate(ids):
        lines.append(f"  {sid}:")
        lines.append("    text: T.")
        if i == count - 1 or (i > 0 and rng.random() < 0.15):
            lines.append("    end: E")
            continue
        lines.append("    choices:")
        for c in range(rng.randint(1, 3)):
            parts = [f"text: c{c}", f"to: {rng.choice(ids)}"]
            if rng.random() < 0.6:
                parts.append(f"if: {rng.choice(conditions)}")
            if rng.random() < 0.5:
                effect = rng.choice(effects)
                if effect == "n += 1":  # bounded, so the state space is finite
                    parts = [p for p in parts if not p.startswith("if")] + ["if: n < 3"]
                parts.append(f"do: [{effect}]")
            if rng.random() < 0.3:
                parts.append("once: true")
            lines.append("      - {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"


def test_dropping_dead_values_changes_no_finding(tmp_path: Path) -> None:
    """On random stories, the walk finds what the walk that keeps everything
    finds (scenes reached, choices offered and refused, softlocks), in no more
    states."""
    rng = random.Random(7)
    checked = 0
    for n in range(150):
        text = _random_story(rng)
        result = load_story(write_story(tmp_path / str(n), {"story.yaml": HEAD + text}))
        if result.story is None:
            continue
        naive = _naive(result.story)
        if naive is None:
            continue
        states, reached, offered, refused, stuck = naive
        seen = explore(result.story)
        assert seen.complete, text
        assert seen.scenes_reached == reached, text
        assert seen.offered == offered, text
        assert seen.refused == refused, text
        assert set(seen.softlocks) == stuck, text
        assert seen.states <= states, text
        checked += 1
    assert checked > 100


# -- X406: a condition that is always true -----------------------------------------

LAMP = """\
vars: {lamp: false, coins: 0}
start: hall
scenes:
  hall:
    text: A dark hall.
    on_enter: [lamp = true]
    choices:
      - {text: Read the letter, to: out, if: lamp}
      - {text: Count, to: hall, do: [coins += 1], if: coins < 2}
      - {text: Never, to: out, if: coins > 5}
      - {text: Take the coin, to: hall, once: true, if: coins >= 0}
      - {text: Leave, to: out}
  out:
    text: Out.
    end: Out
"""


def test_a_condition_that_is_always_true(tmp_path: Path) -> None:
    report = lint_text(tmp_path, LAMP)
    # lamp is set on entering the hall: "Read the letter" is always offered;
    # "Count" is refused once coins reach 2; "Never" is X401's; the once-only
    # coin is hidden after it is taken, but true every time it is looked at
    assert where(report, "X406") == [("s/story.yaml", 10, 46), ("s/story.yaml", 13, 57)]
    first = found(report, "X406")[0]
    assert first.message == (
        "the condition of choice 1 of scene 'hall' is always true: 'lamp' holds every time "
        f"the scene is reached ({report.states} states explored)")
    assert first.severity is Severity.WARNING
    assert first.hint == "remove the 'if', or check the condition"
    assert where(report, "X401") == [("s/story.yaml", 12, 36)]
    # silenced like any rule, and not claimed when the walk is cut short
    quiet = LAMP.replace("    text: A dark hall.\n", "    text: A dark hall.\n    noqa: [X406]\n")
    assert found(lint_text(tmp_path / "q", quiet), "X406") == []
    cut = lint_text(tmp_path / "c", LAMP, max_states=2)
    assert "X400" in codes(cut) and found(cut, "X406") == []


def test_a_condition_that_changes_is_not_constant(tmp_path: Path) -> None:
    report = lint_text(tmp_path, LAMP.replace("    on_enter: [lamp = true]\n", "").replace(
        "do: [coins += 1], if: coins < 2}", "do: [coins += 1, lamp = not lamp], if: coins < 2}"))
    assert [d.line for d in found(report, "X406")] == [12]  # only the coin's


TEXT_LAMP = """\
vars: {lamp: false, rain: false}
start: hall
scenes:
  hall:
    on_enter: [lamp = true]
    text: 'The hall is {if lamp: bright | else: dark}. {if rain: Rain drums.}'
    revisit: 'Back in the hall. {if visits(hall) > 1: Again.}'
    choices:
      - {text: Wait, to: hall, do: [rain = not rain], if: visits(hall) < 3}
      - text: "Leave{if rain: , wet}"
        to: out
  out:
    text:
      - Outside.
      - {if: lamp, text: The lamp glows behind you.}
    end: Out
"""


def test_conditions_in_text_that_never_change(tmp_path: Path) -> None:
    report = lint_text(tmp_path, TEXT_LAMP)
    messages = {(d.line, d.col): d.message for d in found(report, "X406")}
    # lamp is set on entering: always true in the hall's text and in out's
    # paragraph; the hall's first text is shown only on the first entry, when
    # it has not rained yet: rain is always false there; visits(hall) > 1 is
    # always true in the revisit text (shown from the second entry on); the
    # choice "Leave" is offered with and without rain
    assert sorted(messages) == [(8, 28), (8, 60), (9, 37), (17, 14)]
    assert messages[(8, 28)] == (
        "the condition 'lamp' in the text of scene 'hall' is always true where the text is "
        f"shown ({report.states} states explored)")
    assert "'rain' in the text of scene 'hall' is always false" in messages[(8, 60)]
    assert "'visits(hall) > 1'" in messages[(9, 37)]
    assert "'lamp' in the text of scene 'out' is always true" in messages[(17, 14)]
    assert found(report, "X406")[0].hint == "write the text without the condition, or check it"


def test_a_text_condition_that_takes_both_values(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
vars: {lamp: false}
start: porch
scenes:
  porch:
    text: A porch.
    choices:
      - {text: Light the lamp, to: hall, do: [lamp = true]}
      - {text: Go in, to: hall}
  hall:
    text: 'The hall is {if lamp: bright | else: dark}.'
    end: Hall
""")
    assert found(report, "X406") == [] and report.complete


def test_a_text_condition_that_is_never_true(tmp_path: Path) -> None:
    report = lint_text(tmp_path, TEXT_LAMP.replace("{if visits(hall) > 1: Again.}",
                                                   "{if rain and not rain: Never.}"))
    never = [d.message for d in found(report, "X406")
             if "scene 'hall' is always false" in d.message]
    assert never == [
        f"the condition 'rain' in the text of scene 'hall' is always false where the text is "
        f"shown ({report.states} states explored)",
        f"the condition 'rain and not rain' in the text of scene 'hall' is always false where "
        f"the text is shown ({report.states} states explored)"]
