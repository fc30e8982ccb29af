"""The JSON line protocol for programs that drive the engine.

One JSON object per line on stdout for every step; choices are read as
numbers, one per line, from stdin (or taken from `--choices`/`--canon`).
See docs/json-protocol.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from carnet.engine.plain import MAX_TURNS, Script, shown
from carnet.engine.session import TURN_ERRORS, Session, SessionError, choice_number
from carnet.engine.text import json_safe

PROTOCOL_VERSION = 1


def scene_message(session: Session) -> dict[str, Any]:
    return {
        "type": "scene",
        "turn": session.state.turn,
        "scene": session.state.scene,
        "text": list(session.text()),
        "choices": [
            {"number": o.number, "text": session.option_text(o), "canon": o.choice.canon}
            for o in session.options()
        ],
        "ending": session.ending,
    }


class JsonPlayer:
    def __init__(self, session: Session, out: TextIO) -> None:
        self.session = session
        self.out = out

    def send(self, message: dict[str, Any]) -> None:
        self.out.write(json_safe(json.dumps(message, ensure_ascii=False, sort_keys=True)) + "\n")
        self.out.flush()

    def error(self, message: str) -> None:
        self.send({"type": "error", "message": message})

    def run(self, script: Script, lines: Iterator[str] | None) -> int:
        story = self.session.story
        self.send({"type": "story", "protocol": PROTOCOL_VERSION, "id": story.id,
                   "title": story.title})
        self.send(scene_message(self.session))
        steps = iter(script.numbers) if script.numbers is not None else None
        while not self.session.over and self.session.state.turn < MAX_TURNS:
            if script.canon:
                try:
                    self.session.choose_canon()
                except SessionError as err:
                    self.error(str(err))
                    return 1
            elif steps is not None:
                number = next(steps, None)
                if number is None:
                    return 0
                try:
                    self.session.choose(number)
                except SessionError as err:
                    self.error(str(err))
                    return 2
            else:
                assert lines is not None
                line = next(lines, None)
                if line is None:
                    return 0
                answer = line.strip()
                number = choice_number(answer)
                if number is None:
                    self.error(f"{shown(answer)} is not a choice here: send a choice number")
                    continue
                before = self.session.snapshot()
                try:
                    self.session.choose(number)
                except TURN_ERRORS as err:
                    self.session.restore(*before)
                    self.error(str(err))
                    continue
            self.send(scene_message(self.session))
        return 0
