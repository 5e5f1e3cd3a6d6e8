"""The build's one cache: one folder, one key scheme, cleared whole by `./run clean`.

The folder is ``.cache/`` in the project, or ``$SITEBUILD_CACHE``. Inside it:

    snippets/<name>/<key>/   a snippet's figures, data files and manifest (sitebuild.runner)
    text/<namespace>/<key>   the result of a pure text transformation (code pages, notebook
                             downloads, test-marker scans, maths, share cards)
    jupyter/                 mkdocs-jupyter's executed notebooks and the source it reads (sitebuild.jupyter)

Every key is a hash of the bytes of every input and of the versions of the Python and the
libraries that shape the output, so an edited input or an upgraded library is a miss, never a
stale hit.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from . import project


def root(project_root: Path | None = None) -> Path:
    default = (project_root or project.ROOT) / ".cache"
    return Path(os.environ.get("SITEBUILD_CACHE", default))


@functools.cache
def versions(*dists: str) -> str:
    """'python=…;numpy=…;…' read from package metadata (nothing is imported)."""
    parts = [f"python={sys.version_info[:3]}"]
    for dist in dists:
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=absent")
    return ";".join(parts)


def digest(inputs: Iterable[bytes | str | Path], libs: Iterable[str] = ()) -> str:
    h = hashlib.sha256(versions(*libs).encode())
    for item in inputs:
        data = (
            item.read_bytes() if isinstance(item, Path) else item.encode() if isinstance(item, str) else item
        )
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:24]


def text(
    namespace: str,
    inputs: list[bytes | str | Path],
    compute: Callable[[], str],
    libs: Iterable[str] = (),
) -> str:
    """``compute()``, memoised under text/<namespace>/ by the inputs' bytes and the libraries' versions.
    Pass the module that computes it among the inputs, so that changed build code recomputes."""
    return blob(namespace, inputs, lambda: compute().encode("utf-8"), libs).decode("utf-8")


def blob(
    namespace: str,
    inputs: list[bytes | str | Path],
    compute: Callable[[], bytes],
    libs: Iterable[str] = (),
) -> bytes:
    """As ``text``, for bytes (a share card's PNG)."""
    path = root() / "text" / namespace / digest([namespace, *inputs], libs)
    try:  # the first line is the checksum of the rest: a damaged file is recomputed, never served
        check, _, stored = path.read_bytes().partition(b"\n")
        if check.decode("ascii", "replace") == digest([stored]):
            return stored
    except OSError:
        pass
    result = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(digest([result]).encode("ascii") + b"\n" + result)
        tmp.replace(path)
    except OSError:  # a cache that cannot be written only costs time
        pass
    return result


def clear(project_root: Path | None = None) -> Path:
    folder = root(project_root)
    shutil.rmtree(folder, ignore_errors=True)
    return folder
