"""A reachable state where no choice is offered, outside an ending.

What it does
    Plays every reachable state (see X400) and flags a scene that has
    choices but where, in some playthrough, all of them are hidden by their
    ``if`` or were ``once`` choices already taken. The finding names the
    shortest such playthrough. Softlocks found are real even when the
    exploration stopped at its bound.

Why
    The player is stuck: the engine stops there without an ending.

Bad::

    scenes:
      well:               # X404 (reached by: 1 'Drink' -> 1 'Back to the well')
        text: A well.
        choices: [{text: Drink, to: field, once: true}]
      field:
        text: A field.
        choices: [{text: Back to the well, to: well}]

Good::

    scenes:
      well:
        text: A well.
        choices:
          - {text: Drink, to: field, once: true}
          - {text: Walk home, to: home}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.explore import reached_by

CODE = "X404"
NAME = "softlock"
SEVERITY = Severity.ERROR
SUMMARY = "a reachable state with no choice offered that is not an ending"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    for sid, witness in sorted(seen.softlocks.items()):
        yield Finding(
            sid, ctx.scene_pos(sid),
            f"softlock: scene {sid!r} can be reached with none of its choices offered "
            f"({reached_by(witness)})",
            "add a choice without a condition, or loosen the conditions")
