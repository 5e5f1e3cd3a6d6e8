"""The built site as files: budgets, references, offline-ness, and byte-for-byte reproducibility."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from sitebuild import checks, project, runner
from tests.build.conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.slow

FIGURE_BUDGET = 120_000  # bytes, any one figure file
PAGE_BUDGET = 250_000  # bytes, a page's HTML plus the figures it shows in one palette
#: Pages that are not explainers (generated listings and the code pages) have no page budget.
NOT_EXPLAINERS = {"claims", "sources", "code"}


def html_pages(site: Path):
    return sorted(site.rglob("index.html"))


def test_every_figure_file_is_within_budget():
    results = runner.render_all(project.page_snippets())
    for name, result in results.items():
        for fname in result.manifest["figures"] + result.manifest["data"]:
            size = (result.folder / fname).stat().st_size
            assert size <= FIGURE_BUDGET, f"snippets/{name}.py: {fname} is {size:,} bytes > {FIGURE_BUDGET:,}"


def test_every_explainer_page_is_within_budget(built_site):
    for page in html_pages(built_site):
        rel = page.parent.relative_to(built_site).as_posix()
        if rel.split("/")[0] in NOT_EXPLAINERS:
            continue
        html = page.read_text()
        figures = {
            r for r in checks.local_references(html) if r.endswith(".light.svg") or r.endswith(".json")
        }
        total = page.stat().st_size + sum((page.parent / r).resolve().stat().st_size for r in figures)
        assert total <= PAGE_BUDGET, f"{rel or 'home'}: {total:,} bytes > {PAGE_BUDGET:,}"


def test_no_missing_local_references(built_site):
    assert checks.missing_references(built_site, "/why-small-weights/") == []


def test_no_third_party_resources(built_site):
    """Nothing a page loads comes from another host (links to other sites are fine; loads are not)."""
    load = re.compile(r'<(?:script|img|link|iframe|source)\b[^>]*?\s(?:src|href)="(https?:)?//', re.I)
    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text()
        for m in load.finditer(html):
            tag = html[m.start() : html.find(">", m.start()) + 1]
            assert 'rel="canonical"' in tag or 'rel="alternate"' in tag, (
                f"{page.relative_to(built_site)}: {tag}"
            )
    css = "\n".join(p.read_text() for p in built_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_every_figure_has_both_palettes(built_site):
    for light in built_site.rglob("*.light.svg"):
        assert light.with_name(light.name.replace(".light.", ".dark.")).is_file()


def test_two_clean_builds_are_byte_identical(built_site, tmp_path):
    """A second build from a fresh copy in another folder, with its own empty cache (so every
    snippet runs again), gives the same bytes as the session's build."""
    copy = tmp_path / "elsewhere"
    ignore = shutil.ignore_patterns(
        ".venv", ".cache", "site", "__pycache__", ".git", ".pytest_cache", ".ruff_cache"
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    result = mkdocs_build(copy, tmp_path / "site2", env={"SITEBUILD_CACHE": str(tmp_path / "fresh-cache")})
    assert result.returncode == 0, result.stderr
    assert "executed: none" not in result.stderr
    differences = []

    def compare(cmp: filecmp.dircmp, prefix=""):
        differences.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            compare(sub, f"{prefix}{name}/")

    filecmp.clear_cache()
    compare(filecmp.dircmp(built_site, tmp_path / "site2", ignore=[]))
    # dircmp compares size and mtime shallowly first; confirm bytes for every file
    for path in built_site.rglob("*"):
        if path.is_file():
            other = tmp_path / "site2" / path.relative_to(built_site)
            if other.is_file() and path.read_bytes() != other.read_bytes():
                differences.append(str(path.relative_to(built_site)))
    assert not sorted(set(differences)), f"files differ between two builds: {sorted(set(differences))[:20]}"
