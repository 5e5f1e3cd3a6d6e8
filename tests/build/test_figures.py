"""Every figure of every page is legible where a reader sees it, checked on the figures' data (the
SVG files the build made, the matplotlib artists that drew them), not on screenshots.

1. Text size. A figure is shown at its natural width, or scaled down to the content column when it
   is wider (docs/assets/site.css). Its smallest text, as the SVG font size x rendered width /
   viewBox width, is at least 11 CSS px on a 390 px phone and 12 px on a 1280 px desktop.
   test_browser.py measures the same quantity on the rendered pages, and the column widths.
2. No legend or text over the data: each figure function is drawn again with the site's style,
   and no legend or text extent of an axes contains a data point (a Line2D vertex or a scatter
   offset) of the same axes.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET

import pytest

from sitebuild import project, runner

#: Figures not yet fixed by their page's engineer ("page.figure"); they are skipped by the checks
#: below until they pass. Keep it as short as the truth allows: a listed figure that passes fails
#: test_not_yet_legible_list_is_current.
NOT_YET_LEGIBLE: set[str] = set()

#: Material's content column (.md-typeset) at each screen width, CSS px, measured in Chromium
#: (test_browser.py::test_readable_on_phone_and_desktop checks them on every page).
COLUMN = {390: 358, 1280: 688}
MIN_TEXT_PX = {390: 11, 1280: 12}
#: .wsw-figure img { max-width: 44rem } (20 px root font size)
MAX_FIGURE_PX = 880
PT = 4 / 3  # CSS px per point

FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)(px|pt)?")


def figures() -> list[tuple[str, str]]:
    return [
        (name, fig.split(".")[0])
        for name in project.page_snippets()
        for fig in runner.render(name).manifest["figures"]
        if fig.endswith(".light.svg")
    ]


FIGURES = figures()


def fig_id(item) -> str:
    return f"{item[0]}.{item[1]}"


def _size(el) -> float | None:
    found = FONT_SIZE.search(el.get("style", "")) or (
        el.get("font-size") and FONT_SIZE.search(f"font-size: {el.get('font-size')}")
    )
    return float(found.group(1)) * (PT if found.group(2) == "pt" else 1) if found else None


def svg_text_sizes(svg_path) -> tuple[float, float, list[float]]:
    """(width in CSS px, viewBox width, the font size of every text element in viewBox units).
    A text element's size is its largest: matplotlib draws a formula's exponents and indices
    (10⁻⁴ on a log axis) as tspans at 70 % of the text they belong to, as typesetting does, and
    those are not counted apart."""
    root = ET.parse(svg_path).getroot()
    value, unit = re.fullmatch(r"([\d.]+)(pt|px)?", root.get("width")).groups()
    css_width = float(value) * (PT if unit == "pt" else 1)
    view_width = float(root.get("viewBox").split()[2])
    sizes = []
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "text":
            continue
        own = [size for part in el.iter() if (size := _size(part)) is not None]
        if own and "".join(el.itertext()).strip():
            sizes.append(max(own))
    return css_width, view_width, sizes


def smallest_text_px(name: str, fig: str) -> dict[int, float]:
    folder = runner.render(name).folder
    css_width, view_width, sizes = svg_text_sizes(folder / f"{fig}.light.svg")
    assert sizes, f"{name}.{fig}: no text element in the SVG (svg.fonttype must stay 'none')"
    return {
        screen: min(sizes) * min(css_width, column, MAX_FIGURE_PX) / view_width
        for screen, column in COLUMN.items()
    }


def too_small(name: str, fig: str) -> list[str]:
    return [
        f"{px:.1f} px at {screen} px < {MIN_TEXT_PX[screen]}"
        for screen, px in smallest_text_px(name, fig).items()
        if px < MIN_TEXT_PX[screen]
    ]


@pytest.mark.parametrize("item", FIGURES, ids=fig_id)
def test_smallest_figure_text_is_legible(item):
    if fig_id(item) in NOT_YET_LEGIBLE:
        pytest.skip("listed in NOT_YET_LEGIBLE")
    problems = too_small(*item)
    assert not problems, f"{fig_id(item)}: smallest text " + "; ".join(problems)


# ---------------------------------------------------------------- legends and text over data


def overlaps(name: str, fig_name: str) -> list[str]:
    """Legend and text extents of each axes that contain a data point of that axes."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    from snippets import style

    module = importlib.import_module(f"snippets.{name}")
    with plt.rc_context(style.rc(style.LIGHT)):
        fig = Figure()
        FigureCanvasAgg(fig)
        getattr(module, f"fig_{fig_name}")(fig, style.LIGHT)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        found = []
        for ax in fig.axes:
            frame = ax.get_window_extent(renderer)
            points = []
            for line in ax.get_lines():
                if line.get_visible():
                    points.extend(line.get_transform().transform(line.get_xydata()))
            for coll in ax.collections:
                if isinstance(coll, PathCollection) and coll.get_visible() and len(coll.get_offsets()):
                    points.extend(coll.get_offset_transform().transform(coll.get_offsets()))
            points = [p for p in points if frame.contains(*p)]  # what the axes clips is not shown
            boxes = []
            legends = [ax.get_legend()] + [lg for lg in fig.legends if lg.axes is ax]
            for legend in legends:
                if isinstance(legend, Legend) and legend.get_visible():
                    boxes.append(("legend", legend.get_window_extent(renderer)))
            for text in ax.texts:
                if text.get_visible() and text.get_text().strip():
                    # the text alone, without an annotation's arrow
                    boxes.append((f"text {text.get_text()!r}", Text.get_window_extent(text, renderer)))
            for what, box in boxes:
                inner = box.expanded(1, 1).padded(-1)  # a point on the very edge does not count
                hits = [p for p in points if inner.contains(*p)]
                if hits:
                    found.append(
                        f"{what} of axes {fig.axes.index(ax)} covers {len(hits)} data point(s), "
                        f"e.g. at display ({hits[0][0]:.0f}, {hits[0][1]:.0f})"
                    )
        return found


