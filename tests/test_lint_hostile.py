"""Lint always ends: hostile stories stop at a bound that says which, and
did-you-mean stays bounded however many names are misspelled.

No timings are asserted: each test checks the outcome (the bound reached,
the findings, the exit code) of a story that used to keep lint busy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.engine.cli import main
from carnet.engine.diagnostics import Suggester
from carnet.engine.loader import load_story
from carnet.engine.state import State
from carnet.tools.lint.explore import _Walk
from carnet.tools.lint.graph import build_graph
from tests.lint_support import HEAD, codes, found, lint_text, write_story


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.splitlines()


def _x400(lines: list[str]) -> str:
    (line,) = [line for line in lines if " X400 " in line]
    return line


# many variables, each choice changing them all: each state is costly
MANY = 60
MANY_EFFECTS = HEAD + "start: a\nvars:\n" + "".join(f"  v{i}: 0\n" for i in range(MANY)) + (
    "scenes:\n  a:\n    text: A {v0}.\n    choices:\n"
    + "".join("      - {text: c" + str(c) + ", to: a, do: ["
              + ", ".join(f"v{(c + e) % MANY} += {e + 1}" for e in range(MANY)) + "]}\n"
              for c in range(MANY))
    + "      - {text: Out, to: b}\n  b:\n    text: B.\n    end: B\n")


def test_many_effects_on_many_variables_stop_at_the_work_bound(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(tmp_path, {"story.yaml": MANY_EFFECTS}, name="many")
    code, lines = _cli(capsys, "--max-states", "2000", "--ignore", "V", str(tmp_path / "many"))
    assert code == 0  # X400 is a warning
    x400 = _x400(lines)
    assert "(work bound reached: its states are costly" in x400
    states = int(x400.split(" X400 explored ")[1].split()[0])
    assert 0 < states < 2000  # the work ran out before the states did
    assert "bound reached in" in lines[-1]
    assert _cli(capsys, "--max-states", "2000", "--strict", "--ignore", "V",
                str(tmp_path / "many"))[0] == 1


def test_strings_that_keep_doubling_stop_at_the_memory_bound(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = HEAD + """\
start: a
vars: {s: "0123456789abcdef"}
scenes:
  a:
    text: "{s}"
    choices:
      - {text: Quadruple, to: a, do: [s = s + s + s + s]}
      - {text: Grow, to: a, do: [s = s + "x"]}
      - {text: Prefix, to: a, do: [s = "y" + s]}
      - {text: Out, to: b}
  b:
    text: B.
    end: B
"""
    write_story(tmp_path, {"story.yaml": story}, name="grow")
    code, lines = _cli(capsys, "--max-states", "2000", str(tmp_path / "grow"))
    assert "(memory bound reached: the values kept in its states grow large)" in _x400(lines)
    # the failure it did find (a string over the limit) is still reported
    assert any(" X405 choice 1 of scene 'a' fails in play" in line for line in lines)
    assert code == 1


def test_an_integer_that_keeps_doubling_ends(tmp_path: Path) -> None:
    report = lint_text(tmp_path, """\
start: a
vars: {x: 1}
scenes:
  a:
    text: "A."
    choices:
      - {text: Double, to: a, do: [x = x + x]}
      - {text: Add, to: a, do: [x = x + 1]}
      - {text: Out, to: b, if: x > 5}
  b:
    text: B.
    end: B
""", max_states=3000)
    # it ends either at a bound (X400) or, where integers have a cap, at the
    # failure past it (X405); never silently complete
    assert not report.complete or "X405" in codes(report)
    if not report.complete:
        assert found(report, "X400")[0].message.startswith(f"explored {report.states} states")


def test_big_integers_do_not_collide_in_the_state_table(tmp_path: Path) -> None:
    # Python hashes 2**k to 2**(k % 61): kept as numbers, the states of a
    # doubling integer fall into 61 buckets and each lookup compares huge
    # numbers; the walk keys big integers as bytes instead
    result = load_story(write_story(tmp_path, {"story.yaml": HEAD + """\
start: a
vars: {x: 1, s: ""}
scenes:
  a:
    text: "{s}"
    choices: [{text: Out, to: b, if: x > 0}]
  b:
    text: B.
    end: B
"""}))
    assert result.story is not None
    walk = _Walk(result.story, 10, build_graph(result.story))
    keys = [walk.key(State("a", {"x": 2**k, "s": ""}, {})) for k in range(300)]
    assert len({hash(key) for key in keys}) == 300
    assert walk.key(State("a", {"x": 2**100, "s": ""}, {}))[1] == (
        (2**100).to_bytes(13, "little", signed=True), "")
    assert walk.key(State("a", {"x": -5, "s": "t"}, {}))[1] == (-5, "t")


def test_three_thousand_misspelled_references(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    count = 3000
    scenes = "".join(
        f"  room_{i}: {{text: A room., choices: [{{text: Onward, to: rom_{(i + 1) % count}}}, "
        "{text: Stop, to: the_end}]}\n" for i in range(count))
    story = HEAD + "start: room_0\nscenes:\n" + scenes + "  the_end:\n    text: E.\n    end: E\n"
    write_story(tmp_path, {"story.yaml": story}, name="typos")
    code, lines = _cli(capsys, "--hints", str(tmp_path / "typos"))
    assert code == 1
    errors = [line for line in lines if " E011 " in line]
    assert len(errors) == count
    hints = [line.strip() for line in lines if line.startswith("    hint:")]
    assert len(hints) == count
    assert set(hints) == {f"hint: did you mean 'room_{i}'?" for i in range(count)}


def test_did_you_mean_is_bounded_per_lookup() -> None:
    names = [f"scene_{i}" for i in range(5000)]
    suggest = Suggester(names)
    typos = {
        "scne_1234": "scene_1234",     # a letter deleted
        "sceene_1234": "scene_1234",   # one inserted
        "scena_1234": "scene_1234",    # one changed
        "csene_1234": "scene_1234",    # two swapped
    }
    for typo, meant in typos.items():
        assert suggest(typo) == f"did you mean {meant!r}?", typo
    assert suggest("nothing_like_it") is None
    for i in range(3000):
        suggest(f"scen_{i}x")
    # each lookup ranks a bounded number of names, not all 5,000
    assert suggest.compared <= 3010 * Suggester.MAX_CANDIDATES


def test_did_you_mean_on_a_small_set_ranks_every_name() -> None:
    suggest = Suggester(["text", "choices", "end", "on_enter", "draft", "noqa"])
    assert suggest("choises") == "did you mean 'choices'?"
    assert suggest("onenter") == "did you mean 'on_enter'?"
    assert suggest("zzz") is None
    assert suggest.compared == 18  # three lookups of six names
    assert suggest("x" * 65) is None  # too long to compare
