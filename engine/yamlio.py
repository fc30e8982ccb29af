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
from typing import Any

import attrs
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from carnet.engine.limits import MAX_FILE_BYTES, MAX_FLOW_DEPTH, MAX_INDENT

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

# libyaml composes nodes recursively in C and crashes the interpreter on input
# nested some 30,000 levels deep, so nesting is bounded before parsing.
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")
_DEEP_INDENT = re.compile(rf"^[ \t?:-]{{{MAX_INDENT},}}", re.MULTILINE)


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


def _style(node: Node) -> str | None:
    return getattr(node, "style", None) if isinstance(node, ScalarNode) else None


class _StoryLoader(_BaseLoader):
    marks: Marks
    problems: list[YamlProblem]

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
        return super().construct_object(node, deep)

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
                _style(value_node),
            )
        self.marks[id(data)] = marks

    def _seq(self, node: SequenceNode) -> Any:
        data: list[Any] = []
        yield data
        data.extend(self.construct_object(child, deep=False) for child in node.value)
        self.marks[id(data)] = [
            (c.start_mark.line + 1, c.start_mark.column + 1, _style(c)) for c in node.value
        ]


_StoryLoader.add_constructor("tag:yaml.org,2002:map", _StoryLoader._map)
_StoryLoader.add_constructor("tag:yaml.org,2002:seq", _StoryLoader._seq)
_StoryLoader.add_constructor(None, _StoryLoader.construct_undefined)


def _check_nesting(text: str) -> None:
    """Refuse text that could nest deeper than the parser can take.

    Counts brackets (including any inside quoted strings, so this can only
    overestimate) and indentation; both scans run at C speed.
    """
    indent = _DEEP_INDENT.search(text)
    if indent:
        line = text.count("\n", 0, indent.start()) + 1
        raise YamlProblem("E001", f"the YAML is indented or nested more than {MAX_INDENT} levels",
                          line, 1)
    brackets = _NOT_BRACKET.sub("", text)
    if len(brackets) <= MAX_FLOW_DEPTH:
        return
    # Strip innermost pairs, one nesting level per pass; what is left after
    # MAX_FLOW_DEPTH passes nests deeper than that (or is unbalanced).
    for _ in range(MAX_FLOW_DEPTH):
        shorter = _PAIR.sub("", brackets)
        if len(shorter) == len(brackets):
            break
        brackets = shorter
    else:
        raise YamlProblem(
            "E001", f"the YAML nests brackets more than {MAX_FLOW_DEPTH} levels deep", 1, 1)
    if brackets.count("[") + brackets.count("{") > MAX_FLOW_DEPTH:
        raise YamlProblem(
            "E001", f"the YAML opens more than {MAX_FLOW_DEPTH} brackets it never closes", 1, 1)


def read_yaml(text: str) -> Document:
    """Parse one YAML document. Raises :class:`YamlProblem` with a position."""
    _check_nesting(text)
    loader = _StoryLoader(text)
    loader.marks = {}
    loader.problems = []
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, loader.marks, (1, 1, None))
        data = loader.construct_document(node)
        root: ItemMark = (node.start_mark.line + 1, node.start_mark.column + 1, _style(node))
        return Document(data, loader.marks, root, tuple(loader.problems))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = err.problem or str(err)
        if err.context and err.problem:
            message = f"{err.context}: {err.problem}" if mark is err.problem_mark else message
        raise YamlProblem("E001", f"YAML syntax error: {message}", line, col) from None
    except yaml.YAMLError as err:
        raise YamlProblem("E001", f"YAML error: {err}", 1, 1) from None
    except RecursionError:
        raise YamlProblem("E001", "the YAML is nested too deeply", 1, 1) from None
    finally:
        loader.dispose()


def decode(data: bytes) -> str:
    """UTF-8 (an optional BOM is dropped). Raises :class:`YamlProblem`."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(
            "E001", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", 1, 1
        )
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
