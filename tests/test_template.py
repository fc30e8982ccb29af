"""Text that follows the state: parsing {if ...} into parts, and rendering them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carnet.engine.expr.nodes import Value
from carnet.engine.template import (
    MAX_NESTING,
    Block,
    Conditional,
    TemplateError,
    VarRef,
    paragraph_spans,
    parse_template,
    render,
    render_blocks,
)
from carnet.engine.text import split_paragraphs

VARS: dict[str, Value] = {"lit": False, "n": 0, "name": "Wren"}


def show(text: str, visits: dict[str, int] | None = None, **values: Value) -> str:
    return render(parse_template(text), {**VARS, **values}, visits or {})


def test_plain_text_is_one_part_and_renders_as_written() -> None:
    template = parse_template("Just prose: a | b.")
    assert template.parts == ("Just prose: a | b.",)
    assert template.plain == "Just prose: a | b."
    assert show("Just prose: a | b.") == "Just prose: a | b."


def test_if_else_follows_the_variable() -> None:
    text = "The square is {if lit: bright with lamplight | else: all shadow}."
    assert show(text) == "The square is all shadow."
    assert show(text, lit=True) == "The square is bright with lamplight."


def test_elif_branches_are_tried_in_order() -> None:
    text = "{if n > 2: many | elif n > 0: some | elif n == 0: none | else: negative}"
    assert [show(text, n=v) for v in (5, 1, 0, -1)] == ["many", "some", "none", "negative"]


def test_if_without_else_shows_nothing_when_false() -> None:
    assert show("a{if lit: b}c") == "ac"
    assert show("a{if lit: b}c", lit=True) == "abc"


def test_whitespace_after_colon_and_before_bar_or_brace_is_trimmed() -> None:
    text = "[{if lit:   on   |   else:\n off \n}]"
    assert show(text) == "[off]"
    assert show(text, lit=True) == "[on]"


def test_interpolation_and_nesting_inside_branches() -> None:
    text = "{if lit: Evening, {name}{if n > 0: , again}. | else: Hello.}"
    assert show(text, lit=True) == "Evening, Wren."
    assert show(text, lit=True, n=1) == "Evening, Wren, again."
    assert show(text) == "Hello."
    template = parse_template(text)
    (cond,) = template.parts
    assert isinstance(cond, Conditional)
    assert VarRef("name") in cond.branches[0].parts


def test_nested_conditionals_may_close_together() -> None:
    assert show("{if lit: x{if n > 0: y}}", lit=True, n=1) == "xy"
    assert show("{if lit: x{if n > 0: y}}z", lit=True) == "xz"


def test_double_braces_stay_literal() -> None:
    assert show("{{name}} is {name}") == "{name} is Wren"
    # inside a conditional, } always closes it: only {{ is an escape there
    assert show("{if lit: a {{ b | else: none}", lit=True) == "a { b"
    with pytest.raises(TemplateError, match="stray"):
        parse_template("{if lit: {{x}} | else: none}")


def test_colon_inside_a_quoted_string_does_not_end_the_condition() -> None:
    text = "{if name == \"a:b\": odd | else: plain}"
    assert show(text) == "plain"
    assert show(text, name="a:b") == "odd"


def test_visits_in_a_condition() -> None:
    text = "{if visits(square) > 1: Back again.}"
    assert show(text, {"square": 1}) == ""
    assert show(text, {"square": 2}) == "Back again."


def test_names_and_conditions_carry_their_offsets_in_the_source() -> None:
    source = "One.\n\nTwo {name} {if lit: x}."
    (_, _), (at, second) = paragraph_spans(source)
    template = parse_template(second, source=source, base=at)
    assert template.names == (("name", source.index("name}")),)
    ((expr, offset),) = template.conditions
    assert expr.source == "lit" and offset == source.index("lit")


@pytest.mark.parametrize("text", [
    "One", "\n\nOne\n\n\n  Two, indented.\n\n", "a\n \nb\n\t\n\nc", "", "\n\n", "x\n",
])
def test_paragraph_spans_agree_with_split_paragraphs(text: str) -> None:
    spans = list(paragraph_spans(text))
    assert tuple(p for _, p in spans) == split_paragraphs(text)
    for offset, paragraph in spans:
        assert text[offset:offset + len(paragraph)] == paragraph


@pytest.mark.parametrize(("text", "message", "at"), [
    ("a {if lit: b", "'{if' is not closed", 2),
    ("a {if lit b}", "expected ':' after the condition", 11),
    ("a {if : b}", "the condition is empty", 6),
    ("{if lit: a | else: b | c}", "nothing can follow the 'else' branch", 21),
    ("{if lit: a | b}", "expected 'elif CONDITION:' or 'else:' after '|'", 13),
    ("{if n >> 1: a}", "expected an expression after '>'", 7),
    ("a { b", "stray '{' in text", 2),
    ("a {b c} d", "stray '{b c}' in text", 2),
    ("a {b {c}", "stray '{' in text", 2),
    ("a } b", "stray '}' in text", 2),
])
def test_syntax_errors_name_the_offset(text: str, message: str, at: int) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(text)
    assert caught.value.offset == at
    assert caught.value.message == message
    in_condition = message.startswith(("expected an", "expected ':'", "the condition"))
    assert caught.value.code == ("E009" if in_condition else "E007")


def test_nesting_is_limited() -> None:
    deep = "{if lit: " * (MAX_NESTING + 1) + "x" + "}" * (MAX_NESTING + 1)
    with pytest.raises(TemplateError, match="nested more than"):
        parse_template(deep)
    ok = "{if lit: " * MAX_NESTING + "x" + "}" * MAX_NESTING
    assert show(ok, lit=True) == "x"


def test_render_blocks_picks_branches_and_drops_blank_paragraphs() -> None:
    lit = parse_template("lit").conditions  # no conditions in plain text
    assert lit == ()
    cond = parse_template("{if lit: x}").conditions[0][0]
    blocks = (
        Block((parse_template("Always."),)),
        Block((parse_template("On."),), cond, (parse_template("Off."),)),
        Block((parse_template("{if lit: only when lit}"),)),
    )
    assert render_blocks(blocks, VARS, {}) == ("Always.", "Off.")
    assert render_blocks(blocks, {**VARS, "lit": True}, {}) == ("Always.", "On.",
                                                                  "only when lit")


PIECES = [*"{}|:'\"\\ \nabx", "{if ", "| else: ", "| elif ", "{x}", "lit", " and ", "{{", "}}"]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_any_text_compiles_or_raises_template_error(text: str) -> None:
    try:
        template = parse_template(text)
    except TemplateError as err:
        assert 0 <= err.offset <= len(text)
        assert err.code in ("E007", "E009")
        return
    # every name a bool, so every condition the parser accepts evaluates
    rendered = render(template, {"x": True, "lit": True, "a": True, "b": False}, {})
    assert isinstance(rendered, str)
    if "{" not in text and "}" not in text:
        assert rendered == text
