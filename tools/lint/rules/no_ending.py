"""A story without any ending.

What it does
    Flags a story none of whose scenes has ``end:``.

Why
    The player can never finish it. (The trap rule G103 is silent for such a
    story, since every scene would be a trap.)

Bad::

    carnet: 1
    title: Forever
    start: loop          # G104
    scenes:
      loop:
        text: Again.
        choices: [{text: Again, to: loop}]

Good::

    scenes:
      loop:
        text: Again.
        choices:
          - {text: Again, to: loop}
          - {text: Stop, to: rest}
      rest:
        text: Quiet.
        end: Rest
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext

CODE = "G104"
NAME = "no-ending"
SEVERITY = Severity.ERROR
SUMMARY = "the story has no ending"


def check(ctx: LintContext) -> Iterator[Finding]:
    if 1 not in ctx.index.ending:  # no scene marked as an ending
        yield Finding(
            None, ctx.key_pos(None, "start"),
            "the story has no ending: no scene has 'end'",
            "give the last scene 'end: <label>'")
