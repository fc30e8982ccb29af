"""From the command line's STORY arguments to story folders.

A STORY is what `carnet lint` takes (a story folder, a folder of them, or
the id of a story from `carnet list`), resolved by lint's
:func:`~carnet.tools.lint.targets.resolve_targets`; the stories are kept in
the order given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from carnet.tools.lint.targets import TargetError, resolve_targets

__all__ = ["TargetError", "story_targets"]


def story_targets(names: Sequence[str]) -> list[tuple[Path, str]]:
    """(folder, display) for each story named, each once, in order.

    Raises :class:`TargetError` for a name that is neither a path nor a known id.
    """
    found: dict[Path, tuple[Path, str]] = {}
    for batch in [[name] for name in names] or [[]]:  # none: lint's default, scenes/
        for target in resolve_targets(batch).targets:
            found.setdefault(target.folder.resolve(), (target.folder, target.display))
    return list(found.values())
