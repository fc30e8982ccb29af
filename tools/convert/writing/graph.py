"""From a :class:`Reading` to a story plan: scenes, choices and variables.

Pure functions from one value to another; nothing here reads or writes
files. The plan is what :mod:`carnet.tools.convert.writing.emit` turns into YAML.

The shape of every plan:

- the canonical path: the source paragraphs in order, cut into scenes at the
  choice points' boundaries, and long stretches cut again into scenes of at
  most ``MAX_PARAGRAPHS`` paragraphs or about ``MAX_WORDS`` words, linked by a
  single canon choice (``Read on``). The last canonical scene is an ending;
- at each choice point: one canon choice (true to what happens next) and one
  alternative leading to a generated scene (``draft``) that rejoins the story
  at the first later choice point where nothing the rest of the story takes
  for granted was skipped or sent away on the way (:mod:`.continuity`),
  offering the same choices; otherwise (and, in long stories, now and then
  anyway) it ends the story with a label of its own;
- variables: the canon choice at a choice point about a person, place or
  thing sets ``met_``/``visited_``/``saw_``/``read_<slug>`` (an alternative
  that sends that person away sets it back to false); the next choice point (or
  a later linked scene) offers an extra choice only ``if`` it is set, a short
  reflective scene that then offers the same choices again.

Nothing here knows any particular story: names come from the Reading.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from typing import Literal

import attrs

from carnet.tools.convert.analysis import Beat, Reading
from carnet.tools.convert.slug import slugify
from carnet.tools.convert.writing.continuity import Rejoins, cast_of
from carnet.tools.convert.writing.prose import Roles, render
from carnet.tools.convert.writing.situations import (
    BRIDGES,
    CLOSINGS,
    DETOURS,
    LINK_CHOICE,
    SITUATIONS,
    Alternative,
    Detour,
)
from carnet.tools.convert.writing.voice import (
    Referent,
    Voice,
    possessive,
    protagonist_id,
    referent_of,
    voice_of,
)

MAX_WORDS = 350
"""A canonical scene ends at the first paragraph boundary after this many words…"""
MAX_PARAGRAPHS = 6
"""…or after this many paragraphs."""

MESSAGES = frozenset({
    "letter", "note", "telegram", "message", "card", "postcard", "envelope", "call", "email",
    "text", "notice",
})
"""Things that carry words from someone: a letter is read (or not), not examined."""

SceneRole = Literal["canon", "alternative", "detour"]
SubjectKind = Literal["person", "place", "proper_place", "thing", "message"]


class EmptyStory(ValueError):
    """The reading has no paragraphs: there is nothing to make a story of."""


@attrs.frozen
class PlanChoice:
    """A choice as it will be written: ``condition`` and ``effects`` are expression sources."""

    text: str
    to: str
    condition: str | None = None
    effects: tuple[str, ...] = ()
    canon: bool = False


@attrs.frozen
class PlanScene:
    """A scene as it will be written; its text is display text (not yet brace-escaped).

    ``source`` is the half-open range of source paragraphs a canonical scene shows.
    """

    id: str
    paragraphs: tuple[str, ...]
    choices: tuple[PlanChoice, ...] = ()
    ending: str | None = None
    role: SceneRole = "canon"
    source: tuple[int, int] | None = None
    away: str | None = None  # the character or place an alternative sends away or avoids

    @property
    def draft(self) -> bool:
        return self.role != "canon"


@attrs.frozen
class PlanVariable:
    """A declared bool variable: set by the canon choice in ``set_in``, read in ``read_in``."""

    name: str
    set_in: str
    read_in: str
    default: bool = False


@attrs.frozen
class PlanChoicePoint:
    """Where a beat became a choice: the scene holding it and the situation used."""

    beat: Beat
    scene: str
    situation: str
    alternative: str  # the generated scene's id


@attrs.frozen
class Plan:
    title: str
    start: str
    variables: tuple[PlanVariable, ...]
    scenes: tuple[PlanScene, ...]  # canonical scenes in story order, then drafts
    choice_points: tuple[PlanChoicePoint, ...]

    @property
    def endings(self) -> tuple[PlanScene, ...]:
        return tuple(s for s in self.scenes if s.ending is not None)

    @property
    def canonical(self) -> tuple[PlanScene, ...]:
        return tuple(s for s in self.scenes if s.role == "canon")

    @property
    def drafts(self) -> tuple[PlanScene, ...]:
        return tuple(s for s in self.scenes if s.draft)

    def scene(self, id_: str) -> PlanScene:
        return next(s for s in self.scenes if s.id == id_)


@attrs.frozen
class Subject:
    """What a beat is about, in the forms generated prose needs."""

    kind: SubjectKind
    slug: str
    first_paragraph: int
    id: str = ""  # the Reading's id of the character, place or thing
    person: Referent | None = None
    phrase: str | None = None  # places and things: "the harbour", "Lisbon", "the letter"


# --- Choice points and scene boundaries ------------------------------------


def usable_choice_points(reading: Reading) -> tuple[Beat, ...]:
    """The reader's choice points that can carry a choice, in order, one per boundary.

    A boundary must have a paragraph on each side; anything else (a reader
    bug, a hand-built Reading) is dropped rather than trusted.
    """
    count = len(reading.paragraphs)
    seen: set[int] = set()
    usable: list[Beat] = []
    for beat in sorted(reading.choice_points, key=lambda b: (b.boundary, b.paragraph)):
        if 1 <= beat.boundary <= count - 1 and beat.boundary not in seen:
            seen.add(beat.boundary)
            usable.append(beat)
    return tuple(usable)


def split_stretch(paragraphs: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """Cut paragraphs ``start:end`` into scenes of bounded length, at paragraph boundaries."""
    chunks: list[tuple[int, int]] = []
    first, words, count = start, 0, 0
    for index in range(start, end):
        words += len(paragraphs[index].split())
        count += 1
        if (words >= MAX_WORDS or count >= MAX_PARAGRAPHS) and index + 1 < end:
            chunks.append((first, index + 1))
            first, words, count = index + 1, 0, 0
    chunks.append((first, end))
    return chunks


# --- Subjects ---------------------------------------------------------------

_DETERMINER = re.compile(
    r"^(?:a|an|the|some|his|her|their|my|your|its|our)(?:\s+|\Z)", re.IGNORECASE
)
_MAX_PHRASE = 60


_MAX_WORDS_COMMON = 2


def _noun_phrase(name: str, *, proper: bool = False) -> str | None:
    """``"a charming little café"`` -> ``"little café"``: whitespace tidied, determiner
    dropped, and a common noun kept to its last two words so choices stay short."""
    text = " ".join(name.split())
    core = _DETERMINER.sub("", text)
    if not proper:
        head, of, tail = core.partition(" of ")  # "the old streets of X": trim the head only
        core = " ".join(head.split()[-_MAX_WORDS_COMMON:]) + of + tail
    if not core or len(core) > _MAX_PHRASE or not any(ch.isalpha() for ch in core):
        return None
    return core


def subject_of(reading: Reading, beat: Beat, protagonist: str | None) -> Subject | None:
    """The person, place or thing a beat is about, or None (unknown, or the protagonist)."""
    key = beat.subject
    if key is None or key == protagonist:
        return None
    person = referent_of(reading, key)
    if person is not None:
        character = reading.character(key)
        return Subject("person", slugify(person.called, max_length=24),
                       character.first_paragraph, key, person=person)
    for place in reading.places:
        if place.id == key:
            core = _noun_phrase(place.name, proper=place.proper)
            if core is None:
                return None
            if place.proper:
                phrase = " ".join(place.name.split())
                return Subject("proper_place", slugify(core, max_length=24),
                               place.first_paragraph, key, phrase=phrase)
            return Subject("place", slugify(core, max_length=24), place.first_paragraph,
                           key, phrase=f"the {core}")
    for thing in reading.things:
        if thing.id == key:
            core = _noun_phrase(thing.name)
            if core is None:
                return None
            kind: SubjectKind = "message" if core.split()[-1].lower() in MESSAGES else "thing"
            return Subject(kind, slugify(core, max_length=24), thing.first_paragraph,
                           key, phrase=f"the {core}")
    return None


_SITUATION_SUBJECTS: dict[str, tuple[SubjectKind, ...]] = {
    "arrival": ("person",),
    "encounter": ("person", "message"),
    "discovery": ("place", "proper_place", "thing", "message"),
    "decision": (),
    "turning_point": (),
}


def situation_of(beat: Beat, subject: Subject | None) -> str:
    """The template situation for a beat: its kind, refined by a subject the player has seen."""
    if (
        subject is not None
        and subject.kind in _SITUATION_SUBJECTS.get(beat.kind, ())
        and subject.first_paragraph < beat.boundary
    ):
        key = f"{beat.kind}.{subject.kind}"
        if key in SITUATIONS:
            return key
    return beat.kind if beat.kind in SITUATIONS else "decision"


_VARIABLE_PREFIX: dict[SubjectKind, str] = {
    "person": "met",
    "place": "visited",
    "proper_place": "visited",
    "thing": "saw",
    "message": "read",
}


def variable_name(subject: Subject) -> str:
    return f"{_VARIABLE_PREFIX[subject.kind]}_{subject.slug}"


def _roles(voice: Voice, subject: Subject | None, following: Subject | None = None) -> Roles:
    cast = Roles(voice.protagonist)
    if subject is not None:
        if subject.person is not None:
            cast = attrs.evolve(cast, other=subject.person)
        elif subject.kind in ("thing", "message"):
            cast = attrs.evolve(cast, thing=subject.phrase)
        else:
            cast = attrs.evolve(cast, place=subject.phrase)
    if following is not None:
        cast = attrs.evolve(cast, next_person=following.person, next_phrase=following.phrase)
    return cast


# --- Stable choices among templates ----------------------------------------


class _Picker:
    """Deterministic picks keyed by the story's text (never Python's salted hash())."""

    def __init__(self, reading: Reading) -> None:
        digest = hashlib.sha256()
        for paragraph in reading.paragraphs:
            digest.update(paragraph.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        self._seed = digest.digest()

    def index(self, key: str, count: int) -> int:
        value = hashlib.sha256(self._seed + key.encode("utf-8", "surrogatepass")).digest()
        return int.from_bytes(value[:8], "big") % count

    def pick(self, key: str, options: Sequence[str]) -> str:
        return options[self.index(key, len(options))]


class _Ids:
    """Unique scene ids in creation order: ``x``, ``x_2``, ``x_3`` …"""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}  # the next number to try for a base: no quadratic scan

    def take(self, base: str) -> str:
        candidate = base
        if candidate in self._used:
            number = self._next.get(base, 2)
            while f"{base}_{number}" in self._used:
                number += 1
            self._next[base] = number + 1
            candidate = f"{base}_{number}"
        self._used.add(candidate)
        return candidate


def _canon_base(beat: Beat, subject: Subject | None) -> str:
    """The id of the scene that follows a choice point: named for its subject when it has one."""
    if subject is not None and subject.kind in _SITUATION_SUBJECTS.get(beat.kind, ()):
        if subject.kind == "person":
            return f"{subject.slug}_arrives" if beat.kind == "arrival" else f"with_{subject.slug}"
        return f"{subject.slug}_found"
    return {"arrival": "arrival", "encounter": "encounter", "discovery": "discovery"}.get(
        beat.kind, "turning_point"
    )


def canon_ending_label(voice: Voice) -> str:
    name = voice.protagonist.name
    return f"{possessive(name)} story, as written" if name else "The story, as written"


# --- The plan ---------------------------------------------------------------


@attrs.frozen
class _Point:
    beat: Beat
    subject: Subject | None
    situation: str
    variable: str | None = None
    host: tuple[Literal["point", "link"], int] | None = None


def _detour_for(subject: Subject) -> Detour:
    kind = {"proper_place": "place", "message": "thing"}.get(subject.kind, subject.kind)
    return DETOURS[kind]


def _plan_points(
    reading: Reading, chunks: list[list[tuple[int, int]]]
) -> list[_Point]:
    """Choice points with their subjects, situations and variables (and where each is read).

    When a variable would otherwise have nowhere to be read, the story's last
    scene is cut in two (``chunks`` is changed in place) to make room.
    """
    hero = protagonist_id(reading) if reading.person == "third" else reading.protagonist
    beats = usable_choice_points(reading)
    points = []
    for beat in beats:
        subject = subject_of(reading, beat, hero)
        points.append(_Point(beat, subject, situation_of(beat, subject)))
    used: set[str] = set()
    last = len(points) - 1
    for index, point in enumerate(points):
        if point.subject is None:
            continue
        name = variable_name(point.subject)
        if name in used:
            continue
        host: tuple[Literal["point", "link"], int] | None = None
        if index < last:
            host = ("point", index + 1)
        elif len(chunks[-1]) > 1:
            host = ("link", len(chunks) - 1)
        if host is None and not used:
            # The only chance left for a variable: cut the last scene in two.
            first, end = chunks[-1][0]
            if end - first >= 2:
                chunks[-1] = [(first, end - 1), (end - 1, end)]
                host = ("link", len(chunks) - 1)
        if host is not None:
            used.add(name)
            points[index] = attrs.evolve(point, variable=name, host=host)
    return points


def build_plan(reading: Reading) -> Plan:
    """The whole story plan for a reading. Raises :class:`EmptyStory` if it has no paragraphs."""
    paragraphs = reading.paragraphs
    if not paragraphs:
        raise EmptyStory("the story has no paragraphs")
    voice = voice_of(reading)
    picker = _Picker(reading)
    beats = usable_choice_points(reading)
    bounds = [0, *(b.boundary for b in beats), len(paragraphs)]
    chunks = [split_stretch(paragraphs, a, b) for a, b in itertools.pairwise(bounds)]
    points = _plan_points(reading, chunks)
    hero = protagonist_id(reading) if reading.person == "third" else reading.protagonist
    named = [
        (p.subject.id if p.subject is not None and "." in p.situation else None,
         p.beat.boundary)
        for p in points
    ]
    rejoins = Rejoins(cast_of(reading, hero, named), [p.beat.boundary for p in points])
    ids = _Ids()

    # Canonical scene ids, in story order; the last one is the ending.
    canon_ids: list[list[str]] = []
    total = sum(len(c) for c in chunks)
    made = 0
    for segment, pieces in enumerate(chunks):
        if segment == 0:
            base = "opening"
        else:
            point = points[segment - 1]
            base = _canon_base(point.beat, point.subject)
        names = []
        for piece in range(len(pieces)):
            made += 1
            if made == total and total > 1:
                names.append(ids.take("ending"))
            else:
                names.append(ids.take(base if piece == 0 else f"{base}_{piece + 1}"))
        canon_ids.append(names)

    # Generated scene ids: one alternative per choice point, one detour per variable.
    alternatives = []
    for index, point in enumerate(points):
        options = SITUATIONS[point.situation].alternatives
        alternative = options[picker.index(f"alternative:{index}", len(options))]
        slug = point.subject.slug if point.subject is not None else ""
        alternatives.append((alternative, ids.take(alternative.scene_id.format(slug))))
    detour_ids: dict[int, str] = {}
    for index, point in enumerate(points):
        if point.variable is not None and point.subject is not None:
            detour = _detour_for(point.subject)
            detour_ids[index] = ids.take(detour.scene_id.format(point.subject.slug))

    # Choices of canonical scenes: links, and canon + alternative at choice points.
    choices: dict[str, list[PlanChoice]] = {}
    for segment, names in enumerate(canon_ids):
        for piece, name in enumerate(names[:-1]):
            choices[name] = [PlanChoice(LINK_CHOICE, names[piece + 1], canon=True)]
        if segment < len(points):
            point = points[segment]
            cast = _roles(voice, point.subject)
            situation = SITUATIONS[point.situation]
            effects = (f"{point.variable} = true",) if point.variable else ()
            canon = PlanChoice(
                render(picker.pick(f"canon:{segment}", situation.canon), cast, voice),
                canon_ids[segment + 1][0],
                effects=effects,
                canon=True,
            )
            alternative, alt_id = alternatives[segment]
            dropped = (
                (f"{variable_name(point.subject)} = false",)
                if alternative.away and point.subject is not None else ()
            )
            other = PlanChoice(render(alternative.choice, cast, voice), alt_id, effects=dropped)
            pair = [canon, other] if picker.index(f"order:{segment}", 2) == 0 else [other, canon]
            choices[names[-1]] = pair

    # Detour choices, offered at their host only if the variable is set.
    detour_hosts: dict[int, str] = {}
    for index, point in enumerate(points):
        if point.host is None or point.variable is None or point.subject is None:
            continue
        kind, where = point.host
        host = canon_ids[where][-1] if kind == "point" else canon_ids[where][0]
        detour = _detour_for(point.subject)
        text = render(detour.choice, _roles(voice, point.subject), voice)
        if any(c.text == text for c in choices[host]):
            continue
        choices[host].append(PlanChoice(text, detour_ids[index], condition=point.variable))
        detour_hosts[index] = host

    canonical: list[PlanScene] = []
    for segment, names in enumerate(canon_ids):
        for piece, name in enumerate(names):
            first, end = chunks[segment][piece]
            is_last = segment == len(canon_ids) - 1 and piece == len(names) - 1
            canonical.append(
                PlanScene(
                    name,
                    tuple(paragraphs[first:end]),
                    choices=() if is_last else tuple(choices[name]),
                    ending=canon_ending_label(voice) if is_last else None,
                    source=(first, end),
                )
            )

    drafts: list[PlanScene] = []
    for index, point in enumerate(points):
        alternative, alt_id = alternatives[index]
        away = _away(alternative, point)
        target = rejoins.point(index, away)
        if target is not None and _ends_early(picker, index, len(points)):
            target = None
        following = points[target] if target is not None else None
        cast = _roles(voice, point.subject, following.subject if following else None)
        prose = [render(p, cast, voice) for p in alternative.paragraphs]
        if target is not None and following is not None:
            bridge = picker.pick(f"bridge:{index}", BRIDGES[following.situation])
            if alternative.comeback:
                bridge = f"{alternative.comeback} {bridge}"
            prose.append(render(bridge, cast, voice))
            rejoin = canon_ids[target][-1]
            # Detours unlocked by the canon choices this path skipped can never open here.
            skip = {detour_ids[k] for k in range(index, target) if k in detour_ids}
            offered = tuple(
                attrs.evolve(c, canon=False) for c in choices[rejoin] if c.to not in skip
            )
            drafts.append(PlanScene(alt_id, tuple(prose), choices=offered, role="alternative",
                                    away=away))
        else:
            prose.append(render(picker.pick(f"closing:{index}", CLOSINGS), cast, voice))
            label = render(alternative.label, cast, voice)
            drafts.append(PlanScene(alt_id, tuple(prose), ending=label, role="alternative",
                                    away=away))
    for source, host in sorted(detour_hosts.items()):
        drafts.append(_detour_scene(points[source], detour_ids[source], host, choices, voice))

    variables = tuple(
        PlanVariable(p.variable, set_in=canon_ids[i][-1], read_in=detour_hosts[i])
        for i, p in enumerate(points)
        if p.variable is not None and i in detour_hosts
    )
    # A variable whose detour could not be placed is not declared, and not set.
    declared = {v.name for v in variables}
    if any(
        e.split(" ", 1)[0] not in declared
        for scene in (*canonical, *drafts) for c in scene.choices for e in c.effects
    ):
        canonical = [_drop_effects(s, declared) for s in canonical]
        drafts = [_drop_effects(s, declared) for s in drafts]

    return Plan(
        title=reading.title.strip() or "Untitled",
        start=canon_ids[0][0],
        variables=variables,
        scenes=(*canonical, *drafts),
        choice_points=tuple(
            PlanChoicePoint(p.beat, canon_ids[i][-1], p.situation, alternatives[i][1])
            for i, p in enumerate(points)
        ),
    )


ENDING_EVERY = 4
"""In a story with many choice points, about one alternative in this many ends the story."""
MANY_CHOICE_POINTS = 6


def _ends_early(picker: _Picker, index: int, count: int) -> bool:
    """Whether the alternative at choice point ``index`` ends the story although more follow.

    Short stories always rejoin (only the last alternative ends); long ones get
    more endings, never at the first choice point.
    """
    return count >= MANY_CHOICE_POINTS and index > 0 and (
        picker.index(f"ends:{index}", ENDING_EVERY) == 0
    )


def _away(alternative: Alternative, point: _Point) -> str | None:
    """The cast member an alternative sends away or avoids, if any."""
    if alternative.away and point.subject is not None and "." in point.situation:
        return point.subject.id
    return None


def _detour_scene(
    point: _Point, id_: str, host: str, choices: dict[str, list[PlanChoice]], voice: Voice
) -> PlanScene:
    assert point.subject is not None
    detour = _detour_for(point.subject)
    cast = _roles(voice, point.subject)
    text = tuple(render(p, cast, voice) for p in detour.paragraphs)
    offered = tuple(attrs.evolve(c, canon=False) for c in choices[host] if c.to != id_)
    return PlanScene(id_, text, choices=offered, role="detour")


def _drop_effects(scene: PlanScene, declared: set[str]) -> PlanScene:
    def keep(effect: str) -> bool:
        return effect.split(" ", 1)[0] in declared

    return attrs.evolve(
        scene,
        choices=tuple(
            attrs.evolve(c, effects=tuple(e for e in c.effects if keep(e)))
            for c in scene.choices
        ),
    )
