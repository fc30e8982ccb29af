"""The stories shipped with carnet, one folder each (package data)."""
