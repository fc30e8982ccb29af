"""The edges of playing (issue 15 items 2, 3, 4, 9, 10; issue 10 item 8): a turn
that fails, long games, files that are not saves, the transcript, temp files
left by a killed save, and the small things a player meets."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prompt_toolkit.input import PipeInput
from prompt_toolkit.output import DummyOutput

from carnet.engine import files, saves
from carnet.engine.cli import build_parser, main
from carnet.engine.repl import menu
from carnet.engine.repl.app import Repl, Screen, play
from carnet.engine.repl.commands import Game
from carnet.engine.repl.render import plain
from carnet.engine.repl.toolbar import toolbar_spans
from carnet.engine.session import UNDO_BUDGET, Session, state_cells
from carnet.engine.stories import StoryRef
from carnet.engine.userdata import AUTOSAVE
from tests.support.house import STORY, load, make_game, store_in, write_story
from tests.support.house import parse_play as parse

ROOT = Path(__file__).resolve().parent.parent
CTRL_D = "\x04"
WIDTH = 60

DOUBLING = """\
carnet: 1
title: Doubling
start: a
vars:
  s: "ab"
scenes:
  a:
    text: "{s}"
    choices:
      - {text: double, to: a, do: [s = s + s]}
      - {text: leave, to: end}
  end:
    text: Bye.
    end: Bye
