"""Editor support: the modeline names a schema that resolves, installed editable
or not, inside a checkout or not; `carnet schema` prints it."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from carnet.engine.loader import story_files
from carnet.engine.schemafile import modeline, schema_path, schema_reference
from carnet.tools.convert.cli import add_arguments, run

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "engine" / "schema" / "story.schema.json"


def resolve(reference: str, folder: Path) -> Path:
    """Where an editor finds the schema a modeline in ``folder`` names."""
    if reference.startswith("file://"):
        return Path(unquote(urlparse(reference).path))
    return (folder / reference).resolve()


def fake_checkout(root: Path) -> Path:
    """A folder laid out like a carnet clone: pyproject.toml and the schema."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "engine" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "engine" / "schema" / "story.schema.json")
    return root


def test_the_installed_schema_is_the_one_shipped_and_has_an_id() -> None:
    assert schema_path() == SCHEMA.resolve()
    data = json.loads(schema_path().read_text(encoding="utf-8"))
    assert data["$id"] == "urn:carnet:schema:story:1"


def test_outside_a_checkout_the_modeline_is_the_installed_schemas_file_uri(
        tmp_path: Path) -> None:
    story = tmp_path / "my stories" / "lighthouse"
    reference = schema_reference(story)
    assert reference == SCHEMA.resolve().as_uri()
    assert reference.startswith("file:///") and "%20" not in reference  # no space in ROOT
    assert resolve(reference, story) == SCHEMA.resolve()
    # A non-editable install keeps the schema in site-packages: that is what is named.
    installed = tmp_path / "site-packages" / "carnet" / "engine" / "schema" / "story.schema.json"
    installed.parent.mkdir(parents=True)
    installed.write_text("{}", encoding="utf-8")
    named = schema_reference(story, installed=installed)
    assert named == installed.as_uri() and resolve(named, story) == installed
    assert modeline(story) == f"# yaml-language-server: $schema={reference}"


def test_inside_a_checkout_the_modeline_is_relative_whatever_is_installed(
        tmp_path: Path) -> None:
    root = fake_checkout(tmp_path / "clone")
    elsewhere = tmp_path / "site-packages" / "story.schema.json"
    for folder, expected in [
        (root / "scenes" / "mine", "../../engine/schema/story.schema.json"),
        (root / "scenes" / "mine" / "branches", "../../../engine/schema/story.schema.json"),
    ]:
        reference = schema_reference(folder, installed=elsewhere)
        assert reference == expected
        assert resolve(reference, folder) == (root / "engine/schema/story.schema.json").resolve()


def test_a_folder_named_engine_is_not_a_checkout_without_carnets_pyproject(
        tmp_path: Path) -> None:
    root = fake_checkout(tmp_path / "other")
    (root / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    assert schema_reference(root / "scenes" / "x").startswith("file:///")


def test_the_shipped_stories_files_name_the_schema_as_convert_would() -> None:
    for story in ("tutorial", "alice-and-leon", "viktoria-and-leon", "alejandro-and-sophie"):
        for path in story_files(ROOT / "scenes" / story):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == modeline(path.parent), path


def test_reconverting_the_seeds_in_a_checkout_keeps_their_modelines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A clone whose carnet is installed from elsewhere: the schema found is the clone's.
    root = fake_checkout(tmp_path)
    shutil.copytree(ROOT / "seeds", root / "seeds")
    generated = ("story.yaml", "drafts.yaml")
    for story in ("alice-and-leon", "alejandro-and-sophie", "viktoria-and-leon"):
        # the hand-written branches, which convert leaves alone
        shutil.copytree(ROOT / "scenes" / story, root / "scenes" / story,
                        ignore=lambda folder, names: [n for n in names if n in generated])
    monkeypatch.chdir(root)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    seeds = sorted(p.relative_to(root).as_posix() for p in (root / "seeds").glob("*.txt"))
    assert run(parser.parse_args([*seeds, "-o", "scenes"])) == 0
    written = sorted(p for p in (root / "scenes").glob("*/*.yaml") if p.name in generated)
    shipped_files = sorted(p for p in (ROOT / "scenes").glob("*/*.yaml")
                           if p.name in generated and p.parent.name != "tutorial")
    assert [p.relative_to(root) for p in written] == [p.relative_to(ROOT) for p in shipped_files]
    for path in written:
        shipped = ROOT / "scenes" / path.parent.name / path.name
        assert path.read_bytes() == shipped.read_bytes(), path


def test_carnet_schema_prints_the_schema_or_its_path() -> None:
    out = subprocess.run([sys.executable, "-m", "carnet", "schema"], capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == json.loads(SCHEMA.read_text(encoding="utf-8"))
    path = subprocess.run([sys.executable, "-m", "carnet", "schema", "--path"],
                          capture_output=True, text=True, check=True).stdout
    assert Path(path.strip()) == SCHEMA.resolve()
