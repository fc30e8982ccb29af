"""Tab completion: commands, choices, save names, and scene ids and variables
for the author commands of --debug."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from carnet.engine.choosing import normalize
from carnet.engine.repl.commands import BY_NAME, Game, available


@attrs.frozen
class Candidate:
    """Replace the last ``length`` characters before the cursor by ``text``."""

    text: str
    length: int
    display: str
    meta: str = ""


def _starting(prefix: str, words: Iterable[str]) -> list[str]:
    folded = prefix.casefold()
    return [w for w in words if w.casefold().startswith(folded)]


def candidates(game: Game, before: str) -> list[Candidate]:
    """What Tab offers for the text before the cursor."""
    lead = before.lstrip()
    result: list[Candidate] = []
    wanted = normalize(lead)
    for number, text in game.option_texts():
        if normalize(text).startswith(wanted):
            result.append(Candidate(text, len(before), f"{number}. {text}", "choice"))
    head, space, rest = lead.partition(" ")
    if not space:
        for command in game.commands():
            for name in _starting(head, (command.name, *command.aliases)):
                result.append(Candidate(name, len(lead), name, command.help))
        return result
    named = BY_NAME.get(head.casefold())
    if named is None or not available(named, game.debug):
        return result
    command = named
    rest = rest.lstrip()
    story = game.session.story
    words: list[str] = []
    arg, space, value = rest.partition(" ")
    if command.name in ("save", "load") and not space:
        words = game.store.save_names(story)
    elif command.name == "goto" and not space:
        words = sorted(story.scenes)
    elif command.name == "set" and not space:
        words = sorted(story.variables)
    elif command.name == "set" and arg in story.variables:
        if story.variables[arg].type == "bool":
            return result + [Candidate(w, len(value.lstrip()), w)
                             for w in _starting(value.lstrip(), ("true", "false"))]
        return result
    return result + [Candidate(w, len(arg), w) for w in _starting(arg, words)]


class ReplCompleter(Completer):
    """A prompt_toolkit completer over :func:`candidates`."""

    def __init__(self, game: Game) -> None:
        self.game = game

    def get_completions(self, document: Document,
                        complete_event: CompleteEvent) -> Iterator[Completion]:
        for c in candidates(self.game, document.text_before_cursor):
            yield Completion(c.text, start_position=-c.length, display=c.display,
                             display_meta=c.meta or None)
