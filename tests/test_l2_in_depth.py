"""Tests for the l2_in_depth page: eigen-direction shrinkage, ridge through the SVD, early stopping."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import svd as scipy_svd
from scipy.optimize import brentq, minimize, minimize_scalar
from sklearn.linear_model import Ridge

from sitebuild import snippet_values
from snippets import l2_in_depth as s
from tests.test_l2_penalty import check_figure_rules, check_frames_schema, check_page_wording


@pytest.fixture(scope="module")
def v():
    return snippet_values("l2_in_depth")


def _quadratic_problem(v):
    """The 2-D problem rebuilt from the page's stated numbers, not from the snippet's functions."""
    a = np.deg2rad(s.ANGLE_DEG)
    u1, u2 = np.array([np.cos(a), np.sin(a)]), np.array([-np.sin(a), np.cos(a)])
    H = v["mu_steep"] * np.outer(u1, u1) + v["mu_flat"] * np.outer(u2, u2)
    w_star = np.array([v["w_star_1"], v["w_star_2"]])
    return H, w_star


def _numerical_minimiser(H, w_star, lam, n):
    """Minimise J(w) = ½(w − w*)ᵀH(w − w*) + λ/(2n)‖w‖² with BFGS, from a far starting point."""

    def J(w):
        d = w - w_star
        return 0.5 * d @ H @ d + lam / (2 * n) * w @ w

    res = minimize(J, x0=np.array([5.0, -5.0]), method="BFGS", options={"gtol": 1e-12})
    return res.x


@pytest.mark.claim("l2_in_depth.closed_form_matches_minimiser")
def test_closed_form_matches_numerical_minimiser(v):
    """w̃ from the eigen-factor formula equals scipy's minimiser of J for λ over eight decades."""
    H, w_star = _quadratic_problem(v)
    for lam in [1e-3, 0.1, 1.0, v["lam_show"], 30.0, 1e3, 1e5]:
        numeric = _numerical_minimiser(H, w_star, lam, v["n_quad"])
        assert np.allclose(s.regularised_optimum(lam), numeric, atol=1e-6), lam
    numeric = _numerical_minimiser(H, w_star, v["lam_show"], v["n_quad"])
    assert np.allclose([v["w_tilde_1"], v["w_tilde_2"]], numeric, atol=1e-6)


@pytest.mark.claim("l2_in_depth.keep_shares")
def test_keep_shares_along_eigenvectors(v):
    """Projected on H's own eigenvectors (numpy eigh), w̃/w* keeps the stated shares; flat ≪ steep."""
    H, w_star = _quadratic_problem(v)
    mus, U = np.linalg.eigh(H)  # ascending: flat first
    numeric = _numerical_minimiser(H, w_star, v["lam_show"], v["n_quad"])
    ratios = (U.T @ numeric) / (U.T @ w_star)
    assert ratios[1] == pytest.approx(v["keep_steep"], abs=1e-6)
    assert ratios[0] == pytest.approx(v["keep_flat"], abs=1e-6)
    assert 1 - ratios[1] == pytest.approx(v["lose_steep"], abs=1e-6)
    assert v["keep_flat"] < 0.2 < 0.85 < v["keep_steep"]
    assert v["curvature_ratio"] == pytest.approx(mus[1] / mus[0])


@pytest.mark.claim("l2_in_depth.cheap_move")
def test_long_move_costs_little_loss(v):
    """The L2 optimum moves far from w* but raises the loss little; the same move along u_1 costs far more."""
    H, w_star = _quadratic_problem(v)
    numeric = _numerical_minimiser(H, w_star, v["lam_show"], v["n_quad"])
    dist = np.linalg.norm(numeric - w_star)
    rise = 0.5 * (numeric - w_star) @ H @ (numeric - w_star)
    assert v["move_dist"] == pytest.approx(dist, rel=1e-5)
    assert v["loss_rise"] == pytest.approx(rise, rel=1e-5)
    mus = np.linalg.eigvalsh(H)
    assert v["loss_rise_if_steep"] == pytest.approx(0.5 * mus.max() * dist**2, rel=1e-5)
    assert v["loss_rise_if_steep"] > 10 * v["loss_rise"]


