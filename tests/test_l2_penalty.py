"""Proofs for the page "What does the L2 penalty do, and why is it called weight decay?"."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import matplotlib
import matplotlib.figure
import matplotlib.legend
import matplotlib.text
import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
from sklearn.linear_model import Ridge

from sitebuild import snippet_values
from snippets import conventions as cv
from snippets import l2_penalty as page

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def v():
    return snippet_values("l2_penalty")


def sk_ridge(X, y, lam):
    return Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_


# --- figure and page rules (shared with the L1 and L2-in-depth tests) ---------------------------

COLOURS = {"fg", "muted", "blue", "orange", "green", "pink", "sky", "yellow"}
INTERNAL_LABEL = re.compile(r"\b(seeds?|source)\s*0\d\d\b|\bseed 0", re.IGNORECASE)


def _texts(fig):
    """Every visible, non-empty text artist of a drawn figure."""
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


def _data_points(ax):
    """Display coordinates of the plotted data of an axes: line vertices, markers, contour vertices."""
    pts = []
    for line in ax.get_lines():
        if line.get_transform() != ax.transData:
            continue  # axhline/axvline reference lines
        xy = np.column_stack([np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)])
        if len(xy):
            pts.append(ax.transData.transform(xy))
    for coll in ax.collections:
        offsets = coll.get_offsets()
        if len(offsets) and coll.get_offset_transform() == ax.transData:
            pts.append(ax.transData.transform(offsets))
        for path in coll.get_paths():
            if len(path.vertices) and coll.get_transform() == ax.transData:
                pts.append(ax.transData.transform(path.vertices))
    if not pts:
        return np.zeros((0, 2))
    pts = np.vstack(pts)
    inside = ax.bbox.contains  # only what is visible inside the axes
    return np.array([p for p in pts if np.all(np.isfinite(p)) and inside(*p)])


def check_figure_rules(fig_function):
    """Draw the figure in both palettes; return it. Width ≤ 4.8 in, text ≥ 11 pt, no raw TeX or
    internal source labels in text, no legend or text box over plotted data."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from snippets.style import MAX_WIDTH, MIN_FONT, PALETTES, rc

    for pal in PALETTES.values():
        with plt.rc_context(rc(pal)):
            fig = matplotlib.figure.Figure()
            FigureCanvasAgg(fig)
            fig_function(fig, pal)
            fig.canvas.draw()
            assert fig.get_size_inches()[0] <= MAX_WIDTH + 1e-9
            renderer = fig.canvas.get_renderer()
            boxes = [leg.get_window_extent(renderer) for leg in fig.findobj(matplotlib.legend.Legend)]
            for t in _texts(fig):
                text = t.get_text()
                assert t.get_fontsize() >= MIN_FONT - 1e-9, (text, t.get_fontsize())
                bare = re.sub(r"\$[^$]*\$", "", text)
                assert not re.search(r"[_^\\]", bare), f"raw TeX in {text!r}"
                assert not INTERNAL_LABEL.search(text) and "seed" not in text.lower(), text
                if isinstance(t, matplotlib.text.Annotation) or (t.axes is not None and t in t.axes.texts):
                    boxes.append(t.get_window_extent(renderer))
            for ax in fig.axes:
                pts = _data_points(ax)
                for box in boxes:
                    if len(pts):
                        hit = (
                            (pts[:, 0] > box.x0)
                            & (pts[:, 0] < box.x1)
                            & (pts[:, 1] > box.y0)
                            & (pts[:, 1] < box.y1)
                        )
                        assert not hit.any(), f"a legend or text box covers {hit.sum()} data points"
    return fig


def check_frames_schema(data):
    """The interactive 'frames' schema of the brief: fixed axes, one frame per slider value, finite
    rounded numbers, known colours, small JSON."""
    import json

    assert data["kind"] == "frames"
    for key in ("xlabel", "ylabel"):
        assert isinstance(data[key], str) and not re.search(r"[_^\\$]", data[key])
    assert len(data["xlim"]) == 2 and data["xlim"][0] < data["xlim"][1]
    assert len(data["ylim"]) == 2 and data["ylim"][0] < data["ylim"][1]
    assert data["xscale"] in ("linear", "log") and data["yscale"] in ("linear", "log")
    values = data["slider"]["values"]
    assert 2 <= len(values) <= 40 and len(data["frames"]) == len(values)
    assert 0 <= data["slider"]["initial"] < len(values)
    series = list(data["static"]) + [s for f in data["frames"] for s in f["series"]]
    for s in series:
        assert s["type"] in ("line", "points") and s["color"] in COLOURS
        assert len(s["x"]) == len(s["y"]) <= 150
        assert np.all(np.isfinite(s["x"])) and np.all(np.isfinite(s["y"]))
    for f in data["frames"]:
        assert isinstance(f["readout"], str) and 10 < len(f["readout"]) < 200
        assert "seed" not in f["readout"].lower()
    assert len(json.dumps(data)) < 40_000


