"""Expand a page's shortcodes: computed values, figures, claims and citations.

Pure text in, text out; an unknown name raises ShortcodeError naming the page and line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import project
from .registry import (
    ANY_SHORTCODE_RE,
    BROKEN_SHORTCODE_RE,
    CITE_RE,
    CLAIM_RE,
    FIGURE_RE,
    VALUE_RE,
    line_of,
    mask_code,
    page_name,
    parse_claim_options,
    source_label,
)

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class ShortcodeError(ValueError):
    pass


@dataclass
class Context:
    """What a page's shortcodes may refer to."""

    values: dict[str, dict]  # snippet -> values()
    figures: dict[str, list[str]]  # snippet -> figure names (without fig_)
    sources: dict[str, dict]  # key -> entry
    tests: dict[str, list[str]]  # claim id -> test ids
    data: dict[str, list[str]] = field(default_factory=dict)  # snippet -> data names (data_<name>)
    blocks: dict[str, object] = field(default_factory=dict)  # name -> callable(page) -> markdown
    outcomes: dict[str, dict] = field(default_factory=dict)  # test node id -> record (sitebuild.evidence)
    sizes: dict[str, dict] = field(default_factory=dict)  # snippet -> figure name -> (width, height) px
    _index: tuple | None = field(default=None, repr=False)  # (outcomes, by_test(outcomes), inputs keys)

    def checked(self, claim_id: str) -> tuple[bool, str]:
        """Whether every test of a computed claim passed on the current inputs, and why not."""
        from . import evidence

        if self._index is None or self._index[0] is not self.outcomes:  # once per build
            self._index = (self.outcomes, evidence.by_test(self.outcomes), {})
        _, index, keys = self._index
        return evidence.status(self.tests.get(claim_id, []), self.outcomes, index=index, keys=keys)

    @classmethod
    def from_results(cls, results: dict, sources: dict, tests: dict, outcomes: dict | None = None) -> Context:
        """The context of a build whose snippets gave ``results`` (sitebuild.runner.render_all)."""

        def stems(kind: str) -> dict[str, list[str]]:
            return {n: [f.split(".")[0] for f in r.manifest[kind]] for n, r in results.items()}

        return cls(
            values={n: r.values for n, r in results.items()},
            figures=stems("figures"),
            data=stems("data"),
            sources=sources,
            tests=tests,
            outcomes=outcomes or {},
            sizes={
                n: {f.split(".")[0]: svg_size(r.folder / f) for f in r.manifest["figures"] if ".light." in f}
                for n, r in results.items()
            },
        )


SVG_SIZE_RE = re.compile(rb'<svg\b[^>]*?\bwidth="([\d.]+)pt" height="([\d.]+)pt"')


def svg_size(path) -> tuple[int, int] | None:
    """A figure's size in CSS px (matplotlib writes pt: 72 a inch, 96 px a inch), for the <img>'s
    width and height: the page keeps the figure's room while it loads, so nothing below it moves
    (a reader who lands on a sentence further down stays on it)."""
    try:
        m = SVG_SIZE_RE.search(Path(path).read_bytes()[:2000])
    except OSError:
        return None
    return (round(float(m.group(1)) * 4 / 3), round(float(m.group(2)) * 4 / 3)) if m else None


def format_value(value, spec: str) -> str:
    """Format like an f-string; spec ending in 'T' writes m × 10ⁿ; '-' becomes a true minus."""
    if isinstance(value, str):
        return value
    if spec.endswith("T"):
        mantissa, exponent = format(value, (spec[:-1] or ".2") + "e").split("e")
        e = int(exponent)
        text = mantissa if e == 0 else f"{mantissa} × 10{str(e).translate(SUPERSCRIPT)}"
    else:
        text = format(value, spec) if spec else str(value)
    return text.replace("-", "−") if text.startswith("-") or "e-" in text else text


def expand_values(text: str, ctx: Context) -> str:
    """``{{ page.value }}`` in text that is not a page's (a sentence the Claims page quotes, an
    answer the home page shows): its value, or the shortcode as written if it names none (the
    page itself then fails to build, naming it)."""

    def value(m: re.Match) -> str:
        try:
            return format_value(ctx.values[m.group(1)][m.group(2)], m.group(3) or "")
        except (KeyError, ValueError):
            return m.group(0)

    return VALUE_RE.sub(value, text)


