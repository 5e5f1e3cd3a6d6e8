"""Loud failures: each fault is injected into a small copy of the project, and the strict build
must fail with the culprit (file, function or page, and line) named, and the traceback shown."""

from __future__ import annotations

import pytest

from tests.build.conftest import copy_project, mkdocs_build

pytestmark = pytest.mark.slow

GOOD_SNIPPET = '''
def values():
    return {"answer": 42}


def fig_dots(fig, pal):
    """Three dots."""
    fig.subplots().plot([0, 1, 2], [0, 1, 0], "o", color=pal.blue)
'''

GOOD_PAGE = """# A page

The answer is {{ demo.answer }}.

![Three dots, the middle one higher than the other two](fig:dots "Three dots.")
"""


def project_with(tmp_path, snippet: str, page: str, extra_pages: dict | None = None):
    root = copy_project(tmp_path / "proj")
    (root / "snippets" / "demo.py").write_text(snippet)
    (root / "docs" / "demo.md").write_text(page)
    for name, text in (extra_pages or {}).items():
        (root / "docs" / name).write_text(text)
    (root / "tests" / "test_demo.py").write_text(
        'import pytest\n\n\n@pytest.mark.claim("demo.fig_dots")\ndef test_dots():\n    pass\n'
    )
    with open(root / "mkdocs.yml", "a") as f:
        f.write("  - Demo: demo.md\n")
    return root


def build(root, **env):
    result = mkdocs_build(root, root / "site", env={"SITEBUILD_TIMEOUT": "4", **env}, timeout=120)
    return result.returncode, result.stdout + result.stderr


def test_the_healthy_copy_builds(tmp_path):
    """Control: the copy with a good snippet and page builds, so the failures below are the faults'."""
    code, log = build(project_with(tmp_path, GOOD_SNIPPET, GOOD_PAGE))
    assert code == 0, log


def test_snippet_that_raises(tmp_path):
    snippet = GOOD_SNIPPET.replace('"""Three dots."""', '"""Three dots."""\n    1 / 0')
    code, log = build(project_with(tmp_path, snippet, GOOD_PAGE))
    assert code != 0
    assert "snippets/demo.py" in log and "fig_dots" in log
    assert "Traceback" in log and "ZeroDivisionError" in log


def test_snippet_that_hangs(tmp_path):
    snippet = "import time\n" + GOOD_SNIPPET.replace(
        '"""Three dots."""', '"""Three dots."""\n    time.sleep(600)'
    )
    code, log = build(project_with(tmp_path, snippet, GOOD_PAGE))
    assert code != 0
    assert "snippets/demo.py" in log and "did not finish within 4 s" in log


def test_page_references_unknown_figure(tmp_path):
    page = GOOD_PAGE + '\n![A figure that no snippet draws at all](fig:missing "Missing.")\n'
    code, log = build(project_with(tmp_path, GOOD_SNIPPET, page))
    assert code != 0
    assert "docs/demo.md:7" in log and "fig_missing" in log


def test_page_references_unknown_value(tmp_path):
    page = GOOD_PAGE + "\nAnd {{ demo.question }}.\n"
    code, log = build(project_with(tmp_path, GOOD_SNIPPET, page))
    assert code != 0
    assert "docs/demo.md:7" in log and "demo.question" in log and "answer" in log


def test_raw_html_image_that_does_not_exist(tmp_path):
    page = GOOD_PAGE + '\n<img src="../figures/demo/nothing.light.svg" alt="Raw HTML image of nothing">\n'
    code, log = build(project_with(tmp_path, GOOD_SNIPPET, page))
    assert code != 0
    assert "demo/index.html" in log and "figures/demo/nothing.light.svg" in log


def test_javascript_loaded_file_that_does_not_exist(tmp_path):
    page = GOOD_PAGE + '\n<div class="wsw-interactive" data-json="../figures/demo/sweep.json"></div>\n'
    code, log = build(project_with(tmp_path, GOOD_SNIPPET, page))
    assert code != 0
    assert "demo/index.html" in log and "figures/demo/sweep.json" in log


def test_unknown_source(tmp_path):
    page = GOOD_PAGE + "\nA fact.{{ claim demo.fact source=nobody2099 }}\n"
    code, log = build(project_with(tmp_path, GOOD_SNIPPET, page))
    assert code != 0
    assert "docs/demo.md:7" in log and "nobody2099" in log
