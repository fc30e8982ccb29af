"""Hostile expressions get a clean ExprError, quickly, and nothing is executed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from carnet.engine.expr import (
    MAX_DEPTH,
    MAX_SOURCE_CHARS,
    Binary,
    ExprError,
    Lit,
    Unary,
    Var,
    evaluate,
    infer_type,
    parse_effect,
    parse_expression,
    postorder,
    scenes_read,
    to_source,
    variables_read,
    walk,
)

HOSTILE = [
    # (source, offset, message)
    ("__import__('os')", 0, "'__import__(...)': the only function is visits(scene)"),
    (
        "__import__('os').system('rm -rf /')",
        0,
        "'__import__(...)': the only function is visits(scene)",
    ),
    ("().__class__", 1, "expected an expression after '('"),
    ("a.__class__.__bases__", 1, "'.' is not supported (no attributes)"),
    ("a.b", 1, "'.' is not supported (no attributes)"),
    ("9**9**9", 1, "'**' is not supported"),
    ("x[0]", 1, "'[' is not supported (no indexing)"),
    ("lambda: 1", 6, "unexpected character ':'"),
    ('"a" * 10**9', 4, "'*' is not supported"),
    ("a\x00b", 1, "control character U+0000 is not allowed"),
    ("\x00", 0, "control character U+0000 is not allowed"),
    ("ñame", 0, "'ñ' is not allowed in a name"),
    ("nａme", 1, "'ａ' is not allowed in a name"),  # a fullwidth letter
    ("a\u200bb", 1, "unexpected character U+200B"),  # zero-width space
    ("coins\u2028> 1", 5, "unexpected character U+2028"),
    ("eval('1')", 0, "'eval(...)': the only function is visits(scene)"),
    ("visits(__import__('os'))", 17, "expected ')' after the scene name"),
    ("f'{x}'", 1, "unexpected string '{x}'"),
    ("1_000", 0, "'1_000' is neither a number nor a name"),
    ("0x10", 0, "'0x10' is neither a number nor a name"),
    ("1e308", 0, "'1e308' is neither a number nor a name"),
    ("9" * 19, 0, "integer literal is longer than 18 digits"),
    ("9" * 999, 0, "integer literal is longer than 18 digits"),
    ("'" + "a" * 998, 0, "unterminated string"),
]


@pytest.mark.parametrize(("source", "offset", "message"), HOSTILE)
def test_hostile_inputs_raise_expr_error(source, offset, message):
    with pytest.raises(ExprError) as info:
        parse_expression(source)
    assert (info.value.offset, info.value.message) == (offset, message)


@pytest.mark.parametrize("source", ["x = __import__('os')", "x = a.b", "x += 9**9", "x = y[0]"])
def test_hostile_effects_raise_expr_error(source):
    with pytest.raises(ExprError):
        parse_effect(source)


@pytest.mark.parametrize(
    "source",
    [
        "a" * 100_000,
        "(" * 10_000 + "a" + ")" * 10_000,
        "not " * 30_000 + "a",
        "1" + "+1" * 50_000,
        "'" + "x" * 100_000 + "'",
        "\x00" * 100_000,
    ],
)
def test_too_long_is_refused_before_lexing(source):
    for parse in (parse_expression, parse_effect):
        with pytest.raises(ExprError) as info:
            parse(source)
        assert info.value.offset == MAX_SOURCE_CHARS
        assert info.value.message == "expression is longer than 1000 characters"


def test_exactly_the_length_limit_is_accepted():
    source = "a" + " " * (MAX_SOURCE_CHARS - 1)
    assert parse_expression(source).root == Var("a")


@pytest.mark.parametrize(
    ("opener", "closer", "levels", "offset"),
    [
        # (one level's text, its closer, levels that fit, offset of the first level too many)
        ("(", ")", 32, 32),
        ("not ", "", 32, 128),
        ("-", "", 32, 32),
        ("(not ", ")", 16, 80),  # '(' and 'not' count one level each
        ("(-", ")", 16, 32),
    ],
)
def test_nesting_deeper_than_the_limit_is_refused(opener, closer, levels, offset):
    parse_expression(opener * levels + "1" + closer * levels)
    deep = opener * (levels + 1) + "1" + closer * (levels + 1)
    with pytest.raises(ExprError) as info:
        parse_expression(deep)
    assert info.value.message == f"expression is nested more than {MAX_DEPTH} levels deep"
    assert info.value.offset == offset


def test_unbalanced_parentheses_within_the_length_limit():
    with pytest.raises(ExprError) as info:
        parse_expression("(" * 500 + "a")
    assert info.value.offset == MAX_DEPTH
    with pytest.raises(ExprError) as info:
        parse_expression("a" + ")" * 500)
    assert info.value.message == "unexpected ')'"


def test_long_flat_chains_parse_and_evaluate():
    # Flat chains are not nesting: 500 operands parse, and the helpers cope
    # with the 500-deep left spine without recursion.
    root = parse_expression("1" + "+1" * 499).root
    assert evaluate(root, {}, {}) == 500
    assert len(list(walk(root))) == 999
    assert infer_type(root, {}) == ("int", [])
    assert to_source(root) == "1" + " + 1" * 499


def test_hand_built_trees_far_deeper_than_the_recursion_limit():
    depth = 20_000
    chain: Binary | Var = Var("x")
    for _ in range(depth):
        chain = Binary("-", chain, Lit(1))
    assert evaluate(chain, {"x": depth}, {}) == 0
    assert infer_type(chain, {"x": "int"}) == ("int", [])
    assert sum(1 for _ in walk(chain)) == 2 * depth + 1
    assert sum(1 for _ in postorder(chain)) == 2 * depth + 1
    assert variables_read(chain) == {"x"}
    assert scenes_read(chain) == frozenset()
    assert to_source(chain).endswith("- 1 - 1")

    nots: Unary | Lit = Lit(True)
    for _ in range(depth):
        nots = Unary("not", nots)
    assert evaluate(nots, {}, {}) is True
    assert to_source(nots).startswith("not not not")


def test_hostile_strings_are_plain_data():
    tree = parse_expression('name == \'__import__("os").system("x")\'').root
    assert evaluate(tree, {"name": "nope"}, {}) is False


ENGINE_EXPR = Path(__file__).resolve().parent.parent / "engine" / "expr"


def test_no_eval_exec_compile_or_ast_in_the_expression_package():
    forbidden = re.compile(r"\b(eval|exec|compile|__import__)\s*\(|\bimport ast\b|\bfrom ast\b")
    files = sorted(ENGINE_EXPR.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        assert not forbidden.search(path.read_text(encoding="utf-8")), path.name
