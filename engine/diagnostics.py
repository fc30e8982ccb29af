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


@attrs.frozen
class LoaderCode:
    """What a loader code is called (kebab-case, like the lint rules' names)
    and what it means."""

    name: str
    summary: str


# The loader's codes, the one table of them. Lint reports them as findings
# too, so they are stable: never renumber, only add.
LOADER_CODES: dict[str, LoaderCode] = {
    "E001": LoaderCode("yaml-syntax", "the file cannot be read as YAML (syntax, encoding, size)"),
    "E002": LoaderCode("unsafe-yaml", "unsafe YAML construct (alias, anchor or object tag)"),
    "E003": LoaderCode("duplicate-key", "duplicate mapping key"),
    "E004": LoaderCode("wrong-type", "a value of the wrong type"),
    "E005": LoaderCode("unknown-key", "unknown key"),
    "E006": LoaderCode("missing-key", "missing required key"),
    "E007": LoaderCode("invalid-value", "invalid value"),
    "E008": LoaderCode("duplicate-scene", "duplicate scene id across the story"),
    "E009": LoaderCode("expression-syntax", "expression syntax error"),
    "E010": LoaderCode("expression-type", "expression type error"),
    "E011": LoaderCode("unknown-scene", "reference to a scene that does not exist"),
    "E012": LoaderCode("undeclared-variable", "reference to an undeclared variable"),
    "E013": LoaderCode("not-a-story", "not a story folder (no story.yaml)"),
}
