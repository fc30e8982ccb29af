"""The tutorial story (scenes/tutorial): well formed, complete, and using every feature.

The first half reads the raw YAML, so it holds whatever the engine does; the
second half loads the story with the engine and explores every playthrough.
"""

from __future__ import annotations

import importlib
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from carnet.engine.loader import story_files

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "scenes" / "tutorial"
KEYWORDS = {"and", "or", "not", "true", "false", "visits"}
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
VISITS = re.compile(r"\bvisits\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EFFECT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=|\+=|-=)\s*(.+)$")
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
# The condition of an inline {if COND: ...} or | elif COND: (none of the
# tutorial's conditions holds a colon).
INLINE_CONDITION = re.compile(r"(?:\{if|\|\s*elif)\s+([^:]*):")


def _files() -> dict[str, Any]:
    return {
        str(p.relative_to(FOLDER)): yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in story_files(FOLDER)
    }


FILES = _files()
META = FILES["story.yaml"]
SCENES: dict[str, dict[str, Any]] = {}
for _data in FILES.values():
    for _sid, _scene in _data.get("scenes", {}).items():
        assert _sid not in SCENES, f"scene {_sid} defined twice"
        SCENES[_sid] = _scene
VARS: dict[str, Any] = META["vars"]


def _choices() -> Iterator[tuple[str, dict[str, Any]]]:
    for sid, scene in SCENES.items():
        for choice in scene.get("choices", []):
            yield sid, choice


def _effects() -> Iterator[str]:
    for scene in SCENES.values():
        yield from scene.get("on_enter", [])
    for _, choice in _choices():
        yield from choice.get("do", [])


def _names_in(expr: str) -> set[str]:
    """Variables an expression reads (a crude scan: strings and visits() removed)."""
    bare = VISITS.sub(" ", STRING.sub(" ", expr))
    return {n for n in NAME.findall(bare) if n not in KEYWORDS}


def _placeholders(text: str) -> set[str]:
    return {m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) is not None}


def _paragraph_texts(text: str | list[Any]) -> Iterator[str]:
    """The strings of a ``text``/``revisit``: itself, or its list's items."""
    if isinstance(text, str):
        yield text
        return
    for item in text:
        if isinstance(item, str):
            yield item
        else:
            yield item["text"]
            if "else" in item:
                yield item["else"]


def _scene_texts(scene: dict[str, Any]) -> Iterator[str]:
    yield from _paragraph_texts(scene["text"])
    if "revisit" in scene:
        yield from _paragraph_texts(scene["revisit"])


def _scene_text(scene: dict[str, Any]) -> str:
    return "\n\n".join(_scene_texts(scene))


def _texts() -> Iterator[str]:
    for scene in SCENES.values():
        yield from _scene_texts(scene)
    for _, choice in _choices():
        yield choice["text"]


def _text_conditions() -> Iterator[str]:
    """Conditions in text: inline ones, and those of conditional paragraphs."""
    for text in _texts():
        yield from INLINE_CONDITION.findall(text)
    for scene in SCENES.values():
        for key in ("text", "revisit"):
            if isinstance(scene.get(key), list):
                yield from (item["if"] for item in scene[key] if isinstance(item, dict))


# --- shape ---------------------------------------------------------------------------------


def test_metadata() -> None:
    assert META["carnet"] == 1
    assert META["title"] == "The Lamplighter's Round"
    assert META["start"] in SCENES


def test_several_files_and_only_story_yaml_has_metadata() -> None:
    assert len(FILES) >= 2
    assert any("/" in name for name in FILES)  # a branch in a subfolder
    for name, data in FILES.items():
        if name != "story.yaml":
            assert set(data) == {"scenes"}, name


def test_size_is_a_short_play() -> None:
    assert 10 <= len(SCENES) <= 16
    words = sum(len(t.split()) for t in _texts())
    assert 1200 <= words <= 4000  # a 5-10 minute play reads a fraction of it


def test_every_scene_has_choices_xor_an_ending() -> None:
    for sid, scene in SCENES.items():
        assert ("choices" in scene) != ("end" in scene), sid
        assert _scene_text(scene).strip(), sid


def test_at_least_three_labelled_endings() -> None:
    labels = [s["end"] for s in SCENES.values() if "end" in s]
    assert len(labels) >= 3
    assert all(isinstance(x, str) and x.strip() for x in labels)
    assert len(set(labels)) == len(labels)


