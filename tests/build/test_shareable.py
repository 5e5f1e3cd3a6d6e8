"""What lets readers reuse the site: a citation file, automated dependency updates, a Binder
environment for the companion notebooks, and (further down) the PDF, figure data and share cards.

Everything is checked offline: check-jsonschema validates CITATION.cff and .github/dependabot.yml
against the schemas it bundles (``vendor.citation-file-format``, ``vendor.dependabot``), and the
Binder environment's package list is derived from the notebooks' own imports with ast. The one test
that reaches a package registry (``slow``) builds the Binder environment from exactly
``binder/requirements.txt`` in a fresh venv, cached under ``.cache/binder/`` by the file's hash,
imports there every module the notebooks and their snippets import, and runs one notebook in it
(every notebook runs in the project's venv, test_notebooks.py, whose versions Binder pins exactly).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BINDER = ROOT / "binder"
#: What the Binder environment needs beyond the notebooks' imports: the kernel that runs them, and
#: jupytext, which binder/postBuild uses to turn notebooks/*.py into the .ipynb the links open.
BINDER_EXTRA = {"ipykernel", "jupytext"}


def notebook_names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "notebooks").glob("*.py") if not p.stem.startswith("_"))


def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is not installed in {BIN}: pip install -r requirements.txt"
    return str(path)


def _schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", schema, *(str(f) for f in files)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


# --- CITATION.cff ---------------------------------------------------------------------------------


def test_citation_file_matches_the_cff_schema():
    proc = _schema_check("vendor.citation-file-format", ROOT / "CITATION.cff")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_cff_check_would_catch_a_broken_citation(tmp_path):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    del cff["title"]
    cff["date-released"] = "22 November 2026"
    bad = tmp_path / "CITATION.cff"
    bad.write_text(yaml.safe_dump(cff))
    proc = _schema_check("vendor.citation-file-format", bad)
    assert proc.returncode != 0, proc.stdout


def test_citation_names_the_latest_release_of_the_changelog():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    releases = re.findall(
        r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})", (ROOT / "CHANGELOG.md").read_text(), re.M
    )
    assert releases, "CHANGELOG.md has no release heading '## [x.y.z] - YYYY-MM-DD'"
    assert (str(cff["version"]), str(cff["date-released"])) == releases[0]
    config = (ROOT / "mkdocs.yml").read_text()
    assert f"site_url: {cff['url']}" in config
    assert f"repo_url: {cff['repository-code']}" in config


# --- Dependabot ------------------------------------------------------------------------------------


def test_dependabot_config_matches_its_schema():
    proc = _schema_check("vendor.dependabot", ROOT / ".github" / "dependabot.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_dependabot_check_would_catch_a_broken_config(tmp_path):
    bad = tmp_path / "dependabot.yml"
    bad.write_text("version: 2\nupdates:\n  - package-ecosystem: pip\n    schedule: weekly\n")
    proc = _schema_check("vendor.dependabot", bad)
    assert proc.returncode != 0, proc.stdout


def test_dependabot_updates_pip_and_the_actions():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    updates = {
        (u["package-ecosystem"], directory)
        for u in config["updates"]
        for directory in u.get("directories", [u.get("directory")])
    }
    assert {("pip", "/"), ("pip", "/binder"), ("github-actions", "/")} <= updates
    for ecosystem, directory in updates:
        assert (ROOT / directory.strip("/")).is_dir(), f"{ecosystem}: no folder {directory}"
    (pip,) = [u for u in config["updates"] if u["package-ecosystem"] == "pip"]
    # both requirement files get each bump in the same pull request (their pins must stay equal)
    assert all(g.get("group-by") == "dependency-name" for g in pip["groups"].values())


# --- Binder: binder/requirements.txt is what the notebooks import ----------------------------------


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports (dotted), including ``from pkg import mod`` candidates and
    ``__import__("name")`` calls."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(node.args[0].value)
    return found


def notebook_third_party_modules(root: Path = ROOT) -> set[str]:
    """The top-level third-party modules that notebooks/*.py and the snippets they import (followed
    through every ``snippets.*`` import) import."""
    return _notebook_imports(root)[0]


def notebook_snippets(root: Path = ROOT) -> set[str]:
    """The snippet modules notebooks/*.py import, directly or through another snippet."""
    return _notebook_imports(root)[1]


def _notebook_imports(root: Path) -> tuple[set[str], set[str]]:
    todo = sorted((root / "notebooks").glob("[!_]*.py"))
    seen: set[Path] = set()
    modules: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for dotted in _imported_modules(path):
            top, _, rest = dotted.partition(".")
            if top == "snippets":
                sub = root / "snippets" / (f"{rest.split('.')[0]}.py" if rest else "__init__.py")
                if sub.is_file():
                    todo.append(sub)
            elif top not in sys.stdlib_module_names and top != "__future__":
                modules.add(top)
    return modules, {p.stem for p in seen if p.parent.name == "snippets" and p.stem != "__init__"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)", line)
        if m:
            pins[_canonical(m.group(1))] = m.group(2)
    return pins


def binder_requirements_wanted() -> dict[str, str]:
    """{distribution: version} binder/requirements.txt should pin."""
    dists = importlib.metadata.packages_distributions()
    wanted = set(BINDER_EXTRA)
    for module in notebook_third_party_modules():
        assert module in dists, f"the notebooks import {module}, which no installed distribution provides"
        wanted |= {_canonical(d) for d in dists[module]}
    pinned = _pins(ROOT / "requirements.txt")
    missing = sorted(wanted - set(pinned))
    assert not missing, f"the notebooks need {missing}, which requirements.txt does not pin"
    return {name: pinned[name] for name in sorted(wanted)}


def test_the_import_scan_sees_the_notebooks_needs():
    modules = notebook_third_party_modules()
    assert {"numpy", "matplotlib"} <= modules
    assert "cycler" in modules  # snippets/style.py: __import__("cycler"), found through `from snippets.style`
    assert not modules & {"snippets", "sitebuild", "os", "functools"}


def test_binder_requirements_are_what_the_notebooks_import():
    wanted = binder_requirements_wanted()
    have = _pins(BINDER / "requirements.txt")
    lines = [line for line in (BINDER / "requirements.txt").read_text().splitlines() if line.strip()]
    entries = [line for line in lines if not line.lstrip().startswith("#")]
    assert len(entries) == len(have), f"binder/requirements.txt: every entry must be name==version: {entries}"
    expected = "\n".join(f"{name}=={version}" for name, version in wanted.items())
    assert have == wanted, f"binder/requirements.txt should list exactly:\n{expected}"


def test_postbuild_installs_the_project_and_makes_the_ipynb():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    text = post.read_text()
    assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text
    assert re.search(r"^python -m pip install .*--no-deps -e \.$", text, re.M)
    assert re.search(r"^jupytext --to ipynb notebooks/\*\.py$", text, re.M)
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


# --- Binder: every notebook runs in a fresh venv made from exactly binder/requirements.txt ---------


def _binder_venv() -> Path:
    """A venv with exactly binder/requirements.txt and the project (editable, as postBuild installs
    it), made once per version of the file: .cache/binder/<hash>/ (older ones are removed)."""
    digest = hashlib.sha256((BINDER / "requirements.txt").read_bytes()).hexdigest()[:16]
    cache = ROOT / ".cache" / "binder"
    venv = cache / digest
    if (venv / "ready").is_file():
        return venv
    if cache.is_dir():
        for old in cache.iterdir():
            shutil.rmtree(old, ignore_errors=True)
    run = dict(capture_output=True, text=True, timeout=900, check=False)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    steps = [
        [sys.executable, "-m", "venv", str(venv)],  # no --system-site-packages: nothing leaks in
        # the same pins pip installs on Binder, with uv where ./run installed it (seconds, not a minute)
        [
            sys.executable,
            "-m",
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            "-r",
            str(BINDER / "requirements.txt"),
        ]
        if importlib.util.find_spec("uv")
        else [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",  # byte-compiling all of scipy is most of the install's time
            "-r",
            str(BINDER / "requirements.txt"),
        ],
        # postBuild's first step, run against this clone
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)],
    ]
    for cmd in steps:
        proc = subprocess.run(cmd, env=env, cwd=ROOT, **run)
        assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"
    (venv / "ready").write_text(digest + "\n")
    return venv


#: as tests/build/test_notebooks.py: a notebook runs in about 10 s; this only catches a runaway
RUN_LIMIT_S = 60


def _kernel_env() -> dict:
    """The kernel's environment as tests/build/test_notebooks.py sets it: no inherited MPLBACKEND
    (an ``Agg`` there drops every inline figure), one BLAS thread, no debugger warning."""
    env = {k: v for k, v in os.environ.items() if k not in {"MPLBACKEND", "PYTHONPATH"}}
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


@pytest.fixture(scope="module")
def binder_kernel(tmp_path_factory):
    """(kernel manager factory, folder of the .ipynb made the way postBuild makes them)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    venv = _binder_venv()
    python = venv / "bin" / "python"
    isolated = subprocess.run(
        [str(python), "-c", "import sys, sklearn"], capture_output=True, text=True, check=False
    )
    assert isolated.returncode != 0, "the Binder venv sees packages it did not install"

    specs = tmp_path_factory.mktemp("kernels")
    (specs / "python3").mkdir()
    (specs / "python3" / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Binder environment",
                "language": "python",
            }
        )
    )
    ipynb = tmp_path_factory.mktemp("binder-notebooks")
    for name in notebook_names():
        shutil.copyfile(ROOT / "notebooks" / f"{name}.py", ipynb / f"{name}.py")
    proc = subprocess.run(
        f"{venv / 'bin' / 'jupytext'} --to ipynb *.py",  # as binder/postBuild does
        shell=True,
        cwd=ipynb,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

    def manager():
        ksm = KernelSpecManager(kernel_dirs=[str(specs)], ensure_native_kernel=False)
        return KernelManager(kernel_name="python3", kernel_spec_manager=ksm)

    return manager, ipynb, venv


@pytest.mark.slow
def test_binder_environment_imports_what_the_notebooks_import(binder_kernel):
    """Every third-party module the scan finds (imports inside functions too), and every snippet a
    notebook imports, imports in the Binder venv: nothing the notebooks need is missing there."""
    _, _, venv = binder_kernel
    modules = sorted(notebook_third_party_modules())
    snippets = sorted(notebook_snippets())
    assert snippets, "the notebooks import no snippet"
    code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\n"
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code, *modules, *(f"snippets.{s}" for s in snippets)],
        cwd=venv,  # not the repository: snippets must come from the editable install
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"in the Binder venv: {proc.stderr[-2000:]}"


#: Run in the Binder venv as well: the showcase notebook (each notebook runs in the project's venv).
BINDER_RUNS = ("occam",)


@pytest.mark.slow
@pytest.mark.parametrize("name", BINDER_RUNS)
def test_notebook_runs_in_the_binder_environment(name, binder_kernel):
    import nbclient
    import nbformat

    manager, ipynb, venv = binder_kernel
    nb = nbformat.read(ipynb / f"{name}.ipynb", as_version=4)
    km = manager()
    client = nbclient.NotebookClient(
        nb,
        km=km,
        timeout=RUN_LIMIT_S,
        allow_errors=False,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    env = {
        **_kernel_env(),
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    client.execute(env=env)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{name}: no figure on Binder"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{name} wrote to stderr in the Binder environment:\n{''.join(stderr)}"


# --- The whole site as one PDF (tools/pdf.py, `./run pdf`) ------------------------------------------


def _tools_pdf():
    from tools import pdf

    return pdf


def _pages_of(site: Path) -> list[tuple[str, str]]:
    """(docs path, H1 text) of every Markdown page of the nav, read from the built HTML."""
    pdf = _tools_pdf()
    out = []
    for _, _, src in pdf.nav_pages(pdf.read_config(ROOT / "mkdocs.yml")["nav"]):
        text = pdf.built_file(site, pdf.page_url(src)).read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
        assert h1, f"{src}: no H1 in the built page"
        title = re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", h1.group(1))
        out.append((src, " ".join(htmlunescape(title).split())))
    return out


def htmlunescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_combined_document_holds_light_figures_maths_and_local_links_only(tmp_path, monkeypatch):
    """tools/pdf.py on a tiny built site: ids prefixed per page, links between pages become
    in-document anchors, other links go to the published site, only light figures, eager images."""
    pdf = _tools_pdf()
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "figures").mkdir()
    (site / "figures" / "f.light.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    article = '<article class="md-content__inner md-typeset">{}</article>'
    (site / "index.html").write_text(
        article.format(
            '<a class="md-content__button" href="https://x/edit">edit</a>'
            '<h1 id="home">Home<a class="headerlink" href="#home">¶</a></h1>'
            '<p><a href="a/#sec">to a</a> <a href="code/a/#fig_f">code</a> <a href="#home">top</a>'
            ' <a href="https://example.org/">out</a> <math><mi>λ</mi></math></p>'
        )
    )
    (site / "a" / "index.html").write_text(
        article.format(
            '<h1 id="a">Page A</h1><h2 id="sec">Sec</h2><figure>'
            '<img loading="lazy" src="../figures/f.light.svg#only-light" alt="f">'
            '<img loading="lazy" src="../figures/f.dark.svg#only-dark" alt="f"></figure>'
        )
    )
    config = {"site_name": "S", "site_url": "https://h.example/base/", "nav": [{"Home": "index.md"}, "a.md"]}
    monkeypatch.chdir(site.parent)  # a relative site folder, as `python -m tools.pdf site` passes
    doc, titles = pdf.combined_html(Path(site.name), config)
    assert titles == ["Home", "Page A"]
    assert 'href="#a--sec"' in doc and 'href="#index--home"' in doc and 'id="a--sec"' in doc
    assert 'href="https://h.example/base/code/a/#fig_f"' in doc
    assert 'href="https://example.org/"' in doc
    assert "only-dark" not in doc and "only-light" not in doc and "loading=" not in doc
    assert (site / "figures" / "f.light.svg").as_uri() in doc
    assert "edit" not in doc.split("<nav", 1)[1] and "headerlink" not in doc
    assert "<math><mi>λ</mi></math>" in doc
    assert '<a href="#index">Home</a>' in doc and '<a href="#a">Page A</a>' in doc  # the contents


@pytest.fixture(scope="module")
def site_pdf(built_site, tmp_path_factory):
    """The real site printed twice, outside the built site (which other tests compare with a second
    build): (first print, second print)."""
    pdf = _tools_pdf()
    folder = tmp_path_factory.mktemp("pdf")
    first, _ = pdf.build(built_site, folder / pdf.PDF_NAME)
    second, _ = pdf.build(built_site, folder / "again.pdf")
    return first, second


def _pdftotext(path: Path) -> str:
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext is needed (apt-get install poppler-utils; ./run test installs it)"
    proc = subprocess.run(
        [exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120, check=True
    )
    return proc.stdout.decode("utf-8")


@pytest.mark.slow
def test_pdf_is_the_same_bytes_on_two_runs(site_pdf):
    first, second = site_pdf
    assert first.read_bytes() == second.read_bytes(), "two prints of the same site differ"


@pytest.mark.slow
def test_pdf_metadata_is_fixed(site_pdf):
    import pikepdf

    with pikepdf.open(site_pdf[0]) as doc:
        info = {str(k): str(v) for k, v in doc.docinfo.items()}
        assert info["/Title"] == "Why small weights generalize"
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1700000000"))
        from datetime import UTC, datetime

        assert info["/CreationDate"] == datetime.fromtimestamp(epoch, UTC).strftime("D:%Y%m%d%H%M%SZ")
        assert info["/ModDate"] == info["/CreationDate"]
        assert "/Metadata" not in doc.Root


@pytest.mark.slow
def test_pdf_has_every_chapter_and_no_raw_tex(site_pdf, built_site):
    import pikepdf

    path = site_pdf[0]
    with pikepdf.open(path) as doc:
        pages = len(doc.pages)
    chapters = _pages_of(built_site)
    assert len(chapters) >= 15
    assert 3 * len(chapters) <= pages <= 400, f"{pages} pages for {len(chapters)} chapters"
    assert path.stat().st_size < 15_000_000, f"{path.stat().st_size} bytes"
    text = _pdftotext(path)
    flat = " ".join(text.split())
    missing = [title for _, title in chapters if title not in flat]
    assert not missing, f"chapter titles missing from the PDF text: {missing}"
    # a few key sentences: the first sentence of each chapter's plain-language answer
    for src, _ in chapters:
        page = built_site / _tools_pdf().page_url(src) / "index.html"
        first_p = re.search(r"</h1>\s*<p>(.*?)</p>", page.read_text(encoding="utf-8"), re.S)
        if not first_p or "<math" in first_p.group(1):
            continue
        sentence = " ".join(htmlunescape(re.sub(r"<[^>]+>", "", first_p.group(1))).split())
        sentence = re.split(r"(?<=[.?!])\s", sentence)[0]
        assert sentence in flat, f"{src}: {sentence!r} is not in the PDF"
    # no raw TeX: the building page names the syntax as "$...$" and "$$...$$", nothing else may
    for literal in ("$$...$$", "$...$"):
        flat = flat.replace(literal, "")
    assert "$" not in flat, (
        f"raw TeX in the PDF: {flat[max(0, flat.index('$') - 60) : flat.index('$') + 60]!r}"
    )
    tex = re.findall(r"\\(?:frac|lambda|sum|mathbf|mathrm|sqrt|left|right|operatorname|[a-z]{3,})\b", flat)
    assert not tex, f"raw TeX commands in the PDF: {sorted(set(tex))[:10]}"
    assert "λ" in flat and "∑" in flat  # the maths was rendered (MathML), not dropped


@pytest.mark.slow
def test_pdf_internal_links_and_outline_work(site_pdf):
    import pikepdf

    with pikepdf.open(site_pdf[0]) as doc:
        dests = set(doc.Root.Dests.keys()) if "/Dests" in doc.Root else set()
        internal, external = [], []
        for page in doc.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                if "/Dest" in annot:
                    internal.append(str(annot.Dest))
                elif "/A" in annot and annot.A.get("/S") == "/URI":
                    external.append(str(annot.A.URI))
        with doc.open_outline() as outline:
            top = [str(item.title) for item in outline.root]
    assert len(internal) > 200, f"only {len(internal)} internal links"
    dangling = sorted({d for d in internal if d not in dests})
    assert not dangling, f"internal links to no destination: {dangling[:10]}"
    assert not [u for u in external if u.startswith(("file:", "about:"))], "links to local files"
    assert "Is the simpler model more likely to be right?" in top


@pytest.mark.skipif(not os.environ.get("WSW_RELEASED_SITE"), reason="./run test sets WSW_RELEASED_SITE")
def test_released_site_with_its_pdf_has_no_broken_link():
    """The last step of ./run test: the release build with its PDF (tools/pdf.py), link-checked, so
    the home page's link to the PDF resolves in what is deployed."""
    from tests.build.test_links import check_site

    site = ROOT / os.environ["WSW_RELEASED_SITE"]
    pdf = site / _tools_pdf().PDF_NAME
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-"), f"no PDF at {pdf}"
    broken, _ = check_site(site)
    assert not broken, f"{len(broken)} broken internal links or anchors:\n" + "\n".join(broken[:30])


# --- Binder links ------------------------------------------------------------------------------------


def _repo_url() -> str:
    return re.search(r"^repo_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)


def test_binder_link_is_a_plain_link_to_the_repository_and_the_ipynb():
    from sitebuild import notebooks

    repo = _repo_url()
    owner_repo = repo.removeprefix("https://github.com/").rstrip("/")
    text = notebooks.download_admonition("occam.md", repo)
    url = f"https://mybinder.org/v2/gh/{owner_repo}/HEAD?labpath=notebooks%2Foccam.ipynb"
    assert f"[launch it on Binder]({url})" in text
    assert not re.search(r"<(iframe|img|script)|!\[", text), "the Binder link must load nothing"
    assert notebooks.binder_url("https://gitlab.com/o/r", "occam") is None
    assert "mybinder" not in notebooks.download_admonition("occam.md", "https://example.org/repo")
    # the .ipynb the link opens is the one binder/postBuild makes from notebooks/occam.py
    assert (ROOT / "notebooks" / "occam.py").is_file()
    assert "jupytext --to ipynb notebooks/*.py" in (BINDER / "postBuild").read_text()


@pytest.mark.slow
def test_every_notebook_page_links_binder(built_site):
    for name in notebook_names():
        html = (built_site / name / "index.html").read_text(encoding="utf-8")
        assert f"labpath=notebooks%2F{name}.ipynb" in html, f"{name}: no Binder link on the page"


# --- Data beside every figure (sitebuild/worker.py figure_table, the caption's links) ---------------


def _read_table(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO("\n".join(l for l in text.splitlines() if not l.startswith("#")))))


def test_figure_table_takes_lines_points_and_bars_in_data_coordinates():
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    from matplotlib.figure import Figure

    from sitebuild import worker

    fig = Figure()
    ax, ax2 = fig.subplots(1, 2)
    ax.plot([0, 1, 2], [1, 3, 5], label="rising")
    ax.scatter([0.5, 1.5], [2, 4], label="dots")
    ax.axhline(2.5)  # a reference line in axes coordinates: not data
    ax.axvspan(0, 1, alpha=0.2)  # a span: not data
    ax.set_xlabel("time (s)")
    ax.set_ylabel("height (m)")
    ax2.bar([1, 2], [7, 8], width=0.5)
    ax2.stairs([3, 4], [0, 1, 2], label="histogram")
    ax2.imshow(np.zeros((3, 3)))
    ax2.plot(np.arange(10_000.0), np.arange(10_000.0) ** 2)  # thinned, first and last points kept
    text = worker.figure_table(fig, "demo/fig")
    assert "#   1: x = time (s); y = height (m)" in text
    assert "panel 2 also has an image" in text
    rows = _read_table(text)
    first = [(r["series"], r["kind"], float(r["x"]), float(r["y"])) for r in rows if r["panel"] == "1"]
    assert first == [
        ("rising", "line", 0, 1),
        ("rising", "line", 1, 3),
        ("rising", "line", 2, 5),
        ("dots", "points", 0.5, 2),
        ("dots", "points", 1.5, 4),
    ]
    bars = [(float(r["x"]), float(r["y"])) for r in rows if r["kind"] == "bar"]
    assert bars == [(1, 7), (2, 8)]
    steps = [(r["series"], r["x"], r["y"]) for r in rows if r["kind"] == "step"]
    assert steps == [("histogram", "0", "3"), ("histogram", "1", "4"), ("histogram", "2", "")]
    long = [r for r in rows if r["panel"] == "2" and r["kind"] == "line"]
    assert len(rows) <= worker.TABLE_ROWS and len(long) > 100
    assert (float(long[0]["x"]), float(long[-1]["x"])) == (0, 9999)
    assert float(long[-1]["y"]) == pytest.approx(9999.0**2, rel=1e-6)  # 7 significant digits


def _occam_table(name: str) -> dict[str, list[tuple[float, float]]]:
    from sitebuild import runner

    result = runner.render_all(["occam"])["occam"]
    assert f"{name}.csv" in result.manifest["figures"]
    series: dict[str, list[tuple[float, float]]] = {}
    for row in _read_table((result.folder / f"{name}.csv").read_text()):
        series.setdefault(row["series"], []).append((float(row["x"]), float(row["y"])))
    return series


def _assert_on_grid(xy, grid, fn, label):
    """Each (x, y) of the CSV is a point of the snippet's own grid (x rounded to 7 digits), and y is
    the snippet's function at that grid point."""
    import numpy as np

    xy, grid = np.asarray(xy), np.asarray(grid)
    idx = np.abs(grid[None, :] - xy[:, :1]).argmin(axis=1)
    np.testing.assert_allclose(xy[:, 0], grid[idx], rtol=1e-6, atol=1e-9, err_msg=label)
    np.testing.assert_allclose(xy[:, 1], fn(grid[idx]), rtol=1e-6, atol=1e-9, err_msg=label)


def test_occam_fits_csv_holds_the_snippets_numbers():
    import numpy as np

    from snippets import occam

    series = _occam_table("fits")
    x, y = occam.observations()
    points = np.array(series["the ten observations"])
    np.testing.assert_allclose(points, np.column_stack([x, y]), rtol=1e-6)
    line, poly9 = occam.fits()
    grid, _ = occam.regions(num=600)
    for label, curve in (
        ("straight line (2 parameters)", line),
        ("degree-9 polynomial (10 parameters)", poly9),
    ):
        assert len(series[label]) >= 100
        _assert_on_grid(series[label], grid, curve, label)


def test_occam_disagreement_csv_holds_the_snippets_numbers():
    from snippets import occam

    series = _occam_table("disagreement")
    grid, _ = occam.regions(num=1500)
    _assert_on_grid(series["|polynomial − line|"], grid, occam.disagreement, "curve")
    x, _ = occam.observations()
    _assert_on_grid(series["at the observations"], x, occam.disagreement, "at the observations")
    assert len(series["at the observations"]) == len(x)


@pytest.mark.slow
def test_every_figure_caption_links_its_data_and_svg(built_site):
    figure = re.compile(r'<figure class="wsw-figure" id="fig-([a-z0-9_]+)-([a-z0-9_]+)".*?</figure>', re.S)
    seen = 0
    for page in sorted(built_site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        for m in figure.finditer(html):
            snippet, name = m.group(1), m.group(2)
            caption = re.search(r"<figcaption>(.*?)</figcaption>", m.group(0), re.S).group(1)
            csv_href = re.search(r'href="([^"]*/figures/' + snippet + "/" + name + r'\.csv)"', caption)
            svg_href = re.search(r'href="([^"]*/figures/' + snippet + "/" + name + r'\.light\.svg)"', caption)
            where = f"{page.relative_to(built_site)}: figure {snippet}.{name}"
            assert csv_href and svg_href, f"{where}: the caption does not link its CSV and SVG"
            data = (page.parent / csv_href.group(1)).resolve()
            assert data.is_file(), f"{where}: no {data}"
            text = data.read_text(encoding="utf-8")
            assert f"# {snippet}/{name}: the numbers this figure plots" in text
            rows = _read_table(text)
            assert rows or "not included" in text, f"{where}: the CSV holds no numbers"
            seen += 1
    assert seen >= 30, f"only {seen} figures found"


