"""The MkDocs adapter (``hooks:`` in mkdocs.yml). Everything it does is in plain modules that run
without MkDocs; this file only connects them to MkDocs' events.

on_config     add the generated code pages to the nav; point mkdocs-jupyter's cache into ours
on_files      run every snippet (cached, parallel, isolated) and add its figures, data and code
              page to the build as generated files -- nothing is written into docs/
on_page_markdown  expand values, figures, claims and citations (unknown name -> build fails)
on_page_content   render maths to MathML
on_post_build     every local file the HTML references (Markdown or raw HTML or data-src) exists
on_serve      watch snippets/, tests/ and notebooks/ so an edit re-renders
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

# MkDocs loads a hook as a lone file, not as part of its package: make the package importable
# (needed only when the project is not installed, e.g. `mkdocs build` with another Python).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitebuild import (
    blocks,
    cache,
    checks,
    codepages,
    evidence,
    jupyter,
    mathml,
    notebooks,
    project,
    registry,
    runner,
    shortcodes,
)

log = logging.getLogger("mkdocs.plugins.sitebuild")
STATE: dict = {}
SNIPPET_BUDGET_S = 5.0


def on_startup(command, dirty):
    STATE["serve"] = command == "serve"


def failure_page(message: str) -> str:
    """What `./run serve` shows while the build fails: the error, on every page, until it is fixed."""
    body = "\n".join("    " + line for line in message.splitlines())
    title = "The build failed: fix this and save; the page reloads by itself"
    return f'!!! failure "{title}"\n\n    ```text\n{body}\n    ```\n\n'


def on_config(config):
    config["extra"]["version"] = project.version()
    jupyter.configure(config)
    names = project.page_snippets()
    nav = config.get("nav")
    if nav is not None and names:
        nav = [item for item in nav if not (isinstance(item, dict) and "Code" in item)]
        nav.append({"Code": [f"code/{name}.md" for name in names]})
        config["nav"] = nav
    return config


def _generated(config, files, path: str, **source) -> None:
    files.append(File.generated(config, path, **source))


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the showcase notebook into a page
def on_files(files, config):
    STATE["error"] = ""
    seen = {}
    for f in files:
        if f.dest_uri in seen:
            raise PluginError(
                f"sitebuild: docs/{f.src_uri} and docs/{seen[f.dest_uri]} would both be published "
                f"as {f.dest_uri}: rename one of them"
            )
        seen[f.dest_uri] = f.src_uri
    try:
        results = runner.render_all(project.page_snippets())
    except runner.SnippetError as exc:
        if not STATE.get("serve"):
            raise PluginError(f"sitebuild: snippet failed, build stopped.\n{exc}") from None
        log.info("sitebuild: BUILD ERROR, shown on the pages until fixed:\n%s", exc)  # info: strict mode
        # would count an error or warning and abort, leaving the browser waiting
        results, STATE["error"] = exc.results, str(exc)
    executed = sorted(name for name, r in results.items() if r.executed)
    log.info("sitebuild: %d snippets, executed: %s", len(results), ", ".join(executed) or "none (cache)")
    for name in executed:  # the budget of CONTRIBUTING.md, "The snippet"
        seconds = results[name].seconds
        over = f" -- over the {SNIPPET_BUDGET_S:g} s budget" if seconds > SNIPPET_BUDGET_S else ""
        log.info("sitebuild: snippets/%s.py ran in %.1f s%s", name, seconds, over)
    for name, result in results.items():
        for fname in result.manifest["figures"] + result.manifest["data"]:
            _generated(
                config, files, f"{project.FIGURE_DIR}/{name}/{fname}", abs_src_path=str(result.folder / fname)
            )
    for name in project.page_snippets():  # every code page, even of a snippet that failed (serve)
        inputs = [project.SNIPPETS / f"{name}.py", project.TESTS / f"test_{name}.py"]
        page = cache.text(
            "code",
            [name, Path(codepages.__file__), *[p for p in inputs if p.is_file()]],
            lambda name=name: codepages.code_page(name, project.ROOT),
        )
        _generated(config, files, f"code/{name}.md", content=page)
    for name in notebooks.names():
        source = notebooks.path(name)
        ipynb = cache.text(
            "ipynb",
            [source, Path(notebooks.__file__)],
            lambda s=source: notebooks.to_ipynb(s),
            libs=["jupytext"],
        )
        _generated(config, files, f"notebooks/{name}.ipynb", content=ipynb)
    for name in jupyter.showcase(config):
        src_dir = jupyter.source(name)
        files.append(
            File(f"notebooks/{name}.py", str(src_dir), config["site_dir"], config["use_directory_urls"])
        )
    _generated(config, files, "assets/notebook.css", content=jupyter.NOTEBOOK_CSS)
    try:
        sources, tests = registry.sources(), registry.test_claims()
    except registry.RegistryError as exc:
        raise PluginError(f"sitebuild: {exc}") from None
    STATE["ctx"] = shortcodes.Context.from_results(results, sources, tests, evidence.load())
    STATE["unchecked"] = []
    STATE["ctx"].blocks = blocks.make(STATE["ctx"], results)
    return files


def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.endswith(".md"):
        return markdown  # the showcase notebook: mkdocs-jupyter renders it
    try:
        text = shortcodes.expand(markdown, page.file.src_uri, STATE["ctx"])
    except (shortcodes.ShortcodeError, registry.RegistryError) as exc:
        if not STATE.get("serve"):
            raise PluginError(f"sitebuild: bad shortcode, build stopped.\n{exc}") from None
        log.info("sitebuild: BUILD ERROR, shown on the page until fixed:\n%s", exc)
        return failure_page(STATE["error"] or str(exc)) + f"# {page.title or page.file.src_uri}\n"
    if STATE["error"]:
        text = failure_page(STATE["error"]) + text
    for claim in registry.claims_in(markdown, page.file.src_uri):
        if claim.kind != "computed":
            continue
        ok, why = STATE["ctx"].checked(claim.id)
        if not ok:
            STATE["unchecked"].append(f"docs/{claim.page}:{claim.line}: claim '{claim.id}': {why}")
            log.info("sitebuild: not yet checked: docs/%s:%d: %s (%s)", claim.page, claim.line, claim.id, why)
    return text + notebooks.download_admonition(
        page.file.src_uri, config.get("repo_url"), rendered=jupyter.showcase(config)
    )


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".py"):  # the showcase notebook, as mkdocs-jupyter rendered it
        name = jupyter.page_name(page.file.src_uri)
        try:
            html = jupyter.render_page(
                html, page.url, name, site_url=config.get("site_url"), repo_url=config.get("repo_url")
            )
        except jupyter.NotebookError as exc:
            raise PluginError(f"sitebuild: {exc}") from None
        page.edit_url = jupyter.edit_url(config.get("repo_url"), config.get("edit_uri"), name)
        # out of the search index: its chapter has the same text, and search should find that first
        page.meta["search"] = {"exclude": True}
    try:
        where = f"docs/{page.file.src_uri}"
        return cache.text(
            "mathml", [html, Path(mathml.__file__)], lambda: mathml.render(html, where), libs=mathml.LIBS
        )
    except mathml.MathError as exc:
        raise PluginError(f"sitebuild: {exc}") from None


def on_env(env, config, files):
    """The release build publishes no claim without a current pass (sitebuild.evidence)."""
    if evidence.release() and STATE["unchecked"]:
        raise PluginError(
            "sitebuild: release build refused: claims without a passing test on these inputs "
            "(run the tests, then build):\n" + "\n".join(STATE["unchecked"])
        )
    return env


def on_post_build(config):
    base = urlsplit(config.get("site_url") or "/").path or "/"
    problems = checks.missing_references(config["site_dir"], base, project.MADE_AFTER_BUILD)
    if problems and not STATE.get("error"):  # while serve shows an error, its pages lack files
        raise PluginError(
            "sitebuild: pages reference files that are not in the site:\n" + "\n".join(problems)
        )


def on_serve(server, config, builder):
    for folder in (project.SNIPPETS, project.TESTS, project.ROOT / "notebooks"):
        if folder.is_dir():  # watching a missing folder crashes the server
            server.watch(str(folder))
    return server
