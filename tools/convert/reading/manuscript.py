"""The text cut up once for every later stage: paragraphs, sentences, quotes, words.

Building a :class:`Manuscript` is linear in the size of the text; the stages
after it (names, places, speech, beats) walk its tokens instead of running
regular expressions over the whole text again.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import attrs

from carnet.tools.convert.reading.quotes import Quote, find_quotes, uses_double_quotes
from carnet.tools.convert.reading.sentences import sentence_bounds

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


class Word(NamedTuple):
    """One word. A possessive ``'s`` is cut off ``text`` and noted in ``possessive``."""

    start: int
    end: int
    text: str
    lower: str  # lowercase, curly apostrophes made straight
    possessive: bool
    initial: bool  # the first word of a sentence or of a quotation
    quoted: bool  # inside quotation marks
    sentence: int  # index into Para.sentences
    gap: str  # the characters between the previous word (with its 's) and this one


@attrs.frozen
class Para:
    index: int
    text: str
    sentences: tuple[tuple[int, int], ...]
    quotes: tuple[Quote, ...]
    tokens: tuple[Word, ...]


@attrs.frozen
class Manuscript:
    paragraphs: tuple[str, ...]
    paras: tuple[Para, ...]
    title: str | None  # the title line the author gave, taken out of the paragraphs
    double_quotes: bool
    lowercase: frozenset[str]  # every word the text writes in lowercase somewhere


_new_token = tuple.__new__  # builds a Word without NamedTuple's slower __new__


def _tokens(
    text: str,
    sentences: tuple[tuple[int, int], ...],
    quotes: tuple[Quote, ...],
    lowercase: set[str],
) -> tuple[Word, ...]:
    """The words of one paragraph; adds every word written in lowercase to ``lowercase``."""
    tokens: list[Word] = []
    append = tokens.append
    sentence = 0
    sentence_end = sentences[0][1] if sentences else len(text)
    n_sentences = len(sentences)
    quote = 0
    n_quotes = len(quotes)
    q_inner_start, q_inner_end, q_end = (
        (quotes[0].inner_start, quotes[0].inner_end, quotes[0].end) if quotes else (-1, -1, -1)
    )
    last_end = 0
    sentence_seen = -1
    quote_seen = -1
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group(0)
        while start >= sentence_end and sentence + 1 < n_sentences:
            sentence += 1
            sentence_end = sentences[sentence][1]
        while quote < n_quotes and start >= q_end:
            quote += 1
            if quote < n_quotes:
                current = quotes[quote]
                q_inner_start, q_inner_end, q_end = (
                    current.inner_start,
                    current.inner_end,
                    current.end,
                )
        quoted = quote < n_quotes and q_inner_start <= start < q_inner_end
        initial = sentence != sentence_seen
        sentence_seen = sentence
        if quoted and quote != quote_seen:
            quote_seen = quote
            if start - q_inner_start <= 3:
                initial = True
        if len(word) > 2 and word[-1] in "sS" and word[-2] in "'’":
            possessive = True
            base = word[:-2]
            base_end = end - 2
        else:
            possessive = False
            base = word
            base_end = end
        lower = base.lower()
        if "’" in lower:
            lower = lower.replace("’", "'")
        if base[0].islower():
            lowercase.add(base)
        append(
            _new_token(
                Word,
                (
                    start,
                    base_end,
                    base,
                    lower,
                    possessive,
                    initial,
                    quoted,
                    sentence,
                    text[last_end:start],
                ),
            )
        )
        last_end = end
    return tuple(tokens)


def build_manuscript(paragraphs: tuple[str, ...], title: str | None = None) -> Manuscript:
    """Cut the story's paragraphs into sentences, quotes and words."""
    double = uses_double_quotes("\n\n".join(paragraphs))
    paras: list[Para] = []
    lowercase: set[str] = set()
    for index, paragraph in enumerate(paragraphs):
        sentences = sentence_bounds(paragraph)
        quotes = find_quotes(paragraph, double=double)
        tokens = _tokens(paragraph, sentences, quotes, lowercase)
        paras.append(Para(index, paragraph, sentences, quotes, tokens))
    return Manuscript(
        paragraphs=paragraphs,
        paras=tuple(paras),
        title=title,
        double_quotes=double,
        lowercase=frozenset(lowercase),
    )
