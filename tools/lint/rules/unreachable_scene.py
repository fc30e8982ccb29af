"""A scene that no path from the start scene reaches.

What it does
    Follows every choice from ``start`` (ignoring conditions) and flags each
    scene that is not an ending and is never reached. Endings have their own
    rule, G105.

Why
    Nobody will ever read the scene: it is usually a choice that was renamed
    or deleted while the scene stayed behind.

Bad::

    start: hall
    scenes:
      hall:
        text: A hall.
        choices: [{text: Leave, to: street}]
      cellar:            # G101: nothing leads here
        text: A cellar.
        choices: [{text: Leave, to: street}]
      street:
        text: The street.
        end: Out

Good::

    scenes:
      hall:
        text: A hall.
        choices:
          - {text: Leave, to: street}
          - {text: Go down, to: cellar}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked

CODE = "G101"
NAME = "unreachable-scene"
SEVERITY = Severity.WARNING
SUMMARY = "a scene that no path from the start reaches"


def check(ctx: LintContext) -> Iterator[Finding]:
    index, ending = ctx.index, ctx.index.ending
    for i in marked(ctx.graph.forward, 0):
        if not ending[i]:
            sid = index.ids[i]
            yield Finding(
                sid, ctx.scene_pos(sid),
                f"scene {sid!r} cannot be reached from the start scene {ctx.story.start!r}",
                "add a choice that leads here, or delete the scene")
