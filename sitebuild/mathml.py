"""Render the TeX that pymdownx.arithmatex marks up into MathML Core at build time.

No JavaScript: every current browser renders MathML Core. The converter is math-core, which writes
MathML Core only: Unicode math alphanumerics for \\mathbf / \\mathbb / \\mathcal (not the
``mathvariant`` values Chromium ignores), one upright ``<mi>`` per operator name (\\arg\\min,
\\operatorname), a unary minus without binary spacing, primes as ``<mo>′</mo>``, and large
operators that the math font enlarges in display style. On this site's formulas it had no
failure and took 31 ms against latex2mathml's 1.5 s (measured December 2026, 1,479 formulas).

The glyphs come from a subset of Latin Modern Math served with the site
(docs/assets/fonts/, renamed "WSW Math" as its licence asks of derived fonts);
``python -m sitebuild.mathml font SITE_DIR`` cuts it again from the characters of a built site.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

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


# ---------------------------------------------------------------- the math font

FONT_DIR = Path(__file__).resolve().parent.parent / "docs" / "assets" / "fonts"
FONT = FONT_DIR / "wsw-math.woff2"
FONT_FAMILY = "WSW Math"
#: Latin Modern Math as Debian's fonts-lmodern installs it (needed only to cut the subset again).
SOURCE_FONT = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")

MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.S)
TAG = re.compile(r"<[^>]*>")

#: Kept beyond the characters the site uses, so a new formula rarely needs a new cut: printable
#: ASCII and the Greek letters (each extra glyph costs about 110 bytes of WOFF2; every page with
#: maths downloads the font).
MARGIN = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0x391, 0x3AA) if c != 0x3A2)
    + "".join(chr(c) for c in range(0x3B1, 0x3CA))
    + "ϑϕϵ−′\u2061"
)


def characters_of_site(site_dir: Path) -> set[str]:
    """Every character inside a <math> element of the built site's pages."""
    chars: set[str] = set()
    for page in Path(site_dir).rglob("*.html"):
        for math in MATH_ELEMENT.findall(page.read_text(encoding="utf-8")):
            chars.update(html.unescape(TAG.sub("", math)))
    return chars - {"\n", "\t", "\r"}


def cut_font(characters: set[str], out: Path = FONT, source: Path = SOURCE_FONT, margin: str = MARGIN) -> int:
    """Subset Latin Modern Math to ``characters`` plus MARGIN, keeping its MATH table (the large
    and stretched variants the characters need come with it), renamed and written as WOFF2."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    # no OpenType features: Chromium takes the large and stretched forms from the MATH table, and
    # the script-size alternates (ssty) would double the glyph count
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in characters | set(margin)}))
    subsetter.subset(font)
    assert "MATH" in font, "the subset lost the MATH table"
    # the GUST Font License asks that a derived font carry a new name
    for record in font["name"].names:
        if record.nameID in (1, 4, 16, 21):
            record.string = FONT_FAMILY
        elif record.nameID == 6:
            record.string = FONT_FAMILY.replace(" ", "")
        elif record.nameID == 3:
            record.string = f"{FONT_FAMILY}; subset of Latin Modern Math 1.959"
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(out)
    return out.stat().st_size


def font_characters(font: Path = FONT) -> set[str]:
    from fontTools.ttLib import TTFont

    return {chr(c) for c in TTFont(font).getBestCmap()}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "font":
        print("usage: python -m sitebuild.mathml font SITE_DIR   (cut the math font for a built site)")
        return 2
    chars = characters_of_site(Path(argv[1]))
    size = cut_font(chars)
    print(f"{FONT}: {size:,} bytes, {len(chars)} characters used on the site")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
