"""Prose for generated scenes and choices, by situation.

A template is a string with ``{...}`` tokens, filled from a :class:`Cast`
(who and what the scene is about) in a :class:`~tools.convert.voice.Voice`
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

Nothing here knows any particular story: every name comes from the Cast.
"""

from __future__ import annotations

import re

import attrs

from carnet.tools.convert.voice import Agreement, Person, Voice, conjugate

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
class Cast:
    """Who and what a generated passage is about."""

    protagonist: Person
    other: Person | None = None  # C
    place: str | None = None  # L, with its article: "the harbour"
    thing: str | None = None  # T: "the letter"
    next_person: Person | None = None  # N, when the next beat is about a person
    next_phrase: str | None = None  # N, when it is about a place or thing


def _person(cast: Cast, role: str) -> Person | None:
    if role == "P":
        return cast.protagonist
    if role == "C":
        return cast.other
    return cast.next_person


def _person_form(person: Person, form: str | None, apostrophe: str | None) -> str:
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


def _phrase(cast: Cast, key: str) -> str | None:
    if key == "L":
        return cast.place
    if key == "T":
        return cast.thing
    if key == "N" and cast.next_person is None:
        return cast.next_phrase
    return None


def _agreement(cast: Cast, key: str) -> Agreement:
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


def _word(cast: Cast, voice: Voice, key: str) -> str:
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


def render(template: str, cast: Cast, voice: Voice) -> str:
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


# --- Situations: what a choice point offers --------------------------------


@attrs.frozen
class Alternative:
    """A non-canonical choice and the scene it leads to.

    ``scene_id`` is a slug pattern: ``{}`` is replaced by the subject's slug.
    ``label`` names the ending when this alternative ends the story.
    ``comeback`` starts the bridging paragraph when the scene rejoins the
    story: it undoes just enough of the alternative for the story to go on.
    """

    choice: str
    scene_id: str
    paragraphs: tuple[str, ...]
    label: str
    comeback: str = ""


@attrs.frozen
class Situation:
    """The choices a kind of beat offers: canon texts (true to any story) and alternatives."""

    canon: tuple[str, ...]
    alternatives: tuple[Alternative, ...]


