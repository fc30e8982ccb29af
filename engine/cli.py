"""The `carnet` command: list, play, schema, and the tools (convert, lint,
new, test, graph, export), each imported only for its own subcommand.

Exit codes: 0 success, 1 a finding or a refusal (lint errors, convert would
overwrite an edit), 2 a usage, input or I/O error, 3 a bug in carnet (an
unexpected exception: a short message, the traceback in a crash file or, with
``carnet --debug``, on stderr). Nothing the user got wrong ends in a traceback.
Everything printed goes through one sanitizer (engine.text.printable). Heavy
modules (prompt_toolkit, the tools) are imported only by the command that
needs them, so `carnet play` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from carnet.engine import __version__
from carnet.engine.terminal import DEBUG_ENV, raw_streams, report_crash, safe

if TYPE_CHECKING:
    from carnet.engine.model import Story
    from carnet.engine.session import Session

# name -> (module with add_arguments/run, one-line help)
TOOLS = {
    "convert": ("carnet.tools.convert.cli", "convert prose stories into playable scene graphs"),
    "lint": ("carnet.tools.lint.cli", "check story folders for errors, like a compiler"),
    "export": ("carnet.tools.export.cli", "export a story as Twee 3 for Twine 2 (SugarCube 2)"),
    "new": ("carnet.tools.scaffold.cli", "start a new story folder that lints, plays and tests"),
    "graph": ("carnet.tools.graph.cli", "draw a story's scene graph (dot, mermaid, svg, png)"),
    "test": ("carnet.tools.storytest.cli", "play a story's walkthroughs and random playthroughs"),
}


def build_parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carnet",
        description="Interactive fiction: play, convert, lint, test, draw and export "
                    "branching stories.",
    )
    parser.add_argument("--version", action="version", version=f"carnet {__version__}")
    parser.add_argument("--debug", dest="traceback", action="store_true",
                        help=f"on an internal error, print the traceback (also: {DEBUG_ENV}=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lst = sub.add_parser("list", help="list the stories found")
    lst.add_argument("--dir", type=Path, help="also look for stories in this folder")

    play = sub.add_parser("play", help="play a story (no STORY: a menu of the stories on a "
                          "terminal, the tutorial otherwise)")
    add_play_arguments(play)

    schema = sub.add_parser("schema", help="print the JSON Schema of story files (for editors)")
    schema.add_argument("--path", action="store_true",
                        help="print the schema file's path instead of its content")

    for name, (module, help_text) in TOOLS.items():
        tool = sub.add_parser(name, help=help_text)
        if command == name:  # import a tool only when it is the one asked for
            importlib.import_module(module).add_arguments(tool)
    return parser


def add_play_arguments(play: argparse.ArgumentParser) -> None:
    play.add_argument("story", nargs="?", metavar="STORY",
                      help="a story folder, or the id of a story from `carnet list`")
    mode = play.add_mutually_exclusive_group()
    mode.add_argument("--plain", action="store_true",
                      help="plain line mode: print the scene, read a number")
    mode.add_argument("--json", action="store_true",
                      help="JSON line protocol for programs (docs/json-protocol.md)")
    script = play.add_mutually_exclusive_group()
    script.add_argument("--choices", metavar="2,1,1", help="play this sequence of choices")
    script.add_argument("--canon", action="store_true",
                        help="follow the canonical choices and print the transcript")
    play.add_argument("--transcript", type=Path, metavar="FILE",
                      help="also write what was shown and chosen to FILE")
    play.add_argument("--debug", action="store_true",
                      help="author commands in the REPL: goto SCENE, set VAR VALUE")
    play.add_argument("--no-color", action="store_true", help="no colour (also: NO_COLOR=1)")
    play.add_argument("--save-dir", type=Path, metavar="DIR",
                      help="where saves go (default: $XDG_DATA_HOME/carnet/saves)")
    play.add_argument("--continue", dest="resume", action="store_true",
                      help="resume the autosave of this story")
    play.add_argument("--dir", type=Path, help="also look for stories in this folder")
    play.add_argument("--no-cache", action="store_true",
                      help="read the story from its files, not from the compiled cache "
                           "(in $XDG_CACHE_HOME/carnet, or $CARNET_CACHE_DIR)")


def fail(message: str, err: TextIO | None = None) -> int:
    (err or sys.stderr).write(f"carnet: {message}\n")
    return 2


def cmd_list(args: argparse.Namespace) -> int:
    from carnet.engine.loader import load_story
    from carnet.engine.stories import NO_STORIES, find_stories, search_dirs
    from carnet.engine.text import plural

    refs = find_stories(search_dirs(args.dir))
    if not refs:
        print(NO_STORIES)
        return 0
    width = max(len(ref.id) for ref in refs)
    for ref in refs:
        result = load_story(ref.path)
        if result.story is None:
            print(f"{ref.id:<{width}}  (does not load: {plural(len(result.diagnostics), 'error')}; "
                  f"run `carnet lint {ref.path}`)")
            continue
        story = result.story
        print(f"{ref.id:<{width}}  {story.title}  ({plural(len(story.scenes), 'scene')}, "
              f"{plural(len(story.endings), 'ending')})")
        if story.description:
            print(f"{'':<{width}}  {story.description}")
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    """Resolve and load the story once, then hand it to the player asked for:
    the REPL on a terminal (which shows a menu when no STORY is given), plain
    lines or JSON lines otherwise."""
    from carnet.engine.stories import DEFAULT_STORY, open_story

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    scripted = args.choices is not None or args.canon
    repl = interactive and not (args.plain or args.json or scripted)
    if repl and args.story is None:
        return play_in_terminal(args, None)  # the menu picks the story
    story = open_story(args.story or DEFAULT_STORY, args.dir, sys.stderr,
                       cache=not args.no_cache)
    if story is None:
        return 2
    if repl:
        return play_in_terminal(args, story)
    return play_lines(story, args)


def play_in_terminal(args: argparse.Namespace, story: Story | None) -> int:
    """The REPL (prompt_toolkit is imported only here), on the raw streams."""
    from carnet.engine.repl import run_repl

    with raw_streams():
        code: int = run_repl(args, story)
    return code


def play_lines(story: Story, args: argparse.Namespace) -> int:
    """Plain or JSON lines: from `--choices`, `--canon` or standard input."""
    from carnet.engine.files import atomic_text
    from carnet.engine.jsonlines import JsonPlayer
    from carnet.engine.plain import PlainPlayer, Script, parse_choices
    from carnet.engine.session import Session

    try:
        numbers = parse_choices(args.choices) if args.choices is not None else None
    except ValueError as err:
        return fail(str(err))
    script = Script(numbers=numbers, canon=args.canon)
    session = Session.start(story)
    if args.resume:
        resume_lines(session, args.save_dir)
    lines = iter(sys.stdin) if numbers is None and not args.canon else None
    if args.json:
        return JsonPlayer(session, sys.stdout).run(script, lines)
    try:
        with atomic_text(args.transcript) as transcript:
            width = 0
            if sys.stdout.isatty():
                width = min(shutil.get_terminal_size().columns, 100) - 1
            player = PlainPlayer(session, sys.stdout, sys.stderr, width=width,
                                 transcript=transcript, echo=not sys.stdin.isatty())
            return player.run(script, lines)
    except BrokenPipeError:
        raise
    except OSError as err:
        return fail(f"cannot write the transcript: {err.strerror}")


def resume_lines(session: Session, save_dir: Path | None) -> None:
    """--continue in plain and JSON modes: start from the autosave the REPL
    wrote (notes and refusals go to stderr; a refusal means a new game)."""
    from carnet.engine.userdata import UserData

    continued = UserData.locate(save_dir).continue_game(session)
    if continued.loaded is None:
        sys.stderr.write(f"carnet: {continued.message}\n")
        return
    for note in continued.loaded.notes:
        sys.stderr.write(f"carnet: note: {note}\n")


def cmd_schema(args: argparse.Namespace) -> int:
    from carnet.engine.schemafile import schema_path

    path = schema_path()
    if args.path:
        print(path)
        return 0
    try:
        sys.stdout.write(path.read_text(encoding="utf-8"))
    except OSError as err:
        return fail(f"cannot read the schema {path}: {err.strerror}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = safe(out), safe(err)
    try:
        return run_command(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `carnet ... | head`: an I/O error, said quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 2
    except Exception as error:  # a bug: say so, exit 3, never 1 (a finding)
        debug = "--debug" in argv or os.environ.get(DEBUG_ENV, "") not in ("", "0")
        return report_crash(error, argv, debug, sys.stderr)
    finally:
        sys.stdout, sys.stderr = out, err


def run_command(argv: list[str]) -> int:
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "list":
        return cmd_list(args)
    if args.command == "play":
        return cmd_play(args)
    if args.command == "schema":
        return cmd_schema(args)
    module = importlib.import_module(TOOLS[args.command][0])
    code: int = module.run(args)
    return code
