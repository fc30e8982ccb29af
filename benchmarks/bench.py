"""carnet's speed, in one command: loading, the cache, lint, a step, convert, startup.

    python benchmarks/bench.py                 # 1k and 10k scenes (a few minutes)
    python benchmarks/bench.py --full          # and 100k scenes (much longer)
    python benchmarks/bench.py --sizes 10k --reps 3 --json out.json

Stories come from benchmarks/gen_story.py (seeded: the same files every
run). The baseline is the raw ``yaml.load(CSafeLoader)`` parse of the same
files in the same run, keeping what it parsed as a loader does; times are
medians of repetitions interleaved with the baseline's (so a busy machine
slows both alike), memory is the peak RSS of a child process doing only
that one thing. Prints a table (each target met or
missed) and writes JSON (default benchmarks/results.json). Tests never
assert timings; this is where they are measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gen_story import write_story  # noqa: E402

MIB = 1024 * 1024
CHILD = {
    "baseline": ("import sys, yaml\nkept = [yaml.load(open(f, encoding='utf-8').read(), "
                 "Loader=yaml.CSafeLoader) for f in sys.argv[2:]]\n"),
    "cold": ("import sys\nfrom carnet.engine.loader import load_story\n"
             "assert load_story(sys.argv[1]).ok\n"),
    "warm": ("import sys\nfrom carnet.engine.loader import load_story\n"
             "r = load_story(sys.argv[1], cache=True)\nassert r.ok\n"
             "from carnet.engine.model import LazyScenes\n"
             "assert isinstance(r.story.scenes, LazyScenes), 'not from the cache'\n"),
    "lint": ("import sys\nfrom carnet.engine.loader import load_story\n"
             "from carnet.tools.lint.runner import LintOptions, lint_loaded\n"
             "from carnet.tools.lint.select import Decider\n"
             "lint_loaded(load_story(sys.argv[1]), sys.argv[1], LintOptions(Decider()))\n"),
    # the same imports and nothing else: what a peak owes to the code, not the data
    "yaml imports": "import sys, yaml\n",
    "carnet imports": "import sys\nfrom carnet.engine.loader import load_story\n",
}


def size_of(text: str) -> int:
    text = text.strip().lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


def label(scenes: int) -> str:
    return f"{scenes // 1000}k" if scenes % 1000 == 0 else str(scenes)


class Table:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, size: str, what: str, value: float, unit: str, *,
            baseline: float | None = None, target: str | None = None,
            met: bool | None = None, note: str = "") -> None:
        ratio = value / baseline if baseline else None
        row = {"size": size, "what": what, "value": round(value, 6), "unit": unit,
               "baseline": None if baseline is None else round(baseline, 6),
               "ratio": None if ratio is None else round(ratio, 3),
               "target": target, "met": met, "note": note}
        self.rows.append(row)
        shown = f"{value:.4g} {unit}"
        extra = f"  base {baseline:.4g} {unit}  ratio {ratio:.2f}x" if ratio is not None else ""
        verdict = "" if met is None else ("  MET" if met else "  MISSED")
        goal = f"  target {target}" if target else ""
        print(f"{size:>5}  {what:<34} {shown:>14}{extra}{goal}{verdict}"
              + (f"  ({note})" if note else ""), flush=True)

    def markdown(self) -> str:
        lines = ["| size | what | value | baseline | ratio | target | |",
                 "|---|---|---|---|---|---|---|"]
        for r in self.rows:
            base = "" if r["baseline"] is None else f"{r['baseline']:.4g} {r['unit']}"
            ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}x"
            met = "" if r["met"] is None else ("met" if r["met"] else "**missed**")
            lines.append(f"| {r['size']} | {r['what']} | {r['value']:.4g} {r['unit']} | {base} "
                         f"| {ratio} | {r['target'] or ''} | {met} |")
        return "\n".join(lines)


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def interleaved(reps: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The median seconds of each run, the runs taking turns ``reps`` times."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(reps):
        for name, run in runs.items():
            gc.collect()
            samples[name].append(timed(run))
    return {name: statistics.median(times) for name, times in samples.items()}


_PEAK = ("\nimport re\nstatus = open('/proc/self/status').read()\n"
         "print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n")


def peak_rss(kind: str, folder: Path, files: list[Path], env: dict[str, str]) -> float:
    """Peak resident memory (MiB) of a child process doing only ``kind``: its
    VmHWM, which belongs to the child's own address space (``ru_maxrss`` of a
    child on Linux can carry over the parent's peak across fork and exec)."""
    args = [sys.executable, "-c", CHILD[kind] + _PEAK, str(folder), *map(str, files)]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {kind} child failed: {done.stderr[-500:]}")
    return int(done.stdout.split()[-1]) / 1024


