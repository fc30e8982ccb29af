"""The fuzz suite: mutated stories, answers, saves and file names through the
loader and the public commands. Every run ends in success or in findings with
positions, exit code 0, 1 or 2, never a traceback, within a time bound.

Short by default (deterministic, a few seconds); ``CARNET_FUZZ_LONG=1`` runs
thousands of random cases per target (docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carnet.engine import saves
from carnet.engine.loader import load_story
from carnet.engine.session import Session, SessionError
from carnet.engine.userdata import AUTOSAVE, UserData
from tests.fuzzing import (
    ANSWERS,
    STORIES,
    VALUES,
    Stats,
    check_run,
    fuzz_settings,
    mutated_line,
    mutated_story,
    run_cli,
    write_files,
)

STATS = Stats()


@pytest.fixture(autouse=True, scope="module")
def _private_data_home() -> Iterator[None]:
    """Nothing a fuzzed run writes reaches the user's data or cache folders; counts
    reported at the end."""
    names = ("XDG_DATA_HOME", "CARNET_CACHE_DIR")
    with tempfile.TemporaryDirectory() as home:
        old = {name: os.environ.get(name) for name in names}
        os.environ["XDG_DATA_HOME"] = home
        os.environ["CARNET_CACHE_DIR"] = os.path.join(home, "cache")
        try:
            yield
        finally:
            for name, value in old.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            STATS.write()


def describe(story_id: str, files: dict[str, bytes]) -> str:
    """The mutated lines of a case, as a short unified diff against the shipped story."""
    lines = [story_id]
    for name, data in sorted(files.items()):
        before = STORIES[story_id].get(name, b"").decode("utf-8", "replace").splitlines()
        after = data.decode("utf-8", "replace").splitlines()
        diff = [d for d in difflib.unified_diff(before, after, name, name, n=0, lineterm="")
                if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        lines += [f"{name}: {d[:160]!r}" for d in diff[:6]]
    return "\n".join(lines)


def scratch() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="carnet-fuzz-")


@fuzz_settings(long=4000)
@given(mutated_story(), st.randoms(use_true_random=False))
def test_fuzz_loader(case, random):
    story_id, files, _ = case
    with scratch() as tmp, STATS.case("loader", lambda: describe(story_id, files)):
        folder = write_files(Path(tmp) / story_id, files)
        result = load_story(folder, display="story")
        for d in result.diagnostics:
            assert d.path.startswith("story/") and d.line >= 1 and d.col >= 1, d
            assert d.format()
        if result.story is None:
            assert result.diagnostics
            return
        # a story that loads plays without crashing: random choices, undo, restart
        session = Session.start(result.story)
        for _ in range(30):
            assert session.text() is not None
            options = session.options()
            if session.over or not options:
                break
            with contextlib.suppress(SessionError):  # a limit: the game stays where it was
                session.choose(random.randint(1, len(options)))
            if random.random() < 0.1:
                session.undo()


@fuzz_settings(long=1500)
@given(mutated_story())
def test_fuzz_lint(case):
    story_id, files, _ = case
    with scratch() as tmp, STATS.case("lint", lambda: describe(story_id, files)):
        folder = write_files(Path(tmp) / story_id, files)
        run = run_cli(["lint", str(folder)])
        check_run(run, describe(story_id, files))


@pytest.mark.parametrize(("target", "args"), [
    ("test", ["test", "--random", "3", "--max-steps", "50"]),
    ("graph", ["graph", "--format", "dot"]),
    ("graph mermaid", ["graph", "--format", "mermaid"]),
    ("export", ["export"]),
])
@fuzz_settings(long=600)
@given(case=mutated_story())
def test_fuzz_story_tools(target, args, case):
    """`carnet test` (the walkthroughs are mutated too), `graph` and `export`."""
    story_id, files, _ = case
    with scratch() as tmp, STATS.case(target, lambda: describe(story_id, files)):
        folder = write_files(Path(tmp) / story_id, files)
        run = run_cli([*args, str(folder)])
        check_run(run, describe(story_id, files))


@fuzz_settings(long=2000)
@given(mutated_story(), st.lists(ANSWERS, max_size=25))
def test_fuzz_play_json(case, answers):
    story_id, files, _ = case
    with scratch() as tmp, STATS.case("play --json", lambda: describe(story_id, files)):
        folder = write_files(Path(tmp) / story_id, files)
        run = run_cli(["play", str(folder), "--json"], stdin="\n".join(answers) + "\n")
        check_run(run, describe(story_id, files))
        for line in run.out.splitlines():
            assert isinstance(json.loads(line), dict), line


@fuzz_settings(long=1500)
@given(st.sampled_from(sorted(STORIES)), st.lists(ANSWERS, max_size=40))
def test_fuzz_play_plain_stdin_lines(story_id, answers):
    """Any input line is a choice, a command or a clear "not a choice here"."""
    with scratch() as tmp, STATS.case("play --plain stdin", lambda: repr(answers)[:300]):
        folder = write_files(Path(tmp) / story_id, STORIES[story_id])
        run = run_cli(["play", str(folder), "--plain"], stdin="\n".join(answers) + "\n")
        check_run(run, repr(answers))
        assert run.code == 0, run.err


@fuzz_settings(long=1000)
@given(st.sampled_from(sorted(STORIES)), st.lists(st.integers(-3, 12), max_size=30))
def test_fuzz_play_choices_option(story_id, numbers):
    with scratch() as tmp, STATS.case("play --choices", lambda: repr(numbers)):
        folder = write_files(Path(tmp) / story_id, STORIES[story_id])
        run = run_cli(["play", str(folder), "--choices", ",".join(map(str, numbers))])
        check_run(run, repr(numbers))


SAVE_VALUES = st.one_of(
    st.sampled_from([None, True, False, 0, -1, 1.5, "", "x", [], {}, [1], {"a": 1},
                     float("inf"), 10**17, -(10**17), "a" * 300]),
    st.integers(-(10**18), 10**18),
    st.text(max_size=10),
)


@st.composite
def mutated_save(draw: st.DrawFn, text: str) -> bytes:
    """A save file damaged as JSON (values retyped, keys dropped) or as bytes."""
    data = json.loads(text)
    kind = draw(st.sampled_from(["value", "drop", "bytes", "truncate", "state-value"]))
    if kind in ("value", "drop"):
        key = draw(st.sampled_from(sorted(data)))
        if kind == "drop":
            del data[key]
        else:
            data[key] = draw(SAVE_VALUES)
    elif kind == "state-value" and isinstance(data.get("state"), dict):
        state = data["state"]
        key = draw(st.sampled_from(sorted(state)))
        if isinstance(state[key], dict) and state[key] and draw(st.booleans()):
            inner = draw(st.sampled_from(sorted(state[key])))
            state[key][inner] = draw(SAVE_VALUES)
        else:
            state[key] = draw(SAVE_VALUES)
    raw = json.dumps(data).encode()
    if kind == "bytes":
        raw = draw(mutated_line(raw))
    elif kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@fuzz_settings(long=1000)
@given(st.data())
def test_fuzz_save_files(data):
    """A damaged autosave: `--continue` resumes it or refuses it, and plays on."""
    story_id = data.draw(st.sampled_from(sorted(STORIES)), label="story")
    with scratch() as tmp:
        folder = write_files(Path(tmp) / story_id, STORIES[story_id])
        story = load_story(folder).story
        assert story is not None
        session = Session.start(story)
        for number in data.draw(st.lists(st.integers(1, 3), max_size=6), label="choices"):
            with contextlib.suppress(SessionError):
                session.choose(number)
        text = saves.dumps(story, session.state, session.undo_stack)
        raw = data.draw(mutated_save(text), label="save")
        store = UserData.locate(Path(tmp) / "saves")
        path = store.save_path(story, AUTOSAVE)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        with STATS.case("save files", lambda: raw.decode("utf-8", "replace")[:300]):
            for mode in ("--json", "--plain"):
                run = run_cli(["play", str(folder), mode, "--continue", "--save-dir",
                               str(Path(tmp) / "saves")], stdin="1\n2\n")
                check_run(run, raw.decode("utf-8", "replace")[:500])
                assert run.code == 0, run.err


NAME_PARTS = st.one_of(
    st.sampled_from([b"caf\xe9", b"\xff\xfe", b"\x1b[2J", b"\x1b]52;c;aGk=\x07", b"\xc2\x9b",
                     "\u202eevil".encode(), "\u2066x".encode(), b" ", b"-", b"--help", b".",
                     b"\t", b"\n", b"a" * 100, "é".encode(), b"\xed\xa0\x80", b"story"]),
    st.binary(min_size=1, max_size=8),
)


@st.composite
def file_name(draw: st.DrawFn) -> bytes:
    name = b"".join(draw(st.lists(NAME_PARTS, min_size=1, max_size=3)))
    name = name.replace(b"/", b"_").replace(b"\x00", b"_")[:200]
    return name if name not in (b".", b"..") else b"x" + name


@fuzz_settings(long=400)
@given(file_name(), file_name(), st.sampled_from(sorted(STORIES)), st.booleans())
def test_fuzz_file_names(story_name, file_name_, story_id, junk):
    """Any folder or file name: lint, play, list and convert print it safely and never crash."""
    with scratch() as tmp, STATS.case("file names", lambda: repr((story_name, file_name_))):
        root = Path(tmp)
        stories = root / "stories"
        folder = write_files(stories / os.fsdecode(story_name), STORIES[story_id])
        extra = folder / os.fsdecode(file_name_ + b".yaml")
        extra.write_bytes(b"scenes: [\n" if junk else b"scenes: {}\n")
        for args in (["lint", str(folder)], ["play", str(folder), "--json"],
                     ["play", str(folder), "--plain"], ["list", "--dir", str(stories)]):
            run = run_cli(args, stdin="1\n", cwd=root)
            check_run(run, repr((story_name, file_name_, args)))
            assert "\x1b" not in run.out + run.err and "\u202e" not in run.out + run.err
            assert "\x9b" not in run.out + run.err
        prose = root / os.fsdecode(file_name_ + b".txt")
        prose.write_text("Title\n\nSome words of a story.\n\nThe end.\n", encoding="utf-8")
        run = run_cli(["convert", os.fsdecode(file_name_ + b".txt"), "-o", "out"], cwd=root)
        check_run(run, repr(("convert", file_name_)))
        assert "\x1b" not in run.out + run.err
        out = root / "out"
        if out.is_dir():  # no empty or half-written story folder is left behind
            for story in out.iterdir():
                assert (story / "story.yaml").is_file(), sorted(out.rglob("*"))
                assert not list(story.glob(".*.tmp"))


def test_fuzz_values_cover_every_kind_of_yaml_scalar():
    """The retyping mutations reach every YAML type the issue names."""
    import yaml

    kinds = set()
    for value in VALUES:
        try:
            kinds.add(type(yaml.safe_load(f"k: {value}")["k"]).__name__)
        except Exception:  # PyYAML's own constructors raise anything on a bad tag
            kinds.add("error")
    assert {"str", "int", "float", "bool", "NoneType", "date", "datetime", "list", "dict",
            "bytes", "set", "error"} <= kinds
