"""The scene graph: reachability both ways and cycles, on stories built in memory."""

from __future__ import annotations

from carnet.engine.model import Choice, Scene, Story
from carnet.tools.lint.explore import explore
from carnet.tools.lint.graph import build_graph


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
