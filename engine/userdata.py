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

Nothing the player made is lost: a save or an endings file that cannot be
read is kept aside (renamed ``NAME.unreadable-DATE-TIME``, see
:func:`engine.files.keep_aside`) before anything is written in its place, and
starting a new game over a game in progress keeps that game as a named save.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from carnet.engine.files import (
    UNREADABLE,
    NotReadable,
    keep_aside,
    move_no_replace,
    read_text_limited,
    write_atomic,
)
from carnet.engine.model import Story
from carnet.engine.saves import Loaded, SaveError, read, write
from carnet.engine.session import Session
from carnet.engine.state import State

AUTOSAVE = "autosave"
QUICKSAVE = "quicksave"
EARLIER = "earlier"  # a game in progress kept when a new game starts: earlier-1, earlier-2...
SAVE_SUFFIX = ".json"
ENDINGS_VERSION = 1
MAX_ENDINGS_BYTES = 1024 * 1024
MAX_HISTORY_BYTES = 4 * 1024 * 1024
_SAVE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class BadSaveName(ValueError):
    """A save name outside the safe alphabet, with a message for the player."""


@attrs.frozen
class Written:
    """A save written at ``path``; ``aside`` is where the unreadable file that
    was there before went, if there was one."""

    path: Path
    aside: Path | None = None

    def notes(self) -> tuple[str, ...]:
        if self.aside is None:
            return ()
        return (f"The file that was there could not be read as a save; it is kept as "
                f"{self.aside}.",)


