"""The REPL's command logic (engine.repl.commands): no terminal involved.

Every test plays a small story written for it (STORY below) with its saves in
a temporary folder, and asserts on the session's state and on the text of the
lines a command returns.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from carnet.engine.choosing import normalize
from carnet.engine.repl.commands import Game, Reply
from carnet.engine.repl.render import plain
from carnet.engine.saves import dumps
from carnet.engine.session import Session
from carnet.engine.userdata import AUTOSAVE
from tests.support.house import STORY, load, make_game, write_story

WIDTH = 60


def said(reply: Reply) -> str:
    """The reply's text, one line per line."""
    return "\n".join(plain(line) for line in reply.lines)


def flat(reply: Reply) -> str:
    """The reply's text with line breaks and runs of spaces made single spaces."""
    return " ".join(said(reply).split())


@pytest.fixture
def game(tmp_path: Path) -> Game:
    return make_game(tmp_path)


# -- choosing -------------------------------------------------------------------------
def test_a_number_takes_that_choice_and_shows_the_next_scene(game: Game) -> None:
    reply = game.handle("2", WIDTH)  # the door is hidden: 2 is "Talk to the clerk"
    assert game.session.state.scene == "clerk"
    assert game.session.state.turn == 1
    assert said(reply).splitlines()[0] == "» Talk to the clerk"
    assert "The clerk nods." in said(reply)
    assert "  1. \"Goodbye.\"" in said(reply)


def test_a_number_out_of_range_is_refused_with_the_range(game: Game) -> None:
    reply = game.handle("7", WIDTH)
    assert said(reply) == "7 is not a choice here: pick 1-3."
    assert game.session.state.turn == 0


def test_a_huge_number_is_refused_without_a_crash(game: Game) -> None:
    reply = game.handle("9" * 5000, WIDTH)
    assert "is not a choice here" in said(reply)
    assert game.session.state.turn == 0


@pytest.mark.parametrize("text", ["²", "٣", "1²", "½"])
def test_non_ascii_digits_are_not_numbers_and_do_not_crash(game: Game, text: str) -> None:
    assert "I don't understand" in said(game.handle(text, WIDTH))
    assert game.session.state.turn == 0


def test_typing_the_start_of_a_choice_takes_it_case_insensitively(game: Game) -> None:
    game.handle("  TALK  to ", WIDTH)
    assert game.session.state.scene == "clerk"


def test_a_prefix_that_fits_two_choices_asks_for_more(game: Game) -> None:
    reply = game.handle("take", WIDTH)
    assert "could be any of 1, 3" in said(reply)
    assert game.session.state.turn == 0
    game.handle("take the k", WIDTH)
    assert game.session.state.vars["key"] is True


def test_the_whole_text_of_a_choice_takes_it_without_echo(game: Game) -> None:
    reply = game.handle("Take the stairs", WIDTH)
    assert game.session.state.scene == "attic"
    assert not said(reply).startswith("»")


def test_leading_quotes_do_not_have_to_be_typed(game: Game) -> None:
    game.handle("talk", WIDTH)
    game.handle("goodb", WIDTH)
    assert game.session.state.scene == "hall"
    assert game.session.state.turn == 2


def test_unknown_input_changes_nothing(game: Game) -> None:
    reply = game.handle("dance wildly", WIDTH)
    assert "I don't understand 'dance wildly'" in said(reply)
    assert game.session.state.turn == 0
    assert game.handle("   ", WIDTH) == Reply()


def test_commands_win_over_choices_unless_more_is_typed(tmp_path: Path) -> None:
    game = make_game(tmp_path, text=STORY.replace("Talk to the clerk", "Look at the clerk"))
    assert said(game.handle("look", WIDTH)).startswith("A hall, you.")
    assert game.session.state.turn == 0
    game.handle("look at", WIDTH)
    assert game.session.state.scene == "clerk"


