"""The converter must know no particular story: no name from the seeds or the
development corpus in tools/.

The proper names of the three seed stories are listed here by hand (a test may
name them); a second test checks the list against the seeds themselves, so a
new seed name cannot slip past. The names of the corpus (../shared/corpus:
story ids, titles, characters and their aliases, places) are listed the same
way and checked against its gold.yaml when the corpus is there.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

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

# Every word of the corpus's ids, titles, character names, aliases and places that
# is a name rather than plain English (those are in CORPUS_COMMON below).
CORPUS_NAMES = [
    "Amontillado", "Anthime", "Araby", "Armand", "Atelier", "Aubigny", "Ayres", "Babcia",
    "Belfast", "Beuzeville", "Blanc", "Blanche", "Brady", "Breaute", "Breton", "Brill",
    "Bruges", "Buckingham", "Buenos", "Canada", "Charles", "Chicago", "Clara", "Colette",
    "Coton", "Criquetot", "Desiree", "Désirée", "desirees", "divadlo", "d’Hondt", "Dunn",
    "Eiffel", "Elburz", "England", "Ernest", "Eveline", "Florida", "Floridian", "Fortunato",
    "France", "Galerie", "Ganges", "Gascoigne", "Gavan", "Goderville", "Graz", "Graça", "Griet",
    "Halina", "Harry", "Heidegger", "heideggers", "Holbreque", "Houlbreque", "Howth", "Indies",
    "Ingrid", "Jardins", "Jimmy", "Joe", "Joost", "Jordaan", "Jourdain", "Jörg",
    "Katelijnestraat", "Keogh", "Killigrew", "Konservatorium", "Kraków", "L'Abri", "Leon",
    "Léon", "Lindqvist", "Louisiana", "Luchesi", "Macaco", "Magellan", "Malandain", "Mangan",
    "Manneville", "Marius", "Mary", "Medbourne", "Melbourne", "Mercer", "Miguel",
    "Montivilliers", "Montmartre", "Musikverein", "Negrillon", "Národní", "Paris", "Paumelle",
    "Peinture", "Ponce", "Publiques", "Richmond", "Rolleiflex", "Ronnie", "Rozenhoedkaai",
    "Rynek", "Sappleton", "Schwarzenbergplatz", "Seine", "Sophie", "Staatsoper", "Sukiennice",
    "Sylvia", "São", "Tizzie", "Tomasz", "Tomek", "Valmonde", "Vera", "Vermeulen", "Vienna",
    "Vltava", "Waterlooplein", "Wells", "Wendtner", "Westland", "Wollestraat", "Wróbel",
    "Wycherly", "Ymauville", "York", "Zandrine", "Alejandro", "Alice", "Anneliese", "Bob",
    "Costa", "Durand", "Evvy", "Framton", "Graf", "Hauchecorne", "Horst", "Inês", "Kuba",
    "Lefevre", "Leroy", "Lowie", "Maartje", "Montresor", "Nuttel", "Poppens", "Radek", "Smet",
    "Viktoria"
]

# Words of those names that are plain English (or titles and particles the
# converter must know as such): "Hope" and "Frank" are names that are also words.
CORPUS_COMMON = {
    w.lower()
    for w in [
        "After", "Bet", "Big", "Bridge", "Baby", "Cask", "Cloth", "Colonel", "Crane", "D", "de",
        "Dr", "East", "Experiment", "Fog", "Fortune", "Frank", "Frau", "Hall", "Herr", "Hill",
        "Hope", "in", "La", "Lady", "Lake", "little", "M", "Madam", "Madame", "da", "ter",
        "Silky", "Mais", "Mait", "Maitre", "Miss", "Missing", "Monsieur", "Mont", "Mr", "Mrs",
        "New", "North", "of", "Old", "on", "Open", "Pani", "Patrolman", "peninsula", "piece",
        "Row", "Rua", "seed", "Sittings", "source", "spelled", "St", "Station", "Straits",
        "Street", "String", "The", "this", "Tile", "Tower", "Town", "Tram", "Twenty", "Two",
        "Wall", "Ward", "West", "widow", "Window", "years", "Young"
    ]
}
GOLD = ROOT.parent / "shared" / "corpus" / "gold.yaml"

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


def _gold_words() -> set[str]:
    import yaml

    stories = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["stories"]
    words: set[str] = set()

    def add(text: str | None) -> None:
        for match in _WORD.finditer(text or ""):
            word = match.group(0)
            words.add(word[:-2] if word.endswith(("'s", "’s")) else word)

    for story in stories:
        add(story["id"].replace("-", " "))
        add(story.get("title"))
        for character in story.get("characters") or []:
            add(character["name"])
            for alias in character.get("aliases") or []:
                add(alias)
        protagonist = story.get("protagonist") or {}
        add(protagonist.get("name"))
        for alias in protagonist.get("aliases") or []:
            add(alias)
        for place in story.get("places") or []:
            add(place)
    return words


def test_the_list_covers_every_name_of_the_corpus() -> None:
    if not GOLD.is_file():
        pytest.skip("the development corpus (../shared/corpus) is not here")
    words = _gold_words()
    names = {_fold(n) for n in CORPUS_NAMES}
    missing = sorted(w for w in words if _fold(w) not in names and w.lower() not in CORPUS_COMMON)
    assert missing == []
    assert {"Fortunato", "Maartje", "Eveline"} <= set(CORPUS_NAMES)


def test_no_seed_name_appears_under_tools() -> None:
    every = [*SEED_NAMES, *CORPUS_NAMES]
    names = sorted({_fold(n) for n in every} | {n.lower() for n in every})
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