def check_page_wording(page_name):
    """No reader-visible text of the page names a source by an internal label ("seed 001")."""
    text = (ROOT / "docs" / f"{page_name}.md").read_text()
    visible = re.sub(r"\{\{.*?\}\}", "", text)  # shortcodes (cite keys, value names) are not shown as typed
    assert not INTERNAL_LABEL.search(visible)
    assert not re.search(r"\bseed", visible, re.IGNORECASE), re.search(
        r".{30}\bseed.{30}", visible, re.I | re.S
    )


def test_page_wording():
    check_page_wording("l2_penalty")


# --- the disk -------------------------------------------------------------------------------


@pytest.mark.claim("l2_penalty.disk_optimum", "l2_penalty.fig_geometry")
def test_marked_point_is_the_constrained_minimum(v):
    """SLSQP, minimising the squared loss on the disk ‖w‖ ≤ r, lands on the marked point, on the boundary."""
    X, y = page.toy_problem()
    r = v["radius"]

    def loss(w):
        return 0.5 * np.mean((X @ w - y) ** 2)

    res = scipy.optimize.minimize(
        loss,
        x0=np.zeros(2),
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda w: r**2 - w @ w}],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    w_star = np.array([v["w_star_1"], v["w_star_2"]])
    assert res.success
    np.testing.assert_allclose(res.x, w_star, atol=1e-5)
    assert np.linalg.norm(w_star) == pytest.approx(r, abs=1e-9)
    assert loss(res.x) == pytest.approx(v["loss_star"], rel=1e-6)
    np.testing.assert_allclose(page.geometry_data()["w_star"], w_star, atol=1e-12)


@pytest.mark.claim("l2_penalty.ls_outside")
def test_least_squares_lies_outside_the_disk(v):
    """The unpenalised optimum (numpy lstsq) lies outside the disk, so the constraint is active."""
    X, y = page.toy_problem()
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(w_ls, [v["w_ls_1"], v["w_ls_2"]], atol=1e-10)
    assert np.linalg.norm(w_ls) == pytest.approx(v["w_ls_norm"], rel=1e-10)
    assert v["w_ls_norm"] > v["radius"]
    assert v["loss_ls"] < v["loss_star"]


@pytest.mark.claim("l2_penalty.ridge_at_lam_star")
def test_marked_point_is_ridge_for_lam_star(v):
    """scikit-learn's Ridge(alpha=λ*) returns the marked point, and its norm is the disk's radius."""
    X, y = page.toy_problem()
    w = sk_ridge(X, y, v["lam_star"])
    np.testing.assert_allclose(w, [v["w_star_1"], v["w_star_2"]], atol=1e-9)
    assert np.linalg.norm(w) == pytest.approx(v["radius"], abs=1e-8)


@pytest.mark.claim("l2_penalty.tangent")
def test_contour_is_tangent_to_the_disk(v):
    """At the marked point the loss gradient (finite differences) is antiparallel to w: ∇L = −(λ*/n) w."""
    X, y = page.toy_problem()
    w_star = np.array([v["w_star_1"], v["w_star_2"]])
    grad = scipy.optimize.approx_fprime(w_star, lambda w: 0.5 * np.mean((X @ w - y) ** 2), 1e-7)
    cross = grad[0] * w_star[1] - grad[1] * w_star[0]
    assert abs(cross) < 1e-5 * np.linalg.norm(grad)
    assert grad @ w_star < 0
    np.testing.assert_allclose(grad, -v["lam_star"] / v["toy_n"] * w_star, rtol=1e-4)


@pytest.mark.claim("l2_penalty.gd_converges")
def test_gradient_descent_with_decay_reaches_ridge(v):
    """Gradient steps with the decay factor, started far away, end at scikit-learn's ridge solution."""
    X, y = page.toy_problem()
    end = page.gd_to_ridge()
    np.testing.assert_allclose(end, sk_ridge(X, y, v["lam_star"]), atol=1e-10)
    assert v["gd_gap"] < 1e-10


