"""Checks a plan must pass: the converter's own promises, in one place.

Used by the tests (on the seeds and on random readings) and the benchmark.
Each problem is a sentence; an empty list means the plan is sound:

- ids are valid and unique, every ``to`` exists, each scene has text and
  either choices or an ending; no two choices of a scene share a text;
- every scene is reachable from ``start`` and can reach an ending;
- following canon choices from ``start`` shows exactly the source
  paragraphs, in order, and ends; each scene on that path with choices has
  exactly one canon choice; a choice point offers at least two choices;
- every declared variable is set and read, every condition and effect names
  a declared variable, and each condition can be true where it is offered
  (some path sets the variable before reaching that scene).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from carnet.tools.convert.writing.graph import Plan
from carnet.tools.lint.graph import reachable_from

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")


def check_plan(
    plan: Plan, paragraphs: Sequence[str], *, satisfiable: bool = True
) -> list[str]:
    """Every broken promise of ``plan`` (built from ``paragraphs``); ``[]`` when sound.

    ``satisfiable=False`` skips the per-condition path check, which is the
    slow one on very large plans.
    """
    problems: list[str] = []
    scenes = {s.id: s for s in plan.scenes}
    if len(scenes) != len(plan.scenes):
        problems.append("duplicate scene ids")
    for s in plan.scenes:
        if not _ID.match(s.id):
            problems.append(f"{s.id!r}: not a valid scene id")
        if not any(p.strip() for p in s.paragraphs):
            problems.append(f"{s.id}: empty text")
        if (s.ending is None) == (not s.choices):
            problems.append(f"{s.id}: needs choices or an ending, not both")
        if s.ending is not None and not s.ending.strip():
            problems.append(f"{s.id}: empty ending label")
        texts = [c.text for c in s.choices]
        if len(set(texts)) != len(texts):
            problems.append(f"{s.id}: two choices with the same text")
        for c in s.choices:
            if not c.text.strip():
                problems.append(f"{s.id}: empty choice text")
            if c.to not in scenes:
                problems.append(f"{s.id}: choice leads to missing scene {c.to!r}")
        if sum(c.canon for c in s.choices) > 1:
            problems.append(f"{s.id}: more than one canon choice")
    if plan.start not in scenes:
        return [*problems, f"start scene {plan.start!r} is missing"]

    edges = {s.id: [c.to for c in s.choices if c.to in scenes] for s in plan.scenes}
    reachable = reachable_from([plan.start], edges)
    for s in plan.scenes:
        if s.id not in reachable:
            problems.append(f"{s.id}: unreachable from start")
    reverse: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    can_end = reachable_from([s.id for s in plan.scenes if s.ending is not None], reverse)
    for s in plan.scenes:
        if s.id in reachable and s.id not in can_end:
            problems.append(f"{s.id}: no ending can be reached from here")

    # The canonical path.
    shown: list[str] = []
    seen: set[str] = set()
    here = scenes[plan.start]
    while True:
        if here.id in seen:
            problems.append(f"{here.id}: the canonical path loops")
            break
        seen.add(here.id)
        shown.extend(here.paragraphs)
        if here.draft:
            problems.append(f"{here.id}: a draft scene on the canonical path")
        if here.ending is not None:
            break
        canon = [c for c in here.choices if c.canon]
        if len(canon) != 1:
            problems.append(f"{here.id}: {len(canon)} canon choices on the canonical path")
            break
        if canon[0].to not in scenes:
            break
        here = scenes[canon[0].to]
    if tuple(shown) != tuple(paragraphs):
        problems.append("following canon choices does not show the source paragraphs exactly")
    for point in plan.choice_points:
        if point.scene not in scenes or len(scenes[point.scene].choices) < 2:
            problems.append(f"{point.scene}: a choice point with fewer than two choices")

    # Variables.
    declared = {v.name for v in plan.variables}
    written: set[str] = set()
    read: set[str] = set()
    setters: dict[str, list[str]] = {}
    for s in plan.scenes:
        for c in s.choices:
            for effect in c.effects:
                name = effect.split(" ", 1)[0]
                written.add(name)
                setters.setdefault(name, []).append(c.to)
            if c.condition is not None:
                read.add(c.condition)
    for name in sorted(declared - written):
        problems.append(f"variable {name} is never set")
    for name in sorted(declared - read):
        problems.append(f"variable {name} is never read")
    for name in sorted((written | read) - declared):
        problems.append(f"variable {name} is not declared")
    if satisfiable:
        for s in plan.scenes:
            for c in s.choices:
                if c.condition is None:
                    continue
                after = reachable_from(setters.get(c.condition, []), edges)
                if s.id not in after:
                    problems.append(
                        f"{s.id}: 'if: {c.condition}' can never be true here"
                    )
    return problems
