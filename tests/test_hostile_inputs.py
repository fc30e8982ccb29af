"""Hostile inputs, one named test each (issue 13 item 2, issue 15).

Every case runs `carnet` in a subprocess under a memory limit (RLIMIT_AS) and
a timeout: a case that hangs or eats memory fails by hitting the bound, not by
a timing assert. Each must end with exit code 0, 1 or 2, a clear message (a
position when there is one), and no traceback.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

from carnet.engine.limits import MAX_FILES
from tests.fuzzing import LONG

SECONDS = 60  # a hang guard for a loaded machine; the normal runs take a second or two
HEAVY_SECONDS = 600  # the 50 MB file, 100,000 scenes, 10,000 files: well under a minute alone
MEMORY = 2 * 1024**3
HEADER = "carnet: 1\ntitle: T\nstart: a\n"
GOOD = HEADER + "scenes:\n  a:\n    text: Hello.\n    choices:\n      - text: Go\n        to: b\n" \
    "  b:\n    text: Bye.\n    end: Done\n"


@attrs.frozen
class Result:
    code: int
    out: str
    err: str


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def carnet(args: list[str], cwd: Path, stdin: str = "", script: str | None = None,
           seconds: float = SECONDS) -> Result:
    """Run `carnet ARGS` (or ``script``, Python that ends by calling it) bounded."""
    command = [sys.executable, "-c", script, *args] if script else \
        [sys.executable, "-m", "carnet", *args]
    env = {**os.environ, "XDG_DATA_HOME": str(cwd / "data"), "CARNET_CACHE_DIR": str(cwd / "cache"),
           "PYTHONHASHSEED": "0"}
    env.pop("CARNET_DEBUG", None)
    try:
        done = subprocess.run(command, cwd=cwd, input=stdin.encode(), capture_output=True,
                              timeout=seconds, preexec_fn=_limits, env=env, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"carnet {args} did not end within {seconds} s")
    result = Result(done.returncode, done.stdout.decode("utf-8", "replace"),
                    done.stderr.decode("utf-8", "replace"))
    assert result.code in (0, 1, 2), (result.code, result.err[-2000:])
    assert "Traceback" not in result.out + result.err, result.err[-2000:]
    assert "internal error" not in result.err, result.err[-2000:]
    return result


def story(tmp_path: Path, files: dict[str, str | bytes], name: str = "s") -> Path:
    folder = tmp_path / name
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return folder


def lint_and_play(tmp_path: Path, folder: Path) -> tuple[Result, Result]:
    return (carnet(["lint", folder.name], tmp_path),
            carnet(["play", folder.name, "--json"], tmp_path, stdin="1\n"))


# -- endings without a label ------------------------------------------------------------


@pytest.mark.parametrize("label", ["~", '""', "[]"])
def test_an_ending_without_a_label(tmp_path, label):
    folder = story(tmp_path, {"story.yaml": GOOD.replace("end: Done", f"end: {label}")})
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code == 1 and "s/story.yaml:12:10: E00" in lint.out
    assert play.code == 2 and "s/story.yaml:12:10: E00" in play.err


# -- YAML an author can type (constructor errors; fixed on the `speed` branch) -----------


@pytest.mark.parametrize("value", [
    "2001-02-30", "!!bool x", "!!float x", "!!timestamp x", "!!int x", "!!binary '%%'",
    "!!set [a]", "!!omap {a: 1}", "!!pairs x", "1" * 5000, "2001-02-03", ".nan", ".inf",
    "-.inf", "!!binary aGk=", "!!set {a, b}", "2001-12-14t21:59:43.10-05:00",
    "!!map [a]", "!!map [{a: 1}]", "!!seq {a: 1}",  # found by the fuzz suite
])
def test_yaml_values_of_every_type_are_findings(tmp_path, value):
    folder = story(tmp_path, {"story.yaml": HEADER + f"vars:\n  d: {value}\n"
                              + GOOD.removeprefix(HEADER)})
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code == 1 and "s/story.yaml:5:" in lint.out, lint.out
    assert play.code == 2 and "s/story.yaml:5:" in play.err


# -- size -----------------------------------------------------------------------------


def test_a_50_mb_file(tmp_path):
    line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 10
    count = 50 * 1024 * 1024 // (len(line) + 7) + 1
    text = HEADER + "scenes:\n  a:\n    text: |\n" + f"      {line}\n" * count + "    end: Done\n"
    folder = story(tmp_path, {"story.yaml": text})
    assert (folder / "story.yaml").stat().st_size >= 50 * 1024 * 1024
    play = carnet(["play", "s", "--json"], tmp_path, seconds=HEAVY_SECONDS)
    assert play.code == 0
    lines = [json.loads(x) for x in play.out.splitlines()]
    assert lines[1]["ending"] == "Done" and len(lines[1]["text"][0]) > 49 * 1024 * 1024


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    folder = story(tmp_path, {"story.yaml": GOOD})
    with (folder / "big.yaml").open("wb") as out:
        out.truncate(65 * 1024 * 1024)  # sparse: 65 MiB of NUL bytes
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code == 1 and "s/big.yaml:1:1: E001" in lint.out and "64 MiB" in lint.out
    assert play.code == 2 and "s/big.yaml:1:1: E001" in play.err


def many_scenes(count: int) -> str:
    lines = ["carnet: 1", "title: Many", "start: s0", "scenes:"]
    lines += [f"  s{i}: {{text: Scene {i}., choices: [{{text: Next, to: s{i + 1}}}]}}"
              for i in range(count - 1)]
    lines.append(f"  s{count - 1}: {{text: The end., end: Done}}")
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not LONG, reason="minutes of CPU: part of the long reliability run, "
                    "CARNET_FUZZ_LONG=1 (docs/reliability.md)")
def test_100000_scenes(tmp_path):
    story(tmp_path, {"story.yaml": many_scenes(100_000)})
    play = carnet(["play", "s", "--json", "--choices", "1,1,1"], tmp_path, seconds=HEAVY_SECONDS)
    assert play.code == 0
    assert json.loads(play.out.splitlines()[-1])["scene"] == "s3"
    lint = carnet(["lint", "s"], tmp_path, seconds=HEAVY_SECONDS)
    assert lint.code == 0, lint.out[-2000:]


LOWER_LIMITS = textwrap.dedent("""\
    import sys
    from carnet.engine import loader
    loader.MAX_SCENES, loader.MAX_FILES = 1000, 50  # the same checks, at a size quick to build
    from carnet.engine.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_more_scenes_than_the_limit(tmp_path):
    story(tmp_path, {"story.yaml": many_scenes(1001)})
    play = carnet(["play", "s", "--json", "--no-cache"], tmp_path, script=LOWER_LIMITS)
    assert play.code == 2
    assert "s/story.yaml:1005:3: E007 the story has more than 1,000 scenes" in play.err