# --- the validation curve ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sk_curve(v):
    X, y, X_test, y_test, _ = page.validation_problem()
    lams = np.logspace(np.log10(v["val_lam_min"]), np.log10(v["val_lam_max"]), v["val_grid"])
    fits = [sk_ridge(X, y, lam) for lam in lams]
    train = np.array([np.mean((X @ w - y) ** 2) for w in fits])
    test = np.array([np.mean((X_test @ w - y_test) ** 2) for w in fits])
    return lams, train, test


@pytest.mark.claim("l2_penalty.val_interior_min", "l2_penalty.fig_validation")
def test_validation_minimum_is_interior(v, sk_curve):
    """Recomputed with sklearn, held-out error is lowest strictly inside the λ grid, higher at both ends."""
    lams, train, test = sk_curve
    best = int(np.argmin(test))
    assert 0 < best < len(lams) - 1
    assert lams[best] == pytest.approx(v["val_lam_best"], rel=1e-12)
    assert test[best] == pytest.approx(v["val_test_best"], rel=1e-8)
    assert test[0] == pytest.approx(v["val_test_small"], rel=1e-8)
    assert test[-1] == pytest.approx(v["val_test_large"], rel=1e-8)
    assert train[0] == pytest.approx(v["val_train_small"], rel=1e-8)
    assert train[-1] == pytest.approx(v["val_train_large"], rel=1e-8)
    assert train[best] == pytest.approx(v["val_train_best"], rel=1e-8)
    assert test[0] > 1.5 * test[best] and test[-1] > 1.5 * test[best]
    _, train_f, test_f = page.validation_curve()
    np.testing.assert_allclose(test_f, test, rtol=1e-8)
    np.testing.assert_allclose(train_f, train, rtol=1e-8)


@pytest.mark.claim("l2_penalty.val_train_monotone")
def test_training_error_rises_with_lambda(sk_curve):
    """Training error never falls as λ grows (each ridge fit is the best fit within a smaller ball)."""
    _, train, _ = sk_curve
    assert np.all(np.diff(train) >= -1e-12)


@pytest.mark.claim("l2_penalty.val_small_lambda_overfits")
def test_small_lambda_is_near_least_squares(v):
    """At the smallest λ the fit is essentially least squares (p < n): lstsq gives the same held-out error."""
    X, y, X_test, y_test, _ = page.validation_problem()
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.mean((X_test @ w - y_test) ** 2) == pytest.approx(v["val_test_small"], rel=0.02)
    assert v["val_train_small"] < 0.5 * v["val_test_small"]


# --- weight decay ----------------------------------------------------------------------------------


def fd_gradient_descent(cost, w0, eta, steps, h=1e-6):
    """Gradient descent on a one-weight cost, the gradient by central finite differences: an
    independent route to the update, which never uses the decay factor or the snippet's step."""
    w = [float(w0)]
    for _ in range(steps):
        g = (cost(w[-1] + h) - cost(w[-1] - h)) / (2 * h)
        w.append(w[-1] - eta * g)
    return np.array(w)


@pytest.mark.claim("l2_penalty.decay_sequence", "l2_penalty.fig_decay")
def test_decay_is_geometric(v):
    """A weight whose feature is always zero (so the data never push it), under gradient descent on the
    page's cost J(w) = L(w) + λ/(2n)w² and on the site's ridge_cost, both with finite-difference
    gradients, runs 10, 9.8, 9.604, 9.41192, …: the page's values and the figure's blue curve.
    Catches: a decay factor or step that disagrees with the cost (1 − ηλ/(2n): 9.9 at step 1; the
    penalty λ/n·w² in conventions.l2_penalty; the factor applied to the data step too), a sequence
    one step short or long, a wrong step count in the figure, a subtraction that misses zero at 50."""
    eta, lam, n, w0, steps = v["eta"], v["lam"], v["n"], 10.0, page.DECAY["steps"]
    assert (eta, lam, n, w0) == (0.05, 40.0, 100, page.DECAY["w0"])
    X = np.zeros((n, 1))  # the feature is always zero
    y = np.random.default_rng(0).standard_normal(n)

    def page_cost(w):
        return 0.5 * np.mean((X[:, 0] * w - y) ** 2) + lam / (2 * n) * w**2

    def site_cost(w):
        return cv.ridge_cost(np.array([w]), X, y, lam)

    ref = fd_gradient_descent(page_cost, w0, eta, steps)
    np.testing.assert_allclose(fd_gradient_descent(site_cost, w0, eta, steps), ref, rtol=1e-7)
    for k in range(5):
        assert v[f"seq_{k}"] == pytest.approx(ref[k], rel=1e-7)
    assert [round(v[f"seq_{k}"], 5) for k in range(4)] == [10.0, 9.8, 9.604, 9.41192]
    assert v["factor"] == pytest.approx(ref[1] / ref[0], rel=1e-7)
    assert v["w_50_geometric"] == pytest.approx(ref[50], rel=1e-6)
    assert v["w_end_geometric"] == pytest.approx(ref[-1], rel=1e-6) and v["decay_steps"] == steps
    d = page.decay_curves()
    np.testing.assert_allclose(d["geometric"], ref, rtol=1e-6)
    np.testing.assert_array_equal(d["k"], np.arange(steps + 1))
    # the popular picture: the first step's amount, 0.2, taken off every time, reaching 0 at step 50
    assert v["decrement"] == pytest.approx(0.2, abs=1e-12)
    np.testing.assert_allclose(d["linear"], 10 - 0.2 * np.arange(51), atol=1e-9)
    np.testing.assert_array_equal(d["k_linear"], np.arange(51))
    assert v["zero_step"] == 50 and v["w_50_linear"] == pytest.approx(0.0, abs=1e-9)
    assert np.all(ref > 0)  # the geometric sequence never reaches zero


