"""Generated blocks of Markdown for the site's own pages: {{ claims_table }}, {{ sources_list }},
{{ chapter_map }}."""

from __future__ import annotations

import math
import posixpath
import re

import yaml

from . import project, registry
from .shortcodes import claim_anchor, format_value


def _test_link(test_id: str, page_src: str, snippets: set[str]) -> str:
    path, func = test_id.split("::")
    name = posixpath.basename(path)[len("test_") : -len(".py")]
    if name in snippets:
        target = posixpath.relpath(f"code/{name}.md", posixpath.dirname(page_src) or ".")
        return f"[`{func}`]({target}#{func})"
    return f"`{test_id}`"


def claims_table(ctx, page_src: str) -> str:
    claims = registry.page_claims()
    snippets = set(ctx.values)
    rows = ["| claim | kind | made on | evidence |", "|---|---|---|---|"]
    for c in sorted(claims, key=lambda c: (c.page, c.line)):
        page_link = posixpath.relpath(c.page, posixpath.dirname(page_src) or ".")
        if c.kind == "computed":
            tests = ctx.tests.get(c.id, [])
            evidence = ", ".join(_test_link(t, page_src, snippets) for t in tests) or "**no test**"
        elif c.kind == "sourced":
            evidence = ", ".join(
                f"[{registry.source_label(ctx.sources[k])}](sources.md#{k})"
                for k in c.sources
                if k in ctx.sources
            )
        else:
            evidence = "definition"
        rows.append(
            f'| <span id="{claim_anchor(c.id)}"></span>`{c.id}` | {c.kind} '
            f"| [{c.page}]({page_link}) line {c.line} "
            f"| {evidence} |"
        )
    counts = {k: sum(c.kind == k for c in claims) for k in registry.KINDS}
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    return f"{len(claims)} claims: {summary}.\n\n" + "\n".join(rows)


def sources_list(ctx, page_src: str) -> str:
    out = []
    for key, s in ctx.sources.items():
        title = s["title"]
        title = f"[{title}]({s['url']})" if s.get("url") else title
        bits = [b for b in (s.get("author"), str(s["year"]) if s.get("year") else None) if b]
        head = f"{', '.join(bits)}. " if bits else ""
        venue = f" *{s['publisher']}*." if s.get("publisher") else ""
        licence = f" Licence: {s['licence']}." if s.get("licence") else ""
        note = f" — {s['note']}" if s.get("note") else ""
        out.append(
            f'- <span id="{key}"></span>**{registry.source_label(s)}** · {head}{title}.{venue}{licence}{note}'
        )
    return "\n".join(out)


#: Reading speed for the chapter map's times: about 200 words a minute for technical prose with
#: formulas (Brysbaert 2019 measured 238 for non-fiction read silently; maths reads slower).
WORDS_PER_MINUTE = 200
BLOCK_RE = re.compile(r"\{\{\s*\w+\s*\}\}")
HTML_TAG_RE = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>")  # not "x < y … z > w" in maths


def _front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        head, body = text[4:].split("\n---\n", 1)
        return yaml.safe_load(head) or {}, body
    return {}, text


def words(markdown: str) -> int:
    """Words a reader reads: prose, captions and maths, not code blocks, shortcode names or markup."""
    text = re.sub(r"^(```|~~~).*?^\1", " ", markdown, flags=re.S | re.M)
    for shortcode in (registry.VALUE_RE, registry.CLAIM_RE, registry.CITE_RE, BLOCK_RE):
        text = shortcode.sub(" ", text)
    text = HTML_TAG_RE.sub(" ", text)
    text = re.sub(r"\]\([^)\s]*", " ", text)  # link targets (a figure's caption stays)
    return len(re.findall(r"[^\W_][\w'’-]*", text))


def _answer(ctx, meta: dict, body: str) -> str:
    """The page's `description:` front matter, else the first sentence of its first paragraph."""
    if meta.get("description"):
        return " ".join(str(meta["description"]).split())
    paragraphs = [p for p in re.split(r"\n\s*\n", body.split("\n# ", 1)[-1].split("\n", 1)[-1]) if p.strip()]
    first = " ".join(paragraphs[0].split()) if paragraphs else ""
    first = registry.CLAIM_RE.sub("", registry.CITE_RE.sub("", first))
    first = registry.VALUE_RE.sub(
        lambda m: format_value(ctx.values[m.group(1)][m.group(2)], m.group(3) or ""), first
    )
    sentence = re.match(r"(.+?[.!?])(\s|$)", first)
    return (sentence.group(1) if sentence else first).strip()


def chapters(nav: list | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(section, [(nav title, page)])]: every nav page that has a snippet, by section."""
    nav = nav if nav is not None else yaml.safe_load((project.ROOT / "mkdocs.yml").read_text())["nav"]
    snippets = set(project.page_snippets())
    out = []
    for item in nav:
        for section, entries in item.items():
            if not isinstance(entries, list):
                continue
            pages = [
                (title, page)
                for entry in entries
                for title, page in entry.items()
                if isinstance(page, str) and page.endswith(".md") and page[:-3] in snippets
            ]
            if pages:
                out.append((section, pages))
    return out


def chapter_map(ctx, page_src: str) -> str:
    """A card per chapter, by nav section: its question, a one-line answer, its reading time."""
    out = []
    for section, pages in chapters():
        out += [f"### {section}", "", '<div class="grid cards" markdown>', ""]
        for title, page in pages:
            meta, body = _front_matter((project.DOCS / page).read_text())
            heading = re.search(r"^# (.+)$", body, re.M)
            question = title if title.rstrip().endswith("?") or not heading else heading.group(1).strip()
            minutes = max(1, math.ceil(words(body) / WORDS_PER_MINUTE))
            link = posixpath.relpath(page, posixpath.dirname(page_src) or ".")
            out += [
                f"-   **[{question}]({link})**",
                "",
                "    ---",
                "",
                f"    {_answer(ctx, meta, body)}",
                "",
                f'    <span class="wsw-reading-time">{minutes} min read</span>',
                "",
            ]
        out += ["</div>", ""]
    return "\n".join(out)


def make(ctx, results) -> dict:
    return {
        "claims_table": lambda page: claims_table(ctx, page),
        "sources_list": lambda page: sources_list(ctx, page),
        "chapter_map": lambda page: chapter_map(ctx, page),
    }
