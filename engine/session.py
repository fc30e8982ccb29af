"""A play session: the story, the current state and the undo stack.

The one mutable object of the runtime ("frozen values, mutable managers"):
players (plain, JSON lines, the REPL) drive a :class:`Session` and only
render what it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from carnet.engine import state as sm
from carnet.engine.expr import EvalError
from carnet.engine.expr.nodes import Value
from carnet.engine.limits import MAX_INT_DIGITS
from carnet.engine.model import Scene, Story
from carnet.engine.state import Hidden, Option, State

UNDO_LIMIT = 1000
"""The most undo steps kept."""
UNDO_BUDGET = 250_000
"""The most cells (variables, visit counts, once-only flags and path entries,
counted per state) the undo stack may hold: a long game keeps fewer undo
steps rather than use memory without bound. A state is always at least 1."""


def state_cells(state: State) -> int:
    """What keeping ``state`` on the undo stack costs, in cells: the size of
    its mappings and sequences (an upper bound when parts are shared)."""
    return 1 + len(state.vars) + len(state.visits) + len(state.once) + len(state.path)


MAX_NUMBER_DIGITS = 9


def choice_number(text: str) -> int | None:
    """``text`` as a choice number typed by a player: ASCII digits only (not
    ``²`` or ``٣``, which Python's ``isdigit`` accepts), at most 9 of them
    (a longer number is no choice: it counts as 0). None when it is not a number."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= MAX_NUMBER_DIGITS else 0


class SessionError(ValueError):
    """A request the session cannot carry out, with a message for the player."""


TURN_ERRORS: tuple[type[BaseException], ...] = (
    EvalError, ValueError, ArithmeticError, RecursionError, MemoryError)
"""What a story can make a turn raise (a limit of its expressions, an integer
too large to show...): a player takes the turn back and tells the player."""


@attrs.define
class Session:
    story: Story
    state: State
    undo_stack: list[State] = attrs.Factory(list)
    # the cells of undo_stack, kept up to date by the session (counted again
    # when the list was replaced or changed length behind the session's back)
    _cells: int = attrs.field(default=0, init=False, repr=False, eq=False)
    _counted: tuple[list[State] | None, int] = attrs.field(
        default=(None, 0), init=False, repr=False, eq=False)

    @classmethod
    def start(cls, story: Story) -> Session:
        return cls(story, sm.new_game(story))

    # -- reading ---------------------------------------------------------------
    @property
    def scene(self) -> Scene:
        return sm.current_scene(self.story, self.state)

    def text(self) -> tuple[str, ...]:
        return sm.scene_text(self.story, self.state)

    def options(self) -> tuple[Option, ...]:
        return sm.options(self.story, self.state)

    def option_text(self, option: Option) -> str:
        return sm.option_text(self.state, option)

    def hidden(self) -> tuple[Hidden, ...]:
        return sm.hidden(self.story, self.state)

    @property
    def ending(self) -> str | None:
        return self.scene.ending

    @property
    def over(self) -> bool:
        return sm.is_over(self.story, self.state)

    # -- saving and restoring --------------------------------------------------
    def snapshot(self) -> tuple[State, tuple[State, ...]]:
        """The current state and the undo stack, for :meth:`restore`."""
        return self.state, tuple(self.undo_stack)

    def restore(self, state: State, undo: Sequence[State] = ()) -> None:
        """Put ``state`` in place, with ``undo`` (oldest first) as the undo
        stack, trimmed to the undo limits. Used by loading a save and by
        players that take back a turn that failed."""
        self.state = state
        self.undo_stack = list(undo)
        self._trim()

    # -- moving ----------------------------------------------------------------
    def _stack_cells(self) -> int:
        """The cells of the undo stack (see :data:`UNDO_BUDGET`)."""
        stack = self.undo_stack
        if self._counted[0] is not stack or self._counted[1] != len(stack):
            self._cells = sum(state_cells(s) for s in stack)
            self._counted = (stack, len(stack))
        return self._cells

    def _trim(self) -> None:
        """Drop the oldest undo steps beyond the count and the cell budget."""
        stack = self.undo_stack
        cells = self._stack_cells()
        drop = 0
        while drop < len(stack) and (len(stack) - drop > UNDO_LIMIT or cells > UNDO_BUDGET):
            cells -= state_cells(stack[drop])
            drop += 1
        del stack[:drop]
        self._cells, self._counted = cells, (stack, len(stack))

    def _push(self, new: State) -> None:
        cells = self._stack_cells() + state_cells(self.state)
        self.undo_stack.append(self.state)
        self._cells, self._counted = cells, (self.undo_stack, len(self.undo_stack))
        self.state = new
        self._trim()

    def choose(self, number: int) -> None:
        try:
            self._push(sm.choose(self.story, self.state, number))
        except (sm.ChoiceError, EvalError) as err:
            raise SessionError(str(err)) from None

    def choose_canon(self) -> None:
        index = sm.canon_index(self.story, self.state)
        if index is None:
            raise SessionError(f"scene {self.state.scene!r} offers no canonical choice")
        try:
            self._push(sm.take(self.story, self.state, index))
        except EvalError as err:
            raise SessionError(str(err)) from None

    def undo(self) -> bool:
        """Step back one choice; False at the start."""
        if not self.undo_stack:
            return False
        cells = self._stack_cells()
        self.state = self.undo_stack.pop()
        self._cells, self._counted = (cells - state_cells(self.state),
                                      (self.undo_stack, len(self.undo_stack)))
        return True

    def restart(self) -> None:
        self._push(sm.new_game(self.story))

    # -- authoring (debug) -----------------------------------------------------
    def goto(self, scene_id: str) -> None:
        if scene_id not in self.story.scenes:
            raise SessionError(f"no scene {scene_id!r}")
        moved = attrs.evolve(self.state, turn=self.state.turn + 1)
        self._push(sm.enter(self.story, moved, scene_id))

    def set_var(self, name: str, text: str) -> Value:
        declared = self.story.variables.get(name)
        if declared is None:
            raise SessionError(f"no variable {name!r}")
        value: Value
        if declared.type == "bool":
            if text not in ("true", "false"):
                raise SessionError(f"{name} is a bool: use true or false")
            value = text == "true"
        elif declared.type == "int":
            digits = text.removeprefix("-")
            if not (digits.isascii() and digits.isdigit()):
                raise SessionError(f"{name} is an int: {text!r} is not a number")
            if len(digits) > MAX_INT_DIGITS:
                raise SessionError(f"{name} is an int of at most {MAX_INT_DIGITS} digits")
            value = int(text)
        else:
            value = text
        self._push(attrs.evolve(self.state, vars={**self.state.vars, name: value}))
        return value
