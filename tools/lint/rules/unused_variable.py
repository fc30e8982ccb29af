"""A declared variable that is never read.

What it does
    Flags a variable of ``vars:`` that no condition, no effect's value and no
    ``{name}`` in a text ever reads. Setting it (``found = true``) or adding
    to it (``coins += 1``) does not count: that only feeds the variable itself.

Why
    It changes nothing the player sees or can do: either a condition that
    should test it is missing, or it is left over and can go.

Bad::

    vars:
      coins: 0            # V201: only ever incremented
    scenes:
      market:
        text: Stalls.
        choices: [{text: Sell, to: market, do: [coins += 1]}]

Good::

    scenes:
      market:
        text: Stalls. You have {coins} coins.
        choices: [{text: Sell, to: market, do: [coins += 1]}]
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext

CODE = "V201"
NAME = "unused-variable"
SEVERITY = Severity.WARNING
SUMMARY = "a declared variable that is never read"


def check(ctx: LintContext) -> Iterator[Finding]:
    reads = ctx.variables.reads
    for name in ctx.story.variables:
        if name not in reads:
            yield Finding(
                None, ctx.key_pos(None, "vars", name),
                f"variable {name!r} is declared but never read",
                "test it in an 'if', show it as {" + name + "}, or remove it")
