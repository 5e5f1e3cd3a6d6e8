"""The Occam page: every number it quotes, checked against an independent computation."""

import functools

import numpy as np
import pytest
from scipy import interpolate, linalg

from sitebuild import snippet_values
from snippets import occam


@pytest.fixture(scope="module")
def v():
    return snippet_values("occam")


def test_observations_follow_the_stated_recipe(v):
    """The page's data, regenerated from its recipe: ten x uniform on [0, 1] (numpy rng 0, sorted), then
    y = 1 + 2x + N(0, 0.15²); fresh points from rng 1 inside the data's range; the plotting range."""
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(0.0, 1.0, 10))
    y = 1.0 + 2.0 * x + rng.normal(0.0, 0.15, 10)
    xo, yo = occam.observations()
    np.testing.assert_array_equal(xo, x)
    np.testing.assert_allclose(yo, y, rtol=1e-15)
    rng = np.random.default_rng(1)
    xt = rng.uniform(x.min(), x.max(), 1000)
    yt = 1.0 + 2.0 * xt + rng.normal(0.0, 0.15, 1000)
    np.testing.assert_allclose(
        np.column_stack(occam.fresh_test_points()), np.column_stack([xt, yt]), rtol=1e-15
    )
    assert (v["n_points"], v["noise"], v["n_test"]) == (10, 0.15, 1000)
    assert (v["x_min"], v["x_max"]) == (x.min(), x.max())
    assert occam.PLOT_RANGE == (-0.06, 1.06)
    xs, inside = occam.regions()
    assert len(xs) == 2001 and np.array_equal(inside, (xs >= x.min()) & (xs <= x.max()))


def independent_line():
    """Least squares on the design [1, x], solved by scipy rather than numpy.polynomial."""
    x, y = occam.observations()
    coef, *_ = linalg.lstsq(np.column_stack([np.ones_like(x), x]), y)
    return lambda t: coef[0] + coef[1] * t


def independent_interpolant():
    """The unique degree-9 interpolant, built by scipy's barycentric Lagrange formula."""
    x, y = occam.observations()
    return interpolate.BarycentricInterpolator(x, y)


@pytest.mark.claim("occam.line_train_error", "occam.fig_fits")
def test_line_fits_well_but_not_exactly(v):
    """The line's training RMS matches an independent least-squares fit, and is small but not zero."""
    x, y = occam.observations()
    expected = np.sqrt(np.mean((independent_line()(x) - y) ** 2))
    assert v["train_rms_line"] == pytest.approx(expected, rel=1e-10)
    assert 0.3 * v["noise"] < v["train_rms_line"] < 1.5 * v["noise"]


@pytest.mark.claim("occam.interpolates", "occam.fig_fits")
def test_degree9_interpolates(v):
    """The polynomial passes through all ten points, and it is the same curve scipy's interpolant draws."""
    assert v["train_max_poly9"] < 1e-9
    _, poly9 = occam.fits()
    grid = np.linspace(*occam.PLOT_RANGE, 301)
    np.testing.assert_allclose(poly9(grid), independent_interpolant()(grid), rtol=1e-7, atol=1e-7)


@pytest.mark.claim("occam.agree_at_data", "occam.fig_disagreement")
def test_models_agree_at_the_data(v):
    """At the observations the gap between the models is exactly the line's residual."""
    x, y = occam.observations()
    residual = np.abs(independent_line()(x) - y).max()
    assert v["max_gap_at_data"] == pytest.approx(residual, rel=1e-6)
    assert v["max_gap_at_data"] < 2 * v["noise"]


@pytest.mark.claim("occam.diverge_beyond", "occam.fig_disagreement")
def test_models_diverge_between_and_beyond(v):
    """Between the observations the gap is far larger than at them, and larger still beyond the data."""
    x, _ = occam.observations()
    line, poly = independent_line(), independent_interpolant()
    inside = np.linspace(x.min(), x.max(), 4001)
    beyond = np.concatenate(
        [np.linspace(occam.PLOT_RANGE[0], x.min(), 200), np.linspace(x.max(), occam.PLOT_RANGE[1], 200)]
    )
    gap_inside = np.abs(poly(inside) - line(inside)).max()
    gap_beyond = np.abs(poly(beyond) - line(beyond)).max()
    assert v["max_gap_inside"] == pytest.approx(gap_inside, rel=1e-3)
    assert v["max_gap_beyond"] == pytest.approx(gap_beyond, rel=1e-3)
    assert v["x_max_gap_inside"] == pytest.approx(
        inside[np.argmax(np.abs(poly(inside) - line(inside)))], abs=1e-3
    )
    assert v["x_max_gap_beyond"] == pytest.approx(
        beyond[np.argmax(np.abs(poly(beyond) - line(beyond)))], abs=1e-3
    )
    assert v["max_gap_inside"] > 20 * v["max_gap_at_data"]
    assert v["max_gap_beyond"] > 5 * v["max_gap_inside"]
    # the biggest inside gap sits between two consecutive observations, as the page says
    k = np.searchsorted(x, v["x_max_gap_inside"])
    assert (v["gap_lo"], v["gap_hi"]) == (x[k - 1], x[k])


