"""Finding stories (the `scenes/` folder here, the folder of `--dir`, the
stories shipped with carnet) and opening the one asked for, for every player."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TextIO

import attrs

from carnet.engine.loader import STORY_FILE, load_story
from carnet.engine.model import Story
from carnet.engine.text import plural

DEFAULT_STORY = "tutorial"
SHIPPED_PACKAGE = "carnet.scenes"
NO_STORIES = "No stories found (looked in ./scenes and the shipped stories)."


@attrs.frozen
class StoryRef:
    id: str
    path: Path


def shipped_dir() -> Path | None:
    """Where the installed package keeps its stories, if it is installed."""
    spec = importlib.util.find_spec(SHIPPED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    # a namespace package (the folder has no __init__.py): take its folder
    for location in spec.submodule_search_locations:
        path = Path(location)
        if path.is_dir():
            return path
    return None


def search_dirs(extra: Path | None = None) -> list[Path]:
    dirs = [extra] if extra is not None else []
    local = Path("scenes")
    if local.is_dir():
        dirs.append(local)
    shipped = shipped_dir()
    if shipped is not None:
        dirs.append(shipped)
    return dirs


def find_stories(dirs: list[Path]) -> list[StoryRef]:
    """Story folders (with a story.yaml) in ``dirs``; the first of an id wins."""
    found: dict[str, StoryRef] = {}
    for folder in dirs:
        for story_file in sorted(folder.glob(f"*/{STORY_FILE}")):
            story_dir = story_file.parent
            found.setdefault(story_dir.name, StoryRef(story_dir.name, story_dir))
    return sorted(found.values(), key=lambda ref: ref.id)


class StoryNotFound(LookupError):
    pass


def resolve(name: str, dirs: list[Path]) -> Path:
    """A story folder given as a path or as the id of a story found in ``dirs``."""
    path = Path(name)
    if path.is_dir():
        return path
    if path.is_file() and path.name == STORY_FILE:
        return path.parent
    for ref in find_stories(dirs):
        if ref.id == name:
            return ref.path
    known = ", ".join(ref.id for ref in find_stories(dirs)) or "none"
    raise StoryNotFound(f"no story {name!r} (a folder, or one of: {known})")


def load_or_report(folder: Path, err: TextIO, cache: bool = False) -> Story | None:
    """The story in ``folder``, or None after writing its errors to ``err``."""
    result = load_story(folder, cache=cache)
    if result.story is None:
        for diagnostic in result.diagnostics:
            err.write(diagnostic.format() + "\n")
        err.write(f"carnet: {folder} has {plural(len(result.diagnostics), 'error')}; "
                  "fix them and try again\n")
    return result.story


def open_story(name: str, extra: Path | None, err: TextIO, cache: bool = False) -> Story | None:
    """The story ``name`` (a folder, or an id found in the search folders),
    loaded; None after telling ``err`` why it cannot be played."""
    try:
        folder = resolve(name, search_dirs(extra))
    except StoryNotFound as problem:
        err.write(f"carnet: {problem}\n")
        return None
    return load_or_report(folder, err, cache)
