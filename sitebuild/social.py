"""Share cards and page dates: what a link to the site shows when it is shared, and when each page
last changed. A MkDocs hook (``hooks:`` in mkdocs.yml, after sitebuild/hook.py) and the functions it uses.

- ``description``: a page's plain-language answer, the first paragraph under its H1 (or its
  ``description:`` front matter), set as ``page.meta["description"]`` so that Material's own
  ``<meta name="description">`` and overrides/partials/social.html (Open Graph and Twitter card
  tags) use it.
- ``card_png``: a 1200×630 preview image per page drawn with matplotlib at build time: the page's
  title, the site's name and, for a chapter, the lines and points of its first figure, read from
  that figure's CSV (sitebuild/worker.py ``figure_table``). Deterministic bytes, no network, no
  font download (Material's social plugin downloads fonts and fails offline).
- ``last_changed``: the date of the last commit that touched docs/<page>.md or snippets/<page>.py
  (``git log -1 --format=%cs``), or the build epoch (SOURCE_DATE_EPOCH) outside git; it becomes
  ``page.update_date``, which the sitemap shows.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import os
import posixpath
import re
import subprocess
import textwrap
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project (this file is sitebuild/social.py)
CARD_DIR = "assets/cards"
CARD_SIZE = (1200, 630)
DESCRIPTION_CHARS = 200
DEFAULT_EPOCH = 1700000000
LIBS = ("matplotlib", "numpy", "pillow")
FIRST_PARAGRAPH = re.compile(r"</h1>\s*<p>(.*?)</p>", re.S)
FIRST_FIGURE = re.compile(r'<figure class="wsw-figure" id="fig-([a-z0-9_]+)-([a-z0-9_]+)"')
STATE: dict = {"cards": {}, "dates": None}


# --- plain functions ---------------------------------------------------------------------------------


def plain_text(html: str) -> str:
    """Text of an HTML fragment: tags dropped (MathML keeps its characters), entities decoded,
    whitespace collapsed."""
    text = re.sub(r"<sup class=\"wsw-claim.*?</sup>", "", html, flags=re.S)  # claim markers
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(htmllib.unescape(text).split())


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def description(html: str, meta: dict | None = None) -> str | None:
    """The page's plain-language answer: front matter ``description``, else the first paragraph
    after the H1 of the rendered page, shortened to DESCRIPTION_CHARS; None if there is neither."""
    if meta and meta.get("description"):
        return " ".join(str(meta["description"]).split())
    m = FIRST_PARAGRAPH.search(html)
    text = plain_text(m.group(1)) if m else ""
    return shorten(text) if text else None


def read_series(csv_text: str, panel: str = "1") -> list[tuple[str, str, list[float], list[float]]]:
    """(label, kind, xs, ys) of each series of one panel of a figure's CSV."""
    rows = csv.DictReader(io.StringIO("\n".join(l for l in csv_text.splitlines() if not l.startswith("#"))))
    series: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for row in rows:
        if row["panel"] != panel or not row["x"] or not row["y"]:
            continue
        xs, ys = series.setdefault((row["series"], row["kind"]), ([], []))
        xs.append(float(row["x"]))
        ys.append(float(row["y"]))
    return [(label, kind, xs, ys) for (label, kind), (xs, ys) in series.items()]