@pytest.mark.claim("occam.heldout")
def test_line_generalizes_polynomial_does_not(v):
    """On fresh data from the same line, the line's error is near the noise level; the polynomial's is not."""
    xt, yt = occam.fresh_test_points()
    assert v["n_test"] == len(xt) == 1000
    line_rms = np.sqrt(np.mean((independent_line()(xt) - yt) ** 2))
    poly_rms = np.sqrt(np.mean((independent_interpolant()(xt) - yt) ** 2))
    assert v["test_rms_line"] == pytest.approx(line_rms, rel=1e-8)
    assert v["test_rms_poly9"] == pytest.approx(poly_rms, rel=1e-6)
    assert 0.8 * v["noise"] < v["test_rms_line"] < 1.5 * v["noise"]
    assert v["test_rms_poly9"] > 10 * v["test_rms_line"]


@pytest.mark.claim("occam.cond_raw", "occam.cond_scaled")
def test_condition_numbers(v):
    """Condition numbers as the ratio of extreme singular values (scipy), of the Vandermonde matrix built
    here from the raw x and from t = 2(x − x_min)/(x_max − x_min) − 1, pinned to the quoted values."""
    x, _ = occam.observations()
    s = linalg.svdvals(np.vander(x, 10))
    assert v["cond_raw"] == pytest.approx(s[0] / s[-1], rel=1e-6)
    t = (x - x.min()) / (x.max() - x.min()) * 2 - 1
    assert (t.min(), t.max()) == (-1.0, 1.0)
    s = linalg.svdvals(np.vander(t, 10))
    assert v["cond_scaled"] == pytest.approx(s[0] / s[-1], rel=1e-6)
    assert v["cond_raw"] > 1000 * v["cond_scaled"]


@pytest.mark.claim("occam.mercury_gr")
def test_mercury_perihelion(v):
    """6πGM/(c²a(1−e²)) per orbit with the constants typed afresh here; 42.98″ per century is the
    published value (Nobili & Will 1986)."""
    gm, c = 1.3271244e20, 299792458.0
    a, e = 0.38709893 * 1.495978707e11, 0.20563069
    per_orbit = 6 * np.pi * gm / (c**2 * a * (1 - e**2))
    arcsec = np.degrees(per_orbit) * 3600 * 36525 / 87.969
    assert v["mercury_per_orbit_arcsec"] == pytest.approx(np.degrees(per_orbit) * 3600, rel=1e-9)
    assert v["mercury_arcsec_century"] == pytest.approx(arcsec, rel=1e-9)
    assert v["mercury_arcsec_century"] == pytest.approx(42.98, abs=0.01)
    assert v["mercury_orbits_century"] == pytest.approx(36525 / 87.969, rel=1e-12)


@pytest.mark.claim("occam.deflection")
def test_light_deflection(v):
    """Newtonian corpuscles: 2GM/(c²R); general relativity: twice that, the textbook 1.75″."""
    newton = np.degrees(2 * 1.3271244e20 / (299792458.0**2 * 6.957e8)) * 3600
    assert v["deflection_newton"] == pytest.approx(newton, rel=1e-9)
    assert v["deflection_einstein"] == pytest.approx(2 * newton, rel=1e-9)
    assert v["deflection_einstein"] == pytest.approx(1.75, abs=0.005)


@functools.cache
def documented_pipeline(lam, mapping="scaled"):
    """The penalised degree-9 model as the page documents it, assembled from scikit-learn parts:
    t = 2(x − x_min)/(x_max − x_min) − 1 (FunctionTransformer), the powers t, …, t⁹ (PolynomialFeatures),
    each standardised over the ten points (StandardScaler), and Ridge(alpha=λ), which minimises
    ‖y − Zw − b‖² + λ‖w‖² with b free: the site's J = L + λ/(2n)‖w‖² times 2n (Notation).
    mapping="raw" skips the first step: standardised powers of x itself."""
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, StandardScaler

    x, y = occam.observations()
    lo, hi = float(np.min(x)), float(np.max(x))
    to_t = FunctionTransformer(lambda a: 2 * (a - lo) / (hi - lo) - 1 if mapping == "scaled" else a)
    model = make_pipeline(
        to_t, PolynomialFeatures(9, include_bias=False), StandardScaler(), Ridge(alpha=lam, solver="svd")
    )
    model.fit(x[:, None], y)
    return lambda xs: model.predict(np.asarray(xs, dtype=float)[:, None])


def count_extrema(curve):
    """Local maxima and minima of a sampled curve (scipy.signal), a second way of counting turning points."""
    from scipy.signal import argrelextrema

    return len(argrelextrema(curve, np.greater)[0]) + len(argrelextrema(curve, np.less)[0])


