"""Saves: JSON round trip, surviving story edits, refusing what cannot load."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from carnet.engine import saves
from carnet.engine import state as sm
from carnet.engine.model import Story
from tests.storyfiles import HEADER, load_ok

STORY = HEADER + """\
vars:
  coins: 0
  old: false
scenes:
  a:
    text: A
    on_enter: [coins += 1]
    choices:
      - {text: loop, to: a, once: true}
      - {text: on, to: b}
  b:
    text: B
    end: E
"""


def played(tmp_path: Path) -> tuple[Story, sm.State]:
    story = load_ok(tmp_path / "v1", {"story.yaml": STORY.replace("{text: on,", "{text: 'on',")})
    return story, sm.choose(story, sm.new_game(story), 1)


def test_round_trip_gives_the_same_state(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    loaded = saves.loads(story, saves.dumps(story, state))
    assert loaded.state == state and loaded.notes == ()
    assert loaded.state.once == frozenset({"a#1"})


def test_save_text_is_stable_json(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    text = saves.dumps(story, state)
    assert text == saves.dumps(story, state)
    data = json.loads(text)
    assert data["carnet_save"] == 1 and data["story"] == "story"
    assert data["state"]["vars"] == {"coins": 2, "old": False}


def test_a_save_survives_edits_and_says_what_changed(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    text = saves.dumps(story, state)
    edited = STORY.replace("  old: false\n", "  torch: 3\n").replace("{text: on,", "{text: 'on',")
    edited = edited.replace("text: B\n", "text: B, rewritten\n")
    new_story = load_ok(tmp_path / "v2", {"story.yaml": edited})
    loaded = saves.loads(new_story, text)
    assert loaded.state.scene == "a" and loaded.state.vars == {"coins": 2, "torch": 3}
    assert loaded.notes == (
        "the story has changed since this save was made",
        "variable 'old' is no longer in the story; dropped",
        "new variable 'torch' starts at 3",
    )


def test_refused_saves(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    good = json.loads(saves.dumps(story, state))
    other = dict(good, story="another")
    gone = dict(good, state=dict(good["state"], scene="vanished"))
    cases = {
        "{not json": "corrupt",
        "[]": "not a carnet save",
        json.dumps(other): "belongs to the story 'another'",
        json.dumps(gone): "no longer has",
        json.dumps(dict(good, carnet_save=99)): "format 99",
    }
    for text, message in cases.items():
        with pytest.raises(saves.SaveError, match=message):
            saves.loads(story, text)


def test_write_is_atomic_and_keeps_the_old_save_on_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story, state = played(tmp_path)
    path = tmp_path / "saves" / "slot.json"
    saves.write(story, path, state)
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    later = sm.choose(story, state, 1)
    with pytest.raises(OSError):
        saves.write(story, path, later)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["slot.json"]  # no temp file left


def test_read_reports_a_missing_file(tmp_path: Path) -> None:
    story, _ = played(tmp_path)
    with pytest.raises(saves.SaveError, match="no save at"):
        saves.read(story, tmp_path / "nope.json")