@pytest.mark.claim("l2_in_depth.textbook_alpha")
def test_textbook_alpha_convention_is_the_same_optimum(v):
    """Minimising L + (α/2)‖w‖² with α = λ/n gives the same w̃, with shares μ/(μ + α)."""
    H, w_star = _quadratic_problem(v)
    alpha = v["lam_show"] / v["n_quad"]
    w_alpha = np.linalg.solve(H + alpha * np.eye(2), H @ w_star)  # stationarity of the α-form
    numeric = _numerical_minimiser(H, w_star, v["lam_show"], v["n_quad"])
    assert np.allclose(w_alpha, numeric, atol=1e-6)
    mus, U = np.linalg.eigh(H)
    assert np.allclose((U.T @ w_alpha) / (U.T @ w_star), mus / (mus + alpha))


@pytest.mark.claim("l2_in_depth.fig_quadratic", "l2_in_depth.flat_goes_first")
def test_quadratic_figure_path(v):
    """The drawn path of w̃(λ) is the numerical minimiser at every λ, from near w* to near 0."""
    H, w_star = _quadratic_problem(v)
    lams = s.lambda_path()
    for lam in lams[::6]:
        numeric = _numerical_minimiser(H, w_star, lam, v["n_quad"])
        assert np.allclose(s.regularised_optimum(lam), numeric, atol=1e-6)
    assert np.linalg.norm(s.regularised_optimum(lams[0]) - w_star) < 0.01
    assert np.linalg.norm(s.regularised_optimum(lams[-1])) < 0.01
    # the flat component disappears first: half-way through the path the point is close to the u_1 axis
    mid = _numerical_minimiser(H, w_star, v["n_quad"], v["n_quad"])  # λ/n = 1
    _, U = np.linalg.eigh(H)
    assert abs(U[:, 0] @ mid) < 0.1 < 0.5 < abs(U[:, 1] @ mid)


def _design():
    """The polynomial design rebuilt independently: same seed and recipe as the page states."""
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(-1, 1, 40))
    X = np.column_stack([x**k for k in range(1, 7)])
    y = np.sin(2.5 * x) + 0.1 * rng.standard_normal(40)
    return X, y


@pytest.mark.claim("l2_in_depth.ridge_svd_factor", "l2_in_depth.fig_ridge_svd")
def test_ridge_components_along_right_singular_vectors():
    """sklearn Ridge's coefficients along v_i are d_i²/(d_i² + λ) times least squares' (scipy SVD)."""
    X, y = _design()
    assert np.allclose(X, s.poly_data()[0])
    _, d, Vt = scipy_svd(X, full_matrices=False)
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    measured = s.measured_ridge_ratios()
    for k, lam in enumerate(s.ridge_lambdas()):
        w = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(X, y).coef_
        ratio = (Vt @ w) / (Vt @ w_ls)
        assert np.allclose(ratio, d**2 / (d**2 + lam), atol=1e-6), lam
        assert np.allclose(measured[k], ratio, atol=1e-6), lam


@pytest.mark.claim("l2_in_depth.df_trace")
def test_df_equals_trace_of_hat_matrix(v):
    """df(λ) equals trace of X(XᵀX + λI)⁻¹Xᵀ, and the quoted df values are right."""
    X, _ = _design()
    p = X.shape[1]
    for lam in [1e-3, 1.0, 100.0]:
        hat = X @ np.linalg.inv(X.T @ X + lam * np.eye(p)) @ X.T
        assert s.effective_df(lam)[0] == pytest.approx(np.trace(hat), rel=1e-8)
    assert v["df_lam_small"] == pytest.approx(np.trace(X @ np.linalg.solve(X.T @ X + 1e-3 * np.eye(p), X.T)))
    assert v["df_lam_1"] == pytest.approx(np.trace(X @ np.linalg.solve(X.T @ X + np.eye(p), X.T)))
    assert v["df_lam_100"] == pytest.approx(np.trace(X @ np.linalg.solve(X.T @ X + 100 * np.eye(p), X.T)))
    d = np.linalg.svd(X, compute_uv=False)
    assert v["d_max"] == pytest.approx(d.max()) and v["d_min"] == pytest.approx(d.min())


@pytest.mark.claim("l2_in_depth.df_monotone")
def test_df_decreases_from_rank_to_zero():
    """df(λ) strictly decreases, tends to rank(X) = p as λ → 0 and to 0 as λ → ∞."""
    X, _ = _design()
    lams = np.geomspace(1e-9, 1e9, 400)
    df = s.effective_df(lams)
    assert np.all(np.diff(df) < 0)
    assert df[0] == pytest.approx(np.linalg.matrix_rank(X), abs=1e-5)
    assert df[-1] < 1e-7


def _gd_loop(X, y, eta, tau):
    """Plain gradient descent on (1/2n)‖Xw − y‖² from w = 0."""
    n = len(y)
    w = np.zeros(X.shape[1])
    for _ in range(tau):
        w = w - eta * X.T @ (X @ w - y) / n
    return w


