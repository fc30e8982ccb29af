"""The "where do I add X" recipes of docs/architecture.md, each followed once.

Lint rules, beat kinds and save versions have theirs beside their code
(tests/test_lint_recipe.py, tests/test_convert_kinds.py, tests/test_saves.py);
the REPL command and the format key are here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from carnet.engine import loader
from carnet.engine.repl import commands
from carnet.engine.repl.commands import COMMANDS, Command, Game
from carnet.engine.repl.completion import candidates
from carnet.engine.repl.render import Line, one, plain
from tests.support.house import make_game

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 60


# -- a REPL command: an entry in COMMANDS and a method Game._NAME ------------------------
def test_every_command_has_its_method() -> None:
    for command in COMMANDS:
        if command.name != "quit":  # quit leaves through Game.leave
            assert callable(getattr(Game, f"_{command.name}", None)), command.name


class EchoGame(Game):
    def _echo(self, args: list[str], width: int) -> list[Line]:
        return [one("note", f"echo: {args[0]}")]


def test_adding_a_repl_command_is_one_entry_and_one_method(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    echo = Command("echo", "echo TEXT", "say TEXT back", 1, 1)
    monkeypatch.setattr(commands, "COMMANDS", (*COMMANDS, echo))
    monkeypatch.setattr(commands, "BY_NAME", {**commands.BY_NAME, "echo": echo})
    plain_game = make_game(tmp_path)
    game = EchoGame.start(plain_game.session, plain_game.store)

    reply = game.handle("echo hello", WIDTH)
    assert [plain(line) for line in reply.lines] == ["echo: hello"]
    shown_help = "\n".join(plain(line) for line in game.handle("help", WIDTH).lines)
    assert re.search(r"echo TEXT\s+say TEXT back", shown_help)
    assert "echo" in [c.text for c in candidates(game, "ec")]
    assert game.session.state.turn == 0  # a command is not a turn


# -- a format key: the loader's table, the schema, docs/format.md ------------------------
SCHEMA = json.loads((ROOT / "engine" / "schema" / "story.schema.json").read_text("utf-8"))
FORMAT_DOC = (ROOT / "docs" / "format.md").read_text("utf-8")
TABLES = {
    "story": loader.STORY_KEYS, "file": loader.FILE_KEYS, "scene": loader.SCENE_KEYS,
    "choice": loader.CHOICE_KEYS, "source": loader.SOURCE_KEYS,
    "extend": loader.EXTEND_KEYS, "paragraph": loader.PARAGRAPH_KEYS,
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_key_of_the_format_is_documented(table: str) -> None:
    for key in TABLES[table]:
        assert f"`{key}`" in FORMAT_DOC, f"docs/format.md does not describe the {table} key {key!r}"


def test_every_key_the_converter_writes_is_a_key_the_loader_reads(tmp_path: Path) -> None:
    from carnet.engine.cli import main

    prose = tmp_path / "the-visit.txt"
    prose.write_text(
        "The Visit\n\nAnna waited at the station. The train was late.\n\n"
        "A man in a grey coat stepped down and came towards her. \"Anna?\" he asked.\n\n"
        "She found a letter in her pocket and read it twice.\n\n"
        "She decided to go home with him.\n\nThey walked into the evening.\n",
        encoding="utf-8")
    assert main(["convert", str(prose), "-o", str(tmp_path / "out")]) == 0
    import yaml

    for path in sorted((tmp_path / "out").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        top = loader.STORY_KEYS if path.name == loader.STORY_FILE else loader.FILE_KEYS
        assert set(data) <= top, path
        for scene in (data.get("scenes") or {}).values():
            assert set(scene) <= loader.SCENE_KEYS
            for choice in scene.get("choices", ()):
                assert set(choice) <= loader.CHOICE_KEYS
