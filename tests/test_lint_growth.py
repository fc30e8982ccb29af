"""Loading and linting grow linearly with the story: counted, not timed.

Tests never assert timings (benchmarks/ measures those); what a test can
assert is how much work there is. cProfile counts every function call, the
same count on every run: ten times the scenes must make at most about ten
times the calls, for the load, for the rules without the exploration and for
the full lint (whose exploration is bounded, so it grows less). A walk over
the story inside a walk over the story, or a state key that grows with the
story, shows here as tens of times more.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from carnet.engine.loader import LoadResult, load_story
from carnet.tools.lint.runner import LintOptions, lint_loaded
from carnet.tools.lint.select import Decider

ROOT = Path(__file__).resolve().parent.parent
SMALL, BIG = 300, 3_000
LINEAR = 10.5  # ten times the scenes: ten times the calls, and a little to spare


def _calls(work: Callable[[], Any]) -> tuple[int, Any]:
    profile = cProfile.Profile()
    profile.enable()
    try:
        result = work()
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls, result  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from gen_story import write_story
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    root = tmp_path_factory.mktemp("growth")
    return {n: write_story(root / f"s{n}", n) for n in (SMALL, BIG)}


@pytest.fixture(scope="module")
def loads(stories: dict[int, Path]) -> dict[int, tuple[int, LoadResult]]:
    return {n: _calls(lambda folder=folder: load_story(folder))  # type: ignore[misc]
            for n, folder in stories.items()}


def test_the_load_grows_linearly(loads: dict[int, tuple[int, LoadResult]]) -> None:
    (small, _), (big, result) = loads[SMALL], loads[BIG]
    assert result.story is not None and len(result.story.scenes) == BIG
    assert big / small <= LINEAR, (small, big)


@pytest.mark.parametrize("ignored", [("X",), ()], ids=["rules without exploration", "full lint"])
def test_lint_grows_linearly(loads: dict[int, tuple[int, LoadResult]],
                             ignored: tuple[str, ...]) -> None:
    options = LintOptions(Decider(ignore=ignored), max_states=2_000)  # bounded: quicker
    counted = {n: _calls(lambda result=result: lint_loaded(result, "s", options))  # type: ignore[misc]
               for n, (_, result) in loads.items()}
    (small, _), (big, report) = counted[SMALL], counted[BIG]
    # the generated story is clean (all the work, no findings), though a big
    # one has more states than the exploration's bound
    assert {d.code for d in report.diagnostics} <= ({"X400"} if ignored == () else set())
    assert big / small <= LINEAR, (small, big)
    if ignored:  # work that grows with the story, not a constant that hides it
        assert big / small >= 8, (small, big)
