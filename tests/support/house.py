"""A small story ("The Test House") for the player tests, written into a
temporary folder, and a :class:`~carnet.engine.repl.commands.Game` on it with
its saves in that folder too."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from carnet.engine.cli import build_parser
from carnet.engine.loader import load_story
from carnet.engine.model import Story
from carnet.engine.repl.commands import Game
from carnet.engine.session import Session
from carnet.engine.userdata import UserData

STORY = """\
carnet: 1
title: The Test House
start: hall
vars:
  key: false
  coins: 2
  name: "you"
scenes:
  hall:
    text: |
      A hall, {name}. "Hello," says the clerk, "and welcome."

      A second paragraph.
    choices:
      - text: Take the key
        to: hall
        once: true
        do: [key = true]
      - text: Open the door
        to: garden
        if: key
      - text: Talk to the clerk
        to: clerk
      - text: Take the stairs
        to: attic
  clerk:
    text: The clerk nods.
    choices:
      - text: '"Goodbye."'
        to: hall
      - text: Pay the clerk
        to: hall
        if: coins > 5
  attic:
    text: Dust.
    end: The attic
  garden:
    text: Light.
    end: The garden
"""


def write_story(root: Path, text: str = STORY, name: str = "house") -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def load(folder: Path) -> Story:
    result = load_story(folder)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


def store_in(tmp_path: Path) -> UserData:
    """The player's files under ``tmp_path/data``."""
    return UserData(tmp_path / "data", tmp_path / "data" / "saves")


def make_game(tmp_path: Path, *, debug: bool = False, text: str = STORY) -> Game:
    story = load(write_story(tmp_path / "stories", text))
    store = UserData(tmp_path / "data", tmp_path / "data" / "saves")
    return Game.start(Session.start(story), store, debug=debug)


def parse_play(*argv: str) -> argparse.Namespace:
    """``carnet play ARGV...`` as the CLI parses it."""
    return build_parser("play").parse_args(["play", *argv])
