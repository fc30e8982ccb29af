"""The player's files: saves, the autosave, endings found, input history.

Everything lives in the data directory, ``$XDG_DATA_HOME/carnet/`` (default
``~/.local/share/carnet/``); saves go to its ``saves/`` folder unless
``--save-dir`` says otherwise::

    saves/<story>/<name>.json     one save (engine.saves format), autosave.json too
    endings/<story>.json          the endings found so far
    history                       what was typed at the prompt

Every file is written atomically (a temp file, then a rename), so a crash
mid-write leaves the previous file whole. Save names are checked against a
small safe alphabet: a name can never reach outside its folder.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from carnet.engine.model import Story
from carnet.engine.saves import Loaded, SaveError, read, write, write_atomic
from carnet.engine.session import Session
from carnet.engine.state import State

AUTOSAVE = "autosave"
QUICKSAVE = "quicksave"
SAVE_SUFFIX = ".json"
ENDINGS_VERSION = 1
MAX_ENDINGS_BYTES = 1024 * 1024
_SAVE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class BadSaveName(ValueError):
    """A save name outside the safe alphabet, with a message for the player."""


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/carnet``, or ``~/.local/share/carnet`` when it is unset or relative."""
    env = os.environ if env is None else env
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "carnet"
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share" / "carnet"


def check_save_name(name: str) -> str:
    """``name`` if it is a safe save name; raises :class:`BadSaveName` otherwise."""
    if _SAVE_NAME.match(name):
        return name
    raise BadSaveName(
        f"{name!r} is not a save name: use up to 64 letters, digits, '-' and '_', "
        "starting with a letter or digit.")


def file_component(story_id: str) -> str:
    """A story id made safe as one file name (ids come from folder names)."""
    safe = _UNSAFE.sub("_", story_id).lstrip(".")
    return safe[:100] or "story"


@attrs.frozen
class UserData:
    """Where the player's files are, and reading and writing them."""

    root: Path
    saves_root: Path

    @classmethod
    def locate(cls, save_dir: Path | None = None,
               env: Mapping[str, str] | None = None) -> UserData:
        root = data_dir(env)
        return cls(root, save_dir if save_dir is not None else root / "saves")

    @property
    def history_path(self) -> Path:
        return self.root / "history"

    # -- saves -----------------------------------------------------------------
    def save_folder(self, story: Story) -> Path:
        return self.saves_root / file_component(story.id)

    def save_path(self, story: Story, name: str) -> Path:
        """The file of save ``name``; raises :class:`BadSaveName`."""
        return self.save_folder(story) / (check_save_name(name) + SAVE_SUFFIX)

    def save_names(self, story: Story) -> list[str]:
        """The names of this story's saves, sorted (bad names are skipped)."""
        try:
            files = list(self.save_folder(story).glob("*" + SAVE_SUFFIX))
        except OSError:
            return []
        names = (f.name[: -len(SAVE_SUFFIX)] for f in files if f.is_file())
        return sorted(n for n in names if _SAVE_NAME.match(n))

    def write_save(self, story: Story, name: str, state: State,
                   undo: Sequence[State] = ()) -> Path:
        """Write save ``name`` atomically. Raises BadSaveName or OSError."""
        path = self.save_path(story, name)
        write(story, path, state, undo)
        return path

    def read_save(self, story: Story, name: str) -> Loaded:
        """Read save ``name``. Raises BadSaveName or SaveError (never OSError)."""
        return read(story, self.save_path(story, name))

    def has_save(self, story: Story, name: str) -> bool:
        return self.save_path(story, name).is_file()

    def resume(self, session: Session, name: str = AUTOSAVE) -> Loaded:
        """Put save ``name`` (the autosave) into ``session``, undo history too.

        Raises SaveError (the session is then untouched).
        """
        loaded = self.read_save(session.story, name)
        session.state = loaded.state
        session.undo_stack = list(loaded.undo)
        return loaded

    # -- endings ---------------------------------------------------------------
    def endings_path(self, story: Story) -> Path:
        return self.root / "endings" / (file_component(story.id) + ".json")

    def endings_found(self, story: Story) -> frozenset[str]:
        """Scene ids of the endings of ``story`` found so far.

        A missing, unreadable or malformed file counts as none found; ids that
        are no longer endings of the story are left out.
        """
        path = self.endings_path(story)
        try:
            if path.stat().st_size > MAX_ENDINGS_BYTES:
                return frozenset()
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            return frozenset()
        if not isinstance(data, dict) or data.get("story") != story.id:
            return frozenset()
        found = data.get("found")
        if not isinstance(found, list):
            return frozenset()
        endings = {scene.id for scene in story.endings}
        return frozenset(s for s in found if isinstance(s, str) and s in endings)

    def record_ending(self, story: Story, scene_id: str) -> frozenset[str]:
        """Remember that ``scene_id`` was reached; the endings found now.

        Raises OSError when the file cannot be written.
        """
        found = self.endings_found(story)
        if scene_id in found:
            return found
        found = found | {scene_id}
        data = {"carnet_endings": ENDINGS_VERSION, "story": story.id, "found": sorted(found)}
        write_atomic(self.endings_path(story), json.dumps(data, ensure_ascii=False) + "\n")
        return found


__all__ = [
    "AUTOSAVE",
    "QUICKSAVE",
    "BadSaveName",
    "Loaded",
    "SaveError",
    "UserData",
    "check_save_name",
    "data_dir",
    "file_component",
]
