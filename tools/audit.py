"""`./run audit [PAGE ...]`: are the page's tests able to fail? Mutation testing of its snippet.

A purpose-built mutator (the snippets are small pure-numpy modules run in subprocesses by the build,
which general tools such as mutmut, built around in-process trampolines, do not see into). For each
page it mutates every computation in snippets/<page>.py -- every function except the drawing-only
ones (``fig_*``, and helpers whose first argument is the figure or an axes to draw on), since tests
check the data behind a figure, never its pixels:

    arithmetic   + ↔ −, × ↔ ÷, ** → ×          comparison   < ↔ ≤, > ↔ ≥, == ↔ !=
    numbers      an int n → n + 1, a float x → 1.5 x (0 → 1)
    sign         −x → x                        booleans     True ↔ False

Seeds (the argument of ``default_rng``) are not mutated: a claim is meant to hold across seeds,
and that is tested over many seeds, not here.

Each mutant is one snippet file, so it gets its own key in the snippet cache. It is first rendered
by the build's worker: a mutant whose values(), data files and figures are byte-identical to the
original's is *equivalent* (no test could tell); one that makes the snippet fail is *killed* by the
build; otherwise the page's tests run (``-x``) and it is *killed* if they fail, *survived* if not.
Results go to bench/audit.json (and the table bench/audit.md that the "How this site is built"
page shows), with the commit and date of the run.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sitebuild import project

ROOT = project.ROOT
RESULTS = ROOT / "bench" / "audit.json"
TABLE = ROOT / "bench" / "audit.md"
IGNORE = shutil.ignore_patterns(
    ".venv", ".cache", "site", "__pycache__", ".git", ".pytest_cache", ".ruff_cache"
)
SWAP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.Pow: ast.Mult,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}


@dataclass
class Mutant:
    line: int
    what: str
    source: str  # the whole mutated module

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.what}"


def _segment_replace(source: str, node: ast.AST, new: ast.AST) -> str:
    """The source with ``node``'s text replaced by ``new`` (ast offsets count UTF-8 bytes)."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(lineno: int, col: int) -> int:
        return starts[lineno - 1] + len(lines[lineno - 1].encode()[:col].decode())

    start, end = offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)
    return source[:start] + "(" + ast.unparse(new) + ")" + source[end:]


def _seed_args(tree: ast.AST) -> set[int]:
    """ids of the constants passed to default_rng(...) / seed=...: seeds are not mutated."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            args = list(node.args) if name == "default_rng" else []
            args += [k.value for k in node.keywords if k.arg in ("seed", "random_state")]
            ids |= {id(n) for a in args for n in ast.walk(a)}
    return ids


def _draws(func: ast.FunctionDef) -> bool:
    """Drawing-only code: a ``fig_*`` function, or a helper handed the figure or an axes to draw on."""
    first = func.args.args[0].arg if func.args.args else ""
    return func.name.startswith("fig_") or first in ("fig", "ax")


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    seeds = _seed_args(tree)
    found = []
    for func in tree.body:
        if not isinstance(func, ast.FunctionDef) or _draws(func):
            continue
        body = func.body[1:] if ast.get_docstring(func) is not None else func.body
        for stmt in body:
            for node in ast.walk(stmt):
                for new, what in _variants(node, seeds):
                    found.append(
                        Mutant(node.lineno, f"{func.name}: {what}", _segment_replace(source, node, new))
                    )
    return found


def _variants(node: ast.AST, seeds: set[int]):
    if isinstance(node, ast.BinOp) and type(node.op) in SWAP:
        new = copy.deepcopy(node)
        new.op = SWAP[type(node.op)]()
        yield new, f"{type(node.op).__name__} → {type(new.op).__name__}"
    elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in SWAP:
        new = copy.deepcopy(node)
        new.ops = [SWAP[type(node.ops[0])]()]
        yield new, f"{type(node.ops[0]).__name__} → {type(new.ops[0]).__name__}"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield node.operand, "−x → x"
    elif isinstance(node, ast.Constant) and id(node) not in seeds:
        value = node.value
        if isinstance(value, bool):
            yield ast.Constant(not value), f"{value} → {not value}"
        elif isinstance(value, int):
            yield ast.Constant(value + 1), f"{value} → {value + 1}"
        elif isinstance(value, float):
            yield (
                ast.Constant(value * 1.5 if value else 1.0),
                f"{value!r} → {value * 1.5 if value else 1.0!r}",
            )


def _run(cmd, cwd: Path, cache: Path, timeout: float) -> subprocess.CompletedProcess | None:
    env = {**os.environ, "SITEBUILD_CACHE": str(cache), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def _fingerprint(proj: Path, cache: Path, page: str) -> str | None:
    """The snippet's whole output (values, data, figures) as the worker wrote it, or None if it failed."""
    out = proj / ".audit-out"
    shutil.rmtree(out, ignore_errors=True)
    done = _run([sys.executable, "-m", "sitebuild", "render", "--out", str(out), page], proj, cache, 600)
    if done is None or done.returncode != 0:
        return None
    folder = out / project.FIGURE_DIR / page
    return json.dumps({f.name: f.read_text() for f in sorted(folder.iterdir())})


