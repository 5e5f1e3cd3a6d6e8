"""The MkDocs adapter (``hooks:`` in mkdocs.yml). Everything it does is in plain modules that run
without MkDocs; this file only connects them to MkDocs' events.

on_config     add the generated code pages to the nav
on_files      run every snippet (cached, parallel, isolated) and add its figures, data and code
              page to the build as generated files -- nothing is written into docs/
on_page_markdown  expand values, figures, claims and citations (unknown name -> build fails)
on_page_content   render maths to MathML
on_post_build     every local file the HTML references (Markdown or raw HTML or data-src) exists
on_serve      watch snippets/ and tests/ so an edited snippet re-renders
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

# MkDocs loads a hook as a lone file, not as part of its package: make the package importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitebuild import (
    blocks,
    checks,
    codepages,
    mathml,
    memo,
    notebooks,
    project,
    registry,
    runner,
    shortcodes,
)

log = logging.getLogger("mkdocs.plugins.sitebuild")
STATE: dict = {}


def on_config(config):
    config["extra"]["version"] = project.version()
    names = project.page_snippets()
    nav = config.get("nav")
    if nav is not None and names:
        nav = [item for item in nav if not (isinstance(item, dict) and "Code" in item)]
        nav.append({"Code": [f"code/{name}.md" for name in names]})
        config["nav"] = nav
    return config


def code_inputs(name: str) -> list[Path]:
    return [project.SNIPPETS / f"{name}.py", project.TESTS / f"test_{name}.py"]


def showcase_source(name: str) -> Path:
    """The showcase notebook as mkdocs-jupyter should see it: the notebook plus a last comment line
    holding the cache key of its snippet. mkdocs-jupyter caches an executed notebook by the
    notebook's bytes alone; with the key in those bytes, an edited snippet (or anything it imports)
    re-executes the notebook, and nothing else does."""
    folder = runner.cache_dir().parent / "showcase"
    target = folder / "notebooks" / f"{name}.py"
    text = notebooks.path(name).read_text() + f"\n# snippet inputs: {runner.cache_key(name)}\n"
    if not target.is_file() or target.read_text() != text:  # unchanged bytes keep the cache warm
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return folder


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the showcase notebook into a page
def on_files(files, config):
    try:
        results = runner.render_all(project.page_snippets())
    except runner.SnippetError as exc:
        raise PluginError(f"sitebuild: snippet failed, build stopped.\n{exc}") from None
    executed = sorted(name for name, r in results.items() if r.executed)
    log.info("sitebuild: %d snippets, executed: %s", len(results), ", ".join(executed) or "none (cache)")
    for name, result in results.items():
        for fname in result.manifest["figures"] + result.manifest["data"]:
            files.append(
                File.generated(
                    config, f"{project.FIGURE_DIR}/{name}/{fname}", abs_src_path=str(result.folder / fname)
                )
            )
        page = memo.text(
            "code",
            [name, Path(codepages.__file__), *[p for p in code_inputs(name) if p.is_file()]],
            lambda name=name: codepages.code_page(name, project.ROOT),
        )
        files.append(File.generated(config, f"code/{name}.md", content=page))
    for name in notebooks.names():
        source = notebooks.path(name)
        ipynb = memo.text("ipynb", [source, Path(notebooks.__file__)], lambda s=source: notebooks.to_ipynb(s))
        files.append(File.generated(config, f"notebooks/{name}.ipynb", content=ipynb))
    for name in notebooks.showcase(config):
        src_dir = showcase_source(name)
        files.append(
            File(f"notebooks/{name}.py", str(src_dir), config["site_dir"], config["use_directory_urls"])
        )
    files.append(File.generated(config, "assets/notebook.css", content=notebooks.NOTEBOOK_CSS))
    try:
        sources, tests = registry.sources(), registry.test_claims()
    except registry.RegistryError as exc:
        raise PluginError(f"sitebuild: {exc}") from None
    STATE["ctx"] = shortcodes.Context(
        values={n: r.values for n, r in results.items()},
        figures={n: [f.split(".")[0] for f in r.manifest["figures"]] for n, r in results.items()},
        data={n: [f.split(".")[0] for f in r.manifest["data"]] for n, r in results.items()},
        sources=sources,
        tests=tests,
    )
    STATE["ctx"].blocks = blocks.make(STATE["ctx"], results)
    return files


def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.endswith(".md"):
        return markdown  # the showcase notebook: mkdocs-jupyter renders it
    try:
        text = shortcodes.expand(markdown, page.file.src_uri, STATE["ctx"])
    except (shortcodes.ShortcodeError, registry.RegistryError) as exc:
        raise PluginError(f"sitebuild: bad shortcode, build stopped.\n{exc}") from None
    for claim in registry.claims_in(markdown, page.file.src_uri):
        if claim.kind == "computed" and not STATE["ctx"].tests.get(claim.id):
            log.warning("sitebuild: docs/%s:%d: claim '%s' has no test", claim.page, claim.line, claim.id)
    return text + notebooks.download_admonition(
        page.file.src_uri, config.get("repo_url"), rendered=notebooks.showcase(config)
    )


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".py"):  # the showcase notebook, as mkdocs-jupyter rendered it
        name = notebooks.page_name(page.file.src_uri)
        try:
            html = notebooks.render_page(
                html, page.url, name, site_url=config.get("site_url"), repo_url=config.get("repo_url")
            )
        except notebooks.NotebookError as exc:
            raise PluginError(f"sitebuild: {exc}") from None
        page.edit_url = notebooks.edit_url(config.get("repo_url"), config.get("edit_uri"), name)
    try:
        where = f"docs/{page.file.src_uri}"
        return memo.text("mathml", [html, Path(mathml.__file__)], lambda: mathml.render(html, where))
    except mathml.MathError as exc:
        raise PluginError(f"sitebuild: {exc}") from None


def on_post_build(config):
    base = urlsplit(config.get("site_url") or "/").path or "/"
    problems = checks.missing_references(config["site_dir"], base)
    if problems:
        raise PluginError(
            "sitebuild: pages reference files that are not in the site:\n" + "\n".join(problems)
        )


def on_serve(server, config, builder):
    for folder in (project.SNIPPETS, project.TESTS, project.ROOT / "notebooks"):
        server.watch(str(folder))
    return server
