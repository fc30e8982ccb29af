"""Where a tool's output goes: a file given with ``-o`` (written atomically) or stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from carnet.engine.files import write_atomic_bytes
from carnet.engine.terminal import raw_streams


def emit(data: bytes, path: Path | None) -> None:
    """``data`` to ``path``, or to stdout when it is None. Raises OSError."""
    if path is None:
        if sys.stdout.isatty():  # on a terminal, story text in it must not drive it
            sys.stdout.write(data.decode("utf-8", "replace"))
            sys.stdout.flush()
            return
        # the document itself (Twee, DOT, SVG...), byte for byte: it is data
        # for a file or a pipe, not text for the terminal sanitizer
        with raw_streams():
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder", str(path))
    write_atomic_bytes(path, data)
