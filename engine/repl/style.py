"""The REPL's colours, as a prompt_toolkit style, and whether to use them."""

from __future__ import annotations

from collections.abc import Mapping

from prompt_toolkit.styles import BaseStyle, Style, merge_styles

# Attributes that read well without colour: these always apply.
SHAPES: dict[str, str] = {
    "title": "bold",
    "speech": "",
    "number": "bold",
    "chosen": "italic",
    "ending": "bold",
    "error": "bold",
    "command": "bold",
    "prompt": "bold",
    "toolbar.title": "bold",
}

# Colours on top, unless --no-color or NO_COLOR.
COLOURS: dict[str, str] = {
    "title": "#d7af5f",
    "speech": "#afd7ff",
    "number": "#d7af5f",
    "choice": "",
    "chosen": "#8a8a8a",
    "ending": "#d7af5f",
    "note": "#8a8a8a",
    "error": "#ff8787",
    "command": "#87d7af",
    "prompt": "#d7af5f",
}


def colour_wanted(no_color_flag: bool, env: Mapping[str, str]) -> bool:
    """False with --no-color, or when NO_COLOR is set to anything non-empty."""
    return not no_color_flag and not env.get("NO_COLOR")


def make_style(colour: bool) -> BaseStyle:
    """The style for the REPL's classes (see engine.repl.render)."""
    styles: list[BaseStyle] = [Style.from_dict(SHAPES)]
    if colour:
        styles.append(Style.from_dict(COLOURS))
    return merge_styles(styles)
