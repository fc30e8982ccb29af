"""`carnet play` on a terminal: the prompt_toolkit REPL.

Importing this package is cheap; prompt_toolkit is imported by
:func:`run_repl`, so the other commands never pay for it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carnet.engine.model import Story


def run_repl(args: argparse.Namespace, story: Story | None) -> int:
    """Play ``story`` in the terminal (or the one picked from a menu of the
    stories found, when it is None); the exit status."""
    from carnet.engine.repl.app import run_repl as run

    return run(args, story)
