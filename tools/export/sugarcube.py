"""carnet expressions, effects and text as SugarCube 2 (TwineScript and markup).

Pure functions. Expressions are written with JavaScript operators and every
binary operation in parentheses, so precedence never differs from carnet's.
Story text is prose: any stretch that SugarCube would read as markup (a
``$name``, ``//``, ``''``, ``<<``, ``[[``, HTML, a line starting with ``!`` or
``*``...) is wrapped in ``<nowiki>`` so it shows exactly as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from carnet.engine.expr import postorder
from carnet.engine.expr.nodes import Binary, Effect, Expression, Lit, Node, Unary, Value, Var

_JS_OPS = {"and": "&&", "or": "||", "==": "===", "!=": "!=="}

# Sequences SugarCube's wikifier would treat as markup, and Twee's passage
# header at the start of a line.
_INLINE = (r"\$[A-Za-z_$]|_[A-Za-z$]|//|''|__|==|\^\^|~~|@@|\{\{\{|\}\}\}|<|>|\[|\]|/\*|\*/"
           r"|/%|%/|--|&[#A-Za-z0-9]+;|\"\"\"|\\$")
_MARKUP = re.compile(_INLINE)
_LINE_START = re.compile(_INLINE + r"|^\\|^[ \t]*[!*#>:|]|^-{4,}")
_NOWIKI_END = "</nowiki>"


def argument(value: str) -> str:
    """A macro argument string (``<<link "text" "passage">>``): SugarCube reads
    it as a JavaScript string literal, quotes respected, with no ``$`` rewriting."""
    return json.dumps(value, ensure_ascii=False)


def string(value: str) -> str:
    """A string literal inside a TwineScript expression: ``$``, ``<<`` and ``>>``
    escaped, so that nothing in it can be read as a variable or end the macro."""
    text = json.dumps(value, ensure_ascii=False)
    return (text.replace("$", "\\u0024").replace("<<", "\\u003c\\u003c")
            .replace(">>", "\\u003e\\u003e"))


def literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return string(value)


def variable(name: str) -> str:
    return f"${name}"


def expression(node: Node | Expression, passages: Mapping[str, str]) -> str:
    """TwineScript for a carnet expression; ``passages`` maps scene ids to passage names."""
    root = node.root if isinstance(node, Expression) else node
    done: list[str] = []
    for current in postorder(root):
        if isinstance(current, Lit):
            done.append(literal(current.value))
        elif isinstance(current, Var):
            done.append(variable(current.name))
        elif isinstance(current, Unary):
            operand = done.pop()
            done.append(f"!{operand}" if current.op == "not" else f"-{operand}")
        elif isinstance(current, Binary):
            right, left = done.pop(), done.pop()
            done.append(f"({left} {_JS_OPS.get(current.op, current.op)} {right})")
        else:  # visits(scene): how often the passage is in the story history
            done.append(f"visited({string(passages.get(current.scene, current.scene))})")
    return done[0]


def condition(node: Node | Expression, passages: Mapping[str, str]) -> str:
    """An expression for ``<<if>>``: the outer parentheses dropped."""
    text = expression(node, passages)
    return text[1:-1] if text.startswith("(") and _balanced_outer(text) else text


def _balanced_outer(text: str) -> bool:
    """Whether the first ``(`` of ``text`` closes at its last character."""
    depth, quote, escaped = 0, "", False
    for i, ch in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch == '"':
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


def effect(item: Effect, passages: Mapping[str, str]) -> str:
    """``<<set>>`` for one effect: ``=`` is SugarCube's ``to``."""
    value = condition(item.value, passages)
    op = "to" if item.op == "=" else item.op
    return f"<<set {variable(item.var)} {op} {value}>>"


def prose(text: str, line_start: bool = True) -> str:
    """Literal story text as SugarCube markup that shows exactly ``text``;
    ``line_start`` tells whether ``text`` begins a line (where ``!``, ``*``,
    ``>``... are markup too)."""
    lines = []
    for i, line in enumerate(text.split("\n")):
        pattern = _LINE_START if i or line_start else _MARKUP
        if pattern.search(line) is None:
            lines.append(line)
            continue
        safe = line.replace(_NOWIKI_END, "<" + _NOWIKI_END + "<nowiki>" + _NOWIKI_END[1:])
        lines.append(f"<nowiki>{safe}</nowiki>")
    return "\n".join(lines)


_IDENTIFIER_GOES_ON = re.compile(r"[\w$\[]|\.[\w$]")


def print_variable(name: str, after: str) -> str:
    """A variable's value in text: naked ``$name`` where SugarCube cannot read
    more into it than the name, ``<<= $name>>`` otherwise."""
    if _IDENTIFIER_GOES_ON.match(after):
        return f"<<= {variable(name)}>>"
    return variable(name)