def extrema_by_roots(lam, mapping="scaled"):
    """Turning points inside the data from the roots of the fitted polynomial's derivative: the fit is
    a degree-9 polynomial in x, recovered exactly from 10 values of the scikit-learn pipeline
    (numpy.polynomial, Chebyshev basis on the data's range)."""
    from numpy.polynomial import Chebyshev

    x, _ = occam.observations()
    nodes = np.linspace(x.min(), x.max(), 10)
    cheb = Chebyshev.fit(nodes, documented_pipeline(lam, mapping)(nodes), 9, domain=[x.min(), x.max()])
    roots = cheb.deriv().roots()
    real = roots[(np.abs(roots.imag) < 1e-9) & (roots.real > x.min()) & (roots.real < x.max())].real
    return int(np.sum(np.sign(cheb.deriv(2)(real)) != 0))


@pytest.mark.claim("occam.feature_mapping")
def test_features_are_standardised_powers_of_the_scaled_axis():
    """The snippet's features equal the documented mapping built by scikit-learn, and the mapping
    matters: standardised powers of the raw x give another curve and other turning-point counts."""
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    x, _ = occam.observations()
    t = 2 * (x - x.min()) / (x.max() - x.min()) - 1
    z = StandardScaler().fit_transform(PolynomialFeatures(9, include_bias=False).fit_transform(t[:, None]))
    np.testing.assert_allclose(occam.poly_features(x), z, rtol=1e-9, atol=1e-9)
    xs = np.linspace(x.min(), x.max(), 2001)
    for lam in (1e-8, 1e-2):
        np.testing.assert_allclose(occam.ridge_curve(lam, xs), documented_pipeline(lam)(xs), atol=1e-6)
        gap = np.max(np.abs(documented_pipeline(lam)(xs) - documented_pipeline(lam, "raw")(xs)))
        assert gap > 0.05
    assert extrema_by_roots(1e-8, "raw") != extrema_by_roots(1e-8)


COLOURS = {"fg", "muted", "blue", "orange", "green", "pink", "sky", "yellow"}


def check_frames_schema(data):
    """The brief's "frames" schema: fixed axes, one frame per slider value, finite rounded numbers,
    known colours, plain-text labels and readouts, small JSON."""
    import json
    import re

    assert data["kind"] == "frames"
    for key in ("xlabel", "ylabel"):
        assert isinstance(data[key], str) and not re.search(r"[_^\\$]", data[key])
    assert data["xlim"][0] < data["xlim"][1] and data["ylim"][0] < data["ylim"][1]
    assert data["xscale"] in ("linear", "log") and data["yscale"] in ("linear", "log")
    values = data["slider"]["values"]
    assert 2 <= len(values) <= 40 and len(data["frames"]) == len(values)
    assert 0 <= data["slider"]["initial"] < len(values)
    for s in list(data["static"]) + [s for f in data["frames"] for s in f["series"]]:
        assert s["type"] in ("line", "points") and s["color"] in COLOURS
        assert len(s["x"]) == len(s["y"]) <= 150
        assert np.all(np.isfinite(s["x"])) and np.all(np.isfinite(s["y"]))
    for f in data["frames"]:
        assert 10 < len(f["readout"]) < 200 and not re.search(r"[_^\\$]|seed", f["readout"], re.I)
    assert len(json.dumps(data)) < 40_000


@pytest.mark.claim("occam.fig_ridge_sweep")
def test_interactive_sweep_data_is_the_ridge_fit(v):
    """Every curve the slider can show equals the documented scikit-learn pipeline's fit: to the JSON's
    3 decimals inside the data; beyond it, where the tiny-λ fits extrapolate steeply and the two
    solvers' rounding is amplified, to 2 %. The static layer is the ten observations."""
    data = occam.data_ridge_sweep()
    check_frames_schema(data)
    x, y = occam.observations()
    lams = data["slider"]["values"]
    np.testing.assert_allclose(lams, np.logspace(-8, 2, 21), rtol=1e-12)
    assert (v["sweep_count"], v["sweep_lam_min"], v["sweep_lam_max"]) == (21, 1e-8, 100.0)
    assert v["sweep_static_count"] == len(occam.STATIC_SWEEP) == 4
    assert data["xlim"] == list(occam.PLOT_RANGE) and data["slider"]["initial"] == 0
    # the live figure takes the static one's place at the static one's scale (its y range drawn here)
    import matplotlib.pyplot as plt

    from snippets import style

    fig = plt.figure()
    occam.fig_ridge_sweep(fig, style.LIGHT)
    assert data["ylim"] == pytest.approx(fig.axes[0].get_ylim(), abs=1e-12)
    plt.close(fig)
    (static,) = data["static"]
    np.testing.assert_allclose(static["x"], x, atol=5e-5)
    np.testing.assert_allclose(static["y"], y, atol=5e-5)
    for lam, frame in zip(lams, data["frames"], strict=True):
        (series,) = frame["series"]
        xs = np.array(series["x"])
        inside = (xs >= x.min()) & (xs <= x.max())
        assert len(xs) == 101 and xs[0] == occam.PLOT_RANGE[0] and xs[-1] == occam.PLOT_RANGE[1]
        expected = documented_pipeline(lam)(xs)
        np.testing.assert_allclose(np.array(series["y"])[inside], expected[inside], atol=6e-4)
        np.testing.assert_allclose(series["y"], expected, rtol=0.02, atol=1e-3)


