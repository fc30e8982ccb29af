"""`carnet test` end to end through engine.cli.main: stories, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carnet.engine.cli import main
from tests.storyfiles import write_story

STORY = """\
carnet: 1
title: T
start: a
scenes:
  a:
    text: Start.
    choices:
      - {text: Left, to: b}
      - {text: Right, to: c}
  b:
    text: Left end.
    end: Left
  c:
    text: Right end.
    end: Right
"""
PASS = "carnet_test: 1\nsteps: [Left]\nexpect: {ending: Left}\n"
FAIL = "carnet_test: 1\nsteps: [Right]\nexpect: {ending: Left}\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["test", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_passing_walkthroughs_exit_0(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": STORY, "walkthroughs/left.yaml": PASS})
    code, out, err = run(capsys, "story")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["ok   story/walkthroughs/left.yaml",
                                "1 walkthrough: 1 passed, 0 failed in 1 story"]


def test_a_failure_exits_1_with_file_line_and_difference(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": STORY, "walkthroughs/left.yaml": PASS,
                       "walkthroughs/right.yaml": FAIL})
    code, out, _ = run(capsys, "story")
    assert code == 1
    assert out.splitlines()[1:] == [
        "FAIL story/walkthroughs/right.yaml",
        "story/walkthroughs/right.yaml:3:18: ending differs",
        "    expected: 'Left'",
        "    got:      'Right'",
        "2 walkthroughs: 1 passed, 1 failed in 1 story"]


def test_json_output(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": STORY, "walkthroughs/right.yaml": FAIL})
    code, out, err = run(capsys, "story", "--format", "json")
    assert code == 1 and err == "1 walkthrough: 0 passed, 1 failed in 1 story\n"
    [result] = json.loads(out)
    assert result["passed"] is False and result["random"] is None
    [failure] = result["walkthroughs"][0]["failures"]
    assert failure == {"path": "story/walkthroughs/right.yaml", "line": 3, "column": 18,
                       "message": "ending differs", "expected": "'Left'", "got": "'Right'"}


def test_random_runs_report_coverage(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": STORY})
    code, out, _ = run(capsys, "story", "--random", "20", "--seed", "5")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "story: 20 random runs (seed 5): scenes 3/3, choices 2/2, endings 2/2"
    left, right = (int(line.split(": ")[1].split()[0]) for line in lines[1:3])
    assert lines[1].startswith("  ending b (Left): ") and left + right == 20
    assert run(capsys, "story", "--random", "20", "--seed", "5")[1] == out


def test_a_softlock_exits_1_with_a_replay_command(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": STORY.replace("    end: Right\n", "")})
    code, out, _ = run(capsys, "story", "--random", "30")
    assert code == 1
    assert "  softlock in scene 'c' (" in out
    assert "    path: a > c\n    replay: carnet play story --choices 2\n" in out
    assert "scenes/c" not in out


def test_a_story_without_walkthroughs_is_not_a_pass(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": STORY})
    code, out, _ = run(capsys, "story")
    assert code == 1
    assert out.startswith("story: no walkthroughs: add *.yaml files to story/walkthroughs/")


def test_a_story_that_does_not_load_exits_1(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": STORY.replace("to: c", "to: nowhere"),
                       "walkthroughs/left.yaml": PASS})
    code, out, _ = run(capsys, "story")
    assert code == 1
    assert "story/story.yaml:9:27: E011" in out
    assert "story: the story does not load; run `carnet lint story`" in out


@pytest.mark.parametrize("argv, message", [
    (["nowhere"], "carnet test: no story 'nowhere'"),
    (["story", "--random", "0"], "--random: must be at least 1"),
    (["story", "--random", "x"], "--random: 'x' is not a whole number"),
    (["story", "--seed", "1.5"], "--seed: '1.5' is not a whole number"),
    (["story", "--format", "xml"], "invalid choice: 'xml'"),
])
def test_usage_errors_exit_2_without_traceback(
        here: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    write_story(here, {"story.yaml": STORY, "walkthroughs/left.yaml": PASS})
    try:
        code = main(["test", *argv])
    except SystemExit as exit_:
        code = int(str(exit_.code))
    _, err = capsys.readouterr()
    assert code == 2
    assert message in err and "Traceback" not in err


def test_a_shipped_story_by_id(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tutorial")
    assert code == 0
    assert "/tutorial/walkthroughs/every-lamp.yaml  (The whole round, every lamp lit)" in out
