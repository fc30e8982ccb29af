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
# A branch in a file of its own: its own variable, a way in added to a scene
# of story.yaml (which is not edited), and text that follows the state.
vars:
  oars: 0

extend:
  start:
    choices:
      - text: Go down to the cove
        to: cove

scenes:
  cove:
    text: |
      A cove opens below the road, with a boat pulled up on the shingle {if oars > 0:
      and {oars} oar in it | else: and no oars}.
    choices:
      - text: Find an oar
        to: cove
        if: oars == 0
        do: [oars += 1]
      - text: Push the boat out
        to: boat
        if: oars > 0
  boat:
    text: The boat rocks, and the shore slides away.
    end: Out to sea
"""
WALK = """\
carnet_test: 1
name: Out to sea by the cove
steps:
  - choose: Go down to the cove
    expect:
      scene: cove
      text: ["a boat pulled up on the shingle and no oars"]
      not_text: ["Push the boat out"]
  - choose: find an oar
    expect:
      vars: {oars: 1}
      text: ["and 1 oar in it"]
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
    # 2. a branch in a file of its own, with its own variable and conditional text
    generated = (story / "story.yaml").read_bytes()
    (story / "branches").mkdir()
    (story / "branches" / "cove.yaml").write_text(BRANCH, encoding="utf-8")
    capsys.readouterr()
    # 3. lint
    assert main(["lint", "--strict", "tale"]) == 0, capsys.readouterr().out
    # 4. play into the branch: the new choice comes after the scene's own
    assert main(["play", "tale", "--choices", "4,1,1"]) == 0
    out = capsys.readouterr().out
    assert "  4. Go down to the cove" in out and "and 1 oar in it" in out
    assert "*** THE END: Out to sea ***" in out
    assert (story / "story.yaml").read_bytes() == generated
    # 5. a walkthrough, and carnet test; then one that fails, named with its line
    (story / "walkthroughs" / "cove.yaml").write_text(WALK, encoding="utf-8")
    assert main(["test", "tale", "--random", "50", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "ok   tale/walkthroughs/cove.yaml  (Out to sea by the cove)" in out
    assert "tale: 50 random runs (seed 1): scenes 5/5, choices 6/6, endings 3/3" in out
    (story / "walkthroughs" / "wrong.yaml").write_text(
        WALK.replace("and 1 oar in it", "and 2 oars in it"), encoding="utf-8")
    assert main(["test", "tale"]) == 1
    out = capsys.readouterr().out
    assert "FAIL tale/walkthroughs/wrong.yaml" in out
    assert "tale/walkthroughs/wrong.yaml:12:14: text 'and 2 oars in it' was not shown" in out
    (story / "walkthroughs" / "wrong.yaml").unlink()
    # 6. the graph
    assert main(["graph", "tale", "-o", "tale.dot"]) == 0
    dot = (tmp_path / "tale.dot").read_text(encoding="utf-8")
    assert '"start" -> "cove";' in dot and '{ rank=sink; "hills"; "sea"; "boat"; }' in dot
    assert '"cove" -> "boat" [label="if oars > 0", style=dashed];' in dot
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
    cove = twine.passages(page)["cove"][1]
    assert "<<if $oars > 0>>" in cove and '<<link "Push the boat out" "boat">>' in cove
    assert twine.story_data(page)["name"] == "A Tale"
