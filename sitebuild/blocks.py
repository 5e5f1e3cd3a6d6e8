"""Generated blocks of Markdown for the site's own pages: {{ claims_table }}, {{ sources_list }}."""

from __future__ import annotations

import posixpath

from . import registry
from .shortcodes import claim_anchor


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


def make(ctx, results) -> dict:
    return {
        "claims_table": lambda page: claims_table(ctx, page),
        "sources_list": lambda page: sources_list(ctx, page),
    }
