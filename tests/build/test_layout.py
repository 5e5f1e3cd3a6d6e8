"""The authoring rules, held for every page: one name links a page, its snippet, its figures and its
tests; every claim has its evidence; every figure has a test; every test names a real claim."""

from __future__ import annotations

import ast
import re

import pytest
import yaml

from sitebuild import project, registry

ROOT = project.ROOT

#: Pages with no snippet of their own (they may still have tests, e.g. the notation conversions).
PAGES_WITHOUT_SNIPPET = {"notation", "claims", "sources", "building", "changelog"}
SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def pages() -> set[str]:
    return {p.stem for p in (ROOT / "docs").glob("*.md")}


def nav_pages() -> set[str]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    found = set()

    def walk(item):
        if isinstance(item, str) and item.endswith(".md"):
            found.add(item[:-3])
        elif isinstance(item, list):
            for x in item:
                walk(x)
        elif isinstance(item, dict):
            for x in item.values():
                walk(x)

    walk(config["nav"])
    return found


def test_names_are_snake_case():
    names = pages() | set(project.snippet_names()) | {p.stem[5:] for p in (ROOT / "tests").glob("test_*.py")}
    assert all(SNAKE.fullmatch(n) for n in names), sorted(n for n in names if not SNAKE.fullmatch(n))


def test_every_snippet_has_its_page_and_tests():
    for name in project.snippet_names():
        assert (ROOT / "docs" / f"{name}.md").is_file(), f"snippets/{name}.py has no page docs/{name}.md"
        assert (ROOT / "tests" / f"test_{name}.py").is_file(), (
            f"snippets/{name}.py has no tests/test_{name}.py"
        )


def test_every_content_page_has_a_snippet():
    missing = sorted(
        p for p in pages() - PAGES_WITHOUT_SNIPPET if not (ROOT / "snippets" / f"{p}.py").is_file()
    )
    assert not missing, f"pages without snippets/<page>.py (or add them to PAGES_WITHOUT_SNIPPET): {missing}"


def test_every_test_module_belongs_to_a_page():
    """tests/test_<page>.py are page tests; the build's own tests live in tests/build/."""
    for path in (ROOT / "tests").glob("test_*.py"):
        assert path.stem[5:] in pages(), (
            f"tests/{path.name} matches no page docs/{path.stem[5:]}.md (build tests go in tests/build/)"
        )


def test_every_page_is_in_the_nav():
    missing = pages() - nav_pages()
    assert not missing, f"pages missing from the nav in mkdocs.yml: {sorted(missing)}"


def test_shared_snippet_modules_are_listed():
    """Every module in snippets/ is either a page's snippet or one of the listed shared modules."""
    for path in (ROOT / "snippets").glob("*.py"):
        assert path.stem in project.SHARED_MODULES or path.stem in pages(), (
            f"snippets/{path.name} is neither a page's snippet nor in project.SHARED_MODULES"
        )


def test_snippets_do_no_io_or_global_state():
    """Snippets are pure: no print, no plt.show or pyplot state, no file writes, no wall clock."""
    banned = re.compile(
        r"\bprint\(|plt\.show|import matplotlib\.pyplot|pyplot|open\(|savefig|time\.time|datetime\.now"
    )
    for name in project.snippet_names():
        text = (ROOT / "snippets" / f"{name}.py").read_text()
        assert not banned.search(text), f"snippets/{name}.py: {banned.search(text).group(0)}"


# --- claims and their evidence ----------------------------------------------------------------


@pytest.fixture(scope="module")
def claims():
    return registry.page_claims()


@pytest.fixture(scope="module")
def tested():
    return registry.test_claims()


def test_claim_ids_carry_their_page_name(claims):
    for c in claims:
        if c.id.split(".")[-1].startswith("fig_"):
            continue  # a page may show another page's figure
        assert c.id.split(".")[0] == registry.page_name(c.page), f"docs/{c.page}:{c.line}: claim {c.id}"


def test_claim_ids_are_unique(claims):
    seen = {}
    for c in claims:
        if ".fig_" in c.id:
            continue
        assert c.id not in seen, f"claim {c.id} made twice: {seen.get(c.id)} and {c.page}:{c.line}"
        seen[c.id] = f"{c.page}:{c.line}"


def test_every_computed_claim_has_a_test(claims, tested):
    missing = [
        f"docs/{c.page}:{c.line} {c.id}" for c in claims if c.kind == "computed" and c.id not in tested
    ]
    assert not missing, "computed claims without a test:\n" + "\n".join(missing)


def test_every_test_names_a_claim_that_a_page_makes(claims, tested):
    made = {c.id for c in claims}
    unknown = sorted(f"{cid} ({', '.join(tests)})" for cid, tests in tested.items() if cid not in made)
    assert not unknown, "tests name claims no page makes:\n" + "\n".join(unknown)


def test_every_sourced_claim_names_a_known_source(claims):
    sources = registry.sources()
    bad = [f"docs/{c.page}:{c.line} {c.id} -> {k}" for c in claims for k in c.sources if k not in sources]
    assert not bad, "\n".join(bad)


def test_every_source_is_used_and_complete():
    sources = registry.sources()
    text = "\n".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    unused = [k for k in sources if not re.search(rf"(source=|cite |,\s*){k}\b", text)]
    assert not unused, f"sources no page cites: {unused}"
    for key, s in sources.items():
        if s.get("kind") == "seed" and "Stack Exchange" in s.get("publisher", ""):
            assert s.get("licence") == "CC BY-SA 4.0", f"{key}: Stack Exchange content is CC BY-SA"


