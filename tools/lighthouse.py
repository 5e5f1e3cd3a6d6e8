"""How heavy a chapter view is, and what Lighthouse says of it, on the built site served as a static
host serves it (gzip). A measurement, not a timed test: the results go to bench/lighthouse.json.

    .venv/bin/python -m tools.lighthouse SITE_DIR      (Lighthouse 12: npm i -g lighthouse@12)

A chapter view is everything a reader's browser moves for one chapter in one palette: the HTML, the
styles, scripts and fonts and the figures of that palette (scrolled through, so lazy ones load
too). The search index is counted apart: it loads when the reader reaches for the search box
(assets/search-on-demand.js). tests/build/test_browser.py asserts the same weights.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "/why-small-weights/"
OUT = ROOT / "bench" / "lighthouse.json"
TABLE = ROOT / "bench" / "lighthouse.md"
#: gzip, as GitHub Pages serves these types (level 6, the common default)
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}
BUDGET = 250_000
#: Lighthouse runs per chapter: one run's performance score moved between 80 and 96 on this 2-core
#: machine (the simulated throttling multiplies the host's noise), so the table shows the median
#: of RUNS and their range.
RUNS = 5
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it; counts the bytes it sends per path."""

    sent: dict[str, int]  # set on the subclass serve() makes

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        url_path = self.path.split("?")[0].split("#")[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # the redirect to the trailing slash
            path = path / "index.html"
        if (
            path.suffix not in COMPRESSED
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        key = self.path.split("?")[0].split("#")[0]
        self.sent[key] = self.sent.get(key, 0) + len(data)


def serve(site_dir: Path):
    """(base URL, server, the dict of bytes sent per path); the site under BASE, as on GitHub Pages."""
    root = Path(tempfile.mkdtemp(prefix="served-"))
    (root / BASE.strip("/")).symlink_to(Path(site_dir).resolve(), target_is_directory=True)
    handler = type("Handler", (GzipHandler,), {"sent": {}})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}{BASE}", httpd, handler.sent


def chapters() -> list[str]:
    """The chapter pages (nav pages with a snippet), as site-relative URLs."""
    sys.path.insert(0, str(ROOT))
    from sitebuild import blocks

    return [page.removesuffix(".md") + "/" for _, pages in blocks.chapters() for _, page in pages]


SCROLL_JS = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y); await new Promise(r => setTimeout(r, 30));
  }
  for (const i of document.querySelectorAll('img[loading=lazy]'))
    if (i.checkVisibility()) i.loading = 'eager';
  await Promise.all([...document.images].filter(i => i.checkVisibility())
    .map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })));
}"""


def view_weight(browser, base: str, sent: dict, rel: str, scheme: str = "light") -> dict:
    """Bytes sent (compressed) for one view of a page in a fresh browser context: HTML, CSS, scripts,
    fonts and the figures shown in ``scheme``; then, apart, the search index that reaching for the
    search box loads (assets/search-on-demand.js holds it back until then)."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        sent.clear()
        page.goto(base + rel, wait_until="load")
        page.evaluate(SCROLL_JS)
        page.evaluate("document.fonts.ready.then(() => 0)")
        page.wait_for_load_state("networkidle")  # (no request for 500 ms)
        by_kind: dict[str, int] = {}
        for path, n in sent.items():
            kind = Path(path).suffix or ".html"
            by_kind[kind] = by_kind.get(kind, 0) + n
        view = {"total": sum(sent.values()), "by_type": dict(sorted(by_kind.items())), "files": len(sent)}
        index_before = sum(n for path, n in sent.items() if path.endswith("search_index.json"))
        page.keyboard.press("/")  # the reader reaches for the search box
        deadline = time.monotonic() + 15
        while not any(p.endswith("search_index.json") for p in sent) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        # (a path is counted once its last byte is written: GzipHandler.copyfile)
        view["search_index_with_the_view"] = index_before
        view["search_index_on_first_search"] = sum(
            n for path, n in sent.items() if path.endswith("search_index.json")
        )
        return view
    finally:
        context.close()


def lighthouse(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                "lighthouse",
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS),
            ],
            env=env,
            check=True,
            timeout=300,
        )
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "transfer_bytes": round(audits["total-byte-weight"]["numericValue"]),
    }


def median_run(runs: list[dict]) -> dict:
    """Each metric's median over the runs (RUNS is odd: a value one run measured), and the range
    of the performance score."""
    out = {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in runs[0]}
    out["performance_range"] = [min(r["performance"] for r in runs), max(r["performance"] for r in runs)]
    return out


def table(data: dict) -> str:
    """bench/lighthouse.md, included by docs/building.md: a row per chapter."""
    out = [
        f"Measured: {data['what']}; at commit {data.get('commit', 'unrecorded')}; highest 1-minute "
        f"load average {data['machine_load_1min']} while measured. "
        "The search index loads on the "
        "first search, not with the view.\n",
        f"Each Lighthouse number is its median over {data.get('runs', 1)} runs per chapter; the range is the "
        "lowest and highest performance score of those runs.\n",
        "| chapter | view (KB, compressed) | search index on first search (KB) | performance | "
        "performance range | accessibility | FCP (ms) | LCP (ms) | TBT (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in data["chapters"].items():
        w, lh = r["weight"], r["lighthouse"]
        out.append(
            f"| {name} | {w['total'] / 1000:.0f} | {w.get('search_index_on_first_search', 0) / 1000:.0f} "
            f"| {lh['performance']} | {'–'.join(map(str, lh.get('performance_range', [])))} "
            f"| {lh['accessibility']} "
            f"| {lh['fcp_ms']} | {lh['lcp_ms']} | {lh['tbt_ms']} |"
        )
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    from playwright.sync_api import sync_playwright

    base, httpd, sent = serve(Path(argv[0]))
    results = {}
    loads = [os.getloadavg()[0]]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for rel in chapters():
                results[rel.rstrip("/")] = {"weight": view_weight(browser, base, sent, rel)}
            browser.close()
        for rel in chapters():
            runs = []
            for _ in range(RUNS):
                runs.append(lighthouse(base + rel))
                loads.append(os.getloadavg()[0])
            results[rel.rstrip("/")].update(lighthouse=median_run(runs), lighthouse_runs=runs)
            print(rel, results[rel.rstrip("/")], flush=True)
    finally:
        httpd.shutdown()
    load = max(loads)  # the busiest the machine was, at the start or after a chapter
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    OUT.write_text(
        json.dumps(
            {
                "what": "one chapter view at 390 px, light palette, served with gzip on 127.0.0.1; "
                "Lighthouse 12 mobile (its default throttling)",
                "budget_bytes": BUDGET,
                "machine_load_1min": round(load, 1),
                "runs": RUNS,
                "commit": commit,
                "chapters": results,
            },
            indent=1,
        )
        + "\n"
    )
    TABLE.write_text(table(json.loads(OUT.read_text())))
    print(f"{OUT}: {len(results)} chapters (load average {load:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def write_table() -> None:
    """Only the table, from the recorded results."""
    TABLE.write_text(table(json.loads(OUT.read_text())))
