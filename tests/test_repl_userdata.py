"""The player's files (engine.userdata): where they go, names, endings found."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from carnet.engine.session import Session
from carnet.engine.userdata import (
    AUTOSAVE,
    BadSaveName,
    SaveError,
    UserData,
    check_save_name,
    data_dir,
    file_component,
)
from tests.support.house import load, write_story


def test_data_dir_follows_xdg_data_home() -> None:
    assert data_dir({"XDG_DATA_HOME": "/x/data", "HOME": "/home/a"}) == Path("/x/data/carnet")


def test_data_dir_defaults_to_local_share_and_ignores_a_relative_xdg() -> None:
    expected = Path("/home/a/.local/share/carnet")
    assert data_dir({"HOME": "/home/a"}) == expected
    assert data_dir({"XDG_DATA_HOME": "", "HOME": "/home/a"}) == expected
    assert data_dir({"XDG_DATA_HOME": "rel/data", "HOME": "/home/a"}) == expected


def test_save_dir_overrides_only_the_saves() -> None:
    store = UserData.locate(Path("/tmp/s"), {"XDG_DATA_HOME": "/x"})
    assert store.saves_root == Path("/tmp/s")
    assert store.root == Path("/x/carnet")
    assert store.history_path == Path("/x/carnet/history")
    assert UserData.locate(None, {"XDG_DATA_HOME": "/x"}).saves_root == Path("/x/carnet/saves")


@pytest.mark.parametrize("name", ["a", "Slot_2", "my-save", "9", "x" * 64])
def test_safe_save_names_pass(name: str) -> None:
    assert check_save_name(name) == name


@pytest.mark.parametrize("name", ["", "..", "../x", "a/b", "a\\b", ".a", "_a", "a.json", "é",
                                  "x" * 65, "a\x00", "a\n"])
def test_unsafe_save_names_are_refused(name: str) -> None:
    with pytest.raises(BadSaveName, match="is not a save name"):
        check_save_name(name)


def test_story_ids_become_one_safe_file_name() -> None:
    assert file_component("tutorial") == "tutorial"
    assert file_component("my story/..") == "my_story_.."
    assert file_component("..") == "story"
    assert "/" not in file_component("a/../../b")


def test_saves_are_per_story_and_listed_by_name(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s"))
    store = UserData(tmp_path / "d", tmp_path / "saves")
    state = Session.start(story).state
    path = store.write_save(story, "b", state).path
    store.write_save(story, "a", state)
    (path.parent / "not a save name.json").write_text("{}", encoding="utf-8")
    assert path == tmp_path / "saves" / "house" / "b.json"
    assert store.save_names(story) == ["a", "b"]
    assert store.read_save(story, "a").state == state


def test_resume_puts_the_save_into_the_session_or_leaves_it(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s"))
    store = UserData(tmp_path / "d", tmp_path / "saves")
    session = Session.start(story)
    with pytest.raises(SaveError, match="no save at"):
        store.resume(session)
    session.choose(2)
    store.write_save(story, AUTOSAVE, session.state, session.undo_stack)
    fresh = Session.start(story)
    store.resume(fresh)
    assert fresh.state == session.state
    assert fresh.undo_stack == session.undo_stack


def test_endings_found_are_written_and_read_back(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s"))
    store = UserData(tmp_path / "d", tmp_path / "saves")
    assert store.endings_found(story) == frozenset()
    assert store.record_ending(story, "garden") == frozenset({"garden"})
    assert store.record_ending(story, "attic") == frozenset({"attic", "garden"})
    data = json.loads(store.endings_path(story).read_text(encoding="utf-8"))
    assert data == {"carnet_endings": 1, "story": "house", "found": ["attic", "garden"]}


@pytest.mark.parametrize("text", ["", "{", "[]", '{"story": "house", "found": "attic"}',
                                  '{"story": "other", "found": ["attic"]}', "\udcff"])
def test_a_bad_endings_file_counts_as_none_found(tmp_path: Path, text: str) -> None:
    story = load(write_story(tmp_path / "s"))
    store = UserData(tmp_path / "d", tmp_path / "saves")
    path = store.endings_path(story)
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert store.endings_found(story) == frozenset()


def test_endings_that_are_no_longer_endings_are_not_counted(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s"))
    store = UserData(tmp_path / "d", tmp_path / "saves")
    path = store.endings_path(story)
    path.parent.mkdir(parents=True)
    path.write_text('{"story": "house", "found": ["attic", "hall", "gone", 3]}',
                    encoding="utf-8")
    assert store.endings_found(story) == frozenset({"attic"})


def test_a_failed_endings_write_keeps_the_old_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    story = load(write_story(tmp_path / "s"))
    store = UserData(tmp_path / "d", tmp_path / "saves")
    store.record_ending(story, "attic")
    before = store.endings_path(story).read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.record_ending(story, "garden")
    assert store.endings_path(story).read_bytes() == before
    assert [p.name for p in store.endings_path(story).parent.iterdir()] == ["house.json"]
