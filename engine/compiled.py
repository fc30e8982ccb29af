"""A loaded story as bytes, and back: the format of the compiled cache.

The format is JSON (never pickle: reading it runs no code), in three parts::

    carnet-compiled <format> <schema> <fingerprint> <sha256 of the rest> <index length>\\n
    <index: JSON, the story's metadata, its files and where each scene is>
    <body: each scene's JSON, one after the other>

Scenes stay encoded until they are used (:class:`~carnet.engine.model.LazyScenes`),
so reading the cache costs a hash of the bytes and the index, not the whole
story. ``schema`` is a hash of the model's classes and their fields: a carnet
whose model differs never reads another's cache. Everything read is checked
(header, digest, types) and any doubt is a :class:`CompiledError`; the caller
then loads the story from its files.

Model objects are encoded generically: an attrs instance of a class in the
registry (the classes of :mod:`carnet.engine.model`, :mod:`carnet.engine.template`
and :mod:`carnet.engine.expr.nodes`) is ``{"@": "Name", "f": [fields...]}``, a
tuple a list, a frozenset ``{"s": [sorted items]}``; plain JSON values stay
as they are.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

from carnet.engine import model, template
from carnet.engine.expr import nodes
from carnet.engine.model import LazyScenes, Scene, Source, Story, Variable

FORMAT = "3"
MAGIC = b"carnet-compiled"


class CompiledError(ValueError):
    """Bytes that are not a compiled story this carnet can use."""


def _registry() -> dict[str, type]:
    found: dict[str, type] = {}
    for module in (nodes, model, template):
        for name, value in vars(module).items():
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__:
                found[name] = value
    return found


CLASSES = _registry()
SCHEMA = hashlib.sha256(
    "\n".join(f"{name}({','.join(f.name for f in attrs.fields(cls))})"
              for name, cls in sorted(CLASSES.items())).encode()
).hexdigest()[:16]


# -- encoding ---------------------------------------------------------------------
_SHARED = 32  # strings this long are written once a scene, then as {"r": n}


def _encode(value: Any, memo: dict[int, Any], strings: dict[str, int]) -> Any:
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        if len(value) < _SHARED:
            return value
        known_string = strings.get(value)
        if known_string is not None:
            return {"r": known_string}
        strings[value] = len(strings)
        return value
    if isinstance(value, tuple):
        return [_encode(item, memo, strings) for item in value]
    if isinstance(value, frozenset):
        return {"s": sorted(_encode(item, memo, strings) for item in value)}
    cls = type(value)
    name = cls.__name__
    if CLASSES.get(name) is not cls:
        raise CompiledError(f"cannot compile a {name}")
    known = memo.get(id(value))
    if known is None:
        known = {"@": name, "f": [_encode(getattr(value, f.name), memo, strings)
                                  for f in attrs.fields(cls)]}
        memo[id(value)] = known
    return known


def encode(story: Story, files: list[str], scene_files: dict[str, int],
           story_file: int) -> bytes:
    """``story`` as compiled bytes; ``files`` are the story's files (relative
    paths), ``scene_files`` the index in ``files`` of each scene's file."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    body: list[bytes] = []
    ends: list[int] = []
    offset = 0
    for scene in story.scenes.values():
        # per scene: an object met twice is written twice, a long string once
        chunk = dumps(_encode(scene, {}, {})).encode("utf-8")
        body.append(chunk)
        offset += len(chunk)
        ends.append(offset)
    index = {
        "title": story.title,
        "description": story.description,
        "start": story.start,
        "source": None if story.source is None else [story.source.path, story.source.sha256],
        "vars": [[v.name, v.type, v.default] for v in story.variables.values()],
        "files": files,
        "story_file": story_file,
        "scene_ids": list(story.scenes),
        "scene_files": [scene_files[sid] for sid in story.scenes],
        "scene_ends": ends,  # where each scene's JSON ends in the body
        "endings": [sid for sid, scene in story.scenes.items() if scene.is_ending],
    }
    # ASCII: a file name that is not UTF-8 (``caf\udce9.yaml``) survives as an escape
    head = json.dumps(index, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    rest = head + b"".join(body)
    digest = hashlib.sha256(rest).hexdigest()
    header = b" ".join([MAGIC, FORMAT.encode(), SCHEMA.encode(), story.fingerprint.encode(),
                        digest.encode(), str(len(head)).encode()]) + b"\n"
    return header + rest


# -- decoding ---------------------------------------------------------------------
@attrs.frozen
class Compiled:
    """What the cache gives back: the story and where its scenes are."""

    story: Story
    files: tuple[str, ...]
    story_file: str
    scene_files: dict[str, str]


# decoded once per distinct source text: these are immutable values
_BY_SOURCE = frozenset({"Expression", "Effect"})


_PLAIN = frozenset({str, int, bool, type(None)})


def _decode(value: Any, memo: dict[tuple[str, str], Any], table: list[str],
            seen: dict[str, int]) -> Any:
    """``table`` and ``seen``: the scene's long strings in the order met, so
    that ``{"r": n}`` is the n-th (and the same object: shared again)."""
    kind = type(value)
    if kind is str:
        if len(value) >= _SHARED:
            if value in seen:
                return table[seen[value]]
            seen[value] = len(table)
            table.append(value)
        return value
    if kind is list:
        return tuple([item if type(item) in _PLAIN and type(item) is not str
                      else _decode(item, memo, table, seen) for item in value])
    if kind is not dict:
        return value
    if "r" in value:
        return table[value["r"]]
    name = value.get("@")
    if name is None:
        return frozenset(_decode(item, memo, table, seen) for item in value["s"])
    cls = CLASSES[name]
    fields = value["f"]
    if type(fields) is not list:
        raise CompiledError("fields are not a list")
    if name in _BY_SOURCE:
        source = _decode(fields[0], memo, table, seen)
        key = (name, source)
        known = memo.get(key)
        if known is None:
            known = memo[key] = cls(source, *[_decode(item, memo, table, seen)
                                              for item in fields[1:]])
        else:  # still meet its long strings, as the writer did
            for item in fields[1:]:
                _decode(item, memo, table, seen)
        return known
    return cls(*[item if type(item) in _PLAIN and type(item) is not str
                 else _decode(item, memo, table, seen) for item in fields])


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise CompiledError(what)


def decode(data: bytes, story_id: str, fingerprint: str) -> Compiled:
    """Read compiled bytes for the story whose files hash to ``fingerprint``.
    Raises :class:`CompiledError` for anything else (another story, another
    carnet, a damaged or truncated file)."""
    try:
        return _decode_checked(data, story_id, fingerprint)
    except CompiledError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as err:
        raise CompiledError(f"unreadable: {type(err).__name__}") from None


def _decode_checked(data: bytes, story_id: str, fingerprint: str) -> Compiled:
    end = data.find(b"\n", 0, 512)
    _need(end > 0, "no header")
    parts = data[:end].split(b" ")
    _need(len(parts) == 6 and parts[0] == MAGIC, "not a compiled story")
    _need(parts[1] == FORMAT.encode() and parts[2] == SCHEMA.encode(), "another carnet's cache")
    _need(parts[3] == fingerprint.encode(), "another story, or other files")
    rest = memoryview(data)[end + 1:]
    _need(hashlib.sha256(rest).hexdigest().encode() == parts[4], "damaged or truncated")
    head_len = int(parts[5])
    _need(0 < head_len <= len(rest), "bad index length")
    index = json.loads(bytes(rest[:head_len]))
    _need(isinstance(index, dict), "bad index")
    files = index["files"]
    _need(isinstance(files, list) and all(isinstance(f, str) for f in files), "bad files")
    story_file = files[index["story_file"]]
    base = end + 1 + head_len  # where the body starts in ``data`` (not copied)
    body_len = len(data) - base
    ids, in_file, ends = index["scene_ids"], index["scene_files"], index["scene_ends"]
    _need(isinstance(ids, list) and isinstance(in_file, list) and isinstance(ends, list)
          and len(ids) == len(in_file) == len(ends), "bad scene index")
    _need(all(type(sid) is str for sid in ids) and all(type(e) is int for e in ends)
          and all(type(i) is int for i in in_file), "bad scene index")
    _need(ends == sorted(ends) and (not ends or (ends[0] >= 0 and ends[-1] == body_len)),
          "bad scene offsets")
    _need(not in_file or (min(in_file) >= 0 and max(in_file) < len(files)), "bad file index")
    places = dict(zip(ids, range(len(ids)), strict=True))
    _need(len(places) == len(ids), "a scene twice")
    scene_files = dict(zip(ids, [files[i] for i in in_file], strict=True))
    memo: dict[tuple[str, str], Any] = {}

    def build(sid: str) -> Scene:
        i = places[sid]
        raw = json.loads(data[base + (ends[i - 1] if i else 0):base + ends[i]])
        scene = _decode(raw, memo, [], {})
        if not isinstance(scene, Scene) or scene.id != sid:  # pragma: no cover - digest checked
            raise CompiledError(f"scene {sid!r} does not decode to itself")
        return scene

    endings = index["endings"]
    _need(isinstance(endings, list) and all(sid in places for sid in endings), "bad endings")
    endings = tuple(endings)
    variables = {}
    for name, kind, default in index["vars"]:
        _need(isinstance(name, str) and kind in ("bool", "int", "str"), "bad variable")
        variables[name] = Variable(name, kind, default)
    source = index["source"]
    story = Story(
        id=story_id,
        title=_str(index["title"]),
        start=_str(index["start"]),
        variables=variables,
        scenes=LazyScenes(places, build, endings),
        source=None if source is None else Source(_str(source[0]), _str(source[1])),
        fingerprint=fingerprint,
        description=_str(index["description"]),
    )
    return Compiled(story, tuple(files), story_file, scene_files)


def _str(value: Any) -> str:
    _need(isinstance(value, str), "expected a string")
    return str(value)

