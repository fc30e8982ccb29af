"""The prompt_toolkit layer: reads lines and keys, draws what commands return.

One :class:`~prompt_toolkit.PromptSession` and a loop: Ctrl-C drops the line,
Ctrl-D (or ``quit``) writes the autosave and leaves. Everything printed goes
through :meth:`Screen.emit`, which also keeps the plain text (``shown``) so
tests can read what the player saw.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, WordCompleter
from prompt_toolkit.formatted_text import FormattedText, StyleAndTextTuples
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.output import ColorDepth, Output, create_output
from prompt_toolkit.shortcuts import print_formatted_text

from carnet.engine.files import write_atomic
from carnet.engine.model import Story
from carnet.engine.repl import menu
from carnet.engine.repl.commands import Game
from carnet.engine.repl.completion import ReplCompleter
from carnet.engine.repl.keys import key_bindings
from carnet.engine.repl.render import Line, one, plain, text_width
from carnet.engine.repl.style import colour_wanted, make_style
from carnet.engine.repl.toolbar import toolbar_spans
from carnet.engine.session import Session
from carnet.engine.text import printable
from carnet.engine.userdata import UserData

PROMPT: StyleAndTextTuples = [("class:prompt", "> ")]
MENU_PROMPT: StyleAndTextTuples = [("class:prompt", "story> ")]
CTRL_C_NOTE = "(Ctrl-C drops the line. To leave, type quit or press Ctrl-D.)"


def styled(spans: Iterable[tuple[str, str]]) -> StyleAndTextTuples:
    """prompt_toolkit fragments; story text cannot send control characters."""
    return [(f"class:{cls}" if cls else "", printable(text)) for cls, text in spans]


class SafeFileHistory(FileHistory):
    """FileHistory that never stops the game: an unreadable or unwritable
    history file just means no history."""

    def load_history_strings(self) -> Iterable[str]:
        try:
            return list(super().load_history_strings())
        except OSError:
            return []

    def store_string(self, string: str) -> None:
        with contextlib.suppress(OSError):
            super().store_string(string)


def file_history(store: UserData) -> History:
    path = store.usable_history()
    return InMemoryHistory() if path is None else SafeFileHistory(str(path))


class Screen:
    """Where lines go: the terminal (through prompt_toolkit), the plain-text
    record ``shown``, and the transcript file if any."""

    def __init__(self, *, input: Input | None = None, output: Output | None = None,
                 colour: bool = True, transcript: TextIO | None = None) -> None:
        self.input = input
        self.output = output if output is not None else create_output()
        self.colour = colour
        self.style = make_style(colour)
        self.color_depth = None if colour else ColorDepth.MONOCHROME
        self.transcript = transcript
        self.shown: list[str] = []

    def width(self) -> int:
        return text_width(self.output.get_size().columns)

    def emit(self, lines: Sequence[Line]) -> None:
        if not lines:
            return
        fragments: StyleAndTextTuples = []
        for line in lines:
            fragments.extend(styled(line))
            fragments.append(("", "\n"))
            text = printable(plain(line))
            self.shown.append(text)
            if self.transcript is not None:
                self.transcript.write(text + "\n")
        print_formatted_text(FormattedText(fragments), end="", style=self.style,
                             output=self.output, color_depth=self.color_depth,
                             include_default_pygments_style=False)

    def typed(self, text: str) -> None:
        if self.transcript is not None:
            self.transcript.write(f"> {text}\n")

    def session(self, message: StyleAndTextTuples, completer: Completer,
                history: History, *, key_bindings: KeyBindings | None = None,
                bottom_toolbar: Callable[[], StyleAndTextTuples] | None = None,
                ) -> PromptSession[str]:
        """A PromptSession on this screen's input, output and style."""
        return PromptSession(message, completer=completer, complete_while_typing=False,
                             history=history, key_bindings=key_bindings,
                             bottom_toolbar=bottom_toolbar, input=self.input,
                             output=self.output, style=self.style,
                             color_depth=self.color_depth,
                             include_default_pygments_style=False)


