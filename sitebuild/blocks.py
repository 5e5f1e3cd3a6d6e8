"""Generated blocks of Markdown for the site's own pages: {{ claims_table }}, {{ sources_list }},
{{ chapter_map }}."""

from __future__ import annotations

import json
import math
import posixpath
import re
from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data

from . import project, registry
from .shortcodes import _rel, claim_anchor, expand_values


def _test_link(test_id: str, page_src: str, snippets: set[str]) -> str:
    path, func = test_id.split("::")
    name = posixpath.basename(path)[len("test_") : -len(".py")]
    if name in snippets:
        return f"[`{func}`]({_rel(page_src, f'code/{name}.md')}#{func})"
    return f"`{test_id}`"


#: Where a sentence ends in the Markdown: . ! or ? followed by a space (or a line end).
SENTENCE_END_RE = re.compile(r"[.!?](?:\*{1,2}|_)?[)\]”’\"]*(?=\s)")
LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


MATH_SPLIT_RE = re.compile(r"(\$[^$]+\$)")


def _plain(text: str, ctx, dropped: str = "") -> str:
    """A sentence of Markdown as the reader reads it: values expanded, citations and other claim
    marks dropped (replaced by ``dropped``), links reduced to their text, no emphasis markers or
    line breaks. $maths$ stays (the Claims page renders it like any page)."""

    text = expand_values(text, ctx)
    text = registry.CLAIM_RE.sub(dropped, registry.CITE_RE.sub(dropped, text))
    text = LINK_RE.sub(lambda m: m.group(1), text)
    parts = MATH_SPLIT_RE.split(text)  # odd parts are $maths$, kept whole ($d_{\min}$, $a^*$)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"(?<![\w$])[*_]{1,2}|[*_]{1,2}(?![\w$])", "", parts[i])
        parts[i] = re.sub(r"^\s*(?:[-*+]|\d+\.|>|#+)\s+", "", parts[i], flags=re.M)
    return " ".join("".join(parts).split())


def claim_sentence(markdown: str, claim, ctx, dropped: str = "") -> str:
    """The sentence a claim marker backs: from the end of the sentence before it to the marker,
    within its paragraph. A figure claim is the figure's caption. Citations and claim marks in it
    are replaced by ``dropped`` (the page shows them there: a text fragment must stop at them)."""
    masked = registry.mask_code(markdown)
    if ".fig_" in claim.id:
        for m in registry.FIGURE_RE.finditer(masked):
            ref = m.group(2)
            snippet, fig = ref.split(".") if "." in ref else (registry.page_name(claim.page), ref)
            if f"{snippet}.fig_{fig}" == claim.id:
                return _plain(m.group(3) or m.group(1), ctx, dropped)
        return ""
    for m in registry.CLAIM_RE.finditer(masked):
        if m.group(1) != claim.id:
            continue
        before = markdown[: m.start()]
        line = before.rsplit("\n", 1)[-1]
        if line.lstrip().startswith("|"):  # a table row: its cells up to the marker
            cells = (c.strip() for c in line.strip().strip("|").split("|") if c.strip())
            return _plain(" — ".join(cells), ctx, dropped)
        paragraph = re.split(r"\n\s*\n", before)[-1]
        paragraph = re.split(r"(?m)^[ \t]*(?:[-*+]|\d+\.)[ \t]+", paragraph)[-1]  # a list's item
        paragraph = re.sub(r"^\s*[!?]{3}\+?\s.*$", "", paragraph, flags=re.M)  # an admonition's title line
        # earlier marks, keeping the positions
        paragraph = registry.CLAIM_RE.sub(lambda x: (dropped or " ").ljust(len(x.group(0))), paragraph)
        ends = [e.end() for e in SENTENCE_END_RE.finditer(paragraph.rstrip())]
        ends = [e for e in ends if e < len(paragraph.rstrip()) - 1]
        return _plain(paragraph[ends[-1] :] if ends else paragraph, ctx, dropped)
    return ""


def _fragment(sentence: str) -> str:
    """A text fragment (#:~:text=) that lands on the sentence and highlights it in the browser:
    its first words, up to the first formula (or citation or claim mark: claim_sentence's
    ``dropped="|"``)."""
    from urllib.parse import quote

    head = re.split(r"[$`|\d]", sentence)[0]  # up to a formula, code or number
    words = head.split()
    if head != sentence and head and not head[-1].isspace():
        words = words[:-1]  # cut inside a word ("L" of "L2"): a browser matches whole words only
    words = [w for w in words[:8] if w.strip(",;:")]
    if len(words) < 3:
        return ""
    # "-", "," and "&" are the directive's own syntax: percent-encoded in its text (quote keeps "-")
    return "#:~:text=" + quote(" ".join(words).rstrip(",;:"), safe="").replace("-", "%2D")


def _dir_url(src: str) -> str:
    """occam.md -> occam, index.md -> . (directory URLs)"""
    stem = src.removesuffix(".md")
    return "." if stem == "index" else stem.removesuffix("/index")


