"""``carnet convert --explain``: what the converter found, for a human editor.

Pure: a Reading (and the plan built from it) in, text out. Paragraph numbers
are 1-based, as an editor counts them. Story text is shown with control
characters escaped, so a hostile file cannot drive the terminal.
"""

from __future__ import annotations

from carnet.engine.text import printable
from carnet.tools.convert.analysis import Beat, Reading
from carnet.tools.convert.writing.graph import Plan

_FIRST_WORDS = 8


def clean(text: str) -> str:
    """Text safe to print on one line of a terminal (engine.text.printable; a
    line break shows as ``^J``)."""
    return printable(text).replace("\n", "^J")


def first_words(paragraph: str, count: int = _FIRST_WORDS) -> str:
    words = paragraph.split()
    shown = " ".join(words[:count])
    return clean(shown + (" …" if len(words) > count else ""))


def _subject_name(reading: Reading, key: str | None) -> str | None:
    if key is None:
        return None
    for character in reading.characters:
        if character.id == key:
            return character.name
    for place in reading.places:
        if place.id == key:
            return place.name
    for thing in reading.things:
        if thing.id == key:
            return thing.name
    return key


def describe_beat(reading: Reading, beat: Beat) -> str:
    subject = _subject_name(reading, beat.subject)
    about = f" of {clean(subject)}" if subject else ""
    return f"{beat.kind}{about}"


def explain(reading: Reading, plan: Plan | None, shown: str) -> str:
    """The report for one input file (``shown`` is its path as the user gave it)."""
    words = sum(len(p.split()) for p in reading.paragraphs)
    lines = [
        f"{clean(shown)}: {clean(reading.title)!r}",
        f"  {len(reading.paragraphs)} paragraphs, {words} words, {reading.tense} tense, "
        f"{reading.person} person",
        "",
        f"Characters ({len(reading.characters)}):",
    ]
    for c in reading.characters:
        role = " (protagonist)" if c.id == reading.protagonist or c.protagonist else ""
        aliases = ", ".join(clean(a) for a in c.aliases if a != c.name)
        parts = [f"pronoun {c.pronoun}", f"first in paragraph {c.first_paragraph + 1}",
                 f"{len(c.mentions)} mentions"]
        if aliases:
            parts.append(f"also {aliases}")
        if c.description:
            parts.append(clean(c.description))
        lines.append(f"  {clean(c.name)}{role}: " + "; ".join(parts))
    lines += ["", f"Places ({len(reading.places)}):"]
    for p in reading.places:
        kind = "named" if p.proper else "common"
        lines.append(f"  {clean(p.name)} ({kind}): first in paragraph {p.first_paragraph + 1}")
    lines += ["", f"Things ({len(reading.things)}):"]
    for t in reading.things:
        lines.append(f"  {clean(t.name)}: first in paragraph {t.first_paragraph + 1}")
    if reading.markers:
        lines += ["", f"Author's markers ({len(reading.markers)}):"]
        for m in reading.markers:
            where = (
                f"between paragraph {m.boundary} and {m.boundary + 1}"
                if m.usable
                else "ignored: no paragraph on one side"
            )
            lines.append(f"  line {m.line}: [[{m.kind}]] {where}")
    lines += ["", f"Candidate beats ({len(reading.beats)}), each with why it was taken or dropped:"]
    verdicts = reading.verdicts or ("",) * len(reading.beats)
    for b, verdict in zip(reading.beats, verdicts, strict=True):
        lines.append(
            f"  paragraph {b.paragraph + 1}: {describe_beat(reading, b)} "
            f"(score {b.score:g}): {clean(b.reason)}"
        )
        if verdict:
            lines.append(f"     -> {clean(verdict)}")
    lines += ["", f"Choice points ({len(reading.choice_points)}):"]
    offered = {p.beat: p for p in plan.choice_points} if plan is not None else {}
    for number, b in enumerate(reading.choice_points, 1):
        lines.append(
            f"  {number}. between paragraph {b.boundary} and {b.boundary + 1}: "
            f"{describe_beat(reading, b)}"
        )
        if 1 <= b.boundary < len(reading.paragraphs):
            lines.append(f"       {b.boundary}: {first_words(reading.paragraphs[b.boundary - 1])}")
            lines.append(
                f"       {b.boundary + 1}: {first_words(reading.paragraphs[b.boundary])}"
            )
        lines.append(f"     why: {clean(b.reason)}")
        point = offered.get(b)
        if point is not None and plan is not None:
            scene = plan.scene(point.scene)
            for choice in scene.choices:
                mark = " (canon)" if choice.canon else ""
                cond = f" [only if {choice.condition}]" if choice.condition else ""
                lines.append(f"     choice: {clean(choice.text)}{mark}{cond} -> {choice.to}")
        elif plan is not None:
            lines.append("     (not used: no paragraph on one side, or a boundary already taken)")
    if plan is not None:
        endings = len(plan.endings)
        lines += [
            "",
            f"Would write {len(plan.scenes)} scenes ({len(plan.drafts)} drafts), "
            f"{len(plan.choice_points)} choice points, {endings} endings, "
            f"{len(plan.variables)} variables.",
        ]
    return "\n".join(lines) + "\n"
