"""A choice's condition that is true every time its scene is reached.

What it does
    Plays every reachable state (see X400) and flags a choice whose ``if:``
    was true in every state where it was looked at (a once-only choice
    already taken is not looked at). The condition changes nothing: the
    choice is offered whenever its scene is. A condition that is false every
    time is X401's. Not reported when the exploration stopped at its bound,
    nor in a scene whose conditions fail to evaluate (X405).

Why
    A condition that never hides its choice is usually a mistake in the
    condition (``>=`` for ``>``, the wrong variable, a flag set on every way
    in), or left over from an earlier draft of the story.

Bad::

    vars: {lamp: false}
    scenes:
      hall:
        text: A dark hall.
        on_enter: [lamp = true]
        choices:
          - {text: Read the letter, to: letter, if: lamp}    # X406: lamp is always true here
          - {text: Leave, to: street}

Good::

    vars: {lamp: false}
    scenes:
      hall:
        text: A dark hall.
        choices:
          - {text: Light the lamp, to: hall, do: [lamp = true], if: not lamp}
          - {text: Read the letter, to: letter, if: lamp}
          - {text: Leave, to: street}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.show import plural, short

CODE = "X406"
NAME = "constant-condition"
SEVERITY = Severity.WARNING
SUMMARY = "a choice's condition that is true every time its scene is reached"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    if not seen.complete:
        return
    failed = {failure.scene for failure in seen.failures}
    for sid, scene in ctx.story.scenes.items():
        if sid in failed or scene.is_ending:
            continue
        for i, choice in enumerate(scene.choices):
            if (choice.condition is not None and (sid, i) in seen.offered
                    and (sid, i) not in seen.refused):
                yield Finding(
                    sid, ctx.scene_pos(sid, "choices", i, "if"),
                    f"the condition of choice {i + 1} of scene {sid!r} is always true: "
                    f"{short(choice.condition.source, 60)!r} holds every time the scene is "
                    f"reached ({plural(seen.states, 'state')} explored)",
                    "remove the 'if', or check the condition")
