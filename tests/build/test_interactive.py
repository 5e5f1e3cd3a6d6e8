"""Interactive figures: the data every data_<name>() function produces, and the live plots that
assets/interactive.js draws from it in a real browser.

The data (no browser): every JSON file a snippet's data_<name>() writes follows the "frames" schema
of CONTRIBUTING.md (required keys, one frame per slider value, finite numbers, known colours, x and y
of equal length, plain text). A failure names the snippet and the function.

The browser (Chromium, both palettes, a 390 px phone and a 1280 px desktop): for every figure with
a data-json attribute on every page, the live SVG appears with a title, ArrowRight and setting the
slider's value redraw the plot and change the readout, the slider does not move while its value
changes, the plot stays within the column, tick labels write negatives with "−", the series have the
palette's colours, and the page logs no error.

Set WSW_BUILT_SITE=/tmp/site to check an existing build instead of building the site again.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import pytest

from sitebuild import project
from snippets import style
from tests.build.test_browser import (  # noqa: F401 (browser is a fixture used here)
    BASE,
    PALETTES,
    Tab,
    _Quiet,
    browser,
    new_context,
    page_id,
    site_pages,
)

ASSETS = project.ROOT / "docs" / "assets"
COLOURS = {"fg", "muted", "blue", "orange", "green", "pink", "sky", "yellow"}
SCALES = {"linear", "log"}
FORMAT_RE = re.compile(r"^(sci|,?d|,?\.\d+[fe%]|\.\d+g)$")
AXES_KEYS = {"xlabel", "ylabel", "xlim", "ylim", "xscale", "yscale", "equal", "static"}
TOP_KEYS = AXES_KEYS | {"kind", "slider", "frames", "panels"}
SLIDER_KEYS = {"label", "values", "format", "initial"}
FRAME_KEYS = {"series", "readout", "panels"}
SERIES_KEYS = {"type", "x", "y", "color", "label", "dash"}
MAX_BYTES = 50_000  # "keep each JSON under ~40 KB": a little slack, then a failure
MAX_FRAMES = 60
TEX_RE = re.compile(r"\$|\\[A-Za-z(\[]|[_^]\{")
HYPHEN_MINUS_RE = re.compile(r"(?<![\w)\]])-(?=\d)")  # "-0.3" where "−0.3" is meant
WIDTHS = (390, 1280)


# ---------------------------------------------------------------- the data (no browser)


def data_functions() -> list[tuple[str, str]]:
    """(snippet, name) for every data_<name>() function in snippets/<page>.py (read, not imported)."""
    found = []
    for snippet in project.page_snippets():
        text = (project.ROOT / "snippets" / f"{snippet}.py").read_text()
        found += [(snippet, name) for name in re.findall(r"^def data_(\w+)\(", text, re.M)]
    return found


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _text_problems(where: str, text) -> list[str]:
    if not isinstance(text, str) or not text.strip():
        return [f"{where} must be a non-empty string, got {text!r}"]
    problems = []
    if TEX_RE.search(text):
        problems.append(f"{where} has TeX in it ({text!r}): write plain Unicode (λ, ‖w‖, x², 10⁻³)")
    if HYPHEN_MINUS_RE.search(text):
        problems.append(f"{where} writes a negative number with '-' ({text!r}): use the minus sign '−'")
    return problems


def _limits(where: str, lim, scale) -> list[str]:
    if not (isinstance(lim, list) and len(lim) == 2 and all(_number(v) for v in lim)):
        return [f"{where} must be [low, high] (two finite numbers), got {lim!r}"]
    problems = [] if lim[0] < lim[1] else [f"{where} = {lim}: low must be below high"]
    if scale == "log" and lim[0] <= 0:
        problems.append(f"{where} = {lim} on a log axis: both limits must be > 0")
    return problems


def _axes_problems(where: str, axes: dict) -> list[str]:
    problems = []
    for key in ("xlabel", "ylabel"):
        problems += _text_problems(f"{where}{key}", axes.get(key))
    for axis in "xy":
        scale = axes.get(f"{axis}scale", "linear")
        if scale not in SCALES:
            problems.append(f"{where}{axis}scale is {scale!r}, not one of {sorted(SCALES)}")
        problems += _limits(f"{where}{axis}lim", axes.get(f"{axis}lim"), scale)
    if not isinstance(axes.get("equal", False), bool):
        problems.append(f"{where}equal must be true or false, got {axes['equal']!r}")
    return problems


def _series_problems(where: str, s, axes: dict) -> list[str]:
    if not isinstance(s, dict):
        return [f"{where} must be an object, got {type(s).__name__}"]
    problems = [
        f"{where} has unknown key {k!r} (known: {sorted(SERIES_KEYS)})" for k in s if k not in SERIES_KEYS
    ]
    if s.get("type") not in ("line", "points"):
        problems.append(f"{where}.type is {s.get('type')!r}, not 'line' or 'points'")
    if s.get("color") not in COLOURS:
        problems.append(f"{where}.color is {s.get('color')!r}, not one of {sorted(COLOURS)}")
    if "label" in s:
        problems += _text_problems(f"{where}.label", s["label"])
    if "dash" in s and (not isinstance(s["dash"], bool) or (s["dash"] and s.get("type") != "line")):
        problems.append(f"{where}.dash must be true or false, and only lines have it")
    xs, ys = s.get("x"), s.get("y")
    for key, vals in (("x", xs), ("y", ys)):
        if not isinstance(vals, list) or not vals:
            problems.append(f"{where}.{key} must be a non-empty list of numbers")
            continue
        bad = [i for i, v in enumerate(vals) if not _number(v)]
        if bad:
            problems.append(
                f"{where}.{key} has {len(bad)} non-finite or non-numeric values, first at [{bad[0]}]"
            )
        elif axes.get(f"{key}scale") == "log" and min(vals) <= 0:
            problems.append(f"{where}.{key} has values ≤ 0 on a log axis (they cannot be drawn)")
    if isinstance(xs, list) and isinstance(ys, list) and len(xs) != len(ys):
        problems.append(f"{where}: x has {len(xs)} values, y has {len(ys)}")
    return problems


def schema_problems(data) -> list[str]:
    """Everything in one data_<name>() result that breaks the frames schema (CONTRIBUTING.md)."""
    if not isinstance(data, dict):
        return [f"the result must be a dict, got {type(data).__name__}"]
    if data.get("kind") != "frames":
        return [f"kind is {data.get('kind')!r}, not 'frames' (the schema is in CONTRIBUTING.md)"]
    problems = [f"unknown top-level key {k!r} (known: {sorted(TOP_KEYS)})" for k in data if k not in TOP_KEYS]
    problems += _axes_problems("", data)
    panels = data.get("panels", [])
    if not isinstance(panels, list) or not all(isinstance(p, dict) for p in panels):
        problems.append("panels must be a list of axes objects")
        panels = []
    for k, p in enumerate(panels):
        problems += [f"panels[{k}] has unknown key {key!r}" for key in p if key not in AXES_KEYS]
        problems += _axes_problems(f"panels[{k}].", p)
    all_axes = [data, *panels]
    for k, axes in enumerate(all_axes):
        static = axes.get("static", [])
        where = "static" if k == 0 else f"panels[{k - 1}].static"
        if not isinstance(static, list):
            problems.append(f"{where} must be a list of series")
            continue
        for i, s in enumerate(static):
            problems += _series_problems(f"{where}[{i}]", s, axes)

    slider = data.get("slider")
    if not isinstance(slider, dict):
        return [*problems, "slider must be an object with label, values, format, initial"]
    problems += [f"slider has unknown key {k!r}" for k in slider if k not in SLIDER_KEYS]
    problems += _text_problems("slider.label", slider.get("label"))
    values = slider.get("values")
    if not isinstance(values, list) or len(values) < 2 or not all(_number(v) for v in values):
        problems.append("slider.values must be a list of at least two finite numbers")
        values = []
    elif len(set(values)) != len(values):
        problems.append(f"slider.values repeats values (rounded too coarsely?): {values}")
    fmt = slider.get("format", "sci")
    if not isinstance(fmt, str) or not FORMAT_RE.match(fmt):
        problems.append(f"slider.format is {fmt!r}: use 'sci' or a spec like '.2f', '.3g', 'd', ',d'")
    initial = slider.get("initial", 0)
    if not (
        isinstance(initial, int) and not isinstance(initial, bool) and 0 <= initial < max(1, len(values))
    ):
        problems.append(f"slider.initial is {initial!r}: an index into slider.values")

    frames = data.get("frames")
    if not isinstance(frames, list):
        return [*problems, "frames must be a list, one frame per slider value"]
    if values and len(frames) != len(values):
        problems.append(f"{len(frames)} frames for {len(values)} slider values: they must be equal")
    if len(frames) > MAX_FRAMES:
        problems.append(f"{len(frames)} frames: at most {MAX_FRAMES}")
    for f, frame in enumerate(frames):
        if not isinstance(frame, dict):
            problems.append(f"frames[{f}] must be an object with series and readout")
            continue
        problems += [f"frames[{f}] has unknown key {k!r}" for k in frame if k not in FRAME_KEYS]
        problems += _text_problems(f"frames[{f}].readout", frame.get("readout"))
        series = frame.get("series")
        if not isinstance(series, list):
            problems.append(f"frames[{f}].series must be a list of series")
            series = []
        extra = frame.get("panels", [])
        if not isinstance(extra, list) or len(extra) > len(panels):
            problems.append(f"frames[{f}].panels must be a list of at most {len(panels)} series lists")
            extra = []
        for k, group in enumerate([series, *extra]):
            where = f"frames[{f}].series" if k == 0 else f"frames[{f}].panels[{k - 1}]"
            if not isinstance(group, list):
                problems.append(f"{where} must be a list of series")
                continue
            for i, s in enumerate(group):
                problems += _series_problems(f"{where}[{i}]", s, all_axes[k])
    readouts = [f.get("readout") for f in frames if isinstance(f, dict)]
    if len(set(map(str, readouts))) < len(readouts):
        problems.append("two frames have the same readout: say what differs between them")
    return problems


def data_file(snippet: str, name: str) -> Path:
    """The JSON the build made for data_<name>() (from the build's cache, shared with the build)."""
    from sitebuild import runner

    return runner.render(snippet).folder / f"{name}.json"


@pytest.mark.parametrize(("snippet", "name"), data_functions(), ids=lambda v: str(v))
def test_data_follows_the_frames_schema(snippet, name):
    from sitebuild import runner

    where = f"snippets/{snippet}.py data_{name}()"
    try:
        path = data_file(snippet, name)
    except runner.SnippetError as exc:
        pytest.fail(f"{where}: the snippet failed, so its data could not be checked:\n{exc}", pytrace=False)
    assert path.is_file(), f"{where}: the build wrote no {path.name}"
    size = path.stat().st_size
    data = json.loads(path.read_text())
    problems = schema_problems(data)
    if size > MAX_BYTES:
        problems.append(f"{size:,} bytes > {MAX_BYTES:,}: fewer frames or points, or round more (np.round)")
    assert not problems, f"{where} breaks the frames schema (CONTRIBUTING.md):\n  " + "\n  ".join(problems)


def test_schema_check_catches_malformed_data():
    """The check above can fail: each broken copy of a good result is reported, naming the place."""
    good = {
        "kind": "frames",
        "xlabel": "x",
        "ylabel": "y",
        "xlim": [0, 1],
        "ylim": [0.1, 10],
        "xscale": "linear",
        "yscale": "log",
        "slider": {"label": "λ", "values": [0.1, 1.0], "format": "sci", "initial": 0},
        "static": [{"type": "points", "x": [0.5], "y": [1], "color": "fg", "label": "data"}],
        "frames": [
            {"series": [{"type": "line", "x": [0, 1], "y": [1, 2], "color": "blue"}], "readout": "λ = 0.1"},
            {"series": [{"type": "line", "x": [0, 1], "y": [1, 3], "color": "blue"}], "readout": "λ = 1"},
        ],
    }
    assert schema_problems(good) == []
    breaks = {
        "frames and slider": (lambda d: d["frames"].pop(), "2 slider values"),
        "x and y": (lambda d: d["frames"][0]["series"][0]["y"].append(4), "frames[0].series[0]: x has 2"),
        "colour": (lambda d: d["static"][0].update(color="red"), "static[0].color"),
        "finite": (lambda d: d["frames"][1]["series"][0]["y"].__setitem__(0, float("nan")), "non-finite"),
        "log axis": (lambda d: d["static"][0]["y"].__setitem__(0, 0), "≤ 0 on a log axis"),
        "key": (lambda d: d.update(ylable="y"), "unknown top-level key 'ylable'"),
        "kind": (lambda d: d.update(kind="curves"), "kind is 'curves'"),
        "readout": (lambda d: d["frames"][0].pop("readout"), "frames[0].readout"),
        "tex": (lambda d: d.update(xlabel="$\\lambda$"), "TeX"),
        "minus": (lambda d: d["frames"][0].update(readout="slope -0.3"), "minus sign"),
        "repeats": (lambda d: d["slider"].update(values=[0.0, 0.0]), "repeats"),
        "limits": (lambda d: d.update(xlim=[1, 0]), "low must be below high"),
    }
    for what, (mutate, expected) in breaks.items():
        bad = json.loads(json.dumps(good))
        mutate(bad)
        found = schema_problems(bad)
        assert any(expected in p for p in found), f"{what}: expected a problem with {expected!r}, got {found}"


def css_colours(css: str, scheme: str) -> dict[str, str]:
    block = re.search(r'\[data-md-color-scheme="' + scheme + r'"\]\s*\{([^}]*)\}', css).group(1)
    return {k: v.lower() for k, v in re.findall(r"--wsw-(\w+):\s*(#[0-9A-Fa-f]{6})", block)}


def test_css_colours_are_the_figure_palettes():
    """interactive.css defines every named colour of snippets/style.py, same hex, in both palettes."""
    css = (ASSETS / "interactive.css").read_text()
    for scheme, pal in (("default", style.LIGHT), ("slate", style.DARK)):
        found = css_colours(css, scheme)
        for name in [*COLOURS, "grid"]:
            assert found.get(name) == getattr(pal, name).lower(), (
                f"--wsw-{name} in {scheme}: {found.get(name)}"
            )


# ---------------------------------------------------------------- the live figures in a browser


@pytest.fixture(scope="module")
def site(request) -> Path:
    env = os.environ.get("WSW_BUILT_SITE")
    return Path(env) if env else request.getfixturevalue("built_site")


@pytest.fixture(scope="module")
def site_server(site, tmp_path_factory):
    """The site served under BASE (test_browser's server fixture serves the fresh build only)."""
    import functools
    import http.server
    import threading

    root = tmp_path_factory.mktemp("served_interactive")
    (root / BASE.strip("/")).symlink_to(site, target_is_directory=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}{BASE}"
    httpd.shutdown()


def live_figures(site: Path) -> dict[str, list[tuple[str, Path]]]:
    """page -> [(figure id, its JSON file)] for every <figure data-json> of the built site."""
    found = {}
    for rel in site_pages(site):
        page = site / rel / "index.html"
        figs = [
            (re.search(r'\bid="([^"]+)"', tag).group(1), (page.parent / m.group(1)).resolve())
            for tag in re.findall(r"<figure\b[^>]*>", page.read_text())
            if (m := re.search(r'data-json="([^"]+)"', tag))
        ]
        if figs:
            found[rel] = figs
    return found


#: The state of one live figure: what is drawn, what is read out, where the slider is.
STATE_JS = """(id) => {
  const fig = document.getElementById(id);
  const svg = fig.querySelector('svg.wsw-plot');
  const slider = fig.querySelector('input[type=range]');
  const box = slider.getBoundingClientRect();
  const content = fig.closest('.md-content__inner, article') || document.body;
  const col = content.getBoundingClientRect(), plot = svg.getBoundingClientRect();
  const legend = fig.querySelector('ul.wsw-legend');
  const live = fig.querySelector('[aria-live]');
  const out = fig.querySelector('output');
  const label = document.querySelector('label[for="' + slider.id + '"]');
  const series = [...svg.querySelectorAll('path.wsw-series')];
  const first = svg.querySelector('path.wsw-series');
  const paint = first && first.classList.contains('wsw-points') ? 'fill' : 'stroke';
  return {
    drawn: series.map(p => p.getAttribute('d')).join('|'),
    value: slider.value, max: slider.max,
    output: out ? out.textContent : null,
    readout: live ? live.textContent : null,
    slider: { x: box.x, width: box.width },
    plot: { left: plot.left, right: plot.right, width: plot.width, bottom: plot.bottom },
    column: { left: col.left, right: col.right },
    page: { scroll: document.documentElement.scrollWidth, inner: window.innerWidth },
    legendTop: legend ? legend.getBoundingClientRect().top : null,
    title: (svg.querySelector(':scope > title') || {}).textContent || '',
    role: svg.getAttribute('role'),
    alt: (fig.querySelector('img') || {}).alt || '',
    label: label ? label.textContent : null,
    ticks: [...svg.querySelectorAll('text.wsw-tick')].map(t => t.textContent),
    imagesShown: [...fig.querySelectorAll(':scope > img')].filter(i => i.checkVisibility()).length,
    firstColour: first ? getComputedStyle(first)[paint] : null,
  };
}"""

#: Every position set by value, in the page: what each draws, reads out, and where the slider is.
SWEEP_JS = """(id) => {
  const fig = document.getElementById(id);
  const slider = fig.querySelector('input[type=range]');
  const live = fig.querySelector('[aria-live]');
  const out = [];
  for (let v = +slider.min; v <= +slider.max; v++) {
    slider.value = v;
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    const box = slider.getBoundingClientRect();
    out.push({
      drawn: [...fig.querySelectorAll('svg.wsw-plot path.wsw-series')].map(p => p.getAttribute('d')).join(),
      readout: live ? live.textContent : null, x: box.x, width: box.width,
    });
  }
  return out;
}"""


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


def first_series(data: dict) -> dict | None:
    """The first series drawn in the SVG (static ones come first, then the frame's)."""
    if data.get("static"):
        return data["static"][0]
    frame = data["frames"][data["slider"].get("initial", 0)]
    return frame["series"][0] if frame["series"] else None


def check_figure(tab: Tab, fid: str, data: dict) -> list[str]:
    page, problems = tab.page, []
    if schema_problems(data):  # the renderer refuses it: test_data_follows_the_frames_schema says why
        return ["its data breaks the frames schema (see test_data_follows_the_frames_schema)"]
    page.wait_for_selector(f'[id="{fid}"].wsw-live svg.wsw-plot', state="attached", timeout=5_000)
    page.locator(f'[id="{fid}"]').scroll_into_view_if_needed()
    s0 = page.evaluate(STATE_JS, fid)
    n = len(data["frames"])
    if s0["role"] != "img" or not s0["title"].strip() or s0["title"] != s0["alt"]:
        problems.append(f"the SVG needs role=img and a <title> equal to the alt text (got {s0['title']!r})")
    if s0["imagesShown"]:
        problems.append("the static images are still shown next to the live plot")
    if s0["label"] != data["slider"]["label"]:
        problems.append(f"the slider's <label> reads {s0['label']!r}, not {data['slider']['label']!r}")
    if s0["output"] is None or not s0["output"].strip():
        problems.append("no <output> with the slider's value")
    if s0["readout"] != data["frames"][int(s0["value"])]["readout"]:
        problems.append(f"the aria-live readout is {s0['readout']!r}, not the frame's readout")
    hyphens = [t for t in s0["ticks"] if "-" in t]
    if hyphens:
        problems.append(f"tick labels with '-' instead of '−': {hyphens}")
    if not s0["ticks"]:
        problems.append("no tick labels")
    if s0["legendTop"] is not None and s0["legendTop"] < s0["plot"]["bottom"] - 1:
        problems.append("the legend is not below the plot")
    col, plot = s0["column"], s0["plot"]
    if plot["left"] < col["left"] - 1 or plot["right"] > col["right"] + 1:
        problems.append(
            f"the plot ({plot['left']:.0f}–{plot['right']:.0f} px) leaves the column "
            f"({col['left']:.0f}–{col['right']:.0f} px)"
        )
    if s0["page"]["scroll"] > s0["page"]["inner"]:
        problems.append(f"the page scrolls sideways ({s0['page']['scroll']} > {s0['page']['inner']} px)")
    series = first_series(data)
    if series:
        pal = style.LIGHT if tab.scheme == "light" else style.DARK
        want = rgb(getattr(pal, series["color"]))
        if s0["firstColour"] != want:
            problems.append(
                f"the first series is {s0['firstColour']}, not {series['color']} ({want}) of {pal.name}"
            )

    # the keyboard: one step right (or left, from the last position)
    page.focus(f'[id="{fid}"] input[type=range]')
    key = "ArrowLeft" if int(s0["value"]) == n - 1 else "ArrowRight"
    page.keyboard.press(key)
    s1 = page.evaluate(STATE_JS, fid)
    if s1["value"] == s0["value"]:
        problems.append(f"{key} did not move the slider")
    if s1["drawn"] == s0["drawn"]:
        problems.append(f"{key} did not redraw the plot")
    if s1["readout"] == s0["readout"] or s1["output"] == s0["output"]:
        problems.append(f"{key} did not change the readout ({s0['output']!r}: {s0['readout']!r})")

    # every position, set by value: a new drawing, the frame's readout, the slider in place
    sweep = page.evaluate(SWEEP_JS, fid)
    drawn = {s["drawn"] for s in sweep}
    xs, widths = [s["x"] for s in sweep], [s["width"] for s in sweep]
    for i, s in enumerate(sweep):
        if s["readout"] != data["frames"][i]["readout"]:
            problems.append(f"position {i}: the readout is {s['readout']!r}, not the frame's")
        if "NaN" in s["drawn"] or "Infinity" in s["drawn"]:
            problems.append(f"position {i}: the drawing has NaN or Infinity")
    if len(drawn) < n:
        problems.append(f"{n} slider positions make only {len(drawn)} different drawings")
    if max(xs) - min(xs) > 0.5 or max(widths) - min(widths) > 0.5:
        problems.append(
            f"the slider moves while its value changes: x {min(xs):.1f}–{max(xs):.1f} px, "
            f"width {min(widths):.1f}–{max(widths):.1f} px"
        )
    return problems


def ready(tab: Tab):
    """The page is parsed and in the reader's palette. (Not Tab.finish: it loads every lazy image
    of the page, which test_browser checks already and which took most of the time here.)"""
    tab.page.wait_for_load_state("domcontentloaded")
    if tab.response is None:
        tab.problems.append(f"no response for {tab.url}")
    tab.page.wait_for_selector(f'body[data-md-color-scheme="{PALETTES[tab.scheme][0]}"]', state="attached")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("scheme", list(PALETTES))
def test_live_figures(browser, site, site_server, scheme, width):  # noqa: F811
    figures = live_figures(site)
    assert figures, "no interactive figure (a <figure data-json>) in the built site"
    context = new_context(browser, scheme, viewport={"width": width, "height": 900})
    failures = []
    try:
        tab = Tab(context, scheme)
        for rel, figs in figures.items():
            tab.start(site_server + rel, f"{page_id(rel)} ({scheme}, {width} px)")
            ready(tab)
            for fid, path in figs:
                try:
                    problems = check_figure(tab, fid, json.loads(path.read_text()))
                except Exception as exc:  # a figure that never appears, or a script error
                    problems = [f"{type(exc).__name__}: {str(exc).splitlines()[0]}"]
                if problems:
                    note = tab.screenshot_note(f"interactive-{fid}-{scheme}-{width}")
                    failures.append(
                        f"{page_id(rel)} #{fid}:\n    " + "\n    ".join(problems) + f"\n    {note}"
                    )
            tab.page.wait_for_load_state("load")
            # a lazy image still loading when the next page opens is aborted by that navigation:
            # not a fault of the page (test_browser checks that every image loads)
            problems = [p for p in tab.problems if "net::ERR_ABORTED" not in p]
            if problems:
                failures.append(f"{page_id(rel)}: " + "; ".join(problems))
    finally:
        context.close()
    assert not failures, f"live figures ({scheme}, {width} px):\n" + "\n".join(failures)


def test_every_chapter_and_the_home_page_has_a_live_figure(site):
    """Every page of the chapter sections of the nav (all but Reference) and the home page carry at
    least one interactive figure; the browser test above then checks each of them."""
    import yaml

    nav = yaml.safe_load((project.ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    pages = ["index.md"] + [
        page
        for item in nav
        for section, entries in item.items()
        if isinstance(entries, list) and section != "Reference"
        for entry in entries
        for page in entry.values()
        if page.endswith(".md")
    ]
    live = live_figures(site)
    urls = {page: "" if page == "index.md" else page.removesuffix(".md") + "/" for page in pages}
    missing = [page for page, url in urls.items() if url not in live]
    assert len(pages) >= 15 and not missing, f"pages with no live figure: {missing}"


def test_renderer_stays_small():
    """The renderer is loaded on every page: keep it a small module (see CONTRIBUTING.md for the
    measured sizes, and why not a charting library)."""
    import gzip

    for name, limit in (("interactive.js", 20_000), ("interactive.css", 5_000)):
        raw = (ASSETS / name).read_bytes()
        assert len(raw) <= limit, f"assets/{name}: {len(raw):,} bytes > {limit:,}"
        assert len(gzip.compress(raw, 9)) <= limit // 2.5
