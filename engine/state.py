"""The game state and the pure functions that move it.

A :class:`State` is an immutable value: the current scene, the variables, the
visit counts, the turn, the once-only choices taken and the path of scenes so
far. :func:`choose` returns a new state and never touches the old one, so undo
is a stack of states and a save is one state written as JSON.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import overload

import attrs

from carnet.engine.digest import sha256
from carnet.engine.expr.evaluate import evaluate
from carnet.engine.expr.fast import SLOW, Effects, Fn, closure, fast_effects
from carnet.engine.expr.nodes import Lit, Node, Value
from carnet.engine.model import Choice, Scene, Story
from carnet.engine.template import render
from carnet.engine.textcache import TextPlan

_FANOUT = 32  # a two-level trie of 32 x 32 small dicts
_EMPTY_LEAF: dict[str, int] = {}  # shared, never written to
_EMPTY_MID: list[dict[str, int]] = [_EMPTY_LEAF] * _FANOUT  # shared, never written to
_EMPTY_TOP: list[list[dict[str, int]]] = [_EMPTY_MID] * _FANOUT  # shared, never written to


_SMALL = 32  # up to this many scenes, a plain dict copied whole is cheapest


class Counts(Mapping[str, int]):
    """Visit counts, immutable, with a cheap :meth:`bumped` copy.

    Up to :data:`_SMALL` scenes, a plain dict copied on each change. Past
    that, a two-level trie of small dicts chosen by the key's hash: counting
    one more visit copies one small dict and two lists of 32, not the whole
    mapping, so a turn costs the same at the first scene and the thousandth.
    No dict or list of the trie is written to once it is in a Counts (a
    change copies what it changes), so states share them safely.
    Iteration is in sorted order (deterministic whatever the hash seed).
    """

    __slots__ = ("_len", "_small", "_top")

    _small: dict[str, int] | None
    _top: list[list[dict[str, int]]]
    _len: int

    def __init__(self, items: Mapping[str, int] | None = None) -> None:
        self._top = _EMPTY_TOP
        if not items or len(items) <= _SMALL:
            self._small = dict(items) if items else {}
            self._len = len(self._small)
            return
        self._small = None
        mids: dict[int, dict[int, dict[str, int]]] = {}
        for key, count in items.items():
            code = hash(key)
            mids.setdefault(code & 31, {}).setdefault((code >> 5) & 31, {})[key] = count
        self._top = [
            [mids[i].get(j, _EMPTY_LEAF) for j in range(_FANOUT)] if i in mids
            else _EMPTY_MID for i in range(_FANOUT)]
        self._len = sum(len(leaf) for mid in mids.values() for leaf in mid.values())

    def bumped(self, key: str) -> Counts:
        """These counts with one more visit of ``key``."""
        small = self._small
        new = object.__new__(Counts)
        if small is not None:
            count = small.get(key)
            if count is not None or len(small) < _SMALL:
                changed = small.copy()
                changed[key] = 1 if count is None else count + 1
                new._small, new._top, new._len = changed, _EMPTY_TOP, len(changed)
                return new
            grown = small.copy()
            grown[key] = 1
            return Counts(grown)
        code = hash(key)
        i, j = code & 31, (code >> 5) & 31
        top = self._top
        mid = top[i]
        leaf = mid[j].copy()
        count = leaf.get(key)
        leaf[key] = 1 if count is None else count + 1
        mid = mid.copy()
        mid[j] = leaf
        top = top.copy()
        top[i] = mid
        new._small, new._top = None, top
        new._len = self._len + (count is None)
        return new

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        small = self._small
        if small is not None:
            return small.get(key, default)
        code = hash(key)
        return self._top[code & 31][(code >> 5) & 31].get(key, default)

    def __getitem__(self, key: str) -> int:
        small = self._small
        if small is not None:
            return small[key]
        code = hash(key)
        return self._top[code & 31][(code >> 5) & 31][key]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        return self.get(key) is not None

    def _leaves(self) -> Iterator[dict[str, int]]:
        if self._small is not None:
            yield self._small
            return
        for mid in self._top:
            if mid is not _EMPTY_MID:
                yield from (leaf for leaf in mid if leaf)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(key for leaf in self._leaves() for key in leaf))

    def sorted_items(self) -> list[tuple[str, int]]:
        """The (scene, count) pairs in order of scene."""
        return sorted(pair for leaf in self._leaves() for pair in leaf.items())

    def __len__(self) -> int:
        return self._len

    def __repr__(self) -> str:
        return f"Counts({dict(self.sorted_items())!r})"


class Trail(Sequence[str]):
    """The path of scenes so far, immutable, shared between states: each
    state adds one link to its parent's trail instead of copying it."""

    __slots__ = ("_len", "_parent", "_scene")

    def __init__(self, scenes: Iterable[str] = ()) -> None:
        self._parent: Trail | None = None
        self._scene = ""
        self._len = 0
        for scene in scenes:
            self._parent, self._scene, self._len = self._copy(), scene, self._len + 1

    def _copy(self) -> Trail | None:
        if self._len == 0:
            return None
        same = object.__new__(Trail)
        same._parent, same._scene, same._len = self._parent, self._scene, self._len
        return same

    def then(self, scene: str) -> Trail:
        """This trail followed by ``scene``."""
        new = object.__new__(Trail)
        new._parent = self if self._len else None
        new._scene, new._len = scene, self._len + 1
        return new

    def _scenes(self) -> list[str]:
        out: list[str] = []
        link: Trail | None = self
        while link is not None and link._len:
            out.append(link._scene)
            link = link._parent
        out.reverse()
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(self._scenes())

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self._scenes()[index])
        if index == -1 and self._len:
            return self._scene
        return self._scenes()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Trail, tuple, list)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Trail({tuple(self)!r})"


