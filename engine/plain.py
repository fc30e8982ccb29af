"""Plain line mode: prints scenes and numbered choices, reads numbers.

Used for `--plain`, for scripted play (`--choices 2,1,1`, `--canon`) and
whenever stdin or stdout is not a terminal, so `printf '1\\n2\\n' | carnet
play STORY` works.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import TextIO

import attrs

from carnet.engine.session import TURN_ERRORS, Session, SessionError, choice_number
from carnet.engine.text import plural, printable

MAX_SHOWN = 40


def shown(answer: str) -> str:
    """What the player typed, quoted for a message: at most 40 characters."""
    return repr(answer if len(answer) <= MAX_SHOWN else answer[:MAX_SHOWN] + "…")

MAX_TURNS = 100_000


@attrs.frozen
class Script:
    """Where choices come from: a list of numbers, the canon, or input lines."""

    numbers: tuple[int, ...] | None = None
    canon: bool = False


class PlainPlayer:
    def __init__(self, session: Session, out: TextIO, err: TextIO, *, width: int = 0,
                 transcript: TextIO | None = None, echo: bool = False) -> None:
        self.session = session
        self.echo = echo  # repeat what was read, when the input is not a terminal
        self.out = out
        self.err = err
        self.width = width
        self.transcript = transcript

    def write(self, text: str = "") -> None:
        text = printable(text)
        self.out.write(text + "\n")
        if self.transcript is not None:
            self.transcript.write(text + "\n")

    def paragraph(self, text: str) -> str:
        if self.width <= 0:
            return text
        return "\n".join(textwrap.fill(line, self.width) if line.strip() else line
                         for line in text.split("\n"))

    def show(self) -> None:
        for para in self.session.text():
            self.write(self.paragraph(para))
            self.write()
        if self.session.ending is not None:
            turns = self.session.state.turn
            self.write(f"*** THE END: {self.session.ending} ***  ({plural(turns, 'turn')})")
            return
        options = self.session.options()
        if not options:
            self.write("(There is nothing left to choose here.)")
            return
        for option in options:
            self.write(f"  {option.number}. {self.session.option_text(option)}")
        self.write()

    def run(self, script: Script, lines: Iterator[str] | None) -> int:
        """Play until an ending, a dead end, the end of the script or of input."""
        self.write(self.session.story.title)
        self.write("=" * len(self.session.story.title))
        self.write()
        self.show()
        steps = iter(script.numbers) if script.numbers is not None else None
        step = 0
        while not self.session.over and self.session.state.turn < MAX_TURNS:
            step += 1
            if script.canon:
                try:
                    self.session.choose_canon()
                except SessionError as err:
                    self.err.write(f"carnet: --canon stopped: {err}\n")
                    return 1
                self.write()
            elif steps is not None:
                number = next(steps, None)
                if number is None:
                    return 0
                self.write(f"> {number}")
                try:
                    self.session.choose(number)
                except SessionError as err:
                    self.err.write(f"carnet: --choices: step {step}: {err}\n")
                    return 2
                self.write()
            else:
                assert lines is not None
                if not self.read_one(lines):
                    return 0
            self.show()
        return 0

    def read_one(self, lines: Iterator[str]) -> bool:
        """Read input lines until one moves the story; False at end of input or quit."""
        count = len(self.session.options())
        while True:
            self.out.write("> ")
            self.out.flush()
            line = next(lines, None)
            if line is None:
                self.out.write("\n")
                return False
            answer = line.strip()
            if self.echo:
                self.out.write(printable(answer) + "\n")
            if self.transcript is not None:
                self.transcript.write(f"> {printable(answer)}\n")
            if answer in ("q", "quit"):
                return False
            if answer in ("u", "undo", "back"):
                if self.session.undo():
                    self.write()
                    self.show()
                else:
                    self.write("(Nothing to undo: this is the start.)")
                continue
            number = choice_number(answer)
            if number is None:
                if answer:
                    self.write(f"{shown(answer)} is not a choice here: type the number of a "
                               f"choice (1-{count}), or 'quit'.")
                continue
            before = self.session.snapshot()
            try:
                self.session.choose(number)
            except TURN_ERRORS as err:
                self.session.restore(*before)
                self.write(f"{err}.")
                continue
            self.write()
            return True


def parse_choices(text: str) -> tuple[int, ...]:
    """`2,1,1` -> (2, 1, 1). Raises ValueError with a message."""
    numbers = []
    for part in text.split(","):
        part = part.strip()
        number = choice_number(part)
        if number is None or number < 1:
            raise ValueError(f"--choices takes numbers like 2,1,1; {shown(part)} is not a "
                             "choice number")
        numbers.append(number)
    return tuple(numbers)
