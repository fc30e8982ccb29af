"""``carnet convert FILE... [-o DIR] [--force] [--explain]``: where files meet the converter.

Exit codes: 0 every input converted; 1 an input could not be converted, or
a story was refused because writing it would overwrite an edited (or a
hand-written) file; 2 a file could not be read or written. Messages are
``path: message`` on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from pathlib import Path

import attrs

import carnet.engine.schemafile
from carnet.engine.text import plural
from carnet.engine.yamlio import YamlProblem, read_file
from carnet.tools.convert.analysis import Reading
from carnet.tools.convert.errors import ConvertError
from carnet.tools.convert.explain import clean, explain
from carnet.tools.convert.reading.decode import MAX_BYTES, decode
from carnet.tools.convert.slug import slugify
from carnet.tools.convert.writing.emit import DRAFTS_FILE, STORY_FILE, Provenance, emit
from carnet.tools.convert.writing.files import apply, decide, read_existing, render_file
from carnet.tools.convert.writing.graph import EmptyStory, Plan, build_plan
from carnet.tools.convert.writing.takeover import read_hand_written, without_taken

GENERATED_FILES = (STORY_FILE, DRAFTS_FILE)
_WORD = re.compile(r"[^\W\d_]{2,}")
_STEM_PARTS = re.compile(r"[\s._-]+")
_VOWELS = set("aeiouyàáâäåèéêëìíîïòóôöùúûü")
_MAX_ID = 40
_MAX_DENSITY = 100.0  # one choice point every ten words; more is surely a typo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="prose stories, as plain text files (UTF-8)")
    parser.add_argument("-o", "--output", metavar="DIR", default="scenes",
                        help="folder the story folders are written into (default: scenes)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite generated files even if they were edited since")
    parser.add_argument("--explain", action="store_true",
                        help="write nothing; show what was found and where the choices go")
    parser.add_argument("--density", type=_density, default=None, metavar="N",
                        help="at most N choice points per 1,000 words "
                             f"(default: {_default_density():g})")


def _default_density() -> float:
    from carnet.tools.convert.reading.beats import DENSITY

    return DENSITY


def _density(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= _MAX_DENSITY:
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range: choice points per 1,000 words, above 0 and at most "
            f"{_MAX_DENSITY:g}"
        )
    return value


# --- Naming -----------------------------------------------------------------


def readable_stem(stem: str) -> bool:
    """True for file names made of words (``the_old_harbour``), not hashes or numbers."""
    parts = [p for p in _STEM_PARTS.split(stem) if p]
    has_word = False
    for part in parts:
        if part.isdigit() and len(part) <= 4:
            continue
        if not _WORD.fullmatch(part) or not (_VOWELS & set(part.lower())):
            return False
        has_word = True
    return has_word


def title_hint(path: Path) -> str | None:
    stem = path.stem
    if not readable_stem(stem):
        return None
    words = " ".join(p for p in _STEM_PARTS.split(stem) if p)
    return words[:1].upper() + words[1:]


def base_id(path: Path, reading: Reading) -> str:
    """The story id: a slug of the file name when it is words, else of the story's title."""
    text = path.stem if readable_stem(path.stem) else reading.title
    return slugify(text, "-", max_length=_MAX_ID)


def unique_ids(bases: list[str]) -> list[str]:
    """``x``, ``x-2``, ``x-3`` … in argument order."""
    used: set[str] = set()
    ids = []
    for base in bases:
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        ids.append(candidate)
    return ids


def shown_source(path: Path) -> str:
    """How story.yaml names its source: relative to the working folder when inside it."""
    resolved = path.resolve()
    try:
        shown = resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = resolved.as_posix()
    # a name that is not UTF-8 is written with U+FFFD for its undecodable bytes
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def schema_reference(folder: Path) -> str | None:
    """What the modeline of a file written to ``folder`` names: a relative path
    inside a carnet checkout, else the installed schema's file URI."""
    return carnet.engine.schemafile.schema_reference(folder)


# --- Running ------------------------------------------------------------------


@attrs.frozen
class _Input:
    arg: str
    path: Path
    data: bytes
    reading: Reading


def _say(message: str) -> None:
    sys.stderr.write("\n".join(clean(line) for line in message.split("\n")) + "\n")


