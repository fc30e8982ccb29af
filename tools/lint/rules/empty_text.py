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

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked

CODE = "T302"
NAME = "empty-text"
SEVERITY = Severity.ERROR
SUMMARY = "a scene whose text is empty"


def check(ctx: LintContext) -> Iterator[Finding]:
    for i in marked(ctx.index.textless):
        sid = ctx.index.ids[i]
        yield Finding(sid, ctx.scene_pos(sid, "text"),
                      f"scene {sid!r} has no text", "write what the player sees here")
