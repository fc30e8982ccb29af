"""Game states to JSON and back: the save file format.

A save names its story and the story's fingerprint. A save still loads after
the story was edited, as long as its scene exists: variables no longer
declared are dropped, new ones take their defaults, and the caller gets notes
to tell the player. A save of another story, a save whose scene is gone, or a
file that is not a save is refused with :class:`SaveError`.

The format evolves: ``carnet_save`` is the format a save was written in and
``min_compatible`` the oldest format a reader must know to read it (a later
format that only adds keys keeps an older ``min_compatible``, so older
carnets still read it). A save older than :data:`SAVE_VERSION` is brought up
to date by one migration function per version step (:data:`MIGRATIONS`);
tests/fixtures/saves keeps a save of every released format, which must keep
loading.

To change the format: raise :data:`SAVE_VERSION`; add ``MIGRATIONS[old]``,
a function from the old format's JSON to the new one's; set
:data:`MIN_COMPATIBLE` to the new version unless the change only adds keys an
older reader may ignore; write a save with the new code into
``tests/fixtures/saves/vNEW/`` (the fixtures of older versions stay as they
are); add a line below. ``tests/test_saves.py`` checks that every step has
its migration, ``tests/test_save_fixtures.py`` that every fixture loads.

Format history:

1. ``scene#N`` once-only flags (by the choice's position in its scene).
2. once-only flags keyed by scene, target and a hash of the choice's text
   (:func:`engine.state.once_key`), so reordering choices keeps them;
   ``min_compatible`` added.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from carnet.engine.expr.nodes import value_type
from carnet.engine.files import NotReadable, read_text_limited, write_atomic
from carnet.engine.model import Story
from carnet.engine.state import State, once_key

SAVE_VERSION = 2
"""The format this carnet writes."""
MIN_COMPATIBLE = 2
"""The oldest format a reader must know to read what this carnet writes."""
OLDEST_READABLE = 1
"""The oldest format this carnet still reads (by migration)."""
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
        "min_compatible": MIN_COMPATIBLE,
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
    kept_once = frozenset(k for k in once if isinstance(k, str)
                          and k.partition(">")[0] in story.scenes)
    kept_path = tuple(s for s in path if isinstance(s, str) and s in story.scenes)
    return State(scene=scene, vars=variables, visits=visits, turn=turn, once=kept_once,
                 path=kept_path)


def _v1_once_key(story: Story, key: object) -> object:
    """A format-1 flag ``scene#N`` as the flag of the choice now at position N."""
    if not isinstance(key, str) or "#" not in key:
        return key
    scene_id, _, number = key.partition("#")
    scene = story.scenes.get(scene_id)
    if scene is None or not (number.isascii() and number.isdigit()) or len(number) > 6:
        return key
    index = int(number) - 1
    if not 0 <= index < len(scene.choices):
        return key
    return once_key(scene_id, scene.choices[index])


def _migrate_1_to_2(data: dict[str, Any], story: Story) -> dict[str, Any]:
    """Position-keyed once-only flags become flags of the choices now at those
    positions (the best a format-1 save allows)."""
    def migrate_state(item: object) -> object:
        if isinstance(item, dict) and isinstance(item.get("once"), list):
            return {**item, "once": [_v1_once_key(story, k) for k in item["once"]]}
        return item

    undo = data.get("undo")
    return {**data, "carnet_save": 2, "min_compatible": 2,
            "state": migrate_state(data.get("state")),
            "undo": [migrate_state(u) for u in undo] if isinstance(undo, list) else undo}


Migration = Callable[[dict[str, Any], Story], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {
    1: _migrate_1_to_2,
}
"""Version N -> the function that turns a format-N save into format N+1."""


def _version(data: dict[str, Any], key: str, default: object) -> int | None:
    value = data.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1_000_000:
        return value
    return None


def upgrade(data: dict[str, Any], story: Story) -> dict[str, Any]:
    """``data`` (a save's JSON object) in the current format. Raises :class:`SaveError`."""
    version = _version(data, "carnet_save", None)
    if version is None:
        raise SaveError(f"the save has format {data['carnet_save']!r}, which is not "
                        "a format version")
    needs = _version(data, "min_compatible", version)
    if needs is None:
        raise SaveError(f"the save's min_compatible {data.get('min_compatible')!r} is not "
                        "a format version")
    if needs > SAVE_VERSION:
        raise SaveError(f"the save was written by a newer carnet (format {version}, readable "
                        f"from format {needs}); this carnet reads formats "
                        f"{OLDEST_READABLE}-{SAVE_VERSION}: update carnet to load it")
    if version < OLDEST_READABLE:
        raise SaveError(f"the save has format {version}, older than this carnet reads "
                        f"({OLDEST_READABLE}-{SAVE_VERSION})")
    while version < SAVE_VERSION:
        data = MIGRATIONS[version](data, story)
        version += 1
    return data


def loads(story: Story, text: str) -> Loaded:
    """Read a save's text for ``story``. Raises :class:`SaveError`."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:  # ValueError: also a 5,000-digit number
        raise SaveError(f"the save is corrupt ({err})") from None
    if not isinstance(data, dict) or "carnet_save" not in data:
        raise SaveError("this is not a carnet save")
    if data.get("story") != story.id:
        raise SaveError(f"the save belongs to the story {data.get('story')!r}, "
                        f"not {story.id!r}")
    data = upgrade(data, story)
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
        text = read_text_limited(path, MAX_SAVE_BYTES)
    except FileNotFoundError:
        raise SaveError(f"no save at {path}") from None
    except NotReadable as err:
        raise SaveError(f"{err}, not a save") from None
    except UnicodeDecodeError:
        raise SaveError(f"{path} is not UTF-8 text, not a save") from None
    except OSError as err:
        raise SaveError(f"cannot read {path}: {err.strerror or err}") from None
    return loads(story, text)


def write(story: Story, path: Path, state: State, undo: Sequence[State] = ()) -> None:
    write_atomic(path, dumps(story, state, undo))
