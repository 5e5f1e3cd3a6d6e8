"""Where things are: the project's folders and the names of its pages and snippets."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("SITEBUILD_ROOT", Path(__file__).resolve().parent.parent))
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"

#: Modules in snippets/ that are shared helpers, not the snippet of a page.
SHARED_MODULES = {"__init__", "activations", "conventions", "style"}

#: Where generated figures live inside the built site.
FIGURE_DIR = "figures"

PALETTES = ("light", "dark")
#: Files of the published site made after the build (./run pdf prints the PDF into the built site):
#: pages may link them; the checks of a plain build allow them to be absent, the release check not.
MADE_AFTER_BUILD = ("why-small-weights.pdf",)


def snippet_names(root: Path | None = None) -> list[str]:
    """Every page snippet: snippets/<name>.py that is not a shared module."""
    folder = (root or ROOT) / "snippets"
    return sorted(
        p.stem for p in folder.glob("*.py") if p.stem not in SHARED_MODULES and not p.stem.startswith("_")
    )


def page_snippets(root: Path | None = None) -> list[str]:
    """The snippets that belong to a page (docs/<name>.md exists): the ones a build renders.
    A snippet without a page is reported by the layout test."""
    root = root or ROOT
    return [n for n in snippet_names(root) if (root / "docs" / f"{n}.md").is_file()]


def version() -> str:
    """The site's version, from pyproject.toml."""
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
