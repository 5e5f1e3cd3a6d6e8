"""The Occam page: every number it quotes, checked against an independent computation."""

import numpy as np
import pytest
from scipy import interpolate, linalg

from sitebuild import snippet_values
from snippets import occam


@pytest.fixture(scope="module")
def v():
    return snippet_values("occam")


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
    assert v["max_gap_inside"] == pytest.approx(gap_inside, rel=0.02)
    assert v["max_gap_beyond"] == pytest.approx(gap_beyond, rel=0.02)
    assert v["max_gap_inside"] > 20 * v["max_gap_at_data"]
    assert v["max_gap_beyond"] > 5 * v["max_gap_inside"]
    # the biggest inside gap sits between two consecutive observations, as the page says
    assert v["gap_lo"] < v["x_max_gap_inside"] < v["gap_hi"]
    assert not np.any((x > v["gap_lo"]) & (x < v["gap_hi"]))


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


@pytest.mark.claim("occam.cond_raw", "occam.cond_equispaced")
def test_condition_numbers(v):
    """Condition numbers from singular values (scipy), for the raw, scaled and equispaced matrices."""
    x, _ = occam.observations()
    s = linalg.svdvals(np.vander(x, 10))
    assert v["cond_raw"] == pytest.approx(s[0] / s[-1], rel=1e-6)
    t = 2 * (x - x.min()) / (x.max() - x.min()) - 1
    s = linalg.svdvals(np.vander(t, 10))
    assert v["cond_scaled"] == pytest.approx(s[0] / s[-1], rel=1e-6)
    assert v["cond_raw"] > 1000 * v["cond_scaled"]
    s = linalg.svdvals(np.vander(np.linspace(0, 1, 10), 10))
    assert v["cond_equispaced"] == pytest.approx(s[0] / s[-1], rel=1e-6)
    assert 1e7 < v["cond_equispaced"] < 1e8  # far from the 1e11 sometimes quoted


@pytest.mark.claim("occam.mercury_gr")
def test_mercury_perihelion(v):
    """6πGM/(c²a(1−e²)) per orbit with the constants typed afresh here; 42.98″ per century is the
    published value (Nobili & Will 1986)."""
    gm, c = 1.3271244e20, 299792458.0
    a, e = 0.38709893 * 1.495978707e11, 0.20563069
    per_orbit = 6 * np.pi * gm / (c**2 * a * (1 - e**2))
    arcsec = np.degrees(per_orbit) * 3600 * 36525 / 87.969
    assert v["mercury_arcsec_century"] == pytest.approx(arcsec, rel=1e-9)
    assert v["mercury_arcsec_century"] == pytest.approx(42.98, abs=0.01)
    assert v["mercury_orbits_century"] == pytest.approx(415.2, abs=0.05)


@pytest.mark.claim("occam.deflection")
def test_light_deflection(v):
    """Newtonian corpuscles: 2GM/(c²R); general relativity: twice that, the textbook 1.75″."""
    newton = np.degrees(2 * 1.3271244e20 / (299792458.0**2 * 6.957e8)) * 3600
    assert v["deflection_newton"] == pytest.approx(newton, rel=1e-9)
    assert v["deflection_einstein"] == pytest.approx(2 * newton, rel=1e-9)
    assert v["deflection_einstein"] == pytest.approx(1.75, abs=0.005)


def sklearn_ridge_curve(lam, xs):
    """The penalised degree-9 fit rebuilt with scikit-learn: StandardScaler + Ridge(alpha=λ), which
    minimises ‖y − Xw − b‖² + λ‖w‖² with b unpenalised (the site's convention, see Notation)."""
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler

    x, y = occam.observations()

    def powers(v):
        t = 2 * (v - x.min()) / (x.max() - x.min()) - 1
        return np.column_stack([t**k for k in range(1, 10)])

    scaler = StandardScaler().fit(powers(x))
    model = Ridge(alpha=lam, solver="svd").fit(scaler.transform(powers(x)), y)
    return model.predict(scaler.transform(powers(xs)))


def count_extrema(curve):
    from scipy.signal import argrelextrema

    return len(argrelextrema(curve, np.greater)[0]) + len(argrelextrema(curve, np.less)[0])


@pytest.mark.claim("occam.fig_ridge_sweep")
def test_interactive_sweep_data_is_the_ridge_fit():
    """Every curve the slider can show equals scikit-learn's ridge fit: to the JSON's 4 decimals
    inside the data; beyond it, where the tiny-λ fits extrapolate steeply and the two solvers'
    rounding is amplified, to 2 %."""
    data = occam.data_ridge_sweep()
    xs = np.array(data["x"])
    x, _ = occam.observations()
    inside = (xs >= x.min()) & (xs <= x.max())
    assert len(data["curves"]) == len(data["lambdas"]) == 21
    assert data["lambdas"] == sorted(data["lambdas"])
    for lam, curve in zip(data["lambdas"], data["curves"], strict=True):
        expected = sklearn_ridge_curve(lam, xs)
        np.testing.assert_allclose(np.array(curve)[inside], expected[inside], atol=1e-3)
        np.testing.assert_allclose(curve, expected, rtol=0.02, atol=1e-3)


@pytest.mark.claim("occam.ridge_sweep_turning", "occam.fig_ridge_sweep")
def test_penalty_removes_the_wiggles(v):
    x, _ = occam.observations()
    xs = np.linspace(x.min(), x.max(), 2001)
    counts = [count_extrema(sklearn_ridge_curve(lam, xs)) for lam in (1e-8, 1e-2, 1.0)]
    assert counts == [v["turning_points_small_lam"], v["turning_points_lam_1e_2"], v["turning_points_lam_1"]]
    assert counts[0] > counts[1] > counts[2] == 0


@pytest.mark.claim("occam.ridge_sweep_heldout")
def test_penalised_fit_generalizes_like_the_line(v):
    xt, yt = occam.fresh_test_points()
    rms = np.sqrt(np.mean((sklearn_ridge_curve(1e-2, xt) - yt) ** 2))
    assert v["test_rms_ridge_1e_2"] == pytest.approx(rms, rel=1e-6)
    assert v["test_rms_ridge_1e_2"] < 1.5 * v["test_rms_line"]
    assert v["test_rms_ridge_1e_2"] < v["test_rms_poly9"] / 10
