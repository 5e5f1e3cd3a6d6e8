"""`./run new NAME "Question?" [--section SECTION]`: a working page, snippet and test, and a nav entry.

The templates are the files in tools/templates/. The scaffold uses every mechanism once (a figure,
a computed value, a claim and its test) and passes the test suite untouched, so an author starts
from green and edits. It reads mkdocs.yml with a YAML loader to find the section, and inserts one
line after that section's last entry (so the file's comments and layout stay as they are).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

import yaml

from sitebuild import project

TEMPLATES = Path(__file__).with_name("templates")
DEFAULT_SECTION = "In practice"


class ScaffoldError(ValueError):
    pass


def _nav(text: str) -> list:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load(text, Loader=Loader)["nav"]


def sections(text: str) -> list[str]:
    """The titles of the nav's sections (entries holding a list of pages)."""
    return [
        next(iter(item))
        for item in _nav(text)
        if isinstance(item, dict) and isinstance(next(iter(item.values())), list)
    ]


def add_nav_entry(text: str, section: str, title: str, page: str) -> str:
    """mkdocs.yml with ``- "title": page`` appended to the nav section ``section``."""
    if section not in sections(text):
        raise ScaffoldError(f"mkdocs.yml has no nav section '{section}'; choose one of {sections(text)}")
    lines = text.splitlines(keepends=True)
    nav = next(i for i, line in enumerate(lines) if line.rstrip() == "nav:")
    head = re.compile(r"^(\s*)- " + re.escape(section) + r"\s*:\s*$")
    start = next(i for i in range(nav + 1, len(lines)) if head.match(lines[i].rstrip("\n")))
    indent = len(head.match(lines[start].rstrip("\n")).group(1))
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    while lines[end - 1].strip() == "":
        end -= 1
    entry_indent = len(lines[start + 1]) - len(lines[start + 1].lstrip()) if end > start + 1 else indent + 4
    safe_title = title.replace('"', "'")
    lines.insert(end, " " * entry_indent + f'- "{safe_title}": {page}\n')
    return "".join(lines)


def create(name: str, question: str, section: str = DEFAULT_SECTION, root: Path | None = None):
    """Write the three files and the nav line. Returns (created paths, changed paths)."""
    root = root or project.ROOT
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ScaffoldError(f"page name '{name}' must be snake_case (a-z, 0-9, _)")
    files = {
        root / "docs" / f"{name}.md": "page.md.tmpl",
        root / "snippets" / f"{name}.py": "snippet.py.tmpl",
        root / "tests" / f"test_{name}.py": "test.py.tmpl",
    }
    for path in files:
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} already exists")
    mkdocs = root / "mkdocs.yml"
    config = add_nav_entry(mkdocs.read_text(), section, question, f"{name}.md")
    for path, template in files.items():
        text = Template((TEMPLATES / template).read_text()).safe_substitute(name=name, question=question)
        path.write_text(text)
    mkdocs.write_text(config)
    return list(files), [mkdocs]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./run new", description=__doc__.splitlines()[0])
    parser.add_argument("name", help="snake_case page name")
    parser.add_argument("question", help="the reader's question the page answers (its title)")
    parser.add_argument(
        "--section", default=DEFAULT_SECTION, help=f"nav section (default: {DEFAULT_SECTION})"
    )
    args = parser.parse_args(argv)
    try:
        created, changed = create(args.name, args.question, args.section)
    except ScaffoldError as exc:
        print(f"./run new: {exc}", file=sys.stderr)
        return 1
    for path in created:
        print(f"created {path.relative_to(project.ROOT)}")
    for path in changed:
        print(f"changed {path.relative_to(project.ROOT)} (nav entry in section '{args.section}')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
