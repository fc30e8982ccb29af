"""Loading speed: carnet's loader against bare libyaml parsing of the same files.

Run: python benchmarks/bench_load.py [SCENES]. Prints seconds and the ratio
loader / baseline, both measured in this process (best of 3).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_story import write_big_story

from carnet.engine.loader import load_story

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def best_of(n: int, func: object) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    scenes = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_big_story(Path(tmp) / "big", scenes)
        files = sorted(folder.glob("*.yaml"))
        size = sum(f.stat().st_size for f in files)

        def baseline() -> None:
            for file in files:
                yaml.load(file.read_text(encoding="utf-8"), Loader=Loader)

        def carnet() -> None:
            result = load_story(folder)
            assert result.story is not None and len(result.story.scenes) == scenes

        base = best_of(3, baseline)
        ours = best_of(3, carnet)
    print(f"{scenes} scenes, {size / 1e6:.1f} MB of YAML ({Loader.__name__})")
    print(f"  libyaml parse only : {base:.2f} s")
    print(f"  carnet load_story  : {ours:.2f} s")
    print(f"  ratio              : {ours / base:.2f}x")


if __name__ == "__main__":
    main()
