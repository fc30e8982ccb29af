"""Loading speed: carnet's cold load against bare libyaml parsing of the same files.

Run: python benchmarks/bench_load.py [SCENES] [--reps N]. Prints the median
seconds of each, measured in turns in this process, and the ratio
load / baseline (issue 12's target: at most 0.5x at 10k and 100k scenes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import interleaved
from gen_story import write_story

from carnet.engine.loader import load_story

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="?", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_story(Path(tmp) / "story", args.scenes)
        files = sorted(folder.glob("*.yaml"))
        size = sum(f.stat().st_size for f in files)

        def baseline() -> list[object]:  # kept, as a loader keeps what it loads
            return [yaml.load(f.read_text(encoding="utf-8"), Loader=Loader) for f in files]

        def cold() -> None:
            result = load_story(folder)
            assert result.story is not None and len(result.story.scenes) == args.scenes

        medians = interleaved(args.reps, {"baseline": baseline, "cold": cold})
    base, ours = medians["baseline"], medians["cold"]
    print(f"{args.scenes} scenes, {size / 1e6:.1f} MB of YAML ({Loader.__name__}),"
          f" medians of {args.reps}")
    print(f"  libyaml parse only : {base:.3f} s")
    print(f"  carnet cold load   : {ours:.3f} s")
    print(f"  ratio              : {ours / base:.2f}x")


if __name__ == "__main__":
    main()
