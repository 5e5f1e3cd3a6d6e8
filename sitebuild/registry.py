"""Static facts about the project, read without importing or running anything:
the claims each page makes, the claims each test proves, the sources, the figure functions.

The Claims page, the build's checks and the test suite's layout tests all read these.
"""

from __future__ import annotations

import ast
import copy
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import project

# --- shortcode syntax (shared by the expander and the static scan) ------------------------
NAME = r"[a-z][a-z0-9_]*"
VALUE_RE = re.compile(r"\{\{\s*(" + NAME + r")\.(" + NAME + r")\s*(?::\s*([^}\s]*))?\s*\}\}")
CLAIM_RE = re.compile(r"\{\{\s*claim\s+(" + NAME + r"(?:\." + NAME + r")+)((?:\s+[a-z]+=[^\s}]+)*)\s*\}\}")
CITE_RE = re.compile(r"\{\{\s*cite\s+([a-z0-9_,\s]+?)\s*\}\}")
FIGURE_RE = re.compile(r"!\[([^\]]*)\]\(fig:(" + NAME + r"(?:\." + NAME + r")?)(?:\s+\"([^\"]*)\")?\s*\)")
ANY_SHORTCODE_RE = re.compile(r"\{\{(?:(?!\{\{|\}\}).)*?\}\}")  # one line, no nested {{
#: What is left of a shortcode after expansion: a {{ never closed, or braces written apart.
BROKEN_SHORTCODE_RE = re.compile(r"\{\{|\{\s+\{|\}\s+\}")
KINDS = ("computed", "sourced", "definition")


@functools.lru_cache(maxsize=512)  # a page's text is masked once per claim on it
def mask_code(text: str) -> str:
    """Blank out fenced code blocks and inline code spans (same length, newlines kept), so
    shortcodes shown as examples are not expanded and line numbers stay right."""

    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"(?ms)^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", blank, text)
    return re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", blank, text)


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


@dataclass
class Claim:
    id: str
    kind: str
    page: str  # docs-relative path of the page making the claim
    line: int
    sources: list[str] = field(default_factory=list)


class RegistryError(ValueError):
    pass


def parse_claim_options(claim_id: str, options: str, where: str) -> tuple[str, list[str]]:
    opts = dict(o.split("=", 1) for o in options.split())
    unknown = set(opts) - {"source", "kind"}
    if unknown:
        raise RegistryError(f"{where}: claim '{claim_id}' has unknown option(s) {sorted(unknown)}")
    sources = [s for s in opts.get("source", "").split(",") if s]
    kind = opts.get("kind", "sourced" if sources else "computed")
    if kind not in KINDS:
        raise RegistryError(f"{where}: claim '{claim_id}' has kind '{kind}'; use one of {KINDS}")
    if kind == "sourced" and not sources:
        raise RegistryError(f"{where}: sourced claim '{claim_id}' names no source=key")
    return kind, sources


def page_name(page: str) -> str:
    """The snake_case name of a docs-relative page path: 'occam.md' -> 'occam'."""
    return Path(page).with_suffix("").as_posix().replace("/", ".")


def claims_in(text: str, page: str) -> list[Claim]:
    """Every claim a page's Markdown makes, figures included (as <page>.fig_<name>)."""
    masked = mask_code(text)
    found = []
    for m in CLAIM_RE.finditer(masked):
        where = f"docs/{page}:{line_of(masked, m.start())}"
        kind, sources = parse_claim_options(m.group(1), m.group(2), where)
        found.append(Claim(m.group(1), kind, page, line_of(masked, m.start()), sources))
    for m in FIGURE_RE.finditer(masked):
        ref = m.group(2)
        snippet, fig = ref.split(".") if "." in ref else (page_name(page), ref)
        found.append(Claim(f"{snippet}.fig_{fig}", "computed", page, line_of(masked, m.start())))
    return found


def page_claims(docs: Path | None = None) -> list[Claim]:
    docs = docs or project.DOCS
    claims = []
    for path in sorted(docs.rglob("*.md")):
        claims.extend(claims_in(path.read_text(encoding="utf-8"), path.relative_to(docs).as_posix()))
    return claims


def test_claims(tests: Path | None = None) -> dict[str, list[str]]:
    """{claim id: ['tests/test_x.py::test_name', ...]} from @pytest.mark.claim(...) decorators."""
    from . import cache

    tests = tests or project.TESTS
    found: dict[str, list[str]] = {}
    for path in sorted(tests.rglob("test_*.py")):
        rel = path.relative_to(tests.parent).as_posix()
        pairs = cache.text(
            "claims", [rel, path, Path(__file__)], lambda p=path, r=rel: json.dumps(_markers(p, r))
        )
        for claim_id, test_id in json.loads(pairs):
            found.setdefault(claim_id, []).append(test_id)
    return found


