"""`carnet export --format twee`: TwineScript, markup escaping, the Twee 3 document, the CLI,
and the compiled Twine 2 HTML through the `extwee` compiler."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from carnet.engine.cli import main
from carnet.engine.expr import parse_effect, parse_expression
from carnet.engine.loader import load_story
from carnet.engine.state import once_key
from carnet.tools.export import sugarcube as sc
from carnet.tools.export.twee import ifid, passage_links, passage_names, to_twee
from tests import twine
from tests.storyfiles import load_ok, write_story

ROOT = Path(__file__).resolve().parent.parent


def js(source: str) -> str:
    return sc.expression(parse_expression(source), {"square": "square", "StoryInit": "s_x"})


@pytest.mark.parametrize("source, expected", [
    ("a and not b", "($a && !$b)"),
    ("not (a and b)", "!($a && $b)"),
    ("a or b and c", "($a || ($b && $c))"),
    ("(a or b) and c", "(($a || $b) && $c)"),
    ("n - (m - 1) >= -2", "(($n - ($m - 1)) >= -2)"),
    ("-(n + 1) == 0", "(-($n + 1) === 0)"),
    ('who != "Léon"', '($who !== "Léon")'),
    ("visits(square) >= 2 and visits(StoryInit) == 0",
     '((visited("square") >= 2) && (visited("s_x") === 0))'),
    ('s == "say \\"$hi\\" <<x>>"', '($s === "say \\"\\u0024hi\\" \\u003c\\u003cx\\u003e\\u003e")'),
])
def test_expressions_keep_carnet_precedence(source: str, expected: str) -> None:
    assert js(source) == expected


def test_effects_and_conditions() -> None:
    assert sc.effect(parse_effect("n += m - 1"), {}) == "<<set $n += $m - 1>>"
    assert sc.effect(parse_effect('who = "x"'), {}) == '<<set $who to "x">>'
    assert sc.effect(parse_effect("ok = not ok"), {}) == "<<set $ok to !$ok>>"
    assert sc.condition(parse_expression("a and b"), {}) == "$a && $b"
    assert sc.condition(parse_expression("(a or b) and (c or d)"), {}) == (
        "($a || $b) && ($c || $d)")


@pytest.mark.parametrize("text, expected", [
    ("Plain prose, with 'quotes' and a dash - and 3$.", None),
    ("It costs $5 and $name.", "<nowiki>It costs $5 and $name.</nowiki>"),
    ("an //italic// look", "<nowiki>an //italic// look</nowiki>"),
    ("it''s", "<nowiki>it''s</nowiki>"),
    ("a--b", "<nowiki>a--b</nowiki>"),
    ("<b>bold</b>", "<nowiki><b>bold</b></nowiki>"),
    ("[[not a link]]", "<nowiki>[[not a link]]</nowiki>"),
    ("<<set $x to 1>>", "<nowiki><<set $x to 1>></nowiki>"),
    ("! not a heading\nplain\n* not a list", "<nowiki>! not a heading</nowiki>\nplain\n"
                                               "<nowiki>* not a list</nowiki>"),
    (":: not a passage", "<nowiki>:: not a passage</nowiki>"),
    ("a </nowiki> b", "<nowiki>a <</nowiki><nowiki>/nowiki> b</nowiki>"),
])
def test_prose_shows_as_written(text: str, expected: str | None) -> None:
    assert sc.prose(text) == (text if expected is None else expected)


def test_line_start_markup_only_counts_at_the_start_of_a_line() -> None:
    assert sc.prose("! she calls", line_start=False) == "! she calls"
    assert sc.prose("! she calls\n! again", line_start=False) == (
        "! she calls\n<nowiki>! again</nowiki>")


def test_variables_print_naked_unless_the_name_would_run_on() -> None:
    assert sc.print_variable("name", ", she") == "$name"
    assert sc.print_variable("name", ". ") == "$name"
    assert sc.print_variable("name", "s ") == "<<= $name>>"
    assert sc.print_variable("name", ".x") == "<<= $name>>"
    assert sc.print_variable("name", "[0") == "<<= $name>>"


STORY = """\
carnet: 1
title: "Twee  test"
start: StoryInit
vars: {coins: 0, who: "Inês", carnet_once: false}
scenes:
  StoryInit:
    text: "Hello {who}s, {{braces}} and {who}."
    on_enter: [coins += 1]
    choices:
      - {text: "Take a coin ({coins})", to: StoryInit, do: [coins += 1], once: true}
      - {text: "Count", to: count, if: coins >= 2 and visits(StoryInit) > 1}
      - {text: "Leave", to: gone}
  count:
    text: |
      :: a line that looks like a passage header

      {coins} coins.
    end: Counted
  gone:
    text: Gone.
    end: Gone
    draft: true
