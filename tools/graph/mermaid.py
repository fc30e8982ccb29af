"""The graph as a Mermaid flowchart (GitHub and many editors draw it in Markdown).

Scene ids are prefixed (``s_``) because Mermaid reserves words such as ``end``.
"""

from __future__ import annotations

from carnet.tools.graph.model import Graph, Node

CANON = "#c0392b"


def text(value: str) -> str:
    """A Mermaid quoted label: quotes and markup characters as entity codes."""
    out = value.replace("#", "#35;").replace('"', "#quot;")
    out = out.replace("<", "#lt;").replace(">", "#gt;").replace("|", "#124;")
    return '"' + " ".join(out.split()) + '"'


def node_id(scene: str) -> str:
    return f"s_{scene}"


def node_line(node: Node) -> str:
    if node.ending is not None:
        return f"{node_id(node.id)}([{text(f'{node.id}: {node.ending}')}])"
    return f"{node_id(node.id)}[{text(node.id)}]"


def to_mermaid(graph: Graph) -> str:
    lines = ["flowchart TD", f"  %% {' '.join(graph.title.split())}"]
    lines += ["  " + node_line(n) for n in graph.nodes if not n.draft]
    drafts = [n for n in graph.nodes if n.draft]
    if drafts:
        lines.append('  subgraph drafts ["drafts"]')
        lines += ["    " + node_line(n) for n in drafts]
        lines.append("  end")
    canon_links = []
    for number, edge in enumerate(graph.edges):
        arrow = "-.->" if edge.condition is not None and not edge.canon else "-->"
        label = f"|{text(edge.label)}|" if edge.label else ""
        lines.append(f"  {node_id(edge.source)} {arrow}{label} {node_id(edge.target)}")
        if edge.canon:
            canon_links.append(str(number))
    lines.append(f"  classDef canon stroke:{CANON},stroke-width:3px")
    lines.append("  classDef ending fill:#eef2fb")
    lines.append("  classDef draft stroke-dasharray:5 5,color:#666")
    for name, members in (
        ("ending", [n for n in graph.nodes if n.kind == "ending"]),
        ("draft", [n for n in graph.nodes if n.draft]),
        ("canon", [n for n in graph.nodes if n.canon]),
    ):
        if members:
            lines.append(f"  class {','.join(node_id(n.id) for n in members)} {name}")
    if canon_links:
        lines.append(f"  linkStyle {','.join(canon_links)} stroke:{CANON},stroke-width:3px")
    return "\n".join(lines) + "\n"
