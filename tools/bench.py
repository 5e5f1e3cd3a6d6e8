"""The build benchmark: `./run bench` (or `python -m tools.bench`).

Every scenario runs in a fresh copy of the project in a temporary folder, with its own empty
cache, so the working tree and its cache are never touched. Results go to bench/results.json,
which the "How this site is built" page shows as a table.

Scenarios: cold build; warm rebuild with no change; rebuild after editing one snippet; rebuild
after editing a shared helper; pytest without the browser tests; the floor (plain MkDocs, no
hook, on the same pages with the figures already rendered and the shortcodes expanded); and the
same chapter built as an executed notebook by mkdocs-jupyter, cold and warm, with page weights.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from sitebuild import project

ROOT = project.ROOT
RESULTS = ROOT / "bench" / "results.json"
TABLES = ROOT / "bench" / "results.md"
#: ./run quick's pytest arguments (tests/build/test_bench.py checks that ./run passes these)
QUICK = ["-n", "2", "-m", "not browser and not slow", "--ignore=tests/build"]
BENCH_TEST = ROOT / "tests" / "build" / "test_bench.py"  # checks these files: not run by the benchmark
IGNORE = shutil.ignore_patterns(
    ".venv", ".cache", "site", "__pycache__", ".git", ".pytest_cache", ".ruff_cache"
)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
ENV.pop("SITEBUILD_CACHE", None)


def timed(cmd, cwd, env=None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed in {cwd}:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, proc.stdout + proc.stderr


def build(cwd: Path) -> tuple[float, list[str]]:
    elapsed, log = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd)
    m = re.search(r"executed: (.*)", log)
    executed = [] if not m or m.group(1).startswith("none") else [s.strip() for s in m.group(1).split(",")]
    return elapsed, executed


def page_weight(site: Path, page: str, palette: str = "light") -> int:
    """Bytes of a page's HTML plus the figures it shows in one palette (not the shared theme)."""
    from sitebuild.checks import local_references

    html_file = site / page / "index.html"
    html = html_file.read_text()
    total = html_file.stat().st_size
    for ref in set(local_references(html)):
        if ref.endswith((f".{palette}.svg", ".json", ".png")) and "assets/" not in ref:
            total += (html_file.parent / ref).resolve().stat().st_size
    return total


def without_notebook_page(config: str) -> str:
    """mkdocs.yml minus the showcase notebook page (its plugin block and its nav line)."""
    config = re.sub(r"\n(  #[^\n]*\n)*  - mkdocs-jupyter:\n(      [^\n]*\n)+", "\n", config)
    drop = ("notebooks/", "assets/notebook.css")
    return "".join(line for line in config.splitlines(keepends=True) if not any(d in line for d in drop))


def floor_project(src: Path, dest: Path) -> None:
    """The same pages as plain MkDocs input: shortcodes expanded, maths left as TeX, figures and
    code pages written as ordinary files, and no hook."""
    sys.path.insert(0, str(src))
    from sitebuild import blocks, codepages, jupyter, registry, runner, shortcodes

    shutil.copytree(src, dest, ignore=IGNORE)
    results = runner.render_all(project.page_snippets(src), root=src)
    ctx = shortcodes.Context.from_results(
        results, registry.sources(src / "docs" / "sources.yml"), registry.test_claims(src / "tests")
    )
    ctx.blocks = blocks.make(ctx, results)
    for page in (dest / "docs").glob("*.md"):
        page.write_text(shortcodes.expand(page.read_text(), page.name, ctx))
    (dest / "docs" / "code").mkdir()
    for name, result in results.items():
        target = dest / "docs" / project.FIGURE_DIR / name
        target.mkdir(parents=True)
        for f in result.manifest["figures"] + result.manifest["data"]:
            shutil.copyfile(result.folder / f, target / f)
        (dest / "docs" / "code" / f"{name}.md").write_text(codepages.code_page(name, src))
    config = (dest / "mkdocs.yml").read_text()
    # the floor keeps the same plugins (mkdocs-jupyter renders the same showcase notebook) but no hook
    config = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", config)
    for name in jupyter.showcase({"plugins": ["mkdocs-jupyter"]}):
        (dest / "docs" / "notebooks").mkdir(exist_ok=True)
        shutil.copyfile(src / "notebooks" / f"{name}.py", dest / "docs" / "notebooks" / f"{name}.py")
    (dest / "docs" / "assets" / "notebook.css").write_text(jupyter.NOTEBOOK_CSS)
    config += "  - Code:\n" + "".join(f"      - code/{n}.md\n" for n in sorted(results))
    config = config.replace("strict: true", "strict: false")
    (dest / "mkdocs.yml").write_text(config)


