"""Everything lint needs from the story, found in one pass over it.

A big story is millions of objects spread over the heap; each walk over them
costs a cache miss or more per object, and that cost grows faster than the
story once it no longer fits in the processor's caches. So lint walks the model
once, here, and keeps what the graph, the rules and the exploration read in
compact tables numbered by scene (story order): each scene's targets, a
byte per scene for each mark a rule starts from (:data:`MARKS`), and each
scene's :class:`SceneUse`. A rule scans a mark (:func:`marked`, a search in
a byte string) and opens only the scenes it reports.

The rules and the exploration all need to know which variables and which
``visits(...)`` each scene's expressions read. The loader shares one parsed
tree between every place that writes the same expression (and one effect
between every place that writes the same effect), so each distinct tree is
walked once here (its :class:`Facts` are kept by identity), and scenes made
of the same trees and effects share one :class:`SceneUse`. A big story
whose scenes read the same few variables costs a few sets, not one per
scene.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from carnet.engine.expr.nodes import Binary, Effect, Lit, Node, Unary, Var, Visits
from carnet.engine.model import Story
from carnet.engine.template import Text

_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">="})
_NONE: frozenset[str] = frozenset()

VisitUse = tuple[str, "int | None"]  # a visits(scene), with the constant it is compared with
_NO_TARGETS: tuple[int, ...] = ()


@attrs.frozen
class Facts:
    """One expression tree, walked once."""

    variables: frozenset[str]  # names read (Var nodes)
    # each visits(...) in the tree, with the integer constant it is compared
    # with (``visits(a) < 3``: 3), or None when it is used any other way
    visit_uses: frozenset[VisitUse]
    nodes: int  # how many nodes the tree has


@attrs.frozen
class SceneUse:
    """What one scene's expressions and effects read and write.

    ``reads``: variables in its expressions (choices' conditions, conditions
    in its texts, effect values); ``updates``: targets of ``+=``/``-=`` (read
    to make the new value); ``writes``: targets of its effects (``on_enter``
    and choices'); ``visit_uses``: each ``visits(...)`` in its expressions,
    with what it is compared with (see :class:`Facts`). The ``{name}`` in
    texts are the story's :attr:`StoryIndex.names`.
    """

    reads: frozenset[str] = _NONE
    updates: frozenset[str] = _NONE
    writes: frozenset[str] = _NONE
    visit_uses: frozenset[VisitUse] = frozenset()

    @property
    def visits(self) -> frozenset[str]:
        """The scenes named in ``visits(...)`` in its expressions."""
        return frozenset(scene for scene, _ in self.visit_uses)


def _constant(node: Node) -> int | None:
    """An integer literal, or the negation of one."""
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Lit):
        value = node.operand.value
        return -value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(node, Lit) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def walk_facts(root: Node, share: Callable[[set[Any]], frozenset[Any]] = frozenset) -> Facts:
    """The facts of one tree, in one walk (an explicit stack: no recursion limit);
    ``share`` makes each set (the index gives equal sets one object)."""
    variables: set[str] = set()
    uses: set[VisitUse] = set()
    nodes = 0
    stack: list[tuple[Node, Node | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        nodes += 1
        if isinstance(node, Var):
            variables.add(node.name)
        elif isinstance(node, Visits):
            other = None
            if isinstance(parent, Binary) and parent.op in _COMPARE:
                other = _constant(parent.right if parent.left is node else parent.left)
            uses.add((node.scene, other))
        elif isinstance(node, Unary):
            stack.append((node.operand, node))
        elif isinstance(node, Binary):
            stack.append((node.right, node))
            stack.append((node.left, node))
    return Facts(share(variables), share(uses), nodes)


def _template(template: Text, roots: list[Node], names: set[str]) -> None:
    if isinstance(template, str):  # text with nothing to fill in reads nothing
        return
    if template.names:
        names.update(name for name, _ in template.names)
    if template.conditions:
        roots.extend(expression.root for expression, _ in template.conditions)


def choice_key(text: str) -> str:
    """What two choices' texts are compared by: case and spacing aside."""
    return " ".join(text.split()).casefold()


def marked(column: bytes, value: int = 1) -> Iterator[int]:
    """The numbers of the scenes whose byte in ``column`` is ``value``, in order
    (a search in C: scanning 100k scenes for the few marked costs microseconds)."""
    at = column.find(value)
    while at >= 0:
        yield at
        at = column.find(value, at + 1)


# The marks, a byte string each (1: true), numbered like StoryIndex.ids.
MARKS = (
    "choices",       # the scene has a choice
    "ending",        # the scene is an ending
    "draft",         # draft: true
    "textless",      # no paragraph of text
    "noqa",          # a noqa: list
    "blank_choice",  # a choice whose text is blank
    "same_choice",   # two choices whose texts are equal (choice_key; blank ones aside)
)

_T = TypeVar("_T")


class Numbered(Mapping[str, _T]):
    """A read-only mapping from scene id to a value kept in a list by scene number."""

    __slots__ = ("_ids", "_number", "_values")

    def __init__(self, ids: Sequence[str], number: Mapping[str, int],
                 values: Sequence[_T]) -> None:
        self._ids = ids
        self._number = number
        self._values = values

    def __getitem__(self, sid: str) -> _T:
        return self._values[self._number[sid]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class StoryIndex:
    """The story read once for lint (see the module's doc).

    ``ids`` (the scene ids in story order; a scene's number is its place
    there) and ``number``; ``targets``: each scene's distinct targets that
    exist, by number, in file order; the marks of :data:`MARKS`, a byte
    string each; ``scenes``: each scene's :class:`SceneUse`; ``names``:
    every ``{name}`` in the story's texts; and each expression tree's
    :class:`Facts` (:meth:`facts`).

    Built once for a story (:meth:`of`); read-only afterwards, except that
    :meth:`facts` remembers a tree it had not seen.
    """

    __slots__ = ("_distinct", "_facts", "_sets", "blank_choice", "choices", "draft", "ending",
                 "ids", "names", "noqa", "number", "same_choice", "scenes", "targets",
                 "textless", "uses")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.targets: list[tuple[int, ...]] = []
        self.uses: list[SceneUse] = []
        self.scenes: Mapping[str, SceneUse] = {}
        self.names: frozenset[str] = _NONE
        self.choices = self.ending = self.draft = self.textless = self.noqa = b""
        self.blank_choice = self.same_choice = b""
        self._distinct: list[SceneUse] = []
        # by id() of the tree; the tree is kept with its facts, so an id is
        # never mistaken for that of a later tree
        self._facts: dict[int, tuple[Node, Facts]] = {}
        self._sets: dict[frozenset[Any], frozenset[Any]] = {}

    @classmethod
    def of(cls, story: Story) -> StoryIndex:
        index = cls()
        ids = index.ids = list(story.scenes)
        number = index.number = dict(zip(ids, range(len(ids)), strict=True))
        find = number.get
        count = len(ids)
        has_choices, ending, draft, textless, noqa, blank, same = (
            bytearray(count) for _ in MARKS)
        names: set[str] = set()
        # scenes made of the same trees and effects (the same objects: the
        # loader shares them) have the same use; the story keeps them alive
        # meanwhile, so their ids stand for them
        made: dict[tuple[int | None, ...], SceneUse] = {}
        uses = index.uses
        every_targets = index.targets
        for i, scene in enumerate(story.scenes.values()):
            roots: list[Node] = []
            effects = list(scene.on_enter)
            for blocks in (scene.text, scene.revisit or ()):
                for block in blocks:
                    if block.condition is not None:
                        roots.append(block.condition.root)
                    for template in block.paragraphs:
                        _template(template, roots, names)
                    for template in block.otherwise:
                        _template(template, roots, names)
            targets = _NO_TARGETS
            choices = scene.choices
            if choices:
                has_choices[i] = 1
                found: list[int] = []
                keys: list[str] = []
                for choice in choices:
                    _template(choice.template, roots, names)
                    if choice.condition is not None:
                        roots.append(choice.condition.root)
                    effects.extend(choice.effects)
                    target = find(choice.target)
                    if target is not None:
                        found.append(target)
                    key = choice_key(choice.text)
                    if key:
                        keys.append(key)
                    else:
                        blank[i] = 1
                if len(set(keys)) < len(keys):
                    same[i] = 1
                targets = tuple(dict.fromkeys(found) if len(found) > 1 else found)
            every_targets.append(targets)
            key_of_use = (*map(id, roots), None, *map(id, effects))
            use = made.get(key_of_use)
            if use is None:
                use = made[key_of_use] = index._scene(roots, effects)
            uses.append(use)
            if scene.ending is not None:
                ending[i] = 1
            if scene.draft:
                draft[i] = 1
            if not scene.paragraphs:
                textless[i] = 1
            if scene.noqa:
                noqa[i] = 1
        index.choices, index.ending, index.draft, index.textless, index.noqa = (
            bytes(has_choices), bytes(ending), bytes(draft), bytes(textless), bytes(noqa))
        index.blank_choice, index.same_choice = bytes(blank), bytes(same)
        index.scenes = Numbered(ids, number, uses)
        index._distinct = list(made.values())  # a new object for each key
        index.names = frozenset(names)
        return index

    def facts(self, root: Node) -> Facts:
        """The facts of the tree ``root``, walked the first time only."""
        known = self._facts.get(id(root))
        if known is not None and known[0] is root:
            return known[1]
        found = walk_facts(root, self._shared)
        self._facts[id(root)] = (root, found)
        return found

    def distinct(self) -> Iterator[SceneUse]:
        """Each different :class:`SceneUse` of the story, once."""
        return iter(self._distinct)

    def _shared(self, items: set[Any]) -> frozenset[Any]:
        """``items`` as a set, the same object for equal sets (a big story's
        expressions read the same few variables: a few sets, not one each)."""
        found = frozenset(items)
        return self._sets.setdefault(found, found)

    def _scene(self, roots: list[Node], effects: list[Effect]) -> SceneUse:
        reads: set[str] = set()
        visit_uses: set[VisitUse] = set()
        for root in (*roots, *(effect.value for effect in effects)):
            facts = self.facts(root)
            reads |= facts.variables
            visit_uses |= facts.visit_uses
        return SceneUse(
            self._shared(reads), self._shared({e.var for e in effects if e.op != "="}),
            self._shared({e.var for e in effects}), self._shared(visit_uses))