def audit_line(page: str, results: Path | None = None) -> str:
    """What the last mutation audit of the page's snippet found (bench/audit.json, ./run audit)."""
    path = results or project.ROOT / "bench" / "audit.json"
    try:
        r = json.loads(path.read_text(encoding="utf-8")).get(page.removesuffix(".md"))
    except (OSError, ValueError):
        r = None
    if not r:
        return "no mutation audit recorded yet"
    judged = r["killed"] + r["survived"]
    sample = f"a sample of {r['run']} of its {r['mutants']}" if r["sampled"] else f"all {r['mutants']}"
    return (
        f"mutation audit: the tests killed {r['killed']} of {judged} non-equivalent mutants "
        f"({r['score']:.0%}; {sample} mutants run; {r['commit']}, {r['date']})"
    )


def claims_table(ctx, page_src: str) -> str:
    """The claims, grouped by chapter (in nav order), each as the sentence it marks, a link that
    lands on that sentence on its page (a text fragment, highlighted by the browser), its kind, its
    evidence and, for a computed claim, its outcome. Stacked blocks, not a table: readable on a
    phone."""
    claims = registry.page_claims()
    snippets = set(ctx.values)
    titles = {page: title for _, pages in chapters() for title, page in pages}  # nav order
    order = list(titles)
    by_page: dict[str, list] = {}
    for c in claims:
        by_page.setdefault(c.page, []).append(c)
    pages = sorted(by_page, key=lambda p: (order.index(p) if p in order else len(order), p))
    texts = {page: (project.DOCS / page).read_text(encoding="utf-8") for page in pages}
    counts = {k: sum(c.kind == k for c in claims) for k in registry.KINDS}
    out = [
        f"{len(claims)} claims on {len(pages)} pages: "
        + ", ".join(f"{n} {k}{'s' if k == 'definition' and n != 1 else ''}" for k, n in counts.items())
        + ".\n"
    ]
    for page in pages:
        heading = re.search(r"^# (.+)$", texts[page], re.M)
        title = titles.get(page) or (heading.group(1).strip() if heading else page)
        page_link = _rel(page_src, page)
        out.append(f"## {title} {{ #claims-{page.removesuffix('.md').replace('/', '-')} }}\n")
        n = len(by_page[page])
        out.append(f"[Read the page]({page_link}) · {n} claim{'s' if n != 1 else ''} · {audit_line(page)}\n")
        for c in sorted(by_page[page], key=lambda c: c.line):
            sentence = claim_sentence(texts[page], c, ctx) or f"(line {c.line})"
            if c.kind == "computed":
                tests = ctx.tests.get(c.id, [])
                evidence = "checked by " + (
                    ", ".join(_test_link(t, page_src, snippets) for t in tests) or "**no test**"
                )
                ok, why = ctx.checked(c.id)  # the outcome, as the page's mark shows it
                evidence += " · ✓ passed on these inputs" if ok else f" · **not yet checked** (`{why}`)"
            elif c.kind == "sourced":
                evidence = "source: " + ", ".join(
                    f"[{registry.source_label(ctx.sources[k])}](sources.md#{k})"
                    for k in c.sources
                    if k in ctx.sources
                )
            else:
                evidence = "definition"
            # directory URLs: claims/ -> ../occam/ (raw HTML: MkDocs does not know text fragments)
            page_url = posixpath.relpath(_dir_url(page), _dir_url(page_src)) + "/"
            fragment = _fragment(claim_sentence(texts[page], c, ctx, dropped="|"))
            link = f'<a href="{page_url}{fragment}">on the page</a>'
            out.append(
                f'<div class="wsw-claim-row" id="{claim_anchor(c.id)}" markdown>\n\n'
                f'<span class="wsw-claim-sentence">{sentence}</span>\n\n'
                f'<span class="wsw-claim-meta">{link} · {c.kind} · {evidence} · '
                f"<code>{c.id}</code></span>\n\n"
                "</div>\n"
            )
    return "\n".join(out)


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
    first = expand_values(first, ctx)
    sentence = re.match(r"(.+?[.!?])(\s|$)", first)
    return (sentence.group(1) if sentence else first).strip()


def chapters(nav: list | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(section, [(nav title, page)])]: every nav page that has a snippet, by section."""
    nav = (
        nav
        if nav is not None
        else yaml.safe_load((project.ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    )
    snippets = set(project.page_snippets())
    out = []
    for item in nav:
        if not isinstance(item, dict):  # a page listed without a title or section ("- index.md")
            continue
        for section, entries in item.items():
            if not isinstance(entries, list):
                continue
            pages = [
                (title, page)
                for entry in entries
                if isinstance(entry, dict)
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
            body, meta = get_data((project.DOCS / page).read_text(encoding="utf-8"))  # as MkDocs reads it
            heading = re.search(r"^# (.+)$", body, re.M)
            question = title if title.rstrip().endswith("?") or not heading else heading.group(1).strip()
            minutes = max(1, math.ceil(words(body) / WORDS_PER_MINUTE))
            link = _rel(page_src, page)
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
