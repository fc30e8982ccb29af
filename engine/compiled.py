"""A loaded story as bytes, and back: the format of the compiled cache.

The format is JSON (never pickle: reading it runs no code), in three parts::

    carnet-compiled <format> <schema> <fingerprint> <check> <index length>\\n
    <index: JSON, the story's metadata, its files and where each scene is>
    <body: each scene's JSON, one after the other>

Scenes stay encoded until they are used (:class:`~carnet.engine.model.LazyScenes`),
so reading the cache costs a check of the bytes and the index, not the whole
story. ``schema`` is a hash of the model's classes and their fields: a carnet
whose model differs never reads another's cache. ``check`` is the CRC-32 and
the length of everything after the header (``<crc32 hex>:<length>``): it
catches a damaged or truncated file. It is not a defence against someone who
forges an entry on purpose (the cache is the user's own folder, written by
carnet); an edited story is never served stale because the entry's name and
header carry the sha256 of the story's files. Everything read is checked
(header, check, types) and any doubt is a :class:`CompiledError`; the caller
then loads the story from its files.

Model objects are encoded positionally and generically: an attrs instance of
a class in the registry (the classes of :mod:`carnet.engine.model`,
:mod:`carnet.engine.template` and :mod:`carnet.engine.expr.nodes`) is
``[code, field, field...]`` with ``code`` its number (>= 1) in :data:`CODES`;
a tuple is a list (written ``[0, items...]`` when its first item is an
integer, so that it cannot be read as an object); a frozenset is
``[-1, sorted items...]``; a string met earlier in the same scene is
``[-2, n]`` (the n-th long string, shared again when read); a long string
made of paragraphs met before (the source of a compiled text) is
``[-3, pieces...]``, the paragraphs as references; plain JSON
values stay as they are. An ``Expression`` or ``Effect`` is written as its
source alone and parsed again when read (once per source): the tree is most
of its size, and parsing gives back the very value the loader made.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from itertools import repeat
from typing import Any

import attrs

from carnet.engine import model, template
from carnet.engine.digest import sha256
from carnet.engine.expr import ExprError, nodes, parse_effect, parse_expression
from carnet.engine.model import LazyScenes, Scene, Source, Story, Variable
from carnet.engine.template import paragraph_spans

FORMAT = "4"
MAGIC = b"carnet-compiled"


def entry_key(fingerprint: str) -> str:
    """The cache entry's name for a story whose files hash to ``fingerprint``:
    the format too, so carnets of two formats sharing a cache folder each keep
    their own entry instead of replacing each other's at every load."""
    return f"{fingerprint}-{FORMAT}"


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
CODES = {name: code for code, name in enumerate(sorted(CLASSES), start=1)}
_BY_CODE: list[type | None] = [None, *(CLASSES[name] for name in sorted(CLASSES))]
_TUPLE, _SET, _REF, _ROPE = 0, -1, -2, -3  # the other leading codes of a list
SCHEMA = sha256(
    "\n".join(f"{name}({','.join(f.name for f in attrs.fields(cls))})"
              for name, cls in sorted(CLASSES.items())).encode()
).hexdigest()[:16]


# -- encoding ---------------------------------------------------------------------
_SHARED = 16  # strings this long are written once a scene, then as [-2, n]


def _encode(value: Any, strings: dict[str, int]) -> Any:
    kind = type(value)
    if kind is str:
        if len(value) < _SHARED:
            return value
        known_string = strings.get(value)
        if known_string is not None:
            return [_REF, known_string]
        rope = _rope(value, strings) if "\n" in value else None
        strings[value] = len(strings)  # after its pieces, as the reader meets them
        return value if rope is None else rope
    if value is None or kind is bool or kind is int:
        return value
    if kind is tuple:
        items = [_encode(item, strings) for item in value]
        if value and type(value[0]) is int:
            items.insert(0, _TUPLE)
        return items
    if kind is frozenset:
        return [_SET, *sorted(_encode(item, strings) for item in value)]
    name = kind.__name__
    if CLASSES.get(name) is not kind:
        raise CompiledError(f"cannot compile a {name}")
    if kind is nodes.Expression or kind is nodes.Effect:  # its source: parsed again when read
        return [CODES[name], _encode(value.source, strings)]
    return [CODES[name], *[_encode(getattr(value, f.name), strings)
                           for f in attrs.fields(kind)]]


