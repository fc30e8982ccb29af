"""The bottom toolbar: the story, the scene, the turn and the endings found.

The turn and the endings always show; on a narrow terminal the help hint
goes first, then the title and the scene are shortened, then dropped.
"""

from __future__ import annotations

from carnet.engine.repl.commands import Game
from carnet.engine.repl.render import Span

MAX_TITLE = 40
MIN_SHORTENED = 8


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _width(spans: list[Span]) -> int:
    return sum(len(text) for _, text in spans)


def toolbar_spans(game: Game, columns: int = 80) -> list[Span]:
    """`` Title · scene lamp_house · turn 3 · endings 1/4 · F1 help ``, made to
    fit in ``columns`` (the turn and the endings always fit in 40)."""
    session = game.session
    title = " ".join(session.story.title.split())
    scene = session.state.scene
    essential: list[Span] = [
        ("toolbar", " turn "),
        ("toolbar.value", str(session.state.turn)),
        ("toolbar", " · endings "),
        ("toolbar.value", f"{len(game.found)}/{game.total_endings}"),
    ]
    help_hint: list[Span] = [("toolbar", " · F1 help ")]
    room = columns - 1  # the last column stays free

    def lead(title_limit: int, scene_limit: int) -> list[Span]:
        spans: list[Span] = []
        if title_limit:
            spans.append(("toolbar.title", f" {shorten(title, title_limit)}"))
        if scene_limit:
            spans += [("toolbar", " ·" if title_limit else ""), ("toolbar", " scene "),
                      ("toolbar.value", shorten(scene, scene_limit))]
        if spans:
            spans.append(("toolbar", " ·"))
        return [s for s in spans if s[1]]

    title_limit, scene_limit = MAX_TITLE, MAX_TITLE
    spans = lead(title_limit, scene_limit) + essential + help_hint
    if _width(spans) <= room:
        return spans
    while True:
        spans = lead(title_limit, scene_limit) + essential
        over = _width(spans) - room
        if over <= 0:
            return spans
        if title_limit > MIN_SHORTENED and len(title) > MIN_SHORTENED:
            title_limit = max(MIN_SHORTENED, min(title_limit, len(title)) - over)
        elif scene_limit > MIN_SHORTENED and len(scene) > MIN_SHORTENED:
            scene_limit = max(MIN_SHORTENED, min(scene_limit, len(scene)) - over)
        elif title_limit:
            title_limit = 0
        elif scene_limit:
            scene_limit = 0
        else:
            return spans
