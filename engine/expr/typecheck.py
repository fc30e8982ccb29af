"""Static types of expressions, and the problems a wrong type causes.

Types are "bool", "int", "str", or None when unknown (an undeclared
variable, or the result of an ill-typed ``+``). None is compatible with
everything, so one mistake gives one issue, not a cascade. Unknown variables
are not reported here: the loader reports them (E012) via ``variables_read``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import attrs

from carnet.engine.expr.nodes import (
    Binary,
    Effect,
    Expression,
    Lit,
    Node,
    Unary,
    Var,
    VarType,
    Visits,
    value_type,
)
from carnet.engine.expr.unparse import to_source
from carnet.engine.expr.walk import postorder, start_offset

Type: TypeAlias = VarType | None

_ORDER = frozenset({"<", "<=", ">", ">="})


@attrs.frozen
class TypeIssue:
    """A type error at ``offset`` (0-based, in the expression's source)."""

    offset: int
    message: str
    hint: str | None = None


def infer_type(node: Node, var_types: Mapping[str, VarType]) -> tuple[Type, list[TypeIssue]]:
    """The node's type (None if unknown) and every type issue inside it, in order."""
    issues: list[TypeIssue] = []
    # One entry per finished subtree: (its type, its first character's offset).
    done: list[tuple[Type, int]] = []
    for current in postorder(node):
        if isinstance(current, Lit):
            done.append((value_type(current.value), current.pos))
        elif isinstance(current, Var):
            done.append((var_types.get(current.name), current.pos))
        elif isinstance(current, Visits):
            done.append(("int", current.pos))
        elif isinstance(current, Unary):
            operand_type, _ = done.pop()
            want: VarType = "bool" if current.op == "not" else "int"
            _require(issues, current.op, want, operand_type, current.operand)
            done.append((want, current.pos))
        else:
            right, left = done.pop(), done.pop()
            done.append((_binary(current, left[0], right[0], issues), left[1]))
    issues.sort(key=lambda issue: issue.offset)
    return done[0][0], issues


def check_condition(expr: Expression, var_types: Mapping[str, VarType]) -> list[TypeIssue]:
    """Type issues of a condition, which must be bool."""
    found, issues = infer_type(expr.root, var_types)
    if found is not None and found != "bool":
        issues.insert(
            0,
            TypeIssue(
                start_offset(expr.root),
                f"a condition must be bool, but this is {found}",
                _make_bool_hint(expr.root, found),
            ),
        )
    return issues


def check_effect(effect: Effect, var_types: Mapping[str, VarType]) -> list[TypeIssue]:
    """Type issues of an effect.

    ``=`` needs a value of the variable's type; ``+=``/``-=`` need an int
    variable and an int value. An undeclared target is not reported here.
    """
    target = var_types.get(effect.var)
    found, issues = infer_type(effect.value, var_types)
    value_at = start_offset(effect.value)
    if effect.op == "=":
        if target is not None and found is not None and target != found:
            issues.append(
                TypeIssue(value_at, f"'{effect.var}' is {target}, but this value is {found}")
            )
    else:
        if target is not None and target != "int":
            hint = "use '=' to set it"
            if target == "str" and effect.op == "+=":
                hint = f"to append, write '{effect.var} = {effect.var} + \"...\"'"
            issues.append(
                TypeIssue(
                    effect.var_pos,
                    f"'{effect.op}' needs an int variable, but '{effect.var}' is {target}",
                    hint,
                )
            )
        if found is not None and found != "int":
            issues.append(
                TypeIssue(value_at, f"'{effect.op}' needs an int value, but this is {found}")
            )
    issues.sort(key=lambda issue: issue.offset)
    return issues


def _binary(node: Binary, left: Type, right: Type, issues: list[TypeIssue]) -> Type:
    """The type of a binary node, recording issues about its operands."""
    op = node.op
    if op in ("and", "or"):
        _require(issues, op, "bool", left, node.left)
        _require(issues, op, "bool", right, node.right)
        return "bool"
    if op in _ORDER or op == "-":
        _require(issues, op, "int", left, node.left)
        _require(issues, op, "int", right, node.right)
        return "bool" if op in _ORDER else "int"
    if op in ("==", "!="):
        if left is not None and right is not None and left != right:
            issues.append(
                TypeIssue(
                    node.pos,
                    f"'{op}' compares two values of one type, not {left} and {right}",
                    _compare_hint(left, right),
                )
            )
        return "bool"
    # "+": two ints or two strings.
    for side_type, side in ((left, node.left), (right, node.right)):
        if side_type == "bool":
            issues.append(
                TypeIssue(
                    start_offset(side),
                    f"'+' adds ints or joins strings, but {_name(side)} is bool",
                )
            )
    known = [t for t in (left, right) if t is not None and t != "bool"]
    if len(known) == 2 and known[0] != known[1]:
        issues.append(
            TypeIssue(
                node.pos,
                f"'+' cannot join {left} and {right}",
                "both sides must be ints, or both strings",
            )
        )
        return None
    return known[0] if known else None


def _require(issues: list[TypeIssue], op: str, want: VarType, found: Type, operand: Node) -> None:
    if found is None or found == want:
        return
    if want == "bool":
        message = f"'{op}' needs bool, but {_name(operand)} is {found}"
        hint = _make_bool_hint(operand, found)
    elif op in _ORDER:
        message = f"'{op}' compares ints, but {_name(operand)} is {found}"
        hint = "only '==' and '!=' compare " + ("strings" if found == "str" else "bools")
    else:
        message = f"'{op}' needs int, but {_name(operand)} is {found}"
        hint = None
    issues.append(TypeIssue(start_offset(operand), message, hint))


def _make_bool_hint(node: Node, found: VarType) -> str | None:
    """Suggest a comparison that turns an int or str into a bool."""
    if found == "bool":
        return None
    test = "> 0" if found == "int" else '== "..."'
    text = _short_source(node)
    if text is None:
        return f"compare it, e.g. with '{test}'"
    if not isinstance(node, (Lit, Var, Visits)):
        text = f"({text})"
    return f"compare it, e.g. '{text} {test}'"


def _compare_hint(left: VarType, right: VarType) -> str | None:
    if {left, right} == {"int", "str"}:
        return 'a number in quotes is a string: write 3, not "3"'
    return None


def _name(node: Node) -> str:
    """How a message refers to an operand: its source if short, else 'this'."""
    text = _short_source(node)
    return f"'{text}'" if text is not None else "this"


def _short_source(node: Node, width: int = 30) -> str | None:
    text = to_source(node)
    return text if len(text) <= width else None
