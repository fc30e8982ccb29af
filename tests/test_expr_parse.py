"""Parsing conditions and effects: trees, positions, canonical text, errors."""

from __future__ import annotations

import pytest

from carnet.engine.expr import (
    Binary,
    Effect,
    ExprError,
    Lit,
    Unary,
    Var,
    Visits,
    effect_reads,
    parse_effect,
    parse_expression,
    scenes_read,
    start_offset,
    to_source,
    variables_read,
    walk,
)

a, b, c = Var("a"), Var("b"), Var("c")

TREES = [
    ("42", Lit(42)),
    ("007", Lit(7)),
    ("true", Lit(True)),
    ("false", Lit(False)),
    ('"hi"', Lit("hi")),
    ("'hi'", Lit("hi")),
    ("''", Lit("")),
    (r'"a\"b\'c\\d\ne"', Lit("a\"b'c\\d\ne")),
    (r"'it\'s'", Lit("it's")),
    ('"Zoë"', Lit("Zoë")),
    ("has_lamp", Var("has_lamp")),
    ("_x9", Var("_x9")),
    ("visits(shore)", Visits("shore")),
    ("visits ( shore )", Visits("shore")),
    ("visits(and)", Visits("and")),  # scene ids may be keywords
    ("not a", Unary("not", a)),
    ("-a", Unary("-", a)),
    ("--1", Unary("-", Unary("-", Lit(1)))),
    ("a and b", Binary("and", a, b)),
    ("a or b and c", Binary("or", a, Binary("and", b, c))),
    ("(a or b) and c", Binary("and", Binary("or", a, b), c)),
    ("a or b or c", Binary("or", Binary("or", a, b), c)),
    ("a and b and c", Binary("and", Binary("and", a, b), c)),
    ("not a and b", Binary("and", Unary("not", a), b)),
    ("not a == b", Unary("not", Binary("==", a, b))),
    ("a - b - c", Binary("-", Binary("-", a, b), c)),
    ("a - (b - c)", Binary("-", a, Binary("-", b, c))),
    ("-a + b", Binary("+", Unary("-", a), b)),
    ("a + -b", Binary("+", a, Unary("-", b))),
    ("a + b == c", Binary("==", Binary("+", a, b), c)),
    ("a != b", Binary("!=", a, b)),
    ("a < b", Binary("<", a, b)),
    ("a <= b", Binary("<=", a, b)),
    ("a > b", Binary(">", a, b)),
    ("a >= b", Binary(">=", a, b)),
    ("a<=-1", Binary("<=", a, Unary("-", Lit(1)))),
    ("((a))", a),
    (" \t\na\r\n", a),
    (
        "has_lamp and visits(shore) >= 2",
        Binary("and", Var("has_lamp"), Binary(">=", Visits("shore"), Lit(2))),
    ),
    ("true or not false", Binary("or", Lit(True), Unary("not", Lit(False)))),
]


@pytest.mark.parametrize(("source", "tree"), TREES)
def test_parses_to_the_expected_tree(source, tree):
    expr = parse_expression(source)
    assert expr.root == tree
    assert expr.source == source


def test_eighteen_digit_literal_is_the_limit():
    assert parse_expression("9" * 18).root == Lit(10**18 - 1)


def test_positions_are_first_character_and_binary_is_its_operator():
    root = parse_expression("not (ab + 'x') == visits(s)").root
    assert isinstance(root, Unary)
    assert root.pos == 0
    cmp = root.operand
    assert isinstance(cmp, Binary)
    assert cmp.pos == 15  # the '=='
    plus = cmp.left
    assert isinstance(plus, Binary)
    assert plus.pos == 8
    assert (plus.left.pos, plus.right.pos) == (5, 10)
    assert cmp.right.pos == 18
    assert start_offset(cmp) == 5
    assert start_offset(root) == 0


def test_equal_trees_ignore_spacing():
    assert parse_expression("a+1").root == parse_expression("  a  +  1 ").root


