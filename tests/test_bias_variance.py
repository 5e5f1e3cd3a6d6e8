"""Proofs for the page "Why do large weights mean high variance?"."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.linalg
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from sitebuild import snippet_values
from snippets import bias_variance as page

# The recipe stated on the page, rebuilt here without the snippet's code.
N, SIGMA, DEGREE = 10, 0.3, 9
X_TRAIN = np.linspace(0, 1, N)
X_EVAL = np.linspace(0, 1, 201)


def truth(x):
    return np.sin(2 * np.pi * x)


@pytest.fixture(scope="module")
def v():
    return snippet_values("bias_variance")


@functools.cache
def features():
    """scikit-learn's PolynomialFeatures + StandardScaler, fitted on the ten training inputs."""
    poly = PolynomialFeatures(DEGREE, include_bias=False)
    scaler = StandardScaler().fit(poly.fit_transform(X_TRAIN[:, None]))
    return lambda x: scaler.transform(poly.transform(np.asarray(x)[:, None]))


@functools.cache
def coefficient_map(lam):
    """The matrix M with (b, w) = M y, from least squares on the augmented system [1 Z; 0 √λ I] θ = [y; 0]."""
    Z = features()(X_TRAIN)
    A = np.column_stack([np.ones(N), Z])
    if lam > 0:
        A = np.vstack([A, np.column_stack([np.zeros(DEGREE), np.sqrt(lam) * np.eye(DEGREE)])])
    rhs = np.vstack([np.eye(N), np.zeros((A.shape[0] - N, N))])
    return scipy.linalg.lstsq(A, rhs)[0]


def smoother(lam):
    """Predictions on X_EVAL as a linear map of y."""
    return np.column_stack([np.ones(len(X_EVAL)), features()(X_EVAL)]) @ coefficient_map(lam)


def oracle(lam):
    """bias², variance and expected test error (averaged over X_EVAL) of the linear smoother."""
    S = smoother(lam)
    a = S @ truth(X_TRAIN) - truth(X_EVAL)
    bias2 = np.mean(a**2)
    var = SIGMA**2 * np.mean(np.sum(S**2, axis=1))
    return bias2, var, SIGMA**2 + bias2 + var


def mc_sd(lam, n_draws):
    """Exact standard deviations of the Monte-Carlo estimates of the test error and of the variance.

    Per draw q = ‖a + Sε‖²/G with ε ~ N(0, σ²I): Var q = (2σ⁴ tr((SᵀS)²) + 4σ² ‖Sᵀa‖²) / G².
    The mean pointwise sample variance is tr(Ĉ)/G, with Var = 2 tr(C²) / ((N − 1) G²), C = σ² S Sᵀ.
    """
    S = smoother(lam)
    G = S.shape[0]
    a = S @ truth(X_TRAIN) - truth(X_EVAL)
    StS = S.T @ S
    tr_sq = np.sum(StS * StS)
    var_q = (2 * SIGMA**4 * tr_sq + 4 * SIGMA**2 * np.sum((S.T @ a) ** 2)) / G**2
    return np.sqrt(var_q / n_draws), np.sqrt(2 * SIGMA**4 * tr_sq / (n_draws - 1)) / G


def test_constants_are_the_pages_recipe(v):
    """The settings the page states, pinned; the correlated design regenerated from its recipe (numpy
    rng 5: x₁ standard normal, x₂ = ρx₁ + √(1 − ρ²)·noise, both standardised)."""
    assert (v["n_points"], v["noise_sd"], v["degree"], v["n_draws"]) == (N, SIGMA, DEGREE, 400)
    assert page.N_OVERLAID == v["n_overlaid"] == 15
    np.testing.assert_allclose(page.LAMBDAS, np.concatenate([[0.0], np.logspace(-12, 2, 29)]), rtol=1e-15)
    assert (v["lam_min"], v["lam_max"]) == (1e-12, 100.0)
    np.testing.assert_array_equal(page.X_TRAIN, X_TRAIN)
    np.testing.assert_array_equal(page.X_EVAL, X_EVAL)
    assert (v["corr_n"], v["corr_draws"], v["corr_lam"], v["corr_sd"], v["corr_rho_process"]) == (
        20,
        4000,
        2.0,
        1.0,
        0.98,
    )
    assert (v["corr_w1"], v["corr_w2"]) == (1.5, 0.5)
    np.testing.assert_array_equal(page.CORR_W_TRUE, [1.5, 0.5])
    np.testing.assert_array_equal(page.CORR_DISAGREE, [1.0, -1.0])
    rng = np.random.default_rng(5)
    x1 = rng.standard_normal(20)
    x2 = 0.98 * x1 + np.sqrt(1 - 0.98**2) * rng.standard_normal(20)
    X = StandardScaler().fit_transform(np.column_stack([x1, x2]))
    np.testing.assert_allclose(page.correlated_design(), X, rtol=1e-12, atol=1e-12)


