"""Places: named ones (found with the names, see :mod:`names`) and common ones
("a small shop", "the station", "the bustling streets"), each with its first paragraph."""

from __future__ import annotations

import attrs

from carnet.tools.convert.analysis import Place, Span
from carnet.tools.convert.reading.lexicon import NOT_PLACE_HEADS, PLACE_NOUNS
from carnet.tools.convert.reading.manuscript import Manuscript
from carnet.tools.convert.reading.names import ProperPlace
from carnet.tools.convert.reading.nouns import NounPhrase, forms, noun_phrases, singular
from carnet.tools.convert.slug import slugify, unique_id

_FORMS = forms(PLACE_NOUNS)


@attrs.define
class _Common:
    first: NounPhrase
    mentions: list[Span]


def _is_modifier(doc: Manuscript, phrase: NounPhrase) -> bool:
    """ "the kitchen table", "the train station": the noun qualifies the next one."""
    tokens = doc.paras[phrase.para].tokens
    nxt = phrase.head + 1
    if nxt >= len(tokens) or tokens[phrase.head].possessive:
        return False
    follower = tokens[nxt]
    if follower.gap not in (" ", "\n"):
        return False
    return follower.lower in NOT_PLACE_HEADS or singular(follower.lower, PLACE_NOUNS) is not None


def common_places(doc: Manuscript) -> list[_Common]:
    found: dict[str, _Common] = {}
    for para, noun, phrase in noun_phrases(doc, _FORMS, lambda _, p: _is_modifier(doc, p)):
        span = Span(para.index, phrase.start, phrase.end)
        entry = found.get(noun)
        if entry is None:
            found[noun] = _Common(phrase, [span])
        else:
            entry.mentions.append(span)
    return list(found.values())


def _common_name(phrase: NounPhrase) -> str:
    modifiers = phrase.modifiers[-2:]
    return " ".join(("the", *modifiers, phrase.noun_as_written))


def find_places(
    doc: Manuscript, proper: tuple[ProperPlace, ...], ids: dict[str, int]
) -> tuple[Place, ...]:
    """Every place, in order of first mention; ids are made unique against ``ids``."""
    entries: list[tuple[int, int, str, tuple[Span, ...], bool, str]] = []
    for place in proper:
        first = place.mentions[0]
        base = place.name[4:] if place.name.startswith("the ") else place.name
        entries.append((first.paragraph, first.start, place.name, place.mentions, True, base))
    for common in common_places(doc):
        first = common.mentions[0]
        entries.append(
            (
                first.paragraph,
                first.start,
                _common_name(common.first),
                tuple(common.mentions),
                False,
                common.first.noun,
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    return tuple(
        Place(
            id=unique_id(slugify(base), ids),
            name=name,
            first_paragraph=paragraph,
            mentions=mentions,
            proper=proper_,
        )
        for paragraph, _, name, mentions, proper_, base in entries
    )