@pytest.mark.claim("l2_in_depth.gd_filter")
def test_gradient_descent_follows_its_filter(v):
    """τ GD steps from 0 give components (1 − (1 − ημ_i)^τ)·(v_iᵀ w_LS), μ_i = d_i²/n."""
    X, y = _design()
    n = len(y)
    _, d, Vt = scipy_svd(X, full_matrices=False)
    mu = d**2 / n
    eta = 1.0 / mu.max()
    assert v["eta"] == pytest.approx(eta)
    assert v["mu_min"] == pytest.approx(mu.min()) and v["mu_max"] == pytest.approx(mu.max())
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    for tau in [1, 7, 40, 300]:
        w = _gd_loop(X, y, eta, tau)
        expected = 1 - (1 - eta * mu) ** tau
        assert np.allclose((Vt @ w) / (Vt @ w_ls), expected, atol=1e-8)
        assert np.allclose(s.gd_filter(eta * mu, tau), expected)
    k = list(s.taus()).index(40)
    assert np.allclose(s.gd_run()[k], _gd_loop(X, y, eta, 40), atol=1e-10)


@pytest.mark.claim("l2_in_depth.gap_tau_1")
def test_gap_after_one_step(v):
    """After one step the gap is (ημ)²/(1 + ημ), largest at ημ = 1: exactly ½."""
    x = np.linspace(1e-6, 1, 10001)
    assert np.max(x**2 / (1 + x)) == pytest.approx(0.5)
    assert v["tau_1_gap"] == pytest.approx(0.5)


@pytest.mark.claim("l2_in_depth.gap_limit")
def test_gap_limit_for_many_steps(v):
    """As τ → ∞ the worst gap tends to max_x (1 − e^(−x) − x/(1 + x)) at x = 2 ln(1 + x) ≈ 2.51."""
    x_star = brentq(lambda x: x - 2 * np.log1p(x), 0.5, 10)
    g_star = 1 - np.exp(-x_star) - x_star / (1 + x_star)
    assert v["limit_gap"] == pytest.approx(g_star, rel=1e-6)
    assert v["limit_gap_at"] == pytest.approx(x_star, rel=1e-3)
    assert v["tau_10000_gap"] == pytest.approx(g_star, abs=5e-4)
    # exact in neither limit: still far from 0 at both ends
    assert v["tau_1_gap"] > v["tau_10_gap"] > v["tau_100_gap"] > v["tau_10000_gap"] > 0.2


@pytest.mark.slow
@pytest.mark.claim("l2_in_depth.fig_early_stopping", "l2_in_depth.gap_decreases")
def test_gap_curve_decreases_to_the_limit(v):
    """The figure's worst-gap curve, recomputed on a finer ημ grid, falls monotonically towards the limit."""
    x_star = brentq(lambda x: x - 2 * np.log1p(x), 0.5, 10)
    g_star = 1 - np.exp(-x_star) - x_star / (1 + x_star)
    em = np.geomspace(1e-7, 1, 200_001)
    curves = s.early_stopping_curves()
    for k, tau in enumerate(s.taus()):
        gap = np.max(np.abs((1 - (1 - em) ** tau) - em / (em + 1 / tau)))
        assert curves[k, 0] == pytest.approx(gap, abs=2e-4), tau
    assert np.all(np.diff(curves[:, 0]) <= 1e-9)
    assert curves[-1, 0] - g_star < 1e-3
    for tau, key in [(1, "tau_1_gap"), (10, "tau_10_gap"), (100, "tau_100_gap"), (10_000, "tau_10000_gap")]:
        gap = np.max(np.abs((1 - (1 - em) ** tau) - em / (em + 1 / tau)))
        assert v[key] == pytest.approx(gap, abs=2e-4), key


@pytest.mark.claim("l2_in_depth.gap_where")
def test_where_the_approximation_holds(v):
    """At τ = 1000, the actual filters differ by the quoted amounts at μ = 0.1, 10 and 100 × 1/(τη)."""
    tau = 1000
    for x, key in [(0.1, "gap_at_x_0_1"), (10.0, "gap_at_x_10"), (100.0, "gap_at_x_100")]:
        em = x / tau
        gap = abs((1 - (1 - em) ** tau) - em / (em + 1 / tau))
        assert v[key] == pytest.approx(gap, rel=0.01), key
    assert v["gap_at_x_0_1"] < 0.005 and v["gap_at_x_100"] < 0.01 < 0.09 < v["gap_at_x_10"]


