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

import pytest

from sitebuild import notebooks, project

ROOT = project.ROOT
NAMES = notebooks.names()
#: Only catches a hung cell (a notebook runs in about 10 s); speed is the benchmark's business.
HANG_LIMIT_S = 600
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
    """A figure is one call, show(page.fig_name), in the site's style; no path edits, no files."""
    text = notebooks.path(name).read_text()
    assert "from snippets.style import show" in text
    assert re.search(r"^show\(\w+\.fig_\w+\)$", text, re.M), f"{name}: draws no figure of the page"
    assert "rc_context" not in text, f"{name}: draw figures with show(...), not the 4-line idiom"
    assert "sys.path" not in text, f"{name}: edits sys.path (the project is installed by ./run)"
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
def test_notebook_runs(name, tmp_path):
    """Run as a reader would after the README's set-up: in a folder of its own, outside the
    repository (the project is installed into the venv, so `import snippets` needs no path edit)."""
    import nbclient

    nb = notebooks.read(notebooks.path(name))
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=HANG_LIMIT_S,
        allow_errors=False,  # a cell that raises fails the test (CellExecutionError)
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working directory
    )
    client.execute(env=kernel_env())

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, f"notebooks/{name}.py shows no figure"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"notebooks/{name}.py wrote to stderr (a warning?):\n{''.join(stderr)}"
    texts = [o.get("text", "") for o in outputs] + [o.get("data", {}).get("text/plain", "") for o in outputs]
    leaks = [t for t in texts if ADDRESS.search(t) and "image/png" not in t]
    assert not leaks, f"notebooks/{name}.py prints object addresses (non-deterministic): {leaks[:2]}"
