"""The built site in a real browser (Debian's headless Chromium driven by Playwright): every page
loads with no console error, no failed request and no request to a host other than localhost."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from urllib.parse import urlsplit

import pytest

from tests.conftest import chromium_path

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BASE = "/why-small-weights/"  # the path of site_url, as on GitHub Pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(built_site, tmp_path_factory):
    """Serve the built site under the same path it has on GitHub Pages."""
    root = tmp_path_factory.mktemp("served")
    (root / BASE.strip("/")).symlink_to(built_site, target_is_directory=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}{BASE}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is not installed; under CI the browser tests must run (./run test installs it)"
            )
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def site_pages(built_site) -> list[str]:
    return sorted(
        p.parent.relative_to(built_site).as_posix() + "/" if p.parent != built_site else ""
        for p in built_site.rglob("index.html")
    )


def open_page(browser, url, scheme="light"):
    """Load a page and record console errors, failed requests and non-local requests."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))

    def check_host(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost"):
            problems.append(f"non-local request: {request.url}")

    page.on("request", check_host)
    response = page.goto(url, wait_until="networkidle")
    if response is None or not response.ok:
        problems.append(f"HTTP {response.status if response else 'no response'}")
    return context, page, problems


def test_every_page_loads_cleanly(browser, server, built_site):
    failures = {}
    for rel in site_pages(built_site):
        context, _, problems = open_page(browser, server + rel)
        context.close()
        if problems:
            failures[rel or "home"] = problems
    assert not failures, failures
