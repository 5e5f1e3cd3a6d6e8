"""Companion notebooks: every notebooks/<name>.py belongs to a page, imports its page's snippet
instead of re-implementing it, converts to the same .ipynb bytes every time, and runs.

The run is marked ``slow``: each notebook is converted with jupytext and executed by nbclient in
a fresh ``python3`` kernel. The kernel is found without any installation step:
jupyter_client's KernelSpecManager finds ipykernel's ``python3`` kernelspec (in the venv's
``share/jupyter/kernels``, or ipykernel's built-in one when that folder is missing), and because
that spec's command is plain ``python`` it is started with ``sys.executable`` -- the interpreter
running the tests, so the kernel sees the same packages.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time

import pytest

from sitebuild import notebooks, project

ROOT = project.ROOT
NAMES = notebooks.names()
#: A notebook should run in about 10 s; this limit only catches a runaway (a loaded CI machine
#: is several times slower than a quiet laptop).
RUN_LIMIT_S = 60
ADDRESS = re.compile(r"\b0x[0-9a-f]{6,}\b")


# --- layout --------------------------------------------------------------------------------------


def test_there_are_notebooks():
    assert "occam" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_notebook_matches_a_page(name):
    assert (ROOT / "docs" / f"{name}.md").is_file(), f"notebooks/{name}.py matches no page docs/{name}.md"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_imports_its_snippet_and_defines_nothing(name):
    """A notebook calls the page's snippet; it never re-implements the maths (no def, no class)."""
    tree = ast.parse(notebooks.path(name).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "snippets"
        for alias in node.names
    }
    assert name in imported, f"notebooks/{name}.py does not import snippets.{name}"
    defined = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert not defined, f"notebooks/{name}.py defines {defined}: put the computation in snippets/{name}.py"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_draws_with_the_site_style(name):
    text = notebooks.path(name).read_text()
    assert "plt.rc_context(style.rc(style.LIGHT))" in text
    assert re.search(r"\b\w+\.fig_\w+\(fig, style\.LIGHT\)", text), f"{name}: draws no figure of the page"
    assert "plt.savefig" not in text and "open(" not in text


# --- the .ipynb download -----------------------------------------------------------------------


def test_conversion_is_byte_identical_and_ids_are_stable():
    path = notebooks.path("occam")
    first, second = notebooks.to_ipynb(path), notebooks.to_ipynb(path)
    assert first == second
    nb = json.loads(first)
    assert [c["id"] for c in nb["cells"]] == [f"cell-{i}" for i in range(len(nb["cells"]))]
    assert first == json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"  # sorted keys


def test_conversion_is_identical_in_another_process():
    """jupytext draws random cell ids per process: a second interpreter must still give the same bytes."""
    code = "import sys; from sitebuild import notebooks; sys.stdout.write(notebooks.to_ipynb(sys.argv[1]))"
    out = subprocess.run(
        [sys.executable, "-c", code, str(notebooks.path("occam"))],
        cwd=ROOT,
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "random"},
    ).stdout.decode()
    assert out == notebooks.to_ipynb(notebooks.path("occam"))


@pytest.mark.parametrize("name", NAMES)
def test_ipynb_is_valid_and_clean(name):
    import nbformat

    text = notebooks.to_ipynb(notebooks.path(name))
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_download_admonition():
    text = notebooks.download_admonition("occam.md", "https://example.org/repo")
    assert "(notebooks/occam.ipynb)" in text and 'download="occam.ipynb"' in text
    assert "[the repository](https://example.org/repo)" in text
    assert "notebooks/occam.py" not in text  # no link to a rendered page unless one is built
    assert "[read it as it ran](notebooks/occam.py)" in notebooks.download_admonition(
        "occam.md", rendered=("occam",)
    )
    assert text.lstrip().startswith("!!! ")
    assert notebooks.download_admonition("index.md") == ""
    assert notebooks.download_admonition("notation.md") == ""


def test_download_link_is_relative_to_the_page(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "deep.py").write_text("# %%\n")
    text = notebooks.download_admonition("part/deep.md", root=tmp_path)
    assert "(../notebooks/deep.ipynb)" in text


# --- running them ------------------------------------------------------------------------------


