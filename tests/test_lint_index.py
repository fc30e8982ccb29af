"""The shared index (tools/lint/index.py) against the per-rule walks it replaced.

Each ``_old_*`` function below is the walk a rule or the exploration used to
make on its own, kept here as the reference: the index, made in one walk of
each distinct expression, must give exactly the same answers on every
shipped story and on a story that uses every place an expression can be.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from carnet.engine.expr.nodes import Binary, Lit, Node, Unary, Var, Visits
from carnet.engine.expr.walk import scenes_read, variables_read, walk
from carnet.engine.loader import load_story
from carnet.engine.model import Choice, Scene, Story
from carnet.tools.lint.explore import Liveness, _Walk, visit_caps
from carnet.tools.lint.graph import build_graph
from carnet.tools.lint.index import MARKS, StoryIndex, marked, walk_facts
from carnet.tools.lint.variables import VariableUse, variable_use
from tests.lint_support import HEAD, write_story

SCENES = Path(__file__).resolve().parent.parent / "scenes"
SHIPPED = sorted(p.name for p in SCENES.iterdir() if (p / "story.yaml").is_file())

# every place an expression or a {name} can be: choice conditions and
# effects, on_enter, text conditions (inline and paragraph), revisit text,
# choice text, visits() compared with constants on either side, negated,
# and used otherwise
EVERYWHERE = """\
vars:
  coins: 0
  lamps: 0
  name: "you"
  seen: false
  far: 0
start: hall
scenes:
  hall:
    text:
      - "A hall, {name}. {if coins > 1: You are rich. | else: You are poor.}"
      - {if: "visits(cellar) >= 2 and seen", text: "You know the cellar.", else: "{far}"}
    revisit: "The hall again{if lamps > 0: , lit}."
    on_enter: [lamps += coins]
    choices:
      - text: "Down{if -1 < visits(hall): , again}"
        to: cellar
        if: 3 > visits(cellar)
        do: [coins += 1, seen = true]
      - text: Out
        to: out
        if: visits(cellar) + 1 > far
        do: [far = lamps - -2]
      - text: Back
        to: hall
        once: true
  cellar:
    text: Dark.
    on_enter: [far = lamps + 2]
    choices:
      - {text: Up, to: hall, if: "not seen or visits(out) == -4"}
  out:
    text: Out, {name}.
    end: Free
