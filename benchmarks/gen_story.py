"""Synthetic stories for the benchmarks, in carnet's format (deterministic).

    python benchmarks/gen_story.py FOLDER SCENES [--seed N]

A story of ``scenes`` scenes, 250 to a file (``part0000.yaml``...), written
the way an author would: a literal block of about 80 words a scene, two to
four choices, conditions on variables and on ``visits(...)``, effects,
``once`` choices, ``on_enter`` effects, ``{name}`` interpolation and a few
comments. Scene ``i`` always leads on to ``i + 1`` or, before the last
scene of a file (an ending), to the next file's first: every scene is
reachable. The same
``scenes`` and ``seed`` give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PER_FILE = 250
WORDS = (
    "lamp", "quay", "tide", "door", "wind", "harbour", "rope", "lantern", "stone", "bridge",
    "gull", "shutter", "window", "street", "market", "bell", "tower", "fountain", "square",
    "salt", "net", "boat", "mast", "sail", "cobble", "alley", "chimney", "smoke", "rain",
    "fog", "step", "gate", "key", "ledger", "coin", "oil", "wick", "flame", "shadow", "river",
    "mill", "cart", "horse", "inn", "kettle", "bread", "candle", "cellar", "stair", "attic",
    "clock", "letter", "ink", "map", "compass", "anchor", "chain",
)
VERBS = ("walks", "waits", "turns", "listens", "watches", "counts", "calls", "follows",
         "remembers", "opens", "closes", "lights", "carries", "drops", "finds")
ADJECTIVES = ("low", "grey", "old", "narrow", "wet", "quiet", "cold", "bright", "far",
              "small", "heavy", "broken", "green", "salted", "crooked")
HEADER = """\
# yaml-language-server: $schema=../../engine/schema/story.schema.json
# A synthetic story for carnet's benchmarks (benchmarks/gen_story.py).

carnet: 1
title: The Long Round
start: s0

vars:
  name: "wanderer"
  coins: 0
  lamps: 0
  has_key: false
  met_maud: false
  rounds: 0
"""


def _sentence(rng: random.Random) -> str:
    a, b = rng.choice(WORDS), rng.choice(WORDS)
    return (f"The {rng.choice(ADJECTIVES)} {a} {rng.choice(VERBS)} by the "
            f"{rng.choice(ADJECTIVES)} {b}, and someone {rng.choice(VERBS)} near the {a}.")


def _text(rng: random.Random, i: int) -> list[str]:
    """About 80 words in two paragraphs, with ``{name}`` now and then."""
    first = " ".join(_sentence(rng) for _ in range(3))
    second = " ".join(_sentence(rng) for _ in range(2))
    if i % 3 == 0:
        second += ' "Evening, {name}," says a voice from the dark.'
    return ["    text: |", f"      {first}", "", f"      {second}"]


def _choice(lines: list[str], text: str, to: str, *, cond: str | None = None,
            effects: tuple[str, ...] = (), once: bool = False, canon: bool = False) -> None:
    lines.append(f"      - text: {text}")
    lines.append(f"        to: {to}")
    if cond is not None:
        lines.append(f"        if: {cond}")
    if effects:
        lines.append(f"        do: [{', '.join(effects)}]")
    if once:
        lines.append("        once: true")
    if canon:
        lines.append("        canon: true")


def _scene(rng: random.Random, i: int, count: int, file_end: int) -> list[str]:
    sid = f"s{i}"
    lines = [f"  {sid}:"]
    if i % 40 == 7:
        lines.append("    # a quiet scene: nothing much happens here")
    lines.extend(_text(rng, i))
    if i == file_end - 1 or i == count - 1:
        lines.append(f"    end: The round ends at lamp {i}")
        return lines
    if i % 5 == 0:
        lines.append("    on_enter: [rounds += 1]")
    lines.append("    choices:")
    nxt = f"s{i + 1}"
    if i + 2 == file_end and i + 2 < count:  # the next scene ends: go on to the next file
        nxt = f"s{i + 2}"
        _choice(lines, "Stop for the night", f"s{i + 1}")
    _choice(lines, f"Walk on towards the {rng.choice(WORDS)}", nxt, canon=True,
            effects=("lamps += 1",) if i % 2 else ())
    extra = rng.randint(1, 3)  # two to four choices in all
    kinds = rng.sample(range(5), extra)
    for kind in kinds:
        far = f"s{min(i + rng.randint(2, 9), file_end - 1)}"
        back = f"s{max(i - rng.randint(1, 20), file_end - PER_FILE)}"
        if kind == 0:
            _choice(lines, "Pay the ferryman", far, cond="coins >= 2",
                    effects=("coins -= 2",))
        elif kind == 1:
            _choice(lines, f"Pick up the {rng.choice(WORDS)}", nxt, effects=("coins += 1",),
                    once=True)
        elif kind == 2:
            _choice(lines, "Go back the way you came", back,
                    cond=f"visits({back}) < 3 and not has_key")
        elif kind == 3:
            _choice(lines, "Say hello to {name}'s old friend", far,
                    cond="not met_maud", effects=("met_maud = true", 'name = "friend"'))
        else:
            _choice(lines, "Try the locked gate", far, cond="has_key or lamps > rounds",
                    effects=("has_key = true",))
    return lines


def write_story(folder: Path, scenes: int, seed: int = 12) -> Path:
    """Write the story into ``folder`` (created) and return it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(HEADER, encoding="utf-8")
    for first in range(0, scenes, PER_FILE):
        end = min(first + PER_FILE, scenes)
        lines = [f"# Lamps {first} to {end - 1} of the long round.", "", "scenes:"]
        for i in range(first, end):
            if i > first:
                lines.append("")
            lines.extend(_scene(rng, i, scenes, end))
        (folder / f"part{first // PER_FILE:04d}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("scenes", type=int)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    write_story(args.folder, args.scenes, args.seed)


if __name__ == "__main__":
    main()
