"""A choice whose condition is never true when its scene is reached.

What it does
    Plays every reachable state (see X400) and flags a choice with an ``if``
    that is not offered in any of them, although its scene is reached.
    Reported only when the exploration saw every state.

Why
    The condition can never hold there: a typo (``>`` for ``<``), a variable
    set only later in the story, or one never set at all.

Bad::

    vars: {coins: 0}
    scenes:
      inn:
        text: The innkeeper waits.
        choices:
          - {text: Pay for a room, to: room, if: coins > 5}   # X401
          - {text: Leave, to: road}

Good::

    scenes:
      road:
        text: A purse lies on the road.
        choices: [{text: Pick it up, to: inn, do: [coins += 10]}]
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.show import plural, short

CODE = "X401"
NAME = "choice-never-offered"
SEVERITY = Severity.WARNING
SUMMARY = "a choice whose condition is never true where its scene is reached"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    if not seen.complete:
        return
    failed = {failure.scene for failure in seen.failures}
    for sid, scene in ctx.story.scenes.items():
        if sid not in seen.scenes_reached or sid in failed or scene.is_ending:
            continue
        for i, choice in enumerate(scene.choices):
            if choice.condition is not None and (sid, i) not in seen.offered:
                yield Finding(
                    sid, ctx.scene_pos(sid, "choices", i, "if"),
                    f"choice {i + 1} of scene {sid!r} is never offered: "
                    f"{short(choice.condition.source, 60)!r} is false every time the scene "
                    "is reached "
                    f"({plural(seen.states, 'state')} explored)")
