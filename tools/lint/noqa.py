"""A ``noqa`` code on a scene that silences nothing.

What it does
    The suppression stage runs after every rule: a finding about a scene is
    dropped when a code (or prefix, like ``G1``) of that scene's ``noqa:``
    matches its code; findings about the whole story are never silenced.
    Then N501 flags each ``noqa`` code that silenced nothing in its scene,
    and each code that is not a lint code at all. A code (or prefix) whose
    rules were all turned off with ``--select``/``--ignore`` is not judged,
    nor are X4xx codes when the exploration stopped at its bound, nor N501
    itself (``noqa: [N501]`` silences this report for the scene).

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

from collections.abc import Collection, Iterable, Iterator

from carnet.engine.diagnostics import Severity
from carnet.engine.model import Story
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.index import marked

CODE = "N501"
NAME = "unused-noqa"
SEVERITY = Severity.WARNING
SUMMARY = "a noqa code on a scene that silences nothing"

Coded = tuple[str, Finding]  # a finding with the code of the rule that found it


def _silencing(story: Story, code: str, finding: Finding) -> list[str]:
    """The codes of the finding's scene's ``noqa`` that match ``code``."""
    if finding.scene is None:
        return []
    return [c for c in story.scenes[finding.scene].noqa if code.startswith(c)]


def suppress(ctx: LintContext, found: Iterable[Coded], ran: Collection[str],
             known: Collection[str]) -> list[Coded]:
    """The findings that no ``noqa`` silences, then N501's (when N501 is in ``ran``).

    ``ran`` holds the codes whose rules ran, ``known`` every code there is.
    """
    used: set[tuple[str | None, str]] = set()
    kept: list[Coded] = []
    for code, finding in found:
        silencing = _silencing(ctx.story, code, finding)
        used.update((finding.scene, c) for c in silencing)
        if not silencing:
            kept.append((code, finding))
    if CODE in ran:
        kept += [(CODE, finding) for finding in _unused(ctx, used, ran, sorted(known))
                 if not _silencing(ctx.story, CODE, finding)]
    return kept


def _unused(ctx: LintContext, used: set[tuple[str | None, str]], ran: Collection[str],
            known: list[str]) -> Iterator[Finding]:
    partial = ctx.explored is not None and not ctx.explored.complete
    for at in marked(ctx.index.noqa):
        sid = ctx.index.ids[at]
        for code in sorted(ctx.story.scenes[sid].noqa):
            matching = [c for c in known if c.startswith(code)]
            pos = ctx.key_pos(sid, "noqa")
            if not matching:
                yield Finding(sid, pos, f"noqa: {code!r} is not a lint code (see carnet lint "
                                        "--list-rules)")
            elif not ((sid, code) in used or CODE.startswith(code)
                      or not any(c in ran for c in matching)
                      or (partial and code.startswith("X"))):
                yield Finding(sid, pos, f"noqa: {code!r} silences nothing in scene {sid!r}",
                              "remove it from the scene's noqa list")