@pytest.mark.claim("l2_penalty.l1_subtracts")
def test_constant_decrements_are_the_l1_step(v):
    """Gradient descent on the L1 cost L(w) + (λ/n)|w| (the page's form and the site's lasso_cost, both by
    finite differences, with a zero feature) at λ = 400 takes exactly ηλ/n = 0.2 off: 10, 9.8, 9.6, 9.4.
    Catches: an L1 step of the wrong size (λ/(2n)), a wrong sign, L1_LAM changed, a step that
    shrinks by a factor instead, an L1 cost inconsistent with the step in conventions."""
    eta, lam, n = v["eta"], v["l1_lam"], v["n"]
    X = np.zeros((n, 1))
    y = np.random.default_rng(1).standard_normal(n)

    def page_cost(w):
        return 0.5 * np.mean((X[:, 0] * w - y) ** 2) + lam / n * abs(w)

    def site_cost(w):
        return cv.lasso_cost(np.array([w]), X, y, lam)

    ref = fd_gradient_descent(page_cost, 10.0, eta, 4)
    np.testing.assert_allclose(fd_gradient_descent(site_cost, 10.0, eta, 4), ref, atol=1e-7)
    np.testing.assert_allclose(ref, [10.0, 9.8, 9.6, 9.4, 9.2], atol=1e-7)
    for k in range(5):
        assert v[f"l1_seq_{k}"] == pytest.approx(ref[k], abs=1e-7)
    np.testing.assert_allclose(page.l1_sequence(10.0, 4, eta, lam, n), ref, atol=1e-7)
    # the drops are equal (subtraction), unlike the L2 sequence's equal ratios
    drops = -np.diff([v[f"l1_seq_{k}"] for k in range(5)])
    np.testing.assert_allclose(drops, 0.2, atol=1e-9)
    ratios = [v[f"seq_{k + 1}"] / v[f"seq_{k}"] for k in range(4)]
    np.testing.assert_allclose(ratios, 0.98, rtol=1e-9)


@pytest.mark.claim("l2_penalty.half_life")
def test_half_life(v):
    """The half-life h solves 10·0.98^h = 5; the sequence crosses 5 between steps ⌊h⌋ and ⌈h⌉."""
    h = v["half_life"]
    f = 1 - v["eta"] * v["lam"] / v["n"]
    root = scipy.optimize.brentq(lambda t: 10 * f**t - 5, 1, 1000, xtol=1e-13)
    assert h == pytest.approx(root, rel=1e-10)
    s = page.DECAY
    seq = page.decay_sequence(s["w0"], 60, s["eta"], s["lam"], s["n"])
    assert seq[int(np.floor(h))] > 5 > seq[int(np.ceil(h))]


def sgd_epoch_reference(w, X, y, eta, lam, batch):
    """One epoch of mini-batch gradient descent, written from the cost's gradient, not the decay factor."""
    n = len(y)
    for start in range(0, n, batch):
        Xb, yb = X[start : start + batch], y[start : start + batch]
        grad_cost = Xb.T @ (Xb @ w - yb) / len(yb) + (lam / n) * w
        w = w - eta * grad_cost
    return w


