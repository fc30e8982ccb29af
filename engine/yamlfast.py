"""A fast, exact reader for the block-style YAML story files are written in.

It reads, line by line, the subset of YAML that authors and ``carnet convert``
write: block mappings and sequences (``- key: value`` compact mappings and
sequences not indented under their key included), plain scalars on one line,
single- and double-quoted scalars on one line, literal and folded block
scalars (``|``, ``|-``, ``|+``, ``>``...), one-line flow sequences of scalars
(``[a, b = "x"]``), one-line flow mappings of those (``{a: 1, b: [c]}``),
and comments. Plain scalars are typed exactly as PyYAML's YAML 1.1 resolver
and safe constructors type them.

For every text it accepts, the result equals ``yaml.load(text,
Loader=yaml.CSafeLoader)``: same types, values and key order. On anything
else, including everything libyaml or carnet's reader would refuse
(duplicate keys, anchors, aliases, tags, merge keys, nesting deeper than
:data:`~carnet.engine.limits.MAX_NESTING`, tabs, directives, document
markers, control characters, a BOM), :func:`parse` returns None and the
caller reads the text with libyaml, which reports any problem at its
position. A ``!`` or ``&`` inside a scalar is just text here: only where a
tag or an anchor could start does the reader give up.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from carnet.engine.limits import MAX_NESTING

try:  # the same resolver and constructors as the loader read_data falls back to
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = ["PLAIN_TAGS", "parse", "resolve_plain"]


class _NotHandled(Exception):
    """The text is outside the subset: the caller reads it with libyaml."""


_MAX_DEPTH = MAX_NESTING + 1  # the top level counts one
_MAX_KEY_CHARS = 250  # libyaml refuses simple keys over 1,024 bytes; stay well within

# Anything but a line feed and the characters libyaml reads as printable and
# not as a line break, a BOM or a tab (tabs are refused as indentation, so
# they are left to libyaml everywhere). CR LF is read as LF first.
_UNHANDLED = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)

_PLAIN_ASCII = bytes([10, *range(0x20, 0x7F)])


def _printable(text: str) -> bool:
    """Whether ``text`` holds no character of :data:`_UNHANDLED`. The printable
    ASCII bytes are taken out first, at C speed; the regex sees only the rest."""
    try:
        rest = text.encode("utf-8").translate(None, _PLAIN_ASCII)
    except UnicodeEncodeError:  # a lone surrogate
        return False
    # only whole ASCII bytes were taken out: what is left is still UTF-8
    return not rest or not _UNHANDLED.search(rest.decode("utf-8"))


# A plain scalar on one line, in block context: it does not start with an
# indicator (``-`` only when followed by a non-space, as in ``-1``), holds no
# ``: `` and no `` #``, and ends without a colon. Runs of spaces are kept
# only when text that cannot end the scalar follows them.
_PLAIN_START = r"""(?:[^-?:,\[\]{}#&*!|>'"%@` ]|-(?=[^ ]))"""
_PLAIN_BODY = r"[^ :]*(?:(?::(?=[^ ])| +(?=[^ #:]))[^ :]*)*"
_KEY = re.compile(rf"({_PLAIN_START}{_PLAIN_BODY}):(?= |\Z)")
# `key:`, then a plain value (group 2), other text (group 3), or nothing.
_ENTRY = re.compile(
    rf"({_PLAIN_START}{_PLAIN_BODY}):"
    rf"(?: +(?:({_PLAIN_START}{_PLAIN_BODY}) *(?:#.*)?\Z|(.+))| *\Z)"
)
_PLAIN_VALUE = re.compile(rf"({_PLAIN_START}{_PLAIN_BODY}) *(?:#.*)?\Z")

# After a quoted scalar, a flow collection or a block scalar's header.
_TRAILER = re.compile(r"(?: +(?:#.*)?)?\Z")
_DOUBLE = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SINGLE = re.compile(r"'([^']*(?:''[^']*)*)'")
_BLOCK_HEADER = re.compile(r"([|>])([-+]?)(?: +(?:#.*)?)?\Z")

# One-line flow sequences of scalars; plain items hold no colon at all.
_FLOW_PLAIN = (r"""(?:[^-?:,\[\]{}#&*!|>'"%@` ]|-(?=[^ ,\[\]{}]))"""
               r"[^ :,\[\]{}]*(?: +(?=[^ #:,\[\]{}])[^ :,\[\]{}]*)*")
_FLOW_ITEM_TEXT = rf"""(?:"[^"\\]*(?:\\.[^"\\]*)*"|'[^']*(?:''[^']*)*'|{_FLOW_PLAIN})"""
_FLOW_SEQUENCE = re.compile(
    rf"\[( *(?:{_FLOW_ITEM_TEXT} *(?:, *{_FLOW_ITEM_TEXT} *)*)?)\](?: +(?:#.*)?)?\Z"
)
_FLOW_ITEM = re.compile(
    rf"""("[^"\\]*(?:\\.[^"\\]*)*")|('[^']*(?:''[^']*)*')|({_FLOW_PLAIN})"""
)
# One-line flow mappings of scalars and flow sequences: `{a: 1, b: "x", c: [d]}`.
_FLOW_SEQUENCE_TEXT = rf"\[ *(?:{_FLOW_ITEM_TEXT} *(?:, *{_FLOW_ITEM_TEXT} *)*)?\]"
_FLOW_PAIR_TEXT = rf"{_FLOW_ITEM_TEXT}: +(?:{_FLOW_ITEM_TEXT}|{_FLOW_SEQUENCE_TEXT})"
_FLOW_MAPPING = re.compile(
    rf"\{{( *(?:{_FLOW_PAIR_TEXT} *(?:, *{_FLOW_PAIR_TEXT} *)*)?)\}}(?: +(?:#.*)?)?\Z"
)
_FLOW_PAIR = re.compile(
    rf"""(?:("[^"\\]*(?:\\.[^"\\]*)*")|('[^']*(?:''[^']*)*')|({_FLOW_PLAIN})): +"""
    rf"""(?:("[^"\\]*(?:\\.[^"\\]*)*")|('[^']*(?:''[^']*)*')|({_FLOW_SEQUENCE_TEXT})"""
    rf"|({_FLOW_PLAIN}))"
)

# libyaml's escapes in double-quoted scalars.
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2) or match.group(3)
    if code is None:
        char = _ESCAPES.get(match.group(4))
        if char is None:
            raise _NotHandled
        return char
    value = int(code, 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise _NotHandled
    return chr(value)


_KEY_TYPES = (str, int, bool, type(None))

# -- typing plain scalars -----------------------------------------------------------

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT = _Loader.yaml_implicit_resolvers  # first character -> [(tag, regexp)]
_WILDCARD = None in _IMPLICIT  # a resolver for any first character: not read here
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCTORS = {
    tag: _Loader.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
}

# The implicit tag of short plain scalars (keys, ids, numbers), cached: the
# resolver's regexes are the costly part. Shared with yamlio's libyaml path.
PLAIN_TAGS: dict[str, str] = {}
PLAIN_TAGS_MAX = 50_000
# The value of short plain scalars that are not strings (all immutable).
_PLAIN_VALUES: dict[str, Any] = {}
_PLAIN_KEYS: dict[str, Any] = {}  # the same, for keys of the right types


def resolve_plain(value: str) -> str:
    """The tag PyYAML's resolver gives the plain scalar ``value`` (cached)."""
    tag = PLAIN_TAGS.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if len(value) <= 40 and len(PLAIN_TAGS) < PLAIN_TAGS_MAX:
            PLAIN_TAGS[value] = tag
    return tag


def _plain(value: str) -> Any:
    """The plain scalar ``value`` (non-empty) as PyYAML's safe loader types it."""
    if value[0] not in _IMPLICIT:  # no implicit type starts with this character
        return value
    if value in _PLAIN_VALUES:
        return _PLAIN_VALUES[value]
    tag = resolve_plain(value)
    if tag == _STR_TAG:
        return value
    constructor = _CONSTRUCTORS.get(tag)
    if constructor is None:  # `<<`, `=`
        raise _NotHandled
    try:
        data = constructor(_CONSTRUCTOR, ScalarNode(tag, value))
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, IndexError):
        raise _NotHandled from None  # the full reader reports it
    if len(value) <= 40 and len(_PLAIN_VALUES) < PLAIN_TAGS_MAX:
        _PLAIN_VALUES[value] = data
    return data


def _plain_key(text: str) -> Any:
    """A plain mapping key: a string, an integer, a boolean or null."""
    if text in _PLAIN_KEYS:
        return _PLAIN_KEYS[text]
    key = _plain(text)
    if not isinstance(key, _KEY_TYPES):  # a float or a date as a key
        raise _NotHandled
    if len(text) <= 40 and len(_PLAIN_KEYS) < PLAIN_TAGS_MAX:
        _PLAIN_KEYS[text] = key
    return key


def _quoted(line: str, at: int) -> tuple[str, int]:
    """The quoted scalar starting at ``line[at]`` and the index after it."""
    if line[at] == '"':
        match = _DOUBLE.match(line, at)
        if match is None:  # it goes on to the next line
            raise _NotHandled
        text = match.group(1)
        if "\\" in text:
            text = _ESCAPE.sub(_unescape, text)
        return text, match.end()
    match = _SINGLE.match(line, at)
    if match is None:
        raise _NotHandled
    return match.group(1).replace("''", "'"), match.end()


def _is_entry(line: str, at: int) -> bool:
    """Whether a sequence entry (``-`` then a space or the end) is at ``line[at]``."""
    return line.startswith("-", at) and (len(line) == at + 1 or line[at + 1] == " ")



class _Reader:
    """One pass over the lines; every method raises :class:`_NotHandled` when
    the text leaves the subset."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.last = len(self.lines) - 1  # the one line without a line break
        self.pos = 0
        self.following = 0

    def skip(self) -> int:
        """Move to the next line that is neither blank nor a comment, and
        return its indentation (-1 at the end of the text)."""
        lines = self.lines
        pos = self.pos
        end = len(lines)
        while pos < end:
            line = lines[pos]
            content = line.lstrip(" ")
            if content and content[0] != "#":
                self.pos = pos
                return len(line) - len(content)
            pos += 1
        self.pos = pos
        return -1

    def node(self, indent: int, depth: int) -> Any:
        """The block mapping or sequence whose first line is the current one."""
        if _is_entry(self.lines[self.pos], indent):
            return self.sequence(indent, depth, indentless=False)
        return self.mapping(indent, depth)

    def mapping(self, indent: int, depth: int,
                entry: re.Match[str] | None = None) -> dict[Any, Any]:
        """The block mapping at ``indent`` (``entry``: its first line matched by
        :data:`_ENTRY`, when the caller has done so); :attr:`following` is the
        indentation of the line after it."""
        if depth > _MAX_DEPTH:
            raise _NotHandled
        data: dict[Any, Any] = {}
        lines = self.lines
        end = len(lines)
        pad = " " * indent
        pos = self.pos
        if entry is None:
            entry = _ENTRY.match(lines[pos], indent)
        while True:
            if entry is None:  # a quoted key, or no key at all
                self.pos = pos
                line = lines[pos]
                key, after = self.key(line, indent)
                value = self.value(line, after, indent, depth, in_mapping=True)
                pos = self.pos
            else:
                text, plain, rest = entry.groups()
                if len(text) > _MAX_KEY_CHARS:
                    raise _NotHandled
                key = text if text[0] not in _IMPLICIT else _plain_key(text)
                if plain is not None:  # `key: plain value`, most often
                    value = plain if plain[0] not in _IMPLICIT else _plain(plain)
                    pos += 1
                elif rest is not None and rest[0] == "[":  # `key: [a, b]`
                    flow = _FLOW_SEQUENCE.match(entry.string, entry.start(3))
                    if depth + 1 > _MAX_DEPTH or flow is None:
                        raise _NotHandled
                    value = _flow(entry.string, *flow.span(1))
                    pos += 1
                else:
                    self.pos = pos
                    value = self.value(entry.string, entry.end(1) + 1, indent, depth,
                                       in_mapping=True)
                    pos = self.pos
            if key in data:  # a duplicate: the full reader reports it
                raise _NotHandled
            data[key] = value
            if pos < end and lines[pos].startswith(pad):  # the next entry, most often
                entry = _ENTRY.match(lines[pos], indent)
                if entry is not None:
                    continue
            self.pos = pos
            following = self.skip()
            if following != indent:
                if following > indent:
                    raise _NotHandled
                self.following = following
                return data
            pos = self.pos
            entry = _ENTRY.match(lines[pos], indent)

    def sequence(self, indent: int, depth: int, *, indentless: bool) -> list[Any]:
        if depth > _MAX_DEPTH:
            raise _NotHandled
        items: list[Any] = []
        lines = self.lines
        while True:
            line = lines[self.pos]
            entry = _ENTRY.match(line, indent + 2) if line.startswith(" ", indent + 1) else None
            if entry is not None:  # `- key: value`
                items.append(self.mapping(indent + 2, depth + 1, entry))
                following = self.following  # where the mapping ended
            else:
                items.append(self.value(line, indent + 1, indent, depth, in_mapping=False))
                following = self.skip()
            if following != indent:
                if following > indent:
                    raise _NotHandled
                return items
            if not _is_entry(lines[self.pos], indent):
                if indentless:  # the next key of the mapping holding it
                    return items
                raise _NotHandled

    @staticmethod
    def key(line: str, at: int) -> tuple[Any, int]:
        """The mapping key at ``line[at]`` and the index after its colon."""
        if line[at] in "\"'":
            key, end = _quoted(line, at)
            if not line.startswith(":", end) or (end + 1 < len(line) and line[end + 1] != " "):
                raise _NotHandled
        else:
            match = _KEY.match(line, at)
            if match is None:
                raise _NotHandled
            end = match.end(1)
            key = _plain_key(match.group(1))
        if end - at > _MAX_KEY_CHARS:
            raise _NotHandled
        return key, end + 1

    def value(self, line: str, after: int, parent: int, depth: int, *, in_mapping: bool) -> Any:
        """The value that follows ``key:`` or ``-`` (at ``line[after]``) in a
        collection at indentation ``parent`` and nesting ``depth``; the reader
        moves past its last line."""
        content = line[after:].lstrip(" ")
        if not content or content[0] == "#":  # on the next lines, or null
            self.pos += 1
            following = self.skip()
            if following > parent:
                return self.node(following, depth + 1)
            if following == parent and in_mapping and _is_entry(self.lines[self.pos], parent):
                return self.sequence(parent, depth + 1, indentless=True)
            return None
        at = len(line) - len(content)
        first = content[0]
        if first in "\"'":
            text, end = _quoted(line, at)
            if not in_mapping and line.startswith(":", end):  # `- "key": value`
                return self.mapping(at, depth + 1)
            if not _TRAILER.match(line, end):
                raise _NotHandled
            self.pos += 1
            return text
        if first in "|>":
            return self.block_scalar(line, at, parent)
        if first == "[":
            flow = _FLOW_SEQUENCE.match(line, at)
            if depth + 1 > _MAX_DEPTH or flow is None:
                raise _NotHandled
            self.pos += 1
            return _flow(line, *flow.span(1))
        if first == "{":
            flow = _FLOW_MAPPING.match(line, at)
            if depth + 2 > _MAX_DEPTH or flow is None:  # `{a: [b]}` is two levels
                raise _NotHandled
            self.pos += 1
            return _flow_mapping(line, *flow.span(1))
        if not in_mapping and _KEY.match(line, at):  # `- key: value`
            return self.mapping(at, depth + 1)
        match = _PLAIN_VALUE.match(line, at)
        if match is None:
            raise _NotHandled
        self.pos += 1
        return _plain(match.group(1))

    def block_scalar(self, line: str, at: int, parent: int) -> str:
        """A literal or folded block scalar, as libyaml's scanner reads it."""
        header = _BLOCK_HEADER.match(line, at)
        if header is None:  # an indentation indicator, or text after the header
            raise _NotHandled
        folded = header.group(1) == ">"
        chomping = header.group(2)
        lines = self.lines
        last = self.last
        start = self.pos + 1
        pos = start
        widest_blank = 0
        while pos <= last and not lines[pos].strip(" "):
            widest_blank = max(widest_blank, len(lines[pos]))
            pos += 1
        first = pos
        indent = max(widest_blank, parent + 1)
        if first <= last:
            column = len(lines[first]) - len(lines[first].lstrip(" "))
            if column >= indent:
                indent = column
            elif column > parent:  # libyaml's reading of this is not worth copying
                raise _NotHandled
        pad = " " * indent
        end = first  # after the last content line
        while pos <= last:
            text = lines[pos]
            if len(text) > indent and text.startswith(pad):
                end = pos + 1
            elif text.strip(" "):  # less indented: the block is over
                break
            pos += 1
        self.pos = pos
        if end == first:  # no content: only the line breaks of the blank lines
            breaks = (min(pos, last) - start) if chomping == "+" else 0
            return "\n" * max(breaks, 0)
        leading = first - start
        if folded:
            body = _fold(lines, first, end, indent, leading)
        else:
            body = "\n" * leading + "\n".join([text[indent:] for text in lines[first:end]])
        if chomping == "-":
            return body
        broken = end - 1 < last  # the last content line ends with a line break
        if chomping == "+":
            trailing = min(pos, last) - end
            return body + "\n" * (broken + max(trailing, 0))
        return body + "\n" if broken else body


def _fold(lines: list[str], first: int, end: int, indent: int, leading: int) -> str:
    """The content of a folded block scalar (before chomping), as libyaml folds it."""
    out: list[str] = []
    breaks = leading
    after_break = False  # the previous content line ended with a line break
    blank_start = False  # the previous content line started with a space
    for text in lines[first:end]:
        if len(text) <= indent:
            breaks += 1
            continue
        text = text[indent:]
        starts_blank = text[0] == " "
        if after_break and not blank_start and not starts_blank:
            if not breaks:
                out.append(" ")
        elif after_break:
            out.append("\n")
        out.append("\n" * breaks)
        breaks = 0
        blank_start = starts_blank
        out.append(text)
        after_break = True
    return "".join(out)


def _flow(line: str, start: int, end: int) -> list[Any]:
    """The items of a flow sequence matched by :data:`_FLOW_SEQUENCE`."""
    items = []
    for double, single, plain in _FLOW_ITEM.findall(line, start, end):
        if plain:
            items.append(plain if plain[0] not in _IMPLICIT else _plain(plain))
        else:
            items.append(_quoted(double or single, 0)[0])
    return items


def _flow_mapping(line: str, start: int, end: int) -> dict[Any, Any]:
    """The pairs of a flow mapping matched by :data:`_FLOW_MAPPING`."""
    data: dict[Any, Any] = {}
    for double, single, plain, *value in _FLOW_PAIR.findall(line, start, end):
        if len(plain or double or single) > _MAX_KEY_CHARS:
            raise _NotHandled
        key = _plain_key(plain) if plain else _quoted(double or single, 0)[0]
        if key in data:
            raise _NotHandled
        double, single, sequence, plain = value
        if plain:
            data[key] = _plain(plain)
        elif sequence:
            data[key] = _flow(sequence, 1, len(sequence) - 1)
        else:
            data[key] = _quoted(double or single, 0)[0]
    return data


def parse(text: str) -> dict[Any, Any] | list[Any] | None:
    """The data of ``text``, a document whose top level is a block mapping or
    sequence written in the subset; None when the text is outside it (read
    it with libyaml then)."""
    if "\r" in text:  # libyaml reads CR LF as one line break, LF in the data
        text = text.replace("\r\n", "\n")  # a lone CR is left to libyaml
    if _WILDCARD or not _printable(text):
        return None
    reader = _Reader(text)
    try:
        if reader.skip() != 0:  # empty, or the top level indented
            return None
        data: dict[Any, Any] | list[Any] = reader.node(0, 1)
        if reader.skip() != -1:
            return None
    except (_NotHandled, RecursionError):
        return None
    return data
