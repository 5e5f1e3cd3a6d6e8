"""Proofs for the page "What does overfitting do to the weights?"."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from sitebuild import snippet_values
from snippets import large_weights as page

# The data recipe stated on the page, rebuilt here without the snippet's code.
SEED, N, SIGMA, N_TEST = 2, 10, 0.3, 1000


def recipe():
    rng = np.random.default_rng(SEED)
    x = np.linspace(0, 1, N)
    y = np.sin(2 * np.pi * x) + SIGMA * rng.standard_normal(N)
    x_test = rng.uniform(0, 1, N_TEST)
    y_test = np.sin(2 * np.pi * x_test) + SIGMA * rng.standard_normal(N_TEST)
    return x, y, x_test, y_test


X_TRAIN, Y_TRAIN, X_TEST, Y_TEST = recipe()


@pytest.fixture(scope="module")
def v():
    return snippet_values("large_weights")


class StdPoly:
    """Powers x..x^degree scaled by scikit-learn's StandardScaler fitted on the training inputs."""

    def __init__(self, degree, x_train=X_TRAIN):
        self.poly = PolynomialFeatures(degree, include_bias=False)
        self.scaler = StandardScaler().fit(self.poly.fit_transform(x_train[:, None]))

    def __call__(self, x):
        return self.scaler.transform(self.poly.transform(np.asarray(x)[:, None]))

    def raw_coefficients(self, w, b):
        """Coefficients a_0..a_d of the same polynomial in powers of x."""
        a = w / self.scaler.scale_
        return np.concatenate([[b - a @ self.scaler.mean_], a])


def sk_fit(degree, lam, y=Y_TRAIN):
    """(model, features) from scikit-learn: LinearRegression for λ = 0, else Ridge(alpha=λ) (free intercept).

    LinearRegression's default tol=1e-6 treats singular values below 1e-6 × the largest as zero, which
    here would return a smoother, non-interpolating fit; tol=1e-12 gives true least squares.
    """
    f = StdPoly(degree)
    model = LinearRegression(tol=1e-12) if lam == 0 else Ridge(alpha=lam, solver="svd")
    return model.fit(f(X_TRAIN), y), f


def rmse(a, b):
    return float(np.sqrt(np.mean((a - b) ** 2)))


def turning_points_by_roots(raw):
    """Real roots of the derivative inside (0, 1) where it changes sign (odd multiplicity)."""
    deriv = np.polynomial.polynomial.polyder(raw)
    roots = np.polynomial.polynomial.polyroots(deriv)
    real = np.sort(roots[(np.abs(roots.imag) < 1e-6) & (roots.real > 0) & (roots.real < 1)].real)
    count = 0
    for r in real:
        left, right = np.polynomial.polynomial.polyval([r - 1e-6, r + 1e-6], deriv)
        count += np.sign(left) != np.sign(right)
    return int(count)


def test_constants_are_the_pages_recipe(v):
    """Every setting the page states, pinned to the page's text (a changed constant changes the page)."""
    assert (page.N_POINTS, page.NOISE_SD, page.N_HELD_OUT, page.SEED) == (N, SIGMA, N_TEST, SEED)
    assert (v["n_points"], v["noise_sd"], v["n_held_out"]) == (N, SIGMA, N_TEST)
    assert page.DEGREES == (1, 3, 6, 9)
    assert page.TABLE_LAMBDAS == (0.0, 1e-6, 1e-3, 1.0, 100.0)
    assert (page.LAM_RIDGE, page.LAM_INTERCEPT_DEMO, page.Y_OFFSET, page.N_REPEATS) == (1e-3, 1.0, 10.0, 200)
    assert v["lam_ridge"] == 1e-3
    np.testing.assert_array_equal(page.GRID, np.linspace(0, 1, 2001))
    x, y, xt, yt = page.data()
    for mine, theirs in ((x, X_TRAIN), (y, Y_TRAIN), (xt, X_TEST), (yt, Y_TEST)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-15)
    # the three-feature case: correlations 0.8, −0.5, 0 and least-squares weights (3, −1, −1), as written
    np.testing.assert_array_equal(page.PATH_CORR, [[1, 0.8, 0], [0.8, 1, -0.5], [0, -0.5, 1]])
    np.testing.assert_array_equal(page.PATH_W_LS, [3.0, -1.0, -1.0])
    assert page.PATH_N == 50
    np.testing.assert_allclose(page.PATH_LAMBDAS, np.logspace(-2, 4, 1201), rtol=1e-15)


