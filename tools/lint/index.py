"""What each scene reads and writes, found in one walk of the story.

The rules and the exploration all need to know which variables and which
``visits(...)`` each scene's expressions read. The loader shares one parsed
tree between every place that writes the same expression, so each distinct
tree is walked once here (its :class:`Facts` are kept by identity), and each
scene's :class:`SceneUse` is the union of its trees' facts. Equal sets are
kept once, so a big story whose scenes read the same few variables costs a
few sets, not one per scene.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import attrs

from carnet.engine.expr.nodes import Binary, Effect, Lit, Node, Unary, Var, Visits
from carnet.engine.model import Scene, Story
from carnet.engine.template import Template

_T = TypeVar("_T")
_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">="})
_NONE: frozenset[str] = frozenset()

VisitUse = tuple[str, "int | None"]  # a visits(scene), with the constant it is compared with


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
    """What one scene reads and writes.

    ``reads``: variables in its expressions (choices' conditions, conditions in
    its texts, effect values); ``names``: the ``{name}`` in its texts;
    ``updates``: targets of ``+=``/``-=`` (read to make the new value);
    ``writes``: targets of its effects (``on_enter`` and choices');
    ``visits``: scenes named in ``visits(...)`` in its expressions, and
    ``visit_uses`` each with what it is compared with (see :class:`Facts`).
    """

    reads: frozenset[str] = _NONE
    names: frozenset[str] = _NONE
    updates: frozenset[str] = _NONE
    writes: frozenset[str] = _NONE
    visits: frozenset[str] = _NONE
    visit_uses: frozenset[VisitUse] = frozenset()


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


def scene_expressions(scene: Scene) -> Iterator[Node]:
    """Every expression evaluated in ``scene``: the conditions in its texts
    (revisit and choices' texts included), its ``on_enter`` values, then each
    choice's condition and effect values."""
    for condition in scene.text_conditions():
        yield condition.expression.root
    for effect in scene.on_enter:
        yield effect.value
    for choice in scene.choices:
        if choice.condition is not None:
            yield choice.condition.root
        for effect in choice.effects:
            yield effect.value


def scene_templates(scene: Scene) -> Iterator[Template]:
    """Every compiled text of the scene: its text's and revisit text's
    paragraphs (every branch), then its choices' texts (what
    :meth:`Scene.text_variables` reads the ``{name}`` of)."""
    for blocks in (scene.text, scene.revisit or ()):
        for block in blocks:
            yield from block.paragraphs
            yield from block.otherwise
    for choice in scene.choices:
        yield choice.template


def scene_effects(scene: Scene) -> Iterator[Effect]:
    """The scene's ``on_enter`` effects, then each choice's."""
    yield from scene.on_enter
    for choice in scene.choices:
        yield from choice.effects


class StoryIndex:
    """Each scene's :class:`SceneUse`, and each expression tree's :class:`Facts`.

    Built once for a story (:meth:`of`); read-only afterwards, except that
    :meth:`facts` remembers a tree it had not seen. Equal :class:`SceneUse`
    (and equal sets inside them) are one object.
    """

    __slots__ = ("_facts", "_shared", "scenes")

    def __init__(self) -> None:
        self.scenes: dict[str, SceneUse] = {}
        # by id() of the tree; the tree is kept with its facts, so an id is
        # never mistaken for that of a later tree
        self._facts: dict[int, tuple[Node, Facts]] = {}
        self._shared: dict[object, object] = {}

    @classmethod
    def of(cls, story: Story) -> StoryIndex:
        index = cls()
        for sid, scene in story.scenes.items():
            index.scenes[sid] = index._scene(scene)
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

    def _one(self, value: _T) -> _T:
        """``value``, or the equal value seen before."""
        return self._shared.setdefault(value, value)  # type: ignore[return-value]

    def _scene(self, scene: Scene) -> SceneUse:
        reads: set[str] = set()
        visit_uses: set[VisitUse] = set()
        for root in scene_expressions(scene):
            facts = self.facts(root)
            reads |= facts.variables
            visit_uses |= facts.visit_uses
        names = {name for template in scene_templates(scene) for name, _ in template.names}
        effects = list(scene_effects(scene))
        one = self._one
        return one(SceneUse(
            one(frozenset(reads)), one(frozenset(names)),
            one(frozenset(e.var for e in effects if e.op != "=")),
            one(frozenset(e.var for e in effects)),
            one(frozenset(sid for sid, _ in visit_uses)), one(frozenset(visit_uses))))
