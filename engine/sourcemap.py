"""Where things are in a story's YAML files, looked up only when needed.

Loading keeps no positions: the map knows which file holds each scene, and
when a position is asked for, it reads that one file again with
:func:`carnet.engine.yamlio.read_yaml` (which records where every entry is)
and walks a key path (``("choices", 0, "to")``) through it. A story that is
only played never pays for positions; a story with errors re-reads only the
files concerned. A file that changed since it was loaded (its digest differs)
gives no positions rather than wrong ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from carnet.engine.digest import sha256
from carnet.engine.yamlio import Document, YamlProblem, decode, read_file, read_yaml


@attrs.frozen
class Pos:
    """A 1-based position in a file; ``style`` is the YAML scalar style of the
    value there (``None``/``""`` plain, ``'`` or ``"`` quoted, ``|``/``>`` block
    followed by the block's indentation, e.g. ``|6``)."""

    path: str
    line: int
    col: int
    style: str | None = attrs.field(default=None, eq=False)

    def offset(self, offset: int, source: str) -> Pos:
        """The position of character ``offset`` of the scalar ``source`` found here."""
        if self.style and self.style[0] in "|>":  # "|" then the content's indentation
            before = source[:offset]
            line = self.line + 1 + before.count("\n")
            indent = int(self.style[1:] or 0)
            return Pos(self.path, line, indent + offset - (before.rfind("\n") + 1) + 1)
        if "\n" in source[:offset]:  # a multi-line flow scalar: the line is enough
            return Pos(self.path, self.line + source[:offset].count("\n"), 1)
        quote = 1 if self.style in ("'", '"') else 0
        return Pos(self.path, self.line, self.col + quote + offset)


@attrs.frozen
class FileRef:
    """A story file: where it is on disk and the sha256 of the bytes loaded."""

    file: Path
    digest: bytes


class SourceMap:
    """Positions of the story's metadata and of each scene's parts.

    Files are named by their display path (``story/town.yaml``); scenes and
    ``story.yaml`` are found under their file's top-level mapping.
    """

    def __init__(self) -> None:
        self._story: str | None = None
        self._scenes: dict[str, str] = {}
        self._files: dict[str, FileRef] = {}
        self._docs: dict[str, Document | None] = {}
        # scene -> (index of its first added choice, file) for each ``extend:`` of it
        self._extensions: dict[str, list[tuple[int, str]]] = {}
        self._variables: dict[str, str] = {}  # variable -> the file declaring it

    def add_file(self, path: str, file: Path, digest: bytes) -> None:
        self._files[path] = FileRef(file, digest)

    def set_story(self, path: str) -> None:
        self._story = path

    def add_scene(self, scene_id: str, path: str) -> None:
        self._scenes.setdefault(scene_id, path)

    def add_variable(self, name: str, path: str) -> None:
        """``name`` is declared under ``vars:`` in file ``path`` (any file may)."""
        self._variables.setdefault(name, path)

    def _story_file(self, path: tuple[Any, ...]) -> str | None:
        """The file of ``story(*path)``: the declaring file for ``("vars", name)``."""
        if len(path) >= 2 and path[0] == "vars" and path[1] in self._variables:
            return self._variables[path[1]]
        return self._story

    def add_extension(self, scene_id: str, start: int, path: str) -> None:
        """Choices ``start``, ``start + 1``... of the scene are written in file
        ``path`` under ``extend: {scene_id: {choices: [...]}}``."""
        self._extensions.setdefault(scene_id, []).append((start, path))

    def scene_keys(self, scene_id: str, *path: Any) -> tuple[Any, ...] | None:
        """The file, then the key path in it, of ``path`` inside the scene
        (following ``extend:`` for added choices)."""
        if len(path) >= 2 and path[0] == "choices" and isinstance(path[1], int):
            for start, extending in reversed(self._extensions.get(scene_id, ())):
                if path[1] >= start:
                    return (extending, "extend", scene_id, "choices", path[1] - start, *path[2:])
        file = self._scenes.get(scene_id)
        return None if file is None else (file, "scenes", scene_id, *path)
    def add_scenes(self, scene_files: dict[str, str]) -> None:
        """Many scenes at once: scene id -> the display path of its file."""
        if not self._scenes:
            self._scenes = dict(scene_files)
            return
        for scene_id, path in scene_files.items():
            self._scenes.setdefault(scene_id, path)

    def scene_files(self) -> dict[str, str]:
        """Scene id -> the display path of the file that defines it."""
        return dict(self._scenes)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self._files)

    def scene_file(self, scene_id: str) -> str | None:
        return self._scenes.get(scene_id)

    def document(self, path: str) -> Document | None:
        """The file read again with positions (once), or None when it cannot
        be read or no longer holds what was loaded."""
        if path not in self._docs:
            self._docs[path] = self._reread(path)
        return self._docs[path]

    def _reread(self, path: str) -> Document | None:
        ref = self._files.get(path)
        if ref is None:
            return None
        try:
            data = read_file(ref.file)
            if sha256(data).digest() != ref.digest:
                return None
            return read_yaml(decode(data))
        except (OSError, YamlProblem):
            return None

    # -- lookups -----------------------------------------------------------------
    def value(self, path: str, *keys: Any) -> Pos | None:
        """The value at ``keys`` in file ``path`` (the deepest found), or its top."""
        doc = self.document(path)
        if doc is None:
            return None
        line, col, style = doc.root
        return _walk(path, doc, doc.data, keys, Pos(path, line, col, style))

    def key_of(self, path: str, *keys: Any) -> Pos | None:
        """The key of the last of ``keys`` in file ``path``; the value's position
        when it is not a mapping key."""
        if not keys:
            return self.value(path)
        doc = self.document(path)
        if doc is None:
            return None
        data = doc.data
        for step in keys[:-1]:
            data = _step(data, step)
            if data is None:
                return None
        marks = doc.marks.get(id(data))
        if isinstance(marks, dict) and keys[-1] in marks:
            return Pos(path, marks[keys[-1]][0], marks[keys[-1]][1])
        return self.value(path, *keys)

    def scene(self, scene_id: str, *path: Any) -> Pos | None:
        """The scene's id (no ``path``), or the value at ``path`` inside it."""
        file = self._scenes.get(scene_id)
        if file is None:
            return None
        if not path:
            return self.key_of(file, "scenes", scene_id)
        where = self.scene_keys(scene_id, *path)
        return self.value(*where) if where else None

    def story(self, *path: Any) -> Pos | None:
        """A value in ``story.yaml``, or its top; ``story("vars", "coins")`` is
        found in whichever file declares ``coins``."""
        file = self._story_file(path)
        return None if file is None else self.value(file, *path)

    def key(self, scene_id: str | None, *path: Any) -> Pos | None:
        """The position of the last key of ``path`` rather than of its value."""
        if scene_id is None:
            file = self._story_file(path)
            return None if file is None else self.key_of(file, *path)
        where = self.scene_keys(scene_id, *path)
        return self.key_of(*where) if where else None


def _step(data: Any, step: Any) -> Any:
    if isinstance(data, dict):
        try:
            return data.get(step)
        except TypeError:  # an unhashable step
            return None
    if isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
        return data[step]
    return None


def _walk(path: str, doc: Document, data: Any, keys: tuple[Any, ...], start: Pos) -> Pos:
    """Follow ``keys`` from ``data``; stop at the deepest position found."""
    pos = start
    for step in keys:
        marks = doc.marks.get(id(data))
        if isinstance(marks, dict) and step in marks:
            _, _, line, col, style = marks[step]
        elif isinstance(marks, list) and isinstance(step, int) and 0 <= step < len(marks):
            line, col, style = marks[step]
        else:
            return pos
        pos = Pos(path, line, col, style)
        data = _step(data, step)
    return pos