def test_normalize_folds_case_spaces_and_leading_punctuation() -> None:
    assert normalize('  "Wren."  ') == 'wren."'
    assert normalize("Take   THE\tkey") == "take the key"
    assert normalize('"') == ""


# -- looking around ------------------------------------------------------------------------
def test_look_shows_the_scene_again_and_changes_nothing(game: Game) -> None:
    before = game.session.state
    text = said(game.handle("look", WIDTH))
    assert text.startswith('A hall, you. "Hello," says the clerk, "and welcome."')
    assert "\n\nA second paragraph.\n\n  1. Take the key" in text
    assert game.session.state == before


def test_help_lists_commands_and_author_commands_only_with_debug(tmp_path: Path) -> None:
    player = said(make_game(tmp_path / "a").handle("help", WIDTH))
    author = said(make_game(tmp_path / "b", debug=True).handle("help", WIDTH))
    for usage in ("undo, back", "restart", "save [NAME]", "load [NAME]", "saves", "history",
                  "look", "state", "why", "quit, exit"):
        assert f"  {usage} " in player
    assert "goto SCENE" not in player
    assert "goto SCENE" in author
    assert "set VAR VALUE" in author


def test_history_is_the_path_so_far(game: Game) -> None:
    game.handle("2", WIDTH)
    game.handle("1", WIDTH)
    text = said(game.handle("history", WIDTH))
    assert "3 scenes, turn 2" in text
    assert "  hall > clerk > hall" in text


def test_state_shows_variables_sorted_visits_and_once_choices(game: Game) -> None:
    game.handle("take the key", WIDTH)
    lines = said(game.handle("state", WIDTH)).splitlines()
    assert lines[0] == "Turn 1, scene hall."
    assert lines[1:5] == ["Variables:", "  coins = 2", "  key = true", '  name = "you"']
    assert lines[5:7] == ["Visits:", "  hall 2"]
    assert lines[7:] == ["Once-only choices taken:", "  hall Take the key"]


def test_why_names_each_hidden_choice_and_its_reason(game: Game) -> None:
    assert said(game.handle("why", WIDTH)) == "Hidden here:\n  Open the door  (if: key)"
    game.handle("take the key", WIDTH)
    text = said(game.handle("why", WIDTH))
    assert "Take the key  (once-only, already taken)" in text
    assert "Open the door" not in text


def test_why_with_nothing_hidden(game: Game) -> None:
    game.handle("take the stairs", WIDTH)
    assert said(game.handle("why", WIDTH)) == "No choices are hidden here."


def test_a_command_with_wrong_arguments_shows_its_usage(game: Game) -> None:
    assert said(game.handle("look around", WIDTH)) == "Usage: look"
    assert said(game.handle("save a b", WIDTH)) == "Usage: save [NAME]"


# -- undo and restart ------------------------------------------------------------------------
def test_undo_past_the_start_says_so_and_keeps_the_game(game: Game) -> None:
    before = game.session.state
    reply = game.handle("undo", WIDTH)
    assert said(reply) == "Nothing to undo: this is the start of the story."
    assert game.session.state == before


def test_undo_and_back_step_back_one_choice_each(game: Game) -> None:
    start = game.session.state
    game.handle("take the key", WIDTH)
    after_key = game.session.state
    game.handle("open", WIDTH)
    assert game.session.state.scene == "garden"
    assert "(Undone.)" in said(game.handle("back", WIDTH))
    assert game.session.state == after_key
    game.handle("UNDO", WIDTH)
    assert game.session.state == start
    assert "Nothing to undo" in said(game.handle("undo", WIDTH))


def test_restart_starts_again_and_undo_returns(game: Game) -> None:
    game.handle("2", WIDTH)
    where = game.session.state
    text = said(game.handle("restart", WIDTH))
    assert "The Test House" in text
    assert game.session.state.scene == "hall"
    assert game.session.state.turn == 0
    game.handle("undo", WIDTH)
    assert game.session.state == where


