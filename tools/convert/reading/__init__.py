"""The reading stage: prose in, :class:`~carnet.tools.convert.analysis.Reading` out.

:func:`read_story` is pure and deterministic: it knows no particular story,
only generic English (see :mod:`carnet.tools.convert.reading.lexicon`). The stages, in order:

1. :mod:`.markers`: the author's title line and ``[[choice]]`` / ``[[no choice]]``
   lines are taken out; every other paragraph is kept exactly
   (``carnet.engine.text.split_paragraphs``); :mod:`.manuscript`: sentences,
   quotations, words;
2. :mod:`names`: characters and named places; :mod:`places` and
   :mod:`things`: common places and objects that matter;
3. :mod:`style`: tense and person; the protagonist;
4. :mod:`speech`: quotations and their speakers;
5. :mod:`.cues` and :mod:`.beats`: key moments (the cues of English narration that
   something happens) and the choice points among them, with a verdict for each.

The protagonist of a third-person story is the character named most often,
with a bonus for being named in the first paragraph of the story and one for
having the pronoun the narration uses most ("she ... she ... she"). In a
first-person story the protagonist is the narrator: ``Reading.protagonist`` is
then the narrator's id when the narrator gives a name (``"my name is Anna"``),
else ``None``, and ``Reading.person == "first"`` tells the writer to say "I".

Ids of characters, places and things are slugs (:func:`slug.slugify`) and are
unique across all three kinds, so a ``Beat.subject`` names one thing only.
"""

from __future__ import annotations

import attrs

from carnet.engine.text import normalize_newlines
from carnet.tools.convert.analysis import Character, Place, Reading, Span, Thing
from carnet.tools.convert.reading.beats import (
    DENSITY,
    Findings,
    find_beats,
    forced_beats,
    select_points,
)
from carnet.tools.convert.reading.decode import Decoded, decode, decode_source
from carnet.tools.convert.reading.manuscript import Manuscript, build_manuscript
from carnet.tools.convert.reading.markers import prepare
from carnet.tools.convert.reading.names import Cast, find_cast
from carnet.tools.convert.reading.places import find_places
from carnet.tools.convert.reading.speech import find_speeches
from carnet.tools.convert.reading.style import dominant_pronoun, grammatical_person, tense_of
from carnet.tools.convert.reading.things import find_things
from carnet.tools.convert.slug import slugify

__all__ = ["Decoded", "decode", "decode_source", "read_story", "slugify"]

_OPENING_BONUS = 3  # mentions a character named in the first paragraphs is worth, for protagonist
_DOMINANT_BONUS = 3  # mentions worth having the pronoun the narration uses most
_TITLE_WORDS = 6
UNTITLED = "Untitled"


def _protagonist(doc: Manuscript, cast: Cast, person: str, dominant: str | None) -> str | None:
    if person == "first":
        named = next(
            (m.character for para in cast.mentions for m in para if m.self_intro and not m.quoted),
            None,
        )
        return named
    if not cast.characters:
        return None
    opening = 1

    def weight(character: Character) -> int:
        bonus = _OPENING_BONUS if character.first_paragraph <= opening else 0
        if character.pronoun == dominant:
            bonus += _DOMINANT_BONUS
        return len(character.mentions) + bonus

    return max(
        cast.characters, key=lambda c: (weight(c), -c.first_paragraph, -c.mentions[0].start)
    ).id


def _title_case(line: str) -> str:
    """ "THE GIFT OF THE MAGI" -> "The Gift of the Magi"; other titles unchanged."""
    if not line.isupper():
        return line
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with"}
    words = line.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _built_title(
    doc: Manuscript,
    characters: tuple[Character, ...],
    protagonist: str | None,
    places: tuple[Place, ...],
    things: tuple[Thing, ...],
) -> str:
    """A title from the text itself, the first that exists of: "<protagonist> and
    <main other character>", the protagonist's name, the main object ("The Wooden
    Box"), the main other character, the main place, the first words."""
    lead = next((c for c in characters if c.id == protagonist), None)
    others = sorted(
        (c for c in characters if c.id != protagonist and len(c.mentions) >= 2),
        key=lambda c: (-len(c.mentions), c.first_paragraph),
    )
    if lead is not None and others:
        return f"{lead.short} and {others[0].short}"
    if lead is not None:
        return lead.name
    if things:
        thing = max(things, key=lambda t: (len(t.mentions), -t.first_paragraph))
        return "The " + " ".join(_capitalized(w) for w in thing.name.split())
    if others:
        return others[0].name
    if places:
        place = max(places, key=lambda p: (len(p.mentions), -p.first_paragraph))
        if len(place.mentions) >= 2:
            return _capitalized(place.name)
    for para in doc.paras:
        words = [t.text for t in para.tokens[:_TITLE_WORDS]]
        if words:
            return _capitalized(" ".join(words))
    return UNTITLED


def _mark_protagonist(
    characters: tuple[Character, ...], protagonist: str | None
) -> tuple[Character, ...]:
    return tuple(attrs.evolve(c, protagonist=c.id == protagonist) for c in characters)


def read_story(
    text: str, *, title_hint: str | None = None, density: float = DENSITY
) -> Reading:
    """Read a story's prose (see the module docstring). Never raises on any text.

    ``density`` is the most choice points per 1,000 words (``--density``)."""
    prepared = prepare(normalize_newlines(text))
    doc = build_manuscript(prepared.paragraphs, prepared.title)
    ids: dict[str, int] = {}
    dominant = dominant_pronoun(doc)
    cast = find_cast(doc, ids, dominant)
    places = find_places(doc, cast.places, ids)
    things, thing_verbs = find_things(doc, ids)
    person = grammatical_person(doc)
    tense = tense_of(doc)
    protagonist = _protagonist(doc, cast, person, dominant)
    characters = _mark_protagonist(cast.characters, protagonist)
    speeches = find_speeches(doc, cast, protagonist if person == "first" else None)
    story = Findings(
        doc=doc,
        characters=characters,
        mentions=cast.mentions,
        protagonist=protagonist,
        places=places,
        things=things,
        thing_verbs=thing_verbs,
        speech_paragraphs=frozenset(s.span.paragraph for s in speeches),
        speeches=speeches,
        first_person=person == "first",
        dominant=dominant,
    )
    found = find_beats(story)
    forced = forced_beats(found, prepared.forced, len(doc.paragraphs))
    beats = tuple(sorted((*found, *forced), key=lambda b: (b.paragraph, b.boundary)))
    words = sum(len(p.tokens) for p in doc.paras)
    selection = select_points(
        beats, len(doc.paragraphs), words, density, prepared.forced, prepared.forbidden
    )
    if doc.title is not None:
        title = _title_case(doc.title)
    elif title_hint is not None and title_hint.strip():
        title = " ".join(title_hint.split())
    else:
        title = _built_title(doc, characters, protagonist, places, things)
    return Reading(
        title=title,
        paragraphs=doc.paragraphs,
        sentences=tuple(
            tuple(Span(p.index, start, end) for start, end in p.sentences) for p in doc.paras
        ),
        characters=characters,
        protagonist=protagonist,
        places=places,
        things=things,
        speeches=speeches,
        tense=tense,
        person=person,
        beats=beats,
        choice_points=selection.points,
        verdicts=selection.verdicts,
        markers=prepared.markers,
    )
