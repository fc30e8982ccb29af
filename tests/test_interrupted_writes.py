"""A save or a cache entry written by a process killed at any moment: what
is on disk afterwards is the previous file or the new one, whole, never a
mix or a truncation (issue: nothing a user made is lost).

A child process rewrites one file in a loop, alternating two large,
distinct contents; the parent kills it with SIGKILL after a series of
delays, then checks the file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SIZE = 2_000_000  # large enough that a write takes a while
DELAYS = [0.0, 0.003, 0.01, 0.02, 0.035, 0.05, 0.08, 0.13]

CHILD = r"""
import sys
from pathlib import Path
kind, target = sys.argv[1], Path(sys.argv[2])
size = int(sys.argv[3])
contents = [b"A" * size, b"B" * size]
if kind == "save":
    from carnet.engine.files import write_atomic_bytes
    write = lambda data: write_atomic_bytes(target, data)
else:
    from carnet.engine import cache
    write = lambda data: cache.write_entry("f" * 64, data, target.parent)
print("ready", flush=True)
i = 0
while True:
    write(contents[i % 2])
    i += 1
"""


def target_of(kind: str, folder: Path) -> Path:
    if kind == "save":
        return folder / "autosave.json"
    from carnet.engine import cache

    return cache.entry_path("f" * 64, folder)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("kind", ["save", "cache"])
def test_a_write_killed_at_any_moment_leaves_a_whole_file(tmp_path: Path, kind: str) -> None:
    target = target_of(kind, tmp_path)
    first = b"A" * SIZE
    if kind == "save":
        from carnet.engine.files import write_atomic_bytes

        write_atomic_bytes(target, first)
    else:
        from carnet.engine import cache

        assert cache.write_entry("f" * 64, first, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in DELAYS:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, kind, str(target), str(SIZE)],
            stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        data = target.read_bytes()
        assert data in (b"A" * SIZE, b"B" * SIZE), (delay, len(data), data[:1], data[-1:])
