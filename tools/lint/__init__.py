"""``carnet lint``: validates scene graphs as a compiler would."""
