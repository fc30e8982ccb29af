"""Things that matter: objects handed over, found, opened or revealed, or
introduced with "a"/"an" and mentioned again ("a letter" ... "the letter")."""

from __future__ import annotations

import attrs

from carnet.tools.convert.analysis import Span, Thing
from carnet.tools.convert.reading.lexicon import OBJECT_NOUNS, OBJECT_VERBS, PLACE_NOUNS
from carnet.tools.convert.reading.manuscript import Manuscript, Para
from carnet.tools.convert.reading.nouns import NounPhrase, forms, noun_phrases, singular
from carnet.tools.convert.slug import slugify, unique_id

_VERB_WINDOW = 3  # words before the phrase searched for a verb like "handed"
_HIDDEN = frozenset(
    ["hidden", "tucked", "wrapped", "folded", "sealed", "buried", "concealed", "inside"]
)
THRESHOLD = 2.5
"""Score a thing needs: a verb like "handed" (2) and one more mention (1), or
"a letter" (1.5) mentioned again (1)."""

_FORMS = forms(OBJECT_NOUNS)


def is_object_verb(lower: str) -> bool:
    """ "handed", "handing", "reveal", "taking" ..."""
    if lower in OBJECT_VERBS:
        return True
    if lower.endswith("ing") and len(lower) > 5:
        stem = lower[:-3]
        return stem in OBJECT_VERBS or stem + "e" in OBJECT_VERBS or stem[:-1] in OBJECT_VERBS
    return False


@attrs.define
class _Candidate:
    first: NounPhrase
    mentions: list[Span]
    score: float = 0.0
    verb: str | None = None  # the verb that made it matter, for explanations


def _verb_before(para: Para, phrase: NounPhrase) -> str | None:
    tokens = para.tokens
    sentence = tokens[phrase.first].sentence
    for k in range(phrase.first - 1, max(-1, phrase.first - 1 - _VERB_WINDOW), -1):
        token = tokens[k]
        if token.sentence != sentence:
            break
        if is_object_verb(token.lower):
            return token.lower
    return None


def _followed_by_hidden(para: Para, phrase: NounPhrase) -> bool:
    nxt = phrase.head + 1
    return nxt < len(para.tokens) and para.tokens[nxt].lower in _HIDDEN


def _is_modifier(para: Para, phrase: NounPhrase) -> bool:
    nxt = phrase.head + 1
    if nxt >= len(para.tokens) or para.tokens[phrase.head].possessive:
        return False
    follower = para.tokens[nxt]
    if follower.gap not in (" ", "\n"):
        return False
    return (
        singular(follower.lower, OBJECT_NOUNS) is not None
        or singular(follower.lower, PLACE_NOUNS) is not None
    )


def find_things(doc: Manuscript, ids: dict[str, int]) -> tuple[tuple[Thing, ...], dict[str, str]]:
    """Things that matter, in order of first mention, and for each thing id the
    verb that made it matter ("handed"), when there was one."""
    found: dict[str, _Candidate] = {}
    for para, noun, phrase in noun_phrases(doc, _FORMS, _is_modifier):
        span = Span(para.index, phrase.start, phrase.end)
        candidate = found.get(noun)
        if candidate is None:
            candidate = found[noun] = _Candidate(phrase, [span])
            if phrase.indefinite:
                candidate.score += 1.5
        else:
            candidate.mentions.append(span)
            if len(candidate.mentions) <= 4:
                candidate.score += 1.0
        verb = _verb_before(para, phrase)
        if verb is not None and candidate.verb is None:
            candidate.verb = verb
            candidate.score += 2.0
        if _followed_by_hidden(para, phrase):
            candidate.score += 1.0
    kept = [c for c in found.values() if c.score >= THRESHOLD]
    kept.sort(key=lambda c: (c.mentions[0].paragraph, c.mentions[0].start))
    things: list[Thing] = []
    verbs: dict[str, str] = {}
    for candidate in kept:
        thing_id = unique_id(slugify(candidate.first.noun), ids)
        things.append(
            Thing(
                id=thing_id,
                name=candidate.first.surface,
                first_paragraph=candidate.mentions[0].paragraph,
                mentions=tuple(candidate.mentions),
            )
        )
        if candidate.verb is not None:
            verbs[thing_id] = candidate.verb
    return tuple(things), verbs
