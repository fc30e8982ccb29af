"""`carnet convert` writes a story all at once: an interrupted run leaves no
half-written story, and two runs into one folder never mix their files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from carnet.engine.loader import load_story
from carnet.tools.convert.writing import files
from carnet.tools.convert.writing.files import Decision, apply

NEW = Decision(writes=(("story.yaml", "new story\n"), ("drafts.yaml", "new drafts\n")))


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fail_at", [1, 2])
def test_an_interrupted_write_keeps_the_previous_story_whole(tmp_path, monkeypatch, fail_at):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text("old story\n")
    (folder / "drafts.yaml").write_text("old drafts\n")
    calls = []
    real_fsync = os.fsync

    def interrupted(fd):
        calls.append(fd)
        if len(calls) == fail_at:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply(folder, NEW)
    assert contents(folder) == {"drafts.yaml": "old drafts\n", "story.yaml": "old story\n"}


def test_an_interrupted_new_story_leaves_no_folder(tmp_path, monkeypatch):
    calls = []
    real_fsync = os.fsync

    def interrupted(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(OSError):
        apply(tmp_path / "out" / "story", NEW)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_new_story_appears_complete(tmp_path):
    apply(tmp_path / "out" / "story", NEW)
    assert contents(tmp_path / "out" / "story") == {"drafts.yaml": "new drafts\n",
                                                    "story.yaml": "new story\n"}
    assert oct((tmp_path / "out" / "story").stat().st_mode & 0o777) == "0o755"


SLOW = textwrap.dedent("""\
    import os, sys, time
    from carnet.tools.convert.writing import files
    real = os.fsync
    def slow(fd):
        print("writing", flush=True)
        time.sleep(0.5)
        real(fd)
    files.os.fsync = slow
    from carnet.engine.cli import main
    sys.exit(main(sys.argv[1:]))
""")

PROSE = "{title}\n\nIt begins {word}.\n\nShe can stay or go.\n\nIt ends {word}.\n"


def convert_in_subprocess(cwd: Path, script: str, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, "convert", name, "-o", "out"],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_a_convert_killed_mid_write_leaves_no_half_written_story(tmp_path, sig):
    (tmp_path / "tale.txt").write_text(PROSE.format(title="A tale", word="early"))
    first = subprocess.run([sys.executable, "-m", "carnet", "convert", "tale.txt", "-o", "out"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert first.returncode == 0, first.stderr
    before = contents(tmp_path / "out" / "tale")
    (tmp_path / "tale.txt").write_text(PROSE.format(title="A tale", word="late"))
    run = convert_in_subprocess(tmp_path, SLOW, "tale.txt")
    assert run.stdout is not None
    assert run.stdout.readline() == "writing\n"  # inside the first file's write
    run.send_signal(sig)
    run.communicate(timeout=60)
    after = contents(tmp_path / "out" / "tale")
    names = set(after) - {n for n in after if n.startswith(".")}
    assert {n: after[n] for n in names} == before  # the old story, whole
    if sig != signal.SIGKILL:  # only a KILL can leave a temporary file behind
        assert set(after) == set(before)
    again = subprocess.run([sys.executable, "-m", "carnet", "convert", "tale.txt", "-o", "out"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 0, again.stderr
    assert set(contents(tmp_path / "out" / "tale")) == set(before)  # and stale ones are gone


def test_two_converts_into_one_folder_at_once_never_mix(tmp_path):
    for side in ("left", "right"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "tale.txt").write_text(PROSE.format(title="A tale", word=side))
    for _ in range(4):
        runs = [subprocess.Popen([sys.executable, "-m", "carnet", "convert",
                                  f"{side}/tale.txt", "-o", "out", "--force"], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for side in ("left", "right")]
        for run in runs:
            _, err = run.communicate(timeout=120)
            assert run.returncode in (0, 1), err
        folder = tmp_path / "out" / "tale"
        result = load_story(folder)
        assert result.story is not None, [d.format() for d in result.diagnostics]
        text = "\n".join(p.read_text() for p in sorted(folder.glob("*.yaml")))
        source = result.story.source
        assert source is not None
        side = "left" if source.path.startswith("left/") else "right"
        other = "right" if side == "left" else "left"
        assert f"It begins {side}." in text and other not in text.replace(source.path, "")
        assert not list(folder.glob(".*.tmp")) and not list((tmp_path / "out").glob(".*"))
        time.sleep(0.01)