def test_10000_tiny_files(tmp_path):
    files: dict[str, str | bytes] = {"story.yaml": HEADER.replace("start: a", "start: f1")}
    for i in range(1, MAX_FILES):
        end = "end: Done" if i == MAX_FILES - 1 else f"choices: [{{text: Next, to: f{i + 1}}}]"
        files[f"part/{i:05}.yaml"] = f"scenes:\n  f{i}: {{text: Part {i}., {end}}}\n"
    story(tmp_path, files)
    assert len(list((tmp_path / "s").rglob("*.yaml"))) == MAX_FILES
    play = carnet(["play", "s", "--json", "--choices", "1"], tmp_path, seconds=HEAVY_SECONDS)
    assert play.code == 0 and json.loads(play.out.splitlines()[-1])["scene"] == "f2"


def test_more_files_than_the_limit(tmp_path):
    files: dict[str, str | bytes] = {"story.yaml": GOOD}
    files.update({f"part/{i:02}.yaml": "scenes: {}\n" for i in range(50)})
    story(tmp_path, files)
    play = carnet(["play", "s", "--json", "--no-cache"], tmp_path, script=LOWER_LIMITS)
    assert play.code == 2
    assert "s/story.yaml:1:1: E001 the story has 51 files; the limit is 50" in play.err


# -- not regular files ------------------------------------------------------------------


def ignored_or_refused(result: Result, path: str) -> bool:
    """A special file among the story's files is left out, or refused at its path."""
    return result.code == 0 or (result.code in (1, 2) and f"{path}:1:1: E001" in
                                result.out + result.err)


def test_a_fifo_where_a_story_file_is_expected(tmp_path):
    folder = story(tmp_path, {"story.yaml": GOOD})
    os.mkfifo(folder / "pipe.yaml")
    lint, play = lint_and_play(tmp_path, folder)
    assert ignored_or_refused(lint, "s/pipe.yaml") and ignored_or_refused(play, "s/pipe.yaml")
    named = carnet(["lint", "s/pipe.yaml"], tmp_path)  # the file itself as the target
    assert ignored_or_refused(named, "s/pipe.yaml")
    (tmp_path / "in.txt").symlink_to(folder / "pipe.yaml")
    convert = carnet(["convert", "in.txt", "-o", "out"], tmp_path)
    assert convert.code == 2 and "in.txt" in convert.err


