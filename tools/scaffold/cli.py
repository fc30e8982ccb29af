"""``carnet new STORY``: a new story folder.

Exit codes: 0 created, 1 refused (the folder exists: nothing is overwritten),
2 a usage or I/O error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from carnet.engine.schemafile import schema_reference
from carnet.tools.scaffold.template import NAME, story_files, title_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="STORY", type=Path,
                        help="the folder to create, e.g. scenes/lighthouse (its name is the "
                             "story's id)")
    parser.add_argument("--title", help="the story's title (default: from the folder's name)")


def _fail(message: str, hint: str | None = None, code: int = 2) -> int:
    sys.stderr.write(f"carnet new: {message}\n")
    if hint:
        sys.stderr.write(f"    hint: {hint}\n")
    return code


def create(folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` into a new ``folder``, all or nothing: they are written in a
    temporary folder beside it, which is then renamed. Raises FileExistsError
    when ``folder`` exists (even if it appeared meanwhile), OSError otherwise."""
    parent = folder.parent
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=parent))
    try:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)
        if folder.exists() or folder.is_symlink():
            raise FileExistsError(17, "exists", str(folder))
        os.rename(staging, folder)  # fails if a non-empty folder appeared meanwhile
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
        raise


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    name = folder.resolve().name if str(folder) not in ("", ".") else ""
    if not NAME.match(folder.name):
        return _fail(f"{str(folder)!r} is not a good story folder name",
                     "use letters, digits, '-', '_' and '.', starting with a letter or "
                     "digit: the name is the story's id (`carnet play NAME`)")
    if folder.exists() or folder.is_symlink():
        return _fail(f"{folder} already exists; nothing was written",
                     "give the name of a folder that does not exist yet", code=1)
    if not folder.parent.is_dir():
        return _fail(f"{folder.parent} is not a folder", "create it first, or give another path")
    title = args.title if args.title is not None else title_of(name)
    if not title.strip():
        return _fail("the title is empty")
    try:
        create(folder, story_files(title, schema_reference(folder.parent / name)))
    except FileExistsError:
        return _fail(f"{folder} already exists; nothing was written", code=1)
    except OSError as err:
        return _fail(f"cannot create {folder}: {err.strerror}")
    shown = folder.as_posix()
    print(f"Created {shown}/ with story.yaml and two walkthroughs. Next:")
    print(f"  carnet lint {shown}")
    print(f"  carnet play {shown}")
    print(f"  carnet test {shown}")
    return 0
