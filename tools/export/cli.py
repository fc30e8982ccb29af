"""``carnet export STORY --format twee``: Twee 3 for Twine 2 (SugarCube 2).

Exit codes: 0 written, 2 a usage, input or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carnet.tools.export.twee import to_twee
from carnet.tools.output import emit
from carnet.tools.storyarg import load_named

FORMATS = ("twee",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", metavar="STORY",
                        help="a story folder, or the id of a story from `carnet list`")
    parser.add_argument("--format", choices=FORMATS, default="twee",
                        help="twee (default): Twee 3 with SugarCube 2 macros, for Twine 2")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write to FILE (default: standard output)")


def run(args: argparse.Namespace) -> int:
    story = load_named(args.story, "export")
    if story is None:
        return 2
    try:
        emit(to_twee(story).encode("utf-8"), args.output)
    except OSError as err:
        sys.stderr.write(f"carnet export: cannot write {args.output}: {err.strerror}\n")
        return 2
    return 0
