"""Playing a walkthrough against a story and checking what it expects.

Pure: a loaded :class:`Story` and a parsed :class:`Walkthrough` in, the
failures out. The run stops at the first step that cannot be played; every
``expect`` met on the way is checked and each mismatch reported.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from carnet.engine import state as sm
from carnet.engine.choosing import named
from carnet.engine.expr import EvalError
from carnet.engine.expr.nodes import Value, value_type
from carnet.engine.loader import did_you_mean
from carnet.engine.model import Story
from carnet.engine.state import Option, State
from carnet.engine.text import format_value
from carnet.tools.storytest.walkthrough import At, Expect, Step, Walkthrough


@attrs.frozen
class Failure:
    """What differed, where: ``expected``/``got`` are set for a mismatch."""

    at: At
    message: str
    expected: str | None = None
    got: str | None = None

    def format(self) -> str:
        text = f"{self.at}: {self.message}"
        if self.expected is not None:
            text += f"\n    expected: {self.expected}\n    got:      {self.got}"
        return text


def flat(text: str) -> str:
    """``text`` with runs of whitespace as one space (line breaks in YAML blocks)."""
    return " ".join(text.split())


def shown(story: Story, state: State) -> str:
    """Everything shown at this state: the scene's text and the choices offered."""
    parts = list(sm.scene_text(story, state))
    parts += [sm.option_text(state, option) for option in sm.options(story, state)]
    return flat("\n".join(parts))


def pick(story: Story, state: State, choose: int | str) -> Option | str:
    """The option a step names, or why there is none."""
    offered = sm.options(story, state)
    listing = "; ".join(f"{o.number} {sm.option_text(state, o)!r}" for o in offered)
    if not offered:
        scene = story.scenes[state.scene]
        where = f"the ending {scene.ending!r}" if scene.ending else f"scene {state.scene!r}"
        return f"nothing can be chosen at {where}"
    if isinstance(choose, int):
        for option in offered:
            if option.number == choose:
                return option
        return f"no choice {choose} in scene {state.scene!r} (offered: {listing})"
    matching = named([(option, sm.option_text(state, option)) for option in offered], choose)
    if len(matching) == 1:
        return matching[0]
    if matching:
        names = "; ".join(f"{o.number} {sm.option_text(state, o)!r}" for o in matching)
        return f"{choose!r} starts more than one choice in scene {state.scene!r} ({names})"
    return f"no choice starts with {choose!r} in scene {state.scene!r} (offered: {listing})"


def _show(value: Value | None) -> str:
    if value is None:
        return "(nothing)"
    return format_value(value) if not isinstance(value, str) else repr(value)


def check_expect(story: Story, state: State, expect: Expect, text: str) -> list[Failure]:
    """Mismatches between ``expect`` and ``state``; ``text`` is what counts as shown."""
    failures: list[Failure] = []
    scene = story.scenes[state.scene]
    if expect.scene is not None:
        wanted, at = expect.scene
        if wanted not in story.scenes:
            hint = did_you_mean(wanted, story.scenes)
            failures.append(Failure(at, f"the story has no scene {wanted!r}"
                                        + (f"; {hint}" if hint else "")))
        elif wanted != state.scene:
            failures.append(Failure(at, "scene differs", repr(wanted), repr(state.scene)))
    if expect.ending is not None:
        wanted, at = expect.ending
        got = repr(scene.ending) if scene.ending else f"scene {state.scene!r}, not an ending"
        if scene.ending != wanted:
            labels = [s.ending for s in story.endings if s.ending]
            known = "" if wanted in labels else f" (endings: {', '.join(map(repr, labels))})"
            failures.append(Failure(at, "ending differs" + known, repr(wanted), got))
    for name, value, at in expect.vars:
        if name not in state.vars:
            hint = did_you_mean(name, state.vars)
            failures.append(Failure(at, f"the story has no variable {name!r}"
                                        + (f"; {hint}" if hint else "")))
            continue
        have = state.vars[name]
        if value_type(have) != value_type(value) or have != value:
            failures.append(Failure(at, f"variable {name} differs", _show(value), _show(have)))
    for wanted, at in expect.text:
        if flat(wanted) not in text:
            failures.append(Failure(at, f"text {wanted!r} was not shown",
                                    f"a text containing {flat(wanted)!r}", _excerpt(text)))
    for unwanted, at in expect.not_text:
        if flat(unwanted) in text:
            failures.append(Failure(at, f"text {unwanted!r} was shown, and must not be"))
    return failures


def _excerpt(text: str, limit: int = 200) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def run_walkthrough(story: Story, walk: Walkthrough) -> list[Failure]:
    """Play ``walk`` from a new game; the failures, in the order met."""
    try:
        state = sm.new_game(story)
        seen = [shown(story, state)]
    except EvalError as err:
        return [Failure(At(walk.path, 1, 1), f"runtime error at the start: {err}")]
    failures: list[Failure] = []
    for step in walk.steps:
        moved = _play_step(story, state, step)
        if isinstance(moved, Failure):
            failures.append(moved)
            return failures
        state, text = moved
        seen.append(text)
        if step.expect is not None:
            failures += check_expect(story, state, step.expect, text)
    if walk.expect is not None:
        failures += check_expect(story, state, walk.expect, "\n".join(seen))
    return failures


def _play_step(story: Story, state: State, step: Step) -> tuple[State, str] | Failure:
    option = pick(story, state, step.choose)
    if isinstance(option, str):
        return Failure(step.at, option)
    try:
        after = sm.take(story, state, option.index)
        return after, shown(story, after)
    except EvalError as err:
        return Failure(step.at, f"runtime error taking choice {option.number} "
                                f"in scene {state.scene!r}: {err}")


def run_all(story: Story, walks: Sequence[Walkthrough]) -> list[tuple[Walkthrough, list[Failure]]]:
    return [(walk, run_walkthrough(story, walk)) for walk in walks]
