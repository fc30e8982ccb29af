"""Helpers shared by the converter's writing-stage tests (no tests here).

Readings are built by hand, so the tests of the writing stage never depend
on the reader's heuristics.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.engine.state import canon_index, is_over, new_game, scene_text, take
from carnet.engine.text import join_paragraphs, split_paragraphs
from carnet.tools.convert.analysis import Beat, Character, Place, Reading, Thing
from carnet.tools.convert.writing.emit import Provenance, emit
from carnet.tools.convert.writing.files import render_file
from carnet.tools.convert.writing.graph import Plan


def paragraphs_of(raw: Sequence[str]) -> tuple[str, ...]:
    """Paragraphs exactly as a reader would get them from this text."""
    return split_paragraphs(join_paragraphs(list(raw)))


def person(id_: str, name: str, pronoun: str = "she", first: int = 0,
           protagonist: bool = False) -> Character:
    short = name.split()[0] if name.split() else name
    return Character(id_, name, short, (name, short), pronoun,  # type: ignore[arg-type]
                     first, (), protagonist)


def reading(
    paragraphs: Sequence[str],
    *,
    characters: Sequence[Character] = (),
    protagonist: str | None = None,
    places: Sequence[Place] = (),
    things: Sequence[Thing] = (),
    choice_points: Sequence[Beat] = (),
    tense: str = "past",
    person_: str = "third",
    title: str = "A Story",
) -> Reading:
    return Reading(
        title=title,
        paragraphs=tuple(paragraphs),
        sentences=tuple(() for _ in paragraphs),
        characters=tuple(characters),
        protagonist=protagonist,
        places=tuple(places),
        things=tuple(things),
        speeches=(),
        tense=tense,  # type: ignore[arg-type]
        person=person_,  # type: ignore[arg-type]
        beats=tuple(choice_points),
        choice_points=tuple(choice_points),
    )


def beat(boundary: int, kind: str = "decision", subject: str | None = None,
         paragraph: int | None = None) -> Beat:
    return Beat(boundary - 1 if paragraph is None else paragraph, boundary,
                kind, subject, 1.0, f"test beat at {boundary}")  # type: ignore[arg-type]


def write_plan(plan: Plan, folder: Path) -> Path:
    """Emit a plan into ``folder`` as convert would (record header included)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in emit(plan, Provenance("in.txt", "0" * 64)).items():
        text = render_file(body, source_path="in.txt", source_sha256="0" * 64, schema=None)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def load_ok(folder: Path) -> Story:
    result = load_story(folder)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


def canonical_transcript(story: Story) -> tuple[str, ...]:
    """What a player is shown following canon choices, through the engine's own state machine."""
    state = new_game(story)
    shown: list[str] = []
    for _ in range(100_000):
        shown.extend(scene_text(story, state))
        if is_over(story, state):
            assert story.scenes[state.scene].is_ending, "canon path stops at a dead end"
            return tuple(shown)
        index = canon_index(story, state)
        assert index is not None, f"no canon choice in {state.scene}"
        state = take(story, state, index)
    raise AssertionError("the canonical path does not end")


# A short story with a protagonist, an arrival and a place, for CLI-level tests.
STORY = """\
Nadia Okafor climbed the hill above the village as the light went out of the sky.
The wind smelled of rain and cut grass.

At the top stood the old mill, its sails still. Nadia pushed open the door and
stepped inside, where the dust lay thick on the floorboards.

A man appeared in the doorway behind her. It was Emil Varga, the miller's nephew,
an old friend from school. "I didn't think anyone came up here any more," he said.

Nadia laughed and shook his hand. They talked about the village, about who had
left and who had stayed, and about the mill, which Emil meant to mend.

He showed her a letter he had found in the miller's desk. Nadia read it twice.

She realized then that she did not want to leave again. She decided to stay and
help him, whatever the village said.

They walked down the hill together in the dark, the letter in her pocket.
"""
