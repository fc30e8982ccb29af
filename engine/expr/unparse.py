"""Trees back to canonical source text.

The text has single spaces around binary operators, double-quoted strings,
and parentheses only where precedence needs them. Parsing it gives back an
equal tree for every tree the parser can produce. Hand-built trees outside
that set (a negative ``Lit``, a keyword as a variable name, a string holding
a control character other than tab and newline) still print, but need not
parse back to themselves.
"""

from __future__ import annotations

from carnet.engine.expr.nodes import Binary, Effect, Expression, Lit, Node, Unary, Var, Visits
from carnet.engine.expr.walk import postorder

# Binding strength of each form; a higher number binds tighter.
_OR, _AND, _NOT, _CMP, _SUM, _NEG, _ATOM = range(1, 8)

_BINARY_PREC = {
    "or": _OR,
    "and": _AND,
    "==": _CMP,
    "!=": _CMP,
    "<": _CMP,
    "<=": _CMP,
    ">": _CMP,
    ">=": _CMP,
    "+": _SUM,
    "-": _SUM,
}


def to_source(node: Node | Expression | Effect) -> str:
    """Canonical text of a node, a condition, or an effect (``name op value``)."""
    if isinstance(node, Expression):
        return to_source(node.root)
    if isinstance(node, Effect):
        return f"{node.var} {node.op} {to_source(node.value)}"
    done: list[tuple[str, int]] = []
    for current in postorder(node):
        if isinstance(current, Lit):
            done.append(_literal(current.value))
        elif isinstance(current, Var):
            done.append((current.name, _ATOM))
        elif isinstance(current, Visits):
            done.append((f"visits({current.scene})", _ATOM))
        elif isinstance(current, Unary):
            operand = done.pop()
            if current.op == "not":
                done.append((f"not {_wrap(operand, _NOT)}", _NOT))
            else:
                done.append((f"-{_wrap(operand, _NEG)}", _NEG))
        else:
            right, left = done.pop(), done.pop()
            done.append(_binary(current, left, right))
    return done[0][0]


def _binary(node: Binary, left: tuple[str, int], right: tuple[str, int]) -> tuple[str, int]:
    prec = _BINARY_PREC[node.op]
    if prec == _CMP:
        # Comparisons do not chain: both sides must bind tighter.
        left_min, right_min = _SUM, _SUM
    else:
        # Left-associative: a same-level right side needs parentheses.
        left_min, right_min = prec, prec + 1
    text = f"{_wrap(left, left_min)} {node.op} {_wrap(right, right_min)}"
    return text, prec


def _wrap(part: tuple[str, int], minimum: int) -> str:
    text, prec = part
    return text if prec >= minimum else f"({text})"


def _literal(value: object) -> tuple[str, int]:
    if isinstance(value, bool):
        return ("true" if value else "false"), _ATOM
    if isinstance(value, int):
        return str(value), (_NEG if value < 0 else _ATOM)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"', _ATOM