def notebook_project(dest: Path, chapter: str) -> None:
    """A minimal MkDocs project with one page: the chapter's companion notebook, executed by
    mkdocs-jupyter."""
    (dest / "docs").mkdir(parents=True)
    shutil.copytree(ROOT / "snippets", dest / "snippets", ignore=IGNORE)
    shutil.copyfile(ROOT / "notebooks" / f"{chapter}.py", dest / "docs" / f"{chapter}.py")
    (dest / "docs" / "index.md").write_text("# Notebook benchmark\n")
    (dest / "mkdocs.yml").write_text(
        "site_name: notebook benchmark\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - mkdocs-jupyter:\n      execute: true\n      allow_errors: false\n"
        f"nav:\n  - index.md\n  - {chapter}.py\n"
    )


def chapter_project(src: Path, dest: Path, chapter: str) -> None:
    """This site's pipeline on one chapter only (same theme and hook)."""
    shutil.copytree(src, dest, ignore=IGNORE)
    keep = {"index.md", "claims.md", "sources.md", "sources.yml", "notation.md", f"{chapter}.md"}
    for page in (dest / "docs").glob("*.md"):
        if page.name not in keep:
            page.unlink()
    # the notation page links to chapters that are not in this one-chapter site
    (dest / "docs" / "notation.md").write_text("# Notation\n\nSee the full site.\n")
    for snippet in (dest / "snippets").glob("*.py"):
        if snippet.stem not in project.SHARED_MODULES and snippet.stem not in (chapter, "index"):
            snippet.unlink()
    config = without_notebook_page((dest / "mkdocs.yml").read_text()).split("\nnav:")[0]
    nav = f"\nnav:\n  - index.md\n  - {chapter}.md\n  - notation.md\n  - claims.md\n  - sources.md\n"
    config = config.replace("strict: true", "strict: false")
    (dest / "mkdocs.yml").write_text(config + nav)


def edit(path: Path) -> None:
    path.write_text(path.read_text() + "\n# benchmark edit\n")


def run(chapter: str = "occam", repeats: int = 3) -> dict:
    rows = {}
    with tempfile.TemporaryDirectory(prefix="wsw-bench-") as tmp:
        tmp = Path(tmp)
        proj = tmp / "proj"
        shutil.copytree(ROOT, proj, ignore=IGNORE)
        snippets = project.page_snippets(proj)
        cold, executed_cold = build(proj)
        rows["cold build (empty cache)"] = {"seconds": cold, "executed": len(executed_cold)}
        warm = min(build(proj)[0] for _ in range(repeats))
        rows["warm rebuild, nothing changed"] = {"seconds": warm, "executed": 0}
        edit(proj / "snippets" / f"{chapter}.py")
        t, executed = build(proj)
        rows[f"rebuild after editing snippets/{chapter}.py"] = {"seconds": t, "executed_names": executed}
        sys.path.insert(0, str(proj))
        from sitebuild import runner

        dependants = sorted(
            n
            for n in project.page_snippets(proj)
            if proj / "snippets/conventions.py" in runner.inputs(n, proj)
        )
        edit(proj / "snippets" / "conventions.py")
        t, executed = build(proj)
        rows["rebuild after editing snippets/conventions.py"] = {
            "seconds": t,
            "executed_names": executed,
            "expected_names": dependants,
        }
        floor = tmp / "floor"
        floor_project(proj, floor)
        rows["floor: plain MkDocs, figures pre-rendered"] = {
            "seconds": min(build(floor)[0] for _ in range(repeats))
        }
        # test_bench.py checks the very results this run is producing, so it sits these out
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        pytest.append(f"--ignore={BENCH_TEST.relative_to(ROOT)}")
        threads = {**ENV, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        two = ["-n", "2", "--dist", "loadfile"]  # as ./run test runs them
        t, _ = timed([*pytest, *two, "-m", "not browser"], proj, threads)
        rows["pytest without the browser tests (warm cache, two workers as in ./run test)"] = {"seconds": t}

        comparison = {}
        if (ROOT / "notebooks" / f"{chapter}.py").is_file():
            ours = tmp / "ours"
            chapter_project(ROOT, ours, chapter)
            c, _ = build(ours)
            w = min(build(ours)[0] for _ in range(repeats))
            comparison["this pipeline"] = {
                "cold": c,
                "warm": w,
                "page_bytes": page_weight(ours / "site", chapter),
            }
            nb = tmp / "nb"
            notebook_project(nb, chapter)
            c, _ = timed([sys.executable, "-m", "mkdocs", "build", "-d", "site"], nb)
            w = min(
                timed([sys.executable, "-m", "mkdocs", "build", "-d", "site"], nb)[0] for _ in range(repeats)
            )
            comparison["mkdocs-jupyter, executed notebook"] = {
                "cold": c,
                "warm": w,
                "page_bytes": page_weight(nb / "site", chapter),
            }
    return {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
            "processor": platform.machine(),
            "mkdocs": metadata.version("mkdocs"),
            "mkdocs-material": metadata.version("mkdocs-material"),
            "mkdocs-jupyter": metadata.version("mkdocs-jupyter"),
            "numpy": metadata.version("numpy"),
            "matplotlib": metadata.version("matplotlib"),
        },
        "chapter": chapter,
        "snippets": snippets,
        "rows": {name: {**row, "step": i} for i, (name, row) in enumerate(rows.items())},  # run order
        "comparison": comparison,
    }


