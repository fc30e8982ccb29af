"""The edge between carnet and the terminal: safe output streams and crash reports.

:class:`SafeWriter` passes everything written through
:func:`carnet.engine.text.printable`, so that no command can print a story's
text, a file name or a quoted value raw (escape sequences, bidi overrides,
bytes that are not UTF-8). :func:`report_crash` turns an unexpected exception
into a short message and a crash file.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from typing import TextIO, cast

from carnet.engine import __version__
from carnet.engine.text import printable

EXIT_CRASH = 3
"""The exit code of a bug (an unexpected exception): not 0, 1 or 2."""

DEBUG_ENV = "CARNET_DEBUG"


class SafeWriter(io.TextIOBase):
    """A text stream that sanitizes what is written, then writes it to ``inner``."""

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def fileno(self) -> int:
        return self.inner.fileno()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def writable(self) -> bool:
        return True


def safe(stream: TextIO) -> TextIO:
    """``stream`` wrapped in a :class:`SafeWriter` (once)."""
    if isinstance(stream, SafeWriter):
        return stream
    return cast(TextIO, SafeWriter(stream))


def report_crash(error: BaseException, argv: list[str], debug: bool, err: TextIO) -> int:
    """Tell the user carnet has a bug; the traceback goes to ``err`` with
    ``debug`` and otherwise to a crash file. Returns :data:`EXIT_CRASH`."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    summary = f"{type(error).__name__}: {error}"
    if len(summary) > 300:
        summary = summary[:297] + "..."
    err.write(f"carnet: internal error, this is a bug in carnet ({summary})\n")
    if debug:
        err.write(details)
        return EXIT_CRASH
    path = _crash_file(argv, details)
    if path is not None:
        err.write(f"carnet: the details are in {path}; please attach it to a bug report "
                  f"(or run again with `carnet --debug ...`)\n")
    else:
        err.write("carnet: run again with `carnet --debug ...` to see the details\n")
    return EXIT_CRASH


def _crash_file(argv: list[str], details: str) -> str | None:
    try:
        fd, path = tempfile.mkstemp(prefix="carnet-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(f"carnet {__version__}, Python {sys.version.split()[0]}, "
                      f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n")
            out.write(f"arguments: {argv!r}\n\n{details}")
    except OSError:
        return None
    return path


@contextlib.contextmanager
def raw_streams() -> Iterator[None]:
    """The real stdout and stderr for a while: the full-screen REPL writes
    terminal escapes of its own (it sanitizes story text itself)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = out.inner if isinstance(out, SafeWriter) else out
    sys.stderr = err.inner if isinstance(err, SafeWriter) else err
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
