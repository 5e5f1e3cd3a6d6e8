"""Run snippets in isolated subprocesses, in parallel, behind the content-addressed cache.

A snippet's output is re-produced only when one of its inputs changed: its own source, every
project module it imports (transitively), the plotting style, this build code's worker, and the
installed versions of Python and of every library a snippet imports (SNIPPET_LIBS, sitebuild.cache).
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
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, project

#: Libraries whose version is part of a snippet's cache key.
SNIPPET_LIBS = ("numpy", "matplotlib", "contourpy", "scipy")

DEFAULT_TIMEOUT = float(os.environ.get("SITEBUILD_TIMEOUT", "120"))


class SnippetError(RuntimeError):
    """A snippet failed, hung, or broke the interface. The message names it."""


@dataclass
class Result:
    name: str
    folder: Path  # the cache folder holding the figures, data and manifest.json
    executed: bool  # False when the cache was fresh
    manifest: dict = field(default_factory=dict)
    seconds: float = 0.0  # how long the worker ran (0 when the cache was fresh)

    @property
    def values(self) -> dict:
        return self.manifest["values"]


# --- inputs and the cache key -------------------------------------------------------------


_AST_LOCK = threading.Lock()


_IMPORTED: dict[tuple[Path, Path, bytes], set[Path]] = {}  # by content: an edited file is parsed again


def _project_imports(path: Path, root: Path, packages: tuple[str, ...] = ("snippets",)) -> set[Path]:
    """Project modules (in the folders ``packages``) imported by the module at ``path``."""
    data = path.read_bytes()
    key = (path, root, data)
    if key not in _IMPORTED:
        _IMPORTED[key] = _parse_imports(path, root, data)
    return {p for p in _IMPORTED[key] if p.is_file() and p.relative_to(root).parts[0] in packages}


def _parse_imports(path: Path, root: Path, data: bytes) -> set[Path]:
    # ast.parse in several threads at once can raise a spurious SystemError (CPython gh-106905)
    try:
        with _AST_LOCK:
            tree = ast.parse(data, filename=str(path))
    except SyntaxError as exc:
        where = path.relative_to(root) if path.is_relative_to(root) else path
        raise SnippetError(f"{where}:{exc.lineno}: syntax error: {exc.msg}") from None
    found = set()
    package = path.relative_to(root).parts[0] if path.is_relative_to(root) else "snippets"
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative import inside snippets/ (or tests/)
                names = [f"{package}.{node.module}"]
            else:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            names = [f"{package}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] not in ("snippets", "tests"):
                continue
            found.add(root.joinpath(*parts).with_suffix(".py"))
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


def _named_inputs(name: str, root: Path) -> list[tuple[str, bytes]]:
    """(place in the project, bytes) of every input, read once: the key and the run use these bytes."""
    named = sorted(
        (p.relative_to(root).as_posix() if p.is_relative_to(root) else f"sitebuild/{p.name}", p)
        for p in inputs(name, root)
    )
    return [(rel, path.read_bytes()) for rel, path in named]


def _key(named: list[tuple[str, bytes]]) -> str:
    return cache.digest([part for rel, data in named for part in (rel, data)], SNIPPET_LIBS)[:20]


def cache_key(name: str, root: Path | None = None) -> str:
    # each input is named by its place in the project, so the key is the same wherever the project lies
    return _key(_named_inputs(name, root or project.ROOT))


# --- running -------------------------------------------------------------------------------
#
# Each run works in its own folder, .run-<pid>-*/ beside the entries: src/ holds a snapshot of the
# snippet modules whose bytes made the key (the worker imports those, not the working tree, so an
# edit during the build cannot end up under the old key), out/ the worker's files, log.txt its
# output. Only an out/ whose manifest verifies becomes the entry <key>/; a failed run leaves the
# previous entries as they were.

_RUNNING: set[subprocess.Popen] = set()
_LOCK = threading.Lock()
_STOP = threading.Event()
LOG_TAIL = 6000  # characters of a failed snippet's output kept in the error


def _env(src: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": env.get("SITEBUILD_HASHSEED", "0"),
            "PYTHONUTF8": "1",
            "SITEBUILD_PARENT": str(os.getpid()),  # the worker dies with the build (sitebuild.worker)
            "SOURCE_DATE_EPOCH": env.get("SOURCE_DATE_EPOCH", "0"),
            # the snapshot first: `snippets` is the snapshot's; sitebuild is the build's own
            "PYTHONPATH": os.pathsep.join([str(src), str(Path(__file__).resolve().parent.parent)]),
        }
    )
    return env


def _culprit(name: str) -> str:
    return f"snippet '{name}' (snippets/{name}.py)"


def _failure(name: str, code: int, work: Path) -> str:
    """Why the worker failed, in its first lines; then the tail of what it printed."""
    report = work / "out" / "error.txt"
    if code < 0:
        sig = signal.Signals(-code).name
        cause = f"{_culprit(name)} was killed by {sig}"
        if sig == "SIGKILL":
            cause += " (out of memory? the kernel's OOM killer sends SIGKILL)"
        elif sig in ("SIGSEGV", "SIGABRT", "SIGBUS"):
            cause += " (a crash in native code, or os.abort())"
    elif report.is_file():
        cause = report.read_text(encoding="utf-8", errors="replace").strip()
    elif code == 0:
        cause = (
            f"{_culprit(name)} exited early (status 0) without writing its results: "
            "does it call os._exit() or sys.exit()?"
        )
    else:
        cause = f"{_culprit(name)} failed with exit status {code}"
    log = (work / "log.txt").read_text(encoding="utf-8", errors="replace").strip()
    if len(log) > LOG_TAIL:
        log = f"[… {log.count(chr(10), 0, len(log) - LOG_TAIL)} earlier lines cut …]\n" + log[-LOG_TAIL:]
    return cause + ("\n--- its output (the end) ---\n" + log if log else "")


def _execute(name: str, work: Path, timeout: float) -> None:
    if _STOP.is_set():
        raise SnippetError(f"{_culprit(name)} not run: the build was interrupted")
    cmd = [sys.executable, "-m", "sitebuild.worker", name, str(work / "out")]
    with open(work / "log.txt", "wb") as log:  # a file, not a pipe: a child holding it open cannot stall us
        proc = subprocess.Popen(
            cmd,
            cwd=work,
            env=_env(work / "src"),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    with _LOCK:
        _RUNNING.add(proc)
        # stop() sets _STOP, then lists _RUNNING under this lock: a worker it could not see yet
        # (started between the check above and here) sees _STOP now and is killed below
        stopped = _STOP.is_set()
    try:
        code = None if stopped else proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        with _LOCK:
            _RUNNING.discard(proc)
        _kill_group(proc)  # the worker's own children too
    if _STOP.is_set():
        raise SnippetError(f"{_culprit(name)} stopped: the build was interrupted")
    if code is None:
        raise SnippetError(f"{_culprit(name)} did not finish within {timeout:g} s and was killed") from None
    if code != 0 or not _verified(work / "out"):
        raise SnippetError(_failure(name, code, work))


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _verified(folder: Path) -> dict | None:
    """The manifest of a complete, intact entry (the manifest and every file it lists match their
    checksums), else None."""
    try:
        data = (folder / "manifest.json").read_bytes()
        if (folder / "manifest.sha256").read_text(encoding="ascii") != cache.digest([data]):
            return None
        manifest = json.loads(data.decode("utf-8"))
        for fname, digest in manifest["sha256"].items():
            if cache.digest([(folder / fname).read_bytes()]) != digest:
                return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError):
        return None


def cache_dir(root: Path | None = None) -> Path:
    """Where snippet outputs are kept: snippets/ in the build's cache."""
    return cache.root(root) / "snippets"


