"""Lint one story: the loader's findings, or the selected rules, then the
suppression stage (``noqa``, N501)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from carnet.engine.diagnostics import Diagnostic, Severity
from carnet.engine.loader import STORY_FILE, LoadResult, load_story
from carnet.tools.lint import noqa
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.explore import DEFAULT_MAX_STATES
from carnet.tools.lint.rules import RULES, Rule, code_table
from carnet.tools.lint.select import Decider


@attrs.frozen
class LintOptions:
    decider: Decider = attrs.field(factory=Decider)
    max_states: int = DEFAULT_MAX_STATES


@attrs.frozen
class StoryReport:
    """``states`` is how many states the exploration walked (None: it did not run)."""

    folder: str
    diagnostics: tuple[Diagnostic, ...]
    states: int | None = None
    complete: bool = True


def lint_loaded(result: LoadResult, folder: str, options: LintOptions,
                rules: Mapping[str, Rule] = RULES) -> StoryReport:
    """Findings for an already loaded story, sorted by path, line, column, code.

    A story that does not load gets only the loader's findings: the rules
    need a model. ``rules`` is the registry to run (tests pass their own).
    """
    decider = options.decider
    if result.story is None:
        loaded = {d for d in result.diagnostics if decider.enabled(d.code)}
        return StoryReport(folder, tuple(sorted(loaded)))
    ran = {code: rule for code, rule in rules.items() if decider.enabled(code)}
    exploring = any(code.startswith("X") for code in ran)
    with collector_skips_the_story():
        ctx = LintContext.build(result.story, result.source_map, f"{folder}/{STORY_FILE}",
                                options.max_states if exploring else None)
        found = [(code, finding) for code, rule in ran.items() for finding in rule.check(ctx)]
    table = code_table(rules)
    judged = {*ran, noqa.CODE} if decider.enabled(noqa.CODE) else set(ran)
    kept = {_diagnostic(code, finding, table[code].severity)
            for code, finding in noqa.suppress(ctx, found, judged, table)}
    seen = ctx.explored
    return StoryReport(folder, tuple(sorted(kept)), seen.states if seen else None,
                       seen.complete if seen else True)


@contextlib.contextmanager
def collector_skips_the_story() -> Iterator[None]:
    """Keep the cyclic garbage collector off the loaded story while the rules run.

    A big story is millions of objects in acyclic trees; every full collection
    would walk them all again, which makes lint grow faster than the story.
    ``gc.freeze`` moves them out of the collector's sight (what the rules
    allocate is still collected), and ``gc.unfreeze`` puts them back after,
    whatever happens.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _diagnostic(code: str, finding: Finding, severity: Severity) -> Diagnostic:
    pos = finding.pos
    return Diagnostic(pos.path, pos.line, pos.col, code, finding.message, severity, finding.hint)


def lint_story(folder: Path, display: str, options: LintOptions) -> StoryReport:
    """Load the story in ``folder`` (shown as ``display``) and lint it."""
    return lint_loaded(load_story(folder, display=display), display, options)
