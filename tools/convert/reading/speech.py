"""Quoted speech and who says it.

A quotation's speaker is, in order of trust:

1. a speech tag after it (``"...," said Anna`` / ``"...," Anna replied`` /
   ``"...," she said``) or before it (``Anna said, "..."``);
2. a self-introduction inside the paragraph's quotes (``"I'm Wilma."``)
   when the tag is only a pronoun or missing;
3. the previous quotation's speaker in the same paragraph;
4. the first character named outside quotes earlier in the paragraph, who
   is not addressed inside the quotation;
5. dialogue turns: two speakers alternating over the previous paragraphs.

A pronoun tag (he/she) goes to the most recently named character with that
pronoun; "I" goes to the protagonist of a first-person story, if named.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

import attrs

from carnet.tools.convert.analysis import Span, Speech
from carnet.tools.convert.reading.lexicon import SPEECH_VERBS, SUBJECT_PRONOUNS
from carnet.tools.convert.reading.manuscript import Manuscript, Para, Word
from carnet.tools.convert.reading.names import Cast, Mention

_TAG_GAP = frozenset(" ,—–-\n")
_PRONOUN_TAGS = frozenset(["he", "she", "i", "they", "we"])
_ADDRESSEE = frozenset(["to", "at", "with"])
_SUBJECT_WINDOW = 16


@attrs.frozen
class Tag:
    """What the text says about a quotation's speaker."""

    pronoun: str | None = None  # "he", "she", "i", ...
    character: str | None = None  # a character id named in the tag
    named: bool = False  # the tag names someone ("the barista said")


def _tag_gap(text: str) -> bool:
    return all(ch in _TAG_GAP for ch in text)


def _mention_at(by_token: dict[int, Mention], index: int) -> Mention | None:
    return by_token.get(index)


def _subject_tag(tokens: Sequence[Word], k: int, by_token: dict[int, Mention]) -> Tag | None:
    """A tag whose subject starts at token ``k``: "she said", "Anna replied", "said Anna"."""
    if k >= len(tokens):
        return None
    first = tokens[k]
    if first.quoted:
        return None
    verb_at = k + 1
    if first.lower in _PRONOUN_TAGS:
        if (
            verb_at < len(tokens)
            and tokens[verb_at].lower.endswith("ly")
            and len(tokens[verb_at].lower) > 3
        ):
            verb_at += 1
        if verb_at < len(tokens) and tokens[verb_at].lower in SPEECH_VERBS:
            return Tag(pronoun=first.lower)
        return None
    if first.lower in SPEECH_VERBS:
        if verb_at >= len(tokens):
            return None
        who = tokens[verb_at]
        if who.lower in _PRONOUN_TAGS:
            return Tag(pronoun=who.lower)
        if who.lower in _ADDRESSEE:
            return None  # "said to Anna": Anna listens
        mention = _mention_at(by_token, verb_at) or _mention_at(by_token, verb_at + 1)
        if mention is not None:
            return Tag(character=mention.character)
        if who.lower == "the":
            return Tag(named=True)
        return None
    mention = _mention_at(by_token, k) or _mention_at(by_token, k + 1)
    if mention is not None:
        # the verb follows the name's last word
        for j in range(k + 1, min(len(tokens), k + 5)):
            if tokens[j].lower in SPEECH_VERBS:
                return Tag(character=mention.character)
            if tokens[j].start > mention.end + 1:
                break
    if first.lower == "the" and any(
        tokens[j].lower in SPEECH_VERBS for j in range(k + 1, min(len(tokens), k + 4))
    ):
        return Tag(named=True)
    return None


def find_tag(
    para: Para,
    quote_index: int,
    by_token: dict[int, Mention],
    starts: Sequence[int],
) -> Tag | None:
    """The speech tag right after or right before a quotation, if any.

    ``starts`` is the start offset of every token of the paragraph.
    """
    quote = para.quotes[quote_index]
    tokens = para.tokens
    text = para.text
    after = bisect.bisect_left(starts, quote.end)
    if after < len(tokens) and _tag_gap(text[quote.end : tokens[after].start]):
        tag = _subject_tag(tokens, after, by_token)
        if tag is not None:
            return tag
    before = bisect.bisect_left(starts, quote.start) - 1
    if before < 0:
        return None
    between = text[tokens[before].end : quote.start]
    if ":" not in between and "," not in between:
        return None
    for k in range(before, max(-1, before - 4), -1):
        token = tokens[k]
        if token.quoted or token.sentence != tokens[before].sentence:
            break
        if token.lower in SPEECH_VERBS:
            if k > 0:
                tag = _subject_tag(tokens, k - 1, by_token)
                if tag is not None:
                    return tag
            return _subject_tag(tokens, k, by_token) or _sentence_subject(tokens, k, by_token)
    return None


def _sentence_subject(
    tokens: Sequence[Word], verb: int, by_token: dict[int, Mention]
) -> Tag | None:
    """The first name or he/she of the sentence before a speech verb:
    "Anna opened the box and said to Piotr: ..." is said by Anna."""
    sentence = tokens[verb].sentence
    found: Tag | None = None
    for k in range(verb - 1, max(-1, verb - _SUBJECT_WINDOW), -1):
        token = tokens[k]
        if token.sentence != sentence or token.quoted:
            break
        mention = by_token.get(k)
        if mention is not None:
            found = Tag(character=mention.character)
        elif token.lower in SUBJECT_PRONOUNS:
            found = Tag(pronoun=token.lower)
    return found


