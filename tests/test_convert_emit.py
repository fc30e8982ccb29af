"""emit.py: YAML that loads back to exactly the strings that were written."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.engine.text import escape_braces, join_paragraphs
from carnet.engine.yamlio import read_yaml
from carnet.tools.convert.writing.emit import (
    DRAFTS_FILE,
    STORY_FILE,
    Provenance,
    dump,
    emit,
    story_body,
)
from carnet.tools.convert.writing.graph import Plan, PlanChoice, PlanScene, PlanVariable

LOADERS = (yaml.SafeLoader, yaml.CSafeLoader)

# Any text without surrogates: the converter never sees those (it reads UTF-8 bytes).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
line_text = any_text.filter(lambda s: s.strip() != "")
# Text made of what YAML syntax is made of, so the literal and plain paths are hit often.
yamlish = st.text(alphabet=" \n\tab:#-'\"{}|>?,[]&*!%@`é漢🎭\x85\u2028\ufeff0.~", min_size=1,
                  max_size=40).filter(lambda s: s.strip() != "")


def tiny_plan(text: tuple[str, ...], choice: str, title: str, label: str) -> Plan:
    return Plan(
        title=title,
        start="a",
        variables=(PlanVariable("met_x", set_in="a", read_in="a"),),
        scenes=(
            PlanScene("a", text, choices=(
                PlanChoice(choice, "b", effects=("met_x = true",), canon=True),
                PlanChoice("Other", "b", condition="met_x"),
            )),
            PlanScene("b", ("The end.",), ending=label, role="alternative"),
        ),
        choice_points=(),
    )


def load_all(body: str) -> list[object]:
    """The body as every loader the project uses reads it."""
    return [yaml.load(body, Loader=loader) for loader in LOADERS] + [read_yaml(body).data]


@settings(deadline=None)
@given(
    text=st.lists(st.one_of(line_text, yamlish), min_size=1, max_size=3),
    choice=st.one_of(line_text, yamlish),
    title=st.one_of(line_text, yamlish),
    label=st.one_of(line_text, yamlish),
)
def test_every_string_loads_back_exactly(
    text: list[str], choice: str, title: str, label: str
) -> None:
    plan = tiny_plan(tuple(text), choice, title, label)
    files = emit(plan, Provenance("in/x.txt", "ab" * 32))
    for data in load_all(files[STORY_FILE]):
        assert isinstance(data, dict)
        assert data["title"] == title
        scene = data["scenes"]["a"]
        assert scene["text"] == join_paragraphs([escape_braces(p) for p in text])
        assert scene["choices"][0]["text"] == escape_braces(choice)
        assert scene["choices"][0]["do"] == ["met_x = true"]
        assert scene["choices"][1]["if"] == "met_x"
    for data in load_all(files[DRAFTS_FILE]):
        assert isinstance(data, dict)
        assert data["scenes"]["b"]["end"] == label  # labels are not interpolated: not escaped
        assert data["scenes"]["b"]["draft"] is True


TRICKY = [
    "trailing spaces   ",
    "a tab\there and one at the end\t",
    "    indented four spaces",
    "\tindented with a tab",
    "She said: \"yes\" and 'no'",
    "key: value # not a comment",
    "# starts like a comment",
    "- starts like a list item",
    "---",
    "Ünïcödé, 漢字, emoji 🎭, dash – and — ",
    "braces {name} and {{double}} and } alone",
    "two lines\nin one paragraph",
    "line ending in a space \nthen more",
    "next line\x85and line separator\u2028and paragraph\u2029",
    "true",
    "123",
    "null",
]


def test_tricky_paragraphs_round_trip_through_every_loader() -> None:
    plan = tiny_plan(tuple(TRICKY), "Go: now # really", "Title: with colon", "End {x}")
    body = story_body(plan, None)
    for data in load_all(body):
        assert isinstance(data, dict)
        assert data["scenes"]["a"]["text"] == join_paragraphs([escape_braces(p) for p in TRICKY])
        assert data["scenes"]["a"]["choices"][0]["text"] == "Go: now # really"
        assert data["title"] == "Title: with colon"


def test_plain_prose_is_a_literal_block() -> None:
    plan = tiny_plan(("First paragraph, with a comma.", "Second: with a colon."), "Go", "T", "E")
    body = story_body(plan, None)
    expected = "    text: |-\n      First paragraph, with a comma.\n\n      Second: with a colon.\n"
    assert expected in body


def test_one_line_text_is_still_a_literal_block() -> None:
    plan = tiny_plan(("Only one line.",), "Go", "T", "E")
    assert "    text: |-\n      Only one line.\n" in story_body(plan, None)


def test_text_a_literal_block_cannot_hold_exactly_is_quoted() -> None:
    for paragraphs in (("  indented", "plain"), ("trailing space ",), ("x\u2028y",),
                       ("\tleading tab",), ("bell\x07",)):
        body = story_body(tiny_plan(paragraphs, "Go", "T", "E"), None)
        assert '    text: "' in body
        for data in load_all(body):
            assert data["scenes"]["a"]["text"] == "\n\n".join(paragraphs)  # type: ignore[index]


def test_indented_later_lines_stay_in_the_literal_block() -> None:
    body = story_body(tiny_plan(("first line\n    indented line",), "Go", "T", "E"), None)
    assert "    text: |-\n      first line\n          indented line\n" in body
    assert yaml.safe_load(body)["scenes"]["a"]["text"] == "first line\n    indented line"


def test_story_yaml_key_order_and_no_anchors() -> None:
    plan = tiny_plan(("x",), "Go", "T", "E")
    body = story_body(plan, Provenance("seeds/a.txt", "0" * 64))
    keys = [line.split(":")[0] for line in body.splitlines() if line and not line[0].isspace()]
    assert keys == ["carnet", "title", "start", "source", "vars", "scenes"]
    assert yaml.safe_load(body)["source"] == {"path": "seeds/a.txt", "sha256": "0" * 64}
    shared = ["same list"]
    dumped = dump({"a": shared, "b": shared})
    assert "&" not in dumped and "*" not in dumped


def test_no_drafts_file_without_drafts() -> None:
    plan = Plan("T", "a", (), (PlanScene("a", ("x",), ending="E"),), ())
    assert list(emit(plan, None)) == [STORY_FILE]


def test_long_lines_are_not_folded() -> None:
    long = " ".join(["word"] * 400)
    plan = tiny_plan((long,), "Go", "T", "E")
    body = story_body(plan, None)
    assert f"      {long}\n" in body


def test_emit_is_deterministic() -> None:
    plan = tiny_plan(tuple(TRICKY), "Go", "T", "E")
    assert emit(plan, Provenance("p", "1" * 64)) == emit(plan, Provenance("p", "1" * 64))
