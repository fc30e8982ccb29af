"""Helpers to write small stories into a temporary folder for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from carnet.engine.loader import LoadResult, load_story
from carnet.engine.model import Story

HEADER = "carnet: 1\ntitle: T\nstart: a\n"


def write_story(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: YAML text}`` (dedented) under ``root/story``."""
    folder = root / "story"
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def load(root: Path, files: dict[str, str]) -> LoadResult:
    return load_story(write_story(root, files), display="story")


def load_ok(root: Path, files: dict[str, str]) -> Story:
    result = load(root, files)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


def problems(root: Path, files: dict[str, str]) -> list[tuple[str, int, int, str]]:
    """(file, line, col, code) of every diagnostic."""
    result = load(root, files)
    assert result.story is None
    return [(d.path, d.line, d.col, d.code) for d in result.diagnostics]
