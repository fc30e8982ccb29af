"""`carnet play` on a terminal: the prompt_toolkit REPL.

Importing this package is cheap; prompt_toolkit is imported by
:func:`run_repl`, so the other commands never pay for it.
"""

from __future__ import annotations

import argparse


def run_repl(args: argparse.Namespace) -> int:
    """Play in the terminal (menu, scenes, commands); the exit status."""
    from carnet.engine.repl.app import run_repl as run

    return run(args)