def tables(data: dict) -> str:
    """The recorded results as Markdown tables (bench/results.md, included by docs/building.md)."""
    m = data["machine"]
    out = [
        f"Measured on {m['cores']} cores ({m['processor']}, {m['platform']}), Python {m['python']}, "
        f"MkDocs {m['mkdocs']}, Material {m['mkdocs-material']}, numpy {m['numpy']}, "
        f"matplotlib {m['matplotlib']}; "
        + (f"at commit {data['commit']}.\n" if data.get("commit") else "the commit was not recorded.\n"),
        "| scenario | seconds | snippets executed |",
        "|---|---:|---|",
    ]
    for name, row in sorted(data["rows"].items(), key=lambda item: item[1]["step"]):
        if "executed_names" in row:
            ran = ", ".join(row["executed_names"]) or "none"
            if "expected_names" in row:
                ran += f" (its dependants: {', '.join(row['expected_names'])})"
        else:
            ran = str(row.get("executed", "–"))
        out.append(f"| {name} | {row['seconds']:.1f} | {ran} |")
    rows = data["rows"]
    warm, floor = (
        rows.get("warm rebuild, nothing changed"),
        rows.get("floor: plain MkDocs, figures pre-rendered"),
    )
    if warm and floor:
        out.append(
            f"\nA warm rebuild takes {warm['seconds'] / floor['seconds']:.2f} times as long as the floor."
        )
    if data.get("comparison"):
        out += [
            "",
            f"The same chapter (`{data['chapter']}`) built alone, two ways:",
            "",
            "| pipeline | cold build (s) | warm rebuild (s) | page weight, uncompressed (HTML + figures, "
            "one palette) |",
            "|---|---:|---:|---:|",
        ]
        for name, row in sorted(data["comparison"].items(), key=lambda item: item[0] != "this pipeline"):
            kb = row["page_bytes"] / 1000
            out.append(f"| {name} | {row['cold']:.1f} | {row['warm']:.1f} | {kb:,.0f} KB |")
    extra = data.get("extra", {})
    if extra:
        out += ["", "Measured on their own (`./run bench --only NAME`):", ""]
    if "quick" in extra:
        r = extra["quick"]
        out.append(
            f"- `./run quick` on a warm cache ({r['tests']} tests, two workers): {r['seconds']:.1f} s, "
            f"the fastest of {len(r['samples'])} runs (load average {r['load']:g} when it ended)."
        )
    if "reproducibility" in extra:
        r = extra["reproducibility"]
        same = f"{r['identical']}/{r['pairs']}"
        out.append(f"- Pairs of clean builds in different folders giving byte-identical sites: {same}.")
    if "interrupt" in extra:
        r = extra["interrupt"]
        out.append(
            f"- Ctrl-C during a cold build: exit after {r['seconds']:.1f} s, status {r['exit_status']}, "
            f"{r['workers_left']} workers left running."
        )
    if "edit_to_browser" in extra:
        r = extra["edit_to_browser"]["seconds"]
        out.append(
            "- A saved one-sentence edit under `mkdocs serve`, until the page shows it (median of "
            f"{len(extra['edit_to_browser'].get('samples', {}).get('this site', [0]))} edits): "
            f"{r['this site']:.1f} s, against {r['floor: plain MkDocs']:.1f} s for plain MkDocs "
            f"({extra['edit_to_browser']['ratio']:.2f}×)."
        )
    return "\n".join(out)


def save(results: dict) -> None:
    """bench/results.json (sorted keys: one stable format) and its tables, bench/results.md."""
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    TABLES.write_text(tables(results) + "\n")


# --- scenarios measured on their own (`./run bench --only NAME`), merged into results.json -------


def reproducibility(pairs: int = 10) -> dict:
    """Pairs of clean builds (empty caches, different folders): how many give identical bytes."""
    import filecmp

    same = 0
    with tempfile.TemporaryDirectory(prefix="wsw-repro-") as tmp:
        for i in range(pairs):
            sites = []
            for side in ("a", "b"):
                proj = Path(tmp) / f"{i}{side}"
                shutil.copytree(ROOT, proj, ignore=IGNORE)
                build(proj)
                sites.append(proj / "site")
            compare = filecmp.dircmp(*sites)
            same += _identical(compare)
            for proj in sites:
                shutil.rmtree(proj.parent, ignore_errors=True)
    return {"pairs": pairs, "identical": same}


