"""Evaluation on the hot path: each tree turned once into nested closures.

:func:`evaluate` in :mod:`carnet.engine.expr.evaluate` walks a tree with an
explicit stack and checks every operand; that is the reference. Here a tree
becomes a closure (Python functions built from the node types: nothing is
``eval``-ed) that computes the same value for well-typed operands and gives
up (:class:`_Slow`) on anything else: a wrong type, an unknown variable, a
result beyond the limits. Giving up runs the reference evaluator, which
computes the value or raises the right :class:`EvalError`. So the results
and the errors are the reference's, and a played step skips the per-node
bookkeeping. Trees are at most ``MAX_DEPTH`` deep, so the closures' recursion is bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from carnet.engine.expr.evaluate import apply_effect, evaluate
from carnet.engine.expr.nodes import Binary, Effect, Lit, Node, Unary, Value, Var, Visits
from carnet.engine.limits import MAX_INT, MAX_STRING_CHARS

Fn = Callable[[Mapping[str, Value], Mapping[str, int]], Value]


class _Slow(Exception):
    """The fast closure met something only the reference evaluator handles."""


def _lit(node: Lit) -> Fn:
    value = node.value
    if type(value) not in (bool, int, str) or (type(value) is int and abs(value) > MAX_INT):
        def bad(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            raise _Slow
        return bad
    return lambda v, s: value


def _unary(node: Unary) -> Fn:
    if node.op == "not" and isinstance(node.operand, Var):  # ``not flag``: one closure
        name = node.operand.name

        def not_var(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            x = v[name]
            if x is True:
                return False
            if x is False:
                return True
            raise _Slow
        return not_var
    operand = compile_node(node.operand)
    if node.op == "not":
        def not_(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            x = operand(v, s)
            if x is True:
                return False
            if x is False:
                return True
            raise _Slow
        return not_

    def neg(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
        x = operand(v, s)
        if type(x) is int:
            return -x
        raise _Slow
    return neg


def _logic(node: Binary) -> Fn:
    left, right = compile_node(node.left), compile_node(node.right)
    stop = node.op == "or"  # the left value that decides alone

    def logic(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
        a = left(v, s)
        if a is not True and a is not False:
            raise _Slow
        if a is stop:
            return a
        b = right(v, s)
        if b is True or b is False:
            return b
        raise _Slow
    return logic


_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<": int.__lt__, "<=": int.__le__, ">": int.__gt__, ">=": int.__ge__}


def _literal(node: Node) -> Value | None:
    """The value of a literal the closures handle as is (None for anything else)."""
    if isinstance(node, Lit):
        value = node.value
        if type(value) in (bool, str) or (type(value) is int and abs(value) <= MAX_INT):
            return value
    return None


def _against_literal(node: Binary) -> Fn | None:
    """``name OP literal`` or ``visits(scene) OP literal`` as one closure (the most
    common conditions), or None for any other shape."""
    left, op, k = node.left, node.op, _literal(node.right)
    if k is None or not isinstance(left, (Var, Visits)):
        return None
    if op in ("==", "!="):
        if not isinstance(left, Var):
            return None
        name, kind, equal = left.name, type(k), op == "=="

        def var_eq(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            a = v[name]
            if type(a) is not kind:
                raise _Slow
            return (a == k) is equal
        return var_eq
    if op not in _COMPARE or type(k) is not int:
        return None
    compare = _COMPARE[op]
    if isinstance(left, Var):
        name = left.name

        def var_order(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            a = v[name]
            if type(a) is int:
                return compare(a, k)
            raise _Slow
        return var_order
    scene = left.scene

    def visits_order(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
        a = s.get(scene, 0)
        if type(a) is int:
            return compare(a, k)
        raise _Slow
    return visits_order


def _binary(node: Binary) -> Fn:
    if node.op in ("and", "or"):
        return _logic(node)
    special = _against_literal(node)
    if special is not None:
        return special
    left, right = compile_node(node.left), compile_node(node.right)
    op = node.op
    if op in ("==", "!="):
        equal = op == "=="

        def eq(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            a, b = left(v, s), right(v, s)
            if type(a) is not type(b):
                raise _Slow
            return (a == b) is equal
        return eq
    if op in _COMPARE:
        compare = _COMPARE[op]

        def order(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            a, b = left(v, s), right(v, s)
            if type(a) is int and type(b) is int:
                return compare(a, b)
            raise _Slow
        return order
    if op == "-":
        def minus(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            a, b = left(v, s), right(v, s)
            if type(a) is int and type(b) is int and -MAX_INT <= a - b <= MAX_INT:
                return a - b
            raise _Slow
        return minus

    def plus(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
        a, b = left(v, s), right(v, s)
        if type(a) is int and type(b) is int and -MAX_INT <= a + b <= MAX_INT:
            return a + b
        if type(a) is str and type(b) is str and len(a) + len(b) <= MAX_STRING_CHARS:
            return a + b
        raise _Slow
    return plus


def compile_node(node: Node) -> Fn:
    """A closure computing ``node``'s value, or raising :class:`_Slow`."""
    if isinstance(node, Lit):
        return _lit(node)
    if isinstance(node, Var):
        name = node.name

        def var(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
            value = v[name]  # KeyError: the reference evaluator reports it
            if type(value) in (bool, int, str):
                return value
            raise _Slow
        return var
    if isinstance(node, Visits):
        scene = node.scene
        return lambda v, s: s.get(scene, 0)
    if isinstance(node, Unary):
        return _unary(node)
    return _binary(node)


_CACHE: dict[int, tuple[Node, Fn]] = {}
_CACHE_MAX = 200_000


def _closure(node: Node) -> Fn:
    found = _CACHE.get(id(node))
    if found is not None and found[0] is node:
        return found[1]
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    fn = compile_node(node)
    _CACHE[id(node)] = (node, fn)  # the node is kept, so its id is not reused
    return fn


SLOW: tuple[type[Exception], ...] = (_Slow, KeyError)
"""What a closure from :func:`closure` raises when only the reference evaluator
can give the value (or the error): catch these and call ``evaluate``."""


def closure(node: Node) -> Fn:
    """The closure for ``node`` (made once per node): it returns the value or
    raises one of :data:`SLOW`. For callers that inline :func:`fast_evaluate`."""
    return _closure(node)


def fast_evaluate(node: Node, vars: Mapping[str, Value], visits: Mapping[str, int]) -> Value:
    """:func:`~carnet.engine.expr.evaluate.evaluate`, faster; the same values and errors."""
    try:
        return _closure(node)(vars, visits)
    except (_Slow, KeyError):
        return evaluate(node, vars, visits)


def fast_apply(effect: Effect, vars: Mapping[str, Value],
               visits: Mapping[str, int]) -> dict[str, Value]:
    """:func:`~carnet.engine.expr.evaluate.apply_effect`, faster; the same results and errors."""
    return fast_effects((effect,))(vars, visits)


Effects = Callable[[Mapping[str, Value], Mapping[str, int]], dict[str, Value]]


def fast_effects(effects: tuple[Effect, ...]) -> Effects:
    """A function applying ``effects`` in order to the variables, as
    :func:`fast_apply` one after the other would, into one new dict (not one
    copy per effect); ``vars`` is not changed. Each effect the closures cannot
    do runs through :func:`~carnet.engine.expr.evaluate.apply_effect`, so the
    results and the errors are the reference's."""
    steps = tuple((effect, effect.var, effect.op, _closure(effect.value)) for effect in effects)

    def run(vars: Mapping[str, Value], visits: Mapping[str, int]) -> dict[str, Value]:
        result = dict(vars)
        for effect, name, op, value_of in steps:
            try:
                value = value_of(result, visits)
                old = result[name]
                if op == "=":
                    if type(old) is not type(value):
                        raise _Slow
                    new = value
                elif type(old) is int and type(value) is int:
                    new = old + value if op == "+=" else old - value
                    if not -MAX_INT <= new <= MAX_INT:
                        raise _Slow
                else:
                    raise _Slow
            except (_Slow, KeyError):
                result = apply_effect(effect, result, visits)
                continue
            result[name] = new
        return result
    return run
