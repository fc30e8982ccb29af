"""carnet's runtime: the story model, the loader, the state machine and the players."""

__version__ = "0.1.0"