@pytest.mark.claim("occam.sweep_slider", "occam.fig_ridge_sweep")
def test_slider_readouts(v):
    """Each frame's readout states the pipeline fit's turning points inside the data (roots of its
    derivative) and its held-out RMS on the fresh points; along the slider the count never rises and the
    error has an interior minimum, as the page says."""
    import re

    data = occam.data_ridge_sweep()
    xt, yt = occam.fresh_test_points()
    lams = data["slider"]["values"]
    turns, errors = [], []
    for lam, frame in zip(lams, data["frames"], strict=True):
        turns.append(extrema_by_roots(lam))
        errors.append(np.sqrt(np.mean((documented_pipeline(lam)(xt) - yt) ** 2)))
        k, e = re.search(
            r": (\d+) turning points inside the data, held-out RMS error (\d+\.\d\d)$", frame["readout"]
        ).groups()
        assert (int(k), float(e)) == (turns[-1], round(errors[-1], 2)), frame["readout"]
        assert frame["readout"].startswith(f"λ = {occam.power_of_ten(lam)}:")
    turns, errors = np.array(turns), np.array(errors)
    assert np.all(np.diff(turns) <= 0)
    assert v["sweep_turns_max"] == turns.max() == turns[0]
    assert v["sweep_lam_no_turns"] == pytest.approx(lams[int(np.argmax(turns == 0))], rel=1e-12)
    i = int(np.argmin(errors))
    assert 0 < i < len(lams) - 1
    assert v["sweep_lam_best"] == pytest.approx(lams[i], rel=1e-12)
    assert v["sweep_rms_best"] == pytest.approx(errors[i], rel=1e-6)
    assert (v["sweep_rms_first"], v["sweep_rms_last"]) == pytest.approx((errors[0], errors[-1]), rel=1e-5)
    assert errors[0] > 10 * errors[i] and errors[-1] > 2 * errors[i]


def test_power_of_ten_labels():
    assert [occam.power_of_ten(t) for t in (1e-8, 3.1622776e-5, 0.01, 0.0316228, 1.0, 31.6228)] == [
        "10⁻⁸",
        "3.16 × 10⁻⁵",
        "0.01",
        "0.0316",
        "1",
        "31.6",
    ]


@pytest.mark.claim("occam.ridge_sweep_turning", "occam.fig_ridge_sweep")
def test_penalty_removes_the_wiggles(v):
    """Turning points counted two ways on the documented pipeline's fit (sampled extrema, roots of the
    derivative) are the quoted 4, 2 and 0."""
    x, _ = occam.observations()
    xs = np.linspace(x.min(), x.max(), 2001)
    lams = (1e-8, 1e-2, 1.0)
    sampled = [count_extrema(documented_pipeline(lam)(xs)) for lam in lams]
    by_roots = [extrema_by_roots(lam) for lam in lams]
    assert sampled == by_roots
    assert sampled == [v["turning_points_small_lam"], v["turning_points_lam_1e_2"], v["turning_points_lam_1"]]
    assert sampled[0] > sampled[1] > sampled[2] == 0


@pytest.mark.claim("occam.ridge_sweep_heldout")
def test_penalised_fit_generalizes_like_the_line(v):
    xt, yt = occam.fresh_test_points()
    rms = np.sqrt(np.mean((documented_pipeline(1e-2)(xt) - yt) ** 2))
    assert v["test_rms_ridge_1e_2"] == pytest.approx(rms, rel=1e-6)
    assert v["test_rms_ridge_1e_2"] < 1.5 * v["test_rms_line"]
    assert v["test_rms_ridge_1e_2"] < v["test_rms_poly9"] / 10


