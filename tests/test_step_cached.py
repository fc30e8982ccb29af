"""The step's plans and caches change nothing a player sees (issue 12).

Random stories that use every feature of text that follows the state
(``{name}``, ``{if ...}`` with ``elif``/``else`` and nesting, ``revisit:``,
conditional paragraphs, ``visits()``), once-only choices, conditions and
effects, played by long random walks of two sessions at once, with undo,
restart and restore from a save in the middle: every text, every choice
offered and every state equals what the plain reference player
(tests/support/reference_play.py: dicts and the tree evaluator) and the
uncached renderer give.
"""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.engine import saves, textcache
from carnet.engine import session as session_module
from carnet.engine import state as sm
from carnet.engine.expr import EvalError
from carnet.engine.model import Story
from carnet.engine.session import Session, state_cells
from carnet.engine.template import render_blocks
from tests.storyfiles import HEADER, load_ok
from tests.support import reference_play as ref

SCENES = ["a", "b", "c", "d", "e"]
PIECES = [
    "The hall is quiet.",
    "Hello, {name}.",
    "You hold {coins} coins.",
    "The lamp is {lit}.",
    "{{Braces}} stay.",
    "{if lit: It is bright. | else: It is dark.}",
    "{if coins >= 2: Rich, {name}. | elif coins == 1: One coin. | else: No coins.}",
    "{if visits(a) > 1: Back at the start.}",
    "{if visits(b) >= 2 and not lit: {if coins > 0: A glint of {name}'s coin. | else: Dust.}}",
    '{if name == "Ann": Ann waves.}',
    "{if visits(c) > 2: {if lit: }}",
]
CONDITIONS = ["lit", "not lit", "coins >= 2", "visits(c) > 0", "visits(a) >= 2 or lit",
              'name != "Ann"', "coins + visits(b) > 3"]
EFFECTS = ["coins += 1", "coins -= 1", "lit = not lit", 'name = "Ann"', 'name = "Bob"',
           "lit = true", "coins = coins + visits(a)"]


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=3)))


@st.composite
def texts(draw: st.DrawFn) -> object:
    if draw(st.booleans()):
        return "\n\n".join(draw(st.lists(paragraphs(), min_size=1, max_size=2)))
    items: list[object] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            items.append(draw(paragraphs()))
        else:
            item = {"if": draw(st.sampled_from(CONDITIONS)), "text": draw(paragraphs())}
            if draw(st.booleans()):
                item["else"] = draw(paragraphs())
            items.append(item)
    return items


@st.composite
def stories(draw: st.DrawFn) -> str:
    scenes: dict[str, Any] = {}
    for sid in SCENES:
        scene: dict[str, Any] = {"text": draw(texts())}
        if draw(st.booleans()):
            scene["revisit"] = draw(texts())
        if draw(st.integers(0, 3)) == 0:
            scene["on_enter"] = draw(st.lists(st.sampled_from(EFFECTS), min_size=1, max_size=2))
        choices = []
        for _ in range(draw(st.integers(1, 4))):
            choice: dict[str, Any] = {"text": draw(paragraphs()),
                                      "to": draw(st.sampled_from([*SCENES, "end"]))}
            if draw(st.booleans()):
                choice["if"] = draw(st.sampled_from(CONDITIONS))
            if draw(st.booleans()):
                choice["do"] = draw(st.lists(st.sampled_from(EFFECTS), min_size=1, max_size=2))
            if draw(st.integers(0, 2)) == 0:
                choice["once"] = True
            choices.append(choice)
        scene["choices"] = choices
        scenes[sid] = scene
    scenes["end"] = {"text": "The end, {name}.", "end": "The end"}
    body = {"vars": {"lit": False, "coins": 0, "name": "Wren"}, "scenes": scenes}
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


# mostly choices (of the 1st to 4th option offered), now and then something else
ACTIONS = st.sampled_from([
    *[("choose", n) for n in (1, 2, 3, 4, 1, 2, 1, 2, 3, 1)],
    ("undo", 0), ("undo", 0), ("restart", 0), ("save", 0), ("switch", 0), ("switch", 0)])


