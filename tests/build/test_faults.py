"""Loud failures: each fault is injected into a small copy of the project, and the strict build
must fail with the culprit (file, function or page, and line) named, and the traceback shown."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

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
    # a generous limit: on a loaded 2-core machine a healthy snippet once took over 4 s
    result = mkdocs_build(root, root / "site", env={"SITEBUILD_TIMEOUT": "120", **env}, timeout=300)
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
    code, log = build(project_with(tmp_path, snippet, GOOD_PAGE), SITEBUILD_TIMEOUT="10")
    assert code != 0
    assert "snippets/demo.py" in log and "did not finish within 10 s" in log


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


def test_two_pages_at_one_address_are_refused(tmp_path):
    root = project_with(tmp_path, GOOD_SNIPPET, GOOD_PAGE)
    (root / "docs" / "demo").mkdir()
    (root / "docs" / "demo" / "index.md").write_text("# Another demo\n")
    with open(root / "mkdocs.yml", "a") as f:
        f.write("  - Other: demo/index.md\n")
    code, log = build(root)
    assert code != 0 and "docs/demo/index.md" in log and "docs/demo.md" in log


def test_a_non_utf8_locale_is_harmless(tmp_path):
    root = project_with(tmp_path, GOOD_SNIPPET, GOOD_PAGE + "\nλ, μ and ‖w‖ survive.\n")
    code, log = build(root, LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    assert code == 0, log
    assert "λ, μ and ‖w‖ survive." in (root / "site" / "demo" / "index.html").read_text()


def test_building_from_another_folder_is_harmless(tmp_path):
    root = project_with(tmp_path, GOOD_SNIPPET, GOOD_PAGE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITEBUILD_TIMEOUT": "60"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")]
    result = subprocess.run(
        [*cmd, "-d", str(tmp_path / "site")], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (elsewhere / ".cache").exists()  # the caches are the project's, found by absolute path


def test_serve_shows_a_failing_snippet_on_the_page_until_it_is_fixed(tmp_path):
    root = project_with(tmp_path, GOOD_SNIPPET, GOOD_PAGE)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (root / "snippets" / "demo.py").write_text(GOOD_SNIPPET.replace("return {", "1 / 0\n    return {"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITEBUILD_TIMEOUT": "60"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "serve.log", "w"),
    )
    url = f"http://127.0.0.1:{port}/why-small-weights/demo/"

    def page_until(predicate, seconds=600):
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            try:
                text = urllib.request.urlopen(url, timeout=5).read().decode()
                if predicate(text):
                    return text
            except OSError:
                pass
            time.sleep(1)
        return text

    try:
        text = page_until(lambda t: "The build failed" in t)
        log = (tmp_path / "serve.log").read_text()[-3000:]
        assert "The build failed" in text and "snippets/demo.py" in text and "ZeroDivisionError" in text, log
        (root / "snippets" / "demo.py").write_text(GOOD_SNIPPET)
        text = page_until(lambda t: "The build failed" not in t and "The answer is 42" in t)
        assert "The answer is 42" in text and "The build failed" not in text
    finally:
        server.terminate()
        server.wait(timeout=30)
