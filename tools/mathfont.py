"""The site's math font: a subset of Latin Modern Math, cut from the characters a built site's
MathML uses (a developer tool: the build serves docs/assets/fonts/wsw-math.woff2 as it is).

    python -m tools.mathfont font SITE_DIR

Run it after a new formula brings a character the font lacks (tests/build/test_mathml.py names it).
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

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
        print("usage: python -m tools.mathfont font SITE_DIR   (cut the math font for a built site)")
        return 2
    chars = characters_of_site(Path(argv[1]))
    size = cut_font(chars)
    print(f"{FONT}: {size:,} bytes, {len(chars)} characters used on the site")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