@pytest.mark.claim("occam.bet_loses")
def test_the_line_loses_when_the_world_is_a_curve(v):
    """The page's recipe rebuilt: 20 data sets y = sin(2πx) + N(0, 0.15²) at the ten x (numpy rng 2),
    scored on 1000 fresh points; the line by scipy least squares, the penalised model by the pipeline."""
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    x, _ = occam.observations()
    lo, hi = x.min(), x.max()
    rng = np.random.default_rng(2)
    xt = rng.uniform(lo, hi, 1000)
    assert v["bet_n_test"] == 1000
    line, ridge = [], []
    for _ in range(20):
        y = np.sin(2 * np.pi * x) + rng.normal(0.0, 0.15, 10)
        yt = np.sin(2 * np.pi * xt) + rng.normal(0.0, 0.15, 1000)
        coef, *_ = linalg.lstsq(np.column_stack([np.ones(10), x]), y)
        line.append(np.sqrt(np.mean((coef[0] + coef[1] * xt - yt) ** 2)))
        model = make_pipeline(PolynomialFeatures(9, include_bias=False), StandardScaler(), Ridge(alpha=1e-2))
        t = lambda a: (2 * (a - lo) / (hi - lo) - 1)[:, None]  # noqa: E731
        ridge.append(np.sqrt(np.mean((model.fit(t(x), y).predict(t(xt)) - yt) ** 2)))
    line, ridge = np.array(line), np.array(ridge)
    assert (v["bet_draws"], v["bet_lam"], v["noise"]) == (20, 1e-2, 0.15)
    assert v["bet_line_median"] == pytest.approx(np.median(line), rel=1e-9)
    assert (v["bet_line_lo"], v["bet_line_hi"]) == pytest.approx((line.min(), line.max()), rel=1e-9)
    assert v["bet_ridge_median"] == pytest.approx(np.median(ridge), rel=1e-6)
    assert (v["bet_ridge_lo"], v["bet_ridge_hi"]) == pytest.approx((ridge.min(), ridge.max()), rel=1e-6)
    assert v["bet_ridge_wins"] == int(np.sum(ridge < line)) == 20
    assert v["bet_line_lo"] > 3 * v["noise"]  # "several times the noise", in every draw


def test_no_internal_source_labels():
    """Item 15: no reader-visible "seed 0…" label on this page or in the sources it cites."""
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "occam.md").read_text()
    assert not re.search(r"\bseed\s*0\d", page, re.I)
    keys = set(re.findall(r"(?:cite |source=)([\w, ]+?)\s*}}", page))
    keys = {k.strip() for group in keys for k in group.replace(",", " ").split()}
    entries = [e for e in yaml.safe_load((root / "docs" / "sources.yml").read_text()) if e["key"] in keys]
    assert len(entries) == len(keys)
    for e in entries:
        for field in ("title", "publisher", "note", "short", "author"):
            assert not re.search(r"\bseed\s*0\d", str(e.get(field, "")), re.I), (e["key"], field)


def test_symbols_and_source_labels():
    """One symbol, one meaning (the Notation page: d_i are singular values, phi an activation, s the prior
    width, m no feature mean); every cited source shows a real label, and two authors are not "et al."."""
    import re
    from pathlib import Path

    import yaml

    from sitebuild.registry import source_label

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "occam.md").read_text()
    assert "\\varphi" not in page and "mid d)" not in page and "times d$" not in page
    assert not re.search(r"[ms]_k\b", page)
    assert "notation page](notation.md) and the chapters" not in page  # the notation page proves nothing
    assert yaml.safe_load(page.split("---\n")[1])["description"].startswith("Usually, yes")
    keys = set(re.findall(r"(?:cite |source=)([\w, ]+?)\s*}}", page))
    keys = {k.strip() for group in keys for k in group.replace(",", " ").split()}
    for e in yaml.safe_load((root / "docs" / "sources.yml").read_text()):
        if e["key"] in keys:
            label = source_label(e)
            assert label != e["key"] and not re.search(r"\b(Union|Mesures)\b", label), label
            if str(e.get("author", "")).count(" and ") == 1 and "," not in str(e.get("author", "")):
                assert "et al." not in label, label


# --- figure rules: phone-readable, nothing drawn over the data -------------------------------


def figure_problems(fig_function):
    """Draw a figure in both palettes and list what breaks the site's figure rules: wider than 4.8 in,
    text under 11 pt, raw TeX or _/^ notation outside mathtext, a legend or text over a data point."""
    import re

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    from snippets import style

    problems = []
    for pal in (style.LIGHT, style.DARK):
        with plt.rc_context(style.rc(pal)):
            fig = plt.figure()
            fig_function(fig, pal)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            if fig.get_size_inches()[0] > 4.8 + 1e-9:
                problems.append(f"width {fig.get_size_inches()[0]}")
            for t in fig.findobj(Text):
                label = t.get_text()
                if not t.get_visible() or not label.strip():
                    continue
                if t.get_fontsize() < 11:
                    problems.append(f"{label!r} at {t.get_fontsize()} pt")
                if re.search(r"[_^\\]", re.sub(r"\$[^$]*\$", "", label)):
                    problems.append(f"raw TeX in {label!r}")
            points = []
            for ax in fig.axes:
                shown = []
                for art in ax.get_children():
                    if isinstance(art, Line2D) and art.get_visible() and len(art.get_xydata()):
                        shown.append(art.get_transform().transform(art.get_xydata()))
                    elif isinstance(art, PathCollection) and len(art.get_offsets()):
                        shown.append(art.get_offset_transform().transform(art.get_offsets()))
                for xy in shown:  # only what is drawn: inside the axes
                    b = ax.bbox
                    points.append(
                        xy[(xy[:, 0] >= b.x0) & (xy[:, 0] <= b.x1) & (xy[:, 1] >= b.y0) & (xy[:, 1] <= b.y1)]
                    )
            points = np.vstack(points) if points else np.zeros((0, 2))
            boxes = [leg.get_window_extent(renderer) for leg in fig.legends]
            for ax in fig.axes:
                if ax.get_legend() is not None:
                    boxes.append(ax.get_legend().get_window_extent(renderer))
                boxes += [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
            for box in boxes:
                inside = (
                    (points[:, 0] > box.x0)
                    & (points[:, 0] < box.x1)
                    & (points[:, 1] > box.y0)
                    & (points[:, 1] < box.y1)
                )
                if inside.any():
                    problems.append(f"{int(inside.sum())} data points under a legend or text at {box}")
            plt.close(fig)
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in dir(occam) if n.startswith("fig_")])
def test_figure_rules(name):
    assert figure_problems(getattr(occam, name)) == []


