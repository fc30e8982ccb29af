"""Play written the slow, plain way, to check the engine's fast step against.

Plain dicts and sets for the state, the reference tree evaluator
(:func:`~carnet.engine.expr.evaluate.evaluate`, :func:`apply_effect`) for
every condition and effect, and text rendered by walking the model's
compiled parts as the format says (no closures, no plans, no caches).
"""

from __future__ import annotations

import attrs

from carnet.engine.expr.evaluate import apply_effect, evaluate
from carnet.engine.expr.nodes import Effect, Value
from carnet.engine.model import Story
from carnet.engine.state import once_key
from carnet.engine.template import Block, Conditional, Part, Text, VarRef, parts_of
from carnet.engine.text import format_value


@attrs.frozen
class Plain:
    scene: str
    vars: dict[str, Value]
    visits: dict[str, int]
    once: frozenset[str]
    turn: int


def _effects(effects: tuple[Effect, ...], variables: dict[str, Value],
             visits: dict[str, int]) -> dict[str, Value]:
    for effect in effects:
        variables = apply_effect(effect, variables, visits)
    return variables


def _enter(story: Story, scene_id: str, variables: dict[str, Value], visits: dict[str, int],
           once: frozenset[str], turn: int) -> Plain:
    visits = {**visits, scene_id: visits.get(scene_id, 0) + 1}
    variables = _effects(story.scenes[scene_id].on_enter, variables, visits)
    return Plain(scene_id, variables, visits, once, turn)


def new_game(story: Story) -> Plain:
    return _enter(story, story.start, story.defaults(), {}, frozenset(), 0)


def open_choices(story: Story, state: Plain) -> list[int]:
    """The indexes of the choices offered, in order."""
    scene = story.scenes[state.scene]
    if scene.ending is not None:
        return []
    offered = []
    for index, choice in enumerate(scene.choices):
        if choice.once and once_key(scene.id, choice) in state.once:
            continue
        if choice.condition is not None and evaluate(
                choice.condition.root, state.vars, state.visits) is not True:
            continue
        offered.append(index)
    return offered


def take(story: Story, state: Plain, index: int) -> Plain:
    scene = story.scenes[state.scene]
    choice = scene.choices[index]
    variables = _effects(choice.effects, dict(state.vars), state.visits)
    once = state.once | {once_key(scene.id, choice)} if choice.once else state.once
    return _enter(story, choice.target, variables, state.visits, once, state.turn + 1)


def render_parts(parts: tuple[Part, ...], state: Plain) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, VarRef):
            value = state.vars.get(part.name)
            out.append("{" + part.name + "}" if value is None else format_value(value))
        else:
            assert isinstance(part, Conditional)
            for branch in part.branches:
                if branch.condition is None or evaluate(
                        branch.condition.root, state.vars, state.visits) is True:
                    out.append(render_parts(branch.parts, state))
                    break
    return "".join(out)


def _paragraph(template: Text, state: Plain) -> str | None:
    """The paragraph as shown, None when it renders blank (a paragraph of
    plain text from the loader is never blank: it is shown as written)."""
    if isinstance(template, str):  # text with nothing to fill in is its own template
        return template
    text = render_parts(template.parts, state)
    plain = len(template.parts) == 1 and isinstance(template.parts[0], str)
    return text if plain or text.strip() else None


def scene_text(story: Story, state: Plain) -> tuple[str, ...]:
    scene = story.scenes[state.scene]
    blocks: tuple[Block, ...] = scene.text
    if scene.revisit is not None and state.visits.get(scene.id, 0) > 1:
        blocks = scene.revisit
    shown = []
    for block in blocks:
        chosen = block.paragraphs
        if block.condition is not None and evaluate(
                block.condition.root, state.vars, state.visits) is not True:
            chosen = block.otherwise
        shown.extend(text for text in (_paragraph(t, state) for t in chosen) if text is not None)
    return tuple(shown)


def choice_text(story: Story, state: Plain, index: int) -> str:
    return render_parts(parts_of(story.scenes[state.scene].choices[index].template), state)
