"""From the command line's STORY arguments to story folders.

A STORY is a path (a story folder or a folder of them, as for `carnet lint`)
or the id of a story from `carnet list` (a shipped story, say).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from carnet.engine.stories import StoryNotFound, resolve, search_dirs
from carnet.tools.lint.targets import TargetError, resolve_targets

__all__ = ["TargetError", "shown", "story_targets"]


def shown(folder: Path) -> str:
    """How a story folder is named in messages: relative to here when below it."""
    absolute = folder.absolute()
    try:
        return Path(os.path.relpath(absolute)).as_posix() if absolute.is_relative_to(
            Path.cwd()) else absolute.as_posix()
    except ValueError:  # another drive
        return absolute.as_posix()


def story_targets(names: Sequence[str]) -> list[tuple[Path, str]]:
    """(folder, display) for each story named, each once, in order.

    Raises :class:`TargetError` for a name that is neither a path nor a known id.
    """
    found: dict[Path, tuple[Path, str]] = {}
    for name in names or ["scenes"]:
        if Path(name).exists() or not names:
            for target in resolve_targets([name]).targets:
                found.setdefault(target.folder.resolve(), (target.folder, target.display))
            continue
        try:
            folder = resolve(name, search_dirs())
        except StoryNotFound as err:
            raise TargetError(str(err), "give a story folder or an id from `carnet list`"
                              ) from None
        found.setdefault(folder.resolve(), (folder, shown(folder)))
    return list(found.values())
