"""The REPL driven through a real PromptSession: keys in through a pipe,
output to DummyOutput, and what was printed read from Screen.shown."""

from __future__ import annotations

import argparse
import io
import threading
import time
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.data_structures import Size
from prompt_toolkit.document import Document
from prompt_toolkit.input import PipeInput
from prompt_toolkit.output import ColorDepth, DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from carnet.engine.model import Story
from carnet.engine.repl import menu
from carnet.engine.repl.app import Repl, Screen, file_history, play, run_repl
from carnet.engine.repl.commands import Game
from carnet.engine.repl.completion import ReplCompleter
from carnet.engine.repl.style import colour_wanted, make_style
from carnet.engine.session import Session
from carnet.engine.stories import StoryRef, open_story
from carnet.engine.userdata import AUTOSAVE, UserData
from tests.support.house import STORY, load, make_game, write_story
from tests.support.house import parse_play as parse

CTRL_C = "\x03"
CTRL_D = "\x04"
UP = "\x1b[A"
F1 = "\x1bOP"


def playing(tmp_path: Path, pipe: PipeInput, keys: str, *argv: str) -> tuple[int, Screen]:
    """Play the test story with ``argv`` and ``keys``; saves under tmp_path/data."""
    folder = write_story(tmp_path / "stories")
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(keys)
    store = UserData(tmp_path / "data", tmp_path / "data" / "saves")
    code = play(parse(str(folder), *argv), load(folder), screen, store)
    return code, screen


def shown(screen: Screen) -> str:
    return "\n".join(screen.shown)


def autosave(tmp_path: Path) -> Path:
    return tmp_path / "data" / "saves" / "house" / f"{AUTOSAVE}.json"


def test_numbers_and_typed_text_move_the_story(tmp_path: Path, pipe: PipeInput) -> None:
    code, screen = playing(tmp_path, pipe, f"1\ntalk\ngoodbye\n{CTRL_D}")
    assert code == 0
    text = shown(screen)
    assert text.startswith("The Test House\n==============\n\nA hall, you.")
    assert "» Take the key" in text
    assert "» Talk to the clerk" in text
    assert "» \"Goodbye.\"" in text
    # the hall again, and now the door is open
    assert text.splitlines()[-1] == ("Game saved. `carnet play " + str(tmp_path / "stories"
                                     / "house") + " --continue` picks it up again.")
    assert "  1. Open the door" in text.split("» \"Goodbye.\"")[1]


def test_tab_completes_a_choice_in_the_prompt(tmp_path: Path, pipe: PipeInput) -> None:
    """Tab completion runs in the background, so the Enter key is sent only
    once the completed text is in the line."""
    game = make_game(tmp_path)
    repl = Repl(game, Screen(input=pipe, output=DummyOutput()))
    completed: list[str] = []

    def type_keys() -> None:
        pipe.send_text("tal\t")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if len(repl.prompt.default_buffer.text) > len("tal"):
                break
            time.sleep(0.01)
        completed.append(repl.prompt.default_buffer.text)
        pipe.send_text(f"\n{CTRL_D}")

    typist = threading.Thread(target=type_keys)
    typist.start()
    assert repl.run() == 0
    typist.join()
    assert completed == ["Talk to the clerk"]
    assert game.session.state.scene == "clerk"


def test_ctrl_c_drops_the_line_and_play_goes_on(tmp_path: Path, pipe: PipeInput) -> None:
    code, screen = playing(tmp_path, pipe, f"take the st{CTRL_C}talk\n{CTRL_D}")
    assert code == 0
    text = shown(screen)
    assert "(Ctrl-C drops the line. To leave, type quit or press Ctrl-D.)" in text
    assert "The End" not in text  # the dropped line was not submitted
    assert "» Talk to the clerk" in text