def _identical(cmp) -> bool:
    import filecmp

    _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
    if mismatch or errors or cmp.left_only or cmp.right_only:
        return False
    return all(_identical(sub) for sub in cmp.subdirs.values())


def interrupt_latency() -> dict:
    """Seconds from Ctrl-C (SIGINT) to the exit of a cold build whose snippets are running."""
    import signal

    with tempfile.TemporaryDirectory(prefix="wsw-ctrlc-") as tmp:
        proj = Path(tmp) / "proj"
        shutil.copytree(ROOT, proj, ignore=IGNORE)
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"]
        proc = subprocess.Popen(cmd, cwd=proj, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs = proj / ".cache" / "snippets"
        while proc.poll() is None and not list(runs.glob("*/.run-*")):
            time.sleep(0.05)
        start = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        code = proc.wait()
        latency = time.perf_counter() - start
        left = subprocess.run(["pgrep", "-f", f"sitebuild.worker .* {proj}"], capture_output=True).stdout
    return {"seconds": latency, "exit_status": code, "workers_left": len(left.split())}


def edit_to_browser(page: str = "occam", repeats: int = 3) -> dict:
    """Seconds from saving a one-sentence prose edit to the served page showing it, under
    `mkdocs serve`, for this site and for its floor (plain MkDocs, no hook): the median of
    ``repeats`` edits each, and every sample."""
    import socket
    import urllib.request

    out = {}
    with tempfile.TemporaryDirectory(prefix="wsw-serve-") as tmp:
        proj = Path(tmp) / "proj"
        shutil.copytree(ROOT, proj, ignore=IGNORE)
        build(proj)  # a warm cache, as an author has
        floor = Path(tmp) / "floor"
        floor_project(proj, floor)
        for name, folder in (("this site", proj), ("floor: plain MkDocs", floor)):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            server = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                cwd=folder,
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            url = f"http://127.0.0.1:{port}/why-small-weights/{page}/"

            def shows(text: str, url: str = url) -> bool:
                try:
                    return text in urllib.request.urlopen(url, timeout=5).read().decode()
                except OSError:
                    return False

            try:
                while not shows("</html>"):
                    time.sleep(0.2)
                samples = []
                for i in range(repeats):  # each edit waits for the previous rebuild to settle
                    time.sleep(2)
                    doc = folder / "docs" / f"{page}.md"
                    marker = f"A sentence the benchmark added, number {i + 1}."
                    doc.write_text(doc.read_text() + f"\n{marker}\n")
                    start = time.perf_counter()
                    while not shows(marker):
                        time.sleep(0.05)
                    samples.append(time.perf_counter() - start)
                out[name] = sorted(samples)
            finally:
                server.terminate()
                server.wait()
    median = {name: samples[len(samples) // 2] for name, samples in out.items()}
    return {"seconds": median, "samples": out, "ratio": median["this site"] / median["floor: plain MkDocs"]}


def quick(repeats: int = 3) -> dict:
    """`./run quick` on a warm cache (one build first), the fastest of ``repeats`` runs, and its count."""
    with tempfile.TemporaryDirectory(prefix="wsw-quick-") as tmp:
        proj = Path(tmp) / "proj"
        shutil.copytree(ROOT, proj, ignore=IGNORE)
        build(proj)
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *QUICK]
        threads = {**ENV, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        runs = [timed(pytest, proj, threads) for _ in range(repeats)]
    passed = re.search(r"(\d+) passed", runs[0][1])
    return {
        "seconds": min(t for t, _ in runs),
        "samples": sorted(t for t, _ in runs),
        "tests": int(passed.group(1)) if passed else 0,
        "load": round(os.getloadavg()[0], 2),
    }


EXTRA = {
    "quick": quick,
    "reproducibility": reproducibility,
    "interrupt": interrupt_latency,
    "edit_to_browser": edit_to_browser,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default="occam")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-save", action="store_true", help="print only; do not write bench/results.json")
    parser.add_argument("--only", choices=sorted(EXTRA), help="measure one extra scenario and merge it in")
    parser.add_argument(
        "--pairs", type=int, default=10, help="pairs of clean builds for --only reproducibility"
    )
    args = parser.parse_args(argv)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    commit = head.stdout.strip() or "not recorded"
    if args.only:
        results = json.loads(RESULTS.read_text())
        kwargs = {"pairs": args.pairs} if args.only == "reproducibility" else {}
        results.setdefault("extra", {})[args.only] = {**EXTRA[args.only](**kwargs), "commit": commit}
    else:
        previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
        results = {**run(args.chapter, args.repeats), "extra": previous.get("extra", {}), "commit": commit}
    text = json.dumps(results, indent=1, sort_keys=True) + "\n"  # one stable format
    print(text)
    if not args.no_save:
        save(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