def card_png(title: str, site_name: str, csv_text: str | None = None) -> bytes:
    """A 1200×630 PNG: the title, the site's name, and the first panel of the page's first figure
    (from its CSV) when there is one. The same arguments give the same bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    ink, muted, accent, paper = "#1a1a2e", "#5c5c70", "#3f51b5", "#ffffff"
    colours = ["#3f51b5", "#e65100", "#2e7d32", "#ad1457", "#0277bd"]
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "card"}):
        fig = Figure(figsize=(CARD_SIZE[0] / 100, CARD_SIZE[1] / 100), dpi=100, facecolor=paper)
        fig.patches.append(
            matplotlib.patches.Rectangle((0, 0), 0.012, 1, transform=fig.transFigure, color=accent)
        )
        series = read_series(csv_text) if csv_text else []
        width = 21 if series else 40
        lines = textwrap.wrap(title, width=width)[:5]
        fig.text(0.05, 0.86, "\n".join(lines), fontsize=34 if len(lines) < 4 else 28, color=ink,
                 va="top", ha="left", fontweight="bold", linespacing=1.25)  # fmt: skip
        fig.text(0.05, 0.08, site_name, fontsize=20, color=muted, va="bottom", ha="left")
        if series:
            ax = fig.add_axes((0.55, 0.14, 0.41, 0.72))
            for i, (_, kind, xs, ys) in enumerate(series[:5]):
                colour = colours[i % len(colours)]
                if kind == "line":
                    ax.plot(xs, ys, color=colour, lw=3)
                elif kind == "step":
                    ax.step(xs, ys, where="post", color=colour, lw=3)
                elif kind == "bar":
                    ax.bar(xs, ys, color=colour, width=0.35)
                else:
                    ax.plot(xs, ys, "o", color=colour, ms=7)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_color("#c5c5d0")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None}, facecolor=paper)
    return buffer.getvalue()


def build_date(epoch: str | None = None) -> str:
    epoch = epoch if epoch is not None else os.environ.get("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d")


def commit_dates(root: Path = ROOT) -> dict[str, str] | None:
    """{path: YYYY-MM-DD of the last commit that touched it} for docs/ and snippets/, from one
    ``git log``; None outside git."""
    try:
        proc = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--", "docs", "snippets"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    dates: dict[str, str] = {}
    for entry in proc.stdout.split("\0")[1:]:
        date, *paths = entry.split("\n")
        for path in filter(None, paths):
            dates.setdefault(path, date)  # newest first: the first date seen is the last change
    return dates


def last_changed(page_src: str, root: Path = ROOT, dates: dict[str, str] | None = None) -> str:
    """YYYY-MM-DD of the last commit that touched docs/<page> or snippets/<page name>.py; the build
    epoch's date outside git or for a file no commit touched yet."""
    dates = dates if dates is not None else commit_dates(root)
    name = posixpath.splitext(posixpath.basename(page_src))[0]
    found = [dates[p] for p in (f"docs/{page_src}", f"snippets/{name}.py") if dates and p in dates]
    found = [d for d in found if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    return max(found) if found else build_date()


def card_path(page_url: str) -> str:
    """Where a page's card lives in the site: occam/ -> assets/cards/occam.png, home -> index.png."""
    return f"{CARD_DIR}/{page_url.strip('/').replace('/', '-') or 'index'}.png"


# --- the MkDocs hook ---------------------------------------------------------------------------------


def on_pre_build(config):
    STATE["cards"] = {}
    STATE["dates"] = commit_dates()  # one git call per build


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith(".md"):
        page.update_date = last_changed(page.file.src_uri, dates=STATE.get("dates"))
    return markdown


def on_page_content(html, page, config, files):
    text = description(html, page.meta)
    if text:
        page.meta["description"] = text
    if page.url.startswith("code/"):  # generated code listings share the site's description, no card
        return html
    figure = FIRST_FIGURE.search(html)
    page.meta["card"] = card_path(page.url)
    STATE["cards"][page.meta["card"]] = (page.title or config["site_name"], figure and figure.groups())
    return html


def on_post_build(config):
    from sitebuild import cache  # importable: MkDocs loads this file after sitebuild/hook.py

    site = Path(config["site_dir"])
    for path, (title, figure) in sorted(STATE["cards"].items()):
        csv_text = None
        if figure:
            data = site / "figures" / figure[0] / f"{figure[1]}.csv"
            csv_text = data.read_text(encoding="utf-8") if data.is_file() else None
        out = site / path
        out.parent.mkdir(parents=True, exist_ok=True)
        args = (str(title), config["site_name"], csv_text)
        inputs = [*(a or "" for a in args), Path(__file__)]
        out.write_bytes(cache.blob("cards", inputs, lambda a=args: card_png(*a), LIBS))
