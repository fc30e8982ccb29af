"""Generate a large, valid story folder for benchmarks (deterministic)."""

from __future__ import annotations

from pathlib import Path


def write_big_story(folder: Path, scenes: int, per_file: int = 5000) -> Path:
    """A story of ``scenes`` scenes in files of ``per_file`` scenes: a long
    chain with a side branch, a condition and an effect in every scene."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(
        "carnet: 1\ntitle: Big\nstart: s0\nvars:\n  steps: 0\n  lucky: false\n",
        encoding="utf-8")
    for first in range(0, scenes, per_file):
        lines = ["scenes:"]
        for i in range(first, min(first + per_file, scenes)):
            lines.append(f"  s{i}:")
            lines.append(f"    text: Scene {i}. You have taken {{steps}} steps.")
            if i == scenes - 1:
                lines.append("    end: The far end")
                continue
            lines.append("    choices:")
            lines.append(f"      - text: Walk on to {i + 1}")
            lines.append(f"        to: s{i + 1}")
            lines.append("        do: [steps += 1]")
            lines.append("        canon: true")
            lines.append("      - text: Try your luck")
            lines.append(f"        to: s{min(i + 2, scenes - 1)}")
            lines.append("        if: not lucky")
            lines.append("        do: [lucky = true]")
        (folder / f"part{first // per_file:04d}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8")
    return folder
