"""The REPL's command logic: input text in, lines to show out.

Knows nothing of prompt_toolkit. A :class:`Game` drives a
:class:`~engine.session.Session` and the player's files
(:class:`~engine.userdata.UserData`); :meth:`Game.handle` takes one line of
input and returns a :class:`Reply` (styled lines, and whether to leave).
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Callable

import attrs

from carnet.engine.choosing import named, normalize
from carnet.engine.expr.nodes import Value
from carnet.engine.loader import did_you_mean
from carnet.engine.repl import render
from carnet.engine.repl.render import Line, one
from carnet.engine.saves import SaveError
from carnet.engine.session import TURN_ERRORS, Session, SessionError, choice_number
from carnet.engine.state import Option, once_key
from carnet.engine.text import format_value
from carnet.engine.userdata import AUTOSAVE, QUICKSAVE, BadSaveName, UserData, Written

_WORDS = re.compile(r"\s+")


@attrs.frozen
class Reply:
    """What to show for one input, and whether the REPL should stop
    (``code`` is then the exit status)."""

    lines: tuple[Line, ...] = ()
    quit: bool = False
    code: int = 0


@attrs.frozen
class Command:
    """One REPL command. To add one: an entry in :data:`COMMANDS` and a method
    ``Game._NAME(self, args, width) -> list[Line]`` (``_`` + the name); help,
    Tab completion and dispatch all read :data:`COMMANDS`."""

    name: str
    usage: str
    help: str
    min_args: int = 0
    max_args: int = 0  # the last argument takes the rest of the line
    aliases: tuple[str, ...] = ()
    debug: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("help", "help", "this list"),
    Command("look", "look", "show the scene again"),
    Command("undo", "undo", "take back the last choice", aliases=("back",)),
    Command("restart", "restart", "start the story again (undo takes you back)"),
    Command("save", "save [NAME]", f"save the game (default name: {QUICKSAVE})", max_args=1),
    Command("load", "load [NAME]", f"load a save (default: {QUICKSAVE})", max_args=1),
    Command("saves", "saves", "list this story's saves"),
    Command("history", "history", "the scenes you have been through"),
    Command("state", "state", "variables, visit counts and once-only choices taken"),
    Command("why", "why", "the choices hidden here, and what hides each"),
    Command("quit", "quit", "save and leave (Ctrl-D too); --continue resumes",
            aliases=("exit",)),
    Command("goto", "goto SCENE", "jump to a scene", 1, 1, debug=True),
    Command("set", "set VAR VALUE", "set a variable", 2, 2, debug=True),
)
BY_NAME: dict[str, Command] = {
    name: command for command in COMMANDS for name in (command.name, *command.aliases)
}


def split_args(rest: str, count: int) -> list[str]:
    """Up to ``count`` arguments; the last one keeps the rest of the line."""
    if not rest or count <= 0:
        return [rest] if rest else []
    return _WORDS.split(rest, maxsplit=count - 1)


def available(command: Command, debug: bool) -> bool:
    return debug or not command.debug


@attrs.define
class Game:
    """One game of one story, driven by typed lines.

    ``resume_as`` is how the player named the story (shown in the hint
    printed on leaving). ``found`` holds the scene ids of the endings found
    so far, kept in step with the endings file.
    """

    session: Session
    store: UserData
    debug: bool = False
    resume_as: str = ""
    found: frozenset[str] = frozenset()
    unsaved_leave: bool = False  # the last attempt to leave could not save
    keep_autosave: bool = False  # a game in progress could not be moved: never write over it

    @classmethod
    def start(cls, session: Session, store: UserData, *, debug: bool = False,
              resume_as: str = "") -> Game:
        return cls(session, store, debug, resume_as or session.story.id,
                   store.endings_found(session.story))

    # -- what the toolbar and the completer read ---------------------------------
    @property
    def total_endings(self) -> int:
        return len(self.session.story.endings)

    def commands(self) -> tuple[Command, ...]:
        return tuple(c for c in COMMANDS if available(c, self.debug))

    def option_texts(self) -> list[tuple[int, str]]:
        return [(o.number, self.session.option_text(o)) for o in self.session.options()]

    # -- the lines of a scene ----------------------------------------------------
    def scene(self, width: int, *, record: bool = True) -> list[Line]:
        """The current scene, its choices, or its ending block."""
        session = self.session
        lines = render.paragraphs(session.text(), width)
        if session.ending is not None:
            return lines + self._ending(record)
        options = self.option_texts()
        if not options:
            return [*lines, (), *render.wrapped(
                "note", "There is nothing left to choose here. Type undo, restart or quit.",
                width)]
        return [*lines, (), *render.choices(options, width)]

    def _ending(self, record: bool) -> list[Line]:
        session = self.session
        lines: list[Line] = []
        new = session.state.scene not in self.found
        if record and new:
            try:
                self.found = self.store.record_ending(session.story, session.state.scene)
            except OSError as err:
                lines.append(one("error", f"(Could not remember this ending: {err.strerror}.)"))
        label = session.ending or ""
        block = render.ending(label, session.state.turn, len(self.found), self.total_endings,
                              new and session.state.scene in self.found)
        return block + lines

    def opening(self, width: int) -> Reply:
        """The title and the first scene."""
        return Reply(tuple(render.title(self.session.story.title) + self.scene(width)))

    # -- starting, resuming and leaving -------------------------------------------
    def begin(self, width: int, *, resume: bool) -> Reply:
        """The first reply of a game: the autosave continued (``--continue``),
        or a new game; a game in progress is never lost to a new one."""
        if resume:
            return self.resume(width)
        try:
            kept = self.store.keep_in_progress(self.session.story)
        except OSError as err:
            lines = render.wrapped("error", f"Your game in progress could not be kept aside "
                                   f"({err.strerror}); it stays the autosave, and this "
                                   "game will not be saved over it.", width)
            self.keep_autosave = True
            return Reply((*lines, (), *self.opening(width).lines))
        if kept is None:
            return self.opening(width)
        if isinstance(kept, str):
            note = (f"(A new game. Your game in progress is kept as the save {kept!r}: "
                    f"type load {kept} to go back to it.)")
        else:
            note = f"(A new game. The autosave could not be read; it is kept as {kept}.)"
        return Reply((*render.wrapped("note", note, width), (), *self.opening(width).lines))

    def resume(self, width: int) -> Reply:
        """Load the autosave (for ``--continue``); a new game when there is none
        or it cannot be read (it is then kept aside, and the player told where)."""
        story = self.session.story
        continued = self.store.continue_game(self.session)
        if continued.loaded is None:
            if continued.refused:
                lines = render.wrapped("error", continued.message, width)
            else:
                lines = render.wrapped("note", f"({continued.message})", width)
            return Reply((*lines, (), *self.opening(width).lines))
        loaded = continued.loaded
        head = one("note", f"(Continuing your game: turn {loaded.state.turn}.)")
        notes = [one("note", f"note: {n}") for n in loaded.notes]
        return Reply((*render.title(story.title), head, *notes, (), *self.scene(width)))

    def leave(self) -> Reply:
        """Write the autosave and stop (``quit`` and Ctrl-D).

        When the autosave cannot be written the game goes on, so the player
        loses nothing; asking to leave a second time leaves without it.
        """
        try:
            written = self._write_autosave()
        except OSError as err:
            if self.unsaved_leave:
                return Reply((one("error", "Left without saving."),), quit=True, code=1)
            self.unsaved_leave = True
            return Reply((one("error", f"Could not save your game: {err.strerror or err}."),
                          one("note", "Your game goes on. Quit again (or Ctrl-D) to leave "
                              "without saving.")))
        hint = f"carnet play {self.resume_as} --continue"
        notes = tuple(one("note", n) for n in written.notes())
        return Reply((*notes, one("note", f"Game saved. `{hint}` picks it up again.")),
                     quit=True)

    def _write_autosave(self) -> Written:
        """Write the autosave. Raises OSError (also when the autosave still
        holds a game in progress that could not be kept aside)."""
        if self.keep_autosave:
            raise OSError(errno.EEXIST, "the game in progress is still the autosave")
        return self.store.write_save(self.session.story, AUTOSAVE, self.session.state,
                                     self.session.undo_stack)

    def crashed(self) -> Reply:
        """After an unexpected error: the game (as it was before the failed
        turn) written to the autosave if possible, and what to tell the player."""
        try:
            self._write_autosave()
        except OSError as err:
            return Reply((one("error", "Something went wrong inside carnet (a bug), and your "
                              f"game could not be saved: {err.strerror or err}."),),
                         quit=True, code=1)
        hint = f"carnet play {self.resume_as} --continue"
        return Reply((one("error", "Something went wrong inside carnet (a bug). Your game "
                          f"was saved as it was before that turn: `{hint}` picks it up."),),
                     quit=True, code=1)

    # -- one line of input ------------------------------------------------------------
    def handle(self, text: str, width: int) -> Reply:
        """Carry out one line of input. A turn that fails (a limit of the
        story's expressions, a number too large to show...) is taken back:
        the game is as it was, and the player is told. Any other exception
        also takes the turn back, then goes up to the caller (who should save
        with :meth:`crashed`)."""
        before = self.session.snapshot()
        try:
            return self._handle(text, width)
        except TURN_ERRORS as err:
            self.session.restore(*before)
            return Reply(tuple(render.wrapped(
                "error", f"That turn could not be played: {err}. Your game is as it was "
                "before it.", width)))
        except BaseException:
            self.session.restore(*before)
            raise

    def _handle(self, text: str, width: int) -> Reply:
        text = text.strip()
        if not text:
            return Reply()
        number = choice_number(text)
        if number is not None:
            return self._choose_number(text, number, width)
        head, *tail = text.split(None, 1)
        command = BY_NAME.get(head.casefold())
        rest = tail[0].strip() if tail else ""
        if command is not None and available(command, self.debug):
            args = split_args(rest, command.max_args)
            if command.min_args <= len(args) <= command.max_args:
                if command.name == "quit":
                    return self.leave()
                return Reply(tuple(self._run(command, args, width)))
        match = self._match_choice(text)
        if isinstance(match, Option):
            typed_all = normalize(text) == normalize(self.session.option_text(match))
            return self._take(match, width, echo=not typed_all)
        if match:
            return Reply(tuple(render.wrapped("error", match, width)))
        if command is not None and not available(command, self.debug):
            return Reply((one("error", f"{command.name} is an author command: start with "
                              "`carnet play STORY --debug` to use it."),))
        if command is not None:
            return Reply((one("error", f"Usage: {command.usage}"),))
        return Reply(tuple(render.wrapped(
            "error", f"I don't understand {text!r}. Type a choice's number, the start of "
            "its text, or help.", width)))

    def _match_choice(self, text: str) -> Option | str | None:
        """The option whose text starts with ``text`` (case-insensitively), or a
        message when several do, or None."""
        options = self.session.options()
        matches = named([(o, self.session.option_text(o)) for o in options], text)
        if len(matches) == 1:
            return matches[0]
        if matches:
            numbers = ", ".join(str(o.number) for o in matches)
            return f"{text!r} could be any of {numbers}: type more of the text, or the number."
        return None

    def _choose_number(self, text: str, number: int, width: int) -> Reply:
        options = self.session.options()
        if not options:
            return Reply(tuple(render.wrapped(
                "error", "There is nothing to choose here: type restart, undo or quit.", width)))
        for option in options:
            if option.number == number:
                return self._take(option, width, echo=True)
        shown = text if len(text) <= 40 else text[:40] + "…"
        return Reply((one("error", f"{shown} is not a choice here: pick 1-{len(options)}."),))

    def _take(self, option: Option, width: int, *, echo: bool) -> Reply:
        """Take ``option``; ``echo`` repeats its text (when a number or a
        prefix was typed)."""
        chosen = " ".join(self.session.option_text(option).split())
        try:
            self.session.choose(option.number)
        except SessionError as err:
            return Reply(tuple(render.wrapped(
                "error", f"{err}. Your game is as it was before this choice.", width)))
        head = (one("chosen", f"» {chosen}"),) if echo else ()
        return Reply((*head, (), *self.scene(width)))

    # -- commands ----------------------------------------------------------------------
    def _run(self, command: Command, args: list[str], width: int) -> list[Line]:
        handler: Callable[[list[str], int], list[Line]] = getattr(self, f"_{command.name}")
        return handler(args, width)

    def _help(self, args: list[str], width: int) -> list[Line]:
        lines = render.wrapped("note", "Type a choice's number, or the start of its text (Tab "
                               "completes it). Or one of these commands:", width)
        usages = [(", ".join((c.usage, *c.aliases)), c.help) for c in self.commands()]
        usage_width = max(len(usage) for usage, _ in usages)
        for usage, about in usages:
            lines.append((("command", f"  {usage:<{usage_width}}"), ("note", f"  {about}")))
        lines.extend(render.wrapped("note", "Keys: Tab completes, Up/Down recall what you "
                                    "typed, Ctrl-C drops the line, Ctrl-D saves and leaves, "
                                    "F1 shows this help.", width))
        return lines

    def _look(self, args: list[str], width: int) -> list[Line]:
        return self.scene(width, record=False)

    def _undo(self, args: list[str], width: int) -> list[Line]:
        if not self.session.undo():
            return [one("error", "Nothing to undo: this is the start of the story.")]
        return [one("note", "(Undone.)"), (), *self.scene(width, record=False)]

    def _restart(self, args: list[str], width: int) -> list[Line]:
        self.session.restart()
        return [one("note", "(A new game. Type undo to go back to where you were.)"), (),
                *render.title(self.session.story.title), *self.scene(width)]

    def _save(self, args: list[str], width: int) -> list[Line]:
        name = args[0] if args else QUICKSAVE
        if name == AUTOSAVE:
            return [one("error", f"{AUTOSAVE!r} is written when you quit: pick another name.")]
        try:
            written = self.store.write_save(self.session.story, name, self.session.state,
                                            self.session.undo_stack)
        except BadSaveName as err:
            return render.wrapped("error", str(err), width)
        except OSError as err:
            return render.wrapped("error", f"Could not save: {err.strerror or err}. Your game "
                                  "goes on, and any earlier save of that name is untouched.",
                                  width)
        notes = [line for n in written.notes() for line in render.wrapped("note", n, width)]
        return [*notes, one("note", f"Saved as {name!r} ({written.path}).")]

    def _load(self, args: list[str], width: int) -> list[Line]:
        name = args[0] if args else QUICKSAVE
        try:
            loaded = self.store.resume(self.session, name)
        except BadSaveName as err:
            return render.wrapped("error", str(err), width)
        except SaveError as err:
            return render.wrapped("error", f"Cannot load {name!r}: {err}. Your game goes on; "
                                  "the file is left as it is.", width)
        head = one("note", f"(Loaded {name!r}: turn {loaded.state.turn}.)")
        notes = [one("note", f"note: {n}") for n in loaded.notes]
        return [head, *notes, (), *self.scene(width)]

    def _saves(self, args: list[str], width: int) -> list[Line]:
        story = self.session.story
        names = self.store.save_names(story)
        kept = self.store.kept_aside(story)
        lines: list[Line] = []
        if names:
            lines.append(one("note", f"Saves of {story.id!r} (load NAME):"))
            name_width = max(len(n) for n in names)
            for name in names:
                try:
                    state = self.store.read_save(story, name).state
                    about = f"turn {state.turn}, at {state.scene}"
                except (SaveError, BadSaveName) as err:
                    about = f"cannot be loaded: {err}"
                lines.append((("command", f"  {name:<{name_width}}"), ("note", f"  {about}")))
        else:
            lines.append(one("note", "No saves yet for this story. Type save NAME to make one."))
        if kept:
            lines += render.wrapped("note", f"Kept aside because they could not be read, in "
                                    f"{self.store.save_folder(story)}:", width)
            lines += [one("note", f"  {path.name}") for path in kept]
        return lines

    def _history(self, args: list[str], width: int) -> list[Line]:
        path = self.session.state.path
        scenes = "scene" if len(path) == 1 else "scenes"
        head = one("note", f"Your path so far ({len(path)} {scenes}, turn "
                   f"{self.session.state.turn}):")
        return [head, *render.wrapped("text", " > ".join(path), width, "  ")]

    def _state(self, args: list[str], width: int) -> list[Line]:
        state = self.session.state
        lines = [one("note", f"Turn {state.turn}, scene {state.scene}.")]
        lines.append(one("note", "Variables:" if state.vars else "No variables."))
        for name, value in sorted(state.vars.items()):
            lines.append((("command", f"  {name}"), ("text", f" = {show_value(value)}")))
        lines.append(one("note", "Visits:"))
        for scene_id, count in sorted(state.visits.items()):
            lines.append((("command", f"  {scene_id}"), ("text", f" {count}")))
        taken = [(scene.id, choice.text) for scene in self.session.story.scenes.values()
                 for choice in scene.choices
                 if choice.once and once_key(scene.id, choice) in state.once]
        if taken:
            lines.append(one("note", "Once-only choices taken:"))
            for scene_id, text in sorted(taken):
                lines.append((("command", f"  {scene_id}"),
                              ("text", f" {' '.join(text.split())}")))
        return lines

    def _why(self, args: list[str], width: int) -> list[Line]:
        hidden = self.session.hidden()
        if not hidden:
            return [one("note", "No choices are hidden here.")]
        lines = [one("note", "Hidden here:")]
        for item in hidden:
            text = " ".join(self.session.option_text(Option(0, item.index, item.choice)).split())
            lines.append((("choice", f"  {text}"), ("note", f"  ({item.reason})")))
        return lines

    def _goto(self, args: list[str], width: int) -> list[Line]:
        scenes = self.session.story.scenes
        try:
            self.session.goto(args[0])
        except SessionError as err:
            hint = did_you_mean(args[0], scenes)
            return [one("error", f"{err}." + (f" ({hint})" if hint else ""))]
        return [one("note", f"(Went to {args[0]}.)"), (), *self.scene(width, record=False)]

    def _set(self, args: list[str], width: int) -> list[Line]:
        name, text = args
        try:
            value = self.session.set_var(name, text)
        except SessionError as err:
            hint = did_you_mean(name, self.session.story.variables)
            return [one("error", f"{err}." + (f" ({hint})" if hint else ""))]
        lines = [one("note", f"({name} = {show_value(value)}; undo takes it back.)")]
        options = self.option_texts()
        if options and self.session.ending is None:
            lines += [(), *render.choices(options, width)]
        return lines


def show_value(value: Value) -> str:
    """A variable's value as written in a story: strings in double quotes."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return format_value(value)
