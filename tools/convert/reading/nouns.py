"""Noun phrases around a known noun: "a small café", "her brush", "Anna's notebook"."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs

from carnet.tools.convert.reading.lexicon import COMMON_WORDS
from carnet.tools.convert.reading.manuscript import Manuscript, Para, Word

DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
        "my",
        "our",
        "your",
        "one",
        "some",
        "another",
    ]
)
INDEFINITE = frozenset(["a", "an", "one", "some", "another"])
_MAX_MODIFIERS = 3


def singular(lower: str, nouns: frozenset[str]) -> str | None:
    """The noun of ``nouns`` that ``lower`` is, singular or plural; else None."""
    if lower in nouns:
        return lower
    if lower.endswith("es") and lower[:-2] in nouns:
        return lower[:-2]
    if lower.endswith("s") and lower[:-1] in nouns:
        return lower[:-1]
    return None


def forms(nouns: frozenset[str]) -> dict[str, str]:
    """Every singular and plural (-s, -es) form of ``nouns``, mapped to the singular."""
    table: dict[str, str] = {}
    for noun in sorted(nouns):
        table.setdefault(noun + "es", noun)
        table.setdefault(noun + "s", noun)
    for noun in nouns:
        table[noun] = noun
    return table


def _joined(token: Word) -> bool:
    """Whether ``token`` follows the word before it within one phrase."""
    gap = token.gap
    return gap == " " or gap == "\n" or gap == ", "


@attrs.frozen
class NounPhrase:
    para: int
    head: int  # token index of the noun
    first: int  # token index of the phrase's first word (the determiner's, if any)
    noun: str  # the noun, singular, lowercase
    determiner: str  # lowercase determiner, "'s" after a possessive, or "" when none
    modifiers: tuple[str, ...]  # words between determiner and noun, as written
    start: int
    end: int

    @property
    def indefinite(self) -> bool:
        return self.determiner in INDEFINITE

    @property
    def surface(self) -> str:
        """Modifiers and noun, without the determiner: "small notebook"."""
        return " ".join((*self.modifiers, self.noun_as_written))

    noun_as_written: str = ""


def phrase_at(para: Para, index: int, noun: str) -> NounPhrase | None:
    """The noun phrase whose head is ``para.tokens[index]``, if it has a determiner
    (or a possessive, or follows "X and" where X is such a phrase)."""
    tokens = para.tokens
    head = tokens[index]
    modifiers: list[str] = []
    k = index
    while k > 0 and _joined(tokens[k]) and len(modifiers) <= _MAX_MODIFIERS:
        before = tokens[k - 1]
        if before.quoted != head.quoted:
            return None
        if before.lower in DETERMINERS:
            return _phrase(para, index, k - 1, noun, before.lower, modifiers)
        if before.possessive:
            return _phrase(para, index, k, noun, "'s", modifiers)
        if before.lower == "and" and not modifiers and k >= 2:
            return _phrase(para, index, k - 1, noun, "and", modifiers)
        if before.lower in COMMON_WORDS or not before.text[:1].islower():
            return None
        modifiers.insert(0, before.text)
        k -= 1
    return None


def _phrase(
    para: Para, head: int, first: int, noun: str, determiner: str, modifiers: list[str]
) -> NounPhrase:
    tokens = para.tokens
    start = (
        tokens[first].start
        if determiner not in ("'s", "and")
        else tokens[head - len(modifiers)].start
    )
    return NounPhrase(
        para=para.index,
        head=head,
        first=first,
        noun=noun,
        determiner=determiner,
        modifiers=tuple(modifiers),
        start=start,
        end=tokens[head].end,
        noun_as_written=tokens[head].text,
    )


def noun_phrases(
    doc: Manuscript, nouns: dict[str, str], skip: Callable[[Para, NounPhrase], bool]
) -> Iterator[tuple[Para, str, NounPhrase]]:
    """Every phrase in the body's narration (not in quotes) headed by one of
    ``nouns`` (a :func:`forms` table), unless ``skip`` says it is only a
    modifier; yields the paragraph, the noun's base form and the phrase."""
    for para in doc.paras:
        for index, token in enumerate(para.tokens):
            if token.quoted or not token.text[:1].islower():
                continue
            noun = nouns.get(token.lower)
            if noun is None:
                continue
            phrase = phrase_at(para, index, noun)
            if phrase is not None and not skip(para, phrase):
                yield para, noun, phrase
