"""Proves the FAQ's reparametrization caveat (bias-free ReLU networks) and its two ridge facts."""

from __future__ import annotations

import itertools

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from scipy.linalg import svdvals
from scipy.optimize import minimize, minimize_scalar
from sklearn.linear_model import Ridge

from sitebuild import snippet_values
from snippets import faq, style


@pytest.fixture(scope="module")
def v():
    return snippet_values("faq")


def forward(weights, X):
    """An independent forward pass: one input at a time, ReLU written as x·(x > 0)."""
    out = np.empty(len(X))
    for i, x in enumerate(X):
        h = x
        for W in weights[:-1]:
            z = W @ h
            h = z * (z > 0)
        out[i] = (weights[-1] @ h)[0]
    return out


@pytest.fixture(scope="module")
def net():
    weights = faq.random_network()
    X = np.random.default_rng(2024).normal(0, 3, (3000, weights[0].shape[1]))
    return weights, X, forward(weights, X)


@pytest.mark.claim("faq.scale_all", "faq.fig_scale_all")
def test_scaling_all_weights_scales_output_by_c_to_the_d(v, net):
    """On 3000 fresh inputs, scaling every weight by c multiplies the output by c^D and keeps every sign."""
    weights, X, f0 = net
    D = len(weights)
    assert v["depth"] == D == 3
    for c in (0.1, 0.37, 2.0, 10.0):
        fc = forward([c * W for W in weights], X)
        assert np.allclose(fc, c**D * f0, rtol=1e-10, atol=1e-14)
        assert np.array_equal(np.sign(fc), np.sign(f0))
    assert v["scale_slope"] == pytest.approx(D, abs=1e-9)
    assert v["sign_agreement"] == 1.0
    assert v["ratio_max_error"] < 1e-8


@pytest.mark.claim("faq.boundary_fixed", "faq.fig_scale_all")
def test_decision_boundary_does_not_move(v):
    """The sign changes of f around the unit circle (found here by bisection) are the same for every c."""
    weights = faq.random_network()

    def f_at(angle, c):
        return forward([c * W for W in weights], np.array([[np.cos(angle), np.sin(angle)]]))[0]

    grid = np.linspace(0, 2 * np.pi, 2001)
    roots = {}
    for c in (*faq.C_SHOWN, 10.0):
        vals = np.array([f_at(t, c) for t in grid])
        found = []
        for i in np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:])):
            lo, hi = grid[i], grid[i + 1]
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if np.sign(f_at(mid, c)) == np.sign(f_at(lo, c)) else (lo, mid)
            found.append(0.5 * (lo + hi))
        roots[c] = np.array(found)
    base = roots[1.0]
    assert len(base) == v["n_boundary"] >= 2
    for c, r in roots.items():
        assert np.allclose(r, base, atol=1e-9), c
    assert np.allclose(faq.scale_sweep()["boundary"], base, atol=1e-3)
    assert v["boundary_shift"] < 1e-9


@pytest.mark.claim("faq.slider")
def test_live_figure_scales_the_curve_by_c_cubed_and_keeps_its_zeros():
    """The slider's frames: each curve is this file's forward pass at the frame's angles with every
    weight times c (to the 3 significant digits stored), c³ times the c = 1 curve; the dashed marks
    are the sign changes found here with scipy's brentq; the readout states c², c³ and their count."""
    from scipy.optimize import brentq

    d = faq.data_scale_all()
    weights = faq.random_network()
    cs = d["slider"]["values"]
    assert cs[0] == 0.5 and cs[-1] == 1.5 and cs[d["slider"]["initial"]] == 1.0 and len(cs) == 11

    def f(angle, c=1.0):
        return forward([c * W for W in weights], np.array([[np.cos(angle), np.sin(angle)]]))[0]

    grid = np.linspace(0, 2 * np.pi, 1441)
    vals = np.array([f(t) for t in grid])
    roots = [brentq(f, grid[i], grid[i + 1], xtol=1e-13) for i in np.flatnonzero(np.diff(np.sign(vals)))]
    marks = [s for s in d["static"] if s.get("dash")]
    assert len(marks) == len(roots) >= 2
    assert np.allclose([m["x"][0] for m in marks], np.degrees(roots), atol=0.006)  # 2 decimals
    reference = d["static"][0]
    angles = np.radians(reference["x"])
    top = max(abs(y) for y in reference["y"]) * 1.5**3
    for c, frame in zip(cs, d["frames"], strict=True):
        (curve,) = frame["series"]
        assert curve["x"] == reference["x"]
        ours = forward([c * W for W in weights], np.column_stack([np.cos(angles), np.sin(angles)]))
        np.testing.assert_allclose(curve["y"], ours, rtol=5e-3, atol=1e-3)
        np.testing.assert_allclose(curve["y"], c**3 * np.array(reference["y"]), rtol=1e-2, atol=2e-3)
        assert max(abs(y) for y in curve["y"]) <= d["ylim"][1] <= 1.1 * top
        assert f"multiplied by {c**2:.3f} and the output by {c**3:.3f} (c³)" in frame["readout"]
        assert f"the {len(roots)} sign changes have not moved" in frame["readout"]


