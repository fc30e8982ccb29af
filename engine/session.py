"""A play session: the story, the current state and the undo stack.

The one mutable object of the runtime ("frozen values, mutable managers"):
players (plain, JSON lines, the REPL) drive a :class:`Session` and only
render what it holds.
"""

from __future__ import annotations

import attrs

from carnet.engine import state as sm
from carnet.engine.expr import EvalError
from carnet.engine.expr.nodes import Value
from carnet.engine.limits import MAX_INT_DIGITS
from carnet.engine.model import Scene, Story
from carnet.engine.state import Hidden, Option, State

UNDO_LIMIT = 1000


class SessionError(ValueError):
    """A request the session cannot carry out, with a message for the player."""


@attrs.define
class Session:
    story: Story
    state: State
    undo_stack: list[State] = attrs.Factory(list)

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

    # -- moving ----------------------------------------------------------------
    def _push(self, new: State) -> None:
        self.undo_stack.append(self.state)
        del self.undo_stack[:-UNDO_LIMIT]
        self.state = new

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
        self.state = self.undo_stack.pop()
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
