"""Proofs for the page "Why does L1 set weights to exactly zero while L2 only shrinks them?"."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, Ridge

from sitebuild import snippet_values
from snippets import conventions as cv
from snippets import l1_vs_l2 as page
from tests.test_l2_penalty import check_figure_rules, check_frames_schema, check_page_wording

BEFORE = np.array([8.2, 5.1, 2.8, 0.9])
SEED_L2 = np.array([4.1, 2.3, 1.2, 0.3])
SEED_L1 = np.array([4.5, 1.8, 0.0, 0.0])


@pytest.fixture(scope="module")
def v():
    return snippet_values("l1_vs_l2")


def row(v, name):
    return np.array([v[f"{name}_{j}"] for j in range(4)])


def sk_ridge(X, y, lam):
    return Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_


def sk_lasso(X, y, lam):
    """scikit-learn's Lasso with the site's λ converted: alpha = λ/n."""
    n = len(y)
    alpha = lam / n
    assert cv.lam_from_sklearn_lasso(alpha, n) == pytest.approx(lam)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y)
    return model.coef_


# --- the orthonormal design ---------------------------------------------------------------------


@pytest.mark.claim("l1_vs_l2.ortho_ridge_rule", "l1_vs_l2.fig_rules")
def test_ridge_is_one_factor_on_orthonormal_design(v):
    """With XᵀX = I, scikit-learn's Ridge gives BEFORE/(1+λ), and so do the table's ridge rows."""
    X, y = page.orthonormal_problem()
    np.testing.assert_allclose(X.T @ X, np.eye(4), atol=1e-12)
    np.testing.assert_allclose(np.linalg.lstsq(X, y, rcond=None)[0], BEFORE, atol=1e-12)
    for name in ("l2_match", "l2_fit"):
        lam = v[f"lam_{name}"]
        np.testing.assert_allclose(sk_ridge(X, y, lam), BEFORE / (1 + lam), atol=1e-12)
        np.testing.assert_allclose(row(v, name), BEFORE / (1 + lam), atol=1e-12)
    assert v["lam_l2_match"] == pytest.approx(1.0)


@pytest.mark.claim("l1_vs_l2.ortho_lasso_rule", "l1_vs_l2.fig_rules")
def test_lasso_is_soft_threshold_on_orthonormal_design(v):
    """With XᵀX = I, scikit-learn's Lasso (alpha = λ/n) gives sign·max(|b| − λ, 0), as do the table's rows."""
    X, y = page.orthonormal_problem()
    for name in ("l1_match", "l1_fit"):
        lam = v[f"lam_{name}"]
        closed = np.sign(BEFORE) * np.maximum(np.abs(BEFORE) - lam, 0)
        np.testing.assert_allclose(sk_lasso(X, y, lam), closed, atol=1e-9)
        np.testing.assert_allclose(row(v, name), closed, atol=1e-9)
    assert v["lam_l1_match"] == pytest.approx(3.7)


@pytest.mark.claim("l1_vs_l2.article_l2_no_factor")
def test_no_ridge_factor_gives_the_seeds_l2_vector(v):
    """The seed's after/before ratios differ (0.50 … 0.33); the best single factor still misses by ≈ 0.29."""
    ratios = SEED_L2 / BEFORE
    for j in range(4):
        assert v[f"ratio_l2_{j}"] == pytest.approx(ratios[j])
    assert ratios.max() - ratios.min() > 0.15
    res = scipy.optimize.minimize_scalar(
        lambda c: np.sum((c * BEFORE - SEED_L2) ** 2), bounds=(0, 1), method="bounded"
    )
    assert np.sqrt(res.fun) == pytest.approx(v["l2_fit_err"], rel=1e-5)
    assert 1 / res.x - 1 == pytest.approx(v["lam_l2_fit"], rel=1e-5)
    assert v["ridge_fit_share"] == pytest.approx(res.x, rel=1e-5)
    assert v["l2_fit_err"] > 0.25


