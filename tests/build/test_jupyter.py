"""The mkdocs-jupyter adapter (sitebuild/jupyter.py): each workaround it makes, and what it fixes --
page weight, alt text, maths, determinism, the cache's invalidation and location."""

from __future__ import annotations

import base64
import re

import pytest

from sitebuild import jupyter, notebooks, project, registry
from tests.build.test_notebooks import kernel_env

ROOT = project.ROOT


def test_tex_becomes_arithmatex_outside_code_only():
    html = "<p>The line $y = 1 + 2x$ costs <code>$5</code> and $$\\sum_k w_k$$.</p>\n<p>$$a^2$$</p>"
    out = jupyter.tex_to_arithmatex(html)
    assert '<span class="arithmatex">\\(y = 1 + 2x\\)</span>' in out
    assert "<code>$5</code>" in out
    assert '<span class="arithmatex">\\(\\sum_k w_k\\)</span>' in out
    assert '<div class="arithmatex">\\[a^2\\]</div>' in out


def test_figure_alt_text_comes_from_the_fig_docstring():
    assert jupyter.snippet_aliases("from snippets import occam, style  # noqa\n") == {
        "occam": "occam",
        "style": "style",
    }
    assert jupyter.snippet_aliases("from snippets import generalization_mystery as gm\n") == {
        "gm": "generalization_mystery"
    }
    docs = registry.figure_docs("occam")
    assert docs["fig_fits"].startswith("The line and the interpolating polynomial")


def _cell(source: str, output: str) -> str:
    """A code cell as mkdocs-jupyter's template writes it (reduced to what render_page reads)."""
    return (
        '<div class="jp-Cell jp-CodeCell"><div class="jp-Cell jp-CodeCell" id="cell-id=1a2b">'
        f'<div class="highlight-ipynb hl-python"><pre><span></span>{source}</pre></div>'
        f'<div class="clipboard-copy-txt" id="cell-1">{source}</div>'
        f'<div class="jp-OutputArea-output" {output}</div></div></div>'
    )


def test_printing_split_into_stream_outputs_renders_as_one_text():
    """A kernel splits a cell's printing into stream outputs wherever its timing falls (seen in a
    CI run: a last line's newline arrived alone); each split renders as the whole text does."""

    def printed(*chunks):
        outputs = '</div><div class="jp-OutputArea-output" '.join(
            f'data-mime-type="text/plain"><pre>{c}</pre>' for c in chunks
        )
        return jupyter.render_page(_cell("report()", outputs), "notebooks/occam/", "occam")

    whole = printed("evidence: 1.5\nCV: 0.282\n")
    assert "evidence: 1.5\nCV: 0.282</code>" in whole
    for chunks in [
        ("evidence: 1.5\n", "CV: 0.282\n"),
        ("evidence: 1.5\nCV: 0.282", "\n"),
        ("evidence: 1.", "5\nCV: 0.282\n"),
        ("evidence: 1.5", "\n", "CV: 0.282\n", ""),
    ]:
        assert printed(*chunks) == whole, chunks


def test_render_page_refuses_what_the_bar_rules_out():
    imports = _cell("from snippets import occam, style", 'data-mime-type="text/plain"><pre></pre>')
    png = 'data-mime-type="image/png"><img alt="No description" src="data:image/png;base64,AAAA">'
    page = jupyter.render_page(
        imports + _cell("occam.fig_fits(fig, style.LIGHT)", png), "notebooks/occam/", "occam"
    )
    assert 'alt="The line and the interpolating polynomial' in page and "cell-id=" not in page
    bad = {
        "no alt text": _cell("plt.plot([1, 2])", png),
        "stderr": _cell("warn()", 'data-mime-type="application/vnd.jupyter.stderr"><pre>Warning</pre>'),
        "address": _cell("print(f)", 'data-mime-type="text/plain"><pre>&lt;f at 0x7f3a2b1c9d10&gt;</pre>'),
        "figure missing": _cell(
            "occam.fig_fits(fig, style.LIGHT)", 'data-mime-type="text/plain"><pre></pre>'
        ),
    }
    for case, cell in bad.items():
        with pytest.raises(jupyter.NotebookError):
            jupyter.render_page(imports + cell, "notebooks/occam/", "occam")
            pytest.fail(case)


