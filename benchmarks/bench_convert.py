"""Conversion speed on a novel-sized input (about 1 MB of prose).

The novel is the three seeds repeated as chapters, each copy with its own
invented names, so the reader meets hundreds of characters. Run:

    python benchmarks/bench_convert.py [MEGABYTES]

Prints the seconds of each stage (decode, read, plan, emit, write through the
CLI) and the size of what was written. Tests never assert timings.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carnet.tools.convert.cli import add_arguments, run  # noqa: E402
from carnet.tools.convert.reading import read_story  # noqa: E402
from carnet.tools.convert.reading.decode import decode  # noqa: E402
from carnet.tools.convert.writing.emit import Provenance, emit  # noqa: E402
from carnet.tools.convert.writing.graph import build_plan  # noqa: E402
from tests.plancheck import check_plan  # noqa: E402

T = TypeVar("T")

_CAPITALIZED = re.compile(r"\b[A-Z][a-zà-ÿ]+\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“]\s+)([A-Z][a-zà-ÿ]+)", re.MULTILINE)
_SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vi", "dan", "el", "mo", "ri", "ta",
              "ber", "ni", "os", "pa", "qu", "ul", "ze", "ha"]


def invented_names() -> list[str]:
    """Distinct capitalized names from syllables, in a fixed order."""
    names = ("".join(parts).capitalize()
             for parts in itertools.product(_SYLLABLES, _SYLLABLES, _SYLLABLES))
    return [n for n in names if len(n) >= 5]


def novel(megabytes: float) -> str:
    """Chapters made from the seeds, each with fresh names for the seeds' own names."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    starts = {m.group(1) for s in seeds for m in _SENTENCE_START.finditer(s)}
    names = invented_names()
    chapters: list[str] = []
    size, copy = 0, 0
    while size < megabytes * 1_000_000:
        seed = seeds[copy % len(seeds)]
        # Words that are capitalized mid-sentence are the seed's names; rename them.
        own = sorted({w for w in _CAPITALIZED.findall(seed) if w not in starts} | {
            w for w in _CAPITALIZED.findall(seed)
            if seed.count(w) > 1 and w not in ("The", "As", "She", "He", "It", "But", "For")
        })
        mapping = {w: names[(copy * 7 + i) % len(names)] for i, w in enumerate(own)}
        def rename(match: re.Match[str], names: dict[str, str] = mapping) -> str:
            return names.get(match[0], match[0])

        chapter = _CAPITALIZED.sub(rename, seed)
        chapters.append(chapter.strip())
        size += len(chapter.encode("utf-8"))
        copy += 1
    return "\n\n".join(chapters) + "\n"


def timed(label: str, func: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = func()
    print(f"{label:<28} {time.perf_counter() - start:7.2f} s")
    return value


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    text = novel(megabytes)
    data = text.encode("utf-8")
    print(f"input: {len(data):,} bytes, {len(text.split()):,} words")
    total = time.perf_counter()
    decoded = timed("decode", lambda: decode(data, "novel.txt"))
    reading = timed("read_story", lambda: read_story(decoded.text))
    plan = timed("build_plan", lambda: build_plan(reading))
    files = timed("emit (YAML)", lambda: emit(plan, Provenance("novel.txt", "0" * 64)))
    print(f"{'in-process total':<28} {time.perf_counter() - total:7.2f} s")
    print(f"plan: {len(plan.scenes):,} scenes, {len(plan.choice_points):,} choice points, "
          f"{len(plan.endings):,} endings, {len(plan.variables):,} variables; "
          f"{sum(len(b) for b in files.values()):,} characters of YAML")
    problems = timed("check_plan (not in convert)",
                     lambda: check_plan(plan, reading.paragraphs, satisfiable=False))
    assert problems == [], problems[:5]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "novel.txt"
        source.write_bytes(data)
        parser = argparse.ArgumentParser()
        add_arguments(parser)
        args = parser.parse_args([str(source), "-o", str(Path(tmp) / "out")])
        code = timed("carnet convert (CLI, total)", lambda: run(args))
        assert code == 0


if __name__ == "__main__":
    main()
