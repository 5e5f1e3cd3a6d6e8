"""pytest plugin (``./run test`` loads it: ``-p tests.progress``): progress per test file under
pytest-xdist, and the files that run longest handed out first.

xdist (``--dist loadfile``) hands whole files to the workers in collection order; a file of few but
long tests (the second clean build, the Binder venv) handed out last keeps one worker busy while the
other idles. ``LONGEST_FIRST`` (measured in ./run test, December 2026) go first; ``./run test``
passes ``--no-loadscope-reorder`` so xdist keeps this order instead of sorting by test count.

With two workers pytest prints only dots, so a long run says nothing of where it is. This prints a
line as each test file finishes -- its outcomes and its seconds -- from the controller, which
sees every worker's reports. Without xdist it does nothing (pytest prints a line per file itself).
"""

from __future__ import annotations

import collections
import time

import pytest

_TOTAL: collections.Counter = collections.Counter()  # tests collected per file
_DONE: collections.Counter = collections.Counter()
_OUTCOMES: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
_STARTED: dict[str, float] = {}
_SEEN_IDS: set[str] = set()


#: The test files that took longest in ./run test (seconds under two workers, December 2026).
LONGEST_FIRST = (
    "tests/build/test_browser.py",  # ~350
    "tests/build/test_shareable.py",  # ~150-210
    "tests/build/test_notebooks.py",  # ~160
    "tests/test_network_experiment.py",  # ~160
    "tests/build/test_site.py",  # ~110-140
    "tests/build/test_figures.py",  # ~65-110
    "tests/test_double_descent.py",  # ~100
    "tests/build/test_interactive.py",  # ~75
    "tests/build/test_faults.py",  # ~65
    "tests/build/test_cache.py",  # ~40-60
    "tests/test_lipschitz.py",  # ~50
    "tests/build/test_runner_faults.py",  # ~50
    "tests/build/test_scaffold.py",  # ~40
)


def pytest_collection_modifyitems(items):
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_file(item.nodeid), len(rank)))  # stable: the rest keep order


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    if _SEEN_IDS:  # every worker collects the same tests; count them once
        return
    _SEEN_IDS.update(ids)
    _TOTAL.update(_file(i) for i in ids)


def pytest_runtest_logreport(report):
    if not _TOTAL or report.nodeid not in _SEEN_IDS:
        return
    path = _file(report.nodeid)
    _STARTED.setdefault(path, time.monotonic())
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        elif report.when == "setup" and report.failed:
            outcome = "error"
        else:
            outcome = report.outcome
        _OUTCOMES[path][outcome] += 1
    if report.when != "teardown":
        return
    _DONE[path] += 1
    if _DONE[path] == _TOTAL[path]:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(_OUTCOMES[path].items()))
        seconds = time.monotonic() - _STARTED[path]
        reporter = _REPORTER.get("terminal")
        if reporter is not None:
            writer = getattr(reporter, "_tw", None)  # after the dots of the line in progress
            if writer is not None and writer.width_of_current_line:
                reporter.write("\n")
            reporter.write_line(f"{path}: {counts or 'nothing ran'} ({seconds:.0f} s)")


_REPORTER: dict = {}


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    _REPORTER["terminal"] = config.pluginmanager.get_plugin("terminalreporter")