def test_every_figure_is_shown_and_tested(claims, tested):
    shown = {c.id for c in claims}
    for name, figs in registry.figure_functions().items():
        for fig in figs:
            claim_id = f"{name}.{fig}"
            assert claim_id in shown, f"snippets/{name}.py: {fig} is drawn but no page shows it"
            assert claim_id in tested, f"snippets/{name}.py: {fig} has no test marked claim('{claim_id}')"


def test_figure_functions_have_a_docstring():
    for name in project.snippet_names():
        tree = ast.parse((ROOT / "snippets" / f"{name}.py").read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("fig_"):
                assert ast.get_docstring(node), f"snippets/{name}.py: {node.name} needs a one-line docstring"


def test_every_value_a_page_quotes_exists(values_of):
    """Static check with the build's own cache: each {{ page.value }} names a value its snippet returns."""
    known = {}
    for path in sorted((ROOT / "docs").glob("*.md")):
        text = registry.mask_code(path.read_text())
        for m in registry.VALUE_RE.finditer(text):
            snippet, name = m.group(1), m.group(2)
            assert (ROOT / "snippets" / f"{snippet}.py").is_file(), f"{path.name}: no snippet {snippet}"
            if snippet not in known:
                known[snippet] = values_of(snippet)
            where = f"docs/{path.name}:{registry.line_of(text, m.start())}"
            assert name in known[snippet], f"{where}: {m.group(0)}"


def test_build_package_has_no_import_cycle():
    """sitebuild's modules import each other one way only (see sitebuild/README.md)."""
    package = ROOT / "sitebuild"
    graph = {}
    for path in package.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.level == 1 or node.module == "sitebuild"):
                names = [node.module] if node.level == 1 and node.module else [a.name for a in node.names]
                deps |= {n.split(".")[0] for n in names if (package / f"{n.split('.')[0]}.py").is_file()}
        graph[path.stem] = deps - {path.stem}

    def cycle_from(node, trail):
        if node in trail:
            return [*trail[trail.index(node) :], node]
        for dep in sorted(graph.get(node, ())):
            found = cycle_from(dep, [*trail, node])
            if found:
                return found
        return None

    for module in sorted(graph):
        found = cycle_from(module, [])
        assert not found, "import cycle in sitebuild: " + " -> ".join(found)


def test_build_package_readme_lists_every_module():
    readme = (ROOT / "sitebuild" / "README.md").read_text()
    modules = {p.name for p in (ROOT / "sitebuild").glob("*.py") if p.name != "__init__.py"}
    listed = set(re.findall(r"^\| `(\w+\.py)` \|", readme, re.M))
    assert listed == modules, f"sitebuild/README.md lists {sorted(listed)}, the package has {sorted(modules)}"


def test_developer_tools_are_not_imported_by_the_build_or_page_tests():
    for path in [*(ROOT / "sitebuild").glob("*.py"), *(ROOT / "tests").glob("test_*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] == "tools" for n in names), f"{path.name} imports tools/"


def test_source_labels_keep_surname_particles():
    label = registry.source_label
    assert label({"key": "k", "author": "Twan van Laarhoven", "year": 2017}) == "van Laarhoven 2017"
    assert label({"key": "k", "author": "Urbain Le Verrier", "year": 1859}) == "Le Verrier 1859"
    assert label({"key": "k", "author": "Johann Georg von Soldner", "year": 1804}) == "von Soldner 1804"
    assert (
        label({"key": "k", "author": "Ada Lovelace and C. Babbage", "year": 1843})
        == "Lovelace & Babbage 1843"
    )
    assert label({"key": "k", "author": "A B, C D and E F", "year": 2000}) == "B et al. 2000"
    org = {"key": "k", "author": "International Astronomical Union", "year": 2015}
    assert label(org) == "International Astronomical Union 2015"
    assert (
        label({"key": "k", "title": "torch.optim.SGD documentation page"})
        == "torch.optim.SGD documentation page"
    )
    assert label({"key": "k", "author": "Van Morrison", "year": 1970}) == "Morrison 1970"


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (
            {"key": "x", "kind": "paper", "title": "T", "note": "n", "autor": "A"},
            "unknown field(s) ['autor']",
        ),
        ({"key": "x", "kind": "blog", "title": "T", "note": "n"}, "has kind 'blog'"),
        ({"key": "x", "kind": "paper", "title": "T"}, "lacks ['note']"),
        ({"key": "Bad Key", "kind": "paper", "title": "T", "note": "n"}, "no valid key"),
    ],
)
def test_a_bad_source_entry_is_named(tmp_path, entry, said):
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump([entry]))
    with pytest.raises(registry.RegistryError, match=re.escape(said)):
        registry.sources(path)


def test_sources_schema_is_documented_in_contributing():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for field in registry.SOURCE_FIELDS:
        assert f"`{field}`" in text, f"CONTRIBUTING.md does not document the sources field `{field}`"
    for kind in registry.SOURCE_KINDS:
        assert f"`{kind}`" in text, f"CONTRIBUTING.md does not list the source kind `{kind}`"


def test_every_library_a_snippet_imports_is_in_its_cache_key():
    """A snippet's output may change with any library it imports: each one's version must be part of
    the cache key (runner.SNIPPET_LIBS; matplotlib's own dependencies come with matplotlib's)."""
    import sys

    from sitebuild import runner

    imported = set()
    for path in sorted(project.SNIPPETS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {(a.name.split(".")[0], path.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add((node.module.split(".")[0], path.name))
    outside = {
        (name, where)
        for name, where in imported
        if name not in sys.stdlib_module_names and name != "snippets" and name not in runner.SNIPPET_LIBS
    }
    assert not outside, f"libraries snippets import that are not in runner.SNIPPET_LIBS: {sorted(outside)}"