def test_every_target_exists() -> None:
    for sid, choice in _choices():
        assert choice["to"] in SCENES, (sid, choice["to"])


def test_no_two_choices_read_the_same_in_a_scene() -> None:
    for sid, scene in SCENES.items():
        texts = [c["text"] for c in scene.get("choices", [])]
        assert len(set(texts)) == len(texts), sid


def test_one_canon_choice_per_scene_with_choices() -> None:
    with_choices = [s for s in SCENES.values() if "choices" in s]
    canon_counts = [sum(bool(c.get("canon")) for c in s["choices"]) for s in with_choices]
    assert max(canon_counts) == 1
    assert canon_counts.count(1) == len(with_choices)


def test_every_scene_reachable_and_no_traps_ignoring_conditions() -> None:
    edges = {sid: {c["to"] for c in s.get("choices", [])} for sid, s in SCENES.items()}
    seen = {META["start"]}
    queue = deque(seen)
    while queue:
        for nxt in edges[queue.popleft()] - seen:
            seen.add(nxt)
            queue.append(nxt)
    assert seen == set(SCENES)
    can_end = {sid for sid, s in SCENES.items() if "end" in s}
    changed = True
    while changed:
        grown = {sid for sid, targets in edges.items() if targets & can_end}
        changed = not grown <= can_end
        can_end |= grown
    assert can_end == set(SCENES)


# --- variables ---------------------------------------------------------------------------


def test_variables_of_all_three_types() -> None:
    kinds = {type(v).__name__ for v in VARS.values()}
    assert kinds == {"bool", "int", "str"}


def test_every_variable_used_is_declared_and_every_scene_named_exists() -> None:
    used: set[str] = set()
    for _, choice in _choices():
        if "if" in choice:
            used |= _names_in(choice["if"])
            assert set(VISITS.findall(choice["if"])) <= set(SCENES)
    for effect in _effects():
        match = EFFECT.match(effect)
        assert match, effect
        used |= {match.group(1)} | _names_in(match.group(3))
    for text in _texts():
        used |= _placeholders(text)
    for condition in _text_conditions():
        used |= _names_in(condition)
        assert set(VISITS.findall(condition)) <= set(SCENES)
    assert used <= set(VARS)


def test_every_variable_is_written_and_read() -> None:
    written = {EFFECT.match(e).group(1) for e in _effects()}  # type: ignore[union-attr]
    read: set[str] = set()
    for _, choice in _choices():
        read |= _names_in(choice.get("if", ""))
    for text in _texts():
        read |= _placeholders(text)
    for condition in _text_conditions():
        read |= _names_in(condition)
    assert written == set(VARS)
    assert read == set(VARS)


# --- every feature of the format ---------------------------------------------------------


def test_uses_every_effect_operator_and_on_enter() -> None:
    ops = {EFFECT.match(e).group(2) for e in _effects()}  # type: ignore[union-attr]
    assert ops == {"=", "+=", "-="}
    assert any("on_enter" in s for s in SCENES.values())


def test_uses_conditions_once_and_visits() -> None:
    conditions = [c["if"] for _, c in _choices() if "if" in c]
    assert len(conditions) >= 3
    assert any(VISITS.search(c) for c in conditions)
    assert any(c.get("once") for _, c in _choices())


def test_interpolates_in_scene_and_choice_text_and_escapes_braces() -> None:
    assert any(_placeholders(_scene_text(s)) for s in SCENES.values())
    assert any(_placeholders(c["text"]) for _, c in _choices())
    assert any("{{" in _scene_text(s) and "}}" in _scene_text(s) for s in SCENES.values())


def test_text_follows_the_state_in_every_way_the_format_offers() -> None:
    assert any("revisit" in s for s in SCENES.values())
    assert any(isinstance(s["text"], list) and any(isinstance(i, dict) and "else" in i
                                                   for i in s["text"])
               for s in SCENES.values())
    inline = [t for t in _texts() if INLINE_CONDITION.search(t)]
    assert any("| elif " in t and "| else:" in t for t in inline)
    assert any(INLINE_CONDITION.search(c["text"]) for _, c in _choices())


