"""CONTRIBUTING.md's factual lists, derived from the code: they cannot drift."""

from __future__ import annotations

import ast
import re
import tomllib

from sitebuild import project
from tests.build.test_layout import PAGES_WITHOUT_SNIPPET

ROOT = project.ROOT
TEXT = (ROOT / "CONTRIBUTING.md").read_text()


def named_files(sentence_start: str) -> set[str]:
    sentence = re.split(r"\s\(listed", TEXT[TEXT.index(sentence_start) :], maxsplit=1)[0]
    return set(re.findall(r"`(\w+)(?:\.py)?`", sentence))


def test_the_commands_of_run_are_the_ones_documented():
    script = (ROOT / "run").read_text()
    commands = set(re.findall(r"^  ([a-z]+)\)", script, re.M))
    documented = set(re.findall(r"^\| `\./run ([a-z]+)` \|", TEXT, re.M))
    assert commands == documented, f"./run has {sorted(commands)}, CONTRIBUTING.md lists {sorted(documented)}"


def test_the_shared_modules_are_the_ones_documented():
    shared = project.SHARED_MODULES - {"__init__"}
    assert named_files("The shared modules of `snippets/` are") - {"snippets"} == shared


def test_the_pages_without_a_snippet_are_the_ones_documented():
    assert named_files("the pages with no snippet of their own are") == PAGES_WITHOUT_SNIPPET


def test_snippet_values_is_imported_from_where_it_says():
    assert "`from sitebuild import snippet_values`" in TEXT
    for path in (ROOT / "tests").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and any(a.name == "snippet_values" for a in node.names):
                assert node.module == "sitebuild", (
                    f"tests/{path.name} imports snippet_values from {node.module}"
                )


def test_every_environment_variable_the_build_reads_is_documented():
    code = "\n".join(p.read_text() for p in (ROOT / "sitebuild").glob("*.py"))
    read = set(re.findall(r'"(SITEBUILD_[A-Z_]+|SOURCE_DATE_EPOCH)"', code))
    documented = set(re.findall(r"^\| `([A-Z_0-9]+)` \|", TEXT, re.M))
    assert read <= documented, f"undocumented in CONTRIBUTING.md: {sorted(read - documented)}"
    assert {v for v in documented if v.startswith("SITEBUILD_")} <= read, "documented but never read"


def test_no_formatter_touches_docs():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "docs/**" in config["tool"]["ruff"]["format"]["exclude"]


def test_no_built_page_shows_a_literal_include(built_site):
    shown = [
        p.relative_to(built_site)
        for p in built_site.rglob("*.html")
        if "--8&lt;--" in p.read_text() or "--8<--" in p.read_text() or "--8 &lt; --" in p.read_text()
    ]
    assert not shown, f"pages show a literal --8<-- include: {shown}"
    notation = (built_site / "notation" / "index.html").read_text()
    assert "def soft_threshold" in notation or "soft_threshold" in notation, (
        "the Notation page lacks the conventions code"
    )
