"""Text that follows the state, parsed once at load time and rendered per turn.

Scene and choice text may hold ``{name}`` (a variable's value) and inline
conditionals::

    The square is {if fountain_lit: bright with lamplight | else: all shadow}.

with any number of ``| elif EXPR: TEXT`` branches. ``{{`` is a literal ``{``
everywhere; ``}}`` is a literal ``}`` outside a conditional (inside one, ``}``
always closes it, so nested conditionals may end in ``}}``). A ``|`` at the
top of a conditional separates branches. A conditional ends in the paragraph
it starts in.

A scene's ``text`` (and ``revisit``) is a sequence of :class:`Block`: a group
of paragraphs shown always, or shown when a condition holds (with an optional
``else``). :func:`render_blocks` returns the paragraphs to show; a paragraph
that renders blank (every part of it conditional and off) is dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import TypeAlias, Union

import attrs

from carnet.engine.expr import ExprError, parse_expression
from carnet.engine.expr.fast import fast_evaluate
from carnet.engine.expr.nodes import Expression, Value
from carnet.engine.text import format_value

MAX_NESTING = 8

_IF = re.compile(r"\{if(?=[\s:}|{]|\Z)[ \t\n]*")
_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ELSE = re.compile(r"else[ \t\n]*:")
_ELIF = re.compile(r"elif(?=[\s(])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_SPACE = " \t\n"
_SPECIAL = re.compile(r"[{}|]")  # the characters that mean something in text


@attrs.frozen
class VarRef:
    """``{name}``: the variable's value."""

    name: str


@attrs.frozen
class Branch:
    """One branch of an inline conditional; ``condition`` is ``None`` for ``else``."""

    condition: Expression | None
    parts: tuple[Part, ...]


@attrs.frozen
class Conditional:
    """``{if A: x | elif B: y | else: z}``: the first branch whose condition holds."""

    branches: tuple[Branch, ...]


Part: TypeAlias = Union[str, VarRef, Conditional]  # noqa: UP007 - a runtime alias on 3.10

# one ``VarRef`` (and one name string) for every ``{name}`` of the same variable
_var_ref = functools.lru_cache(maxsize=4096)(VarRef)


@attrs.frozen
class Template:
    """One paragraph, or one choice's text, compiled.

    ``source`` is the whole YAML string the text came from and ``path`` where
    that string is in its scene (``("text",)``, ``("text", 2, "else")``,
    ``("choices", 0, "text")``), so tools can place a problem: ``names`` and
    ``conditions`` give each ``{name}`` and each inline condition with its
    0-based offset in ``source``.
    """

    parts: tuple[Part, ...]
    source: str = ""
    path: tuple[str | int, ...] = ()
    names: tuple[tuple[str, int], ...] = ()
    conditions: tuple[tuple[Expression, int], ...] = ()

    @property
    def plain(self) -> str | None:
        """The text itself when it has nothing to fill in."""
        if not self.parts:
            return ""
        first = self.parts[0]
        return first if len(self.parts) == 1 and isinstance(first, str) else None


Text: TypeAlias = Union[str, Template]  # noqa: UP007 - a runtime alias on 3.10
"""A paragraph or a choice's text, compiled: text with nothing to fill in is
its own template (a plain ``str``, shared with the source paragraph), any
other text a :class:`Template`."""


@attrs.frozen
class Block:
    """Paragraphs shown always (``condition`` is None), or when ``condition``
    holds, else ``otherwise``. ``path`` is where the block is in its scene:
    ``("text",)`` for a plain string, ``("text", 1)`` for an item of a list."""

    paragraphs: tuple[Text, ...]
    condition: Expression | None = None
    otherwise: tuple[Text, ...] = ()
    path: tuple[str | int, ...] = ()


@attrs.frozen
class TextCondition:
    """A condition in a scene's text: ``expression`` sits at character ``offset``
    of the YAML string ``source``, found at key ``path`` inside the scene."""

    expression: Expression
    path: tuple[str | int, ...]
    source: str
    offset: int


class TemplateError(Exception):
    """A syntax error in text; ``offset`` is 0-based in the YAML string.
    ``code`` is the loader's: E009 inside a condition, E007 elsewhere."""

    def __init__(self, message: str, offset: int, hint: str | None = None,
                 code: str = "E007") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint
        self.code = code


# --- parsing ------------------------------------------------------------------


def paragraph_spans(text: str) -> list[tuple[int, str]]:
    """The paragraphs of ``text`` (split at blank lines) with their offsets,
    like :func:`carnet.engine.text.split_paragraphs`."""
    spans: list[tuple[int, str]] = []
    start = 0
    for match in _BLANK_LINE.finditer(text):
        _span(text, start, match.start(), spans)
        start = match.end()
    _span(text, start, len(text), spans)
    return spans


