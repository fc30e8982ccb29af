"""The story menu shown by `carnet play` without a STORY."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.engine.repl import render
from carnet.engine.repl.render import Line, one
from carnet.engine.session import choice_number
from carnet.engine.stories import StoryRef
from carnet.engine.text import plural
from carnet.engine.userdata import AUTOSAVE, UserData

MAX_ERRORS_SHOWN = 5


@attrs.frozen(eq=False)
class Entry:
    """A story found: loaded, or the formatted errors that stop it loading."""

    ref: StoryRef
    story: Story | None
    errors: tuple[str, ...] = ()
    found: int = 0
    in_progress: bool = False  # an autosave waits: picking the story continues it


def entries(refs: Sequence[StoryRef], store: UserData) -> list[Entry]:
    result = []
    for ref in refs:
        loaded = load_story(ref.path)
        if loaded.story is None:
            result.append(Entry(ref, None, tuple(d.format() for d in loaded.diagnostics)))
        else:
            found = len(store.endings_found(loaded.story))
            result.append(Entry(ref, loaded.story, (), found,
                                store.has_save(loaded.story, AUTOSAVE)))
    return result


def menu_lines(items: Sequence[Entry], width: int) -> list[Line]:
    """A numbered list: title, id, scenes, endings found out of the total, and
    the story's description under its title."""
    lines: list[Line] = [one("title", "Stories"), ()]
    digits = len(str(len(items)))
    for number, entry in enumerate(items, start=1):
        label = ("number", f"  {number:>{digits}}. ")
        if entry.story is None:
            count = len(entry.errors)
            lines.append((label, ("choice", entry.ref.id),
                          ("error", f"  (does not load: {plural(count, 'error')})")))
            continue
        story = entry.story
        endings = len(story.endings)
        line: Line = (label, ("choice", story.title),
                      ("note", f"  [{entry.ref.id}] {plural(len(story.scenes), 'scene')}, "
                       f"endings found {entry.found}/{endings}"))
        if entry.in_progress:
            line = (*line, ("chosen", " · game in progress"))
        lines.append(line)
        if story.description:
            lines += render.wrapped("note", story.description, width,
                                    indent=" " * (len(label[1])))
    hint = "Type a number or a story's id (Tab completes); Ctrl-D leaves."
    if any(entry.in_progress for entry in items):
        hint += " A story with a game in progress continues it (restart starts anew)."
    lines += [(), *render.wrapped("note", hint, width)]
    return lines


def pick(items: Sequence[Entry], text: str) -> Entry | str | None:
    """The entry named by ``text`` (its number or id), a message, or None
    for an empty line."""
    text = text.strip()
    if not text:
        return None
    chosen: Entry | None = None
    number = choice_number(text)
    if number is not None and 1 <= number <= len(items):
        chosen = items[number - 1]
    else:
        by_id = [e for e in items if e.ref.id.casefold() == text.casefold()]
        chosen = by_id[0] if by_id else None
    if chosen is None:
        return f"No story {text!r} here: type a number from 1 to {len(items)}."
    return chosen


def refusal(entry: Entry) -> list[Line]:
    """Why a story that does not load cannot be played."""
    shown = [one("error", part) for e in entry.errors[:MAX_ERRORS_SHOWN]
             for part in e.split("\n")]
    more = len(entry.errors) - MAX_ERRORS_SHOWN
    if more > 0:
        shown.append(one("error", f"... and {more} more"))
    return [*shown, one("note", f"Run `carnet lint {entry.ref.path}` for the full list.")]