@pytest.mark.claim("faq.rebalance_same_function", "faq.fig_rebalance")
def test_rebalancing_leaves_the_function_identical(v, net):
    """Layer 2 times a and layer 3 over a: the same outputs on 3000 fresh inputs, for a from 0.03 to 30."""
    weights, X, f0 = net
    for a in (faq.A_GRID[0], 0.2, 3.0, faq.A_GRID[-1]):
        rebalanced = list(weights)
        rebalanced[1], rebalanced[2] = a * weights[1], weights[2] / a
        assert np.allclose(forward(rebalanced, X), f0, rtol=1e-12, atol=1e-12)
    assert np.all(faq.rebalance_sweep()["change"] < 1e-12)
    assert v["max_change"] < 1e-12 < v["output_scale"]


@pytest.mark.claim("faq.rebalance_norm", "faq.fig_rebalance")
def test_rebalancing_changes_the_norm(v):
    """‖θ‖²(a) = a²‖W₂‖² + ‖W₃‖²/a² + ‖W₁‖²; scipy's minimiser finds a* = √(‖W₃‖/‖W₂‖) and the minimum
    2‖W₂‖‖W₃‖ + ‖W₁‖²; the quoted values and the plotted curve follow the formula."""
    weights = faq.random_network()
    s1, s2, s3 = (np.sum(W**2) for W in weights)

    def norm(a):
        return a**2 * s2 + s3 / a**2 + s1

    res = minimize_scalar(
        lambda t: norm(np.exp(t)), bounds=(-5, 5), method="bounded", options={"xatol": 1e-10}
    )
    assert v["a_star"] == pytest.approx(np.exp(res.x), rel=1e-4)
    assert v["norm_pair_min"] == pytest.approx(res.fun, rel=1e-8)
    assert v["norm_at_1"] == pytest.approx(s1 + s2 + s3)
    assert v["norm_at_10"] == pytest.approx(norm(10.0), rel=1e-3)
    d = faq.rebalance_sweep()
    assert np.allclose(d["norm"], norm(d["a"]), rtol=1e-12)
    assert v["norm_grid_max"] > 100 * v["norm_pair_min"]


@pytest.mark.claim("faq.balanced_norm")
def test_smallest_norm_over_all_layer_rescalings(v):
    """Over all rescalings a₁a₂a₃ = 1 of whole layers (which keep f), the least ‖θ‖² is D·(Π‖W_l‖)^(2/D)
    (AM–GM), here found numerically with scipy."""
    weights = faq.random_network()
    sq = np.array([np.sum(W**2) for W in weights])

    def norm(t):  # t = log a₁, log a₂; a₃ = 1/(a₁a₂)
        logs = np.array([t[0], t[1], -t[0] - t[1]])
        return np.sum(np.exp(2 * logs) * sq)

    res = minimize(norm, x0=[0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12})
    assert v["norm_balanced"] == pytest.approx(res.fun, rel=1e-7)
    assert v["norm_balanced"] < v["norm_pair_min"] < v["norm_at_1"]


