"""Every story shipped under scenes/ lints without an error-level finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.engine.diagnostics import Severity
from carnet.tools.lint.runner import LintOptions, lint_story

SCENES = Path(__file__).resolve().parent.parent / "scenes"
STORIES = sorted(p.parent for p in SCENES.glob("*/story.yaml"))


def test_there_are_shipped_stories() -> None:
    assert any(p.name == "tutorial" for p in STORIES)


@pytest.mark.parametrize("folder", STORIES, ids=[p.name for p in STORIES])
def test_no_error_level_finding(folder: Path) -> None:
    report = lint_story(folder, f"scenes/{folder.name}", LintOptions())
    errors = [d.format() for d in report.diagnostics if d.severity is Severity.ERROR]
    assert errors == []