SITUATIONS: dict[str, Situation] = {
    "arrival.person": Situation(
        canon=("Stay with {C}", "Stay and see what {C} wants"),
        alternatives=(
            Alternative(
                "Make an excuse and slip away from {C}",
                "avoid_{}",
                (
                    "{^P:mumble} an excuse about the hour and {~P:be} gone before "
                    "{C:can} say another word.",
                    "{^his} heart {~it:be} still racing when {he:stop} at last to catch "
                    "{his} breath. Whatever {C} {~C:want}, it {~it:will} have to keep.",
                ),
                "The meeting that never was",
                "But {C} {~C:be} not so easily put off.",
            ),
            Alternative(
                "Tell {C} you would rather be alone",
                "send_{}_away",
                (
                    "{lq}Not now,{rq} {P:say}, more sharply than {he:mean} to. "
                    "{lq}I would rather be alone.{rq}",
                    "{^C:nod}, unsurprised, and {~C:leave} {P.obj} to {his} thoughts. "
                    "For a while the quiet {~it:feel} like a relief.",
                ),
                "Alone, by choice",
                "But {C} {~C:be} not so easily put off.",
            ),
            Alternative(
                "Pretend you have not seen {C}",
                "ignore_{}",
                (
                    "{^P:turn} away and {~P:look} hard at nothing, as if {C} {~C:be} "
                    "not there at all.",
                    "It {~it:be} a small cowardice, and {he:know} it. By the time "
                    "{he:look} up again, {C} {~C:have} gone.",
                ),
                "Unseen",
                "But {C} {~C:have} seen {him} after all, and {~C:come} back.",
            ),
        ),
    ),
    "arrival": Situation(
        canon=("Wait and see what happens",),
        alternatives=(
            Alternative(
                "Go on your way",
                "go_on",
                (
                    "{^P:decide} not to wait for whatever {~it:be} coming. {^he:pick} up "
                    "{his} things and {~he:go} on {his} way without looking back.",
                    "It {~it:be} only later that {he:wonder} what {he:miss@ante}.",
                ),
                "The road alone",
                "In the end, curiosity {~it:win} out.",
            ),
            Alternative(
                "Keep your head down",
                "keep_head_down",
                (
                    "{^P:keep} {his} head down and {his} eyes on {his} own hands, and "
                    "whatever {~it:be} happening {~it:pass} {him} by.",
                    "When {he:look} up at last, the moment {~it:be} over, and everything "
                    "{~it:seem} a little emptier than before.",
                ),
                "Unnoticed",
                "In the end, curiosity {~it:win} out.",
            ),
        ),
    ),
    "encounter.person": Situation(
        canon=("Spend time with {C}", "Stay with {C}"),
        alternatives=(
            Alternative(
                "Say goodbye to {C}",
                "leave_{}",
                (
                    "{^P:say} goodbye to {C} as lightly as {he:can} and {~P:walk} away. "
                    "{^he:do} not look back, though {he:want} to.",
                    "Alone again, {P:let} {his} thoughts wander where they {~they:like}. "
                    "It {~it:be} quieter this way, and lonelier, and {he:do} not know "
                    "which of the two {~it:matter} more.",
                ),
                "{P's} own way",
                "But {C} {~C:catch} up with {him} before long.",
            ),
            Alternative(
                "Keep {C} at arm's length",
                "distrust_{}",
                (
                    "{^P:keep} {his} answers short and {his} eyes elsewhere. {^C:try} "
                    "once or twice to draw {him} out, then {~C:give} up with a small shrug.",
                    "Afterwards, {P:tell} {himself} it {~it:be} for the best. {^he} almost "
                    "{~he:believe} it.",
                ),
                "At arm's length",
                "{^C:stay} all the same.",
            ),
        ),
    ),
    "encounter": Situation(
        canon=("Stay and listen",),
        alternatives=(
            Alternative(
                "Keep to yourself",
                "keep_to_yourself",
                (
                    "{^P:keep} to {himself}, and nobody {~it:seem} to mind. The voices "
                    "around {him} {~they:rise} and {~they:fall} like weather.",
                    "There {~it:be} a kind of freedom in it, and a kind of loneliness too.",
                ),
                "On {his} own",
                "But the world {~it:find} {him} anyway.",
            ),
        ),
    ),
    "discovery.place": Situation(
        canon=("Take a closer look at {L}",),
        alternatives=(
            Alternative(
                "Walk on past {L}",
                "pass_{}",
                (
                    "{^P:give} {L} one last look and {~P:walk} on. There {~it:be} "
                    "somewhere else to be, or so {he:tell} {himself}.",
                    "The way ahead {~it:be} quiet and ordinary, and {he:find} a kind of "
                    "peace in that.",
                ),
                "The road past {L}",
                "In the end, {his} steps {~they:lead} {him} back to {L} all the same.",
            ),
            Alternative(
                "Turn back the way you came",
                "turn_back_from_{}",
                (
                    "Something about {L} {~it:make} {P.obj} hesitate, and in the end "
                    "{he:turn} back the way {he:come@ante}.",
                    "It {~it:be} the sensible thing to do. {^he:tell} {himself} so more "
                    "than once.",
                ),
                "The way back",
                "In the end, {his} steps {~they:lead} {him} back to {L} all the same.",
            ),
        ),
    ),
    "discovery.proper_place": Situation(
        canon=("Explore {L}",),
        alternatives=(
            Alternative(
                "Go home instead",
                "go_home",
                (
                    "{^L} {~it:can} wait for another day, {P:decide}, and {~P:turn} for home.",
                    "At home, everything {~it:be} exactly where {he:leave@ante} it, which "
                    "{~it:be} a comfort and also, somehow, a disappointment.",
                ),
                "Home early",
                "But {L} {~it:call} {him} back before long.",
            ),
        ),
    ),
    "discovery.thing": Situation(
        canon=("Take a closer look at {T}",),
        alternatives=(
            Alternative(
                "Leave {T} alone",
                "ignore_{}",
                (
                    "{^P:leave} {T} where it {~it:be}. Whatever it {~it:hold}, it "
                    "{~it:be} not {hers} to know.",
                    "Still, {his} thoughts {~they:keep} drifting back to it.",
                ),
                "Left alone",
                "But {T} {~it:be} still there when {he:look} again.",
            ),
            Alternative(
                "Put {T} out of your mind",
                "forget_{}",
                (
                    "{^P:put} {T} out of {his} mind, or {~P:try} to.",
                    "It {~it:be} harder than it {~it:sound}. Some things {~they:ask} to be "
                    "looked at, and this {~it:be} one of them.",
                ),
                "Out of mind",
                "But {T} {~it:be} still there when {he:look} again.",
            ),
        ),
    ),
    "discovery": Situation(
        canon=("Go on and see what you find",),
        alternatives=(
            Alternative(
                "Turn back for home",
                "turn_back",
                (
                    "{^P:decide} {he:have} seen enough for one day and {~P:turn} back "
                    "toward home.",
                    "{^his} feet {~they:know} the way, which {~it:leave} {his} thoughts "
                    "free to wander.",
                ),
                "The way home",
                "In the end, curiosity {~it:win} out.",
            ),
            Alternative(
                "Stay where you are a while longer",
                "stay_put",
                (
                    "{^P:stay} where {he:be} a while longer, in no hurry to be anywhere "
                    "else. Whatever else the day {~it:hold} {~it:can} wait.",
                    "It {~it:be} a small, quiet choice, and nobody else {~it:notice} it.",
                ),
                "A while longer",
                "In the end, curiosity {~it:win} out.",
            ),
        ),
    ),
    "decision": Situation(
        canon=("Follow where this leads", "Let it happen"),
        alternatives=(
            Alternative(
                "Let the moment pass",
                "let_it_pass",
                (
                    "{^P:hesitate}, and the moment {~it:pass}, the way moments do. There "
                    "{~it:will} be others, {he:tell} {himself}.",
                    "Maybe there {~it:will}. For now, {he:go} on as before, a little "
                    "lighter and a little sorrier, both at once.",
                ),
                "The moment that passed",
            ),
            Alternative(
                "Hold back and wait",
                "hold_back",
                (
                    "{^P:hold} back. It {~it:be} too soon, or too late, or simply too "
                    "much; {he:do} not want to decide which.",
                    "So {he:wait}, and while {he:wait}, the world {~it:go} on without "
                    "asking {him}.",
                ),
                "Holding back",
            ),
        ),
    ),
}


