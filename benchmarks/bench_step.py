"""One step of play, alone: the row "one step" of bench.py, measured the same way.

    python benchmarks/bench_step.py [--scenes 10000] [--steps 100000] [--reps 5]
    python benchmarks/bench_step.py --profile     # cProfile of the timed walk

A step is: choose an option, the next state, its choices and its text
(:func:`bench.step_median`, a seeded random walk, a new game at each ending).
The story comes from gen_story.py, written to a temporary folder. Prints the
median of each repetition and the median of those, with the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import step_median
from gen_story import write_story

from carnet.engine.loader import load_story


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=5, help="repetitions (median of medians)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one walk")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = load_story(write_story(Path(tmp) / "story", args.scenes))
    story = result.story
    assert story is not None
    print(f"{args.scenes:,} scenes, load average {os.getloadavg()[0]:.2f}", flush=True)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(step_median, story, args.steps)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return 0
    medians = []
    for _ in range(args.reps):
        medians.append(step_median(story, args.steps) * 1e6)
        print(f"  one step, median of {args.steps:,}: {medians[-1]:.2f} us", flush=True)
    print(f"median of {args.reps}: {statistics.median(medians):.2f} us "
          f"(load average {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
