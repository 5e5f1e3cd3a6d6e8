"""Run snippets in isolated subprocesses, in parallel, behind the content-addressed cache.

A snippet's output is re-produced only when one of its inputs changed: its own source, every
project module it imports (transitively), the plotting style, this build code's worker, and the
installed versions of Python, numpy, matplotlib and scipy (sitebuild.cache).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, project

#: Libraries whose version is part of a snippet's cache key.
SNIPPET_LIBS = ("numpy", "matplotlib", "scipy")

DEFAULT_TIMEOUT = float(os.environ.get("SITEBUILD_TIMEOUT", "120"))


class SnippetError(RuntimeError):
    """A snippet failed, hung, or broke the interface. The message names it."""


@dataclass
class Result:
    name: str
    folder: Path  # the cache folder holding the figures, data and manifest.json
    executed: bool  # False when the cache was fresh
    manifest: dict = field(default_factory=dict)

    @property
    def values(self) -> dict:
        return self.manifest["values"]


# --- inputs and the cache key -------------------------------------------------------------


_AST_LOCK = threading.Lock()


def _project_imports(path: Path, root: Path) -> set[Path]:
    """Project modules (under snippets/) imported by the module at ``path``."""
    # ast.parse in several threads at once can raise a spurious SystemError (CPython gh-106905)
    with _AST_LOCK:
        tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative import inside snippets/
                names = [f"snippets.{node.module}"]
            else:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            names = [f"snippets.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] != "snippets":
                continue
            candidate = root.joinpath(*parts).with_suffix(".py")
            if candidate.is_file():
                found.add(candidate)
    return found


def inputs(name: str, root: Path | None = None) -> list[Path]:
    """Every file whose content determines the output of snippet ``name``, sorted."""
    root = root or project.ROOT
    start = root / "snippets" / f"{name}.py"
    if not start.is_file():
        raise SnippetError(f"no snippet named '{name}' (expected {start.relative_to(root)})")
    seen, todo = set(), [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo.extend(_project_imports(path, root) - seen)
    seen.add(root / "snippets" / "style.py")
    seen.add(root / "snippets" / "__init__.py")
    seen.add(Path(__file__).with_name("worker.py"))
    return sorted(p for p in seen if p.is_file())


def cache_key(name: str, root: Path | None = None) -> str:
    root = root or project.ROOT
    # name each input by its place in the project, so the key is the same wherever the project lies
    named = sorted(
        (p.relative_to(root).as_posix() if p.is_relative_to(root) else f"sitebuild/{p.name}", p)
        for p in inputs(name, root)
    )
    return cache.digest([part for rel, path in named for part in (rel, path)], SNIPPET_LIBS)[:20]


# --- running -------------------------------------------------------------------------------


def _env(root: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "SOURCE_DATE_EPOCH": env.get("SOURCE_DATE_EPOCH", "0"),
            "PYTHONPATH": os.pathsep.join([str(root), str(Path(__file__).resolve().parent.parent)]),
        }
    )
    return env


def _execute(name: str, out: Path, root: Path, timeout: float) -> None:
    cmd = [sys.executable, "-m", "sitebuild.worker", name, str(out)]
    proc = subprocess.Popen(
        cmd, cwd=root, env=_env(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise SnippetError(
            f"snippet '{name}' (snippets/{name}.py) did not finish within {timeout:g} s and was killed"
        ) from None
    if proc.returncode != 0:
        text = stderr.decode(errors="replace").strip()
        raise SnippetError(f"snippet '{name}' (snippets/{name}.py) failed:\n{text}")


def cache_dir(root: Path | None = None) -> Path:
    """Where snippet outputs are kept: snippets/ in the build's cache."""
    return cache.root(root) / "snippets"


def render(name: str, root: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> Result:
    """The output of snippet ``name``: from the cache when fresh, else by running it."""
    root = root or project.ROOT
    store = cache_dir(root)
    key = cache_key(name, root)
    folder = store / name / key
    manifest_file = folder / "manifest.json"
    if manifest_file.is_file():
        return Result(name, folder, False, json.loads(manifest_file.read_text()))
    (store / name).mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=store / name))
    try:
        _execute(name, tmp, root, timeout)
        try:
            tmp.rename(folder)
        except OSError:  # another process produced the same key meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for stale in (store / name).iterdir():
        if stale.name != key and not stale.name.startswith("."):
            shutil.rmtree(stale, ignore_errors=True)
    return Result(name, folder, True, json.loads(manifest_file.read_text()))


def render_all(
    names=None, root: Path | None = None, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT
):
    """Render several snippets in parallel (one subprocess each). Raises one SnippetError naming
    every snippet that failed, after the others have finished."""
    root = root or project.ROOT
    names = list(names if names is not None else project.snippet_names(root))
    jobs = jobs or os.cpu_count() or 1
    results, errors = {}, []
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(names) or 1))) as pool:
        futures = {name: pool.submit(render, name, root, timeout) for name in names}
        for name, fut in futures.items():
            try:
                results[name] = fut.result()
            except SnippetError as exc:
                errors.append(str(exc))
    if errors:
        raise SnippetError("\n\n".join(errors))
    return results
