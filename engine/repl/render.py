"""What the REPL shows, as styled lines: scenes, choices, endings.

Pure functions, no prompt_toolkit: a line is a tuple of ``(style class, text)``
spans; the prompt_toolkit layer turns the class into ``class:<name>``. Scene
text is wrapped to the width given (long words, quotes and line breaks are
kept), paragraphs are separated by a blank line, and quoted speech gets the
``speech`` class.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

Span = tuple[str, str]
Line = tuple[Span, ...]

MIN_WIDTH = 20
MAX_WIDTH = 80
CHOICE_INDENT = "  "
_LEADING_SPACE = re.compile(r"[ \t]*")
def text_width(columns: int) -> int:
    """The wrapping width for a terminal ``columns`` wide: one column spare,
    and no wider than 80, a comfortable measure for prose."""
    return max(MIN_WIDTH, min(columns, MAX_WIDTH) - 1)


def wrap_paragraph(paragraph: str, width: int) -> list[str]:
    """Wrap each line of ``paragraph`` to ``width``, keeping its line breaks and
    the leading indentation of each line. Words are never split unless one is
    wider than the line by itself; hyphenated words stay whole."""
    out: list[str] = []
    for line in paragraph.split("\n"):
        indent = _LEADING_SPACE.match(line)
        lead = indent.group(0).replace("\t", "    ") if indent else ""
        body = line.strip()
        if not body:
            out.append("")
            continue
        if len(lead) > width // 2:
            lead = lead[: width // 2]
        wrapper = textwrap.TextWrapper(width=width, initial_indent=lead, subsequent_indent=lead,
                                       break_on_hyphens=False, break_long_words=True)
        out.extend(wrapper.wrap(body) or [lead])
    return out


def speech_spans(lines: Sequence[str], style: str = "text") -> list[Line]:
    """Styled lines where quoted speech (``"..."``, ``“...”``) has the class
    ``speech``, quote marks included. The open/closed state carries over line
    ends, so speech wrapped onto several lines stays styled."""
    result: list[Line] = []
    inside = False
    for line in lines:
        spans: list[Span] = []
        start = 0
        for i, char in enumerate(line):
            if char == '"' or (char == "“" and not inside) or (char == "”" and inside):
                if inside:
                    spans.append(("speech", line[start:i + 1]))
                    start = i + 1
                else:
                    if i > start:
                        spans.append((style, line[start:i]))
                    start = i
                inside = not inside
        if start < len(line):
            spans.append(("speech" if inside else style, line[start:]))
        result.append(tuple(spans))
    return result


def plain(line: Line) -> str:
    """The text of a styled line, without styles."""
    return "".join(text for _, text in line)


def one(style: str, text: str) -> Line:
    return ((style, text),)


def wrapped(style: str, text: str, width: int, indent: str = "") -> list[Line]:
    """A message wrapped to ``width``, every line in one style."""
    wrapper = textwrap.TextWrapper(width=width, initial_indent=indent, subsequent_indent=indent,
                                   break_on_hyphens=False)
    return [one(style, line) for line in wrapper.wrap(text)] or [()]


def paragraphs(texts: Iterable[str], width: int) -> list[Line]:
    """Scene paragraphs, wrapped and styled, with one blank line between them."""
    lines: list[Line] = []
    for paragraph in texts:
        if lines:
            lines.append(())
        lines.extend(speech_spans(wrap_paragraph(paragraph, width)))
    return lines


def choices(numbered: Sequence[tuple[int, str]], width: int) -> list[Line]:
    """``  1. text`` lines; a long choice wraps under its own text."""
    lines: list[Line] = []
    digits = len(str(len(numbered))) if numbered else 1
    for number, text in numbered:
        label = f"{CHOICE_INDENT}{number:>{digits}}. "
        body_width = max(MIN_WIDTH // 2, width - len(label))
        body = wrap_paragraph(" ".join(text.split()), body_width) or [""]
        lines.append((("number", label), *speech_spans(body[:1], "choice")[0]))
        pad = " " * len(label)
        for rest in speech_spans(body[1:], "choice"):
            lines.append((("choice", pad), *rest))
    return lines


def title(text: str) -> list[Line]:
    return [one("title", text), one("title", "=" * min(len(text), MAX_WIDTH)), ()]


def ending(label: str, turns: int, found: int, total: int, new: bool) -> list[Line]:
    """The block shown at an ending: its label, the turns, the endings found."""
    turn_word = "turn" if turns == 1 else "turns"
    tally = f"Endings found: {found} of {total}" + (" (this one is new)." if new else ".")
    return [
        (),
        one("ending", f"*** The End: {label} ***"),
        one("note", f"{turns} {turn_word}. {tally}"),
        one("note", "Type restart to play again, undo to step back, or quit."),
    ]
