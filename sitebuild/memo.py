"""A small persistent memo for the build's pure text transformations (notebook conversion, code
pages, test-marker scans, maths): the result is stored under .cache/memo/, keyed by a hash of
every input's bytes and of the module that computes it, so a warm build skips the work and a
changed input (or changed build code) recomputes it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from . import runner


def text(namespace: str, inputs: list[bytes | str | Path], compute: Callable[[], str]) -> str:
    h = hashlib.sha256(namespace.encode())
    for item in inputs:
        data = (
            item.read_bytes() if isinstance(item, Path) else item.encode() if isinstance(item, str) else item
        )
        h.update(len(data).to_bytes(8, "little") + data)
    path = runner.cache_dir().parent / "memo" / namespace / h.hexdigest()[:24]
    if path.is_file():
        return path.read_text()
    result = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(result)
    tmp.replace(path)
    return result
