"""A condition or effect that fails while the story is played.

What it does
    Plays every reachable state (see X400) and flags a choice whose
    condition or effects (or the ``on_enter`` of the scene it leads to)
    cannot be evaluated: the loader checks types, but some failures only
    show with real values, such as ``+`` building a string over the length
    limit. The finding names the shortest playthrough that fails.

Why
    The player would get an error instead of the next scene.

Bad::

    vars: {echo: "ha"}
    scenes:
      cave:
        text: "{echo}"
        choices:
          - {text: Shout, to: cave, do: [echo = echo + echo]}    # X405
          - {text: Leave, to: out}

Good::

    scenes:
      cave:
        text: "{echo}"
        choices:
          - {text: Shout, to: cave, do: [echo = echo + "!"], if: visits(cave) < 5}
          - {text: Leave, to: out}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.explore import reached_by

CODE = "X405"
NAME = "runtime-failure"
SEVERITY = Severity.ERROR
SUMMARY = "a condition or effect that fails in play"


def check(ctx: LintContext) -> Iterator[Finding]:
    for failure in ctx.exploration().failures:
        sid = failure.scene
        if failure.index is None:
            pos, what = ctx.scene_pos(sid), f"entering scene {sid!r}"
        else:
            pos = ctx.scene_pos(sid, "choices", failure.index)
            what = f"choice {failure.index + 1} of scene {sid!r}"
        yield Finding(
            sid, pos,
            f"{what} fails in play: {failure.message} ({reached_by(failure.witness)})")