def kernel_env() -> dict:
    """The test's environment for the kernel, without MPLBACKEND (an inherited ``Agg`` makes the
    inline backend silently drop every figure) and with one BLAS thread, as the build runs the
    snippets: the small matrix products here get slower, not faster, with more threads, and far
    slower when tests run in parallel on two cores."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # no debugger warning on the kernel's stderr
    return env


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name):
    import nbclient

    nb = notebooks.read(notebooks.path(name))
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=RUN_LIMIT_S,
        allow_errors=False,  # a cell that raises fails the test (CellExecutionError)
        resources={"metadata": {"path": str(ROOT / "notebooks")}},  # the kernel's working directory
    )
    start = time.perf_counter()
    client.execute(env=kernel_env())
    took = time.perf_counter() - start
    assert took < RUN_LIMIT_S, f"notebooks/{name}.py took {took:.0f} s"

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, f"notebooks/{name}.py shows no figure"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"notebooks/{name}.py wrote to stderr (a warning?):\n{''.join(stderr)}"
    texts = [o.get("text", "") for o in outputs] + [o.get("data", {}).get("text/plain", "") for o in outputs]
    leaks = [t for t in texts if ADDRESS.search(t) and "image/png" not in t]
    assert not leaks, f"notebooks/{name}.py prints object addresses (non-deterministic): {leaks[:2]}"


# --- the showcase: a notebook rendered as a page by mkdocs-jupyter, post-processed --------------


def test_tex_becomes_arithmatex_outside_code_only():
    html = "<p>The line $y = 1 + 2x$ costs <code>$5</code> and $$\\sum_k w_k$$.</p>\n<p>$$a^2$$</p>"
    out = notebooks.tex_to_arithmatex(html)
    assert '<span class="arithmatex">\\(y = 1 + 2x\\)</span>' in out
    assert "<code>$5</code>" in out
    assert '<span class="arithmatex">\\(\\sum_k w_k\\)</span>' in out
    assert '<div class="arithmatex">\\[a^2\\]</div>' in out


def test_figure_alt_text_comes_from_the_fig_docstring():
    assert notebooks.snippet_aliases("from snippets import occam, style  # noqa\n") == {
        "occam": "occam",
        "style": "style",
    }
    assert notebooks.snippet_aliases("from snippets import generalization_mystery as gm\n") == {
        "gm": "generalization_mystery"
    }
    docs = notebooks.figure_docs("occam")
    assert docs["fig_fits"].startswith("The line and the interpolating polynomial")


def _cell(source: str, output: str) -> str:
    """A code cell as mkdocs-jupyter's template writes it (reduced to what render_page reads)."""
    return (
        '<div class="jp-Cell jp-CodeCell"><div class="jp-Cell jp-CodeCell" id="cell-id=1a2b">'
        f'<div class="highlight-ipynb hl-python"><pre><span></span>{source}</pre></div>'
        f'<div class="clipboard-copy-txt" id="cell-1">{source}</div>'
        f'<div class="jp-OutputArea-output" {output}</div></div></div>'
    )


def test_render_page_refuses_what_the_bar_rules_out():
    imports = _cell("from snippets import occam, style", 'data-mime-type="text/plain"><pre></pre>')
    png = 'data-mime-type="image/png"><img alt="No description" src="data:image/png;base64,AAAA">'
    page = notebooks.render_page(
        imports + _cell("occam.fig_fits(fig, style.LIGHT)", png), "notebooks/occam/", "occam"
    )
    assert 'alt="The line and the interpolating polynomial' in page and "cell-id=" not in page
    bad = {
        "no alt text": _cell("plt.plot([1, 2])", png),
        "stderr": _cell("warn()", 'data-mime-type="application/vnd.jupyter.stderr"><pre>Warning</pre>'),
        "address": _cell("print(f)", 'data-mime-type="text/plain"><pre>&lt;f at 0x7f3a2b1c9d10&gt;</pre>'),
        "figure missing": _cell(
            "occam.fig_fits(fig, style.LIGHT)", 'data-mime-type="text/plain"><pre></pre>'
        ),
    }
    for case, cell in bad.items():
        with pytest.raises(notebooks.NotebookError):
            notebooks.render_page(imports + cell, "notebooks/occam/", "occam")
            pytest.fail(case)


def test_edit_link_points_at_the_notebook_source():
    url = notebooks.edit_url("https://github.com/o/r", "edit/main/docs/", "occam")
    assert url == "https://github.com/o/r/edit/main/notebooks/occam.py"
    assert notebooks.edit_url(None, "edit/main/docs/", "occam") is None


@pytest.mark.slow
def test_showcase_renders_to_the_sites_bar(monkeypatch):
    """mkdocs-jupyter's conversion of the showcase, post-processed: no inline CSS or JavaScript, alt
    text from the fig_* docstrings, MathML instead of raw TeX, small, and the same bytes twice."""
    from mkdocs_jupyter.convert import nb2html

    from sitebuild import mathml

    monkeypatch.chdir(ROOT)  # the kernel starts here; the notebook's first cell finds the root
    for key, value in kernel_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    pages = []
    for name in notebooks.SHOWCASE:
        for _ in range(2):
            raw = nb2html(
                str(notebooks.path(name)),
                execute=True,
                kernel_name="python3",
                allow_errors=False,
                no_prompt=True,
            )
            page = notebooks.render_page(
                raw, f"notebooks/{name}/", name, site_url="https://example.org/site/"
            )
            pages.append(mathml.render(page, f"notebooks/{name}.py"))
        assert pages[-1] == pages[-2], f"notebooks/{name}.py renders differently on two runs"
        page = pages[-1]
        assert len(page.encode()) < 200_000, f"{len(page.encode())} bytes before the theme's ~25 KB"
        assert "<style" not in page and "<script" not in page
        assert "$" not in re.sub(r"<(pre|code)\b.*?</\1>", "", page, flags=re.S), "raw TeX left"
        assert "<math" in page
        alts = re.findall(r'<img alt="([^"]*)"', page)
        docs = set(notebooks.figure_docs(name).values())
        assert alts and all(a in docs for a in alts), alts
        ids = re.findall(r'id="(nb-cell-\d+)"', page)
        assert ids and len(ids) == len(set(ids))
