"""A story as a Twee 3 document for Twine 2 with the SugarCube 2 story format.

One passage per scene, named by the scene id. ``StoryInit`` sets every
variable to its default; a scene's ``on_enter`` effects open its passage;
each choice is a ``<<link>>`` (inside ``<<if>>`` when it has a condition or is
once-only) whose ``<<set>>``s are its effects. Once-only choices are recorded
in one object variable, ``visits(scene)`` is SugarCube's ``visited()``.
Text that follows the state is ``<<if>>``/``<<elseif>>``/``<<else>>`` in the
passage (and in a link's text); ``revisit:`` is ``<<if visited() > 1>>``.
The output is deterministic: the IFID is derived from the story id.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import deque
from collections.abc import Iterable, Mapping

from carnet.engine.model import Choice, Scene, Story
from carnet.engine.state import once_key
from carnet.engine.template import Block, Part, Text, VarRef, parts_of
from carnet.tools.export import sugarcube as sc

FORMAT = "SugarCube"
FORMAT_VERSION = "2.37.3"
# SugarCube's special passage names: a scene with one of these ids gets another name.
SPECIAL = frozenset({
    "PassageDone", "PassageFooter", "PassageHeader", "PassageReady", "StoryAuthor",
    "StoryBanner", "StoryCaption", "StoryData", "StoryDisplayTitle", "StoryInit",
    "StoryInterface", "StoryMenu", "StoryShare", "StorySubtitle", "StoryTitle",
})
ONCE_VAR = "carnet_once"


def ifid(story_id: str) -> str:
    """A version-4-shaped UUID, upper case, the same for the same story id."""
    digest = hashlib.sha256(f"carnet:{story_id}".encode("utf-8", "surrogatepass")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4)).upper()


def passage_names(story: Story) -> dict[str, str]:
    """Scene id -> passage name; ids SugarCube reserves get a ``scene_`` prefix."""
    taken = set(story.scenes)
    names: dict[str, str] = {}
    for sid in story.scenes:
        name = sid
        while name in SPECIAL or (name != sid and name in taken):
            name = f"scene_{name}"
        taken.add(name)
        names[sid] = name
    return names


def once_variable(story: Story) -> str:
    name = ONCE_VAR
    while name in story.variables:
        name += "_"
    return name


def positions(story: Story) -> dict[str, str]:
    """Where Twine 2 draws each passage: columns by distance from the start."""
    depth: dict[str, int] = {story.start: 0}
    queue = deque([story.start])
    while queue:
        sid = queue.popleft()
        for choice in story.scenes[sid].choices:
            if choice.target not in depth:
                depth[choice.target] = depth[sid] + 1
                queue.append(choice.target)
    far = max(depth.values(), default=0) + 1
    rows: dict[int, int] = {}
    placed: dict[str, str] = {}
    for sid in story.scenes:
        column = depth.get(sid, far)
        row = rows.get(column, 0)
        rows[column] = row + 1
        placed[sid] = f"{100 + 200 * column},{100 + 150 * row}"
    return placed


class _Writer:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.names = passage_names(story)
        self.once = once_variable(story)

    # -- text ------------------------------------------------------------------
    def template(self, template: Text) -> str:
        """Compiled text: ``{name}`` printed, ``{if ...}`` as ``<<if>>``."""
        return self.parts(parts_of(template), line_start=True)

    def parts(self, parts: tuple[Part, ...], line_start: bool) -> str:
        out: list[str] = []
        for i, part in enumerate(parts):
            first = line_start and not out
            if isinstance(part, str):
                out.append(sc.prose(part, line_start=first))
            elif isinstance(part, VarRef):
                if part.name not in self.story.variables:
                    out.append(sc.prose("{" + part.name + "}", line_start=first))
                    continue
                after = parts[i + 1] if i + 1 < len(parts) else ""
                out.append(sc.print_variable(part.name, after[:2] if isinstance(after, str)
                                             else ""))
            else:
                for k, branch in enumerate(part.branches):
                    if branch.condition is None:
                        out.append("<<else>>")
                    else:
                        macro = "if" if k == 0 else "elseif"
                        out.append(f"<<{macro} {sc.condition(branch.condition, self.names)}>>")
                    out.append(self.parts(branch.parts, line_start=first))
                out.append("<</if>>")
        return "".join(out)

    def blocks(self, blocks: tuple[Block, ...]) -> list[str]:
        body: list[str] = []
        for block in blocks:
            shown = [self.template(t) for t in block.paragraphs]
            if block.condition is None:
                body.extend(shown)
                continue
            test = sc.condition(block.condition, self.names)
            otherwise = [self.template(t) for t in block.otherwise]
            text = f"<<if {test}>>" + "\n\n".join(shown)
            if otherwise:
                text += "<<else>>" + "\n\n".join(otherwise)
            body.append(text + "<</if>>")
        return body

    def paragraphs(self, scene: Scene) -> list[str]:
        text = self.blocks(scene.text)
        if scene.revisit is None:
            return text
        again = self.blocks(scene.revisit)
        # revisit: from the second visit on; visited() counts this one
        return ["<<if visited() > 1>>" + "\n\n".join(again) + "<<else>>" + "\n\n".join(text)
                + "<</if>>"]

    # -- choices ---------------------------------------------------------------
    def choice(self, scene: Scene, index: int, choice: Choice) -> str:
        sets = [sc.effect(e, self.names) for e in choice.effects]
        tests = []
        if choice.condition is not None:
            # alone, the condition needs no outer parentheses
            tests.append(sc.condition(choice.condition, self.names) if not choice.once
                         else sc.expression(choice.condition, self.names))
        if choice.once:
            key = sc.string(once_key(scene.id, choice))
            tests.append(f"!${self.once}[{key}]")
            sets.append(f"<<set ${self.once}[{key}] to true>>")
        link = (f"<<link {sc.argument(self.template(choice.template))} "
                f"{sc.argument(self.names[choice.target])}>>{''.join(sets)}<</link>>")
        if not tests:
            return f"{link}<br>\\"
        return f"<<if {' && '.join(tests)}>>{link}<br><</if>>\\"

    # -- passages --------------------------------------------------------------
    def passage(self, scene: Scene, where: str) -> str:
        tags = [t for t, on in (("ending", scene.is_ending), ("draft", scene.draft)) if on]
        header = f":: {self.names[scene.id]}"
        if tags:
            header += f" [{' '.join(tags)}]"
        header += " " + json.dumps({"position": where}, separators=(",", ":"))
        body = self.paragraphs(scene)
        if scene.on_enter:
            opening = "".join(sc.effect(e, self.names) for e in scene.on_enter)
            body = [opening + (body[0] if body else ""), *body[1:]]
        if scene.ending is not None:
            body.append(f"''THE END: {sc.prose(scene.ending)}''")
        elif scene.choices:
            body.append("\n".join(self.choice(scene, i, c) for i, c in enumerate(scene.choices)))
        return header + "\n" + _escape_headers("\n\n".join(body)) + "\n"

    def story_init(self) -> str:
        lines = [f"<<set {sc.variable(v.name)} to {sc.literal(v.default)}>>"
                 for v in self.story.variables.values()]
        lines.append(f"<<set ${self.once} to {{}}>>")
        return ":: StoryInit\n" + "\n".join(lines) + "\n"

    def document(self) -> str:
        story = self.story
        data = {"ifid": ifid(story.id), "format": FORMAT, "format-version": FORMAT_VERSION,
                "start": self.names[story.start],
                "tag-colors": {"draft": "orange", "ending": "green"}}
        parts = [
            f":: StoryTitle\n{' '.join(story.title.split())}\n",
            ":: StoryData\n" + json.dumps(data, indent=2, ensure_ascii=False) + "\n",
            self.story_init(),
        ]
        where = positions(story)
        parts += [self.passage(scene, where[scene.id]) for scene in story.scenes.values()]
        return "\n".join(parts)


def _escape_headers(body: str) -> str:
    """Twee 3: a content line that starts with ``::`` is escaped with a backslash."""
    return re.sub(r"^::", r"\\::", body, flags=re.MULTILINE)


def to_twee(story: Story) -> str:
    """The whole story as Twee 3 text."""
    return _Writer(story).document()


def passage_links(story: Story) -> Mapping[str, Iterable[str]]:
    """Passage name -> the passage names its links go to (for checks)."""
    names = passage_names(story)
    return {names[sid]: [names[c.target] for c in scene.choices]
            for sid, scene in story.scenes.items()}
