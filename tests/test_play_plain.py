"""`carnet play` when stdin is not a terminal: plain, scripted and JSON modes,
run as the user runs them (`python -m carnet play ...` in a subprocess)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from carnet.engine.loader import load_story
from carnet.engine.saves import write
from carnet.engine.session import Session
from carnet.engine.userdata import AUTOSAVE, UserData

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = "scenes/tutorial"
TITLE = "The Lamplighter's Round"


def carnet(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path / "xdg"),
           "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "carnet", *args], input=stdin, cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60, check=False)


def test_piped_numbers_play_and_the_output_is_deterministic(tmp_path: Path) -> None:
    first = carnet(tmp_path, "play", TUTORIAL, stdin="1\n2\n")
    second = carnet(tmp_path, "play", TUTORIAL, stdin="1\n2\n")
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert first.stdout == second.stdout
    out = first.stdout
    assert out.startswith(f"{TITLE}\n{'=' * len(TITLE)}\n\nDusk is settling")
    # the choices read back, and where they led
    assert "> 1\n" in out and "> 2\n" in out
    assert out.index("Inside it is warm") < out.index("The store is a narrow room")
    assert "  1. Take the folding ladder and go out the back door" in out


def test_a_transcript_holds_what_was_shown_and_chosen(tmp_path: Path) -> None:
    transcript = tmp_path / "t.txt"
    run = carnet(tmp_path, "play", TUTORIAL, "--transcript", str(transcript), stdin="1\n4\n")
    assert run.returncode == 0, run.stderr
    text = transcript.read_text(encoding="utf-8")
    assert text.startswith(TITLE + "\n")
    assert "> 1\n" in text and "> 4\n" in text
    assert "*** THE END: An early night ***  (2 turns)" in text
    assert "You mumble something about a headache." in text


def test_choices_play_a_sequence_without_input(tmp_path: Path) -> None:
    run = carnet(tmp_path, "play", TUTORIAL, "--choices", "1,4")
    again = carnet(tmp_path, "play", TUTORIAL, "--choices", "1,4")
    assert run.returncode == 0, run.stderr
    assert run.stdout == again.stdout
    assert run.stdout.rstrip().endswith("*** THE END: An early night ***  (2 turns)")


def test_a_choice_that_is_not_offered_stops_with_exit_2(tmp_path: Path) -> None:
    run = carnet(tmp_path, "play", TUTORIAL, "--choices", "1,9")
    assert run.returncode == 2
    assert "step 2" in run.stderr
    assert "Traceback" not in run.stderr


def test_canon_follows_the_canonical_choices_to_the_best_ending(tmp_path: Path) -> None:
    run = carnet(tmp_path, "play", TUTORIAL, "--canon")
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().splitlines()[-1].startswith(
        "*** THE END: Every lamp in Brindle Quay ***")
    assert "> " not in run.stdout  # nothing was read
    assert run.stdout == carnet(tmp_path, "play", TUTORIAL, "--canon").stdout


def test_json_mode_prints_one_json_object_per_line(tmp_path: Path) -> None:
    run = carnet(tmp_path, "play", TUTORIAL, "--json", stdin="1\n4\n")
    assert run.returncode == 0, run.stderr
    messages = [json.loads(line) for line in run.stdout.splitlines()]
    assert messages[0]["type"] == "story" and messages[0]["title"] == TITLE
    scenes = [m for m in messages if m.get("type") == "scene"]
    assert [m["scene"] for m in scenes] == ["arrival", "lamp_house", "early_night"]
    assert scenes[-1]["ending"] == "An early night"
    assert scenes[1]["choices"][3]["text"] == "Leave the round to Maud and go home"


@pytest.mark.parametrize("mode", [(), ("--json",), ("--canon",)])
def test_a_bad_story_folder_exits_2_with_positions_and_no_traceback(
        tmp_path: Path, mode: tuple[str, ...]) -> None:
    story = tmp_path / "bad"
    story.mkdir()
    (story / "story.yaml").write_text(
        "carnet: 1\ntitle: Bad\nstart: a\nscenes:\n  a:\n    text: Hi\n"
        "    choices:\n      - text: Go\n        to: nowhere\n", encoding="utf-8")
    run = carnet(tmp_path, "play", str(story), *mode, stdin="1\n")
    assert run.returncode == 2
    assert run.stdout == ""
    assert re.search(rf"^{re.escape(str(story))}/story\.yaml:9:13: E011 ", run.stderr, re.M)
    assert "Traceback" not in run.stderr


def test_a_missing_story_exits_2(tmp_path: Path) -> None:
    run = carnet(tmp_path, "play", "no-such-story", stdin="")
    assert run.returncode == 2
    assert run.stderr.startswith("carnet: no story 'no-such-story'")
    assert "Traceback" not in run.stderr


def test_continue_in_plain_mode_starts_from_the_autosave(tmp_path: Path) -> None:
    result = load_story(ROOT / TUTORIAL)
    assert result.story is not None
    session = Session.start(result.story)
    session.choose(1)
    session.choose(2)  # the oil store
    store = UserData.locate(None, {"XDG_DATA_HOME": str(tmp_path / "xdg")})
    write(result.story, store.save_path(result.story, AUTOSAVE), session.state)
    run = carnet(tmp_path, "play", TUTORIAL, "--continue", stdin="")
    assert run.returncode == 0, run.stderr
    assert "The store is a narrow room" in run.stdout
    assert "Dusk is settling" not in run.stdout


def test_continue_with_a_corrupt_autosave_says_so_and_starts_anew(tmp_path: Path) -> None:
    path = tmp_path / "saves" / "tutorial" / f"{AUTOSAVE}.json"
    path.parent.mkdir(parents=True)
    path.write_text("{broken", encoding="utf-8")
    run = carnet(tmp_path, "play", TUTORIAL, "--continue", "--save-dir",
                 str(tmp_path / "saves"), stdin="")
    assert run.returncode == 0
    assert "carnet: Cannot continue: the save is corrupt" in run.stderr
    assert "Dusk is settling" in run.stdout
    [kept] = path.parent.glob("autosave.json.unreadable-*")
    assert f"Starting a new game; the unreadable autosave is kept as {kept}." in run.stderr
    assert kept.read_text(encoding="utf-8") == "{broken"


def test_plain_play_does_not_import_prompt_toolkit(tmp_path: Path) -> None:
    script = ("import sys\nfrom engine.cli import main\n"
              "code = main(['play', 'scenes/tutorial', '--choices', '1'])\n"
              "print('prompt_toolkit' in sys.modules, code)\n")
    env = {"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.stdout.splitlines()[-1] == "False 0", run.stderr


def test_plain_mode_never_sends_control_characters_to_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "story.yaml").write_text(
        'carnet: 1\ntitle: "Evil\\e[2J"\nstart: a\n'
        'scenes:\n  a:\n    text: "Bell\\a and clear\\e[2J"\n    end: "Gone\\e]0;pwned\\a"\n',
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "carnet", "play", str(folder), "--plain"],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Bell^G and clear^[[2J" in result.stdout


def test_an_ending_after_one_turn_says_one_turn(tmp_path: Path) -> None:
    assert carnet(tmp_path, "new", str(tmp_path / "short")).returncode == 0
    run = carnet(tmp_path, "play", str(tmp_path / "short"), "--choices", "1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().endswith("***  (1 turn)")
