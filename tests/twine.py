"""Finding the `extwee` Twine compiler for the export tests, and reading its HTML."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "extwee"  # where .ci/run installs it

# A stand-in story format: SugarCube's own format.js is not published on npm,
# and extwee needs a format file only for the page around the story data.
FORMAT_JS = ('window.storyFormat({"name":"SugarCube","version":"2.37.3",'
             '"source":"<!DOCTYPE html><html><head><title>{{STORY_NAME}}</title></head>'
             '<body>{{STORY_DATA}}</body></html>"});\n')


def extwee() -> str | None:
    """The extwee command, or None (then the tests that need it skip)."""
    if shutil.which("node") is None:
        return None
    given = os.environ.get("CARNET_EXTWEE")
    if given:
        return given
    if LOCAL.exists():
        return str(LOCAL)
    return shutil.which("extwee")


SKIP_REASON = ("extwee is not installed (needs Node; .ci/run installs it into .ci/node with "
               "npm, or set CARNET_EXTWEE)")

_PASSAGE = re.compile(r'<tw-passagedata ([^>]*)>(.*?)</tw-passagedata>', re.S)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def passages(page: str) -> dict[str, tuple[dict[str, str], str]]:
    """Passage name -> (attributes, text) of a compiled Twine 2 HTML page."""
    found = {}
    for attrs, body in _PASSAGE.findall(page):
        values = {k: html.unescape(v) for k, v in _ATTR.findall(attrs)}
        found[values["name"]] = (values, html.unescape(body))
    return found


def story_data(page: str) -> dict[str, str]:
    match = re.search(r"<tw-storydata ([^>]*)>", page)
    assert match, "no <tw-storydata> in the page"
    return {k: html.unescape(v) for k, v in _ATTR.findall(match.group(1))}
