"""How `carnet lint` grows with the story: 10,000 against 100,000 scenes.

    python benchmarks/bench_lint.py [--sizes 10000 100000] [--repeat 3] [--json FILE]

Writes the synthetic stories of benchmarks/gen_story.py (seeded, 250 scenes
a file) and measures, each in a fresh child process, in CPU seconds (other
processes on the machine do not count): loading the story
(``load_story``); the rules without the exploration (graph, variables,
text, noqa: ``--ignore X``); the exploration alone (default bound); and the
full lint. Peak memory (max RSS of the child) is compared between the
process that only loads and the one that loads and lints. Repetitions are interleaved (every
size and measure once, then again) and the median is kept.

Targets (issue 12): from 10k to 100k scenes, load, the rules without the
exploration and the full lint each grow at most 11x; lint's peak memory is
at most 2x the load's. Prints each ratio with "met" or "missed".
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

MEASURES = ("load", "rules", "explore", "lint")
GROWTH_TARGET = 11.0
MEMORY_TARGET = 2.0


def child(measure: str, folder: Path) -> dict[str, float]:
    """One measure in this (fresh) process: CPU seconds and peak memory in MiB."""
    from carnet.engine.loader import load_story
    from carnet.tools.lint.explore import explore
    from carnet.tools.lint.runner import LintOptions, lint_loaded
    from carnet.tools.lint.select import Decider

    started = time.process_time()
    result = load_story(folder)
    loaded = time.process_time()
    story = result.story
    assert story is not None, result.diagnostics[:3]
    if measure == "load":
        spent = loaded - started
        findings = 0.0
    elif measure == "explore":
        seen = explore(story)
        spent, findings = time.process_time() - loaded, float(seen.states)
    else:
        decider = Decider(ignore=("X",)) if measure == "rules" else Decider()
        report = lint_loaded(result, "bench", LintOptions(decider))
        spent, findings = time.process_time() - loaded, float(len(report.diagnostics))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"cpu": spent, "peak_mib": peak, "count": findings}


def run_child(measure: str, folder: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", measure, str(folder)],
                         check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", nargs=2, metavar=("MEASURE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    from gen_story import write_story

    small, big = args.sizes
    samples: dict[tuple[int, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {n: write_story(Path(tmp) / f"s{n}", n) for n in (small, big)}
        for _ in range(args.repeat):
            for n in (small, big):
                for measure in MEASURES:
                    samples.setdefault((n, measure), []).append(run_child(measure, folders[n]))

    def median(n: int, measure: str, field: str) -> float:
        return statistics.median(s[field] for s in samples[(n, measure)])

    results: dict[str, object] = {"sizes": [small, big], "repeat": args.repeat}
    rows = []
    for measure, label in (("load", "load"), ("rules", "rules without exploration"),
                           ("explore", "exploration alone"), ("lint", "full lint")):
        a, b = median(small, measure, "cpu"), median(big, measure, "cpu")
        growth = b / a
        target = "" if measure == "explore" else (
            " met" if growth <= GROWTH_TARGET else " MISSED")
        rows.append(f"{label:<26} {a:8.3f} s {b:8.3f} s  {growth:6.2f}x{target}")
        results[measure] = {"cpu_s": [a, b], "growth": growth,
                            "count": [median(small, measure, "count"),
                                      median(big, measure, "count")]}
    print(f"carnet lint, {small} vs {big} scenes (CPU, median of {args.repeat}, "
          "each in a fresh process)")
    print(f"{'':<26} {small:>10} {big:>10}  growth (target <= {GROWTH_TARGET:g}x)")
    for row in rows:
        print(row)
    for n in (small, big):
        load_peak = median(n, "load", "peak_mib")
        lint_peak = median(n, "lint", "peak_mib")
        ratio = lint_peak / load_peak
        met = "met" if ratio <= MEMORY_TARGET else "MISSED"
        print(f"peak memory at {n}: load {load_peak:7.1f} MiB, load + lint {lint_peak:7.1f} MiB"
              f"  ({ratio:.2f}x, target <= {MEMORY_TARGET:g}x: {met})")
        results[f"memory_{n}"] = {"load_mib": load_peak, "lint_mib": lint_peak, "ratio": ratio}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
