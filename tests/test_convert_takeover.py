"""Re-converting next to hand-written scenes.

What the author replaced, and what only the replaced scenes led to, is left out.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
import yaml

from carnet.tools.convert.cli import add_arguments, run
from tests.support.convert_plans import STORY, load_ok


def convert(out: str, capsys: pytest.CaptureFixture[str]) -> str:
    parser = argparse.ArgumentParser(prog="carnet convert")
    add_arguments(parser)
    assert run(parser.parse_args(["the_old_mill.txt", "-o", out])) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "the_old_mill.txt").write_text(STORY, encoding="utf-8")
    convert("out", capsys)
    return tmp_path / "out" / "the-old-mill"


def generated_graph(folder: Path) -> tuple[str, dict[str, list[str]], dict[str, Any]]:
    """start, scene id -> targets, and the vars, as convert wrote them."""
    story = yaml.safe_load((folder / "story.yaml").read_text(encoding="utf-8"))
    scenes = dict(story.get("scenes") or {})
    drafts = folder / "drafts.yaml"
    if drafts.is_file():
        scenes.update(yaml.safe_load(drafts.read_text(encoding="utf-8"))["scenes"])
    graph = {sid: [c["to"] for c in scene.get("choices", [])] for sid, scene in scenes.items()}
    return story["start"], graph, story.get("vars") or {}


def reached(graph: dict[str, list[str]], starts: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        sid = todo.pop()
        if sid not in seen:
            seen.add(sid)
            todo.extend(graph.get(sid, []))
    return seen


def test_taking_over_the_start_leaves_out_everything_only_it_led_to(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start, graph, variables = generated_graph(folder)
    assert len(graph) > 3 and variables
    mine = folder / "branches" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text(f"scenes:\n  {start}:\n    text: My own story.\n    end: Mine\n")
    err = convert("out", capsys)
    assert f"defines scene '{start}'" in err
    assert "no longer reached from" in err
    _, after, after_vars = generated_graph(folder)
    assert after == {} and after_vars == {}
    assert not (folder / "drafts.yaml").exists()
    assert set(load_ok(folder).scenes) == {start}
    assert mine.read_text() == f"scenes:\n  {start}:\n    text: My own story.\n    end: Mine\n"


def test_what_a_hand_written_scene_leads_to_is_kept(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start, graph, _ = generated_graph(folder)
    story = yaml.safe_load((folder / "story.yaml").read_text(encoding="utf-8"))
    canonical = list(story["scenes"])
    second = canonical[1]
    (folder / "mine.yaml").write_text(
        f"scenes:\n  {start}:\n    text: My own beginning.\n"
        f"    choices:\n      - text: Go on\n        to: {second}\n        canon: true\n")
    convert("out", capsys)
    _, after, after_vars = generated_graph(folder)
    # Exactly the generated scenes still reached from the author's start are written.
    assert set(after) == reached(graph, [second])
    assert set(after) < set(graph) - {start}
    story_after = load_ok(folder)
    assert story_after.scenes[start].paragraphs == ("My own beginning.",)
    # Variables no written scene reads or sets any more are gone with their scenes.
    written = (folder / "story.yaml").read_text() + (
        (folder / "drafts.yaml").read_text() if (folder / "drafts.yaml").is_file() else "")
    assert all(written.count(name) >= 2 for name in after_vars)


def test_a_variable_a_hand_written_file_uses_is_kept(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start, _, variables = generated_graph(folder)
    name = sorted(variables)[0]
    (folder / "mine.yaml").write_text(
        f"scenes:\n  {start}:\n    text: 'Mine: {{{name}}}.'\n    end: Mine\n")
    convert("out", capsys)
    assert list(generated_graph(folder)[2]) == [name]
    assert load_ok(folder).scenes[start].ending == "Mine"


def test_an_unreadable_hand_written_file_leaves_every_generated_scene_in(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The unreadable file might lead anywhere: nothing is left out on its account.
    start, graph, _ = generated_graph(folder)
    (folder / "mine.yaml").write_text(f"scenes:\n  {start}:\n    text: Mine.\n    end: Mine\n")
    (folder / "other.yaml").write_text("scenes:\n  elsewhere:\n    text: [unclosed\n")
    err = convert("out", capsys)
    assert f"defines scene '{start}'" in err
    assert "no longer reached" not in err
    assert set(generated_graph(folder)[1]) == set(graph) - {start}
