"""The converter must know no particular story: no name from the seeds in tools/.

The proper names of the three seed stories are listed here by hand (a test may
name them); a second test checks the list against the seeds themselves, so a
new seed name cannot slip past.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# Every capitalized word of the seeds that is a name (people, places, the sign,
# the foreign greeting), not common English.
SEED_NAMES = [
    "Alice",
    "Durand",
    "Paris",
    "Impressionists",
    "Léon",
    "Alejandro",
    "Lefevre",
    "Montmartre",
    "Eiffel",
    "Colette",
    "Bonjour",
    "Atelier",
    "Peinture",
    "Sophie",
    "Viktoria",
    "Leroy",
    "Seine",
]

# Capitalized words of the seeds, not at a sentence's start, that are plain English.
COMMON = {"I", "Tower", "The", "Your", "I'm", "I've"}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|[\"“]\s*)$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def test_the_list_covers_every_proper_name_of_the_seeds() -> None:
    assert len(SEEDS) == 3
    found: set[str] = set()
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        for match in _WORD.finditer(text):
            word = match.group(0)
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            if not word[0].isupper():
                continue
            if _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                continue
            found.add(word)
    assert found - COMMON <= set(SEED_NAMES), sorted(found - COMMON - set(SEED_NAMES))
    # these two only ever open a quotation, where any word is capitalized
    assert set(SEED_NAMES) - found == {"Atelier", "Bonjour"}


def test_no_seed_name_appears_under_tools() -> None:
    names = sorted({_fold(n) for n in SEED_NAMES} | {n.lower() for n in SEED_NAMES})
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, names)) + r")(?![^\W_])")
    # a name is found with or without accents, as a word or an identifier's part,
    # but not inside a longer word
    assert pattern.search(_fold("# e.g. 'It was Léon'")) is not None
    assert pattern.search("near_paris = 1") is not None
    assert pattern.search("parisian") is None
    files = [p for p in (ROOT / "tools").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files
    offenders = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for candidate in (text.lower(), _fold(text)):
            for match in pattern.finditer(candidate):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []
