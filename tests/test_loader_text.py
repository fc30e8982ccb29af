"""The loader and the engine on text that follows the state, vars in any
file and ``extend:``: what is loaded, what is shown, and each error where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.engine import state as sm
from carnet.engine.loader import load_story
from carnet.engine.model import LazyScenes, Story
from carnet.engine.sourcemap import Pos
from tests.storyfiles import HEADER, load, load_ok, problems, write_story

VARS = "vars:\n  lit: false\n  n: 0\n  name: Wren\n"


def shown(story: Story, choices: list[int]) -> list[tuple[str, ...]]:
    """The text shown at each step of a playthrough, and the choice texts at the end."""
    state = sm.new_game(story)
    seen = [sm.scene_text(story, state)]
    for number in choices:
        state = sm.choose(story, state, number)
        seen.append(sm.scene_text(story, state))
    seen.append(tuple(sm.option_text(state, o) for o in sm.options(story, state)))
    return seen


SQUARE = HEADER + VARS + """\
scenes:
  a:
    text:
      - "The square is {if lit: bright | else: all shadow}."
      - if: lit
        text: The lamp hums.
        else: |
          No lamp yet.

          Not one.
      - if: n > 1
        text: Late now.
    revisit: |
      Back, {name}. {if lit: Bright. | else: Dark.}
    choices:
      - text: "{if lit: Admire | else: Light} the lamp"
        to: a
        do: [lit = true, n += 1]
"""


def test_text_follows_the_state_on_every_visit(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": SQUARE})
    first, second, third, options = shown(story, [1, 1])
    assert first == ("The square is all shadow.", "No lamp yet.", "Not one.")
    assert second == ("Back, Wren. Bright.",)  # revisit replaces text from visit 2
    assert third == ("Back, Wren. Bright.",)
    assert options == ("Admire the lamp",)
    start = sm.new_game(story)
    assert [sm.option_text(start, o) for o in sm.options(story, start)] == ["Light the lamp"]


def test_source_paragraphs_and_conditions_are_exposed_with_their_place(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": SQUARE})
    scene = story.scenes["a"]
    assert scene.paragraphs == ("The square is {if lit: bright | else: all shadow}.",
                                "The lamp hums.", "No lamp yet.", "Not one.", "Late now.")
    found = [(c.expression.source, c.path, c.source[c.offset:c.offset + 5])
             for c in scene.text_conditions()]
    assert found == [
        ("lit", ("text", 0), "lit: "),
        ("lit", ("text", 1, "if"), "lit"),
        ("n > 1", ("text", 2, "if"), "n > 1"),
        ("lit", ("revisit",), "lit: "),
        ("lit", ("choices", 0, "text"), "lit: "),
    ]
    assert scene.text_variables() == {"lit", "n", "name"}


def test_a_blank_paragraph_is_not_shown(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": HEADER + VARS + (
        "scenes:\n  a:\n    text: |\n      One.\n\n      {if lit: Two.}\n\n      Three.\n"
        "    end: E\n")})
    assert sm.scene_text(story, sm.new_game(story)) == ("One.", "Three.")


def test_unknown_names_in_text_are_placed_on_the_name(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + VARS + """\
scenes:
  a:
    text:
      - "{if lti: x}"
      - if: nn > 0
        text: "{nam}"
    revisit: |
      One.

        Two {if visits(b) > 0 and lit: x}.
    choices:
      - text: "Go {if lit: {nme}}"
        to: a