def _freeze(value: Mapping[str, Value]) -> Mapping[str, Value]:
    return value if isinstance(value, MappingProxyType) else MappingProxyType(dict(value))


def _counts(value: Mapping[str, int]) -> Counts:
    return value if isinstance(value, Counts) else Counts(value)


def _trail(value: Iterable[str]) -> Trail:
    return value if isinstance(value, Trail) else Trail(value)


@attrs.frozen(eq=False)
class State:
    """Build one with keyword arguments (plain dicts and tuples are fine: they
    are converted); the engine's own steps go through :func:`_state`, which
    skips the conversions."""

    scene: str
    vars: Mapping[str, Value] = attrs.field(converter=_freeze)
    visits: Counts = attrs.field(converter=_counts)
    turn: int = 0
    once: frozenset[str] = frozenset()
    path: Sequence[str] = attrs.field(default=Trail(), converter=_trail)  # always a Trail
    # not part of the state: what the engine worked out about it for a story
    # (the story, its scene's plan, its options once known), so that showing
    # a state and then choosing from it works nothing out twice
    _memo: _Memo | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def key(self) -> tuple[object, ...]:
        """A hashable summary of everything that decides what happens next."""
        return (self.scene, tuple(sorted(self.vars.items())),
                tuple(_counts(self.visits).sorted_items()), self.once)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, State):
            return NotImplemented
        return (self.key(), self.turn, self.path) == (other.key(), other.turn, other.path)

    def __hash__(self) -> int:
        return hash((self.key(), self.turn))


# the State's slots written directly (a frozen class refuses setattr): the hot path
_slots = State.__dict__
_set_scene, _set_vars, _set_visits, _set_turn, _set_once, _set_path, _set_memo = (
    _slots[name].__set__
    for name in ("scene", "vars", "visits", "turn", "once", "path", "_memo"))


def _state(scene: str, variables: Mapping[str, Value], visits: Counts, turn: int,
           once: frozenset[str], path: Sequence[str], memo: _Memo | None = None) -> State:
    """A State from parts already in their final form (no converters: the hot path)."""
    new = object.__new__(State)
    _set_scene(new, scene)
    _set_vars(new, variables)
    _set_visits(new, visits)
    _set_turn(new, turn)
    _set_once(new, once)
    _set_path(new, path)
    _set_memo(new, memo)
    return new


@attrs.frozen
class Option:
    """A choice the player can take now: ``number`` is what they type."""

    number: int
    index: int  # position in the scene's choices
    choice: Choice


@attrs.frozen
class Hidden:
    """A choice not offered now, and why."""

    index: int
    choice: Choice
    reason: str


class ChoiceError(ValueError):
    """The number given is not a choice available in this state."""


