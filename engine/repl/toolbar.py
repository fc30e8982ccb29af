"""The bottom toolbar: the story, the scene, the turn and the endings found."""

from __future__ import annotations

from carnet.engine.repl.commands import Game
from carnet.engine.repl.render import Span

MAX_TITLE = 40


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def toolbar_spans(game: Game) -> list[Span]:
    """`` Title · scene lamp_house · turn 3 · endings 1/4 · F1 help ``."""
    session = game.session
    return [
        ("toolbar.title", f" {shorten(session.story.title, MAX_TITLE)}"),
        ("toolbar", " · scene "),
        ("toolbar.value", shorten(session.state.scene, MAX_TITLE)),
        ("toolbar", " · turn "),
        ("toolbar.value", str(session.state.turn)),
        ("toolbar", " · endings "),
        ("toolbar.value", f"{len(game.found)}/{game.total_endings}"),
        ("toolbar", " · F1 help "),
    ]