class Repl:
    """The game loop for one :class:`Game` on a :class:`Screen`."""

    def __init__(self, game: Game, screen: Screen, *, history: History | None = None) -> None:
        self.game = game
        self.screen = screen
        self.prompt = screen.session(
            PROMPT, ReplCompleter(game),
            history if history is not None else InMemoryHistory(),
            key_bindings=key_bindings(), bottom_toolbar=self.toolbar)

    def toolbar(self) -> StyleAndTextTuples:
        return styled(toolbar_spans(self.game, self.screen.output.get_size().columns))

    def run(self, *, resume: bool = False) -> int:
        """Play until quit or Ctrl-D; the exit status."""
        width = self.screen.width()
        self.screen.emit(self.game.begin(width, resume=resume).lines)
        while True:
            try:
                text = self.prompt.prompt()
            except KeyboardInterrupt:
                self.screen.emit([one("note", CTRL_C_NOTE)])
                continue
            except EOFError:
                reply = self.game.leave()
            else:
                self.screen.typed(text)
                try:
                    reply = self.game.handle(text, self.screen.width())
                except Exception:
                    self.screen.emit(self.game.crashed().lines)
                    raise
            self.screen.emit(reply.lines)
            if reply.quit:
                return reply.code


def choose_story(screen: Screen, items: Sequence[menu.Entry]) -> menu.Entry | None:
    """Show the menu and read a pick; None when the player leaves."""
    ids = [entry.ref.id for entry in items]
    prompt = screen.session(MENU_PROMPT, WordCompleter(ids, ignore_case=True), InMemoryHistory())
    screen.emit(menu.menu_lines(items, screen.width()))
    while True:
        try:
            text = prompt.prompt()
        except KeyboardInterrupt:
            screen.emit([one("note", "(Ctrl-C drops the line. To leave, press Ctrl-D.)")])
            continue
        except EOFError:
            return None
        if text.strip().casefold() in ("quit", "exit"):
            return None
        picked = menu.pick(items, text)
        if isinstance(picked, str):
            screen.emit([one("error", picked)])
        elif picked is not None and picked.story is None:
            screen.emit(menu.refusal(picked))
        elif picked is not None:
            screen.emit([()])
            return picked


def run_repl(args: argparse.Namespace, story: Story | None, *, input: Input | None = None,
             output: Output | None = None, env: dict[str, str] | None = None) -> int:
    """`carnet play` on a terminal. ``input``/``output``/``env`` are for tests."""
    env = dict(os.environ) if env is None else env
    screen = Screen(input=input, output=output, colour=colour_wanted(args.no_color, env))
    return play(args, story, screen, UserData.locate(args.save_dir, env))


def play(args: argparse.Namespace, story: Story | None, screen: Screen,
         store: UserData) -> int:
    """Play ``story``, or the one picked from the menu when it is None. The
    transcript file (``--transcript``) is written only once there is a story,
    in one piece when the game ends."""
    from carnet.engine.stories import NO_STORIES, find_stories, search_dirs

    name = args.story or ""
    resume = args.resume
    if story is None:
        refs = find_stories(search_dirs(args.dir))
        if not refs:
            screen.emit([one("error", NO_STORIES)])
            return 2
        entry = choose_story(screen, menu.entries(refs, store))
        if entry is None or entry.story is None:
            return 0
        story, name = entry.story, entry.ref.id
        resume = resume or entry.in_progress  # picking a game in progress continues it
    game = Game.start(Session.start(story), store, debug=args.debug,
                      resume_as=shlex.quote(name or story.id))
    transcript = io.StringIO() if args.transcript is not None else None
    screen.transcript = transcript
    code = 2
    try:
        code = Repl(game, screen, history=file_history(store)).run(resume=resume)
    finally:
        screen.transcript = None
        if transcript is not None:
            try:
                write_atomic(args.transcript, transcript.getvalue())
            except OSError as err:
                sys.stderr.write(f"carnet: cannot write the transcript: {err.strerror}\n")
                code = 2
    return code
