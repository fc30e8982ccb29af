"""SHA-256 without OpenSSL's resident cost.

``import hashlib`` loads OpenSSL's libcrypto, about 3.5 MiB of resident
memory in every process that loads a story (measured as VmHWM: a bare
interpreter 10.6 MiB, after ``import hashlib`` 14.1 MiB), for the one hash
carnet uses: SHA-256 of story files (the fingerprint that keys the compiled
cache), of cache entries and of choice texts. CPython also ships SHA-256 as
a small built-in module (``_sha2`` from 3.12, ``_sha256`` before), giving the
same digests; it is used when present, hashlib otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Hash(Protocol):
    def update(self, data: bytes | bytearray | memoryview, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def _constructor() -> Callable[..., Any]:
    for module in ("_sha2", "_sha256"):
        try:
            return __import__(module).sha256  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    import hashlib  # pragma: no cover - a Python without the built-in module

    return hashlib.sha256  # pragma: no cover


_SHA256 = _constructor()


def sha256(data: bytes = b"") -> Hash:
    """A SHA-256 hash object, as ``hashlib.sha256(data)``."""
    hasher: Hash = _SHA256(data)
    return hasher
