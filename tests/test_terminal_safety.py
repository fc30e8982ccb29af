"""One sanitizer for everything carnet prints, and a crash that is not a finding."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

from carnet.engine import cli
from carnet.engine.terminal import EXIT_CRASH
from carnet.engine.text import json_safe, printable
from tests.fuzzing import run_cli

KEPT = {"\t", "\n", "\u200c", "\u200d"}


def test_printable_covers_every_control_and_invisible_format_character():
    missed = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char in KEPT:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp") and printable(char) == char:
            missed.append(f"U+{code:04X}")
    assert missed == []


@pytest.mark.parametrize(("text", "shown"), [
    ("a\x1b[2Jb", "a^[[2Jb"),
    ("bell\x07 del\x7f", "bell^G del^?"),
    ("csi\x9b31m", "csi<U+009B>31m"),
    ("\u202eevil\u202c", "<U+202E>evil<U+202C>"),
    ("\u2066isolate\u2069", "<U+2066>isolate<U+2069>"),
    ("zero\u200bwidth\ufeff", "zero<U+200B>width<U+FEFF>"),
    ("tag\U000e0041", "tag<U+E0041>"),
    ("caf\udce9.yaml", "caf\\xe9.yaml"),
    ("lone\ud800", "lone<U+D800>"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("“Curly” é ß 中 🙂 \u00a0 e\u0301 👩\u200d💻", "“Curly” é ß 中 🙂 \u00a0 e\u0301 👩\u200d💻"),
])
def test_printable_shows_what_it_replaces(text, shown):
    assert printable(text) == shown
    assert printable(shown) == shown  # idempotent: printing twice changes nothing more


def test_json_safe_escapes_the_same_characters_and_keeps_the_text():
    value = {"t": "a\u202e\x85\udce9\U000e0041 é \x1b"}
    dumped = json_safe(json.dumps(value, ensure_ascii=False))
    assert dumped == '{"t": "a\\u202e\\u0085\\udce9\\udb40\\udc41 é \\u001b"}'
    assert json.loads(dumped) == value


def write_story(root: Path, title: str) -> Path:
    folder = root / "stories" / "s\u202ex\x1b"
    folder.mkdir(parents=True)
    (folder / "story.yaml").write_text(
        f'carnet: 1\ntitle: "{title}"\nstart: a\nscenes:\n  a:\n    text: Hi.\n'
        "    end: Done\n", encoding="utf-8")
    return folder


def test_carnet_list_shows_titles_and_folder_names_safely(tmp_path):
    write_story(tmp_path, "Title \\e]52;c;aGk=\\a \\x9b2J \\u202eevil")
    run = run_cli(["list", "--dir", str(tmp_path / "stories")], cwd=tmp_path)
    assert run.code == 0
    line = next(x for x in run.out.splitlines() if "Title" in x)
    assert line.startswith("s<U+202E>x^[ ")
    assert "Title ^[]52;c;aGk=^G <U+009B>2J <U+202E>evil  (1 scene, 1 ending)" in line


def test_error_messages_quoting_a_path_are_safe(tmp_path):
    for args in (["play", "no\u202esuch\x1b[2J"], ["lint", "no\u202esuch\x1b[2J"],
                 ["convert", "no\u202esuch\x1b[2J.txt", "-o", "out"]):
        run = run_cli(args, cwd=tmp_path)
        assert run.code == 2, args
        assert "\x1b" not in run.err and "\u202e" not in run.err, run.err
        assert "no<U+202E>such^[[2J" in run.err or "no\\u202esuch\\x1b[2J" in run.err, run.err


def test_lint_json_escapes_what_text_output_shows_visibly(tmp_path):
    folder = write_story(tmp_path, "T")
    (folder / "\u202e.yaml").write_text("scenes: [\n", encoding="utf-8")
    text = run_cli(["lint", str(folder)])
    assert text.code == 1 and "<U+202E>.yaml:2:1: E001" in text.out
    as_json = run_cli(["lint", "--format", "json", str(folder)])
    assert as_json.code == 1 and "\u202e" not in as_json.out and "\\u202e" in as_json.out
    assert json.loads(as_json.out)[0]["path"].endswith("/\u202e.yaml")


def test_an_unexpected_exception_is_a_bug_report_with_its_own_exit_code(tmp_path, monkeypatch):
    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli, "cmd_list", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.delenv("CARNET_DEBUG", raising=False)
    run = run_cli(["list"])
    assert run.code == EXIT_CRASH == 3
    assert run.err.startswith("carnet: internal error, this is a bug in carnet "
                              "(ZeroDivisionError: boom)\n")
    assert "Traceback" not in run.err
    crash = next(tmp_path.glob("carnet-crash-*.txt"))
    assert str(crash) in run.err
    report = crash.read_text()
    assert "Traceback" in report and "ZeroDivisionError: boom" in report
    assert "arguments: ['list']" in report


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_prints_the_traceback(tmp_path, monkeypatch, how):
    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli, "cmd_list", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    if how == "env":
        monkeypatch.setenv("CARNET_DEBUG", "1")
        run = run_cli(["list"])
    else:
        run = run_cli(["--debug", "list"])
    assert run.code == 3
    assert "Traceback (most recent call last)" in run.err and "ZeroDivisionError: boom" in run.err
    assert not list(tmp_path.glob("carnet-crash-*.txt"))


def test_a_finding_is_not_a_crash(tmp_path):
    folder = write_story(tmp_path, "T")
    (folder / "story.yaml").write_text("carnet: 1\ntitle: T\nstart: nowhere\n")
    assert run_cli(["lint", str(folder)]).code == 1
    assert run_cli(["play", str(folder)]).code == 2


class _Terminal:
    """A stdout that says it is a terminal and records what it is sent."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_a_document_printed_on_a_terminal_is_sanitized(monkeypatch):
    from carnet.engine.terminal import safe
    from carnet.tools.output import emit

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", safe(terminal))  # type: ignore[arg-type]
    emit("digraph { a [label=\"\u202eevil \x1b[2J\"] }\n".encode(), None)
    assert "".join(terminal.written) == 'digraph { a [label="<U+202E>evil ^[[2J"] }\n'


@pytest.mark.parametrize("stage", ["carnet.tools.convert.reading.read_story",
                                   "carnet.tools.convert.cli.build_plan"])
def test_a_converter_bug_is_a_crash_not_a_refusal(tmp_path, monkeypatch, stage):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(stage, broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.delenv("CARNET_DEBUG", raising=False)
    prose = tmp_path / "story.txt"
    prose.write_text("Anna waited.\n\nThen she left.\n", encoding="utf-8")
    run = run_cli(["convert", str(prose), "-o", str(tmp_path / "out")])
    assert run.code == EXIT_CRASH  # not 1, which means "refused"
    assert "this is a bug in carnet (ZeroDivisionError: boom)" in run.err
    assert not (tmp_path / "out").exists()
