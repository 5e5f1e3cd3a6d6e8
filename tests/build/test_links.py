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


def page_text(html: Path) -> str:
    """The text a browser matches a text fragment (#:~:text=) against: the main content's text."""
    from html import unescape

    text = html.read_text(errors="replace")
    text = re.sub(r"<(script|style|math)\b.*?</\1>", " ", text, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())


def text_fragment_problem(fragment: str, text: str) -> str:
    """Why a browser would not land on ``#:~:text=…`` in ``text`` ("" if it would): the directive
    is split at its commas before percent-decoding, a term ending in "-" is a prefix and one
    starting with "-" a suffix (so a literal "-" must be %2D), and the start term matches whole
    words only."""
    terms = fragment.removeprefix(":~:text=").split(",")
    if any(t.endswith("-") for t in terms[:1]) or any(t.startswith("-") for t in terms[:1]):
        return f"its start {terms[0]!r} reads as a prefix or suffix (a literal '-' must be %2D)"
    start = unquote(terms[0])
    # a word boundary at each end, as a browser's word breaker sees it: none is needed beside
    # punctuation ("zero." then a claim mark's "not yet checked" still matches)
    left = r"(?<!\w)" if re.match(r"\w", start) else ""
    right = r"(?!\w)" if re.search(r"\w$", start) else ""
    if not re.search(left + re.escape(start) + right, text):
        return f"no text {start!r} at word boundaries"
    return ""


