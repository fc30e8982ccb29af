"""lint keeps the cyclic garbage collector off the story it lints.

A big story is millions of objects in acyclic trees: a collection that
walks them finds nothing to free, and the first collection after a load
(which pauses the collector) walks every object the load made. Every
collection while ``lint_story`` runs must therefore happen with the story
frozen (``gc.freeze``), and the collector is left as it was found.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from carnet.engine.loader import LoadResult, load_story
from carnet.tools.lint import runner
from carnet.tools.lint.runner import LintOptions, lint_story
from tests.lint_support import HEAD, write_story

STORY = """\
vars: {coins: 0}
start: a
scenes:
  a:
    text: A square, {coins} coins.
    choices:
      - {text: Take a coin, to: a, if: coins < 3, do: [coins += 1]}
      - {text: Leave, to: b}
  b:
    text: The end.
    end: Done
"""


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The freeze count at the start of each collection, with a collection
    due at nearly every allocation."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(gc.get_freeze_count())

    threshold = gc.get_threshold()
    gc.collect()
    gc.set_threshold(1, 1, 1)
    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*threshold)


def test_every_collection_after_the_load_sees_the_story_frozen(
        tmp_path: Path, collections: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_story(tmp_path, {"story.yaml": HEAD + STORY})
    loaded_at: list[int] = []

    def load(*args: Any, **kwargs: Any) -> LoadResult:
        result = load_story(*args, **kwargs)
        loaded_at.append(len(collections))  # no allocation after this: the list has room
        return result

    monkeypatch.setattr(runner, "load_story", load)
    loaded_at.append(0)  # make room
    loaded_at.pop()
    report = lint_story(folder, "s", LintOptions())
    assert report.states == 5 and report.diagnostics == ()
    after = collections[loaded_at[0]:]
    assert after, "collections were due after the load: some must have run"
    # the story's objects (well over a thousand) were frozen at every one
    assert min(after) > 1000
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_collector_is_left_as_it_was_found(tmp_path: Path) -> None:
    folder = write_story(tmp_path, {"story.yaml": HEAD + STORY})
    gc.disable()
    try:
        lint_story(folder, "s", LintOptions())
        assert not gc.isenabled()
    finally:
        gc.enable()
    lint_story(folder, "s", LintOptions())
    assert gc.isenabled() and gc.get_freeze_count() == 0
