"""The graph as Graphviz dot: the canonical path in red, endings on the last
rank, drafts dashed in a box of their own, conditions written on the edges."""

from __future__ import annotations

from carnet.tools.graph.model import Edge, Graph, Node

CANON = "#c0392b"
FONT = "Helvetica"


def quote(text: str) -> str:
    """A dot double-quoted string: backslash, quote and line breaks escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + body.replace("\r", "").replace("\n", "\\n") + '"'


def _attrs(pairs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{key}={value}" for key, value in pairs.items()) + "]"


def node_line(node: Node) -> str:
    label = node.id if node.ending is None else f"{node.id}\n{node.ending}"
    pairs = {"label": quote(label)}
    if node.kind == "ending":
        pairs["shape"] = "doubleoctagon"
        pairs["style"] = '"filled"'
        pairs["fillcolor"] = '"#eef2fb"'
    styles = ["rounded"] if node.kind == "scene" else ["filled"]
    if node.draft:
        styles.append("dashed")
        pairs["color"] = "gray50"
        pairs["fontcolor"] = "gray40"
    if node.start:
        styles.append("bold")
    pairs["style"] = quote(",".join(styles))
    if node.canon:
        pairs["color"] = quote(CANON)
        pairs["penwidth"] = "2"
    return f"  {quote(node.id)} {_attrs(pairs)};"


def edge_line(edge: Edge) -> str:
    pairs: dict[str, str] = {}
    if edge.label:
        pairs["label"] = quote(edge.label)
    if edge.canon:
        pairs["color"] = quote(CANON)
        pairs["penwidth"] = "2.5"
    elif edge.condition is not None:
        pairs["style"] = "dashed"
    tail = f" {_attrs(pairs)}" if pairs else ""
    return f"  {quote(edge.source)} -> {quote(edge.target)}{tail};"


def to_dot(graph: Graph) -> str:
    lines = [
        f"digraph {quote(graph.id)} {{",
        f"  graph [label={quote(graph.title)}, labelloc=t, fontname={quote(FONT)}, "
        "fontsize=18];",
        f"  node [shape=box, fontname={quote(FONT)}, fontsize=11];",
        f"  edge [fontname={quote(FONT)}, fontsize=9];",
    ]
    drafts = [n for n in graph.nodes if n.draft]
    lines += [node_line(n) for n in graph.nodes if not n.draft]
    if drafts:
        lines.append('  subgraph "cluster_drafts" {')
        lines.append('    label="drafts"; style=dashed; color=gray50; fontcolor=gray40;')
        lines += ["  " + node_line(n) for n in drafts]
        lines.append("  }")
    endings = [n for n in graph.nodes if n.kind == "ending" and not n.draft]
    if endings:
        lines.append("  { rank=sink; " + " ".join(quote(n.id) + ";" for n in endings) + " }")
    lines += [edge_line(e) for e in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
