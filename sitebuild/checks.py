"""Checks on the built site that MkDocs' strict mode does not make."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

# attributes that name a file: src, href, and the data-src / data-json that our scripts load
REF_RE = re.compile(r'\s(?:src|href|data-src|data-json)="([^"]+)"')
SKIP_SCHEMES = ("http:", "https:", "mailto:", "data:", "javascript:", "tel:")


def local_references(html: str) -> list[str]:
    refs = []
    for ref in REF_RE.findall(html):
        if ref.startswith(SKIP_SCHEMES) or ref.startswith("#") or ref.startswith("//"):
            continue
        path = unquote(urlsplit(ref).path)
        if path and not path.startswith("{") and "${" not in path:
            refs.append(path)
    return refs


def missing_references(
    site_dir: str | Path, base_path: str = "/", made_later: tuple[str, ...] = ()
) -> list[str]:
    """'page.html: missing.svg' for every local file an HTML page references that is not in the site.

    ``base_path`` is the path of site_url ('/project/' on GitHub Pages): absolute references start with it.
    ``made_later``: site-relative files made after the build (project.MADE_AFTER_BUILD), allowed absent.
    """
    site = Path(site_dir).resolve()
    present = {p.as_posix() for p in site.rglob("*") if p.is_file()}
    present |= {(site / name).as_posix() for name in made_later}
    problems = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        for ref in set(local_references(html)):
            if ref.startswith("/"):
                target = (site / ref.removeprefix(base_path.rstrip("/")).lstrip("/")).as_posix()
            else:
                target = (page.parent / ref).as_posix()
            target = posixpath.normpath(target)  # the site has no symbolic links: no need to resolve
            if target not in present and posixpath.join(target, "index.html") not in present:
                problems.append(f"{page.relative_to(site)}: {ref}")
    return sorted(problems)
