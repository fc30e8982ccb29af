"""Where the story-file JSON Schema is, and how a story file names it for editors.

A story file's first line can be a modeline the YAML language server reads::

    # yaml-language-server: $schema=<reference>

:func:`schema_reference` picks the reference for a file in a given folder:

- inside a carnet source checkout (the shipped stories, or an author working
  in a clone), a path relative to the file, so the line is the same on every
  machine and survives moving the checkout;
- anywhere else, the absolute ``file://`` URI of the schema that is installed,
  editable or not (it is package data of ``carnet.engine``).
"""

from __future__ import annotations

import os
from pathlib import Path

MODELINE_PREFIX = "# yaml-language-server: $schema="
SCHEMA_PARTS = ("engine", "schema", "story.schema.json")


def schema_path() -> Path:
    """The schema file of the installed carnet."""
    return Path(__file__).resolve().parent.joinpath(*SCHEMA_PARTS[1:])


def _checkout_schema(folder: Path) -> Path | None:
    """The schema of the carnet source checkout that holds ``folder``, if any."""
    for parent in (folder, *folder.parents):
        schema = parent.joinpath(*SCHEMA_PARTS)
        project = parent / "pyproject.toml"
        if schema.is_file() and project.is_file():
            try:
                text = project.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if 'name = "carnet"' in text:
                return schema
    return None


def schema_reference(folder: str | Path, *, installed: Path | None = None) -> str:
    """What a modeline in a file written to ``folder`` names (see the module doc).

    ``installed`` stands for :func:`schema_path` (tests use it to play an
    install elsewhere).
    """
    target = Path(folder).resolve()
    local = _checkout_schema(target)
    if local is not None:
        return Path(os.path.relpath(local, target)).as_posix()
    return (installed or schema_path()).resolve().as_uri()


def modeline(folder: str | Path) -> str:
    """The modeline for a file written to ``folder`` (no newline)."""
    return MODELINE_PREFIX + schema_reference(folder)
