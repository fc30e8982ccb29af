"""Short, one-line renderings of story text for messages."""

from __future__ import annotations


def short(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with ``...``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 state``, ``2 states``; ``many`` for an irregular plural."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"