def _rel(page_src: str, target: str) -> str:
    """A link from one docs-relative file to another."""
    return posixpath.relpath(target, posixpath.dirname(page_src) or ".")


def _url_rel(page_src: str, target: str) -> str:
    """A URL from the page's rendered location (directory URLs: a/b.md -> a/b/) to a site file."""
    stem = posixpath.splitext(page_src)[0]
    page_dir = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    return posixpath.relpath(target, page_dir or ".")


def claim_anchor(claim_id: str) -> str:
    return "claim-" + claim_id.replace(".", "-").replace("_", "-")


def expand(markdown: str, page_src: str, ctx: Context) -> str:
    """Expand every shortcode of one page (docs-relative path ``page_src``)."""
    masked = mask_code(markdown)
    page = page_name(page_src)
    out, last = [], 0
    errors = []
    shown: set[tuple[str, str]] = set()

    def fail(pos: int, message: str):
        errors.append(f"docs/{page_src}:{line_of(masked, pos)}: {message}")
        return ""

    def value(m: re.Match) -> str:
        snippet, name, spec = m.group(1), m.group(2), m.group(3) or ""
        if snippet not in ctx.values:
            return fail(m.start(), f"unknown snippet '{snippet}' in {m.group(0)} (no snippets/{snippet}.py)")
        vals = ctx.values[snippet]
        if name not in vals:
            known = ", ".join(sorted(vals)) or "none"
            return fail(
                m.start(), f"unknown value '{snippet}.{name}' (snippets/{snippet}.py values(): {known})"
            )
        try:
            return format_value(vals[name], spec)
        except ValueError as exc:
            return fail(m.start(), f"bad format '{spec}' for {snippet}.{name}: {exc}")

    def figure(m: re.Match) -> str:
        alt, ref, caption = m.group(1).strip(), m.group(2), (m.group(3) or "").strip()
        alt, caption = VALUE_RE.sub(value, alt), VALUE_RE.sub(value, caption)  # numbers may appear there too
        snippet, name = ref.split(".") if "." in ref else (page, ref)
        if (snippet, name) in shown:
            return fail(m.start(), f"figure '{ref}' is shown twice on this page (its ids would repeat)")
        shown.add((snippet, name))
        if name not in ctx.figures.get(snippet, []):
            return fail(m.start(), f"figure '{ref}': snippets/{snippet}.py has no function fig_{name}")
        if len(alt) < 15:
            return fail(
                m.start(), f"figure '{ref}' needs real alt text (a sentence describing it), got '{alt}'"
            )
        if not caption:
            return fail(m.start(), f"figure '{ref}' needs a caption: ![alt](fig:{ref} \"Caption.\")")
        claim_id = f"{snippet}.fig_{name}"
        code = _rel(page_src, f"code/{snippet}.md")
        tests = ctx.tests.get(claim_id, [])
        evidence = f"[code]({code}#fig_{name})"
        if tests:
            evidence += f" · [test]({code}#{tests[0].rsplit('::', 1)[1]})"
        if not ctx.checked(claim_id)[0]:
            evidence += " · **not yet checked**" if tests else " · **untested**"
        src = _rel(page_src, f"{project.FIGURE_DIR}/{snippet}/{name}")
        # the numbers it plots (sitebuild/worker.py figure_table) and the figure itself, to reuse
        evidence += (
            f' · [data (CSV)]({src}.csv){{ download="{snippet}-{name}.csv" }}'
            f' · [SVG]({src}.light.svg){{ download="{snippet}-{name}.svg" }}'
        )
        alt_md = alt.replace("[", "(").replace("]", ")")
        interactive = ""
        if name in ctx.data.get(snippet, []):  # a data_<name> function: the figure gets a slider
            url = _url_rel(page_src, f"{project.FIGURE_DIR}/{snippet}/{name}.json")
            interactive = f' data-json="{url}"'
        size = ctx.sizes.get(snippet, {}).get(name)
        size = f" width={size[0]} height={size[1]}" if size else ""
        return (
            f'<figure class="wsw-figure" id="fig-{snippet}-{name}"{interactive} markdown="span">\n'
            f"![{alt_md}]({src}.light.svg#only-light){{ loading=lazy{size} }}\n"
            f"![{alt_md}]({src}.dark.svg#only-dark){{ loading=lazy{size} }}\n"
            f'<figcaption markdown="span">{caption} '
            f'<span class="wsw-evidence">{evidence}</span></figcaption>\n'
            f"</figure>"
        )

    def claim(m: re.Match) -> str:
        claim_id = m.group(1)
        try:
            kind, keys = parse_claim_options(
                claim_id, m.group(2), f"docs/{page_src}:{line_of(masked, m.start())}"
            )
        except ValueError as exc:
            errors.append(str(exc))
            return ""
        claims_page = _rel(page_src, "claims.md") + "#" + claim_anchor(claim_id)
        mark_id = f'id="mark-{claim_anchor(claim_id)}"'  # the Claims page can link to the sentence
        if kind == "sourced":
            links = []
            for key in keys:
                if key not in ctx.sources:
                    return fail(
                        m.start(), f"claim '{claim_id}' cites unknown source '{key}' (docs/sources.yml)"
                    )
                links.append(f"[{source_label(ctx.sources[key])}]({_rel(page_src, 'sources.md')}#{key})")
            return f'<sup class="wsw-claim wsw-sourced" {mark_id}>[{"; ".join(links)}]</sup>'
        if kind == "definition":
            return f'<sup class="wsw-claim wsw-def" {mark_id}>[def]({claims_page} "Definition")</sup>'
        tests = ctx.tests.get(claim_id, [])
        ok, why = ctx.checked(claim_id)
        if ok:
            checked_by = "Checked by " + ", ".join(tests)
            return f'<sup class="wsw-claim" {mark_id}>[✓]({claims_page} "{checked_by}")</sup>'
        mark = "not yet checked" if tests else "untested"
        return f'<sup class="wsw-claim wsw-unchecked" {mark_id}>[{mark}]({claims_page} "{why}")</sup>'

    def cite(m: re.Match) -> str:
        links = []
        for key in (k.strip() for k in m.group(1).split(",") if k.strip()):
            if key not in ctx.sources:
                return fail(m.start(), f"unknown source '{key}' (docs/sources.yml)")
            links.append(f"[{source_label(ctx.sources[key])}]({_rel(page_src, 'sources.md')}#{key})")
        return "[" + "; ".join(links) + "]"

    def block(m: re.Match) -> str:
        name = m.group(0)[2:-2].strip()
        if name in ctx.blocks:
            try:
                return ctx.blocks[name](page_src)
            except (OSError, ValueError, KeyError) as exc:
                return fail(m.start(), f"{m.group(0)} could not be generated: {exc}")
        return fail(m.start(), f"unknown shortcode {m.group(0)}")

    patterns = [
        (FIGURE_RE, figure),
        (CLAIM_RE, claim),
        (CITE_RE, cite),
        (VALUE_RE, value),
        (ANY_SHORTCODE_RE, block),
    ]
    matches = []
    for regex, fn in patterns:
        for m in regex.finditer(masked):
            if not any(s <= m.start() < e for s, e, _, _ in matches):
                matches.append((m.start(), m.end(), m, fn))
    rest = list(masked)
    for start, end, m, fn in sorted(matches, key=lambda t: t[0]):
        out.append(markdown[last:start])
        out.append(fn(m))
        last = end
        rest[start:end] = " " * (end - start)
    for m in BROKEN_SHORTCODE_RE.finditer("".join(rest)):
        line = masked[masked.rfind("\n", 0, m.start()) + 1 :].split("\n", 1)[0].strip()
        fail(m.start(), f"a broken shortcode (unclosed '{{{{', or braces written apart): {line[:80]!r}")
    out.append(markdown[last:])
    if errors:  # every fault of the page, in page order
        raise ShortcodeError("\n".join(sorted(errors, key=lambda e: int(e.split(":")[1]))))
    return "".join(out)
