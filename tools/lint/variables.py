"""Which declared variables the story reads and which it writes."""

from __future__ import annotations

import attrs

from carnet.engine.expr import variables_read
from carnet.engine.model import Story
from carnet.engine.text import placeholders


@attrs.frozen
class VariableUse:
    """``reads``: names in conditions, effect values and ``{name}`` in text (the
    target of ``x += 1`` is not a read: it only feeds itself). ``writes``:
    targets of effects."""

    reads: frozenset[str]
    writes: frozenset[str]


def variable_use(story: Story) -> VariableUse:
    reads: set[str] = set()
    writes: set[str] = set()

    def text(value: str) -> None:
        if "{" in value:
            reads.update(p.name for p in placeholders(value) if p.valid)

    for scene in story.scenes.values():
        for paragraph in scene.paragraphs:
            text(paragraph)
        effects = list(scene.on_enter)
        for choice in scene.choices:
            text(choice.text)
            if choice.condition is not None:
                reads.update(variables_read(choice.condition.root))
            effects.extend(choice.effects)
        for effect in effects:
            reads.update(variables_read(effect.value))
            writes.add(effect.var)
    return VariableUse(frozenset(reads), frozenset(writes))
