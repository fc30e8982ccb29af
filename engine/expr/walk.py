"""Traversals of expression trees, and the names a tree reads.

All of them use an explicit stack, so even a hand-built tree far deeper than
the parser allows never hits Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterator

from carnet.engine.expr.nodes import Binary, Effect, Lit, Node, Unary, Var, Visits


def children(node: Node) -> tuple[Node, ...]:
    """A node's direct operands, left to right."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node, pre-order: a node, then its left side, then its right side."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def postorder(node: Node) -> Iterator[Node]:
    """Every node, post-order: both sides before the node itself."""
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        if expanded or isinstance(current, (Lit, Var, Visits)):
            yield current
            continue
        stack.append((current, True))
        stack.extend((child, False) for child in reversed(children(current)))


def start_offset(node: Node) -> int:
    """Offset of the node's first token (a Binary's own ``pos`` is its operator)."""
    while isinstance(node, Binary):
        node = node.left
    return node.pos


def variables_read(node: Node) -> frozenset[str]:
    """Names of the variables the tree reads."""
    return frozenset(n.name for n in walk(node) if isinstance(n, Var))


def scenes_read(node: Node) -> frozenset[str]:
    """Scene ids named in ``visits(...)``."""
    return frozenset(n.scene for n in walk(node) if isinstance(n, Visits))


def effect_reads(effect: Effect) -> frozenset[str]:
    """Variables an effect reads: its value's, plus its target for ``+=``/``-=``."""
    names = variables_read(effect.value)
    return names | {effect.var} if effect.op != "=" else names