# --- the evidence (Bayesian Occam's razor) ---------------------------------------------------------


@functools.cache
def documented_features(degree):
    """z_1…z_d from the documented mapping, by scikit-learn (PolynomialFeatures + StandardScaler on t)."""
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    x, _ = occam.observations()
    t = 2 * (x - x.min()) / (x.max() - x.min()) - 1
    return StandardScaler().fit_transform(
        PolynomialFeatures(degree, include_bias=False).fit_transform(t[:, None])
    )


def marginal(degree, alpha, beta):
    """y ~ N(0, σ²I + s_b² 11ᵀ + s² ZZᵀ) with σ² = 1/β, s² = 1/α, s_b = 10, Z the documented features: the
    evidence as an independent closed form, scipy.stats.multivariate_normal's log density."""
    from scipy.stats import multivariate_normal

    _, y = occam.observations()
    cov = np.eye(10) / beta + 10.0**2 * np.ones((10, 10))
    if degree:
        Z = documented_features(degree)
        cov = cov + Z @ Z.T / alpha
    return multivariate_normal(np.zeros(10), cov).logpdf(y)


@functools.cache
def best_hyperparameters(degree):
    """Maximise the closed-form evidence over (ln α, ln β) with scipy (Nelder-Mead from several starts)."""
    from scipy.optimize import minimize

    if degree == 0:
        res = minimize(
            lambda p: -marginal(0, 1.0, np.exp(p[0])),
            [0.0],
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-12},
        )
        return 1.0, float(np.exp(res.x[0])), -res.fun
    starts = [(-1.0, 3.0), (2.0, 5.0)]
    runs = [
        minimize(
            lambda p: -marginal(degree, *np.exp(p)),
            s,
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000},
        )
        for s in starts
    ]
    res = min(runs, key=lambda r: r.fun)
    return float(np.exp(res.x[0])), float(np.exp(res.x[1])), -res.fun


@pytest.mark.slow
@pytest.mark.claim("occam.evidence_degree", "occam.fig_evidence")
def test_evidence_against_the_marginal_gaussian(v):
    """ln evidence equals scipy's log density of y under the marginal covariance, at the fitted and at other
    hyperparameters; scipy's optimiser finds the same maxima; the best fit is scipy's Gaussian log
    likelihood at the posterior mean, the Occam factor the rest; the ranking of degrees is as quoted."""
    from scipy.stats import norm

    x, y = occam.observations()
    rows = occam.evidence_table()
    assert [r["degree"] for r in rows] == list(range(10))
    for r in rows:
        d = r["degree"]
        for alpha, beta in ((r["alpha"], r["beta"]), (0.5, 30.0), (20.0, 300.0)):
            assert occam.log_evidence(d, alpha, beta) == pytest.approx(
                marginal(d, alpha, beta), rel=1e-9, abs=1e-8
            )
        alpha, beta, best = best_hyperparameters(d)
        assert r["log_evidence"] == pytest.approx(best, abs=1e-7)
        assert r["beta"] == pytest.approx(beta, rel=1e-4)
        if d:
            assert r["alpha"] == pytest.approx(alpha, rel=1e-4)
        # best fit at the posterior mean, solved here from the normal equations of the posterior
        phi = np.column_stack([np.ones(10), occam.poly_features(x, d)]) if d else np.ones((10, 1))
        prior = np.diag([1e-2] + [r["alpha"]] * d)
        m = linalg.solve(prior + r["beta"] * phi.T @ phi, r["beta"] * phi.T @ y, assume_a="pos")
        fit = norm.logpdf(y, phi @ m, r["beta"] ** -0.5).sum()
        assert r["log_fit"] == pytest.approx(fit, abs=1e-7)
        assert r["log_occam"] == pytest.approx(best - fit, abs=1e-6)
        ls = np.linalg.lstsq(phi, y, rcond=None)[0]
        assert r["train_rms_ls"] == pytest.approx(np.sqrt(np.mean((phi @ ls - y) ** 2)), rel=1e-6, abs=1e-10)
    ev = np.array([best_hyperparameters(d)[2] for d in range(10)])
    order = np.argsort(ev)[::-1]
    assert (v["ev_best_degree"], v["ev_second_degree"]) == (order[0], order[1]) == (2, 1)
    assert v["ev_ratio_best_second"] == pytest.approx(np.exp(ev[2] - ev[1]), rel=1e-6)
    assert v["ev_ratio_best_9"] == pytest.approx(np.exp(ev[2] - ev[9]), rel=1e-6)
    assert v["ev_ratio_best_0"] == pytest.approx(np.exp(ev[2] - ev[0]), rel=1e-6)
    assert (v["ev_log_best"], v["ev_log_9"]) == pytest.approx((ev[2], ev[9]), abs=1e-7)
    fits = [r["log_fit"] for r in rows]
    assert (v["ev_fit_0"], v["ev_fit_9"], v["ev_fit_best"]) == (fits[0], fits[9], fits[2])
    occams = [r["log_occam"] for r in rows]
    assert (v["ev_occam_0"], v["ev_occam_9"], v["ev_occam_best"]) == (occams[0], occams[9], occams[2])
    assert fits[9] == max(fits) and occams[9] == min(occams) and np.all(np.diff(occams) < 0)
    # "rises with the degree, though not at every step": and the figure's alt text names the dips
    assert [d + 1 for d in range(9) if fits[d + 1] < fits[d]] == [5, 6]
    ev_rows = [r["log_evidence"] for r in rows]
    assert np.all(np.diff(ev_rows[2:]) < 0)  # "declines ... towards degree 9"
    assert v["ev_sigma_best"] == pytest.approx(best_hyperparameters(2)[1] ** -0.5, rel=1e-4)
    assert v["ev_intercept_sd"] == 10.0


