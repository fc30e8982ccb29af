"""The scene graph: reachability both ways and cycles, on stories built in memory."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from carnet.engine.model import Choice, Scene, Story
from carnet.tools.lint import graph as graph_module
from carnet.tools.lint.explore import explore
from carnet.tools.lint.graph import build_graph, reachable_from
from carnet.tools.lint.runner import LintOptions, lint_story
from carnet.tools.lint.select import Decider


def _story(edges: dict[str, list[str]], start: str = "a", once: bool = False) -> Story:
    scenes = {
        sid: Scene(sid, ("Text.",), tuple(Choice(f"to {t}", t, once=once) for t in targets),
                   ending=None if targets else "The end")
        for sid, targets in edges.items()
    }
    return Story("t", "T", start, {}, scenes)


def test_reachability_and_cycles() -> None:
    graph = build_graph(_story({
        "a": ["b", "c"],
        "b": ["a"],          # a <-> b: a cycle
        "c": ["d", "c"],     # c: a self-loop
        "d": ["e"],
        "e": [],             # ending
        "f": ["g"],          # f, g: unreachable, in a cycle with no way out
        "g": ["f"],
    }))
    assert graph.reachable == {"a", "b", "c", "d", "e"}
    assert graph.reaches_ending == {"a", "b", "c", "d", "e"}
    assert graph.on_cycle == {"a", "b", "c", "f", "g"}
    assert graph.successors["c"] == ("d", "c")


def test_duplicate_targets_are_one_edge() -> None:
    graph = build_graph(_story({"a": ["b", "b"], "b": []}))
    assert graph.successors["a"] == ("b",)
    assert graph.on_cycle == frozenset()


def test_a_long_chain_needs_no_recursion() -> None:
    count = 50_000
    edges = {f"s{i}": [f"s{i + 1}"] for i in range(count)}
    edges[f"s{count}"] = ["s0"]  # one cycle through every scene
    graph = build_graph(_story(edges, start="s0"))
    assert len(graph.on_cycle) == count + 1
    assert graph.reaches_ending == frozenset()


def test_once_choices_of_scenes_never_entered_again_are_forgotten() -> None:
    # a chain where every scene has two once-only ways on: without forgetting,
    # every subset of the taken choices would be its own state
    count = 200
    edges = {f"s{i}": [f"s{i + 1}", f"s{min(i + 2, count)}"] for i in range(count)}
    edges[f"s{count}"] = []
    seen = explore(_story(edges, start="s0", once=True), max_states=10_000)
    assert seen.complete and seen.states == count + 1
    # in a loop they are kept: taking "to a" hides it on the next visit
    looped = explore(_story({"a": ["a", "b"], "b": []}, once=True))
    # a; a with "to a" taken; b (reached from both, where the flag no longer matters)
    assert looped.states == 3 and looped.softlocks == {}
    assert ("a", 0) in looped.offered and ("a", 1) in looped.offered


def _old_build_graph(story: Story) -> tuple[dict[str, tuple[str, ...]], set[str], set[str],
                                            set[str], dict[str, int]]:
    """The graph as it was built before scenes were numbered: dicts and sets
    keyed by id, the reference the numbered walks must agree with."""
    scenes = story.scenes
    successors: dict[str, tuple[str, ...]] = {}
    predecessors: dict[str, list[str]] = {}
    for sid, scene in scenes.items():
        targets = tuple(dict.fromkeys(c.target for c in scene.choices if c.target in scenes))
        successors[sid] = targets
        for target in targets:
            predecessors.setdefault(target, []).append(sid)
    reachable = reachable_from([story.start] if story.start in scenes else [], successors)
    endings = [sid for sid, scene in scenes.items() if scene.is_ending]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycle: set[str] = set()
    completed: dict[str, int] = {}
    components = 0
    for root in successors:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = successors.get(node, ())
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                completed.update((member, components) for member in component)
                components += 1
                if len(component) > 1 or node in targets:
                    cycle.update(component)
    level = {sid: components - 1 - c for sid, c in completed.items()}
    return successors, reachable, reachable_from(endings, predecessors), cycle, level


@pytest.mark.parametrize("seed", range(40))
def test_the_numbered_graph_is_the_graph_of_ids(seed: int) -> None:
    """Random graphs (cycles, self-loops, duplicate and missing targets,
    unreachable parts, several endings or none): the same answers, the same
    component levels, as the walks over ids."""
    rng = random.Random(seed)
    count = rng.randint(1, 60)
    names = [f"n{i}" for i in rng.sample(range(1000), count)]
    edges = {name: [rng.choice([*names, "missing"]) for _ in range(rng.choice([0, 1, 2, 2, 3, 5]))]
             for name in names}
    story = _story(edges, start=rng.choice([*names, "nowhere"]))
    graph = build_graph(story)
    successors, reachable, reaches_ending, cycle, level = _old_build_graph(story)
    assert {sid: graph.successors[sid] for sid in names} == successors
    assert list(graph.successors) == names and len(graph.successors) == count
    assert graph.reachable == reachable
    assert graph.reaches_ending == reaches_ending
    assert graph.on_cycle == cycle
    assert graph.level == level


def test_the_sets_of_ids_behave_as_sets() -> None:
    graph = build_graph(_story({"a": ["b"], "b": [], "c": ["a"]}))
    reachable = graph.reachable
    assert "a" in reachable and "b" in reachable
    assert "c" not in reachable and "nowhere" not in reachable and 3 not in reachable
    assert list(reachable) == ["a", "b"] and len(reachable) == 2
    assert reachable == {"a", "b"} and reachable != {"a"}
    assert reachable | {"x"} == {"a", "b", "x"} and isinstance(reachable & {"a"}, frozenset)
    assert reachable - graph.reaches_ending == set()
    assert graph.reaches_ending == {"a", "b", "c"}


@pytest.fixture
def components_found(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each time the components are worked out: the number of scenes."""
    calls: list[int] = []
    real = graph_module._components

    def counted(successors: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
        calls.append(len(successors))
        return real(successors)

    monkeypatch.setattr(graph_module, "_components", counted)
    return calls


def test_the_components_are_found_only_when_asked(components_found: list[int]) -> None:
    """The rules without the exploration never need them (Tarjan's walk is a
    tenth of the graph's cost); the exploration does, once."""
    story = _story({"a": ["b", "a"], "b": []}, once=True)
    graph = build_graph(story)
    assert graph.reachable == {"a", "b"} and components_found == []
    assert graph.on_cycle == {"a"} and graph.level["a"] < graph.level["b"]
    assert components_found == [2]
    explore(story, max_states=100, graph=graph)
    assert components_found == [2]  # the exploration used the components already found


def test_lint_without_the_exploration_never_finds_the_components(
        components_found: list[int]) -> None:
    folder = Path(__file__).resolve().parent.parent / "scenes" / "tutorial"
    lint_story(folder, "tutorial", LintOptions(Decider(ignore=("X",))))
    assert components_found == []
    lint_story(folder, "tutorial", LintOptions())
    assert len(components_found) == 1
