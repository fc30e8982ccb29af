"""How generated prose refers to people: pronouns, names, verb forms, tense.

Generated scenes must read as if the story's own narrator wrote them: in its
tense (past or present) and person (first or third). A :class:`Referent` knows
the forms of one character; :func:`conjugate` puts a verb in the story's
tense, agreeing with its subject. Pure functions, no state.
"""

from __future__ import annotations

from typing import Literal

import attrs

from carnet.tools.convert.analysis import Reading, Tense

Agreement = Literal["1sg", "3sg", "pl"]
PronounForm = Literal["she", "he", "they", "I"]

# base -> (past, present third person singular). Every verb a template uses
# is listed here; a test renders every template, so a missing verb is caught.
VERBS: dict[str, tuple[str, str]] = {
    "answer": ("answered", "answers"),
    "appear": ("appeared", "appears"),
    "ask": ("asked", "asks"),
    "be": ("was", "is"),  # special-cased in conjugate()
    "begin": ("began", "begins"),
    "believe": ("believed", "believes"),
    "belong": ("belonged", "belongs"),
    "call": ("called", "calls"),
    "can": ("could", "can"),
    "carry": ("carried", "carries"),
    "catch": ("caught", "catches"),
    "change": ("changed", "changes"),
    "come": ("came", "comes"),
    "decide": ("decided", "decides"),
    "do": ("did", "does"),
    "drift": ("drifted", "drifts"),
    "end": ("ended", "ends"),
    "expect": ("expected", "expects"),
    "fall": ("fell", "falls"),
    "feel": ("felt", "feels"),
    "find": ("found", "finds"),
    "fold": ("folded", "folds"),
    "give": ("gave", "gives"),
    "go": ("went", "goes"),
    "hang": ("hung", "hangs"),
    "have": ("had", "has"),
    "hesitate": ("hesitated", "hesitates"),
    "hold": ("held", "holds"),
    "keep": ("kept", "keeps"),
    "know": ("knew", "knows"),
    "lead": ("led", "leads"),
    "learn": ("learned", "learns"),
    "leave": ("left", "leaves"),
    "let": ("let", "lets"),
    "lie": ("lay", "lies"),
    "like": ("liked", "likes"),
    "look": ("looked", "looks"),
    "make": ("made", "makes"),
    "matter": ("mattered", "matters"),
    "mean": ("meant", "means"),
    "miss": ("missed", "misses"),
    "move": ("moved", "moves"),
    "mumble": ("mumbled", "mumbles"),
    "nod": ("nodded", "nods"),
    "notice": ("noticed", "notices"),
    "pass": ("passed", "passes"),
    "pick": ("picked", "picks"),
    "promise": ("promised", "promises"),
    "put": ("put", "puts"),
    "realize": ("realized", "realizes"),
    "return": ("returned", "returns"),
    "rise": ("rose", "rises"),
    "say": ("said", "says"),
    "see": ("saw", "sees"),
    "seem": ("seemed", "seems"),
    "settle": ("settled", "settles"),
    "shake": ("shook", "shakes"),
    "shrug": ("shrugged", "shrugs"),
    "sit": ("sat", "sits"),
    "smile": ("smiled", "smiles"),
    "sound": ("sounded", "sounds"),
    "speak": ("spoke", "speaks"),
    "stand": ("stood", "stands"),
    "stay": ("stayed", "stays"),
    "step": ("stepped", "steps"),
    "stop": ("stopped", "stops"),
    "take": ("took", "takes"),
    "tell": ("told", "tells"),
    "think": ("thought", "thinks"),
    "try": ("tried", "tries"),
    "turn": ("turned", "turns"),
    "wait": ("waited", "waits"),
    "walk": ("walked", "walks"),
    "wander": ("wandered", "wanders"),
    "want": ("wanted", "wants"),
    "watch": ("watched", "watches"),
    "weigh": ("weighed", "weighs"),
    "will": ("would", "will"),
    "win": ("won", "wins"),
    "wonder": ("wondered", "wonders"),
}


# Past participles that differ from the simple past.
PARTICIPLES: dict[str, str] = {
    "be": "been",
    "begin": "begun",
    "come": "come",
    "do": "done",
    "fall": "fallen",
    "give": "given",
    "go": "gone",
    "know": "known",
    "rise": "risen",
    "lie": "lain",
    "see": "seen",
    "speak": "spoken",
    "shake": "shaken",
    "take": "taken",
}