def test_the_pages_workflow_checks_out_the_whole_history():
    """Sitemap dates come from `git log` of each page and its snippet: a shallow clone would date
    every page at the last commit."""
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text())
    checkouts = [
        step
        for step in doc["jobs"]["test"]["steps"]
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert checkouts and all(str(s["with"].get("fetch-depth")) == "0" for s in checkouts)


# --- Share cards and page dates (sitebuild/social.py, overrides/partials/social.html) -------------------


def _social():
    from sitebuild import social

    return social


def test_description_is_the_first_paragraph_or_the_front_matter():
    social = _social()
    html = (
        '<h1 id="q">Why?</h1>\n<p>Because <strong>small</strong> weights &amp; <math><mi>λ</mi></math>'
        ' help.<sup class="wsw-claim"><a href="#c">✓</a></sup></p><p>More.</p>'
    )
    assert social.description(html) == "Because small weights & λ help."
    assert social.description(html, {"description": "Set by hand."}) == "Set by hand."
    assert social.description("<h1>T</h1><ul><li>x</li></ul>") is None
    long = social.description("<h1>T</h1><p>" + "word " * 100 + "</p>")
    assert len(long) <= social.DESCRIPTION_CHARS and long.endswith("…")


def test_card_is_a_deterministic_1200_by_630_png():
    import struct

    social = _social()
    data = "# t\npanel,series,kind,x,y\n1,a,line,0,1\n1,a,line,1,2\n1,b,points,0.5,1.5\n2,c,line,0,0\n"
    first = social.card_png("What does the L2 penalty do?", "Site", data)
    assert first == social.card_png("What does the L2 penalty do?", "Site", data)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", first[16:24]) == social.CARD_SIZE
    assert b"Software" not in first and b"matplotlib" not in first.lower()
    assert first != social.card_png("What does the L2 penalty do?", "Site")  # the figure is drawn
    assert [s[0] for s in social.read_series(data)] == ["a", "b"]


def test_page_dates_come_from_git_or_the_build_epoch(tmp_path, monkeypatch):
    social = _social()
    proc = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", "docs/occam.md", "snippets/occam.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 0 and proc.stdout.strip():
        assert social.last_changed("occam.md") == proc.stdout.strip()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert social.last_changed("occam.md", root=tmp_path) == "2023-11-14"  # not a git checkout
    assert social.card_path("occam/") == "assets/cards/occam.png"
    assert social.card_path("") == "assets/cards/index.png"


def test_share_tags_template_names_the_description_and_card():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "overrides")), autoescape=True)
    template = env.get_template("partials/social.html")
    config = {
        "site_name": "Why small weights generalize",
        "site_description": "The site.",
        "site_url": "https://h.example/base/",
        "theme": {"language": "en"},
    }

    from types import SimpleNamespace

    meta = {"description": 'Usually, yes: "simple" wins.', "card": "assets/cards/occam.png"}
    page = SimpleNamespace(
        title="Is the simpler model more likely to be right?",
        is_homepage=False,
        canonical_url="https://h.example/base/occam/",
        meta=meta,
    )
    out = template.render(page=page, config=config)
    assert '<meta property="og:description" content="Usually, yes: &#34;simple&#34; wins.">' in out
    assert '<meta property="og:image" content="https://h.example/base/assets/cards/occam.png">' in out
    assert '<meta name="twitter:card" content="summary_large_image">' in out
    assert '<meta property="og:url" content="https://h.example/base/occam/">' in out
    page.meta = {}
    bare = template.render(page=page, config=config)
    assert 'content="The site."' in bare and "og:image" not in bare and 'content="summary"' in bare
    main = (ROOT / "overrides" / "main.html").read_text()
    assert '{% include "partials/social.html" %}' in main and "{{ super() }}" in main


