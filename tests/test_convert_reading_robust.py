"""read_story on huge and hostile input: it finishes, and its answer still holds together.

Quadratic work would show here as a test that takes minutes; the inputs are
sized so that linear work takes well under a second each.
"""

from __future__ import annotations

import itertools
import random
import string
from pathlib import Path

import pytest

from carnet.engine.text import split_paragraphs
from carnet.tools.convert.reading import read_story
from carnet.tools.convert.reading.beats import MIN_GAP

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
SIZE = 60_000

HOSTILE = {
    "one endless word": "a" * SIZE,
    "nothing but periods": "A. " * (SIZE // 3),
    "an endless capitalized run": "Anna Bell Cora Dina " * (SIZE // 20),
    "the the the": "The " * (SIZE // 4),
    "only quote marks": '"' * SIZE,
    "stray closing quotes": "x ”" * (SIZE // 3),
    "single quotes never closed": "‘a " * (SIZE // 3),
    "self-introductions": '"I\'m Anna," she said. ' * (SIZE // 22),
    "couples without a name": "Mr. and Mrs. " * (SIZE // 13),
    "one sentence per paragraph": "Anna appeared.\n\n" * (SIZE // 16),
    "one huge paragraph": "Anna appeared. A stranger came in. She found a letter. " * (SIZE // 55),
    "blank lines": "\n \n\t\n" * (SIZE // 4),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input(name: str) -> None:
    text = HOSTILE[name]
    reading = read_story(text)
    assert reading.paragraphs == split_paragraphs(text)
    boundaries = [b.boundary for b in reading.choice_points]
    assert all(1 <= b < len(reading.paragraphs) for b in boundaries)
    assert all(b - a >= MIN_GAP for a, b in itertools.pairwise(boundaries))


def test_many_names_sharing_a_first_name() -> None:
    # 2,000 different "Anna X" and as many bare "Anna": each bare one is the last Anna named
    surnames = ["Q" + "".join(p) for p in itertools.product(string.ascii_lowercase, repeat=3)]
    text = " ".join(f"Anna {surname} met Anna." for surname in surnames[:2000])
    reading = read_story(text)
    assert len(reading.characters) == 2000
    assert all(len(c.mentions) == 2 for c in reading.characters)


def _novel() -> str:
    """About 1 MB: the seeds again and again, their names replaced by made-up ones."""
    rng = random.Random(20)
    syllables = ["ka", "ri", "mo", "le", "an", "to", "vi", "sa", "ne", "lu", "ber", "dor"]
    seeds = [path.read_text(encoding="utf-8") for path in SEEDS]
    names = ["Alice", "Durand", "Léon", "Alejandro", "Lefevre", "Colette", "Sophie"]
    names += ["Viktoria", "Leroy"]
    parts: list[str] = []
    size = 0
    while size < 1_000_000:
        story = rng.choice(seeds)
        for name in names:
            made_up = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
            story = story.replace(name, made_up)
        parts.append(story)
        size += len(story)
    return "\n\n".join(parts)


def test_a_one_megabyte_novel() -> None:
    text = _novel()
    reading = read_story(text)
    assert reading.paragraphs == split_paragraphs(text)
    words = sum(len(p.split()) for p in reading.paragraphs)
    assert len(reading.characters) > 500
    # about one choice point per 140 words, only at beats, never crowded
    assert words / 400 < len(reading.choice_points) <= words / 100
    boundaries = [b.boundary for b in reading.choice_points]
    assert all(b - a >= MIN_GAP for a, b in itertools.pairwise(boundaries))
    assert reading.protagonist is not None
