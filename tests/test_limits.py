"""carnet's limits (engine/limits.py): each exceeded limit is a clear error at
its position, and docs/format.md lists every one of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from carnet.engine import limits
from carnet.engine.limits import MAX_INT, MAX_SCENES, MAX_STRING_CHARS, MAX_VARIABLES
from carnet.engine.loader import load_story
from carnet.engine.session import Session, SessionError
from tests.storyfiles import HEADER, load, load_ok

ROOT = Path(__file__).resolve().parent.parent
ENDING = "scenes:\n  a:\n    text: A\n    end: Done\n"


def messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    result = load(tmp_path, files)
    assert result.story is None
    return [d.format() for d in result.diagnostics]


@pytest.mark.parametrize("label", ["~", "null", "[]", '""', "'  '", "{}", "3"])
def test_an_ending_without_a_text_label_is_refused_at_its_position(tmp_path, label):
    story = HEADER + f"scenes:\n  a:\n    text: A\n    end: {label}\n"
    found = messages(tmp_path, {"story.yaml": story})
    assert len(found) == 1
    assert found[0].startswith("story/story.yaml:7:10: ")
    assert "'end' must be a string" in found[0] or "an ending needs a label" in found[0]


@pytest.mark.parametrize("value", [str(MAX_INT + 1), str(-MAX_INT - 1), "1" + "0" * 40])
def test_an_integer_default_beyond_the_cap_is_refused(tmp_path, value):
    found = messages(tmp_path, {"story.yaml": HEADER + f"vars:\n  n: {value}\n" + ENDING})
    assert found == [f"story/story.yaml:5:6: E007 the default of 'n' is beyond the largest "
                     f"integer, {MAX_INT:,}\n    hint: carnet integers have at most 18 digits"]


def test_the_largest_integer_is_a_valid_default(tmp_path):
    story = load_ok(tmp_path, {"story.yaml": HEADER + f"vars:\n  n: -{MAX_INT}\n" + ENDING})
    assert story.variables["n"].default == -MAX_INT


def test_a_string_default_longer_than_the_runtime_cap_is_refused(tmp_path):
    text = "x" * (MAX_STRING_CHARS + 1)
    found = messages(tmp_path, {"story.yaml": HEADER + f"vars:\n  s: {text}\n" + ENDING})
    assert len(found) == 1 and "story/story.yaml:5:6: E007" in found[0]
    assert f"longer than {MAX_STRING_CHARS:,} characters" in found[0]


def test_too_many_variables(tmp_path):
    names = "".join(f"  v{i}: 0\n" for i in range(MAX_VARIABLES + 1))
    found = messages(tmp_path, {"story.yaml": HEADER + "vars:\n" + names + ENDING})
    assert found == [f"story/story.yaml:{5 + MAX_VARIABLES}:3: E007 the story declares more "
                     f"than {MAX_VARIABLES:,} variables"]


def test_too_many_scenes_is_refused_at_the_first_scene_over(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_SCENES", 3)
    monkeypatch.setattr("carnet.engine.loader.MAX_SCENES", 3)
    scenes = "".join(f"  s{i}:\n    text: x\n    end: E\n" for i in range(4))
    found = messages(tmp_path, {"story.yaml": "carnet: 1\ntitle: T\nstart: s0\nscenes:\n"
                                + scenes})
    assert found == ["story/story.yaml:14:3: E007 the story has more than 3 scenes"]
    assert MAX_SCENES == 100_000  # the real limit, documented


def test_too_many_files(tmp_path, monkeypatch):
    monkeypatch.setattr("carnet.engine.loader.MAX_FILES", 2)
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text(HEADER + ENDING)
    for name in ("b.yaml", "c.yaml"):
        (folder / name).write_text("scenes: {}\n")
    result = load_story(folder, display="story")
    assert [d.format().splitlines()[0] for d in result.diagnostics] == [
        "story/story.yaml:1:1: E001 the story has 3 files; the limit is 2"]


def test_a_story_over_the_total_size_is_refused_at_the_file_that_crosses_it(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr("carnet.engine.loader.MAX_STORY_BYTES", 100)
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text(HEADER + ENDING)
    (folder / "more.yaml").write_text("scenes: {}\n" + "#" * 100 + "\n")
    result = load_story(folder, display="story")
    assert [d.format() for d in result.diagnostics] == [
        "story/more.yaml:1:1: E001 the story is larger than 0 MiB"]


def test_set_in_the_repl_keeps_to_the_integer_cap(tmp_path):
    story = load_ok(tmp_path, {"story.yaml": HEADER + "vars:\n  n: 0\n" + ENDING})
    session = Session.start(story)
    assert session.set_var("n", str(-MAX_INT)) == -MAX_INT
    for text in (str(MAX_INT * 10), "9" * 5000, "²", "1_000"):
        with pytest.raises(SessionError):
            session.set_var("n", text)
    assert session.state.vars["n"] == -MAX_INT


def test_docs_format_lists_every_limit():
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    names = [n for n in vars(limits) if n.startswith("MAX_")]
    assert len(names) >= 11
    for name in names:
        value = getattr(limits, name)
        shown = {f"{value:,}", str(value)}
        if value % (1024 * 1024) == 0:
            shown.add(f"{value // (1024 * 1024)} MiB")
        row = re.search(rf"^\|[^\n]*`{name}`[^\n]*$", doc, re.MULTILINE)
        assert row, f"docs/format.md has no row for {name}"
        assert any(s in row.group(0) for s in shown), (name, row.group(0))
