"""A scene still marked ``draft: true``.

What it does
    Flags every scene with ``draft: true``: generated or unfinished prose
    that still wants an author (the converter marks the scenes it invents).

Why
    A reminder, not a bug: the story plays, but these scenes were not yet
    read and rewritten by a person. Remove ``draft`` once they are.

Bad::

    scenes:
      ferry:
        draft: true       # T304
        text: You take the ferry instead.
        choices: [{text: Go on, to: island}]

Good::

    scenes:
      ferry:
        text: The ferryman takes your coin without a word.
        choices: [{text: Go on, to: island}]
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked

CODE = "T304"
NAME = "draft-scene"
SEVERITY = Severity.WARNING
SUMMARY = "a scene still marked draft: true"


def check(ctx: LintContext) -> Iterator[Finding]:
    for i in marked(ctx.index.draft):
        sid = ctx.index.ids[i]
        yield Finding(sid, ctx.key_pos(sid, "draft"), f"scene {sid!r} is a draft",
                      "read and rewrite it, then remove 'draft: true'")