_ADDRESSED_LIMIT = 8


def _addressed(
    mentions: Sequence[Mention], starts: Sequence[int], start: int, end: int
) -> set[str]:
    """Characters named inside a quotation (at most a few are looked for).
    ``starts`` is the start offset of every mention, in order."""
    found: set[str] = set()
    index = bisect.bisect_left(starts, start)
    while index < len(mentions) and mentions[index].start < end:
        found.add(mentions[index].character)
        if len(found) >= _ADDRESSED_LIMIT:
            break
        index += 1
    return found


def find_speeches(
    doc: Manuscript,
    cast: Cast,
    narrator: str | None,
) -> tuple[Speech, ...]:
    """Every quotation of the story's body, with its speaker when one is found."""
    pronoun_of = {c.id: c.pronoun for c in cast.characters}
    # pronoun -> the character most recently named outside quotes, and where
    latest: dict[str, tuple[str, int]] = {}
    # the same, only names that are a sentence's subject (and where they were)
    latest_subject: dict[str, tuple[str, int]] = {}
    speeches: list[Speech] = []
    recent_speakers: list[str] = []  # speakers of recent paragraphs, newest last
    for para in doc.paras:
        mentions = cast.mentions[para.index]
        by_token: dict[int, Mention] = {}
        for mention in mentions:
            by_token.setdefault(mention.token, mention)
        outside = [m for m in mentions if not m.quoted]
        # self-introductions ("I'm Wilma"): the first, and the first for each pronoun
        intros: dict[str | None, Mention] = {}
        for mention in mentions:
            if mention.self_intro and mention.quoted:
                intros.setdefault(None, mention)
                intros.setdefault(pronoun_of.get(mention.character), mention)
        if not para.quotes:
            _remember(outside, pronoun_of, latest, latest_subject)
            continue
        starts = [t.start for t in para.tokens]
        mention_starts = [m.start for m in mentions]
        paragraph_speakers: list[str | None] = []
        seen = 0
        for q_index, quote in enumerate(para.quotes):
            while seen < len(outside) and outside[seen].start < quote.start:
                _remember(outside[seen : seen + 1], pronoun_of, latest, latest_subject)
                seen += 1
            tag = find_tag(para, q_index, by_token, starts)
            speaker: str | None = None
            pronoun = tag.pronoun if tag is not None else None
            intro = intros.get(pronoun) if pronoun in SUBJECT_PRONOUNS else intros.get(None)
            if tag is not None and tag.character is not None:
                speaker = tag.character
            elif pronoun == "i":
                speaker = narrator
            elif intro is not None:
                speaker = intro.character
            elif tag is not None and tag.named:
                speaker = None
            else:
                if pronoun in SUBJECT_PRONOUNS:
                    speaker = _refer(pronoun, para.index, latest, latest_subject)
                elif paragraph_speakers and paragraph_speakers[-1] is not None:
                    speaker = paragraph_speakers[-1]
                else:
                    addressed = _addressed(mentions, mention_starts, quote.start, quote.end)
                    earlier = next(
                        (
                            outside[k]
                            for k in range(min(seen, _ADDRESSED_LIMIT + 1))
                            if outside[k].character not in addressed
                        ),
                        None,
                    )
                    if earlier is not None:
                        speaker = earlier.character
                    elif len(recent_speakers) >= 2 and recent_speakers[-1] != recent_speakers[-2]:
                        speaker = recent_speakers[-2]
            paragraph_speakers.append(speaker)
            speeches.append(
                Speech(
                    span=Span(para.index, quote.start, quote.end),
                    text=para.text[quote.inner_start : quote.inner_end],
                    speaker=speaker,
                )
            )
        _remember(outside[seen:], pronoun_of, latest, latest_subject)
        known = [s for s in paragraph_speakers if s is not None]
        if known:
            recent_speakers.append(known[-1])
    return tuple(speeches)


def _refer(
    pronoun: str,
    paragraph: int,
    latest: dict[str, tuple[str, int]],
    latest_subject: dict[str, tuple[str, int]],
) -> str | None:
    """Who "he"/"she" is: the last subject with that pronoun in this paragraph, else
    the last one named in this paragraph, else the last subject of the previous
    paragraph, else the last character named with that pronoun."""
    subject = latest_subject.get(pronoun)
    anyone = latest.get(pronoun)
    if subject is not None and subject[1] == paragraph:
        return subject[0]
    if anyone is not None and anyone[1] == paragraph:
        return anyone[0]
    if subject is not None and subject[1] == paragraph - 1:
        return subject[0]
    return anyone[0] if anyone is not None else None


def _remember(
    mentions: Sequence[Mention],
    pronoun_of: Mapping[str, str],
    latest: dict[str, tuple[str, int]],
    latest_subject: dict[str, tuple[str, int]],
) -> None:
    """Note who "he"/"she" would now refer to (the subject named last, else anyone)."""
    for mention in mentions:
        pronoun = pronoun_of.get(mention.character)
        if pronoun is not None:
            latest[pronoun] = (mention.character, mention.para)
            if mention.subject:
                latest_subject[pronoun] = (mention.character, mention.para)