@pytest.mark.claim("l2_penalty.epoch_factors")
def test_epoch_factor_depends_on_batch_size(v):
    """Per epoch, a weight the data ignore shrinks by (1 − ηλ/n)^(n/B) ≈ exp(−ηλ/B): measured by an
    independent SGD loop on a problem with a feature that is always zero."""
    n, eta, lam = v["n"], v["eta"], v["lam"]
    rng = np.random.default_rng(11)
    X = np.column_stack([rng.standard_normal(n), np.zeros(n), rng.standard_normal(n)])
    y = X[:, 0] - X[:, 2] + 0.1 * rng.standard_normal(n)
    for b in page.BATCHES:
        w = sgd_epoch_reference(np.array([0.3, 1.0, -0.2]), X, y, eta, lam, b)
        closed = (1 - eta * lam / n) ** (n // b)
        assert w[1] == pytest.approx(closed, rel=1e-12)
        assert v[f"epoch_factor_b{b}"] == pytest.approx(closed, rel=1e-12)
        assert v[f"epoch_steps_b{b}"] == n // b
        assert closed == pytest.approx(np.exp(-eta * lam / b), rel=0.03)
    assert v["epoch_factor_b1"] < v["epoch_factor_b10"] < v["epoch_factor_b100"]


# --- the Gaussian prior ------------------------------------------------------------------------------


def conditional_mean_cov(X, y, sigma, s, w0):
    """E[w | y] and Cov[w | y] from the joint Gaussian of (w, y), using the n×n form."""
    n = len(y)
    K = s**2 * X @ X.T + sigma**2 * np.eye(n)  # Cov(y)
    C = s**2 * X.T  # Cov(w, y)
    mean = w0 + C @ np.linalg.solve(K, y - X @ w0)
    cov = s**2 * np.eye(X.shape[1]) - C @ np.linalg.solve(K, C.T)
    return mean, cov


@pytest.mark.claim("l2_penalty.map_is_ridge", "l2_penalty.fig_prior")
def test_posterior_mean_is_ridge(v):
    """Conditioning the joint Gaussian gives ridge's mean with λ = σ²/s², and the same covariance."""
    X, y = page.prior_data(v["prior_n"])
    sigma, s = v["prior_sigma"], v["prior_s"]
    assert v["prior_lam"] == pytest.approx(sigma**2 / s**2)
    for w0 in (np.zeros(2), np.array(page.PRIOR["w0"])):
        mean, cov = conditional_mean_cov(X, y, sigma, s, w0)
        np.testing.assert_allclose(page.map_estimate(X, y, sigma, s, w0), mean, atol=1e-12)
        np.testing.assert_allclose(page.posterior_cov(X, sigma, s), cov, atol=1e-12)
    np.testing.assert_allclose(page.map_estimate(X, y, sigma, s), sk_ridge(X, y, sigma**2 / s**2), atol=1e-12)
    # the points the caption and alt text quote
    for tag, w0 in (("0", np.zeros(2)), ("w0", np.array(page.PRIOR["w0"]))):
        mean, _ = conditional_mean_cov(X, y, sigma, s, w0)
        np.testing.assert_allclose([v[f"prior_map{tag}_1"], v[f"prior_map{tag}_2"]], mean, atol=1e-12)
    np.testing.assert_allclose(
        [v["prior_ls_1"], v["prior_ls_2"]], np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-12
    )


@pytest.mark.claim("l2_penalty.fig_prior")
def test_prior_figure_ellipses_are_mahalanobis_levels():
    """The prior figure draws each Gaussian as the levels 1 and 2 of its Mahalanobis distance: the grid
    it contours is that distance at every point (scipy's, point by point; rows follow the second axis)."""
    from scipy.spatial.distance import mahalanobis

    mean, cov = np.array([0.3, -0.2]), np.array([[0.5, 0.2], [0.2, 0.3]])
    g1, g2 = np.linspace(-1.0, 2.0, 7), np.linspace(-1.5, 1.5, 5)
    grid = page._gauss_grid(mean, cov, g1, g2)
    assert grid.shape == (len(g2), len(g1))
    want = [[mahalanobis([a, b], mean, np.linalg.inv(cov)) for a in g1] for b in g2]
    np.testing.assert_allclose(grid, want, rtol=1e-12)


@pytest.mark.claim("l2_penalty.map_is_ridge")
def test_posterior_mean_by_sampling(v):
    """Importance sampling (prior draws weighted by the likelihood) agrees with the ridge estimate."""
    X, y = page.prior_data(v["prior_n"])
    sigma, s = v["prior_sigma"], v["prior_s"]
    rng = np.random.default_rng(2024)
    draws = s * rng.standard_normal((400_000, 2))
    logw = -0.5 * np.sum((draws @ X.T - y) ** 2, axis=1) / sigma**2
    weights = np.exp(logw - logw.max())
    mean = weights @ draws / weights.sum()
    np.testing.assert_allclose(page.map_estimate(X, y, sigma, s), mean, atol=0.01)


@pytest.mark.claim("l2_penalty.shifted_prior")
def test_prior_at_w0_is_ridge_towards_w0(v):
    """Minimising the negative log posterior with a prior at w0 (BFGS) gives w0 + ridge on y − Xw0."""
    X, y = page.prior_data(v["prior_n"])
    sigma, s = v["prior_sigma"], v["prior_s"]
    w0 = np.array(page.PRIOR["w0"])

    def neg_log_post(w):
        return 0.5 * np.sum((y - X @ w) ** 2) / sigma**2 + 0.5 * np.sum((w - w0) ** 2) / s**2

    res = scipy.optimize.minimize(neg_log_post, np.zeros(2), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(page.map_estimate(X, y, sigma, s, w0), res.x, atol=1e-7)
    np.testing.assert_allclose(w0 + sk_ridge(X, y - X @ w0, sigma**2 / s**2), res.x, atol=1e-7)


@pytest.mark.claim("l2_penalty.centre_fades")
def test_prior_centre_matters_less_with_more_data(v):
    """The gap between the estimates with priors at 0 and at w0 is ‖(XᵀX + λI)⁻¹λw0‖ and shrinks like 1/n;
    n·gap tends to λ‖Σ⁻¹w0‖, which is λ‖w0‖ only for Σ = I (the scaled design's limit is ≈ 2.9 times larger).
    Catches: the old limit λ‖w0‖ claimed for every design."""
    lam = v["prior_lam"]
    w0 = np.array(page.PRIOR["w0"])
    for scales, key in (((1.0, 1.0), "gap_times_n"), (page.ANISO_SCALES, "aniso_gap_times_n")):
        gaps = []
        for n in (10, 100, 1000, 10000):
            X, _ = page.prior_data(n, scales=scales)
            gap = np.linalg.norm(np.linalg.solve(X.T @ X + lam * np.eye(2), lam * w0))
            assert v[f"{key}{n}"] == pytest.approx(gap * n, rel=1e-9)
            if key == "gap_times_n":
                assert v[f"gap_n{n}"] == pytest.approx(gap, rel=1e-9)
            gaps.append(gap)
        assert all(a > 5 * b for a, b in itertools.pairwise(gaps))
        # the design's covariance, estimated from a large independent draw
        Xbig, _ = page.prior_data(200_000, seed=99, scales=scales)
        sigma_hat = Xbig.T @ Xbig / len(Xbig)
        limit = lam * np.linalg.norm(np.linalg.solve(sigma_hat, w0))
        assert v[f"{key}10000"] == pytest.approx(limit, rel=0.03)
    assert v["gap_limit_iso"] == pytest.approx(lam * np.linalg.norm(w0), rel=1e-12)
    assert v["gap_limit_aniso"] == pytest.approx(lam * np.sqrt(1 + (1 / 0.5**2) ** 2), rel=1e-12)
    assert v["aniso_scale_2"] == page.ANISO_SCALES[1] == 0.5
    # λ‖w0‖ is not the limit of the scaled design
    assert v["aniso_gap_times_n10000"] > 2.5 * lam * np.linalg.norm(w0)
    assert v["aniso_ratio"] == pytest.approx(v["aniso_gap_times_n10000"] / v["gap_times_n10000"], rel=1e-12)


@pytest.mark.claim("l2_penalty.null_space")
def test_undetermined_directions_keep_the_prior_centre(v):
    """With p > n, the estimate's part in the null space of X equals the prior centre's (scipy null_space)."""
    X, _, w0, w = page.underdetermined_example()
    N = scipy.linalg.null_space(X)
    assert N.shape[1] == X.shape[1] - X.shape[0]
    np.testing.assert_allclose(N.T @ w, N.T @ w0, atol=1e-12)
    assert v["under_null_gap"] < 1e-12


@pytest.mark.slow
@pytest.mark.parametrize("name", ["geometry", "validation", "decay", "prior"])
def test_figure_rules(name):
    check_figure_rules(getattr(page, f"fig_{name}"))


# --- the interactive disk ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.claim("l2_penalty.slider_path", "l2_penalty.fig_geometry")
def test_interactive_disk(v):
    """Each frame of the λ slider, against scikit-learn and SLSQP: the point is Ridge(alpha=λ); its length
    falls with λ; the drawn contour is the loss level through the point and touches, from outside, the
    drawn circle of the point's own radius (SLSQP: the smallest ‖w‖ on that contour is that radius);
    the point crosses the unit disk's edge at the frame λ = λ*."""
    data = page.data_geometry()
    check_frames_schema(data)
    X, y = page.toy_problem()
    lams = np.array(data["slider"]["values"])
    assert np.all(np.diff(lams) > 0)
    i_star = int(np.argmin(np.abs(lams - v["lam_star"])))
    assert lams[i_star] == pytest.approx(v["lam_star"], abs=1e-3) and data["slider"]["initial"] == i_star

    def loss(w):
        return 0.5 * np.mean((X @ w - y) ** 2)

    norms = []
    for lam, frame in zip(lams, data["frames"], strict=True):
        circle, contour, point = frame["series"]
        w = sk_ridge(X, y, lam)
        r = np.linalg.norm(w)
        norms.append(r)
        np.testing.assert_allclose([point["x"][0], point["y"][0]], w, atol=1e-3)
        np.testing.assert_allclose(np.hypot(circle["x"], circle["y"]), r, atol=2e-3)
        pts = np.column_stack([contour["x"], contour["y"]])
        np.testing.assert_allclose([loss(p) for p in pts], loss(w), rtol=5e-3, atol=2e-3)
        assert np.min(np.hypot(*pts.T)) >= r - 2e-3  # the contour never enters the circle
        res = scipy.optimize.minimize(
            lambda u: u @ u,
            w * 1.3 + 0.1,
            method="SLSQP",
            constraints=[{"type": "eq", "fun": lambda u, w=w: loss(u) - loss(w)}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        assert np.sqrt(res.fun) == pytest.approx(r, rel=1e-4)  # tangency
        assert f"‖ŵ‖ = {r:.3f}" in frame["readout"]
    norms = np.array(norms)
    assert np.all(np.diff(norms) < 0)
    assert np.all(norms[:i_star] > 1) and np.all(norms[i_star + 1 :] < 1)
    assert norms[i_star] == pytest.approx(1.0, abs=1e-6) and "edge" in data["frames"][i_star]["readout"]
    # static layers: the unit disk, the ridge path (sklearn), least squares
    *rings, disk, path, ls = data["static"]
    assert len(rings) == 3
    loss_ls, loss_star = v["loss_ls"], v["loss_star"]
    for ring, f in zip(rings, (0.15, 0.45, 3.0), strict=True):
        pts = np.column_stack([ring["x"], ring["y"]])
        np.testing.assert_allclose(
            [loss(p) for p in pts], loss_ls + (loss_star - loss_ls) * f, rtol=5e-3, atol=2e-3
        )
    np.testing.assert_allclose(np.hypot(disk["x"], disk["y"]), v["radius"], atol=1e-3)
    np.testing.assert_allclose([ls["x"][0], ls["y"][0]], [v["w_ls_1"], v["w_ls_2"]], atol=1e-3)
    for px, py, lam in zip(path["x"], path["y"], np.logspace(-3, 4, 80)[::2], strict=True):
        np.testing.assert_allclose([px, py], sk_ridge(X, y, lam), atol=1e-3)


def test_designs_are_the_ones_the_page_describes(v):
    """The experiments' settings and grids as the page states them (a 61-point λ grid from 10⁻² to 10⁴,
    the disk of radius 1, the slider from 0.1 to 10⁴ with λ* among its values, batch sizes 1, 10, 100)."""
    lams, _, _ = page.validation_curve()
    np.testing.assert_allclose(lams, np.logspace(-2, 4, 61), rtol=1e-12)
    assert (v["val_n"], v["val_p"], v["val_n_test"], v["val_grid"]) == (40, 30, 2000, 61)
    assert page.VAL == {"n": 40, "n_test": 2000, "p": 30, "rho": 0.7, "sigma": 1.0, "w_sd": 0.4}
    assert (v["val_rho"], v["val_sigma"], v["val_w_sd"]) == (0.7, 1.0, 0.4)
    assert page.RADIUS == v["radius"] == 1.0
    assert page.DECAY == {"eta": 0.05, "lam": 40.0, "n": 100, "w0": 10.0, "steps": 120}
    assert page.L1_LAM == v["l1_lam"] == 400.0 and page.BATCHES == (1, 10, 100)
    assert page.PRIOR == {"n": 10, "sigma": 1.0, "s": 0.5, "w0": (1.0, 1.0)} and page.ANISO_SCALES == (
        1.0,
        0.5,
    )
    expected = np.sort(np.append(np.logspace(-1, 4, 19), v["lam_star"]))
    np.testing.assert_allclose(page.slider_lambdas(), expected, rtol=1e-12)
    d = page.geometry_data()
    np.testing.assert_allclose(d["w1"], np.linspace(-1.4, 3.4, 121))
    np.testing.assert_allclose(d["w2"], np.linspace(-1.4, 2.4, 101))
    X, y = page.toy_problem()
    np.testing.assert_allclose(d["path"], [sk_ridge(X, y, lam) for lam in np.logspace(-3, 4, 80)], atol=1e-9)
    data = page.data_geometry()
    assert data["xlim"] == [-1.4, 3.4] and data["ylim"] == [-1.4, 2.4] and data["equal"] is True
    for frame in data["frames"]:
        circle, contour, _ = frame["series"]
        assert len(circle["x"]) == 40 and len(contour["x"]) == 50
        np.testing.assert_allclose(
            [circle["x"][0], circle["y"][0]], [circle["x"][-1], circle["y"][-1]], atol=1e-3
        )
        np.testing.assert_allclose(
            [contour["x"][0], contour["y"][0]], [contour["x"][-1], contour["y"][-1]], atol=1e-3
        )


@pytest.mark.slow
@pytest.mark.claim("l2_penalty.val_seed_spread", "l2_penalty.fig_validation")
def test_best_lambda_spread_over_draws(v):
    """On 20 further draws of the problem, rebuilt here from the stated setting and fitted with sklearn,
    the best λ of the grid lies strictly inside it every time; its range and median match the page."""
    p, n, n_test = v["val_p"], v["val_n"], v["val_n_test"]
    corr = v["val_rho"] ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    root = np.linalg.cholesky(corr)
    lams = np.logspace(np.log10(v["val_lam_min"]), np.log10(v["val_lam_max"]), v["val_grid"])
    best, interior = [], 0
    for seed in range(1, 21):
        rng = np.random.default_rng(seed)
        w = rng.normal(0.0, v["val_w_sd"], p)
        X = rng.standard_normal((n, p)) @ root.T
        X_test = rng.standard_normal((n_test, p)) @ root.T
        y = X @ w + v["val_sigma"] * rng.standard_normal(n)
        y_test = X_test @ w + v["val_sigma"] * rng.standard_normal(n_test)
        test = [
            np.mean((Ridge(alpha=lam, fit_intercept=False).fit(X, y).predict(X_test) - y_test) ** 2)
            for lam in lams
        ]
        i = int(np.argmin(test))
        best.append(lams[i])
        interior += 0 < i < len(lams) - 1
    assert v["val_n_seeds"] == len(best) == 20
    assert v["val_seed_interior"] == interior == 20
    assert v["val_seed_lam_lo"] == pytest.approx(min(best), rel=1e-12)
    assert v["val_seed_lam_hi"] == pytest.approx(max(best), rel=1e-12)
    assert v["val_seed_lam_median"] == pytest.approx(np.median(best), rel=1e-12)


def test_toy_problem_is_the_one_described(v):
    """The disk problem rebuilt from the setting the page states (x₂ = a(z₁ + z₂), w = (2, 0.9), σ) is the
    snippet's, and its least-squares point has the length the page gives."""
    rng = np.random.default_rng(1)
    z = rng.standard_normal((v["toy_n"], 2))
    X = np.column_stack([z[:, 0], v["toy_mix"] * (z[:, 0] + z[:, 1])])
    y = X @ np.array([v["toy_w1"], v["toy_w2"]]) + v["toy_sigma"] * rng.standard_normal(v["toy_n"])
    X_page, y_page = page.toy_problem()
    np.testing.assert_allclose(X, X_page, rtol=1e-12)
    np.testing.assert_allclose(y, y_page, rtol=1e-12)
    assert np.linalg.norm(np.linalg.lstsq(X, y, rcond=None)[0]) == pytest.approx(v["w_ls_norm"], rel=1e-10)
