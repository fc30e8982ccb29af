"""The Twee export plays as carnet does: every shipped story, along its walkthroughs and
random paths, page by page (text, links, passage), in a small player of the SugarCube
subset the export uses (tests/sugarcube_subset.js, run by Node: JavaScript semantics
for the expressions, SugarCube's rules for the macros)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from carnet.engine import state as sm
from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.tools.export.twee import passage_names, to_twee
from carnet.tools.storytest.check import pick
from carnet.tools.storytest.suite import walkthrough_files
from carnet.tools.storytest.walkthrough import Walkthrough, parse

ROOT = Path(__file__).resolve().parent.parent
PLAYER = Path(__file__).resolve().parent / "sugarcube_subset.js"
STORIES = sorted(p.parent for p in (ROOT / "scenes").glob("*/story.yaml"))
RANDOM_PATHS = 15
MAX_STEPS = 80


def flat(text: str) -> str:
    return " ".join(text.split())


def carnet_pages(story: Story, numbers: list[int]) -> list[dict[str, object]]:
    names = passage_names(story)
    state = sm.new_game(story)
    pages = []
    while True:
        scene = story.scenes[state.scene]
        text = " ".join(sm.scene_text(story, state))
        if scene.ending is not None:
            text += f" THE END: {scene.ending}"
        pages.append({"passage": names[state.scene], "text": flat(text),
                      "links": [sm.option_text(state, o) for o in sm.options(story, state)]})
        if len(pages) > len(numbers):
            return pages
        state = sm.choose(story, state, numbers[len(pages) - 1])


def walkthrough_paths(story: Story, folder: Path) -> list[list[int]]:
    paths = []
    for file in walkthrough_files(folder):
        walk = parse(file.read_bytes(), file.name)
        assert isinstance(walk, Walkthrough)
        state, numbers = sm.new_game(story), []
        for step in walk.steps:
            option = pick(story, state, step.choose)
            assert not isinstance(option, str), option
            numbers.append(option.number)
            state = sm.take(story, state, option.index)
        paths.append(numbers)
    return paths


def random_paths(story: Story, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    paths = []
    for _ in range(RANDOM_PATHS):
        state, numbers = sm.new_game(story), []
        while len(numbers) < MAX_STEPS and not sm.is_over(story, state):
            option = rng.choice(sm.options(story, state))
            numbers.append(option.number)
            state = sm.take(story, state, option.index)
        paths.append(numbers)
    return paths


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
@pytest.mark.parametrize("folder", STORIES, ids=[p.name for p in STORIES])
def test_the_export_plays_like_carnet(folder: Path, tmp_path: Path) -> None:
    story = load_story(folder).story
    assert story is not None
    twee = tmp_path / "story.twee"
    twee.write_text(to_twee(story), encoding="utf-8")
    paths = walkthrough_paths(story, folder) + random_paths(story, seed=len(story.scenes))
    done = subprocess.run(["node", str(PLAYER), str(twee), json.dumps(paths)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    played = json.loads(done.stdout)
    assert len(played) == len(paths)
    for numbers, pages in zip(paths, played, strict=True):
        expected = carnet_pages(story, numbers)
        got = [{**page, "text": flat(page["text"])} for page in pages]
        assert got == expected, f"choices {numbers}"
    ends = {pages[-1]["passage"] for pages in played}
    assert len(ends) > 1  # the paths reach more than one place