"""})
    assert found == [
        ("story/story.yaml", 11, 14, "E012"),  # lti
        ("story/story.yaml", 12, 13, "E012"),  # nn in if:
        ("story/story.yaml", 13, 17, "E012"),  # nam in {nam}
        ("story/story.yaml", 17, 17, "E011"),  # visits(b), in a block, indented by 2 more
        ("story/story.yaml", 19, 29, "E012"),  # nme in choice text
    ]


def test_did_you_mean_for_a_misspelt_name(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + VARS + (
        "scenes:\n  a:\n    text: 'The {if lti: lamp}'\n    end: E\n")})
    (d,) = result.diagnostics
    assert d.code == "E012" and d.hint == "did you mean 'lit'?"
    assert (d.line, d.col) == (10, 20)


def test_a_condition_that_is_not_a_bool_is_a_type_error(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + VARS + (
        "scenes:\n  a:\n    text:\n      - 'x {if n: y}'\n      - {if: name, text: z}\n"
        "    end: E\n")})
    assert [(d.line, d.col, d.code) for d in result.diagnostics] == [
        (11, 16, "E010"), (12, 14, "E010")]
    assert result.diagnostics[0].message == "a condition must be bool, but this is int"


def test_syntax_errors_in_text(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + VARS + """\
scenes:
  a:
    text: |
      Fine.

      The {if lit: lamp
    choices:
      - text: "{if lit x}"
        to: a
      - text: "a {if n >> 1: b}"
        to: a
  b:
    text: []
    end: E
  c:
    text:
      - {if: lit}
    end: E
"""})
    assert found == [
        ("story/story.yaml", 13, 11, "E007"),  # '{if' is not closed
        ("story/story.yaml", 15, 25, "E009"),  # expected ':' (at the })
        ("story/story.yaml", 17, 25, "E009"),  # the second > of >>
        ("story/story.yaml", 20, 11, "E007"),  # an empty list
        ("story/story.yaml", 24, 9, "E006"),   # a paragraph without text
    ]


def test_vars_in_any_file_and_a_duplicate_names_both_places(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {
        "story.yaml": HEADER + "vars:\n  n: 0\nscenes:\n  a:\n    text: '{n} {m}'\n    end: E\n",
        "more/branch.yaml": "vars:\n  m: true\n",
    })
    assert set(story.variables) == {"n", "m"}
    result = load(tmp_path / "dup", {
        "story.yaml": HEADER + "vars:\n  n: 0\nscenes:\n  a:\n    text: A\n    end: E\n",
        "b.yaml": "# a branch\nvars:\n  other: 1\n  n: 2\n",
    })
    (d,) = result.diagnostics
    assert (d.path, d.line, d.col, d.code) == ("story/b.yaml", 4, 3, "E014")
    assert d.message == "variable 'n' is already declared at story/story.yaml:5:3"


EXTENDED = HEADER + "vars:\n  n: 0\n" + """\
scenes:
  a:
    text: A
    choices:
      - text: Own choice
        to: end
        canon: true
  end:
    text: The end.
    end: E
"""


def test_extend_adds_choices_after_the_scenes_own_in_file_order(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {
        "story.yaml": EXTENDED,
        "z.yaml": "extend:\n  a:\n    choices:\n      - {text: From z, to: end}\n",
        "b/y.yaml": "vars:\n  told: false\nextend:\n  a:\n    choices:\n"
                    "      - text: 'From y{if told: , again}'\n        to: side\n"
                    "        do: [told = true]\n"
                    "scenes:\n  side:\n    text: '{if told: Told.}'\n    choices:\n"
                    "      - {text: Back, to: a}\n",
    })
    assert [c.text for c in story.scenes["a"].choices] == [
        "Own choice", "From y{if told: , again}", "From z"]
    state = sm.choose(story, sm.new_game(story), 2)
    assert sm.scene_text(story, state) == ("Told.",)
    state = sm.choose(story, state, 1)
    assert [sm.option_text(state, o) for o in sm.options(story, state)] == [
        "Own choice", "From y, again", "From z"]


def test_extend_errors_are_placed_in_the_extending_file(tmp_path: Path) -> None:
    result = load(tmp_path, {
        "story.yaml": EXTENDED,
        "branch.yaml": """\
extend:
  aa:
    choices: [{text: x, to: a}]
  end:
    choices: [{text: x, to: a}]
  a:
    choices:
      - text: "{if nn: x}"
        to: nowhere
      - text: Again canon
        to: a
        canon: true
""",
    })
    found = {(d.line, d.col, d.code): d for d in result.diagnostics}
    assert set(found) == {(2, 3, "E011"), (4, 3, "E007"), (8, 20, "E012"), (9, 13, "E011"),
                          (12, 9, "E007")}
    assert all(d.path == "story/branch.yaml" for d in result.diagnostics)
    assert found[(2, 3, "E011")].hint == "did you mean 'a'?"
    assert "ending" in found[(4, 3, "E007")].message
    assert "more than one canonical choice" in found[(12, 9, "E007")].message


def test_positions_of_a_branch_files_variables_and_added_choices(tmp_path: Path) -> None:
    # What lint uses to place its findings: the branch file, not story.yaml.
    result = load(tmp_path, {
        "story.yaml": EXTENDED,
        "b/branch.yaml": "# mine\nvars:\n  told: false\nextend:\n  a:\n    choices:\n"
                         "      - text: Ask\n        to: end\n        if: told\n",
    })
    assert result.story is not None
    smap = result.source_map
    assert smap.key(None, "vars", "told") == Pos("story/b/branch.yaml", 3, 3)
    assert smap.key(None, "vars", "n") == Pos("story/story.yaml", 5, 3)
    assert smap.scene("a", "choices", 1, "if") == Pos("story/b/branch.yaml", 9, 13)
    assert smap.key("a", "choices", 1, "to") == Pos("story/b/branch.yaml", 8, 9)
    assert smap.scene("a", "choices", 0, "to") == Pos("story/story.yaml", 11, 13)


def test_the_compiled_cache_keeps_text_that_follows_the_state(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Scene equality leaves the compiled text out, so compare what is shown.
    monkeypatch.setenv("CARNET_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_story(tmp_path, {
        "story.yaml": SQUARE,
        "branch.yaml": "extend:\n  a:\n    choices:\n"
                       "      - {text: '{if lit: Leave lit | else: Leave}', to: a}\n",
    })
    cold = load_story(folder, cache=True).story
    warm = load_story(folder, cache=True).story
    assert cold is not None and warm is not None
    assert isinstance(warm.scenes, LazyScenes)  # it did come from the cache
    for story in (cold, warm):
        first, second, _, options = shown(story, [2, 1])
        assert first == ("The square is all shadow.", "No lamp yet.", "Not one.")
        assert second == ("Back, Wren. Dark.",)
        assert options == ("Admire the lamp", "Leave lit")
    assert [(c.expression.source, c.path) for c in warm.scenes["a"].text_conditions()] == [
        (c.expression.source, c.path) for c in cold.scenes["a"].text_conditions()]


def test_text_with_nothing_to_fill_in_is_its_own_template(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": SQUARE + "  b:\n    text: |\n      Plain one.\n\n"
                               "      Plain two, {name}.\n    end: E\n"})
    a, b = story.scenes["a"], story.scenes["b"]
    lamp = a.text[1]
    assert lamp.paragraphs == ("The lamp hums.",) and lamp.otherwise == ("No lamp yet.", "Not one.")
    # the shown paragraph is the very string the scene lists: no copy, no Template
    assert lamp.paragraphs[0] is a.paragraphs[1]
    plain, filled = b.text[0].paragraphs
    assert plain is b.paragraphs[0] and isinstance(plain, str)
    assert not isinstance(filled, str) and filled.source == "Plain one.\n\nPlain two, {name}.\n"
    assert sm.scene_text(story, sm.new_game(story)) == (
        "The square is all shadow.", "No lamp yet.", "Not one.")
