"""The mkdocs-jupyter adapter: the one notebook rendered as a page (``SHOWCASE``), brought to the
bar of every other page. Each workaround here has a test in tests/build/test_jupyter.py:

- page weight: mkdocs-jupyter inlines about 600 KB of JupyterLab CSS and a MathJax loader;
  ``render_page`` keeps the rendered cells and drops the rest (Material's own code blocks).
- alt text: a figure gets its fig_* function's docstring, not "No description has been provided".
- maths: raw ``$...$`` becomes arithmatex markup, which sitebuild.mathml renders like any page's.
- determinism: stable ids, no object addresses, merged stream outputs (a kernel may split prints).
- cache invalidation: mkdocs-jupyter caches an executed notebook by the notebook's bytes alone, so
  ``source`` hands it a copy with the snippet's cache key as a last comment line: an edited
  snippet (or anything it imports) re-executes the notebook, and nothing else does. The page does
  not show that line.
- cache location: its cache folder is set inside the build's one cache (sitebuild.cache), as an
  absolute path, so a build started from another folder finds it.
"""

from __future__ import annotations

import base64
import html as htmllib
import json
import posixpath
import re
from pathlib import Path

from . import cache, notebooks, registry, runner

#: Notebooks also rendered as a page of the site (notebooks/<name>/) when mkdocs-jupyter is configured.
SHOWCASE = ("occam",)
PLUGIN = "mkdocs-jupyter"


def showcase(config) -> tuple[str, ...]:
    """The notebooks this build renders as pages: SHOWCASE if mkdocs-jupyter is configured, else none
    (so a build without the plugin neither adds the page nor links to it)."""
    return SHOWCASE if PLUGIN in config["plugins"] else ()


def configure(config) -> None:
    """Point the plugin's cache into the build's one cache, as an absolute path, and drop any entry
    of it that is not whole (the plugin would crash on it, build after build)."""
    if PLUGIN in config["plugins"]:
        folder = cache.root() / "jupyter" / "executed"
        config["plugins"][PLUGIN].config["cache_dir"] = str(folder)
        for entry in folder.glob("*.json"):
            try:
                if not isinstance(json.loads(entry.read_text(encoding="utf-8")).get("content"), str):
                    raise ValueError(entry)
            except (OSError, ValueError, AttributeError):
                entry.unlink(missing_ok=True)


KEY_LINE = "# snippet inputs: "


def source(name: str, root: Path | None = None) -> Path:
    """The folder holding notebooks/<name>.py as mkdocs-jupyter should see it: the notebook plus a
    last comment line with its snippet's cache key (see the module docstring)."""
    folder = cache.root() / "jupyter" / "source"
    target = folder / "notebooks" / f"{name}.py"
    text = notebooks.path(name, root).read_text(encoding="utf-8")
    text += f"\n{KEY_LINE}{runner.cache_key(name, root)}\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:  # same bytes: stays warm
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


#: The key line as the page would show it, at the end of the last code cell: dropped from the page.
KEY_LINE_HTML_RE = re.compile(r'\s*<span class="c1">' + KEY_LINE + r"[0-9a-f]+</span>\s*$")


#
# mkdocs-jupyter executes the notebook and converts it with nbconvert's JupyterLab template: about
# 600 KB of inlined JupyterLab CSS, a MathJax and Mermaid loader, random cell ids, generic alt text
# and raw $...$ TeX. ``render_page`` keeps what it computed (the rendered Markdown, the highlighted
# code, the outputs) and rewrites it as ordinary page content: Material's own code blocks and
# typography, figures whose alt text is their fig_* function's docstring, arithmatex markup that the
# site's ``mathml.render`` turns into MathML, stable ids, and no inline CSS or JavaScript.

#: The few styles a rendered notebook needs (the hook adds it to the site as assets/notebook.css).
NOTEBOOK_CSS = """\
/* Companion notebooks rendered as pages (sitebuild/notebooks.py, render_page). */
.wsw-nb-output > pre > code { border-left: 0.2rem solid var(--md-default-fg-color--lighter); }
.wsw-nb-figure { margin: 0.6em 0 1.2em; }
/* Notebook figures are drawn in the light palette on a transparent background: keep them on white. */
.wsw-nb-figure img { display: block; max-width: 100%; height: auto; background: #fff;
  border-radius: 0.1rem; }
"""

