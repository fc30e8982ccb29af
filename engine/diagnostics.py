"""One value for every problem the loader or lint finds, and its text forms.

Detection code yields :class:`Diagnostic` values; formatting happens at the
edge (the CLI), never where a problem is found.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable

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
    "E014": LoaderCode("duplicate-variable", "a variable declared twice"),
}


class Suggester:
    """"did you mean ...?" hints over one set of names, each lookup bounded.

    The names are read at the first lookup (so a builder can make its
    suggester before its tables are filled). Up to ``SCAN_ALL`` names,
    difflib ranks them all. Beyond, the candidates are the names one edit
    away (a letter deleted, inserted or changed, or two swapped), found
    through an index of the names with one letter deleted, built once in
    time linear in the names' total length; difflib ranks at most
    ``MAX_CANDIDATES`` of them. So a story with thousands of misspellings
    costs thousands of small lookups, not thousands of scans of every name.
    """

    SCAN_ALL = 100
    MAX_CANDIDATES = 20
    MAX_LENGTH = 64  # longer words and names get no hint

    def __init__(self, names: Iterable[str]) -> None:
        self._source = names
        self._names: list[str] | None = None
        self._index: dict[str, list[str]] = {}
        self._cache: dict[str, str | None] = {}
        self.compared = 0  # names ranked by difflib so far (tests check the bound)

    def __call__(self, word: str) -> str | None:
        """``did you mean 'name'?``, or None when no name is close."""
        if word not in self._cache:
            close = self._closest(word)
            self._cache[word] = f"did you mean {close!r}?" if close else None
        return self._cache[word]

    def _closest(self, word: str) -> str | None:
        if self._names is None:
            self._names = sorted(set(self._source))
            if len(self._names) > self.SCAN_ALL:
                for name in self._names:
                    if len(name) <= self.MAX_LENGTH:
                        for key in _deletions(name):
                            self._index.setdefault(key, []).append(name)
        if len(word) > self.MAX_LENGTH:
            return None
        names = self._names
        if len(names) > self.SCAN_ALL:
            found: set[str] = set()
            for key in _deletions(word):
                found.update(self._index.get(key, ()))
            names = sorted(found)[: self.MAX_CANDIDATES]
        self.compared += len(names)
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
        return close[0] if close else None


def _deletions(word: str) -> set[str]:
    """``word`` and every string made by deleting one of its letters."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}
