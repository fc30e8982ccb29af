"""Branches never contradict the story: every path of every converted corpus story.

The definitions of "presupposes" and "known on the path" are in
:mod:`tests.continuity`. Each story of ``../shared/corpus/stories`` and
``../shared/seeds`` is read, planned, written and loaded like ``carnet
convert`` does, then every path is walked with the engine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carnet.tools.convert.analysis import Character, Place, Reading, Span
from carnet.tools.convert.reading import read_story
from carnet.tools.convert.writing.continuity import Cast, Rejoins
from carnet.tools.convert.writing.graph import Plan, build_plan
from carnet.tools.convert.writing.situations import SITUATIONS
from tests.continuity import violations
from tests.support.convert_plans import beat, load_ok, person, reading, write_plan

SHARED = Path(__file__).resolve().parents[2] / "shared"
STORIES = sorted((SHARED / "corpus" / "stories").glob("*.txt")) + sorted(
    (SHARED / "seeds").glob("*.txt")
)
needs_shared = pytest.mark.skipif(
    not STORIES, reason=f"no corpus: {SHARED} (the shared corpus and seeds) is missing"
)


def _violations(path: Path) -> list[str]:
    story_reading = read_story(path.read_text(encoding="utf-8"), title_hint=path.stem)
    plan = build_plan(story_reading)
    return _check(story_reading, plan)


def _check(story_reading: Reading, plan: Plan) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        story = load_ok(write_plan(plan, Path(folder) / "story"))
    return [
        f"{v.scene} presupposes {v.member}, unknown on {' > '.join(v.path)}"
        for v in violations(story_reading, plan, story)
    ]


@needs_shared
@pytest.mark.parametrize("path", STORIES, ids=[p.stem for p in STORIES])
def test_no_path_contradicts_the_story(path: Path) -> None:
    assert _violations(path) == []


@needs_shared
def test_the_check_finds_a_rejoin_that_ignores_who_was_sent_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The old rule: every alternative rejoins at the next choice point, whatever it did.
    def next_point(self: Rejoins, index: int, away: str | None) -> int | None:
        return index + 1 if index + 1 < len(self._boundaries) else None

    monkeypatch.setattr(Rejoins, "point", next_point)
    found = [v for path in STORIES for v in _violations(path)]
    assert found


def _mentions(paragraphs: list[int]) -> tuple[Span, ...]:
    return tuple(Span(p, 0, 1) for p in paragraphs)


def test_an_alternative_sending_someone_away_ends_if_the_story_needs_them_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key in ("arrival.person", "arrival.stranger"):  # only the alternatives that send away
        situation = SITUATIONS[key]
        away = tuple(a for a in situation.alternatives if a.away)
        monkeypatch.setitem(SITUATIONS, key, attrs.evolve(situation, alternatives=away))
    texts = [f"Paragraph {i}." for i in range(8)]
    hero = person("hero", "Ada", protagonist=True)
    friend = attrs_evolve_mentions(person("friend", "Bruno", "he", first=1), [1, 2, 6])
    story_reading = reading(
        texts, characters=[hero, friend], protagonist="hero",
        choice_points=[beat(2, "arrival", "friend"), beat(4), beat(6)],
    )
    plan = build_plan(story_reading)
    first = plan.scene(plan.choice_points[0].alternative)
    assert first.away == "friend"
    assert first.ending is not None  # Bruno is in paragraph 6: no rejoin can hold
    assert _check(story_reading, plan) == []


def test_an_alternative_rejoins_after_what_it_skipped_is_no_longer_needed() -> None:
    texts = [f"Paragraph {i}." for i in range(8)]
    hero = person("hero", "Ada", protagonist=True)
    harbour = Place("harbour", "the harbour", 3, _mentions([3, 4]))
    story_reading = reading(
        texts, characters=[hero], protagonist="hero", places=[harbour],
        choice_points=[beat(2), beat(4), beat(6)],
    )
    plan = build_plan(story_reading)
    alternative = plan.scene(plan.choice_points[0].alternative)
    # The harbour, first seen in paragraph 3 (skipped), is named in paragraph 4, after
    # the second choice point: rejoining there would presuppose it; the third is fine.
    offered = {c.to for c in alternative.choices}
    third = plan.choice_points[2].scene
    assert offered == {c.to for c in plan.scene(third).choices}
    assert _check(story_reading, plan) == []


def attrs_evolve_mentions(character: Character, paragraphs: list[int]) -> Character:
    return attrs.evolve(character, mentions=_mentions(paragraphs))


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=8),
    st.lists(st.integers(1, 30), min_size=1, max_size=8, unique=True),
    st.data(),
)
def test_rejoin_point_is_the_first_point_that_needs_nothing_unknown(
    spans: list[tuple[int, int]], boundaries: list[int], data: st.DataObject
) -> None:
    first = {f"m{i}": min(a, b) for i, (a, b) in enumerate(spans)}
    last = {f"m{i}": max(a, b) for i, (a, b) in enumerate(spans)}
    points = sorted(boundaries)
    rejoins = Rejoins(Cast(first, last), points)
    index = data.draw(st.integers(0, len(points) - 1))
    away = data.draw(st.sampled_from([None, *first]))

    def sound(target: int) -> bool:
        limit = points[target]
        needed = [m for m in first if first[m] < limit <= last[m]]
        return all(first[m] < points[index] and m != away for m in needed)

    expected = next((t for t in range(index + 1, len(points)) if sound(t)), None)
    assert rejoins.point(index, away) == expected
