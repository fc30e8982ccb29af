"""YAML story folders in, a frozen :class:`~engine.model.Story` out.

Every problem of a story is collected (not just the first) as a
:class:`~engine.diagnostics.Diagnostic` with its file, line and column. The
happy path is lean: positions are recorded by the YAML reader as plain tuples
and only turned into diagnostics when something is wrong.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from carnet.engine.diagnostics import Diagnostic
from carnet.engine.expr import (
    ExprError,
    TypeIssue,
    Var,
    Visits,
    check_condition,
    check_effect,
    effect_reads,
    parse_effect,
    parse_expression,
    scenes_read,
    variables_read,
    walk,
)
from carnet.engine.expr.nodes import Effect, Expression, VarType, value_type
from carnet.engine.model import (
    FORMAT_VERSION,
    Choice,
    Scene,
    Source,
    Story,
    Variable,
)
from carnet.engine.sourcemap import Pos, SourceMap
from carnet.engine.template import (
    Block,
    Template,
    TemplateError,
    paragraph_spans,
    parse_template,
)
from carnet.engine.yamlio import Document, YamlProblem, decode, read_yaml

STORY_FILE = "story.yaml"
STORY_KEYS = frozenset({"carnet", "title", "start", "source", "vars", "scenes", "extend"})
FILE_KEYS = frozenset({"scenes", "vars", "extend"})
SCENE_KEYS = frozenset({"text", "revisit", "choices", "end", "on_enter", "draft", "noqa"})
EXTEND_KEYS = frozenset({"choices"})
PARAGRAPH_KEYS = frozenset({"if", "text", "else"})
CHOICE_KEYS = frozenset({"text", "to", "if", "do", "once", "canon"})
SOURCE_KEYS = frozenset({"path", "sha256"})

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_CODE = re.compile(r"[A-Z]{1,3}[0-9]{1,4}\Z")
_TYPE_NAMES = {bool: "a boolean", int: "an integer", str: "a string", list: "a list",
               dict: "a mapping", float: "a number with a fraction", type(None): "nothing (null)"}


@attrs.frozen(eq=False)
class LoadResult:
    """``story`` is ``None`` when there are errors."""

    story: Story | None
    diagnostics: tuple[Diagnostic, ...]
    source_map: SourceMap

    @property
    def ok(self) -> bool:
        return self.story is not None


def _describe(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), f"a {type(value).__name__}")


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


@attrs.frozen
class _At:
    """A position not looked up yet: most values are fine and never need one."""

    smap: SourceMap
    scene: str | None
    path: tuple[Any, ...]

    def resolve(self) -> Pos | None:
        if self.scene is None:
            return self.smap.story(*self.path)
        return self.smap.scene(self.scene, *self.path)


Where = Pos | _At | None


def _resolve(where: Where) -> Pos | None:
    return where.resolve() if isinstance(where, _At) else where


class _Builder:
    def __init__(self, folder: Path, display: str) -> None:
        self.folder = folder
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.smap = SourceMap()
        self.scenes: dict[str, Scene] = {}
        self.variables: dict[str, Variable] = {}
        self.declared: dict[str, Pos] = {}  # variable -> where it is declared
        self.extends: list[tuple[str, str, Document, Any]] = []  # (relative path, shown, doc, data)
        self.hasher = hashlib.sha256()

    # -- reporting -------------------------------------------------------------
    def at(self, scene: str, *path: Any) -> _At:
        return _At(self.smap, scene, path)

    def at_story(self, *path: Any) -> _At:
        return _At(self.smap, None, path)

    def error(self, where: Where, code: str, message: str, hint: str | None = None) -> None:
        pos = _resolve(where)
        if pos is None:
            pos = Pos(self.display, 1, 1)
        self.diagnostics.append(Diagnostic(pos.path, pos.line, pos.col, code, message, hint=hint))

    # -- files -----------------------------------------------------------------
    def read(self, file: Path) -> tuple[str, Document] | None:
        rel = file.relative_to(self.folder).as_posix()
        shown = f"{self.display}/{rel}"
        try:
            data = file.read_bytes()
        except OSError as err:
            self.error(Pos(shown, 1, 1), "E001", f"cannot read the file: {err.strerror}")
            return None
        self.hasher.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
        try:
            doc = read_yaml(decode(data))
        except YamlProblem as problem:
            self.error(Pos(shown, problem.line, problem.col), problem.code, problem.message,
                       problem.hint)
            return None
        for found in doc.problems:
            self.error(Pos(shown, found.line, found.col), found.code, found.message, found.hint)
        self.smap.add_file(shown, doc)
        return shown, doc

    def keys(self, data: dict[Any, Any], doc: Document, path: str, allowed: frozenset[str],
             required: Iterable[str], where: Where, what: str) -> bool:
        """Unknown and missing keys; False when the mapping cannot be used."""
        marks = doc.marks.get(id(data), {})
        ok = True
        for key in data:
            if not isinstance(key, str):
                mark = marks[key] if isinstance(marks, dict) else (1, 1)
                self.error(Pos(path, mark[0], mark[1]), "E004",
                           f"{what} keys are names, not {_describe(key)}")
                ok = False
            elif key not in allowed:
                mark = marks[key] if isinstance(marks, dict) else (1, 1)
                hint = (did_you_mean(key, allowed)
                        or f"{what} keys are: {', '.join(sorted(allowed))}")
                self.error(Pos(path, mark[0], mark[1]), "E005", f"unknown key {key!r} in {what}",
                           hint)
        for key in required:
            if key not in data:
                self.error(where, "E006", f"{what} has no {key!r}")
                ok = False
        return ok

    def expect(self, value: Any, kind: type | tuple[type, ...], pos: Where, what: str,
               hint: str | None = None) -> bool:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if not ok:
            expected = " or ".join(_TYPE_NAMES[k] for k in kinds)
            if isinstance(value, bool) and str in kinds:
                hint = "YAML reads yes/no/true/false/on/off as booleans: quote the text"
            self.error(pos, "E004", f"{what} must be {expected}, not {_describe(value)}", hint)
        return ok

    # -- story.yaml ------------------------------------------------------------
    def story_meta(self, path: str, doc: Document) -> dict[str, Any] | None:
        self.smap.set_story(path, doc)
        data = doc.data
        top = self.smap.story()
        if not isinstance(data, dict):
            self.error(top, "E004", f"{STORY_FILE} must be a mapping, not {_describe(data)}")
            return None
        self.keys(data, doc, path, STORY_KEYS, ("carnet", "title", "start"), top, STORY_FILE)
        meta: dict[str, Any] = {}
        version = data.get("carnet", 0)
        if "carnet" in data and self.expect(version, int, self.at_story("carnet"),
                                            "'carnet' (the format version)"):
            if version > FORMAT_VERSION:
                self.error(self.at_story("carnet"), "E007",
                           f"format version {version} is newer than this carnet reads "
                           f"({FORMAT_VERSION})", "upgrade carnet")
            elif version < 1:
                self.error(self.at_story("carnet"), "E007",
                           f"format version must be {FORMAT_VERSION}")
        for key in ("title", "start"):
            if key in data and self.expect(data[key], str, self.smap.story(key), repr(key)):
                meta[key] = data[key]
        if "source" in data:
            meta["source"] = self.source(data["source"], doc, path)
        return meta

    def source(self, data: Any, doc: Document, path: str) -> Source | None:
        pos = self.at_story("source")
        if not self.expect(data, dict, pos, "'source'"):
            return None
        if not self.keys(data, doc, path, SOURCE_KEYS, ("path", "sha256"), pos, "'source'"):
            return None
        ok = self.expect(data["path"], str, self.at_story("source", "path"), "'source.path'")
        sha = data["sha256"]
        if self.expect(sha, str, self.at_story("source", "sha256"), "'source.sha256'"):
            if not _SHA256.match(sha):
                self.error(self.at_story("source", "sha256"), "E007",
                           "'source.sha256' must be 64 lowercase hex digits")
                ok = False
        else:
            ok = False
        return Source(data["path"], sha) if ok else None

    def declare(self, top: dict[Any, Any], doc: Document, path: str) -> None:
        """The ``vars:`` of one file; any file may declare variables, once each."""
        data = top["vars"]
        if not self.expect(data, dict, _value_pos(doc, path, top, "vars"), "'vars'"):
            return
        for name, default in data.items():
            here = _key_pos(doc, path, data, name)
            if not isinstance(name, str) or not _ID.match(name):
                self.error(here, "E007", f"{name!r} is not a valid variable name",
                           "a letter or _ followed by letters, digits and _")
                continue
            first = self.declared.get(name)
            if first is not None:
                self.error(here, "E014",
                           f"variable {name!r} is already declared at "
                           f"{first.path}:{first.line}:{first.col}",
                           "declare each variable in one file only")
                continue
            self.declared[name] = here
            kind = value_type(default)
            if kind is None:
                self.expect(default, (bool, int, str), _value_pos(doc, path, data, name),
                            f"the default of {name!r}",
                            "the default's type is the variable's type: true, 0 or \"text\"")
            else:
                self.variables[name] = Variable(name, kind, default)

    # -- scenes ----------------------------------------------------------------
    def scenes_of(self, path: str, doc: Document, is_story: bool) -> None:
        data = doc.data
        if data is None:
            return
        if not isinstance(data, dict):
            self.error(self.smap_root(path, doc), "E004",
                       f"a story file must be a mapping, not {_describe(data)}")
            return
        if not is_story:
            self.keys(data, doc, path, FILE_KEYS, (), self.smap_root(path, doc), "a story file")
        if "vars" in data:
            self.declare(data, doc, path)
        if "extend" in data:
            self.extends.append((path[len(self.display) + 1:], path, doc, data))
        scenes = data.get("scenes")
        if scenes is None:
            return
        marks = doc.marks.get(id(data), {})
        mark = marks.get("scenes") if isinstance(marks, dict) else None
        pos = Pos(path, mark[2], mark[3]) if mark else self.smap_root(path, doc)
        if not self.expect(scenes, dict, pos, "'scenes'", "scenes: is a mapping of id: scene"):
            return
        for scene_id in scenes:
            first = self.smap.scene_file(scene_id) if isinstance(scene_id, str) else None
            smarks = doc.marks[id(scenes)]
            kmark = smarks[scene_id] if isinstance(smarks, dict) else (1, 1)
            here = Pos(path, kmark[0], kmark[1])
            if not isinstance(scene_id, str) or not _ID.match(scene_id):
                self.error(here, "E007", f"{scene_id!r} is not a valid scene id",
                           "a letter or _ followed by letters, digits and _")
                continue
            if first is not None:
                other = self.smap.scene(scene_id)
                where = f"{other.path}:{other.line}:{other.col}" if other else first
                self.error(here, "E008", f"scene {scene_id!r} is already defined at {where}")
                continue
            self.smap.add_scene(scene_id, path, doc, scenes)
            scene = self.scene(scene_id, scenes[scene_id], doc, path, here)
            if scene is not None:
                self.scenes[scene_id] = scene

    def smap_root(self, path: str, doc: Document) -> Pos:
        return Pos(path, doc.root[0], doc.root[1])

    def scene(self, sid: str, data: Any, doc: Document, path: str, here: Pos) -> Scene | None:
        at = self.at
        if not self.expect(data, dict, here, f"scene {sid!r}"):
            return None
        if not self.keys(data, doc, path, SCENE_KEYS, ("text",), here, f"scene {sid!r}"):
            return None
        ok = True
        sources: list[str] = []
        blocks = self.text(sid, "text", data["text"], doc, path, sources)
        revisit = None
        if "revisit" in data:
            revisit = self.text(sid, "revisit", data["revisit"], doc, path, [])
            ok = revisit is not None
        if blocks is None:
            ok, blocks = False, ()
        ending = data.get("end")
        if ending is not None and self.expect(ending, str, at(sid, "end"), "'end'"):
            if not ending.strip():
                self.error(at(sid, "end"), "E007", "an ending needs a label")
        elif "end" in data:
            ok = False
        choices = self.choices(sid, data.get("choices", []), doc, path)
        if choices is None:
            ok = False
            choices = ()
        if ending is not None and choices:
            self.error(self.smap.key(sid, "end"), "E007",
                       f"scene {sid!r} has both choices and an ending",
                       "an ending finishes the story: remove 'end' or the choices")
        on_enter = self.effects(sid, ("on_enter",), data.get("on_enter", []))
        draft = data.get("draft", False)
        if not self.expect(draft, bool, at(sid, "draft"), "'draft'"):
            draft = False
        noqa = self.noqa(sid, data.get("noqa", []))
        if not ok or on_enter is None:
            return None
        return Scene(sid, tuple(sources), choices, ending, on_enter, draft, noqa, blocks, revisit)

    def text(self, sid: str, key: str, data: Any, doc: Document, path: str,
             sources: list[str]) -> tuple[Block, ...] | None:
        """A scene's ``text`` or ``revisit``: a string, or a list of paragraphs
        (strings, and ``{if:, text:, else:}`` mappings). ``sources`` gets the
        source paragraphs."""
        if isinstance(data, str):
            paragraphs = self.paragraphs(sid, (key,), data, sources)
            return None if paragraphs is None else (Block(paragraphs, path=(key,)),)
        what = "scene text" if key == "text" else f"{key!r}"
        if not self.expect(data, (str, list), self.at(sid, key), what,
                           "write the text as a string (text: | for several paragraphs), "
                           "or as a list of paragraphs"):
            return None
        if not data:
            self.error(self.at(sid, key), "E007", f"{key!r} is an empty list",
                       "list at least one paragraph")
            return None
        blocks: list[Block] = []
        ok = True
        for i, item in enumerate(data):
            here = (key, i)
            if isinstance(item, str):
                paragraphs = self.paragraphs(sid, here, item, sources)
                if paragraphs is None:
                    ok = False
                else:
                    blocks.append(Block(paragraphs, path=here))
                continue
            what = f"paragraph {i + 1} of {key!r} in scene {sid!r}"
            if not self.expect(item, (str, dict), self.at(sid, *here), what,
                               "a paragraph is a string or {if: CONDITION, text: ...}"):
                ok = False
                continue
            if not self.keys(item, doc, path, PARAGRAPH_KEYS, ("if", "text"), self.at(sid, *here),
                             what):
                ok = False
                continue
            condition = self.condition(item["if"], self.at(sid, *here, "if"))
            shown: tuple[Template, ...] | None = None
            if self.expect(item["text"], str, self.at(sid, *here, "text"), "paragraph text"):
                shown = self.paragraphs(sid, (*here, "text"), item["text"], sources)
            otherwise: tuple[Template, ...] | None = ()
            if "else" in item:
                otherwise = None
                if self.expect(item["else"], str, self.at(sid, *here, "else"), "'else'"):
                    otherwise = self.paragraphs(sid, (*here, "else"), item["else"], sources)
            if condition is None or shown is None or otherwise is None:
                ok = False
            else:
                blocks.append(Block(shown, condition, otherwise, here))
        return tuple(blocks) if ok else None

    def paragraphs(self, sid: str, key: tuple[Any, ...], text: str,
                   sources: list[str]) -> tuple[Template, ...] | None:
        result: list[Template] = []
        ok = True
        for offset, paragraph in paragraph_spans(text):
            sources.append(paragraph)
            template = self.template(sid, key, paragraph, text, offset)
            if template is None:
                ok = False
            else:
                result.append(template)
        return tuple(result) if ok else None

    def template(self, sid: str, key: tuple[Any, ...], text: str, source: str,
                 offset: int = 0) -> Template | None:
        try:
            return parse_template(text, source=source, base=offset, path=key)
        except TemplateError as err:
            pos = self.at(sid, *key).resolve()
            self.error(pos.offset(err.offset, source) if pos else None, err.code, err.message,
                       err.hint)
            return None

    def noqa(self, sid: str, data: Any) -> frozenset[str]:
        if not self.expect(data, list, self.at(sid, "noqa"), "'noqa'",
                           "noqa: [G102, T301]"):
            return frozenset()
        codes = set()
        for i, code in enumerate(data):
            if not isinstance(code, str) or not _CODE.match(code):
                self.error(self.at(sid, "noqa", i), "E007",
                           f"{code!r} is not a lint code", "codes look like G102")
            else:
                codes.add(code)
        return frozenset(codes)

    def choices(self, sid: str, data: Any, doc: Document, path: str, start: int = 0,
                canon_seen: bool = False, where: Where = None) -> tuple[Choice, ...] | None:
        """A scene's choices; an ``extend:`` entry's come numbered from ``start``."""
        at = self.at
        if not self.expect(data, list, where or at(sid, "choices"), "'choices'",
                           "choices: is a list; start each choice with '- text:'"):
            return None
        result: list[Choice] = []
        for i, item in enumerate(data, start=start):
            here = at(sid, "choices", i)
            what = f"choice {i + 1} of scene {sid!r}"
            if not self.expect(item, dict, here, what):
                continue
            if not self.keys(item, doc, path, CHOICE_KEYS, ("text", "to"), here, what):
                continue
            template = None
            if self.expect(item["text"], str, at(sid, "choices", i, "text"), "choice text"):
                template = self.template(sid, ("choices", i, "text"), item["text"], item["text"])
            ok = template is not None
            target = item["to"]
            if self.expect(target, str, at(sid, "choices", i, "to"), "'to'"):
                if not _ID.match(target):
                    self.error(at(sid, "choices", i, "to"), "E007",
                               f"{target!r} is not a valid scene id")
                    ok = False
            else:
                ok = False
            condition = None
            if "if" in item:
                condition = self.condition(item["if"], at(sid, "choices", i, "if"))
                ok = ok and condition is not None
            effects = self.effects(sid, ("choices", i, "do"), item.get("do", []))
            flags = []
            for flag in ("once", "canon"):
                value = item.get(flag, False)
                if not self.expect(value, bool, at(sid, "choices", i, flag), repr(flag)):
                    value, ok = False, False
                flags.append(value)
            once, canon = flags
            if canon and canon_seen:
                self.error(self.smap.key(sid, "choices", i, "canon"), "E007",
                           f"scene {sid!r} has more than one canonical choice",
                           "canon: true marks the one choice that follows the source story")
            canon_seen = canon_seen or canon
            if ok and effects is not None and template is not None:
                result.append(Choice(item["text"], target, condition, effects, once, canon,
                                     template))
        return tuple(result) if len(result) == len(data) else None

    def condition(self, source: Any, where: Where) -> Expression | None:
        if not self.expect(source, str, where, "a condition ('if')",
                           "write the condition as text, e.g. if: has_key and coins > 2"):
            return None
        try:
            return parse_expression(source)
        except ExprError as err:
            pos = _resolve(where)
            self.error(pos.offset(err.offset, source) if pos else None, "E009", err.message,
                       err.hint)
            return None

    def effects(self, sid: str, path: tuple[Any, ...], data: Any) -> tuple[Effect, ...] | None:
        if not self.expect(data, list, self.at(sid, *path), repr(path[-1]),
                           f"{path[-1]}: is a list, e.g. [met = true, coins += 1]"):
            return None
        result: list[Effect] = []
        for i, source in enumerate(data):
            where = self.at(sid, *path, i)
            if not self.expect(source, str, where, "an effect",
                               "write effects as text: name = value, name += 1"):
                continue
            try:
                result.append(parse_effect(source))
            except ExprError as err:
                pos = where.resolve()
                self.error(pos.offset(err.offset, source) if pos else None, "E009", err.message,
                           err.hint)
        return tuple(result) if len(result) == len(data) else None

    # -- story-wide checks -----------------------------------------------------
    def references(self, start: str | None, variables: dict[str, Variable]) -> None:
        types = {name: var.type for name, var in variables.items()}
        if start is not None and start not in self.scenes and self.smap.scene(start) is None:
            message = f"the start scene {start!r} does not exist"
            self.error(self.at_story("start"), "E011", message, did_you_mean(start, self.scenes))
        for sid, scene in self.scenes.items():
            for i, choice in enumerate(scene.choices):
                if choice.target not in self.scenes and self.smap.scene(choice.target) is None:
                    self.error(self.at(sid, "choices", i, "to"), "E011",
                               f"choice leads to {choice.target!r}, which does not exist",
                               did_you_mean(choice.target, self.scenes))
                if choice.condition is not None:
                    pos = self.at(sid, "choices", i, "if")
                    self.expression(choice.condition, pos, types)
                for j, effect in enumerate(choice.effects):
                    self.effect(effect, self.at(sid, "choices", i, "do", j), types)
                self.interpolation(sid, choice.template, types)
            for j, effect in enumerate(scene.on_enter):
                self.effect(effect, self.at(sid, "on_enter", j), types)
            for blocks in (scene.text, scene.revisit or ()):
                for block in blocks:
                    if block.condition is not None:
                        self.expression(block.condition, self.at(sid, *block.path, "if"), types)
                    for template in (*block.paragraphs, *block.otherwise):
                        self.interpolation(sid, template, types)

    def expression(self, expr: Expression, where: Where, types: Mapping[str, VarType]) -> None:
        self.checked(expr.source, variables_read(expr.root), scenes_read(expr.root),
                     lambda: check_condition(expr, types), where, types)

    def effect(self, effect: Effect, where: Where, types: Mapping[str, VarType]) -> None:
        self.checked(effect.source, effect_reads(effect) | {effect.var},
                     scenes_read(effect.value), lambda: check_effect(effect, types), where, types)

    def checked(self, source: str, reads: frozenset[str], scenes: frozenset[str],
                type_issues: Callable[[], list[TypeIssue]], where: Where,
                types: Mapping[str, VarType]) -> None:
        """Names, scenes and types of one expression; positions only on error."""
        unknown = sorted(n for n in reads if n not in types)
        missing = sorted(s for s in scenes if s not in self.scenes)
        issues = [] if unknown else type_issues()
        if not (unknown or missing or issues):
            return
        pos = _resolve(where)
        for name in unknown:
            self.error(_at(pos, source, name), "E012", f"{name!r} is not a declared variable",
                       did_you_mean(name, types) or _DECLARE_HINT)
        for scene in missing:
            self.error(_at(pos, source, scene), "E011", f"visits({scene}): no such scene",
                       did_you_mean(scene, self.scenes))
        for issue in issues:
            self.error(pos.offset(issue.offset, source) if pos else None, "E010",
                       issue.message, issue.hint)

    def interpolation(self, sid: str, template: Template, types: Mapping[str, VarType]) -> None:
        """The ``{name}``s and inline conditions of one text; positions only on error."""
        if template.plain is not None:
            return
        unknown = [(name, at) for name, at in template.names if name not in types]
        for name, at in unknown:
            pos = self.at(sid, *template.path).resolve()
            self.error(pos.offset(at, template.source) if pos else None, "E012",
                       f"{{{name}}}: {name!r} is not a declared variable",
                       did_you_mean(name, types) or _DECLARE_HINT)
        for expr, offset in template.conditions:
            self.text_condition(sid, template, expr, offset, types)

    def text_condition(self, sid: str, template: Template, expr: Expression, offset: int,
                       types: Mapping[str, VarType]) -> None:
        """An inline condition: names, scenes and type, placed inside the text."""
        names = [n for n in walk(expr.root) if isinstance(n, Var) and n.name not in types]
        scenes = [n for n in walk(expr.root) if isinstance(n, Visits)
                  and n.scene not in self.scenes and self.smap.scene(n.scene) is None]
        issues = [] if names else check_condition(expr, types)
        if not (names or scenes or issues):
            return
        pos = self.at(sid, *template.path).resolve()

        def here(at: int) -> Pos | None:
            return pos.offset(offset + at, template.source) if pos else None

        for var in names:
            self.error(here(var.pos), "E012", f"{var.name!r} is not a declared variable",
                       did_you_mean(var.name, types) or _DECLARE_HINT)
        for visit in scenes:
            self.error(here(visit.pos), "E011", f"visits({visit.scene}): no such scene",
                       did_you_mean(visit.scene, self.scenes))
        for issue in issues:
            self.error(here(issue.offset), "E010", issue.message, issue.hint)

    # -- extend: ---------------------------------------------------------------
    def extend(self) -> None:
        """``extend:`` entries, files in sorted relative-path order: their
        choices come after the scene's own."""
        for _, path, doc, top in sorted(self.extends, key=lambda entry: entry[0]):
            data = top["extend"]
            if not self.expect(data, dict, _value_pos(doc, path, top, "extend"), "'extend'",
                               "extend: maps a scene id to {choices: [...]}"):
                continue
            for sid, entry in data.items():
                here = _key_pos(doc, path, data, sid)
                if not isinstance(sid, str) or sid not in self.scenes:
                    if not (isinstance(sid, str) and self.smap.scene(sid) is not None):
                        self.error(here, "E011", f"extend: there is no scene {sid!r} to extend",
                                   did_you_mean(str(sid), self.scenes))
                    continue
                scene = self.scenes[sid]
                what = f"extend: entry {sid!r}"
                if scene.is_ending:
                    self.error(here, "E007", f"scene {sid!r} is an ending: it cannot get choices",
                               "extend a scene that has choices")
                    continue
                where = _value_pos(doc, path, data, sid)
                if not self.expect(entry, dict, where, what, "write {choices: [...]}"):
                    continue
                if not self.keys(entry, doc, path, EXTEND_KEYS, ("choices",), where, what):
                    continue
                start = len(scene.choices)
                self.smap.add_extension(sid, start, path, doc, entry)
                added = self.choices(sid, entry["choices"], doc, path, start,
                                     scene.canon_choice is not None,
                                     _value_pos(doc, path, entry, "choices"))
                if added is not None:
                    self.scenes[sid] = attrs.evolve(scene, choices=scene.choices + added)