def test_once_choices_leave_a_way_on() -> None:
    # A scene must not run out of choices when its once-only ones are used up.
    for sid, scene in SCENES.items():
        lasting = [c for c in scene.get("choices", []) if not c.get("once")]
        if "choices" in scene:
            assert lasting, sid


# --- with the engine ---------------------------------------------------------------------


def _engine() -> tuple[Any, Any]:
    loader = importlib.import_module("carnet.engine.loader")
    state = importlib.import_module("carnet.engine.state")
    return loader, state


def test_loads_without_diagnostics() -> None:
    loader, _ = _engine()
    result = loader.load_story(FOLDER)
    assert [d.format() for d in result.diagnostics] == []
    assert result.story is not None
    assert set(result.story.scenes) == set(SCENES)


def _explore() -> tuple[Any, Any, dict[Any, Any], dict[Any, set[Any]], set[tuple[str, int]]]:
    """Breadth-first over every playthrough.

    States are told apart by scene, variables, once-only choices taken and the
    visit counts of the scenes that some ``visits(...)`` reads, capped: the
    other counts never change what happens next.
    """
    loader, state_mod = _engine()
    from carnet.engine.expr import scenes_read

    story = loader.load_story(FOLDER).story
    counted: set[str] = set()
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.condition is not None:
                counted |= scenes_read(choice.condition.root)
            for effect in choice.effects:
                counted |= scenes_read(effect.value)
        for effect in scene.on_enter:
            counted |= scenes_read(effect.value)
    cap = 3  # the story compares visit counts with numbers below 3:
    for _, choice in _choices():
        if "visits" in choice.get("if", ""):
            assert all(int(n) < cap for n in re.findall(r"\b\d+\b", choice["if"]))

    def key(state: Any) -> Any:
        visits = tuple(sorted((s, min(n, cap)) for s, n in state.visits.items() if s in counted))
        return (state.scene, tuple(sorted(state.vars.items())), visits, state.once)

    first = state_mod.new_game(story)
    states = {key(first): first}
    edges: dict[Any, set[Any]] = {}
    taken: set[tuple[str, int]] = set()
    queue = deque([first])
    while queue:
        state = queue.popleft()
        here = edges.setdefault(key(state), set())
        for option in state_mod.options(story, state):
            taken.add((state.scene, option.index))
            nxt = state_mod.take(story, state, option.index)
            here.add(key(nxt))
            if key(nxt) not in states:
                states[key(nxt)] = nxt
                queue.append(nxt)
        assert len(states) < 100_000
    return story, state_mod, states, edges, taken


def test_every_scene_ending_and_choice_is_reachable_in_play() -> None:
    story, _, states, _, taken = _explore()
    assert {s.scene for s in states.values()} == set(story.scenes)
    every_choice = {(sid, i) for sid, sc in story.scenes.items() for i in range(len(sc.choices))}
    assert taken == every_choice  # so every condition holds on some path


def test_no_dead_ends_and_no_traps_in_play() -> None:
    story, state_mod, states, edges, _ = _explore()
    for k, state in states.items():
        if not story.scenes[state.scene].is_ending:
            assert state_mod.options(story, state), k
    can_end = {k for k, s in states.items() if story.scenes[s.scene].is_ending}
    grew = True
    while grew:
        more = {k for k, nxt in edges.items() if nxt & can_end} - can_end
        can_end |= more
        grew = bool(more)
    assert can_end == set(states)


def test_the_canon_line_lights_every_lamp() -> None:
    loader, state_mod = _engine()
    story = loader.load_story(FOLDER).story
    state = state_mod.new_game(story)
    while not story.scenes[state.scene].is_ending:
        index = state_mod.canon_index(story, state)
        assert index is not None, state.scene
        state = state_mod.take(story, state, index)
    assert state.scene == "all_lit"
    assert state.vars["lamps_lit"] == 3
    assert state.path == ("arrival", "lamp_house", "oil_store", "square", "bridge", "harbour",
                          "homeward", "all_lit")