def test_ctrl_d_writes_the_autosave_and_continue_resumes_it(tmp_path: Path,
                                                            pipe: PipeInput) -> None:
    code, screen = playing(tmp_path, pipe, f"1\n2\n{CTRL_D}")
    assert code == 0
    assert autosave(tmp_path).is_file()
    assert "Game saved." in shown(screen)
    code, screen = playing(tmp_path, pipe, f"state\nundo\nundo\nundo\n{CTRL_D}", "--continue")
    text = shown(screen)
    assert "(Continuing your game: turn 2.)" in text
    assert "Turn 2, scene clerk." in text
    assert text.count("(Undone.)") == 2
    assert "Nothing to undo: this is the start of the story." in text


def test_quit_leaves_with_the_autosave(tmp_path: Path, pipe: PipeInput) -> None:
    code, screen = playing(tmp_path, pipe, "talk\nquit\n")
    assert code == 0
    assert "Game saved." in shown(screen)
    story = load(tmp_path / "stories" / "house")
    store = UserData(tmp_path / "data", tmp_path / "data" / "saves")
    assert store.read_save(story, AUTOSAVE).state.scene == "clerk"


def test_f1_shows_help(tmp_path: Path, pipe: PipeInput) -> None:
    code, screen = playing(tmp_path, pipe, f"{F1}{CTRL_D}")
    assert code == 0
    assert "  save [NAME]" in shown(screen)


def test_history_is_kept_across_runs(tmp_path: Path, pipe: PipeInput) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}
    folder = write_story(tmp_path / "stories")
    pipe.send_text(f"talk\n{CTRL_D}")
    assert run_repl(parse(str(folder)), load(folder), input=pipe, output=DummyOutput(),
                    env=env) == 0
    history_file = tmp_path / "xdg" / "carnet" / "history"
    assert "+talk" in history_file.read_text(encoding="utf-8").splitlines()
    # The next run's prompt recalls it with Up. History loads in the
    # background, so the keys are sent once it is in.
    store = UserData.locate(None, env)
    game = Game.start(Session.start(load(folder)), store)
    repl = Repl(game, Screen(input=pipe, output=DummyOutput()), history=file_history(store))

    def type_keys() -> None:
        deadline = time.monotonic() + 10
        while "talk" not in repl.prompt.history.get_strings() and time.monotonic() < deadline:
            time.sleep(0.01)
        pipe.send_text(f"{UP}\n{CTRL_D}")

    typist = threading.Thread(target=type_keys)
    typist.start()
    assert repl.run() == 0
    typist.join()
    assert game.session.state.scene == "clerk"


def test_run_repl_writes_a_transcript(tmp_path: Path, pipe: PipeInput) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    folder = write_story(tmp_path / "stories")
    out = tmp_path / "t.txt"
    pipe.send_text(f"2\n{CTRL_D}")
    code = run_repl(parse(str(folder), "--transcript", str(out)), load(folder), input=pipe,
                    output=DummyOutput(), env=env)
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "The Test House"
    assert "> 2" in lines
    assert lines[lines.index("> 2") + 1] == "» Talk to the clerk"


def test_a_story_that_does_not_load_is_refused_with_positions(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "stories", STORY.replace("to: clerk", "to: clark"))
    written = io.StringIO()
    assert open_story(str(folder), None, written) is None
    err = written.getvalue()
    assert err.endswith(f"carnet: {folder} has 1 error; fix them and try again\n")
    assert f"{folder}/story.yaml:" in err
    assert "E011" in err
    assert "Traceback" not in err