def step_median(story: Any, steps: int) -> float:
    """Median seconds of one step: choose, the next state, its choices and its text,
    on a seeded random walk (a new game at each ending)."""
    from carnet.engine import state as sm

    rng = random.Random(7)
    state = sm.new_game(story)
    times: list[int] = []
    clock = time.perf_counter_ns
    gc.collect()
    while len(times) < steps:
        offered = sm.options(story, state)
        if not offered:
            state = sm.new_game(story)
            continue
        number = rng.randrange(len(offered)) + 1
        start = clock()
        state = sm.choose(story, state, number)
        sm.options(story, state)
        sm.scene_text(story, state)
        times.append(clock() - start)
    return statistics.median(times) / 1e9


def bench_size(table: Table, scenes: int, reps: int, work: Path, env: dict[str, str],
               lint: bool, steps: int) -> Path:
    """The rows of one story size; returns its folder."""
    import yaml

    from carnet.engine import cache as cache_store
    from carnet.engine import compiled, yamlfast
    from carnet.engine.loader import load_story
    from carnet.engine.yamlio import decode, read_data

    size = label(scenes)
    folder = write_story(work / f"story{size}", scenes)
    files = sorted(folder.glob("*.yaml"))
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    print(f"-- {size}: {scenes:,} scenes, {len(files)} files, {megabytes:.1f} MB", flush=True)
    loader = yaml.CSafeLoader

    def baseline() -> list[object]:  # the data is kept, as a loader keeps what it loads
        return [yaml.load(file.read_text(encoding="utf-8"), Loader=loader) for file in files]

    def read() -> list[object]:  # the YAML reading of a cold load alone (collector paused)
        gc.disable()
        try:
            return [read_data(decode(file.read_bytes()))[0] for file in files]
        finally:
            gc.enable()

    fallbacks = sum(yamlfast.parse(file.read_text(encoding="utf-8")) is None for file in files)
    first = timed(lambda: load_story(folder, cache=True))  # cold, and writes the cache
    entry = cache_store.entry_path(  # what the load above wrote
        compiled.entry_key(load_story(folder).story.fingerprint))  # type: ignore[union-attr]
    medians = interleaved(reps, {
        "baseline": baseline,
        "cold": lambda: load_story(folder),
        "read": read,
        "warm": lambda: load_story(folder, cache=True),
    })
    base = medians["baseline"]
    big = scenes >= 10_000
    table.add(size, "raw CSafeLoader parse (baseline)", base, "s")
    table.add(size, "cold load", medians["cold"], "s", baseline=base,
              target="<= 0.5x" if big else None,
              met=medians["cold"] <= 0.5 * base if big else None)
    table.add(size, "  of which YAML reading (read_data)", medians["read"], "s", baseline=base,
              note=f"{fallbacks} of {len(files)} files left to libyaml")
    table.add(size, "first load, writing the cache", first, "s", baseline=base,
              note=f"entry {entry.stat().st_size / MIB:.1f} MiB")
    warm_target = {10_000: 0.1, 100_000: 1.0}.get(scenes)
    table.add(size, "warm load (compiled cache)", medians["warm"], "s", baseline=base,
              target=f"< {warm_target} s" if warm_target else None,
              met=medians["warm"] < warm_target if warm_target else None)
    mem = {kind: peak_rss(kind, folder, files, env) for kind in CHILD
           if lint or kind != "lint"}
    yaml_net = mem["baseline"] - mem["yaml imports"]
    table.add(size, "peak memory: baseline parse", mem["baseline"], "MiB",
              note=f"{yaml_net:.1f} MiB above its imports")
    for kind, what in (("cold", "cold load"), ("warm", "warm load")):
        net = mem[kind] - mem["carnet imports"]
        table.add(size, f"peak memory: {what}", mem[kind], "MiB", baseline=mem["baseline"],
                  target=("<= baseline" if kind == "cold" and big
                          else "< 400 MiB" if kind == "warm" and scenes >= 100_000 else None),
                  met=(mem[kind] <= mem["baseline"] if kind == "cold" and big
                       else mem[kind] < 400 if kind == "warm" and scenes >= 100_000 else None),
                  note=f"{net:.1f} MiB above its imports ({net / yaml_net:.2f}x the baseline's)")
    result = load_story(folder)
    story = result.story
    assert story is not None
    if lint:
        from carnet.tools.lint.explore import DEFAULT_MAX_STATES, explore
        from carnet.tools.lint.runner import LintOptions, lint_loaded
        from carnet.tools.lint.select import Decider

        static = LintOptions(Decider(ignore=("X",)))
        everything = LintOptions(Decider())
        linted = interleaved(reps, {
            "rules": lambda: lint_loaded(result, str(folder), static),
            "explore": lambda: explore(story, DEFAULT_MAX_STATES),
            "full": lambda: lint_loaded(result, str(folder), everything),
        })
        table.add(size, "lint: rules without exploration", linted["rules"], "s", baseline=base)
        table.add(size, "lint: exploration alone", linted["explore"], "s", baseline=base,
                  note=f"bound {DEFAULT_MAX_STATES:,} states")
        table.add(size, "lint: full", linted["full"], "s", baseline=base)
        table.add(size, "peak memory: load and full lint", mem["lint"], "MiB",
                  baseline=mem["cold"], target="<= 2x" if big else None,
                  met=mem["lint"] <= 2 * mem["cold"] if big else None,
                  note="baseline: the cold load's peak")
    if steps:
        step = step_median(story, steps)
        table.add(size, f"one step (median of {steps:,})", step * 1e6, "us",
                  target="< 10 us" if scenes == 10_000 else None,
                  met=step < 10e-6 if scenes == 10_000 else None)
    return folder


