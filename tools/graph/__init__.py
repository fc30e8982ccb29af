"""`carnet graph`: a story's scene graph as Graphviz dot, Mermaid, SVG or PNG."""
