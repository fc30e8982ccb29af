"""Prose for generated scenes and choices, by situation.

A template is a string with ``{...}`` tokens, filled from a :class:`Roles`
(who and what the scene is about) in a :class:`~carnet.tools.convert.writing.voice.Voice`
(the story's tense and person). Tokens:

- people (``P`` protagonist, ``C`` the beat's character, ``N`` the next
  beat's subject): ``{P}`` the name (or "I"), ``{P.obj}``, ``{P's}``,
  ``{P.he}``, ``{P.him}``, ``{P.his}``, ``{P.hers}``, ``{P.self}``; for the
  protagonist ``{he}``, ``{him}``, ``{his}``, ``{hers}``, ``{himself}`` too;
- things and places: ``{L}`` ("the harbour", "Lisbon"), ``{T}`` ("the
  letter"), ``{N}`` when the next subject is one of them;
- verbs: ``{P:shake}`` is subject and verb ("Marie shook", "I shake"),
  ``{~P:shake}`` the verb alone, agreeing with that subject; ``{~it:be}``
  and ``{~they:be}`` agree with an implied third-person subject;
  ``{he:come@ante}`` is an earlier action ("she had come" in a past tense
  story, "she came" in a present tense one);
- ``{^...}`` capitalizes the first letter; ``{lq}``/``{rq}`` are the story's
  quote marks.

Nothing here knows any particular story: every name comes from the Roles.
"""

from __future__ import annotations

import re

import attrs

from carnet.tools.convert.writing.voice import Agreement, Referent, Voice, conjugate

_TOKEN = re.compile(r"\{(\^?)(~?)([A-Za-z][A-Za-z.']*)(?::([a-z]+(?:@ante)?))?\}")
_PERSON_KEY = re.compile(r"([PCN])(?:\.(obj|he|him|his|hers|self)|('s))?\Z")
_PROTAGONIST_SHORT = {
    "he": "P.he",
    "him": "P.him",
    "his": "P.his",
    "hers": "P.hers",
    "himself": "P.self",
}


class MissingRole(KeyError):
    """A template names a role (a character, place or thing) the cast lacks."""


@attrs.frozen
class Roles:
    """Who and what a generated passage is about."""

    protagonist: Referent
    other: Referent | None = None  # C
    place: str | None = None  # L, with its article: "the harbour"
    thing: str | None = None  # T: "the letter"
    next_person: Referent | None = None  # N, when the next beat is about a person
    next_phrase: str | None = None  # N, when it is about a place or thing


def _person(cast: Roles, role: str) -> Referent | None:
    if role == "P":
        return cast.protagonist
    if role == "C":
        return cast.other
    return cast.next_person


def _person_form(person: Referent, form: str | None, apostrophe: str | None) -> str:
    if apostrophe:
        return person.called_possessive
    return {
        None: person.called,
        "obj": person.called_object,
        "he": person.subject,
        "him": person.object,
        "his": person.possessive,
        "hers": person.possessive_pronoun,
        "self": person.reflexive,
    }[form]


def _phrase(cast: Roles, key: str) -> str | None:
    if key == "L":
        return cast.place
    if key == "T":
        return cast.thing
    if key == "N" and cast.next_person is None:
        return cast.next_phrase
    return None


def _agreement(cast: Roles, key: str) -> Agreement:
    if key == "it":
        return "3sg"
    if key == "they":
        return "pl"
    key = _PROTAGONIST_SHORT.get(key, key)
    match = _PERSON_KEY.match(key)
    if match is None or match.group(3):
        raise MissingRole(key)
    role, form = match.group(1), match.group(2)
    person = _person(cast, role)
    if person is None:
        if _phrase(cast, role) is not None:
            return "3sg"
        raise MissingRole(role)
    if form is None:
        return person.name_agreement
    if form == "he":
        return person.pronoun_agreement
    raise MissingRole(key)


def _word(cast: Roles, voice: Voice, key: str) -> str:
    if key == "lq":
        return voice.open_quote
    if key == "rq":
        return voice.close_quote
    phrase = _phrase(cast, key)
    if phrase is not None:
        return phrase
    full = _PROTAGONIST_SHORT.get(key, key)
    match = _PERSON_KEY.match(full)
    if match is None:
        raise MissingRole(key)
    person = _person(cast, match.group(1))
    if person is None:
        raise MissingRole(match.group(1))
    return _person_form(person, match.group(2), match.group(3))


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def render(template: str, cast: Roles, voice: Voice) -> str:
    """Fill a template; raises :class:`MissingRole` or KeyError (unknown verb)."""

    def replace(match: re.Match[str]) -> str:
        caps, verb_only, key, verb = match.groups()
        if verb_only:
            if verb is None:
                raise MissingRole(key)
            text = conjugate(verb, voice.tense, _agreement(cast, key))
        elif verb is not None:
            subject = _word(cast, voice, key)
            text = f"{subject} {conjugate(verb, voice.tense, _agreement(cast, key))}"
        else:
            text = _word(cast, voice, key)
        return _capitalize(text) if caps else text

    return _capitalize(_TOKEN.sub(replace, template))


def roles_of(template: str) -> frozenset[str]:
    """The cast roles a template needs (``P``, ``C``, ``N``, ``L``, ``T``)."""
    roles: set[str] = set()
    for match in _TOKEN.finditer(template):
        key = _PROTAGONIST_SHORT.get(match.group(3), match.group(3))
        if key[:1] in "PCNLT" and key not in ("lq", "rq"):
            roles.add(key[:1])
    return frozenset(roles)