# -- endings ------------------------------------------------------------------------------------
def test_an_ending_shows_label_turns_and_endings_found(game: Game) -> None:
    text = said(game.handle("take the stairs", WIDTH))
    assert "*** The End: The attic ***" in text
    assert "1 turn. Endings found: 1 of 2 (this one is new)." in text
    assert "Type restart to play again, undo to step back, or quit." in text
    found = json.loads(game.store.endings_path(game.session.story).read_text())
    assert found["found"] == ["attic"]


def test_after_an_ending_the_prompt_takes_restart_undo_and_quit(game: Game) -> None:
    game.handle("take the stairs", WIDTH)
    assert "nothing to choose here" in said(game.handle("1", WIDTH))
    game.handle("undo", WIDTH)
    assert game.session.state.scene == "hall"
    game.handle("take the stairs", WIDTH)
    text = said(game.handle("look", WIDTH))
    assert "Endings found: 1 of 2." in text  # not new the second time
    game.handle("restart", WIDTH)
    assert game.session.state.turn == 0
    assert game.handle("quit", WIDTH).quit


def test_endings_found_are_remembered_across_games(tmp_path: Path) -> None:
    first = make_game(tmp_path)
    first.handle("take the stairs", WIDTH)
    first.handle("restart", WIDTH)
    first.handle("take the key", WIDTH)
    first.handle("open", WIDTH)
    again = Game.start(Session.start(first.session.story), first.store)
    assert again.found == frozenset({"attic", "garden"})
    assert again.total_endings == 2


def test_a_dead_end_says_what_can_be_done(tmp_path: Path) -> None:
    only_paying = STORY.replace("      - text: '\"Goodbye.\"'\n        to: hall\n", "")
    assert only_paying != STORY
    game = make_game(tmp_path, text=only_paying)
    reply = game.handle("talk", WIDTH)
    assert "There is nothing left to choose here. Type undo, restart or quit." in flat(reply)
    assert game.session.over


# -- saves ----------------------------------------------------------------------------------------
def test_save_and_load_restore_state_and_undo(game: Game) -> None:
    game.handle("take the key", WIDTH)
    game.handle("talk", WIDTH)
    saved, saved_undo = game.session.state, list(game.session.undo_stack)
    text = said(game.handle("save slot-1", WIDTH))
    path = game.store.save_folder(game.session.story) / "slot-1.json"
    assert text == f"Saved as 'slot-1' ({path})."
    assert path.is_file()
    game.handle("restart", WIDTH)
    game.handle("take the stairs", WIDTH)
    text = said(game.handle("load slot-1", WIDTH))
    assert text.startswith("(Loaded 'slot-1': turn 2.)")
    assert game.session.state == saved
    assert game.session.undo_stack == saved_undo
    game.handle("undo", WIDTH)
    assert game.session.state == saved_undo[-1]


def test_save_without_a_name_is_the_quicksave(game: Game) -> None:
    game.handle("talk", WIDTH)
    game.handle("save", WIDTH)
    game.handle("goodbye", WIDTH)
    game.handle("load", WIDTH)
    assert game.session.state.scene == "clerk"


@pytest.mark.parametrize("name", ["../../x", "../x", "/etc/passwd", "a/b", ".hidden", "a.b",
                                  "x" * 65, "naïve", "-dash"])