def once_key(scene_id: str, choice: Choice) -> str:
    """The flag a once-only choice leaves when taken: its scene, its target and
    a hash of its text, so that reordering a scene's choices keeps the flags
    of saved games on the right choices (``hall>yard#3f2a9c01d2e4``)."""
    return _once_key(scene_id, choice.target, choice.text)


@functools.lru_cache(maxsize=4096)
def _once_key(scene_id: str, target: str, text: str) -> str:
    digest = sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{scene_id}>{target}#{digest}"


# --- plans: what a step needs of a scene, worked out on its first visit --------------

PLANS_MAX = 20_000
"""The most scenes with a plan at once; past it every plan is dropped (and made
again when its scene is next played). A plan also goes with its scene."""
OPTION_SETS_PER_SCENE = 64
"""The most sets of numbered options kept per scene (emptied when full)."""


_ALWAYS = Lit(True)


class _ChoicePlan:
    """One choice, ready to offer and take: its condition as a closure
    (``test``, None when there is none) and as the tree the reference evaluator
    reads when the closure gives up (``node``), its effects as one function,
    its once-only flag."""

    __slots__ = ("bit", "effects", "flag", "node", "target", "test")

    def __init__(self, scene_id: str, index: int, choice: Choice) -> None:
        self.bit = 1 << index
        self.target = choice.target
        self.flag = once_key(scene_id, choice) if choice.once else None
        condition = choice.condition
        self.node: Node = _ALWAYS if condition is None else condition.root
        self.test: Fn | None = None if condition is None else closure(self.node)
        self.effects: Effects | None = fast_effects(choice.effects) if choice.effects else None


class _ScenePlan:
    __slots__ = ("choices", "ending", "numbered", "on_enter", "ref", "revisit", "scene_id",
                 "text")

    def __init__(self, scene: Scene, ref: weakref.ref[Scene]) -> None:
        self.ref = ref
        self.scene_id = scene.id
        self.ending = scene.ending is not None
        self.choices = tuple(_ChoicePlan(scene.id, i, c) for i, c in enumerate(scene.choices))
        self.on_enter: Effects | None = fast_effects(scene.on_enter) if scene.on_enter else None
        self.text = TextPlan(scene.text)
        self.revisit = None if scene.revisit is None else TextPlan(scene.revisit)
        self.numbered: dict[int, tuple[Option, ...]] = {}  # by the bits of the open choices


_Memo = tuple[Story, _ScenePlan, "tuple[Option, ...] | None"]
"""A state's memo: the story it was worked out for, the plan of the state's
scene in that story, and the options offered (None until worked out)."""

_PLANS: dict[int, _ScenePlan] = {}  # by id(scene); the plan holds the scene weakly


def _plan(scene: Scene) -> _ScenePlan:
    plan = _PLANS.get(id(scene))
    if plan is not None and plan.ref() is scene:
        return plan
    if len(_PLANS) >= PLANS_MAX:
        _PLANS.clear()
    key = id(scene)

    def forget(ref: weakref.ref[Scene]) -> None:  # the scene is gone: so is its plan
        known = _PLANS.get(key)
        if known is not None and known.ref is ref:
            del _PLANS[key]

    plan = _PLANS[key] = _ScenePlan(scene, weakref.ref(scene, forget))
    return plan


# --- moving ---------------------------------------------------------------------------


def _enter(story: Story, scene_id: str, variables: Mapping[str, Value], visits: Counts,
           turn: int, once: frozenset[str], path: Sequence[str]) -> State:
    """The state on entering ``scene_id``: the visit counted, then its ``on_enter``."""
    plan = _plan(story.scenes[scene_id])
    visits = visits.bumped(scene_id)
    if plan.on_enter is not None:
        variables = MappingProxyType(plan.on_enter(variables, visits))
    return _state(scene_id, variables, visits, turn, once, _trail(path).then(scene_id),
                  (story, plan, None))


def enter(story: Story, state: State, scene_id: str) -> State:
    """Enter ``scene_id``: count the visit, then apply its ``on_enter`` effects."""
    return _enter(story, scene_id, state.vars, state.visits, state.turn, state.once,
                  state.path)


def new_game(story: Story) -> State:
    blank = State(scene=story.start, vars=story.defaults(), visits={}, turn=0)
    return enter(story, blank, story.start)


def current_scene(story: Story, state: State) -> Scene:
    return story.scenes[state.scene]


