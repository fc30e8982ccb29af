"""`carnet new`: a story folder that lints clean, plays, passes `carnet test`; never overwrites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from carnet.engine.cli import main
from carnet.engine.loader import load_story
from carnet.engine.schemafile import schema_path
from carnet.tools.scaffold.template import title_of


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_title_from_the_folder_name() -> None:
    assert title_of("the-old_lighthouse") == "The old lighthouse"
    assert title_of("x") == "X"


def test_a_new_story_lints_clean_plays_and_passes_its_tests(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "lighthouse", "--title", 'A "quoted" title: yes']) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Created lighthouse/ with story.yaml and two walkthroughs. Next:"
    assert sorted(p.relative_to(here / "lighthouse").as_posix()
                  for p in (here / "lighthouse").rglob("*") if p.is_file()) == [
        "story.yaml", "walkthroughs/hill-road.yaml", "walkthroughs/sea-road.yaml"]
    story = load_story(here / "lighthouse").story
    assert story is not None
    assert (story.id, story.title) == ("lighthouse", 'A "quoted" title: yes')
    assert sorted(s.ending for s in story.endings if s.ending) == ["The hill road", "The sea road"]
    assert [c.target for c in story.scenes[story.start].choices] == ["hills", "sea", "start"]
    assert list(story.variables) == ["read_milestone"]
    assert story.scenes["start"].revisit is not None
    assert main(["lint", "--strict", "lighthouse"]) == 0
    assert main(["test", "lighthouse"]) == 0
    assert "2 walkthroughs: 2 passed, 0 failed in 1 story" in capsys.readouterr().out
    assert main(["play", "lighthouse", "--choices", "1"]) == 0
    assert "*** THE END: The hill road ***" in capsys.readouterr().out
    assert main(["play", "lighthouse", "--choices", "2"]) == 0
    assert "You never read the milestone." in capsys.readouterr().out
    assert not list(here.glob(".lighthouse.*"))  # no staging folder left
    # outside a checkout of carnet, the modeline names the installed schema
    first = (here / "lighthouse" / "story.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=" + schema_path().as_uri()


def test_inside_the_repository_the_file_carries_the_schema_modeline(
        tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    folder = root / "scenes" / f"zz-new-{tmp_path.name}"
    try:
        assert main(["new", str(folder)]) == 0
        first = (folder / "story.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../engine/schema/story.schema.json"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_an_existing_folder_is_never_touched(here: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (here / "mine").mkdir()
    (here / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["new", "mine"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("carnet new: mine already exists; nothing was written")
    assert [p.name for p in (here / "mine").iterdir()] == ["notes.txt"]
    (here / "empty").mkdir()
    assert main(["new", "empty"]) == 1
    assert list((here / "empty").iterdir()) == []
    (here / "file").write_text("x", encoding="utf-8")
    assert main(["new", "file"]) == 1


@pytest.mark.parametrize("argv, message", [
    (["new", "bad name"], "carnet new: 'bad name' is not a good story folder name"),
    (["new", "-dash"], "the following arguments are required: STORY"),
    (["new", "no/such/parent/story"], "carnet new: no/such/parent is not a folder"),
    (["new", "ok", "--title", " "], "carnet new: the title is empty"),
])
def test_bad_input_exits_2(here: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                           message: str) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(str(exit_.code))
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert [p.name for p in here.iterdir()] == []
