"""The text cut up once for every later stage: paragraphs, sentences, quotes, words.

Building a :class:`Document` is linear in the size of the text; the stages
after it (names, places, speech, beats) walk its tokens instead of running
regular expressions over the whole text again.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import attrs

from engine.text import split_paragraphs
from tools.convert.quotes import Quote, find_quotes, uses_double_quotes
from tools.convert.sentences import sentence_bounds

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TITLE_END = ".!?,;:…\"”’'»)-–—"
_TITLE_MAX_WORDS = 12
_TITLE_MAX_CHARS = 100


class Token(NamedTuple):
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
    tokens: tuple[Token, ...]


@attrs.frozen
class Document:
    paragraphs: tuple[str, ...]
    paras: tuple[Para, ...]
    title: str | None  # the first paragraph, when it is a title line
    body_start: int  # index of the first paragraph that is story text (1 after a title)
    double_quotes: bool


def title_line(paragraphs: tuple[str, ...]) -> str | None:
    """The first paragraph, if it is a short single line without final punctuation
    and more paragraphs follow: then it is the story's title."""
    if len(paragraphs) < 2:
        return None
    line = paragraphs[0].strip()
    if "\n" in line or not line or len(line) > _TITLE_MAX_CHARS:
        return None
    if line[-1] in _TITLE_END or len(line.split()) > _TITLE_MAX_WORDS:
        return None
    if not any(ch.isalpha() for ch in line):
        return None
    return line


def _tokens(
    text: str, sentences: tuple[tuple[int, int], ...], quotes: tuple[Quote, ...]
) -> tuple[Token, ...]:
    tokens: list[Token] = []
    sentence = 0
    quote = 0
    last_end = 0
    sentence_seen = -1
    quote_seen = -1
    n_sentences = len(sentences)
    n_quotes = len(quotes)
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group(0)
        while sentence + 1 < n_sentences and start >= sentences[sentence][1]:
            sentence += 1
        while quote < n_quotes and start >= quotes[quote].end:
            quote += 1
        quoted = quote < n_quotes and quotes[quote].inner_start <= start < quotes[quote].inner_end
        initial = sentence != sentence_seen
        sentence_seen = sentence
        if quoted and quote != quote_seen:
            quote_seen = quote
            if start - quotes[quote].inner_start <= 3:
                initial = True
        possessive = len(word) > 2 and word[-2] in "'’" and word[-1] in "sS"
        base_end = end - 2 if possessive else end
        base = word[:-2] if possessive else word
        tokens.append(
            Token(
                start,
                base_end,
                base,
                base.lower().replace("’", "'"),
                possessive,
                initial,
                quoted,
                sentence,
                text[last_end:start],
            )
        )
        last_end = end
    return tuple(tokens)


def build_document(text: str) -> Document:
    """Cut the (newline-normalized) text into paragraphs, sentences, quotes and words."""
    paragraphs = split_paragraphs(text)
    double = uses_double_quotes(text)
    paras: list[Para] = []
    for index, paragraph in enumerate(paragraphs):
        sentences = sentence_bounds(paragraph)
        quotes = find_quotes(paragraph, double=double)
        paras.append(
            Para(index, paragraph, sentences, quotes, _tokens(paragraph, sentences, quotes))
        )
    title = title_line(paragraphs)
    return Document(
        paragraphs=paragraphs,
        paras=tuple(paras),
        title=title,
        body_start=1 if title is not None else 0,
        double_quotes=double,
    )
