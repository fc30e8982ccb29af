"""The compiled-story cache on disk: where it lives, reading, atomic writing, pruning.

One file per story content and format: ``<key>.carnet`` in
``$CARNET_CACHE_DIR``, else ``$XDG_CACHE_HOME/carnet/stories``, else
``~/.cache/carnet/stories``. The key is the sha256 of the story's files and
the compiled format (:func:`carnet.engine.compiled.entry_key`), so an edited
story never finds a stale entry and two carnets of different formats keep
one each; the entry itself says which fingerprint and which carnet wrote it
(see :mod:`carnet.engine.compiled`).

Writes go to a temporary file in the same folder, then an atomic rename:
a reader sees the old file or the new one, never half of one, and two
writers at once both leave a whole file. The folder is kept under
:data:`MAX_BYTES` and :data:`MAX_ENTRIES` by removing the least recently
used entries. Every failure here is silent: the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from carnet.engine.files import open_regular

MAX_BYTES = 512 * 1024 * 1024
"""The most the cache folder holds; older entries are removed past it."""

MAX_ENTRIES = 64
"""The most stories kept compiled."""

MAX_ENTRY_BYTES = 384 * 1024 * 1024
"""The largest entry read or written."""

SUFFIX = ".carnet"
_STALE_TEMP_SECONDS = 3600


def cache_dir() -> Path:
    explicit = os.environ.get("CARNET_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "carnet" / "stories"


def entry_path(key: str, folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / f"{key}{SUFFIX}"


def read_entry(key: str, folder: Path | None = None) -> bytes | None:
    """The entry's bytes, or None (missing, not a regular file, too large, unreadable)."""
    path = entry_path(key, folder)
    try:
        with open_regular(path, MAX_ENTRY_BYTES) as (fd, size):
            with os.fdopen(os.dup(fd), "rb") as stream:
                # what the size says, and one more byte to see a file that grew meanwhile
                data = stream.read(size + 1)
            with contextlib.suppress(OSError):
                os.utime(fd)  # least recently used goes first when pruning
    except OSError:  # NotReadable included
        return None
    return data if len(data) <= MAX_ENTRY_BYTES else None


def write_entry(key: str, data: bytes, folder: Path | None = None) -> bool:
    """Write the entry atomically and prune the folder. False if it could not be written."""
    if len(data) > MAX_ENTRY_BYTES:
        return False
    import tempfile  # here: reading the cache (and a cold load) does not need it

    folder = folder or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=folder)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, entry_path(key, folder))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        return False
    prune(folder)
    return True


def prune(folder: Path | None = None, max_bytes: int = MAX_BYTES,
          max_entries: int = MAX_ENTRIES) -> None:
    """Remove the least recently used entries past the bounds, and temporary
    files left by writers that were killed."""
    folder = folder or cache_dir()
    entries: list[tuple[float, int, Path]] = []
    now = time.time()
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return
    for item in listing:
        if not item.name.endswith(SUFFIX):
            continue
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue
        path = Path(item.path)
        if item.name.startswith(".tmp-"):
            if now - info.st_mtime > _STALE_TEMP_SECONDS:
                with contextlib.suppress(OSError):
                    path.unlink()
            continue
        entries.append((info.st_mtime, info.st_size, path))
    entries.sort(reverse=True)  # newest first
    total = 0
    for count, (_, size, path) in enumerate(entries, start=1):
        total += size
        if count > max_entries or total > max_bytes:
            with contextlib.suppress(OSError):
                path.unlink()
