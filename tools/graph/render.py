"""SVG and PNG through Graphviz's ``dot`` program, when it is installed."""

from __future__ import annotations

import shutil
import subprocess

INSTALL_HINT = ("install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew "
                "install graphviz; https://graphviz.org/download/), or use --format dot "
                "or --format mermaid")
TIMEOUT = 120


class RenderError(Exception):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def render(dot_text: str, fmt: str, program: str = "dot") -> bytes:
    """``dot_text`` drawn as ``fmt`` (svg or png). Raises :class:`RenderError`."""
    exe = shutil.which(program)
    if exe is None:
        raise RenderError(f"--format {fmt} needs Graphviz's `{program}` program, "
                          "which is not installed", INSTALL_HINT)
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RenderError(f"Graphviz `{program}` could not run: {err}") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz `{program}` failed (exit {done.returncode})"
                          + (f": {detail[0]}" if detail else ""))
    return done.stdout
