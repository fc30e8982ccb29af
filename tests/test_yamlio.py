"""The YAML reader: what it refuses, where, and that its lean path reads the
same data as the full one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from carnet.engine.limits import MAX_NESTING
from carnet.engine.loader import load_story
from carnet.engine.yamlio import (
    YamlProblem,
    decode,
    read_data,
    read_file,
    read_yaml,
)
from tests.storyfiles import HEADER, load

ROOT = Path(__file__).resolve().parent.parent
READERS = [read_data, lambda text: (read_yaml(text).data, read_yaml(text).problems)]


def problem(text: str, reader: object) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        reader(text)  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("text", "col", "message"), [
    ("d: 2001-02-30\n", 4, "'2001-02-30' is not a valid date (day is out of range for month)"),
    ("d: !!bool x\n", 4, "'x' is not a valid boolean"),
    ("d: !!timestamp x\n", 4, "'x' is not a valid date"),
    ("d: " + "7" * 5000 + "\n", 4, "'" + "7" * 37 + "...' is not a valid integer "
     "(too many digits)"),
    ("d: !!int " + "7" * 5000 + "\n", 4, "'" + "7" * 37 + "...' is not a valid integer "
     "(too many digits)"),
])
def test_values_the_constructor_cannot_build_are_errors_at_their_position(
        reader: object, text: str, col: int, message: str) -> None:
    found = problem("a: 1\n" + text, reader)
    assert (found.code, found.line, found.col, found.message) == ("E001", 2, col, message)


@pytest.mark.parametrize("reader", READERS)
def test_a_bad_explicit_float_is_an_error(reader: object) -> None:
    found = problem("d: !!float x\n", reader)
    assert (found.line, found.col) == (1, 4)
    assert found.message.startswith("'x' is not a valid number")


def nested(depth: int) -> str:
    return "x: " + "[" * depth + "]" * depth + "\n"


@pytest.mark.parametrize("reader", READERS)
def test_nesting_of_exactly_the_limit_is_read_and_one_more_is_refused(reader: object) -> None:
    data, _ = reader(nested(MAX_NESTING))  # type: ignore[operator]
    depth, value = 0, data["x"]
    while isinstance(value, list):
        depth, value = depth + 1, (value[0] if value else None)
    assert depth == MAX_NESTING
    found = problem(nested(MAX_NESTING + 1), reader)
    assert found.message == "the YAML nests lists and mappings more than 100 levels deep"
    assert (found.line, found.col) == (1, 4 + MAX_NESTING)  # at the 101st bracket


@pytest.mark.parametrize("reader", READERS)
def test_brackets_inside_quoted_text_are_not_nesting(reader: object) -> None:
    text = "a: '" + "[" * 300 + "'\nb: \"" + "{" * 300 + "\"\n"
    data, _ = reader(text)  # type: ignore[operator]
    assert data == {"a": "[" * 300, "b": "{" * 300}


@pytest.mark.parametrize("reader", READERS)
def test_deep_block_nesting_is_refused(reader: object) -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "v\n"
    found = problem(text, reader)
    assert found.message == "the YAML nests lists and mappings more than 100 levels deep"
    assert found.line == 102


def test_the_lean_reader_reads_what_the_full_reader_reads() -> None:
    files = sorted((ROOT / "scenes").rglob("*.yaml")) + sorted((ROOT / "seeds").rglob("*.yaml"))
    assert len(files) > 5
    extra = ["a: [1, 2.5, yes, no, ~, '', 0x1F, 0o7, 017, 1_000, 2001-02-03, .inf, -1]\n",
             "a: {b: c, 'd': \"e\\n\"}\nf: |\n  x\n\n  y\ng: >-\n  folded\n  text\n"]
    for text in [decode(f.read_bytes()) for f in files] + extra:
        assert read_data(text) == (read_yaml(text).data, ())


def test_duplicate_keys_are_reported_and_the_rest_is_read() -> None:
    data, found = read_data("a: 1\nb: 2\na: 3\n")
    assert data == {"a": 1, "b": 2}
    assert [(p.code, p.line, p.col) for p in found] == [("E003", 3, 1)]


def test_read_file_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "story.yaml"
    os.mkfifo(fifo)
    with pytest.raises(YamlProblem, match="not a regular file"):
        read_file(fifo)


def test_read_file_refuses_a_device() -> None:
    with pytest.raises(YamlProblem, match="not a regular file"):
        read_file("/dev/zero")


def test_read_file_refuses_a_huge_sparse_file_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as out:
        out.truncate(3 * 1024 ** 3)
    with pytest.raises(YamlProblem, match="larger than 64 MiB"):
        read_file(huge)
    with pytest.raises(YamlProblem, match="larger than 1 MiB"):
        read_file(huge, limit=1024 * 1024)


def test_a_fifo_or_device_in_a_story_folder_is_an_error_not_a_hang(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + "scenes:\n  a: {text: A, end: E}\n"})
    assert result.ok
    folder = tmp_path / "story"
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    result = load_story(folder, display="story")
    found = sorted((d.path, d.code, d.message) for d in result.diagnostics)
    assert [(path, code) for path, code, _ in found] == [
        ("story/pipe.yaml", "E001"), ("story/zero.yaml", "E001")]
    assert all("not a regular file" in message for *_, message in found)


def test_positions_are_found_again_by_re_reading_the_file(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + "scenes:\n  a:\n    text: A\n    end: E\n"})
    smap = result.source_map
    pos = smap.scene("a", "end")
    assert pos is not None and (pos.path, pos.line, pos.col) == ("story/story.yaml", 7, 10)
    key = smap.key("a", "end")
    assert key is not None and (key.line, key.col) == (7, 5)


def test_a_file_changed_after_loading_gives_no_position_rather_than_a_wrong_one(
        tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + "scenes:\n  a:\n    text: A\n    end: E\n"})
    (tmp_path / "story" / "story.yaml").write_text(
        HEADER + "\n\nscenes:\n  a:\n    text: A\n    end: E\n", encoding="utf-8")
    assert result.source_map.scene("a", "end") is None


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("text", "line", "col", "what"), [
    ('a: 1\ntitle: "My story\nb: 2\nc: 3\n', 2, 8, "a quoted scalar"),
    ("a: 1\nb: 'x\n", 2, 4, "a quoted scalar"),
    ("a: 1\nb: [1, 2\n\n\n", 2, 4, "a flow sequence"),
    ("a: 1\nb: {x: 1", 2, 4, "a flow mapping"),
])
def test_a_quote_or_bracket_never_closed_is_shown_where_it_opens(
        reader: object, text: str, line: int, col: int, what: str) -> None:
    """libyaml finds it only at the end of the file; the author needs the opening."""
    found = problem(text, reader)
    assert (found.code, found.line, found.col) == ("E001", line, col)
    assert found.message.startswith(f"YAML syntax error: {what} starts here and is never closed")
    assert found.hint is not None


@pytest.mark.parametrize("reader", READERS)
def test_other_syntax_errors_stay_where_libyaml_finds_them(reader: object) -> None:
    found = problem("a: 1\nb: [1, 2\nc: 3\n", reader)  # a bracket left open mid-file
    assert (found.line, found.col) == (3, 2) and "did not find expected ',' or ']'" in found.message
    found = problem("a:\n  - 1\n - 2\n", reader)
    assert (found.line, found.col) == (3, 2) and "block mapping" in found.message