def test_an_edited_snippet_and_nothing_else_invalidates_the_executed_notebook(tmp_path, monkeypatch):
    """mkdocs-jupyter keys its cache by the notebook file's bytes (and its own options): the file
    ``source`` hands it carries the snippet's cache key, so editing the snippet, which the notebook
    imports, changes the plugin's key, while a rebuild without an edit keeps the same file."""
    import shutil

    from mkdocs_jupyter.plugin import _compute_cache_key

    project = tmp_path / "project"
    shutil.copytree(ROOT / "snippets", project / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    (project / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "occam.py", project / "notebooks" / "occam.py")
    monkeypatch.setenv("SITEBUILD_CACHE", str(tmp_path / "cache"))
    options = {k: None for k in ("kernel_name", "theme", "allow_errors", "show_input", "no_input")}
    options |= {k: None for k in ("no_prompt", "remove_tag_config", "highlight_extra_classes")}
    options |= {k: None for k in ("include_requirejs", "custom_mathjax_url", "toc_depth")}

    def plugin_key() -> tuple[str, int]:
        path = jupyter.source("occam", project) / "notebooks" / "occam.py"
        return _compute_cache_key(path, options, True), path.stat().st_mtime_ns

    first = plugin_key()
    assert plugin_key() == first  # nothing edited: the same key, the file not even rewritten
    snippet = project / "snippets" / "occam.py"
    snippet.write_text(snippet.read_text() + "\n# an edit\n")
    assert plugin_key()[0] != first[0]  # the snippet edited: the notebook runs again
    plain = _compute_cache_key(project / "notebooks" / "occam.py", options, True)
    snippet.write_text(snippet.read_text() + "\n# another edit\n")
    assert _compute_cache_key(project / "notebooks" / "occam.py", options, True) == plain  # what it fixes
    style = project / "snippets" / "style.py"  # an input of every snippet
    before = plugin_key()[0]
    style.write_text(style.read_text() + "\n# an edit\n")
    assert plugin_key()[0] != before


def test_the_cache_key_line_is_not_shown_on_the_page():
    key_line = f'<span class="c1">{jupyter.KEY_LINE}0123456789abcdef0123</span>\n'
    cell = _cell("print(1)\n" + key_line, 'data-mime-type="text/plain"><pre>1</pre>')
    page = jupyter.render_page(cell, "notebooks/occam/", "occam")
    assert jupyter.KEY_LINE not in page and "print(1)\n</code>" in page


def test_edit_link_points_at_the_notebook_source():
    url = jupyter.edit_url("https://github.com/o/r", "edit/main/docs/", "occam")
    assert url == "https://github.com/o/r/edit/main/notebooks/occam.py"
    assert jupyter.edit_url(None, "edit/main/docs/", "occam") is None


@pytest.mark.slow
def test_showcase_renders_to_the_sites_bar(monkeypatch):
    """mkdocs-jupyter's conversion of the showcase, post-processed: no inline CSS or JavaScript, alt
    text from the fig_* docstrings, MathML instead of raw TeX, small, and the same bytes twice."""
    from mkdocs_jupyter.convert import nb2html

    from sitebuild import mathml

    monkeypatch.chdir(ROOT)
    for key, value in kernel_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    pages = []
    for name in jupyter.SHOWCASE:
        for _ in range(2):
            raw = nb2html(
                str(notebooks.path(name)),
                execute=True,
                kernel_name="python3",
                allow_errors=False,
                no_prompt=True,
            )
            page = jupyter.render_page(raw, f"notebooks/{name}/", name, site_url="https://example.org/site/")
            pages.append(mathml.render(page, f"notebooks/{name}.py"))
        assert pages[-1] == pages[-2], f"notebooks/{name}.py renders differently on two runs"
        page = pages[-1]
        assert len(page.encode()) < 200_000, f"{len(page.encode())} bytes before the theme's ~25 KB"
        pngs = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
        assert pngs and all(base64.b64decode(p[:44])[25] == 3 for p in pngs), (
            "a notebook figure is not palette-encoded (PNG colour type 3)"
        )
        assert "<style" not in page and "<script" not in page
        assert "$" not in re.sub(r"<(pre|code)\b.*?</\1>", "", page, flags=re.S), "raw TeX left"
        assert "<math" in page
        alts = re.findall(r'<img alt="([^"]*)"', page)
        docs = set(registry.figure_docs(name).values())
        assert alts and all(a in docs for a in alts), alts
        ids = re.findall(r'id="(nb-cell-\d+)"', page)
        assert ids and len(ids) == len(set(ids))