@pytest.mark.claim("bias_variance.closed_forms")
def test_table_entries(v):
    """The table's bias² and variance at λ = 0 and at the largest λ, from the independent solver."""
    for key, lam in (("ls", 0.0), ("max_lam", page.LAMBDAS[-1])):
        bias2, var, err = oracle(lam)
        assert v[f"bias2_{key}"] == pytest.approx(bias2, rel=1e-4, abs=1e-8)
        assert v[f"var_{key}"] == pytest.approx(var, rel=1e-6)
        assert v[f"error_{key}"] == pytest.approx(err, rel=1e-6)
    assert v["bias2_ls"] < 1e-8 < v["bias2_max_lam"]


# --- the polynomial problem -----------------------------------------------------------------


@pytest.mark.claim("bias_variance.closed_forms", "bias_variance.fig_tradeoff")
def test_closed_forms_match_an_independent_solver(v):
    """The snippet's SVD closed forms equal those of an augmented least-squares solver, for every λ."""
    closed = page.curves_closed()
    ref = np.array([oracle(lam) for lam in page.LAMBDAS])
    np.testing.assert_allclose(closed["bias2"], ref[:, 0], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(closed["var"], ref[:, 1], rtol=1e-6)
    np.testing.assert_allclose(closed["error"], ref[:, 2], rtol=1e-6)
    assert v["error_ls"] == pytest.approx(ref[0, 2], rel=1e-6)
    assert v["var_ls"] == pytest.approx(ref[0, 1], rel=1e-6)


@pytest.mark.slow
@pytest.mark.claim("bias_variance.closed_vs_mc", "bias_variance.fig_tradeoff")
def test_monte_carlo_agrees_within_its_exact_standard_error(v):
    """For every λ the Monte-Carlo test error and variance lie within 4 exact standard deviations of the
    closed form."""
    mc = page.monte_carlo()
    for i, lam in enumerate(page.LAMBDAS):
        _, var, err = oracle(lam)
        sd_err, sd_var = mc_sd(lam, page.N_DRAWS)
        assert abs(mc["error"][i] - err) < 4 * sd_err, lam
        assert abs(mc["var"][i] - var) < 4 * sd_var, lam
    assert v["n_draws"] == page.N_DRAWS
    assert v["error_best_mc"] == pytest.approx(mc["error"][np.argmin(page.curves_closed()["error"])])
    for key, lam in (("error_ls_mc", 0.0), ("error_max_lam_mc", page.LAMBDAS[-1])):
        assert abs(v[key] - oracle(lam)[2]) < 4 * mc_sd(lam, page.N_DRAWS)[0]


@pytest.mark.slow
@pytest.mark.claim("bias_variance.u_shape", "bias_variance.fig_tradeoff")
def test_expected_error_is_u_shaped_with_an_interior_minimum(v):
    """Closed form: the minimum is interior and quoted; the Monte-Carlo minimum is at the same λ (± one
    grid step)."""
    ref = np.array([oracle(lam) for lam in page.LAMBDAS])[:, 2]
    i = int(np.argmin(ref))
    assert 1 < i < len(page.LAMBDAS) - 1
    assert v["lam_best"] == pytest.approx(page.LAMBDAS[i])
    assert v["error_best"] == pytest.approx(ref[i], rel=1e-6)
    assert ref[0] > 4 * ref[i] and ref[-1] > 3 * ref[i]
    assert v["error_max_lam"] == pytest.approx(ref[-1], rel=1e-6)
    i_mc = int(np.argmin(page.monte_carlo()["error"]))
    assert abs(i_mc - i) <= 1
    assert v["lam_best_mc"] == pytest.approx(page.LAMBDAS[i_mc])
    assert v["error_min_mc"] == pytest.approx(ref[i], abs=4 * mc_sd(page.LAMBDAS[i], page.N_DRAWS)[0])


@pytest.mark.slow
@pytest.mark.claim("bias_variance.parts_monotone")
def test_variance_falls_and_bias_rises_with_lambda(v):
    """On 300 values of λ (independent solver): variance strictly falls, bias² strictly rises."""
    lams = np.logspace(-12, 2, 300)
    parts = np.array([oracle(lam)[:2] for lam in lams])
    assert np.all(np.diff(parts[:, 1]) < 0)
    assert np.all(np.diff(parts[:, 0]) > 0)
    assert v["bias2_best"] == pytest.approx(oracle(v["lam_best"])[0], rel=1e-5)
    assert v["var_best"] == pytest.approx(oracle(v["lam_best"])[1], rel=1e-6)


def runge(x):
    return 1 / (1 + 25 * (2 * x - 1) ** 2)


@pytest.mark.claim("bias_variance.train_bias_monotone")
def test_bias_summed_over_training_inputs_only_rises_but_averaged_over_fresh_ones_need_not():
    """At the training inputs the fit of the true values f_n is A M_λ f_n (independent solver); its
    summed squared error never falls along 300 values of λ, for the sine, Runge's function and ten
    random f_n. Averaged over fresh inputs, Runge's function's bias² falls at first (at λ = 1e-12 it
    is over twice its value at 1e-9). The snippet's smoother gives the same fits."""
    lams = np.logspace(-12, 2, 300)
    A = np.column_stack([np.ones(N), features()(X_TRAIN)])
    targets = {"sine": truth(X_TRAIN), "Runge": runge(X_TRAIN)}
    targets |= {f"random {seed}": np.random.default_rng(seed).standard_normal(N) for seed in range(10)}
    for name, f_n in targets.items():
        summed = np.array([np.sum((A @ coefficient_map(lam) @ f_n - f_n) ** 2) for lam in lams])
        assert np.all(np.diff(summed) >= -1e-12 * summed[1:]), name
        assert summed[-1] > 1.5 * summed[0], name  # and it does rise
    for lam in (1e-9, 1e-3, 1.0):
        np.testing.assert_allclose(page.smoother(lam, X_TRAIN), A @ coefficient_map(lam), atol=1e-6)
    fresh = [np.mean((smoother(lam) @ runge(X_TRAIN) - runge(X_EVAL)) ** 2) for lam in (1e-12, 1e-9)]
    assert fresh[0] > 2 * fresh[1]


@pytest.mark.claim("bias_variance.left_arm")
def test_ridge_reaches_least_squares_only_below_the_smallest_squared_singular_value(v):
    """At λ = d_min²/100 the expected error is within 2 % of least squares; at λ = d_min² it is half of it."""
    Z = features()(X_TRAIN)
    d_min = np.linalg.svd(Z - Z.mean(axis=0), compute_uv=False)[-1]
    assert v["d_min"] == pytest.approx(d_min, rel=1e-6)
    assert v["d_min_sq"] == pytest.approx(d_min**2, rel=1e-6, abs=0)
    assert v["noise_var"] == pytest.approx(SIGMA**2)
    ls = oracle(0.0)[2]
    assert oracle(d_min**2 / 100)[2] == pytest.approx(ls, rel=0.02)
    assert oracle(d_min**2)[2] < 0.55 * ls


def redrawn_targets():
    rng = np.random.default_rng(11)
    return truth(X_TRAIN) + SIGMA * rng.standard_normal((page.N_DRAWS, N))


@pytest.mark.slow
@pytest.mark.claim("bias_variance.prediction_spread", "bias_variance.fig_fits_overlaid")
def test_overlaid_fits_and_their_spread(v):
    """The overlaid curves are the independent solver's fits to the redrawn targets; ridge cuts the
    variance 16-fold."""
    ys = redrawn_targets()[: page.N_OVERLAID]
    mc = page.monte_carlo()
    for key, lam in (("ls", 0.0), ("ridge", v["lam_best"])):
        np.testing.assert_allclose(mc[key]["preds"][: page.N_OVERLAID], ys @ smoother(lam).T, atol=1e-7)
    var_ls, var_best = oracle(0.0)[1], oracle(v["lam_best"])[1]
    assert v["var_ratio"] == pytest.approx(var_ls / var_best, rel=1e-6)
    assert v["var_ratio"] > 10
    assert var_ls > SIGMA**2 == pytest.approx(v["noise_var"])
    for key, lam in (("var_ls_mc", 0.0), ("var_best_mc", v["lam_best"])):
        assert abs(v[key] - oracle(lam)[1]) < 4 * mc_sd(lam, page.N_DRAWS)[1]


@pytest.mark.claim("bias_variance.weight_spread", "bias_variance.fig_weight_spread")
def test_weight_spread_matches_the_linear_map(v):
    """Cov(w) = σ² M Mᵀ with M the augmented solver's map from y to w. The quoted spreads are its exact
    square-root diagonal (47.6, 1.93 × 10⁵, 1.53), not the simulation's; the simulation's sample standard
    deviations, regenerated here, lie within the quoted number of standard errors 1/√(2(N − 1))."""
    Z = features()(X_TRAIN)
    ys = redrawn_targets()
    rel_se = 1 / np.sqrt(2 * (page.N_DRAWS - 1))
    assert v["weight_sd_rel_se_pct"] == pytest.approx(100 * rel_se, rel=1e-12)
    z_scores = []
    for key, lam, quoted in (("ls", 0.0, ("min", "max")), ("ridge", v["lam_best"], ("max",))):
        M = coefficient_map(lam)[1:]
        sd = SIGMA * np.sqrt(np.sum(M**2, axis=1))
        np.testing.assert_allclose(np.sqrt(np.diag(page.weight_cov_closed(Z, SIGMA, lam))), sd, rtol=1e-6)
        sd_mc = (ys @ M.T).std(axis=0, ddof=1)
        np.testing.assert_allclose(page.monte_carlo()[key]["w"].std(axis=0, ddof=1), sd_mc, rtol=1e-6)
        np.testing.assert_allclose(sd_mc, sd, rtol=4 * rel_se)
        for q in quoted:
            pick = getattr(np, q)
            assert v[f"weight_sd_{key}_{q}"] == pytest.approx(pick(sd), rel=1e-6)
            assert v[f"weight_sd_{key}_{q}_mc"] == pytest.approx(pick(sd_mc), rel=1e-6)
            z_scores.append(abs(pick(sd_mc) / pick(sd) - 1) / rel_se)
    assert v["weight_sd_max_z"] == pytest.approx(max(z_scores), rel=1e-6)
    assert (round(v["weight_sd_ls_min"], 1), round(v["weight_sd_ridge_max"], 2)) == (47.6, 1.53)
    assert f"{v['weight_sd_ls_max']:.2e}" == "1.93e+05"
    assert v["weight_sd_ls_max"] > 1e4 * v["weight_sd_ridge_max"]


def test_one_symbol_one_meaning():
    """μ means a Hessian eigenvalue on the site (Notation): this page writes dᵢ² for XᵀX's eigenvalues,
    and names no source by an internal seed label."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "bias_variance.md").read_text()
    assert "\\mu" not in text and "μ" not in text
    assert "d_1^2/d_2^2" in text and "\\frac{1}{d_i^2}" in text
    assert not re.search(r"\bseed\s*0\d", text, re.I)


# --- correlated features ------------------------------------------------------------------------


def correlated():
    X = page.correlated_design()
    rng = np.random.default_rng(13)
    Y = (X @ page.CORR_W_TRUE)[:, None] + page.CORR_SD * rng.standard_normal((page.CORR_N, page.CORR_DRAWS))
    return X, Y


@pytest.mark.claim("bias_variance.condition_number")
def test_condition_number_of_the_design(v):
    """XᵀX's condition number is the ratio of its eigenvalues, (1 + r)/(1 − r) for two standardised
    columns."""
    X = page.correlated_design()
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1, atol=1e-12)
    r = np.corrcoef(X.T)[0, 1]
    d2 = np.linalg.svd(X, compute_uv=False) ** 2  # dᵢ², the eigenvalues of XᵀX: n(1 ± r)
    np.testing.assert_allclose(d2, page.CORR_N * np.array([1 + r, 1 - r]), rtol=1e-12)
    assert v["corr_sample"] == pytest.approx(r, rel=1e-12)
    assert v["corr_cond"] == pytest.approx(d2[0] / d2[-1], rel=1e-9)
    assert v["corr_cond"] == pytest.approx((1 + r) / (1 - r), rel=1e-9)
    assert v["corr_cond"] > 100


def rel_frobenius_rms(cov, n):
    return np.sqrt((np.sum(cov**2) + np.trace(cov) ** 2) / np.sum(cov**2) / (n - 1))


@pytest.mark.claim("bias_variance.mc_tolerance")
def test_monte_carlo_error_formula():
    """E‖Ŝ − Σ‖²_F = (‖Σ‖²_F + (tr Σ)²)/(N − 1) for Gaussian sample covariances: 3000 replications of N =
    40 agree."""
    rng = np.random.default_rng(0)
    cov = np.array([[2.0, -1.7], [-1.7, 1.6]])
    L = np.linalg.cholesky(cov)
    errs = [np.sum((np.cov(L @ rng.standard_normal((2, 40))) - cov) ** 2) for _ in range(3000)]
    predicted = (np.sum(cov**2) + np.trace(cov) ** 2) / 39
    assert np.mean(errs) == pytest.approx(predicted, rel=0.08)


@pytest.mark.claim("bias_variance.cov_least_squares", "bias_variance.fig_correlated_weights")
def test_least_squares_covariance(v):
    """np.linalg.lstsq on the redrawn targets: sample covariance within 4 RMS errors of σ²(XᵀX)⁻¹."""
    X, Y = correlated()
    W = np.linalg.lstsq(X, Y, rcond=None)[0].T
    np.testing.assert_allclose(page.correlated_draws()["ls"], W, atol=1e-10)
    exact = page.CORR_SD**2 * np.linalg.inv(X.T @ X)
    err = np.linalg.norm(np.cov(W.T) - exact) / np.linalg.norm(exact)
    rms = rel_frobenius_rms(exact, page.CORR_DRAWS)
    assert err < 4 * rms
    assert v["corr_rel_err_ls"] == pytest.approx(err, rel=1e-6)
    assert v["corr_expected_err_ls"] == pytest.approx(rms, rel=1e-9)
    assert v["corr_sd_w1_ls"] == pytest.approx(np.sqrt(exact[0, 0]), rel=1e-9)


@pytest.mark.claim("bias_variance.cov_ridge", "bias_variance.fig_correlated_weights")
def test_ridge_covariance(v):
    """scipy.linalg.solve on (XᵀX + λI) w = Xᵀy: covariance within 4 RMS errors of σ²A⁻¹XᵀXA⁻¹, A = XᵀX +
    λI."""
    X, Y = correlated()
    G = X.T @ X
    A = G + page.CORR_LAM * np.eye(2)
    W = scipy.linalg.solve(A, X.T @ Y, assume_a="pos").T
    np.testing.assert_allclose(page.correlated_draws()["ridge"], W, atol=1e-10)
    Ainv = np.linalg.inv(A)
    exact = page.CORR_SD**2 * Ainv @ G @ Ainv
    err = np.linalg.norm(np.cov(W.T) - exact) / np.linalg.norm(exact)
    rms = rel_frobenius_rms(exact, page.CORR_DRAWS)
    assert err < 4 * rms
    assert v["corr_rel_err_ridge"] == pytest.approx(err, rel=1e-6)
    assert v["corr_expected_err_ridge"] == pytest.approx(rms, rel=1e-9)
    assert v["corr_sd_w1_ridge"] == pytest.approx(np.sqrt(exact[0, 0]), rel=1e-9)
    assert v["corr_sd_w1_ls"] > 5 * v["corr_sd_w1_ridge"]


@pytest.mark.claim("bias_variance.weight_range")
def test_weight_spread_and_range_in_the_simulation(v):
    """Sample standard deviations and the largest |w_j| of the regenerated draws match the quoted values."""
    X, Y = correlated()
    G = X.T @ X
    W = {
        "ls": np.linalg.lstsq(X, Y, rcond=None)[0].T,
        "ridge": scipy.linalg.solve(G + page.CORR_LAM * np.eye(2), X.T @ Y).T,
    }
    tol = 4 / np.sqrt(2 * (page.CORR_DRAWS - 1))
    for name in ("ls", "ridge"):
        assert v[f"corr_max_abs_{name}"] == pytest.approx(np.max(np.abs(W[name])), rel=1e-9)
        sd = W[name][:, 0].std(ddof=1)
        assert v[f"corr_sd_w1_{name}_mc"] == pytest.approx(sd, rel=1e-9)
        assert sd == pytest.approx(v[f"corr_sd_w1_{name}"], rel=tol)
    assert v["corr_max_abs_ls"] > 3 * v["corr_max_abs_ridge"]


@pytest.mark.claim("bias_variance.ridge_biased", "bias_variance.fig_correlated_weights")
def test_ridge_is_biased_towards_equal_weights(v):
    """The Monte-Carlo mean of ridge matches (XᵀX + λI)⁻¹XᵀX w* and sits many standard errors from w*."""
    X = page.correlated_design()
    G = X.T @ X
    mean = np.linalg.solve(G + page.CORR_LAM * np.eye(2), G @ page.CORR_W_TRUE)
    W = page.correlated_draws()["ridge"]
    se = W.std(axis=0, ddof=1) / np.sqrt(page.CORR_DRAWS)
    assert np.all(np.abs(W.mean(axis=0) - mean) < 4 * se)
    assert np.all(np.abs(mean - page.CORR_W_TRUE) > 20 * se)
    assert (v["corr_ridge_mean_w1"], v["corr_ridge_mean_w2"]) == pytest.approx(tuple(mean), rel=1e-9)


@pytest.mark.claim("bias_variance.size_is_variance")
def test_least_squares_size_is_truth_plus_variance(v):
    """E‖w_LS‖² = ‖w*‖² + σ² Σ 1/dᵢ² (dᵢ the singular values of X); the Monte-Carlo mean is within 4 exact
    standard errors."""
    X, Y = correlated()
    d2 = np.linalg.svd(X, compute_uv=False) ** 2
    w_true = page.CORR_W_TRUE
    expected = w_true @ w_true + page.CORR_SD**2 * np.sum(1 / d2)
    cov = page.CORR_SD**2 * np.linalg.inv(X.T @ X)
    sd = np.sqrt((2 * np.sum(cov * cov) + 4 * w_true @ cov @ w_true) / page.CORR_DRAWS)
    W = np.linalg.lstsq(X, Y, rcond=None)[0].T
    assert np.mean(np.sum(W**2, axis=1)) == pytest.approx(expected, abs=4 * sd)
    assert v["corr_mean_sq_norm_ls"] == pytest.approx(expected, rel=1e-9)
    assert v["corr_mean_sq_norm_ls_mc"] == pytest.approx(np.mean(np.sum(W**2, axis=1)), rel=1e-9)
    assert v["corr_true_sq_norm"] == pytest.approx(w_true @ w_true)


@pytest.mark.claim("bias_variance.ridge_mse_lower")
def test_ridge_is_closer_to_the_truth_on_average(v):
    """E‖w − w*‖²: σ² tr (XᵀX)⁻¹ for least squares vs variance + bias² for ridge; ridge is ten times
    closer."""
    X = page.correlated_design()
    G = X.T @ X
    A = np.linalg.inv(G + page.CORR_LAM * np.eye(2))
    mse_ls = page.CORR_SD**2 * np.trace(np.linalg.inv(G))
    bias = A @ G @ page.CORR_W_TRUE - page.CORR_W_TRUE
    mse_ridge = page.CORR_SD**2 * np.trace(A @ G @ A) + bias @ bias
    assert v["corr_mse_ls"] == pytest.approx(mse_ls, rel=1e-9)
    assert v["corr_mse_ridge"] == pytest.approx(mse_ridge, rel=1e-9)
    assert v["corr_mse_ls_mc"] == pytest.approx(mse_ls, rel=0.05)
    assert v["corr_mse_ridge_mc"] == pytest.approx(mse_ridge, rel=0.05)
    assert mse_ridge < 0.15 * mse_ls


@pytest.mark.claim("bias_variance.fig_correlated_weights")
def test_ellipses_hold_the_expected_share_of_draws():
    """The drawn 2σ ellipses contain 1 − e⁻² ≈ 86.5 % of the draws (within 4 binomial standard errors)."""
    c = page.correlated_summary()
    draws = page.correlated_draws()
    p = 1 - np.exp(-2)
    tol = 4 * np.sqrt(p * (1 - p) / page.CORR_DRAWS)
    for key, centre in (("ls", page.CORR_W_TRUE), ("ridge", c["ridge"]["mean"])):
        d = draws[key] - centre
        m2 = np.einsum("ij,jk,ik->i", d, np.linalg.inv(c[key]["cov"]), d)
        assert np.mean(m2 <= 4) == pytest.approx(p, abs=tol)
        ex, ey = page._ellipse(c[key]["cov"], centre)
        pts = np.column_stack([ex, ey]) - centre
        np.testing.assert_allclose(
            np.einsum("ij,jk,ik->i", pts, np.linalg.inv(c[key]["cov"]), pts), 4, rtol=1e-9
        )


@pytest.mark.claim("bias_variance.variance_off_pattern")
def test_prediction_variance_lives_where_the_features_disagree(v):
    """At the training inputs least squares has variance σ²p/n (trace of the hat matrix); at x = (1, −1) it
    is huge."""
    X, Y = correlated()
    p = X.shape[1]
    hat = X @ np.linalg.pinv(X)
    assert np.trace(hat) == pytest.approx(p)
    assert v["corr_pred_var_train_ls"] == pytest.approx(page.CORR_SD**2 * p / page.CORR_N, rel=1e-9)
    x_new = np.array([1.0, -1.0])
    G = X.T @ X
    A = np.linalg.inv(G + page.CORR_LAM * np.eye(2))
    exact = {"ls": x_new @ np.linalg.inv(G) @ x_new, "ridge": x_new @ A @ G @ A @ x_new}
    W = {
        "ls": np.linalg.lstsq(X, Y, rcond=None)[0].T,
        "ridge": scipy.linalg.solve(G + page.CORR_LAM * np.eye(2), X.T @ Y).T,
    }
    tol = 4 * np.sqrt(2 / (page.CORR_DRAWS - 1))
    for name in ("ls", "ridge"):
        assert v[f"corr_pred_var_disagree_{name}"] == pytest.approx(page.CORR_SD**2 * exact[name], rel=1e-9)
        assert np.var(W[name] @ x_new, ddof=1) == pytest.approx(v[f"corr_pred_var_disagree_{name}"], rel=tol)
        train_var = np.mean(np.var(W[name] @ X.T, axis=0, ddof=1))
        assert train_var == pytest.approx(v[f"corr_pred_var_train_{name}"], rel=tol)
    assert v["corr_pred_var_disagree_ls"] > 50 * v["corr_pred_var_train_ls"]
    assert v["corr_pred_var_disagree_ridge"] < v["corr_pred_var_train_ls"]


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
@pytest.mark.parametrize("name", [n for n in dir(page) if n.startswith("fig_")])
def test_figure_rules(name):
    assert figure_problems(getattr(page, name)) == []


# --- the slider --------------------------------------------------------------------------------

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


@pytest.mark.claim("bias_variance.slider_band", "bias_variance.fig_fits_overlaid")
def test_slider_band_narrows_and_the_mean_drifts(v):
    """Each frame's average fit and ±2 sd band equal the augmented solver's smoother on the frame's x;
    its readout gives the independent bias², variance and error; along the slider the band narrows at
    every x and bias² rises; the slider starts at the best λ."""
    import re

    data = page.data_fits_overlaid()
    check_frames_schema(data)
    lams = np.array(data["slider"]["values"])
    np.testing.assert_allclose(lams, 10 ** np.arange(-11.5, 2, 1.0), rtol=1e-12)
    assert lams[data["slider"]["initial"]] == pytest.approx(v["lam_best"], rel=1e-12)
    assert (v["slider_count"], v["slider_lam_lo"], v["slider_lam_hi"]) == pytest.approx(
        (14, 10**-11.5, 10**1.5), rel=1e-12, abs=0
    )
    (sine,) = data["static"]
    np.testing.assert_allclose(sine["y"], truth(np.array(sine["x"])), atol=5e-5)
    poly = PolynomialFeatures(DEGREE, include_bias=False)
    scaler = StandardScaler().fit(poly.fit_transform(X_TRAIN[:, None]))
    widths, bias2s = [], []
    for lam, frame in zip(lams, data["frames"], strict=True):
        upper, lower, mean = frame["series"]
        xs = np.array(mean["x"])
        assert len(xs) == 41 and xs[0] == 0 and xs[-1] == 1
        S = np.column_stack(
            [np.ones(len(xs)), scaler.transform(poly.transform(xs[:, None]))]
        ) @ coefficient_map(lam)
        m, sd = S @ truth(X_TRAIN), SIGMA * np.sqrt(np.sum(S**2, axis=1))
        np.testing.assert_allclose(mean["y"], m, atol=6e-4)
        np.testing.assert_allclose(upper["y"], m + 2 * sd, atol=6e-4)
        np.testing.assert_allclose(lower["y"], m - 2 * sd, atol=6e-4)
        widths.append(sd)
        bias2, var, err = oracle(lam)
        bias2s.append(bias2)
        got = re.search(r"variance (\d\.\d{4}), expected test error (\d\.\d{4})$", frame["readout"]).groups()
        assert got == (f"{var:.4f}", f"{err:.4f}"), frame["readout"]
        if bias2 >= 1e-4:
            assert f"bias² {bias2:.4f}," in frame["readout"]
    widths = np.array(widths)
    assert np.all(np.diff(widths, axis=0) < 0)
    assert np.all(np.diff(bias2s) > 0)
    assert v["slider_band_lo"] == pytest.approx(2 * widths[0].max(), rel=1e-6)
    assert v["slider_band_hi"] == pytest.approx(2 * widths[-1].max(), rel=1e-6)


@pytest.mark.slow
def test_figures_fit_the_page_budget():
    """The page's four figures, drawn and compacted as the build does, stay under 140 kB in each palette,
    so HTML (about 80 kB) + figures + slider data (about 27 kB) stay under the site's 250 kB page budget."""
    import io

    import matplotlib
    from matplotlib.figure import Figure

    from sitebuild.worker import compact_svg
    from snippets import style

    for pal_name, pal in style.PALETTES.items():
        total = 0
        for name in ("fits_overlaid", "weight_spread", "correlated_weights", "tradeoff"):
            with matplotlib.rc_context(style.rc(pal)):
                fig = Figure()
                getattr(page, f"fig_{name}")(fig, pal)
                buffer = io.StringIO()
                fig.savefig(buffer, format="svg", metadata={"Date": None})
            total += len(compact_svg(buffer.getvalue()).encode())
        assert total <= 140_000, f"{pal_name}: {total:,} bytes"
    import json

    assert len(json.dumps(page.data_fits_overlaid(), sort_keys=True, separators=(",", ":"))) <= 30_000


def test_thinned_polylines_stay_within_their_tolerance():
    """The overlaid-fits figure draws each fit thinned (Ramer-Douglas-Peucker): checked here point by
    point, every dropped point lies within the tolerance (in points) of the kept polyline, the ends are
    kept, and with a y range the curve is first clipped 5 % of that range outside it."""
    rng = np.random.default_rng(0)
    x = np.linspace(0.0, 1.0, 400)
    y = np.cumsum(rng.normal(0, 0.05, 400)) + 3 * np.sin(9 * x)
    xscale, yscale, tol, ylim = 290.0, 34.0, 0.4, (-1.0, 3.0)
    for lim in (None, ylim):
        xt, yt = page._thin(x, y, tol, xscale, yscale, lim)
        yc = y if lim is None else np.clip(y, -1.0 - 0.2, 3.0 + 0.2)
        assert xt[0] == x[0] and xt[-1] == x[-1] and 2 < len(xt) < len(x)
        assert set(xt) <= set(x)
        np.testing.assert_array_equal(yt, yc[np.isin(x, xt)])
        # distance of every original point to the kept polyline, in points, segment by segment
        px, py, kx, ky = x * xscale, yc * yscale, xt * xscale, yt * yscale
        seg = np.searchsorted(kx, px, side="right").clip(1, len(kx) - 1) - 1
        ax, ay, bx, by = kx[seg], ky[seg], kx[seg + 1], ky[seg + 1]
        dist = np.abs((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / np.hypot(bx - ax, by - ay)
        assert dist.max() <= tol + 1e-9
    assert yt.max() == pytest.approx(3.2) and yt.min() >= -1.2 - 1e-12
