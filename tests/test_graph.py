"""`carnet graph`: the graph model, dot and Mermaid text, SVG/PNG through Graphviz, the CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from carnet.engine.cli import main
from carnet.engine.loader import load_story
from carnet.tools.graph.dot import quote, to_dot
from carnet.tools.graph.mermaid import to_mermaid
from carnet.tools.graph.model import build, canon_path
from tests.storyfiles import load_ok, write_story

ROOT = Path(__file__).resolve().parent.parent
HAS_DOT = shutil.which("dot") is not None

STORY = """\
carnet: 1
title: 'The "Quoted" Tale'
start: a
vars: {n: 0}
scenes:
  a:
    text: A.
    choices:
      - {text: Onward, to: b, canon: true}
      - {text: Loop, to: a, if: n < 2, do: [n += 1]}
      - {text: Loop again, to: a, if: n < 2}
      - {text: Sketch, to: sketch}
  b:
    text: B.
    choices:
      - {text: Finish, to: end, canon: true, once: true}
      - {text: Back, to: a}
  end:
    text: The end.
    end: 'Over, "quoted"'
  sketch:
    text: Maybe.
    choices: [{text: Back, to: a}]
    draft: true
"""


def graph(tmp_path: Path, text: str = STORY):
    return build(load_ok(tmp_path, {"story.yaml": text}))


def test_the_model_has_the_canonical_path_and_merges_lookalike_edges(tmp_path: Path) -> None:
    g = graph(tmp_path)
    assert [(n.id, n.kind, n.canon, n.draft, n.start) for n in g.nodes] == [
        ("a", "scene", True, False, True), ("b", "scene", True, False, False),
        ("end", "ending", True, False, False), ("sketch", "scene", False, True, False)]
    assert [(e.source, e.target, e.label, e.canon) for e in g.edges] == [
        ("a", "b", "", True), ("a", "a", "if n < 2", False), ("a", "sketch", "", False),
        ("b", "end", "once", True), ("b", "a", "", False), ("sketch", "a", "", False)]


def test_a_canonical_loop_stops(tmp_path: Path) -> None:
    looping = STORY.replace("{text: Back, to: a}\n", "{text: Back, to: a, canon: true}\n", 1)
    looping = looping.replace("{text: Finish, to: end, canon: true, once: true}",
                              "{text: Finish, to: end, once: true}")
    assert canon_path(load_ok(tmp_path, {"story.yaml": looping})) == [("a", 0), ("b", 1)]


def test_dot_quotes_and_draws_endings_and_drafts_apart(tmp_path: Path) -> None:
    text = to_dot(graph(tmp_path))
    assert quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'
    assert text.startswith('digraph "story" {\n  graph [label="The \\"Quoted\\" Tale"')
    assert '  "end" [label="end\\nOver, \\"quoted\\"", shape=doubleoctagon' in text
    assert '  { rank=sink; "end"; }\n' in text
    drafts = text[text.index('subgraph "cluster_drafts"'):]
    sketch = '"sketch" [label="sketch", color=gray50, fontcolor=gray40, style="rounded,dashed"]'
    assert drafts.index(sketch) < drafts.index("}")
    assert '  "a" -> "b" [color="#c0392b", penwidth=2.5];' in text
    assert '  "a" -> "a" [label="if n < 2", style=dashed];' in text
    assert '  "b" -> "a";' in text
    assert text == to_dot(graph(tmp_path))


def test_mermaid_prefixes_ids_and_escapes_labels(tmp_path: Path) -> None:
    text = to_mermaid(graph(tmp_path))
    lines = text.splitlines()
    assert lines[:2] == ["flowchart TD", '  %% The "Quoted" Tale']
    assert '  s_end(["end: Over, #quot;quoted#quot;"])' in lines  # `end` alone is a keyword
    assert '  s_a -.->|"if n #lt; 2"| s_a' in lines
    assert lines[lines.index('  subgraph drafts ["drafts"]') + 1] == '    s_sketch["sketch"]'
    assert "  linkStyle 0,3 stroke:#c0392b,stroke-width:3px" in lines
    assert "  class s_a,s_b,s_end canon" in lines


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_story(tmp_path, {"story.yaml": STORY})
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["graph", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_dot_to_stdout_or_a_file(here: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    code, out, err = run(capsys, "story")
    assert (code, err) == (0, "") and out.startswith('digraph "story" {')
    code, out, _ = run(capsys, "story", "--format", "mermaid", "-o", "g.mmd")
    assert (code, out) == (0, "")
    assert (here / "g.mmd").read_text(encoding="utf-8").startswith("flowchart TD\n")


def test_cli_errors_exit_2_without_traceback(here: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    code, _, err = run(capsys, "nowhere")
    assert code == 2 and err.startswith("carnet graph: no story 'nowhere'")
    (here / "story" / "story.yaml").write_text(STORY.replace("to: sketch", "to: skech"),
                                               encoding="utf-8")
    code, _, err = run(capsys, "story")
    assert code == 2
    assert "story/story.yaml:12:28: E011" in err
    assert "carnet graph: story has 1 error; run `carnet lint story`" in err
    write_story(here, {"story.yaml": STORY})
    code, _, err = run(capsys, "story", "-o", str(here))
    assert code == 2 and err.startswith(f"carnet graph: cannot write {here}: ")
    assert "Traceback" not in err


def test_svg_without_graphviz_is_a_clear_error(here: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(here))
    code, out, err = run(capsys, "story", "--format", "svg")
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == ("carnet graph: --format svg needs Graphviz's `dot` program, "
                                   "which is not installed")
    assert "apt-get install graphviz" in err


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz `dot` is not installed")
def test_svg_and_png_through_graphviz(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "story", "--format", "svg")
    assert code == 0 and "<svg" in out
    assert set(re.findall(r'class="node">\s*<title>([^<]*)</title>', out)) == {
        "a", "b", "end", "sketch"}
    assert run(capsys, "story", "--format", "svg")[1] == out
    code, _, _ = run(capsys, "story", "--format", "png", "-o", "g.png")
    assert code == 0 and (here / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def svg_graph(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    nodes = set(re.findall(r'class="node">\s*<title>([^<]*)</title>', text))
    edges = {tuple(t.split("&#45;&gt;")) for t in
             re.findall(r'class="edge">\s*<title>([^<]*)</title>', text)}
    return nodes, edges  # type: ignore[return-value]


def test_the_readme_graph_is_current_and_shown() -> None:
    """docs/img/tutorial-graph.svg is `carnet graph tutorial --format svg` of today's story."""
    image = ROOT / "docs" / "img" / "tutorial-graph.svg"
    story = load_story(ROOT / "scenes" / "tutorial").story
    assert story is not None
    g = build(story)
    nodes, edges = svg_graph(image.read_text(encoding="utf-8"))
    assert nodes == {n.id for n in g.nodes}, "regenerate: see README"
    assert edges == {(e.source, e.target) for e in g.edges}, "regenerate: see README"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/img/tutorial-graph.svg)" in readme
    assert "carnet graph tutorial --format svg -o docs/img/tutorial-graph.svg" in readme


def test_a_folder_name_that_is_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    os.mkdir(b"caf\xe9")
    name = os.fsdecode(b"caf\xe9")
    (Path(name) / "story.yaml").write_text(STORY, encoding="utf-8")
    assert main(["graph", name]) == 0
    assert capsys.readouterr().out.startswith('digraph "caf\ufffd" {')
