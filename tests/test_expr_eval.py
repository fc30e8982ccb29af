"""Evaluating conditions and applying effects."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from carnet.engine.expr import (
    MAX_STRING_CHARS,
    Binary,
    EvalError,
    Lit,
    Unary,
    Var,
    apply_effect,
    evaluate,
    evaluate_condition,
    parse_effect,
    parse_expression,
)
from carnet.engine.limits import MAX_INT

VARS = {"lamp": True, "wet": False, "coins": 3, "name": "Ada", "empty": ""}
VISITS = {"shore": 2, "tower": 1}


def run(source, vars=VARS, visits=VISITS):
    return evaluate(parse_expression(source).root, vars, visits)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("42", 42),
        ("-coins", -3),
        ("--coins", 3),
        ("coins + 2", 5),
        ("coins - 5", -2),
        ("10 - 3 - 2", 5),  # left-associative
        ("10 - (3 - 2)", 9),
        ("name + '!'", "Ada!"),
        ("empty + empty", ""),
        ("lamp", True),
        ("not lamp", False),
        ("not not lamp", True),
        ("lamp and wet", False),
        ("lamp or wet", True),
        ("wet or wet", False),
        ("lamp and not wet", True),
        ("wet or lamp and wet", False),  # and binds tighter
        ("coins == 3", True),
        ("coins != 3", False),
        ("coins < 3", False),
        ("coins <= 3", True),
        ("coins > 2", True),
        ("coins >= 4", False),
        ("-1 < 0", True),
        ("name == 'Ada'", True),
        ('name == "ada"', False),
        ("lamp == true", True),
        ("wet != false", False),
        ("visits(shore)", 2),
        ("visits(tower) + visits(shore)", 3),
        ("visits(cellar)", 0),
        ("visits(shore) >= 2 and lamp", True),
        ("999999999999999999 + 0", 999999999999999999),
        ("-999999999999999999 - 0", -999999999999999999),
    ],
)
def test_values(source, expected):
    result = run(source)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("wet and missing", False),
        ("lamp or missing", True),
        ("wet and 1 + true", False),
        ("lamp or not 5", True),
        ("(wet and missing) or lamp", True),
    ],
)
def test_and_or_short_circuit(source, expected):
    # The right side would raise if it were evaluated.
    assert run(source) is expected


@pytest.mark.parametrize("source", ["lamp and missing", "wet or missing"])
def test_right_side_runs_when_it_decides(source):
    with pytest.raises(EvalError, match="unknown variable 'missing'"):
        run(source)


def test_visits_accepts_any_mapping():
    assert run("visits(shore)", visits=MappingProxyType({"shore": 7})) == 7


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing", "unknown variable 'missing'"),
        ("coins + lamp", "'+' adds two ints or joins two strings, not int and bool"),
        ("name + coins", "'+' adds two ints or joins two strings, not str and int"),
        ("lamp + lamp", "'+' adds two ints or joins two strings, not bool and bool"),
        ("not coins", "'not' needs a bool, not int 3"),
        ("-name", "'-' needs an int, not str 'Ada'"),
        ("-lamp", "'-' needs an int, not bool true"),
        ("coins and lamp", "'and' needs a bool, not int 3"),
        ("wet or name", "'or' needs a bool, not str 'Ada'"),
        ("name < 'B'", "'<' needs an int, not str 'Ada'"),
        ("coins - lamp", "'-' needs an int, not bool true"),
        ("coins == name", "'==' compares two values of one type, not int and str"),
    ],
)
def test_wrongly_typed_trees_raise_eval_error(source, message):
    with pytest.raises(EvalError) as info:
        run(source)
    assert info.value.message == message


def test_bool_is_not_one():
    # Python says True == 1 and True + 1 == 2; carnet refuses both.
    with pytest.raises(EvalError):
        run("lamp == 1")
    with pytest.raises(EvalError):
        run("lamp + 1")
    with pytest.raises(EvalError):
        run("lamp < 2")


def test_hand_built_trees_with_foreign_values_raise_eval_error():
    with pytest.raises(EvalError, match="float"):
        evaluate(Binary("+", Lit(1.5), Lit(1)), {}, {})  # type: ignore[arg-type]
    with pytest.raises(EvalError, match="variable 'x' holds NoneType"):
        evaluate(Var("x"), {"x": None}, {})  # type: ignore[dict-item]


def test_string_growth_is_bounded():
    half = "x" * (MAX_STRING_CHARS // 2)
    assert len(run("s + s", vars={"s": half})) == MAX_STRING_CHARS
    with pytest.raises(EvalError, match="string over"):
        run("s + s + 'y'", vars={"s": half})


def test_huge_int_in_a_message_does_not_crash():
    # repr() of an int over 4300 digits raises ValueError in Python 3.11+.
    with pytest.raises(EvalError, match="bits"):
        evaluate(Unary("not", Var("n")), {"n": 10**5000}, {})


@pytest.mark.parametrize(
    "source",
    ["999999999999999999 + 1", "-999999999999999999 - 1", "0 - 999999999999999999 - 1",
     "n + n"],
)
def test_integers_are_capped_at_18_digits(source):
    with pytest.raises(EvalError, match="beyond the limit of 999,999,999,999,999,999"):
        run(source, vars={"n": 600_000_000_000_000_000})


@pytest.mark.parametrize(("source", "start"), [("n += 1", MAX_INT), ("n -= 1", -MAX_INT),
                                               ("n = n + n", MAX_INT // 2 + 1)])
def test_effects_cannot_grow_an_integer_past_the_cap(source, start):
    with pytest.raises(EvalError, match="beyond the limit"):
        apply_effect(parse_effect(source), {"n": start}, {})
    assert apply_effect(parse_effect(source), {"n": 0}, {})["n"] in (1, -1, 0)


def test_evaluate_condition():
    assert evaluate_condition(parse_expression("coins > 1"), VARS, VISITS) is True
    with pytest.raises(EvalError, match="a condition must be bool, not int 3"):
        evaluate_condition(parse_expression("coins"), VARS, VISITS)


@pytest.mark.parametrize(
    ("source", "name", "value"),
    [
        ("coins = 10", "coins", 10),
        ("coins += 2", "coins", 5),
        ("coins -= 5", "coins", -2),
        ("coins += visits(shore)", "coins", 5),
        ("lamp = coins > 5", "lamp", False),
        ("name = name + ' Lovelace'", "name", "Ada Lovelace"),
        ("coins = -coins", "coins", -3),
    ],
)
def test_apply_effect(source, name, value):
    before = dict(VARS)
    after = apply_effect(parse_effect(source), VARS, VISITS)
    assert after[name] == value
    assert {k: v for k, v in after.items() if k != name} == {
        k: v for k, v in VARS.items() if k != name
    }
    assert before == VARS  # the input is not changed
    assert after is not VARS


def test_apply_effect_accepts_a_read_only_mapping():
    frozen = MappingProxyType(dict(VARS))
    assert apply_effect(parse_effect("coins += 1"), frozen, VISITS)["coins"] == 4


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing = 1", "unknown variable 'missing'"),
        ("missing += 1", "unknown variable 'missing'"),
        ("coins = 'x'", "'coins' is int; cannot set it to str 'x'"),
        ("lamp = 1", "'lamp' is bool; cannot set it to int 1"),
        ("coins = true", "'coins' is int; cannot set it to bool true"),
        ("name += 'x'", "'+=' needs an int, not str 'Ada'"),
        ("lamp -= 1", "'-=' needs an int, not bool true"),
        ("coins += lamp", "'+=' needs an int, not bool true"),
    ],
)
def test_effect_errors(source, message):
    with pytest.raises(EvalError) as info:
        apply_effect(parse_effect(source), VARS, VISITS)
    assert info.value.message == message
