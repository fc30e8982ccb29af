"""A ``noqa`` code on a scene that silences nothing.

What it does
    After every other rule ran, flags each code of a scene's ``noqa:`` that
    did not silence any finding in that scene, and each code that is not a
    lint code at all. A code (or prefix, like ``G1``) whose rules were all
    turned off with ``--select``/``--ignore`` is not judged, nor are X4xx
    codes when the exploration stopped at its bound.

Why
    A stale ``noqa`` hides the next real problem of that kind in the scene.
    (Like ruff's RUF100.)

Bad::

    scenes:
      hall:
        noqa: [T301]      # N501: the choices' texts all differ
        text: A hall.
        choices:
          - {text: Up, to: attic}
          - {text: Down, to: cellar}

Good::

    scenes:
      hall:
        text: A hall.
        choices:
          - {text: Up, to: attic}
          - {text: Down, to: cellar}
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.diagnostics import LOADER_CODES, Diagnostic, Severity
from carnet.tools.lint.context import LintContext

CODE = "N501"
NAME = "unused-noqa"
SEVERITY = Severity.WARNING
SUMMARY = "a noqa code on a scene that silences nothing"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    from carnet.tools.lint.rules import RULES  # the registry imports this module

    known = sorted({*RULES, *LOADER_CODES})
    partial = ctx.explored is not None and not ctx.explored.complete
    for sid, scene in ctx.story.scenes.items():
        for code in sorted(scene.noqa):
            matching = [c for c in known if c.startswith(code)]
            pos = ctx.key_pos(sid, "noqa")
            if not matching:
                yield ctx.finding(pos, CODE, SEVERITY,
                                  f"noqa: {code!r} is not a lint code (see carnet lint "
                                  "--list-rules)", scene=sid)
            elif not ((sid, code) in ctx.silenced or not any(c in ctx.ran for c in matching)
                      or (partial and code.startswith("X"))):
                yield ctx.finding(pos, CODE, SEVERITY,
                                  f"noqa: {code!r} silences nothing in scene {sid!r}",
                                  "remove it from the scene's noqa list", scene=sid)
