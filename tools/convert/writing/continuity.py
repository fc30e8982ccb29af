"""What the story's own text takes for granted, and where an alternative may rejoin it.

The definitions (the writer uses them to place rejoins, and
``tests/test_convert_continuity.py`` checks every path of every corpus story
against them):

- the *cast* is every character but the protagonist, and every place;
- the canonical text *introduces* a member in the first paragraph that
  mentions it (its ``first_paragraph``);
- a canonical scene showing paragraphs ``[a, b)`` *presupposes* every member
  mentioned in them whose first mention comes before ``a``;
- a path *knows* a member once a scene on it has shown it, until an
  alternative whose meaning is sending them away or avoiding them (template
  key ``away: true``) is taken.

An alternative taken at choice point ``i`` replaces the canonical text up to
some later choice point ``j``, whose choices it then offers. That is sound
when everything the rest of the story presupposes from before ``j`` is known
on the alternative's path: the members introduced before ``i``'s boundary, less
the one it sends away. :func:`rejoin_point` finds the first such ``j``; when
there is none, the alternative ends the story on its own.

Pure functions of a :class:`Reading`; nothing here knows any particular story.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import attrs

from carnet.tools.convert.analysis import Character, Place, Reading


def members(reading: Reading) -> list[Character | Place]:
    """Every character and place of a reading (the protagonist included)."""
    return [*reading.characters, *reading.places]


@attrs.frozen
class Cast:
    """Where each cast member is first met and last mentioned, by paragraph."""

    first: dict[str, int]  # member id -> first paragraph that mentions it
    last: dict[str, int]  # member id -> last paragraph that mentions (or names) it


def cast_of(reading: Reading, protagonist: str | None,
            named: Sequence[tuple[str | None, int]] = ()) -> Cast:
    """The cast of a reading; ``named`` adds ``(member, paragraph)`` uses beyond
    the text's mentions (a choice point's subject, named by its choices)."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for member in members(reading):
        if member.id == protagonist:
            continue
        paragraphs = [m.paragraph for m in member.mentions]
        first[member.id] = min([member.first_paragraph, *paragraphs])
        last[member.id] = max([member.first_paragraph, *paragraphs])
    for key, paragraph in named:
        if key is not None and key in last:
            last[key] = max(last[key], paragraph)
    return Cast(first, last)


class Rejoins:
    """Where the alternative at each choice point may rejoin the story.

    ``boundaries[k]`` is choice point ``k``'s boundary (increasing). For each
    point, the latest first paragraph among the members needed from there on
    is computed once (a sweep with a heap), so a story of any length costs
    about (points + cast) x log(cast), plus a search per alternative that
    jumps over every point needing more than it knows.
    """

    def __init__(self, cast: Cast, boundaries: Sequence[int]) -> None:
        self._cast = cast
        self._boundaries = tuple(boundaries)
        order = sorted(cast.first, key=lambda m: (cast.first[m], m))
        heap: list[tuple[int, str]] = []
        latest: list[int] = []
        added = 0
        for limit in self._boundaries:
            while added < len(order) and cast.first[order[added]] < limit:
                member = order[added]
                heapq.heappush(heap, (-cast.first[member], member))
                added += 1
            latest.append(self._latest_needed(heap, limit))
        self._latest = latest
        # _lower[t]: the next point after t whose need is smaller (len when none); every
        # point in between needs at least as much as t, so a search can jump over them.
        lower = [len(latest)] * len(latest)
        stack: list[int] = []
        for target, value in enumerate(latest):
            while stack and latest[stack[-1]] > value:
                lower[stack.pop()] = target
            stack.append(target)
        self._lower = lower

    def _latest_needed(self, heap: list[tuple[int, str]], limit: int) -> int:
        """The latest first paragraph among members still mentioned at ``limit`` or after.

        A member whose last mention is before ``limit`` is never needed again
        (limits only grow): it is dropped when it comes to the top."""
        while heap and self._cast.last[heap[0][1]] < limit:
            heapq.heappop(heap)
        return -heap[0][0] if heap else -1

    def needed(self, member: str, target: int) -> bool:
        """Whether the story from choice point ``target`` on presupposes ``member``."""
        first = self._cast.first.get(member)
        limit = self._boundaries[target]
        return first is not None and first < limit <= self._cast.last[member]

    def point(self, index: int, away: str | None) -> int | None:
        """The first choice point after ``index`` where its alternative may rejoin, or None.

        ``away`` is the member the alternative sends away or avoids, if any.
        """
        start = self._boundaries[index]
        count = len(self._boundaries)
        target = index + 1
        while target < count:
            if self._latest[target] >= start:
                target = self._lower[target]
            elif away is not None and self.needed(away, target):
                target += 1
            else:
                return target
        return None
