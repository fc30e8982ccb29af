"""Fixed word sequences ("shook her hand", "made up her mind") found in one pass
over a paragraph's words, for every group of phrases at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from tools.convert.document import Token


@attrs.frozen
class Hit:
    group: str
    start: int  # offset of the first word in the paragraph
    end: int  # offset after the last word
    weight: float


class PhraseBook:
    """Groups of phrases; each phrase is lowercase words separated by spaces."""

    def __init__(self, groups: Mapping[str, Sequence[tuple[str, float]]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        for group, phrases in groups.items():
            for phrase, weight in phrases:
                words = tuple(phrase.lower().split())
                self._by_first.setdefault(words[0], []).append((words, group, weight))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest phrase first

    def scan(self, tokens: Sequence[Token]) -> dict[str, list[Hit]]:
        """Every phrase occurrence, by group, in text order (longest phrase wins
        at a position within a group)."""
        hits: dict[str, list[Hit]] = {}
        by_first = self._by_first
        size = len(tokens)
        for index, token in enumerate(tokens):
            entries = by_first.get(token.lower)
            if entries is None:
                continue
            matched: set[str] = set()
            for words, group, weight in entries:
                if group in matched:
                    continue
                last = index + len(words) - 1
                if last >= size:
                    continue
                if all(tokens[index + k].lower == words[k] for k in range(1, len(words))):
                    matched.add(group)
                    hits.setdefault(group, []).append(
                        Hit(group, token.start, tokens[last].end, weight)
                    )
        return hits


def weighted(words: str, weight: float = 1.0) -> list[tuple[str, float]]:
    """Phrases separated by commas, all with one weight."""
    return [(phrase.strip(), weight) for phrase in words.split(",") if phrase.strip()]
