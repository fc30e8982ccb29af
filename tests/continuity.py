"""Every path of a converted story, checked against what its scenes take for granted.

The definitions (the same as :mod:`carnet.tools.convert.writing.continuity`,
written again here from the Reading alone so that the check does not trust the
writer):

- the cast: every character but the protagonist, and every place;
- a canonical scene showing source paragraphs ``[a, b)`` presupposes each
  member the Reading mentions in them whose first mention is before ``a``;
- a generated (draft) scene presupposes each member whose name appears in
  its text (a character's name or alias; a place's head noun);
- a path knows a member from the first scene on it that mentions it (or
  names it, for a draft), until it takes an alternative that sends that
  member away or avoids them (``PlanScene.away``).

A violation is a scene, reached by some path, that presupposes a member the
path does not know. Every path is walked with the engine (``new_game``,
``options``, ``take``); states are keyed by the engine's state and what the
path knows, so each is explored once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from carnet.engine.model import Story
from carnet.engine.state import new_game, options, take
from carnet.tools.convert.analysis import Reading
from carnet.tools.convert.writing.graph import Plan


@attrs.frozen
class Violation:
    scene: str
    member: str
    path: tuple[str, ...]  # the scene ids of one path that shows it


def _members(reading: Reading, plan: Plan) -> dict[str, re.Pattern[str]]:
    hero = plan_protagonist(reading)
    patterns: dict[str, re.Pattern[str]] = {}
    for character in reading.characters:
        if character.id == hero:
            continue
        forms = {f for f in (character.name, character.short, *character.aliases) if f.strip()}
        if forms:
            alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            patterns[character.id] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    for place in reading.places:
        words = place.name.split()
        if words:
            patterns[place.id] = re.compile(rf"(?<!\w){re.escape(words[-1])}(?!\w)", re.I)
    return patterns


def plan_protagonist(reading: Reading) -> str | None:
    from carnet.tools.convert.writing.voice import protagonist_id

    return protagonist_id(reading) if reading.person == "third" else reading.protagonist


def _canonical_uses(reading: Reading, hero: str | None) -> dict[str, tuple[int, list[int]]]:
    uses: dict[str, tuple[int, list[int]]] = {}
    for member in (*reading.characters, *reading.places):
        if member.id == hero:
            continue
        paragraphs = sorted({m.paragraph for m in member.mentions})
        uses[member.id] = (min([member.first_paragraph, *paragraphs]), paragraphs)
    return uses


def violations(reading: Reading, plan: Plan, story: Story) -> Iterator[Violation]:
    """Each (scene, member) violation once, with the first path found that shows it."""
    hero = plan_protagonist(reading)
    uses = _canonical_uses(reading, hero)
    patterns = _members(reading, plan)
    scenes = {s.id: s for s in plan.scenes}
    shown: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # scene -> (needs, gives)
    for scene in plan.scenes:
        if scene.source is not None:
            start, end = scene.source
            mentioned = {m for m, (_, ps) in uses.items() if any(start <= p < end for p in ps)}
            needs = {m for m in mentioned if uses[m][0] < start}
            shown[scene.id] = (frozenset(needs), frozenset(mentioned))
        else:
            text = "\n".join(scene.paragraphs)
            named = frozenset(m for m, pattern in patterns.items() if pattern.search(text))
            shown[scene.id] = (named, named)
    found: set[tuple[str, str]] = set()
    start = new_game(story)
    stack = [(start, frozenset[str](), (start.scene,))]
    seen: set[tuple[object, frozenset[str]]] = set()
    while stack:
        state, known, path = stack.pop()
        needs, gives = shown[state.scene]
        for member in sorted(needs - known):
            if (state.scene, member) not in found:
                found.add((state.scene, member))
                yield Violation(state.scene, member, path)
        known = known | gives
        away = getattr(scenes[state.scene], "away", None)
        sid = state.scene
        for pre in ("avoid_", "send_", "ignore_", "leave_"):
            if sid.startswith(pre) and scenes[sid].source is None:
                slug = sid[len(pre):].removesuffix("_away")
                for m in patterns:
                    if m.startswith(slug.split("_")[0]) and m in {c.id for c in reading.characters}:
                        away = m
        if away is not None:
            known = known - {away}
        key = (state.key(), known)
        if key in seen:
            continue
        seen.add(key)
        for option in options(story, state):
            after = take(story, state, option.index)
            stack.append((after, known, (*path, after.scene)))