def judge(mutant: Mutant, page: str, proj: Path, cache: Path, original: str, timeout: float) -> str:
    (proj / "snippets" / f"{page}.py").write_text(mutant.source)
    printed = _fingerprint(proj, cache, page)
    if printed is None:
        return "killed"  # the build itself fails
    if printed == original:
        return "equivalent"
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", f"tests/test_{page}.py"]
    done = _run(cmd, proj, cache, timeout)
    return "killed" if done is None or done.returncode != 0 else "survived"


def audit(page: str, jobs: int = 2, sample: int | None = None, timeout: float = 600) -> dict:
    source = (ROOT / "snippets" / f"{page}.py").read_text()
    every = mutants(source)
    chosen = (
        every
        if not sample or sample >= len(every)
        else sorted(random.Random(page).sample(every, sample), key=lambda m: m.line)
    )
    with tempfile.TemporaryDirectory(prefix=f"wsw-audit-{page}-") as tmp:
        tmp = Path(tmp)
        copies = []  # one project copy and one cache per worker: no two mutants share a folder
        for i in range(jobs):
            shutil.copytree(ROOT, tmp / f"proj{i}", ignore=IGNORE)
            copies.append(tmp / f"proj{i}")
        cache = tmp / "cache0"
        original = _fingerprint(copies[0], cache, page)
        if original is None:
            raise SystemExit(f"audit: snippets/{page}.py does not render unmutated")
        base = _run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/test_{page}.py"],
            copies[0],
            cache,
            timeout,
        )
        if base is None or base.returncode != 0:
            raise SystemExit(
                f"audit: tests/test_{page}.py fails unmutated:\n{(base.stdout if base else '')[-2000:]}"
            )
        free = list(copies)

        def one(m: Mutant) -> str:
            proj = free.pop()
            try:
                return judge(m, page, proj, tmp / f"cache{copies.index(proj)}", original, timeout)
            finally:
                free.append(proj)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            verdicts = list(pool.map(one, chosen))
    survived = [m.label for m, v in zip(chosen, verdicts, strict=True) if v == "survived"]
    counts = {v: verdicts.count(v) for v in ("killed", "survived", "equivalent")}
    judged = counts["killed"] + counts["survived"]
    return {
        "mutants": len(every),
        "run": len(chosen),
        "sampled": len(chosen) < len(every),
        **counts,
        "score": round(counts["killed"] / judged, 3) if judged else 1.0,
        "survivors": survived,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "date": datetime.date.today().isoformat(),
    }


def _took(r: dict) -> str:
    return f"{r['minutes']:g} ({r['jobs']})" if "minutes" in r else "not recorded"


def table(results: dict) -> str:
    rows = [
        "| page | mutants (run) | killed | survived | equivalent | score | minutes (workers) "
        "| commit, date |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page, r in sorted(results.items()):
        run = f"{r['mutants']} ({r['run']}, sampled)" if r["sampled"] else str(r["mutants"])
        rows.append(
            f"| {page} | {run} | {r['killed']} | {r['survived']} | {r['equivalent']} "
            f"| {r['score']:.0%} | {_took(r)} | {r['commit']}, {r['date']} |"
        )
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./run audit", description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="pages to audit (default: every page with a snippet)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, help="run at most this many mutants per page (a fixed sample)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args(argv)
    pages = args.pages or project.page_snippets()
    if args.list:
        for page in pages:
            for m in mutants((ROOT / "snippets" / f"{page}.py").read_text()):
                print(f"{page} {m.label}")
        return 0
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    for page in pages:
        start = time.perf_counter()
        results[page] = audit(page, args.jobs, args.sample)
        r = results[page]
        r["minutes"] = round((time.perf_counter() - start) / 60, 1)
        r["jobs"] = args.jobs
        counts = f"{r['killed']} killed, {r['survived']} survived, {r['equivalent']} equivalent"
        print(f"{page}: {counts} -> {r['score']:.0%}")
        for label in r["survivors"]:
            print(f"  survived: {label}")
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        TABLE.write_text(table(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