@pytest.mark.slow
@pytest.mark.claim("occam.evidence_degree")
def test_evidence_by_numerical_integration():
    """For the line (degree 1), ∫∫ p(y | w, b) p(w) p(b) dw db summed by the trapezoid rule on a 601 × 601
    grid over ±10 posterior standard deviations equals the evidence (and the box holds all of it)."""
    from scipy.integrate import trapezoid
    from scipy.stats import norm

    x, y = occam.observations()
    row = occam.evidence_table()[1]
    alpha, beta = row["alpha"], row["beta"]
    z = (x - x.mean()) / x.std()  # degree 1: the one standardised power of t is that of x
    A, m = occam.posterior(1, alpha, beta)
    sd = np.sqrt(np.diag(np.linalg.inv(A)))
    b = np.linspace(m[0] - 10 * sd[0], m[0] + 10 * sd[0], 601)
    w = np.linspace(m[1] - 10 * sd[1], m[1] + 10 * sd[1], 601)
    B, W = np.meshgrid(b, w, indexing="ij")
    resid = y[None, None, :] - B[..., None] - W[..., None] * z[None, None, :]
    log_f = (
        norm.logpdf(resid, 0, beta**-0.5).sum(axis=-1)
        + norm.logpdf(B, 0, 10.0)
        + norm.logpdf(W, 0, alpha**-0.5)
    )
    peak = log_f.max()
    value = trapezoid(trapezoid(np.exp(log_f - peak), w, axis=1), b)
    assert np.log(value) + peak == pytest.approx(row["log_evidence"], abs=1e-7)
    assert np.exp(log_f[[0, -1], :] - peak).max() < 1e-15 and np.exp(log_f[:, [0, -1]] - peak).max() < 1e-15


@pytest.mark.claim("occam.evidence_map_is_ridge")
def test_most_probable_weights_are_the_sites_ridge_fit():
    """The posterior mean of w (scipy, from the posterior's normal equations) equals scikit-learn's
    Ridge(alpha=σ²/s²) on the documented features, i.e. the site's λ = α/β with no factor n."""
    from sklearn.linear_model import Ridge

    x, y = occam.observations()
    for alpha, beta in ((6.0, 160.0), (0.3, 20.0)):
        _, m = occam.posterior(9, alpha, beta)
        phi = np.column_stack([np.ones(10), occam.poly_features(x)])
        m_indep = linalg.solve(np.diag([1e-2] + [alpha] * 9) + beta * phi.T @ phi, beta * phi.T @ y)
        np.testing.assert_allclose(m, m_indep, rtol=1e-8, atol=1e-10)
        sk = Ridge(alpha=alpha / beta, solver="svd").fit(phi[:, 1:], y)
        np.testing.assert_allclose(m[1:], sk.coef_, rtol=1e-6, atol=1e-9)
        assert m[0] == pytest.approx(sk.intercept_, rel=1e-4)  # the intercept's broad prior hardly shrinks it


def loo_by_hat_matrix(lam):
    """Leave-one-out residuals of ridge with a free intercept from one fit: eᵢ/(1 − Hᵢᵢ), H the hat matrix of
    [1 Z] with penalty λ on w only (the features held fixed, as the page's cross-validation does)."""
    x, y = occam.observations()
    phi = np.column_stack([np.ones(10), occam.poly_features(x)])
    H = phi @ linalg.solve(phi.T @ phi + lam * np.diag([0.0] + [1.0] * 9), phi.T)
    return np.sqrt(np.mean(((y - H @ y) / (1 - np.diag(H))) ** 2))


