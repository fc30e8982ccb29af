"""How long `carnet lint` takes next to loading, on a generated 100,000-scene story.

    python benchmarks/bench_lint.py [--scenes N] [--repeat R]

Writes the story to a temporary folder (100 files), then measures, in this
process, the best CPU time of R runs of: loading it (engine.loader.load_story), the
rules without the exploration (graph, variables, text, noqa), and the
exploration alone (one state per scene here: the story has no variables).
The target is lint <= about 2x load.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from carnet.engine.loader import LoadResult, load_story
from carnet.tools.lint.explore import explore
from carnet.tools.lint.runner import LintOptions, lint_loaded
from carnet.tools.lint.select import Decider

T = TypeVar("T")
PER_FILE = 1000
TEXT = ("      The lamps burn low along the quay, and the tide is turning. Somewhere a door "
        "bangs in the wind.\n\n      You count the steps to the next corner: {n}.")


def scene_yaml(i: int, count: int) -> str:
    sid = f"s{i}"
    if i == count - 1:
        return f"  {sid}:\n    text: The last lamp.\n    end: The end of the round\n"
    lines = [f"  {sid}:", "    text: |", TEXT.replace("{n}", str(i))]
    if i % 997 == 0:
        lines.append("    draft: true")
    lines.append("    choices:")
    lines.append(f"      - text: Go on\n        to: s{i + 1}")
    if i + 2 < count:
        lines.append(f"      - text: Skip ahead\n        to: s{i + 2}\n        once: true")
    if i % 5000 == 4999:
        lines.append(f"      - text: Give up\n        to: e{i}")
    text = "\n".join(lines) + "\n"
    if i % 5000 == 4999:
        text += f"  e{i}:\n    text: You go home.\n    end: Gave up at {i}\n"
    return text


def write(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text("carnet: 1\ntitle: Bench\nstart: s0\n", encoding="utf-8")
    for start in range(0, count, PER_FILE):
        body = "".join(scene_yaml(i, count) for i in range(start, min(start + PER_FILE, count)))
        (folder / f"part{start // PER_FILE:04d}.yaml").write_text("scenes:\n" + body,
                                                                    encoding="utf-8")


def best(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The least CPU time of ``repeat`` runs (CPU, not wall: other processes on
    the machine do not count), and the result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = run()
        times.append(time.process_time() - started)
    assert result is not None
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        write(folder, args.scenes)
        load_s, result = best(args.repeat, lambda: load_story(folder))
        assert isinstance(result, LoadResult) and result.story is not None, result.diagnostics[:3]
        story = result.story
        static = LintOptions(Decider(ignore=("X",)))
        lint_s, report = best(args.repeat, lambda: lint_loaded(result, "bench", static))
        explore_s, seen = best(args.repeat, lambda: explore(story, 10 * args.scenes))
        everything = LintOptions(Decider(), max_states=10 * args.scenes)
        full_s, full = best(args.repeat, lambda: lint_loaded(result, "bench", everything))
    print(f"story: {len(story.scenes)} scenes, "
          f"{sum(len(s.choices) for s in story.scenes.values())} choices")
    print(f"load:                     {load_s:8.3f} s CPU")
    print(f"lint without exploration: {lint_s:8.3f} s  ({lint_s / load_s:.2f}x load, "
          f"{len(report.diagnostics)} findings)")
    print(f"exploration alone:        {explore_s:8.3f} s  ({explore_s / load_s:.2f}x load, "
          f"{seen.states} states, complete={seen.complete})")
    print(f"lint with exploration:    {full_s:8.3f} s  ({full_s / load_s:.2f}x load, "
          f"{len(full.diagnostics)} findings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
