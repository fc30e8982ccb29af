"""What the author says to the converter in the prose file itself.

Two things in a story file are not story text:

- a **title line**: the first paragraph, when it is a single short line (at most
  12 words, 100 characters) without final punctuation, and more paragraphs
  follow. It becomes the story's title and is not a paragraph of the story;
- **marker lines**: a paragraph that is only ``[[choice]]`` or ``[[no choice]]``
  (any case, spaces allowed inside the brackets). ``[[choice]]`` between two
  paragraphs puts a choice point there, whatever the reading found;
  ``[[no choice]]`` keeps one from being put there. A marker before the first
  paragraph or after the last has nowhere to act and is reported.

Both are removed from the canonical text: every other paragraph is kept
exactly as written. Boundaries are counted like :attr:`Beat.boundary`: the
index, among the kept paragraphs, of the first paragraph after the marker.
"""

from __future__ import annotations

import re

import attrs

from carnet.engine.text import split_paragraphs
from carnet.tools.convert.analysis import Marker, MarkerKind

_MARKER = re.compile(r"\[\[\s*(no\s+choice|choice)\s*\]\]", re.IGNORECASE)
_TITLE_END = ".!?,;:…\"”’'»)-–—"
_TITLE_MAX_WORDS = 12
_TITLE_MAX_CHARS = 100

@attrs.frozen
class Prepared:
    """The story text with the author's title and markers taken out."""

    paragraphs: tuple[str, ...]
    title: str | None
    markers: tuple[Marker, ...]

    @property
    def forced(self) -> frozenset[int]:
        return frozenset(m.boundary for m in self.markers if m.usable and m.kind == "choice")

    @property
    def forbidden(self) -> frozenset[int]:
        return frozenset(m.boundary for m in self.markers if m.usable and m.kind == "no choice")


def title_line(paragraphs: tuple[str, ...]) -> str | None:
    """The first paragraph, if it is a short single line without final punctuation
    and more paragraphs follow: then it is the story's title."""
    if len(paragraphs) < 2:
        return None
    line = paragraphs[0].strip()
    if "\n" in line or not line or len(line) > _TITLE_MAX_CHARS:
        return None
    if line[-1] in _TITLE_END or len(line.split()) > _TITLE_MAX_WORDS:
        return None
    if not any(ch.isalpha() for ch in line):
        return None
    if marker_kind(line) is not None:
        return None
    return line


def marker_kind(paragraph: str) -> MarkerKind | None:
    match = _MARKER.fullmatch(paragraph.strip())
    if match is None:
        return None
    return "choice" if match.group(1).lower() == "choice" else "no choice"


def _lines(text: str, paragraphs: tuple[str, ...]) -> list[int]:
    """The 1-based line where each paragraph starts (one pass over the text)."""
    lines: list[int] = []
    offset = 0
    line = 1
    for paragraph in paragraphs:
        found = text.find(paragraph, offset)
        start = found if found >= 0 else offset
        line += text.count("\n", offset, start)
        lines.append(line)
        line += paragraph.count("\n")
        offset = start + len(paragraph)
    return lines


def prepare(text: str) -> Prepared:
    """Split newline-normalized text into the story's paragraphs, its title line
    and the author's markers (see the module docstring)."""
    paragraphs = split_paragraphs(text)
    title = title_line(paragraphs)
    starts = _lines(text, paragraphs)
    body = list(enumerate(paragraphs))[1 if title is not None else 0 :]
    kept: list[str] = []
    pending: list[tuple[MarkerKind, int]] = []
    markers: list[Marker] = []
    for index, paragraph in body:
        kind = marker_kind(paragraph)
        if kind is not None:
            pending.append((kind, starts[index]))
            continue
        for kind_, line in pending:
            markers.append(Marker(kind_, len(kept), line, usable=bool(kept)))
        pending = []
        kept.append(paragraph)
    markers += [Marker(kind, len(kept), line, usable=False) for kind, line in pending]
    return Prepared(tuple(kept), title, tuple(markers))
