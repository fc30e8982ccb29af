"""What the converter understood of a story: the value between reading and writing.

The reading stage (:mod:`carnet.tools.convert.reading` and friends) turns prose into a
:class:`Reading`; the writing stage builds the scene graph from it. Nothing in
either stage may know any particular story: every name, place and object comes
from the text.

Offsets are 0-based character offsets into ``Reading.paragraphs[paragraph]``.
"""

from __future__ import annotations

from typing import Literal

import attrs

BeatKind = Literal["arrival", "discovery", "encounter", "decision", "turning_point"]
BEAT_KINDS: tuple[BeatKind, ...] = (
    "arrival",
    "discovery",
    "encounter",
    "decision",
    "turning_point",
)
"""Every kind of beat, in the order that breaks ties between beats of one paragraph."""
Pronoun = Literal["she", "he", "they"]
Tense = Literal["past", "present"]
GrammaticalPerson = Literal["first", "third"]  # the narration's: "I walked" or "she walked"


@attrs.frozen
class Span:
    paragraph: int
    start: int
    end: int


@attrs.frozen
class Character:
    """One person, however the text names them.

    ``name`` is the fullest form seen ("Marie Curie", "Monsieur Dupont"),
    ``short`` the form the prose mostly uses ("Marie"), ``aliases`` every
    surface form that was resolved to this character.
    """

    id: str
    name: str
    short: str
    aliases: tuple[str, ...]
    pronoun: Pronoun
    first_paragraph: int
    mentions: tuple[Span, ...]
    protagonist: bool = False
    description: str | None = None  # e.g. an appositive: "an old friend from school"


@attrs.frozen
class Place:
    id: str
    name: str  # as the text says it: "the harbour", "Lisbon"
    first_paragraph: int
    mentions: tuple[Span, ...]
    proper: bool = False  # a named place ("Lisbon") rather than a common one ("the harbour")


@attrs.frozen
class Thing:
    """An object that matters to the story ("a letter", "the key")."""

    id: str
    name: str  # the noun phrase without article: "old letter"
    first_paragraph: int
    mentions: tuple[Span, ...]


@attrs.frozen
class Speech:
    span: Span  # the quoted text including its quote marks
    text: str  # the words inside the quotes
    speaker: str | None  # a Character.id, or None when unknown


@attrs.frozen
class Beat:
    """A key moment of the story.

    ``paragraph`` is where the beat happens. ``boundary`` is where the choice
    point goes: the index of the first paragraph of the scene that follows the
    choice, so the choice sits between paragraphs ``boundary - 1`` and
    ``boundary``. The reader puts it just after the beat (``boundary ==
    paragraph + 1``); a hand-built Reading may also put it just before
    (``boundary == paragraph``), which the writer accepts.
    """

    paragraph: int
    boundary: int
    kind: BeatKind
    subject: str | None  # id of the Character, Place or Thing the beat is about
    score: float  # how strongly the text marks this beat (higher is stronger)
    reason: str  # why, in words, for `carnet convert --explain`


MarkerKind = Literal["choice", "no choice"]


@attrs.frozen
class Marker:
    """An author's ``[[choice]]`` or ``[[no choice]]`` line (see :mod:`.reading.markers`)."""

    kind: MarkerKind
    boundary: int  # index of the first story paragraph after the marker
    line: int  # 1-based line of the marker in the source
    usable: bool  # False before the first paragraph or after the last


@attrs.frozen
class Reading:
    """Everything the converter found in one story."""

    title: str
    paragraphs: tuple[str, ...]  # exactly as in the source, line endings normalized
    sentences: tuple[tuple[Span, ...], ...]  # per paragraph
    characters: tuple[Character, ...]
    protagonist: str | None  # a Character.id
    places: tuple[Place, ...]
    things: tuple[Thing, ...]
    speeches: tuple[Speech, ...]
    tense: Tense
    person: GrammaticalPerson
    beats: tuple[Beat, ...]  # every candidate beat found, in text order
    choice_points: tuple[Beat, ...]  # the beats chosen to carry a choice, in text order
    verdicts: tuple[str, ...] = ()  # for each of ``beats``: why it was taken or dropped
    markers: tuple[Marker, ...] = ()  # the author's marker lines, removed from the text

    def character(self, id_: str) -> Character:
        return next(c for c in self.characters if c.id == id_)