FIG_CALL_RE = re.compile(r"\b(\w+)\.(fig_\w+)\b")  # show(occam.fig_fits) or occam.fig_fits(fig, pal)
IMPORT_RE = re.compile(r"^from snippets import (.+?)(?:\s*#.*)?$", re.M)
CODE_SPAN_RE = re.compile(r"(<code\b.*?</code>|<pre\b.*?</pre>)", re.S)
DISPLAY_PARAGRAPH_RE = re.compile(r"<p>\s*\$\$(.+?)\$\$\s*</p>", re.S)
DISPLAY_MATH_RE = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH_RE = re.compile(r"(?<![\\$])\$(?!\s)([^$]+?)(?<![\s\\])\$(?!\$)")
ADDRESS_RE = re.compile(r"\b0x[0-9a-f]{6,}\b")
TEXT_OPEN, TEXT_CLOSE = '<div class="wsw-nb-output"><pre><code>', "</code></pre></div>"
ERROR_MIMES = ("application/vnd.jupyter.stderr", "application/vnd.jupyter.error")


class NotebookError(ValueError):
    """The rendered notebook cannot meet the site's bar (the message says where and why)."""


def snippet_aliases(code: str) -> dict[str, str]:
    """{name used in the notebook: snippet module}, from its ``from snippets import ...`` lines."""
    aliases = {}
    for m in IMPORT_RE.finditer(code):
        for part in m.group(1).strip("()").split(","):
            words = part.split()  # "occam" or "generalization_mystery as gm"
            if words:
                aliases[words[-1]] = words[0]
    return aliases


def tex_to_arithmatex(html_text: str) -> str:
    """$$...$$ and $...$ outside code -> arithmatex markup, which ``mathml.render`` makes MathML."""
    parts = CODE_SPAN_RE.split(html_text)
    for i in range(0, len(parts), 2):  # the even parts lie outside <code> and <pre>
        part = DISPLAY_PARAGRAPH_RE.sub(
            lambda m: f'<div class="arithmatex">\\[{m.group(1)}\\]</div>', parts[i]
        )
        part = DISPLAY_MATH_RE.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', part)
        parts[i] = INLINE_MATH_RE.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', part)
    return "".join(parts)


def _png_size(data_uri: str) -> tuple[int, int] | None:
    if not data_uri.startswith("data:image/png;base64,"):
        return None
    head = base64.b64decode(data_uri.split(",", 1)[1][:32])  # signature and IHDR: width, height
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _palette_png(data_uri: str) -> str:
    """A notebook figure re-encoded with a 256-colour palette (Pillow, which matplotlib needs anyway):
    a plot's flat colours and anti-aliased edges fit, and the file is about a third of the size."""
    if not data_uri.startswith("data:image/png;base64,"):
        return data_uri
    return cache.text("palette-png", [data_uri, Path(__file__)], lambda: _quantized(data_uri), ("pillow",))


def _quantized(data_uri: str) -> str:
    import io

    from PIL import Image

    try:
        image = Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))
    except OSError:  # not a PNG Pillow can read: shown as it came
        return data_uri
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(buffer, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _url_dir(page_url: str) -> str:
    """The folder a page's relative links resolve against: ``a/b`` for ``a/b/`` (directory URLs),
    ``a`` for ``a/b.html``."""
    return page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)


def _inner(tag) -> str:
    return "".join(str(c) for c in tag.contents)