def _unit_logscale_norm(weights):
    """‖θ‖² as a function of the log-scales t of all hidden units (layer 1 units, then layer 2 units):
    W₁ → diag(s¹)W₁, W₂ → diag(s²) W₂ diag(1/s¹), W₃ → W₃ diag(1/s²)."""
    A = [W**2 for W in weights]
    h1, h2 = weights[0].shape[0], weights[1].shape[0]

    def norm_and_grad(t):
        t1, t2 = t[:h1], t[h1:]
        e1 = np.exp(2 * t1)[:, None] * A[0]
        e2 = np.exp(2 * (t2[:, None] - t1[None, :])) * A[1]
        e3 = np.exp(-2 * t2)[None, :] * A[2]
        g1 = 2 * e1.sum(1) - 2 * e2.sum(0)
        g2 = 2 * e2.sum(1) - 2 * e3.sum(0)
        return e1.sum() + e2.sum() + e3.sum(), np.concatenate([g1, g2])

    return norm_and_grad, h1 + h2


@pytest.mark.claim("faq.unit_minimum")
def test_rescaling_each_unit_goes_below_the_layer_balanced_norm(v, net):
    """Minimising ‖θ‖² over the log-scales of all 32 hidden units (scipy L-BFGS, a convex problem) reaches
    the quoted minimum, well below D(Π‖W_l‖)^(2/D); at the minimum every unit carries equal squared
    norms in and out, and so every layer the same; the network computes the same function
    (independent forward pass)."""
    weights, X, f0 = net
    fun, k = _unit_logscale_norm(weights)
    res = minimize(fun, np.zeros(k), jac=True, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
    assert v["unit_min_norm"] == pytest.approx(res.fun, rel=1e-8)
    assert v["unit_min_norm"] < 0.8 * v["norm_balanced"]
    h1 = weights[0].shape[0]
    s1, s2 = np.exp(res.x[:h1]), np.exp(res.x[h1:])
    best = [s1[:, None] * weights[0], s2[:, None] * weights[1] / s1[None, :], weights[2] / s2[None, :]]
    assert np.allclose(forward(best, X), f0, rtol=1e-12, atol=1e-12)
    ins = [np.sum(best[0] ** 2, 1), np.sum(best[1] ** 2, 1)]
    outs = [np.sum(best[1] ** 2, 0), np.sum(best[2] ** 2, 0)]
    for i, o in zip(ins, outs, strict=True):
        assert np.allclose(i, o, rtol=1e-5)
    layer = [np.sum(W**2) for W in best]
    assert np.allclose(layer, res.fun / 3, rtol=1e-6)
    assert v["unit_min_layer_norm"] == pytest.approx(res.fun / 3, rel=1e-7)
    assert v["unit_min_layer_spread"] < 1e-9
    assert v["unit_min_imbalance"] < 1e-9
    assert v["unit_min_change"] < 1e-12 < v["output_scale"]
    assert v["n_units"] == k == 32
    # the snippet's balanced weights are the same minimiser, unit for unit
    snip = faq.balance_units(weights)
    assert np.allclose([np.sum(W**2) for W in snip], layer, rtol=1e-6)
    assert np.allclose(forward(snip, X), f0, rtol=1e-12, atol=1e-12)


@pytest.mark.claim("faq.one_layer")
def test_one_hidden_layer_charge_is_a_sum_over_units():
    """For f(x) = Σ_j v_j φ(h_jᵀx), the least ‖θ‖² over unit rescalings (scipy, from random starts) is
    2 Σ_j ‖h_j‖ |v_j|, and the snippet's balancing reaches it."""
    rng = np.random.default_rng(11)
    H, V = rng.normal(size=(12, 3)), rng.normal(size=(1, 12))
    a, b = np.sum(H**2, axis=1), V[0] ** 2

    def norm(t):
        return np.sum(np.exp(2 * t) * a + np.exp(-2 * t) * b)

    best = min(
        minimize(norm, rng.normal(size=12), method="BFGS", options={"gtol": 1e-12}).fun for _ in range(3)
    )
    closed = 2 * np.sum(np.linalg.norm(H, axis=1) * np.abs(V[0]))
    assert best == pytest.approx(closed, rel=1e-9)
    assert faq.squared_norm(faq.balance_units([H, V])) == pytest.approx(closed, rel=1e-9)


def _brute_path_norm(weights):
    """√(Σ over every input → unit → unit → output path of the product of the squared weights)."""
    W1, W2, W3 = weights
    total = 0.0
    for i, j, k in itertools.product(range(W1.shape[1]), range(W1.shape[0]), range(W2.shape[0])):
        total += (W1[j, i] * W2[k, j] * W3[0, k]) ** 2
    return np.sqrt(total)


@pytest.mark.claim("faq.path_norm")
def test_path_norm_is_what_rescaling_cannot_change(v, net):
    """The ℓ2 path norm, summed here over all 512 paths: the quoted value; unchanged by the snippet's
    random unit factors and by the cheapest form; equal to the output weights' length once every hidden
    unit's incoming vector is normalised (which keeps f); and D·φ^(2/D) lies below every ‖θ‖² we reach."""
    weights, X, f0 = net
    phi = _brute_path_norm(weights)
    assert v["path_norm"] == pytest.approx(phi, rel=1e-12)
    scaled = list(weights)
    sc = faq.unit_scales()
    scaled[1], scaled[2] = sc[:, None] * weights[1], weights[2] / sc[None, :]
    assert _brute_path_norm(scaled) == pytest.approx(phi, rel=1e-10)
    assert _brute_path_norm(faq.balance_units(weights)) == pytest.approx(phi, rel=1e-10)
    r1 = np.linalg.norm(weights[0], axis=1)
    n1 = [weights[0] / r1[:, None], weights[1] * r1[None, :]]
    r2 = np.linalg.norm(n1[1], axis=1)
    normalised = [n1[0], n1[1] / r2[:, None], weights[2] * r2[None, :]]
    assert np.allclose(forward(normalised, X), f0, rtol=1e-12, atol=1e-12)
    assert np.linalg.norm(normalised[2]) == pytest.approx(phi, rel=1e-12)
    assert v["normalised_out_norm"] == pytest.approx(phi, rel=1e-12)
    assert v["normalised_change"] < 1e-12
    assert v["path_norm_bound"] == pytest.approx(3 * phi ** (2 / 3), rel=1e-12)
    assert v["path_norm_bound"] < v["unit_min_norm"]


@pytest.mark.slow
@pytest.mark.claim("faq.lipschitz_loose")
def test_lipschitz_bound_is_loose(v):
    """Π‖W_l‖₂ (scipy's singular values) against the largest gradient norm over the input directions,
    recomputed with finite differences of an independent forward pass; doubling the search moves it by
    less than 1 %; the bound of the cheapest form is lower but still above K."""
    weights = faq.random_network()
    bound = np.prod([svdvals(W)[0] for W in weights])
    assert v["lip_bound"] == pytest.approx(bound, rel=1e-12)

    def grad_norms(m):
        theta = np.linspace(0, 2 * np.pi, m, endpoint=False)
        X = np.column_stack([np.cos(theta), np.sin(theta)])
        ex, ey = np.array([1e-7, 0.0]), np.array([0.0, 1e-7])
        gx = (forward(weights, X + ex) - forward(weights, X - ex)) / 2e-7
        gy = (forward(weights, X + ey) - forward(weights, X - ey)) / 2e-7
        return np.hypot(gx, gy)

    K = grad_norms(v["lip_angles"]).max()
    assert v["lip_measured"] == pytest.approx(K, rel=1e-5)
    assert grad_norms(2 * v["lip_angles"]).max() < 1.01 * K
    assert v["lip_ratio"] == pytest.approx(bound / K, rel=1e-5)
    assert v["lip_ratio"] > 5
    bal = faq.balance_units(weights)
    assert v["lip_bound_balanced"] == pytest.approx(np.prod([svdvals(W)[0] for W in bal]), rel=1e-9)
    assert K < v["lip_bound_balanced"] < v["lip_bound"]


@pytest.mark.claim("faq.per_neuron")
def test_per_unit_rescaling_also_keeps_the_function(v, net):
    """The snippet's own factors s_j (log-normal, spread 1.5, on the 16 units of the second hidden layer),
    applied here by hand: the independent forward pass gives the same outputs, and the quoted ‖θ‖² is
    the sum of squares of these rescaled weights."""
    weights, X, f0 = net
    s = faq.unit_scales()
    # the page's factors: log s drawn as N(0, 1.5²) from generator 9, one per unit of the second hidden layer
    assert np.allclose(s, np.exp(1.5 * np.random.default_rng(9).standard_normal(16)), rtol=1e-12)
    assert v["unit_spread"] == 1.5  # what the prose states of them
    logs = np.log(s)
    assert logs.std() > 0.8  # wild factors, not a near-identity
    changed = list(weights)
    changed[1], changed[2] = s[:, None] * weights[1], weights[2] / s[None, :]
    assert np.allclose(forward(changed, X), f0, rtol=1e-12, atol=1e-12)
    Xp = faq.inputs()
    # the page's "inputs drawn from a standard normal": each coordinate has mean 0 and spread 1
    # (2000 draws: standard errors of about 0.022 on the mean and 0.016 on the spread)
    assert Xp.shape == (v["n_inputs"], 2)
    assert np.all(np.abs(Xp.mean(axis=0)) < 0.08) and np.all(np.abs(Xp.std(axis=0) - 1) < 0.06)
    assert v["per_neuron_change"] == pytest.approx(
        np.max(np.abs(forward(changed, Xp) - forward(weights, Xp))), abs=1e-14
    )
    assert v["per_neuron_change"] < 1e-12
    assert v["per_neuron_norm"] == pytest.approx(sum(np.sum(W**2) for W in changed), rel=1e-12)
    assert v["per_neuron_norm"] > 10 * v["norm_at_1"]


@pytest.mark.claim("faq.norm_monotone")
def test_ridge_norm_shrinks_but_sum_can_rise():
    """For ridge (scikit-learn), ‖w(λ)‖₂ never grows with λ, yet the plain sum Σw_j can rise: two correlated
    features with opposite-sign least-squares weights."""
    rng = np.random.default_rng(3)
    z = rng.normal(size=200)
    X = np.column_stack([z + 0.1 * rng.normal(size=200), z + 0.1 * rng.normal(size=200)])
    y = 3 * X[:, 0] - 2 * X[:, 1] + rng.normal(size=200)
    lams = np.logspace(-2, 4, 60)
    W = np.array([Ridge(alpha=lam, fit_intercept=False).fit(X, y).coef_ for lam in lams])
    norms = np.linalg.norm(W, axis=1)
    assert np.all(np.diff(norms) <= 1e-12)
    assert np.max(np.diff(W.sum(axis=1))) > 0


@pytest.mark.claim("faq.duplicate_split")
def test_ridge_splits_weight_between_duplicates():
    """With two identical input columns, ridge gives them equal weights (scikit-learn), each half of what
    one copy would get at λ/2; least squares alone cannot decide between them."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(100, 1))
    y = 2 * x[:, 0] + rng.normal(size=100)
    w = Ridge(alpha=5.0, fit_intercept=False).fit(np.hstack([x, x]), y).coef_
    single = Ridge(alpha=2.5, fit_intercept=False).fit(x, y).coef_[0]
    assert w[0] == pytest.approx(w[1], rel=1e-12)
    assert w.sum() == pytest.approx(single, rel=1e-12)


@pytest.mark.claim("faq.shrink_toward")
def test_ridge_toward_a_reference_point():
    """Penalising ‖w − w₀‖² instead of ‖w‖²: the minimiser (scipy) is w₀ + ridge on the residual y − Xw₀."""
    rng = np.random.default_rng(6)
    X = rng.normal(size=(30, 3))
    y = X @ np.array([1.0, 2.0, 3.0]) + rng.normal(size=30)
    w0, lam = np.array([1.0, 2.0, 2.5]), 15.0
    res = minimize(lambda w: np.sum((y - X @ w) ** 2) + lam * np.sum((w - w0) ** 2), np.zeros(3), tol=1e-12)
    shifted = w0 + Ridge(alpha=lam, fit_intercept=False).fit(X, y - X @ w0).coef_
    assert np.allclose(res.x, shifted, atol=1e-6)
    plain = Ridge(alpha=lam, fit_intercept=False).fit(X, y).coef_
    assert np.linalg.norm(shifted - w0) < np.linalg.norm(plain - w0)


def check_layout(fig_function):
    """Draw a figure in both palettes: at most 4.8 in wide, no text under 11 pt, and no legend or free
    text covering a plotted point or any point along a plotted line."""
    for pal in style.PALETTES.values():
        with matplotlib.rc_context(style.rc(pal)):
            fig = Figure()
            FigureCanvasAgg(fig)
            fig_function(fig, pal)
            fig.canvas.draw()
        assert fig.get_size_inches()[0] <= style.MAX_WIDTH + 1e-9
        renderer = fig.canvas.get_renderer()
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text().strip():
                assert text.get_fontsize() >= style.MIN_FONT - 1e-9, text.get_text()
        boxes = [leg.get_window_extent(renderer) for leg in fig.findobj(Legend)]
        for ax in fig.axes:
            boxes += [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
        for ax in fig.axes:
            ax_box = ax.get_window_extent(renderer)
            clouds = []
            for line in ax.get_lines():
                xy = line.get_transform().transform(line.get_xydata())
                xy = xy[np.all(np.isfinite(xy), axis=1)]
                dense = [xy[:1]]
                for a, b in itertools.pairwise(xy):
                    k = int(min(np.hypot(*(b - a)) // 2 + 1, 2000))
                    dense.append(a + np.linspace(0, 1, k + 1)[1:, None] * (b - a))
                clouds.append(np.vstack(dense))
            for coll in ax.collections:
                clouds.append(coll.get_offset_transform().transform(coll.get_offsets()))
            for pts in clouds:
                inside = (pts[:, 0] >= ax_box.x0) & (pts[:, 0] <= ax_box.x1)
                pts = pts[inside & (pts[:, 1] >= ax_box.y0) & (pts[:, 1] <= ax_box.y1)]
                for box in boxes:
                    hit = (
                        (pts[:, 0] > box.x0)
                        & (pts[:, 0] < box.x1)
                        & (pts[:, 1] > box.y0)
                        & (pts[:, 1] < box.y1)
                    )
                    assert not hit.any(), fig_function.__name__


@pytest.mark.slow
@pytest.mark.claim("faq.fig_rebalance", "faq.fig_scale_all")
def test_figures_fit_a_phone_and_legends_stay_off_the_data():
    for fn in (faq.fig_rebalance, faq.fig_scale_all):
        check_layout(fn)


@pytest.mark.claim("faq.fig_rebalance")
def test_rebalance_figure_reference_lines(v):
    """The two horizontal lines of the rebalancing figure are the layer-balanced and unit-balanced minima."""
    with matplotlib.rc_context(style.rc(style.LIGHT)):
        fig = Figure()
        faq.fig_rebalance(fig, style.LIGHT)
    levels = sorted(
        line.get_ydata()[0] for line in fig.axes[0].get_lines() if len(set(line.get_ydata())) == 1
    )
    assert levels[0] == pytest.approx(v["unit_min_norm"], rel=1e-9)
    assert v["norm_balanced"] in [pytest.approx(x, rel=1e-9) for x in levels]


def test_no_internal_seed_labels_on_these_pages():
    """Readers never meet "seed 002"-style labels: not in the prose, captions or alt text of the FAQ,
    double descent and generalization-mystery pages, nor in their snippets' labels."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[1]
    for name in ("faq", "double_descent", "generalization_mystery"):
        for path in (root / "docs" / f"{name}.md", root / "snippets" / f"{name}.py"):
            text = path.read_text()
            assert not re.search(r"\b(seed|source)\s+0\d\d\b", text, flags=re.IGNORECASE), path


def test_network_is_he_initialised_as_the_prose_says():
    """The prose says the weights are drawn with variance 2/m for a layer with m inputs: pooled over
    the layers, the entries scaled by sqrt(m/2) have unit variance (a chi-square check on 288 entries)."""
    weights = faq.random_network()
    assert [W.shape for W in weights] == [(16, 2), (16, 16), (1, 16)]
    z = np.concatenate([(W * np.sqrt(W.shape[1] / 2)).ravel() for W in weights])
    assert 0.8 < z.var() < 1.2 and abs(z.mean()) < 0.2


def test_one_symbol_one_meaning_and_the_normalisation_link():
    """φ is the activation (Notation page), so the path norm is not written φ₂; the weight-decay
    answer links to the normalised-layer page; the rebalance alt text gives the a grid's real range."""
    import pathlib
    import re

    text = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "faq.md").read_text()
    assert not re.search(r"\\varphi_\{?2", text)
    section = text.split("## How does L2 prevent overfitting in a neural network?")[1].split("\n## ")[0]
    assert "(normalization.md)" in section
    assert "from {{ faq.a_min:.2f }} to {{ faq.a_max:.1f }}." in text
    assert f"{faq.A_GRID[0]:.2f}" == "0.03" and f"{faq.A_GRID[-1]:.1f}" == "31.6"
