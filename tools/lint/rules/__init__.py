"""One module per lint rule, registered by code.

Adding a rule is one module here plus one entry in :data:`RULES`:

1. ``rules/my_rule.py`` with the constants ``CODE`` (a new code of its
   family, never reused), ``NAME`` (kebab-case), ``SEVERITY`` and
   ``SUMMARY``; a docstring (a summary line, then ``What it does``, ``Why``,
   ``Bad::`` and ``Good::`` sections, from which docs/lint.md is generated:
   run ``python -m carnet.tools.lint.docgen``); and ``check(ctx)``, a
   generator of :class:`~carnet.tools.lint.context.Finding`, each naming the
   scene it is about (None for the whole story).
2. ``my_rule`` in the tuple below.

The runner adds the code and severity, ``--select``/``--ignore`` choose
whether the rule runs, and the suppression stage applies each scene's
``noqa`` (and reports stale ones as N501): a rule does nothing for those.
An X4xx rule may read ``ctx.exploration()``; the others must not (the walk
runs only when an X4xx code is selected). A rule that looks at every scene
starts from what :mod:`carnet.tools.lint.index` already found in its one
walk over the story (a mark scanned with ``marked``, the graph's bytes,
each scene's use) and opens only the scenes it reports: a walk of its own
over a big story costs more than the rule (add a mark there if it needs
one). tests/test_lint_recipe.py follows this recipe with a toy rule.

Codes are stable: never renumber. Families: G1xx graph, V2xx variables,
T3xx text, X4xx exploration, N5xx noqa (the suppression stage's).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

import attrs

from carnet.engine.diagnostics import LOADER_CODES, Severity
from carnet.tools.lint import noqa
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.rules import (
    choice_never_offered,
    constant_condition,
    constant_variable,
    dead_end,
    draft_scene,
    duplicate_choice,
    empty_choice_text,
    empty_text,
    ending_never_reached,
    explore_bound,
    no_ending,
    runtime_failure,
    scene_never_reached,
    softlock,
    trap,
    unreachable_ending,
    unreachable_scene,
    unused_variable,
)


class Documented(Protocol):
    """A code with its documentation: a rule, or the suppression stage's N501."""

    CODE: str
    NAME: str
    SEVERITY: Severity
    SUMMARY: str
    __doc__: str | None


class Rule(Documented, Protocol):
    def check(self, ctx: LintContext) -> Iterator[Finding]: ...


FAMILIES = {"G": "graph", "V": "variables", "T": "text", "X": "explore", "N": "noqa"}

RULES: Mapping[str, Rule] = {
    rule.CODE: rule
    for rule in (
        unreachable_scene,
        dead_end,
        trap,
        no_ending,
        unreachable_ending,
        unused_variable,
        constant_variable,
        duplicate_choice,
        empty_text,
        empty_choice_text,
        draft_scene,
        explore_bound,
        choice_never_offered,
        scene_never_reached,
        ending_never_reached,
        softlock,
        runtime_failure,
        constant_condition,
    )
}


@attrs.frozen
class CodeInfo:
    """One row of ``carnet lint --list-rules``."""

    code: str
    stage: str
    name: str
    severity: Severity
    summary: str


def stage(code: str) -> str:
    """``load`` for the loader's codes, else the rule family's name."""
    return "load" if code in LOADER_CODES else FAMILIES.get(code[:1], "other")


def documented(rules: Mapping[str, Rule] = RULES) -> dict[str, Documented]:
    """Every code after the loader's that has a section in docs/lint.md, by code."""
    codes: dict[str, Documented] = {**rules, noqa.CODE: noqa}
    return dict(sorted(codes.items()))


def code_table(rules: Mapping[str, Rule] = RULES) -> dict[str, CodeInfo]:
    """Every code lint can report (the loader's, the rules', N501), sorted."""
    table = {code: CodeInfo(code, "load", info.name, Severity.ERROR, info.summary)
             for code, info in LOADER_CODES.items()}
    table.update((code, CodeInfo(code, stage(code), doc.NAME, doc.SEVERITY, doc.SUMMARY))
                 for code, doc in documented(rules).items())
    return dict(sorted(table.items()))
