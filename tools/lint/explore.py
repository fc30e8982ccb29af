"""Semantic exploration: every reachable game state, as the engine plays it.

The graph rules ignore conditions; this walks the real state space from the
start with :mod:`carnet.engine.state` (``new_game``, ``options``, ``take``), breadth
first, so the first path found to anything is a shortest one.

A state is keyed by its scene, its variables, the once-only choices taken and
the visit counts of the scenes named in some ``visits(...)``; a once-only
choice taken in a scene that no cycle leads back to is forgotten. A count only
ever compared with integer constants is capped at one more than the largest
of them (beyond it, every comparison gives the same answer); a count used in
any other way is kept exact. The turn and the path decide nothing and are
dropped. With at most ``max_states`` states (and ``WORK_PER_STATE`` choices
looked at per state allowed) the walk may stop early: then
``complete`` is False and only what was found (softlocks, failures) is
certain, not what was not found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping

import attrs

from carnet.engine.expr import EvalError
from carnet.engine.expr.nodes import Binary, Lit, Node, Unary, Visits
from carnet.engine.model import Story
from carnet.engine.state import State, is_open, new_game, once_key, options, take
from carnet.tools.lint.graph import Graph, build_graph
from carnet.tools.lint.show import short

DEFAULT_MAX_STATES = 20_000
# Work bound besides the states: choices looked at, per state allowed. A
# hostile story with thousands of choices per scene stops early instead of
# running for hours.
WORK_PER_STATE = 50
MAX_WITNESS_SHOWN = 20
_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">="})


@attrs.frozen
class Step:
    """One choice of a witness: the number the player types, and its text."""

    number: int
    text: str


Witness = tuple[Step, ...]


@attrs.frozen
class Failure:
    """An expression that fails while playing (e.g. a string grown too long)."""

    scene: str
    index: int | None  # the choice whose condition or effects failed; None: on entering
    message: str
    witness: Witness


@attrs.frozen
class Exploration:
    states: int
    complete: bool
    scenes_reached: frozenset[str]
    offered: frozenset[tuple[str, int]]  # (scene, choice index) offered somewhere
    softlocks: Mapping[str, Witness]  # scene -> shortest way to a stuck state there
    failures: tuple[Failure, ...]


def _expressions(story: Story) -> Iterator[Node]:
    for scene in story.scenes.values():
        for effect in scene.on_enter:
            yield effect.value
        for choice in scene.choices:
            if choice.condition is not None:
                yield choice.condition.root
            for effect in choice.effects:
                yield effect.value


def _constant(node: Node) -> int | None:
    """An integer literal, or the negation of one."""
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Lit):
        value = node.operand.value
        return -value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(node, Lit) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def visit_caps(story: Story) -> dict[str, int | None]:
    """The scenes whose visits matter, each with its cap (None: keep it exact)."""
    constants: dict[str, list[int]] = {}
    exact: set[str] = set()
    for root in _expressions(story):
        stack: list[tuple[Node, Node | None]] = [(root, None)]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, Visits):
                other = None
                if isinstance(parent, Binary) and parent.op in _COMPARE:
                    other = _constant(parent.right if parent.left is node else parent.left)
                if other is None:
                    exact.add(node.scene)
                else:
                    constants.setdefault(node.scene, []).append(other)
            elif isinstance(node, Unary):
                stack.append((node.operand, node))
            elif isinstance(node, Binary):
                stack.append((node.left, node))
                stack.append((node.right, node))
    caps: dict[str, int | None] = {}
    for scene in sorted(exact | constants.keys()):
        caps[scene] = None if scene in exact else max(0, *constants[scene]) + 1
    return caps


class _Walk:
    """The BFS's tables: states by index, with the step that first reached each."""

    def __init__(self, story: Story, max_states: int, graph: Graph) -> None:
        self.story = story
        self.max_states = max_states
        self.caps = visit_caps(story)
        # a once-only choice taken in a scene that can never be entered again
        # decides nothing more: forgetting it keeps a long story linear
        self.once_kept = frozenset(
            once_key(sid, choice) for sid in graph.on_cycle
            for choice in story.scenes[sid].choices if choice.once)
        self.names = tuple(story.variables)
        self.index: dict[tuple[object, ...], int] = {}
        self.states: list[State] = []
        self.parents: list[tuple[int, Step] | None] = []
        self.complete = True
        self.work = 0

    def normal(self, state: State) -> State:
        visits = {}
        for scene, cap in self.caps.items():
            count = state.visits.get(scene, 0)
            if count:
                visits[scene] = count if cap is None else min(count, cap)
        return State(state.scene, state.vars, visits, 0, state.once & self.once_kept, ())

    def key(self, state: State) -> tuple[object, ...]:
        return (state.scene, tuple(state.vars[n] for n in self.names),
                tuple(state.visits.get(s, 0) for s in self.caps), state.once)

    def add(self, state: State, parent: tuple[int, Step] | None) -> int | None:
        """The new state's index; None when it was seen or the bound is reached."""
        state = self.normal(state)
        key = self.key(state)
        if key in self.index:
            return None
        if len(self.states) >= self.max_states:
            self.complete = False
            return None
        self.index[key] = len(self.states)
        self.states.append(state)
        self.parents.append(parent)
        return len(self.states) - 1

    def spend(self, work: int) -> bool:
        """Count work done; False (and incomplete) once the budget is spent."""
        self.work += work
        if self.work > WORK_PER_STATE * self.max_states:
            self.complete = False
        return self.complete

    def stopped(self) -> bool:
        """True once a new state was refused for the bound."""
        return not self.complete

    def witness(self, i: int) -> Witness:
        steps: list[Step] = []
        link = self.parents[i]
        while link is not None:
            steps.append(link[1])
            link = self.parents[link[0]]
        return tuple(reversed(steps))


