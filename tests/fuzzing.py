"""Mutations of story files, answers, saves and file names for the fuzz suite
(tests/test_fuzz.py), and the bounds every fuzzed run is held to.

Every mutation starts from a shipped story and damages it the way an author,
an editor or a hostile file could: lines deleted, duplicated or swapped, keys
renamed, values retyped, explicit YAML tags, flipped bytes, truncation,
indentation changes, mangled expressions, hostile characters.

``CARNET_FUZZ_LONG=1`` turns the short run (a few dozen cases per target,
derandomized so that the default suite is deterministic) into the long one
(thousands of random cases per target); ``CARNET_FUZZ_EXAMPLES=N`` sets the
number of cases per target explicitly, ``CARNET_FUZZ_REPORT=FILE`` writes the
per-target counts and the slowest case as JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "scenes"
LONG = os.environ.get("CARNET_FUZZ_LONG", "") not in ("", "0")
EXAMPLES = int(os.environ.get("CARNET_FUZZ_EXAMPLES") or (2000 if LONG else 20))
CASE_SECONDS = 30
"""The time bound of one fuzzed run (a hang guard, far above any real run)."""


def fuzz_settings(long: int = 2000) -> settings:
    """Settings of one fuzz target; ``long`` is its number of cases in the long run."""
    examples = EXAMPLES
    if LONG and "CARNET_FUZZ_EXAMPLES" not in os.environ:
        examples = long
    return settings(
        max_examples=examples,
        deadline=None,  # time is bounded by `bounded` (a hang guard), not asserted
        derandomize=not LONG,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


def shipped_stories() -> dict[str, dict[str, bytes]]:
    """Every shipped story: id -> {relative path: bytes}."""
    stories = {}
    for folder in sorted(p for p in SHIPPED.iterdir() if (p / "story.yaml").is_file()):
        stories[folder.name] = {p.relative_to(folder).as_posix(): p.read_bytes()
                                for p in sorted(folder.rglob("*.yaml"))}
    return stories


STORIES = shipped_stories()

# -- mutations ------------------------------------------------------------------------

KEYS = ("carnet", "title", "start", "vars", "scenes", "text", "choices", "to", "if", "do",
        "end", "on_enter", "once", "canon", "draft", "noqa", "source", "revisit", "extend")
VALUES = (
    "", "~", "null", "true", "no", "0", "-1", "007", "0x1f", "1e999", ".nan", "-.inf", "3.5",
    "2001-02-30", "2001-02-03", "2001-12-14t21:59:43.10-05:00", "[]", "{}", "[1, [2]]",
    "{a: 1}", "'quoted'", '"\\e[2J\\u202eevil"', "|\n  block", "9" * 40, "-" + "9" * 19,
    "999999999999999999", "!!binary aGk=", "!!set {a}", "!!omap [a: 1]", "!!bool x",
    "!!float x", "!!timestamp x", "!!int 1_000", "!!python/object:os.system x", "!custom 1",
    "&a x", "*a", "<<: {}", "? complex", "{{{", "]]", '"unterminated', "'", "#", "- - -",
)
EXPRESSION_NOISE = (
    "(", ")", " and ", " or ", " not ", "+", "-", "==", "!=", ">=", "+=", "-=", "=", "'",
    '"', "visits(", "visits(nowhere)", "999999999999999999999", "x" * 1200, "((((((((((" * 5,
    "\\", "\u202e", "\x00", "é", "true", "1", "__import__('os')", "a.b", "a[0]", "2**64",
)
HOSTILE = ("\x1b[2J", "\x1b]52;c;aGk=\x07", "\x9b31m", "\u202e", "\u2066", "\u200b", "\ufeff",
           "\x7f", "\r", "\t", "\u2028", "é", "中", "\U0001f600")
_EXPR_LINE = re.compile(r"^(\s*(?:-\s+)?(?:if|do)?:?\s*-?\s*)(.*\S.*)$")


def _lines(text: bytes) -> list[bytes]:
    return text.split(b"\n")


@st.composite
def mutated_line(draw: st.DrawFn, data: bytes) -> bytes:
    """One mutation of ``data`` (a file's bytes)."""
    lines = _lines(data)
    n = len(lines)
    index = draw(st.integers(0, max(n - 1, 0)))
    kind = draw(st.sampled_from([
        "delete", "duplicate", "swap", "rename-key", "retype", "tag", "flip", "truncate",
        "indent", "expression", "hostile", "insert-line",
    ]))
    line = lines[index] if lines else b""
    if kind == "delete" and lines:
        del lines[index]
    elif kind == "duplicate" and lines:
        lines.insert(index, line)
    elif kind == "swap" and n > 1:
        other = draw(st.integers(0, n - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "rename-key" and b":" in line:
        key = draw(st.sampled_from(KEYS) | st.text(min_size=0, max_size=8))
        head, _, tail = line.partition(b":")
        indent = head[: len(head) - len(head.lstrip())]
        lines[index] = indent + key.encode("utf-8", "surrogatepass") + b":" + tail
    elif kind == "retype" and b":" in line:
        value = draw(st.sampled_from(VALUES))
        head, _, _ = line.partition(b":")
        lines[index] = head + b": " + value.encode()
    elif kind == "tag" and b":" in line:
        tag = draw(st.sampled_from(["!!str", "!!int", "!!float", "!!bool", "!!null",
                                    "!!timestamp", "!!binary", "!!set", "!!seq", "!!map",
                                    "!!python/tuple", "!x", "!<tag:yaml.org,2002:int>"]))
        head, _, tail = line.partition(b":")
        lines[index] = head + b": " + tag.encode() + b" " + tail.strip()
    elif kind == "flip" and data:
        joined = bytearray(b"\n".join(lines))
        at = draw(st.integers(0, len(joined) - 1))
        joined[at] ^= 1 << draw(st.integers(0, 7))
        return bytes(joined)
    elif kind == "truncate":
        joined = b"\n".join(lines)
        return joined[: draw(st.integers(0, len(joined)))]
    elif kind == "indent" and lines:
        change = draw(st.sampled_from([b" ", b"  ", b"\t", b"    " * 3]))
        if draw(st.booleans()):
            lines[index] = change + line
        else:
            lines[index] = line[len(change):] if line.startswith(change) else line.lstrip()
    elif kind == "expression":
        match = _EXPR_LINE.match(line.decode("utf-8", "replace"))
        if match:
            body = match.group(2)
            at = draw(st.integers(0, len(body)))
            noise = draw(st.sampled_from(EXPRESSION_NOISE))
            cut = draw(st.integers(0, 3))
            mangled = body[:at] + noise + body[at + cut:]
            lines[index] = (match.group(1) + mangled).encode("utf-8", "surrogatepass")
    elif kind == "hostile":
        text = line.decode("utf-8", "replace")
        at = draw(st.integers(0, len(text)))
        noise = draw(st.sampled_from(HOSTILE))
        lines[index] = (text[:at] + noise + text[at:]).encode("utf-8")
    elif kind == "insert-line":
        text = draw(st.sampled_from(VALUES)).encode()
        lines.insert(index, b"  " * draw(st.integers(0, 4)) + b"x: " + text)
    return b"\n".join(lines)


@st.composite
def mutated_story(draw: st.DrawFn) -> tuple[str, dict[str, bytes], list[str]]:
    """(story id, {relative path: bytes}, what was done) for 1 to 4 mutations."""
    story_id = draw(st.sampled_from(sorted(STORIES)))
    files = dict(STORIES[story_id])
    done = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = draw(mutated_line(files[name]))
        done.append(name)
    return story_id, files, done


ANSWERS = st.one_of(
    st.integers(1, 6).map(str),
    st.integers(0, 10**30).map(str),
    st.sampled_from(["", " ", "q", "quit", "u", "undo", "back", "-1", "0", "²", "١", "1.5",
                     "1e3", "9" * 5000, "\x1b[2J", "\u202e1", "1\x00", "\ufeff1", "help",
                     "save x", "load ../../etc/passwd", "goto a", "set n 1"]),
    st.text(max_size=20),
)
"""Input lines for `play --plain`/`--json`: choice numbers most of the time."""


# -- running the CLI in process -------------------------------------------------------


class Timeout(Exception):
    """A fuzzed run passed :data:`CASE_SECONDS`."""


@contextlib.contextmanager
def bounded(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Raise :class:`Timeout` in the running code after ``seconds`` (a hang guard)."""
    def alarm(signum: int, frame: Any) -> None:
        raise Timeout(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@attrs.frozen
class Run:
    code: int
    out: str
    err: str


def run_cli(args: list[str], stdin: str = "", cwd: Path | None = None) -> Run:
    """``carnet ARGS`` in process, with ``stdin`` as its input; never a tty."""
    from carnet.engine.cli import main

    streams = sys.stdin, sys.stdout, sys.stderr
    # like a real stdout: UTF-8, strict, with a byte buffer underneath
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
    old_cwd = Path.cwd()
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        if cwd is not None:
            os.chdir(cwd)
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse
            code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        os.chdir(old_cwd)
        sys.stdin, sys.stdout, sys.stderr = streams
    return Run(code, _text(out), _text(err))


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


_POSITION = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): [A-Z]\d{3} ", re.MULTILINE)


def check_run(run: Run, what: str) -> None:
    """The invariant of every fuzzed run: 0, 1 or 2, no traceback, findings have positions."""
    assert run.code in (0, 1, 2), f"{what}: exit {run.code}\n{run.err[-3000:]}"
    assert "Traceback" not in run.out + run.err, f"{what}: traceback\n{run.err[-3000:]}"
    assert "internal error" not in run.err, f"{what}: {run.err[-3000:]}"
    for match in _POSITION.finditer(run.out + run.err):
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1, (what, match.group(0))


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


# -- counting ---------------------------------------------------------------------------


@attrs.define
class Stats:
    """Cases per target and the slowest case, for the long run's report."""

    cases: dict[str, int] = attrs.Factory(dict)
    slowest: dict[str, tuple[float, str]] = attrs.Factory(dict)

    @contextlib.contextmanager
    def case(self, target: str, describe: Callable[[], str]) -> Iterator[None]:
        start = time.perf_counter()
        with bounded():
            yield
        elapsed = time.perf_counter() - start
        self.cases[target] = self.cases.get(target, 0) + 1
        if elapsed > self.slowest.get(target, (0.0, ""))[0]:
            self.slowest[target] = (elapsed, describe())

    def report(self) -> dict[str, Any]:
        return {
            "total": sum(self.cases.values()),
            "targets": {t: {"cases": n, "slowest_seconds": round(self.slowest[t][0], 3),
                            "slowest_case": self.slowest[t][1][:300]}
                        for t, n in sorted(self.cases.items())},
        }

    def write(self) -> None:
        target = os.environ.get("CARNET_FUZZ_REPORT")
        if target and self.cases:
            Path(target).write_text(json.dumps(self.report(), indent=2) + "\n")