@attrs.frozen
class Continued:
    """What ``--continue`` found: the save loaded, or why this is a new game
    (``refused``: there was an autosave, and it could not be used)."""

    loaded: Loaded | None
    message: str = ""
    refused: bool = False


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

    def usable_history(self) -> Path | None:
        """The history file, ready to be read and appended to. One that is not
        a regular file, is too large or cannot be opened for reading and
        writing is kept aside first, and a new one starts. None when there can
        be no history file (the folder cannot be made)."""
        path = self.history_path
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            try:
                info = os.stat(path)
            except FileNotFoundError:
                return path
            if (stat.S_ISREG(info.st_mode) and info.st_size <= MAX_HISTORY_BYTES
                    and os.access(path, os.R_OK | os.W_OK)):
                return path
            keep_aside(path)
        except OSError:
            return None
        return path

    # -- saves -----------------------------------------------------------------
    def save_folder(self, story: Story) -> Path:
        return self.saves_root / file_component(story.id)

    def save_path(self, story: Story, name: str) -> Path:
        """The file of save ``name``; raises :class:`BadSaveName`."""
        return self.save_folder(story) / (check_save_name(name) + SAVE_SUFFIX)

    def save_names(self, story: Story) -> list[str]:
        """The names of this story's saves, sorted (names outside the safe
        alphabet are skipped). Every file counts, even one that is not a
        regular file: reading it says what is wrong with it."""
        try:
            files = list(self.save_folder(story).glob("*" + SAVE_SUFFIX))
        except OSError:
            return []
        names = (f.name[: -len(SAVE_SUFFIX)] for f in files)
        return sorted(n for n in names if _SAVE_NAME.match(n))

    def kept_aside(self, story: Story) -> list[Path]:
        """The files of this story's save folder kept aside as unreadable, sorted."""
        try:
            return sorted(self.save_folder(story).glob(f"*{UNREADABLE}-*"))
        except OSError:
            return []

    def write_save(self, story: Story, name: str, state: State,
                   undo: Sequence[State] = ()) -> Written:
        """Write save ``name`` atomically; a file there that cannot be read as a
        save of ``story`` is kept aside first (and put back if the write fails,
        so a failed save leaves everything where it was). Raises BadSaveName
        or OSError."""
        path = self.save_path(story, name)
        aside = None
        if os.path.lexists(path):
            try:
                read(story, path)
            except SaveError:
                aside = keep_aside(path)
        try:
            write(story, path, state, undo)
        except OSError:
            if aside is not None:
                with contextlib.suppress(OSError):
                    move_no_replace(aside, path)
            raise
        return Written(path, aside)

    def read_save(self, story: Story, name: str) -> Loaded:
        """Read save ``name``. Raises BadSaveName or SaveError (never OSError)."""
        return read(story, self.save_path(story, name))

    def has_save(self, story: Story, name: str) -> bool:
        """Whether there is a file (readable or not) for save ``name``."""
        return os.path.lexists(self.save_path(story, name))

    def resume(self, session: Session, name: str = AUTOSAVE) -> Loaded:
        """Put save ``name`` (the autosave) into ``session``, undo history too.

        Raises SaveError or BadSaveName (the session is then untouched).
        """
        loaded = self.read_save(session.story, name)
        session.restore(loaded.state, loaded.undo)
        return loaded

    def continue_game(self, session: Session) -> Continued:
        """``--continue``, for every player: the autosave put into ``session``,
        or a new game and why. An autosave that cannot be read is kept aside
        (the message says where), so the new game's autosave cannot replace it.
        """
        story = session.story
        if not self.has_save(story, AUTOSAVE):
            return Continued(None, f"No saved game of {story.id!r} to continue: a new game.")
        try:
            return Continued(self.resume(session))
        except SaveError as err:
            path = self.save_path(story, AUTOSAVE)
            try:
                aside = keep_aside(path)
            except OSError as move:
                return Continued(None, f"Cannot continue: {err}. Starting a new game. The "
                                 f"autosave could not be moved aside ({move.strerror}); it "
                                 "stays where it is, and will not be saved over.", refused=True)
            return Continued(None, f"Cannot continue: {err}. Starting a new game; the "
                             f"unreadable autosave is kept as {aside}.", refused=True)

    def keep_in_progress(self, story: Story) -> str | Path | None:
        """Before a new game of ``story``: move the autosave of the game in
        progress, if any, to a new named save (``earlier-N``): its name (a
        str). An unreadable autosave is kept aside instead: its new path (a
        Path). None when there is no autosave. Raises OSError.
        """
        path = self.save_path(story, AUTOSAVE)
        if not os.path.lexists(path):
            return None
        try:
            read(story, path)
        except SaveError:
            return keep_aside(path)
        number = 1
        while True:
            name = f"{EARLIER}-{number}"
            try:
                move_no_replace(path, self.save_path(story, name))
            except FileExistsError:
                number += 1
                continue
            return name

    # -- endings ---------------------------------------------------------------
    def endings_path(self, story: Story) -> Path:
        return self.root / "endings" / (file_component(story.id) + ".json")

    def endings_found(self, story: Story) -> frozenset[str]:
        """Scene ids of the endings of ``story`` found so far.

        A missing, unreadable or malformed file counts as none found; ids that
        are no longer endings of the story are left out.
        """
        found = self._read_endings(story)
        return frozenset() if found is None else found

    def _read_endings(self, story: Story) -> frozenset[str] | None:
        """The endings found, or None when the file exists but cannot be read."""
        path = self.endings_path(story)
        try:
            data = json.loads(read_text_limited(path, MAX_ENDINGS_BYTES))
        except FileNotFoundError:
            return frozenset()
        except (OSError, NotReadable, UnicodeDecodeError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("story") != story.id:
            return None
        found = data.get("found")
        if not isinstance(found, list):
            return None
        endings = {scene.id for scene in story.endings}
        return frozenset(s for s in found if isinstance(s, str) and s in endings)

    def record_ending(self, story: Story, scene_id: str) -> frozenset[str]:
        """Remember that ``scene_id`` was reached; the endings found now.

        An endings file that cannot be read is kept aside before the new one
        is written. Raises OSError when the file cannot be written.
        """
        path = self.endings_path(story)
        read_back = self._read_endings(story)
        if read_back is None:
            keep_aside(path)
        found = read_back or frozenset()
        if scene_id in found:
            return found
        found = found | {scene_id}
        data = {"carnet_endings": ENDINGS_VERSION, "story": story.id, "found": sorted(found)}
        write_atomic(path, json.dumps(data, ensure_ascii=False) + "\n")
        return found


__all__ = [
    "AUTOSAVE",
    "EARLIER",
    "QUICKSAVE",
    "BadSaveName",
    "Continued",
    "Loaded",
    "SaveError",
    "UserData",
    "Written",
    "check_save_name",
    "data_dir",
    "file_component",
]
