"""Render the TeX that pymdownx.arithmatex marks up into MathML Core at build time.

No JavaScript: every current browser renders MathML Core. The converter is math-core, which writes
MathML Core only: Unicode math alphanumerics for \\mathbf / \\mathbb / \\mathcal (not the
``mathvariant`` values Chromium ignores), one upright ``<mi>`` per operator name (\\arg\\min,
\\operatorname), a unary minus without binary spacing, primes as ``<mo>′</mo>``, and large
operators that the math font enlarges in display style. On this site's formulas it had no
failure and took 31 ms against latex2mathml's 1.5 s (measured December 2026, 1,479 formulas).

The glyphs come from a subset of Latin Modern Math served with the site (docs/assets/fonts/,
renamed "WSW Math" as its licence asks of derived fonts), cut by the developer tool tools/mathfont.py.
"""

from __future__ import annotations

import html
import re

from math_core import LatexError, LatexToMathML

#: Libraries whose version is part of the rendered maths' cache key (sitebuild.cache).
LIBS = ("math-core",)

INLINE_RE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
BLOCK_RE = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
#: An inline formula with the punctuation that touches it: an opening bracket or quote before,
#: closing punctuation after. Both are kept on the formula's line (a nowrap span).
INLINE_WITH_PUNCTUATION_RE = re.compile(r"([(\[“‘]*)" + INLINE_RE.pattern + r"([.,;:!?)\]”’…]*)", re.S)

_CONVERTER = LatexToMathML(fancy_error=False)


class MathError(ValueError):
    pass


def _convert(tex: str, display: bool, where: str) -> str:
    source = html.unescape(tex).strip()
    try:
        mathml = _CONVERTER.convert_with_local_state(source, displaystyle=display)
    except LatexError as exc:  # an unknown command, an unbalanced brace, ...
        message = " ".join(str(exc).split())
        raise MathError(f"{where}: cannot render formula ${source}$: {message}") from None
    # the function-application operator as the character itself (14 bytes shorter, same meaning)
    mathml = mathml.replace("&ApplyFunction;", "\u2061")
    # out of Material's search index: a formula's text is no word a reader types ("a2‖w2‖2/a2"),
    # and such tokens make lunr's prefix search throw (a query with "a" found nothing)
    return mathml.replace("<math", "<math data-search-exclude", 1)


def _inline(match: re.Match, where: str) -> str:
    before, tex, after = match.groups()
    mathml = _convert(tex, False, where)
    if not (before or after):
        return mathml
    return f'<span class="wsw-nowrap">{before}{mathml}{after}</span>'


#: A display formula: a box that scrolls sideways when the formula is wider than the column (a
#: shadow at the side that hides more shows it, see site.css), reachable by keyboard and named.
BLOCK_OPEN = '<div class="wsw-math" tabindex="0" role="group" aria-label="formula">'

CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
LEFTOVER = re.compile(r"\$\$|\\\(|\\\[")


def render(page_html: str, where: str) -> str:
    page_html = BLOCK_RE.sub(lambda m: BLOCK_OPEN + _convert(m.group(1), True, where) + "</div>", page_html)
    page_html = INLINE_WITH_PUNCTUATION_RE.sub(lambda m: _inline(m, where), page_html)
    leftover = LEFTOVER.search(CODE.sub("", page_html))
    if leftover:  # e.g. a $$ block not followed by a blank line is left as text by arithmatex
        text = CODE.sub("", page_html)
        raise MathError(
            f"{where}: formula left unrendered near: {text[leftover.start() : leftover.start() + 80]!r}"
        )
    return page_html
