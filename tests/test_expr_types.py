"""Static types: inference, each rule's issue and offset, and no cascades."""

from __future__ import annotations

import pytest

from carnet.engine.expr import (
    Binary,
    Lit,
    TypeIssue,
    Var,
    check_condition,
    check_effect,
    infer_type,
    parse_effect,
    parse_expression,
)

TYPES = {"lamp": "bool", "coins": "int", "name": "str"}


def infer(source):
    return infer_type(parse_expression(source).root, TYPES)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1", "int"),
        ("'a'", "str"),
        ("true", "bool"),
        ("lamp", "bool"),
        ("coins", "int"),
        ("name", "str"),
        ("visits(x)", "int"),
        ("-coins", "int"),
        ("not lamp", "bool"),
        ("coins + 1", "int"),
        ("name + 'x'", "str"),
        ("coins - 1", "int"),
        ("coins < 1", "bool"),
        ("name == 'x'", "bool"),
        ("lamp and lamp or lamp", "bool"),
        ("unknown", None),
        ("unknown + 1", "int"),
        ("unknown + unknown", None),
        ("unknown == 1", "bool"),
    ],
)
def test_inferred_types_of_well_typed_expressions(source, expected):
    found, issues = infer(source)
    assert found == expected
    assert issues == []


RULES = [
    # (source, offset, message): each rule once, the offset on the culprit.
    ("coins and lamp", 0, "'and' needs bool, but 'coins' is int"),
    ("lamp or name", 8, "'or' needs bool, but 'name' is str"),
    ("not coins", 4, "'not' needs bool, but 'coins' is int"),
    ("-name", 1, "'-' needs int, but 'name' is str"),
    ("-lamp", 1, "'-' needs int, but 'lamp' is bool"),
    ("name < 1", 0, "'<' compares ints, but 'name' is str"),
    ("1 <= lamp", 5, "'<=' compares ints, but 'lamp' is bool"),
    ("coins - name", 8, "'-' needs int, but 'name' is str"),
    ("coins + name", 6, "'+' cannot join int and str"),
    ("lamp + 1", 0, "'+' adds ints or joins strings, but 'lamp' is bool"),
    ("coins == name", 6, "'==' compares two values of one type, not int and str"),
    ("lamp != 0", 5, "'!=' compares two values of one type, not bool and int"),
    ("coins == '3'", 6, "'==' compares two values of one type, not int and str"),
]


@pytest.mark.parametrize(("source", "offset", "message"), RULES)
def test_each_rule_reports_one_issue_at_the_culprit(source, offset, message):
    _, issues = infer(source)
    assert [(i.offset, i.message) for i in issues] == [(offset, message)]


def test_both_wrong_sides_are_reported():
    _, issues = infer("name > 'x'")
    assert [(i.offset, i.message) for i in issues] == [
        (0, "'>' compares ints, but 'name' is str"),
        (7, "'>' compares ints, but '\"x\"' is str"),
    ]
    assert issues[0].hint == "only '==' and '!=' compare strings"


def test_issue_offsets_point_into_parentheses_at_the_operand():
    _, issues = infer("lamp and (coins + 1)")
    assert [(i.offset, i.message) for i in issues] == [
        (10, "'and' needs bool, but 'coins + 1' is int")
    ]
    assert issues[0].hint == "compare it, e.g. '(coins + 1) > 0'"


def test_hints():
    [issue] = infer("coins and lamp")[1]
    assert issue.hint == "compare it, e.g. 'coins > 0'"
    [issue] = infer("not name")[1]
    assert issue.hint == "compare it, e.g. 'name == \"...\"'"
    [issue] = infer("coins == '3'")[1]
    assert issue.hint is not None and "write 3" in issue.hint


def test_long_operands_are_not_quoted_in_messages():
    long_sum = " + ".join(["coins"] * 10)
    [issue] = infer(f"not ({long_sum})")[1]
    assert issue.message == "'not' needs bool, but this is int"
    assert issue.hint == "compare it, e.g. with '> 0'"


