"""`python -m sitebuild new NAME "Question?"`: a working page, snippet and test, and a nav entry.

The scaffold uses every mechanism once (a figure, a computed value, a claim and its test) and
passes the test suite untouched, so an author starts from green and edits.
"""

from __future__ import annotations

from pathlib import Path

from . import project

PAGE = """# {question}

One or two sentences that answer the question in plain language.

## The maths

Define each symbol where it first appears. Here the slope of the line $y = a x$ is
$a = {{{{ {name}.slope:.1f }}}}$.{{{{ claim {name}.slope }}}}

## The evidence

![A straight line rising from the origin to the top right of the plot](fig:line "The line y = a x. Replace this figure with your own.")
"""

SNIPPET = '''"""What this page's figures demonstrate, in one line."""

import numpy as np

SLOPE = 2.0


def line(x):
    """The model drawn in the figure: y = SLOPE * x."""
    return SLOPE * x


def values():
    return {{"slope": SLOPE}}


def fig_line(fig, pal):
    """The line y = a x on [0, 1]."""
    x = np.linspace(0.0, 1.0, 50)
    ax = fig.subplots()
    ax.plot(x, line(x), color=pal.blue)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
'''

TEST = '''"""Tests for the {name} page: each checks a claim against an independent computation."""

import numpy as np
import pytest

from sitebuild import snippet_values
from snippets import {name}


@pytest.mark.claim("{name}.slope", "{name}.fig_line")
def test_slope_is_rise_over_run():
    """The slope quoted on the page is the rise over the run of the line the figure draws."""
    x = np.array([0.0, 1.0])
    rise_over_run = np.diff({name}.line(x))[0] / np.diff(x)[0]
    assert snippet_values("{name}")["slope"] == pytest.approx(rise_over_run)
'''


def create(name: str, question: str, root: Path | None = None) -> list[Path]:
    root = root or project.ROOT
    files = {
        root / "docs" / f"{name}.md": PAGE.format(name=name, question=question),
        root / "snippets" / f"{name}.py": SNIPPET.format(name=name),
        root / "tests" / f"test_{name}.py": TEST.format(name=name),
    }
    for path in files:
        if path.exists():
            raise FileExistsError(f"{path.relative_to(root)} already exists")
    for path, text in files.items():
        path.write_text(text)
    mkdocs = root / "mkdocs.yml"
    nav_line = f'  - "{question.replace(chr(34), chr(39))}": {name}.md\n'
    text = mkdocs.read_text()
    if not text.endswith("\n"):
        text += "\n"
    mkdocs.write_text(text + nav_line)  # nav is the last key of mkdocs.yml
    return [*files, mkdocs]
