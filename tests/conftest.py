"""Settings shared by the whole suite.

Hypothesis profiles: ``dev`` (the default: few examples, so the suite stays
fast) and ``ci`` (more examples, derandomized so a failure reproduces),
chosen when the environment variable ``CI`` is set; ``HYPOTHESIS_PROFILE``
names one explicitly. A test's own ``@settings`` still wins for the keys it
sets, so property tests should leave ``max_examples`` to the profile.

Helpers shared by several test modules live in ``tests/support/`` (and
``tests/storyfiles.py``), never in a test module.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings
from prompt_toolkit.input import PipeInput, create_pipe_input

# The compiled-story cache of every run in the suite (in process and in
# subprocesses) goes to a folder of its own, never the user's.
os.environ["CARNET_CACHE_DIR"] = tempfile.mkdtemp(prefix="carnet-test-cache-")
atexit.register(shutil.rmtree, os.environ["CARNET_CACHE_DIR"], True)

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    """Keys for a prompt_toolkit application under test."""
    with create_pipe_input() as inp:
        yield inp
