"""YAML story folders in, a frozen :class:`~engine.model.Story` out.

Every problem of a story is collected (not just the first) as a
:class:`~engine.diagnostics.Diagnostic` with its file, line and column. The
happy path is lean: positions are recorded by the YAML reader as plain tuples
and only turned into diagnostics when something is wrong.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from carnet.engine.diagnostics import Diagnostic
from carnet.engine.expr import (
    ExprError,
    TypeIssue,
    check_condition,
    check_effect,
    effect_reads,
    parse_effect,
    parse_expression,
    scenes_read,
    variables_read,
)
from carnet.engine.expr.nodes import Effect, Expression, VarType, value_type
from carnet.engine.limits import (
    MAX_FILES,
    MAX_INT,
    MAX_SCENES,
    MAX_STORY_BYTES,
    MAX_STRING_CHARS,
    MAX_VARIABLES,
    int_in_range,
)
from carnet.engine.model import (
    FORMAT_VERSION,
    Choice,
    Scene,
    Source,
    Story,
    Variable,
)
from carnet.engine.sourcemap import Pos, SourceMap
from carnet.engine.text import placeholders, split_paragraphs
from carnet.engine.yamlio import Document, YamlProblem, decode, read_yaml

STORY_FILE = "story.yaml"
WALKTHROUGHS_DIR = "walkthroughs"  # `carnet test` files: beside the story, not part of it
STORY_KEYS = frozenset({"carnet", "title", "start", "source", "vars", "scenes"})
FILE_KEYS = frozenset({"scenes"})
SCENE_KEYS = frozenset({"text", "choices", "end", "on_enter", "draft", "noqa"})
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
        self.hasher = hashlib.sha256()
        self.scene_ids: set[str] = set()
        self.bytes_read = 0

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
        self.bytes_read += len(data)
        if self.bytes_read > MAX_STORY_BYTES:
            self.error(Pos(shown, 1, 1), "E001",
                       f"the story is larger than {MAX_STORY_BYTES // (1024 * 1024)} MiB")
            return None
        self.hasher.update(os.fsencode(rel) + b"\0" + hashlib.sha256(data).digest())
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
        meta["vars"] = self.variables(data.get("vars", {}), doc, path)
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

    def variables(self, data: Any, doc: Document, path: str) -> dict[str, Variable]:
        if not self.expect(data, dict, self.at_story("vars"), "'vars'"):
            return {}
        result: dict[str, Variable] = {}
        for name, default in data.items():
            if not isinstance(name, str) or not _ID.match(name):
                self.error(self.smap.key(None, "vars", name), "E007",
                           f"{name!r} is not a valid variable name",
                           "a letter or _ followed by letters, digits and _")
                continue
            if len(result) >= MAX_VARIABLES:
                self.error(self.smap.key(None, "vars", name), "E007",
                           f"the story declares more than {MAX_VARIABLES:,} variables")
                break
            kind = value_type(default)
            if not self.value_fits(default, self.at_story("vars", name),
                                   f"the default of {name!r}"):
                continue
            if kind is None:
                self.expect(default, (bool, int, str), self.at_story("vars", name),
                            f"the default of {name!r}",
                            "the default's type is the variable's type: true, 0 or \"text\"")
            else:
                result[name] = Variable(name, kind, default)
        return result

    def value_fits(self, value: Any, where: Where, what: str) -> bool:
        """False (and an E007) for an integer or string beyond carnet's limits."""
        if isinstance(value, int) and not isinstance(value, bool) and not int_in_range(value):
            self.error(where, "E007", f"{what} is beyond the largest integer, {MAX_INT:,}",
                       "carnet integers have at most 18 digits")
            return False
        if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
            self.error(where, "E007",
                       f"{what} is longer than {MAX_STRING_CHARS:,} characters")
            return False
        return True

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
            self.keys(data, doc, path, FILE_KEYS, (), self.smap_root(path, doc), "a scenes file")
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
            if len(self.scene_ids) >= MAX_SCENES:
                self.error(here, "E007", f"the story has more than {MAX_SCENES:,} scenes")
                return
            if first is not None:
                other = self.smap.scene(scene_id)
                where = f"{other.path}:{other.line}:{other.col}" if other else first
                self.error(here, "E008", f"scene {scene_id!r} is already defined at {where}")
                continue
            self.smap.add_scene(scene_id, path, doc, scenes)
            self.scene_ids.add(scene_id)
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
        text = data["text"]
        if not self.expect(text, str, at(sid, "text"), "scene text",
                           "write the text as a string; use a literal block (text: |) "
                           "for several paragraphs"):
            ok = False
            text = ""
        ending = data.get("end")
        if "end" in data and self.expect(ending, str, at(sid, "end"), "'end'",
                                         "end: is the ending's label, e.g. end: Together"):
            if not ending.strip():
                self.error(at(sid, "end"), "E007", "an ending needs a label")
                ok = False
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
        return Scene(sid, split_paragraphs(text), choices, ending, on_enter, draft, noqa)

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

    def choices(self, sid: str, data: Any, doc: Document, path: str) -> tuple[Choice, ...] | None:
        at = self.at
        if not self.expect(data, list, at(sid, "choices"), "'choices'",
                           "choices: is a list; start each choice with '- text:'"):
            return None
        result: list[Choice] = []
        canon_seen = False
        for i, item in enumerate(data):
            here = at(sid, "choices", i)
            what = f"choice {i + 1} of scene {sid!r}"
            if not self.expect(item, dict, here, what):
                continue
            if not self.keys(item, doc, path, CHOICE_KEYS, ("text", "to"), here, what):
                continue
            ok = self.expect(item["text"], str, at(sid, "choices", i, "text"), "choice text")
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
            if ok and effects is not None:
                result.append(Choice(item["text"], target, condition, effects, once, canon))
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
                self.interpolation(choice.text, self.at(sid, "choices", i, "text"),
                                   variables)
            for j, effect in enumerate(scene.on_enter):
                self.effect(effect, self.at(sid, "on_enter", j), types)
            self.interpolation("\n\n".join(scene.paragraphs), self.at(sid, "text"),
                               variables)

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
                       did_you_mean(name, types) or "declare it under vars: in story.yaml")
        for scene in missing:
            self.error(_at(pos, source, scene), "E011", f"visits({scene}): no such scene",
                       did_you_mean(scene, self.scenes))
        for issue in issues:
            self.error(pos.offset(issue.offset, source) if pos else None, "E010",
                       issue.message, issue.hint)

    def interpolation(self, text: str, where: Where, variables: dict[str, Variable]) -> None:
        if "{" not in text and "}" not in text:
            return
        pos = _resolve(where)
        for ph in placeholders(text):
            here = pos.offset(ph.offset, text) if pos else None
            if not ph.valid:
                self.error(here, "E007", f"stray {ph.name[:20]!r} in text",
                           "write {{ and }} for literal braces, {name} for a variable")
            elif ph.name not in variables:
                self.error(here, "E012", f"{{{ph.name}}}: {ph.name!r} is not a declared variable",
                           did_you_mean(ph.name, variables))


def _at(pos: Pos | None, source: str, name: str) -> Pos | None:
    if pos is None:
        return None
    match = re.search(rf"\b{re.escape(name)}\b", source)
    return pos.offset(match.start() if match else 0, source)


def story_files(folder: Path) -> list[Path]:
    """The story's YAML files, ``story.yaml`` first, then by relative path.

    The top-level ``walkthroughs/`` folder holds `carnet test` files, not story files.
    """
    files = sorted(p for p in folder.rglob("*.yaml")
                   if p.is_file() and p.relative_to(folder).parts[0] != WALKTHROUGHS_DIR)
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
    if len(files) > MAX_FILES:
        builder.error(Pos(f"{shown}/{STORY_FILE}", 1, 1), "E001",
                      f"the story has {len(files):,} files; the limit is {MAX_FILES:,}",
                      "merge small files, or keep other YAML files outside the story folder")
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
    variables: dict[str, Variable] = (meta or {}).get("vars", {})
    builder.references((meta or {}).get("start"), variables)
    diagnostics = tuple(sorted(set(builder.diagnostics)))
    incomplete = len(builder.scenes) != len(builder.scene_ids)  # a scene was refused
    if (diagnostics or incomplete or meta is None or "title" not in meta
            or "start" not in meta):
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
