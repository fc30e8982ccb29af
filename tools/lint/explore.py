"""Semantic exploration: every reachable game state, as the engine plays it.

The graph rules ignore conditions; this walks the real state space from the
start with :mod:`carnet.engine.state` (``new_game``, ``options``, ``take``), breadth
first, so the first path found to anything is a shortest one.

A state is keyed by what decides its future, and nothing else: its scene,
the variables still read from there on, the once-only choices of scenes that
can be entered again, and the visit counts of the scenes named in some
``visits(...)`` that is still read from there on. "From there on" is judged
with the scene graph's strongly connected components in topological order:
a value only read in scenes that come earlier in that order can never be read
again, so it is reset (a variable to its default, a count to zero). A count
only ever compared with integer constants is capped at one more than the
largest of them (beyond it, every comparison gives the same answer); a count
used in any other way is kept exact. The turn and the path decide nothing and
are dropped. The cost of a state therefore follows the story around it, not
the size of the whole story.

The walk is bounded three ways, all scaled by ``max_states``: the number of
states; the work done (choices, conditions and effects looked at, variables
copied, the size of the values built: ``WORK_PER_STATE`` units per state
allowed); and the memory the states kept take (variables, counts, flags and
the size of long strings and big integers: ``MEMORY_PER_STATE`` cells per
state allowed). Then ``complete`` is False, ``bound`` says which bound was
reached, and only what was found (softlocks, failures) is certain, not what
was not found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping

import attrs

from carnet.engine.expr import EvalError, evaluate
from carnet.engine.expr.nodes import Effect, Node, Value
from carnet.engine.model import Story
from carnet.engine.state import State, is_open, new_game, once_key, options, take
from carnet.engine.template import TextCondition, block_conditions, template_conditions
from carnet.tools.lint.graph import Graph, build_graph
from carnet.tools.lint.index import StoryIndex
from carnet.tools.lint.show import short

DEFAULT_MAX_STATES = 20_000
# The work and memory allowed per state of --max-states. A unit of work is
# about one expression node evaluated or one variable copied; a cell is one
# variable, count or flag kept, or 8 characters of a string, or 64 bits of an
# integer. Normal stories stay far below both (a state of a story with 50
# variables and 4 choices costs about 300 units and 50 cells); a story that
# grows its values, or changes many variables with many effects, reaches them
# in seconds instead of running for minutes.
WORK_PER_STATE = 1_000
MEMORY_PER_STATE = 200
MAX_WITNESS_SHOWN = 20
# Python hashes an integer modulo 2**61 - 1: 2**k for every k falls into 61
# buckets. Integers this big go into state keys as bytes instead.
_BIG = 2**60

BOUND_STATES = "states"
BOUND_WORK = "work"
BOUND_MEMORY = "memory"


@attrs.frozen
class Step:
    """One choice of a witness: the number the player types, and its text."""

    number: int
    text: str


Witness = tuple[Step, ...]
TextKey = tuple[str, tuple[str | int, ...], int]


_NO_ONCE: frozenset[str] = frozenset()  # one empty set for the states that keep none


def text_key(scene: str, condition: TextCondition) -> TextKey:
    return (scene, condition.path, condition.offset)


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
    # (scene, choice index) of a choice whose condition was false somewhere it
    # was looked at (not hidden as a once-only choice already taken)
    refused: frozenset[tuple[str, int]] = frozenset()
    bound: str | None = None  # which bound stopped the walk: states, work or memory
    # the values each condition in text took where its text was shown, by
    # (scene, path, offset) of the condition (see TextCondition)
    text_values: Mapping[TextKey, frozenset[bool]] = attrs.field(factory=dict)


def visit_caps(story: Story, index: StoryIndex | None = None) -> dict[str, int | None]:
    """The scenes whose visits matter, each with its cap (None: keep it exact)."""
    constants: dict[str, list[int]] = {}
    exact: set[str] = set()
    for use in (index or StoryIndex.of(story)).distinct():
        for scene, other in use.visit_uses:
            if other is None:
                exact.add(scene)
            else:
                constants.setdefault(scene, []).append(other)
    for sid, shown in story.scenes.items():  # revisit text: the first entry or a later one
        if shown.revisit is not None:
            constants.setdefault(sid, []).append(1)
    caps: dict[str, int | None] = {}
    for scene in sorted(exact | constants.keys()):
        caps[scene] = None if scene in exact else max(0, *constants[scene]) + 1
    return caps


def _effects_cost(index: StoryIndex, effects: tuple[Effect, ...], copy: int) -> int:
    return sum(copy + index.facts(e.value).nodes for e in effects)


def _size(value: Value) -> int:
    """Cells a value takes beyond its own: long strings and big integers."""
    if isinstance(value, str):
        return len(value) >> 3
    return int(value).bit_length() >> 6  # a bool: 0


@attrs.frozen
class Liveness:
    """Until where (a topological level of the scene graph) each value is read.

    ``level`` gives each scene the position of its strongly connected
    component in topological order (a choice never leads to a lower level).
    A variable or a visit count is read for the last time at the highest
    level of a scene that reads it; in a state at a higher level it can
    never be read again.
    """

    level: Mapping[str, int]
    var_last: Mapping[str, int]  # -1: never read
    visit_last: Mapping[str, int]

    @classmethod
    def of(cls, story: Story, graph: Graph, index: StoryIndex | None = None) -> Liveness:
        level = graph.level
        var_last = dict.fromkeys(story.variables, -1)
        visit_last: dict[str, int] = {}
        uses = (index or StoryIndex.of(story)).scenes
        for sid, scene in story.scenes.items():
            at = level[sid]
            use = uses[sid]
            for name in (*use.reads, *use.updates):  # x += 1 reads x
                if var_last.get(name, -1) < at:
                    var_last[name] = at
            # which text is shown (revisit or not) reads the scene's own count
            counts = [counted for counted, _ in use.visit_uses]
            if scene.revisit is not None:
                counts.append(sid)
            for counted in counts:
                if visit_last.get(counted, -1) < at:
                    visit_last[counted] = at
        return cls(level, var_last, visit_last)


TextChecks = tuple[tuple[TextKey, Node], ...]
Counted = tuple[tuple[str, int], ...]  # the visit counts a state keeps, sorted
Queued = tuple[int, State, tuple[str, ...]]  # index, state, scenes counted


def _checks(scene_id: str, conditions: Iterator[TextCondition]) -> TextChecks:
    return tuple((text_key(scene_id, c), c.expression.root) for c in conditions)


def _decide(checks: TextChecks, state: State, values: dict[TextKey, set[bool]]) -> int:
    """Evaluate each text condition in ``state``, record its value; the work done."""
    work = 0
    for key, root in checks:
        work += 1
        try:
            value = evaluate(root, state.vars, state.visits) is True
        except EvalError:
            continue  # shown as an error in play: X405's kind of problem, not this one
        values.setdefault(key, set()).add(value)
    return work


class _Walk:
    """The BFS's tables: state keys, with the step that first reached each."""

    def __init__(self, story: Story, max_states: int, graph: Graph,
                 index: StoryIndex | None = None) -> None:
        index = index or StoryIndex.of(story)
        self.story = story
        self.max_states = max_states
        self.caps = visit_caps(story, index)
        self.live = Liveness.of(story, graph, index)
        # a once-only choice decides something only while its scene can be
        # entered again: in its own strongly connected component (on a cycle)
        self.once_level = {
            once_key(sid, choice): self.live.level[sid] for sid in graph.on_cycle
            for choice in story.scenes[sid].choices if choice.once}
        self.names = tuple(story.variables)
        self.int_slots = tuple(i for i, var in enumerate(story.variables.values())
                               if var.type == "int")
        self.defaults = story.defaults()
        self._dead: dict[int, tuple[str, ...]] = {}
        self._pairs: dict[tuple[str, int], tuple[str, int]] = {}
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}  # counted scenes, shared
        self._text: dict[tuple[str, bool], TextChecks] = {}
        self._choice_text: dict[tuple[str, int], TextChecks] = {}
        self.index: dict[tuple[object, ...], int] = {}
        self.parents: list[tuple[int, Step] | None] = []
        self.reached: set[str] = set()
        self.bound: str | None = None
        self.work_left = WORK_PER_STATE * max_states
        self.memory_left = MEMORY_PER_STATE * max_states
        nodes = index.facts
        self.expand_cost = {
            sid: 1 + sum(1 + (nodes(c.condition.root).nodes if c.condition else 0)
                         for c in scene.choices)
            for sid, scene in story.scenes.items()}
        copy = len(self.names) + 1  # the engine copies the variables for each effect
        self.take_cost = {
            (sid, i): copy + _effects_cost(index, c.effects, copy)
            + _effects_cost(index, story.scenes[c.target].on_enter, copy)
            for sid, scene in story.scenes.items() for i, c in enumerate(scene.choices)}

    def text_checks(self, scene_id: str, again: bool) -> TextChecks:
        """The conditions of the scene's text as shown on a first entry, or
        (``again``) on a later one."""
        checks = self._text.get((scene_id, again))
        if checks is None:
            scene = self.story.scenes[scene_id]
            shown = scene.revisit if again and scene.revisit is not None else scene.text
            checks = self._text[(scene_id, again)] = _checks(scene_id, block_conditions(shown))
        return checks

    def choice_checks(self, scene_id: str, index: int) -> TextChecks:
        """The conditions in the text of a choice (shown when it is offered)."""
        checks = self._choice_text.get((scene_id, index))
        if checks is None:
            template = self.story.scenes[scene_id].choices[index].template
            checks = self._choice_text[(scene_id, index)] = _checks(
                scene_id, template_conditions(template))
        return checks

    def stopped(self) -> bool:
        """True once a bound is reached."""
        return self.bound is not None

    def _dead_vars(self, level: int) -> tuple[str, ...]:
        dead = self._dead.get(level)
        if dead is None:
            dead = self._dead[level] = tuple(
                n for n in self.names if self.live.var_last[n] < level)
        return dead

    def normal(self, state: State, prior: tuple[str, ...]) -> tuple[State, Counted]:
        """``state`` without what can no longer decide anything, and its visit
        counts kept, sorted. ``prior``: the scenes whose counts the state it
        came from kept (only those, and the scene just entered, can count)."""
        level = self.live.level[state.scene]
        visits = {}
        for scene in (*prior, state.scene):
            if scene in self.caps and self.live.visit_last[scene] >= level:
                count = state.visits.get(scene) or 0
                cap = self.caps[scene]
                visits[scene] = count if cap is None else min(count, cap)
        variables: Mapping[str, Value] = state.vars
        defaults = self.defaults
        dead = [n for n in self._dead_vars(level) if variables[n] != defaults[n]]
        if dead:
            variables = {**variables, **{n: defaults[n] for n in dead}}
        once = frozenset(k for k in state.once if self.once_level.get(k) == level) or _NO_ONCE
        pairs = self._pairs  # each (scene, count) pair made once and shared by every state
        counted = tuple([pairs.setdefault(pair, pair) for pair in sorted(visits.items())])
        return State(state.scene, variables, visits, 0, once, ()), counted

    def key(self, state: State, counted: Counted | None = None) -> tuple[object, ...]:
        """What tells ``state`` (in normal form) apart; ``counted``: its visit
        counts, sorted, when already known."""
        variables = state.vars
        values: list[object] = [variables[n] for n in self.names]
        for i in self.int_slots:  # big integers as bytes: their hashes do not collide
            value = values[i]
            if isinstance(value, int) and not -_BIG < value < _BIG:
                values[i] = value.to_bytes(value.bit_length() // 8 + 1, "little", signed=True)
        if counted is None:
            counted = tuple(sorted(state.visits.items()))
        return (state.scene, tuple(values), counted, state.once)

    def add(self, state: State, parent: tuple[int, Step] | None,
            prior: tuple[str, ...] = ()) -> Queued | None:
        """The new state's index, normal form and counted scenes; None when it
        was seen or a bound is reached."""
        state, counted = self.normal(state, prior)
        key = self.key(state, counted)
        if key in self.index:
            return None
        if len(self.index) >= self.max_states:
            self.bound = BOUND_STATES
            return None
        cells = len(self.names) + len(state.visits) + len(state.once) + 1
        cells += sum(_size(v) for v in state.vars.values())
        self.memory_left -= cells
        self.work_left -= cells
        if self.memory_left < 0:
            self.bound = BOUND_MEMORY
            return None
        self.index[key] = len(self.parents)
        self.parents.append(parent)
        self.reached.add(state.scene)
        names = tuple([name for name, _ in counted])
        return len(self.parents) - 1, state, self._names.setdefault(names, names)

    def spend(self, work: int) -> bool:
        """Count work about to be done; False (and a bound reached) when it is
        more than what is left."""
        self.work_left -= work
        if self.work_left < 0:
            self.bound = BOUND_WORK
        return not self.stopped()

    def witness(self, i: int) -> Witness:
        steps: list[Step] = []
        link = self.parents[i]
        while link is not None:
            steps.append(link[1])
            link = self.parents[link[0]]
        return tuple(reversed(steps))


def explore(story: Story, max_states: int = DEFAULT_MAX_STATES,
            graph: Graph | None = None, index: StoryIndex | None = None) -> Exploration:
    """Walk every reachable state (up to the bounds of ``max_states``) from a new game.
    ``graph`` and ``index`` are the story's, made when not given."""
    walk = _Walk(story, max(1, max_states), graph or build_graph(story), index)
    failures: dict[tuple[str, int | None], Failure] = {}
    softlocks: dict[str, Witness] = {}
    offered: set[tuple[str, int]] = set()
    refused: set[tuple[str, int]] = set()
    text_values: dict[TextKey, set[bool]] = {}
    try:
        first = new_game(story)
    except EvalError as err:
        failures[(story.start, None)] = Failure(story.start, None, f"on entering: {err}", ())
        return Exploration(0, True, frozenset(), frozenset(), {}, tuple(failures.values()))
    added = walk.add(first, None)
    queue = deque([added] if added is not None else [])
    while queue and not walk.stopped():
        i, state, counted = queue.popleft()
        scene = story.scenes[state.scene]
        again = (state.visits.get(scene.id) or 0) > 1
        if not walk.spend(_decide(walk.text_checks(scene.id, again), state, text_values)):
            break
        if scene.is_ending:
            continue
        if not walk.spend(walk.expand_cost[scene.id]):
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
        shown = {option.index for option in open_}
        for at, choice in enumerate(scene.choices):
            if (choice.condition is not None and at not in shown
                    and not (choice.once and once_key(scene.id, choice) in state.once)):
                refused.add((scene.id, at))
        for option in open_:
            offered.add((scene.id, option.index))
            checks = walk.choice_checks(scene.id, option.index)
            work = _decide(checks, state, text_values) if checks else 0
            if not walk.spend(walk.take_cost[(scene.id, option.index)] + work):
                break
            step = Step(option.number, option.choice.text)
            try:
                after = take(story, state, option.index)
            except EvalError as err:
                failures.setdefault((scene.id, option.index), Failure(
                    scene.id, option.index, str(err), (*walk.witness(i), step)))
                continue
            added = walk.add(after, (i, step), counted)
            if added is not None:
                queue.append(added)
            elif walk.stopped():
                break
    return Exploration(len(walk.parents), not walk.stopped(), frozenset(walk.reached),
                       frozenset(offered), softlocks,
                       tuple(sorted(failures.values(), key=_failure_order)),
                       frozenset(refused), walk.bound,
                       {key: frozenset(values) for key, values in text_values.items()})


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
