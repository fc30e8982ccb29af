"""How `carnet lint` grows with the story: 10,000 against 100,000 scenes.

    python benchmarks/bench_lint.py [--sizes 10000 100000] [--repeat 3]
                                    [--stories DIR] [--json FILE] [--no-phases]

Writes the synthetic stories of benchmarks/gen_story.py (seeded, 250 scenes
a file; into ``--stories`` and kept there, or into a temporary folder) and
measures, each in a fresh child process, in CPU seconds (other processes on
the machine do not count, though they still share its caches): loading the
story (``load_story``); the rules without the exploration (graph, index,
variables, text, noqa: ``--ignore X``); the exploration alone (default
bound, the story's graph and index made beforehand, the collector kept off
the story as lint does); and the full lint. Peak memory (max RSS of the
child) is compared between the process that only loads and the one that
loads and lints. Repetitions are interleaved (every size and measure once,
then again) and the median is kept; the growth of each repetition (its
100k run against its 10k run, made one after the other) is printed too,
with the load average before and after, so a noisy run shows.

One more child per size counts the function calls of the load and of the
rules (cProfile; the same count every run): calls, not what each costs,
but what the machine's caches and neighbours do not change; CPU seconds
that grow faster than the calls point at the caches rather than the code.

A last child per size and repetition times the phases (not counted in the
medians above): the load split by what it does (reading files, parsing,
building scenes, the checks across the story), with the cost of each file
in the first and last tenth of the story (story.yaml aside: a file that costs more the more
scenes came before it points at something that grows with the story), and
each lint phase and rule.

Targets (issue 12): from 10k to 100k scenes, load, the rules without the
exploration and the full lint each grow at most 11x; lint's peak memory is
at most 2x the load's. Prints each ratio with "met" or "MISSED".
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

MEASURES = ("load", "rules", "explore", "lint")
LABELS = {"load": "load", "rules": "rules without exploration",
          "explore": "exploration alone", "lint": "full lint"}
TARGETED = ("load", "rules", "lint")
GROWTH_TARGET = 11.0
MEMORY_TARGET = 2.0


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(measure: str, folder: Path) -> dict[str, Any]:
    """One measure in this (fresh) process: CPU seconds and peak memory in MiB."""
    if measure == "phases":
        return phases(folder)
    if measure == "calls":
        return calls(folder)
    from carnet.engine.loader import load_story
    from carnet.tools.lint.explore import explore
    from carnet.tools.lint.graph import build_graph
    from carnet.tools.lint.index import StoryIndex
    from carnet.tools.lint.runner import LintOptions, lint_loaded
    from carnet.tools.lint.select import Decider

    gc.disable()  # as lint_story does: the collector paused from the load to the freeze
    started = time.process_time()
    result = load_story(folder)
    loaded = time.process_time()
    if measure != "load":
        gc.freeze()
    gc.enable()
    story = result.story
    assert story is not None, result.diagnostics[:3]
    if measure == "load":
        spent = loaded - started
        findings = 0.0
    elif measure == "explore":
        gc.disable()  # as lint does: the collector off the story, the graph and the index
        index = StoryIndex.of(story)
        graph = build_graph(story, index)
        gc.freeze()
        gc.enable()
        before = time.process_time()
        seen = explore(story, graph=graph, index=index)
        spent, findings = time.process_time() - before, float(seen.states)
    else:
        decider = Decider(ignore=("X",)) if measure == "rules" else Decider()
        report = lint_loaded(result, "bench", LintOptions(decider))
        spent, findings = time.process_time() - loaded, float(len(report.diagnostics))
    return {"cpu": spent, "peak_mib": _peak_mib(), "count": findings}


def calls(folder: Path) -> dict[str, Any]:
    """The function calls (cProfile's count: the same on every run) of the load
    and of the rules without the exploration: the work, which no cache or
    neighbour on the machine changes."""
    import cProfile
    import pstats

    from carnet.engine.loader import load_story
    from carnet.tools.lint.runner import LintOptions, lint_loaded
    from carnet.tools.lint.select import Decider

    def counted(work: Callable[[], Any]) -> tuple[int, Any]:
        profile = cProfile.Profile()
        profile.enable()
        result = work()
        profile.disable()
        return pstats.Stats(profile).total_calls, result  # type: ignore[attr-defined]

    load_calls, result = counted(lambda: load_story(folder))
    rules_calls, _ = counted(lambda: lint_loaded(result, "bench",
                                                 LintOptions(Decider(ignore=("X",)))))
    return {"load": load_calls, "rules": rules_calls}


class _Timers:
    """CPU seconds spent in wrapped functions, by name (a call inside another
    wrapped call counts in both)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.calls: dict[str, list[float]] = {}

    def wrap(self, owner: Any, attribute: str, name: str, each: bool = False) -> None:
        function: Callable[..., Any] = getattr(owner, attribute)
        spent, calls = self.spent, self.calls

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                took = time.process_time() - start
                spent[name] = spent.get(name, 0.0) + took
                if each:
                    calls.setdefault(name, []).append(took)

        setattr(owner, attribute, timed)

    def time(self, name: str, function: Callable[[], Any]) -> Any:
        start = time.process_time()
        result = function()
        self.spent[name] = self.spent.get(name, 0.0) + time.process_time() - start
        return result


def phases(folder: Path) -> dict[str, Any]:
    """Where a load and a lint spend their time, one pass each (timers add a little)."""
    from carnet.engine import loader
    from carnet.tools.lint import noqa
    from carnet.tools.lint.context import LintContext
    from carnet.tools.lint.graph import build_graph
    from carnet.tools.lint.index import StoryIndex
    from carnet.tools.lint.rules import RULES, code_table
    from carnet.tools.lint.variables import variable_use

    timers = _Timers()
    # the loader's own names (it imports yamlio's functions); a name another
    # version of the loader no longer has is just not timed
    builder = getattr(loader, "_Builder", None)
    for owner, attribute, name, each in (
            (loader, "read_file", "load: read the bytes", False),
            (loader, "decode", "load: decode", False),
            (loader, "read_data", "load: parse (read_data)", False),
            (builder, "read", "load: read + parse, per file", True),
            (builder, "scenes_of", "load: build the scenes, per file", True),
            (builder, "extend", "load: extend", False),
            (builder, "references", "load: references (checks across the story)", False)):
        if owner is not None and hasattr(owner, attribute):
            timers.wrap(owner, attribute, name, each)
    gc.disable()  # as lint_story does
    result = timers.time("load: whole", lambda: loader.load_story(folder))
    gc.freeze()
    story = result.story
    assert story is not None
    gc.disable()
    index = timers.time("lint: index", lambda: StoryIndex.of(story))
    graph = timers.time("lint: graph", lambda: build_graph(story, index))
    use = timers.time("lint: variables", lambda: variable_use(story, index))
    gc.freeze()
    gc.enable()
    ctx = LintContext(story, result.source_map, "bench/story.yaml", graph, index, use)
    found = []
    for code, rule in RULES.items():
        if not code.startswith("X"):
            found += timers.time(f"rule {code}", lambda rule=rule: [  # type: ignore[misc]
                (rule.CODE, finding) for finding in rule.check(ctx)])
    timers.time("lint: noqa", lambda: noqa.suppress(ctx, found, {*RULES, noqa.CODE},
                                                      code_table()))
    gc.unfreeze()
    out: dict[str, Any] = {name: spent for name, spent in timers.spent.items()}
    for name, calls in timers.calls.items():  # the first and last tenth of the files
        per_file = calls[1:] or calls  # story.yaml, first, holds few scenes or none
        tenth = max(1, len(per_file) // 10)
        out[f"{name}: first tenth, mean"] = statistics.fmean(per_file[:tenth])
        out[f"{name}: last tenth, mean"] = statistics.fmean(per_file[-tenth:])
    return out


def run_child(measure: str, folder: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", measure, str(folder)],
                         check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _met(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "MISSED"


def _stories(args: argparse.Namespace) -> Iterator[dict[int, Path]]:
    from gen_story import write_story

    def ready(root: Path) -> dict[int, Path]:
        folders = {}
        for n in args.sizes:
            folder = root / f"s{n}"
            if not (folder / "story.yaml").is_file():
                write_story(folder, n)
            folders[n] = folder
        return folders

    if args.stories:
        yield ready(args.stories)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield ready(Path(tmp))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stories", type=Path,
                        help="write the stories here (kept; reused when already there)")
    parser.add_argument("--no-phases", action="store_true", help="skip the phase timers")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", nargs=2, metavar=("MEASURE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0

    small, big = args.sizes
    measures = (*MEASURES, *(() if args.no_phases else ("phases",)))
    samples: dict[tuple[int, str], list[dict[str, Any]]] = {}
    load_before = _loadavg()
    for folders in _stories(args):
        for _ in range(args.repeat):
            for measure in measures:
                for n in (small, big):
                    samples.setdefault((n, measure), []).append(run_child(measure, folders[n]))
        counts = {n: run_child("calls", folders[n]) for n in (small, big)}
    load_after = _loadavg()

    def median(n: int, measure: str, field: str) -> float:
        return float(statistics.median(s[field] for s in samples[(n, measure)]))

    results: dict[str, Any] = {"sizes": [small, big], "repeat": args.repeat,
                               "load_average": {"before": load_before, "after": load_after}}
    print(f"carnet lint, {small} vs {big} scenes (CPU seconds, median of {args.repeat}, "
          "each in a fresh process, interleaved)")
    print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after")
    print(f"{'':<26} {small:>10} {big:>10}  growth (target <= {GROWTH_TARGET:g}x)"
          "   each repetition")
    for measure in MEASURES:
        a, b = median(small, measure, "cpu"), median(big, measure, "cpu")
        growth = b / a
        each = [y["cpu"] / x["cpu"] for x, y in zip(samples[(small, measure)],
                                                    samples[(big, measure)], strict=True)]
        verdict = _met(growth, GROWTH_TARGET) if measure in TARGETED else ""
        print(f"{LABELS[measure]:<26} {a:8.3f} s {b:8.3f} s  {growth:6.2f}x {verdict:<6}"
              f"   {' '.join(f'{g:.2f}x' for g in each)}")
        results[measure] = {"cpu_s": [a, b], "growth": growth, "each": each,
                            "met": growth <= GROWTH_TARGET if measure in TARGETED else None,
                            "count": [median(small, measure, "count"),
                                      median(big, measure, "count")]}
    print("function calls (cProfile, the same every run: the work itself):")
    for measure in ("load", "rules"):
        a, b = counts[small][measure], counts[big][measure]
        print(f"  {LABELS[measure]:<24} {a:>10,} {b:>12,}  {b / a:6.2f}x")
        results[f"calls_{measure}"] = {"calls": [a, b], "growth": b / a}
    for n in (small, big):
        load_peak = median(n, "load", "peak_mib")
        lint_peak = median(n, "lint", "peak_mib")
        ratio = lint_peak / load_peak
        print(f"peak memory at {n}: load {load_peak:7.1f} MiB, load + lint {lint_peak:7.1f} MiB"
              f"  ({ratio:.2f}x, target <= {MEMORY_TARGET:g}x: {_met(ratio, MEMORY_TARGET)})")
        results[f"memory_{n}"] = {"load_mib": load_peak, "lint_mib": lint_peak, "ratio": ratio,
                                  "met": ratio <= MEMORY_TARGET}
    if not args.no_phases:
        names = list(samples[(small, "phases")][0])
        print(f"\nphases (median of {args.repeat}; a phase's share is of its whole, "
              "load or the rules)")
        rules_whole = {n: sum(median(n, "phases", k) for k in names
                              if k.startswith(("lint:", "rule "))) for n in (small, big)}
        phased: dict[str, Any] = {}
        for name in names:
            a, b = median(small, "phases", name), median(big, "phases", name)
            whole = ({n: median(n, "phases", "load: whole") for n in (small, big)}
                     if name.startswith("load") else rules_whole)
            shares = f"{100 * a / whole[small]:5.1f}% {100 * b / whole[big]:5.1f}%" \
                if "tenth" not in name else " " * 13
            grew = f"{b / a:6.2f}x" if a > 0 else "     -"
            print(f"  {name:<52} {a:9.4f} s {b:9.4f} s {grew}  {shares}")
            phased[name] = {"cpu_s": [a, b]}
        results["phases"] = phased
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
