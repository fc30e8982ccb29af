"""graph.py: the story plan built from hand-made readings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from carnet.tools.convert.analysis import Place, Thing
from carnet.tools.convert.writing.graph import (
    MAX_PARAGRAPHS,
    EmptyStory,
    Plan,
    build_plan,
    split_stretch,
    usable_choice_points,
)
from carnet.tools.convert.writing.situations import SITUATIONS
from tests.plancheck import check_plan
from tests.support.convert_plans import beat, person, reading

ROOT = Path(__file__).resolve().parent.parent

PARAS = (
    "Mara walked down to the harbour in the grey morning.",
    "A stranger stood by the nets. It was Tobias, the ferryman's son.",
    "They talked about the weather and the boats.",
    "Mara found an old key in the sand.",
    "She turned it over in her hand and decided to keep it.",
    "At dusk she went home.",
)
MARA = person("mara", "Mara", "she", 0, protagonist=True)
TOBIAS = person("tobias", "Tobias", "he", 1)


def harbour_story(**changes: object) -> Plan:
    fields: dict[str, object] = {
        "characters": [MARA, TOBIAS],
        "protagonist": "mara",
        "places": [Place("harbour", "the harbour", 0, ())],
        "things": [Thing("key", "old key", 3, ())],
        "choice_points": [beat(2, "arrival", "tobias"), beat(4, "discovery", "key")],
    }
    fields.update(changes)
    return build_plan(reading(PARAS, **fields))  # type: ignore[arg-type]


def test_split_stretch_bounds_paragraphs_and_words() -> None:
    short = ["one two"] * 14
    assert split_stretch(short, 0, 14) == [(0, 6), (6, 12), (12, 14)]
    assert all(b - a <= MAX_PARAGRAPHS for a, b in split_stretch(short, 0, 14))
    long = ["word " * 200, "word " * 200, "word " * 10, "word"]
    # The scene ends after the paragraph that reaches 350 words.
    assert split_stretch(long, 0, 4) == [(0, 2), (2, 4)]
    assert split_stretch(long, 3, 4) == [(3, 4)]


def test_one_paragraph_story_is_one_ending_scene() -> None:
    plan = build_plan(reading(["Only this."], choice_points=[beat(1, "decision")]))
    assert [s.id for s in plan.scenes] == ["opening"]
    scene = plan.scenes[0]
    assert scene.paragraphs == ("Only this.",) and scene.ending and not scene.choices
    assert plan.variables == () and plan.choice_points == ()


def test_empty_reading_is_refused() -> None:
    try:
        build_plan(reading([]))
    except EmptyStory as error:
        assert "no paragraphs" in str(error)
    else:
        raise AssertionError("an empty reading must be refused")


def test_long_story_without_beats_is_linked_scenes_read_in_order() -> None:
    paras = [f"Paragraph {i} is here." for i in range(15)]
    plan = build_plan(reading(paras))
    assert [s.id for s in plan.scenes] == ["opening", "opening_2", "ending"]
    first, second, last = plan.scenes
    assert [(c.text, c.to, c.canon) for c in first.choices] == [("Read on", "opening_2", True)]
    assert [(c.text, c.to, c.canon) for c in second.choices] == [("Read on", "ending", True)]
    assert last.ending is not None and last.source == (12, 15)
    assert plan.choice_points == () and plan.drafts == ()
    assert check_plan(plan, paras) == []


def test_choice_points_split_the_canonical_path() -> None:
    plan = harbour_story()
    assert check_plan(plan, PARAS) == []
    canon = plan.canonical
    assert [s.id for s in canon] == ["opening", "tobias_arrives", "ending"]
    assert [s.source for s in canon] == [(0, 2), (2, 4), (4, 6)]
    assert canon[-1].ending == "Mara's story, as written"
    assert plan.start == "opening"
    # Each choice point: one canon choice to the next canonical scene, one alternative.
    opening = plan.scene("opening")
    assert len(opening.choices) == 2
    (canon_choice,) = [c for c in opening.choices if c.canon]
    assert canon_choice.to == "tobias_arrives"
    # Tobias is first seen just before the choice: a stranger.
    assert canon_choice.text in ("Stay and face Tobias", "See what Tobias wants")
    assert canon_choice.effects == ("met_tobias = true",)
    (other,) = [c for c in opening.choices if not c.canon]
    assert "Tobias" in other.text and plan.scene(other.to).draft


def test_variable_is_set_on_canon_and_read_at_the_next_choice_point() -> None:
    plan = harbour_story()
    assert [(v.name, v.default, v.set_in, v.read_in) for v in plan.variables] == [
        ("met_tobias", False, "opening", "tobias_arrives")
    ]
    second = plan.scene("tobias_arrives")
    conditional = [c for c in second.choices if c.condition is not None]
    assert [(c.condition, c.text) for c in conditional] == [
        ("met_tobias", "Ask yourself what Tobias would do")
    ]
    detour = plan.scene(conditional[0].to)
    assert detour.role == "detour" and detour.draft
    # The reflective scene then offers the same choices again (minus itself).
    assert {c.text for c in detour.choices} == {
        c.text for c in second.choices if c.condition is None
    }


def test_alternative_rejoins_at_the_next_choice_point_without_the_unsatisfiable_detour() -> None:
    plan = harbour_story()
    opening = plan.scene("opening")
    (other,) = [c for c in opening.choices if not c.canon]
    alternative = plan.scene(other.to)
    assert alternative.role == "alternative" and alternative.ending is None
    assert 3 <= len(alternative.paragraphs) <= 4
    second = plan.scene("tobias_arrives")
    assert [(c.text, c.to) for c in alternative.choices] == [
        (c.text, c.to) for c in second.choices if c.condition is None
    ]
    assert not any(c.canon for c in alternative.choices)
    # The bridging sentence leads into the next choice point (about the key).
    assert "the old key" in alternative.paragraphs[-1]


def test_last_alternative_ends_with_its_own_label() -> None:
    plan = harbour_story()
    last = plan.scene(plan.choice_points[-1].alternative)
    assert last.ending is not None and last.ending != plan.canonical[-1].ending
    assert not last.choices and last.draft
    assert len(plan.endings) == 2


def test_generated_prose_uses_the_story_voice() -> None:
    past = harbour_story()
    alternative = past.scene(past.choice_points[0].alternative)
    assert alternative.paragraphs[0].startswith("Mara ")
    assert "Tobias" in " ".join(alternative.paragraphs)
    present = harbour_story(tense="present")
    text = " ".join(present.scene(present.choice_points[0].alternative).paragraphs)
    assert " was " not in text and " had " not in text
    assert any(f"Mara {verb}" in text for verb in ("is gone", "stays", "steps"))
    first = harbour_story(person_="first")
    text = " ".join(first.scene(first.choice_points[0].alternative).paragraphs)
    assert text.startswith(("I ", '"Not now," I ')) and "Mara" not in text


def test_unseen_subject_gives_choices_that_do_not_name_it() -> None:
    # Tobias first appears in paragraph 3, after the choice at boundary 1.
    late = person("tobias", "Tobias", "he", 2)
    plan = harbour_story(characters=[MARA, late],
                         choice_points=[beat(1, "arrival", "tobias", paragraph=2)])
    texts = [c.text for c in plan.scene("opening").choices]
    assert set(SITUATIONS["arrival"].canon) & set(texts)
    assert not any("Tobias" in t for t in texts)
    assert check_plan(plan, PARAS) == []


def test_protagonist_as_subject_is_not_a_newcomer() -> None:
    plan = harbour_story(choice_points=[beat(2, "arrival", "mara")])
    texts = [c.text for c in plan.scene("opening").choices]
    assert not any("Mara" in t for t in texts)


def test_unusable_choice_points_are_dropped() -> None:
    story = reading(PARAS, choice_points=[beat(0), beat(6), beat(9), beat(3), beat(3), beat(-1)])
    assert [b.boundary for b in usable_choice_points(story)] == [3]
    plan = build_plan(story)
    assert [s.source for s in plan.canonical] == [(0, 3), (3, 6)]
    assert check_plan(plan, PARAS) == []


def test_single_choice_point_still_gets_a_variable_by_cutting_the_last_scene() -> None:
    plan = harbour_story(choice_points=[beat(2, "arrival", "tobias")])
    assert [s.source for s in plan.canonical] == [(0, 2), (2, 5), (5, 6)]
    assert [v.name for v in plan.variables] == ["met_tobias"]
    link = plan.canonical[1]
    assert [c.text for c in link.choices if c.canon] == ["Read on"]
    assert any(c.condition == "met_tobias" for c in link.choices)
    assert check_plan(plan, PARAS) == []


def test_places_and_things_give_their_own_choices_and_ids() -> None:
    plan = harbour_story(choice_points=[beat(1, "discovery", "harbour"),
                                        beat(4, "discovery", "key")])
    texts = {c.text for c in plan.scene("opening").choices}
    assert "Take a closer look at the harbour" in texts
    assert "harbour_found" in {s.id for s in plan.scenes}
    assert [v.name for v in plan.variables] == ["visited_harbour"]
    key_point = plan.scene(plan.choice_points[1].scene)
    assert "Take a closer look at the old key" in {c.text for c in key_point.choices}
    assert check_plan(plan, PARAS) == []


def test_scene_ids_are_deduplicated() -> None:
    plan = harbour_story(choice_points=[beat(1, "decision"), beat(3, "decision"),
                                        beat(5, "decision")])
    ids = [s.id for s in plan.scenes]
    assert len(ids) == len(set(ids))
    assert ids[:4] == ["opening", "turning_point", "turning_point_2", "ending"]
    assert check_plan(plan, PARAS) == []


def test_the_plan_does_not_depend_on_python_hash_seed() -> None:
    script = (
        "import sys; sys.path[:0] = ['tests', '.'];"
        "from test_convert_graph import harbour_story;"
        "print(repr(harbour_story()))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                       text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and "opening" in outputs.pop()


def test_long_stories_get_more_endings_but_the_first_alternative_rejoins() -> None:
    paras = [f"Paragraph {i} of a long story." for i in range(40)]
    points = [beat(b, "decision") for b in range(2, 40, 2)]
    plan = build_plan(reading(paras, choice_points=points))
    assert check_plan(plan, paras) == []
    alternatives = [plan.scene(p.alternative) for p in plan.choice_points]
    assert alternatives[0].ending is None and alternatives[-1].ending is not None
    early = [a for a in alternatives[:-1] if a.ending is not None]
    assert 1 <= len(early) < len(alternatives) - 1
    assert len(plan.endings) == len(early) + 2


def test_a_person_met_just_before_is_a_stranger_and_one_met_long_before_is_known() -> None:
    paras = [f"Paragraph {i}." for i in range(10)]
    cast = [MARA, person("tobias", "Tobias", "he", 1)]
    known = build_plan(reading(paras, characters=cast, protagonist="mara",
                               choice_points=[beat(6, "arrival", "tobias")]))
    stranger = build_plan(reading(paras, characters=cast, protagonist="mara",
                                  choice_points=[beat(3, "arrival", "tobias")]))
    assert [p.situation for p in known.choice_points] == ["arrival.person"]
    assert [p.situation for p in stranger.choice_points] == ["arrival.stranger"]
    # Nobody asks a stranger (an intruder, say) to leave them alone with their thoughts.
    offered = [a.choice for a in SITUATIONS["arrival.stranger"].alternatives]
    assert offered and not any("alone" in text for text in offered)
    assert any("alone" in a.choice for a in SITUATIONS["arrival.person"].alternatives)


def test_a_letter_is_read_or_left_unread() -> None:
    plan = harbour_story(things=[Thing("letter", "a long letter", 1, ())],
                         choice_points=[beat(2, "discovery", "letter")])
    (point,) = plan.choice_points
    assert point.situation == "discovery.message"
    texts = [c.text for c in plan.scene(point.scene).choices]
    assert "Read the long letter" in texts
    assert not any("closer look" in t for t in texts)
