"""`carnet export`: a story as Twee 3 for Twine 2, with SugarCube 2 macros."""
