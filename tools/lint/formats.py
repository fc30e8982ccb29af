"""Findings as text: one per line, JSON, or GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from carnet.engine.diagnostics import Diagnostic, Severity
from carnet.engine.text import json_safe
from carnet.tools.lint.show import plural

FORMATS = ("text", "json", "github")


def text_lines(findings: Sequence[Diagnostic], hints: bool = False) -> list[str]:
    """``path:line:col: CODE message``; with ``hints``, each hint on the next line."""
    if hints:
        return [d.format() for d in findings]
    return [f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}" for d in findings]


def as_json(findings: Sequence[Diagnostic]) -> str:
    """A JSON list of objects with path, line, column, code, severity, message, hint."""
    return json_safe(json.dumps([
        {"path": d.path, "line": d.line, "column": d.col, "code": d.code,
         "severity": d.severity.value, "message": d.message, "hint": d.hint}
        for d in findings
    ], indent=2, ensure_ascii=False))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(findings: Sequence[Diagnostic]) -> list[str]:
    """``::error file=...,line=...,col=...,title=CODE::message`` (``::warning`` for warnings).

    Escaped as the runner expects, so a hostile path or message cannot end
    the command early or inject another one.
    """
    lines = []
    for d in findings:
        level = "error" if d.severity is Severity.ERROR else "warning"
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{level} file={_escape_property(d.path)},line={d.line},col={d.col},"
                     f"title={_escape_property(d.code)}::{_escape_data(message)}")
    return lines


def summary(findings: Sequence[Diagnostic], stories: int, states: int | None,
            bound_reached: Sequence[str]) -> str:
    """``2 errors, 1 warning in 3 stories; explored 1234 states``."""
    errors = sum(1 for d in findings if d.severity is Severity.ERROR)
    warnings = len(findings) - errors
    found = (f"{plural(errors, 'error')}, {plural(warnings, 'warning')}" if findings
             else "no problems")
    text = f"{found} in {plural(stories, 'story', 'stories')}"
    if states is not None:
        text += f"; explored {plural(states, 'state')}"
        if bound_reached:
            text += f" (bound reached in {', '.join(bound_reached)}: not a proof)"
    return text