def test_a_fifo_as_story_yaml(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    os.mkfifo(folder / "story.yaml")
    lint, play = lint_and_play(tmp_path, folder)
    assert (lint.code in (1, 2) and "s/story.yaml" in lint.out + lint.err) \
        or (lint.code == 2 and "s: not a story (no story.yaml)" in lint.err)
    assert play.code == 2


def test_a_directory_where_a_story_file_is_expected(tmp_path):
    folder = story(tmp_path, {"story.yaml": GOOD})
    (folder / "dir.yaml").mkdir()
    (tmp_path / "t" / "story.yaml").mkdir(parents=True)
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code == 0 and play.code == 0  # a folder named *.yaml is not a story file
    lint, play = lint_and_play(tmp_path, tmp_path / "t")
    assert lint.code in (1, 2) and "t" in lint.out + lint.err
    assert play.code == 2


def test_dev_zero_where_a_story_file_is_expected(tmp_path):
    folder = story(tmp_path, {"story.yaml": GOOD})
    (folder / "zero.yaml").symlink_to("/dev/zero")
    lint, play = lint_and_play(tmp_path, folder)
    assert ignored_or_refused(lint, "s/zero.yaml") and ignored_or_refused(play, "s/zero.yaml")
    named = carnet(["lint", "s/zero.yaml"], tmp_path)
    assert ignored_or_refused(named, "s/zero.yaml")
    convert = carnet(["convert", "/dev/zero", "-o", "out"], tmp_path)
    assert convert.code == 2 and "/dev/zero" in convert.err


def test_dev_zero_as_story_yaml(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "story.yaml").symlink_to("/dev/zero")
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code in (1, 2) and play.code == 2


def test_symlink_loops(tmp_path):
    folder = story(tmp_path, {"story.yaml": GOOD})
    (folder / "loop").symlink_to(folder)
    (folder / "self.yaml").symlink_to(folder / "self.yaml")
    (folder / "a.yaml").symlink_to(folder / "b.yaml")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code in (0, 1) and play.code in (0, 2)


VANISH = textwrap.dedent("""\
    import sys
    from carnet.engine import loader
    listed = loader.story_files
    def vanishing(folder):
        files = listed(folder)
        for file in files:
            if file.name == "gone.yaml":
                file.unlink()  # disappears after it was listed, before it is read
        return files
    loader.story_files = vanishing
    from carnet.engine.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_file_that_disappears_while_the_story_is_read(tmp_path):
    story(tmp_path, {"story.yaml": GOOD, "gone.yaml": "scenes: {}\n"})
    lint = carnet(["lint", "s"], tmp_path, script=VANISH)
    assert lint.code == 1 and "s/gone.yaml:1:1: E001 cannot read the file" in lint.out
    story(tmp_path, {"gone.yaml": "scenes: {}\n"})
    play = carnet(["play", "s", "--json"], tmp_path, script=VANISH)
    assert play.code == 2 and "s/gone.yaml:1:1: E001" in play.err


# Root reads any file whatever its mode, so reading is refused at the system
# calls: every way Python opens a file by name raises EACCES for this one.
UNREADABLE = textwrap.dedent("""\
    import builtins, io, os, sys
    def refuse(real):
        def opener(path, *args, **kwargs):
            if isinstance(path, (str, bytes, os.PathLike)) and \\
                    os.fsdecode(path).endswith("secret.yaml"):
                raise PermissionError(13, "Permission denied", os.fsdecode(path))
            return real(path, *args, **kwargs)
        return opener
    os.open = refuse(os.open)
    builtins.open = io.open = refuse(io.open)
    from carnet.engine.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_unreadable_files(tmp_path):
    folder = story(tmp_path, {"story.yaml": GOOD, "secret.yaml": "scenes: {}\n"})
    if os.geteuid() != 0:
        (folder / "secret.yaml").chmod(0)
        lint = carnet(["lint", "s"], tmp_path)
        assert lint.code == 1 and "s/secret.yaml:1:1: E001" in lint.out
    lint = carnet(["lint", "s"], tmp_path, script=UNREADABLE)
    assert lint.code == 1
    assert "s/secret.yaml:1:1: E001 cannot read the file: Permission denied" in lint.out
    play = carnet(["play", "s", "--json"], tmp_path, script=UNREADABLE)
    assert play.code == 2 and "s/secret.yaml:1:1: E001" in play.err


# -- text that would drive the terminal --------------------------------------------------

HOSTILE_TITLE = "T \\e]52;c;aGk=\\a \\u202eevil\\u202c \\x9b31m \\u2066x\\u2069 \\u200b"
HOSTILE_TEXT = "Read \\u202ethis backwards\\u202c and \\e[2J clear \\u061c \\ufeff \\u2028 end."


def test_bidi_and_invisible_characters_are_shown_visibly(tmp_path):
    text = (f'carnet: 1\ntitle: "{HOSTILE_TITLE}"\nstart: a\nscenes:\n  a:\n'
            f'    text: "{HOSTILE_TEXT}"\n    choices:\n      - text: "Go \\u202e\\u2067"\n'
            "        to: b\n  b:\n    text: Bye.\n    end: \"Done \\u202e\"\n")
    folder = story(tmp_path, {"story.yaml": text})
    plain = carnet(["play", "s", "--plain"], tmp_path, stdin="1\n")
    assert plain.code == 0
    listing = carnet(["list", "--dir", str(tmp_path)], tmp_path)
    for shown in (plain.out, listing.out):
        raw = {"\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\u2067",
               "\u200b", "\u061c", "\ufeff", "\u2028"}
        assert not raw & set(shown), raw & set(shown)
    assert "<U+202E>evil<U+202C>" in plain.out and "^[]52;c;aGk=^G" in plain.out
    assert "Read <U+202E>this backwards<U+202C> and ^[[2J clear <U+061C>" in plain.out
    assert "Go <U+202E><U+2067>" in plain.out and "THE END: Done <U+202E>" in plain.out
    assert "<U+009B>31m <U+2066>x<U+2069> <U+200B>" in listing.out
    play = carnet(["play", "s", "--json"], tmp_path, stdin="1\n")
    assert "\u202e" not in play.out and "\x9b" not in play.out and "\\u202e" in play.out
    first = json.loads(play.out.splitlines()[0])
    assert first["title"] == "T \x1b]52;c;aGk=\x07 \u202eevil\u202c \x9b31m \u2066x\u2069 \u200b"
    # a lint message quoting a value or a path shows it visibly too
    (folder / "\u202ebad\x1b.yaml").write_text("scenes:\n  a: {text: dup, end: E}\n")
    lint = carnet(["lint", "s"], tmp_path)
    assert lint.code == 1 and "s/<U+202E>bad^[.yaml:2:3: E008" in lint.out
    assert "\u202e" not in lint.out and "\x1b" not in lint.out


def test_file_names_that_are_not_utf8(tmp_path):
    folder = story(tmp_path, {"story.yaml": GOOD.split("  b:")[0]})
    (folder / os.fsdecode(b"caf\xe9.yaml")).write_bytes(b"scenes:\n  b: {text: B, end: E}\n")
    (tmp_path / os.fsdecode(b"n\xe9e")).mkdir()
    (tmp_path / os.fsdecode(b"n\xe9e") / "story.yaml").write_text(GOOD)
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code == 0 and play.code == 0
    (folder / os.fsdecode(b"bad\xff.yaml")).write_bytes(b"scenes: [\n")
    lint, play = lint_and_play(tmp_path, folder)
    assert lint.code == 1 and "s/bad\\xff.yaml:2:1: E001" in lint.out
    listing = carnet(["list", "--dir", str(tmp_path)], tmp_path)
    assert "n\\xe9e" in listing.out
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("A title\n\nOnce.\n\nThe end.\n")
    convert = carnet(["convert", os.fsdecode(b"caf\xe9.txt"), "-o", "out"], tmp_path)
    assert convert.code == 0, convert.err
    made = list((tmp_path / "out").iterdir())
    assert len(made) == 1 and (made[0] / "story.yaml").is_file()
    assert carnet(["lint", str(made[0])], tmp_path).code == 0


def test_convert_of_an_unreadable_input_leaves_no_story_folder(tmp_path):
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).mkdir()  # a folder, not a text file
    convert = carnet(["convert", os.fsdecode(b"caf\xe9.txt"), "-o", "out"], tmp_path)
    assert convert.code == 2 and "caf\\xe9.txt: is a directory" in convert.err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
