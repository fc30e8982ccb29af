"""From the command line's PATHs to story folders, deduplicated.

A PATH is a story folder (it has a story.yaml), a folder of story folders
(like ``scenes/``), a ``.yaml`` file inside a story (pre-commit passes the
changed files), which stands for its whole story, or, as for ``carnet play``,
the id of a story in ``scenes/`` or shipped with carnet (a bare name that is
no file or folder here).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs

from carnet.engine.loader import STORY_FILE
from carnet.engine.stories import StoryNotFound, resolve, search_dirs

DEFAULT_DIR = "scenes"


@attrs.frozen
class Target:
    folder: Path
    display: str  # how the folder is shown in findings


class TargetError(Exception):
    """A PATH that is not something lint can check (exit code 2)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@attrs.frozen
class Resolved:
    targets: tuple[Target, ...]
    skipped: tuple[str, ...]  # files outside any story, with --skip-non-story


def _is_story(folder: Path) -> bool:
    return (folder / STORY_FILE).is_file()


def _story_of(file: Path) -> Path | None:
    """The nearest folder above ``file`` that holds a story.yaml."""
    for folder in file.absolute().parents:
        if _is_story(folder):
            return folder
    return None


def _shown(folder: Path, given: Path) -> str:
    if given.is_absolute():
        return folder.as_posix()
    return Path(os.path.relpath(folder)).as_posix()


def _targets_of(path: Path, skip_non_story: bool) -> list[Target] | str:
    """The stories ``path`` stands for, or the path itself when it is skipped."""
    if not path.exists():
        if len(path.parts) != 1 or path.suffix:  # a path, not an id
            raise TargetError(f"{path}: no such file or folder")
        try:  # the id of a story, found as `carnet play` finds it
            by_id = resolve(path.name, search_dirs())
        except StoryNotFound as err:
            raise TargetError(str(err), "give a story folder, a folder of them, a .yaml "
                                        "file in one, or an id from `carnet list`") from None
        return [Target(by_id, _shown(by_id, by_id))]
    if path.is_dir():
        if _is_story(path):
            return [Target(path, path.as_posix())]
        stories = sorted(child for child in path.iterdir() if _is_story(child))
        if not stories:
            raise TargetError(f"{path}: not a story (no {STORY_FILE}) and no story folders in it",
                              "give a story folder, a folder of them, or a .yaml file in one")
        return [Target(child, child.as_posix()) for child in stories]
    folder = _story_of(path) if path.suffix in (".yaml", ".yml") else None
    if folder is not None:
        return [Target(folder, _shown(folder, path))]
    if skip_non_story:
        return path.as_posix()
    raise TargetError(f"{path}: not part of a story (no {STORY_FILE} in its folder or above)",
                      "give a story folder, a folder of them, or a .yaml file in one")


def resolve_targets(paths: Sequence[str], skip_non_story: bool = False) -> Resolved:
    """Story folders for ``paths`` (default: ``scenes/``), sorted, each once.

    Raises :class:`TargetError` for a path that does not exist or is not a story.
    """
    if not paths and not Path(DEFAULT_DIR).exists():
        raise TargetError(f"{DEFAULT_DIR}: no such file or folder",
                          "give a story folder or an id from `carnet list`")
    given = [Path(p) for p in paths] or [Path(DEFAULT_DIR)]
    found: dict[Path, Target] = {}
    skipped: list[str] = []
    for path in given:
        try:
            result = _targets_of(path, skip_non_story)
        except OSError as err:
            raise TargetError(f"{path}: cannot read: {err.strerror}") from None
        if isinstance(result, str):
            skipped.append(result)
            continue
        for target in result:
            found.setdefault(target.folder.resolve(), target)
    return Resolved(tuple(sorted(found.values(), key=lambda t: t.display)), tuple(skipped))