_DECLARE_HINT = "declare it under vars: in any file of the story"


def _key_pos(doc: Document, path: str, container: Any, key: Any) -> Pos:
    marks = doc.marks.get(id(container))
    if isinstance(marks, dict) and key in marks:
        return Pos(path, marks[key][0], marks[key][1])
    return Pos(path, doc.root[0], doc.root[1])


def _value_pos(doc: Document, path: str, container: Any, key: Any) -> Pos:
    marks = doc.marks.get(id(container))
    if isinstance(marks, dict) and key in marks:
        _, _, line, col, style = marks[key]
        return Pos(path, line, col, style)
    return Pos(path, doc.root[0], doc.root[1])


def _at(pos: Pos | None, source: str, name: str) -> Pos | None:
    if pos is None:
        return None
    match = re.search(rf"\b{re.escape(name)}\b", source)
    return pos.offset(match.start() if match else 0, source)


def story_files(folder: Path) -> list[Path]:
    """The story's YAML files, ``story.yaml`` first, then by relative path."""
    files = sorted(p for p in folder.rglob("*.yaml") if p.is_file())
    return sorted(files, key=lambda p: (p.relative_to(folder).as_posix() != STORY_FILE,
                                        p.relative_to(folder).as_posix()))


def load_story(folder: str | Path, *, display: str | None = None) -> LoadResult:
    """Load the story in ``folder``. Never raises for a problem in the story."""
    folder = Path(folder)
    shown = display if display is not None else str(folder).rstrip("/") or "."
    builder = _Builder(folder, shown)
    files = story_files(folder)
    if not files or files[0].relative_to(folder).as_posix() != STORY_FILE:
        builder.error(Pos(f"{shown}/{STORY_FILE}", 1, 1), "E013",
                      f"{shown} is not a story: it has no {STORY_FILE}",
                      "a story is a folder with a story.yaml; see docs/format.md")
        return LoadResult(None, tuple(builder.diagnostics), builder.smap)
    meta: dict[str, Any] | None = None
    for file in files:
        read = builder.read(file)
        if read is None:
            continue
        path, doc = read
        is_story = file == files[0]
        if is_story:
            meta = builder.story_meta(path, doc)
        builder.scenes_of(path, doc, is_story)
    builder.extend()
    variables = builder.variables
    builder.references((meta or {}).get("start"), variables)
    diagnostics = tuple(sorted(set(builder.diagnostics)))
    if diagnostics or meta is None or "title" not in meta or "start" not in meta:
        if not diagnostics:  # pragma: no cover - every failure above reports
            builder.error(None, "E007", "the story could not be loaded")
            diagnostics = tuple(builder.diagnostics)
        return LoadResult(None, diagnostics, builder.smap)
    story = Story(
        id=folder.resolve().name,
        title=meta["title"],
        start=meta["start"],
        variables=variables,
        scenes=builder.scenes,
        source=meta.get("source"),
        fingerprint=builder.hasher.hexdigest(),
    )
    return LoadResult(story, (), builder.smap)


def iter_errors(result: LoadResult) -> Iterator[str]:
    for diagnostic in result.diagnostics:
        yield diagnostic.format()
