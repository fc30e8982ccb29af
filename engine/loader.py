"""YAML story folders in, a frozen :class:`~engine.model.Story` out.

Every problem of a story is collected (not just the first) as a
:class:`~engine.diagnostics.Diagnostic` with its file, line and column. The
happy path is lean: positions are recorded by the YAML reader as plain tuples
and only turned into diagnostics when something is wrong.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, cast

import attrs

from carnet.engine.diagnostics import Diagnostic, Suggester
from carnet.engine.digest import sha256
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
from carnet.engine.files import open_regular
from carnet.engine.limits import (
    MAX_FILE_BYTES,
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
from carnet.engine.template import (
    TEXT_PATH,
    Block,
    Template,
    TemplateError,
    Text,
    compile_text,
    paragraph_spans,
)
from carnet.engine.yamlio import YamlProblem, decode, read_data, read_file

STORY_FILE = "story.yaml"
WALKTHROUGHS_DIR = "walkthroughs"  # `carnet test` files: beside the story, not part of it
STORY_KEYS = frozenset({"carnet", "title", "start", "description", "source", "vars", "scenes",
                        "extend"})
FILE_KEYS = frozenset({"scenes", "vars", "extend", "description"})
MAX_DESCRIPTION_CHARS = 200
SCENE_KEYS = frozenset({"text", "revisit", "choices", "end", "on_enter", "draft", "noqa"})
EXTEND_KEYS = frozenset({"choices"})
PARAGRAPH_KEYS = frozenset({"if", "text", "else"})
CHOICE_KEYS = frozenset({"text", "to", "if", "do", "once", "canon"})
SOURCE_KEYS = frozenset({"path", "sha256"})

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_CODE = re.compile(r"[A-Z]{1,3}[0-9]{1,4}\Z")
_NO_CODES: frozenset[str] = frozenset()
_KEY_PATHS: dict[str, tuple[str | int, ...]] = {"text": TEXT_PATH, "revisit": ("revisit",)}
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
    return Suggester(options)(word)


class _At(NamedTuple):
    """A position not looked up yet: most values are fine and never need one.
    (A named tuple: made for every value checked, so it must be cheap.)"""

    smap: SourceMap
    scene: str | None
    path: tuple[Any, ...]

    def resolve(self) -> Pos | None:
        if self.scene is None:
            return self.smap.story(*self.path)
        return self.smap.scene(self.scene, *self.path)


@attrs.frozen
class _In:
    """A value (or, with ``key``, the key) at ``keys`` in one file, not looked up yet."""

    smap: SourceMap
    file: str
    keys: tuple[Any, ...]
    key: bool = False

    def resolve(self) -> Pos | None:
        if self.key:
            return self.smap.key_of(self.file, *self.keys)
        return self.smap.value(self.file, *self.keys)


Where = Pos | _At | _In | None


def _resolve(where: Where) -> Pos | None:
    return where.resolve() if isinstance(where, (_At, _In)) else where


class _Builder:
    def __init__(self, folder: Path, display: str) -> None:
        self.folder = folder
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.smap = SourceMap()
        self.scenes: dict[str, Scene] = {}
        self.scene_hint = Suggester(self.scenes)  # reads the scenes at its first hint
        self.hasher = sha256()
        # parsed once per distinct source: expressions are immutable values
        self.parsed: dict[str, Expression] = {}
        self.parsed_effects: dict[str, Effect] = {}
        self.effect_lists: dict[tuple[str, ...], tuple[Effect, ...]] = {}
        # one string object for each scene id and well-formed choice target
        self.ids: dict[str, str] = {}
        # compiled choice texts that fill something in, by (text, index)
        self.choice_templates: dict[tuple[str, int], Text] = {}
        # one string object for equal choice texts and ending labels
        self.strings: dict[str, str] = {}
        self.checked_ok: set[int] = set()  # ids of expressions and effects found fine
        self.scene_count = 0  # scenes defined (each id once), whether refused or not
        self.bytes_read = 0
        self.variables: dict[str, Variable] = {}
        self.declared: dict[str, Where] = {}  # variable -> where it is declared
        self.description = ""
        self.description_at: Where | None = None
        # ``extend:`` of each file: (relative path, display path, the mapping)
        self.extends: list[tuple[str, str, Any]] = []

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
    def read(self, file: Path) -> tuple[str, Any] | None:
        rel = file.relative_to(self.folder).as_posix()
        shown = f"{self.display}/{rel}"
        try:
            data = read_file(file)
        except OSError as err:
            self.error(Pos(shown, 1, 1), "E001", f"cannot read the file: {err.strerror}")
            return None
        except YamlProblem as problem:
            self.error(Pos(shown, problem.line, problem.col), problem.code, problem.message,
                       problem.hint)
            return None
        self.bytes_read += len(data)
        if self.bytes_read > MAX_STORY_BYTES:
            self.error(Pos(shown, 1, 1), "E001",
                       f"the story is larger than {MAX_STORY_BYTES // (1024 * 1024)} MiB")
            return None
        digest = sha256(data).digest()
        self.hasher.update(os.fsencode(rel) + b"\0" + digest)
        self.smap.add_file(shown, file, digest)
        try:
            content, found = read_data(decode(data))
        except YamlProblem as problem:
            self.error(Pos(shown, problem.line, problem.col), problem.code, problem.message,
                       problem.hint)
            return None
        for issue in found:
            self.error(Pos(shown, issue.line, issue.col), issue.code, issue.message, issue.hint)
        return shown, content

    def keys(self, data: dict[Any, Any], path: str, keys: tuple[Any, ...],
             allowed: frozenset[str], required: Iterable[str], where: Where, what: str) -> bool:
        """Unknown and missing keys of the mapping at ``keys`` in file ``path``;
        False when the mapping cannot be used."""
        ok = True
        for key in data:
            if key.__class__ is str and key in allowed:
                continue
            here = self.smap.key_of(path, *keys, key)
            if not isinstance(key, str):
                self.error(here, "E004", f"{what} keys are names, not {_describe(key)}")
                ok = False
            else:
                hint = (did_you_mean(key, allowed)
                        or f"{what} keys are: {', '.join(sorted(allowed))}")
                self.error(here, "E005", f"unknown key {key!r} in {what}", hint)
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
    def story_meta(self, path: str, data: Any) -> dict[str, Any] | None:
        self.smap.set_story(path)
        top = self.at_story()
        if not isinstance(data, dict):
            self.error(top, "E004", f"{STORY_FILE} must be a mapping, not {_describe(data)}")
            return None
        self.keys(data, path, (), STORY_KEYS, ("carnet", "title", "start"), top, STORY_FILE)
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
            if key in data and self.expect(data[key], str, self.at_story(key), repr(key)):
                meta[key] = data[key]
        if "source" in data:
            meta["source"] = self.source(data["source"], path)
        return meta

    def source(self, data: Any, path: str) -> Source | None:
        pos = self.at_story("source")
        if not self.expect(data, dict, pos, "'source'"):
            return None
        if not self.keys(data, path, ("source",), SOURCE_KEYS, ("path", "sha256"), pos,
                         "'source'"):
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

    def declare(self, data: Any, path: str) -> None:
        """The ``vars:`` of one file; any file may declare variables, once each."""
        if not self.expect(data, dict, _In(self.smap, path, ("vars",)), "'vars'"):
            return
        for name, default in data.items():
            here = _In(self.smap, path, ("vars", name), key=True)
            if not isinstance(name, str) or not _ID.match(name):
                self.error(here, "E007", f"{name!r} is not a valid variable name",
                           "a letter or _ followed by letters, digits and _")
                continue
            first = self.declared.get(name)
            if first is not None:
                pos = _resolve(first)
                where = f"{pos.path}:{pos.line}:{pos.col}" if pos else "another file"
                self.error(here, "E014", f"variable {name!r} is already declared at {where}",
                           "declare each variable in one file only")
                continue
            if len(self.variables) >= MAX_VARIABLES:
                self.error(here, "E007",
                           f"the story declares more than {MAX_VARIABLES:,} variables")
                break
            self.declared[name] = here
            self.smap.add_variable(name, path)
            kind = value_type(default)
            value_at = _In(self.smap, path, ("vars", name))
            if not self.value_fits(default, value_at, f"the default of {name!r}"):
                continue
            if kind is None:
                self.expect(default, (bool, int, str), value_at, f"the default of {name!r}",
                            "the default's type is the variable's type: true, 0 or \"text\"")
            else:
                self.variables[name] = Variable(name, kind, default)

    def describe(self, data: Any, path: str) -> None:
        """The story's one-line ``description:``, in story.yaml or in any one other file
        (so that a converted story can be described without editing a generated file)."""
        here = _In(self.smap, path, ("description",))
        if not self.expect(data, str, here, "'description'"):
            return
        if self.description_at is not None:
            pos = _resolve(self.description_at)
            where = f"{pos.path}:{pos.line}:{pos.col}" if pos else "another file"
            self.error(_In(self.smap, path, ("description",), key=True), "E007",
                       f"the story's description is already given at {where}",
                       "give the description in one file only")
            return
        self.description_at = here
        if not data.strip() or "\n" in data.strip() or len(data) > MAX_DESCRIPTION_CHARS:
            self.error(here, "E007",
                       f"'description' must be one line of 1 to {MAX_DESCRIPTION_CHARS} "
                       "characters", "it is shown next to the title in the story menu")
            return
        self.description = data.strip()

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
    def scenes_of(self, path: str, data: Any, is_story: bool) -> None:
        if data is None:
            return
        root = _In(self.smap, path, ())
        if not isinstance(data, dict):
            self.error(root, "E004", f"a story file must be a mapping, not {_describe(data)}")
            return
        if not is_story:
            self.keys(data, path, (), FILE_KEYS, (), root, "a story file")
        if "vars" in data:
            self.declare(data["vars"], path)
        if "description" in data:
            self.describe(data["description"], path)
        if "extend" in data:
            self.extends.append((path[len(self.display) + 1:], path, data["extend"]))
        scenes = data.get("scenes")
        if scenes is None:
            return
        if not self.expect(scenes, dict, _In(self.smap, path, ("scenes",)), "'scenes'",
                           "scenes: is a mapping of id: scene"):
            return
        add_scene = self.smap.add_scene
        build = self.scene
        for scene_id, body in scenes.items():
            if scene_id.__class__ is not str or not _ID.match(scene_id):
                self.error(_In(self.smap, path, ("scenes", scene_id), key=True), "E007",
                           f"{scene_id!r} is not a valid scene id",
                           "a letter or _ followed by letters, digits and _")
                continue
            if self.scene_count >= MAX_SCENES:
                self.error(_In(self.smap, path, ("scenes", scene_id), key=True), "E007",
                           f"the story has more than {MAX_SCENES:,} scenes")
                return
            first = self.smap.scene_file(scene_id)
            if first is not None:
                other = self.smap.scene(scene_id)
                where = f"{other.path}:{other.line}:{other.col}" if other else first
                self.error(_In(self.smap, path, ("scenes", scene_id), key=True), "E008",
                           f"scene {scene_id!r} is already defined at {where}")
                continue
            scene_id = self.ids.setdefault(scene_id, scene_id)
            add_scene(scene_id, path)
            self.scene_count += 1
            scene = build(scene_id, body, path)
            if scene is not None:
                self.scenes[scene_id] = scene

    def scene(self, sid: str, data: Any, path: str) -> Scene | None:
        """One scene, checked. The happy path tests types inline and creates
        no position objects; anything wrong goes through :meth:`expect`."""
        at = self.at
        if data.__class__ is not dict:
            self.expect(data, dict, self.at(sid), f"scene {sid!r}")
            return None
        if (not SCENE_KEYS.issuperset(data) or "text" not in data) and not self.keys(
                data, path, ("scenes", sid), SCENE_KEYS, ("text",), self.at(sid),
                f"scene {sid!r}"):
            return None
        ok = True
        sources: list[str] = []
        blocks = self.text(sid, "text", data["text"], path, sources)
        revisit = None
        if "revisit" in data:
            revisit = self.text(sid, "revisit", data["revisit"], path, [])
            ok = revisit is not None
        if blocks is None:
            ok, blocks = False, ()
        ending = data.get("end")
        if "end" in data:
            if ending.__class__ is not str:
                self.expect(ending, str, at(sid, "end"), "'end'",
                            "end: is the ending's label, e.g. end: Together")
                ok = False
            elif not ending.strip():
                self.error(at(sid, "end"), "E007", "an ending needs a label")
                ok = False
        raw_choices = data.get("choices")
        choices: tuple[Choice, ...] | None = ()
        if raw_choices is not None or "choices" in data:
            choices = self.choices(sid, raw_choices)
        if choices is None:
            ok = False
            choices = ()
        if ending is not None and choices:
            self.error(self.smap.key(sid, "end"), "E007",
                       f"scene {sid!r} has both choices and an ending",
                       "an ending finishes the story: remove 'end' or the choices")
        on_enter: tuple[Effect, ...] | None = ()
        if "on_enter" in data:
            on_enter = self.effects(sid, ("on_enter",), data["on_enter"])
        draft = data.get("draft", False)
        if draft.__class__ is not bool:
            self.expect(draft, bool, at(sid, "draft"), "'draft'")
            draft = False
        noqa = _NO_CODES
        if "noqa" in data:
            noqa = self.noqa(sid, data["noqa"])
        if not ok or on_enter is None:
            return None
        paragraphs = tuple(sources)
        if len(blocks) == 1 and blocks[0].paragraphs == paragraphs:
            # plain text: one tuple for both (equal to strings, so all strings)
            paragraphs = cast("tuple[str, ...]", blocks[0].paragraphs)
        if ending is not None:
            ending = self.strings.setdefault(ending, ending)
        return Scene(sid, paragraphs, choices, ending, on_enter, draft, noqa, blocks, revisit)

    def text(self, sid: str, key: str, data: Any, path: str,
             sources: list[str]) -> tuple[Block, ...] | None:
        """A scene's ``text`` or ``revisit``: a string, or a list of paragraphs
        (strings, and ``{if:, text:, else:}`` mappings). ``sources`` gets the
        source paragraphs."""
        if data.__class__ is str:
            paragraphs = self.paragraphs(sid, (key,), data, sources)
            return None if paragraphs is None else (Block(paragraphs, path=_KEY_PATHS[key]),)
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
            if not self.keys(item, path, ("scenes", sid, *here), PARAGRAPH_KEYS, ("if", "text"),
                             self.at(sid, *here), what):
                ok = False
                continue
            condition = self.condition(item["if"], self.at(sid, *here, "if"))
            shown: tuple[Text, ...] | None = None
            if self.expect(item["text"], str, self.at(sid, *here, "text"), "paragraph text"):
                shown = self.paragraphs(sid, (*here, "text"), item["text"], sources)
            otherwise: tuple[Text, ...] | None = ()
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
                   sources: list[str]) -> tuple[Text, ...] | None:
        result: list[Text] = []
        ok = True
        for offset, paragraph in paragraph_spans(text):
            sources.append(paragraph)
            if "{" not in paragraph and "}" not in paragraph:
                result.append(paragraph)  # plain text is its own template
                continue
            template = self.template(sid, key, paragraph, text, offset)
            if template is None:
                ok = False
            else:
                result.append(template)
        return tuple(result) if ok else None

    def template(self, sid: str, key: tuple[Any, ...], text: str, source: str,
                 offset: int = 0) -> Text | None:
        try:
            return compile_text(text, source=source, base=offset, path=key)
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

    def choices(self, sid: str, data: Any, start: int = 0, canon_seen: bool = False,
                where: Where = None) -> tuple[Choice, ...] | None:
        """A scene's choices; an ``extend:`` entry's come numbered from ``start``."""
        at = self.at
        if data.__class__ is not list:
            self.expect(data, list, where or at(sid, "choices"), "'choices'",
                        "choices: is a list; start each choice with '- text:'")
            return None
        result: list[Choice] = []
        strings = self.strings
        parsed = self.parsed
        effect_lists = self.effect_lists
        ids = self.ids
        choice_templates = self.choice_templates
        for i, item in enumerate(data, start=start):
            if item.__class__ is not dict:
                self.expect(item, dict, at(sid, "choices", i), f"choice {i + 1} of scene {sid!r}")
                continue
            if not CHOICE_KEYS.issuperset(item) or "text" not in item or "to" not in item:
                where_keys = self.smap.scene_keys(sid, "choices", i)
                path, keys = (where_keys[0], where_keys[1:]) if where_keys else (self.display, ())
                if not self.keys(item, path, keys, CHOICE_KEYS, ("text", "to"),
                                 at(sid, "choices", i), f"choice {i + 1} of scene {sid!r}"):
                    continue
            ok = True
            text = item["text"]
            template: Text | None = None
            if text.__class__ is not str:
                ok = self.expect(text, str, at(sid, "choices", i, "text"), "choice text")
            else:
                text = strings.setdefault(text, text)
                if "{" not in text and "}" not in text:
                    template = text  # plain text is its own template
                else:  # the same text at the same place: the same value, compiled once
                    template = choice_templates.get((text, i))
                    if template is None:
                        template = self.template(sid, ("choices", i, "text"), text, text)
                        ok = template is not None
                        if ok:
                            choice_templates[text, i] = template  # type: ignore[assignment]
            target = item["to"]
            if target.__class__ is not str:
                self.expect(target, str, at(sid, "choices", i, "to"), "'to'")
                ok = False
            else:
                known_id = ids.get(target)
                if known_id is not None:
                    target = known_id
                elif _ID.match(target):
                    ids[target] = target
                else:
                    self.error(at(sid, "choices", i, "to"), "E007",
                               f"{target!r} is not a valid scene id")
                    ok = False
            condition = None
            if "if" in item:
                source = item["if"]
                condition = parsed.get(source) if source.__class__ is str else None
                if condition is None:
                    condition = self.condition(source, at(sid, "choices", i, "if"))
                    ok = ok and condition is not None
            effects: tuple[Effect, ...] | None = ()
            if "do" in item:
                do = item["do"]
                try:
                    effects = effect_lists.get(tuple(do)) if do.__class__ is list else None
                except TypeError:  # an item that is not text: reported just below
                    effects = None
                if effects is None:
                    effects = self.effects(sid, ("choices", i, "do"), do)
            once = item.get("once", False)
            if once.__class__ is not bool:
                self.expect(once, bool, at(sid, "choices", i, "once"), "'once'")
                once, ok = False, False
            canon = item.get("canon", False)
            if canon.__class__ is not bool:
                self.expect(canon, bool, at(sid, "choices", i, "canon"), "'canon'")
                canon, ok = False, False
            if canon:
                if canon_seen:
                    self.error(self.smap.key(sid, "choices", i, "canon"), "E007",
                               f"scene {sid!r} has more than one canonical choice",
                               "canon: true marks the one choice that follows the source story")
                canon_seen = True
            if ok and effects is not None and template is not None:
                result.append(Choice(text, target, condition, effects, once, canon, template))
        return tuple(result) if len(result) == len(data) else None

    def condition(self, source: Any, where: Where) -> Expression | None:
        if source.__class__ is str:
            known = self.parsed.get(source)
            if known is not None:
                return known
        elif not self.expect(source, str, where, "a condition ('if')",
                             "write the condition as text, e.g. if: has_key and coins > 2"):
            return None
        try:
            parsed = self.parsed[source] = parse_expression(source)
            return parsed
        except ExprError as err:
            pos = _resolve(where)
            self.error(pos.offset(err.offset, source) if pos else None, "E009", err.message,
                       err.hint)
            return None

    def effects(self, sid: str, path: tuple[Any, ...], data: Any) -> tuple[Effect, ...] | None:
        if data.__class__ is not list:
            self.expect(data, list, self.at(sid, *path), repr(path[-1]),
                        f"{path[-1]}: is a list, e.g. [met = true, coins += 1]")
            return None
        key = tuple(data) if all(source.__class__ is str for source in data) else None
        if key is not None:
            known_list = self.effect_lists.get(key)
            if known_list is not None:
                return known_list  # the same list of effects: one tuple for all
        result: list[Effect] = []
        parsed = self.parsed_effects
        for i, source in enumerate(data):
            if source.__class__ is str:
                known = parsed.get(source)
                if known is not None:
                    result.append(known)
                    continue
            where = self.at(sid, *path, i)
            if not self.expect(source, str, where, "an effect",
                               "write effects as text: name = value, name += 1"):
                continue
            try:
                effect = parsed[source] = parse_effect(source)
                result.append(effect)
            except ExprError as err:
                pos = where.resolve()
                self.error(pos.offset(err.offset, source) if pos else None, "E009", err.message,
                           err.hint)
        if len(result) != len(data):
            return None
        effects = tuple(result)
        if key is not None:
            self.effect_lists[key] = effects
        return effects

    # -- story-wide checks -----------------------------------------------------
    def references(self, start: str | None, variables: dict[str, Variable]) -> None:
        types = {name: var.type for name, var in variables.items()}
        self.var_hint = Suggester(types)
        if start is not None and start not in self.scenes and self.smap.scene(start) is None:
            message = f"the start scene {start!r} does not exist"
            self.error(self.at_story("start"), "E011", message, self.scene_hint(start))
        scenes = self.scenes
        fine = self.checked_ok  # ids of expressions and effects found fine: checked once
        for sid, scene in scenes.items():
            for i, choice in enumerate(scene.choices):
                if choice.target not in scenes and self.smap.scene(choice.target) is None:
                    self.error(self.at(sid, "choices", i, "to"), "E011",
                               f"choice leads to {choice.target!r}, which does not exist",
                               self.scene_hint(choice.target))
                condition = choice.condition
                if condition is not None and id(condition) not in fine:
                    self.expression(condition, self.at(sid, "choices", i, "if"), types)
                for j, effect in enumerate(choice.effects):
                    if id(effect) not in fine:
                        self.effect(effect, self.at(sid, "choices", i, "do", j), types)
                if choice.template.__class__ is not str:
                    self.interpolation(sid, choice.template, types)
            for j, effect in enumerate(scene.on_enter):
                if id(effect) not in fine:
                    self.effect(effect, self.at(sid, "on_enter", j), types)
            for blocks in (scene.text, scene.revisit or ()):
                for block in blocks:
                    if block.condition is not None and id(block.condition) not in fine:
                        self.expression(block.condition, self.at(sid, *block.path, "if"), types)
                    for template in block.paragraphs:
                        if template.__class__ is not str:
                            self.interpolation(sid, template, types)
                    for template in block.otherwise:
                        if template.__class__ is not str:
                            self.interpolation(sid, template, types)

    def expression(self, expr: Expression, where: Where, types: Mapping[str, VarType]) -> None:
        if id(expr) in self.checked_ok:
            return
        if self.checked(expr.source, variables_read(expr.root), scenes_read(expr.root),
                        lambda: check_condition(expr, types), where, types):
            self.checked_ok.add(id(expr))

    def effect(self, effect: Effect, where: Where, types: Mapping[str, VarType]) -> None:
        if id(effect) in self.checked_ok:
            return
        if self.checked(effect.source, effect_reads(effect) | {effect.var},
                        scenes_read(effect.value), lambda: check_effect(effect, types), where,
                        types):
            self.checked_ok.add(id(effect))

    def checked(self, source: str, reads: frozenset[str], scenes: frozenset[str],
                type_issues: Callable[[], list[TypeIssue]], where: Where,
                types: Mapping[str, VarType]) -> bool:
        """Names, scenes and types of one expression; positions only on error.
        True when all is well."""
        unknown = sorted(n for n in reads if n not in types)
        missing = sorted(s for s in scenes if s not in self.scenes)
        issues = [] if unknown else type_issues()
        if not (unknown or missing or issues):
            return True
        pos = _resolve(where)
        for name in unknown:
            self.error(_at(pos, source, name), "E012", f"{name!r} is not a declared variable",
                       self.var_hint(name) or _DECLARE_HINT)
        for scene in missing:
            self.error(_at(pos, source, scene), "E011", f"visits({scene}): no such scene",
                       self.scene_hint(scene))
        for issue in issues:
            self.error(pos.offset(issue.offset, source) if pos else None, "E010",
                       issue.message, issue.hint)
        return False

    def interpolation(self, sid: str, template: Text, types: Mapping[str, VarType]) -> None:
        """The ``{name}``s and inline conditions of one text; positions only on error."""
        if isinstance(template, str) or template.plain is not None:
            return
        for name, at in template.names:
            if name not in types:
                pos = self.at(sid, *template.path).resolve()
                self.error(pos.offset(at, template.source) if pos else None, "E012",
                           f"{{{name}}}: {name!r} is not a declared variable",
                           self.var_hint(name) or _DECLARE_HINT)
        for expr, offset in template.conditions:
            self.text_condition(sid, template, expr, offset, types)

    def text_condition(self, sid: str, template: Template, expr: Expression, offset: int,
                       types: Mapping[str, VarType]) -> None:
        """An inline condition: names, scenes and type, placed inside the text."""
        if id(expr) in self.checked_ok:
            return
        names = [n for n in walk(expr.root) if isinstance(n, Var) and n.name not in types]
        scenes = [n for n in walk(expr.root) if isinstance(n, Visits)
                  and n.scene not in self.scenes and self.smap.scene(n.scene) is None]
        issues = [] if names else check_condition(expr, types)
        if not (names or scenes or issues):
            if scenes_read(expr.root) <= self.scenes.keys():  # as strict as expression()
                self.checked_ok.add(id(expr))
            return
        pos = self.at(sid, *template.path).resolve()

        def here(at: int) -> Pos | None:
            return pos.offset(offset + at, template.source) if pos else None

        for var in names:
            self.error(here(var.pos), "E012", f"{var.name!r} is not a declared variable",
                       self.var_hint(var.name) or _DECLARE_HINT)
        for visit in scenes:
            self.error(here(visit.pos), "E011", f"visits({visit.scene}): no such scene",
                       self.scene_hint(visit.scene))
        for issue in issues:
            self.error(here(issue.offset), "E010", issue.message, issue.hint)

    # -- extend: ---------------------------------------------------------------
    def extend(self) -> None:
        """``extend:`` entries, files in sorted relative-path order: their
        choices come after the scene's own."""
        for _, path, data in sorted(self.extends, key=lambda entry: entry[0]):
            if not self.expect(data, dict, _In(self.smap, path, ("extend",)), "'extend'",
                               "extend: maps a scene id to {choices: [...]}"):
                continue
            for sid, entry in data.items():
                here = _In(self.smap, path, ("extend", sid), key=True)
                if not isinstance(sid, str) or sid not in self.scenes:
                    if not (isinstance(sid, str) and self.smap.scene_file(sid) is not None):
                        self.error(here, "E011", f"extend: there is no scene {sid!r} to extend",
                                   self.scene_hint(str(sid)))
                    continue
                scene = self.scenes[sid]
                what = f"extend: entry {sid!r}"
                if scene.is_ending:
                    self.error(here, "E007", f"scene {sid!r} is an ending: it cannot get choices",
                               "extend a scene that has choices")
                    continue
                where = _In(self.smap, path, ("extend", sid))
                if not self.expect(entry, dict, where, what, "write {choices: [...]}"):
                    continue
                if not self.keys(entry, path, ("extend", sid), EXTEND_KEYS, ("choices",), where,
                                 what):
                    continue
                start = len(scene.choices)
                self.smap.add_extension(sid, start, path)
                added = self.choices(sid, entry["choices"], start, scene.canon_choice is not None,
                                     _In(self.smap, path, ("extend", sid, "choices")))
                if added is not None:  # else each refused choice was reported
                    self.scenes[sid] = attrs.evolve(scene, choices=scene.choices + added)


