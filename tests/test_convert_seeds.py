"""The three seed stories, converted: golden files, playability, determinism.

The committed folders in scenes/ were converted with `carnet convert seeds/*.txt
-o scenes`, then written as interactive fiction by hand in files of their own,
which re-converting leaves alone. When the converter changes on purpose,
convert again, read the result, and commit it with the change.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
import yaml

from carnet.engine.text import split_paragraphs
from carnet.tools.convert.cli import add_arguments, run
from carnet.tools.convert.reading import read_story
from carnet.tools.convert.reading.decode import decode_source
from carnet.tools.convert.writing.emit import DRAFTS_FILE, STORY_FILE
from carnet.tools.convert.writing.files import MODELINE, read_record
from carnet.tools.convert.writing.graph import build_plan
from tests.plancheck import check_plan
from tests.support.convert_plans import canonical_transcript, load_ok

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def convert_seeds(out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Convert the seeds into ``out``, next to a copy of the committed hand-written files."""
    for story_id, folder in committed_seed_stories().items():
        for name in hand_written(folder):
            (out / story_id / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / name, out / story_id / name)
    monkeypatch.chdir(ROOT)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([*(p.relative_to(ROOT).as_posix() for p in SEEDS), "-o", str(out)])
    assert run(args) == 0
    return {p.name: p for p in sorted(out.iterdir())}


def without_modeline(data: bytes) -> bytes:
    return b"".join(line for line in data.splitlines(keepends=True)
                    if not line.startswith(MODELINE.encode()))


def generated(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in (STORY_FILE, DRAFTS_FILE)
            if (folder / name).is_file()}


def hand_written(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name not in (STORY_FILE, DRAFTS_FILE))


def committed_seed_stories() -> dict[str, Path]:
    found = {}
    for story in sorted((ROOT / "scenes").glob("*/story.yaml")):
        record = read_record(story.read_text(encoding="utf-8"))
        if record is not None and record[0].source_path.startswith("seeds/"):
            found[story.parent.name] = story.parent
    return found


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return convert_seeds(tmp_path_factory.mktemp("seeds"), monkeypatch)


def test_three_seeds_three_stories(converted: dict[str, Path]) -> None:
    assert len(SEEDS) == 3 and len(converted) == 3


def test_converting_the_seeds_gives_the_committed_files(converted: dict[str, Path]) -> None:
    committed = committed_seed_stories()
    assert sorted(committed) == sorted(converted)
    for story_id, folder in converted.items():
        mine, theirs = generated(folder), generated(committed[story_id])
        assert sorted(mine) == sorted(theirs)
        # The hand-written files were there, and convert left them as they were.
        assert hand_written(folder) == hand_written(committed[story_id])
        for name in hand_written(folder):
            assert (folder / name).read_bytes() == (committed[story_id] / name).read_bytes()
        for name, data in mine.items():
            # Only the schema modeline differs: it is relative to where the story is.
            assert without_modeline(data) == without_modeline(theirs[name]), (story_id, name)
            assert theirs[name].startswith(
                f"{MODELINE}../../engine/schema/story.schema.json\n".encode()
            )


def test_converting_twice_gives_identical_bytes(
    converted: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    again = convert_seeds(tmp_path / "again", monkeypatch)
    assert sorted(again) == sorted(converted)
    for story_id, folder in again.items():
        assert generated(folder) == generated(converted[story_id])


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_plan_keeps_every_promise(seed: Path) -> None:
    text = decode_source(seed.read_bytes(), str(seed))
    reading = read_story(text)
    plan = build_plan(reading)
    assert check_plan(plan, reading.paragraphs) == []
    # A real branching story: several choice points, an ending of its own off the
    # canonical path, and a choice that depends on an earlier one.
    assert len(plan.choice_points) >= 2
    assert len(plan.endings) >= 2
    assert any(c.condition for s in plan.scenes for c in s.choices)


def test_committed_seed_stories_load_and_replay_the_source(converted: dict[str, Path]) -> None:
    for folder in committed_seed_stories().values():
        story = load_ok(folder)
        assert story.source is not None
        seed = ROOT / story.source.path
        expected = split_paragraphs(decode_source(seed.read_bytes(), str(seed)))
        assert canonical_transcript(story) == expected
        # Generated scenes, and only they, are drafts, and they live in drafts.yaml
        # (none is left once the author has taken over every one).
        drafts = folder / DRAFTS_FILE
        in_drafts = set(yaml.safe_load(drafts.read_text())["scenes"]) if drafts.is_file() else set()
        assert in_drafts == {s.id for s in story.scenes.values() if s.draft}
        assert in_drafts < set(story.scenes)