GROWTH_TARGET = 11.0  # 10x the scenes: linear work grows 10x, with 10% to spare
GROWN = (("load", "load"), ("rules", "lint rules without exploration"), ("lint", "full lint"))


def growth_rows(table: Table, small: Path, large: Path, reps: int) -> None:
    """How load and lint grow from 10k to 100k scenes: CPU seconds, each measure
    in a fresh process as ``carnet lint`` runs (benchmarks/bench_lint.py's
    children, which also time each phase), sizes taken in turns, medians."""
    from bench_lint import run_child

    cpu: dict[tuple[str, Path], list[float]] = {}
    for _ in range(reps):
        for measure, _what in GROWN:
            for folder in (small, large):
                cpu.setdefault((measure, folder), []).append(run_child(measure, folder)["cpu"])
    counts = {f: run_child("calls", f) for f in (small, large)}
    for measure, what in GROWN:
        if measure in counts[small]:  # the work, counted: the same every run
            x, y = counts[small][measure], counts[large][measure]
            table.add("10k>100k", f"growth: {what} (function calls)", y / x, "x",
                      note=f"{x:,} -> {y:,} calls (cProfile)")
        a, b = (statistics.median(cpu[(measure, f)]) for f in (small, large))
        each = ", ".join(f"{y / x:.2f}" for x, y in zip(cpu[(measure, small)],
                                                        cpu[(measure, large)], strict=True))
        table.add("10k>100k", f"growth: {what} (CPU)", b / a, "x",
                  target=f"<= {GROWTH_TARGET:g}x", met=b / a <= GROWTH_TARGET,
                  note=f"{a:.3g} s -> {b:.3g} s; each turn {each}")


