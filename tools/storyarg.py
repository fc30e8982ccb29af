"""One STORY argument of a tool: a folder or a story id, loaded or reported."""

from __future__ import annotations

import sys
from pathlib import Path

from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.engine.stories import StoryNotFound, resolve, search_dirs


def load_named(name: str, tool: str) -> Story | None:
    """The story ``name`` names; on failure the reason goes to stderr and None returns."""
    try:
        folder = resolve(name, search_dirs())
    except StoryNotFound as err:
        sys.stderr.write(f"carnet {tool}: {err}\n")
        return None
    result = load_story(Path(folder))
    if result.story is None:
        for diagnostic in result.diagnostics:
            sys.stderr.write(diagnostic.format() + "\n")
        count = len(result.diagnostics)
        sys.stderr.write(f"carnet {tool}: {folder} has {count} error{'s' * (count != 1)}; "
                         f"run `carnet lint {folder}`, fix them and try again\n")
    return result.story
