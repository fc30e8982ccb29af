"""The shipped stories' walkthroughs pass, and reach every ending of their story."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.engine.loader import load_story
from carnet.tools.storytest.suite import test_story as run_story_tests
from carnet.tools.storytest.suite import walkthrough_files
from carnet.tools.storytest.walkthrough import Walkthrough, parse

SCENES = Path(__file__).resolve().parent.parent / "scenes"
STORIES = sorted(p.parent for p in SCENES.glob("*/story.yaml"))


def test_every_shipped_story_has_walkthroughs() -> None:
    assert len(STORIES) >= 4
    assert all(walkthrough_files(folder) for folder in STORIES)


@pytest.mark.parametrize("folder", STORIES, ids=[p.name for p in STORIES])
def test_walkthroughs_pass_and_reach_every_ending(folder: Path) -> None:
    files = walkthrough_files(folder)
    result = run_story_tests(folder, f"scenes/{folder.name}")
    assert result.passed, [f.format() for w in result.walks for f in w.failures]
    story = load_story(folder).story
    assert story is not None
    expected: set[str] = set()
    for file in files:
        walk = parse(file.read_bytes(), file.name)
        assert isinstance(walk, Walkthrough)
        if walk.expect is not None and walk.expect.ending is not None:
            expected.add(walk.expect.ending[0])
    labels = {scene.ending for scene in story.endings if not scene.draft}
    assert labels <= expected, f"no walkthrough ends at {sorted(labels - expected)}"
