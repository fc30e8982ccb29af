"""docs/lint.md is generated from the rules and shows every one of them."""

from __future__ import annotations

from pathlib import Path

from carnet.engine.diagnostics import LOADER_CODES
from carnet.tools.lint.docgen import render
from carnet.tools.lint.rules import documented

DOC = Path(__file__).resolve().parent.parent / "docs" / "lint.md"


def test_every_rule_has_a_section_with_a_bad_and_a_good_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    codes = documented()
    assert "N501" in codes and "G101" in codes
    for code, rule in codes.items():
        heading = f"### {code} {rule.NAME}\n"
        assert heading in text, code
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        assert f"*{rule.SEVERITY.value}* — {rule.SUMMARY}." in section
        assert "Bad:\n\n```yaml\n" in section and "Good:\n\n```yaml\n" in section, code
    for code, info in LOADER_CODES.items():
        assert f"| {code} | {info.name} | {info.summary} |" in text


def test_the_doc_is_up_to_date() -> None:
    # regenerate with: python -m carnet.tools.lint.docgen
    assert DOC.read_text(encoding="utf-8") == render()
