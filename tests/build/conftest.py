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
#: A page's own bytes, gzip-compressed as a static host serves them: its HTML, the figures of one
#: palette and the data of its live figures (page_weight). Material's scripts, styles, fonts and
#: search index are the same on every page; the browser suite weighs those
#: (test_chapter_views_are_light).
PAGE_BUDGET = 80_000
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


def page_weight(page: Path, palette: str) -> dict[str, int]:
    """The bytes a reader of ``page`` (a built index.html) in ``palette`` downloads for that page
    alone, raw and gzip-compressed (level 6, a static host's default)."""
    import gzip

    from sitebuild import checks

    refs = {r for r in checks.local_references(page.read_text()) if r.endswith((f".{palette}.svg", ".json"))}
    files = [page, *sorted({(page.parent / r).resolve() for r in refs})]
    return {
        "raw": sum(f.stat().st_size for f in files),
        "compressed": sum(len(gzip.compress(f.read_bytes(), 6, mtime=0)) for f in files),
    }


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session with the strict build. Under pytest-xdist
    (``./run test`` runs two workers) the first worker to get here builds it into the run's shared
    temporary folder and the others wait for it, then reads the same files. Tests only read it."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder every worker's basetemp is in
    site, done = base / "built" / "site", base / "built" / "ok"
    site.parent.mkdir(exist_ok=True)
    with open(base / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            shutil.rmtree(site, ignore_errors=True)  # what a failed build of another worker left
            result = mkdocs_build(ROOT, site)
            assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
            done.write_text("built\n")
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
