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
    assert loaded.state.once == frozenset({sm.once_key("a", story.scenes["a"].choices[0])})


def test_save_text_is_stable_json(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    text = saves.dumps(story, state)
    assert text == saves.dumps(story, state)
    data = json.loads(text)
    assert data["carnet_save"] == saves.SAVE_VERSION == 2 and data["story"] == "story"
    assert data["min_compatible"] == saves.MIN_COMPATIBLE
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
        json.dumps(dict(good, carnet_save=99, min_compatible=99)):
            r"written by a newer carnet \(format 99, readable from format 99\); this carnet "
            r"reads formats 1-2",
        json.dumps(dict(good, carnet_save=[1])): r"format \[1\], which is not a format",
        json.dumps(dict(good, carnet_save=0)): "which is not a format",
        json.dumps(dict(good, min_compatible="2")): "min_compatible '2' is not",
        '{"carnet_save": 2, "story": "story", "state": {"turn": ' + "9" * 5000 + "}}":
            "the save is corrupt",
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


# -- a format that evolves ----------------------------------------------------------------
def test_a_later_format_that_older_carnets_may_read_is_read(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    data = json.loads(saves.dumps(story, state))
    newer = dict(data, carnet_save=7, min_compatible=2, added_later={"x": 1})
    assert saves.loads(story, json.dumps(newer)).state == state


def test_each_version_step_has_its_migration() -> None:
    assert sorted(saves.MIGRATIONS) == list(range(saves.OLDEST_READABLE, saves.SAVE_VERSION))
    assert saves.MIN_COMPATIBLE <= saves.SAVE_VERSION


def test_format_1_once_flags_move_to_the_choices_at_their_positions(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    v1 = json.loads(saves.dumps(story, state))
    v1["carnet_save"] = 1
    del v1["min_compatible"]
    v1["state"]["once"] = ["a#1", "a#9", "gone#1"]
    v1["undo"] = [dict(v1["state"], once=["a#1"])]
    loaded = saves.loads(story, json.dumps(v1))
    flag = sm.once_key("a", story.scenes["a"].choices[0])
    assert loaded.state.once == frozenset({flag})  # flags of no choice now are dropped
    assert loaded.undo[0].once == frozenset({flag})
    assert [o.choice.text for o in sm.options(story, loaded.state)] == ["on"]


def test_reordering_choices_keeps_once_flags_on_the_same_choices(tmp_path: Path) -> None:
    story, state = played(tmp_path)  # the once-only "loop" was taken
    text = saves.dumps(story, state)
    reordered = STORY.replace(
        "      - {text: loop, to: a, once: true}\n      - {text: on, to: b}\n",
        "      - {text: 'on', to: b}\n      - {text: loop, to: a, once: true}\n")
    assert reordered != STORY
    new_story = load_ok(tmp_path / "v2", {"story.yaml": reordered})
    loaded = saves.loads(new_story, text)
    # "loop" stays taken wherever it now stands; "on" is still offered
    assert [o.choice.text for o in sm.options(new_story, loaded.state)] == ["on"]


# -- files that are not saves ------------------------------------------------------------
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    story, _ = played(tmp_path)
    fifo = tmp_path / "autosave.json"
    os.mkfifo(fifo)
    with pytest.raises(saves.SaveError, match="is not a regular file"):
        saves.read(story, fifo)


def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    story, _ = played(tmp_path)
    link = tmp_path / "autosave.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(saves.SaveError, match="is not a regular file"):
        saves.read(story, link)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    story, state = played(tmp_path)
    path = tmp_path / "big.json"
    saves.write(story, path, state)
    monkeypatch.setattr(saves, "MAX_SAVE_BYTES", 10)
    with pytest.raises(saves.SaveError, match="is too large"):
        saves.read(story, path)


def test_a_file_in_another_encoding_is_refused(tmp_path: Path) -> None:
    story, state = played(tmp_path)
    path = tmp_path / "latin1.json"
    path.write_bytes(saves.dumps(story, state).replace('"A"', '"Café"').encode("utf-16"))
    with pytest.raises(saves.SaveError, match="is not UTF-8 text"):
        saves.read(story, path)
