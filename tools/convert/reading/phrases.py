"""Fixed word sequences ("shook her hand", "made up her mind") found in one pass
over a paragraph's words, for every group of phrases at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from carnet.tools.convert.reading.manuscript import Word


@attrs.frozen
class Hit:
    group: str
    start: int  # offset of the first word in the paragraph
    end: int  # offset after the last word
    weight: float


class PhraseBook:
    """Groups of phrases; each phrase is lowercase words separated by spaces.

    Phrases are indexed by their first word (one-word phrases) or their first
    two words, so a scan costs one or two dictionary look-ups per word.
    """

    def __init__(self, groups: Mapping[str, Sequence[tuple[str, float]]]) -> None:
        self._single: dict[str, list[tuple[str, float]]] = {}
        self._pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], str, float]]] = {}
        self._firsts: set[str] = set()
        for group, phrases in groups.items():
            for phrase, weight in phrases:
                words = tuple(phrase.lower().split())
                if len(words) == 1:
                    self._single.setdefault(words[0], []).append((group, weight))
                else:
                    self._pairs.setdefault((words[0], words[1]), []).append(
                        (words[2:], group, weight)
                    )
                    self._firsts.add(words[0])
        for entries in self._pairs.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest phrase first

    def scan(self, tokens: Sequence[Word]) -> dict[str, list[Hit]]:
        """Every phrase occurrence, by group, in text order (at one position, the
        longest phrase of a group wins)."""
        hits: dict[str, list[Hit]] = {}
        single = self._single
        pairs = self._pairs
        firsts = self._firsts
        size = len(tokens)
        for index, token in enumerate(tokens):
            lower = token.lower
            matched: list[str] = []
            if lower in firsts and index + 1 < size:
                entries = pairs.get((lower, tokens[index + 1].lower))
                if entries is not None:
                    for rest, group, weight in entries:
                        if group in matched:
                            continue
                        last = index + 1 + len(rest)
                        if last >= size:
                            continue
                        if all(tokens[index + 2 + k].lower == word for k, word in enumerate(rest)):
                            matched.append(group)
                            hits.setdefault(group, []).append(
                                Hit(group, token.start, tokens[last].end, weight)
                            )
            found = single.get(lower)
            if found is not None:
                for group, weight in found:
                    if group not in matched:
                        hits.setdefault(group, []).append(
                            Hit(group, token.start, token.end, weight)
                        )
        for group_hits in hits.values():
            group_hits.sort(key=lambda h: h.start)
        return hits


def weighted(words: str, weight: float = 1.0) -> list[tuple[str, float]]:
    """Phrases separated by commas, all with one weight."""
    return [(phrase.strip(), weight) for phrase in words.split(",") if phrase.strip()]
