"""Issue 10's "done when", each step through the CLI as a new author would run it:
carnet new, a branch in its own file, lint, play, a walkthrough and carnet test,
the graph, the Twee export and its compiled HTML."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from carnet.engine.cli import main
from tests import twine

BRANCH = """\
scenes:
  cove:
    text: |
      A cove opens below the sea road, with a boat pulled up on the shingle.
    choices:
      - text: Push the boat out
        to: boat
      - text: Climb back to the road
        to: sea
  boat:
    text: The boat rocks, and the shore slides away.
    end: Out to sea
"""
ENTRY = """\
      - text: Go down to the cove
        to: cove
"""
WALK = """\
carnet_test: 1
name: Out to sea by the cove
steps:
  - choose: Take the sea road
  - choose: Go down to the cove
    expect:
      scene: cove
      text: ["a boat pulled up"]
  - choose: push the boat
expect:
  ending: Out to sea
"""


def test_new_lint_play_test_graph_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    # 1. a new story
    assert main(["new", "tale", "--title", "A Tale"]) == 0
    story = tmp_path / "tale"
    # 2. a branch in a file of its own, and a way into it
    (story / "branches").mkdir()
    (story / "branches" / "cove.yaml").write_text(BRANCH, encoding="utf-8")
    text = (story / "story.yaml").read_text(encoding="utf-8")
    text = text.replace("  sea:\n", "  sea:\n    choices:\n" + ENTRY, 1).replace(
        "    end: The sea road\n", "")
    text = text.replace("This is the other ending.", "The beach goes on.")
    (story / "story.yaml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    # 3. lint
    assert main(["lint", "--strict", "tale"]) == 0, capsys.readouterr().out
    # 4. play into the branch
    assert main(["play", "tale", "--choices", "2,1,1"]) == 0
    assert "*** THE END: Out to sea ***" in capsys.readouterr().out
    # 5. a walkthrough, and carnet test: the old sea-road one now fails, named
    (story / "walkthroughs" / "cove.yaml").write_text(WALK, encoding="utf-8")
    assert main(["test", "tale"]) == 1
    out = capsys.readouterr().out
    assert "ok   tale/walkthroughs/cove.yaml  (Out to sea by the cove)" in out
    assert "FAIL tale/walkthroughs/sea-road.yaml" in out
    assert "    expected: 'The sea road'\n    got:      scene 'sea', not an ending" in out
    (story / "walkthroughs" / "sea-road.yaml").unlink()
    assert main(["test", "tale", "--random", "50", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "tale: 50 random runs (seed 1): scenes 5/5, choices 5/5, endings 2/2" in out
    # 6. the graph
    assert main(["graph", "tale", "-o", "tale.dot"]) == 0
    dot = (tmp_path / "tale.dot").read_text(encoding="utf-8")
    assert '"sea" -> "cove";' in dot and '{ rank=sink; "hills"; "boat"; }' in dot
    if shutil.which("dot"):
        assert main(["graph", "tale", "--format", "svg", "-o", "tale.svg"]) == 0
        assert "<title>cove</title>" in (tmp_path / "tale.svg").read_text(encoding="utf-8")
    # 7. the Twee export, and the page a Twine compiler makes of it
    assert main(["export", "tale", "--format", "twee", "-o", "tale.twee"]) == 0
    twee = (tmp_path / "tale.twee").read_text(encoding="utf-8")
    assert ':: cove {"position":' in twee and '<<link "Go down to the cove" "cove">>' in twee
    compiler = twine.extwee()
    if compiler is None:
        pytest.skip(twine.SKIP_REASON + " (every step before the compiled HTML passed)")
    (tmp_path / "format.js").write_text(twine.FORMAT_JS, encoding="utf-8")
    done = subprocess.run([compiler, "-c", "-i", "tale.twee", "-s", "format.js", "-o",
                           "tale.html"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "tale.html").read_text(encoding="utf-8")
    assert set(twine.passages(page)) == {"StoryInit", "start", "hills", "sea", "cove", "boat"}
    assert twine.story_data(page)["name"] == "A Tale"
