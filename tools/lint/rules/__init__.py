"""One module per lint rule, registered by code.

A rule module has the constants ``CODE``, ``NAME`` (kebab-case),
``SEVERITY`` and ``SUMMARY``, a docstring (What it does / Why / Bad / Good,
from which docs/lint.md is generated) and ``check(ctx)``, a generator of
:class:`~engine.diagnostics.Diagnostic`. Codes are stable: never renumber.
Families: G1xx graph, V2xx variables, T3xx text, X4xx exploration, N5xx noqa.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from carnet.engine.diagnostics import Diagnostic, Severity
from carnet.tools.lint.context import LintContext
from carnet.tools.lint.rules import (
    choice_never_offered,
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
    unused_noqa,
    unused_variable,
)


class Rule(Protocol):
    CODE: str
    NAME: str
    SEVERITY: Severity
    SUMMARY: str
    __doc__: str | None

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]: ...


FAMILIES = {"G": "graph", "V": "variables", "T": "text", "X": "explore", "N": "noqa"}

# Run in this order; N501 must come last (it looks at what the others silenced).
RULES: dict[str, Rule] = {
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
        unused_noqa,
    )
}

# Names for the loader's codes (engine.diagnostics.LOADER_CODES), shown by
# --list-rules as the "load" stage.
LOADER_NAMES = {
    "E001": "yaml-syntax",
    "E002": "unsafe-yaml",
    "E003": "duplicate-key",
    "E004": "wrong-type",
    "E005": "unknown-key",
    "E006": "missing-key",
    "E007": "invalid-value",
    "E008": "duplicate-scene",
    "E009": "expression-syntax",
    "E010": "expression-type",
    "E011": "unknown-scene",
    "E012": "undeclared-variable",
    "E013": "not-a-story",
    "E014": "duplicate-variable",
}


def stage(code: str) -> str:
    """``load`` for the loader's codes, else the rule family's name."""
    return "load" if code.startswith("E") else FAMILIES.get(code[:1], "other")