@pytest.mark.parametrize(
    ("source", "var", "op", "value", "var_pos"),
    [
        ("coins = 3", "coins", "=", Lit(3), 0),
        ("coins += 1", "coins", "+=", Lit(1), 0),
        ("  coins -= a + 1", "coins", "-=", Binary("+", a, Lit(1)), 2),
        ("has_lamp = coins > 1", "has_lamp", "=", Binary(">", Var("coins"), Lit(1)), 0),
        ("n = -1", "n", "=", Unary("-", Lit(1)), 0),
        ("name = 'Ada'", "name", "=", Lit("Ada"), 0),
    ],
)
def test_effects(source, var, op, value, var_pos):
    effect = parse_effect(source)
    assert effect == Effect(source, var, op, value)
    assert effect.var_pos == var_pos


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("a+b", "a + b"),
        ("(a + b) + c", "a + b + c"),
        ("a + (b + c)", "a + (b + c)"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a or b) and c", "(a or b) and c"),
        ("a or (b and c)", "a or b and c"),
        ("not(a)", "not a"),
        ("not (a and b)", "not (a and b)"),
        ("(not a) == b", "(not a) == b"),
        ("a == (not b)", "a == (not b)"),
        ("(a == b) == c", "(a == b) == c"),
        ("-(a + b)", "-(a + b)"),
        ("- - a", "--a"),
        ("visits( x )", "visits(x)"),
        ("'it\\'s'", '"it\'s"'),
        ('"a\\\\b\\n"', '"a\\\\b\\n"'),
        ("TRUE", "TRUE"),
    ],
)
def test_to_source_is_canonical(source, canonical):
    tree = parse_expression(source).root
    assert to_source(tree) == canonical
    assert parse_expression(canonical).root == tree


def test_to_source_of_expression_and_effect():
    assert to_source(parse_expression("(a)")) == "a"
    assert to_source(parse_effect("x+=(1)")) == "x += 1"


ERRORS = [
    # (source, offset, message)
    ("", 0, "the expression is empty"),
    ("   ", 3, "the expression is empty"),
    (")", 0, "unexpected ')'"),
    ("a)", 1, "unexpected ')'"),
    ("a and", 5, "expected an expression after 'and'"),
    ("a or )", 5, "expected an expression after 'or'"),
    ("not", 3, "expected an expression after 'not'"),
    ("1 +", 3, "expected an expression after '+'"),
    ("a == ", 5, "expected an expression after '=='"),
    ("()", 1, "expected an expression after '('"),
    ("(a", 0, "'(' is never closed"),
    ("((a)", 0, "'(' is never closed"),
    ("(a b)", 3, "unexpected 'b'"),
    ("a b", 2, "unexpected 'b'"),
    ("a 'x'", 2, "unexpected string 'x'"),
    ("a " + "b" * 30, 2, "unexpected 'bbbbbbbbbbbbbbbbb...'"),
    ("a = 1", 2, "'=' is not a comparison; did you mean '=='?"),
    ("(a = 1)", 3, "'=' is not a comparison; did you mean '=='?"),
    ("a += 1", 2, "'+=' changes a variable; a condition cannot"),
    ('"abc', 0, "unterminated string"),
    ("x == 'abc\\'", 5, "unterminated string"),
    ("'a\\", 0, "unterminated string"),
    ("'a\\tb'", 2, "unknown escape '\\t'"),
    ("'a\nb'", 2, "a string cannot span lines"),
    ("a ** 2", 2, "'**' is not supported"),
    ("a * 2", 2, "'*' is not supported"),
    ("a / 2", 2, "'/' is not supported"),
    ("a % 2", 2, "'%' is not supported"),
    ("a && b", 2, "'&&' is not supported; use 'and'"),
    ("a || b", 2, "'||' is not supported; use 'or'"),
    ("!a", 0, "'!' is not supported; use 'not'"),
    ("a.b", 1, "'.' is not supported (no attributes)"),
    ("x[0]", 1, "'[' is not supported (no indexing)"),
    ("{coins} > 1", 0, "'{' is not supported"),
    ("f(x)", 0, "'f(...)': the only function is visits(scene)"),
    ("a and len(b)", 6, "'len(...)': the only function is visits(scene)"),
    ("a < b < c", 6, "comparisons cannot be chained"),
    ("a == b != c", 7, "comparisons cannot be chained"),
    ("visits()", 7, "visits() needs exactly one scene name"),
    ("visits(a, b)", 8, "visits() needs exactly one scene name"),
    ("visits(a b)", 9, "visits() needs exactly one scene name"),
    ("visits(1)", 7, "visits() needs exactly one scene name"),
    ("visits('a')", 7, "visits() takes a scene id, not a string"),
    ("visits", 6, "expected '(' after 'visits'"),
    ("visits + 1", 7, "expected '(' after 'visits'"),
    ("visits(a", 8, "expected ')' after the scene name"),
    ("1234567890123456789", 0, "integer literal is longer than 18 digits"),
    ("1.5", 0, "only whole numbers are supported"),
    ("x > 1abc", 4, "'1abc' is neither a number nor a name"),
    ("a ; b", 2, "unexpected character ';'"),
    ("café", 3, "'é' is not allowed in a name"),
    ("été", 0, "'é' is not allowed in a name"),
    ("a\u00a0and b", 1, "unexpected character U+00A0"),
    ("a\x00", 1, "control character U+0000 is not allowed"),
    ("'a\x00'", 2, "control character U+0000 is not allowed"),
]