def check_site(site: Path, made_later: tuple[str, ...] = ()):
    """(broken internal links, external links -> pages that link to them). ``made_later``: files
    made after the build (project.MADE_AFTER_BUILD), whose links a plain build may leave dangling;
    the released site, with them made, is checked without it."""
    pages = {html: _Page() for html in sorted(site.rglob("*.html"))}
    for html, parser in pages.items():
        parser.feed(html.read_text(errors="replace"))
        parser.close()
    ids = {html.resolve(): parser.ids for html, parser in pages.items()}
    site_host = urlsplit(SITE_URL).netloc
    broken, external = [], defaultdict(set)
    unmatched = []  # text fragments (#:~:text=) a browser would not land on
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
            if (target is None or not target.is_file()) and resolved.path.removeprefix(BASE) in made_later:
                continue
            if target is None or not target.is_file():
                broken.append(f"{where}: {attr}={url!r} -> no file {resolved.path}")
                continue
            if resolved.fragment.startswith(":~:text="):  # a text fragment: as a browser matches it
                why = text_fragment_problem(resolved.fragment, page_text(target))
                if why:
                    unmatched.append(f"{where}: {attr}={url!r} -> {target.relative_to(site)}: {why}")
                continue
            fragment = unquote(resolved.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids[target.resolve()]:
                broken.append(f"{where}: {attr}={url!r} -> {target.relative_to(site)} has no id {fragment!r}")
    # (a text fragment that does not match lands on the top of its page, without an error)
    broken += unmatched
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
    from sitebuild import project

    broken, external = check_site(built_site, made_later=project.MADE_AFTER_BUILD)
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
    (site / "b" / "index.html").write_text('<p id="here">B</p><a href="../later.pdf">made after</a>')
    assert len(check_site(site)[0]) == 4  # a file made after the build is missing unless allowed
    assert len(check_site(site, made_later=("later.pdf",))[0]) == 3
    assert any("'../b/#nowhere'" in b for b in broken)
    assert any("'../c/'" in b for b in broken)
    assert any("fig.svg" in b for b in broken)
    assert set(external) == {"https://example.org/x"}


# ---------------------------------------------------------------- navigation that agrees with itself

NAV_ACTIVE_RE = re.compile(r'<a href="\./" class="md-nav__link md-nav__link--active">(.*?)</a>', re.S)
H1_RE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
FOOTER_LINK_RE = re.compile(
    r'class="md-footer__link md-footer__link--(prev|next)" aria-label="[^:]*: ([^"]*)"'
)
TAG_RE = re.compile(r"<[^>]+>")


def text_of(fragment: str) -> str:
    from html import unescape

    fragment = re.sub(r'<a class="headerlink".*?</a>', "", fragment, flags=re.S)
    return " ".join(unescape(TAG_RE.sub("", fragment)).split())


def nav_pages(site: Path) -> list[Path]:
    return [
        p for p in sorted(site.rglob("index.html")) if NAV_ACTIVE_RE.search(p.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize(
    ("fragment", "lands"),
    [
        (":~:text=The%20line%20%28blue%29%20and", True),
        (":~:text=We%20checked%20scikit%2Dlearn", True),
        (":~:text=We%20checked%20scikit-learn", True),  # "-" inside the term: still the start
        (":~:text=and%20the%20degree-", False),  # read as a prefix, with no start
        (":~:text=the%20L", False),  # "L" of "L2": not a whole word
        (":~:text=not%20on%20the%20page", False),
        # ending at punctuation, right before a claim mark's words: a boundary for a browser
        (":~:text=the%20degree%2D9%20fit.", True),
        (":~:text=the%20degree%2D9%20fit.n", False),  # cut inside "not"
    ],
)
def test_text_fragments_are_matched_as_a_browser_matches_them(fragment, lands):
    text = "The line (blue) and the degree-9 fit.not yet checked We checked scikit-learn, and the L2 ball."
    assert (text_fragment_problem(fragment, text) == "") is lands, text_fragment_problem(fragment, text)


def test_claims_page_fragments_encode_the_directives_syntax():
    """The Claims page's "on the page" links (sitebuild.blocks._fragment): a "-" is %2D, and a cut
    inside a word (at a number) drops the partial word."""
    from sitebuild.blocks import _fragment

    assert _fragment("The line and the degree-9 polynomial") == "#:~:text=The%20line%20and%20the"
    assert _fragment("Scikit-learn agrees with it") == "#:~:text=Scikit%2Dlearn%20agrees%20with%20it"
    assert (
        _fragment("Contours of the data loss, the L2 ball")
        == "#:~:text=Contours%20of%20the%20data%20loss%2C%20the"
    )


def test_nav_titles_are_the_pages_h1s(built_site):
    """The nav names each page by its H1 (the home page is "Home", as the header names the site)."""
    problems = []
    pages = nav_pages(built_site)
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        nav, h1 = text_of(NAV_ACTIVE_RE.search(html).group(1)), H1_RE.search(html)
        if page.parent == built_site:
            continue
        if h1 is None or text_of(h1.group(1)) != nav:
            problems.append(f"{page_url(built_site, page)}: nav {nav!r}, H1 {h1 and text_of(h1.group(1))!r}")
    assert not problems, "\n".join(problems)


def test_previous_and_next_walk_the_reading_pages_only(built_site):
    """Previous/next never lead to a generated code page or the rendered notebook, and those pages
    have no previous/next of their own."""
    problems = []
    titles = {}
    for page in sorted(built_site.rglob("index.html")):
        rel = page.relative_to(built_site).as_posix()
        html = page.read_text(encoding="utf-8")
        links = FOOTER_LINK_RE.findall(html)
        h1 = H1_RE.search(html)
        if rel.startswith(("code/", "notebooks/")):
            titles.setdefault("excluded", set()).add(text_of(h1.group(1)) if h1 else rel)
            if links:
                problems.append(f"{rel}: has previous/next {links}")
        else:
            titles.setdefault("links", []).extend((rel, t) for _, t in links)
    excluded = titles.get("excluded", set())
    assert excluded, "no code page found"
    problems += [f"{rel}: previous/next to {t!r}" for rel, t in titles["links"] if t in excluded]
    assert not problems, "\n".join(problems)


def test_claims_page_rows_show_their_sentence(built_site):
    """The Claims page: one block per claim (no four-column table), grouped by page, each with the
    sentence it marks and a link that lands on that sentence (checked by the link check above)."""
    html = (built_site / "claims" / "index.html").read_text(encoding="utf-8")
    assert "<table" not in html, "the Claims page is a table again (unreadable on a phone)"
    rows = re.findall(r'<div class="wsw-claim-row" id="([^"]+)">(.*?)</div>', html, re.S)
    assert len(rows) > 100
    sentences = {rid: re.search(r'class="wsw-claim-sentence">(.*?)</span>', body, re.S) for rid, body in rows}
    empty = [rid for rid, m in sentences.items() if not (m and text_of(m.group(1)))]
    assert not empty, f"claims without their sentence: {empty[:10]}"
    landing = sum(":~:text=" in body for _, body in rows)
    assert landing >= 0.6 * len(rows), f"only {landing} of {len(rows)} claims link to their sentence"
    assert len(re.findall(r"<h2 ", html)) >= 10, "claims not grouped by page"
    # each computed claim's outcome, the same as the mark on its page says (✓ or not yet checked;
    # a figure's claim has no mark, its caption says it)
    marks = {}
    for page in built_site.rglob("index.html"):
        for cls, mid in re.findall(r'<sup class="wsw-claim([^"]*)" id="mark-([^"]+)"', page.read_text()):
            marks[mid] = "unchecked" if "wsw-unchecked" in cls else "sourced" if "sourced" in cls else "ok"
    wrong = []
    for rid, body in rows:
        if " · computed · " not in body:
            continue
        said = "ok" if "✓ passed on these inputs" in body else None
        said = "unchecked" if "not yet checked" in body else said
        if said is None or ((rid in marks or "-fig-" not in rid) and said != marks.get(rid)):
            wrong.append(f"{rid}: the row says {said}, its mark {marks.get(rid)}")
    assert not wrong, "\n".join(wrong[:10])


def test_claims_page_rows_show_the_formulas_of_their_page(built_site):
    """Each formula in a Claims row is rendered as on its chapter (its sentence is copied from the
    page's Markdown: stripping emphasis there once ate the _ and * of $d_{\\min}$ and $a^*$)."""
    html = (built_site / "claims" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<div class="wsw-claim-row" id="([^"]+)">(.*?)</div>', html, re.S)
    pages: dict[str, str] = {}
    wrong, seen = [], 0
    for rid, body in rows:
        sentence = re.search(r'class="wsw-claim-sentence">(.*?)</span>\s*</p>', body, re.S)
        page = re.search(r'<a href="\.\./([^/#"]+)/[^"]*">on the page</a>', body)
        if not (sentence and page):
            continue
        if page.group(1) not in pages:
            pages[page.group(1)] = (built_site / page.group(1) / "index.html").read_text(encoding="utf-8")
        for formula in re.findall(r"<math\b.*?</math>", sentence.group(1), re.S):
            seen += 1
            if formula not in pages[page.group(1)]:
                wrong.append(f"{rid}: {text_of(formula)!r} is not a formula of {page.group(1)}")
    assert seen > 50, f"only {seen} formulas found in the Claims rows"
    assert not wrong, f"{len(wrong)} formulas differ from their page's:\n" + "\n".join(wrong[:10])