"""


def _expressions(story: Story) -> Iterator[tuple[str, Node]]:
    for sid, scene in story.scenes.items():
        for condition in scene.text_conditions():
            yield sid, condition.expression.root
        for effect in scene.on_enter:
            yield sid, effect.value
        for choice in scene.choices:
            if choice.condition is not None:
                yield sid, choice.condition.root
            for effect in choice.effects:
                yield sid, effect.value


def _old_variable_use(story: Story) -> VariableUse:
    reads: set[str] = set()
    writes: set[str] = set()
    for scene in story.scenes.values():
        reads |= scene.text_variables()
        effects = list(scene.on_enter)
        for choice in scene.choices:
            if choice.condition is not None:
                reads.update(variables_read(choice.condition.root))
            effects.extend(choice.effects)
        for effect in effects:
            reads.update(variables_read(effect.value))
            writes.add(effect.var)
    return VariableUse(frozenset(reads), frozenset(writes))


def _old_constant(node: Node) -> int | None:
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Lit):
        value = node.operand.value
        return -value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(node, Lit) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _old_visit_caps(story: Story) -> dict[str, int | None]:
    constants: dict[str, list[int]] = {}
    exact: set[str] = set()
    for _, root in _expressions(story):
        stack: list[tuple[Node, Node | None]] = [(root, None)]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, Visits):
                other = None
                if isinstance(parent, Binary) and parent.op in ("==", "!=", "<", "<=", ">", ">="):
                    other = _old_constant(parent.right if parent.left is node else parent.left)
                if other is None:
                    exact.add(node.scene)
                else:
                    constants.setdefault(node.scene, []).append(other)
            elif isinstance(node, Unary):
                stack.append((node.operand, node))
            elif isinstance(node, Binary):
                stack.append((node.left, node))
                stack.append((node.right, node))
    for sid, shown in story.scenes.items():
        if shown.revisit is not None:
            constants.setdefault(sid, []).append(1)
    return {scene: None if scene in exact else max(0, *constants[scene]) + 1
            for scene in sorted(exact | constants.keys())}


def _old_liveness(story: Story) -> tuple[dict[str, int], dict[str, int]]:
    level = build_graph(story).level
    var_last = dict.fromkeys(story.variables, -1)
    visit_last: dict[str, int] = {}
    for sid, root in _expressions(story):
        for node in walk(root):
            if isinstance(node, Var):
                var_last[node.name] = max(var_last.get(node.name, -1), level[sid])
            elif isinstance(node, Visits):
                visit_last[node.scene] = max(visit_last.get(node.scene, -1), level[sid])
    for sid, scene in story.scenes.items():
        if scene.revisit is not None:
            visit_last[sid] = max(visit_last.get(sid, -1), level[sid])
        for effect in [*scene.on_enter, *(e for c in scene.choices for e in c.effects)]:
            if effect.op != "=":
                var_last[effect.var] = max(var_last.get(effect.var, -1), level[sid])
    return var_last, visit_last


def _old_costs(story: Story) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    def nodes(node: Node) -> int:
        return sum(1 for _ in walk(node))

    copy = len(story.variables) + 1
    expand = {sid: 1 + sum(1 + (nodes(c.condition.root) if c.condition else 0)
                           for c in scene.choices)
              for sid, scene in story.scenes.items()}
    take = {(sid, i): copy + sum(copy + nodes(e.value) for e in c.effects)
            + sum(copy + nodes(e.value) for e in story.scenes[c.target].on_enter)
            for sid, scene in story.scenes.items() for i, c in enumerate(scene.choices)}
    return expand, take


def _story(tmp_path: Path, name: str) -> Story:
    folder = (write_story(tmp_path, {"story.yaml": HEAD + EVERYWHERE}) if name == "everywhere"
              else SCENES / name)
    result = load_story(folder)
    assert result.story is not None, result.diagnostics
    return result.story


@pytest.mark.parametrize("name", [*SHIPPED, "everywhere"])
def test_each_scene_reads_and_writes_what_its_own_walk_finds(tmp_path: Path, name: str) -> None:
    story = _story(tmp_path, name)
    index = StoryIndex.of(story)
    assert list(index.scenes) == list(story.scenes)
    for sid, scene in story.scenes.items():
        use = index.scenes[sid]
        roots = [root for at, root in _expressions(story) if at == sid]
        effects = [*scene.on_enter, *(e for c in scene.choices for e in c.effects)]
        assert use.reads == frozenset().union(*map(variables_read, roots)), sid
        assert use.visits == frozenset().union(*map(scenes_read, roots)), sid
        assert use.writes == {e.var for e in effects}, sid
        assert use.updates == {e.var for e in effects if e.op != "="}, sid
    # the {name} in texts: what the texts read beyond their conditions
    shown = frozenset().union(*(scene.text_variables() for scene in story.scenes.values()))
    conditions = frozenset().union(*(variables_read(c.expression.root)
                                     for scene in story.scenes.values()
                                     for c in scene.text_conditions()))
    assert index.names <= shown
    assert index.names | conditions == shown


@pytest.mark.parametrize("name", [*SHIPPED, "everywhere"])
def test_the_analyses_made_from_the_index_are_those_of_the_old_walks(
        tmp_path: Path, name: str) -> None:
    story = _story(tmp_path, name)
    index = StoryIndex.of(story)
    graph = build_graph(story)
    assert variable_use(story, index) == variable_use(story) == _old_variable_use(story)
    assert visit_caps(story, index) == visit_caps(story) == _old_visit_caps(story)
    live = Liveness.of(story, graph, index)
    assert (live.var_last, live.visit_last) == _old_liveness(story)
    walked = _Walk(story, 10, graph, index)
    assert (walked.expand_cost, walked.take_cost) == _old_costs(story)


def test_the_story_that_uses_everything_is_read_as_written(tmp_path: Path) -> None:
    """The reference walks themselves, on the story above, read by hand."""
    story = _story(tmp_path, "everywhere")
    use = _old_variable_use(story)
    assert use.reads == {"coins", "lamps", "name", "seen", "far"}
    assert use.writes == {"coins", "lamps", "seen", "far"}
    # visits(cellar): 2 and 3 (either side); visits(hall) > -1 and the revisit: 1;
    # visits(out) == -4 gives 0; visits(cellar) + 1 is not a comparison: exact
    assert _old_visit_caps(story) == {"cellar": None, "hall": 2, "out": 1}
    index = StoryIndex.of(story)
    assert index.scenes["hall"].visit_uses == {("cellar", 2), ("cellar", 3), ("cellar", None),
                                               ("hall", -1)}
    assert index.scenes["hall"].updates == {"coins", "lamps"}


def test_equal_uses_are_one_object_and_each_tree_is_walked_once(tmp_path: Path) -> None:
    folder = write_story(tmp_path, {"story.yaml": HEAD + textwrap.dedent("""\
        vars: {n: 0}
        start: a
        scenes:
          a:
            text: A.
            choices: [{text: Go, to: b, if: n < 2, do: [n += 1]}]
          b:
            text: B.
            choices: [{text: Go, to: c, if: n < 2, do: [n += 1]}]
          c:
            text: C.
            end: Done
        """)})
    result = load_story(folder)
    assert result.story is not None
    index = StoryIndex.of(result.story)
    assert index.scenes["a"] is index.scenes["b"]
    assert index.scenes["a"].reads == {"n"} and index.scenes["a"].writes == {"n"}
    assert index.scenes["c"].reads == frozenset()
    root = result.story.scenes["a"].choices[0].condition.root  # type: ignore[union-attr]
    assert index.facts(root) is index.facts(root)
    fresh = walk_facts(root)
    assert fresh == index.facts(root) and fresh.nodes == 3


def _old_marks(story: Story) -> dict[str, list[int]]:
    """Each mark, scene by scene, as the rules used to decide it on the scene itself."""
    def same(scene: Scene) -> bool:  # T301's own loop before the index
        seen: set[str] = set()
        for choice in scene.choices:
            text = " ".join(choice.text.split()).casefold()
            if text and text in seen:
                return True
            seen.add(text)
        return False

    tests = {
        "choices": lambda s: bool(s.choices), "ending": lambda s: s.is_ending,
        "draft": lambda s: s.draft, "textless": lambda s: not s.paragraphs,
        "noqa": lambda s: bool(s.noqa),
        "blank_choice": lambda s: any(not c.text.strip() for c in s.choices),
        "same_choice": same}
    return {mark: [i for i, scene in enumerate(story.scenes.values()) if test(scene)]
            for mark, test in tests.items()}


def _random_story(seed: int) -> Story:
    rng = random.Random(seed)
    names = [f"s{i}" for i in rng.sample(range(1000), rng.randint(1, 40))]
    texts = ["Go", "go", " Go  ", "GO\n", "Run", "", "  ", "Stay here", "stay  here", "Wait"]
    scenes = {}
    for sid in names:
        choices = tuple(Choice(rng.choice(texts), rng.choice([*names, "missing"]))
                        for _ in range(rng.choice([0, 0, 1, 2, 3, 4])))
        scenes[sid] = Scene(sid, ("Text.",) * rng.choice([0, 1, 1, 2]), choices,
                            ending=rng.choice([None, None, "The end"]),
                            draft=rng.random() < 0.2,
                            noqa=frozenset(rng.sample(["T301", "G1"], rng.randint(0, 2))))
    return Story("t", "T", names[0], {}, scenes)


@pytest.mark.parametrize("seed", range(30))
def test_the_marks_and_targets_are_what_each_scene_says(seed: int) -> None:
    story = _random_story(seed)
    index = StoryIndex.of(story)
    assert index.ids == list(story.scenes)
    assert all(index.number[sid] == i for i, sid in enumerate(index.ids))
    found = {mark: list(marked(getattr(index, mark))) for mark in MARKS}
    assert found == _old_marks(story)
    for mark in MARKS:  # a byte per scene, each 0 or 1
        column = getattr(index, mark)
        assert len(column) == len(story.scenes) and set(column) <= {0, 1}
    for sid, scene in story.scenes.items():  # distinct targets that exist, in file order
        expected = list(dict.fromkeys(c.target for c in scene.choices
                                      if c.target in story.scenes))
        assert [index.ids[t] for t in index.targets[index.number[sid]]] == expected


def test_marked_finds_each_byte_of_the_value_in_order() -> None:
    assert list(marked(b"\x00\x01\x01\x00\x01")) == [1, 2, 4]
    assert list(marked(b"\x00\x01\x01\x00\x01", 0)) == [0, 3]
    assert list(marked(b"")) == [] and list(marked(b"\x00\x00")) == []


def test_the_random_stories_have_every_mark_and_every_kind_of_target() -> None:
    """The test above is only as good as its stories: each mark is set in some
    of them, and some choices lead to missing scenes or twice to one scene."""
    stories = [_random_story(seed) for seed in range(30)]
    for mark, numbers in {m: [n for s in stories for n in _old_marks(s)[m]]
                          for m in MARKS}.items():
        assert numbers, mark
    choices = [(scene, c) for s in stories for scene in s.scenes.values() for c in scene.choices]
    assert any(c.target == "missing" for _, c in choices)
    assert any(sum(d.target == c.target for d in scene.choices) > 1 for scene, c in choices)
