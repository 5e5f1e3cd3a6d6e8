"""A ✓ only from a pass on these inputs: pytest records each claim test's outcome, the build reads it.

As a pytest plugin (``-p sitebuild.evidence`` in pyproject.toml) it

- refuses ``skip``, ``skipif`` and ``xfail`` marks on a test that carries ``@pytest.mark.claim``;
- records, for every test that ran, its outcome (passed, failed, error, skipped, xfailed) and the
  key of the inputs it ran on: the bytes of its test module, of every project module that module
  imports (transitively, as for a snippet's cache key) and the libraries' versions;
- merges those records into ``claims/outcomes.json`` in the build's cache.

The build asks ``status(test_ids)`` for each computed claim (figures included): checked only if
every test marked with it has a current pass. A claim without one shows as "not yet checked"; the
release build (``SITEBUILD_RELEASE=1``, the last step of ``./run test`` and of the deploy workflow)
fails instead, naming the claim, its page and line, the test and the reason.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
from pathlib import Path

from . import cache, project, runner

LIBS = (*runner.SNIPPET_LIBS, "scikit-learn", "pytest")
REFUSED_MARKS = ("skip", "skipif", "xfail")


def outcomes_file() -> Path:
    return cache.root() / "claims" / "outcomes.json"


def release() -> bool:
    return os.environ.get("SITEBUILD_RELEASE", "") not in ("", "0")


@functools.cache
def inputs_key(test_module: str, root: Path | None = None) -> str:
    """The key of what a test module's tests run on: ``tests/test_x.py`` relative to the project."""
    root = root or project.ROOT
    path = root / test_module
    seen, todo = set(), [path]
    while todo:
        p = todo.pop()
        if p not in seen and p.is_file():
            seen.add(p)
            todo.extend(runner._project_imports(p, root) - seen)
    named = sorted((p.relative_to(root).as_posix(), p) for p in seen)
    return cache.digest([part for rel, p in named for part in (rel, p)], LIBS)


def load() -> dict:
    try:
        return json.loads(outcomes_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: nothing is checked
        return {}


def status(test_ids: list[str], records: dict, root: Path | None = None) -> tuple[bool, str]:
    """(checked, reason) for a claim whose tests are ``test_ids`` ('tests/test_x.py::test_y')."""
    if not test_ids:
        return False, "no test carries its marker"
    for tid in test_ids:
        runs = {n: r for n, r in records.items() if n == tid or n.startswith((tid + "[", tid + "::"))}
        if not runs:
            return False, f"{tid} did not run (not collected, or not run since)"
        for node, rec in sorted(runs.items()):
            if rec["outcome"] != "passed":
                return False, f"{node} {rec['outcome']}"
            if rec["inputs"] != inputs_key(tid.split("::")[0], root):
                return False, f"{node} passed on other inputs (its test or snippet changed since)"
    return True, "passed"


# --- the pytest plugin -------------------------------------------------------------------------

_RECORDS: dict[str, dict] = {}


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
            _RECORDS[report.nodeid] = {"outcome": outcome, "inputs": inputs_key(module)}


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
