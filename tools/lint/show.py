"""Short, one-line renderings of story text for messages."""

from __future__ import annotations


def short(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with ``...``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
