"""Safe YAML reading with positions kept in a side table.

PyYAML's safe loader is used (libyaml's C parser when present), with three
changes for untrusted story files:

- a duplicate mapping key is an error (PyYAML silently keeps the last one);
- anchors, aliases and merge keys are refused, so alias expansion cannot blow
  up memory in any later walk of the data;
- every mapping and sequence records where its entries are, in a table keyed
  by the container's ``id()``; the data itself stays plain dicts, lists and
  scalars.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from carnet.engine import yamlfast
from carnet.engine.files import NotReadable, read_limited
from carnet.engine.limits import MAX_FILE_BYTES, MAX_NESTING

try:  # libyaml's parser is several times faster; fall back when absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# (key line, key col, value line, value col, value scalar style), all 1-based
KeyMark = tuple[int, int, int, int, str | None]
# (line, col, scalar style)
ItemMark = tuple[int, int, str | None]
Marks = dict[int, dict[Any, KeyMark] | list[ItemMark]]

_MERGE_TAG = "tag:yaml.org,2002:merge"

# libyaml composes nodes recursively and crashes the interpreter on input
# nested some 30,000 levels deep, so nesting is bounded (MAX_NESTING) before
# composing.

_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_RUN = re.compile(r"[\[{]+|[\]}]+")


@attrs.frozen
class YamlProblem(Exception):
    """A problem found while reading YAML, at a 1-based position."""

    code: str
    message: str
    line: int
    col: int
    hint: str | None = None


@attrs.frozen
class Document:
    data: Any
    marks: Marks
    root: ItemMark
    problems: tuple[YamlProblem, ...] = ()  # found, but the rest could still be read


def _style(node: Node, text: str = "") -> str | None:
    """The scalar's style; a block scalar's is followed by its content's
    indentation (``"|6"``), so positions inside it can be given exactly."""
    if not isinstance(node, ScalarNode):
        return None
    style: str | None = node.style
    if style in ("|", ">") and text:
        start = at = text.find("\n", node.start_mark.index) + 1
        while 0 < at < len(text) and text[at] in " \n":  # blank first lines are skipped
            if text[at] == "\n":
                start = at + 1
            at += 1
        if start > 0:
            return f"{style}{at - start}"
    return style


class _StoryLoader(_BaseLoader):
    marks: Marks
    problems: list[YamlProblem]
    text: str

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            mark = node.start_mark
            raise YamlProblem(
                "E002",
                "anchors and aliases are not allowed in story files",
                mark.line + 1,
                mark.column + 1,
                "write the value out in full where it is used",
            )
        if isinstance(node, ScalarNode):
            return self.construct_scalar_checked(node)
        return super().construct_object(node, deep)

    def construct_scalar_checked(self, node: Node) -> Any:
        try:
            return super().construct_object(node, deep=True)
        except _SCALAR_ERRORS as err:
            raise _bad_scalar(node, err) from None

    def construct_undefined(self, node: Node) -> Any:
        mark = node.start_mark
        raise YamlProblem(
            "E002",
            f"the YAML tag {node.tag!r} is not allowed in story files",
            mark.line + 1,
            mark.column + 1,
            "story files hold plain strings, numbers, booleans, lists and mappings",
        )

    def _map(self, node: MappingNode) -> Any:
        if not isinstance(node, MappingNode):  # `!!map [a]`
            raise _wrong_node(node, "a mapping")
        data: dict[Any, Any] = {}
        yield data
        marks: dict[Any, KeyMark] = {}
        for key_node, value_node in node.value:
            kmark = key_node.start_mark
            if key_node.tag == _MERGE_TAG:
                raise YamlProblem(
                    "E002", "merge keys (<<) are not allowed in story files",
                    kmark.line + 1, kmark.column + 1,
                )
            key = self.construct_object(key_node, deep=True)
            try:
                seen = key in data
            except TypeError:
                raise YamlProblem(
                    "E004", "a mapping key must be a plain value, not a list or mapping",
                    kmark.line + 1, kmark.column + 1,
                ) from None
            if seen:  # keep the first, report the second, read on
                first = marks[key]
                self.problems.append(YamlProblem(
                    "E003",
                    f"duplicate key {str(key)[:60]!r} (first defined at line {first[0]}, "
                    f"column {first[1]})",
                    kmark.line + 1,
                    kmark.column + 1,
                    "YAML would keep only the last one; merge the two entries or rename one",
                ))
                continue
            data[key] = self.construct_object(value_node, deep=False)
            vmark = value_node.start_mark
            marks[key] = (
                kmark.line + 1, kmark.column + 1, vmark.line + 1, vmark.column + 1,
                _style(value_node, self.text),
            )
        self.marks[id(data)] = marks

    def _seq(self, node: SequenceNode) -> Any:
        if not isinstance(node, SequenceNode):  # `!!seq {a: 1}`
            raise _wrong_node(node, "a list")
        data: list[Any] = []
        yield data
        data.extend(self.construct_object(child, deep=False) for child in node.value)
        self.marks[id(data)] = [
            (c.start_mark.line + 1, c.start_mark.column + 1, _style(c, self.text))
            for c in node.value
        ]


_StoryLoader.add_constructor("tag:yaml.org,2002:map", _StoryLoader._map)
_StoryLoader.add_constructor("tag:yaml.org,2002:seq", _StoryLoader._seq)
_StoryLoader.add_constructor(None, _StoryLoader.construct_undefined)


def _bracket_depth(text: str) -> int:
    """The deepest bracket nesting, counting brackets inside quoted strings too
    (so it can only overestimate). Linear: the brackets are picked out at C
    speed, then walked run by run."""
    brackets = _NOT_BRACKET.sub("", text)
    opens = brackets.count("[") + brackets.count("{")
    if opens <= MAX_NESTING:
        return opens
    depth = deepest = 0
    for run in _BRACKET_RUN.finditer(brackets):
        size = run.end() - run.start()
        if brackets[run.start()] in "[{":
            depth += size
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - size)
    return deepest


# Composing is safe this deep (libyaml's composer recurses in C and crashes
# only some 30,000 levels down); deeper files are checked event by event.
_COMPOSE_SAFE_DEPTH = 1000


def _nesting_bound(text: str) -> int:
    """A bound on the nesting of ``text``'s lists and mappings, top level
    included, that can only overestimate: flow nesting is at most the bracket
    depth (quoted brackets counted too), block nesting at most twice (the
    indentation of the most indented line, with its ``- ``, ``? `` and ``: ``
    indicators, plus one). Linear, and at C speed but for runs of brackets."""
    flow = _bracket_depth(text) if "[" in text or "{" in text else 0
    room = MAX_NESTING + 1 - flow
    if room >= 2 and not re.search(rf"^[ \t?:-]{{{room // 2},}}", text, re.MULTILINE):
        return flow + 2 * (room // 2)  # within the limit
    widest = max((len(m) for m in re.findall(r"^[ \t?:-]+", text, re.MULTILINE)), default=0)
    return flow + 2 * (widest + 1)


def _too_deep(line: int, col: int) -> YamlProblem:
    return YamlProblem(
        "E001", f"the YAML nests lists and mappings more than {MAX_NESTING} levels deep",
        line, col, "split the value up; stories never need that much nesting")


def _check_nesting(text: str) -> bool:
    """Refuse text nested more than :data:`MAX_NESTING` lists and mappings deep
    (below the top level). Returns True when the composed nodes must still
    be checked with :func:`_check_node_depth`.

    Most files pass the cheap bound of :func:`_nesting_bound`. A file that
    may nest deeper than libyaml can compose safely is parsed event by event
    (libyaml's parser keeps its own stack, so it does not recurse), counting
    the real nesting: brackets in quoted strings do not count.
    """
    bound = _nesting_bound(text)
    if bound <= MAX_NESTING + 1:
        return False
    if bound <= _COMPOSE_SAFE_DEPTH:
        return True
    depth = 0
    parser = _BaseLoader(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                mark = event.start_mark
                if depth > MAX_NESTING + 1 and mark is not None:  # the top level does not count
                    raise _too_deep(mark.line + 1, mark.column + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as err:
        # libyaml refuses 1,000 levels itself, before it sends the events of
        # the levels below: then report where it stopped
        mark = err.problem_mark
        if "nesting depth" in str(err.problem) and mark is not None:
            raise _too_deep(mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError:
        pass  # a syntax error: reading the file reports it
    finally:
        parser.dispose()
    return False


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """E001 where the author can mend it. A quote or bracket never closed is
    found only at the end of the file: point at where it opens instead."""
    problem = err.problem or str(err)
    at_end = "end of stream" in problem or (
        err.problem_mark is not None and err.problem_mark.line >= text.rstrip().count("\n") + 1)
    if (at_end and err.context_mark is not None and err.context
            and err.context.endswith(("quoted scalar", "flow sequence", "flow mapping"))):
        opened = err.context_mark
        what = err.context.removeprefix("while scanning ").removeprefix("while parsing ")
        return YamlProblem("E001", f"YAML syntax error: {what} starts here and is never "
                                   f"closed ({problem})", opened.line + 1, opened.column + 1,
                           "close it (a quote, ] or }) where it should end")
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if err.context and err.problem and mark is err.problem_mark:
        problem = f"{err.context}: {err.problem}"
    return YamlProblem("E001", f"YAML syntax error: {problem}", line, col)


def _check_node_depth(root: Node) -> None:
    """The exact nesting check on composed nodes (iterative)."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ScalarNode):
            continue
        if depth > MAX_NESTING + 1:
            raise _too_deep(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.append((value, depth + 1))
                stack.append((key, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in reversed(node.value))


_SCALAR_WHAT = {
    "tag:yaml.org,2002:int": ("integer", "quote the value if it is text"),
    "tag:yaml.org,2002:float": ("number", "quote the value if it is text"),
    "tag:yaml.org,2002:bool": ("boolean", "write true or false, or quote the text"),
    "tag:yaml.org,2002:timestamp": ("date", "quote the value if it is text"),
    "tag:yaml.org,2002:null": ("null", "write ~ or null, or quote the text"),
}


def _bad_scalar(node: Node, err: Exception) -> YamlProblem:
    noun, hint = _SCALAR_WHAT.get(node.tag, (f"{node.tag} value", "quote the value"))
    shown = str(node.value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    reason = str(err) if isinstance(err, ValueError) else ""
    if "digits" in reason:
        reason = " (too many digits)"
    else:
        reason = f" ({reason})" if reason and len(reason) <= 60 else ""
    mark = node.start_mark
    return YamlProblem("E001", f"{shown!r} is not a valid {noun}{reason}",
                       mark.line + 1, mark.column + 1, hint)


# What a scalar constructor raises on a value it cannot read: a date that does
# not exist, `!!bool x`, `!!float x`, an integer longer than Python converts.
_SCALAR_ERRORS = (ValueError, KeyError, TypeError, AttributeError, OverflowError, IndexError)


class _Retry(Exception):
    """The lean reader met something only the full reader handles."""


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_SCALAR_CONSTRUCTORS = {
    tag: _BaseLoader.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
}


# The implicit tag of short plain scalars (keys, ids, numbers), cached: libyaml
# asks for one per scalar, and the resolver's regexes are the costly part. The
# fast reader shares the cache.
_PLAIN_TAGS = yamlfast.PLAIN_TAGS
_PLAIN_TAGS_MAX = yamlfast.PLAIN_TAGS_MAX


class _LeanLoader(_BaseLoader):
    """Builds plain data from libyaml's nodes in one recursive pass, keeping no
    positions. Used only on text without anchors or explicit tags (no ``&``
    or ``!`` anywhere); a duplicate or unhashable key, a merge key or any tag
    it does not know makes it give up (:class:`_Retry`) so that the full
    reader reports the problem at its position."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) <= 40 and len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                    _PLAIN_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def build(self, node: Node) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag == _MAP_TAG:
            build = self.build
            pairs = node.value
            try:
                data = {build(k): build(v) for k, v in pairs}
            except TypeError:
                raise _Retry from None
            if len(data) != len(pairs):
                raise _Retry
            return data
        if tag == _SEQ_TAG:
            return [self.build(child) for child in node.value]
        constructor = _SCALAR_CONSTRUCTORS.get(tag)
        if constructor is None:
            raise _Retry
        try:
            return constructor(self, node)
        except _SCALAR_ERRORS as err:
            raise _bad_scalar(node, err) from None


def read_data(text: str) -> tuple[Any, tuple[YamlProblem, ...]]:
    """Parse one YAML document into plain data, keeping no positions.

    The same data and the same refusals as :func:`read_yaml`, faster: when
    the text has a problem, :func:`read_yaml` is run to report it. Returns
    the data and the problems found that did not stop the reading (duplicate
    keys). Raises :class:`YamlProblem`.

    Text in the subset of YAML that :mod:`~carnet.engine.yamlfast` reads is
    read by it; any other goes through libyaml.
    """
    fast = yamlfast.parse(text)
    if fast is not None:
        return fast, ()
    if "&" not in text and "!" not in text:
        check_depth = _check_nesting(text)
        loader = _LeanLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, ()
            if check_depth:
                _check_node_depth(node)
            return loader.build(node), ()
        except (_Retry, yaml.YAMLError, RecursionError):
            pass
        finally:
            loader.dispose()
    doc = read_yaml(text)
    return doc.data, doc.problems


def read_yaml(text: str) -> Document:
    """Parse one YAML document, with positions. Raises :class:`YamlProblem`."""
    check_depth = _check_nesting(text)
    loader = _StoryLoader(text)
    loader.marks = {}
    loader.problems = []
    loader.text = text
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, loader.marks, (1, 1, None))
        if check_depth:
            _check_node_depth(node)
        data = loader.construct_document(node)
        root: ItemMark = (node.start_mark.line + 1, node.start_mark.column + 1, _style(node))
        return Document(data, loader.marks, root, tuple(loader.problems))
    except yaml.MarkedYAMLError as err:
        raise _syntax_problem(err, text) from None
    except yaml.YAMLError as err:
        raise YamlProblem("E001", f"YAML error: {err}", 1, 1) from None
    except RecursionError:
        raise YamlProblem("E001", "the YAML is nested too deeply", 1, 1) from None
    finally:
        loader.dispose()


def read_file(path: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The type and size are checked before anything is read, and no more than
    ``limit + 1`` bytes are ever read, so a FIFO, a device such as
    ``/dev/zero`` or a huge sparse file is refused at once. Raises
    :class:`YamlProblem` (at 1:1) for those, :class:`OSError` when the file
    cannot be opened or read.
    """
    try:
        return read_limited(path, limit)
    except NotReadable as err:
        if err.too_large:
            raise _too_big(limit) from None
        raise YamlProblem("E001", "not a regular file (a folder, a device or a pipe?)", 1, 1,
                          "a story file is an ordinary text file") from None


def _wrong_node(node: Node, expected: str) -> YamlProblem:
    mark = node.start_mark
    return YamlProblem("E001", f"the tag {node.tag!r} needs {expected} here", mark.line + 1,
                       mark.column + 1, "leave the tag out: story files need no explicit tags")


def _too_big(limit: int) -> YamlProblem:
    return YamlProblem("E001", f"the file is larger than {limit // (1024 * 1024)} MiB", 1, 1)


def decode(data: bytes) -> str:
    """UTF-8 (an optional BOM is dropped). Raises :class:`YamlProblem`."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(MAX_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            "E001", f"the file is not valid UTF-8 (byte 0x{data[err.start]:02x})",
            line, col, "save the file as UTF-8",
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        raise YamlProblem("E001", "the file contains a NUL character; is it a text file?", line,
                          offset - (text.rfind("\n", 0, offset) + 1) + 1)
    return text