def render_page(
    html: str,
    page_url: str,
    name: str,
    *,
    site_url: str | None = None,
    repo_url: str | None = None,
) -> str:
    """Rewrite mkdocs-jupyter's HTML for notebooks/<name>.py as plain page content.

    ``page_url`` is the page's URL relative to the site root (MkDocs' ``page.url``, e.g.
    ``notebooks/occam/``); links to ``site_url`` become relative. Raises NotebookError for what the
    site's bar rules out: an error or a warning in the output, an object address (different on
    every run), a figure not drawn by a snippet's fig_* function (no alt text for it), or a figure
    drawn but missing from the output.
    """
    from bs4 import BeautifulSoup  # a dependency of nbconvert, so present wherever mkdocs-jupyter is

    soup = BeautifulSoup(html, "html.parser")
    # the template wraps each code cell's div in a copy of itself: keep the innermost
    cells = [c for c in soup.select("div.jp-Cell") if not c.select_one("div.jp-Cell")]
    if not cells:
        raise NotebookError(f"notebooks/{name}.py: no notebook cells in the rendered page")
    sources = [c.select_one(".clipboard-copy-txt") for c in cells]  # each code cell's plain source
    aliases = snippet_aliases("\n".join(s.get_text() for s in sources if s is not None))
    here = _url_dir(page_url) or "."
    docs: dict[str, dict[str, str]] = {}
    out = []
    for i, (cell, source) in enumerate(zip(cells, sources, strict=True)):
        where = f"notebooks/{name}.py, cell {i}"
        if "jp-MarkdownCell" in cell.get("class", []):
            body = cell.select_one(".jp-MarkdownOutput")
            if body is None:
                continue
            for a in body.select("a.anchor-link"):
                a["class"], a["title"] = ["headerlink"], "Permanent link"
            for a in body.select("a[href]"):
                if site_url and a["href"].startswith(site_url):
                    target = a["href"][len(site_url) :] or "."
                    a["href"] = posixpath.relpath(target, here) + ("/" if target.endswith("/") else "")
            text = tex_to_arithmatex(_inner(body).strip())
            out.append(f'<div class="wsw-nb-text" id="nb-cell-{i}">\n{text}\n</div>')
            if len(out) == 1:  # right after the introduction: where to get the notebook
                out.append(_download_html(name, here, repo_url))
            continue

        pre = cell.select_one("div.highlight-ipynb pre")
        code = KEY_LINE_HTML_RE.sub("\n", _inner(pre).removeprefix("<span></span>")) if pre else ""
        out.append(
            f'<div class="language-python highlight" id="nb-cell-{i}"><pre><code>{code}</code></pre></div>'
        )
        alts = []
        for alias, fig in FIG_CALL_RE.findall(source.get_text() if source else ""):
            if alias in aliases:
                doc = docs.setdefault(aliases[alias], registry.figure_docs(aliases[alias])).get(fig)
                alts += [doc] if doc else []
        for output in cell.select(".jp-OutputArea-output"):
            mime, img = output.get("data-mime-type", ""), output.select_one("img")
            if img is not None:
                if not alts:
                    raise NotebookError(f"{where}: an image no snippet fig_* function drew (no alt text)")
                size = _png_size(img.get("src", ""))
                dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
                alt, src = htmllib.escape(alts.pop(0)), _palette_png(img["src"])
                out.append(f'<figure class="wsw-nb-figure"><img alt="{alt}"{dims} src="{src}"></figure>')
            elif mime in ERROR_MIMES:
                raise NotebookError(
                    f"{where}: an error or a warning in the output:\n{output.get_text()[:500]}"
                )
            elif mime == "text/plain":
                text = _inner(output.select_one("pre") or output)
                if out[-1].startswith(TEXT_OPEN):  # the cell's previous output was text too: a kernel
                    # splits a cell's printing into stream outputs where its timing falls, between
                    # prints, inside a line or before a line's newline: joined as they came
                    text = out.pop()[len(TEXT_OPEN) : -len(TEXT_CLOSE)] + text
                if ADDRESS_RE.search(text):
                    raise NotebookError(f"{where}: an object address in the output (it differs on every run)")
                out.append(TEXT_OPEN + text + TEXT_CLOSE)
            elif mime == "text/html":
                out.append(f'<div class="wsw-nb-output">{_inner(output)}</div>')
            else:
                raise NotebookError(f"{where}: an output of type {mime!r}, which the site does not show")
        if alts:
            raise NotebookError(
                f"{where}: {len(alts)} figure(s) drawn but not in the output "
                "(is MPLBACKEND=Agg set in the build's environment? The kernel inherits it)"
            )
    out = [  # a printed text, without the newline that ends its last line
        TEXT_OPEN + o[len(TEXT_OPEN) : -len(TEXT_CLOSE)].rstrip() + TEXT_CLOSE
        if o.startswith(TEXT_OPEN)
        else o
        for o in out
    ]
    return '<div class="wsw-nb">\n' + "\n".join(out) + "\n</div>\n"


def _download_html(name: str, here: str, repo_url: str | None) -> str:
    """The download note, in HTML: MkDocs does not render a notebook page's Markdown."""
    href = posixpath.relpath(f"notebooks/{name}.ipynb", here)
    clone = f'<a href="{htmllib.escape(repo_url)}">the repository</a>' if repo_url else "the repository"
    binder = notebooks.binder_url(repo_url, name)
    launch = (
        f' Or <a href="{htmllib.escape(binder)}">launch it on Binder</a> (nothing loads until you click).'
        if binder
        else ""
    )
    return (
        '<div class="admonition example">\n<p class="admonition-title">Run this notebook yourself</p>\n'
        f'<p><a href="{href}" download="{name}.ipynb">Download the notebook (.ipynb)</a>. What you see'
        f" here ran when the site was built. It needs a clone of {clone} set up as its README says"
        f" (<code>./run</code> installs the project), then it imports <code>snippets/{name}.py</code>"
        f" from any folder.{launch}</p>\n</div>"
    )


def page_name(src_uri: str) -> str:
    """The notebook a rendered notebook page shows: ``notebooks/occam.py`` -> ``occam``."""
    return posixpath.splitext(posixpath.basename(src_uri))[0]


def edit_url(repo_url: str | None, edit_uri: str | None, name: str) -> str | None:
    """The edit link of a rendered notebook page: the source lives in notebooks/, not in docs/
    (MkDocs would point at docs/notebooks/<name>.py)."""
    if not repo_url or edit_uri is None:
        return None
    branch = posixpath.dirname(edit_uri.strip("/"))  # "edit/main/docs/" -> "edit/main"
    return f"{repo_url.rstrip('/')}/{branch}/notebooks/{name}.py"
