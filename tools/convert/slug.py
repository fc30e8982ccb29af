"""ASCII identifiers made from text: scene ids, variable names, story ids."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into an ASCII base letter.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)
_APOSTROPHES = re.compile(r"(?<=[a-z0-9])['’](?=[a-z])")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

FALLBACK = "x"
"""The slug of text that has no letters or digits at all."""


def slugify(text: str, sep: str = "_", *, max_length: int = 40) -> str:
    """``"Café au Lait"`` -> ``"cafe_au_lait"``; ``"Don't"`` -> ``"dont"``.

    The result is ASCII ``[a-z0-9]`` words joined by ``sep``, starts with a
    letter (``x`` is put in front of a leading digit, and is the whole result
    when the text has no letters or digits) and is at most ``max_length``
    characters, cut at a word boundary when possible.
    """
    if sep not in ("_", "-"):
        raise ValueError(f"slug separator must be '_' or '-', not {sep!r}")
    folded = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = _APOSTROPHES.sub("", ascii_text)
    words = [w for w in _NOT_ALNUM.split(ascii_text) if w]
    if not words:
        return FALLBACK
    if words[0][0].isdigit():
        words.insert(0, FALLBACK)
    slug = sep.join(words)
    if len(slug) > max_length:
        cut = slug.rfind(sep, 0, max_length + 1)
        slug = slug[:cut] if cut > 0 else slug[:max_length]
    return slug


def unique_id(base: str, taken: dict[str, int]) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not yet in ``taken``.

    ``taken`` maps every id handed out so far to the last suffix tried for it;
    the new id is recorded in it.
    """
    if base not in taken:
        taken[base] = 1
        return base
    count = taken[base]
    while True:
        count += 1
        candidate = f"{base}_{count}"
        if candidate not in taken:
            taken[base] = count
            taken[candidate] = 1
            return candidate
