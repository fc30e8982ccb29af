"""One story's tests: load it, read its walkthroughs, play them, and the random runs.

The I/O edge of `carnet test` below the CLI: files are read here, the
checking itself is in :mod:`check` and :mod:`randomtest`.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from carnet.engine.diagnostics import Diagnostic
from carnet.engine.loader import WALKTHROUGHS_DIR, load_story
from carnet.engine.model import Story
from carnet.tools.storytest.check import Failure, run_walkthrough
from carnet.tools.storytest.randomtest import DEFAULT_MAX_STEPS, RandomReport, random_runs
from carnet.tools.storytest.walkthrough import Problem, parse


@attrs.frozen
class WalkResult:
    path: str
    name: str | None
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


@attrs.frozen(eq=False)
class StoryResult:
    display: str
    story: Story | None = None
    load_errors: tuple[Diagnostic, ...] = ()
    walks: tuple[WalkResult, ...] = ()
    random: RandomReport | None = None
    missing: str | None = None  # why nothing was tested

    @property
    def passed(self) -> bool:
        return (not self.load_errors and self.missing is None
                and all(w.passed for w in self.walks)
                and (self.random is None or self.random.ok))


@attrs.frozen
class RandomOptions:
    runs: int
    seed: int
    max_steps: int = DEFAULT_MAX_STEPS


def walkthrough_files(folder: Path) -> list[Path]:
    """The story's walkthrough files, sorted by name."""
    where = folder / WALKTHROUGHS_DIR
    if not where.is_dir():
        return []
    return sorted(p for p in where.rglob("*.yaml") if p.is_file())


def _problem_failure(problem: Problem) -> Failure:
    return Failure(problem.at, f"bad walkthrough: {problem.message}")


def test_story(folder: Path, display: str, random: RandomOptions | None = None) -> StoryResult:
    """Raises OSError when a walkthrough file cannot be read."""
    loaded = load_story(folder, display=display)
    if loaded.story is None:
        return StoryResult(display, load_errors=loaded.diagnostics)
    story = loaded.story
    walks: list[WalkResult] = []
    for file in walkthrough_files(folder):
        shown = f"{display}/{file.relative_to(folder).as_posix()}"
        parsed = parse(file.read_bytes(), shown)
        if isinstance(parsed, list):
            walks.append(WalkResult(shown, None, tuple(map(_problem_failure, parsed))))
        else:
            walks.append(WalkResult(shown, parsed.name, tuple(run_walkthrough(story, parsed))))
    report = None
    if random is not None:
        report = random_runs(story, random.runs, random.seed, random.max_steps)
    missing = None
    if not walks and report is None:
        missing = (f"no walkthroughs: add *.yaml files to {display}/{WALKTHROUGHS_DIR}/ "
                   "(see docs/test.md), or run random playthroughs with --random N")
    return StoryResult(display, story, walks=tuple(walks), random=report, missing=missing)
