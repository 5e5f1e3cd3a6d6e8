"""Companion notebooks: ``notebooks/<page>.py`` (jupytext percent format) offered as ``.ipynb``
downloads, and the note a page gets that points to its notebook. (The one notebook rendered as a
page, by mkdocs-jupyter, is sitebuild.jupyter's business.)

Everything here is deterministic: the same ``.py`` gives the same ``.ipynb`` bytes on every run
and every machine (jupytext gives each cell a random id; here they become ``cell-0``, ``cell-1``,
…), so the built site stays byte-identical across builds.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from . import project

#: The kernel every notebook names (ipykernel's default kernelspec).
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def names(root: Path | None = None) -> list[str]:
    """Every companion notebook: notebooks/<name>.py."""
    folder = (root or project.ROOT) / "notebooks"
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))


def path(name: str, root: Path | None = None) -> Path:
    return (root or project.ROOT) / "notebooks" / f"{name}.py"


def read(source: Path | str):
    """The notebook of a jupytext ``.py`` file, normalised: stable cell ids, no outputs, no
    execution counts or execution metadata, and only the kernelspec as notebook metadata."""
    import jupytext  # imported here: the build only needs it when there are notebooks

    nb = jupytext.read(Path(source), fmt="py:percent")
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k not in {"execution"}}
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def to_ipynb(source: Path | str) -> str:
    """The ``.py`` notebook as ``.ipynb`` JSON text: sorted keys, stable ids, no outputs."""
    nb = read(source)
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def notebook_for_page(src_uri: str, root: Path | None = None) -> str | None:
    """The notebook name of a docs page (``occam.md`` -> ``occam``), or None if it has none."""
    if not src_uri.endswith(".md"):
        return None
    name = posixpath.splitext(posixpath.basename(src_uri))[0]
    return name if path(name, root).is_file() else None


def binder_url(repo_url: str | None, name: str, ref: str = "HEAD") -> str | None:
    """The mybinder.org link that opens notebooks/<name>.ipynb (made by binder/postBuild from the
    .py) in JupyterLab, for a GitHub ``repo_url``; None for any other host."""
    if not repo_url:
        return None
    parts = repo_url.rstrip("/").removesuffix(".git").split("/")
    if len(parts) != 5 or parts[2] != "github.com":
        return None
    return f"https://mybinder.org/v2/gh/{parts[3]}/{parts[4]}/{ref}?labpath=notebooks%2F{name}.ipynb"


def download_admonition(
    src_uri: str, repo_url: str | None = None, root: Path | None = None, rendered: tuple[str, ...] = ()
) -> str:
    """Markdown to append to a page that has a companion notebook ("" for a page without one).

    The links are relative to the page's source path (MkDocs resolves and checks them): to
    ``notebooks/<name>.ipynb``, which the hook adds to the build as a generated file, and, for a
    notebook in ``rendered`` (``showcase(config)``), to its page ``notebooks/<name>.py``.
    """
    name = notebook_for_page(src_uri, root)
    if name is None:
        return ""
    here = posixpath.dirname(src_uri) or "."
    href = posixpath.relpath(f"notebooks/{name}.ipynb", here)
    clone = f"[the repository]({repo_url})" if repo_url else "the repository"
    read = ""
    if name in rendered:
        page = posixpath.relpath(f"notebooks/{name}.py", here)
        read = f" You can also [read it as it ran]({page}) when the site was built."
    binder = binder_url(repo_url, name)
    launch = (
        f" Or [launch it on Binder]({binder}): it opens in JupyterLab on mybinder.org, with nothing"
        " to install (a plain link: nothing loads until you click it; the first start takes a few"
        " minutes)."
        if binder
        else ""
    )
    return (
        "\n\n"
        '!!! example "Run this chapter yourself"\n\n'
        f'    [Download the notebook (.ipynb)]({href}){{ download="{name}.ipynb" }}: the computations of'
        " this page, with the same functions that draw its figures, ready for you to change a"
        f" parameter and run again.{read}{launch}\n\n"
        f"    The download needs a clone of {clone} set up as its README says (`./run` installs the"
        f" project into `.venv`); then it runs from any folder and imports `snippets/{name}.py` as it is.\n"
    )
