"""An ending the graph reaches but no actual playthrough does.

What it does
    Like X402, for endings: some path of choices leads to the ending (so
    G105 is silent), but the conditions on the way are never all true, so
    no playthrough ends there. Reported only when the exploration saw every
    state.

Why
    An ending the reader can never get, though the story looks as if they
    could.

Bad::

    vars: {coins: 0}
    scenes:
      shop:
        text: A crown for sale.
        choices:
          - {text: Buy the crown, to: king, if: coins >= 100}
          - {text: Leave, to: street}
      king:               # X403: coins never reaches 100
        text: You wear the crown.
        end: Crowned

Good::

    scenes:
      street:
        text: A busy street.
        choices:
          - {text: Beg, to: street, do: [coins += 50], if: coins < 100}
          - {text: Go into the shop, to: shop}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.show import plural, short

CODE = "X403"
NAME = "ending-never-reached"
SEVERITY = Severity.ERROR
SUMMARY = "an ending reachable in the graph that no playthrough reaches"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    if not seen.complete:
        return
    for sid, scene in ctx.story.scenes.items():
        if not scene.is_ending or sid not in ctx.graph.reachable or sid in seen.scenes_reached:
            continue
        yield Finding(
            sid, ctx.scene_pos(sid),
            f"ending {sid!r} ({short(scene.ending or '')!r}) is never reached in play: no "
            "playthrough gets past the conditions on the way "
            f"({plural(seen.states, 'state')} explored)",
            "check the 'if' of the choices that lead here")