def _span(text: str, start: int, end: int, spans: list[tuple[int, str]]) -> None:
    piece = text[start:end]
    if piece.isspace() or not piece:
        return
    stripped = piece.lstrip("\n")
    start += len(piece) - len(stripped)
    spans.append((start, stripped.rstrip("\n")))


class _Parser:
    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.base = base  # offset of ``text`` in the YAML string
        self.i = 0
        self.names: list[tuple[str, int]] = []
        self.conditions: list[tuple[Expression, int]] = []

    def fail(self, message: str, at: int, hint: str | None = None,
             code: str = "E007") -> TemplateError:
        return TemplateError(message, self.base + at, hint, code)

    def parts(self, depth: int) -> list[Part]:
        """Parts up to the end (depth 0) or up to this conditional's ``|`` or ``}``."""
        text = self.text
        parts: list[Part] = []
        literal: list[str] = []
        n = len(text)
        special = _SPECIAL.search
        while self.i < n:
            i = self.i
            found = special(text, i)
            if found is None or found.start() > i:  # a run of plain text, in one piece
                end = n if found is None else found.start()
                literal.append(text[i:end])
                self.i = end
                continue
            ch = text[i]
            if ch == "{":
                if text.startswith("{{", i):
                    literal.append("{")
                    self.i += 2
                    continue
                if _IF.match(text, i):
                    _flush(parts, literal)
                    parts.append(self.conditional(depth + 1))
                    continue
                var = _VAR.match(text, i)
                if var is None:
                    raise self.fail(f"stray {_token(text, i)!r} in text", i,
                                    "write {{ and }} for literal braces, {name} for a variable, "
                                    "{if CONDITION: text} for conditional text")
                _flush(parts, literal)
                ref = _var_ref(var.group(1))
                parts.append(ref)
                self.names.append((ref.name, self.base + i + 1))
                self.i = var.end()
            elif ch == "}":
                if depth:
                    break
                if not text.startswith("}}", i):
                    raise self.fail("stray '}' in text", i,
                                    "write }} for a literal brace")
                literal.append("}")
                self.i += 2
            elif depth:  # a '|'
                break
            else:
                literal.append(ch)
                self.i += 1
        _flush(parts, literal)
        return parts

    def conditional(self, depth: int) -> Conditional:
        start = self.i
        if depth > MAX_NESTING:
            raise self.fail(f"conditional text nested more than {MAX_NESTING} deep", start)
        self.i = _IF.match(self.text, start).end()  # type: ignore[union-attr]
        condition: Expression | None = self.condition(start)
        branches: list[Branch] = []
        while True:
            self.skip_space()
            parts = self.parts(depth)
            _trim_end(parts)
            branches.append(Branch(condition, tuple(parts)))
            if self.i >= len(self.text):
                raise self.fail("'{if' is not closed", start,
                                "end it with '}'; a conditional ends in the paragraph it starts "
                                "in (for a conditional paragraph, use a list item "
                                "'- {if: CONDITION, text: ...}')")
            if self.text[self.i] == "}":
                self.i += 1
                return Conditional(tuple(branches))
            bar = self.i  # a '|'
            if condition is None:
                raise self.fail("nothing can follow the 'else' branch", bar,
                                "'else:' is the last branch; a literal '|' cannot appear "
                                "inside conditional text")
            self.i += 1
            self.skip_space()
            if _ELIF.match(self.text, self.i):
                self.i += 4
                condition = self.condition(bar)
            elif (match := _ELSE.match(self.text, self.i)) is not None:
                self.i = match.end()
                condition = None
            else:
                raise self.fail("expected 'elif CONDITION:' or 'else:' after '|'", self.i,
                                "branches are separated by '|'; a literal '|' cannot appear "
                                "inside conditional text")

    def condition(self, opened: int) -> Expression:
        """The expression up to the first ``:`` outside quotes."""
        text, start = self.text, self.i
        quote: str | None = None
        i = start
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\":
                    i += 1
                elif ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch in ":{}|":
                break
            i += 1
        if i >= len(text) or text[i] != ":":
            raise self.fail("expected ':' after the condition", min(i, len(text)),
                            "write {if CONDITION: text | else: other text}", "E009")
        raw = text[start:i]
        source = raw.strip()
        if not source:
            raise self.fail("the condition is empty", start, "write {if CONDITION: text}", "E009")
        offset = self.base + start + (len(raw) - len(raw.lstrip()))
        try:
            expression = parse_expression(source)
        except ExprError as err:
            raise TemplateError(err.message, offset + err.offset, err.hint, "E009") from None
        self.conditions.append((expression, offset))
        self.i = i + 1
        return expression

    def skip_space(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in _SPACE:
            self.i += 1


def _token(text: str, at: int) -> str:
    """A stray ``{``, or the ``{...}`` it opens when that holds no other brace."""
    end = text.find("}", at)
    inner = text[at + 1:end] if end >= 0 else "{"
    if end < 0 or "{" in inner or "\n" in inner:
        return "{"
    return text[at:end + 1] if end - at < 20 else text[at:at + 20]


def _flush(parts: list[Part], literal: list[str]) -> None:
    if literal:
        parts.append("".join(literal))
        literal.clear()


def _trim_end(parts: list[Part]) -> None:
    if parts and isinstance(parts[-1], str):
        trimmed = parts[-1].rstrip(_SPACE)
        if trimmed:
            parts[-1] = trimmed
        else:
            parts.pop()


def parse_template(text: str, *, source: str | None = None, base: int = 0,
                   path: tuple[str | int, ...] = ()) -> Template:
    """Compile one paragraph (or a choice's text) found at ``base`` in ``source``.

    Raises :class:`TemplateError` (with the offset in ``source``) on the first
    syntax error; names and conditions are not checked here.
    """
    whole = text if source is None else source
    if "{" not in text and "}" not in text:
        return Template((text,) if text else (), whole, path)
    parser = _Parser(text, base)
    parts = parser.parts(0)
    return Template(tuple(parts), whole, path, tuple(parser.names), tuple(parser.conditions))


def compile_text(text: str, *, source: str | None = None, base: int = 0,
                 path: tuple[str | int, ...] = ()) -> Text:
    """Like :func:`parse_template`, but text with no brace is returned as it
    is: a plain string is its own template (no object, no copy)."""
    if "{" not in text and "}" not in text:
        return text
    return parse_template(text, source=source, base=base, path=path)


def literal_template(text: str) -> Text:
    """A template for text built outside the loader: parsed when it can be,
    else shown as written (the loader is what reports bad text)."""
    try:
        return compile_text(text)
    except TemplateError:
        return text


TEXT_PATH: tuple[str | int, ...] = ("text",)
"""The path of a scene's ``text`` when it is one string (shared by every such block)."""


def plain_blocks(paragraphs: tuple[str, ...]) -> tuple[Block, ...]:
    """Blocks for paragraphs given as strings (outside the loader)."""
    if not paragraphs:
        return ()
    return (Block(tuple(literal_template(p) for p in paragraphs), path=TEXT_PATH),)


def parts_of(text: Text) -> tuple[Part, ...]:
    """The parts of compiled text (a plain string is one part, or none if empty)."""
    if text.__class__ is str:
        return (text,) if text else ()
    return text.parts  # type: ignore[union-attr]


# --- rendering ------------------------------------------------------------------


def render(template: Text, variables: Mapping[str, Value],
           visits: Mapping[str, int]) -> str:
    if template.__class__ is str:
        return template
    parts = template.parts  # type: ignore[union-attr]
    if len(parts) == 1 and parts[0].__class__ is str:
        return parts[0]
    out: list[str] = []
    _render(parts, variables, visits, out)
    return "".join(out)


def _render(parts: tuple[Part, ...], variables: Mapping[str, Value],
            visits: Mapping[str, int], out: list[str]) -> None:
    for part in parts:
        kind = part.__class__
        if kind is str:
            out.append(part)  # type: ignore[arg-type]
        elif kind is VarRef:
            name = part.name  # type: ignore[union-attr]
            value = variables.get(name)
            out.append("{" + name + "}" if value is None else format_value(value))
        else:
            for branch in part.branches:  # type: ignore[union-attr]
                if branch.condition is None or fast_evaluate(branch.condition.root, variables,
                                                             visits) is True:
                    _render(branch.parts, variables, visits, out)
                    break


def render_blocks(blocks: tuple[Block, ...], variables: Mapping[str, Value],
                  visits: Mapping[str, int]) -> tuple[str, ...]:
    """The paragraphs to show, blank ones dropped."""
    shown: list[str] = []
    for block in blocks:
        chosen = block.paragraphs
        if block.condition is not None and fast_evaluate(block.condition.root, variables,
                                                         visits) is not True:
            chosen = block.otherwise
        for template in chosen:
            if template.__class__ is str:
                if template:  # a paragraph is never blank, but may be empty outside the loader
                    shown.append(template)
                continue
            parts = template.parts  # type: ignore[union-attr]
            if len(parts) == 1 and parts[0].__class__ is str:
                shown.append(parts[0])  # never blank
                continue
            text = render(template, variables, visits)
            if text and not text.isspace():
                shown.append(text)
    return tuple(shown)


def block_conditions(blocks: tuple[Block, ...]) -> Iterator[TextCondition]:
    """Every condition in ``blocks``: a block's own, then those inside its text."""
    for block in blocks:
        if block.condition is not None:
            yield TextCondition(block.condition, (*block.path, "if"), block.condition.source, 0)
        for template in (*block.paragraphs, *block.otherwise):
            yield from template_conditions(template)


def template_conditions(template: Text) -> Iterator[TextCondition]:
    if isinstance(template, str):
        return
    for expression, offset in template.conditions:
        yield TextCondition(expression, template.path, template.source, offset)
