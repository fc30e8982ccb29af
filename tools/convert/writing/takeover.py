"""Hand-written files next to generated ones: what the author took over.

An author takes a generated scene over by defining a scene of the same id in a
file of their own. Convert then leaves that scene out, and also every generated
scene that only the replaced scenes led to: once the author's own scenes decide
where the story goes, a draft nothing reaches any more would be dead weight
(and lint would flag it). A generated variable goes with the last scene that
used it, unless a hand-written file names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from carnet.tools.convert.writing.files import classify
from carnet.tools.convert.writing.graph import Plan


@attrs.frozen
class HandWritten:
    """The author's files in a story folder, as far as convert needs to know them.

    ``scenes`` maps a scene id to the file defining it; ``targets`` the scene ids
    each hand-written scene (or ``extend:`` entry) leads to; ``words`` every
    identifier-like word of those files, so a generated variable an author
    uses is kept. ``complete`` is False when a file could not be read, and
    then nothing is left out on its account.
    """

    scenes: dict[str, str] = attrs.field(factory=dict)
    targets: dict[str, set[str]] = attrs.field(factory=dict)
    words: set[str] = attrs.field(factory=set)
    complete: bool = True


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def read_hand_written(folder: Path, generated: Iterable[str]) -> HandWritten:
    """Every YAML file in ``folder`` that convert did not write (``generated`` are its names)."""
    from carnet.engine.loader import WALKTHROUGHS_DIR
    from carnet.engine.yamlio import YamlProblem, read_yaml

    skip = set(generated)
    found = HandWritten()
    if not folder.is_dir():
        return found
    complete = True
    for file in sorted(folder.rglob("*.yaml")):
        parts = file.relative_to(folder).parts
        relative = "/".join(parts)
        if relative in skip or not file.is_file() or parts[0] == WALKTHROUGHS_DIR:
            continue
        try:
            data = file.read_bytes()
            if classify(data) != "hand-written":
                continue
            text = data.decode("utf-8-sig")
            document = read_yaml(text)
        except (OSError, UnicodeDecodeError, YamlProblem):
            complete = False
            continue
        found.words.update(_WORD.findall(text))
        top = document.data if isinstance(document.data, dict) else {}
        scenes = top.get("scenes")
        if isinstance(scenes, dict):
            for key, scene in scenes.items():
                if isinstance(key, str):
                    found.scenes.setdefault(key, relative)
                    found.targets.setdefault(key, set()).update(_targets(scene))
        extend = top.get("extend")
        if isinstance(extend, dict):
            for key, entry in extend.items():
                if isinstance(key, str):
                    found.targets.setdefault(key, set()).update(_targets(entry))
    return attrs.evolve(found, complete=complete)


def _targets(scene: Any) -> Iterator[str]:
    choices = scene.get("choices") if isinstance(scene, dict) else None
    for choice in choices if isinstance(choices, list) else ():
        if isinstance(choice, dict) and isinstance(choice.get("to"), str):
            yield choice["to"]


def without_taken(plan: Plan, hand: HandWritten) -> tuple[Plan, tuple[str, ...]]:
    """The plan without the scenes the author defines, nor the generated scenes
    only those led to; and the ids of the latter, in plan order."""
    generated = {s.id: s for s in plan.scenes if s.id not in hand.scenes}
    if not hand.complete:
        return attrs.evolve(plan, scenes=tuple(generated.values())), ()
    reached: set[str] = set()
    stack = [plan.start]
    while stack:
        scene_id = stack.pop()
        if scene_id in reached:
            continue
        reached.add(scene_id)
        nexts = set(hand.targets.get(scene_id, ()))
        if scene_id in generated:
            nexts.update(c.to for c in generated[scene_id].choices)
        stack.extend(sorted(nexts - reached))
    kept = tuple(s for s in generated.values() if s.id in reached)
    dropped = tuple(s for s in generated if s not in reached)
    used = {word for s in kept for c in s.choices
            for source in (c.condition or "", *c.effects) for word in _WORD.findall(source)}
    variables = tuple(v for v in plan.variables if v.name in used or v.name in hand.words)
    kept_ids = {s.id for s in kept}
    points = tuple(p for p in plan.choice_points if p.scene in kept_ids)
    return attrs.evolve(plan, scenes=kept, variables=variables, choice_points=points), dropped
