"""tests/progress.py: under two xdist workers, a line per test file as it finishes."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.build.conftest import ROOT


def test_a_line_per_file_with_its_outcomes(tmp_path):
    (tmp_path / "test_one.py").write_text("def test_a():\n    pass\n\n\ndef test_b():\n    pass\n")
    (tmp_path / "test_two.py").write_text(
        "import pytest\n\n\ndef test_c():\n    assert False\n\n\n"
        "@pytest.mark.skip(reason='x')\ndef test_d():\n    pass\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the project's options
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "-p",
            "tests.progress",
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = proc.stdout.splitlines()
    assert any(line.startswith("test_one.py: 2 passed (") for line in lines), proc.stdout
    assert any(line.startswith("test_two.py: 1 failed, 1 skipped (") for line in lines), proc.stdout


def test_the_longest_files_are_handed_out_first():
    from tests import progress

    class Item:
        def __init__(self, nodeid):
            self.nodeid = nodeid

    names = [
        "tests/test_a.py::t1",
        "tests/build/test_site.py::t2",
        "tests/test_a.py::t3",
        "tests/build/test_browser.py::t4",
    ]
    items = [Item(n) for n in names]
    progress.pytest_collection_modifyitems(items)
    assert [i.nodeid for i in items] == [names[3], names[1], names[0], names[2]]
    assert all((ROOT / path).is_file() for path in progress.LONGEST_FIRST), "a listed file is gone"
