"""Shared fixtures. Snippet values and figures come from the build's cache (sitebuild.runner), so
the tests never recompute what the build already made and never read stale results."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import project
from tools.bench import without_notebook_page

ROOT = project.ROOT
MKDOCS = [sys.executable, "-m", "mkdocs"]
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}


def mkdocs_build(root: Path, site_dir: Path, env: dict | None = None, timeout: float = 600):
    """`mkdocs build --strict` (never with -q: quiet mode hides strict warnings in MkDocs 1.6.1)."""
    full_env = {**os.environ, **BUILD_ENV, **(env or {})}
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "-d", str(site_dir)],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session with the strict build."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    return site


def copy_project(dest: Path, with_pages: bool = False) -> Path:
    """A minimal copy of the project (build code, config, shared snippets, site pages) in ``dest``."""
    for folder in ("sitebuild", "overrides"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "snippets").mkdir()
    for name in project.SHARED_MODULES:
        shutil.copyfile(ROOT / "snippets" / f"{name}.py", dest / "snippets" / f"{name}.py")
    (dest / "tests").mkdir()
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    for page in ("claims.md", "sources.md", "sources.yml"):
        shutil.copyfile(ROOT / "docs" / page, dest / "docs" / page)
    (dest / "docs" / "index.md").write_text("# A copy of the site\n\nFor tests of the build.\n")
    shutil.copyfile(ROOT / "pyproject.toml", dest / "pyproject.toml")
    config = without_notebook_page((ROOT / "mkdocs.yml").read_text()).split("\nnav:")[0]
    (dest / "mkdocs.yml").write_text(
        config + "\nnav:\n  - Home: index.md\n  - Claims: claims.md\n  - Sources: sources.md\n"
    )
    return dest


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def values_of():
    """values_of('occam') -> the values() the build computed for snippets/occam.py."""
    from sitebuild import snippet_values

    return snippet_values


SNIPPET = """
def values():
    return {{"tag": "{tag}"}}
"""


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A tiny project: snippets a (imports conventions and _h1 -> _h2), b (imports nothing)."""
    monkeypatch.delenv("SITEBUILD_CACHE", raising=False)
    r = tmp_path / "proj"
    (r / "snippets").mkdir(parents=True)
    for name in ("__init__", "style", "conventions"):
        (r / "snippets" / f"{name}.py").write_text((project.SNIPPETS / f"{name}.py").read_text())
    (r / "snippets" / "_h2.py").write_text("DEPTH = 2\n")
    (r / "snippets" / "_h1.py").write_text("from snippets._h2 import DEPTH\n")
    (r / "snippets" / "a.py").write_text(
        "from snippets import conventions\nfrom snippets._h1 import DEPTH\n" + SNIPPET.format(tag="a")
    )
    (r / "snippets" / "b.py").write_text(SNIPPET.format(tag="b"))
    return r