@pytest.mark.parametrize(
    "source",
    [
        "(coins + name) + 1",  # the bad '+' is unknown, not a second error
        "(coins + name) == 'x'",
        "not (coins + name)",
        "(coins + name) < 3 and lamp",
        "-(coins + name) + 1",
    ],
)
def test_no_cascade_from_one_mistake(source):
    _, issues = infer(source)
    assert [i.message for i in issues] == ["'+' cannot join int and str"]


@pytest.mark.parametrize(
    "source",
    ["unknown and lamp", "not unknown", "unknown < 3", "unknown + 'x' == name", "-unknown"],
)
def test_unknown_variables_are_compatible_and_not_reported(source):
    assert infer(source)[1] == []


def test_operators_still_give_their_type_after_an_issue():
    # 'coins and lamp' is wrong, but it is still a bool: 'not' is fine with it.
    found, issues = infer("not (coins and lamp)")
    assert found == "bool"
    assert len(issues) == 1


def test_several_issues_come_sorted_by_offset():
    _, issues = infer("(1 + lamp) + 2 == 3 and (name or coins)")
    assert [i.offset for i in issues] == sorted(i.offset for i in issues)
    assert [i.offset for i in issues] == [5, 25, 33]


def test_hand_built_literal_of_a_foreign_type_is_unknown():
    found, issues = infer_type(Binary("+", Lit(1.5), Lit(1)), {})  # type: ignore[arg-type]
    assert (found, issues) == ("int", [])
    assert infer_type(Var("x"), {"x": "int"}) == ("int", [])


@pytest.mark.parametrize(
    ("source", "issues"),
    [
        ("lamp and coins > 1", []),
        ("unknown", []),
        ("coins", [TypeIssue(0, "a condition must be bool, but this is int")]),
        ("name + 'x'", [TypeIssue(0, "a condition must be bool, but this is str")]),
        ("coins + name", [TypeIssue(6, "'+' cannot join int and str")]),
    ],
)
def test_check_condition(source, issues):
    found = check_condition(parse_expression(source), TYPES)
    assert [(i.offset, i.message) for i in found] == [(i.offset, i.message) for i in issues]


def test_check_condition_hint_suggests_a_comparison():
    [issue] = check_condition(parse_expression("  coins"), TYPES)
    assert issue.offset == 2
    assert issue.hint == "compare it, e.g. 'coins > 0'"


@pytest.mark.parametrize(
    ("source", "issues"),
    [
        ("coins = 3", []),
        ("coins += visits(x)", []),
        ("coins -= 1", []),
        ("lamp = coins > 1", []),
        ("name = name + '!'", []),
        ("unknown = 3", []),  # the loader reports E012
        ("coins = unknown", []),
        ("coins = 'x'", [(8, "'coins' is int, but this value is str")]),
        ("lamp = 1", [(7, "'lamp' is bool, but this value is int")]),
        (
            "name += 'x'",
            [
                (0, "'+=' needs an int variable, but 'name' is str"),
                (8, "'+=' needs an int value, but this is str"),
            ],
        ),
        ("lamp -= 1", [(0, "'-=' needs an int variable, but 'lamp' is bool")]),
        ("coins += lamp", [(9, "'+=' needs an int value, but this is bool")]),
        ("coins = 1 + name", [(10, "'+' cannot join int and str")]),
        ("lamp = not coins", [(11, "'not' needs bool, but 'coins' is int")]),
    ],
)
def test_check_effect(source, issues):
    found = check_effect(parse_effect(source), TYPES)
    assert [(i.offset, i.message) for i in found] == issues


def test_check_effect_hints_the_string_append():
    issues = check_effect(parse_effect("name += 'x'"), TYPES)
    assert issues[0].hint == "to append, write 'name = name + \"...\"'"
