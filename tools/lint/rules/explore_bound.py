"""The exploration stopped at ``--max-states`` before it saw every state.

What it does
    Says so when the semantic exploration (X4xx) reaches its bound. The
    softlocks and failures it found are still real, but nothing is claimed
    about what it did not see: X401, X402 and X403 are not reported.

Why
    A variable that grows without limit (``steps += 1`` in a loop) makes the
    state space infinite; so can many independent flags. Raise
    ``--max-states``, cap the counter, or silence this with ``--ignore X400``.

Bad::

    vars: {steps: 0}
    scenes:
      walk:               # X400: steps grows for ever
        text: You walk.
        choices:
          - {text: Walk on, to: walk, do: [steps += 1]}
          - {text: Stop, to: rest, if: steps > 3}

Good::

    scenes:
      walk:
        text: You walk.
        choices:
          - {text: Walk on, to: walk, do: [steps += 1], if: steps < 10}
          - {text: Stop, to: rest, if: steps > 3}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.show import plural

CODE = "X400"
NAME = "explore-bound"
SEVERITY = Severity.WARNING
SUMMARY = "the exploration reached --max-states: its results are not a proof"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    if not seen.complete:
        yield Finding(
            None, ctx.key_pos(None, "start"),
            f"explored {plural(seen.states, 'state')} (bound reached): results are not a proof; "
            "X401-X403 are not reported",
            "raise --max-states, or bound the variables that grow without limit")
