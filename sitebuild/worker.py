"""Runs ONE snippet in a fresh process: draws its figures for every palette, writes its values.

Usage: python -m sitebuild.worker <snippet name> <output folder>

Writes into the output folder ``<figure>.<palette>.svg`` for every ``fig_<figure>`` function and
``<figure>.csv``, the numbers that figure plots (``figure_table``), ``<name>.json`` for every
``data_<name>`` function, ``manifest.json`` with the values and the list of files (with their
checksums), and last ``manifest.sha256``, the manifest's own checksum. On any error it prints
the traceback, names the snippet and function, and exits 1.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import math
import re
import sys
import traceback
from pathlib import Path

METADATA = re.compile(r"\s*<metadata>.*?</metadata>|<!--.*?-->", re.S)
PATH_DATA = re.compile(r'( d=")([^"]*)(")')
NUMBER = re.compile(r"-?\d+\.\d+")
ONE_STYLE_TEXT = re.compile(r"<text>(?:\s*<tspan [^>]*>[^<]*</tspan>)+\s*</text>")
TSPAN_STYLE = re.compile(r' style="([^"]*)"')
BETWEEN_TAGS = re.compile(r">\n\s*<")


def _round(match: re.Match) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _hoist_style(match: re.Match) -> str:
    """A formula's glyphs (one tspan each) all styled alike: the style once, on their <text>."""
    text = match.group(0)
    styles = set(TSPAN_STYLE.findall(text))
    if len(styles) != 1:
        return text
    style = styles.pop()
    return f'<text style="{style}">' + text[len("<text>") :].replace(f' style="{style}"', "")


def compact_svg(svg: str) -> str:
    """matplotlib's SVG, smaller and drawn the same (Chromium draws both pixel for pixel): path
    coordinates rounded to 0.01 pt (it writes six decimals), no metadata or comments, a formula's
    repeated glyph style written once, no indentation between tags. (Rounding text and marker
    positions too would move a glyph by a pixel here and there, so they are left.)"""
    svg = METADATA.sub("", svg)
    svg = PATH_DATA.sub(lambda m: f"{m[1]}{' '.join(NUMBER.sub(_round, m[2]).split())}{m[3]}", svg)
    svg = ONE_STYLE_TEXT.sub(_hoist_style, svg)
    return BETWEEN_TAGS.sub("><", svg)


#: At most this many rows in a figure's CSV: longer series are thinned evenly (first and last
#: points kept) so that a 5,000-point scatter stays a small file.
TABLE_ROWS = 2500


def _fmt(v) -> str:
    v = float(v)
    return format(v, ".7g") if math.isfinite(v) else ""