@pytest.mark.parametrize(("source", "offset", "message"), ERRORS)
def test_syntax_errors(source, offset, message):
    with pytest.raises(ExprError) as info:
        parse_expression(source)
    assert info.value.message == message
    assert info.value.offset == offset
    assert str(info.value) == message


def test_errors_come_in_source_order():
    # The parse error at offset 2 wins over the bad character at offset 4.
    with pytest.raises(ExprError) as info:
        parse_expression("a b . c")
    assert info.value.offset == 2


def test_hints_where_they_help():
    with pytest.raises(ExprError) as info:
        parse_expression("visits('cellar')")
    assert info.value.hint == "write visits(cellar) without quotes"
    with pytest.raises(ExprError) as info:
        parse_expression("a < b < c")
    assert info.value.hint is not None and "and" in info.value.hint


EFFECT_ERRORS = [
    ("", 0, "the effect is empty"),
    ("= 1", 0, "an effect starts with the name of a variable"),
    ("1 = 1", 0, "an effect starts with the name of a variable"),
    ("true = 1", 0, "'true' is a keyword, not a variable name"),
    ("visits = 1", 0, "'visits' is a keyword, not a variable name"),
    ("x", 1, "expected '=', '+=' or '-=' after 'x'"),
    ("x + 1", 2, "expected '=', '+=' or '-=' after 'x'"),
    ("x == 1", 2, "'==' compares; to set a variable use '='"),
    ("f(1)", 0, "'f(...)': the only function is visits(scene)"),
    ("x = ", 4, "expected an expression after '='"),
    ("x += ", 5, "expected an expression after '+='"),
    ("x = 1 = 2", 6, "'=' is not a comparison; did you mean '=='?"),
    ("x = 1 y", 6, "unexpected 'y'"),
    ("x.y = 1", 1, "'.' is not supported (no attributes)"),
]


@pytest.mark.parametrize(("source", "offset", "message"), EFFECT_ERRORS)
def test_effect_errors(source, offset, message):
    with pytest.raises(ExprError) as info:
        parse_effect(source)
    assert (info.value.offset, info.value.message) == (offset, message)


def test_walk_is_preorder_left_to_right():
    root = parse_expression("not a or b == visits(s)").root
    kinds = [
        type(n).__name__ + ":" + str(getattr(n, "name", getattr(n, "op", ""))) for n in walk(root)
    ]
    assert kinds == ["Binary:or", "Unary:not", "Var:a", "Binary:==", "Var:b", "Visits:"]


def test_names_read():
    root = parse_expression("a and visits(x) > b + a or visits(y) == visits(x)").root
    assert variables_read(root) == {"a", "b"}
    assert scenes_read(root) == {"x", "y"}
    assert variables_read(Lit(1)) == frozenset()


def test_effect_reads_its_target_only_when_updating():
    assert effect_reads(parse_effect("x = y + 1")) == {"y"}
    assert effect_reads(parse_effect("x += y")) == {"x", "y"}
    assert effect_reads(parse_effect("x -= 1")) == {"x"}
