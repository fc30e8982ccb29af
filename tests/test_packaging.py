"""The wheel must carry every package and the shipped stories, all under `carnet`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def declared_packages() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^packages = \[(.*?)\]", text, re.S | re.M)
    assert block, "pyproject.toml lists its packages explicitly"
    return set(re.findall(r'"([\w.]+)"', block.group(1)))


def test_every_package_is_declared() -> None:
    found = {
        "carnet." + ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("engine", "tools", "scenes")
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = found - declared_packages()
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_shipped_stories_are_package_data() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert (ROOT / "carnet" / "scenes").resolve() == (ROOT / "scenes").resolve()
    assert "carnet.scenes" in declared_packages()
    scenes = ROOT / "scenes"
    deepest = max(len(p.relative_to(scenes).parts) for p in scenes.rglob("*.yaml"))
    globs = re.search(r'^"carnet.scenes" = \[(.*?)\]', text, re.M)
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


def test_the_links_name_the_top_level_folders() -> None:
    for name in ("engine", "tools", "scenes"):
        link = ROOT / "carnet" / name
        assert link.is_symlink(), f"carnet/{name} must link to ../{name}"
        assert link.resolve() == (ROOT / name).resolve()


def test_no_module_imports_the_old_top_level_names() -> None:
    # `engine` and `tools` are importable only as carnet.engine and carnet.tools
    pattern = re.compile(r"^\s*(?:from|import)\s+(?:engine|tools|carnet_scenes)\b", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for top in ("engine", "tools", "tests", "benchmarks", "carnet")
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_wheel_installs_nothing_outside_carnet(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is needed to copy the tree the way a clean clone has it")
    pip = [sys.executable, "-m", "pip"]
    probe = subprocess.run([*pip, "--version"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("pip is not available in this interpreter")
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if built.returncode != 0 and "setuptools" in built.stderr and "No module" in built.stderr:
        pytest.skip("setuptools is not installed in this interpreter")
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("carnet-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    code_tops = {top for top in tops if not top.endswith((".dist-info", ".data"))}
    assert code_tops == {"carnet"}
    # the packages and the stories are really inside
    assert "carnet/engine/model.py" in names
    assert "carnet/tools/lint/rules/__init__.py" in names
    assert "carnet/engine/schema/story.schema.json" in names
    assert "carnet/tools/convert/writing/templates/arrival.yaml" in names
    assert any(n.startswith("carnet/scenes/tutorial/") and n.endswith(".yaml") for n in names)