@pytest.mark.claim("l2_in_depth.best_constant")
def test_best_constant_still_leaves_a_gap(v):
    """No constant c in λ/n = c/(τη) closes the gap: the best (scipy) c ≈ 0.53 leaves ≈ 0.10."""
    x = np.geomspace(1e-4, 1e4, 100_001)

    def worst(c):
        return np.max(np.abs(1 - np.exp(-x) - x / (x + c)))

    res = minimize_scalar(worst, bounds=(0.1, 3.0), method="bounded", options={"xatol": 1e-6})
    assert v["best_c"] == pytest.approx(res.x, abs=2e-3)
    assert v["best_c_gap"] == pytest.approx(res.fun, abs=1e-4)
    assert res.fun > 0.1


@pytest.mark.claim("l2_in_depth.coef_gap")
def test_coefficient_gap_on_the_design(v):
    """GD weights at τ versus sklearn Ridge at λ = n/(τη): the largest relative gap and its τ."""
    X, y = _design()
    n = len(y)
    eta = v["eta"]
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    tau = v["coef_gap_tau_max"]
    w_gd = _gd_loop(X, y, eta, tau)
    w_l2 = Ridge(alpha=n / (tau * eta), fit_intercept=False, solver="svd").fit(X, y).coef_
    assert v["coef_gap_max"] == pytest.approx(np.linalg.norm(w_gd - w_l2) / np.linalg.norm(w_ls), rel=1e-6)
    for tau in [3, 400, 2000]:
        w_gd = _gd_loop(X, y, eta, tau)
        w_l2 = Ridge(alpha=n / (tau * eta), fit_intercept=False, solver="svd").fit(X, y).coef_
        assert np.linalg.norm(w_gd - w_l2) / np.linalg.norm(w_ls) <= v["coef_gap_max"] + 1e-9


@pytest.mark.claim("l2_in_depth.switch_points")
def test_matching_the_half_kept_points_gives_ln2(v):
    """GD's filter after τ = 10⁴ steps keeps half at τημ ≈ ln 2 (brentq on the finite-τ filter); L2's
    μ/(μ + λ/n) with λ/n = c/(τη) keeps half at x = c (brentq). Matching gives c = ln 2 ≈ 0.69, not 1."""
    tau = 10_000
    em_half = brentq(lambda em: (1 - (1 - em) ** tau) - 0.5, 1e-9, 1.0, xtol=1e-16)
    x_gd = tau * em_half
    for c in (0.5, 1.0, 2.0):
        x_l2 = brentq(lambda x, c=c: x / (x + c) - 0.5, 1e-9, 100.0, xtol=1e-14)
        assert x_l2 == pytest.approx(c, rel=1e-9)
    assert v["c_switch"] == pytest.approx(x_gd, rel=1e-3)
    assert v["c_switch"] == pytest.approx(0.6931, abs=1e-4)
    # the worst τ → ∞ gap with that constant (bounded scalar search on the gap itself)
    c = v["c_switch"]
    res = minimize_scalar(
        lambda x: -abs(1 - np.exp(-x) - x / (x + c)),
        bounds=(0.1, 20),
        method="bounded",
        options={"xatol": 1e-9},
    )
    assert v["switch_c_gap"] == pytest.approx(-res.fun, rel=1e-5)


@pytest.mark.claim("l2_in_depth.small_x_slopes")
def test_matching_the_small_x_slopes_gives_one(v):
    """At tiny ημ, τ steps of GD keep τημ·(1 + O(ημτ)) (slope 1 in x = τημ), L2 keeps x/c (slope 1/c):
    equal slopes need c = 1."""
    tau = 1000
    em = 1e-9
    gd_slope = (1 - (1 - em) ** tau) / (tau * em)
    assert gd_slope == pytest.approx(1.0, rel=1e-5)
    for c in (0.5, 2.0):
        x = 1e-9
        assert (x / (x + c)) / x == pytest.approx(1 / c, rel=1e-6)
    assert v["c_slope"] == pytest.approx(1 / gd_slope, rel=1e-5)
    assert abs(v["c_slope"] - v["c_switch"]) > 0.25


@pytest.mark.slow
@pytest.mark.parametrize("name", ["quadratic", "ridge_svd", "early_stopping", "shrinkage"])
def test_figure_rules(name):
    check_figure_rules(getattr(s, f"fig_{name}"))


def test_page_wording():
    check_page_wording("l2_in_depth")


