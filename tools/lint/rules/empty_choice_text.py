"""A choice whose text is empty.

What it does
    Flags a choice whose ``text`` is empty or only spaces.

Why
    The player is offered a number with nothing next to it.

Bad::

    choices:
      - {text: "", to: hall}          # T303

Good::

    choices:
      - {text: Go back to the hall, to: hall}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked

CODE = "T303"
NAME = "empty-choice-text"
SEVERITY = Severity.ERROR
SUMMARY = "a choice whose text is empty"


def check(ctx: LintContext) -> Iterator[Finding]:
    for at in marked(ctx.index.blank_choice):
        sid = ctx.index.ids[at]
        for i, choice in enumerate(ctx.story.scenes[sid].choices):
            if not choice.text.strip():
                yield Finding(
                    sid, ctx.scene_pos(sid, "choices", i, "text"),
                    f"choice {i + 1} of scene {sid!r} has no text",
                    "write what the player chooses")
