"""`carnet new`: a new story folder that lints clean, plays and passes `carnet test`."""
