"""Extra keys: F1 runs `help`, F2 runs `look`. Ctrl-C and Ctrl-D are
prompt_toolkit's own (they end the prompt with KeyboardInterrupt/EOFError)."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

KEY_COMMANDS: dict[str, str] = {"f1": "help", "f2": "look"}


def key_bindings() -> KeyBindings:
    bindings = KeyBindings()
    for key, command in KEY_COMMANDS.items():
        bindings.add(key)(submit(command))
    return bindings


def submit(command: str) -> Callable[[KeyPressEvent], None]:
    """A key handler that replaces the line by ``command`` and submits it."""

    def handler(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        buffer.text = command
        buffer.validate_and_handle()

    return handler
