"""The expression tree: what conditions and effects are made of.

Nodes are frozen values. ``pos`` is the 0-based offset of the node in its
source text; it is kept out of equality so that two parses of the same
expression compare equal whatever the spacing.
"""

from __future__ import annotations

from typing import Literal

import attrs

Value = bool | int | str

UnaryOp = Literal["not", "-"]
BinaryOp = Literal["and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-"]
AssignOp = Literal["=", "+=", "-="]

# The type of a variable; engine.model takes it from here (engine.model
# imports engine.expr, so the expression language defines it).
VarType = Literal["bool", "int", "str"]


def value_type(value: object) -> VarType | None:
    """The carnet type of a Python value, or None for anything else.

    bool is checked before int: ``True`` is a bool here, never the int 1.
    """
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    return None


@attrs.frozen
class Lit:
    value: Value
    pos: int = attrs.field(default=0, eq=False)


@attrs.frozen
class Var:
    name: str
    pos: int = attrs.field(default=0, eq=False)


@attrs.frozen
class Visits:
    """``visits(scene)``: how many times a scene has been entered."""

    scene: str
    pos: int = attrs.field(default=0, eq=False)


@attrs.frozen
class Unary:
    op: UnaryOp
    operand: Node
    pos: int = attrs.field(default=0, eq=False)


@attrs.frozen
class Binary:
    """``left op right``. Its ``pos`` is the operator's offset, not the left side's."""

    op: BinaryOp
    left: Node
    right: Node
    pos: int = attrs.field(default=0, eq=False)


Node = Lit | Var | Visits | Unary | Binary


@attrs.frozen
class Expression:
    """A parsed condition, with the text it was parsed from."""

    source: str
    root: Node


@attrs.frozen
class Effect:
    """``var = value``, ``var += value`` or ``var -= value``."""

    source: str
    var: str
    op: AssignOp
    value: Node
    var_pos: int = attrs.field(default=0, eq=False)
