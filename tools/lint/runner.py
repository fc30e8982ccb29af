"""Lint one story: the loader's findings, or every selected rule, then ``noqa``."""

from __future__ import annotations

from pathlib import Path

import attrs

from carnet.engine.diagnostics import Diagnostic
from carnet.engine.loader import STORY_FILE, LoadResult, load_story
from carnet.tools.lint.context import LintContext
from carnet.tools.lint.explore import DEFAULT_MAX_STATES
from carnet.tools.lint.rules import RULES
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


def lint_loaded(result: LoadResult, folder: str, options: LintOptions) -> StoryReport:
    """Findings for an already loaded story, sorted by path, line, column, code.

    A story that does not load gets only the loader's findings: the rules
    need a model.
    """
    decider = options.decider
    if result.story is None:
        loaded = {d for d in result.diagnostics if decider.enabled(d.code)}
        return StoryReport(folder, tuple(sorted(loaded)))
    story = result.story
    ctx = LintContext(story, result.source_map, f"{folder}/{STORY_FILE}", options.max_states)
    ran = [code for code in RULES if decider.enabled(code)]
    ctx.ran = frozenset(ran)
    kept: set[Diagnostic] = set()
    for code in ran:  # in registry order: N501 last, after every silencing
        for found in RULES[code].check(ctx):
            owner = ctx.owners.get(found)
            noqa = story.scenes[owner].noqa if owner is not None else frozenset()
            silencing = [c for c in noqa if found.code.startswith(c)]
            if silencing:
                ctx.silenced.update((owner, c) for c in silencing if owner is not None)
            else:
                kept.add(found)
    seen = ctx.explored
    return StoryReport(folder, tuple(sorted(kept)), seen.states if seen else None,
                       seen.complete if seen else True)


def lint_story(folder: Path, display: str, options: LintOptions) -> StoryReport:
    """Load the story in ``folder`` (shown as ``display``) and lint it."""
    return lint_loaded(load_story(folder, display=display), display, options)
