"""Nothing the player made is lost (issue 14): a save, an endings file or a
history file that cannot be read is kept aside before anything is written in
its place, and every message about it says where it is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from prompt_toolkit.input import PipeInput
from prompt_toolkit.output import DummyOutput

from carnet.engine.repl.app import Screen, file_history, play
from carnet.engine.repl.commands import Game
from carnet.engine.repl.render import plain
from carnet.engine.saves import dumps
from carnet.engine.session import Session
from carnet.engine.userdata import AUTOSAVE, UserData
from tests.support.house import STORY, load, make_game, store_in, write_story
from tests.support.house import parse_play as parse

CTRL_D = "\x04"


def unreadable_saves(tmp_path: Path) -> dict[str, bytes]:
    """One save for each way a save cannot be read."""
    house = load(write_story(tmp_path / "stories"))
    annex = load(write_story(tmp_path / "stories", STORY, name="annex"))
    good = json.loads(dumps(house, Session.start(house).state))
    return {
        "too new": json.dumps(dict(good, carnet_save=9, min_compatible=9)).encode(),
        "malformed JSON": b'{"carnet_save": 2, "story": "house", "sta',
        "wrong story": dumps(annex, Session.start(annex).state).encode(),
        "bad encoding": dumps(house, Session.start(house).state).encode("utf-16"),
        "huge number": b'{"carnet_save": 2, "story": "house", "state": {"turn": '
                       + b"9" * 5000 + b"}}",
    }


MESSAGES = {
    "too new": "Cannot continue: the save was written by a newer carnet (format 9, readable "
               "from format 9); this carnet reads formats 1-2: update carnet to load it.",
    "malformed JSON": "Cannot continue: the save is corrupt (",
    "wrong story": "Cannot continue: the save belongs to the story 'annex', not 'house'.",
    "bad encoding": "autosave.json is not UTF-8 text, not a save.",
    "huge number": "Cannot continue: the save is corrupt (Exceeds the limit",
}


@pytest.mark.parametrize("case", sorted(MESSAGES))
def test_continue_keeps_an_unreadable_autosave_and_says_where(
        case: str, tmp_path: Path, pipe: PipeInput) -> None:
    original = unreadable_saves(tmp_path)[case]
    folder = tmp_path / "stories" / "house"
    store = store_in(tmp_path)
    autosave = store.saves_root / "house" / f"{AUTOSAVE}.json"
    autosave.parent.mkdir(parents=True)
    autosave.write_bytes(original)
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(f"2\n{CTRL_D}")  # one choice (talk to the clerk), then leave
    assert play(parse(str(folder), "--continue"), load(folder), screen, store) == 0
    shown = " ".join(" ".join(screen.shown).split())
    [kept] = autosave.parent.glob("autosave.json.unreadable-*")
    assert kept.read_bytes() == original  # the original bytes are still on disk
    assert MESSAGES[case] in shown
    assert "Starting a new game; the unreadable autosave is kept as " in shown
    assert str(kept) in "".join(screen.shown)  # a long path is cut across lines
    # and the new game's autosave is the new game
    assert store.read_save(load(folder), AUTOSAVE).state.scene == "clerk"


def test_a_fifo_or_a_link_to_dev_zero_as_autosave_is_kept_aside(tmp_path: Path,
                                                                 pipe: PipeInput) -> None:
    folder = write_story(tmp_path / "stories")
    story = load(folder)
    store = store_in(tmp_path)
    autosave = store.saves_root / "house" / f"{AUTOSAVE}.json"
    autosave.parent.mkdir(parents=True)
    for make in (os.mkfifo, lambda p: p.symlink_to("/dev/zero")):
        make(autosave)
        screen = Screen(input=pipe, output=DummyOutput())
        pipe.send_text(CTRL_D)
        assert play(parse(str(folder), "--continue"), story, screen, store) == 0
        assert "is not a regular file" in " ".join(screen.shown)
        assert store.read_save(story, AUTOSAVE).state.turn == 0
        autosave.unlink()
    kept = sorted(autosave.parent.glob("autosave.json.unreadable-*"))
    assert len(kept) == 2
    assert sum(p.is_symlink() for p in kept) == 1  # the link itself, not /dev/zero


@pytest.mark.parametrize("case", sorted(MESSAGES))
def test_saving_over_an_unreadable_named_save_keeps_it(case: str, tmp_path: Path) -> None:
    original = unreadable_saves(tmp_path)[case]
    story = load(tmp_path / "stories" / "house")
    store = store_in(tmp_path)
    path = store.saves_root / "house" / "slot.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(original)
    written = store.write_save(story, "slot", Session.start(story).state)
    assert written.aside is not None and written.aside.read_bytes() == original
    assert written.notes() == (f"The file that was there could not be read as a save; it is "
                               f"kept as {written.aside}.",)
    assert store.read_save(story, "slot").state.turn == 0


def test_a_failed_save_puts_the_unreadable_file_back(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    story = load(write_story(tmp_path / "stories"))
    store = store_in(tmp_path)
    path = store.saves_root / "house" / "slot.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{broken")

    def full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        store.write_save(story, "slot", Session.start(story).state)
    # "any earlier save of that name is untouched" holds
    assert [p.name for p in path.parent.iterdir()] == ["slot.json"]
    assert path.read_bytes() == b"{broken"


def test_an_unreadable_endings_file_is_kept_before_a_new_one_is_written(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "stories"))
    store = store_in(tmp_path)
    path = store.endings_path(story)
    path.parent.mkdir(parents=True)
    for original in (b'{"found": ["attic"', "é".encode("latin-1"),
                     b'{"carnet_endings": 1, "story": "annex", "found": []}'):
        path.write_bytes(original)
        assert store.endings_found(story) == frozenset()
        assert store.record_ending(story, "attic") == frozenset({"attic"})
        kept = [p for p in path.parent.glob("house.json.unreadable-*")
                if p.read_bytes() == original]
        assert len(kept) == 1
        path.unlink()


def test_an_unusable_history_file_is_kept_aside(tmp_path: Path) -> None:
    store = UserData(tmp_path / "data", tmp_path / "data" / "saves")
    store.root.mkdir(parents=True)
    os.mkfifo(store.history_path)  # would hang prompt_toolkit's reader
    history = file_history(store)
    history.append_string("look")
    [kept] = store.root.glob("history.unreadable-*")
    assert kept.is_fifo()
    assert store.history_path.read_text(encoding="utf-8").splitlines()[-1] == "+look"


def test_a_new_game_keeps_the_game_in_progress(tmp_path: Path, pipe: PipeInput) -> None:
    folder = write_story(tmp_path / "stories")
    story = load(folder)
    store = store_in(tmp_path)
    session = Session.start(story)
    session.choose(2)
    store.write_save(story, AUTOSAVE, session.state, session.undo_stack)
    before = (store.saves_root / "house" / "autosave.json").read_bytes()
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(CTRL_D)  # a new game, left at once
    assert play(parse(str(folder)), story, screen, store) == 0
    shown = " ".join(" ".join(screen.shown).split())
    assert ("(A new game. Your game in progress is kept as the save 'earlier-1': type load "
            "earlier-1 to go back to it.)") in shown
    assert (store.saves_root / "house" / "earlier-1.json").read_bytes() == before
    assert store.read_save(story, "earlier-1").state.scene == "clerk"
    assert store.read_save(story, AUTOSAVE).state.turn == 0
    # a second new game keeps the first one too
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(CTRL_D)
    assert play(parse(str(folder)), story, screen, store) == 0
    assert "kept as the save 'earlier-2'" in " ".join(screen.shown)
    assert store.save_names(story) == [AUTOSAVE, "earlier-1", "earlier-2"]


def test_a_new_game_over_an_unreadable_autosave_keeps_it_aside(tmp_path: Path,
                                                               pipe: PipeInput) -> None:
    folder = write_story(tmp_path / "stories")
    store = store_in(tmp_path)
    autosave = store.saves_root / "house" / f"{AUTOSAVE}.json"
    autosave.parent.mkdir(parents=True)
    autosave.write_bytes(b"{half a save")
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(CTRL_D)
    assert play(parse(str(folder)), load(folder), screen, store) == 0
    [kept] = autosave.parent.glob("autosave.json.unreadable-*")
    assert kept.read_bytes() == b"{half a save"
    assert "(A new game. The autosave could not be read; it is kept as " in " ".join(
        screen.shown)
    assert str(kept) in "".join(screen.shown)


def test_when_the_game_in_progress_cannot_be_moved_it_is_never_saved_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_story(tmp_path / "stories")
    story = load(folder)
    store = store_in(tmp_path)
    session = Session.start(story)
    session.choose(2)
    store.write_save(story, AUTOSAVE, session.state)
    before = store.save_path(story, AUTOSAVE).read_bytes()
    game = Game.start(Session.start(story), store)

    def no_link(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(os, "rename", no_link)
    text = " ".join(" ".join(plain(line) for line in game.begin(200, resume=False).lines)
                    .split())
    assert ("Your game in progress could not be kept aside (Permission denied); it stays "
            "the autosave, and this game will not be saved over it.") in text
    reply = game.leave()
    assert not reply.quit and "Could not save your game" in plain(reply.lines[0])
    assert game.leave().quit  # asked twice: leaves without saving
    assert store.save_path(story, AUTOSAVE).read_bytes() == before


def test_an_unreadable_autosave_that_cannot_be_moved_is_not_saved_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = load(write_story(tmp_path / "stories"))
    store = store_in(tmp_path)
    path = store.save_path(story, AUTOSAVE)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{half")

    def no_move(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", no_move)
    monkeypatch.setattr(os, "rename", no_move)
    session = Session.start(story)
    continued = store.continue_game(session)
    assert continued.loaded is None and continued.refused
    assert continued.message.endswith("The autosave could not be moved aside (Permission "
                                      "denied); it stays where it is, and will not be saved "
                                      "over.")
    with pytest.raises(OSError):
        store.write_save(story, AUTOSAVE, session.state)
    assert path.read_bytes() == b"{half"


def test_the_saves_listing_shows_the_files_kept_aside(tmp_path: Path) -> None:
    game = make_game(tmp_path)
    path = game.store.save_path(game.session.story, "slot")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{half")
    game.handle("save slot", 200)
    lines = [plain(line) for line in game.handle("saves", 200).lines]
    [kept] = path.parent.glob("slot.json.unreadable-*")
    assert lines[0] == "Saves of 'house' (load NAME):"
    assert lines[1].split()[:2] == ["slot", "turn"]
    assert lines[2:] == [f"Kept aside because they could not be read, in {path.parent}:",
                         f"  {kept.name}"]
