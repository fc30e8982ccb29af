"""An ending that no path from the start scene reaches.

What it does
    Follows every choice from ``start`` (ignoring conditions) and flags each
    ending that is never reached.

Why
    An ending is a promise to the reader; one that cannot be reached is a
    broken link somewhere upstream.

Bad::

    scenes:
      gate:
        text: The gate is shut.
        choices: [{text: Wait, to: dawn}]
      dawn:
        text: Morning.
        end: Patience
      escape:             # G105: no choice leads here
        text: Over the wall.
        end: Freedom

Good::

    scenes:
      gate:
        text: The gate is shut.
        choices:
          - {text: Wait, to: dawn}
          - {text: Climb the wall, to: escape}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked
from carnet.tools.lint.show import short

CODE = "G105"
NAME = "unreachable-ending"
SEVERITY = Severity.ERROR
SUMMARY = "an ending that no path from the start reaches"


def check(ctx: LintContext) -> Iterator[Finding]:
    index, reachable = ctx.index, ctx.graph.forward
    for i in marked(index.ending):
        if not reachable[i]:
            sid = index.ids[i]
            scene = ctx.story.scenes[sid]
            yield Finding(
                sid, ctx.scene_pos(sid),
                f"ending {sid!r} ({short(scene.ending or '')!r}) cannot be reached from the "
                f"start scene {ctx.story.start!r}",
                "add a choice that leads here")