"""


def said(lines: object) -> str:
    return "\n".join(plain(line) for line in lines)  # type: ignore[attr-defined]


# -- issue 15 item 2: a turn that fails ---------------------------------------------------
def test_a_limit_hit_in_a_turn_keeps_the_game_and_the_previous_state(tmp_path: Path) -> None:
    game = make_game(tmp_path, text=DOUBLING)
    for _ in range(12):  # "ab" doubled 12 times: 8,192 characters
        game.handle("1", WIDTH)
    before = game.session.state
    undo_before = list(game.session.undo_stack)
    reply = game.handle("1", WIDTH)  # 16,384 characters: over the limit
    text = " ".join(said(reply.lines).split())
    assert "would build a string over 10000 characters" in text
    assert "Your game is as it was before this choice." in text
    assert not reply.quit
    assert game.session.state is before and game.session.undo_stack == undo_before
    assert game.handle("2", WIDTH).lines  # the game goes on
    assert game.session.state.scene == "end"


def test_typing_1_fourteen_times_in_the_repl_keeps_the_game(tmp_path: Path,
                                                             pipe: PipeInput) -> None:
    folder = write_story(tmp_path / "stories", DOUBLING, name="doubling")
    story = load(folder)
    store = store_in(tmp_path)
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text("1\n" * 14 + CTRL_D)
    assert play(parse(str(folder)), story, screen, store) == 0
    shown = " ".join(" ".join(screen.shown).split())
    assert shown.count("Your game is as it was before this choice.") == 2  # turns 13 and 14
    saved = store.read_save(story, AUTOSAVE)
    assert saved.state.turn == 12 and len(str(saved.state.vars["s"])) == 2 * 2 ** 12


def test_an_error_while_showing_a_turn_takes_the_turn_back(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    game = make_game(tmp_path)
    before = game.session.state

    def too_big(self: Game, width: int, *, record: bool = True) -> list[object]:
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(Game, "scene", too_big)
    reply = game.handle("2", WIDTH)
    assert "That turn could not be played: Exceeds the limit" in " ".join(
        said(reply.lines).split())
    assert game.session.state is before and not reply.quit


def test_an_unexpected_error_autosaves_the_game_before_leaving(
        tmp_path: Path, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch) -> None:
    game = make_game(tmp_path)
    game.handle("2", WIDTH)  # talk to the clerk: turn 1
    screen = Screen(input=pipe, output=DummyOutput())
    repl = Repl(game, screen)

    def bug(self: Game, args: list[str], width: int) -> list[object]:
        raise KeyError("a bug")

    monkeypatch.setattr(Game, "_look", bug)
    pipe.send_text("look\n")
    with pytest.raises(KeyError):
        repl.run()
    saved = game.store.read_save(game.session.story, AUTOSAVE)
    assert saved.state.scene == "clerk" and saved.state.turn == 1
    assert "Something went wrong inside carnet (a bug). Your game was saved" in " ".join(
        screen.shown)


# -- issue 15 item 3: undo in long games --------------------------------------------------
def test_undo_of_a_long_game_stays_within_its_budget(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s", DOUBLING.replace("s = s + s", "s = s")))
    session = Session.start(story)
    for _ in range(3000):  # the path grows by one scene a turn
        session.choose(1)
    cells = sum(state_cells(s) for s in session.undo_stack)
    assert cells <= UNDO_BUDGET
    assert len(session.undo_stack) >= 50  # still a useful undo
    newest = session.undo_stack[-1]
    assert session.undo() and session.state is newest


def test_the_save_of_a_long_game_stays_loadable(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s", DOUBLING.replace("s = s + s", "s = s")))
    session = Session.start(story)
    for _ in range(3000):
        session.choose(1)
    path = tmp_path / "long.json"
    saves.write(story, path, session.state, session.undo_stack)
    assert path.stat().st_size < saves.MAX_SAVE_BYTES
    loaded = saves.read(story, path)
    assert loaded.state == session.state and len(loaded.undo) == len(session.undo_stack)


def test_restore_trims_an_undo_history_over_the_budget(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s", DOUBLING))
    session = Session.start(story)
    big = session.state.__class__(scene="a", vars={"s": "ab"}, visits={"a": 1},
                                  path=("a",) * (UNDO_BUDGET // 3))
    session.restore(session.state, [big] * 10)
    assert sum(state_cells(s) for s in session.undo_stack) <= UNDO_BUDGET
    assert len(session.undo_stack) == 2


# -- issue 15 item 4: saves that are not regular files ------------------------------------
def test_one_bad_file_never_breaks_the_saves_listing(tmp_path: Path) -> None:
    game = make_game(tmp_path)
    game.handle("save good", WIDTH)
    folder = game.store.save_folder(game.session.story)
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "digits.json").write_text('{"carnet_save": 2, "story": "house", "state": '
                                        '{"turn": ' + "7" * 5000 + "}}", encoding="utf-8")
    (folder / "folder.json").mkdir()
    lines = said(game.handle("saves", WIDTH).lines).splitlines()
    by_name = {line.split()[0]: line for line in lines[1:]}
    assert sorted(by_name) == ["digits", "fifo", "folder", "good", "zero"]
    assert "turn 0, at hall" in by_name["good"]
    for name in ("fifo", "zero", "folder"):
        assert "cannot be loaded:" in by_name[name] and "not a regular file" in by_name[name]
    assert "cannot be loaded: the save is corrupt" in by_name["digits"]


def test_continue_on_a_fifo_does_not_hang(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    (saves / "tutorial").mkdir(parents=True)
    os.mkfifo(saves / "tutorial" / f"{AUTOSAVE}.json")
    env = {"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "carnet", "play", "tutorial", "--plain",
                          "--continue", "--save-dir", str(saves)], input="", text=True,
                         capture_output=True, env=env, cwd=ROOT, timeout=60)
    assert run.returncode == 0
    assert "is not a regular file" in run.stderr and "kept as" in run.stderr


# -- issue 15 item 9: the transcript ------------------------------------------------------
def test_a_transcript_file_is_untouched_when_the_story_is_not_found(tmp_path: Path) -> None:
    important = tmp_path / "important.txt"
    important.write_text("keep me\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "carnet", "play", "nosuch", "--transcript",
                          str(important)], input="", text=True, capture_output=True,
                         env=env, cwd=ROOT, timeout=60)
    assert run.returncode == 2 and "no story 'nosuch'" in run.stderr
    assert important.read_text(encoding="utf-8") == "keep me\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_too_the_transcript_waits_for_the_story(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    important = tmp_path / "important.txt"
    important.write_text("keep me\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["play", "nosuch", "--transcript", str(important)]) == 2
    assert "no story 'nosuch'" in sys.stderr.getvalue()
    assert important.read_text(encoding="utf-8") == "keep me\n"


def test_the_repl_writes_its_transcript_at_once_at_the_end(
        tmp_path: Path, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_story(tmp_path / "stories")
    out = tmp_path / "t.txt"
    out.write_text("earlier\n", encoding="utf-8")
    seen_during: list[str] = []
    real_handle = Game.handle

    def spy(self: Game, text: str, width: int) -> object:
        seen_during.append(out.read_text(encoding="utf-8"))
        return real_handle(self, text, width)

    monkeypatch.setattr(Game, "handle", spy)
    pipe.send_text(f"2\n{CTRL_D}")
    screen = Screen(input=pipe, output=DummyOutput())
    assert play(parse(str(folder), "--transcript", str(out)), load(folder), screen,
                store_in(tmp_path)) == 0
    assert seen_during == ["earlier\n"]  # not truncated while the game runs
    assert out.read_text(encoding="utf-8").splitlines()[0] == "The Test House"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# -- issue 15 item 10: temp files of a killed save ----------------------------------------
def test_a_save_cleans_the_stale_temp_files_of_a_killed_one(tmp_path: Path) -> None:
    target = tmp_path / "autosave.json"
    stale = tmp_path / ".autosave.json.x1y2z3.tmp"
    fresh = tmp_path / ".autosave.json.a1b2c3.tmp"
    other = tmp_path / ".quicksave.json.q1w2e3.tmp"
    for temp in (stale, fresh, other):
        temp.write_text("half a save", encoding="utf-8")
    old = time.time() - files.STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    files.write_atomic(target, "{}\n")
    left = sorted(p.name for p in tmp_path.iterdir())
    # the stale temp of this file goes; a fresh one may be a save in progress;
    # another file's temps wait for its own next save
    assert left == sorted([target.name, fresh.name, other.name])


# -- issue 10 item 8: no progress lost, and small things ----------------------------------
def test_the_menu_shows_a_game_in_progress_and_picking_it_continues(
        tmp_path: Path, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("carnet.engine.stories.shipped_dir", lambda: None)
    root = tmp_path / "lib"
    story = load(write_story(root))
    write_story(root, STORY.replace("The Test House", "Another House"), name="annex")
    store = store_in(tmp_path)
    session = Session.start(story)
    session.choose(2)
    store.write_save(story, AUTOSAVE, session.state, session.undo_stack)
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(f"house\n{CTRL_D}")
    assert play(parse("--dir", str(root)), None, screen, store) == 0
    text = "\n".join(screen.shown)
    assert "  1. Another House  [annex] 4 scenes, endings found 0/2\n" in text
    assert "  2. The Test House  [house] 4 scenes, endings found 0/2 · game in progress" in text
    assert "(Continuing your game: turn 1.)" in text
    assert store.read_save(story, AUTOSAVE).state.scene == "clerk"
    assert store.save_names(story) == [AUTOSAVE]


def test_menu_says_one_scene_and_one_error(tmp_path: Path) -> None:
    one_scene = "carnet: 1\ntitle: Tiny\nstart: a\nscenes:\n  a:\n    text: A\n    end: E\n"
    story = load(write_story(tmp_path, one_scene, name="tiny"))
    items = [menu.Entry(StoryRef("tiny", tmp_path / "tiny"), story),
             menu.Entry(StoryRef("bad", tmp_path / "bad"), None, ("one",))]
    text = said(menu.menu_lines(items, WIDTH))
    assert "[tiny] 1 scene, endings found 0/1" in text
    assert "bad  (does not load: 1 error)" in text


def test_typed_choices_ignore_accents(tmp_path: Path) -> None:
    game = make_game(tmp_path, text=STORY.replace("Talk to the clerk", "Parler à Inês"))
    reply = game.handle("parler a ines", WIDTH)
    assert game.session.state.scene == "clerk", said(reply.lines)
    game = make_game(tmp_path / "2", text=STORY.replace("Talk to the clerk", "Parler à Inês"))
    game.handle("PARLER À INÊ", WIDTH)
    assert game.session.state.scene == "clerk"


@pytest.mark.parametrize("columns", [40, 30, 80])
def test_the_toolbar_keeps_turn_and_endings_on_a_narrow_terminal(tmp_path: Path,
                                                                  columns: int) -> None:
    long_title = STORY.replace("The Test House", "The Remarkably Long Title of a Test House")
    game = make_game(tmp_path, text=long_title.replace("  attic:", "  a_very_long_attic_id:")
                     .replace("to: attic", "to: a_very_long_attic_id"))
    game.handle("take the stairs", WIDTH)
    text = "".join(text for _, text in toolbar_spans(game, columns))
    assert len(text) <= columns - 1, text
    assert "turn 1 · endings 1/2" in text  # the attic is an ending, now found


def test_help_describes_what_play_does_without_a_story() -> None:
    parser = build_parser(None)
    helped = parser.format_help()
    assert "play a story (no STORY: a menu of the stories on a terminal, the tutorial " \
           "otherwise)" in " ".join(helped.split())


def test_list_says_one_scene_one_ending_and_one_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("carnet.engine.stories.shipped_dir", lambda: None)
    one_scene = "carnet: 1\ntitle: Tiny\nstart: a\nscenes:\n  a:\n    text: A\n    end: E\n"
    write_story(tmp_path / "lib", one_scene, name="tiny")
    write_story(tmp_path / "lib", one_scene.replace("end: E", "to: nowhere"), name="bad")
    assert main(["list", "--dir", str(tmp_path / "lib")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("bad   (does not load: 1 error; run `carnet lint")
    assert out[1] == "tiny  Tiny  (1 scene, 1 ending)"
