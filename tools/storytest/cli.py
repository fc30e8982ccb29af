"""``carnet test``: arguments, and the edge where results are printed.

Exit codes: 0 every walkthrough passed and no random run found a problem,
1 a failure (or a story with nothing to test, or one that does not load),
2 a usage or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carnet.tools.cliargs import positive_int
from carnet.tools.storytest import report
from carnet.tools.storytest.randomtest import DEFAULT_MAX_STEPS
from carnet.tools.storytest.suite import RandomOptions, StoryResult, test_story
from carnet.tools.storytest.targets import TargetError, story_targets


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "stories", nargs="*", metavar="STORY",
        help="a story folder, a folder of story folders, or a story id from `carnet list` "
             "(default: every story under scenes/)")
    parser.add_argument("--random", type=positive_int, metavar="N",
                        help="also play N random playthroughs per story and report coverage, "
                             "runtime errors and softlocks")
    parser.add_argument("--seed", type=_seed, default=0, metavar="S",
                        help="seed of the random playthroughs (default 0); the same seed "
                             "plays the same runs")
    parser.add_argument("--max-steps", type=positive_int, default=DEFAULT_MAX_STEPS, metavar="N",
                        help=f"choices per random run before giving up (default "
                             f"{DEFAULT_MAX_STEPS})")
    parser.add_argument("--format", choices=report.FORMATS, default="text",
                        help="text (default), or json: one object per story")


def _fail(message: str, hint: str | None = None) -> int:
    sys.stderr.write(f"carnet test: {message}\n")
    if hint:
        sys.stderr.write(f"    hint: {hint}\n")
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        targets = story_targets(args.stories)
    except TargetError as err:
        return _fail(err.message, err.hint)
    options = None
    if args.random is not None:
        options = RandomOptions(args.random, args.seed, args.max_steps)
    results: list[StoryResult] = []
    for folder, display in targets:
        try:
            results.append(test_story(Path(folder), display, options))
        except OSError as err:
            return _fail(f"{display}: cannot read a walkthrough: {err.strerror}")
    summary = report.summary(results)
    if args.format == "json":
        sys.stdout.write(report.as_json(results) + "\n")
        sys.stderr.write(summary + "\n")
    else:
        for result in results:
            for line in report.text_lines(result):
                sys.stdout.write(line + "\n")
        sys.stdout.write(summary + "\n")
    return 0 if all(r.passed for r in results) else 1
