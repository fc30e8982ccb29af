"""A branch is a file: an author converts a prose story, writes a branch in a
file of their own (its own variable, an entry choice added to a generated
scene with ``extend:``, conditional text), re-converts, lints and plays it,
without ever editing a generated file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from carnet.engine import state as sm
from carnet.engine.cli import main
from carnet.engine.loader import load_story

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_6608368bb3662109.txt"

BRANCH = """\
# My own branch: convert never writes or touches this file.
vars:
  followed_gulls: false

extend:
  {start}:
    choices:
      - text: Follow the gulls down to the water
        to: gull_rock
        do: [followed_gulls = true]

scenes:
  gull_rock:
    # one way in: its conditions are here to show the format (X406 would say
    # they never change)
    noqa: [X406]
    text:
      - |
        The gulls wheel {{if followed_gulls: overhead, as if they had waited for you
        | else: away}}.
      - if: visits({start}) > 1
        text: You have come a long way round to get here.
        else: Nobody else comes down this path.
    end: The gulls' rock
"""


@pytest.fixture
def story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEED, tmp_path / "the_seed.txt")
    assert main(["convert", "the_seed.txt", "-o", "stories"]) == 0
    (folder,) = (tmp_path / "stories").iterdir()
    return folder


def test_a_branch_file_survives_reconverting_lints_clean_and_plays(
        story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generated = {p.name: p.read_bytes() for p in story.glob("*.yaml")}
    start = load_story(story).story.start  # type: ignore[union-attr]
    branch = story / "branches" / "gulls.yaml"
    branch.parent.mkdir()
    branch.write_text(BRANCH.format(start=start), encoding="utf-8")
    capsys.readouterr()

    # Re-converting neither refuses nor touches the branch (nor changes the rest).
    assert main(["convert", "the_seed.txt", "-o", "stories"]) == 0
    assert "nothing written" not in capsys.readouterr().err
    assert branch.read_text(encoding="utf-8") == BRANCH.format(start=start)
    assert {p.name: p.read_bytes() for p in story.glob("*.yaml")} == generated
    # Even --force, which rewrites every generated file, leaves it working.
    assert main(["convert", "the_seed.txt", "-o", "stories", "--force"]) == 0
    capsys.readouterr()

    # Lint: no errors (warnings about the generated drafts may remain).
    code = main(["lint", str(story)])
    report = capsys.readouterr().out
    assert code == 0, report
    assert report.splitlines()[-1].startswith(("0 errors, ", "no problems")), report
    assert "gulls.yaml" not in report  # nothing to say about the branch itself

    # The engine: the entry choice comes last in the start scene; the branch's
    # own variable and text follow the choice taken.
    loaded = load_story(story).story
    assert loaded is not None and "followed_gulls" in loaded.variables
    game = sm.new_game(loaded)
    offered = sm.options(loaded, game)
    assert sm.option_text(game, offered[-1]) == "Follow the gulls down to the water"
    number = offered[-1].number

    # And as a player: carnet play --choices into the branch.
    assert main(["play", str(story), "--plain", "--choices", str(number)]) == 0
    out = capsys.readouterr().out
    assert "The gulls wheel overhead, as if they had waited for you." in out  # trimmed
    assert "Nobody else comes down this path." in out
    assert "{if" not in out and "away." not in out
    assert "The gulls' rock" in out  # the ending's label
