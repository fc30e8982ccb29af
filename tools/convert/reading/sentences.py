"""Sentence boundaries inside one paragraph.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets after it) when the next text starts a new sentence: a capital
letter, a digit or an opening quote. Abbreviations ("Mr.", "Dr.", "St."),
initials ("J. Smith") and a speech tag after a question ("Where?" Anna asked)
do not end one.
"""

from __future__ import annotations

import re

from carnet.tools.convert.reading.lexicon import ABBREVIATIONS, SPEECH_VERBS, SUBJECT_PRONOUNS

_END = re.compile(r"[.!?…]+[\"”’'»)\]]*")
_NEXT = re.compile(r"\s+([\"“‘'«(\[]*)(\S)")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w.]*)\Z")
_TAG = re.compile(r"\s*([^\W\d_]+)(?:\s+([^\W\d_]+))?")

SentenceBounds = tuple[tuple[int, int], ...]


def _is_abbreviation(paragraph: str, dot: int) -> bool:
    """Whether the period at ``dot`` closes an abbreviation or an initial."""
    match = _WORD_BEFORE.search(paragraph, max(0, dot - 12), dot)
    if match is None:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    return word.lower().rstrip(".") in ABBREVIATIONS


def _is_speech_tag(paragraph: str, start: int) -> bool:
    """``"Where?" Anna asked`` / ``"No!" he cried``: the tag goes on the sentence."""
    match = _TAG.match(paragraph, start)
    if match is None:
        return False
    first, second = match.group(1), match.group(2)
    if first.lower() in SUBJECT_PRONOUNS or first.lower() in ("i", "they", "we"):
        return second is not None and second.lower() in SPEECH_VERBS
    return second is not None and second.lower() in SPEECH_VERBS and first[0].isupper()


def sentence_bounds(paragraph: str) -> SentenceBounds:
    """``(start, end)`` offsets of each sentence, in order, spaces excluded."""
    bounds: list[tuple[int, int]] = []
    start = len(paragraph) - len(paragraph.lstrip())
    size = len(paragraph.rstrip())
    for match in _END.finditer(paragraph):
        end = match.end()
        if end >= size:
            break
        following = _NEXT.match(paragraph, end)
        if following is None:
            continue
        opener, first = following.group(1), following.group(2)
        if not (first.isupper() or first.isdigit() or opener):
            continue
        marks = match.group(0)
        if marks == "." and _is_abbreviation(paragraph, match.start()):
            continue
        if marks[0] in "?!…" and marks[-1] in "\"”’'»" and _is_speech_tag(paragraph, end):
            continue
        if start < match.start():
            bounds.append((start, end))
        start = following.start(1)
    if start < size:
        bounds.append((start, size))
    return tuple(bounds)
