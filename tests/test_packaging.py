"""The wheel must carry every package and the shipped stories."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def declared_packages() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^packages = \[(.*?)\]", text, re.S | re.M)
    assert block, "pyproject.toml lists its packages explicitly"
    return set(re.findall(r'"([\w.]+)"', block.group(1)))


def test_every_package_is_declared() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("engine", "tools")
        for init in (ROOT / top).rglob("__init__.py")
    }
    missing = found - declared_packages()
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_shipped_stories_are_package_data() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'carnet_scenes = "scenes"' in text
    assert "carnet_scenes" in declared_packages()
    scenes = ROOT / "scenes"
    deepest = max(len(p.relative_to(scenes).parts) for p in scenes.rglob("*.yaml"))
    globs = re.search(r"^carnet_scenes = \[(.*?)\]", text, re.M)
    assert globs
    depths = {g.count("/") + 1 for g in re.findall(r'"([^"]+)"', globs.group(1))}
    assert all(d in depths for d in range(2, deepest + 1)), "a story file would not ship"


def test_seeds_are_a_copy_of_the_shared_seeds() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():  # the shared folder is beside the repo in our workplace only
        return
    ours = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert ours == sorted(p.name for p in shared.glob("*.txt"))
    for name in ours:
        assert (ROOT / "seeds" / name).read_bytes() == (shared / name).read_bytes()
