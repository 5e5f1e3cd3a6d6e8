"""The site's one plotting style: two palettes (light, dark) and the rcParams they imply.

Figure functions never set colours or rcParams themselves; they take a ``Palette`` and use its
named colours. The build renders every figure once per palette.

Colours follow Okabe & Ito's colour-blind-safe set; the dark palette uses lighter variants so
that every line keeps a contrast of at least 3:1 against the dark page background.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    name: str
    fg: str  # text, axes, the main data points
    muted: str  # secondary text, reference lines
    grid: str
    bg: str  # the page background the figure sits on
    blue: str
    orange: str
    green: str
    pink: str
    yellow: str
    sky: str
    cmap: str  # sequential colour map for contours and images
    cmap_diverging: str

    @property
    def cycle(self) -> list[str]:
        """Colours in the order lines should use them."""
        return [self.blue, self.orange, self.green, self.pink, self.sky, self.yellow]


LIGHT = Palette(
    name="light",
    fg="#1f1f1f",
    muted="#5f5f5f",
    grid="#e3e3e3",
    bg="#ffffff",
    blue="#0072B2",
    orange="#D55E00",
    green="#007A5A",
    pink="#B8478F",
    yellow="#9A7B00",
    sky="#3A8FC4",
    cmap="viridis",
    cmap_diverging="RdBu_r",
)

DARK = Palette(
    name="dark",
    fg="#e8e8ea",
    muted="#a9abb3",
    grid="#3b3e4b",
    bg="#1e2129",
    blue="#56B4E9",
    orange="#F0954A",
    green="#3CC99B",
    pink="#E08CC0",
    yellow="#F0E442",
    sky="#9AD3F5",
    cmap="viridis",
    cmap_diverging="RdBu_r",
)

PALETTES = {"light": LIGHT, "dark": DARK}

#: Default figure size in inches (width, height). A figure function may change the height, and
#: should keep the width at most MAX_WIDTH: a figure is shown at its natural size (4.8 in = 461 CSS px)
#: on a desktop and scaled down to the column on a phone (about 358 px at a 390 px screen), where
#: MIN_FONT-point text still reads at 11 CSS px. Stack panels vertically rather than widen a figure.
FIGSIZE = (4.8, 3.4)
MAX_WIDTH = 4.8
#: The smallest text size (points) any figure may use; tests check every figure against it.
MIN_FONT = 11


def rc(pal: Palette) -> dict:
    """matplotlib rcParams for one palette: transparent background, palette text colours."""
    return {
        "figure.figsize": FIGSIZE,
        "figure.dpi": 100,
        "savefig.dpi": 110,  # only rasterized layers use it
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "figure.constrained_layout.use": True,
        "font.family": "DejaVu Sans",
        "font.size": MIN_FONT,
        "axes.titlesize": MIN_FONT + 1,
        "axes.labelsize": MIN_FONT,
        "xtick.labelsize": MIN_FONT,
        "ytick.labelsize": MIN_FONT,
        "legend.fontsize": MIN_FONT,
        "legend.frameon": False,
        "text.color": pal.fg,
        "axes.labelcolor": pal.fg,
        "axes.edgecolor": pal.muted,
        "xtick.color": pal.muted,
        "ytick.color": pal.muted,
        "xtick.labelcolor": pal.fg,
        "ytick.labelcolor": pal.fg,
        "grid.color": pal.grid,
        "axes.grid": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": __import__("cycler").cycler(color=pal.cycle),
        "lines.linewidth": 1.8,
        "lines.markersize": 5,
        "image.cmap": pal.cmap,
        "svg.fonttype": "none",  # text stays text: smaller files, selectable, read by screen readers
        "svg.hashsalt": "why-small-weights",
        "path.simplify": True,
    }


def show(fig_function, pal: Palette = LIGHT) -> None:
    """Draw a snippet's ``fig_<name>`` function in a notebook, in the site's style: one call,
    ``show(occam.fig_fits)``."""
    import matplotlib.pyplot as plt

    with plt.rc_context(rc(pal)):
        fig = plt.figure()
        fig_function(fig, pal)
        plt.show()
