"""carnet's expression language: conditions (``if``) and effects (``do``, ``on_enter``).

Parse untrusted text with :func:`parse_expression` / :func:`parse_effect`
(never ``eval``), type-check with :func:`check_condition` /
:func:`check_effect`, run with :func:`evaluate` / :func:`apply_effect`.
Limits live with every other limit in :mod:`carnet.engine.limits`.
"""

from __future__ import annotations

from carnet.engine.expr.errors import EvalError, ExprError
from carnet.engine.expr.evaluate import apply_effect, evaluate, evaluate_condition
from carnet.engine.expr.nodes import (
    Binary,
    Effect,
    Expression,
    Lit,
    Node,
    Unary,
    Value,
    Var,
    VarType,
    Visits,
)
from carnet.engine.expr.parser import parse_effect, parse_expression
from carnet.engine.expr.typecheck import TypeIssue, check_condition, check_effect, infer_type
from carnet.engine.expr.unparse import to_source
from carnet.engine.expr.walk import (
    effect_reads,
    postorder,
    scenes_read,
    start_offset,
    variables_read,
    walk,
)
from carnet.engine.limits import MAX_DEPTH, MAX_INT_DIGITS, MAX_SOURCE_CHARS, MAX_STRING_CHARS

__all__ = [
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_SOURCE_CHARS",
    "MAX_STRING_CHARS",
    "Binary",
    "Effect",
    "EvalError",
    "ExprError",
    "Expression",
    "Lit",
    "Node",
    "TypeIssue",
    "Unary",
    "Value",
    "Var",
    "VarType",
    "Visits",
    "apply_effect",
    "check_condition",
    "check_effect",
    "effect_reads",
    "evaluate",
    "evaluate_condition",
    "infer_type",
    "parse_effect",
    "parse_expression",
    "postorder",
    "scenes_read",
    "start_offset",
    "to_source",
    "variables_read",
    "walk",
]