def test_the_menu_lists_stories_and_plays_the_one_picked(
        tmp_path: Path, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./scenes here: only --dir counts
    # nor the stories an installed carnet ships
    monkeypatch.setattr("carnet.engine.stories.shipped_dir", lambda: None)
    root = tmp_path / "lib"
    write_story(root, STORY, name="house")
    write_story(root, STORY.replace("The Test House", "Another House"), name="annex")
    write_story(root, "carnet: 1\ntitle: Broken\n", name="broken")
    store = UserData(tmp_path / "data", tmp_path / "data" / "saves")
    store.record_ending(load(root / "house"), "attic")
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(f"7\n2\nhouse\ntake the stairs\n{CTRL_D}")
    assert play(parse("--dir", str(root)), None, screen, store) == 0
    text = shown(screen)
    assert "  1. Another House  [annex] 4 scenes, endings found 0/2" in text
    assert "  2. broken  (does not load: 1 error)" in text
    assert "  3. The Test House  [house] 4 scenes, endings found 1/2" in text
    assert "No story '7' here: type a number from 1 to 3." in text
    assert "E006" in text
    assert "Run `carnet lint" in text
    assert "Endings found: 1 of 2." in text  # the attic was found before
    assert "*** The End: The attic ***" in text


def test_menu_picks_by_number_or_id_only(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "s"))
    items = [menu.Entry(StoryRef("house", tmp_path / "s" / "house"), story)]
    assert menu.pick(items, " 1 ") is items[0]
    assert menu.pick(items, "HOUSE") is items[0]
    assert menu.pick(items, "") is None
    for text in ("0", "2", "²", "9" * 50, "hou"):
        assert menu.pick(items, text) == f"No story {text!r} here: type a number from 1 to 1."


