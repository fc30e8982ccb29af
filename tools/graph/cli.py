"""``carnet graph STORY``: the scene graph as dot, mermaid, svg or png.

Exit codes: 0 written, 2 a usage, input or I/O error (an unknown story, a
story that does not load, Graphviz missing for svg/png, an unwritable file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carnet.tools.graph.dot import to_dot
from carnet.tools.graph.mermaid import to_mermaid
from carnet.tools.graph.model import build
from carnet.tools.graph.render import RenderError, render
from carnet.tools.output import emit
from carnet.tools.storyarg import load_named

FORMATS = ("dot", "mermaid", "svg", "png")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", metavar="STORY",
                        help="a story folder, or the id of a story from `carnet list`")
    parser.add_argument("--format", choices=FORMATS, default="dot",
                        help="dot (default) and mermaid are text; svg and png are drawn by "
                             "Graphviz's `dot` program")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write to FILE (default: standard output)")


def _fail(message: str, hint: str | None = None) -> int:
    sys.stderr.write(f"carnet graph: {message}\n")
    if hint:
        sys.stderr.write(f"    hint: {hint}\n")
    return 2


def run(args: argparse.Namespace) -> int:
    if args.format == "png" and args.output is None and sys.stdout.isatty():
        return _fail("a PNG is not for a terminal", "give -o FILE.png")
    story = load_named(args.story, "graph")
    if story is None:
        return 2
    graph = build(story)
    try:
        if args.format == "mermaid":
            data = to_mermaid(graph).encode("utf-8")
        elif args.format == "dot":
            data = to_dot(graph).encode("utf-8")
        else:
            data = render(to_dot(graph), args.format)
    except RenderError as err:
        return _fail(err.message, err.hint)
    try:
        emit(data, args.output)
    except OSError as err:
        return _fail(f"cannot write {args.output}: {err.strerror}")
    return 0
