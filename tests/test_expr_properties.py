"""Properties over generated trees and text: round trip, type soundness, fuzzing."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from carnet.engine.expr import (
    MAX_DEPTH,
    MAX_SOURCE_CHARS,
    Binary,
    EvalError,
    ExprError,
    Lit,
    Node,
    Unary,
    Var,
    Visits,
    evaluate,
    infer_type,
    parse_effect,
    parse_expression,
    to_source,
)
from carnet.engine.expr.lexer import KEYWORDS
from carnet.engine.expr.nodes import value_type
from carnet.engine.limits import MAX_INT

BINARY_OPS = ["and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-"]

identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
var_names = identifiers.filter(lambda name: name not in KEYWORDS)
# Any printable text, plus the characters that need escaping; no other controls.
string_chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t'\"\\")
literals = st.one_of(
    st.booleans(),
    st.integers(min_value=0, max_value=10**18 - 1),
    st.text(string_chars, max_size=8),
).map(Lit)


def trees(leaves: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        return st.builds(Unary, st.sampled_from(["not", "-"]), children) | st.builds(
            Binary, st.sampled_from(BINARY_OPS), children, children
        )

    return st.recursive(leaves, extend, max_leaves=12)


def depth(node: Node) -> int:
    if isinstance(node, Unary):
        return 1 + depth(node.operand)
    if isinstance(node, Binary):
        return 1 + max(depth(node.left), depth(node.right))
    return 0


any_trees = trees(literals | var_names.map(Var) | identifiers.map(Visits))


@given(any_trees)
def test_to_source_round_trips(tree):
    assume(depth(tree) <= MAX_DEPTH)
    text = to_source(tree)
    assume(len(text) <= MAX_SOURCE_CHARS)
    reparsed = parse_expression(text).root
    assert reparsed == tree
    assert to_source(reparsed) == text


@given(any_trees, var_names, st.sampled_from(["=", "+=", "-="]))
def test_effect_to_source_round_trips(tree, name, op):
    assume(depth(tree) <= MAX_DEPTH)
    source = f"{name} {op} {to_source(tree)}"
    assume(len(source) <= MAX_SOURCE_CHARS)
    effect = parse_effect(source)
    assert (effect.var, effect.op, effect.value) == (name, op, tree)
    assert parse_effect(to_source(effect)) == effect


VAR_TYPES = {"p": "bool", "q": "bool", "n": "int", "m": "int", "s": "str", "t": "str"}
VALUES = st.fixed_dictionaries(
    {
        "p": st.booleans(),
        "q": st.booleans(),
        "n": st.integers(-MAX_INT, MAX_INT),  # a variable never holds more than the cap
        "m": st.integers(-5, 5),
        "s": st.text(max_size=5),
        "t": st.text(max_size=5),
    }
)
typed_trees = trees(
    st.one_of(
        st.booleans().map(Lit),
        st.integers(0, 100).map(Lit),
        st.sampled_from(["", "a", "b"]).map(Lit),
        st.sampled_from(sorted(VAR_TYPES)).map(Var),
        st.sampled_from(["x", "y"]).map(Visits),
    )
)


@given(typed_trees, VALUES, st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 9)))
def test_well_typed_trees_evaluate_to_their_type(tree, values, visits):
    found, issues = infer_type(tree, VAR_TYPES)
    assume(not issues)
    try:
        value = evaluate(tree, values, visits)
    except EvalError as error:  # the one way a well-typed tree fails: a result past the cap
        assert "beyond the limit" in error.message
        return
    assert value_type(value) == found


@given(typed_trees, VALUES)
def test_evaluation_fails_only_with_eval_error(tree, values):
    try:
        evaluate(tree, values, {})
    except EvalError as error:
        assert error.message


def _check_outcome(parse, source):
    try:
        parse(source)
    except ExprError as error:
        assert 0 <= error.offset <= min(len(source), MAX_SOURCE_CHARS)
        assert error.message
        return False
    return True


TOKENS = [
    "a",
    "b",
    "1",
    "'x'",
    "(",
    ")",
    "not",
    "and",
    "or",
    "+",
    "-",
    "==",
    "<",
    ">=",
    "visits",
    "=",
    "+=",
    ",",
    ".",
    "*",
    "true",
    "\\",
    '"',
]


@given(st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_token_soup_parses_or_raises_expr_error(source):
    if _check_outcome(parse_expression, source):
        tree = parse_expression(source).root
        assert parse_expression(to_source(tree)).root == tree
    if _check_outcome(parse_effect, source):
        effect = parse_effect(source)
        assert parse_effect(to_source(effect)) == effect


@given(st.text(max_size=80))
def test_any_text_parses_or_raises_expr_error(source):
    _check_outcome(parse_expression, source)
    _check_outcome(parse_effect, source)