def test_ctrl_d_at_the_menu_leaves_without_playing(
        tmp_path: Path, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "lib"
    write_story(root)
    store = UserData(tmp_path / "data", tmp_path / "data" / "saves")
    screen = Screen(input=pipe, output=DummyOutput())
    pipe.send_text(f"{CTRL_C}{CTRL_D}")
    assert play(parse("--dir", str(root)), None, screen, store) == 0
    assert not (tmp_path / "data" / "saves").exists()


def test_debug_commands_through_the_prompt(tmp_path: Path, pipe: PipeInput) -> None:
    code, screen = playing(tmp_path, pipe, f"set coins 7\ngoto clerk\n{CTRL_D}", "--debug")
    assert code == 0
    text = shown(screen)
    assert "(coins = 7; undo takes it back.)" in text
    assert "  2. Pay the clerk" in text


# -- colour --------------------------------------------------------------------------------
def test_no_color_comes_from_the_flag_or_a_non_empty_env_var() -> None:
    assert colour_wanted(False, {})
    assert colour_wanted(False, {"NO_COLOR": ""})
    assert not colour_wanted(False, {"NO_COLOR": "1"})
    assert not colour_wanted(True, {})


def test_without_colour_the_style_has_only_shapes_and_depth_is_monochrome() -> None:
    plain_style = make_style(False)
    coloured = make_style(True)
    assert plain_style.get_attrs_for_style_str("class:speech").color in ("", None)
    assert coloured.get_attrs_for_style_str("class:speech").color == "afd7ff"
    assert plain_style.get_attrs_for_style_str("class:title").bold
    assert Screen(output=DummyOutput(), colour=False).color_depth == ColorDepth.MONOCHROME
    assert Screen(output=DummyOutput(), colour=True).color_depth is None


def test_no_color_env_reaches_the_screen(tmp_path: Path, pipe: PipeInput,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Screen] = []
    real_play = play

    def spy(args: argparse.Namespace, story: Story | None, screen: Screen,
            store: UserData) -> int:
        seen.append(screen)
        return real_play(args, story, screen, store)

    monkeypatch.setattr("carnet.engine.repl.app.play", spy)
    folder = write_story(tmp_path / "stories")
    for env, flags, colour in (({}, (), True), ({"NO_COLOR": "yes"}, (), False),
                               ({}, ("--no-color",), False)):
        pipe.send_text(CTRL_D)
        env = {**env, "XDG_DATA_HOME": str(tmp_path / "xdg")}
        assert run_repl(parse(str(folder), *flags), load(folder), input=pipe,
                        output=DummyOutput(), env=env) == 0
        assert seen[-1].colour is colour


# -- completion ------------------------------------------------------------------------------
def completions(game: Game, text: str) -> list[tuple[str, int]]:
    found = ReplCompleter(game).get_completions(Document(text), CompleteEvent())
    return [(c.text, c.start_position) for c in found]


def test_completion_offers_choices_and_commands(tmp_path: Path) -> None:
    game = make_game(tmp_path)
    assert completions(game, "ta") == [("Take the key", -2), ("Talk to the clerk", -2),
                                       ("Take the stairs", -2)]
    assert completions(game, "sa") == [("save", -2), ("saves", -2)]
    assert completions(game, "TAKE THE S") == [("Take the stairs", -10)]
    everything = [text for text, _ in completions(game, "")]
    assert everything[:3] == ["Take the key", "Talk to the clerk", "Take the stairs"]
    assert {"help", "undo", "back", "quit"} <= set(everything)
    assert "goto" not in everything


def test_completion_of_quoted_choices_and_save_names(tmp_path: Path) -> None:
    game = make_game(tmp_path)
    game.handle("talk", 60)
    assert completions(game, "go") == [('"Goodbye."', -2)]
    game.handle("save beta", 60)
    game.handle("save alpha", 60)
    assert completions(game, "load ") == [("alpha", 0), ("beta", 0)]
    assert completions(game, "load  b") == [("beta", -1)]
    assert completions(game, "save a") == [("alpha", -1)]


def test_completion_of_author_commands_only_with_debug(tmp_path: Path) -> None:
    player = make_game(tmp_path / "p")
    assert completions(player, "goto ") == []
    author = make_game(tmp_path / "a", debug=True)
    assert ("goto", -2) in completions(author, "go")
    assert completions(author, "goto ") == [(s, 0) for s in ("attic", "clerk", "garden",
                                                             "hall")]
    assert completions(author, "goto cl") == [("clerk", -2)]
    assert completions(author, "set c") == [("coins", -1)]
    assert completions(author, "set key ") == [("true", 0), ("false", 0)]
    assert completions(author, "set key f") == [("false", -1)]
    assert completions(author, "set coins ") == []


def test_the_toolbar_shows_story_scene_turn_and_endings(tmp_path: Path,
                                                        pipe: PipeInput) -> None:
    game = make_game(tmp_path)
    game.handle("take the stairs", 60)
    repl = Repl(game, Screen(input=pipe, output=DummyOutput()))
    text = "".join(fragment[1] for fragment in repl.toolbar())
    assert text == " The Test House · scene attic · turn 1 · endings 1/2 · F1 help "


# -- hostile text ---------------------------------------------------------------------------
def test_control_characters_in_a_story_never_reach_the_terminal(tmp_path: Path,
                                                                pipe: PipeInput) -> None:
    hostile = STORY.replace("title: The Test House", 'title: "House\\e]0;owned\\a"').replace(
        "text: The clerk nods.", 'text: "Clear\\e[2J bell\\a del\\x7f c1\\x9b."')
    folder = write_story(tmp_path / "stories", hostile)
    written = io.StringIO()
    output = Vt100_Output(written, lambda: Size(rows=30, columns=80), term="xterm")
    screen = Screen(input=pipe, output=output)
    pipe.send_text(f"talk\n{CTRL_D}")
    store = UserData(tmp_path / "data", tmp_path / "data" / "saves")
    assert play(parse(str(folder)), load(folder), screen, store) == 0
    terminal = written.getvalue()
    assert "\x1b[2J" not in terminal and "\x1b]0;" not in terminal
    assert "\x07" not in terminal and "\x7f" not in terminal and "\x9b" not in terminal
    assert "Clear^[[2J bell^G del^? c1<U+009B>." in shown(screen)
    assert shown(screen).startswith("House^[]0;owned^G\n")
