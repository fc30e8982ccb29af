"""Random playthroughs, like ChoiceScript's randomtest.

Each run starts a new game and takes a random offered choice until an
ending, a softlock (a scene that is not an ending and offers no choice), a
runtime error, or ``max_steps`` choices. The same seed gives the same runs.
A trouble keeps the choice numbers that reached it, so
``carnet play STORY --choices 2,1,3`` replays it.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Literal

import attrs

from carnet.engine import state as sm
from carnet.engine.expr import EvalError
from carnet.engine.model import Story
from carnet.engine.state import State

DEFAULT_MAX_STEPS = 1000

TroubleKind = Literal["softlock", "error"]


@attrs.frozen
class Trouble:
    """A softlock or a runtime error, with the first path that reached it."""

    kind: TroubleKind
    scene: str
    message: str
    choices: tuple[int, ...]
    scenes: tuple[str, ...]
    count: int = 1


@attrs.frozen
class RandomReport:
    runs: int
    seed: int
    scenes: tuple[str, ...]  # every scene, in story order
    seen: frozenset[str]
    choices: tuple[tuple[str, int], ...]  # (scene, index) of every choice of a non-ending scene
    taken: frozenset[tuple[str, int]]
    endings: tuple[tuple[str, str, int], ...]  # (scene, label, runs that ended there)
    troubles: tuple[Trouble, ...]
    unfinished: int  # runs stopped at max_steps

    @property
    def ok(self) -> bool:
        return not self.troubles


def _render(story: Story, state: State) -> None:
    """Show the state as a player would see it, so text errors surface too."""
    sm.scene_text(story, state)
    for option in sm.options(story, state):
        sm.option_text(state, option)


def random_runs(story: Story, runs: int, seed: int,
                max_steps: int = DEFAULT_MAX_STEPS) -> RandomReport:
    rng = random.Random(seed)
    seen: set[str] = set()
    taken: set[tuple[str, int]] = set()
    endings: Counter[str] = Counter()
    troubles: dict[tuple[str, str, str], Trouble] = {}
    unfinished = 0

    def trouble(kind: TroubleKind, scene: str, message: str, numbers: list[int],
                path: tuple[str, ...]) -> None:
        key = (kind, scene, message)
        if key in troubles:
            troubles[key] = attrs.evolve(troubles[key], count=troubles[key].count + 1)
        else:
            troubles[key] = Trouble(kind, scene, message, tuple(numbers), path)

    for _ in range(runs):
        numbers: list[int] = []
        try:
            state = sm.new_game(story)
        except EvalError as err:
            trouble("error", story.start, str(err), numbers, (story.start,))
            continue
        seen.update(state.path)
        for _step in range(max_steps):
            scene = story.scenes[state.scene]
            try:
                _render(story, state)
                offered = sm.options(story, state)
            except EvalError as err:
                trouble("error", state.scene, str(err), numbers, tuple(state.path))
                break
            if scene.is_ending:
                endings[scene.id] += 1
                break
            if not offered:
                trouble("softlock", state.scene,
                        f"scene {state.scene!r} is not an ending and offers no choice",
                        numbers, tuple(state.path))
                break
            option = rng.choice(offered)
            numbers.append(option.number)
            try:
                state = sm.take(story, state, option.index)
            except EvalError as err:
                trouble("error", state.scene,
                        f"choice {option.number} of scene {state.scene!r}: {err}",
                        numbers, (*state.path, "?"))
                break
            taken.add((scene.id, option.index))
            seen.add(state.scene)
        else:
            unfinished += 1
    all_choices = tuple((s.id, i) for s in story.scenes.values() if not s.is_ending
                        for i in range(len(s.choices)))
    return RandomReport(
        runs=runs, seed=seed, scenes=tuple(story.scenes), seen=frozenset(seen),
        choices=all_choices, taken=frozenset(taken),
        endings=tuple((s.id, s.ending or "", endings[s.id]) for s in story.endings),
        troubles=tuple(troubles.values()), unfinished=unfinished)
