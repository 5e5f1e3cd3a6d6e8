"""A ✓ only from a pass on these inputs: pytest records each claim test's outcome, the build reads it.

As a pytest plugin (``-p sitebuild.evidence`` in pyproject.toml) it

- refuses ``skip``, ``skipif`` and ``xfail`` marks on a test that carries ``@pytest.mark.claim``;
- records, for every test that ran, its outcome (passed, failed, error, skipped, xfailed) and the
  key of the inputs it ran on: the bytes of its test module, of every module under snippets/ and
  tests/ that it imports (transitively, as for a snippet's cache key), of the build's worker (which
  computes the values the tests read) and the libraries' versions;
- merges those records into ``claims/outcomes.json`` in the build's cache.

The build asks ``status(test_ids)`` for each computed claim (figures included): checked only if
every test marked with it has a current pass. A claim without one shows as "not yet checked"; the
release build (``SITEBUILD_RELEASE=1``: ``./run build``, ``./run pdf``, a step of ``./run test`` and of
the deploy workflow)
fails instead, naming the claim, its page and line, the test and the reason.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from . import cache, project, runner

LIBS = (*runner.SNIPPET_LIBS, "scikit-learn", "pytest")
REFUSED_MARKS = ("skip", "skipif", "xfail")
WORKER = Path(runner.__file__).with_name("worker.py")


def outcomes_file() -> Path:
    return cache.root() / "claims" / "outcomes.json"


def release() -> bool:
    return os.environ.get("SITEBUILD_RELEASE", "") not in ("", "0")


def inputs_key(test_module: str, root: Path | None = None) -> str:
    """The key of what a test module's tests run on: ``tests/test_x.py`` relative to the project."""
    root = root or project.ROOT
    path = root / test_module
    seen, todo = set(), [path]
    while todo:
        p = todo.pop()
        if p not in seen and p.is_file():
            seen.add(p)
            todo.extend(runner._project_imports(p, root, ("snippets", "tests")) - seen)
    named = sorted((p.relative_to(root).as_posix(), p) for p in seen)
    named.append(("sitebuild/worker.py", WORKER))  # it computes the values the tests read
    return cache.digest([part for rel, p in named for part in (rel, p)], LIBS)


def load() -> dict:
    try:
        return json.loads(outcomes_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: nothing is checked
        return {}


def by_test(records: dict) -> dict[str, list[str]]:
    """The records' node ids under every test id they belong to: 'tests/t.py::test_y[1]' under
    'tests/t.py::test_y', 'tests/t.py::Class::test_y' under 'tests/t.py::Class' too."""
    index: dict[str, list[str]] = {}
    for node in records:
        parts = node.split("[")[0].split("::")
        for k in range(2, len(parts) + 1):
            index.setdefault("::".join(parts[:k]), []).append(node)
    return index


def status(
    test_ids: list[str],
    records: dict,
    root: Path | None = None,
    index: dict | None = None,
    keys: dict | None = None,
) -> tuple[bool, str]:
    """(checked, reason) for a claim whose tests are ``test_ids`` ('tests/test_x.py::test_y').
    For many calls in one build, pass ``index = by_test(records)`` and one ``keys`` dict (it
    keeps each test module's ``inputs_key``)."""
    if not test_ids:
        return False, "no test carries its marker"
    index = index if index is not None else by_test(records)
    keys = keys if keys is not None else {}
    for tid in test_ids:
        runs = sorted(index.get(tid, ()))
        if not runs:
            return False, f"{tid} did not run (not collected, or not run since)"
        module = tid.split("::")[0]
        for node in runs:
            rec = records[node]
            if rec["outcome"] != "passed":
                return False, f"{node} {rec['outcome']}"
            if module not in keys:
                keys[module] = inputs_key(module, root)
            if rec["inputs"] != keys[module]:
                return False, f"{node} passed on other inputs (its test or snippet changed since)"
    return True, "passed"


# --- the pytest plugin -------------------------------------------------------------------------

_RECORDS: dict[str, dict] = {}
_KEYS: dict[str, str] = {}  # test module -> inputs_key, once per session


def pytest_collection_modifyitems(session, config, items):
    import pytest

    refused = []
    for item in items:
        if item.get_closest_marker("claim") is None:
            continue
        for name in REFUSED_MARKS:
            if item.get_closest_marker(name) is not None:
                claims = [a for m in item.iter_markers("claim") for a in m.args]
                refused.append(f"{item.nodeid} (claims {', '.join(claims)}) is marked {name}")
    if refused:
        raise pytest.UsageError(
            "claim tests must run, never be skipped or expected to fail:\n  " + "\n  ".join(refused)
        )


def pytest_runtest_logreport(report):
    if "::" not in report.nodeid:
        return
    if report.when == "call" or report.failed or report.skipped:
        if report.skipped:
            outcome = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif report.failed:
            outcome = "failed" if report.when == "call" else "error"
        else:
            outcome = "passed"
        previous = _RECORDS.get(report.nodeid, {}).get("outcome", "passed")
        if previous == "passed" or report.when == "setup":  # a teardown error spoils a pass
            module = report.nodeid.split("::")[0]
            if module not in _KEYS:  # what the session imported: its files at the first report
                _KEYS[module] = inputs_key(module)
            _RECORDS[report.nodeid] = {"outcome": outcome, "inputs": _KEYS[module]}


def pytest_sessionfinish(session, exitstatus):
    if not _RECORDS:
        return
    path = outcomes_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two pytest runs at once merge, not overwrite
        records = load()
        records.update(_RECORDS)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(records, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    _RECORDS.clear()
    _KEYS.clear()