@pytest.mark.slow
def test_every_page_has_its_own_description_and_card(built_site):
    seen = {}
    for page in sorted(built_site.rglob("index.html")):
        rel = page.parent.relative_to(built_site).as_posix()
        if rel.startswith(("code", "search")):
            continue
        html = page.read_text(encoding="utf-8")
        description = re.search(r'<meta property="og:description" content="([^"]*)"', html)
        assert description, f"{rel}: no og:description"
        image = re.search(r'<meta property="og:image" content="[^"]*/(assets/cards/[^"]+\.png)"', html)
        assert image and (built_site / image.group(1)).is_file(), f"{rel}: no preview card"
        seen[rel] = description.group(1)
    chapters = {k: v for k, v in seen.items() if k not in {".", "claims", "sources"}}
    assert len(set(chapters.values())) == len(chapters), "two pages share a description"


# --- The changelog on the site ----------------------------------------------------------------------


def test_changelog_page_includes_the_changelog_and_is_in_the_reference_nav():
    page = (ROOT / "docs" / "changelog.md").read_text()
    assert '--8<-- "CHANGELOG.md"' in page  # pymdownx.snippets with check_paths: a missing file fails
    pdf = _tools_pdf()
    nav = pdf.nav_pages(pdf.read_config(ROOT / "mkdocs.yml")["nav"])
    assert ("Reference", "Changelog", "changelog.md") in nav


@pytest.mark.slow
def test_changelog_is_published(built_site):
    html = (built_site / "changelog" / "index.html").read_text(encoding="utf-8")
    latest = re.search(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M).group(1)
    assert f"[{latest}]" in html and "--8&lt;--" not in html and "--8<--" not in html
