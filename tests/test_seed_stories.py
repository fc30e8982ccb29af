"""The three seed stories as interactive fiction (issue 11), checked as a player would.

Each story in scenes/ converted from seeds/ keeps the original as its canonical
path, word for word; its hand-written branches (in files convert leaves alone)
replace every generated draft; it has choices on the canonical path and off it,
several endings, and variables that earlier choices set and later text reads.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
import yaml

from carnet.engine.cli import main
from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.engine.state import State, canon_index, is_over, new_game, options, scene_text, take
from carnet.engine.text import split_paragraphs
from carnet.tools.convert.reading.decode import decode_source
from carnet.tools.convert.writing.files import read_record
from carnet.tools.lint.runner import LintOptions, lint_story
from carnet.tools.storytest.randomtest import random_runs

ROOT = Path(__file__).resolve().parent.parent
SEED_STORIES = ("alice-and-leon", "alejandro-and-sophie", "viktoria-and-leon")


def load(story_id: str) -> Story:
    result = load_story(ROOT / "scenes" / story_id)
    assert result.story is not None, list(d.format() for d in result.diagnostics)
    return result.story


def seed_paragraphs(story: Story) -> tuple[str, ...]:
    assert story.source is not None and story.source.path.startswith("seeds/")
    seed = ROOT / story.source.path
    return split_paragraphs(decode_source(seed.read_bytes(), str(seed)))


def canonical_run(story: Story) -> tuple[list[str], list[State]]:
    """The text shown following canon choices, and the states it passed through."""
    state = new_game(story)
    shown: list[str] = []
    states: list[State] = []
    while True:
        states.append(state)
        shown.extend(scene_text(story, state))
        if is_over(story, state):
            assert story.scenes[state.scene].is_ending
            return shown, states
        index = canon_index(story, state)
        assert index is not None, f"no canon choice in {state.scene}"
        state = take(story, state, index)


def reachable(story: Story) -> list[State]:
    """Every state a player can reach (the seed stories are small and acyclic)."""
    start = new_game(story)
    seen = {start.key()}
    queue = deque([start])
    found = []
    while queue:
        state = queue.popleft()
        found.append(state)
        for option in options(story, state):
            after = take(story, state, option.index)
            if after.key() not in seen:
                seen.add(after.key())
                queue.append(after)
        assert len(found) < 100_000
    return found


def hand_written_files(story_id: str) -> list[Path]:
    folder = ROOT / "scenes" / story_id
    return [p for p in sorted(folder.rglob("*.yaml"))
            if "walkthroughs" not in p.relative_to(folder).parts
            and read_record(p.read_text(encoding="utf-8")) is None]


@pytest.mark.parametrize("story_id", SEED_STORIES)
def test_the_canonical_path_is_the_seed_word_for_word(story_id: str) -> None:
    story = load(story_id)
    shown, states = canonical_run(story)
    assert "\n\n".join(shown) == "\n\n".join(seed_paragraphs(story))
    # ... and the player chooses at least three times along it.
    assert sum(len(options(story, s)) >= 2 for s in states) >= 3


@pytest.mark.parametrize("story_id", SEED_STORIES)
def test_lint_strict_reports_nothing(story_id: str) -> None:
    story = load(story_id)
    assert not [s.id for s in story.scenes.values() if s.draft]
    report = lint_story(ROOT / "scenes" / story_id, f"scenes/{story_id}", LintOptions())
    assert [d.format() for d in report.diagnostics] == []
    assert report.complete


@pytest.mark.parametrize("story_id", SEED_STORIES)
def test_choices_that_matter(story_id: str) -> None:
    story = load(story_id)
    states = reachable(story)
    choice_points = {s.scene for s in states if len(options(story, s)) >= 2}
    assert len(choice_points) >= 6
    endings = {story.scenes[s.scene].ending for s in states if story.scenes[s.scene].is_ending}
    assert len(endings) >= 4
    _, canon_states = canonical_run(story)
    assert story.scenes[canon_states[-1].scene].ending in endings
    # Every scene of the story can be reached.
    assert {s.scene for s in states} == set(story.scenes)


@pytest.mark.parametrize("story_id", SEED_STORIES)
def test_at_least_1200_words_of_new_prose(story_id: str) -> None:
    story = load(story_id)
    original = set(seed_paragraphs(story))
    words = 0
    for file in hand_written_files(story_id):
        scenes = yaml.safe_load(file.read_text(encoding="utf-8")).get("scenes") or {}
        for scene in scenes.values():
            for text in _texts(scene.get("text")) + _texts(scene.get("revisit")):
                words += sum(len(p.split()) for p in split_paragraphs(text) if p not in original)
    assert words >= 1200


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict):
                found.extend(v for k, v in item.items()
                             if k in ("text", "else") and isinstance(v, str))
    return found


@pytest.mark.parametrize("story_id", SEED_STORIES)
def test_earlier_choices_change_later_text(story_id: str) -> None:
    story = load(story_id)
    scenes = story.scenes.values()
    set_by_play = {e.var for s in scenes for c in s.choices for e in c.effects}
    set_by_play |= {e.var for s in scenes for e in s.on_enter}
    read_by_text = {name for s in scenes for name in s.text_variables()}
    assert len(set_by_play & read_by_text) >= 3


@pytest.mark.parametrize("story_id", SEED_STORIES)
def test_random_playthroughs_cover_every_scene_choice_and_ending(story_id: str) -> None:
    # `carnet test STORY --random 2000`: no softlock, no runtime error, nothing unreached.
    report = random_runs(load(story_id), 2000, 0)
    assert report.troubles == ()
    assert report.seen == set(report.scenes)
    assert report.taken == set(report.choices)
    assert all(runs > 0 for _, _, runs in report.endings)
    assert report.unfinished == 0


@pytest.mark.parametrize("story_id", SEED_STORIES)
def test_carnet_play_canon_prints_the_seed(story_id: str, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["play", story_id, "--canon"]) == 0
    out = capsys.readouterr().out
    story = load(story_id)
    printed = [p.strip() for p in out.split("\n\n")[1:]
               if p.strip() and not p.lstrip().startswith(("1. ", "> ", "*** THE END"))]
    assert printed == list(seed_paragraphs(story))