class Player:
    """A session and the reference player beside it, moved together."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.session = Session.start(story)
        self.plain = ref.new_game(story)
        self.undo: list[ref.Plain] = []

    def act(self, action: str, number: int) -> None:
        if action == "choose":
            offered = ref.open_choices(self.story, self.plain)
            if not offered:
                action = "restart"
            else:
                number = (number - 1) % len(offered) + 1
                self.session.choose(number)
                self.undo.append(self.plain)
                self.plain = ref.take(self.story, self.plain, offered[number - 1])
                return
        if action == "undo":
            assert self.session.undo() is bool(self.undo)
            if self.undo:
                self.plain = self.undo.pop()
        elif action == "restart":
            self.session.restart()
            self.undo.append(self.plain)
            self.plain = ref.new_game(self.story)
        elif action == "save":  # the game goes on in a new session, restored from the save
            loaded = saves.loads(self.story, saves.dumps(self.story, *self.session.snapshot()))
            self.session = Session(self.story, loaded.state)
            self.session.restore(loaded.state, loaded.undo)

    def check(self) -> None:
        story, state, plain = self.story, self.session.state, self.plain
        assert (state.scene, dict(state.vars), dict(state.visits.items()), state.once,
                state.turn) == (plain.scene, plain.vars, plain.visits, plain.once, plain.turn)
        expected = ref.scene_text(story, plain)
        assert self.session.text() == expected
        scene = story.scenes[state.scene]
        uncached = render_blocks(scene.blocks(state.visits.get(scene.id) or 0),
                                 state.vars, state.visits)
        assert uncached == expected
        offered = self.session.options()
        assert [o.index for o in offered] == ref.open_choices(story, plain)
        assert [o.number for o in offered] == list(range(1, len(offered) + 1))
        assert [self.session.option_text(o) for o in offered] == [
            ref.choice_text(story, plain, o.index) for o in offered]
        assert self.session.over == (scene.ending is not None or not offered)


@settings(max_examples=40)
@given(stories(), st.lists(ACTIONS, min_size=40, max_size=160))
def test_long_random_walks_show_what_the_reference_shows(text: str, actions: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        story = load_ok(Path(tmp), {"story.yaml": text})
    players = [Player(story), Player(story)]  # two sessions share the story and its caches
    current = 0
    for player in players:
        player.check()
    for action, number in actions:
        if action == "switch":
            current = 1 - current
            continue
        players[current].act(action, number)
        players[current].check()
    for player in players:  # the other session was not disturbed
        player.check()


def test_a_cached_text_is_never_shown_for_another_type_or_another_scene(
        tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": HEADER + dedent("""\
        vars: {flag: false, n: 0}
        scenes:
          a:
            text: "Flag {flag}."
            choices: [{text: go, to: b}]
          b:
            text: "Flag {flag}, n {n}."
            end: B
        """)})
    shown = sm.new_game(story)
    moved = sm.choose(story, shown, 1)
    assert sm.scene_text(story, shown) == ("Flag false.",)
    assert sm.scene_text(story, moved) == ("Flag false, n 0.",)
    # the same values compare equal across types (False == 0), but do not render alike
    odd = sm.State(scene="a", vars={"flag": 0, "n": False}, visits={"a": 1})
    assert sm.scene_text(story, odd) == ("Flag 0.",)
    odd_b = sm.State(scene="b", vars={"flag": 0, "n": False}, visits={"b": 1})
    assert sm.scene_text(story, odd_b) == ("Flag 0, n false.",)
    assert sm.scene_text(story, shown) == ("Flag false.",)
    assert sm.scene_text(story, moved) == ("Flag false, n 0.",)


def test_a_text_reading_visit_counts_follows_them(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": HEADER + dedent("""\
        vars: {n: 0}
        scenes:
          a:
            text: "{if visits(a) > 2: often | elif visits(b) > 0: back | else: first}, {n}"
            choices: [{text: go, to: a}, {text: away, to: b}]
          b:
            text: "{if visits(a) > 1: Seen a twice.}"
            choices: [{text: back, to: a}]
        """)})
    state = sm.new_game(story)
    shown = [sm.scene_text(story, state)]
    for number in (2, 1, 1, 1, 2):
        state = sm.choose(story, state, number)
        shown.append(sm.scene_text(story, state))
    assert shown == [("first, 0",), (), ("back, 0",), ("often, 0",),
                     ("often, 0",), ("Seen a twice.",)]


def test_a_text_that_fails_fails_every_time(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": HEADER + dedent("""\
        vars: {n: 999999999999999999}
        scenes:
          a:
            text: "{if n + n > 0: big}"
            end: A
        """)})
    state = sm.new_game(story)
    for _ in range(2):  # the failure is not cached as some text
        with pytest.raises(EvalError):
            sm.scene_text(story, state)
    small = sm.State(scene="a", vars={"n": 1}, visits={"a": 1})
    assert sm.scene_text(story, small) == ("big",)


COUNTER = HEADER + "vars: {n: 0}\nscenes:\n"


def counting_story(tmp_path: Path, scenes: int) -> Story:
    """Scenes in a ring, each showing a number that grows every turn."""
    lines = []
    for i in range(scenes):
        sid = "a" if i == 0 else f"s{i}"
        nxt = "a" if i == scenes - 1 else f"s{i + 1}"
        lines.append(f"  {sid}:\n    text: 'Turn {{n}} at {sid}, {{if n > 3: late | else: early}}.'"
                     f"\n    choices: [{{text: onward, to: {nxt}, do: [n += 1]}}]")
    return load_ok(tmp_path, {"story.yaml": COUNTER + "\n".join(lines) + "\n"})


def test_the_text_caches_stay_within_their_budget_in_a_long_game(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textcache, "CACHE_BUDGET", 4_000)
    textcache.clear_caches()
    story = counting_story(tmp_path, 30)
    session = Session.start(story)
    for turn in range(1, 600):
        session.choose(1)
        state = session.state
        assert session.text() == (f"Turn {turn} at {state.scene}, "
                                  f"{'late' if turn > 3 else 'early'}.",)
        assert textcache.cache_cost() <= 4_000
    assert textcache.cache_cost() > 0  # the texts were kept, within the budget


def test_one_text_keeps_a_few_renderings_however_many_it_meets(tmp_path: Path) -> None:
    textcache.clear_caches()
    story = counting_story(tmp_path, 1)  # one scene, a new number every turn
    session = Session.start(story)
    entry = textcache.ENTRY_COST + len("Turn 1000 at a, late.")
    for _ in range(1000):
        session.choose(1)
        assert textcache.cache_cost() <= textcache.TEXTS_PER_SCENE * entry
    assert session.text() == ("Turn 1000 at a, late.",)


def test_a_state_played_against_an_edited_story_follows_the_edit(tmp_path: Path) -> None:
    text = HEADER + dedent("""\
        vars: {n: 1}
        scenes:
          a:
            text: "n is {n}."
            choices:
              - {text: Up, to: a, do: [n += 1]}
              - {text: Big, to: a, if: n > 5}
        """)
    before = load_ok(tmp_path / "1", {"story.yaml": text})
    after = load_ok(tmp_path / "2", {"story.yaml": text.replace("n > 5", "n > 0").replace(
        "n is", "now n is").replace("n += 1", "n += 10")})
    state = sm.new_game(before)
    assert [o.choice.text for o in sm.options(before, state)] == ["Up"]
    assert sm.scene_text(before, state) == ("n is 1.",)
    # the same state object, now read with the edited story (a save loaded after an edit)
    assert [o.choice.text for o in sm.options(after, state)] == ["Up", "Big"]
    assert sm.scene_text(after, state) == ("now n is 1.",)
    assert sm.choose(after, state, 1).vars["n"] == 11
    assert sm.choose(before, state, 1).vars["n"] == 2
    assert [o.choice.text for o in sm.options(before, state)] == ["Up"]


def kept_by_the_rules(undo: list[sm.State], limit: int, budget: int) -> list[sm.State]:
    """The undo steps a session keeps, worked out from scratch: the newest
    ``limit`` at most, then the newest whose cells fit ``budget``."""
    kept = undo[-limit:] if limit else []
    while kept and sum(state_cells(s) for s in kept) > budget:
        kept = kept[1:]
    return kept


@settings(max_examples=30)
@given(st.lists(st.sampled_from(["choose", "choose", "choose", "undo", "restore", "goto"]),
                min_size=1, max_size=150),
       st.integers(1, 12), st.integers(1, 200))
def test_the_undo_stack_counted_as_it_goes_keeps_what_the_rules_keep(
        actions: list[str], limit: int, budget: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        story = load_ok(Path(tmp), {"story.yaml": HEADER + dedent("""\
            vars: {n: 0}
            scenes:
              a:
                text: "{n}"
                choices: [{text: more, to: b, do: [n += 1]}, {text: same, to: a}]
              b:
                text: B
                choices: [{text: back, to: a}]
            """)})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(session_module, "UNDO_LIMIT", limit)
        patch.setattr(session_module, "UNDO_BUDGET", budget)
        session = Session.start(story)
        model: list[sm.State] = []
        for action in actions:
            before = session.state
            if action == "choose":
                session.choose(1)
                model = kept_by_the_rules([*model, before], limit, budget)
            elif action == "goto":
                session.goto("b")
                model = kept_by_the_rules([*model, before], limit, budget)
            elif action == "undo":
                assert session.undo() is bool(model)
                if model:
                    assert session.state is model.pop()
            else:  # a save restored: the same states, a new list
                state, undo = session.snapshot()
                session.restore(state, undo)
                model = kept_by_the_rules(list(undo), limit, budget)
            assert [id(s) for s in session.undo_stack] == [id(s) for s in model]


def test_scene_plans_are_bounded_and_go_with_their_story(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sm, "PLANS_MAX", 10)
    story = counting_story(tmp_path / "ring", 25)
    session = Session.start(story)
    for _ in range(60):
        session.choose(1)
        assert len(sm._PLANS) <= 10
    assert session.text() == ("Turn 60 at s10, late.",)
    monkeypatch.setattr(sm, "PLANS_MAX", 20_000)
    sm._PLANS.clear()
    other = counting_story(tmp_path / "other", 5)
    for _ in range(5):
        sm.choose(other, sm.new_game(other), 1)
    assert len(sm._PLANS) == 2  # the new game's scene and the next
    del other
    gc.collect()
    assert not sm._PLANS  # a plan never keeps its scene, or its story, alive