@pytest.mark.parametrize("item", FIGURES, ids=fig_id)
def test_no_legend_or_text_over_data(item):
    if fig_id(item) in NOT_YET_LEGIBLE:
        pytest.skip("listed in NOT_YET_LEGIBLE")
    problems = overlaps(*item)
    assert not problems, f"{fig_id(item)}:\n" + "\n".join(problems)


def test_not_yet_legible_list_is_current():
    """Every listed figure exists and still fails one of the two checks (otherwise: take it off)."""
    known = {fig_id(item) for item in FIGURES}
    assert NOT_YET_LEGIBLE <= known, f"not figures of the site: {sorted(NOT_YET_LEGIBLE - known)}"
    fixed = [
        f for f in sorted(NOT_YET_LEGIBLE) if not too_small(*f.split(".")) and not overlaps(*f.split("."))
    ]
    assert not fixed, f"legible now, take them off NOT_YET_LEGIBLE: {fixed}"


# ---------------------------------------------------------------- compaction keeps the drawing


def _drawing(svg: str) -> list[tuple]:
    """What an SVG draws, element by element: tag, attributes with each tspan's inherited style
    made explicit, path numbers to 0.01, text; metadata left out."""
    root = ET.fromstring(svg.encode())
    out = []

    def walk(el, inherited_style):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "metadata":
            return
        attrs = dict(el.attrib)
        style = attrs.pop("style", None)
        if tag == "text" and all(c.tag.endswith("tspan") for c in el) and len(el):
            inherited_style, style = style, None  # compared on the tspans below
        elif tag == "tspan":
            style = style or inherited_style
        if "d" in attrs:
            attrs["d"] = [round(float(v), 2) for v in re.findall(r"-?\d+\.?\d*", attrs["d"])]
        out.append((tag, style, sorted(attrs.items(), key=str), (el.text or "").strip()))
        for child in el:
            walk(child, inherited_style)

    walk(root, None)
    return out


def test_compact_svg_keeps_every_element_and_style():
    """compact_svg drops metadata, comments and indentation and writes a formula's glyph style once;
    every element, position, style and glyph of the drawing is kept (checked on a real figure with
    formulas, markers and paths, against its own uncompacted SVG)."""
    import io

    from matplotlib.figure import Figure

    from sitebuild.worker import compact_svg
    from snippets import style

    with plt_rc(style.rc(style.LIGHT)):
        fig = Figure()
        ax = fig.add_subplot()
        ax.plot([0.123456, 1.5, 2.25], [1e-4, 1e-2, 1], "o-", label=r"$\|w\|_2^2$")
        ax.set_yscale("log")
        ax.set_xlabel(r"$\lambda$, the penalty weight")
        ax.set_title(r"$\mathrm{(1 - 0.5)} \times 3$")  # glyphs styled alike: hoisted
        ax.legend()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    raw = buffer.getvalue()
    small = compact_svg(raw)
    assert len(small) < 0.9 * len(raw), (len(small), len(raw))
    assert "<metadata>" not in small and "<!--" not in small
    assert small.count("<tspan") == raw.count("<tspan")
    assert small.count("style=") < raw.count("style="), "no formula's glyph style was written once"
    assert _drawing(small) == _drawing(raw)


def plt_rc(rc):
    import matplotlib.pyplot as plt

    return plt.rc_context(rc)
