"""Render the TeX that pymdownx.arithmatex marks up into MathML at build time.

No JavaScript and no fonts are shipped for maths: every current browser renders MathML Core.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

INLINE_RE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
BLOCK_RE = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)


UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")


class MathError(ValueError):
    pass


def _convert(tex: str, display: str, where: str) -> str:
    source = html.unescape(tex).strip()
    try:
        mathml = _compact(convert(source, display=display))
        # HTML5 needs neither the namespace nor display="inline" (the default)
        mathml = mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)
        mathml = mathml.replace(' display="inline"', "", 1)
    except Exception as exc:  # latex2mathml raises many exception types
        raise MathError(f"{where}: cannot render formula ${source}$: {exc}") from exc
    unknown = UNKNOWN_COMMAND.search(mathml)
    if unknown:  # latex2mathml prints a command it does not know as text
        raise MathError(f"{where}: cannot render formula ${source}$: unknown command {unknown.group(1)}")
    return mathml


ENTITY = re.compile(r"&#x([0-9A-Fa-f]+);")
KEEP_ESCAPED = {0x26, 0x3C, 0x3E, 0x22, 0x27}  # & < > " '


def _compact(mathml: str) -> str:
    """Write characters such as λ as themselves rather than as &#x003BB; (a quarter smaller)."""
    return ENTITY.sub(
        lambda m: m.group(0) if int(m.group(1), 16) in KEEP_ESCAPED else chr(int(m.group(1), 16)), mathml
    )


CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
LEFTOVER = re.compile(r"\$\$|\\\(|\\\[")


def render(page_html: str, where: str) -> str:
    page_html = BLOCK_RE.sub(
        lambda m: '<div class="wsw-math" tabindex="0">' + _convert(m.group(1), "block", where) + "</div>",
        page_html,
    )
    page_html = INLINE_RE.sub(lambda m: _convert(m.group(1), "inline", where), page_html)
    leftover = LEFTOVER.search(CODE.sub("", page_html))
    if leftover:  # e.g. a $$ block not followed by a blank line is left as text by arithmatex
        text = CODE.sub("", page_html)
        raise MathError(
            f"{where}: formula left unrendered near: {text[leftover.start() : leftover.start() + 80]!r}"
        )
    return page_html
