"""Saves of every released save format keep loading (tests/fixtures/saves)."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.engine import saves
from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.engine.session import Session

FIXTURES = Path(__file__).parent / "fixtures" / "saves"


def fixture_story() -> Story:
    result = load_story(FIXTURES / "story")
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("v*/*.json")), ids=lambda p: p.parent.name)
def test_every_released_save_loads(path: Path) -> None:
    story = fixture_story()
    loaded = saves.read(story, path)
    assert loaded.notes == ()
    assert loaded.state.scene == "yard" and loaded.state.turn == 4
    assert dict(loaded.state.vars) == {"coins": 5, "lamp": True, "name": "Wren"}
    assert [s.turn for s in loaded.undo] == [0, 1, 2, 3]
    # the once-only choices taken stay taken: back in the hall, neither the
    # coin nor the lamp is offered again
    session = Session(story, loaded.state, list(loaded.undo))
    session.choose(1)  # Back inside
    assert [o.choice.text for o in session.options()] == ["Say your name", "Leave"]
    # and one undo step back (in the hall after saying the name) the same holds
    session.undo()
    session.undo()
    assert session.state.scene == "hall"
    assert [o.choice.text for o in session.options()] == ["Say your name", "Leave"]
