"""The game state and the pure functions that move it.

A :class:`State` is an immutable value: the current scene, the variables, the
visit counts, the turn, the once-only choices taken and the path of scenes so
far. :func:`choose` returns a new state and never touches the old one, so undo
is a stack of states and a save is one state written as JSON.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from carnet.engine.expr import apply_effect, evaluate
from carnet.engine.expr.nodes import Effect, Value
from carnet.engine.model import Choice, Scene, Story
from carnet.engine.text import interpolate


def _freeze(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen(eq=False)
class State:
    scene: str
    vars: Mapping[str, Value] = attrs.field(converter=_freeze)
    visits: Mapping[str, int] = attrs.field(converter=_freeze)
    turn: int = 0
    once: frozenset[str] = frozenset()
    path: tuple[str, ...] = ()

    def key(self) -> tuple[object, ...]:
        """A hashable summary of everything that decides what happens next."""
        return (self.scene, tuple(sorted(self.vars.items())),
                tuple(sorted(self.visits.items())), self.once)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, State):
            return NotImplemented
        return (self.key(), self.turn, self.path) == (other.key(), other.turn, other.path)

    def __hash__(self) -> int:
        return hash((self.key(), self.turn))


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


def _apply(effects: tuple[Effect, ...], variables: dict[str, Value],
           visits: Mapping[str, int]) -> dict[str, Value]:
    for effect in effects:
        variables = apply_effect(effect, variables, visits)
    return variables


def enter(story: Story, state: State, scene_id: str) -> State:
    """Enter ``scene_id``: count the visit, then apply its ``on_enter`` effects."""
    scene = story.scenes[scene_id]
    visits = dict(state.visits)
    visits[scene_id] = visits.get(scene_id, 0) + 1
    variables = _apply(scene.on_enter, dict(state.vars), visits)
    return attrs.evolve(state, scene=scene_id, vars=variables, visits=visits,
                        path=(*state.path, scene_id))


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
    return evaluate(choice.condition.root, state.vars, state.visits) is True


def options(story: Story, state: State) -> tuple[Option, ...]:
    """The choices offered now, numbered from 1."""
    scene = story.scenes[state.scene]
    if scene.is_ending:
        return ()
    open_ = [i for i in range(len(scene.choices)) if is_open(story, state, i)]
    return tuple(Option(n, i, scene.choices[i]) for n, i in enumerate(open_, start=1))


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
    variables = _apply(choice.effects, dict(state.vars), state.visits)
    once = state.once | {once_key(scene.id, choice)} if choice.once else state.once
    moved = attrs.evolve(state, vars=variables, once=once, turn=state.turn + 1)
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
    """The current scene's paragraphs with variables filled in."""
    return tuple(interpolate(p, state.vars) for p in story.scenes[state.scene].paragraphs)


def option_text(state: State, option: Option) -> str:
    return interpolate(option.choice.text, state.vars)


def canon_index(story: Story, state: State) -> int | None:
    """The index of the scene's canonical choice, when it is offered now."""
    for option in options(story, state):
        if option.choice.canon:
            return option.index
    return None