def test_no_internal_source_labels():
    """No reader-visible "seed 0…" label on this page (issue: name sources by title or author)."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "large_weights.md").read_text()
    assert not re.search(r"\bseed\s*0\d", text, re.I)


# --- coefficients by degree -------------------------------------------------------------------


@pytest.mark.claim("large_weights.coefficients_explode")
def test_coefficients_explode_with_degree(v):
    """np.polyfit's raw coefficients and scikit-learn's standardised ones match the table and explode at
    degree 9."""
    for m in page.DEGREES:
        raw = np.polyfit(X_TRAIN, Y_TRAIN, m)[:-1]  # drop the intercept
        assert v[f"max_raw_d{m}"] == pytest.approx(np.max(np.abs(raw)), rel=1e-6)
        model, f = sk_fit(m, 0.0)
        assert v[f"norm_std_d{m}"] == pytest.approx(np.linalg.norm(model.coef_), rel=1e-5)
        assert v[f"test_d{m}"] == pytest.approx(rmse(model.predict(f(X_TEST)), Y_TEST), rel=1e-6)
        train = rmse(model.predict(f(X_TRAIN)), Y_TRAIN)
        assert v[f"train_d{m}"] == pytest.approx(train, rel=1e-6, abs=1e-9)
    assert v["max_raw_d9"] > 1e5 > 1e3 > v["max_raw_d3"]
    assert v["max_raw_d9"] > 100 * v["max_raw_d6"] > 100 * v["max_raw_d3"]
    assert v["norm_std_d9"] > 100 * v["norm_std_d6"]
    # held-out error is best at a middle degree and worst for the interpolant
    assert v["test_d3"] < min(v["test_d1"], v["test_d9"])
    assert v["test_d9"] == max(v[f"test_d{m}"] for m in page.DEGREES)


@pytest.mark.claim("large_weights.interpolates")
def test_degree_nine_interpolates(v):
    """Ten coefficients, ten points: the degree-9 least-squares fit passes through every point."""
    vander = np.vander(X_TRAIN, 10)
    coef = np.linalg.solve(vander, Y_TRAIN)
    np.testing.assert_allclose(vander @ coef, Y_TRAIN, atol=1e-9)
    assert v["train_d9"] < 1e-8
    assert min(v[f"train_d{m}"] for m in (1, 3, 6)) > 0.2


# --- the penalty ----------------------------------------------------------------------------


@pytest.mark.claim("large_weights.penalty_tames", "large_weights.fig_fits_across_lambda")
def test_penalty_shrinks_norm_and_trades_training_error(v):
    """scikit-learn Ridge (λ = alpha, intercept free) reproduces the λ table; ‖w‖ falls, training error
    rises."""
    norms, trains = [], []
    for i, lam in enumerate(page.TABLE_LAMBDAS):
        model, f = sk_fit(9, lam)
        assert v[f"lam_{i}"] == lam
        assert v[f"norm_{i}"] == pytest.approx(np.linalg.norm(model.coef_), rel=1e-5)
        assert v[f"max_{i}"] == pytest.approx(np.max(np.abs(model.coef_)), rel=1e-5)
        assert v[f"train_{i}"] == pytest.approx(rmse(model.predict(f(X_TRAIN)), Y_TRAIN), rel=1e-4, abs=1e-8)
        assert v[f"test_{i}"] == pytest.approx(rmse(model.predict(f(X_TEST)), Y_TEST), rel=1e-5)
        np.testing.assert_allclose(page.fitted_curves()[lam], model.predict(f(page.GRID)), atol=1e-6)
        norms.append(v[f"norm_{i}"])
        trains.append(v[f"train_{i}"])
    assert np.all(np.diff(norms) < 0) and np.all(np.diff(trains) > 0)
    sk_norms = [np.linalg.norm(sk_fit(9, lam)[0].coef_) for lam in page.TABLE_LAMBDAS[:2]]
    assert v["norm_cut_1"] == pytest.approx(sk_norms[0] / sk_norms[1], rel=1e-5)
    assert v["norm_cut_1"] > 1000
    tests = [v[f"test_{i}"] for i in range(len(page.TABLE_LAMBDAS))]
    assert 0 < int(np.argmin(tests)) < len(tests) - 1


@pytest.mark.claim("large_weights.turning_points_fall")
def test_turning_points_fall_with_lambda(v):
    """Turning points counted from the roots of the derivative polynomial match the table and fall with λ."""
    counts = []
    for i, lam in enumerate(page.TABLE_LAMBDAS):
        model, f = sk_fit(9, lam)
        counts.append(turning_points_by_roots(f.raw_coefficients(model.coef_, model.intercept_)))
        assert v[f"turning_{i}"] == counts[-1]
    assert counts[0] == 8 and np.all(np.diff(counts) <= 0) and counts[-1] == 0


# --- units and the intercept --------------------------------------------------------------------


@pytest.mark.claim("large_weights.units_rescale", "large_weights.fig_units")
def test_units_rescale_coefficients(v):
    """Substituting x = u/10: the coefficient of u^k is that of x^k divided by 10^k (np.polyfit in each
    unit)."""
    in_unit = np.polyfit(X_TRAIN, Y_TRAIN, 9)[::-1][1:]
    in_ten = np.polyfit(10 * X_TRAIN, Y_TRAIN, 9)[::-1][1:]
    k = np.arange(1, 10)
    np.testing.assert_allclose(in_ten, in_unit / 10.0**k, rtol=1e-5)
    u = page.units()
    np.testing.assert_allclose(u["unit"], in_unit, rtol=1e-6)
    np.testing.assert_allclose(u["ten"], in_ten, rtol=1e-5)
    assert v["max_unit"] == pytest.approx(np.max(np.abs(in_unit)), rel=1e-6)
    assert v["max_ten"] == pytest.approx(np.max(np.abs(in_ten)), rel=1e-5)
    assert v["max_ten_power"] == 1 + int(np.argmax(np.abs(in_ten)))
    assert v["coef9_unit"] == pytest.approx(in_unit[-1], rel=1e-6)
    assert v["coef9_ten"] == pytest.approx(in_ten[-1], rel=1e-5)
    assert v["max_unit"] / v["max_ten"] > 1e4


@pytest.mark.claim("large_weights.raw_penalty_units")
def test_a_penalty_on_raw_powers_depends_on_units(v):
    """scikit-learn Ridge on raw powers of x and of 10x, same λ: visibly different curves."""
    curves = []
    for scale in (1.0, 10.0):
        poly = PolynomialFeatures(9, include_bias=False)
        model = Ridge(alpha=page.LAM_RIDGE, solver="svd").fit(
            poly.fit_transform(scale * X_TRAIN[:, None]), Y_TRAIN
        )
        curves.append(model.predict(poly.transform(scale * page.GRID[:, None])))
    gap = np.max(np.abs(curves[0] - curves[1]))
    assert v["raw_penalty_gap"] == pytest.approx(gap, rel=1e-3)
    assert gap > 0.1


@pytest.mark.claim("large_weights.standardised_invariant", "large_weights.fig_units")
def test_standardised_coefficients_ignore_units(v):
    """With StandardScaler on the powers, x in [0, 1] and x in [0, 10] give the same coefficients, still
    huge."""
    coefs = []
    for scale in (1.0, 10.0):
        f = StdPoly(9, scale * X_TRAIN)
        coefs.append(LinearRegression(tol=1e-12).fit(f(scale * X_TRAIN), Y_TRAIN).coef_)
    np.testing.assert_allclose(coefs[0], coefs[1], rtol=1e-4)
    np.testing.assert_allclose(page.units()["std_unit"], coefs[0], rtol=1e-5)
    np.testing.assert_allclose(page.units()["std_ten"], coefs[0], rtol=1e-4)
    assert v["norm_std_units"] == pytest.approx(np.linalg.norm(coefs[0]), rel=1e-5)
    assert v["norm_std_units"] > 1e5


@pytest.mark.claim("large_weights.intercept_free")
def test_free_intercept_follows_a_shift_of_y(v):
    """Free intercept (sklearn, fit_intercept=True): the curve moves by the shift exactly. Penalised: it
    lags by λc/(n+λ)."""
    f, lam, c = StdPoly(9), v["lam_intercept_demo"], v["y_offset"]
    grid = f(page.GRID)
    free = [Ridge(alpha=lam).fit(f(X_TRAIN), Y_TRAIN + s).predict(grid) for s in (0, c)]
    assert np.max(np.abs(free[1] - c - free[0])) < 1e-9
    assert v["shift_change_free"] < 1e-9
    with_ones = np.column_stack([np.ones(N), f(X_TRAIN)])
    grid1 = np.column_stack([np.ones(len(page.GRID)), grid])
    pen = [Ridge(alpha=lam, fit_intercept=False).fit(with_ones, Y_TRAIN + s).predict(grid1) for s in (0, c)]
    change = np.max(np.abs(pen[1] - c - pen[0]))
    assert change == pytest.approx(lam * c / (N + lam), rel=1e-9)  # centred features: b = Σy / (n + λ)
    assert v["shift_change_penalised"] == pytest.approx(change, rel=1e-9)


# --- shrinking after training --------------------------------------------------------------------


def interpolant_and_ridge():
    interp, f = sk_fit(9, 0.0)
    ridge, _ = sk_fit(9, page.LAM_RIDGE)
    return interp, ridge, f


@pytest.mark.claim("large_weights.shrink_keeps_wiggles", "large_weights.fig_shrink_vs_ridge")
def test_shrinking_keeps_every_turning_point(v):
    """Roots of the derivative: the interpolant has 8 turning points, w × c has the same 8, ridge at equal
    norm 2."""
    interp, ridge, f = interpolant_and_ridge()
    c = np.linalg.norm(ridge.coef_) / np.linalg.norm(interp.coef_)
    assert v["shrink_factor"] == pytest.approx(c, rel=1e-5)
    assert v["norm_shrunk"] == pytest.approx(c * np.linalg.norm(interp.coef_), rel=1e-5)
    assert v["norm_ridge"] == pytest.approx(np.linalg.norm(ridge.coef_), rel=1e-5)
    assert v["norm_interpolant"] == pytest.approx(np.linalg.norm(interp.coef_), rel=1e-5)
    tp_interp = turning_points_by_roots(f.raw_coefficients(interp.coef_, interp.intercept_))
    tp_shrunk = turning_points_by_roots(f.raw_coefficients(c * interp.coef_, interp.intercept_))
    tp_ridge = turning_points_by_roots(f.raw_coefficients(ridge.coef_, ridge.intercept_))
    assert (tp_interp, tp_shrunk, tp_ridge) == (8, 8, 2)
    assert v["turning_interpolant"] == v["turning_shrunk"] == tp_interp
    assert v["turning_ridge"] == tp_ridge
    # the shrunk curve is the interpolant's wiggle scaled by c about the mean: nearly flat
    swing = interp.predict(f(page.GRID))
    assert v["shrunk_range"] == pytest.approx(c * (swing.max() - swing.min()), rel=1e-4)
    assert v["shrunk_range"] < 1e-3


@pytest.mark.claim("large_weights.shrink_loses", "large_weights.fig_shrink_vs_ridge")
def test_no_shrink_factor_reaches_ridge(v):
    """Held-out RMSE: the best factor c, found in closed form with hindsight, is still far worse than
    ridge."""
    interp, ridge, f = interpolant_and_ridge()
    g = f(X_TEST) @ interp.coef_
    r = Y_TEST - interp.intercept_
    c_best = g @ r / (g @ g)  # least squares in c
    best = rmse(interp.intercept_ + c_best * g, Y_TEST)
    ridge_err = rmse(ridge.predict(f(X_TEST)), Y_TEST)
    assert v["test_ridge"] == pytest.approx(ridge_err, rel=1e-6)
    assert v["test_interpolant"] == pytest.approx(rmse(interp.predict(f(X_TEST)), Y_TEST), rel=1e-6)
    assert v["train_interpolant"] < 1e-9
    c = v["shrink_factor"]
    assert v["test_shrunk"] == pytest.approx(rmse(interp.intercept_ + c * g, Y_TEST), rel=1e-6)
    # the figure's grid minimum sits at the closed-form optimum, up to the grid's resolution
    assert best <= v["test_best_shrunk"] <= best * 1.001
    assert v["best_factor"] == pytest.approx(c_best, rel=0.06)
    s = page.shrink_vs_ridge()
    np.testing.assert_allclose(
        s["factor_errors"], [rmse(interp.intercept_ + k * g, Y_TEST) for k in s["factors"]], rtol=1e-6
    )
    assert ridge_err < 0.6 * best
    assert best < v["test_shrunk"] and best < v["test_interpolant"]


@pytest.mark.claim("large_weights.ridge_best_at_norm")
def test_ridge_has_the_lowest_training_error_at_its_norm(v):
    """SLSQP minimising the training loss over ‖w‖ ≤ ‖w_ridge‖ cannot beat ridge; the shrunk vector is far
    worse."""
    interp, ridge, f = interpolant_and_ridge()
    Z = f(X_TRAIN)
    radius = np.linalg.norm(ridge.coef_)

    def loss(theta):
        return 0.5 * np.mean((Z @ theta[1:] + theta[0] - Y_TRAIN) ** 2)

    start = np.concatenate([[interp.intercept_], v["shrink_factor"] * interp.coef_])
    res = scipy.optimize.minimize(
        loss,
        start,
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda t: radius**2 - t[1:] @ t[1:]}],
        options={"ftol": 1e-15, "maxiter": 2000},
    )
    ridge_loss = loss(np.concatenate([[ridge.intercept_], ridge.coef_]))
    assert res.fun >= ridge_loss * (1 - 1e-6)
    assert res.fun == pytest.approx(ridge_loss, rel=1e-3)  # a general optimiser finds ridge's value
    assert v["train_ridge"] == pytest.approx(np.sqrt(2 * ridge_loss), rel=1e-6)
    assert v["train_shrunk"] == pytest.approx(np.sqrt(2 * loss(start)), rel=1e-6)
    assert v["train_shrunk"] > 2 * v["train_ridge"]


@pytest.mark.slow
@pytest.mark.claim("large_weights.shrink_typical")
def test_typical_over_fresh_noise(v):
    """Over 200 fresh draws (rng seed 1002), roots-based turning points and sklearn fits give the quoted
    medians and wins."""
    rng = np.random.default_rng(SEED + 1000)
    f = StdPoly(9)
    Z, Zt = f(X_TRAIN), f(X_TEST)
    tp_ls, tp_r, wins = [], [], 0
    for _ in range(page.N_REPEATS):
        y = np.sin(2 * np.pi * X_TRAIN) + SIGMA * rng.standard_normal(N)
        interp = LinearRegression(tol=1e-12).fit(Z, y)
        ridge = Ridge(alpha=page.LAM_RIDGE, solver="svd").fit(Z, y)
        tp_ls.append(turning_points_by_roots(f.raw_coefficients(interp.coef_, interp.intercept_)))
        tp_r.append(turning_points_by_roots(f.raw_coefficients(ridge.coef_, ridge.intercept_)))
        g = Zt @ interp.coef_
        c = max(0.0, g @ (Y_TEST - interp.intercept_) / (g @ g))
        wins += rmse(ridge.predict(Zt), Y_TEST) < rmse(interp.intercept_ + c * g, Y_TEST)
    assert v["n_repeats"] == page.N_REPEATS == 200
    assert v["median_tp_interpolant"] == np.median(tp_ls)
    assert v["median_tp_ridge"] == np.median(tp_r)
    assert v["ridge_wins"] == wins
    assert wins >= 0.9 * page.N_REPEATS


@pytest.mark.claim("large_weights.direction_shrinkage")
def test_ridge_shrinks_directions_not_weights(v):
    """In the SVD basis ridge = least squares × d²/(d² + λ) per direction; no weight is exactly zero."""
    interp, ridge, f = interpolant_and_ridge()
    Z = f(X_TRAIN)
    _, d, Vt = np.linalg.svd(Z - Z.mean(axis=0), full_matrices=False)
    factors = d**2 / (d**2 + page.LAM_RIDGE)
    np.testing.assert_allclose(Vt @ ridge.coef_, factors * (Vt @ interp.coef_), rtol=1e-4, atol=1e-9)
    assert v["shrink_top"] == pytest.approx(factors[0], rel=1e-9)
    assert v["shrink_bottom"] == pytest.approx(factors[-1], rel=1e-3)
    assert v["shrink_top"] > 0.9999 and v["shrink_bottom"] < 1e-8
    assert np.min(np.abs(ridge.coef_)) > 1e-3


# --- the ridge path -------------------------------------------------------------------------------


def path_svd(lambdas):
    """Ridge path from the SVD X = U diag(d) Vᵀ: w(λ) = V diag(d / (d² + λ)) Uᵀ y."""
    X, y = page.path_problem()
    U, d, Vt = np.linalg.svd(X, full_matrices=False)
    c = U.T @ y
    return np.array([Vt.T @ (d * c / (d**2 + lam)) for lam in lambdas]), d, c


@pytest.mark.slow
@pytest.mark.claim("large_weights.norm_monotone", "large_weights.fig_ridge_path")
def test_norm_falls_monotonically(v):
    """‖w(λ)‖ from the SVD closed form matches the path, falls at every step of the fine grid, and its
    derivative is < 0."""
    X, y = page.path_problem()
    np.testing.assert_allclose(X.T @ X / page.PATH_N, page.PATH_CORR, atol=1e-12)
    np.testing.assert_allclose(np.linalg.lstsq(X, y, rcond=None)[0], page.PATH_W_LS, atol=1e-12)
    W_svd, d, c = path_svd(page.PATH_LAMBDAS)
    W = page.ridge_path()
    np.testing.assert_allclose(W, W_svd, atol=1e-10)
    norms = np.linalg.norm(W, axis=1)
    assert len(norms) == v["path_grid_n"] > 1000 and np.all(np.diff(norms) < 0)
    assert (v["path_lam_lo"], v["path_lam_hi"]) == (page.PATH_LAMBDAS[0], page.PATH_LAMBDAS[-1])
    # d/dλ ‖w‖² = −2 Σ d² c² / (d² + λ)³ < 0 for every λ ≥ 0
    lam = np.logspace(-6, 8, 5000)
    deriv = -2 * np.sum((d**2 * c**2)[None, :] / (d[None, :] ** 2 + lam[:, None]) ** 3, axis=1)
    assert np.all(deriv < 0)
    assert v["path_norm_start"] == pytest.approx(np.linalg.norm(page.PATH_W_LS), rel=1e-12)
    # the same on the degree-9 polynomial problem, with scikit-learn as the solver
    f = StdPoly(9)
    poly_norms = [
        np.linalg.norm(Ridge(alpha=lam, solver="svd").fit(f(X_TRAIN), Y_TRAIN).coef_)
        for lam in np.logspace(-8, 3, 200)
    ]
    assert np.all(np.diff(poly_norms) < 0)


@pytest.mark.slow
@pytest.mark.claim("large_weights.coefficient_rises", "large_weights.fig_ridge_path")
def test_a_weight_and_the_sum_rise(v):
    """scikit-learn's ridge path: w₂ goes from −1 through zero, the sum rises from 1 to its quoted peak."""
    X, y = page.path_problem()
    lambdas = page.PATH_LAMBDAS
    W = np.array([Ridge(alpha=lam, fit_intercept=False).fit(X, y).coef_ for lam in lambdas])
    s = W.sum(axis=1)
    step = np.log10(lambdas[1] / lambdas[0])
    assert v["path_sum_start"] == pytest.approx(1.0, abs=1e-12)
    assert v["path_w2_start"] == pytest.approx(-1.0, abs=1e-12)
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    assert (v["path_w1_start"], v["path_w3_start"]) == pytest.approx((w_ls[0], w_ls[2]), abs=1e-12)
    assert v["path_sum_peak"] == pytest.approx(s.max(), rel=1e-9)
    assert abs(np.log10(v["path_lam_sum_peak"] / lambdas[np.argmax(s)])) <= step + 1e-12
    assert v["path_w2_peak"] == pytest.approx(W[:, 1].max(), rel=1e-9)
    cross = scipy.optimize.brentq(
        lambda lam: Ridge(alpha=lam, fit_intercept=False).fit(X, y).coef_[1], 1e-2, 1e2
    )
    assert abs(np.log10(v["path_lam_w2_cross"] / cross)) <= step
    assert v["path_sum_peak"] > 1.5 * v["path_sum_start"]
    assert v["path_w2_peak"] > 0 > v["path_w2_start"]
    np.testing.assert_allclose(page.ridge_path(), W, atol=1e-8)


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