@pytest.mark.slow
@pytest.mark.claim("occam.evidence_vs_cv", "occam.fig_lambda_choice")
def test_lambda_by_evidence_and_by_cross_validation(v):
    """λ of the evidence against a brute-force grid of the closed-form evidence over (λ, β); the profile
    curve against scipy's bounded maximisation over β at each λ; the leave-one-out curve and its minimum
    against the hat-matrix shortcut; held-out errors from the documented pipeline."""
    from scipy.optimize import minimize_scalar

    alpha, beta, _ = best_hyperparameters(9)
    assert v["ev_lam"] == pytest.approx(alpha / beta, rel=1e-4)
    assert (v["ev_alpha_9"], v["ev_beta_9"]) == pytest.approx((alpha, beta), rel=1e-4)
    assert (v["ev_s_9"], v["ev_sigma_9"]) == pytest.approx((alpha**-0.5, beta**-0.5), rel=1e-4)
    lams, betas = np.logspace(-3, 1, 81), np.logspace(1, 3, 81)
    grid = np.array([[marginal(9, lam * b, b) for b in betas] for lam in lams])
    i, _ = np.unravel_index(np.argmax(grid), grid.shape)
    assert abs(np.log10(v["ev_lam"] / lams[i])) <= 0.05 + 1e-9  # within one grid step
    choice = occam.lambda_choices()
    for k in range(0, len(occam.CV_LAMBDAS), 20):
        lam = occam.CV_LAMBDAS[k]
        res = minimize_scalar(
            lambda lb, lam=lam: -marginal(9, lam * np.exp(lb), np.exp(lb)),
            bounds=(-3, 14),
            method="bounded",
            options={"xatol": 1e-9},
        )
        assert choice["profile"][k] == pytest.approx(-res.fun, abs=1e-5)
    loo = np.array([loo_by_hat_matrix(lam) for lam in occam.CV_LAMBDAS])
    np.testing.assert_allclose(choice["loo"], loo, rtol=1e-6)
    np.testing.assert_allclose(occam.CV_LAMBDAS, np.logspace(-8, 2, 201), rtol=1e-12)
    assert v["ev_cv_grid_n"] == 201
    assert v["ev_lam_cv"] == occam.CV_LAMBDAS[np.argmin(loo)]
    assert v["ev_loo_at_cv"] == pytest.approx(loo.min(), rel=1e-6)
    assert v["ev_loo_at_ev"] == pytest.approx(loo_by_hat_matrix(v["ev_lam"]), rel=1e-6)
    xt, yt = occam.fresh_test_points()
    for key, lam in (("ev_test_rms_at_ev", v["ev_lam"]), ("ev_test_rms_at_cv", v["ev_lam_cv"])):
        assert v[key] == pytest.approx(np.sqrt(np.mean((documented_pipeline(lam)(xt) - yt) ** 2)), rel=1e-6)
    assert 1 < v["ev_lam_cv"] / v["ev_lam"] < 10  # "within a decade"


@pytest.mark.claim("occam.spread")
def test_line_beats_the_interpolant_on_further_draws(v):
    """20 further draws (numpy rng s: x ~ U[0, 1], y = 1 + 2x + N(0, 0.15²); rng s + 1: 1000 fresh points
    inside the draw's range), the two models solved here by scipy least squares on raw powers of x."""
    line, poly = [], []
    for seed in range(100, 120):
        rng = np.random.default_rng(seed)
        x = np.sort(rng.uniform(0.0, 1.0, 10))
        y = 1.0 + 2.0 * x + rng.normal(0.0, 0.15, 10)
        rng = np.random.default_rng(seed + 1)
        xt = rng.uniform(x.min(), x.max(), 1000)
        yt = 1.0 + 2.0 * xt + rng.normal(0.0, 0.15, 1000)
        c1, *_ = linalg.lstsq(np.vander(x, 2), y)
        line.append(np.sqrt(np.mean((np.vander(xt, 2) @ c1 - yt) ** 2)))
        c9 = interpolate.BarycentricInterpolator(
            x, y
        )  # the unique degree-9 interpolant, no Vandermonde solve
        poly.append(np.sqrt(np.mean((c9(xt) - yt) ** 2)))
    line, poly = np.array(line), np.array(poly)
    assert v["spread_draws"] == 20
    got = (v["spread_line_median"], v["spread_line_lo"], v["spread_line_hi"])
    assert got == pytest.approx((np.median(line), line.min(), line.max()), rel=1e-9)
    got = (v["spread_poly_median"], v["spread_poly_lo"], v["spread_poly_hi"])
    assert got == pytest.approx((np.median(poly), poly.min(), poly.max()), rel=1e-5)
    assert v["spread_line_wins"] == int(np.sum(line < poly)) == 20
