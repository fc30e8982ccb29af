"""The Hypothesis profiles of tests/conftest.py: dev by default, ci when CI is set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = ("import tests.conftest\nfrom hypothesis import settings\n"
         "print(settings().max_examples, settings().derandomize)\n")


@pytest.mark.parametrize(("ci", "expected"), [("", "60 False"), ("true", "300 True")])
def test_the_profile_follows_the_ci_variable(ci: str, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    if ci:
        env["CI"] = ci
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, text=True,
                         capture_output=True, check=True).stdout
    assert out.split() == expected.split()
