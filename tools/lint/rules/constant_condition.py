"""A condition that has the same value every time it is looked at.

What it does
    Plays every reachable state (see X400) and flags a choice whose ``if:``
    was true in every state where it was looked at (a once-only choice
    already taken is not looked at): the choice is offered whenever its
    scene is. (A choice's condition false every time is X401's.) Also flags
    a condition in text (``{if EXPR: ...}``, or ``if:`` of a conditional
    paragraph) that was always true, or always false, in every state where
    its text was shown: the scene's text on a first entry, its ``revisit``
    text on later ones, a choice's text when the choice is offered (every
    condition of an inline conditional is looked at, ``elif`` ones too). Not
    reported when the exploration stopped at its bound, nor in a scene
    whose conditions fail to evaluate (X405).

Why
    A condition that never hides its choice is usually a mistake in the
    condition (``>=`` for ``>``, the wrong variable, a flag set on every way
    in), or left over from an earlier draft of the story.

Bad::

    vars: {lamp: false}
    scenes:
      hall:
        on_enter: [lamp = true]
        # X406 twice: lamp is always true here
        text: 'The hall is {if lamp: bright | else: dark}.'
        choices:
          - {text: Read the letter, to: letter, if: lamp}
          - {text: Leave, to: street}

Good::

    vars: {lamp: false}
    scenes:
      hall:
        text: 'The hall is {if lamp: bright | else: dark}.'
        choices:
          - {text: Light the lamp, to: hall, do: [lamp = true], if: not lamp}
          - {text: Read the letter, to: letter, if: lamp}
          - {text: Leave, to: street}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.explore import text_key
from carnet.tools.lint.show import plural, short

CODE = "X406"
NAME = "constant-condition"
SEVERITY = Severity.WARNING
SUMMARY = "a condition (a choice's, or in text) with the same value every time"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    if not seen.complete:
        return
    failed = {failure.scene for failure in seen.failures}
    for sid, scene in ctx.story.scenes.items():
        if sid in failed:
            continue
        for i, choice in enumerate(() if scene.is_ending else scene.choices):
            if (choice.condition is not None and (sid, i) in seen.offered
                    and (sid, i) not in seen.refused):
                yield Finding(
                    sid, ctx.scene_pos(sid, "choices", i, "if"),
                    f"the condition of choice {i + 1} of scene {sid!r} is always true: "
                    f"{short(choice.condition.source, 60)!r} holds every time the scene is "
                    f"reached ({plural(seen.states, 'state')} explored)",
                    "remove the 'if', or check the condition")
        if sid not in seen.scenes_reached:
            continue
        for condition in scene.text_conditions():
            values = seen.text_values.get(text_key(sid, condition))
            if values is None or len(values) != 1:
                continue  # never shown, or both true and false
            (value,) = values
            found = ctx.source_map.scene(sid, *condition.path)
            pos = (found.offset(condition.offset, condition.source) if found
                   else ctx.scene_pos(sid))
            yield Finding(
                sid, pos,
                f"the condition {short(condition.expression.source, 60)!r} in the text of "
                f"scene {sid!r} is always {'true' if value else 'false'} where the text is "
                f"shown ({plural(seen.states, 'state')} explored)",
                "write the text without the condition, or check it")
