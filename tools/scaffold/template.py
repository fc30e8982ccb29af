"""The files of a new story: pure text, nothing written here."""

from __future__ import annotations

import json
import re

from carnet.engine.loader import STORY_FILE, WALKTHROUGHS_DIR
from carnet.engine.schemafile import MODELINE_PREFIX

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


def title_of(name: str) -> str:
    """``the-lighthouse`` -> ``The lighthouse``."""
    words = re.sub(r"[_.-]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


STORY = """\
@MODELINE@# A new carnet story. Every *.yaml file in this folder belongs to it (the
# walkthroughs/ folder excepted: those are tests). Add a branch by adding a
# file. The format: docs/format.md; a tour: docs/authoring.md.
#
#   carnet lint .      check it, like a compiler
#   carnet play .      play it
#   carnet test .      play the walkthroughs and check them

carnet: 1
title: @TITLE@
start: start

# Variables and their defaults; the default's type is the variable's type.
vars:
  read_milestone: false

scenes:
  start:
    text: |
      The road forks at an old milestone. To the left it climbs toward the hills;
      to the right it runs down to the sea.

      Write your opening here. A blank line starts a new paragraph.
    # shown instead of `text` when you come back to this scene
    revisit: |
      The milestone says: TWO ROADS, ONE EVENING. The roads have not moved.
    choices:
      - text: Take the hill road
        to: hills
        canon: true          # the path of the story as written
      - text: Take the sea road
        to: sea
      - text: Read the milestone
        to: start
        once: true           # offered until taken once
        do: [read_milestone = true]

  hills:
    text: |
      The hill road climbs until the fork is a speck below you. This is one ending.
    end: The hill road

  sea:
    # {if CONDITION: text | else: other text} follows the story's state
    text: |
      The sea road ends at a grey beach. {if read_milestone: Two roads, one evening,
      you think. | else: You never read the milestone.} This is the other ending.
    end: The sea road
"""


def story_files(title: str, schema: str | None) -> dict[str, str]:
    """Relative path -> text of every file of a new story called ``title``."""
    modeline = f"{MODELINE_PREFIX}{schema}\n#\n" if schema else ""
    story = STORY.replace("@MODELINE@", modeline).replace("@TITLE@", _quoted(title))
    hills = """\
# A walkthrough: `carnet test` plays these choices and checks what follows.
# See docs/test.md.
carnet_test: 1
name: To the hill road
steps:
  - choose: Take the hill road
expect:
  ending: The hill road
"""
    sea = """\
carnet_test: 1
name: To the sea road, after reading the milestone
steps:
  - choose: Read the milestone
    expect:
      scene: start
      vars: {read_milestone: true}
      not_text: ["Read the milestone"]
  - choose: 2
expect:
  ending: The sea road
  text: ["a grey beach", "Two roads, one evening, you think."]
  not_text: ["You never read the milestone"]
"""
    return {STORY_FILE: story, f"{WALKTHROUGHS_DIR}/hill-road.yaml": hills,
            f"{WALKTHROUGHS_DIR}/sea-road.yaml": sea}
