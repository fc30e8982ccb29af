"""A declared variable that is read but never written.

What it does
    Flags a variable that is read somewhere but that no effect (``do:`` or
    ``on_enter:``) ever sets, so it keeps its default for the whole story.
    A variable that is never read either is V201's only.

Why
    Every condition on it always gives the same answer: an effect that should
    set it is missing, or it is a constant that could be written out.

Bad::

    vars:
      has_key: false      # V202: never set, so the door never opens
    scenes:
      door:
        text: A locked door.
        choices:
          - {text: Open it, to: hall, if: has_key}
          - {text: Leave, to: hall}

Good::

    scenes:
      mat:
        text: A doormat, slightly raised.
        choices: [{text: Look under it, to: door, do: [has_key = true]}]
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.engine.text import format_value
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.show import short

CODE = "V202"
NAME = "constant-variable"
SEVERITY = Severity.WARNING
SUMMARY = "a variable that is read but never written (a constant)"


def check(ctx: LintContext) -> Iterator[Finding]:
    use = ctx.variables
    for name, var in ctx.story.variables.items():
        if name in use.reads and name not in use.writes:
            value = var.default
            shown = repr(short(value)) if isinstance(value, str) else format_value(value)
            yield Finding(
                None, ctx.key_pos(None, "vars", name),
                f"variable {name!r} is never set: it is always {shown}",
                "set it in a 'do' or 'on_enter', or write the value out")
