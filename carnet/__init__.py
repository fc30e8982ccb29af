"""carnet: prose stories in, playable branching stories out.

The installed package is `carnet` and nothing else. Its parts live in the
repository's top-level folders, linked here so that every tool (pip, pytest,
mypy, an editor) sees one namespace:

- `carnet.engine` (`engine/`): the runtime (model, loader, state machine, saves, players, CLI);
- `carnet.tools` (`tools/`): the authoring tools (converter, lint);
- `carnet.scenes` (`scenes/`): the shipped stories, as package data.
"""

from carnet.engine import __version__

__all__ = ["__version__"]
