"""How fast `carnet play` shows its first prompt.

    python benchmarks/bench_startup.py [--runs N] [STORY]

Measures, each as the median (and the best) of N runs:

- baseline: `python -c pass`, the interpreter alone;
- plain: `python -m carnet play STORY --plain` until it has printed the first
  scene and exits on end of input (no prompt_toolkit);
- repl: `python -m carnet play STORY` in a pseudo-terminal, from the start of
  the process until the bottom toolbar of the first prompt is drawn;
- in-process parts: importing prompt_toolkit, importing the engine's loader,
  loading the story, building the REPL and rendering the first scene.

Saves and history go to a temporary folder (XDG_DATA_HOME), never the
user's. The aim is a first prompt under 0.4 s.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPT_MARK = b"F1 help"  # the end of the bottom toolbar
CPR_REQUEST = b"\x1b[6n"  # prompt_toolkit asks where the cursor is
TIMEOUT = 30.0


def env_for(data: str) -> dict[str, str]:
    """The environment of a user's run: .pyc files are written and used (the
    warm-up run writes them), saves go to ``data``."""
    env = {**os.environ, "XDG_DATA_HOME": data, "PYTHONPATH": str(ROOT),
           "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_baseline(data: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env_for(data), check=True)
    return time.perf_counter() - start


def time_plain(story: str, data: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "carnet", "play", story, "--plain"], cwd=ROOT,
                   env=env_for(data), input=b"", capture_output=True, check=True)
    return time.perf_counter() - start


def time_repl(story: str, data: str) -> float:
    """Seconds from spawning the REPL in a pty to its first drawn toolbar."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    os.set_blocking(master, False)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "carnet", "play", story], cwd=ROOT,
                            env=env_for(data), stdin=slave, stdout=slave, stderr=slave,
                            close_fds=True)
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen += chunk
                if CPR_REQUEST in chunk:  # answer like a terminal: the cursor is at 20,1
                    os.write(master, b"\x1b[20;1R")
                if PROMPT_MARK in seen:
                    elapsed = time.perf_counter() - start
                    break
        os.write(master, b"\x04")  # Ctrl-D: autosave (in the temp folder) and leave
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    if elapsed != elapsed:  # NaN: no prompt; show what was drawn
        sys.stderr.write(f"no prompt within {TIMEOUT} s; the end of the output: "
                         f"{seen[-1000:]!r}\n")
    return elapsed


IN_PROCESS = r"""
import sys, time
t0 = time.perf_counter()
import prompt_toolkit.shortcuts, prompt_toolkit.completion, prompt_toolkit.history
t1 = time.perf_counter()
from carnet.engine.loader import load_story
t2 = time.perf_counter()
story = load_story(sys.argv[1]).story
t3 = time.perf_counter()
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from carnet.engine.repl.app import Repl, Screen
from carnet.engine.repl.commands import Game
from carnet.engine.session import Session
from carnet.engine.userdata import UserData
with create_pipe_input() as inp:
    screen = Screen(input=inp, output=DummyOutput())
    game = Game.start(Session.start(story), UserData.locate(None))
    repl = Repl(game, screen)
    screen.emit(game.opening(screen.width()).lines)
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def time_parts(story: str, data: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, story], cwd=ROOT, env=env_for(data),
                         capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


def report(name: str, samples: list[float]) -> None:
    print(f"{name:<34} median {statistics.median(samples) * 1000:7.1f} ms   "
          f"best {min(samples) * 1000:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("story", nargs="?", default="scenes/tutorial")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        runs: dict[str, Callable[[], float]] = {
            "python -c pass": lambda: time_baseline(data),
            "carnet play --plain (whole run)": lambda: time_plain(args.story, data),
            "carnet play, first prompt (pty)": lambda: time_repl(args.story, data),
        }
        for fn in runs.values():  # warm the file cache and .pyc files
            fn()
        for name, fn in runs.items():
            report(name, [fn() for _ in range(args.runs)])
        parts = [time_parts(args.story, data) for _ in range(args.runs)]
        names = ["  import prompt_toolkit", "  import engine.loader (+yaml)",
                 "  load the story", "  build the REPL, render scene"]
        for i, name in enumerate(names):
            report(name, [p[i] for p in parts])
    return 0


if __name__ == "__main__":
    sys.exit(main())
