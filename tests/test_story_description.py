"""A story's one-line description: where it may be written, and where players see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.engine.cli import main
from carnet.engine.loader import load_story
from carnet.engine.repl import menu
from carnet.engine.repl.render import plain
from carnet.engine.stories import StoryRef
from tests.storyfiles import HEADER, load_ok, problems

SCENE = "scenes:\n  a:\n    text: A.\n    end: E\n"
ROOT = Path(__file__).resolve().parent.parent


def test_the_description_is_read_from_story_yaml(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": HEADER + "description: A short one.\n" + SCENE})
    assert story.description == "A short one."


def test_a_story_without_one_has_an_empty_description(tmp_path: Path) -> None:
    assert load_ok(tmp_path, {"story.yaml": HEADER + SCENE}).description == ""


def test_any_one_other_file_may_give_it(tmp_path: Path) -> None:
    # So that a converted story is described without editing its generated story.yaml.
    story = load_ok(tmp_path, {"story.yaml": HEADER + SCENE,
                               "branches/about.yaml": "description: Told from elsewhere.\n"})
    assert story.description == "Told from elsewhere."


def test_a_second_description_is_an_error_naming_the_first(tmp_path: Path) -> None:
    files = {"story.yaml": HEADER + "description: One.\n" + SCENE,
             "more.yaml": "description: Two.\n"}
    assert problems(tmp_path, files) == [("story/more.yaml", 1, 1, "E007")]
    result = load_story(tmp_path / "story", display="story")
    (message,) = [d.format() for d in result.diagnostics]
    assert "already given at story/story.yaml:4:" in message


@pytest.mark.parametrize("value, code", [
    ('"two\\nlines"', "E007"),
    ("'   '", "E007"),
    ("'" + "x" * 201 + "'", "E007"),
    ("[a, list]", "E004"),
    ("yes", "E004"),
])
def test_a_description_is_one_line_of_text(tmp_path: Path, value: str, code: str) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + f"description: {value}\n" + SCENE})
    assert [c for *_, c in found] == [code]


def test_carnet_list_shows_it_under_the_title(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("alice-and-leon "))
    assert "Alice and Léon" in lines[at]
    assert lines[at + 1].strip().startswith("A rainy autumn evening in a Paris café")
    assert lines[at + 1].index("A rainy") == lines[at].index("Alice and Léon")


def test_the_menu_shows_it_under_the_title_wrapped(tmp_path: Path) -> None:
    long = "A story about " + "a great many things " * 6 + "and more."
    story = load_ok(tmp_path, {"story.yaml": HEADER + f"description: {long}\n" + SCENE})
    items = [menu.Entry(StoryRef("story", tmp_path / "story"), story)]
    lines = [plain(line) for line in menu.menu_lines(items, 40)]  # type: ignore[arg-type]
    at = next(i for i, x in enumerate(lines) if "1. T" in x)
    under = []
    for line in lines[at + 1:]:
        if not line.strip():
            break
        under.append(line)
    assert len(under) >= 3 and all(len(x) <= 40 and x.startswith("     ") for x in under)
    assert " ".join(x.strip() for x in under) == long


def test_every_shipped_story_has_one() -> None:
    for folder in sorted((ROOT / "scenes").glob("*/story.yaml")):
        story = load_story(folder.parent).story
        assert story is not None and story.description, folder.parent.name
