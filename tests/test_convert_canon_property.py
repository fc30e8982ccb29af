"""Properties of the writing stage on random readings.

For any paragraphs (random words, punctuation, braces, unicode, indentation)
and any beats, characters, places and things — sensible or not — the plan:
shows every source paragraph exactly once, in order, when canon choices are
followed (through the real loader and state machine); keeps every promise
checked by :func:`tests.plancheck.check_plan`; and is deterministic.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from carnet.tools.convert.analysis import Beat, Character, Place, Reading, Thing
from carnet.tools.convert.writing.emit import Provenance, emit
from carnet.tools.convert.writing.graph import build_plan
from tests.plancheck import check_plan
from tests.support.convert_plans import (
    canonical_transcript,
    load_ok,
    paragraphs_of,
    reading,
    write_plan,
)

WORDS = st.sampled_from(
    ["the", "sea", "Anna", "{", "}", "{name}", "{{", "}}", "—", "“quoted”", "'", '"', ":",
     "# hash", "ünï", "漢字", "🎭", "a: b", "-", "*", "&", "!", "?", "\t", "  ", "word,",
     "end.", "\\", "%", "@", "|", ">", "null", "true", "123"]
)
LINE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
PARAGRAPH = st.tuples(
    st.sampled_from(["", "", "", "  ", "\t"]),  # leading indentation
    st.lists(LINE, min_size=1, max_size=3).map("\n".join),
    st.sampled_from(["", "", " ", "\t"]),  # trailing spaces
).map("".join)
NAMES = st.sampled_from(
    ["Anna Petrovna", "Ivan", "Dr. Ruiz", "Mrs. Hale", "Zoë", "O'Brien", "{x}", "Ö", "Al",
     "  ", "Jean-Luc Picard", "ñandú"]
)
PLACES = st.sampled_from(
    ["the harbour", "a small shop", "Lisbon", "the old railway station", "an alley",
     "the {room}", "the", "the Seine"]
)
THINGS = st.sampled_from(["letter", "old key", "a notebook", "his hat", "{box}", ""])
KINDS = st.sampled_from(["arrival", "encounter", "discovery", "decision"])


@st.composite
def readings(draw: st.DrawFn) -> Reading:
    paragraphs = paragraphs_of(draw(st.lists(PARAGRAPH, min_size=1, max_size=14)))
    assume(paragraphs)  # a text of nothing but blanks has no paragraphs (tested elsewhere)
    count = len(paragraphs)
    characters = [
        Character(f"c{i}", name, name.split()[0] if name.split() else name, (name,),
                  draw(st.sampled_from(["she", "he", "they"])),
                  draw(st.one_of(st.just(0), st.integers(0, count - 1))), ())
        for i, name in enumerate(draw(st.lists(NAMES, max_size=4)))
    ]
    places = [
        Place(f"p{i}", name, draw(st.integers(0, count - 1)), (), draw(st.booleans()))
        for i, name in enumerate(draw(st.lists(PLACES, max_size=2)))
    ]
    things = [
        Thing(f"t{i}", name, draw(st.integers(0, count - 1)), ())
        for i, name in enumerate(draw(st.lists(THINGS, max_size=2)))
    ]
    ids = [c.id for c in characters] + [p.id for p in places] + [t.id for t in things]
    people = [c.id for c in characters]
    subjects = st.sampled_from([None, "nobody", *ids, *people, *people])
    beats = [
        Beat(paragraph, boundary, draw(KINDS), draw(subjects), 1.0, "because")
        for paragraph, boundary in draw(
            st.lists(st.tuples(st.integers(-1, count), st.integers(-1, count + 1)),
                     max_size=8)
        )
    ]
    protagonist = draw(st.sampled_from([None, "nobody", *[c.id for c in characters]]))
    return reading(
        paragraphs,
        characters=characters,
        protagonist=protagonist,
        places=places,
        things=things,
        choice_points=sorted(beats, key=lambda b: b.boundary),
        tense=draw(st.sampled_from(["past", "present"])),
        person_=draw(st.sampled_from(["first", "third"])),
        title=draw(st.sampled_from(["T", "A {braced} title", "true", " "])),
    )


@settings(deadline=None)
@given(readings())
def test_every_plan_keeps_its_promises(story: Reading) -> None:
    plan = build_plan(story)
    assert check_plan(plan, story.paragraphs) == []
    assert build_plan(story) == plan
    provenance = Provenance("x", "0" * 64)
    assert emit(plan, provenance) == emit(build_plan(story), provenance)


@settings(deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(readings())
def test_following_canon_in_the_engine_shows_the_source_exactly(story: Reading) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_plan(build_plan(story), Path(tmp) / "story")
        loaded = load_ok(folder)
    assert canonical_transcript(loaded) == story.paragraphs
    for scene in loaded.scenes.values():
        choices = [c for c in scene.choices]
        if len(choices) >= 2 and not scene.draft:
            assert sum(c.canon for c in choices) == 1
