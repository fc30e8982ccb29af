"""A scene whose text is empty.

What it does
    Flags a scene whose ``text`` is empty or only blank lines.

Why
    The player would be shown nothing but the choices; usually a scene whose
    prose was never written.

Bad::

    scenes:
      attic:
        text: ""          # T302
        choices: [{text: Go down, to: hall}]

Good::

    scenes:
      attic:
        text: Dust, and a trunk under the window.
        choices: [{text: Go down, to: hall}]
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Diagnostic, Severity
from carnet.tools.lint.context import LintContext

CODE = "T302"
NAME = "empty-text"
SEVERITY = Severity.ERROR
SUMMARY = "a scene whose text is empty"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for sid, scene in ctx.story.scenes.items():
        if not scene.paragraphs:
            yield ctx.finding(ctx.scene_pos(sid, "text"), CODE, SEVERITY,
                              f"scene {sid!r} has no text", "write what the player sees here",
                              scene=sid)
