"""The game state and the pure functions that move it.

A :class:`State` is an immutable value: the current scene, the variables, the
visit counts, the turn, the once-only choices taken and the path of scenes so
far. :func:`choose` returns a new state and never touches the old one, so undo
is a stack of states and a save is one state written as JSON.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import overload

import attrs

from carnet.engine.expr.fast import fast_apply, fast_evaluate
from carnet.engine.expr.nodes import Effect, Value
from carnet.engine.model import Choice, Scene, Story
from carnet.engine.template import render, render_blocks

_FANOUT = 32  # a two-level trie of 32 x 32 small dicts
_EMPTY_LEAF: dict[str, int] = {}  # shared, never written to
_EMPTY_MID: tuple[dict[str, int], ...] = (_EMPTY_LEAF,) * _FANOUT
_EMPTY_TOP: tuple[tuple[dict[str, int], ...], ...] = (_EMPTY_MID,) * _FANOUT


_SMALL = 32  # up to this many scenes, a plain dict copied whole is cheapest


class Counts(Mapping[str, int]):
    """Visit counts, immutable, with a cheap :meth:`bumped` copy.

    Up to :data:`_SMALL` scenes, a plain dict copied on each change. Past
    that, a two-level trie of small dicts chosen by the key's hash: counting
    one more visit copies one small dict and two tuples of 32, not the whole
    mapping, so a turn costs the same at the first scene and the thousandth.
    Iteration is in sorted order (deterministic whatever the hash seed).
    """

    __slots__ = ("_len", "_small", "_top")

    _small: dict[str, int] | None
    _top: tuple[tuple[dict[str, int], ...], ...]
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
        self._top = tuple(
            tuple(mids[i].get(j, _EMPTY_LEAF) for j in range(_FANOUT)) if i in mids
            else _EMPTY_MID for i in range(_FANOUT))
        self._len = sum(len(leaf) for mid in mids.values() for leaf in mid.values())

    def _with(self, key: str, count: int) -> Counts:
        small = self._small
        new = object.__new__(Counts)
        if small is not None:
            if len(small) < _SMALL or key in small:
                changed = dict(small)
                changed[key] = count
                new._small, new._top, new._len = changed, _EMPTY_TOP, len(changed)
                return new
            grown = dict(small)
            grown[key] = count
            return Counts(grown)
        code = hash(key)
        i, j = code & 31, (code >> 5) & 31
        top = self._top
        mid = top[i]
        leaf = dict(mid[j])
        grew = key not in leaf
        leaf[key] = count
        new._small = None
        new._top = (*top[:i], (*mid[:j], leaf, *mid[j + 1:]), *top[i + 1:])
        new._len = self._len + grew
        return new

    def bumped(self, key: str) -> Counts:
        """These counts with one more visit of ``key``."""
        count = self.get(key)
        return self._with(key, 1 if count is None else count + 1)

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


_set = object.__setattr__


def _state(scene: str, variables: Mapping[str, Value], visits: Counts, turn: int,
           once: frozenset[str], path: Sequence[str]) -> State:
    """A State from parts already in their final form (no converters: the hot path)."""
    new = object.__new__(State)
    _set(new, "scene", scene)
    _set(new, "vars", variables)
    _set(new, "visits", visits)
    _set(new, "turn", turn)
    _set(new, "once", once)
    _set(new, "path", path)
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
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{scene_id}>{target}#{digest}"


def _apply(effects: tuple[Effect, ...], variables: Mapping[str, Value],
           visits: Mapping[str, int]) -> Mapping[str, Value]:
    """The variables after ``effects``: the same mapping when there are none."""
    if not effects:
        return variables
    changed: Mapping[str, Value] = variables
    for effect in effects:
        changed = fast_apply(effect, changed, visits)
    return MappingProxyType(dict(changed))


def enter(story: Story, state: State, scene_id: str) -> State:
    """Enter ``scene_id``: count the visit, then apply its ``on_enter`` effects."""
    scene = story.scenes[scene_id]
    visits = state.visits.bumped(scene_id)
    variables = _apply(scene.on_enter, state.vars, visits)
    return _state(scene_id, variables, visits, state.turn, state.once,
                  _trail(state.path).then(scene_id))


def new_game(story: Story) -> State:
    blank = State(scene=story.start, vars=story.defaults(), visits={}, turn=0)
    return enter(story, blank, story.start)


def current_scene(story: Story, state: State) -> Scene:
    return story.scenes[state.scene]


def is_open(story: Story, state: State, index: int) -> bool:
    scene = story.scenes[state.scene]
    choice = scene.choices[index]
    if choice.once and once_key(scene.id, choice) in state.once:
        return False
    if choice.condition is None:
        return True
    return fast_evaluate(choice.condition.root, state.vars, state.visits) is True


_NUMBERED: dict[tuple[int, tuple[int, ...]], tuple[Scene, tuple[Option, ...]]] = {}
_NUMBERED_MAX = 100_000


def options(story: Story, state: State) -> tuple[Option, ...]:
    """The choices offered now, numbered from 1."""
    scene = story.scenes[state.scene]
    if scene.ending is not None:
        return ()
    open_: list[int] = []
    for i, choice in enumerate(scene.choices):
        if choice.once and once_key(scene.id, choice) in state.once:
            continue
        condition = choice.condition
        if condition is not None and fast_evaluate(condition.root, state.vars,
                                                   state.visits) is not True:
            continue
        open_.append(i)
    # the numbered options of a scene are values: made once per set of open choices
    key = (id(scene), tuple(open_))
    known = _NUMBERED.get(key)
    if known is not None and known[0] is scene:
        return known[1]
    if len(_NUMBERED) >= _NUMBERED_MAX:
        _NUMBERED.clear()
    offered = tuple(Option(n, i, scene.choices[i]) for n, i in enumerate(open_, start=1))
    _NUMBERED[key] = (scene, offered)  # the scene is kept, so its id is not reused
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
    scene = story.scenes[state.scene]
    choice = scene.choices[index]
    variables = _apply(choice.effects, state.vars, state.visits)
    once = state.once | {once_key(scene.id, choice)} if choice.once else state.once
    moved = _state(state.scene, variables, state.visits, state.turn + 1, once, state.path)
    return enter(story, moved, choice.target)


def choose(story: Story, state: State, number: int) -> State:
    """Take the choice the player numbered ``number``. Raises :class:`ChoiceError`."""
    offered = options(story, state)
    for option in offered:
        if option.number == number:
            return take(story, state, option.index)
    if not offered:
        raise ChoiceError("there is nothing to choose here")
    raise ChoiceError(f"{number} is not a choice here (1-{len(offered)})")


def is_over(story: Story, state: State) -> bool:
    """True at an ending, and at a dead end where nothing can be chosen."""
    return story.scenes[state.scene].is_ending or not options(story, state)


def scene_text(story: Story, state: State) -> tuple[str, ...]:
    """The current scene's paragraphs as shown now: ``revisit`` from the second
    visit on, conditional text decided, variables filled in."""
    scene = story.scenes[state.scene]
    return render_blocks(scene.blocks(state.visits.get(scene.id) or 0), state.vars, state.visits)


def option_text(state: State, option: Option) -> str:
    return render(option.choice.template, state.vars, state.visits)


def canon_index(story: Story, state: State) -> int | None:
    """The index of the scene's canonical choice, when it is offered now."""
    for option in options(story, state):
        if option.choice.canon:
            return option.index
    return None
