"""engine/digest.py gives hashlib's SHA-256 digests, without importing OpenSSL."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from carnet.engine.digest import sha256


@pytest.mark.parametrize("data", [b"", b"abc", "Léon\n".encode(), bytes(range(256)) * 1000])
def test_the_same_digests_as_hashlib(data: bytes) -> None:
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert sha256(data).digest() == hashlib.sha256(data).digest()


def test_updates_add_up_to_the_whole() -> None:
    hasher = sha256()
    for part in (b"carnet: 1\n", b"", b"start: a\n" * 50):
        hasher.update(part)
    assert hasher.digest() == hashlib.sha256(b"carnet: 1\n" + b"start: a\n" * 50).digest()


def test_loading_a_story_does_not_import_openssl_or_tempfile() -> None:
    """Both cost resident memory in every process that loads a story (hashlib
    maps OpenSSL; tempfile brings random and shutil), and a load needs neither."""
    code = ("import sys\nfrom carnet.engine.loader import load_story\n"
            "assert load_story('scenes/tutorial').ok\n"
            "print('_hashlib' in sys.modules, 'hashlib' in sys.modules,"
            " 'tempfile' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False", "False"]
