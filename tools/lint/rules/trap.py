"""A scene from which no ending can be reached.

What it does
    Walks backwards from every ending (one breadth-first search, linear in
    the story's size) and flags each scene the start reaches, that has
    choices, and from which no path leads to an ending: once there, the
    player can only go round in circles or into a dead end. Dead ends
    themselves are G102; a story with no ending at all is G104.

Why
    The player can never finish the story from that point, however they
    choose.

Bad::

    scenes:
      maze:               # G103: maze and corridor only lead to each other
        text: Walls everywhere.
        choices: [{text: Go on, to: corridor}]
      corridor:           # G103
        text: A corridor.
        choices: [{text: Go on, to: maze}]

Good::

    scenes:
      corridor:
        text: A corridor.
        choices:
          - {text: Go on, to: maze}
          - {text: Climb out, to: daylight}
      daylight:
        text: Sun at last.
        end: Out of the maze
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked

CODE = "G103"
NAME = "trap"
SEVERITY = Severity.ERROR
SUMMARY = "a scene from which no ending can be reached"


def check(ctx: LintContext) -> Iterator[Finding]:
    index, reachable = ctx.index, ctx.graph.forward
    if 1 not in index.ending:  # no ending at all: G104 says so, once
        return
    for i in marked(ctx.graph.backward, 0):
        if index.choices[i] and reachable[i]:
            sid = index.ids[i]
            yield Finding(
                sid, ctx.scene_pos(sid),
                f"no ending can be reached from scene {sid!r}: every path from here "
                "loops or stops",
                "add a choice that leads toward an ending")
