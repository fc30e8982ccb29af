"""Tense and grammatical person of the narration (speech in quotes is ignored)."""

from __future__ import annotations

from carnet.tools.convert.analysis import GrammaticalPerson, Tense
from carnet.tools.convert.reading.lexicon import (
    FIRST_PERSON,
    NOT_S_VERBS,
    PAST_VERBS,
    PRESENT_VERBS,
    SUBJECT_PRONOUNS,
    THIRD_PERSON,
    Gender,
)
from carnet.tools.convert.reading.manuscript import Manuscript

_SUBJECTS = frozenset(["i", "we", "he", "she", "they", "it"])
_SINGULAR_THIRD = frozenset(["he", "she", "it"])
_FIRST_PERSON_SHARE = 0.4  # first-person words per third-person word that make a story first person
_FIRST_PERSON_MIN = 3


def grammatical_person(doc: Manuscript) -> GrammaticalPerson:
    """First person when "I"/"we" words outside quotes are frequent enough."""
    first = third = 0
    for para in doc.paras:
        for token in para.tokens:
            if token.quoted:
                continue
            if token.lower in FIRST_PERSON:
                first += 1
            elif token.lower in THIRD_PERSON:
                third += 1
    if first >= _FIRST_PERSON_MIN and first >= _FIRST_PERSON_SHARE * third:
        return "first"
    return "third"


def tense_of(doc: Manuscript) -> Tense:
    """Past unless present-tense verbs after a subject outnumber past ones."""
    past = present = 0
    for para in doc.paras:
        tokens = para.tokens
        for index, token in enumerate(tokens[:-1]):
            if token.quoted or token.lower not in _SUBJECTS:
                continue
            verb = tokens[index + 1]
            if verb.quoted or verb.gap != " ":
                continue
            lower = verb.lower
            if lower.endswith("ly") and index + 2 < len(tokens):
                lower = tokens[index + 2].lower
            if lower in PAST_VERBS or (lower.endswith("ed") and len(lower) > 3):
                past += 1
            elif lower in PRESENT_VERBS or (
                token.lower in _SINGULAR_THIRD
                and lower.endswith("s")
                and not lower.endswith("ss")
                and lower not in NOT_S_VERBS
                and len(lower) > 2
            ):
                present += 1
    return "present" if present > past else "past"


_DOMINANCE = 1.5  # how much more often the main pronoun must be used than the other
_DOMINANT_MIN = 3


def dominant_pronoun(doc: Manuscript) -> Gender | None:
    """ "she" or "he", when the narration uses one clearly more than the other:
    in a third-person story, usually the protagonist's."""
    counts = {"she": 0, "he": 0}
    for para in doc.paras:
        for token in para.tokens:
            if not token.quoted and token.lower in SUBJECT_PRONOUNS:
                counts[token.lower] += 1
    she, he = counts["she"], counts["he"]
    if she >= _DOMINANT_MIN and she >= _DOMINANCE * he:
        return "she"
    if he >= _DOMINANT_MIN and he >= _DOMINANCE * she:
        return "he"
    return None