def test_unsafe_save_names_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    game = make_game(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    reply = game.handle(f"save {name}", WIDTH)
    assert "is not a save name" in said(reply)
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == before
    assert "is not a save name" in said(game.handle(f"load {name}", WIDTH))


def test_save_as_autosave_is_refused(game: Game) -> None:
    assert "written when you quit" in said(game.handle("save autosave", WIDTH))
    assert not game.store.has_save(game.session.story, AUTOSAVE)


def test_saves_lists_names_with_turn_and_scene_and_flags_bad_files(game: Game) -> None:
    assert "No saves yet" in said(game.handle("saves", WIDTH))
    game.handle("save b", WIDTH)
    game.handle("talk", WIDTH)
    game.handle("save a", WIDTH)
    (game.store.save_folder(game.session.story) / "c.json").write_text("{", encoding="utf-8")
    lines = said(game.handle("saves", WIDTH)).splitlines()
    assert lines[0] == "Saves of 'house' (load NAME):"
    assert lines[1] == "  a  turn 1, at clerk"
    assert lines[2] == "  b  turn 0, at hall"
    assert lines[3].startswith("  c  cannot be loaded: the save is corrupt")


def test_a_failed_write_keeps_the_previous_save(game: Game,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    game.handle("save slot", WIDTH)
    path = game.store.save_folder(game.session.story) / "slot.json"
    before = path.read_bytes()
    game.handle("talk", WIDTH)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    reply = game.handle("save slot", WIDTH)
    assert "Could not save: No space left on device." in flat(reply)
    assert "earlier save of that name is untouched" in flat(reply)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["slot.json"]  # no temp file left
    assert game.session.state.scene == "clerk"  # the game goes on


def test_loading_a_missing_save_changes_nothing(game: Game) -> None:
    game.handle("talk", WIDTH)
    before = game.session.state
    assert "Cannot load 'nope': no save at" in said(game.handle("load nope", WIDTH))
    assert game.session.state == before


def _write_raw(game: Game, name: str, text: str) -> Path:
    path = game.store.save_folder(game.session.story) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_corrupt_save_is_refused_and_left_as_it_is(game: Game) -> None:
    game.handle("talk", WIDTH)
    before = game.session.state
    path = _write_raw(game, "bad", '{"carnet_save": 1, "story": "house", "sta')
    text = said(game.handle("load bad", WIDTH))
    assert "Cannot load 'bad': the save is corrupt" in text
    assert "Your game goes on; the file is left as it is." in " ".join(text.split())
    assert game.session.state == before
    assert path.read_text(encoding="utf-8") == '{"carnet_save": 1, "story": "house", "sta'


def test_a_save_of_another_story_is_refused(game: Game, tmp_path: Path) -> None:
    other = load(write_story(tmp_path / "other", STORY, name="elsewhere"))
    _write_raw(game, "theirs", dumps(other, Session.start(other).state))
    text = said(game.handle("load theirs", WIDTH))
    assert "belongs to the story 'elsewhere', not 'house'" in " ".join(text.split())
    assert game.session.state.turn == 0


def test_a_save_whose_scene_is_gone_is_refused(game: Game) -> None:
    data = json.loads(dumps(game.session.story, game.session.state))
    data["state"]["scene"] = "cellar"
    _write_raw(game, "old", json.dumps(data))
    text = " ".join(said(game.handle("load old", WIDTH)).split())
    assert "the save is at scene 'cellar', which the story no longer has" in text
    assert game.session.state.scene == "hall"


def test_loading_tells_what_changed_in_the_story(game: Game) -> None:
    data = json.loads(dumps(game.session.story, game.session.state))
    data["fingerprint"] = "0" * 64
    data["state"]["vars"]["lantern"] = True
    del data["state"]["vars"]["coins"]
    _write_raw(game, "older", json.dumps(data))
    lines = said(game.handle("load older", WIDTH)).splitlines()
    assert lines[1:4] == [
        "note: the story has changed since this save was made",
        "note: variable 'lantern' is no longer in the story; dropped",
        "note: new variable 'coins' starts at 2",
    ]


# -- quitting and continuing -------------------------------------------------------------------
def test_quit_writes_the_autosave_and_continue_restores_it(game: Game) -> None:
    game.handle("take the key", WIDTH)
    game.handle("talk", WIDTH)
    reply = game.handle("quit", WIDTH)
    assert reply.quit and reply.code == 0
    assert "carnet play house --continue" in said(reply)
    story = game.session.story
    again = Game.start(Session.start(story), game.store)
    text = said(again.resume(WIDTH))
    assert "(Continuing your game: turn 2.)" in text
    assert again.session.state == game.session.state
    assert again.session.undo_stack == game.session.undo_stack


def test_continue_without_an_autosave_starts_a_new_game(game: Game) -> None:
    text = said(game.resume(WIDTH))
    assert text.startswith("(No saved game of 'house' to continue: a new game.)")
    assert game.session.state.turn == 0


def test_continue_from_a_corrupt_autosave_starts_anew_and_keeps_the_file(game: Game) -> None:
    path = _write_raw(game, AUTOSAVE, "not json")
    text = " ".join(said(game.resume(1000)).split())
    assert "Cannot continue: the save is corrupt" in text
    assert game.session.state.turn == 0
    [kept] = path.parent.glob("autosave.json.unreadable-*")
    assert f"the unreadable autosave is kept as {kept}." in text
    assert kept.read_text(encoding="utf-8") == "not json"


def test_a_failed_autosave_keeps_the_game_until_asked_again(
        game: Game, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_replace(src: object, dst: object) -> None:
        raise OSError(13, "Permission denied")

    game.handle("talk", WIDTH)
    monkeypatch.setattr(os, "replace", broken_replace)
    reply = game.handle("quit", WIDTH)
    assert not reply.quit
    assert "Could not save your game: Permission denied." in said(reply)
    assert "Quit again (or Ctrl-D) to leave without saving." in said(reply)
    assert game.session.state.scene == "clerk"
    reply = game.leave()
    assert reply.quit and reply.code == 1
    assert said(reply) == "Left without saving."


# -- author commands (--debug) ---------------------------------------------------------------
def test_author_commands_need_debug(game: Game) -> None:
    assert "author command" in said(game.handle("goto garden", WIDTH))
    assert "author command" in said(game.handle("set coins 9", WIDTH))
    assert game.session.state.scene == "hall"


def test_goto_jumps_and_undo_returns(tmp_path: Path) -> None:
    game = make_game(tmp_path, debug=True)
    text = said(game.handle("goto clerk", WIDTH))
    assert text.startswith("(Went to clerk.)")
    assert game.session.state.scene == "clerk"
    game.handle("undo", WIDTH)
    assert game.session.state.scene == "hall"
    assert said(game.handle("goto clerks", WIDTH)) == "no scene 'clerks'. (did you mean 'clerk'?)"


def test_goto_an_ending_does_not_count_it_as_found(tmp_path: Path) -> None:
    game = make_game(tmp_path, debug=True)
    assert "*** The End: The garden ***" in said(game.handle("goto garden", WIDTH))
    assert game.found == frozenset()


def test_set_checks_types_and_keeps_spaces_in_strings(tmp_path: Path) -> None:
    game = make_game(tmp_path, debug=True)
    assert said(game.handle("set coins 9", WIDTH)).startswith("(coins = 9; undo takes it back.)")
    assert game.session.state.vars["coins"] == 9
    game.handle("set name Mary  Ann", WIDTH)
    assert game.session.state.vars["name"] == "Mary  Ann"
    assert "key is a bool" in said(game.handle("set key maybe", WIDTH))
    assert "coins is an int" in said(game.handle("set coins many", WIDTH))
    assert "no variable 'coin'" in said(game.handle("set coin 1", WIDTH))
    assert said(game.handle("set coins", WIDTH)) == "Usage: set VAR VALUE"
    game.handle("talk", WIDTH)
    assert "Pay the clerk" in said(game.handle("look", WIDTH))  # coins > 5 now
    game.handle("undo", WIDTH)
    game.handle("undo", WIDTH)
    assert game.session.state.vars["coins"] == 9
    game.handle("undo", WIDTH)
    assert game.session.state.vars["coins"] == 2