def bench_tools(table: Table, work: Path, env: dict[str, str], reps: int,
                warm_story: Path | None) -> None:
    import argparse as ap

    from bench_convert import novel
    from bench_startup import time_repl

    from carnet.tools.convert.cli import add_arguments, run

    text = novel(1.0)
    source = work / "novel.txt"
    source.write_text(text, encoding="utf-8")
    out = work / "novel"
    parser = ap.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([str(source), "-o", str(out)])
    seconds = timed(lambda: run(args))
    table.add("1MB", "convert 1 MB of prose", seconds, "s", target="< 3 s", met=seconds < 3)
    stories = [p for p in out.rglob("story.yaml")]
    if stories:
        play = [sys.executable, "-m", "carnet", "play", str(stories[0].parent), "--canon",
                "--plain", "--no-cache"]
        canon = statistics.median(
            timed(lambda: subprocess.run(play, cwd=ROOT, env=env, capture_output=True,
                                         check=False)) for _ in range(reps))
        table.add("1MB", "play --canon of it (process)", canon, "s")
    data = str(work / "data")
    tutorial = statistics.median(time_repl("tutorial", data) for _ in range(reps))
    table.add("tut", "first prompt, tutorial (pty)", tutorial, "s", target="< 0.4 s",
              met=tutorial < 0.4)
    if warm_story is not None:
        time_repl(str(warm_story), data)  # the cache entry exists; this warms the OS too
        warm = statistics.median(time_repl(str(warm_story), data) for _ in range(reps))
        table.add("10k", "first prompt, warm (pty)", warm, "s", target="< 0.4 s",
                  met=warm < 0.4)


def machine() -> dict[str, Any]:
    import yaml

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
            "pyyaml": yaml.__version__, "libyaml": yaml.__with_libyaml__,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k", help="story sizes (default 1k,10k)")
    parser.add_argument("--full", action="store_true", help="add the 100k story (slow)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions (medians)")
    parser.add_argument("--steps", type=int, default=100_000, help="steps timed at 10k")
    parser.add_argument("--growth-reps", type=int, default=7,
                        help="turns of the 10k-to-100k growth rows (a ratio of two sizes, each "
                             "in a fresh process, is noisier than a time: default 7)")
    parser.add_argument("--no-lint", action="store_true", help="skip the lint rows")
    parser.add_argument("--no-tools", action="store_true",
                        help="skip convert, play --canon and the first prompts")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    sizes = [size_of(s) for s in args.sizes.split(",") if s]
    if args.full and 100_000 not in sizes:
        sizes.append(100_000)
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
          f"load average {info['load_average_at_start']}", flush=True)
    table = Table()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["CARNET_CACHE_DIR"] = str(work / "cache")  # never the user's cache
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        warm_story = None
        folders: dict[int, Path] = {}
        for scenes in sizes:
            reps = args.reps if scenes < 100_000 else max(1, min(args.reps, 3))
            folders[scenes] = bench_size(table, scenes, reps, work, env, not args.no_lint,
                                         args.steps if scenes == 10_000 else 0)
        warm_story = folders.get(10_000)
        if not args.no_lint and 10_000 in folders and 100_000 in folders:
            growth_rows(table, folders[10_000], folders[100_000], max(1, args.growth_reps))
        if not args.no_tools:
            bench_tools(table, work, env, min(args.reps, 5), warm_story)
    missed = [r for r in table.rows if r["met"] is False]
    print(f"\n{len(missed)} target(s) missed" if missed else "\nevery target met")
    args.json.write_text(json.dumps({"machine": info, "rows": table.rows,
                                     "markdown": table.markdown()}, indent=1) + "\n",
                         encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
