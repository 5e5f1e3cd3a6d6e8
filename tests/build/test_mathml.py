"""Maths as MathML Core (sitebuild/mathml.py): what Chromium renders as a textbook would, checked on
the converter's output and on every page of the built site; the subset math font covers every
character the site's formulas use. (How it looks in the browser: tests/build/test_browser.py.)"""

from __future__ import annotations

import re

import pytest

from sitebuild import mathml
from tools import mathfont

INLINE = '<p>Let <span class="arithmatex">\\({tex}\\)</span>{after} and more.</p>'
BLOCK = '<div class="arithmatex">\\[{tex}\\]</div>'


def inline(tex: str, after: str = "") -> str:
    return mathml.render(INLINE.format(tex=tex, after=after), "docs/demo.md")


def block(tex: str) -> str:
    return mathml.render(BLOCK.format(tex=tex), "docs/demo.md")


def test_unknown_command_fails_naming_the_page_and_formula():
    with pytest.raises(mathml.MathError, match=r"docs/demo\.md: cannot render formula \$\\frobnicate x\$"):
        inline(r"\frobnicate x")


def test_formula_left_as_tex_fails():
    with pytest.raises(mathml.MathError, match="left unrendered"):
        mathml.render("<p>$$x^2$$ with no blank line</p>", "docs/demo.md")


@pytest.mark.parametrize(
    ("tex", "char"),
    [
        (r"\mathbf{1}", "𝟏"),
        (r"\mathbb{E}", "𝔼"),
        (r"\mathbb{1}", "𝟙"),
        (r"\mathcal N", "𝒩"),
        (r"\mathbb{R}", "ℝ"),
    ],
)
def test_styled_letters_are_math_alphanumerics(tex, char):
    out = inline(tex)
    assert char in out and "mathvariant" not in out, out


def test_operator_names_are_one_upright_identifier():
    out = inline(r"\arg\min_w \operatorname{tr}(A) + \log x")
    for name in ("arg", "min", "tr", "log"):
        assert f"<mi>{name}</mi>" in out, out
    assert not re.search(r"(<mi>[a-z]</mi>){2,}", out), out


def test_unary_minus_has_no_binary_spacing_and_primes_are_primes():
    out = inline(r"[-1.6, 2.6], \varphi'(z)")
    assert '<mo lspace="0" rspace="0">−</mo><mn>1.6</mn>' in out, out
    assert "<mo>′</mo>" in out, out


def test_display_sum_is_a_large_operator_in_a_labelled_scroll_box():
    out = block(r"\sum_{i=1}^n x_i \prod_j y_j")
    assert out.startswith(mathml.BLOCK_OPEN) and 'display="block"' in out
    assert 'tabindex="0"' in out and 'aria-label="formula"' in out
    assert re.search(r"<munderover><mo[^>]*>∑</mo>", out) and re.search(r"<munder><mo[^>]*>∏</mo>", out), out


def test_inline_formula_keeps_its_punctuation_on_its_line():
    out = inline("x^2", after=",")
    assert re.search(r'<span class="wsw-nowrap"><math[^>]*>.*</math>,</span> and more', out), out
    out = mathml.render('<p>(<span class="arithmatex">\\(a\\)</span>).</p>', "docs/demo.md")
    assert re.search(r'<span class="wsw-nowrap">\(<math[^>]*>.*</math>\)\.</span>', out), out
    assert "wsw-nowrap" not in inline("x", after=" ")  # nothing to keep: no extra markup


# ---------------------------------------------------------------- every page of the built site

MATH_RE = re.compile(r"<math\b.*?</math>", re.S)
#: Operator names that must never be spelled as separate (italic) letters.
OPERATOR_NAMES = ["arg", "min", "max", "log", "exp", "tr", "det", "diag", "sign", "rank", "Var", "Cov", "sup"]


def site_maths(built_site) -> dict[str, list[str]]:
    found = {}
    for page in sorted(built_site.rglob("index.html")):
        maths = MATH_RE.findall(page.read_text(encoding="utf-8"))
        if maths:
            found[page.parent.relative_to(built_site).as_posix() or "home"] = maths
    assert found, "no <math> in the built site"
    return found


def test_site_maths_is_mathml_core(built_site):
    """No mathvariant Chromium ignores (only "normal", the upright single letter, is MathML Core),
    no operator name spelled letter by letter, no namespace or deprecated attributes."""
    problems = []
    spelled = re.compile("|".join("".join(f"<mi>{c}</mi>" for c in name) for name in OPERATOR_NAMES))
    for page, maths in site_maths(built_site).items():
        for m in maths:
            for variant in re.findall(r'<(\w+)[^>]*\bmathvariant="([^"]*)"[^>]*>([^<]*)<', m):
                if variant[0] != "mi" or variant[1] != "normal" or len(variant[2]) != 1:
                    problems.append(f"{page}: mathvariant {variant} in {m[:120]}")
            if spelled.search(m):
                problems.append(f"{page}: operator name spelled as letters: {m[:160]}")
            if re.search(r"\b(xmlns|mathcolor|mathbackground|fontstyle|fontweight)=", m):
                problems.append(f"{page}: non-Core attribute in {m[:120]}")
    assert not problems, "\n".join(problems[:20])


def test_display_formulas_are_in_their_scroll_box(built_site):
    for path in sorted(built_site.rglob("index.html")):
        text, page = path.read_text(encoding="utf-8"), path.parent.relative_to(built_site).as_posix()
        blocks = text.count('<math display="block"')
        boxed = len(re.findall(re.escape(mathml.BLOCK_OPEN) + r'<math display="block"', text))
        assert blocks == boxed, f"{page}: {blocks - boxed} of {blocks} display formulas outside .wsw-math"


def test_math_font_covers_every_character_of_the_site(built_site):
    """The subset font has a glyph for every character in the site's formulas (if not: cut it again,
    `python -m tools.mathfont font SITE_DIR`), and it is served with its licence."""
    used = mathfont.characters_of_site(built_site)
    ignorable = {" ", "\u00a0", "\u2061", "\u2062", "\u2063", "\ufe00", "\ufe01"}
    missing = sorted(used - mathfont.font_characters() - ignorable)
    assert not missing, "characters the math font lacks: " + " ".join(f"U+{ord(c):04X} {c}" for c in missing)
    fonts = built_site / "assets" / "fonts"
    assert (fonts / mathfont.FONT.name).stat().st_size < 60_000
    assert (fonts / "GUST-FONT-LICENSE.txt").is_file() and (fonts / "README-WSW-Math.txt").is_file()
    css = (built_site / "assets" / "site.css").read_text()
    assert f'font-family: "{mathfont.FONT_FAMILY}"' in css and f"fonts/{mathfont.FONT.name}" in css


def test_formulas_are_left_out_of_the_search_index():
    """Every <math> carries data-search-exclude, which Material's search plugin skips: formula text
    is no word a reader types, and such tokens made lunr's prefix search throw."""
    assert inline("x^2").count("<math data-search-exclude") == 1
    assert block(r"\sum_i x_i").count("<math data-search-exclude") == 1
