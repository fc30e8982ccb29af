"""prose.py, situations.py (templates/*.yaml), voice.py: every template renders in every voice."""

from __future__ import annotations

import itertools
import re

import pytest

from carnet.tools.convert.writing.prose import MissingRole, Roles, render, roles_of
from carnet.tools.convert.writing.situations import BRIDGES, CLOSINGS, DETOURS, SITUATIONS
from carnet.tools.convert.writing.voice import Referent, Voice, conjugate

PROTAGONISTS = [Referent("Ada", "she"), Referent("Tom", "he"), Referent("Sam", "they"),
                Referent(None, "I"), Referent(None, "they")]
VOICES = [Voice(tense, hero, curly) for tense, hero, curly in
          itertools.product(("past", "present"), PROTAGONISTS, (False, True))]


def full_cast(hero: Referent) -> Roles:
    return Roles(hero, other=Referent("Noor", "he"), place="the mill", thing="the letter",
                next_person=Referent("Kit", "they"))


def all_templates() -> list[str]:
    found: list[str] = []
    for situation in SITUATIONS.values():
        found += list(situation.canon)
        for alternative in situation.alternatives:
            found += [alternative.choice, alternative.label, *alternative.paragraphs]
            if alternative.comeback:
                found.append(alternative.comeback)
    for bridges in BRIDGES.values():
        found += list(bridges)
    found += list(CLOSINGS)
    for detour in DETOURS.values():
        found += [detour.choice, *detour.paragraphs]
    return found


@pytest.mark.parametrize("voice", VOICES, ids=lambda v: f"{v.tense}-{v.protagonist}")
def test_every_template_renders_without_leftover_tokens(voice: Voice) -> None:
    for template in all_templates():
        text = render(template, full_cast(voice.protagonist), voice)
        assert "{" not in text and "}" not in text, (template, text)
        assert text[0].isupper() or text[0] in "\"“", text
        assert "  " not in text, text


def test_conjugation() -> None:
    assert conjugate("be", "past", "3sg") == "was"
    assert conjugate("be", "past", "pl") == "were"
    assert conjugate("be", "present", "1sg") == "am"
    assert conjugate("be", "present", "pl") == "are"
    assert conjugate("shake", "present", "3sg") == "shakes"
    assert conjugate("shake", "present", "1sg") == "shake"
    assert conjugate("carry", "past", "pl") == "carried"
    assert conjugate("come@ante", "past", "3sg") == "had come"
    assert conjugate("come@ante", "present", "3sg") == "came"
    with pytest.raises(KeyError):
        conjugate("frobnicate", "past", "3sg")


def test_persons_and_tenses_agree() -> None:
    template = "{^P:be} here, and {he:know} {he:be} here: {his} own choice, {hers} alone."
    cases = {
        ("past", Referent("Ada", "she")): "Ada was here, and she knew she was here: her own "
                                        "choice, hers alone.",
        ("present", Referent("Ada", "she")): "Ada is here, and she knows she is here: her own "
                                           "choice, hers alone.",
        ("present", Referent("Sam", "they")): "Sam is here, and they know they are here: their "
                                            "own choice, theirs alone.",
        ("past", Referent(None, "I")): "I was here, and I knew I was here: my own choice, "
                                     "mine alone.",
        ("present", Referent(None, "I")): "I am here, and I know I am here: my own choice, "
                                        "mine alone.",
        ("present", Referent(None, "they")): "They are here, and they know they are here: "
                                           "their own choice, theirs alone.",
    }
    for (tense, hero), expected in cases.items():
        assert render(template, Roles(hero), Voice(tense, hero)) == expected  # type: ignore[arg-type]


def test_other_character_and_phrases() -> None:
    hero = Referent("Ada", "she")
    cast = full_cast(hero)
    voice = Voice("past", hero)
    assert render("{^C:nod} at {P.obj}", cast, voice) == "Noor nodded at Ada"
    with pytest.raises(MissingRole):
        render("{c}", cast, voice)  # an unknown token is an error, never left in the prose
    assert render("{P's} coat, {^L}, {T}", cast, voice) == "Ada's coat, The mill, the letter"
    assert render("{N:appear}", cast, voice) == "Kit appeared"
    assert render("{N:appear}", cast, Voice("present", hero)) == "Kit appears"
    assert render("{lq}Hi{rq}", cast, Voice("past", hero, curly_quotes=True)) == "“Hi”"
    first = Voice("past", Referent(None, "I"))
    assert render("{P's} coat and {P.obj}", Roles(first.protagonist), first) == "My coat and me"


def test_missing_roles_are_reported() -> None:
    hero = Referent("Ada", "she")
    with pytest.raises(MissingRole):
        render("{C} waved", Roles(hero), Voice("past", hero))
    with pytest.raises(MissingRole):
        render("{L}", Roles(hero), Voice("past", hero))
    assert roles_of("{^P:walk} to {L} with {C}") == {"P", "L", "C"}


def test_situations_only_use_the_roles_they_are_given() -> None:
    # Generic situations must not need a subject; named ones need only theirs.
    allowed = {
        "arrival": {"P"}, "encounter": {"P"}, "discovery": {"P"}, "decision": {"P"},
        "turning_point": {"P"},
        "arrival.person": {"P", "C"}, "encounter.person": {"P", "C"},
        "discovery.place": {"P", "L"}, "discovery.proper_place": {"P", "L"},
        "discovery.thing": {"P", "T"}, "discovery.message": {"P", "T"},
            "encounter.message": {"P", "T"},
    }
    assert set(allowed) == set(SITUATIONS)
    for name, situation in SITUATIONS.items():
        for template in situation.canon:
            assert roles_of(template) <= allowed[name], (name, template)
        for alternative in situation.alternatives:
            for template in (alternative.choice, alternative.label, alternative.comeback,
                             *alternative.paragraphs):
                assert roles_of(template) <= allowed[name], (name, template)
    for template in CLOSINGS:
        assert roles_of(template) <= {"P"}
    assert set(BRIDGES) == set(SITUATIONS)


def test_choice_texts_are_short_second_person_imperatives() -> None:
    hero = Referent("Ada", "she")
    cast, voice = full_cast(hero), Voice("past", hero)
    texts = [render(t, cast, voice) for s in SITUATIONS.values() for t in s.canon]
    texts += [render(a.choice, cast, voice) for s in SITUATIONS.values() for a in s.alternatives]
    texts += [render(d.choice, cast, voice) for d in DETOURS.values()]
    for text in texts:
        assert len(text.split()) <= 8, text
        assert not re.search(r"\b(I|me|my|she|her|he|him|his|Ada)\b", text), text
        assert not text.endswith("."), text
