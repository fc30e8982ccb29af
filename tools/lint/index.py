"""What each scene reads and writes, found in one pass over the story.

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

from collections.abc import Iterator

import attrs

from carnet.engine.expr.nodes import Binary, Effect, Lit, Node, Unary, Var, Visits
from carnet.engine.model import Scene, Story
from carnet.engine.template import Text

_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">="})
_NONE: frozenset[str] = frozenset()

VisitUse = tuple[str, "int | None"]  # a visits(scene), with the constant it is compared with
_NO_VISITS: frozenset[VisitUse] = frozenset()


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


def walk_facts(root: Node) -> Facts:
    """The facts of one tree, in one walk (an explicit stack: no recursion limit)."""
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
    return Facts(frozenset(variables), frozenset(uses), nodes)


def _template(template: Text, roots: list[Node], names: set[str]) -> None:
    if isinstance(template, str):  # text with nothing to fill in reads nothing
        return
    if template.names:
        names.update(name for name, _ in template.names)
    if template.conditions:
        roots.extend(expression.root for expression, _ in template.conditions)


def scene_parts(scene: Scene, names: set[str]) -> tuple[list[Node], list[Effect]]:
    """In one pass over the scene: every expression evaluated in it (the
    conditions in its texts, revisit and choices' texts included, and each
    choice's condition; not the effects' values) and its effects
    (``on_enter``, then each choice's); adds the ``{name}`` of its texts to
    ``names``."""
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
    for choice in scene.choices:
        _template(choice.template, roots, names)
        if choice.condition is not None:
            roots.append(choice.condition.root)
        effects.extend(choice.effects)
    return roots, effects


class StoryIndex:
    """Each scene's :class:`SceneUse`, each expression tree's :class:`Facts`,
    and ``names``: every ``{name}`` in the story's texts.

    Built once for a story (:meth:`of`); read-only afterwards, except that
    :meth:`facts` remembers a tree it had not seen.
    """

    __slots__ = ("_facts", "_sets", "names", "scenes")

    def __init__(self) -> None:
        self.scenes: dict[str, SceneUse] = {}
        self.names: frozenset[str] = _NONE
        # by id() of the tree; the tree is kept with its facts, so an id is
        # never mistaken for that of a later tree
        self._facts: dict[int, tuple[Node, Facts]] = {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}

    @classmethod
    def of(cls, story: Story) -> StoryIndex:
        index = cls()
        names: set[str] = set()
        # scenes made of the same trees and effects (the same objects: the
        # loader shares them) have the same use; the story keeps them alive
        # meanwhile, so their ids stand for them
        made: dict[tuple[int | None, ...], SceneUse] = {}
        for sid, scene in story.scenes.items():
            roots, effects = scene_parts(scene, names)
            key = (*map(id, roots), None, *map(id, effects))
            use = made.get(key)
            if use is None:
                use = made[key] = index._scene(roots, effects)
            index.scenes[sid] = use
        index.names = frozenset(names)
        return index

    def facts(self, root: Node) -> Facts:
        """The facts of the tree ``root``, walked the first time only."""
        known = self._facts.get(id(root))
        if known is not None and known[0] is root:
            return known[1]
        found = walk_facts(root)
        self._facts[id(root)] = (root, found)
        return found

    def distinct(self) -> Iterator[SceneUse]:
        """Each different :class:`SceneUse` of the story, once."""
        return iter({id(use): use for use in self.scenes.values()}.values())

    def _shared(self, names: set[str]) -> frozenset[str]:
        """``names`` as a set, the same object for equal sets."""
        found = frozenset(names)
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
            self._shared({e.var for e in effects}),
            frozenset(visit_uses) if visit_uses else _NO_VISITS)