# --- Bridges: an alternative scene rejoining the story at the next choice ---

BRIDGES: dict[str, tuple[str, ...]] = {
    "arrival.person": (
        "{^P:be} still turning all this over when {N:appear}.",
        "Not long after, {N:appear}, as if out of nowhere.",
    ),
    "arrival": ("{^P:be} still turning all this over when something {~it:change}.",),
    "encounter.person": (
        "Later, almost without meaning to, {P:find} {himself} face to face with {N}.",
    ),
    "encounter": ("Later, almost without meaning to, {P:find} {himself} among people again.",),
    "discovery.place": (
        "{^P's} steps {~they:carry} {him} on until, almost by chance, {he:come} upon {N}.",
    ),
    "discovery.proper_place": (
        "{^P's} steps {~they:carry} {him} on, and soon {N} {~it:be} all around {him}.",
    ),
    "discovery.thing": ("It {~it:be} then that {his} eyes {~they:fall} on {N}.",),
    "discovery": ("It {~it:be} then that something {~it:catch} {his} eye.",),
    "decision": (
        "Slowly, the question {~it:come} back to {him}, the way true questions do, and "
        "this time {he:know} {he:will} have to answer it.",
    ),
}

# --- Closings: an alternative scene that ends the story --------------------

CLOSINGS: tuple[str, ...] = (
    "And that, as it {~it:turn} out, {~it:be} the whole of it: a smaller story than it "
    "might have been, but {hers}.",
    "{^P} never {~P:find} out what might have happened otherwise. Some days {he:wonder}; "
    "most days {he:do} not.",
    "The rest of the day {~it:pass} quietly, and when it {~it:be} over, {P:be} not sorry, "
    "exactly. Only curious, now and then, about the other way it could have gone.",
)


# --- Detours: a reflective scene offered only when a variable is set -------


@attrs.frozen
class Detour:
    """A choice (and scene) unlocked by an earlier canon choice, then back to the same choices."""

    choice: str
    scene_id: str
    paragraphs: tuple[str, ...]


DETOURS: dict[str, Detour] = {
    "person": Detour(
        "Ask yourself what {C} would do",
        "think_of_{}",
        (
            "{^P:wonder} what {C} would do in {his} place. It {~it:be} strange, how much "
            "{C} already {~it:seem} to matter.",
            "The answer, when it {~it:come}, {~it:be} not quite an answer. But it {~it:be} "
            "enough to go on with.",
        ),
    ),
    "place": Detour(
        "Think about how you found {L}",
        "remember_{}",
        (
            "{^P:think} about {L}, and about how nearly {he:miss@ante} it.",
            "It {~it:be} a small thing to be glad of, and {he:be} glad of it all the same.",
        ),
    ),
    "thing": Detour(
        "Think about {T}",
        "think_about_{}",
        (
            "{^P:think} about {T} again, turning the thought of it over like a coin.",
            "Some things stay with you. This, {he:realize}, {~it:be} one of them.",
        ),
    ),
}

LINK_CHOICE = "Read on"
"""The one choice that links two canonical scenes cut from a long stretch of text."""
