"""Generated prose is not the same stock text in every story.

Every corpus story (``../shared/corpus/stories`` and ``../shared/seeds``) is
converted; the text of its generated scenes (``draft: true``) is cut into
sentences (at ``.``, ``!`` or ``?``, closing quotes included, then
whitespace), compared in lower case with whitespace collapsed. No sentence of
six words or more may appear in the drafts of more than two stories.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from carnet.tools.convert.reading import read_story
from carnet.tools.convert.writing.graph import build_plan

SHARED = Path(__file__).resolve().parents[2] / "shared"
STORIES = sorted((SHARED / "corpus" / "stories").glob("*.txt")) + sorted(
    (SHARED / "seeds").glob("*.txt")
)
LONG = 6
MOST_STORIES = 2
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+")


def sentences(text: str) -> list[str]:
    return [" ".join(s.lower().split()) for s in _SENTENCE_END.split(text) if s.strip()]


def test_sentences_are_cut_at_their_ends() -> None:
    assert sentences('"Not now," she said. "Go!" Then: why? Done.') == [
        '"not now," she said.', '"go!"', "then: why?", "done.",
    ]


@pytest.mark.skipif(not STORIES, reason=f"no corpus: {SHARED} (corpus and seeds) is missing")
def test_no_long_sentence_is_stock_text() -> None:
    where: dict[str, set[str]] = defaultdict(set)
    for path in STORIES:
        plan = build_plan(read_story(path.read_text(encoding="utf-8"), title_hint=path.stem))
        for scene in plan.drafts:
            for paragraph in scene.paragraphs:
                for sentence in sentences(paragraph):
                    if len(sentence.split()) >= LONG:
                        where[sentence].add(path.stem)
    stock = {s: sorted(stems) for s, stems in where.items() if len(stems) > MOST_STORIES}
    assert stock == {}
