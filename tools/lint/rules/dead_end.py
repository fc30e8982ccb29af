"""A scene with no choice that is not an ending.

What it does
    Flags a scene that has neither ``choices`` nor ``end``. The loader accepts
    such a scene (the engine stops there), but the player is left with nothing
    to do and no ending.

Why
    It is almost always an unfinished scene, or an ending that lost its
    ``end:`` label.

Bad::

    scenes:
      cliff:
        text: The path stops at the cliff edge.     # G102

Good::

    scenes:
      cliff:
        text: The path stops at the cliff edge.
        end: The edge of the world
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked

CODE = "G102"
NAME = "dead-end"
SEVERITY = Severity.ERROR
SUMMARY = "a scene with no choice that is not an ending"


def check(ctx: LintContext) -> Iterator[Finding]:
    index, ending = ctx.index, ctx.index.ending
    for i in marked(index.choices, 0):
        if not ending[i]:
            sid = index.ids[i]
            yield Finding(
                sid, ctx.scene_pos(sid),
                f"scene {sid!r} is a dead end: it has no choices and is not an ending",
                "add a choice, or 'end: <label>' to make it an ending")