"""


def test_the_twee_document(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": STORY})
    text = to_twee(story)
    assert text == to_twee(story)
    passages = re.split(r"^:: ", text, flags=re.M)[1:]
    heads = [p.split("\n", 1)[0] for p in passages]
    assert heads == ["StoryTitle", "StoryData", "StoryInit",
                     'scene_StoryInit {"position":"100,100"}',
                     'count [ending] {"position":"300,100"}',
                     'gone [ending draft] {"position":"300,250"}']
    assert passages[0] == "StoryTitle\nTwee test\n\n"
    data = json.loads(passages[1].split("\n", 1)[1])
    assert data == {"ifid": ifid("story"), "format": "SugarCube", "format-version": "2.37.3",
                    "start": "scene_StoryInit",
                    "tag-colors": {"draft": "orange", "ending": "green"}}
    assert passages[2] == ('StoryInit\n<<set $coins to 0>>\n<<set $who to "Inês">>\n'
                           "<<set $carnet_once to false>>\n<<set $carnet_once_ to {}>>\n\n")
    body = passages[3].split("\n", 1)[1]
    key = json.dumps(once_key("StoryInit", story.scenes["StoryInit"].choices[0]))
    assert key.startswith('"StoryInit>StoryInit#')
    assert body.splitlines() == [
        "<<set $coins += 1>>Hello <<= $who>>s, {braces} and $who.",
        "",
        f'<<if !$carnet_once_[{key}]>><<link "Take a coin ($coins)" '
        f'"scene_StoryInit">><<set $coins += 1>><<set $carnet_once_[{key}] to true>>'
        "<</link>><br><</if>>\\",
        '<<if ($coins >= 2) && (visited("scene_StoryInit") > 1)>><<link "Count" "count">>'
        "<</link>><br><</if>>\\",
        '<<link "Leave" "gone">><</link>><br>\\',
        "",
    ]
    assert passages[4].split("\n", 1)[1] == (
        "<nowiki>:: a line that looks like a passage header</nowiki>\n\n$coins coins.\n\n"
        "''THE END: Counted''\n\n")


def test_ifid_is_a_version_4_uuid_fixed_by_the_story_id() -> None:
    assert ifid("tutorial") == ifid("tutorial") != ifid("tutorial2")
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}",
                        ifid("tutorial"))


def test_reserved_passage_names_never_collide(tmp_path: Path) -> None:
    text = STORY.replace("  gone:\n", "  scene_StoryInit:\n    text: X\n    end: X\n  gone:\n")
    story = load_ok(tmp_path, {"story.yaml": text})
    names = passage_names(story)
    assert names["StoryInit"] == "scene_scene_StoryInit"
    assert names["scene_StoryInit"] == "scene_StoryInit"
    assert len(set(names.values())) == len(names)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_story(tmp_path, {"story.yaml": STORY})
    return tmp_path


def test_cli_writes_twee(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "story"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith(":: StoryTitle\nTwee test\n")
    assert main(["export", "story", "--format", "twee", "-o", "s.twee"]) == 0
    assert (here / "s.twee").read_text(encoding="utf-8") == out


def test_cli_errors_exit_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "nowhere"]) == 2
    assert capsys.readouterr().err.startswith("carnet export: no story 'nowhere'")
    assert main(["export", "story", "-o", str(here / "no" / "such" / "dir.twee")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("carnet export: cannot write ") and "Traceback" not in err
    with pytest.raises(SystemExit) as exit_:
        main(["export", "story", "--format", "ink"])
    assert exit_.value.code == 2
    assert "invalid choice: 'ink'" in capsys.readouterr().err


EXTWEE = twine.extwee()
needs_extwee = pytest.mark.skipif(EXTWEE is None, reason=twine.SKIP_REASON)


def compile_twee(twee: Path, tmp_path: Path) -> str:
    assert EXTWEE is not None
    fmt = tmp_path / "format.js"
    fmt.write_text(twine.FORMAT_JS, encoding="utf-8")
    out = tmp_path / "story.html"
    done = subprocess.run([EXTWEE, "-c", "-i", str(twee), "-s", str(fmt), "-o", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    return out.read_text(encoding="utf-8")


@needs_extwee
@pytest.mark.parametrize("name", sorted(p.parent.name for p in (ROOT / "scenes").glob(
    "*/story.yaml")))
def test_extwee_compiles_every_shipped_story_with_every_passage_and_link(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(ROOT / "scenes" / name), "-o", "story.twee"]) == 0
    page = compile_twee(tmp_path / "story.twee", tmp_path)
    story = load_story(ROOT / "scenes" / name).story
    assert story is not None
    names = passage_names(story)
    data = twine.story_data(page)
    assert (data["name"], data["ifid"]) == (" ".join(story.title.split()), ifid(story.id))
    assert (data["format"], data["format-version"]) == ("SugarCube", "2.37.3")
    found = twine.passages(page)
    assert set(found) == {"StoryInit", *names.values()}
    pid = {attrs["pid"]: passage for passage, (attrs, _) in found.items()}
    assert pid[data["startnode"]] == names[story.start]
    for passage, targets in passage_links(story).items():
        text = found[passage][1]
        linked = re.findall(r'<<link "(?:[^"\\]|\\.)*" "([^"]+)">>', text)
        assert linked == list(targets), passage
    for sid, scene in story.scenes.items():
        tags = found[names[sid]][0]["tags"].split()
        assert ("ending" in tags) == scene.is_ending and ("draft" in tags) == scene.draft


def test_a_folder_name_that_is_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    os.mkdir(b"caf\xe9")
    name = os.fsdecode(b"caf\xe9")
    (Path(name) / "story.yaml").write_text(STORY, encoding="utf-8")
    assert main(["export", name]) == 0
    assert capsys.readouterr().out.startswith(":: StoryTitle\nTwee test\n")
    assert ifid(name) != ifid("caf")


STATEFUL = """\
carnet: 1
title: T
start: a
vars: {n: 0, lit: false}
scenes:
  a:
    text:
      - "First {if n == 0: none | elif n == 1: one | else: {n} of them}s."
      - {if: lit, text: "Bright.", else: "Dark."}
      - {if: n > 5, text: "Many."}
    revisit: "Again, {n}."
    choices:
      - {text: "Count {if lit: by lamplight | else: in the dark}", to: a, do: [n += 1]}
"""


def test_text_that_follows_the_state(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": STATEFUL})
    body = to_twee(story).split(":: a ", 1)[1].split("\n", 1)[1]
    assert body.splitlines() == [
        "<<if visited() > 1>>Again, $n.<<else>>First <<if $n === 0>>none<<elseif $n === 1>>"
        "one<<else>>$n of them<</if>>s.",
        "",
        "<<if $lit>>Bright.<<else>>Dark.<</if>>",
        "",
        "<<if $n > 5>>Many.<</if>><</if>>",
        "",
        '<<link "Count <<if $lit>>by lamplight<<else>>in the dark<</if>>" "a">><<set $n += 1>>'
        "<</link>><br>\\",
    ]
