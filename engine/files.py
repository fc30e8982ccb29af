"""Files written and read safely: atomic writes, bounded reads, keeping aside.

The one place for the file handling that protects what the player (or an
author) made:

- :func:`write_atomic` writes through a temp file in the same folder, fsync
  and a rename, so a crash leaves the old file or the new one, never half;
  temp files left by a killed writer are removed by the next write;
- :func:`open_regular` opens only regular files within a size, checked
  before anything is read (a FIFO, a device or ``/dev/zero`` behind a
  symlink is refused at once); :func:`read_limited` and
  :func:`read_text_limited` read through it, at most a given number of
  bytes;
- :func:`keep_aside` renames a file that cannot be read out of the way,
  atomically, so that nothing written after it can destroy it.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

STALE_TEMP_SECONDS = 10 * 60
"""A temp file of ours this old is left by a writer that was killed."""

UNREADABLE = ".unreadable"


class NotReadable(OSError):
    """A file that is not a regular file, or (``too_large``) is larger than allowed."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def clean_stale_temps(path: Path, *, now: float | None = None) -> None:
    """Remove the temp files an interrupted :func:`write_atomic` of ``path``
    left behind (older than :data:`STALE_TEMP_SECONDS`; a fresh one may be a
    write in progress). Problems are ignored: this is housekeeping."""
    now = time.time() if now is None else now
    try:
        candidates = list(path.parent.glob(_temp_prefix(path) + "*.tmp"))
    except OSError:
        return
    for temp in candidates:
        with contextlib.suppress(OSError):
            info = temp.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()


def write_temp(path: Path, data: bytes, *, mode: int = 0o644) -> Path:
    """``data`` in full, synced, in a new temp file beside ``path``, with
    permissions ``mode``; the temp file's path, for the caller to rename into
    place (:func:`write_atomic_bytes`, or several files at once). Stale temps of
    ``path`` are cleaned first. Raises OSError, leaving no temp file behind."""
    folder = path.parent if str(path.parent) else Path(".")
    clean_stale_temps(path)
    import tempfile  # only to write: a load never pays for it

    fd, temp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return Path(temp)


def write_atomic_bytes(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new
    one, never half of one: a temp file in the same folder, fsync, rename.
    ``mode`` is the new file's permissions. The folder must exist. Raises OSError."""
    temp = write_temp(path, data, mode=mode)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_atomic(path: Path, text: str, *, mode: int = 0o644) -> None:
    """:func:`write_atomic_bytes` of ``text`` as UTF-8, making the folder if
    needed. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_bytes(path, text.encode("utf-8"), mode=mode)


@contextlib.contextmanager
def open_regular(path: Path | str, limit: int) -> Iterator[tuple[int, int]]:
    """An open descriptor of the regular file ``path`` and its size, at most
    ``limit`` bytes; closed after.

    The file is opened without blocking and checked before anything is
    read, so a FIFO cannot hang and ``/dev/zero`` cannot fill the memory.
    Raises :class:`NotReadable` (not a regular file, or too large) or
    another OSError.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"{path} is not a regular file")
        if info.st_size > limit:
            raise NotReadable(f"{path} is too large ({info.st_size} bytes; at most {limit})",
                              too_large=True)
        yield fd, info.st_size
    finally:
        os.close(fd)


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit``: no more than
    ``limit + 1`` bytes are ever read (a file that grows meanwhile is too
    large). Raises :class:`NotReadable` or another OSError."""
    with open_regular(path, limit) as (fd, _size):
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise NotReadable(f"{path} is too large (more than {limit} bytes)", too_large=True)
    return data


def read_text_limited(path: Path, limit: int) -> str:
    """The text of the regular file ``path`` (UTF-8), at most ``limit`` bytes.

    Raises FileNotFoundError, :class:`NotReadable` (not a regular file, or
    too large), other OSError, or UnicodeDecodeError (see :func:`read_limited`).
    """
    return read_limited(path, limit).decode("utf-8")


def aside_path(path: Path, when: float | None = None) -> Path:
    """A free name next to ``path`` for keeping it aside:
    ``NAME.unreadable-YYYYmmdd-HHMMSS`` (``-2``, ``-3``... when taken)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if when is None else when))
    base = f"{path.name}{UNREADABLE}-{stamp}"
    candidate = path.with_name(base)
    number = 1
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{base}-{number}")
    return candidate


def move_no_replace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, atomically, failing with
    FileExistsError rather than replace an existing ``target``.

    A hard link to the new name, then the old name removed: the file is
    never absent. Where hard links are not possible (some file systems), a
    rename after checking that ``target`` is free.
    """
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(f"{target} exists") from None
        os.rename(source, target)
        return
    os.unlink(source)


def keep_aside(path: Path) -> Path:
    """Rename ``path`` (a file that cannot be read) to a new name next to it
    (:func:`aside_path`), atomically and without replacing anything; the new
    path. Raises OSError."""
    while True:
        target = aside_path(path)
        try:
            move_no_replace(path, target)
        except FileExistsError:
            continue  # taken meanwhile: pick another name
        return target


@contextlib.contextmanager
def atomic_text(path: Path | None) -> Iterator[TextIO | None]:
    """``with atomic_text(path) as out:`` -- ``out`` collects text (None when
    ``path`` is None) and the file is written once, atomically, when the
    block ends, however it ends: an existing file is never truncated before
    there is something to put in its place. Raises OSError on leaving."""
    if path is None:
        yield None
        return
    buffer = io.StringIO()
    try:
        yield buffer
    finally:
        write_atomic(path, buffer.getvalue())