_DECLARE_HINT = "declare it under vars: in any file of the story"


def _at(pos: Pos | None, source: str, name: str) -> Pos | None:
    if pos is None:
        return None
    match = re.search(rf"\b{re.escape(name)}\b", source)
    return pos.offset(match.start() if match else 0, source)


def _is_special(path: Path) -> bool:
    try:
        return path.exists() and not path.is_dir()
    except OSError:
        return False


def story_files(folder: Path) -> list[Path]:
    """The story's YAML files, ``story.yaml`` first, then by relative path.

    The top-level ``walkthroughs/`` folder holds `carnet test` files, not story
    files. Special files (a FIFO, a device) are kept, so that reading refuses them.
    """
    found = []
    for path in folder.rglob("*.yaml"):
        rel = path.relative_to(folder)
        if rel.parts[0] != WALKTHROUGHS_DIR and (path.is_file() or _is_special(path)):
            name = rel.as_posix()
            found.append((name != STORY_FILE, name, path))
    found.sort(key=lambda entry: entry[:2])
    return [path for _, _, path in found]


def load_story(folder: str | Path, *, display: str | None = None,
               cache: bool = False) -> LoadResult:
    """Load the story in ``folder``. Never raises for a problem in the story.

    With ``cache``, a story whose files are byte for byte those of an earlier
    load is read from the compiled cache (:mod:`carnet.engine.cache`), and a
    story loaded from its files is written there; a missing, damaged or
    foreign entry just means a load from the files.

    The cyclic garbage collector is paused meanwhile (and restored, whatever
    happens): a load allocates millions of objects in acyclic trees, and each
    collection would walk all of them again for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(folder), display, cache)
    finally:
        if enabled:
            gc.enable()


def _load(folder: Path, display: str | None, cache: bool) -> LoadResult:
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
    if cache:
        warm = _from_cache(folder, shown, files)
        if warm is not None:
            return warm
    meta: dict[str, Any] | None = None
    for file in files:
        read = builder.read(file)
        if read is None:
            continue
        path, data = read
        is_story = file == files[0]
        if is_story:
            meta = builder.story_meta(path, data)
        builder.scenes_of(path, data, is_story)
        del read, data  # the file's raw data is not kept
    builder.extend()
    variables = builder.variables
    builder.references((meta or {}).get("start"), variables)
    diagnostics = tuple(sorted(set(builder.diagnostics)))
    incomplete = len(builder.scenes) != builder.scene_count  # a scene was refused
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
        variables=MappingProxyType(variables),  # read-only views, not copies: the
        scenes=MappingProxyType(builder.scenes),  # builder is dropped once loaded
        source=meta.get("source"),
        fingerprint=builder.hasher.hexdigest(),
        description=builder.description,
    )
    if cache:
        _to_cache(story, folder, shown, files, builder.smap)
    return LoadResult(story, (), builder.smap)


def _relative(folder: Path, file: Path) -> str:
    return file.relative_to(folder).as_posix()


def _from_cache(folder: Path, shown: str, files: list[Path]) -> LoadResult | None:
    """The story from the compiled cache, if its files are those it was compiled from."""
    hasher = sha256()
    digests = []
    names = [_relative(folder, file) for file in files]
    buffer = memoryview(bytearray(1 << 20))
    for file, name in zip(files, names, strict=True):
        digest = _digest(file, buffer)
        if digest is None:
            return None  # loading from the files reports it
        digests.append(digest)
        hasher.update(os.fsencode(name) + b"\0" + digest)
    fingerprint = hasher.hexdigest()
    from carnet.engine import cache as cache_store  # here: a cold load does without
    from carnet.engine import compiled

    blob = cache_store.read_entry(compiled.entry_key(fingerprint))
    if blob is None:
        return None
    try:
        found = compiled.decode(blob, folder.resolve().name, fingerprint, f"{shown}/")
    except compiled.CompiledError:
        return None
    if list(found.files) != names or found.story_file != STORY_FILE:
        return None
    smap = SourceMap()
    for name, file, digest in zip(names, files, digests, strict=True):
        smap.add_file(f"{shown}/{name}", file, digest)
    smap.set_story(f"{shown}/{STORY_FILE}")
    smap.add_scenes(found.scene_files)
    return LoadResult(found.story, (), smap)


def _digest(file: Path, buffer: memoryview) -> bytes | None:
    """The sha256 of a regular file's bytes, read through ``buffer`` (nothing
    else allocated); None when it is not a regular file within the limit or
    cannot be read (the load from the files says why)."""
    try:
        with (open_regular(file, MAX_FILE_BYTES) as (fd, _size),
              open(fd, "rb", buffering=0, closefd=False) as stream):
            hasher = sha256()
            total = 0
            while count := stream.readinto(buffer):
                hasher.update(buffer[:count])
                total += count
                if total > MAX_FILE_BYTES:  # it grew while being read
                    return None
            return hasher.digest()
    except OSError:  # NotReadable included
        return None


def _to_cache(story: Story, folder: Path, shown: str, files: list[Path], smap: SourceMap) -> None:
    from carnet.engine import cache as cache_store
    from carnet.engine import compiled

    names = [_relative(folder, file) for file in files]
    index = {f"{shown}/{name}": i for i, name in enumerate(names)}
    scene_files = {sid: index[path] for sid, path in smap.scene_files().items()}
    try:
        data = compiled.encode(story, names, scene_files, 0)
    except compiled.CompiledError:  # pragma: no cover - every model class is registered
        return
    cache_store.write_entry(compiled.entry_key(story.fingerprint), data)

