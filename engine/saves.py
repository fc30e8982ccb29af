"""Game states to JSON and back, and atomic save files.

A save names its story and the story's fingerprint. A save still loads after
the story was edited, as long as its scene exists: variables no longer
declared are dropped, new ones take their defaults, and the caller gets notes
to tell the player. A save of another story, a save whose scene is gone, or a
file that is not a save is refused with :class:`SaveError`.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from carnet.engine.expr.nodes import value_type
from carnet.engine.model import Story
from carnet.engine.state import State

SAVE_VERSION = 1
MAX_SAVE_BYTES = 16 * 1024 * 1024


class SaveError(Exception):
    """A save that cannot be used, with a message for the player."""


@attrs.frozen
class Loaded:
    state: State
    undo: tuple[State, ...]
    notes: tuple[str, ...]


def state_to_dict(state: State) -> dict[str, Any]:
    return {
        "scene": state.scene,
        "turn": state.turn,
        "vars": dict(sorted(state.vars.items())),
        "visits": dict(sorted(state.visits.items())),
        "once": sorted(state.once),
        "path": list(state.path),
    }


def dumps(story: Story, state: State, undo: Sequence[State] = ()) -> str:
    """The save file's text: stable key order, so equal states give equal bytes."""
    data = {
        "carnet_save": SAVE_VERSION,
        "story": story.id,
        "fingerprint": story.fingerprint,
        "state": state_to_dict(state),
        "undo": [state_to_dict(s) for s in undo],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _state_from_dict(story: Story, data: Any, notes: list[str]) -> State:
    if not isinstance(data, dict):
        raise SaveError("the save has no game state")
    scene = data.get("scene")
    if not isinstance(scene, str):
        raise SaveError("the save has no current scene")
    if scene not in story.scenes:
        raise SaveError(f"the save is at scene {scene!r}, which the story no longer has")
    turn = data.get("turn", 0)
    raw_vars = data.get("vars", {})
    raw_visits = data.get("visits", {})
    once = data.get("once", [])
    path = data.get("path", [])
    if (not isinstance(turn, int) or isinstance(turn, bool) or turn < 0
            or not isinstance(raw_vars, dict) or not isinstance(raw_visits, dict)
            or not isinstance(once, list) or not isinstance(path, list)):
        raise SaveError("the save's state is malformed")
    variables = story.defaults()
    for name, value in raw_vars.items():
        declared = story.variables.get(name)
        if declared is None:
            notes.append(f"variable {name!r} is no longer in the story; dropped")
        elif not isinstance(value, (bool, int, str)) or value_type(value) != declared.type:
            notes.append(f"variable {name!r} changed type; it starts again at "
                         f"{declared.default!r}")
        else:
            variables[name] = value
    for name in sorted(story.variables.keys() - raw_vars.keys()):
        notes.append(f"new variable {name!r} starts at {story.variables[name].default!r}")
    visits = {s: n for s, n in raw_visits.items()
              if s in story.scenes and isinstance(n, int) and not isinstance(n, bool) and n >= 0}
    kept_once = frozenset(k for k in once if isinstance(k, str) and k.split("#")[0] in story.scenes)
    kept_path = tuple(s for s in path if isinstance(s, str) and s in story.scenes)
    return State(scene=scene, vars=variables, visits=visits, turn=turn, once=kept_once,
                 path=kept_path)


def loads(story: Story, text: str) -> Loaded:
    """Read a save's text for ``story``. Raises :class:`SaveError`."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise SaveError(f"the save is corrupt ({err})") from None
    if not isinstance(data, dict) or "carnet_save" not in data:
        raise SaveError("this is not a carnet save")
    version = data["carnet_save"]
    if version != SAVE_VERSION:
        raise SaveError(f"the save has format {version!r}; this carnet reads {SAVE_VERSION}")
    if data.get("story") != story.id:
        raise SaveError(f"the save belongs to the story {data.get('story')!r}, "
                        f"not {story.id!r}")
    notes: list[str] = []
    state = _state_from_dict(story, data.get("state"), notes)
    undo: list[State] = []
    raw_undo = data.get("undo", [])
    if isinstance(raw_undo, list):
        for item in raw_undo:
            with contextlib.suppress(SaveError):
                undo.append(_state_from_dict(story, item, []))
    if data.get("fingerprint") != story.fingerprint:
        notes.insert(0, "the story has changed since this save was made")
    return Loaded(state, tuple(undo), tuple(dict.fromkeys(notes)))


def read(story: Story, path: Path) -> Loaded:
    """Read a save file. Raises :class:`SaveError` (also for I/O problems)."""
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path} is too large to be a save")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SaveError(f"no save at {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SaveError(f"cannot read {path}: {err}") from None
    return loads(story, text)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old file or the new
    one, never half of one: a temp file in the same folder, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write(story: Story, path: Path, state: State, undo: Sequence[State] = ()) -> None:
    write_atomic(path, dumps(story, state, undo))
