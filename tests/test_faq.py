"""Proves the FAQ's reparametrization caveat (bias-free ReLU networks) and its two ridge facts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar
from sklearn.linear_model import Ridge

from sitebuild import snippet_values
from snippets import faq


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
    """Over all rescalings a₁a₂a₃ = 1 (which keep f), the least ‖θ‖² is D·(Π‖W_l‖)^(2/D) (AM–GM),
    here found numerically with scipy."""
    weights = faq.random_network()
    sq = np.array([np.sum(W**2) for W in weights])

    def norm(t):  # t = log a₁, log a₂; a₃ = 1/(a₁a₂)
        logs = np.array([t[0], t[1], -t[0] - t[1]])
        return np.sum(np.exp(2 * logs) * sq)

    res = minimize(norm, x0=[0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12})
    assert v["norm_balanced"] == pytest.approx(res.fun, rel=1e-7)
    assert v["norm_balanced"] < v["norm_pair_min"] < v["norm_at_1"]


@pytest.mark.claim("faq.per_neuron")
def test_per_unit_rescaling_also_keeps_the_function(v, net):
    """Rescaling each hidden unit separately (in by s_j, out by 1/s_j) keeps f and changes ‖θ‖²."""
    weights, X, f0 = net
    s = np.exp(np.random.default_rng(5).normal(0, 1.0, weights[1].shape[0]))
    changed = list(weights)
    changed[1], changed[2] = s[:, None] * weights[1], weights[2] / s[None, :]
    assert np.allclose(forward(changed, X), f0, rtol=1e-12, atol=1e-12)
    assert v["per_neuron_change"] < 1e-12
    assert abs(v["per_neuron_norm"] - v["norm_at_1"]) > 0.5 * v["norm_at_1"]


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