def test_what_the_player_reads_after_giving_a_name() -> None:
    loader, state_mod = _engine()
    story = loader.load_story(FOLDER).story

    def pick(state: Any, text: str) -> Any:
        for option in state_mod.options(story, state):
            if state_mod.option_text(state, option) == text:
                return state_mod.take(story, state, option.index)
        offered = [state_mod.option_text(state, o) for o in state_mod.options(story, state)]
        raise AssertionError(f"{text!r} not offered in {state.scene}: {offered}")

    state = state_mod.new_game(story)
    state = pick(state, "Knock on the green door")
    assert '"Evening, apprentice," she says' in state_mod.scene_text(story, state)[1]
    state = pick(state, "Tell Maud your name")
    state = pick(state, '"Ash."')
    # back in the lamp house: Maud's return greeting, with the name
    assert state_mod.scene_text(story, state)[1].startswith(
        '"Ash. That\'s a lamplighter\'s name, that is."')
    offered = [state_mod.option_text(state, o) for o in state_mod.options(story, state)]
    assert "Tell Maud your name" not in offered
    state = pick(state, "Take a pole and go straight out to the square")
    assert "Measures of oil left: 0." in state_mod.scene_text(story, state)[1]
    state = pick(state, "Go back to the lamp house")
    state = pick(state, "Go back out to the square")  # the choice reads differently now
    state = pick(state, "Climb the clock tower")  # offered on the second visit
    state = pick(state, 'Shout "Ash!" over the rooftops and go back down')
    state = pick(state, "Take the alley down to the harbour")
    state = pick(state, "Climb the steps home")
    page = state_mod.scene_text(story, state)[1]
    assert "a blank waiting to be filled: {name}." in page
    assert "writes: Ash." in page
    state = pick(state, 'Own up: "0 out of 3. I\'ll go back out."')
    assert state.scene == "square"


def _play(numbers_by_text: list[str]) -> tuple[Any, Any, Any]:
    loader, state_mod = _engine()
    story = loader.load_story(FOLDER).story
    state = state_mod.new_game(story)
    for text in numbers_by_text:
        options = {state_mod.option_text(state, o): o for o in state_mod.options(story, state)}
        assert text in options, (state.scene, list(options))
        state = state_mod.take(story, state, options[text].index)
    return story, state_mod, state


def test_the_square_reads_lit_once_its_lamp_is_lit() -> None:
    story, state_mod, state = _play(["Knock on the green door", "Go through to the oil store",
                                     "Go out the back door"])
    first = state_mod.scene_text(story, state)[0]
    assert first.startswith("The square is all shadow")
    story, state_mod, state = _play([
        "Knock on the green door", "Go through to the oil store", "Go out the back door",
        "Light the fountain lamp, then walk down to the bridge", "Go back up to the square"])
    again = state_mod.scene_text(story, state)
    assert again[0].startswith("The square is bright with lamplight now")
    assert not any("all shadow" in p for p in again)
    assert "Lamps lit so far tonight: 1." in again[1]


def test_maud_greets_a_return_by_what_was_done() -> None:
    story, state_mod, state = _play([
        "Knock on the green door", "Go through to the oil store", "Go back to Maud by the stove"])
    page = state_mod.scene_text(story, state)
    assert not any("Evening, apprentice" in p for p in page)
    assert page[1].startswith('"Forgotten something, apprentice?"')
    story, state_mod, state = _play([
        "Knock on the green door", "Go through to the oil store", "Go out the back door",
        "Light the fountain lamp, then walk down to the bridge", "Go back up to the square",
        "Go back to the lamp house"])
    page = state_mod.scene_text(story, state)
    assert page[1].startswith('"Back already? I can see one lamp burning from my window.')


def test_endings_count_the_lamps_in_words() -> None:
    story, state_mod, state = _play(["Knock on the green door",
                                     "Leave the round to Maud and go home"])
    page = " ".join(state_mod.scene_text(story, state))
    assert "not one of them your own" in page and "0 of them" not in page
    story, state_mod, state = _play([
        "Knock on the green door", "Go through to the oil store", "Go out the back door",
        "Take the alley down to the harbour", "Step aboard the ferry"])
    page = " ".join(state_mod.scene_text(story, state))
    assert "none of them yours" in page and "0 of them" not in page
    story, state_mod, state = _play([
        "Knock on the green door", "Go through to the oil store", "Go out the back door",
        "Light the fountain lamp, then walk down to the bridge",
        "Follow the river path down to the harbour", "Step aboard the ferry"])
    assert "lights, one of them yours," in " ".join(state_mod.scene_text(story, state))
