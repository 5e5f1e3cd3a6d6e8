"""Generate a 'code' page per snippet: its source and its tests, one section per function,
so that a figure caption or a claim can link to the exact function that computes or checks it."""

from __future__ import annotations

import ast
from pathlib import Path


def _sections(source: str) -> list[tuple[str | None, str]]:
    """Split a module into (function name or None, code) chunks in source order."""
    tree = ast.parse(source)
    lines = source.splitlines()
    chunks, cursor = [], 0
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue
        start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        while start > cursor and lines[start - 1].lstrip().startswith("#"):
            start -= 1
        if start > cursor:
            chunks.append((None, "\n".join(lines[cursor:start]).strip("\n")))
        chunks.append((node.name, "\n".join(lines[start : node.end_lineno]).strip("\n")))
        cursor = node.end_lineno
    if cursor < len(lines):
        chunks.append((None, "\n".join(lines[cursor:]).strip("\n")))
    return [(name, code) for name, code in chunks if code.strip()]


def _render(source: str, rel_path: str) -> str:
    out = []
    for name, code in _sections(source):
        if name:
            out.append(f"### `{name}` {{ #{name} }}\n")
        out.append(f'```python title="{rel_path}"\n{code}\n```\n')
    return "\n".join(out)


def code_page(name: str, root: Path, page_title: str | None = None) -> str:
    snippet = root / "snippets" / f"{name}.py"
    test = root / "tests" / f"test_{name}.py"
    doc = ast.get_docstring(ast.parse(snippet.read_text(encoding="utf-8"))) or ""
    title = page_title or name.replace("_", " ")
    parts = [
        # out of the search index: a search for a chapter's subject finds the chapter, not the code
        # that draws its figures (every figure and claim still links here)
        "---\nsearch:\n  exclude: true\n---\n",
        f"# Code: {title}\n",
        f"The computation behind [{title}](../{name}.md), and the tests that check it. "
        "Both run on every build; nothing on the page is typed by hand.\n",
        f"> {doc.splitlines()[0] if doc else ''}\n",
        f"## The snippet `snippets/{name}.py`\n",
        _render(snippet.read_text(encoding="utf-8"), f"snippets/{name}.py"),
    ]
    if test.is_file():
        parts += [
            f"## The tests `tests/test_{name}.py`\n",
            _render(test.read_text(encoding="utf-8"), f"tests/test_{name}.py"),
        ]
    return "\n".join(parts)
