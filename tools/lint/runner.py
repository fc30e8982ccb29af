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
from carnet.engine.model import Story
from carnet.engine.sourcemap import SourceMap
from carnet.tools.lint import noqa
from carnet.tools.lint.context import Finding, LintContext
from carnet.tools.lint.explore import DEFAULT_MAX_STATES, explore
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
    story = result.story
    if story is None:
        loaded = {d for d in result.diagnostics if options.decider.enabled(d.code)}
        return StoryReport(folder, tuple(sorted(loaded)))
    # The cyclic garbage collector is kept off the story while lint runs. A
    # big story is millions of objects in acyclic trees: every full
    # collection would walk them all again, which makes lint grow faster than
    # the story, and the first collection after a load (which pauses the
    # collector) walks every object it made. ``gc.freeze`` moves every object
    # there is out of the collector's sight (what is allocated afterwards is
    # still collected); it comes first, before anything is allocated here
    # (a context manager would be), and ``gc.unfreeze`` puts them back after,
    # whatever happens.
    gc.freeze()
    try:
        return _lint(story, result.source_map, folder, options, rules)
    finally:
        gc.unfreeze()


def _lint(story: Story, source_map: SourceMap, folder: str, options: LintOptions,
          rules: Mapping[str, Rule]) -> StoryReport:
    decider = options.decider
    ran = {code: rule for code, rule in rules.items() if decider.enabled(code)}
    with _collector_paused():  # big acyclic tables, kept: nothing for it to free
        ctx = LintContext.build(story, source_map, f"{folder}/{STORY_FILE}", None)
        gc.freeze()  # they join the story, out of the collector's sight, before it resumes
    if any(code.startswith("X") for code in ran):
        ctx = attrs.evolve(ctx, explored=explore(story, options.max_states, ctx.graph,
                                                 ctx.index))
    found = [(code, finding) for code, rule in ran.items() for finding in rule.check(ctx)]
    table = code_table(rules)
    judged = {*ran, noqa.CODE} if decider.enabled(noqa.CODE) else set(ran)
    kept = {_diagnostic(code, finding, table[code].severity)
            for code, finding in noqa.suppress(ctx, found, judged, table)}
    seen = ctx.explored
    return StoryReport(folder, tuple(sorted(kept)), seen.states if seen else None,
                       seen.complete if seen else True)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No collection meanwhile; the collector is restored after, whatever happens."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _diagnostic(code: str, finding: Finding, severity: Severity) -> Diagnostic:
    pos = finding.pos
    return Diagnostic(pos.path, pos.line, pos.col, code, finding.message, severity, finding.hint)


def lint_story(folder: Path, display: str, options: LintOptions) -> StoryReport:
    """Load the story in ``folder`` (shown as ``display``) and lint it.

    The collector stays paused from the load (which pauses it meanwhile) to
    the freeze: the first collection after a load would walk every object it
    made, for nothing.
    """
    with _collector_paused():
        result = load_story(folder, display=display)
        gc.freeze()
    try:
        return lint_loaded(result, display, options)
    finally:
        gc.unfreeze()
