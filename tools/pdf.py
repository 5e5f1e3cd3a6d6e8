"""The whole site as one PDF: `./run pdf` (or `python -m tools.pdf SITE_DIR`) after `mkdocs build`.

The built chapters' ``<article>`` contents are put one after the other, in the order of the nav of
mkdocs.yml, into a single HTML document with a cover and a table of contents; Chromium (the
browser the tests already use; WeasyPrint does not render MathML) prints it with ``page.pdf()``.

- Links between pages become links inside the PDF: every id of a page is prefixed with the page's
  name (``occam--two-models``), so ``../occam/#two-models`` becomes ``#occam--two-models``; links
  to what the PDF does not hold (code pages, notebooks, figure files) point at the published site.
- Light figures only (the ``#only-dark`` copies are dropped), loaded eagerly, details opened.
- Maths stays MathML, as the build rendered it.
- The same site gives the same bytes: Chromium writes the time and a random document id, so the
  file is rewritten with pikepdf with dates from SOURCE_DATE_EPOCH and an id computed from the
  content.

Nothing is fetched: the document and everything it loads are local files.
"""

from __future__ import annotations

import argparse
import html as htmllib
import os
import posixpath
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sitebuild import project  # noqa: E402

PDF_NAME = project.MADE_AFTER_BUILD[0]  # the home page links it
DEFAULT_EPOCH = 1700000000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOT_LINKS = ("mailto:", "tel:", "data:", "javascript:")

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-size: 100%; }
body { margin: 0; background: #fff; }
.md-typeset { font-size: 10pt; line-height: 1.5; }
.md-typeset h1 { font-size: 1.9em; margin: 0 0 0.8em; color: var(--md-default-fg-color); }
.wsw-print-chapter { break-before: page; }
.wsw-print-chapter h1, .md-typeset h2, .md-typeset h3 { break-after: avoid; }
.md-typeset figure, .md-typeset table, .md-typeset pre, .md-typeset .admonition { break-inside: avoid; }
.wsw-figure img { max-width: 15cm; }
.wsw-print-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.wsw-print-cover h1 { font-size: 2.6em; }
.wsw-print-cover p { font-size: 1.15em; max-width: 32em; }
.wsw-print-toc { break-before: page; }
.md-typeset .wsw-print-toc ol { list-style: none; padding-left: 0; margin-left: 0; }
.md-typeset .wsw-print-toc ol ol { margin-left: 1.2em; }
.md-typeset .wsw-print-toc li { margin: 0.25em 0; list-style: none; }
.wsw-print-toc .wsw-print-section { font-weight: 700; margin-top: 0.8em; }
.md-typeset a { color: var(--md-typeset-a-color); }
"""

FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#666;'
    'font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold ``!!python/name:`` and ``!ENV`` tags: read them as plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config_file: Path) -> dict:
    return yaml.load(config_file.read_text(), Loader=_Loader)


def nav_pages(nav) -> list[tuple[str | None, str, str]]:
    """(section title or None, nav title, docs path) of every Markdown page in the nav, in order."""
    out = []

    def walk(items, section):
        for item in items:
            if isinstance(item, str):
                out.append((section, item, item))
                continue
            ((title, value),) = item.items()
            if isinstance(value, list):
                walk(value, title if section is None else f"{section} / {title}")
            elif isinstance(value, str) and value.endswith(".md") and "://" not in value:
                out.append((section, title, value))

    walk(nav, None)
    return out


def page_url(src: str) -> str:
    """The URL of a page relative to the site root (directory URLs): occam.md -> occam/."""
    stem = posixpath.splitext(src)[0]
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
    return f"{stem}/" if stem else ""


def page_slug(src: str) -> str:
    stem = posixpath.splitext(src)[0]
    return stem.replace("/", "-") or "index"


def built_file(site: Path, url: str) -> Path:
    return site / url / "index.html" if url.endswith("/") or not url else site / url


def _chapter(site: Path, src: str, slugs: dict[str, str], site_url: str):
    """The <article> of one built page, rewritten for the combined document: (title, html)."""
    from bs4 import BeautifulSoup

    url = page_url(src)
    slug = slugs["/" + url]
    soup = BeautifulSoup(built_file(site, url).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner") or soup.select_one("article")
    if article is None:
        raise SystemExit(f"pdf: {built_file(site, url)} has no <article>")
    for junk in article.select(
        "a.md-content__button, a.headerlink, script, style, form, button, .md-source-file, "
        "img[src*='#only-dark'], .wsw-controls"
    ):
        junk.decompose()
    for details in article.select("details"):
        details["open"] = ""
    ids = {tag["id"] for tag in article.select("[id]")}
    for tag in article.select("[id]"):
        tag["id"] = f"{slug}--{tag['id']}"
    here = "/" + url
    for a in article.select("a[href]"):
        href = a["href"].strip()
        if not href or href.startswith(NOT_LINKS):
            continue
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            continue
        if href.startswith("#"):
            fragment = unquote(href[1:])
            a["href"] = f"#{slug}--{fragment}" if fragment in ids else f"#{slug}"
            continue
        target = urlsplit(urljoin(here, href))
        path = target.path if not target.path.endswith("index.html") else target.path[: -len("index.html")]
        if path in slugs:
            a["href"] = (
                f"#{slugs[path]}--{unquote(target.fragment)}" if target.fragment else f"#{slugs[path]}"
            )
        else:  # something the PDF does not hold: the published site has it
            a["href"] = (
                site_url.rstrip("/") + target.path + (f"#{target.fragment}" if target.fragment else "")
            )
    for img in article.select("img[src]"):
        src_attr = img["src"]
        if src_attr.startswith("data:"):
            continue
        target = urlsplit(urljoin(here, src_attr))
        img["src"] = (site / unquote(target.path).lstrip("/")).as_uri()
        if img.has_attr("loading"):
            del img["loading"]  # lazy images are never loaded in print
    h1 = article.select_one("h1")
    title = h1.get_text(" ", strip=True) if h1 else src
    body = "".join(str(c) for c in article.contents)
    return title, f'<section class="wsw-print-chapter" id="{slug}">\n{body}\n</section>'


def combined_html(site: Path, config: dict) -> tuple[str, list[str]]:
    """The whole site as one HTML document (file:// links to the site's assets), and the chapters'
    titles in order. ``site`` may be relative (``python -m tools.pdf site``)."""
    site = Path(site).resolve()
    pages = nav_pages(config.get("nav") or [])
    slugs = {}
    for _, _, src in pages:
        slugs["/" + page_url(src)] = page_slug(src)
    site_url = config.get("site_url") or ""
    chapters, toc, titles = [], [], []
    section_open = None
    for section, _, src in pages:
        title, chapter = _chapter(site, src, slugs, site_url)
        chapters.append(chapter)
        titles.append(title)
        if section != section_open:
            if section_open is not None:
                toc.append("</ol></li>")
            if section is not None:
                toc.append(f'<li class="wsw-print-section">{htmllib.escape(section)}<ol>')
            section_open = section
        toc.append(f'<li><a href="#{page_slug(src)}">{htmllib.escape(title)}</a></li>')
    if section_open is not None:
        toc.append("</ol></li>")
    styles = sorted((site / "assets" / "stylesheets").glob("main.*.min.css"))
    styles += sorted((site / "assets" / "stylesheets").glob("palette.*.min.css"))
    styles += [site / css for css in config.get("extra_css", []) if (site / css).is_file()]
    links = "\n".join(f'<link rel="stylesheet" href="{p.as_uri()}">' for p in styles)
    name = htmllib.escape(config.get("site_name", ""))
    description = htmllib.escape(" ".join(str(config.get("site_description", "")).split()))
    doc = f"""<!doctype html>
<html lang="{config.get("theme", {}).get("language", "en")}">
<head>
<meta charset="utf-8">
<title>{name}</title>
{links}
<style>{PRINT_CSS}</style>
</head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo"
 data-md-color-accent="deep-orange">
<div class="md-typeset">
<section class="wsw-print-cover">
<h1>{name}</h1>
<p>{description}</p>
<p>The whole site as one document. Read it online, with the interactive figures and the code of
every figure: <a href="{htmllib.escape(site_url)}">{htmllib.escape(site_url)}</a>.</p>
<p>{htmllib.escape(str(config.get("copyright", "")))}</p>
</section>
<nav class="wsw-print-toc">
<h2 id="contents">Contents</h2>
<ol>
{"".join(toc)}
</ol>
</nav>
{"".join(chapters)}
</div>
</body>
</html>
"""
    return doc, titles


def _pdf_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("D:%Y%m%d%H%M%SZ")


NODE_ID = re.compile(r"^node\d+$")


def _renumber_structure_ids(pdf) -> None:
    """A tagged PDF names its structure elements after Chromium's DOM node ids ("node00018409"),
    which shift from one run to the next: number them 1, 2, … in their order instead (the same
    order, so the sorted /IDTree stays sorted)."""
    import pikepdf

    found: set[str] = set()
    containers = []

    def walk(obj, depth=0):
        if depth > 50:
            return
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            containers.append(obj)
            for key in obj.keys():
                value = obj.get(key)
                if isinstance(value, pikepdf.String) and NODE_ID.match(str(value)):
                    found.add(str(value))
                elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                    walk(value, depth + 1)
        elif isinstance(obj, pikepdf.Array):
            containers.append(obj)
            for value in obj:
                if isinstance(value, pikepdf.String) and NODE_ID.match(str(value)):
                    found.add(str(value))
                elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                    walk(value, depth + 1)

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            walk(obj)
    if not found:
        return
    new = {old: f"node{i:08d}" for i, old in enumerate(sorted(found, key=lambda n: int(n[4:])), 1)}
    for obj in containers:
        if isinstance(obj, pikepdf.Array):
            for i, value in enumerate(obj):
                if isinstance(value, pikepdf.String) and str(value) in new:
                    obj[i] = pikepdf.String(new[str(value)])
        else:
            for key in obj.keys():
                value = obj.get(key)
                if isinstance(value, pikepdf.String) and str(value) in new:
                    obj[key] = pikepdf.String(new[str(value)])


def fix_metadata(raw: Path, out: Path, title: str, epoch: int) -> None:
    """Rewrite Chromium's PDF with fixed metadata: dates from ``epoch``, an id from the content,
    structure ids numbered in order."""
    import pikepdf

    with pikepdf.open(raw) as pdf:
        _renumber_structure_ids(pdf)
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata  # an XMP packet would repeat the dates
        info = pdf.docinfo
        for key in list(info.keys()):
            del info[key]
        info["/Title"] = title
        info["/Creator"] = "why-small-weights tools/pdf.py"
        info["/Producer"] = "Chromium page.pdf(), pikepdf"
        info["/CreationDate"] = _pdf_date(epoch)
        info["/ModDate"] = _pdf_date(epoch)
        # object streams: Chromium's tagged PDF (the structure tree screen readers use) is ~3x
        # larger without them
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            linearize=False,
        )


def print_pdf(html_file: Path, out: Path, chromium: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    chromium = chromium or _chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(html_file.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                outline=True,
                tagged=True,
            )
        finally:
            browser.close()


def _chromium() -> str:
    import shutil

    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("pdf: Chromium is needed (apt-get install chromium)")


def build(site: Path, out: Path | None = None, config_file: Path | None = None) -> tuple[Path, list[str]]:
    """Print the built site ``site`` as one PDF (default: ``site/why-small-weights.pdf``); returns
    its path and the chapters' titles."""
    site = Path(site)
    config = read_config(config_file or ROOT / "mkdocs.yml")
    out = Path(out) if out else site / PDF_NAME
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    doc, titles = combined_html(site, config)
    with tempfile.TemporaryDirectory(prefix="wsw-pdf-") as tmp:
        html_file = Path(tmp) / "print.html"
        html_file.write_text(doc, encoding="utf-8")
        raw = Path(tmp) / "raw.pdf"
        print_pdf(html_file, raw)
        fix_metadata(raw, out, config.get("site_name", "site"), epoch)
    return out, titles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument("-o", "--out", help=f"the PDF to write (default: SITE/{PDF_NAME})")
    parser.add_argument("-f", "--config-file", default=str(ROOT / "mkdocs.yml"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    out, titles = build(Path(args.site), args.out and Path(args.out), Path(args.config_file))
    took = time.perf_counter() - start
    print(f"pdf: {out} ({out.stat().st_size / 1e6:.1f} MB, {len(titles)} chapters, {took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
