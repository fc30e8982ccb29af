"""The schema as editors use it: yaml-language-server (what VS Code's YAML
extension, Neovim, Helix... run) reads each file's modeline, loads the schema
it names and validates the file. Needs Node and the package in .ci/node
(`.ci/run` installs it); skipped otherwise."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from carnet.engine.cli import main
from carnet.engine.loader import story_files
from carnet.engine.schemafile import modeline

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / ".ci" / "node" / "node_modules"
CHECK = Path(__file__).resolve().parent / "yaml_language_server.js"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (MODULES / "yaml-language-server").is_dir(),
    reason="yaml-language-server is not installed (needs Node; .ci/run installs it into "
           ".ci/node with npm)")


def diagnostics(*files: Path) -> dict[str, list[str]]:
    done = subprocess.run(["node", str(CHECK), str(MODULES), *map(str, files)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found: dict[str, list[str]] = json.loads(done.stdout)
    return found


def test_the_shipped_stories_validate_through_their_relative_modelines() -> None:
    files = [f for story in sorted((ROOT / "scenes").glob("*/story.yaml"))
             for f in story_files(story.parent)]
    assert len(files) >= 8
    assert diagnostics(*files) == {str(f): [] for f in files}


def test_a_branch_file_outside_the_checkout_is_checked_through_the_file_uri(
        tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    bad = tmp_path / "bad.yaml"
    head = modeline(tmp_path) + "\n"
    assert "$schema=file:///" in head
    good.write_text(head + """\
vars:
  lit: false
extend:
  shore:
    choices:
      - {text: Take the cliff path, to: storm}
scenes:
  storm:
    text:
      - 'The lamp is {if lit: lit | else: dark}.'
      - {if: lit, text: It hums., else: It is cold.}
    revisit: Again.
    end: The storm
""", encoding="utf-8")
    bad.write_text(head + """\
extend:
  shore:
    choices:
      - {text: x, goto: storm}
scenes:
  storm:
    text:
      - {if: lit, txt: hi}
    revisit: 3
    end: The storm
""", encoding="utf-8")
    found = diagnostics(good, bad)
    assert found[str(good)] == []
    assert sorted(found[str(bad)]) == [
        '10:14 Incorrect type. Expected "string | array".',  # revisit: 3
        '5:19 Property goto is not allowed.',
        '5:9 Missing property "to".',
        '9:19 Property txt is not allowed.',
        '9:9 Missing property "text".',  # a conditional paragraph needs its text
    ]


def test_a_converted_story_validates_in_the_editor(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "seeds" / "000_6608368bb3662109.txt", tmp_path / "seed.txt")
    assert main(["convert", "seed.txt", "-o", "stories"]) == 0
    files = sorted((tmp_path / "stories").glob("*/*.yaml"))
    assert len(files) == 2
    for file in files:
        assert file.read_text(encoding="utf-8").startswith(modeline(file.parent) + "\n")
    assert diagnostics(*files) == {str(f): [] for f in files}
