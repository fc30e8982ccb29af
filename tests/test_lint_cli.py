"""`carnet lint` end to end through engine.cli.main: paths, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from carnet.engine.cli import main
from carnet.engine.diagnostics import LOADER_CODES, Diagnostic, Severity
from carnet.tools.lint.formats import github_lines
from carnet.tools.lint.rules import RULES
from tests.lint_support import HEAD, write_story

ROOT = Path(__file__).resolve().parent.parent

CLEAN = HEAD + """\
start: a
scenes:
  a:
    text: A.
    choices: [{text: Go, to: b}]
  b:
    text: B.
    end: The end
"""
# b is a draft (T304, warning, line 11); c is a dead end (G102, error, line 12)
# and unreachable (G101, warning, line 12)
MESSY = CLEAN.replace("    end: The end\n", "    end: The end\n    draft: true\n") + """\
  c:
    text: C.
"""
WARNED = CLEAN.replace("    end: The end\n", "    end: The end\n    draft: true\n")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_and_exit_code_1(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": MESSY}, name="tale")
    code, out, err = run(capsys, "tale")
    assert code == 1
    assert out.splitlines() == [
        "tale/story.yaml:11:5: T304 scene 'b' is a draft",
        "tale/story.yaml:12:3: G101 scene 'c' cannot be reached from the start scene 'a'",
        "tale/story.yaml:12:3: G102 scene 'c' is a dead end: it has no choices and is not "
        "an ending",
        "1 error, 2 warnings in 1 story; explored 2 states",
    ]
    assert err == ""


def test_hints(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": WARNED}, name="tale")
    _, out, _ = run(capsys, "tale", "--hints")
    assert out.splitlines()[:2] == [
        "tale/story.yaml:11:5: T304 scene 'b' is a draft",
        "    hint: read and rewrite it, then remove 'draft: true'",
    ]


def test_clean_exits_0(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": CLEAN}, name="tale")
    assert run(capsys, "tale") == (0, "no problems in 1 story; explored 2 states\n", "")


def test_warnings_exit_0_unless_strict(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": WARNED}, name="tale")
    assert run(capsys, "tale")[0] == 0
    assert run(capsys, "tale", "--strict")[0] == 1
    assert run(capsys, "tale", "--strict", "--ignore", "T304")[0] == 0


def test_select_and_ignore_options(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": MESSY}, name="tale")
    code, out, _ = run(capsys, "tale", "--select", "G1,T", "--ignore", "G102")
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["T304", "G101"]
    code, out, _ = run(capsys, "tale", "--select", "G102", "--ignore", "G1")
    assert code == 1 and [line.split()[1] for line in out.splitlines()[:-1]] == ["G102"]
    # the exploration does not run when no X code is selected
    assert out.splitlines()[-1] == "1 error, 0 warnings in 1 story"


def test_json_format(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": MESSY}, name="tale")
    code, out, err = run(capsys, "tale", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [(f["code"], f["line"], f["column"], f["severity"]) for f in data] == [
        ("T304", 11, 5, "warning"), ("G101", 12, 3, "warning"), ("G102", 12, 3, "error")]
    assert data[2] == {
        "path": "tale/story.yaml", "line": 12, "column": 3, "code": "G102", "severity": "error",
        "message": "scene 'c' is a dead end: it has no choices and is not an ending",
        "hint": "add a choice, or 'end: <label>' to make it an ending"}
    assert err == "1 error, 2 warnings in 1 story; explored 2 states\n"  # stdout stays JSON


def test_json_when_clean_is_an_empty_list(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": CLEAN}, name="tale")
    code, out, _ = run(capsys, "tale", "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_github_format(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": MESSY}, name="tale")
    code, out, _ = run(capsys, "tale", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("::warning file=tale/story.yaml,line=11,col=5,title=T304::scene 'b' is a "
                        "draft%0Ahint: read and rewrite it, then remove 'draft: true'")
    assert lines[2].startswith("::error file=tale/story.yaml,line=12,col=3,title=G102::scene 'c' "
                               "is a dead end")
    assert len(lines) == 4  # three annotations and the summary


def test_github_escaping() -> None:
    hostile = Diagnostic("a,b:c%.yaml", 1, 2, "G101", "50% done\r\n::error::injected",
                         Severity.ERROR)
    assert github_lines([hostile]) == [
        "::error file=a%2Cb%3Ac%25.yaml,line=1,col=2,title=G101::"
        "50%25 done%0D%0A::error::injected"]


def test_default_is_every_story_under_scenes(here: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here / "scenes", {"story.yaml": MESSY}, name="two")
    write_story(here / "scenes", {"story.yaml": CLEAN}, name="one")
    (here / "scenes" / "notes").mkdir()
    code, out, _ = run(capsys)
    assert code == 1
    assert all(line.startswith("scenes/two/story.yaml:") for line in out.splitlines()[:-1])
    assert out.splitlines()[-1] == "1 error, 2 warnings in 2 stories; explored 4 states"


def test_yaml_files_stand_for_their_story_once(here: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_story(here, {"story.yaml": CLEAN, "more/side.yaml": "scenes: {}\n"},
                         name="tale")
    code, out, _ = run(capsys, "tale/more/side.yaml", "tale/story.yaml", str(folder))
    assert code == 0
    assert out == "no problems in 1 story; explored 2 states\n"


def test_a_file_of_a_story_shows_the_story_path(here: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": CLEAN, "more/side.yaml": "scenes:\n  c:\n    text: C.\n"},
                name="tale")
    _, out, _ = run(capsys, "tale/more/side.yaml")
    assert out.splitlines()[0].startswith("tale/more/side.yaml:2:3: G101 ")


@pytest.mark.parametrize("argv", [
    ["missing/tale"],
    ["missing.yaml"],
    ["empty"],
    ["loose.yaml"],
    ["notes.txt"],
    ["tale", "--select", "G-1"],
])
def test_usage_errors_exit_2(here: Path, capsys: pytest.CaptureFixture[str],
                             argv: list[str]) -> None:
    write_story(here, {"story.yaml": CLEAN}, name="tale")
    (here / "empty").mkdir()
    (here / "loose.yaml").write_text("a: 1\n")
    (here / "notes.txt").write_text("hello\n")
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith(f"carnet lint: {argv[-1]}") or err.startswith("carnet lint: 'G-1'")
    assert "Traceback" not in err


def test_a_story_id_is_linted_as_play_finds_it(here: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here / "scenes", {"story.yaml": MESSY}, name="tale")
    code, out, _ = run(capsys, "tale")  # no ./tale: the story tale of scenes/
    assert code == 1
    assert out.splitlines()[0] == "scenes/tale/story.yaml:11:5: T304 scene 'b' is a draft"
    code, out, _ = run(capsys, "tutorial")  # shipped with carnet
    assert code == 0 and out.startswith("no problems in 1 story")


def test_a_name_that_is_no_path_and_no_story_lists_the_stories(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "missing")
    assert code == 2 and out == ""
    assert err.startswith("carnet lint: no story 'missing' (a folder, or one of: ")
    assert "tutorial" in err and "hint: " in err and "Traceback" not in err


def test_no_scenes_folder_here(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2 and err.startswith("carnet lint: scenes: no such file or folder")


def test_skip_non_story_for_pre_commit(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": MESSY}, name="tale")
    (here / "ci.yml").write_text("on: push\n")
    assert run(capsys, "ci.yml", "--skip-non-story") == (
        0, "no problems in 0 stories\n", "")
    code, out, _ = run(capsys, "ci.yml", "tale/story.yaml", "--skip-non-story")
    assert code == 1 and out.count("tale/story.yaml:") == 3


def test_bad_max_states_is_a_usage_error(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["lint", "--max-states", "0"])
    assert exit_.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_the_bound_is_in_the_summary(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here, {"story.yaml": HEAD + """\
