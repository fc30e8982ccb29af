"""Where things are in a story's YAML files, looked up only when needed.

The loader keeps each file's raw data and the position table that
:mod:`carnet.engine.yamlio` built for it; a position is resolved by walking a key path
(``("choices", 0, "to")``) through that data. Nothing is computed for a story
that is only played.
"""

from __future__ import annotations

from typing import Any

import attrs

from carnet.engine.yamlio import Document


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


@attrs.define
class _Origin:
    path: str
    doc: Document
    container: Any  # the mapping that holds the entry
    key: Any


class SourceMap:
    """Positions of the story's metadata and of each scene's parts."""

    def __init__(self) -> None:
        self._story: _Origin | None = None
        self._scenes: dict[str, _Origin] = {}
        self._files: dict[str, Document] = {}
        # scene -> (first choice index, origin of an ``extend:`` entry's choices list)
        self._extensions: dict[str, list[tuple[int, _Origin]]] = {}

    def add_file(self, path: str, doc: Document) -> None:
        self._files[path] = doc

    def set_story(self, path: str, doc: Document) -> None:
        self._story = _Origin(path, doc, None, None)

    def add_scene(self, scene_id: str, path: str, doc: Document, scenes: dict[Any, Any]) -> None:
        self._scenes.setdefault(scene_id, _Origin(path, doc, scenes, scene_id))

    def add_extension(self, scene_id: str, start: int, path: str, doc: Document,
                      entry: dict[Any, Any]) -> None:
        """Choices ``start``, ``start + 1``... of the scene are ``entry["choices"]``,
        written in another file under ``extend:``."""
        self._extensions.setdefault(scene_id, []).append(
            (start, _Origin(path, doc, entry, "choices")))

    def _extension(self, scene_id: str, path: tuple[Any, ...]) -> tuple[_Origin, int] | None:
        if len(path) < 2 or path[0] != "choices" or not isinstance(path[1], int):
            return None
        for start, origin in reversed(self._extensions.get(scene_id, ())):
            if path[1] >= start:
                return origin, path[1] - start
        return None

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self._files)

    def scene_file(self, scene_id: str) -> str | None:
        origin = self._scenes.get(scene_id)
        return origin.path if origin else None

    def scene(self, scene_id: str, *path: Any) -> Pos | None:
        """The scene's id (no ``path``), or the value at ``path`` inside it."""
        origin = self._scenes.get(scene_id)
        if origin is None:
            return None
        marks = origin.doc.marks[id(origin.container)]
        entry = marks[origin.key]
        if not path:
            return Pos(origin.path, entry[0], entry[1])
        extension = self._extension(scene_id, path)
        if extension is not None:
            ext, index = extension
            entry = ext.doc.marks[id(ext.container)][ext.key]
            start = Pos(ext.path, entry[2], entry[3], entry[4])
            return _walk(ext.path, ext.doc, ext.container[ext.key], (index, *path[2:]), start)
        start = Pos(origin.path, entry[2], entry[3], entry[4])
        return _walk(origin.path, origin.doc, origin.container[origin.key], path, start)

    def story(self, *path: Any) -> Pos | None:
        """A value in ``story.yaml`` (``story("vars", "coins")``), or its top."""
        if self._story is None:
            return None
        doc = self._story.doc
        line, col, style = doc.root
        return _walk(self._story.path, doc, doc.data, path, Pos(self._story.path, line, col, style))

    def key(self, scene_id: str | None, *path: Any) -> Pos | None:
        """The position of the last key of ``path`` rather than of its value."""
        if not path:
            return self.scene(scene_id) if scene_id else self.story()
        parent_path, last = path[:-1], path[-1]
        origin = self._story if scene_id is None else self._scenes.get(scene_id)
        if origin is None:
            return None
        data = origin.doc.data if scene_id is None else origin.container[origin.key]
        extension = self._extension(scene_id, path) if scene_id is not None else None
        if extension is not None:
            origin, index = extension
            data = origin.container[origin.key]
            parent_path = (index, *path[2:-1])
            if len(path) == 2:  # the choice itself: no key to point at
                return self.scene(str(scene_id), *path)
        for step in parent_path:
            data = _step(data, step)
            if data is None:
                return None
        marks = origin.doc.marks.get(id(data))
        if isinstance(marks, dict) and last in marks:
            return Pos(origin.path, marks[last][0], marks[last][1])
        return self.scene(scene_id, *path) if scene_id else self.story(*path)


def _step(data: Any, step: Any) -> Any:
    if isinstance(data, dict):
        return data.get(step)
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
