"""The step's fast parts agree with the reference: closures with the tree
evaluator, shared visit counts and trails with plain dicts and tuples."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from carnet.engine.expr import EvalError, apply_effect, evaluate
from carnet.engine.expr.fast import fast_apply, fast_effects, fast_evaluate
from carnet.engine.expr.nodes import Binary, Effect, Lit, Node, Unary, Var, Visits
from carnet.engine.state import Counts, State, Trail

BINARY_OPS = ["and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-"]


def trees(leaves: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        return st.builds(Unary, st.sampled_from(["not", "-"]), children) | st.builds(
            Binary, st.sampled_from(BINARY_OPS), children, children)

    return st.recursive(leaves, extend, max_leaves=12)


NAMES = ["a", "b", "n", "s"]
values = st.one_of(st.booleans(), st.integers(-(10**18) + 1, 10**18 - 1),
                   st.integers(-5, 5), st.text(max_size=4))
leaves = st.one_of(values.map(Lit), st.sampled_from([*NAMES, "missing"]).map(Var),
                   st.sampled_from(["x", "y"]).map(Visits))
variables = st.fixed_dictionaries({name: values for name in NAMES})
visits = st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 9))


def outcome(run: Any) -> tuple[str, object]:
    try:
        value = run()
    except EvalError as err:
        return ("error", err.message)
    return ("value", (type(value), value))


@given(trees(leaves), variables, visits)
def test_the_fast_evaluator_gives_the_reference_values_and_errors(tree, vars_, seen) -> None:
    counts = Counts(seen)
    assert outcome(lambda: fast_evaluate(tree, vars_, counts)) == outcome(
        lambda: evaluate(tree, vars_, seen))


@given(trees(leaves), st.sampled_from(["=", "+=", "-="]), st.sampled_from(NAMES), variables,
       visits)
def test_fast_effects_give_the_reference_results_and_errors(tree, op, name, vars_, seen) -> None:
    effect = Effect("x", name, op, tree)
    assert outcome(lambda: fast_apply(effect, vars_, seen)) == outcome(
        lambda: apply_effect(effect, vars_, seen))


@given(st.lists(st.sampled_from([f"s{i}" for i in range(300)]), max_size=400))
def test_counts_bumped_one_at_a_time_equal_a_dict(scenes: list[str]) -> None:
    counts, plain, history = Counts(), {}, []
    for scene in scenes:
        history.append((counts, dict(plain)))
        counts = counts.bumped(scene)
        plain[scene] = plain.get(scene, 0) + 1
    assert counts == plain and len(counts) == len(plain)
    assert list(counts) == sorted(plain)
    assert all(counts.get(s) == plain.get(s) for s in ["s1", "s299", "nowhere"])
    for old, then in history:  # earlier counts are untouched
        assert dict(old.items()) == then


def test_a_trail_shares_its_past_and_reads_like_a_tuple() -> None:
    first = Trail(("a", "b"))
    longer = first.then("c")
    other = first.then("d")
    assert tuple(longer) == ("a", "b", "c") and tuple(other) == ("a", "b", "d")
    assert first == ("a", "b") and len(longer) == 3 and longer[-1] == "c"
    assert longer[1:] == ("b", "c") and list(Trail()) == []


def test_a_state_built_from_dicts_and_tuples_converts_them() -> None:
    state = State(scene="a", vars={"n": 1}, visits={"a": 2}, path=("a", "a"))
    assert isinstance(state.visits, Counts) and isinstance(state.path, Trail)
    assert state.visits == {"a": 2} and state.path == ("a", "a") and state.vars == {"n": 1}


def test_counts_built_at_once_equal_the_dict_they_came_from() -> None:
    for size in (0, 5, 32, 33, 500):
        plain = {f"s{i}": i + 1 for i in range(size)}
        counts = Counts(plain)
        assert counts == plain and len(counts) == size and list(counts) == sorted(plain)
        assert counts.bumped("s0").get("s0") == (2 if size else 1)
        assert counts.sorted_items() == sorted(plain.items())


# the shapes made into one closure: ``name OP literal``, ``visits(x) OP literal``, ``not name``
simple = st.one_of(
    st.builds(Binary, st.sampled_from(BINARY_OPS),
              st.one_of(st.sampled_from([*NAMES, "missing"]).map(Var),
                        st.sampled_from(["x", "y"]).map(Visits)),
              values.map(Lit)),
    st.builds(Unary, st.sampled_from(["not", "-"]), st.sampled_from([*NAMES, "missing"]).map(Var)))


@given(simple, variables, visits)
def test_the_one_closure_shapes_give_the_reference_values_and_errors(tree, vars_, seen) -> None:
    assert outcome(lambda: fast_evaluate(tree, vars_, Counts(seen))) == outcome(
        lambda: evaluate(tree, vars_, seen))


# effects that read what the effects before them wrote
small_ints = st.fixed_dictionaries({name: st.integers(-5, 5) for name in NAMES})
reads = st.one_of(st.sampled_from(NAMES).map(Var), trees(leaves))


@given(st.lists(st.tuples(reads, st.sampled_from(["=", "+=", "-="]), st.sampled_from(NAMES)),
                max_size=4), st.one_of(small_ints, variables), visits)
def test_effects_in_a_row_give_the_reference_results_and_errors(steps, vars_, seen) -> None:
    effects = tuple(Effect("x", name, op, tree) for tree, op, name in steps)

    def one_by_one() -> dict[str, Any]:
        result = dict(vars_)
        for effect in effects:
            result = apply_effect(effect, result, seen)
        return result

    def typed(run: Any) -> Any:  # each value with its type: True and 1 differ
        return lambda: sorted((k, type(v).__name__, v) for k, v in run().items())

    assert outcome(typed(lambda: fast_effects(effects)(vars_, Counts(seen)))) == outcome(
        typed(one_by_one))