vars: {n: 0}
start: a
scenes:
  a:
    text: "{n}"
    choices: [{text: Count, to: a, do: [n += 1]}, {text: Out, to: b}]
  b:
    text: B.
    end: B
"""}, name="tale")
    code, out, _ = run(capsys, "tale", "--max-states", "30")
    assert code == 0
    assert out.splitlines() == [
        "tale/story.yaml:4:1: X400 explored 30 states (bound reached): results are not a "
        "proof; X401-X403 are not reported",
        "0 errors, 1 warning in 1 story; explored 30 states (bound reached in tale: "
        "not a proof)",
    ]


def test_a_story_that_does_not_load(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_story(here, {"story.yaml": CLEAN}, name="tale")
    (folder / "bad.yaml").write_bytes(b"scenes:\n  x:\n    text: \xff\n")
    code, out, _ = run(capsys, "tale")
    assert code == 1
    assert out.splitlines() == [
        "tale/bad.yaml:3:11: E001 the file is not valid UTF-8 (byte 0xff)",
        "1 error, 0 warnings in 1 story",
    ]


def test_output_is_deterministic(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(here / "scenes", {"story.yaml": MESSY}, name="b")
    write_story(here / "scenes", {"story.yaml": MESSY}, name="a")
    first = run(capsys, "--format", "json")
    assert first == run(capsys, "--format", "json")
    paths = [f["path"] for f in json.loads(first[1])]
    assert paths == sorted(paths) and paths[0].startswith("scenes/a/")


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()}
    for loader_code in LOADER_CODES:
        assert rows[loader_code][1] == "load" and rows[loader_code][3] == "error"
    for rule_code, rule in RULES.items():
        assert rows[rule_code][2:4] == [rule.NAME, rule.SEVERITY.value]
    assert rows["G102"][1] == "graph" and rows["X404"][1] == "explore"
    assert rows["N501"][1:4] == ["noqa", "unused-noqa", "warning"]
    assert rows["E011"][2] == LOADER_CODES["E011"].name == "unknown-scene"
    assert len(rows) == len(LOADER_CODES) + len(RULES) + 1  # N501 is the suppression stage's


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "carnet-lint")
    assert hook["language"] == "python"
    assert hook["entry"] == "carnet lint"
    assert hook["files"] == r"\.ya?ml$"
    assert hook["pass_filenames"] is True
    assert hook["args"] == ["--skip-non-story"]