def _os_message(arg: str, error: OSError) -> str:
    if isinstance(error, IsADirectoryError):
        return f"{arg}: is a directory, not a text file"
    if isinstance(error, FileNotFoundError):
        return f"{arg}: no such file"
    if isinstance(error, PermissionError):
        return f"{arg}: permission denied"
    return f"{arg}: {error.strerror or error}"


def _read_input(arg: str, density: float | None) -> tuple[_Input | None, int]:
    from carnet.tools.convert.reading import read_story

    path = Path(arg)
    try:
        if path.is_dir():
            raise IsADirectoryError(arg)
        # type and size checked before reading: a FIFO or /dev/zero is refused at once
        data = read_file(path, MAX_BYTES)
    except YamlProblem as problem:
        _say(f"{arg}: {problem.message}")
        return None, 2
    except OSError as error:
        _say(_os_message(arg, error))
        return None, 2
    try:
        decoded = decode(data, arg)
        if not decoded.is_utf8:
            _say(f"{arg}: not UTF-8; read as {decoded.encoding} (check the accents)")
        if density is None:
            reading = read_story(decoded.text, title_hint=title_hint(path))
        else:
            reading = read_story(decoded.text, title_hint=title_hint(path), density=density)
        for marker in reading.markers:
            if not marker.usable:
                _say(f"{arg}:{marker.line}:1: [[{marker.kind}]] has no paragraph on one side; "
                     "ignored (a marker goes on its own line between two paragraphs)")
    except ConvertError as error:
        _say(error.format())
        return None, 1
    # any other exception is a bug: the CLI's crash handler reports it (exit 3)
    return _Input(arg, path, data, reading), 0


def _plan(item: _Input) -> Plan | None:
    try:
        return build_plan(item.reading)
    except EmptyStory as error:
        _say(f"{item.arg}: {error}")
    return None


def _write_story(item: _Input, plan: Plan, folder: Path, shown: str, force: bool) -> int:
    hand = read_hand_written(folder, GENERATED_FILES)
    for scene_id in sorted(set(hand.scenes) & {s.id for s in plan.scenes}):
        _say(f"{shown}/{hand.scenes[scene_id]}: defines scene '{scene_id}'; convert leaves it "
             "to you and does not generate it")
    plan, unreached = without_taken(plan, hand)
    if unreached:
        _say(f"{shown}/: {plural(len(unreached), 'generated scene')} no longer reached from "
             f"'{plan.start}' through your scenes, left out: {', '.join(unreached)}")
    source = Provenance(shown_source(item.path), hashlib.sha256(item.data).hexdigest())
    schema = schema_reference(folder)
    wanted = {
        name: render_file(body, source_path=source.path, source_sha256=source.sha256,
                          schema=schema)
        for name, body in emit(plan, source).items()
    }
    decision = decide(wanted, read_existing(folder, GENERATED_FILES), force=force)
    if decision.refused:
        for refusal in decision.refusals:
            _say(f"{shown}/{refusal.name}: {refusal.message}")
        _say(f"{shown}/: nothing written for {item.arg}")
        return 1
    apply(folder, decision)
    changed = "" if decision.writes or decision.removals else "; no changes"
    print(f"wrote {shown}/ ({len(plan.scenes)} scenes, {len(plan.choice_points)} choice "
          f"points, {len(plan.endings)} endings{changed})")
    return 0


def run(args: argparse.Namespace) -> int:
    """Convert (or explain) every input; the exit code is the worst outcome."""
    code = 0
    inputs: list[_Input] = []
    for arg in args.files:
        item, status = _read_input(arg, args.density)
        code = max(code, status)
        if item is not None:
            inputs.append(item)
    if args.explain:
        for item in inputs:
            try:
                plan: Plan | None = build_plan(item.reading)
            except EmptyStory:  # the report still shows what was found
                plan = None
            sys.stdout.write(explain(item.reading, plan, item.arg) + "\n")
        return code
    ids = unique_ids([base_id(item.path, item.reading) for item in inputs])
    output = Path(args.output)
    for item, story_id in zip(inputs, ids, strict=True):
        plan = _plan(item)
        if plan is None:
            code = max(code, 1)
            continue
        folder = output / story_id
        shown = os.path.join(args.output, story_id)
        try:
            code = max(code, _write_story(item, plan, folder, shown, args.force))
        except OSError as error:
            _say(_os_message(shown, error) if error.filename is None
                 else _os_message(str(error.filename), error))
            code = 2
    return code