def _markers(path: Path, rel: str) -> list[tuple[str, str]]:
    """(claim id, test id) for each @pytest.mark.claim argument in one test module."""
    pairs = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr == "claim":
                for arg in dec.args:
                    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                        raise RegistryError(
                            f"{rel}:{dec.lineno}: claim ids must be string literals, "
                            "so that they can be read without running the test"
                        )
                    pairs.append((arg.value, f"{rel}::{node.name}"))
    return pairs


#: The fields of a docs/sources.yml entry (CONTRIBUTING.md, "Sources", documents each).
SOURCE_FIELDS = {
    "key": "required: lowercase snake_case, how pages cite it ({{ cite key }}, source=key)",
    "kind": "required: one of SOURCE_KINDS",
    "title": "required: the title as published (a thread's question for a Q&A thread)",
    "note": "required: what the site takes from it",
    "author": "authors as 'First Last, First Last and First Last'",
    "year": "year of publication",
    "url": "a link to it",
    "publisher": "journal, publisher or site",
    "short": "the short label the site shows (default: first author's surname, 'et al.', year)",
    "licence": "its licence, where the site reuses its content (Stack Exchange: CC BY-SA 4.0)",
}
SOURCE_KINDS = tuple("seed paper book constant measurement dataset software documentation code".split())
REQUIRED = ("key", "kind", "title", "note")


@functools.lru_cache(maxsize=8)  # by content: an edited file is parsed again
def _load_yaml(text: str):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def sources(path: Path | None = None) -> dict[str, dict]:
    """docs/sources.yml, validated: an unknown field or kind, or a missing one, names the entry."""
    path = path or project.DOCS / "sources.yml"
    entries = copy.deepcopy(_load_yaml(path.read_text(encoding="utf-8"))) or []
    out = {}
    for i, entry in enumerate(entries):
        key = entry.get("key") if isinstance(entry, dict) else None
        if not key or not re.fullmatch(r"[a-z0-9_]+", str(key)):
            raise RegistryError(f"{path.name}: entry {i + 1} has no valid key (lowercase snake_case)")
        if key in out:
            raise RegistryError(f"{path.name}: key '{key}' appears twice")
        unknown = sorted(set(entry) - set(SOURCE_FIELDS))
        if unknown:
            raise RegistryError(
                f"{path.name}: source '{key}' has unknown field(s) {unknown}; known: {sorted(SOURCE_FIELDS)}"
            )
        missing = [f for f in REQUIRED if not entry.get(f)]
        if missing:
            raise RegistryError(f"{path.name}: source '{key}' lacks {missing}")
        if entry["kind"] not in SOURCE_KINDS:
            raise RegistryError(
                f"{path.name}: source '{key}' has kind '{entry['kind']}'; use one of {SOURCE_KINDS}"
            )
        out[key] = entry
    return out


def figure_docs(name: str, snippets: Path | None = None) -> dict[str, str]:
    """{'fig_a': the first paragraph of its docstring, ...} of snippets/<name>.py, without importing it."""
    source = ((snippets or project.SNIPPETS) / f"{name}.py").read_text(encoding="utf-8")
    return {
        n.name: " ".join((ast.get_docstring(n) or "").split("\n\n")[0].split())
        for n in ast.parse(source).body
        if isinstance(n, ast.FunctionDef) and n.name.startswith("fig_")
    }


def figure_functions(snippets: Path | None = None) -> dict[str, list[str]]:
    """{snippet name: ['fig_a', ...]} read from the source, without importing it."""
    snippets = snippets or project.SNIPPETS
    return {name: list(figure_docs(name, snippets)) for name in project.snippet_names(snippets.parent)}


PARTICLES = {"van", "von", "de", "der", "den", "du", "la", "le", "di", "da", "del", "dos", "ter"}


def surname(name: str) -> str:
    """'Twan van Laarhoven' -> 'van Laarhoven', 'Urbain Le Verrier' -> 'Le Verrier'."""
    words = name.split()
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(words[start:])


ORGANISATION = tuple(
    "union bureau consortium contributors research team project developers foundation institute"
    " committee society agency nasa iau bipm".split()
)


def _author_label(author: str) -> str:
    """'A B' -> 'B'; 'A B and C D' -> 'B & D'; three or more -> 'B et al.'; an organisation whole."""
    names = [n.strip() for n in author.replace(" and ", ", ").split(",") if n.strip()]
    if len(names) == 1 and any(w.lower() in ORGANISATION for w in names[0].split()):
        return names[0]
    if len(names) == 2:
        return f"{surname(names[0])} & {surname(names[1])}"
    return surname(names[0]) + (" et al." if len(names) > 2 else "")


def source_label(entry: dict) -> str:
    """A short label for a source: 'Le Verrier 1859', 'Nobili & Will 1986', or a short title."""
    if entry.get("short"):
        return entry["short"]
    author, year = entry.get("author"), entry.get("year")
    if author and year:
        return f"{_author_label(str(author))} {year}"
    words = str(entry.get("title") or entry["key"]).split()
    return " ".join(words[:4]) + ("…" if len(words) > 4 else "")