KEEP_RECENT_S = 3600  # an entry used this recently is never removed (another checkout may be using it)
KEEP_ENTRIES = 4  # otherwise the most recently used few are kept per snippet


def _tidy(folder: Path) -> None:
    """Remove run folders of builds that died, and entries neither recent nor among the last few."""
    now = time.time()
    entries = []
    for path in folder.iterdir():
        if path.name.startswith(".run-"):
            pid = int(path.name.split("-")[1]) if path.name.split("-")[1].isdigit() else 0
            if pid != os.getpid() and not _alive(pid):
                shutil.rmtree(path, ignore_errors=True)
        elif not path.name.startswith("."):
            entries.append((path.stat().st_mtime, path))
    for mtime, path in sorted(entries, reverse=True)[KEEP_ENTRIES:]:
        if now - mtime > KEEP_RECENT_S:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0


def render(name: str, root: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> Result:
    """The output of snippet ``name``: from the cache when its entry is intact, else by running it."""
    root = root or project.ROOT
    store = cache_dir(root) / name
    named = _named_inputs(name, root)
    key = _key(named)
    folder = store / key
    manifest = _verified(folder)
    if manifest is not None:
        os.utime(folder)  # recently used: kept by every build's tidy-up
        return Result(name, folder, False, manifest)
    try:
        store.mkdir(parents=True, exist_ok=True)
        _tidy(store)
        work = Path(tempfile.mkdtemp(prefix=f".run-{os.getpid()}-", dir=store))
        for rel, data in named:
            if rel.startswith("snippets/"):
                (work / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
                (work / "src" / rel).write_bytes(data)
    except OSError as exc:
        raise SnippetError(
            f"{_culprit(name)}: cannot write the cache at {store}: {exc.strerror or exc}. "
            "Make it writable, or point SITEBUILD_CACHE at a writable folder."
        ) from None
    try:
        started = time.monotonic()
        _execute(name, work, timeout)
        seconds = time.monotonic() - started
        # another process (a second test worker, a build) may have finished the same key meanwhile:
        # its entry is kept (the same bytes; a reader may have it open), a damaged one replaced
        if folder.exists() and _verified(folder) is None:
            shutil.rmtree(folder, ignore_errors=True)
        try:
            (work / "out").rename(folder)
        except OSError:
            if _verified(folder) is None:
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Result(name, folder, True, _verified(folder), seconds)


def render_all(
    names=None, root: Path | None = None, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT
):
    """Render several snippets in parallel (one subprocess each). Raises one SnippetError naming
    every snippet that failed, after the others have finished. Ctrl-C stops every worker at once."""
    root = root or project.ROOT
    names = list(names if names is not None else project.snippet_names(root))
    jobs = jobs or os.cpu_count() or 1
    results, errors = {}, []
    _STOP.clear()
    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, len(names) or 1)))
    try:
        futures = {name: pool.submit(render, name, root, timeout) for name in names}
        for name, fut in futures.items():
            try:
                results[name] = _result(fut)
            except SnippetError as exc:
                errors.append(str(exc))
    except BaseException:  # Ctrl-C (KeyboardInterrupt) or the build being stopped: stop everything now
        stop()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    if errors:
        error = SnippetError("\n\n".join(errors))
        error.results = results  # what did render, for a build that shows the error (./run serve)
        raise error
    return results


def _result(fut):
    """fut.result(), waking every second. The kernel may hand a Ctrl-C to any thread; Python then
    raises it in the main thread only once that thread wakes, and a main thread blocked in
    fut.result() would sleep until the snippet ended (a CI run waited 120 s for it)."""
    while True:
        try:
            return fut.result(timeout=1.0)
        except TimeoutError:
            continue


def stop() -> None:
    """Start no new worker, and kill the running ones (with their children)."""
    _STOP.set()
    with _LOCK:
        running = list(_RUNNING)
    for proc in running:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