@pytest.mark.claim("l2_in_depth.slider_shares", "l2_in_depth.fig_shrinkage")
def test_interactive_shrinkage(v):
    """Each frame against scikit-learn: the dots are Ridge's coefficients along the right singular vectors
    (scipy SVD) over least squares'; they lie on the frame's curve; the curve is ½ at the dashed d = √λ;
    the readout's df is the trace of the hat matrix; directions switch off from the smallest d up."""
    data = s.data_shrinkage()
    check_frames_schema(data)
    X, y = _design()
    _, d, Vt = scipy_svd(X, full_matrices=False)
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    half_kept = []
    for lam, frame in zip(data["slider"]["values"], data["frames"], strict=True):
        curve, half, dots = frame["series"]
        w = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(X, y).coef_
        share = (Vt @ w) / (Vt @ w_ls)
        np.testing.assert_allclose(dots["x"], d, atol=1e-4)
        np.testing.assert_allclose(dots["y"], share, atol=1e-3)
        on_curve = np.interp(np.log(d), np.log(curve["x"]), curve["y"])
        np.testing.assert_allclose(on_curve, share, atol=0.01)
        assert half["x"][0] == pytest.approx(np.sqrt(lam), rel=1e-3)
        assert np.interp(np.log(half["x"][0]), np.log(curve["x"]), curve["y"]) == pytest.approx(0.5, abs=0.01)
        hat = X @ np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T)
        assert f"df = {np.trace(hat):.2f}" in frame["readout"]
        half_kept.append(share > 0.5)
    half_kept = np.array(half_kept)
    assert np.all(np.diff(half_kept.sum(axis=1)) <= 0)
    # the directions still more than half kept are always the ones with the largest d
    for row in half_kept:
        assert np.array_equal(row, np.sort(row)[::-1])
    assert half_kept[0].all() and not half_kept[-1].any()


def test_grids_are_the_ones_the_page_describes(v):
    """The λ, τ and ημ grids behind the figures and numbers, as the page and captions describe them
    (λ from tiny to huge, 81 ridge fits from 10⁻⁵ to 10³, τ from 1 to 10⁴, the whole spectrum (0, 1])."""
    np.testing.assert_allclose(s.lambda_path(), np.geomspace(1e-3, 1e4, 60), rtol=1e-12)
    np.testing.assert_allclose(s.ridge_lambdas(), np.geomspace(1e-5, 1e3, 81), rtol=1e-12)
    np.testing.assert_allclose(s.svd_slider_lambdas(), np.geomspace(1e-4, 1e2, 25), rtol=1e-12)
    np.testing.assert_array_equal(s.taus(), np.unique(np.round(np.geomspace(1, 1e4, 41)).astype(int)))
    np.testing.assert_allclose(s.eta_mu_grid(), np.geomspace(1e-6, 1.0, 4001), rtol=1e-12)
    assert (s.N_QUAD, s.MU_STEEP, s.MU_FLAT, s.LAM_SHOW) == (10, 2.0, 0.05, 2.5)
    assert (s.N_POLY, s.DEGREE, s.NOISE, s.ANGLE_DEG) == (40, 6, 0.1, 25.0)
    data = s.data_shrinkage()
    assert data["xlim"] == [0.01, 10.0] and data["ylim"] == [0.0, 1.05] and data["xscale"] == "log"
    assert data["slider"]["initial"] == 12 and data["slider"]["values"][12] == pytest.approx(0.1)
    assert v["shrinkage_initial_lam"] == pytest.approx(0.1, rel=1e-12)
    for frame in data["frames"]:
        curve, half, _ = frame["series"]
        assert curve["x"][0] == 0.01 and curve["x"][-1] == 10.0 and len(curve["x"]) == 60
        assert half["y"] == [0.0, 1.0]


def test_quoted_settings(v):
    """The settings the page prints, against the stated design; the design-eigenvalue gap never exceeds
    the continuous-spectrum gap (a maximum over a subset)."""
    assert v["lam_over_n_show"] == pytest.approx(v["lam_show"] / v["n_quad"]) == pytest.approx(0.25)
    X, _ = _design()
    assert (v["n_poly"], v["degree"]) == X.shape == (40, 6)
    assert v["tau_max"] == 10_000
    curves = s.early_stopping_curves()
    assert np.all(curves[:, 1] <= curves[:, 0] + 2e-4)
    em = v["eta"] * np.linalg.svd(X, compute_uv=False) ** 2 / 40
    gaps = [np.max(np.abs((1 - (1 - em) ** t) - em / (em + 1 / t))) for t in s.taus()]
    assert v["design_gap_max"] == pytest.approx(max(gaps), rel=1e-9)