def _rope(text: str, strings: dict[str, int]) -> list[Any] | None:
    """``text`` as ``[-3, pieces...]`` when each of its paragraphs was met
    already (the source of compiled text, whose paragraphs the scene lists):
    the paragraphs as references, the blank lines between them as they are."""
    pieces: list[Any] = [_ROPE]
    done = 0
    for offset, paragraph in paragraph_spans(text):
        if paragraph not in strings:
            return None
        if offset > done:
            pieces.append(text[done:offset])
        pieces.append(paragraph)
        done = offset + len(paragraph)
    if done == 0:
        return None
    if done < len(text):
        pieces.append(text[done:])
    return [pieces[0], *[_encode(piece, strings) for piece in pieces[1:]]]


def _runs(values: list[int]) -> Iterator[list[int]]:
    """``[value, count]`` for each run of equal values."""
    count = 0
    for i, value in enumerate(values):
        count += 1
        if i + 1 == len(values) or values[i + 1] != value:
            yield [value, count]
            count = 0


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
        chunk = dumps(_encode(scene, {})).encode("utf-8")
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
        # the file of each scene, as runs: [file index, how many scenes in a row]
        "scene_files": list(_runs([scene_files[sid] for sid in story.scenes])),
        "scene_ends": ends,  # where each scene's JSON ends in the body
        "endings": [sid for sid, scene in story.scenes.items() if scene.is_ending],
    }
    # ASCII: a file name that is not UTF-8 (``caf\udce9.yaml``) survives as an escape
    head = json.dumps(index, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    rest = head + b"".join(body)
    header = b" ".join([MAGIC, FORMAT.encode(), SCHEMA.encode(), story.fingerprint.encode(),
                        _check(rest), str(len(head)).encode()]) + b"\n"
    return header + rest


def _check(rest: bytes | memoryview) -> bytes:
    return f"{zlib.crc32(rest):08x}:{len(rest)}".encode()


# -- decoding ---------------------------------------------------------------------
@attrs.frozen
class Compiled:
    """What the cache gives back: the story and where its scenes are."""

    story: Story
    files: tuple[str, ...]
    story_file: str
    scene_files: dict[str, str]


# decoded once per distinct source text: these are immutable values
# (written as their source alone, parsed again: the same value as the loader's)
_EXPRESSION = CODES["Expression"]
_BY_SOURCE = frozenset({_EXPRESSION, CODES["Effect"]})


def _decode(value: Any, memo: dict[tuple[int, str], Any], table: list[str],
            seen: dict[str, int]) -> Any:
    """``table`` and ``seen``: the scene's long strings in the order met, so
    that ``[-2, n]`` is the n-th (and the same object: shared again)."""
    kind = type(value)
    if kind is str:
        if len(value) >= _SHARED:
            if value in seen:
                return table[seen[value]]
            seen[value] = len(table)
            table.append(value)
        return value
    if kind is not list:
        if kind is dict or kind is float:
            raise CompiledError("not a value of the model")
        return value
    if not value:
        return ()
    code = value[0]
    if type(code) is not int:
        return tuple([_decode(item, memo, table, seen) for item in value])
    if code > 0:
        cls = _BY_CODE[code]
        if code in _BY_SOURCE:
            source = _decode(value[1], memo, table, seen)
            key = (code, source)
            known = memo.get(key)
            if known is None:
                _need(type(source) is str and len(value) == 2, "bad expression")
                try:
                    known = memo[key] = (parse_expression(source) if code == _EXPRESSION
                                         else parse_effect(source))
                except ExprError:
                    raise CompiledError("an expression that does not parse") from None
            return known
        return cls(*[_decode(item, memo, table, seen)  # type: ignore[misc]
                     for item in value[1:]])
    if code == _TUPLE:
        return tuple([_decode(item, memo, table, seen) for item in value[1:]])
    if code == _SET:
        return frozenset([_decode(item, memo, table, seen) for item in value[1:]])
    if code == _REF:
        return table[value[1]]
    if code == _ROPE:
        pieces = [_decode(item, memo, table, seen) for item in value[1:]]
        _need(all(type(piece) is str for piece in pieces), "bad text")
        return _decode("".join(pieces), memo, table, seen)  # met, as the writer did
    raise CompiledError(f"unknown code {code}")


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise CompiledError(what)


def decode(data: bytes, story_id: str, fingerprint: str, shown: str = "") -> Compiled:
    """Read compiled bytes for the story whose files hash to ``fingerprint``.
    Raises :class:`CompiledError` for anything else (another story, another
    carnet, a damaged or truncated file). ``scene_files`` of the result name
    each scene's file as ``shown`` followed by its relative path."""
    try:
        return _decode_checked(data, story_id, fingerprint, shown)
    except CompiledError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as err:
        raise CompiledError(f"unreadable: {type(err).__name__}") from None


def _decode_checked(data: bytes, story_id: str, fingerprint: str, shown: str) -> Compiled:
    end = data.find(b"\n", 0, 512)
    _need(end > 0, "no header")
    parts = data[:end].split(b" ")
    _need(len(parts) == 6 and parts[0] == MAGIC, "not a compiled story")
    _need(parts[1] == FORMAT.encode() and parts[2] == SCHEMA.encode(), "another carnet's cache")
    _need(parts[3] == fingerprint.encode(), "another story, or other files")
    rest = memoryview(data)[end + 1:]
    _need(_check(rest) == parts[4], "damaged or truncated")
    head_len = int(parts[5])
    _need(0 < head_len <= len(rest), "bad index length")
    index = json.loads(bytes(rest[:head_len]))
    _need(isinstance(index, dict), "bad index")
    files = index["files"]
    _need(isinstance(files, list) and all(isinstance(f, str) for f in files), "bad files")
    story_file = files[index["story_file"]]
    base = end + 1 + head_len  # where the body starts in ``data`` (not copied)
    body_len = len(data) - base
    ids, runs, ends = index["scene_ids"], index["scene_files"], index["scene_ends"]
    _need(isinstance(ids, list) and isinstance(runs, list) and isinstance(ends, list)
          and len(ids) == len(ends), "bad scene index")
    _need(set(map(type, ids)) <= {str} and set(map(type, ends)) <= {int}, "bad scene index")
    _need(ends == sorted(ends) and (not ends or (ends[0] >= 0 and ends[-1] == body_len)),
          "bad scene offsets")
    _need(all(type(run) is list and len(run) == 2 and type(run[0]) is type(run[1]) is int
              and 0 <= run[0] < len(files) and run[1] > 0 for run in runs)
          and sum(run[1] for run in runs) == len(ids), "bad file index")
    places = dict(zip(ids, range(len(ids)), strict=True))
    _need(len(places) == len(ids), "a scene twice")
    shown_files = [shown + name for name in files]
    in_files = [name for i, count in runs for name in repeat(shown_files[i], count)]
    scene_files = dict(zip(ids, in_files, strict=True))
    memo: dict[tuple[int, str], Any] = {}

    def build(sid: str) -> Scene:
        i = places[sid]
        raw = json.loads(data[base + (ends[i - 1] if i else 0):base + ends[i]])
        scene = _decode(raw, memo, [], {})
        if not isinstance(scene, Scene) or scene.id != sid:  # pragma: no cover - check passed
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
