"""Two choices with the same text in one scene.

What it does
    Compares the texts of a scene's choices (ignoring case and runs of
    spaces) and flags every choice whose text an earlier one already has.

Why
    The player cannot tell the two apart. If their conditions make sure only
    one is ever offered at a time, say so with ``noqa: [T301]`` on the scene.

Bad::

    scenes:
      fork:
        text: The road forks.
        choices:
          - {text: Take the road, to: north}
          - {text: Take the road, to: south}     # T301

Good::

    scenes:
      fork:
        text: The road forks.
        choices:
          - {text: Take the north road, to: north}
          - {text: Take the south road, to: south}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import choice_key, marked
from carnet.tools.lint.show import short

CODE = "T301"
NAME = "duplicate-choice"
SEVERITY = Severity.ERROR
SUMMARY = "two choices with the same text in one scene"


def check(ctx: LintContext) -> Iterator[Finding]:
    for at in marked(ctx.index.same_choice):
        sid = ctx.index.ids[at]
        first: dict[str, int] = {}
        for i, choice in enumerate(ctx.story.scenes[sid].choices):
            text = choice_key(choice.text)
            if not text:
                continue  # T303's
            if text in first:
                yield Finding(
                    sid, ctx.scene_pos(sid, "choices", i, "text"),
                    f"choice {i + 1} of scene {sid!r} has the same text as choice "
                    f"{first[text] + 1}: {short(choice.text)!r}",
                    "reword one so the player can tell them apart")
            else:
                first[text] = i
