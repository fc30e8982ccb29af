"""A scene the graph reaches but no actual playthrough does.

What it does
    Plays every reachable state (see X400) and flags a scene, not an ending,
    that some path of choices leads to (so G101 is silent) but that no
    playthrough enters, because the conditions on the way are never all
    true. Reported only when the exploration saw every state.

Why
    The scene is as unreachable as if no choice led to it; the conditions
    that guard it are probably wrong.

Bad::

    vars: {brave: false}
    scenes:
      gate:
        text: A dark gate.
        choices:
          - {text: Enter, to: crypt, if: brave}
          - {text: Run, to: home}
      crypt:              # X402: brave is never true
        text: Bones.
        choices: [{text: Leave, to: home}]

Good::

    scenes:
      gate:
        text: A dark gate.
        choices:
          - {text: Steel yourself, to: gate, do: [brave = true], if: not brave}
          - {text: Enter, to: crypt, if: brave}
          - {text: Run, to: home}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.show import plural

CODE = "X402"
NAME = "scene-never-reached"
SEVERITY = Severity.WARNING
SUMMARY = "a scene reachable in the graph that no playthrough reaches"


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = ctx.exploration()
    if not seen.complete:
        return
    for sid, scene in ctx.story.scenes.items():
        if scene.is_ending or sid not in ctx.graph.reachable or sid in seen.scenes_reached:
            continue
        yield Finding(
            sid, ctx.scene_pos(sid),
            f"scene {sid!r} is never reached in play: no playthrough gets past the "
            f"conditions on the way ({plural(seen.states, 'state')} explored)",
            "check the 'if' of the choices that lead here")
