"""The built site as files: budgets, references, offline-ness, and byte-for-byte reproducibility."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from sitebuild import checks, project, runner
from tests.build.conftest import PAGE_BUDGET, ROOT, mkdocs_build, page_weight
from tests.build.test_determinism import difference

pytestmark = pytest.mark.slow

FIGURE_BUDGET = 120_000  # bytes, any one figure file
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
    """Each page's HTML, figures (either palette) and live-figure data, compressed as served."""
    heavy = {}
    for page in html_pages(built_site):
        rel = page.parent.relative_to(built_site).as_posix()
        if rel.split("/")[0] in NOT_EXPLAINERS:
            continue
        for palette in ("light", "dark"):
            weight = page_weight(page, palette)
            if weight["compressed"] > PAGE_BUDGET:
                heavy[f"{rel or 'home'} ({palette})"] = weight
    assert not heavy, f"pages over {PAGE_BUDGET:,} bytes compressed: {heavy}"


def test_no_missing_local_references(built_site):
    assert checks.missing_references(built_site, "/why-small-weights/", project.MADE_AFTER_BUILD) == []


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


def test_two_clean_builds_are_byte_identical(built_site, tmp_path, monkeypatch):
    """A second build from a fresh copy in another folder, with its own empty cache and another
    PYTHONHASHSEED (so every snippet runs again, in fresh processes), gives the same bytes as the
    session's build. A snippet that renders differently is named first, with the first value or
    file that differs (unseeded randomness, set iteration order, ...). The copy keeps .git: the
    sitemap's dates come from the commit history (social.last_changed), the same in both."""
    copy = tmp_path / "elsewhere"
    ignore = shutil.ignore_patterns(".venv", ".cache", "site", "__pycache__", ".pytest_cache", ".ruff_cache")
    shutil.copytree(ROOT, copy, ignore=ignore)
    fresh = tmp_path / "fresh-cache"
    # the same test outcomes as the first build read (a ✓ depends on them, not on the cache's
    # snippets): a local run after earlier test runs has some, a fresh clone none
    from sitebuild import evidence

    if evidence.outcomes_file().is_file():
        (fresh / "claims").mkdir(parents=True)
        shutil.copyfile(evidence.outcomes_file(), fresh / "claims" / "outcomes.json")
    env = {"SITEBUILD_CACHE": str(fresh), "SITEBUILD_HASHSEED": "12345"}
    result = mkdocs_build(copy, tmp_path / "site2", env=env)
    assert result.returncode == 0, result.stderr
    assert "executed: none" not in result.stderr
    first = runner.render_all(project.page_snippets())
    monkeypatch.setenv("SITEBUILD_CACHE", str(fresh))
    problems = []
    for name, ours in first.items():
        again = runner.render(name, copy)
        assert not again.executed, f"snippets/{name}.py did not run in the second build"
        found = difference(ours, again)
        if found:
            problems.append(f"snippets/{name}.py renders differently in a fresh process: {found}")
    assert not problems, "\n".join(problems)
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


def test_the_claims_page_shows_each_chapters_mutation_audit(built_site, tmp_path):
    """Under each chapter's heading the Claims page states what bench/audit.json recorded for it,
    or that no audit is recorded; the line's numbers are the record's."""
    import json

    from sitebuild import blocks

    record = {"demo": {"mutants": 40, "run": 12, "sampled": True, "killed": 9, "survived": 1,
                       "equivalent": 2, "score": 0.9, "survivors": ["x"], "commit": "abc1234",
                       "date": "2026-12-01"}}  # fmt: skip
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(record))
    line = blocks.audit_line("demo.md", path)
    assert line == (
        "mutation audit: the tests killed 9 of 10 non-equivalent mutants "
        "(90%; a sample of 12 of its 40 mutants run; abc1234, 2026-12-01)"
    )
    assert blocks.audit_line("other.md", path) == "no mutation audit recorded yet"
    html = (built_site / "claims" / "index.html").read_text(encoding="utf-8")
    recorded = (
        json.loads((project.ROOT / "bench" / "audit.json").read_text())
        if (project.ROOT / "bench" / "audit.json").is_file()
        else {}
    )
    for _, pages in blocks.chapters():
        for _, page in pages:
            name = page.removesuffix(".md")
            want = "no mutation audit recorded yet"
            if name in recorded:
                want = "mutation audit: the tests killed"
            section = html.split(f'id="claims-{name}"', 1)[1].split("<h2", 1)[0]
            assert want in section, f"{name}: the Claims page does not show its audit"


def test_the_chapter_list_reads_a_nav_with_untitled_pages():
    """MkDocs allows a nav entry without a title ("- index.md"); the chapter list skips it (the
    benchmark's one-chapter site has such a nav)."""
    from sitebuild import blocks

    nav = ["index.md", {"Chapters": [{"The Occam page": "occam.md"}, "notation.md"]}, {"About": "sources.md"}]
    assert blocks.chapters(nav) == [("Chapters", [("The Occam page", "occam.md")])]


def test_every_figure_image_keeps_its_room_while_it_loads(built_site):
    """Every figure's <img> has the width and height of its SVG (pt read with an XML parser, at
    96 px to 72 pt), so the page does not move when a lazy figure loads: a reader who lands on a
    sentence below it (an anchor, a Claims page link) stays on it."""
    import xml.etree.ElementTree as ET

    problems, seen = [], 0
    for page in built_site.rglob("index.html"):
        html = page.read_text()
        for tag in re.findall(r'<img\b[^>]*\bsrc="[^"]*figures/[^"]+\.svg#only-[a-z]+"[^>]*>', html):
            src = re.search(r'\bsrc="([^"#]+)', tag).group(1)
            svg = ET.parse((page.parent / src).resolve()).getroot()
            want = [round(float(svg.get(k).removesuffix("pt")) * 96 / 72) for k in ("width", "height")]
            got = [re.search(rf'\b{k}="(\d+)"', tag) for k in ("width", "height")]
            got = [int(g.group(1)) if g else None for g in got]
            seen += 1
            if got != want:
                problems.append(f"{page.relative_to(built_site)}: {src} is {got}, its SVG {want}")
    assert seen > 50, f"only {seen} figure images found"
    assert not problems, "\n".join(problems[:10])
