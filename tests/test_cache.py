"""The compiled-story cache: never stale, never trusted when damaged, written whole."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from carnet.engine import cache, compiled
from carnet.engine.loader import LoadResult, load_story
from carnet.engine.model import LazyScenes, Story
from tests.storyfiles import HEADER, write_story

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "story.yaml": HEADER + "description: A story to cache.\n"
    "vars:\n  coins: 0\n  name: \"you\"\nscenes:\n"
    "  a:\n    text: |\n      Hello, {name}.\n\n      Second paragraph.\n"
    "    on_enter: [coins += 1]\n    choices:\n"
    "      - {text: Go on, to: b, if: 'coins > 0 and visits(a) < 3', do: [coins -= 1]}\n"
    "      - {text: Stay, to: a, once: true, canon: true}\n",
    "more/b.yaml": "scenes:\n  b:\n    text: The end.\n    end: Done\n    noqa: [T301]\n",
}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CARNET_CACHE_DIR", str(folder))
    return folder


def warm(folder: Path) -> LoadResult:
    return load_story(folder, display="story", cache=True)


def entry(store: Path) -> Path:
    (found,) = store.glob(f"*{cache.SUFFIX}")
    return found


def same(one: Story, two: Story) -> None:
    assert list(one.scenes) == list(two.scenes)
    assert all(one.scenes[sid] == two.scenes[sid] for sid in one.scenes)
    for sid in one.scenes:  # and what is kept out of equality: the compiled text
        a, b = one.scenes[sid], two.scenes[sid]
        assert (a.text, a.revisit) == (b.text, b.revisit)
        assert [c.template for c in a.choices] == [c.template for c in b.choices]
    assert (one.id, one.title, one.start, one.fingerprint, one.source, one.description) == (
        two.id, two.title, two.start, two.fingerprint, two.source, two.description)
    assert one.description
    assert dict(one.variables) == dict(two.variables)


def test_a_second_load_comes_from_the_cache_and_equals_a_load_from_the_files(
        tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    first = warm(folder)
    assert first.story is not None and not isinstance(first.story.scenes, LazyScenes)
    second = warm(folder)
    assert second.story is not None and isinstance(second.story.scenes, LazyScenes)
    same(load_story(folder, display="story").story, second.story)  # type: ignore[arg-type]
    assert entry(store).name == f"{second.story.fingerprint}-{compiled.FORMAT}{cache.SUFFIX}"


def test_positions_still_work_for_a_story_from_the_cache(tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    warm(folder)
    result = warm(folder)
    assert isinstance(result.story.scenes, LazyScenes)  # type: ignore[union-attr]
    pos = result.source_map.scene("b", "end")
    assert pos is not None and (pos.path, pos.line, pos.col) == ("story/more/b.yaml", 4, 10)
    start = result.source_map.story("start")
    assert start is not None and (start.line, start.col) == (3, 8)


def test_editing_one_file_is_seen_at_once(tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    warm(folder)
    (folder / "more" / "b.yaml").write_text(
        FILES["more/b.yaml"].replace("The end.", "A new end."), encoding="utf-8")
    result = warm(folder)
    assert result.story is not None
    assert result.story.scenes["b"].paragraphs == ("A new end.",)
    assert len(list(store.glob(f"*{cache.SUFFIX}"))) == 2  # the old entry is simply unused


def test_renaming_a_file_is_a_different_story(tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    one = warm(folder).story
    (folder / "more" / "b.yaml").rename(folder / "more" / "c.yaml")
    two = warm(folder).story
    assert one is not None and two is not None and one.fingerprint != two.fingerprint


def test_an_error_in_the_files_is_reported_not_served_from_the_cache(
        tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    warm(folder)
    (folder / "more" / "b.yaml").write_text("scenes:\n  b:\n    text: {x: 1}\n",
                                           encoding="utf-8")
    result = warm(folder)
    assert result.story is None and [d.code for d in result.diagnostics] == ["E004"]


def damage_and_reload(tmp_path: Path, store: Path, damage: object) -> None:
    folder = write_story(tmp_path, FILES)
    good = warm(folder).story
    assert good is not None
    path = cache.entry_path(compiled.entry_key(good.fingerprint), store)
    damage(path)  # type: ignore[operator]
    result = warm(folder)  # never a traceback: a load from the files
    assert result.story is not None and not isinstance(result.story.scenes, LazyScenes)
    same(good, result.story)  # type: ignore[arg-type]
    repaired = warm(folder).story  # and the entry was written again
    assert repaired is not None and isinstance(repaired.scenes, LazyScenes)
    same(good, repaired)  # type: ignore[arg-type]


def flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x55
    path.write_bytes(bytes(data))


def test_a_corrupt_entry_falls_back_and_is_repaired(tmp_path: Path, store: Path) -> None:
    damage_and_reload(tmp_path, store, flip_last_byte)


def test_a_truncated_entry_falls_back_and_is_repaired(tmp_path: Path, store: Path) -> None:
    damage_and_reload(tmp_path, store,
                      lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]))


@pytest.mark.parametrize("content", [
    b"", b"\x00" * 100, b"carnet-compiled 1\n", b"not a cache at all\n{}",
    b"carnet-compiled 1 x y z 5\n{}",
])
def test_a_foreign_entry_falls_back_and_is_repaired(
        tmp_path: Path, store: Path, content: bytes) -> None:
    damage_and_reload(tmp_path, store, lambda path: path.write_bytes(content))


def test_another_storys_entry_under_this_name_is_not_used(tmp_path: Path, store: Path) -> None:
    other = write_story(tmp_path / "other", {"story.yaml": HEADER + "scenes:\n  a:\n"
                                             "    text: Other.\n    end: E\n"})
    warm(other)
    theirs = entry(store).read_bytes()
    damage_and_reload(tmp_path, store, lambda path: path.write_bytes(theirs))


def test_an_entry_with_a_forged_digest_is_refused() -> None:
    data = bytearray(b"carnet-compiled 1 " + compiled.SCHEMA.encode() + b" f " + b"0" * 64
                     + b" 2\n{}")
    with pytest.raises(compiled.CompiledError):
        compiled.decode(bytes(data), "s", "f")


def test_a_folder_where_the_entry_should_be_is_ignored(tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    fingerprint = load_story(folder).story.fingerprint  # type: ignore[union-attr]
    cache.entry_path(fingerprint, store).mkdir(parents=True)
    result = warm(folder)
    assert result.story is not None  # loaded from the files; the entry could not be written


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CARNET_CACHE_DIR", str(blocker / "cache"))
    folder = write_story(tmp_path, FILES)
    assert warm(folder).story is not None and warm(folder).story is not None


def test_concurrent_writers_leave_a_whole_entry(tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    data = (ROOT / "tests" / "test_cache.py").read_bytes() * 50  # any bytes, large enough
    seen: list[bytes | None] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.append(cache.read_entry("f" * 64, store))

    watcher = threading.Thread(target=reader)
    watcher.start()
    writers = [threading.Thread(target=cache.write_entry, args=("f" * 64, data, store))
               for _ in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stop.set()
    watcher.join()
    assert cache.read_entry("f" * 64, store) == data
    assert all(found in (None, data) for found in seen)  # never half a file
    assert not list(store.glob(".tmp-*"))
    # and whole processes loading the same story at once
    code = ("import sys; from carnet.engine.loader import load_story; "
            "r = load_story(sys.argv[1], cache=True); assert r.ok")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT,
                             env={**os.environ, "CARNET_CACHE_DIR": str(store)})
            for _ in range(4)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0, 0]
    result = warm(folder)
    assert result.story is not None and isinstance(result.story.scenes, LazyScenes)


def test_the_folder_is_bounded_and_stale_temporary_files_go(store: Path) -> None:
    for i in range(5):
        assert cache.write_entry(f"{i:064x}", b"x" * 1000, store)
        os.utime(cache.entry_path(f"{i:064x}", store), (1000 + i, 1000 + i))
    stale = store / f".tmp-dead{cache.SUFFIX}"
    stale.write_bytes(b"half")
    os.utime(stale, (1000, 1000))
    cache.prune(store, max_bytes=10**9, max_entries=3)
    left = sorted(p.name[:64] for p in store.glob(f"*{cache.SUFFIX}"))
    assert left == [f"{i:064x}" for i in (2, 3, 4)]  # the three used last
    cache.prune(store, max_bytes=2500, max_entries=10)
    assert len(list(store.glob(f"*{cache.SUFFIX}"))) == 2


def test_the_cache_folder_follows_xdg_and_can_be_overridden(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CARNET_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "carnet" / "stories"
    monkeypatch.setenv("CARNET_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


def test_play_uses_the_cache_unless_told_not_to(tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    env = {**os.environ, "CARNET_CACHE_DIR": str(store)}
    play = [sys.executable, "-m", "carnet", "play", str(folder), "--plain", "--choices", "2"]
    done = subprocess.run([*play, "--no-cache"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, check=False)
    assert "Hello, you." in done.stdout
    assert not store.exists() or not list(store.glob(f"*{cache.SUFFIX}"))
    for _ in range(2):
        done = subprocess.run(play, env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, check=False)
        assert "Hello, you." in done.stdout and "Traceback" not in done.stderr
    assert len(list(store.glob(f"*{cache.SUFFIX}"))) == 1


def test_the_entry_is_json_after_its_header(tmp_path: Path, store: Path) -> None:
    import json

    folder = write_story(tmp_path, FILES)
    warm(folder)
    data = entry(store).read_bytes()
    header, rest = data.split(b"\n", 1)
    magic, _, _, _, _, length = header.split(b" ")
    assert magic == b"carnet-compiled"
    index = json.loads(rest[: int(length)])
    assert index["scene_ids"] == ["a", "b"] and index["files"] == ["story.yaml", "more/b.yaml"]


def test_a_file_name_that_is_not_utf8_is_cached_and_found_again(
        tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    (folder / "more" / "b.yaml").rename(folder / os.fsdecode(b"caf\xe9.yaml"))
    first = warm(folder)
    assert first.story is not None and first.diagnostics == ()
    second = warm(folder)
    assert second.story is not None and isinstance(second.story.scenes, LazyScenes)
    assert second.story.scenes["b"].ending == "Done"


def test_a_story_from_the_cache_lists_its_endings_without_building_other_scenes(
        tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    cold = warm(folder).story
    story = warm(folder).story
    assert cold is not None and story is not None and isinstance(story.scenes, LazyScenes)
    assert [s.id for s in story.endings] == [s.id for s in cold.endings] == ["b"]
    assert set(story.scenes._built) == {"b"}  # scene "a" is still encoded


TRICKY = {
    "story.yaml": HEADER + "description: Tricky text.\n"
    "vars:\n  lit: false\n  n: 0\n  name: \"Wren\"\nscenes:\n"
    "  a:\n    text:\n"
    "      - \"Plain, and long enough to be written once: {{braces}} kept.\"\n"
    "      - if: lit\n        text: |\n          Lit, {name}, for sure and for certain.\n\n\n\n"
    "          \n          Second lit paragraph, also long.\n"
    "        else: Dark, {name}.\n"
    "    revisit: \"  Back again, {if n > 1: late | else: early}, and long enough.\"\n"
    "    noqa: [T301, G102]\n"
    "    choices:\n"
    "      - {text: A choice text that is long, to: a, do: [n += 1, lit = true]}\n"
    "      - {text: A choice text that is long, to: b, if: 'visits(a) > 1', do: [n += 1]}\n"
    "  b:\n    text: |\n      The end, {name}.\n\n      Truly the end of it all.\n    end: Done\n",
}


def test_the_compact_entry_gives_back_every_part_of_the_model(
        tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, TRICKY)
    cold = warm(folder).story
    story = warm(folder).story
    assert cold is not None and story is not None and isinstance(story.scenes, LazyScenes)
    assert cold.scenes["a"].noqa == story.scenes["a"].noqa == frozenset({"T301", "G102"})
    same(cold, story)
    a, b = story.scenes["a"], story.scenes["b"]
    assert a.text[1].path == ("text", 1)  # a tuple that starts with a string, then an integer
    names = [(name, at) for block in a.text for text in block.paragraphs
             if not isinstance(text, str) for name, at in text.names]
    assert names == [(n, at) for block in cold.scenes["a"].text for t in block.paragraphs
                     if not isinstance(t, str) for n, at in t.names]
    # the source of a compiled text is its whole YAML string, blank lines and all
    template = b.text[0].paragraphs[0]
    assert not isinstance(template, str)
    assert template.source == "The end, {name}.\n\nTruly the end of it all.\n"
    assert b.text[0].paragraphs[1] is b.paragraphs[1]  # read back as one shared string
    lit = a.text[1].paragraphs[0]
    assert not isinstance(lit, str) and "\n\n\n\n" in lit.source


def test_one_changed_byte_anywhere_after_the_header_is_refused(
        tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, TRICKY)
    story = warm(folder).story
    assert story is not None
    data = cache.entry_path(compiled.entry_key(story.fingerprint), store).read_bytes()
    start = data.index(b"\n") + 1
    for at in range(start, len(data), max(1, (len(data) - start) // 40)):
        damaged = bytearray(data)
        damaged[at] ^= 0x01
        with pytest.raises(compiled.CompiledError):
            compiled.decode(bytes(damaged), "story", story.fingerprint)
    with pytest.raises(compiled.CompiledError):  # one byte more
        compiled.decode(data + b" ", "story", story.fingerprint)
    assert compiled.decode(data, "story", story.fingerprint).story.title == "T"


def test_an_entry_of_the_previous_format_is_ignored(tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    story = warm(folder).story
    assert story is not None
    path = cache.entry_path(compiled.entry_key(story.fingerprint), store)
    header, rest = path.read_bytes().split(b"\n", 1)
    fields = header.split(b" ")
    fields[1] = str(int(compiled.FORMAT) - 1).encode()
    with pytest.raises(compiled.CompiledError, match="another carnet"):
        compiled.decode(b" ".join(fields) + b"\n" + rest, "story", story.fingerprint)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_among_the_story_files_is_refused_not_waited_on(
        tmp_path: Path, store: Path) -> None:
    folder = write_story(tmp_path, FILES)
    warm(folder)
    os.mkfifo(folder / "more" / "pipe.yaml")  # nobody writes to it: reading would block
    result = warm(folder)
    assert result.story is None
    assert [(d.path, d.code) for d in result.diagnostics] == [("story/more/pipe.yaml", "E001")]


def test_carnets_of_two_formats_keep_an_entry_each(
        tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older and a newer carnet sharing one cache folder: neither replaces
    the other's entry, so each loads warm after its own first load."""
    folder = write_story(tmp_path, FILES)
    warm(folder)
    ours, format_ = entry(store), compiled.FORMAT
    monkeypatch.setattr(compiled, "FORMAT", str(int(format_) + 1))
    first = warm(folder).story
    assert first is not None and not isinstance(first.scenes, LazyScenes)  # not ours to read
    again = warm(folder).story
    assert again is not None and isinstance(again.scenes, LazyScenes)  # its own entry
    monkeypatch.setattr(compiled, "FORMAT", format_)
    assert sorted(p.name for p in store.glob(f"*{cache.SUFFIX}")) == sorted(
        [ours.name, ours.name.replace(f"-{format_}.", f"-{int(format_) + 1}.")])
    mine = warm(folder).story
    assert mine is not None and isinstance(mine.scenes, LazyScenes)  # still there for us