def figure_table(fig, title: str) -> str:
    """The numbers a drawn matplotlib Figure plots, as CSV: one row per point of every line
    (Line2D), scatter (PathCollection offsets), bar (Rectangle patch: centre and top) and step
    (StepPatch, ``stairs``: left bin edge and value, then the last edge) drawn in data coordinates,
    with the panel, the series' legend label and its kind. Reference lines and spans in axes
    coordinates, filled bands, contours and images are left out (comment lines say which panels
    had images or contours). The header names each panel's axes."""
    import csv

    from matplotlib.collections import PathCollection
    from matplotlib.image import AxesImage
    from matplotlib.patches import Rectangle, StepPatch

    series, notes = [], [f"# {title}: the numbers this figure plots", "# panels (axes labels):"]
    for p, ax in enumerate(fig.axes, 1):
        notes.append(f"#   {p}: x = {ax.get_xlabel() or '(none)'}; y = {ax.get_ylabel() or '(none)'}")

        def in_data(artist, transform=None, ax=ax):
            return (transform or artist.get_transform()).contains_branch(ax.transData)

        def name(artist, kind, i):
            label = artist.get_label() or ""
            return label if label and not label.startswith("_") else f"{kind} {i}"

        for i, line in enumerate(ax.get_lines(), 1):
            if in_data(line) and len(line.get_xydata()):
                kind = "points" if line.get_linestyle() in ("None", "", " ") else "line"  # plot(x, y, "o")
                series.append((p, name(line, kind, i), kind, line.get_xydata()))
        for i, coll in enumerate(c for c in ax.collections if isinstance(c, PathCollection)):
            offsets = coll.get_offsets()
            if len(offsets) and in_data(coll, coll.get_offset_transform()):
                series.append((p, name(coll, "points", i + 1), "points", offsets))
        bars = [r for r in ax.patches if isinstance(r, Rectangle) and in_data(r)]
        if bars:
            xy = [(r.get_x() + r.get_width() / 2, r.get_y() + r.get_height()) for r in bars]
            series.append((p, name(bars[0], "bars", 1), "bar", xy))
        steps = [s for s in ax.patches if isinstance(s, StepPatch) and in_data(s)]
        for i, step in enumerate(steps, 1):
            values, edges, _ = step.get_data()
            xy = [*zip(edges[:-1], values, strict=True), (edges[-1], math.nan)]
            series.append((p, name(step, "steps", i), "step", xy))
        skipped = [
            kind
            for kind, present in (
                ("an image", any(isinstance(a, AxesImage) for a in ax.get_images())),
                ("contours or bands", any(not isinstance(c, PathCollection) for c in ax.collections)),
            )
            if present
        ]
        if skipped:
            notes.append(f"#   panel {p} also has {' and '.join(skipped)}, not included")
    per_series = max(50, TABLE_ROWS // max(1, len(series)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["panel", "series", "kind", "x", "y"])
    for p, label, kind, xy in series:
        rows = list(xy)
        if len(rows) > per_series:
            step = (len(rows) - 1) / (per_series - 1)
            rows = [rows[round(k * step)] for k in range(per_series)]
        for x, y in rows:
            writer.writerow([p, label, kind, _fmt(x), _fmt(y)])
    return "\n".join(notes) + "\n" + buffer.getvalue()


class SnippetFault(Exception):
    """A snippet broke the interface (bad value, no figures for a referenced name, ...)."""


def _check_value(snippet: str, key: str, value):
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if hasattr(value, "item") and getattr(value, "shape", None) == ():  # numpy scalar
        value = value.item()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SnippetFault(f"snippets/{snippet}.py: values()['{key}'] is {value}, not a finite number")
        return value
    raise SnippetFault(
        f"snippets/{snippet}.py: values()['{key}'] has type {type(value).__name__}; "
        "values must be numbers or short strings"
    )


def run(snippet: str, out: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from snippets import style

    out.mkdir(parents=True, exist_ok=True)
    guard_reads(snippet, out)
    module = importlib.import_module(f"snippets.{snippet}")
    functions = dict(inspect.getmembers(module, inspect.isfunction))
    figures, data = [], []
    for fname, fn in sorted(functions.items()):
        if fn.__module__ != module.__name__:
            continue
        if fname.startswith("fig_"):
            name = fname[4:]
            for pal_name in style.PALETTES:
                pal = style.PALETTES[pal_name]
                with matplotlib.rc_context(style.rc(pal)):
                    fig = Figure()
                    fn(fig, pal)
                    buffer = io.StringIO()
                    fig.savefig(buffer, format="svg", metadata={"Date": None})
                (out / f"{name}.{pal_name}.svg").write_text(compact_svg(buffer.getvalue()), encoding="utf-8")
                figures.append(f"{name}.{pal_name}.svg")
                if pal_name == "light":  # the data beside the figure (the same in every palette)
                    (out / f"{name}.csv").write_text(figure_table(fig, f"{snippet}/{name}"), encoding="utf-8")
                    figures.append(f"{name}.csv")
        elif fname.startswith("data_"):
            name = fname[5:]
            payload = fn()
            try:
                text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
            except (TypeError, ValueError) as exc:
                raise SnippetFault(
                    f"snippets/{snippet}.py: {fname}() returned data that is not plain JSON "
                    f"(NaN, infinity or an object JSON cannot hold): {exc}"
                ) from None
            (out / f"{name}.json").write_text(text, encoding="utf-8")
            data.append(f"{name}.json")
    values = {}
    if "values" in functions and functions["values"].__module__ == module.__name__:
        raw = functions["values"]()
        if not isinstance(raw, dict):
            raise SnippetFault(f"snippets/{snippet}.py: values() returned {type(raw).__name__}, not a dict")
        values = {k: _check_value(snippet, k, v) for k, v in sorted(raw.items())}
    from sitebuild.cache import digest

    files = {f: digest([(out / f).read_bytes()]) for f in figures + data}
    manifest = {"snippet": snippet, "figures": figures, "data": data, "values": values}
    manifest["sha256"] = files  # the runner uses an entry only if every file still matches
    text = json.dumps(manifest, sort_keys=True, indent=1)
    (out / "manifest.json").write_text(text, encoding="utf-8")
    (out / "manifest.sha256").write_text(digest([text.encode()]), encoding="ascii")  # written last
    return manifest


def guard_reads(snippet: str, out: Path) -> None:
    """A snippet may read no file but the modules under snippets/ (their bytes are its cache key):
    any other file would change its output without changing the key. Libraries' own files stay
    readable (the Python installation, site-packages, matplotlib's config and font cache, system
    fonts); the output folder is writable."""
    import os
    import sysconfig

    import matplotlib

    allowed = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        *sysconfig.get_paths().values(),
        matplotlib.get_configdir(),
        matplotlib.get_cachedir(),
        str(Path(__file__).resolve().parent),  # the build's own modules
        str(Path(sys.modules["snippets"].__file__).parent),  # snippets/ (the runner's snapshot of it)
        str(out.resolve()),
        "/usr",
        "/etc",
        "/proc",
        "/sys",
        "/dev",
    }
    roots = tuple(os.path.join(os.path.realpath(a), "") for a in allowed)

    def hook(event, args):
        if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
            return
        path = os.path.realpath(os.fsdecode(args[0]))
        if not (path + os.sep).startswith(roots):
            raise PermissionError(
                f"snippets/{snippet}.py reads '{path}': a snippet may read no file but the modules "
                "under snippets/ (the cache could not see a change to it). Put the data in a module."
            )

    sys.addaudithook(hook)


def _die_with_the_build() -> None:
    """If the build process dies (even by SIGKILL), this worker is killed too (Linux)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    import os

    if os.environ.get("SITEBUILD_PARENT", str(os.getppid())) != str(os.getppid()):
        os._exit(1)  # the build died before the line above took effect


def main(argv: list[str]) -> int:
    _die_with_the_build()
    snippet, out = argv[1], Path(argv[2])
    try:
        run(snippet, out)
    except BaseException as exc:  # report every failure with the culprit named, sys.exit() included
        tb = traceback.extract_tb(exc.__traceback__)
        where = next(
            (
                f"{Path(f.filename).name}:{f.lineno} in {f.name}"
                for f in reversed(tb)
                if "/snippets/" in f.filename
            ),
            "",
        )
        what = (
            f"called sys.exit({exc.code!r})"
            if isinstance(exc, SystemExit)
            else f"{type(exc).__name__}: {exc}"
        )
        summary = (
            f"snippet '{snippet}' (snippets/{snippet}.py) failed{' at ' + where if where else ''}: {what}"
        )
        print(summary, file=sys.stderr)
        traceback.print_exc()
        out.mkdir(parents=True, exist_ok=True)
        (out / "manifest.json").unlink(missing_ok=True)
        (out / "manifest.sha256").unlink(missing_ok=True)
        tail = "".join(traceback.format_exception(exc)[-12:])
        (out / "error.txt").write_text(summary + "\n" + tail, encoding="utf-8")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
