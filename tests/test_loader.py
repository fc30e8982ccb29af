"""The loader: each kind of error, at its file, line and column."""

from __future__ import annotations

from pathlib import Path

from carnet.engine.loader import load_story
from tests.storyfiles import HEADER, load, load_ok, problems

GOOD_SCENES = """\
scenes:
  a:
    text: Hello.
    choices:
      - text: Onward
        to: b
  b:
    text: Bye.
    end: Done
"""


def test_a_good_story_loads_into_the_model(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": HEADER + "vars:\n  n: 1\n  ok: true\n  who: x\n"
                               + GOOD_SCENES})
    assert story.title == "T" and story.start == "a"
    assert [v.type for v in story.variables.values()] == ["int", "bool", "str"]
    assert story.scenes["a"].choices[0].target == "b"
    assert story.scenes["b"].ending == "Done"
    assert story.scenes["a"].paragraphs == ("Hello.",)
    assert len(story.fingerprint) == 64


def test_scenes_from_several_files_form_one_story(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {
        "story.yaml": HEADER + "scenes:\n  a:\n    text: A\n    choices:\n"
                               "      - {text: go, to: far}\n",
        "deep/branch.yaml": "scenes:\n  far:\n    text: F\n    end: E\n",
    })
    assert set(story.scenes) == {"a", "far"}


def test_paragraphs_split_on_blank_lines_and_keep_everything_else(tmp_path: Path) -> None:
    story = load_ok(tmp_path, {"story.yaml": HEADER + (
        "scenes:\n  a:\n    text: |\n      One\n      still one.\n\n\n        Two, indented.\n"
        "    end: E\n")})
    assert story.scenes["a"].paragraphs == ("One\nstill one.", "  Two, indented.")


def test_malformed_yaml_points_at_the_problem(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + "scenes:\n  a: [\n"})
    assert found == [("story/story.yaml", 6, 1, "E001")]


def test_wrong_type_names_what_was_expected(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER
                             + "scenes:\n  a:\n    text: {x: 1}\n    end: E\n"})
    (d,) = result.diagnostics
    assert (d.line, d.col, d.code) == (6, 11, "E004")
    assert d.message == "scene text must be a string or a list, not a mapping"


def test_yes_read_as_a_boolean_gets_a_hint(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + "scenes:\n  a:\n    text: yes\n    end: E\n"})
    (d,) = result.diagnostics
    assert d.code == "E004" and d.hint and "quote" in d.hint


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + (
        "scenes:\n  a:\n    text: A\n    choices:\n      - text: go\n        to: a\n"
        "        canno: true\n")})
    (d,) = result.diagnostics
    assert (d.line, d.col, d.code) == (10, 9, "E005")
    assert d.hint == "did you mean 'canon'?"


def test_duplicate_keys_are_caught_and_the_rest_still_checked(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + (
        "scenes:\n  a:\n    text: A\n    text: B\n    end: E\n    bogus: 1\n")})
    assert ("story/story.yaml", 7, 5, "E003") in found
    assert ("story/story.yaml", 9, 5, "E005") in found


def test_duplicate_scene_ids_across_files_name_the_first(tmp_path: Path) -> None:
    result = load(tmp_path, {
        "story.yaml": HEADER + "scenes:\n  a:\n    text: A\n    end: E\n",
        "more.yaml": "scenes:\n  a:\n    text: again\n    end: E\n",
    })
    (d,) = result.diagnostics
    assert (d.path, d.line, d.col, d.code) == ("story/more.yaml", 2, 3, "E008")
    assert "story/story.yaml:5:3" in d.message


def test_missing_start_scene_and_target(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": "carnet: 1\ntitle: T\nstart: intro\n" + (
        "scenes:\n  intra:\n    text: A\n    choices:\n      - {text: go, to: nowher}\n"
        "  nowhere:\n    text: N\n    end: E\n")})
    found = {(d.line, d.col, d.code): d for d in result.diagnostics}
    assert found[(3, 8, "E011")].hint == "did you mean 'intra'?"
    assert found[(8, 24, "E011")].hint == "did you mean 'nowhere'?"


def test_undeclared_variables_everywhere_they_can_hide(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + "vars:\n  coins: 0\n" + (
        "scenes:\n  a:\n    text: Hi {nme}.\n    on_enter: [gold += 1]\n    choices:\n"
        "      - text: go\n        to: a\n        if: coins > 1 and lucky\n")})
    assert sorted(found) == [
        ("story/story.yaml", 8, 15, "E012"),   # nme in {nme} in text
        ("story/story.yaml", 9, 16, "E012"),   # gold in on_enter
        ("story/story.yaml", 13, 27, "E012"),  # lucky in if
    ]


def test_expression_syntax_error_is_placed_inside_the_yaml(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + "vars:\n  n: 0\n" + (
        "scenes:\n  a:\n    text: A\n    choices:\n      - text: go\n        to: a\n"
        "        if: 'n >> 2'\n")})
    assert found == [("story/story.yaml", 12, 17, "E009")]


