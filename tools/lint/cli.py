"""``carnet lint``: arguments, and the edge where findings are printed.

Exit codes: 0 no error-level finding (no finding at all with ``--strict``),
1 otherwise, 2 a usage or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from carnet.engine.diagnostics import Diagnostic, Severity
from carnet.tools.cliargs import positive_int
from carnet.tools.lint import formats
from carnet.tools.lint.explore import DEFAULT_MAX_STATES
from carnet.tools.lint.rules import code_table
from carnet.tools.lint.runner import LintOptions, StoryReport, lint_story
from carnet.tools.lint.select import BadCode, Decider, parse_codes
from carnet.tools.lint.targets import TargetError, resolve_targets


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="a story folder, a folder of story folders, a .yaml file in a story, or "
             "a story id from `carnet list` (default: every story under scenes/)")
    parser.add_argument("--format", choices=formats.FORMATS, default="text",
                        help="text (default): one finding per line; json: a list of "
                             "findings; github: workflow annotations")
    parser.add_argument("--select", action="append", default=[], metavar="CODES",
                        help="report only these codes or prefixes (G1,V201); repeatable")
    parser.add_argument("--ignore", action="append", default=[], metavar="CODES",
                        help="do not report these codes or prefixes; the longest matching "
                             "prefix of --select and --ignore wins")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on warnings too, not only on errors")
    parser.add_argument("--max-states", type=positive_int, default=DEFAULT_MAX_STATES,
                        metavar="N",
                        help=f"bound of the state exploration (default {DEFAULT_MAX_STATES})")
    parser.add_argument("--hints", action="store_true",
                        help="text format: print each finding's hint on the next line")
    parser.add_argument("--list-rules", action="store_true",
                        help="list every code with its stage, name, severity and summary")
    parser.add_argument("--skip-non-story", action="store_true",
                        help="skip .yaml files that belong to no story instead of failing "
                             "(for pre-commit, which passes every changed YAML file)")


def rule_table() -> list[str]:
    """One line per code: code, stage, name, severity, summary."""
    rows = code_table().values()
    width = max(len(row.name) for row in rows)
    return [f"{row.code}  {row.stage:<9}  {row.name:<{width}}  {row.severity.value:<7}  "
            f"{row.summary}" for row in rows]


def _fail(message: str, hint: str | None = None) -> int:
    sys.stderr.write(f"carnet lint: {message}\n")
    if hint:
        sys.stderr.write(f"    hint: {hint}\n")
    return 2


def _print(lines: Sequence[str], summary: str, to_stderr: bool) -> None:
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")
    (sys.stderr if to_stderr else out).write(summary + "\n")


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        for line in rule_table():
            print(line)
        return 0
    try:
        decider = Decider(parse_codes(args.select), parse_codes(args.ignore))
    except BadCode as err:
        return _fail(str(err))
    try:
        resolved = resolve_targets(args.paths, args.skip_non_story)
    except TargetError as err:
        return _fail(err.message, err.hint)
    options = LintOptions(decider, args.max_states)
    reports: list[StoryReport] = []
    for target in resolved.targets:
        try:
            reports.append(lint_story(target.folder, target.display, options))
        except OSError as err:
            return _fail(f"{target.display}: cannot read: {err.strerror}")
    findings: list[Diagnostic] = sorted(d for report in reports for d in report.diagnostics)
    explored = [r.states for r in reports if r.states is not None]
    summary = formats.summary(findings, len(reports), sum(explored) if explored else None,
                              [r.folder for r in reports if not r.complete])
    if args.format == "json":
        _print([formats.as_json(findings)], summary, to_stderr=True)
    elif args.format == "github":
        _print(formats.github_lines(findings), summary, to_stderr=False)
    else:
        _print(formats.text_lines(findings, args.hints), summary, to_stderr=False)
    failing = findings if args.strict else [d for d in findings if d.severity is Severity.ERROR]
    return 1 if failing else 0
