"""Which declared variables the story reads and which it writes."""

from __future__ import annotations

import attrs

from carnet.engine.expr import variables_read
from carnet.engine.model import Story


@attrs.frozen
class VariableUse:
    """``reads``: names in conditions, effect values, ``{name}`` and conditions in text (the
    target of ``x += 1`` is not a read: it only feeds itself). ``writes``:
    targets of effects."""

    reads: frozenset[str]
    writes: frozenset[str]


def variable_use(story: Story) -> VariableUse:
    reads: set[str] = set()
    writes: set[str] = set()

    for scene in story.scenes.values():
        reads |= scene.text_variables()
        effects = list(scene.on_enter)
        for choice in scene.choices:
            if choice.condition is not None:
                reads.update(variables_read(choice.condition.root))
            effects.extend(choice.effects)
        for effect in effects:
            reads.update(variables_read(effect.value))
            writes.add(effect.var)
    return VariableUse(frozenset(reads), frozenset(writes))
