"""The beat-kind recipe of carnet.tools.convert: every kind has its registry entry,
its finder and its templates, and the templates are data apart from the code."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import yaml

from carnet.tools.convert.analysis import BEAT_KINDS, BeatKind
from carnet.tools.convert.reading.beats import FINDERS
from carnet.tools.convert.writing import situations
from carnet.tools.convert.writing.situations import BRIDGES, SITUATIONS, TemplateError

TEMPLATES = Path(situations.__file__).parent / "templates"


def test_the_registry_lists_every_kind_of_the_type_once() -> None:
    assert sorted(BEAT_KINDS) == sorted(typing.get_args(BeatKind))
    assert len(set(BEAT_KINDS)) == len(BEAT_KINDS)


@pytest.mark.parametrize("kind", BEAT_KINDS)
def test_every_kind_has_a_finder(kind: str) -> None:
    assert callable(FINDERS[kind])  # type: ignore[index]


def test_no_finder_without_a_kind() -> None:
    assert set(FINDERS) == set(BEAT_KINDS)


@pytest.mark.parametrize("kind", BEAT_KINDS)
def test_every_kind_has_its_template_file(kind: str) -> None:
    data = yaml.safe_load((TEMPLATES / f"{kind}.yaml").read_text(encoding="utf-8"))
    assert kind in data["situations"], f"{kind}.yaml needs the situation {kind!r}"
    assert set(data["bridges"]) == set(data["situations"])
    assert kind in SITUATIONS and kind in BRIDGES


def test_every_situation_belongs_to_a_kind_and_has_a_bridge() -> None:
    assert {key.split(".")[0] for key in SITUATIONS} == set(BEAT_KINDS)
    assert set(BRIDGES) == set(SITUATIONS)


def test_template_files_are_only_the_kinds_and_common() -> None:
    names = {path.stem for path in TEMPLATES.glob("*.yaml")}
    assert names == {*BEAT_KINDS, "common"}


def test_a_malformed_template_file_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    real = situations._read

    def broken(name: str) -> dict[str, object]:
        data = real(name)
        if name == "decision.yaml":
            data["situations"]["decision"]["canon"] = []
        return data

    monkeypatch.setattr(situations, "_read", broken)
    with pytest.raises(TemplateError, match=r"decision\.yaml: situations\.decision\.canon"):
        situations.load_templates()
