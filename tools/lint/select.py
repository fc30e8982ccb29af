"""Which codes are reported: ``--select`` and ``--ignore`` by code or prefix.

Like flake8's DecisionEngine, the longest matching prefix decides: a code is
on when the longest ``--select`` prefix that matches it is longer than the
longest ``--ignore`` prefix that matches it (a tie is off). With no
``--select`` every code is selected by the empty prefix, so
``--ignore G1 --select G102`` reports G102 and no other G1xx.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

_PREFIX = re.compile(r"[A-Z]{1,3}[0-9]{0,4}\Z")


class BadCode(ValueError):
    """A ``--select``/``--ignore`` value that is not a code or a prefix."""


def parse_codes(values: Iterable[str]) -> tuple[str, ...]:
    """``["G1,V201", "X"]`` -> ``("G1", "V201", "X")``; raises :class:`BadCode`."""
    codes: list[str] = []
    for value in values:
        for part in value.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not _PREFIX.match(code):
                raise BadCode(f"{part.strip()!r} is not a lint code or prefix (like G102 or G1)")
            codes.append(code)
    return tuple(codes)


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix matching ``code``, or -1 when none does."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


@attrs.frozen
class Decider:
    """Decides whether a code is reported."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def enabled(self, code: str) -> bool:
        selected = _longest(code, self.select) if self.select else 0
        if selected < 0:
            return False
        return selected > _longest(code, self.ignore)
