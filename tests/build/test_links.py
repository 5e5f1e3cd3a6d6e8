"""Every link of the built site: each internal link and anchor resolves (the file exists and the
#fragment is an id in it); external links are listed, never fetched."""

from __future__ import annotations

import re
import socket
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from sitebuild import project

SITE_URL = re.search(r"^site_url:\s*(\S+)", (project.ROOT / "mkdocs.yml").read_text(), re.M).group(1)
BASE = urlsplit(SITE_URL).path  # /why-small-weights/: absolute internal links start with it
#: (tag, attribute) pairs that name something to follow or load
LINK_ATTRS = {
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("iframe", "src"),
}
DATA_ATTRS = {"data-json", "data-src"}  # files our own scripts load
NOT_LINKS = ("mailto:", "tel:", "data:", "javascript:")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag.attribute, url)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in LINK_ATTRS or name in DATA_ATTRS:
                self.links.append((f"{tag}.{name}", value.strip()))


def page_url(site: Path, html: Path) -> str:
    """The URL path a built file is served at (directory URLs: occam/index.html -> /base/occam/)."""
    rel = html.relative_to(site).as_posix()
    return BASE + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


def target_file(site: Path, path: str) -> Path | None:
    """The built file an absolute URL path names, or None when it is outside the site."""
    if not path.startswith(BASE):
        return None
    target = site / unquote(path[len(BASE) :])
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def check_site(site: Path):
    """(broken internal links, external links -> pages that link to them)."""
    pages = {html: _Page() for html in sorted(site.rglob("*.html"))}
    for html, parser in pages.items():
        parser.feed(html.read_text(errors="replace"))
        parser.close()
    ids = {html.resolve(): parser.ids for html, parser in pages.items()}
    site_host = urlsplit(SITE_URL).netloc
    broken, external = [], defaultdict(set)
    for html, parser in pages.items():
        here = page_url(site, html)
        where = html.relative_to(site).as_posix()
        for attr, url in parser.links:
            if not url or url.startswith(NOT_LINKS) or "{" in url:
                continue
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                if parts.netloc != site_host or not parts.path.startswith(BASE):
                    external[url].add(where)
                    continue
            elif parts.scheme:
                external[url].add(where)
                continue
            resolved = urlsplit(urljoin(here, url))
            target = target_file(site, resolved.path)
            if target is None or not target.is_file():
                broken.append(f"{where}: {attr}={url!r} -> no file {resolved.path}")
                continue
            fragment = unquote(resolved.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids[target.resolve()]:
                broken.append(f"{where}: {attr}={url!r} -> {target.relative_to(site)} has no id {fragment!r}")
    return broken, external


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: external links are listed, not fetched."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"test_links must not connect anywhere (tried {address})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
    assert not attempts, f"the link check tried to connect to {attempts}"


def test_every_internal_link_and_anchor_resolves(built_site, no_network):
    broken, external = check_site(built_site)
    print(f"\n{len(external)} external links (listed, not fetched):")
    for url in sorted(external):
        pages = sorted(external[url])
        print(f"  {url}  <- {', '.join(pages[:3])}{f' (+{len(pages) - 3} more)' if len(pages) > 3 else ''}")
    assert not broken, f"{len(broken)} broken internal links or anchors:\n" + "\n".join(broken)


def test_the_link_check_finds_broken_links(tmp_path, no_network):
    """The checker itself: a missing page, a missing anchor, and a good link and anchor."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "b").mkdir()
    (site / "a" / "index.html").write_text(
        '<h1 id="top">A</h1><a href="../b/#here">ok</a><a href="../b/#nowhere">bad anchor</a>'
        '<a href="../c/">missing page</a><a href="#top">self</a><a href="https://example.org/x">out</a>'
        f'<a href="{BASE}b/">absolute</a><img src="../fig.svg#only-light" alt="x">'
    )
    (site / "b" / "index.html").write_text('<p id="here">B</p>')
    broken, external = check_site(site)
    assert len(broken) == 3, broken
    assert any("'../b/#nowhere'" in b for b in broken)
    assert any("'../c/'" in b for b in broken)
    assert any("fig.svg" in b for b in broken)
    assert set(external) == {"https://example.org/x"}
