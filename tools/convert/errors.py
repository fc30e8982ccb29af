"""The converter's one error type: a problem with an input file, told to the user."""

from __future__ import annotations


class ConvertError(Exception):
    """A file the converter cannot use.

    ``str(error)`` is ``path: message``; :meth:`format` adds the hint, if any,
    on the next line. The CLI prints it and exits non-zero: no traceback.
    """

    def __init__(self, path: str, message: str, hint: str | None = None) -> None:
        super().__init__(path, message, hint)
        self.path = path
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def format(self) -> str:
        """``path: message``, then ``    hint: ...`` when there is a hint."""
        text = str(self)
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text
