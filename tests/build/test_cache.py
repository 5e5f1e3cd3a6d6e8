"""The snippet cache and the parallel runner: nothing changed -> nothing executes; an edited snippet
-> exactly it; an edited helper -> exactly its dependants; a hung snippet is killed at its timeout
without stalling the others; each worker runs with one BLAS thread."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sitebuild import __main__ as cli
from sitebuild import cache, jupyter, project, runner
from tests.build.conftest import SNIPPET, copy_project, mkdocs_build


def executed(results) -> set[str]:
    return {name for name, res in results.items() if res.executed}


def test_nothing_changed_nothing_executes(root):
    assert executed(runner.render_all(["a", "b"], root=root)) == {"a", "b"}
    assert executed(runner.render_all(["a", "b"], root=root)) == set()


def test_edited_snippet_reexecutes_only_itself(root):
    runner.render_all(["a", "b"], root=root)
    (root / "snippets" / "b.py").write_text(SNIPPET.format(tag="b2"))
    results = runner.render_all(["a", "b"], root=root)
    assert executed(results) == {"b"}
    assert results["b"].values == {"tag": "b2"}  # never a stale result


def test_edited_shared_helper_reexecutes_exactly_its_dependants(root):
    runner.render_all(["a", "b"], root=root)
    conventions = root / "snippets" / "conventions.py"
    conventions.write_text(conventions.read_text() + "\nEXTRA = 1\n")
    assert executed(runner.render_all(["a", "b"], root=root)) == {"a"}


def test_transitive_imports_are_inputs(root):
    assert root / "snippets" / "_h2.py" in runner.inputs("a", root)
    runner.render_all(["a", "b"], root=root)
    (root / "snippets" / "_h2.py").write_text("DEPTH = 3\n")
    assert executed(runner.render_all(["a", "b"], root=root)) == {"a"}


def test_style_change_reexecutes_everything(root):
    runner.render_all(["a", "b"], root=root)
    style = root / "snippets" / "style.py"
    style.write_text(style.read_text() + "\n# a new comment changes the style's bytes\n")
    assert executed(runner.render_all(["a", "b"], root=root)) == {"a", "b"}


def test_library_versions_are_part_of_the_key(root, monkeypatch):
    before = runner.cache_key("b", root)
    text_before = cache.digest(["x"], ["jupytext"])
    real = cache.metadata.version
    fake = {"matplotlib", "jupytext", "latex2mathml"}
    monkeypatch.setattr(cache.metadata, "version", lambda d: "0.0.1" if d in fake else real(d))
    cache.versions.cache_clear()  # read once per process; a new library means a new process
    try:
        assert runner.cache_key("b", root) != before
        assert cache.digest(["x"], ["jupytext"]) != text_before  # the text memo's keys too
    finally:
        cache.versions.cache_clear()


@pytest.mark.slow
def test_hung_snippet_is_killed_and_others_finish(root):
    """The limit is generous (a and b take a second or two, more on a loaded 2-core machine, where a
    3 s limit once killed them too; 15 s is five times the slowest seen): what is tested is that c
    is killed and a and b are not."""
    (root / "snippets" / "c.py").write_text(
        "import time\n\n\ndef values():\n    time.sleep(600)\n    return {}\n"
    )
    with pytest.raises(runner.SnippetError, match=r"snippet 'c' .* did not finish within 15 s") as err:
        runner.render_all(["c", "a", "b"], root=root, jobs=2, timeout=15)
    assert "snippet 'a'" not in str(err.value) and "snippet 'b'" not in str(err.value)
    # a and b completed and were cached despite c hanging
    assert executed(runner.render_all(["a", "b"], root=root)) == set()


def test_workers_use_one_blas_thread(root):
    (root / "snippets" / "env.py").write_text(
        textwrap.dedent(
            """
            import os

            def values():
                keys = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND")
                return {k: os.environ.get(k, "unset") for k in keys}
            """
        )
    )
    values = runner.render("env", root).values
    assert values == {
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }


def test_cache_lives_outside_docs_and_is_ignored(monkeypatch):
    monkeypatch.delenv("SITEBUILD_CACHE", raising=False)
    assert not cache.root().is_relative_to(project.DOCS)
    assert ".cache/" in (project.ROOT / ".gitignore").read_text().split()


def test_every_cache_layer_is_in_the_one_folder(root, monkeypatch):
    """Snippet outputs, text memos and mkdocs-jupyter's folder all live under cache.root()."""
    store = root / ".cache"
    monkeypatch.setenv("SITEBUILD_CACHE", str(store))
    assert runner.cache_dir(root).is_relative_to(store)
    cache.text("demo", ["input"], lambda: "output")
    assert (store / "text" / "demo").is_dir()
    config = {"plugins": {"mkdocs-jupyter": type("P", (), {"config": {}})()}}
    jupyter.configure(config)
    assert Path(config["plugins"]["mkdocs-jupyter"].config["cache_dir"]).is_relative_to(store)


def test_clean_command_leaves_no_cache_file_behind(root, monkeypatch):
    store = root / ".cache"
    monkeypatch.setenv("SITEBUILD_CACHE", str(store))
    runner.render("b", root)
    cache.text("demo", ["input"], lambda: "output")
    (store / "jupyter" / "executed").mkdir(parents=True)
    (store / "jupyter" / "executed" / "nb.json").write_text("{}")
    assert cli.main(["clean"]) == 0
    assert not store.exists()


@pytest.mark.slow
def test_build_and_tests_share_the_cache(tmp_path, monkeypatch):
    """After a build, the test helpers read the build's results: nothing executes again."""
    monkeypatch.delenv("SITEBUILD_CACHE", raising=False)
    proj = copy_project(tmp_path / "proj")
    (proj / "snippets" / "demo.py").write_text(SNIPPET.format(tag="demo"))
    (proj / "docs" / "demo.md").write_text("# Demo\n\nTag {{ demo.tag }}.\n")
    with open(proj / "mkdocs.yml", "a") as f:
        f.write("  - Demo: demo.md\n")
    result = mkdocs_build(proj, proj / "site")
    assert result.returncode == 0, result.stderr
    assert "executed: demo" in result.stderr
    again = runner.render("demo", Path(proj))
    assert not again.executed and again.values == {"tag": "demo"}
