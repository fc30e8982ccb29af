"""The exploration stopped at one of its bounds before it saw every state.

What it does
    Says so when the semantic exploration (X4xx) reaches one of its bounds,
    all set by ``--max-states``: the number of states, the work done (about
    1,000 expression nodes evaluated or variables copied per state allowed)
    or the memory its states take (about 200 variables, counts or flags per
    state allowed, long strings and big numbers counting for more); the
    message says which. The softlocks and failures it found are still real,
    but nothing is claimed about what it did not see: X401, X402 and X403
    are not reported.

Why
    A variable that grows without limit (``steps += 1`` in a loop) makes the
    state space infinite; so can many independent flags; values that keep
    growing (``s = s + s``) or many effects on many variables make each state
    costly. Raise ``--max-states``, cap the counter, or silence this with
    ``--ignore X400``.

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
from carnet.tools.lint.explore import BOUND_MEMORY, BOUND_STATES, BOUND_WORK
from carnet.tools.lint.show import plural

CODE = "X400"
NAME = "explore-bound"
SEVERITY = Severity.WARNING
SUMMARY = "the exploration reached its bound (--max-states): its results are not a proof"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    if seen.complete:
        return
    why, hint = _WHY.get(seen.bound or BOUND_STATES, _WHY[BOUND_STATES])
    yield Finding(
        None, ctx.key_pos(None, "start"),
        f"explored {plural(seen.states, 'state')} ({why}): results are not a proof; "
        "X401-X403 are not reported", hint)


_WHY = {
    BOUND_STATES: ("bound reached",
                   "raise --max-states, or bound the variables that grow without limit"),
    BOUND_WORK: ("work bound reached: its states are costly, with many choices, conditions "
                 "or effects on many variables, or large values",
                 "raise --max-states (the work allowed grows with it), or change fewer "
                 "variables in each choice"),
    BOUND_MEMORY: ("memory bound reached: the values kept in its states grow large",
                   "raise --max-states (the memory allowed grows with it), or bound the "
                   "strings and numbers that keep growing"),
}