def test_type_errors_in_conditions_and_effects(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": HEADER + "vars:\n  n: 0\n  met: false\n" + (
        "scenes:\n  a:\n    text: A\n    choices:\n      - text: go\n        to: a\n"
        "        if: met == 1\n        do: [met += 1]\n")})
    assert [code for *_, code in found] == ["E010", "E010"]


def test_choices_and_end_together_and_two_canon_choices(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + (
        "scenes:\n  a:\n    text: A\n    end: E\n    choices:\n"
        "      - {text: x, to: a, canon: true}\n      - {text: y, to: a, canon: true}\n")})
    messages = sorted(d.message for d in result.diagnostics)
    assert messages == ["scene 'a' has both choices and an ending",
                        "scene 'a' has more than one canonical choice"]


def test_unsafe_yaml_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, {
        "story.yaml": HEADER + "scenes:\n  a: &x\n    text: A\n    end: E\n  b: *x\n",
        "evil.yaml": "scenes: !!python/object/apply:os.system ['echo hacked']\n",
    })
    assert {code for *_, code in found} == {"E002"}
    assert len(found) == 2


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        laughs.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    found = problems(tmp_path, {"story.yaml": "\n".join(laughs) + "\n"})
    assert found[0][3] == "E002"


def test_deep_nesting_is_refused_without_crashing(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": HEADER + "scenes: " + "[" * 50_000 + "\n"})
    (found,) = result.diagnostics
    assert (found.path, found.line, found.code) == ("story/story.yaml", 4, "E001")
    assert found.message == "the YAML nests lists and mappings more than 100 levels deep"


def test_not_utf8_gives_the_position_of_the_bad_byte(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_bytes(HEADER.encode() + b"scenes:\n  a:\n    text: caf\xe9\n")
    result = load_story(folder, display="story")
    (d,) = result.diagnostics
    assert (d.line, d.col, d.code) == (6, 14, "E001")


def test_a_folder_without_story_yaml(tmp_path: Path) -> None:
    result = load_story(tmp_path, display="x")
    (d,) = result.diagnostics
    assert d.code == "E013" and d.path == "x/story.yaml"


def test_newer_format_version_asks_for_an_upgrade(tmp_path: Path) -> None:
    result = load(tmp_path, {"story.yaml": "carnet: 7\ntitle: T\nstart: a\n"
                             "scenes:\n  a:\n    text: A\n    end: E\n"})
    (d,) = result.diagnostics
    assert d.code == "E007" and d.hint == "upgrade carnet"


def test_all_errors_of_a_story_are_reported_sorted(tmp_path: Path) -> None:
    result = load(tmp_path, {
        "story.yaml": "title: 3\nstart: a\nscenes:\n  a:\n    text: A\n    end: E\n",
        "b.yaml": "scenes:\n  b: {text: B, end: E, extra: 1}\n",
    })
    codes = [(d.path, d.code) for d in result.diagnostics]
    assert codes == [("story/b.yaml", "E005"), ("story/story.yaml", "E006"),
                     ("story/story.yaml", "E004")]


def test_loading_is_deterministic(tmp_path: Path) -> None:
    files = {"story.yaml": HEADER + GOOD_SCENES}
    one, two = load_ok(tmp_path, files), load_ok(tmp_path, files)
    assert one.fingerprint == two.fingerprint
    assert list(one.scenes) == list(two.scenes)


def test_bracket_nesting_is_bounded_but_ordinary_flow_lists_are_fine(tmp_path: Path) -> None:
    deep = "x: " + "[" * 150 + "]" * 150 + "\n"
    found = problems(tmp_path / "deep", {"story.yaml": HEADER + deep})
    assert found == [("story/story.yaml", 4, 104, "E001")]  # the 101st bracket
    many = "".join(f"  s{i}: {{text: t, end: e, noqa: [T301]}}\n" for i in range(300))
    story = load_ok(tmp_path / "many", {"story.yaml": "carnet: 1\ntitle: T\nstart: s0\n"
                                        "scenes:\n" + many})
    assert len(story.scenes) == 300


def test_the_walkthroughs_folder_is_not_part_of_the_story(tmp_path: Path) -> None:
    # a walkthrough is not a scenes file: read as one it would be E005/E006
    files = {"story.yaml": HEADER + GOOD_SCENES,
             "walkthroughs/end.yaml": "carnet_test: 1\nsteps: [{choose: 1}]\n",
             "deeper/walkthroughs/x.yaml": "scenes:\n  c:\n    text: C\n    end: E\n"}
    story = load_ok(tmp_path, files)
    assert set(story.scenes) == {"a", "b", "c"}  # only the top-level folder is left out
    files["walkthroughs.yaml"] = "scenes:\n  d:\n    text: D\n    end: E\n"
    assert "d" in load_ok(tmp_path, files).scenes
