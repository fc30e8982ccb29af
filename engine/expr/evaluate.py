"""Evaluating trees against a game's variables and visit counts.

Evaluation is iterative (an explicit stack), checks every operand's type at
run time (so a tree that skipped type checking gets an :class:`EvalError`,
never a Python ``TypeError`` or a silent ``True == 1``), and short-circuits
``and``/``or``.
"""

from __future__ import annotations

from collections.abc import Mapping

from carnet.engine.expr.errors import EvalError
from carnet.engine.expr.nodes import (
    Binary,
    Effect,
    Expression,
    Lit,
    Node,
    Unary,
    Value,
    Var,
    Visits,
    value_type,
)
from carnet.engine.limits import MAX_INT, MAX_STRING_CHARS, int_in_range

_ORDER = frozenset({"<", "<=", ">", ">="})


def evaluate(node: Node, vars: Mapping[str, Value], visits: Mapping[str, int]) -> Value:
    """The value of ``node``; ``visits(scene)`` is ``visits.get(scene, 0)``.

    Raises :class:`EvalError` on an unknown variable or a wrongly typed
    operand (impossible after type checking), when ``+`` would build a
    string longer than :data:`MAX_STRING_CHARS`, or when ``+``/``-`` would
    give an integer beyond ``MAX_INT``.
    """
    # Work items: (node, stage). Stage 0 starts a node; later stages resume it
    # once its operands' values are on ``values``.
    work: list[tuple[Node, int]] = [(node, 0)]
    values: list[Value] = []
    while work:
        current, stage = work.pop()
        if isinstance(current, Lit):
            values.append(_checked(current.value, "a literal"))
        elif isinstance(current, Var):
            values.append(_lookup(current.name, vars))
        elif isinstance(current, Visits):
            values.append(visits.get(current.scene, 0))
        elif isinstance(current, Unary):
            if stage == 0:
                work.append((current, 1))
                work.append((current.operand, 0))
            elif current.op == "not":
                values.append(not _need_bool(values.pop(), "not"))
            else:
                values.append(-_need_int(values.pop(), "-"))
        elif current.op in ("and", "or"):
            _step_logic(current, stage, work, values)
        elif stage == 0:
            work.append((current, 1))
            work.append((current.right, 0))
            work.append((current.left, 0))
        else:
            right = values.pop()
            values.append(_binary(current.op, values.pop(), right))
    return values[0]


def evaluate_condition(
    expression: Expression, vars: Mapping[str, Value], visits: Mapping[str, int]
) -> bool:
    """Whether a condition holds; :class:`EvalError` if it is not a bool."""
    value = evaluate(expression.root, vars, visits)
    if not isinstance(value, bool):
        raise EvalError(f"a condition must be bool, not {_kind(value)} {_show(value)}")
    return value


def apply_effect(
    effect: Effect, vars: Mapping[str, Value], visits: Mapping[str, int]
) -> dict[str, Value]:
    """A new dict of variables with the effect applied; ``vars`` is not changed.

    The target must already be a variable, and keeps its type.
    """
    value = evaluate(effect.value, vars, visits)
    old = _lookup(effect.var, vars)
    if effect.op == "=":
        if _kind(old) != _kind(value):
            raise EvalError(
                f"'{effect.var}' is {_kind(old)}; cannot set it to {_kind(value)} {_show(value)}"
            )
        new_value = value
    elif effect.op == "+=":
        new_value = _int_result(_need_int(old, "+=") + _need_int(value, "+="), "+=")
    else:
        new_value = _int_result(_need_int(old, "-=") - _need_int(value, "-="), "-=")
    result = dict(vars)
    result[effect.var] = new_value
    return result


def _step_logic(
    node: Binary, stage: int, work: list[tuple[Node, int]], values: list[Value]
) -> None:
    """One step of ``and``/``or``: the right side runs only when it decides."""
    if stage == 0:
        work.append((node, 1))
        work.append((node.left, 0))
    elif stage == 1:
        left = _need_bool(values.pop(), node.op)
        if left == (node.op == "or"):
            values.append(left)
        else:
            work.append((node, 2))
            work.append((node.right, 0))
    else:
        values.append(_need_bool(values.pop(), node.op))


def _binary(op: str, left: Value, right: Value) -> Value:
    if op in ("==", "!="):
        if _kind(left) != _kind(right):
            raise EvalError(
                f"'{op}' compares two values of one type, not {_kind(left)} and {_kind(right)}"
            )
        return (left == right) == (op == "==")
    if op in _ORDER:
        a, b = _need_int(left, op), _need_int(right, op)
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        return a >= b
    if op == "-":
        return _int_result(_need_int(left, op) - _need_int(right, op), op)
    if op == "+":
        if isinstance(left, str) and isinstance(right, str):
            if len(left) + len(right) > MAX_STRING_CHARS:
                raise EvalError(f"'+' would build a string over {MAX_STRING_CHARS} characters")
            return left + right
        if _kind(left) == "int" and _kind(right) == "int":
            return _int_result(_need_int(left, op) + _need_int(right, op), op)
        raise EvalError(
            f"'+' adds two ints or joins two strings, not {_kind(left)} and {_kind(right)}"
        )
    raise EvalError(f"unknown operator {op!r}")


def _int_result(value: int, op: str) -> int:
    if not int_in_range(value):
        raise EvalError(f"'{op}' would give an integer beyond the limit of {MAX_INT:,} "
                        "(18 digits)")
    return value


def _lookup(name: str, vars: Mapping[str, Value]) -> Value:
    if name not in vars:
        raise EvalError(f"unknown variable '{name}'")
    return _checked(vars[name], f"variable '{name}'")


def _checked(value: object, what: str) -> Value:
    if isinstance(value, (bool, int, str)):
        return value
    raise EvalError(f"{what} holds {type(value).__name__}, not bool, int or str")


def _kind(value: object) -> str:
    """The carnet type name of a value, or its Python type's name."""
    return value_type(value) or type(value).__name__


def _need_bool(value: Value, op: str) -> bool:
    if isinstance(value, bool):
        return value
    raise EvalError(f"'{op}' needs a bool, not {_kind(value)} {_show(value)}")


def _need_int(value: Value, op: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise EvalError(f"'{op}' needs an int, not {_kind(value)} {_show(value)}")


def _show(value: Value) -> str:
    """A value for a message, short; never fails (huge ints are not printed)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and value.bit_length() > 128:
        return f"(an int of {value.bit_length()} bits)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
