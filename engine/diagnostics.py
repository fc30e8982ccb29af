"""One value for every problem the loader or lint finds, and its text forms.

Detection code yields :class:`Diagnostic` values; formatting happens at the
edge (the CLI), never where a problem is found.
"""

from __future__ import annotations

import enum

import attrs


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(order=True)
class Diagnostic:
    """A problem at a position: 1-based line and column, like compilers print."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = attrs.field(default=Severity.ERROR, order=False)
    hint: str | None = attrs.field(default=None, order=False)

    def format(self) -> str:
        """``path:line:col: CODE message`` (and the hint on the next line)."""
        text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


# The loader's codes. Lint reports them as findings too, so they are stable:
# never renumber, only add.
LOADER_CODES: dict[str, str] = {
    "E001": "the file cannot be read as YAML (syntax, encoding, size)",
    "E002": "unsafe YAML construct (alias, anchor or object tag)",
    "E003": "duplicate mapping key",
    "E004": "a value of the wrong type",
    "E005": "unknown key",
    "E006": "missing required key",
    "E007": "invalid value",
    "E008": "duplicate scene id across the story",
    "E009": "expression syntax error",
    "E010": "expression type error",
    "E011": "reference to a scene that does not exist",
    "E012": "reference to an undeclared variable",
    "E013": "not a story folder (no story.yaml)",
    "E014": "a variable declared twice",
}