def is_open(story: Story, state: State, index: int) -> bool:
    choice = _plan_of(story, state).choices[index]
    if choice.flag is not None and choice.flag in state.once:
        return False
    test = choice.test
    if test is None:
        return True
    try:
        return test(state.vars, state.visits) is True
    except SLOW:
        return evaluate(choice.node, state.vars, state.visits) is True


def _plan_of(story: Story, state: State) -> _ScenePlan:
    """The plan of the state's scene in ``story``."""
    memo = state._memo
    if memo is not None and memo[0] is story:
        return memo[1]
    return _plan(story.scenes[state.scene])


def options(story: Story, state: State) -> tuple[Option, ...]:
    """The choices offered now, numbered from 1."""
    memo = state._memo
    if memo is not None and memo[0] is story:
        if memo[2] is not None:
            return memo[2]
        plan = memo[1]
    else:
        plan = _plan(story.scenes[state.scene])
    if plan.ending:
        return ()
    variables, visits, once = state.vars, state.visits, state.once
    open_ = 0
    for choice in plan.choices:
        flag = choice.flag
        if flag is not None and flag in once:
            continue
        test = choice.test
        if test is not None:
            try:
                holds = test(variables, visits)
            except SLOW:
                holds = evaluate(choice.node, variables, visits)
            if holds is not True:
                continue
        open_ |= choice.bit
    offered = plan.numbered.get(open_)
    if offered is None:
        offered = _numbered(story.scenes[state.scene], plan, open_)
    _set_memo(state, (story, plan, offered))
    return offered


def _numbered(scene: Scene, plan: _ScenePlan, open_: int) -> tuple[Option, ...]:
    """The options for the choices whose bits are in ``open_``, made once per scene."""
    if len(plan.numbered) >= OPTION_SETS_PER_SCENE:
        plan.numbered.clear()
    indexes = [i for i in range(len(scene.choices)) if open_ >> i & 1]
    offered = tuple(Option(n, i, scene.choices[i]) for n, i in enumerate(indexes, start=1))
    plan.numbered[open_] = offered
    return offered


def hidden(story: Story, state: State) -> tuple[Hidden, ...]:
    """The choices of this scene that are not offered now, with the reason."""
    scene = story.scenes[state.scene]
    result = []
    for i, choice in enumerate(scene.choices):
        if choice.once and once_key(scene.id, choice) in state.once:
            result.append(Hidden(i, choice, "once-only, already taken"))
        elif choice.condition is not None and not is_open(story, state, i):
            result.append(Hidden(i, choice, f"if: {choice.condition.source}"))
    return tuple(result)


def take(story: Story, state: State, index: int) -> State:
    """Take the choice at ``index`` of the current scene, open or not (for tools)."""
    choice = _plan_of(story, state).choices[index]
    variables = state.vars
    if choice.effects is not None:
        variables = MappingProxyType(choice.effects(variables, state.visits))
    once = state.once if choice.flag is None else state.once | {choice.flag}
    return _enter(story, choice.target, variables, state.visits, state.turn + 1, once,
                  state.path)


def choose(story: Story, state: State, number: int) -> State:
    """Take the choice the player numbered ``number``. Raises :class:`ChoiceError`."""
    offered = options(story, state)
    if 0 < number <= len(offered):
        return take(story, state, offered[number - 1].index)
    if not offered:
        raise ChoiceError("there is nothing to choose here")
    raise ChoiceError(f"{number} is not a choice here (1-{len(offered)})")


def is_over(story: Story, state: State) -> bool:
    """True at an ending, and at a dead end where nothing can be chosen."""
    return story.scenes[state.scene].is_ending or not options(story, state)


def scene_text(story: Story, state: State) -> tuple[str, ...]:
    """The current scene's paragraphs as shown now: ``revisit`` from the second
    visit on, conditional text decided, variables filled in."""
    plan = _plan_of(story, state)
    text = plan.text
    if plan.revisit is not None and (state.visits.get(plan.scene_id) or 0) > 1:
        text = plan.revisit
    return text.render(state.vars, state.visits)


def option_text(state: State, option: Option) -> str:
    return render(option.choice.template, state.vars, state.visits)


def canon_index(story: Story, state: State) -> int | None:
    """The index of the scene's canonical choice, when it is offered now."""
    for option in options(story, state):
        if option.choice.canon:
            return option.index
    return None
