"""The fast YAML reader (engine/yamlfast.py) reads exactly what libyaml reads.

Every text is checked against ``yaml.load(text, Loader=yaml.CSafeLoader)``:
when the fast reader accepts a text, its data is the same (types, values,
key order); when libyaml or carnet's full reader refuses a text, the fast
reader must have given up (None), so that the full reader reports it. And
the fast path must actually be taken on the files stories are made of.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.engine import yamlfast
from carnet.engine.limits import MAX_NESTING
from carnet.engine.yamlio import YamlProblem, read_data, read_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "stories"
_ERROR = object()


def libyaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return _ERROR


def same(a: Any, b: Any) -> bool:
    """Equal with the same types and the same key order all the way down."""
    return type(a) is type(b) and repr(a) == repr(b)


def carnet_refuses(text: str) -> bool:
    try:
        return bool(read_yaml(text).problems)
    except YamlProblem:
        return True


def check(text: str) -> bool:
    """Assert the fast reader is exact on ``text``; whether it read it."""
    fast = yamlfast.parse(text)
    if fast is None:
        return False
    expected = libyaml(text)
    assert expected is not _ERROR, f"accepted what libyaml refuses: {text!r}"
    assert same(fast, expected), f"{text!r}: {fast!r} != {expected!r}"
    assert not carnet_refuses(text), f"accepted what carnet refuses: {text!r}"
    return True


def yaml_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.yaml")
                  if ".venv" not in p.parts and ".git" not in p.parts)


def doc_examples() -> list[str]:
    blocks = []
    for doc in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        blocks += re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    return blocks


# -- the files of the repository, conversions and generated stories ----------------


def test_every_yaml_file_of_the_repository_is_read_exactly() -> None:
    files = yaml_files()
    assert len(files) > 50
    read = [f for f in files if check(f.read_text(encoding="utf-8"))]
    assert len(read) > 40


def test_the_examples_of_the_docs_are_read_exactly() -> None:
    examples = doc_examples()
    assert len(examples) > 20
    assert sum(check(text) for text in examples) > 10


def test_the_shipped_stories_take_the_fast_path() -> None:
    story_files = [f for f in sorted((ROOT / "scenes").rglob("*.yaml"))
                   if "walkthroughs" not in f.parts]  # read by read_yaml, with positions
    assert len(story_files) > 10
    fallbacks = [f for f in story_files if yamlfast.parse(f.read_text(encoding="utf-8")) is None]
    assert fallbacks == []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from gen_story import write_story
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    folder = write_story(tmp_path_factory.mktemp("gen") / "story", 600)
    return [f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.yaml"))]


def test_generated_benchmark_stories_take_the_fast_path_and_are_exact(
        generated: list[str]) -> None:
    assert len(generated) >= 3
    for text in generated:
        assert check(text)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    sources = sorted(CORPUS.glob("*.txt"))
    if not sources:
        pytest.skip("the corpus is not here")
    out = tmp_path_factory.mktemp("converted")
    subprocess.run([sys.executable, "-m", "carnet", "convert", "-o", str(out), *map(str, sources)],
                   check=True, capture_output=True)
    return [f.read_text(encoding="utf-8") for f in sorted(out.rglob("*.yaml"))]


def test_conversions_of_the_corpus_take_the_fast_path_and_are_exact(
        converted: list[str]) -> None:
    assert len(converted) >= len(list(CORPUS.glob("*.txt")))
    for text in converted:
        assert check(text)


def test_read_data_uses_the_fast_reader_and_gives_the_same_data() -> None:
    text = "a: Hello!\nb: [x & y]\n"  # the libyaml path is skipped on `!` and `&` only here
    assert yamlfast.parse(text) == {"a": "Hello!", "b": ["x & y"]}
    assert read_data(text) == ({"a": "Hello!", "b": ["x & y"]}, ())
    assert read_data(text) == (read_yaml(text).data, ())


# -- each tricky case ---------------------------------------------------------------

READ = [
    # chomping, block scalars
    "a: |\n  x\n  y\n",
    "a: |-\n  x\n  y\n\n\nb: 1\n",
    "a: |+\n  x\n  y\n\n\nb: 1\n",
    "a: |+\n  x\n\n",
    "a: |\n  x\n\n\n",
    "a: |\n\n  x\n",
    "a: |\n  x\n   indented more\n\n  z\n",
    "a: |\n  x\n  # not a comment\n",
    "a: |  # a comment\n  x\n",
    "a: |\nb: 1\n",
    "a: |+\n\nb: 1\n",
    "a: |\n  x",
    "a: |+\n  x",
    "a: |\n",
    "a: >\n  folded\n  text\n\n  para\n   kept\n  end\n",
    "a: >-\n  x\n  y\n",
    "a: >+\n  x\n\n",
    "- |\n  x\n- >\n  y\n  z\n",
    "k:\n  - a: |\n      x\n    b: 1\n",
    # trailing spaces, comments
    "a: x   \nb: 'y'  \n",
    "a: x # a comment\nb: x#not\nc: 'q' # c\n",
    "# top\na: 1 # one\n  # indented comment\n\n\nb: 2\n",
    "a:\nb: # nothing\nc:    \n",
    "- \n-\n- x\n",
    "-\n  a: 1\n",
    # keys
    "'quoted key': 1\n\"dq\\tkey\": 2\n",
    "- 'k': v\n  \"l\": w\n",
    "yes: 1\nno: 2\n~: 3\n7: 4\n0x1F: 5\n",
    "a b: 1\na:b: 2\nhttp://x: 3\n",
    # quoting
    "a: 'it''s # not a comment'\nb: \"x # y\"\n",
    'a: "\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\"\\/\\\\\\N\\_\\L\\P\\x41\\u00e9\\U0001F600"\n',
    "a: ''\nb: \"\"\n",
    # plain scalars
    "a: x: y\n",  # refused by libyaml: the fast reader must give up
    "a: a:b\nb: a,b]\nc: don't\nd: -1\ne: -x\n",
    "a: Hello! & welcome *stars* #1 ok\n",
    "a: caf\u00e9 \u2019curly\u2019 \u00a0nbsp\u00a0\nb: \U0001f600 \ue000\n",
    # typing
    "a: [yes, on, off, No, 0x1F, 1_000, .5, 2001-01-01, ~, null, Null, 1e3, -.inf, .NaN]\n",
    "a: 2001-12-14t21:59:43.10-05:00\nb: 0o17\nc: 017\nd: 0b101\ne: 190:20:30\nf: +12\n",
    "a: true\nb: FALSE\nc: y\nd: n\n",
    # flow
    "a: []\nb: [ ]\nc: {}\nd: [a, b = \"x\", 'c', \"d, e\"]\n",
    "do: [coins -= 2, has_key = true]\n",
    "a: {b: 1, 'c': \"d\", e: [f, 2], yes: ~}\n",
    "- {text: Pick up a coin, to: hall, once: true, do: [coins += 1]}\n",
    "a: { }\nb: {x: []}\n",
    # nesting, indentation
    "a:\n- 1\n- 2\nb:\n  - 3\n",
    "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    "-   a: 1\n    b: 2\n- c\n",
    "carnet: 1\ntitle: x\n",
    # Windows line breaks
    "a: 1\r\nb: [x, 'y']\r\nc: |+\r\n  x\r\n\r\n  y\r\n\r\nd: >\r\n  p\r\n  q\r\n",
]

GIVE_UP = [
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !tag x\n",
    "<<: {a: 1}\n",
    "a: 1\na: 2\n",
    "yes: 1\ntrue: 2\n",
    "1: a\n1.0: b\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a:\n\tb: 1\n",
    "a: x\ty\n",
    "\ufeffa: 1\n",
    "a: 1\ufeff\n",
    "a: \x07\n",
    "a: x\ry\n",
    "a: x\r",
    "a: x\x85y\n",
    "a: x\x9fy\n",
    "a: x\u2028y\n",
    "a: x\ud800y\n",
    "a: x\uffffy\n",
    "a: x\x7fy\n",
    "a: multi\n  line\n",
    "a: \"multi\n  line\"\n",
    "a: |2\n   x\n",
    "a: |x\n",
    "? a\n: b\n",
    "a: - b\n",
    "- - a\n",
    "a: @x\n",
    "a: `x\n",
    "a: %x\n",
    "a: |x\n",
    "a: {b}\n",
    "a: {b:1}\n",
    "a: {b: 1, b: 2}\n",
    "a: {b: {c: 1}}\n",
    "a: {b: 1,}\n",
    "a: {b: 1\n",
    "a: [[1]]\n",
    "a: [1,]\n",
    "a: [1\n",
    "a: \"\\q\"\n",
    "a: \"\\ud800\"\n",
    "a: 1\n b: 2\n",
    "  a: 1\n",
    "x\n",
    "",
    "# only a comment\n",
    "a: 1.5e3\n1.5: x\n",
    "2001-01-01: x\n",
    "=: x\n",
    "a: 2001-02-30\n",
    "a: " + "7" * 5000 + "\n",
    "k" * 300 + ": v\n",
    "- '" + "k" * 300 + "': v\n",
    "a: {" + "k" * 300 + ": v}\n",
]


@pytest.mark.parametrize("text", READ)
def test_a_tricky_case_is_read_exactly(text: str) -> None:
    if libyaml(text) is _ERROR:
        assert yamlfast.parse(text) is None
    else:
        assert check(text), f"fell back on {text!r}"


@pytest.mark.parametrize("text", GIVE_UP)
def test_outside_the_subset_the_fast_reader_gives_up(text: str) -> None:
    assert yamlfast.parse(text) is None


@pytest.mark.parametrize("start", list("-?:,[]{}#&*!|>'\"%@`"))
def test_values_starting_with_an_indicator(start: str) -> None:
    for text in (f"a: {start}\n", f"a: {start} x\n", f"a: {start}x\n", f"- {start}x\n",
                 f"a: x {start}\n", f"a: x{start}y\n"):
        check(text)  # read exactly, or given up


def test_the_nesting_limit_is_the_full_readers() -> None:
    def block(depth: int) -> str:
        return "".join("  " * i + "k:\n" for i in range(depth - 1)) + "  " * (depth - 1) + "k: 1\n"

    assert check(block(MAX_NESTING + 1))  # the top level and 100 below it
    assert yamlfast.parse(block(MAX_NESTING + 2)) is None
    flow = "a: " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n"
    assert yamlfast.parse(flow) is None  # nested flow is outside the subset; libyaml reads it
    assert yamlfast.parse("".join("  " * i + "k:\n" for i in range(MAX_NESTING)) +
                          "  " * MAX_NESTING + "k: []\n") is None  # [] is a level too


def test_every_escape_libyaml_knows_is_read_the_same() -> None:
    for char in map(chr, range(0x20, 0x7F)):
        check(f'a: "\\{char}"\n')
    for code in ("x00", "xff", "u2028", "ud7ff", "ue000", "U0010ffff", "U00110000", "udfff"):
        check(f'a: "\\{code}"\n')


# -- generated documents, and mutations of them ------------------------------------

_WORDS = ["a", "b", "text", "to", "yes", "no", "on", "null", "~", "1", "-1", "0x1F", "1_000",
          ".5", "2001-01-01", "1e3", "x y", "a:b", "a#b", "x!", "a & b", "s250", "don't",
          "-x", ".inf", "true", "False", "0o7", "12:30", "=", "<<", "y"]
# Words the subset always reads: as keys (distinct once typed), in flow sequences.
_KEYS = ["a", "b", "text", "to", "yes", "null", "7", "-1", "x y", "a:b", "a#b", "x!",
         "s250", "don't", "'q k'", '"d\\tk"', "'it''s'"]
_FLOW_WORDS = [w for w in _WORDS if ":" not in w and w not in ("=", "<<")]
_CHARS = "\r\u0085abc -:#'\"|>[]{},!&*?%@`\\\n\t ~.0123456789xyz\u00e9"

quoted = st.text(alphabet="ab '\"\\#:-n\u00e9", max_size=8).map(
    lambda s: "'" + s.replace("'", "''") + "'") | st.sampled_from(
    ['"a\\nb"', '"\\x41"', '"q\\"uote"', '"\\\\"', '"# x"', '"tab\\t"', '""'])


class _Grammar:
    """Documents of the subset; ``loose`` ones may also hold what it gives up on
    (keys typed alike, floats as keys, `=`, `<<`, odd block indentation)."""

    def __init__(self, draw: st.DrawFn, loose: bool) -> None:
        self.draw = draw
        self.loose = loose
        words = _WORDS if loose else [w for w in _WORDS if w not in ("=", "<<")]
        self.scalars = st.sampled_from(words) | quoted
        self.flows = st.lists(st.sampled_from(_WORDS if loose else _FLOW_WORDS) | quoted,
                              max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
        flow_keys = st.sampled_from(_WORDS if loose else [k for k in _KEYS if ":" not in k])
        flow_values = st.sampled_from(_WORDS if loose else _FLOW_WORDS) | quoted | self.flows
        self.flow_mappings = st.lists(
            st.tuples(flow_keys, flow_values), max_size=3,
            unique_by=(lambda pair: pair[0]) if not loose else None,  # type: ignore[arg-type]
        ).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")
        firsts = ["x", "y z", "", "# c"] + ([" lead", "  two"] if loose else [])
        self.blocks = st.tuples(
            st.sampled_from(["|", "|-", "|+", ">", ">-", ">+"]),
            st.lists(st.sampled_from(firsts), max_size=1),
            st.lists(st.sampled_from(["x", "y z", "", " lead", "# c", "  two"]), max_size=4))

    def value(self, indent: int, depth: int) -> list[str]:
        """The lines of a value after `key:` or `-` (the first without indentation)."""
        draw = self.draw
        kind = draw(st.integers(0, 5 if depth < 4 else 2))
        pad = " " * (indent + 2)
        if kind == 0:
            return [" " + draw(self.scalars)]
        if kind == 1:
            return [" " + draw(self.flows if draw(st.booleans()) else self.flow_mappings)]
        if kind == 2:
            header, first, lines = draw(self.blocks)
            if not self.loose and first in ([], [""]):  # then no content at all
                first, lines = [], []
            return [" " + header] + [pad + line if line else "" for line in first + lines]
        if kind == 3:
            return [""]  # null
        if kind == 4:
            return ["", *self.mapping(indent + 2, depth + 1)]
        return ["", *self.sequence(indent + draw(st.sampled_from([0, 2])), depth + 1)]

    def mapping(self, indent: int, depth: int) -> list[str]:
        draw = self.draw
        keys = st.sampled_from(_WORDS) | quoted if self.loose else st.sampled_from(_KEYS)
        out = []
        for key in draw(st.lists(keys, min_size=1, max_size=4, unique=True)):
            first, *rest = self.value(indent, depth)
            comment = draw(st.sampled_from(["", "", " # c"]))
            out.append(" " * indent + key + ":" + first + comment)
            out.extend(rest)
        return out

    def sequence(self, indent: int, depth: int) -> list[str]:
        draw = self.draw
        out = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()) and depth < 4:  # a compact mapping
                lines = self.mapping(indent + 2, depth + 1)
                out.append(" " * indent + "- " + lines[0][indent + 2:])
                out.extend(lines[1:])
            else:
                first, *rest = self.value(indent, depth)
                out.append(" " * indent + "-" + first)
                out.extend(rest)
        return out


@st.composite
def documents(draw: st.DrawFn, loose: bool = True) -> str:
    grammar = _Grammar(draw, loose)
    lines = grammar.mapping(0, 1) if draw(st.booleans()) else grammar.sequence(0, 1)
    if loose and draw(st.booleans()):  # it may end a block scalar
        lines.insert(draw(st.integers(0, len(lines))), "# a comment")
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text  # Windows


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(documents())
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.integers(0, 3))
        if action == 0:
            text = text[:at] + draw(st.sampled_from(_CHARS)) + text[at:]
        elif action == 1:
            text = text[:at] + text[at + 1:]
        elif action == 2:
            text = text[:at] + draw(st.sampled_from(_CHARS)) + text[at + 1:]
        else:  # indent or dedent a line
            start = text.rfind("\n", 0, at) + 1
            text = (text[:start] + " " + text[start:]) if draw(st.booleans()) else (
                text[:start] + text[start:].removeprefix(" "))
    return text


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(documents(loose=False))
def test_documents_of_the_subset_take_the_fast_path_and_are_exact(text: str) -> None:
    assert check(text), f"fell back on {text!r}"


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_are_read_exactly_or_given_up(text: str) -> None:
    check(text)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(mutated())
def test_mutated_documents_are_read_exactly_or_given_up(text: str) -> None:
    check(text)


def test_the_libyaml_path_still_reads_what_the_full_reader_reads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """read_data's fallback, now taken only outside the subset, is kept exact too."""
    texts = [f.read_text(encoding="utf-8") for f in sorted((ROOT / "scenes").rglob("*.yaml"))]
    assert all(yamlfast.parse(text) is not None for text in texts[:3])
    monkeypatch.setattr(yamlfast, "parse", lambda text: None)
    for text in texts:
        assert read_data(text) == (read_yaml(text).data, ())