def explore(story: Story, max_states: int = DEFAULT_MAX_STATES,
            graph: Graph | None = None) -> Exploration:
    """Walk every reachable state (up to ``max_states``) from a new game."""
    walk = _Walk(story, max(1, max_states), graph or build_graph(story))
    failures: dict[tuple[str, int | None], Failure] = {}
    softlocks: dict[str, Witness] = {}
    offered: set[tuple[str, int]] = set()
    try:
        first = new_game(story)
    except EvalError as err:
        failures[(story.start, None)] = Failure(story.start, None, f"on entering: {err}", ())
        return Exploration(0, True, frozenset(), frozenset(), {}, tuple(failures.values()))
    queue = deque([walk.add(first, None)])
    while queue and not walk.stopped():
        i = queue.popleft()
        assert i is not None
        state = walk.states[i]
        scene = story.scenes[state.scene]
        if scene.is_ending:
            continue
        if not walk.spend(len(scene.choices) + 1):
            break
        try:
            open_ = options(story, state)
        except EvalError as err:
            where = _failing_condition(story, state)
            failures.setdefault((scene.id, where),
                                Failure(scene.id, where, str(err), walk.witness(i)))
            continue
        if not open_ and scene.choices and scene.id not in softlocks:
            softlocks[scene.id] = walk.witness(i)
        for option in open_:
            offered.add((scene.id, option.index))
            step = Step(option.number, option.choice.text)
            try:
                after = take(story, state, option.index)
            except EvalError as err:
                failures.setdefault((scene.id, option.index), Failure(
                    scene.id, option.index, str(err), (*walk.witness(i), step)))
                continue
            added = walk.add(after, (i, step))
            if added is not None:
                queue.append(added)
            elif walk.stopped():
                break
    reached = frozenset(s.scene for s in walk.states)
    return Exploration(len(walk.states), walk.complete, reached, frozenset(offered),
                       softlocks, tuple(sorted(failures.values(), key=_failure_order)))


def _failing_condition(story: Story, state: State) -> int | None:
    """The index of the first choice whose condition fails to evaluate."""
    for index in range(len(story.scenes[state.scene].choices)):
        try:
            is_open(story, state, index)
        except EvalError:
            return index
    return None  # pragma: no cover - options() failed, so one of them does


def _failure_order(failure: Failure) -> tuple[str, int]:
    return (failure.scene, -1 if failure.index is None else failure.index)


def reached_by(witness: Witness, limit: int = 40) -> str:
    """``reached by: 1 'Go north' -> 2 'Open the door'`` (texts cut at ``limit``)."""
    if not witness:
        return "reached at the start of a new game"
    parts = [f"{step.number} {short(step.text, limit)!r}" for step in witness]
    if len(parts) > MAX_WITNESS_SHOWN:  # the first steps and the last ones
        head, tail = MAX_WITNESS_SHOWN // 4, MAX_WITNESS_SHOWN - MAX_WITNESS_SHOWN // 4
        hidden = len(parts) - head - tail
        parts = [*parts[:head], f"... {hidden} more choices ...", *parts[-tail:]]
    return "reached by: " + " -> ".join(parts)