@pytest.mark.claim("l1_vs_l2.article_l1_no_threshold")
def test_no_threshold_gives_the_seeds_l1_vector(v):
    """Survivors drop by 3.7 and 3.3, not one amount; the best threshold (dense grid) misses by ≈ 0.28."""
    assert v["drop_l1_0"] == pytest.approx(3.7) and v["drop_l1_1"] == pytest.approx(3.3)
    ts = np.linspace(0, 9, 900_001)
    errs = np.sqrt(np.sum((np.maximum(BEFORE[None, :] - ts[:, None], 0) - SEED_L1[None, :]) ** 2, axis=1))
    best = int(np.argmin(errs))
    assert ts[best] == pytest.approx(v["lam_l1_fit"], abs=2e-5)
    assert errs[best] == pytest.approx(v["l1_fit_err"], rel=1e-6)
    assert errs.min() > 0.25


# --- the diamond and the disk -------------------------------------------------------------------


def constrained_min(X, y, t, kind):
    """Minimise the squared loss on the L1 or L2 ball of radius t with SLSQP (L1 via w = u − v, u, v ≥ 0)."""

    def loss(w):
        return 0.5 * np.mean((X @ w - y) ** 2)

    if kind == "l2":
        res = scipy.optimize.minimize(
            loss,
            np.zeros(2),
            method="SLSQP",
            constraints=[{"type": "ineq", "fun": lambda w: t**2 - w @ w}],
            options={"ftol": 1e-15, "maxiter": 1000},
        )
        return res.x
    res = scipy.optimize.minimize(
        lambda uv: loss(uv[:2] - uv[2:]),
        np.full(4, 0.1),
        method="SLSQP",
        bounds=[(0, None)] * 4,
        constraints=[{"type": "ineq", "fun": lambda uv: t - np.sum(uv)}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    return res.x[:2] - res.x[2:]


@pytest.mark.claim("l1_vs_l2.corner", "l1_vs_l2.fig_diamond_disk")
def test_l1_optimum_is_a_corner(v):
    """SLSQP on the L1 ball finds (t, 0); the page's lasso point is that corner with w₂ exactly 0."""
    X, y = page.toy_problem()
    t = v["budget"]
    w = constrained_min(X, y, t, "l1")
    np.testing.assert_allclose(w, [t, 0.0], atol=1e-6)
    assert v["ball_l1_w2"] == 0.0
    assert v["ball_l1_w1"] == pytest.approx(t, abs=1e-9)
    lasso = sk_lasso(X, y, v["ball_l1_lam"])
    assert lasso[1] == 0.0 and lasso[0] == pytest.approx(t, abs=1e-6)


@pytest.mark.claim("l1_vs_l2.disk_not_corner", "l1_vs_l2.fig_diamond_disk")
def test_l2_optimum_is_not_on_an_axis(v):
    """SLSQP on the L2 ball agrees with the page's point, whose two coordinates are both clearly nonzero."""
    X, y = page.toy_problem()
    w = constrained_min(X, y, v["budget"], "l2")
    np.testing.assert_allclose(w, [v["ball_l2_w1"], v["ball_l2_w2"]], atol=1e-5)
    assert min(abs(w)) > 0.3
    np.testing.assert_allclose(sk_ridge(X, y, v["ball_l2_lam"]), w, atol=1e-5)


@pytest.mark.claim("l1_vs_l2.ls_outside")
def test_least_squares_outside_both_balls(v):
    """The unconstrained optimum lies outside both balls, so both constraints bind."""
    X, y = page.toy_problem()
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.linalg.norm(w) > v["budget"] and np.sum(np.abs(w)) > v["budget"]
    np.testing.assert_allclose([v["ls_w1"], v["ls_w2"]], w, atol=1e-10)


# --- the paths ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sk_paths():
    X, y, _ = page.path_problem()
    l_lams, l_path = page.lasso_path()
    r_lams, r_path = page.ridge_path()
    return {
        "lasso": (l_lams, l_path, np.array([sk_lasso(X, y, lam) for lam in l_lams])),
        "ridge": (r_lams, r_path, np.array([sk_ridge(X, y, lam) for lam in r_lams])),
    }


@pytest.mark.slow
@pytest.mark.claim("l1_vs_l2.lasso_matches_sklearn", "l1_vs_l2.fig_paths")
def test_lasso_path_matches_sklearn(sk_paths):
    """At every λ of the path, coordinate descent agrees with sklearn's Lasso(alpha = λ/n), zeros included."""
    _, mine, theirs = sk_paths["lasso"]
    np.testing.assert_allclose(mine, theirs, atol=1e-7)
    np.testing.assert_array_equal(mine == 0, np.abs(theirs) == 0)


@pytest.mark.claim("l1_vs_l2.ridge_matches_sklearn", "l1_vs_l2.fig_paths")
def test_ridge_path_matches_sklearn(sk_paths):
    """At every λ of the path, the ridge weights agree with scikit-learn's Ridge(alpha = λ)."""
    _, mine, theirs = sk_paths["ridge"]
    np.testing.assert_allclose(mine, theirs, atol=1e-10)


@pytest.mark.claim("l1_vs_l2.lam_max")
def test_everything_zero_above_lam_max(v):
    """Above λ_max = max|xⱼᵀy| scikit-learn's lasso is all zeros; just below it one weight is nonzero."""
    X, y, _ = page.path_problem()
    lmax = np.max(np.abs(X.T @ y))
    assert v["lam_max"] == pytest.approx(lmax, rel=1e-12)
    assert np.all(sk_lasso(X, y, 1.001 * lmax) == 0)
    assert np.count_nonzero(sk_lasso(X, y, 0.99 * lmax)) == 1
    assert v["lasso_lam_top"] > lmax


@pytest.mark.claim("l1_vs_l2.zero_counts")
def test_zero_counts_along_the_lasso_path(v, sk_paths):
    """Counting scikit-learn's exact zeros along the same grid reproduces the page's numbers."""
    lams, _, theirs = sk_paths["lasso"]
    zeros = np.sum(theirs == 0, axis=1)
    assert v["paths_num"] == len(lams)
    assert v["lasso_zeros_top"] == zeros[0] == v["paths_p"]
    assert v["lasso_zeros_min"] == zeros.min()
    assert v["lasso_zeros_median"] == np.median(zeros)
    assert v["lasso_points_with_zero"] == np.sum(zeros > 0)
    assert np.all(np.diff(zeros) <= 0)  # on this problem the count only falls as λ falls
    _, _, w_true = page.path_problem()
    assert v["paths_null"] == np.sum(w_true == 0) == 11


@pytest.mark.claim("l1_vs_l2.ridge_no_zeros")
def test_ridge_path_has_no_zeros(v, sk_paths):
    """No ridge weight on the path is exactly zero; the smallest magnitude is the page's number."""
    _, _, theirs = sk_paths["ridge"]
    assert np.all(theirs != 0)
    assert v["ridge_zeros_total"] == 0
    assert np.min(np.abs(theirs)) == pytest.approx(v["ridge_smallest_abs"], rel=1e-8)


@pytest.mark.claim("l1_vs_l2.support_recovery")
def test_lasso_finds_the_true_support_for_a_range_of_lambda(v, sk_paths):
    """For the page's λ range, sklearn's lasso keeps exactly the truly nonzero features, and only there."""
    _, _, w_true = page.path_problem()
    lams, _, theirs = sk_paths["lasso"]
    hits = [i for i in range(len(lams)) if np.array_equal(theirs[i] != 0, w_true != 0)]
    assert len(hits) == v["support_points"] > 0
    assert hits == list(range(hits[0], hits[-1] + 1))  # one contiguous range
    assert lams[hits[0]] == pytest.approx(v["support_lam_hi"]) and lams[hits[-1]] == pytest.approx(
        v["support_lam_lo"]
    )
    assert np.count_nonzero(w_true) == v["paths_k"]


@pytest.mark.claim("l1_vs_l2.subgradient_no_zeros")
def test_subgradient_descent_hovers_instead_of_zeroing(v):
    """Plain subgradient descent (an independent loop) ends near the lasso solution with no exact zeros;
    the weights scikit-learn's lasso zeroes stay within a few steps of size ηλ/n of zero."""
    X, y, _ = page.path_problem()
    n, lam, eta = len(y), v["sub_lam"], v["sub_eta"]
    w = np.zeros(X.shape[1])
    for _ in range(v["sub_steps"]):
        w = w - eta * (X.T @ (X @ w - y) / n + lam / n * np.sign(w))
    lasso = sk_lasso(X, y, lam)
    dead = lasso == 0
    assert np.sum(w == 0) == v["sub_exact_zeros"] == 0
    assert np.sum(dead) == v["sub_lasso_zeros"]
    assert np.min(np.abs(w[dead])) == pytest.approx(v["sub_near_min"], rel=1e-6)
    assert np.max(np.abs(w[dead])) == pytest.approx(v["sub_near_max"], rel=1e-6)
    assert np.min(np.abs(w[~dead])) == pytest.approx(v["sub_kept_min"], rel=1e-6)
    assert v["sub_step"] == pytest.approx(eta * lam / n)
    assert v["sub_near_max"] < 2 * v["sub_step"] < v["sub_kept_min"]
    np.testing.assert_allclose(w, lasso, atol=2 * v["sub_step"])


@pytest.mark.claim("l1_vs_l2.corner_condition")
def test_corner_satisfies_the_optimality_condition(v):
    """At the corner (t, 0) the loss gradient (finite differences) has |∂L/∂w₂| ≤ |∂L/∂w₁|: it lies in the
    corner's normal cone, which is why the corner is optimal; the page's ratio is that quotient."""
    X, y = page.toy_problem()
    corner = np.array([v["budget"], 0.0])
    g = scipy.optimize.approx_fprime(corner, lambda w: 0.5 * np.mean((X @ w - y) ** 2), 1e-7)
    ratio = abs(g[1]) / abs(g[0])
    assert ratio == pytest.approx(v["corner_pull_ratio"], rel=1e-4)
    assert ratio < 1
    assert g[0] == pytest.approx(-v["ball_l1_lam"] / len(y), rel=1e-4)  # the axis pull equals λ/n


@pytest.mark.slow
@pytest.mark.parametrize("name", ["rules", "diamond_disk", "paths", "laplace", "stability", "balls"])
def test_figure_rules(name):
    check_figure_rules(getattr(page, f"fig_{name}"))


def test_page_wording():
    check_page_wording("l1_vs_l2")


# --- the interactive balls ---------------------------------------------------------------------------


def _sk_lasso_loose(X, y, lam):
    n = len(y)
    return Lasso(alpha=lam / n, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_


@pytest.mark.claim("l1_vs_l2.slider_corner", "l1_vs_l2.fig_balls")
def test_interactive_balls(v):
    """Each frame against scikit-learn: the lasso and ridge points, the diamond and circle through them;
    w₂ of the lasso is exactly 0 for λ above λ₂ and nonzero below, λ₂ found by bisection on scikit-learn's
    support (independent of the closed form); every λ ≥ λ_max = max|xⱼᵀy| zeroes both; the ridge point
    never has a zero coordinate."""
    data = page.data_balls()
    check_frames_schema(data)
    X, y = page.toy_problem()
    lo, hi = 1.0, float(np.max(np.abs(X.T @ y)))
    assert v["ball_lam_max"] == pytest.approx(hi, rel=1e-12)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if _sk_lasso_loose(X, y, mid)[1] == 0 else (mid, hi)
    assert v["ball_lam2"] == pytest.approx(hi, rel=1e-6)
    assert v["ball_lam2"] < v["ball_l1_lam"]  # the budget's λ lies on the corner side
    lams = np.array(data["slider"]["values"])
    assert np.any((lams > v["ball_lam2"]) & (lams < 1.01 * v["ball_lam2"]))
    assert lams[data["slider"]["initial"]] == pytest.approx(1.001 * v["ball_lam2"], rel=1e-4)
    zeros = []
    for lam, frame in zip(lams, data["frames"], strict=True):
        diamond, circle, lasso_pt, ridge_pt = frame["series"]
        wl, wr = _sk_lasso_loose(X, y, lam), sk_ridge(X, y, lam)
        np.testing.assert_allclose([lasso_pt["x"][0], lasso_pt["y"][0]], wl, atol=1e-3)
        np.testing.assert_allclose([ridge_pt["x"][0], ridge_pt["y"][0]], wr, atol=1e-3)
        np.testing.assert_allclose(np.abs(diamond["x"]) + np.abs(diamond["y"]), np.sum(np.abs(wl)), atol=2e-3)
        np.testing.assert_allclose(np.hypot(circle["x"], circle["y"]), np.linalg.norm(wr), atol=2e-3)
        assert np.all(wr != 0)
        zeros.append(wl[1] == 0)
        assert ("w₂ exactly 0" in frame["readout"] or "both weights exactly 0" in frame["readout"]) == (
            wl[1] == 0
        )
        assert (np.all(wl == 0)) == (lam >= v["ball_lam_max"])
    np.testing.assert_array_equal(zeros, lams >= v["ball_lam2"])
    ls = data["static"][-1]
    np.testing.assert_allclose([ls["x"][0], ls["y"][0]], [v["ls_w1"], v["ls_w2"]], atol=1e-3)


# --- L1 in depth -------------------------------------------------------------------------------------


@pytest.mark.claim("l1_vs_l2.laplace_map", "l1_vs_l2.fig_laplace")
def test_laplace_map_is_the_lasso(v):
    """The peak of N(z; w, τ²)·e^(−|w|/b) (scipy minimize_scalar on the negative log posterior) is the soft
    threshold at τ²/b; scikit-learn's Lasso on one feature with ‖x‖² = σ²/τ², λ = σ²/b gives it."""
    tau, b = v["lap_tau"], v["lap_b"]
    assert v["lap_t"] == pytest.approx(tau**2 / b)
    z_grid, w_map, _ = page.laplace_curves()
    x = np.full(4, 0.5)  # ‖x‖² = 1 = σ²/τ² with σ = 1
    for z, wm in zip(z_grid[::5], w_map[::5], strict=True):
        res = scipy.optimize.minimize_scalar(
            lambda w, z=z: 0.5 * ((w - z) / tau) ** 2 + abs(w) / b,
            bounds=(-10, 10),
            method="bounded",
            options={"xatol": 1e-10},
        )
        assert wm == pytest.approx(res.x, abs=1e-6)
        y = z * x  # least-squares estimate xᵀy/‖x‖² = z
        sk = Lasso(alpha=(1.0 / b) / len(y), fit_intercept=False, tol=1e-14, max_iter=100_000).fit(
            x[:, None], y
        )
        assert sk.coef_[0] == pytest.approx(wm, abs=1e-8)
    assert np.all(w_map[np.abs(z_grid) <= v["lap_t"]] == 0)
    assert v["lap_map_zeros"] == np.sum(np.abs(z_grid) <= v["lap_t"] + 1e-12)
    assert v["lap_map_half_t"] == 0 and v["lap_map_2t"] == pytest.approx(v["lap_t"])


def quad_posterior_mean(z, tau, b):
    """E[w | z] under N(z; w, τ²)·e^(−|w|/b), by scipy.integrate.quad on each side of 0."""
    from scipy import integrate

    def dens(w):
        return np.exp(-0.5 * ((w - z) / tau) ** 2 - abs(w) / b)

    num = sum(
        integrate.quad(lambda w: w * dens(w), a, c, epsabs=1e-13, epsrel=1e-12)[0]
        for a, c in ((-60, 0), (0, 60))
    )
    den = sum(integrate.quad(dens, a, c, epsabs=1e-13, epsrel=1e-12)[0] for a, c in ((-60, 0), (0, 60)))
    return num / den


@pytest.mark.claim("l1_vs_l2.laplace_mean_not_sparse", "l1_vs_l2.fig_laplace")
def test_laplace_posterior_mean_is_not_sparse(v):
    """The posterior mean (scipy quad) matches the page's trapezoid values and is nonzero at every z ≠ 0."""
    tau, b, t = v["lap_tau"], v["lap_b"], v["lap_t"]
    z_grid, _, w_mean = page.laplace_curves()
    for z, wm in zip(z_grid[::6], w_mean[::6], strict=True):
        assert wm == pytest.approx(quad_posterior_mean(z, tau, b), abs=1e-6)
    assert v["lap_mean_half_t"] == pytest.approx(quad_posterior_mean(t / 2, tau, b), rel=1e-6)
    assert v["lap_mean_2t"] == pytest.approx(quad_posterior_mean(2 * t, tau, b), rel=1e-6)
    nz = z_grid != 0
    assert np.all(w_mean[nz] != 0) and np.all(np.sign(w_mean[nz]) == np.sign(z_grid[nz]))
    assert v["lap_mean_zeros"] == 0 and v["lap_grid"] == len(z_grid)
    smallest = min(abs(quad_posterior_mean(z, tau, b)) for z in z_grid[nz])
    assert v["lap_min_abs_mean"] == pytest.approx(smallest, rel=1e-5)
    assert v["lap_mean_half_t"] > 0.1


def sk_enet(X, y, lam1, lam2):
    """scikit-learn ElasticNet with the site's (λ₁, λ₂): α·l1_ratio = λ₁/n and α(1 − l1_ratio) = λ₂/n."""
    n = len(y)
    model = ElasticNet(
        alpha=(lam1 + lam2) / n,
        l1_ratio=lam1 / (lam1 + lam2),
        fit_intercept=False,
        tol=1e-14,
        max_iter=1_000_000,
    )
    return model.fit(X, y).coef_


@pytest.mark.claim("l1_vs_l2.enet_stable", "l1_vs_l2.fig_stability")
def test_lasso_unstable_elastic_net_stable(v):
    """On 20 resampled data sets, scikit-learn's Lasso and ElasticNet reproduce the page's weights, the spread
    of w₁ − w₂, and the counts of data sets where all four useful features are kept."""
    seeds = list(page.STUDY_SEEDS)
    assert len(seeds) == v["enet_draws"] >= 10
    lam1, lam2 = v["enet_lam1"], v["enet_lam2"]
    mine_l, mine_e = page.stability_study()
    sk_l, sk_e = [], []
    for seed in seeds:
        X, y = page.pair_problem(seed)
        c = np.corrcoef(X.T)
        assert c[0, 1] > 0.85 and c[2, 3] > 0.85 and abs(c[0, 2]) < 0.5
        sk_l.append(sk_lasso(X, y, lam1))
        sk_e.append(sk_enet(X, y, lam1, lam2))
    sk_l, sk_e = np.array(sk_l), np.array(sk_e)
    np.testing.assert_allclose(mine_l, sk_l, atol=1e-6)
    np.testing.assert_allclose(mine_e, sk_e, atol=1e-6)
    d_l, d_e = sk_l[:, 0] - sk_l[:, 1], sk_e[:, 0] - sk_e[:, 1]
    assert v["lasso_diff_sd"] == pytest.approx(np.std(d_l), rel=1e-5)
    assert v["enet_diff_sd"] == pytest.approx(np.std(d_e), rel=1e-5)
    assert (v["lasso_diff_min"], v["lasso_diff_max"]) == pytest.approx((d_l.min(), d_l.max()), abs=1e-5)
    assert (v["enet_diff_min"], v["enet_diff_max"]) == pytest.approx((d_e.min(), d_e.max()), abs=1e-5)
    assert v["lasso_all_kept"] == np.sum(np.all(sk_l[:, :4] != 0, axis=1))
    assert v["enet_all_kept"] == np.sum(np.all(sk_e[:, :4] != 0, axis=1))
    assert v["lasso_diff_sd"] > 5 * v["enet_diff_sd"]
    assert v["lasso_all_kept"] < v["enet_all_kept"]


@pytest.mark.slow
@pytest.mark.claim("l1_vs_l2.bias_repairs")
def test_relaxed_and_adaptive_lasso_repair_the_bias(v):
    """On 20 resampled path problems: scikit-learn's Lasso, least squares (numpy) on its support, and Lasso on
    columns scaled by |least squares| give the page's shortfalls, errors and counts."""
    lam = v["bias_lam"]
    rows = page.bias_study()
    errs, shorts, supports = [], [], []
    for k, seed in enumerate(page.BIAS["seeds"]):
        X, y, w = page.bias_problem(seed)
        lasso = sk_lasso(X, y, lam)
        keep = lasso != 0
        relaxed = np.zeros_like(lasso)
        relaxed[keep] = scipy.linalg.lstsq(X[:, keep], y)[0]
        scale = np.abs(scipy.linalg.lstsq(X, y)[0])
        adaptive = sk_lasso(X * scale, y, lam) * scale
        fits = [lasso, relaxed, adaptive]
        for m, fit in enumerate(fits):
            np.testing.assert_allclose(rows[k, m], fit, atol=1e-6)
        errs.append([np.linalg.norm(f - w) for f in fits])
        shorts.append([abs(w[0]) - abs(f[0]) for f in fits])
        supports.append([np.array_equal(f != 0, w != 0) for f in fits])
    errs, shorts, supports = np.array(errs), np.array(shorts), np.array(supports)
    assert len(errs) == v["bias_draws"] >= 10
    for m, name in enumerate(("lasso", "relaxed", "adaptive")):
        assert v[f"bias_err_{name}_med"] == pytest.approx(np.median(errs[:, m]), rel=1e-5)
        assert v[f"bias_err_{name}_min"] == pytest.approx(errs[:, m].min(), rel=1e-5)
        assert v[f"bias_err_{name}_max"] == pytest.approx(errs[:, m].max(), rel=1e-5)
        assert v[f"bias_short_{name}_med"] == pytest.approx(np.median(shorts[:, m]), abs=1e-6)
        assert v[f"bias_support_{name}"] == supports[:, m].sum()
    assert v["bias_relaxed_wins"] == np.sum(errs[:, 1] < errs[:, 0])
    assert v["bias_adaptive_wins"] == np.sum(errs[:, 2] < errs[:, 0])
    assert v["bias_big_w"] == 3.0
    assert v["bias_short_lasso_med"] > 0.3 > 0.1 > abs(v["bias_short_relaxed_med"])
    ad_err = np.array([rows[k, 2] - page.bias_problem(seed)[2] for k, seed in enumerate(page.BIAS["seeds"])])
    true_w = np.array(page.BIAS["w"])
    for j in range(4):
        short_j = np.median(np.abs(true_w[j]) - np.abs(true_w[j] + ad_err[:, j]))
        assert v[f"bias_adaptive_short_{j}"] == pytest.approx(short_j, abs=1e-6)
    share = np.median(np.sum(ad_err[:, 1:4] ** 2, axis=1) / np.sum(ad_err**2, axis=1))
    assert v["bias_adaptive_small_share"] == pytest.approx(share, rel=1e-6)
    # the page: the adaptive lasso's remaining error is on the smaller true weights, not the largest
    assert v["bias_adaptive_small_share"] > 0.9 and abs(v["bias_adaptive_short_0"]) < 0.05
    assert min(v[f"bias_adaptive_short_{j}"] for j in (1, 2, 3)) > 0.2


def test_designs_are_the_ones_the_page_describes(v):
    """The experiments' settings and grids as the page states them."""
    X, y, _ = page.path_problem()
    lams, _ = page.lasso_path()
    np.testing.assert_allclose(lams, 1.01 * np.max(np.abs(X.T @ y)) * np.logspace(0, -3, 40), rtol=1e-12)
    np.testing.assert_allclose(page.ridge_path()[0], np.logspace(5, -1, 40), rtol=1e-12)
    assert page.PATHS == {"n": 100, "p": 15, "k": 4, "rho": 0.5, "sigma": 1.0}
    assert page.SUBGRADIENT == {"eta": 0.1, "steps": 3000} and page.BUDGET == 1.0
    assert page.LAPLACE == {"tau": 1.0, "b": 0.5}
    z, _, _ = page.laplace_curves()
    np.testing.assert_allclose(z, np.linspace(-6, 6, 121))
    assert page.ENET["n"] == 50 and page.ENET["rho"] == 0.95 and page.ENET["w"][:4] == (1.5, 1.5, -1.0, -1.0)
    assert (page.ENET["lam1"], page.ENET["lam2"]) == (15.0, 30.0) and list(page.STUDY_SEEDS) == list(
        range(100, 120)
    )
    assert page.BIAS["lam"] == 30.0 and page.BIAS["w"] == (3.0, -2.0, 1.5, 1.0)
    assert list(page.BIAS["seeds"]) == list(range(200, 220))
    opt = page.ball_optima()
    extra = [v["ball_lam2"] * 0.97, v["ball_lam2"] * 1.001, opt["l1"][0], opt["l2"][0]]
    np.testing.assert_allclose(
        page.ball_slider_lambdas(), np.sort(np.concatenate([np.logspace(-1, 2.2, 22), extra])), rtol=1e-9
    )
    w1, w2, _ = page.loss_grid()
    np.testing.assert_allclose(w1, np.linspace(-1.3, 3.0, 87))
    np.testing.assert_allclose(w2, np.linspace(-1.3, 1.6, 59))
    data = page.data_balls()
    assert data["xlim"] == [-1.3, 3.0] and data["ylim"] == [-1.3, 1.6]
    X2, y2 = page.toy_problem()
    base = 0.5 * np.mean((X2 @ np.linalg.lstsq(X2, y2, rcond=None)[0] - y2) ** 2)
    for ring, extra_loss in zip(data["static"][:3], (0.05, 0.3, 1.0), strict=True):
        pts = np.column_stack([ring["x"], ring["y"]])
        np.testing.assert_allclose(
            [0.5 * np.mean((X2 @ p - y2) ** 2) for p in pts], base + extra_loss, atol=3e-3
        )


def test_quoted_inputs(v):
    """The vectors and settings the page prints, against the article's numbers and the stated design."""
    np.testing.assert_array_equal(row(v, "before"), BEFORE)
    np.testing.assert_array_equal(row(v, "seed_l2"), SEED_L2)
    np.testing.assert_array_equal(row(v, "seed_l1"), SEED_L1)
    assert [v[f"drop_l1_{j}"] for j in range(4)] == pytest.approx(BEFORE - SEED_L1)
    assert (v["paths_n"], v["paths_p"], v["paths_k"], v["paths_rho"]) == (100, 15, 4, 0.5)
    X, y, _ = page.path_problem()
    assert X.shape == (100, 15)
    lams, _ = page.lasso_path()
    assert v["lasso_lam_min"] == pytest.approx(1.01e-3 * np.max(np.abs(X.T @ y)), rel=1e-12) == lams[-1]
    assert (v["ridge_lam_min"], v["ridge_lam_max"]) == pytest.approx((0.1, 1e5), rel=1e-12)
    assert (v["enet_n"], v["enet_rho"]) == (50, 0.95)
    Xp, _ = page.pair_problem(100)
    assert Xp.shape == (50, 8)
