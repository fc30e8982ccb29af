"""Helpers for the lint tests: small stories written into tmp_path.

Not a test module (it holds no tests); the lint tests import it as ``tests.lint_support``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from carnet.engine.diagnostics import Diagnostic
from carnet.engine.loader import load_story
from carnet.tools.lint.runner import LintOptions, StoryReport, lint_loaded
from carnet.tools.lint.select import Decider

HEAD = "carnet: 1\ntitle: Test\n"


def write_story(root: Path, files: dict[str, str], name: str = "story") -> Path:
    """Write ``files`` (relative path -> YAML, dedented) into ``root/name``."""
    folder = root / name
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def lint(folder: Path, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
         max_states: int = 20_000) -> StoryReport:
    result = load_story(folder, display="s")
    return lint_loaded(result, "s", LintOptions(Decider(select, ignore), max_states))


def lint_text(tmp_path: Path, story_yaml: str, **kwargs: object) -> StoryReport:
    """Lint a one-file story; ``story_yaml`` gets the carnet/title header."""
    folder = write_story(tmp_path, {"story.yaml": HEAD + textwrap.dedent(story_yaml)})
    return lint(folder, **kwargs)  # type: ignore[arg-type]


def found(report: StoryReport, code: str) -> list[Diagnostic]:
    return [d for d in report.diagnostics if d.code == code]


def where(report: StoryReport, code: str) -> list[tuple[str, int, int]]:
    """(path, line, col) of each finding with ``code``."""
    return [(d.path, d.line, d.col) for d in found(report, code)]


def codes(report: StoryReport) -> list[str]:
    return [d.code for d in report.diagnostics]
