"""The `carnet` command: list, scripted and plain play, JSON lines, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carnet.engine import __version__
from carnet.engine.cli import main
from tests.storyfiles import write_story

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = str(ROOT / "scenes" / "tutorial")


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carnet", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"carnet {__version__}"


def test_list_shows_the_tutorial(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("tutorial "))
    assert "The Lamplighter's Round" in line and "13 scenes" in line


def test_scripted_play_is_deterministic_and_follows_the_choices() -> None:
    one = run("play", TUTORIAL, "--choices", "1,2")
    two = run("play", TUTORIAL, "--choices", "1,2")
    assert one.returncode == 0 and one.stdout == two.stdout
    out = one.stdout
    assert out.startswith("The Lamplighter's Round\n=======================\n")
    assert "  1. Knock on the green door" in out
    assert "> 1\n" in out and "> 2\n" in out
    # taking 1 then 2 goes in to Maud, then through to the oil store
    assert out.index("Inside it is warm") < out.index("The store is a narrow room")


def test_a_scripted_number_that_is_not_offered_fails_cleanly() -> None:
    result = run("play", TUTORIAL, "--choices", "1,9")
    assert result.returncode == 2
    assert "step 2: 9 is not a choice here" in result.stderr
    assert "Traceback" not in result.stderr


def test_canon_plays_to_an_ending() -> None:
    result = run("play", "tutorial", "--canon")
    assert result.returncode == 0
    assert "*** THE END: " in result.stdout.splitlines()[-1]


def test_plain_mode_reads_numbers_from_a_pipe() -> None:
    result = run("play", TUTORIAL, stdin="1\nhello\n42\n")
    assert result.returncode == 0
    assert "Inside it is warm" in result.stdout
    assert "'hello' is not a choice here: type the number of a choice (1-4), or 'quit'." \
        in result.stdout
    assert "42 is not a choice here (1-4)." in result.stdout


@pytest.mark.parametrize("line", ["²", "٣", "9" * 5000, "-1", "1.5", "\x1b[2J"])
def test_any_line_is_a_choice_or_not_a_choice_here(line: str) -> None:
    plain = run("play", "tutorial", "--plain", stdin=f"{line}\n1\n")
    assert plain.returncode == 0 and plain.stderr == ""
    assert "is not a choice here" in plain.stdout
    assert "\x1b" not in plain.stdout
    assert "Inside it is warm" in plain.stdout  # the next line still plays
    shown = json.loads(run("play", "tutorial", "--json", stdin=f"{line}\n1\n").stdout
                       .splitlines()[2])
    assert shown["type"] == "error" and "is not a choice here" in shown["message"]


def test_json_lines_protocol() -> None:
    result = run("play", TUTORIAL, "--json", stdin="1\nx\n")
    messages = [json.loads(line) for line in result.stdout.splitlines()]
    assert messages[0] == {"type": "story", "protocol": 1, "id": "tutorial",
                           "title": "The Lamplighter's Round"}
    first = messages[1]
    assert first["type"] == "scene" and first["turn"] == 0 and first["ending"] is None
    assert first["choices"] == [{"number": 1, "text": "Knock on the green door", "canon": True}]
    assert messages[2]["turn"] == 1 and len(messages[2]["choices"]) == 4
    assert messages[3] == {"type": "error",
                           "message": "'x' is not a choice here: send a choice number"}


def test_transcript_file(tmp_path: Path) -> None:
    out = tmp_path / "t.txt"
    result = run("play", TUTORIAL, "--choices", "1", "--transcript", str(out))
    assert result.returncode == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_a_broken_story_gets_positions_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("carnet: 1\ntitle: T\nstart: a\nscenes:\n  a: [\n")
    result = run("play", str(tmp_path), "--plain")
    assert result.returncode == 2
    assert f"{tmp_path}/story.yaml:6:1: E001 YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_story_lists_the_known_ones() -> None:
    result = run("play", "no-such-story", "--plain")
    assert result.returncode == 2
    assert "no story 'no-such-story'" in result.stderr and "tutorial" in result.stderr


def test_bad_choices_argument() -> None:
    result = run("play", TUTORIAL, "--choices", "1,x")
    assert result.returncode == 2 and "'x' is not a choice number" in result.stderr


def test_output_into_a_closed_pipe_is_an_io_error_said_quietly(tmp_path: Path) -> None:
    """`carnet play --canon | head -1`: the reader leaves early; exit 2 (an I/O
    error, as the README says), no traceback. The canonical path prints far
    more than a pipe holds, so carnet is still writing when the reader goes."""
    scenes = "".join(
        f"  a{i}:\n    text: {'Words. ' * 150}\n"
        f"    choices: [{{text: Walk on, to: a{i + 1}, canon: true}}]\n" for i in range(200))
    story = write_story(tmp_path, {"story.yaml": "carnet: 1\ntitle: T\nstart: a0\nscenes:\n"
                                   + scenes + "  a200:\n    text: End.\n    end: Done\n"})
    process = subprocess.Popen(
        [sys.executable, "-m", "carnet", "play", str(story), "--canon", "--no-cache"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"T\n"  # the story began: its title
    process.stdout.close()  # the reader is gone: the next writes fail
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 2
    assert "Traceback" not in err
