"""The scaffold: `./run new NAME "Question?"` (tools/scaffold.py) gives a page that passes the suite
untouched (its own test, the layout and claims rules, and the strict build)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from sitebuild import project, runner
from tests.build.conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.slow


def test_scaffolded_page_passes_the_suite(tmp_path):
    copy = tmp_path / "proj"
    ignore = shutil.ignore_patterns(".venv", ".cache", "site", "__pycache__", ".git", ".pytest_cache")
    shutil.copytree(ROOT, copy, ignore=ignore)
    # the cache keys do not depend on where the project lies, so a copy of the real cache (its
    # snippets, maths and notebook entries; not the Binder venv) serves the copy of the project:
    # only the new page's snippet runs
    runner.render_all(project.page_snippets())
    shutil.copytree(
        runner.cache_dir().parent, tmp_path / "cache", ignore=shutil.ignore_patterns("binder", ".run-*")
    )
    env = {**os.environ, "SITEBUILD_CACHE": str(tmp_path / "cache")}
    new = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.scaffold",
            "demo_page",
            "Does the scaffold work?",
            "--section",
            "Networks",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert new.returncode == 0, new.stderr
    for path in ("docs/demo_page.md", "snippets/demo_page.py", "tests/test_demo_page.py"):
        assert (copy / path).is_file()
    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_demo_page.py",
            "tests/build/test_layout.py",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    build = mkdocs_build(copy, tmp_path / "site", env={"SITEBUILD_CACHE": str(tmp_path / "cache")})
    assert build.returncode == 0, build.stderr[-3000:]
    # its own test already ran the new snippet into the shared cache; the build reuses it
    assert "executed: none (cache)" in build.stderr
    assert (tmp_path / "cache" / "snippets" / "demo_page").is_dir()
    assert (tmp_path / "site" / "demo_page" / "index.html").is_file()
    # a second scaffold of the same name refuses to overwrite
    again = subprocess.run(
        [sys.executable, "-m", "tools.scaffold", "demo_page", "Again?"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0 and "already exists" in again.stderr