@pytest.mark.claim("large_weights.slider_same_norm", "large_weights.fig_fits_across_lambda")
def test_slider_ridge_against_the_shrunk_interpolant(v):
    """Each frame: scikit-learn's ridge fit at λ and the scikit-learn interpolant × c with the same ‖w‖;
    the readout's turning points (roots of the derivative) and held-out RMSEs; ridge wins at every λ."""
    import re

    data = page.data_fits_across_lambda()
    check_frames_schema(data)
    lams = data["slider"]["values"]
    np.testing.assert_allclose(lams, np.logspace(-8, 2, 21), rtol=1e-12)
    assert (v["slider_count"], v["slider_lam_lo"], v["slider_lam_hi"]) == (21, 1e-8, 100.0)
    static_truth, static_points = data["static"]
    np.testing.assert_allclose(static_points["x"], X_TRAIN, atol=5e-5)
    np.testing.assert_allclose(static_points["y"], Y_TRAIN, atol=5e-5)
    np.testing.assert_allclose(static_truth["y"], np.sin(2 * np.pi * np.array(static_truth["x"])), atol=5e-5)
    interp, f = sk_fit(9, 0.0)
    rows = []
    for lam, frame in zip(lams, data["frames"], strict=True):
        ridge, _ = sk_fit(9, lam)
        c = np.linalg.norm(ridge.coef_) / np.linalg.norm(interp.coef_)
        ridge_series, shrunk_series = frame["series"]
        xs = np.array(ridge_series["x"])
        np.testing.assert_allclose(ridge_series["y"], ridge.predict(f(xs)), atol=6e-4)
        np.testing.assert_allclose(
            shrunk_series["y"], interp.intercept_ + c * (f(xs) @ interp.coef_), atol=6e-4
        )
        row = (
            turning_points_by_roots(f.raw_coefficients(ridge.coef_, ridge.intercept_)),
            rmse(ridge.predict(f(X_TEST)), Y_TEST),
            turning_points_by_roots(f.raw_coefficients(c * interp.coef_, interp.intercept_)),
            rmse(interp.intercept_ + c * (f(X_TEST) @ interp.coef_), Y_TEST),
        )
        rows.append((*row, c))
        numbers = re.search(
            r"Ridge: (\d+) turning points, held-out RMSE (\d\.\d{3})\. "
            r".*: (\d+) turning points, held-out RMSE (\d\.\d{3})\.$",
            frame["readout"],
        ).groups()
        assert numbers == (str(row[0]), f"{row[1]:.3f}", str(row[2]), f"{row[3]:.3f}"), frame["readout"]
        norm = np.linalg.norm(ridge.coef_)
        assert (
            f"‖w‖ = {norm:,.0f}." in frame["readout"]
            if norm >= 100
            else f"‖w‖ = {norm:.3g}." in frame["readout"]
        )
    rows = np.array(rows)
    assert np.all(rows[:, 2] == 8) and v["slider_shrunk_turning"] == 8
    assert np.all(rows[:, 0] < rows[:, 2])
    assert v["slider_ridge_wins"] == int(np.sum(rows[:, 1] < rows[:, 3])) == 21
    assert (v["slider_ridge_test_lo"], v["slider_ridge_test_hi"]) == pytest.approx(
        (rows[:, 1].min(), rows[:, 1].max()), rel=1e-5
    )
    assert v["slider_shrunk_test_lo"] == pytest.approx(rows[:, 3].min(), rel=1e-5)
    assert v["slider_factor_hi"] == pytest.approx(rows[:, 4].max(), rel=1e-5)
