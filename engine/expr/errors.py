"""The two ways an expression can fail: to parse, or to evaluate."""

from __future__ import annotations


class ExprError(Exception):
    """A syntax error or a limit hit while parsing.

    ``offset`` is the 0-based character offset in the source of the offending
    token; the loader turns it into a line and column in the story file.
    """

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint

    def __repr__(self) -> str:
        return f"ExprError({self.message!r}, offset={self.offset}, hint={self.hint!r})"


class EvalError(Exception):
    """Evaluation met a value of the wrong type, an unknown variable, or a limit.

    A tree that passed type checking against the story's variables never raises
    this, except when ``+`` would build a string longer than
    :data:`carnet.engine.limits.MAX_STRING_CHARS` or an integer beyond
    :data:`carnet.engine.limits.MAX_INT`.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
