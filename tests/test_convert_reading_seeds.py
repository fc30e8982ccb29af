"""read_story on the three seed stories: what a careful human editor would pick.

Seed 000: Alice Durand, a painter in a café, is joined by her old friend Léon,
who shows her his notebook. Seed 001: Alejandro Lefevre, a painter, is greeted by
the barista Colette, finds a studio in an alley and meets Sophie there. Seed 002:
Viktoria Leroy, a photographer, finds a café and meets Léon, a musician.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.tools.convert.analysis import Beat, Character, Reading
from carnet.tools.convert.reading import read_story

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _read(prefix: str) -> Reading:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_story(path.read_text(encoding="utf-8"))


def _character(reading: Reading, short: str) -> Character:
    return next(c for c in reading.characters if c.short == short)


def _speaker(reading: Reading, words: str) -> str | None:
    return next(s.speaker for s in reading.speeches if words in s.text)


def _point(reading: Reading, kind: str, subject: str) -> Beat:
    return next(b for b in reading.choice_points if b.kind == kind and b.subject == subject)


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_every_seed_is_past_third_person_with_two_to_four_choice_points(prefix: str) -> None:
    reading = _read(prefix)
    assert (reading.tense, reading.person) == ("past", "third")
    assert 2 <= len(reading.choice_points) <= 4
    assert reading.choice_points[0].boundary >= 1


def test_seed_000_alice_and_leon() -> None:
    reading = _read("000")
    alice = _character(reading, "Alice")
    assert alice.name == "Alice Durand" and alice.pronoun == "she"
    assert reading.protagonist == alice.id
    leon = _character(reading, "Léon")
    assert leon.pronoun == "he" and leon.id == "leon"
    assert leon.first_paragraph == 2
    assert leon.description is not None and leon.description.startswith("an old friend")
    assert {c.id for c in reading.characters} == {alice.id, leon.id}
    # the figure who appears is Léon: the choice follows his arrival
    arrival = _point(reading, "arrival", "leon")
    assert (arrival.paragraph, arrival.boundary) == (2, 3)
    assert "appeared" in arrival.reason
    # his notebook is revealed, and matters
    assert "notebook" in {t.id for t in reading.things}
    assert any(b.kind == "discovery" and b.subject == "notebook" for b in reading.beats)
    # her block lifts: "Alice realized ..." (paragraph 6) carries a choice
    assert any(b.paragraph == 6 for b in reading.choice_points)
    assert any(p.proper and p.name == "Paris" for p in reading.places)
    assert _speaker(reading, "I'm stuck") == alice.id
    assert _speaker(reading, "step away") == leon.id
    assert reading.title == "Alice and Léon"


def test_seed_001_alejandro_colette_and_sophie() -> None:
    reading = _read("001")
    alejandro = _character(reading, "Alejandro")
    assert alejandro.name == "Alejandro Lefevre" and alejandro.pronoun == "he"
    assert "monsieur Lefevre" in alejandro.aliases  # how Sophie greets him
    assert reading.protagonist == alejandro.id
    colette = _character(reading, "Colette")
    assert colette.pronoun == "she" and colette.first_paragraph == 1
    sophie = _character(reading, "Sophie")
    assert sophie.pronoun == "she" and sophie.first_paragraph == 4
    assert {c.short for c in reading.characters} == {"Alejandro", "Colette", "Sophie"}
    # the sign on the door is not a person
    assert all("Atelier" not in c.name for c in reading.characters)
    assert _speaker(reading, "Atelier de Peinture") is None
    # the studio found in the alley and entered: the choice follows
    studio = _point(reading, "discovery", "studio")
    assert (studio.paragraph, studio.boundary) == (3, 4)
    # Sophie, the figure from the shadows, is the arrival that matters
    arrival = _point(reading, "arrival", sophie.id)
    assert (arrival.paragraph, arrival.boundary) == (4, 5)
    assert _speaker(reading, "Your usual") == colette.id
    assert _speaker(reading, "monsieur Lefevre") == sophie.id
    assert _speaker(reading, "The one and only") == alejandro.id
    places = {p.name for p in reading.places if p.proper}
    assert {"Montmartre", "the Eiffel Tower"} <= places


def test_seed_002_viktoria_and_leon() -> None:
    reading = _read("002")
    viktoria = _character(reading, "Viktoria")
    assert viktoria.name == "Viktoria Leroy" and viktoria.pronoun == "she"
    assert reading.protagonist == viktoria.id
    leon = _character(reading, "Léon")
    assert leon.pronoun == "he" and leon.first_paragraph == 3
    assert leon.description == "a handsome young musician"
    # the barista is never named: only two characters
    assert len(reading.characters) == 2
    cafe = next(p for p in reading.places if p.id == "cafe")
    assert cafe.first_paragraph == 1 and not cafe.proper
    assert _point(reading, "discovery", "cafe").paragraph in (1, 2)
    arrival = _point(reading, "arrival", "leon")
    assert (arrival.paragraph, arrival.boundary) == (3, 4)
    assert "introduced himself" in arrival.reason
    assert _speaker(reading, "Just a coffee") == viktoria.id
    assert any(p.proper and p.name == "the Seine" for p in reading.places)
