"""The state machine: entering scenes, offering and taking choices, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.engine import state as sm
from carnet.engine.model import Story
from carnet.engine.session import Session, SessionError
from tests.storyfiles import HEADER, load_ok

STORY = HEADER + """\
vars:
  coins: 0
  met: false
  name: "Ada"
scenes:
  a:
    text: Hello {name}, {coins} coins.
    on_enter: [coins += 1]
    choices:
      - text: Look around
        to: a
        once: true
      - text: Meet someone
        to: b
        do: [met = true, name = "friend"]
        canon: true
      - text: Secret door
        to: c
        if: visits(a) >= 2 and not met
  b:
    text: Met.
    choices:
      - text: Back
        to: a
      - text: Finish
        to: c
        if: met
        canon: true
  c:
    text: The end.
    end: Home
"""


@pytest.fixture
def story(tmp_path: Path) -> Story:
    return load_ok(tmp_path, {"story.yaml": STORY})


def texts(story: Story, state: sm.State) -> list[str]:
    return [o.choice.text for o in sm.options(story, state)]


def test_new_game_enters_start_and_applies_on_enter(story: Story) -> None:
    state = sm.new_game(story)
    assert state.scene == "a" and state.turn == 0
    assert state.visits["a"] == 1 and state.vars["coins"] == 1
    assert sm.scene_text(story, state) == ("Hello Ada, 1 coins.",)
    assert texts(story, state) == ["Look around", "Meet someone"]


def test_choose_is_pure_and_moves_along(story: Story) -> None:
    start = sm.new_game(story)
    after = sm.choose(story, start, 2)
    assert start.scene == "a" and start.vars["met"] is False  # untouched
    assert after.scene == "b" and after.turn == 1
    assert after.vars["met"] is True and after.vars["name"] == "friend"
    assert after.path == ("a", "b")


def test_once_choices_and_visit_conditions(story: Story) -> None:
    state = sm.choose(story, sm.new_game(story), 1)  # look around: back to a
    assert state.visits["a"] == 2 and state.vars["coins"] == 2
    assert texts(story, state) == ["Meet someone", "Secret door"]  # once gone, visits open
    hidden = {h.choice.text: h.reason for h in sm.hidden(story, state)}
    assert hidden == {"Look around": "once-only, already taken"}
    state = sm.choose(story, state, 2)
    assert state.scene == "c" and sm.is_over(story, state)
    assert sm.options(story, state) == ()


def test_hidden_names_the_condition(story: Story) -> None:
    hidden = sm.hidden(story, sm.new_game(story))
    assert [(h.choice.text, h.reason) for h in hidden] == [
        ("Secret door", "if: visits(a) >= 2 and not met")]


def test_a_number_that_is_not_offered_is_refused(story: Story) -> None:
    with pytest.raises(sm.ChoiceError, match=r"3 is not a choice here \(1-2\)"):
        sm.choose(story, sm.new_game(story), 3)


def test_session_undo_restart_and_canon(story: Story) -> None:
    session = Session.start(story)
    assert session.undo() is False
    session.choose_canon()
    session.choose_canon()
    assert session.ending == "Home" and session.over
    assert session.undo() and session.state.scene == "b"
    session.restart()
    assert session.state.scene == "a" and session.state.turn == 0
    assert session.undo() and session.state.scene == "b"  # restart can be undone


def test_session_debug_goto_and_set(story: Story) -> None:
    session = Session.start(story)
    session.goto("c")
    assert session.state.scene == "c" and session.state.visits["c"] == 1
    assert session.set_var("coins", "7") == 7
    with pytest.raises(SessionError, match="is an int"):
        session.set_var("coins", "many")
    with pytest.raises(SessionError, match="true or false"):
        session.set_var("met", "yes")
    with pytest.raises(SessionError, match="no scene"):
        session.goto("nowhere")


def test_state_key_ignores_history_but_not_variables(story: Story) -> None:
    one = sm.new_game(story)
    two = sm.choose(story, sm.choose(story, one, 2), 1)  # a -> b -> a
    assert one.key() != two.key()  # met, name, coins and visits differ
    assert one == sm.new_game(story)