def conjugate(verb: str, tense: Tense, agreement: Agreement) -> str:
    """``conjugate("shake", "past", "3sg") == "shook"``; raises KeyError for an unknown verb.

    ``verb@ante`` is an action before the story's now: "had come" in a past
    tense story, "came" in a present tense one.
    """
    if verb.endswith("@ante"):
        base = verb[: -len("@ante")]
        past = VERBS[base][0]
        if tense == "present":
            return "were" if base == "be" and agreement == "pl" else past
        return f"had {PARTICIPLES.get(base, past)}"
    past, third = VERBS[verb]
    if verb == "be":
        if tense == "past":
            return "were" if agreement == "pl" else "was"
        return {"1sg": "am", "3sg": "is", "pl": "are"}[agreement]
    if tense == "past":
        return past
    return third if agreement == "3sg" else verb


_PRONOUNS: dict[PronounForm, tuple[str, str, str, str, str]] = {
    # subject, object, possessive determiner, possessive pronoun, reflexive
    "she": ("she", "her", "her", "hers", "herself"),
    "he": ("he", "him", "his", "his", "himself"),
    "they": ("they", "them", "their", "theirs", "themselves"),
    "I": ("I", "me", "my", "mine", "myself"),
}


@attrs.frozen
class Referent:
    """One character as the prose refers to them.

    ``name`` is None when the prose only has a pronoun for them (the narrator
    "I" of a first-person story, or a nameless third-person protagonist).
    """

    name: str | None
    pronoun: PronounForm

    def _forms(self) -> tuple[str, str, str, str, str]:
        return _PRONOUNS[self.pronoun]

    @property
    def subject(self) -> str:
        return self._forms()[0]

    @property
    def object(self) -> str:
        return self._forms()[1]

    @property
    def possessive(self) -> str:
        return self._forms()[2]

    @property
    def possessive_pronoun(self) -> str:
        return self._forms()[3]

    @property
    def reflexive(self) -> str:
        return self._forms()[4]

    @property
    def pronoun_agreement(self) -> Agreement:
        if self.pronoun == "I":
            return "1sg"
        return "pl" if self.pronoun == "they" else "3sg"

    @property
    def called(self) -> str:
        """The name as a subject (or the pronoun when there is no name)."""
        return self.name if self.name is not None else self.subject

    @property
    def called_object(self) -> str:
        return self.name if self.name is not None else self.object

    @property
    def called_possessive(self) -> str:
        """``"Marie's"``, or the possessive pronoun form ``"my"``/``"their"``."""
        return possessive(self.name) if self.name is not None else self.possessive

    @property
    def name_agreement(self) -> Agreement:
        return "3sg" if self.name is not None else self.pronoun_agreement


def possessive(name: str) -> str:
    """``"Marie"`` -> ``"Marie's"``; ``"James"`` -> ``"James's"`` (one rule, no exceptions)."""
    return f"{name}'s"


@attrs.frozen
class Voice:
    """The narrator's habits that generated prose must copy."""

    tense: Tense
    protagonist: Referent
    curly_quotes: bool = False

    @property
    def open_quote(self) -> str:
        return "\u201c" if self.curly_quotes else '"'

    @property
    def close_quote(self) -> str:
        return "\u201d" if self.curly_quotes else '"'


def referent_of(reading: Reading, character_id: str | None) -> Referent | None:
    """The named character ``character_id`` (by its short name), or None if unknown."""
    if character_id is None:
        return None
    for character in reading.characters:
        if character.id == character_id:
            name = character.short.strip() or character.name.strip()
            if not name:
                return None
            return Referent(name, character.pronoun)
    return None


def protagonist_id(reading: Reading) -> str | None:
    """The protagonist's id: the reader's pick, else the most mentioned character."""
    ids = {c.id for c in reading.characters}
    if reading.protagonist in ids:
        return reading.protagonist
    if not reading.characters:
        return None
    best = max(
        reading.characters,
        key=lambda c: (len(c.mentions), -c.first_paragraph),
    )
    return best.id


def voice_of(reading: Reading) -> Voice:
    """The voice of a reading: first person is "I"; third person uses the protagonist."""
    curly = any("\u201c" in p for p in reading.paragraphs[:200])
    if reading.person == "first":
        return Voice(reading.tense, Referent(None, "I"), curly)
    hero = referent_of(reading, protagonist_id(reading))
    return Voice(reading.tense, hero or Referent(None, "they"), curly)
