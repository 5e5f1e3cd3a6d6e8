"""Tests for the Lipschitz page: slopes, the layer bound, measured K, the penalty chain, certified radii."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import linalg, optimize

from sitebuild import snippet_values
from snippets import lipschitz as L


@pytest.fixture(scope="module")
def v():
    return snippet_values("lipschitz")


# Independent definitions of the activations and their exact slopes.
def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


PHI = {"sigmoid": _sigmoid, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0)}
EXACT_MAX = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}


def _bound_from_weights(net):
    """Π max|φ′| ‖W_l‖₂ with scipy's singular values and the exact slopes; output layer linear."""
    act, layers = net
    spectral = [linalg.svdvals(W)[0] for W, _ in layers]
    return EXACT_MAX[act] ** (len(layers) - 1) * np.prod(spectral)


@pytest.mark.claim("lipschitz.slope_table")
def test_slope_table_against_derivatives(v):
    """The table's maxima and where they sit agree with scipy's maximiser and finite differences of φ."""
    for act in ("sigmoid", "tanh"):
        fd = lambda z, act=act: (PHI[act](z + 1e-5) - PHI[act](z - 1e-5)) / 2e-5  # noqa: E731
        res = optimize.minimize_scalar(lambda z, fd=fd: -fd(z), bounds=(-5, 5), method="bounded")
        assert v[f"slope_{act}"] == pytest.approx(-res.fun, abs=1e-8)
        assert v[f"slope_{act}"] == pytest.approx(EXACT_MAX[act], abs=1e-12)
        assert abs(res.x) < 1e-3
        assert v[f"argmax_lo_{act}"] == v[f"argmax_hi_{act}"] == pytest.approx(res.x, abs=1e-3)
        grid = np.linspace(-10, 10, 4001)
        assert fd(grid).max() <= v[f"slope_{act}"] + 1e-8
    grid = np.linspace(-10, 10, 4000)  # avoids z = 0 exactly
    fd = (PHI["relu"](grid + 1e-6) - PHI["relu"](grid - 1e-6)) / 2e-6
    assert np.allclose(fd[grid > 0], 1.0) and np.allclose(fd[grid < 0], 0.0)
    assert v["slope_relu"] == 1.0
    assert 0 < v["argmax_lo_relu"] <= 2 * v["slope_grid_step"] and v["argmax_hi_relu"] == 10.0
    assert v["slope_identity"] == 1.0


@pytest.mark.claim("lipschitz.layer_jacobian")
def test_jacobian_is_the_product_of_gated_weights():
    """The network's Jacobian equals finite differences and the product of diag(φ′(z_l)) W_l over layers."""
    rng = np.random.default_rng(11)
    for act in ("sigmoid", "tanh", "relu"):
        net = L.make_net(act, 4, 1.3, bias=True, seed=7)
        x = rng.standard_normal(4)
        _, J = L.forward(net, x[None])
        fd = np.column_stack(
            [
                (L.forward(net, (x + e)[None])[0][0] - L.forward(net, (x - e)[None])[0][0]) / 2e-6
                for e in 1e-6 * np.eye(4)
            ]
        )
        assert np.allclose(J[0], fd, atol=1e-6)
        h, prod = x, np.eye(4)
        for l, (W, b) in enumerate(net[1]):
            z = W @ h + b
            if l < len(net[1]) - 1:
                slope = _sigmoid(z) * (1 - _sigmoid(z)) if act == "sigmoid" else None
                slope = 1 - np.tanh(z) ** 2 if act == "tanh" else slope
                slope = (z > 0).astype(float) if act == "relu" else slope
                prod, h = np.diag(slope) @ W @ prod, PHI[act](z)
            else:
                prod = W @ prod
        assert np.allclose(J[0], prod, atol=1e-12)


@pytest.mark.claim("lipschitz.never_exceeds", "lipschitz.fig_bound")
def test_measured_never_exceeds_bound(v):
    """Every network of the sweep: the bound equals an independent SVD computation; measured K stays below."""
    rows = L.sweep()
    assert len(rows) == v["n_networks"] == 2 * 3 * 5 * 9
    worst = 0.0
    for act, depth, c, bias, measured, bound in rows:
        net = L.make_net(act, depth, c, bias=bias, seed=depth)
        assert bound == pytest.approx(_bound_from_weights(net), rel=1e-10)
        assert 0 < measured <= bound
        worst = max(worst, measured / bound)
    assert v["max_measured_over_bound"] == pytest.approx(worst, rel=1e-9)
    for act in L.ACTS:
        for depth in (2, 6):
            c, meas, bound = L.sweep_arrays(act, depth)
            assert np.allclose(c, np.geomspace(0.25, 4, 9)) and np.all(meas <= bound)


@pytest.mark.claim("lipschitz.search_exact")
def test_search_finds_the_exact_constant_of_a_linear_network():
    """With φ = identity the network is linear, K = ‖W_D ⋯ W_1‖₂ exactly, and the search finds it."""
    net = L.make_net("identity", 3, 1.0, seed=2)
    exact = linalg.svdvals(net[1][2][0] @ net[1][1][0] @ net[1][0][0])[0]
    assert L.largest_jacobian_norm(net) == pytest.approx(exact, rel=1e-12)


@pytest.mark.claim("lipschitz.depth_trend", "lipschitz.depth_not_k", "lipschitz.loose_depth")
def test_bound_grows_or_shrinks_with_depth(v):
    """c = 0.25: every bound shrinks as D grows; c = 4: all grow; c = 1: tanh/ReLU grow, sigmoid shrinks."""
    for act in L.ACTS:
        small = [L.sweep_arrays(act, d)[2][0] for d in L.DEPTHS]
        large = [L.sweep_arrays(act, d)[2][-1] for d in L.DEPTHS]
        mid = [L.sweep_arrays(act, d)[2][4] for d in L.DEPTHS]
        assert np.all(np.diff(small) < 0) and np.all(np.diff(large) > 0)
        assert np.all(np.diff(mid) > 0) if act != "sigmoid" else np.all(np.diff(mid) < 0)
    net = L.make_net("tanh", 4, 1.0, seed=4)
    assert v["hidden_factor_tanh_c1"] == pytest.approx(linalg.svdvals(net[1][1][0])[0], rel=1e-10)
    assert v["hidden_factor_tanh_c1"] > 1 > v["hidden_factor_tanh_c1"] / 4  # sigmoid's factor is a quarter
    assert v["bound_sigmoid_d6_cmax"] > 10 * v["bound_sigmoid_d2_cmax"]
    assert v["meas_sigmoid_d6_cmax"] < v["meas_sigmoid_d2_cmax"]
    for act in L.ACTS:
        for d in (2, 6):
            _, meas, bound = L.sweep_arrays(act, d)
            assert v[f"loose_{act}_d{d}_c1"] == pytest.approx(bound[4] / meas[4], rel=1e-12)
        assert v[f"loose_{act}_d6_c1"] > 3 * v[f"loose_{act}_d2_c1"] and v[f"loose_{act}_d6_c1"] > 10
    loose6 = [v[f"loose_{act}_d6_c1"] for act in L.ACTS]
    assert v["loose_d6_min"] == min(loose6) and v["loose_d6_max"] == max(loose6)


@pytest.mark.claim("lipschitz.relu_homogeneous", "lipschitz.smooth_not_homogeneous")
def test_scaling_weights_scales_measured_k_by_c_to_the_d_only_for_relu(v):
    """Same inputs: ReLU's measured K scales by exactly c^D; sigmoid's clearly not; tanh's nearly."""
    c, D = v["homog_c"], v["homog_depth"]
    assert v["homog_ratio_relu"] == pytest.approx(c**D, rel=1e-12)
    X = np.random.default_rng(5).standard_normal((300, 4)) * 3
    for scale in (0.3, 1.7, 5.0):
        for depth in (2, 5):
            net = L.make_net("relu", depth, 1.0, seed=depth)
            ratio = L.jacobian_norms(L.scale_weights(net, scale), X).max() / L.jacobian_norms(net, X).max()
            assert ratio == pytest.approx(scale**depth, rel=1e-12)
    assert abs(v["homog_ratio_sigmoid"] / c**D - 1) > 0.1
    assert 0.01 < abs(v["homog_ratio_tanh"] / c**D - 1) < 0.1


@pytest.mark.claim("lipschitz.fro_identity")
def test_frobenius_exceeds_spectral_by_root_rank(v):
    """‖I_16‖_F/‖I_16‖₂ = √16 = 4; for a Gaussian 16×16 matrix the ratio lies between 1 and √16."""
    assert v["fro_over_spec_identity16"] == pytest.approx(np.sqrt(16), rel=1e-12)
    W = np.random.default_rng(0).standard_normal((16, 16))
    sv = linalg.svdvals(W)
    assert v["fro_over_spec_gauss16"] == pytest.approx(np.sqrt(np.sum(sv**2)) / sv[0], rel=1e-10)
    assert 1 < v["fro_over_spec_gauss16"] < 4


@pytest.mark.claim("lipschitz.equal_penalty")
def test_equal_weight_penalty_different_k(v):
    """Same Σ‖W‖_F² = 2a²r, yet K = a² for the orthogonal pair and a²r for the rank-one pair."""
    a, r = 0.5, 16
    assert v["pair_penalty_spread"] == pytest.approx(2 * a**2 * r, rel=1e-12)
    assert v["pair_penalty_aligned"] == pytest.approx(2 * a**2 * r, rel=1e-12)
    assert v["pair_k_spread"] == pytest.approx(a**2, rel=1e-4)
    assert v["pair_k_aligned"] == pytest.approx(a**2 * r, rel=1e-4)
    assert v["pair_k_ratio"] == pytest.approx(r, rel=1e-3)


@pytest.mark.claim("lipschitz.penalty_chain")
def test_penalty_bounds_k_through_a_loose_chain(v):
    """measured K ≤ spectral product ≤ Frobenius product ≤ (Π a)(S/D)^(D/2), recomputed from the weights."""
    net = L.make_net("tanh", 6, 1.0, seed=6)
    Ws = [W for W, _ in net[1]]
    spectral = np.prod([linalg.svdvals(W)[0] for W in Ws])
    frob = np.prod([np.sqrt(np.sum(W**2)) for W in Ws])
    S = sum(np.sum(W**2) for W in Ws)
    assert v["chain_spectral"] == pytest.approx(spectral, rel=1e-10)
    assert v["chain_frobenius"] == pytest.approx(frob, rel=1e-10)
    assert v["chain_penalty"] == pytest.approx((S / 6) ** 3, rel=1e-10)
    assert v["chain_measured"] <= spectral <= frob <= (S / 6) ** 3


def _attack_scipy(net, x, starts):
    """Smallest ‖δ‖ with f(x + δ) = 0 found by SLSQP from several starts (an independent attack)."""
    f = lambda d: L.logit(net, (x + d)[None])[0]  # noqa: E731
    best = np.inf
    for d0 in starts:
        res = optimize.minimize(
            lambda d: d @ d, d0, jac=lambda d: 2 * d, constraints=[{"type": "eq", "fun": f}], method="SLSQP"
        )
        if res.success and abs(f(res.x)) < 1e-6:
            best = min(best, np.linalg.norm(res.x))
    return best


@pytest.mark.claim(
    "lipschitz.no_flip_below",
    "lipschitz.attack_ratio",
    "lipschitz.looseness_split",
    "lipschitz.test_accuracy",
    "lipschitz.fig_robust",
)
def test_no_flip_inside_the_certified_radius(v):
    """The radius |f(x)|/K holds against the snippet's and scipy's attacks; the flips found are real."""
    net, _, _ = L.trained_classifier()
    r = L.robustness()
    K = _bound_from_weights(net)
    assert r["K"] == pytest.approx(K, rel=1e-10) and v["robust_k_bound"] == pytest.approx(K, rel=1e-10)
    assert np.allclose(r["certified"], np.abs(L.logit(net, r["X"])) / K)
    # the closest flips are genuine sign changes at the stated distance
    assert np.all(np.sign(L.logit(net, r["adversarial"])) != np.sign(r["f"]))
    assert np.allclose(np.linalg.norm(r["adversarial"] - r["X"], axis=1), r["found"])
    assert np.all(r["found"] >= r["certified"])
    ratio = r["found"] / r["certified"]
    Xt, yt = L.moons(v["robust_test_total"], seed=1)
    assert v["robust_n_points"] == len(r["X"]) == np.sum(np.sign(L.logit(net, Xt)) == yt)
    assert v["robust_ratio_min"] == pytest.approx(ratio.min()) and v["robust_ratio_min"] > 1
    assert v["robust_ratio_median"] == pytest.approx(np.median(ratio))
    K_meas = L.largest_jacobian_norm(net)
    assert v["robust_k_looseness"] == pytest.approx(K / K_meas, rel=1e-10) and K / K_meas > 1
    median_meas = np.median(r["found"] / (np.abs(r["f"]) / K_meas))
    assert v["robust_ratio_measured_k_median"] == pytest.approx(median_meas, rel=1e-10)
    assert 1 < median_meas < np.median(ratio)
    assert v["robust_probe_flips"] == 0 and v["robust_probes"] == 256 * len(r["X"])
    rng = np.random.default_rng(9)
    for i in range(0, len(r["X"]), 6):
        x = r["X"][i]
        starts = [r["adversarial"][i] - x, *(0.3 * rng.standard_normal((2, 2)))]
        d_scipy = _attack_scipy(net, x, starts)
        assert d_scipy >= r["certified"][i]
        assert r["found"][i] <= d_scipy * (1 + 1e-4)  # as close as SLSQP gets


@pytest.mark.claim("lipschitz.trained")
def test_training_gradients_and_accuracy(v):
    """Backprop gradients of the logistic loss match finite differences; the training accuracy is right."""
    net = L.make_net("tanh", 3, 1.0, p=2, width=5, m=1, bias=True, seed=3)
    X, y = L.moons(20, seed=3)
    _, grads = L.logistic_grads(net, X, y)
    act, layers = net
    for l in range(3):
        for k in range(2):
            P = layers[l][k]
            num = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                for sgn in (1, -1):
                    Q = P.copy()
                    Q[idx] += sgn * 1e-6
                    new = [
                        (Q, b) if (j == l and k == 0) else (W, Q) if j == l else (W, b)
                        for j, (W, b) in enumerate(layers)
                    ]
                    fx = L.logit((act, new), X)
                    num[idx] += sgn * np.mean(np.logaddexp(0, -y * fx)) / 2e-6
            assert np.allclose(grads[l][k], num, atol=1e-7)
    net, X, y = L.trained_classifier()
    h = X
    for l, (W, b) in enumerate(net[1]):
        h = h @ W.T + b
        h = np.tanh(h) if l < 2 else h
    assert (
        v["robust_train_acc"] == pytest.approx(np.mean(np.sign(h[:, 0]) == y)) and v["robust_train_acc"] > 0.9
    )


@pytest.mark.claim("lipschitz.radius_invariant")
def test_scaling_a_relu_network_leaves_the_radius_unchanged():
    """Bias-free ReLU: f and K both scale by c^D, so |f(x)|/K is the same for every c (bound or measured)."""
    X = np.random.default_rng(4).standard_normal((50, 4))
    net = L.make_net("relu", 3, 1.0, m=1, seed=8)
    base_b = np.abs(L.logit(net, X)) / L.lipschitz_bound(net)
    base_m = np.abs(L.logit(net, X)) / L.largest_jacobian_norm(net)
    for c in (0.1, 3.0):
        scaled = L.scale_weights(net, c)
        assert np.allclose(np.abs(L.logit(scaled, X)) / L.lipschitz_bound(scaled), base_b, rtol=1e-12)
        assert np.allclose(np.abs(L.logit(scaled, X)) / L.largest_jacobian_norm(scaled), base_m, rtol=1e-12)


@pytest.mark.claim("lipschitz.multiclass_check")
def test_multiclass_radius_holds():
    """Three logits: no perturbation shorter than m/(√2 K) changes the arg max (random directions)."""
    net = L.make_net("tanh", 3, 1.5, p=2, width=16, m=3, bias=True, seed=12)
    K = _bound_from_weights(net)
    rng = np.random.default_rng(13)
    X = rng.uniform(-2, 2, (40, 2))
    F = L.forward(net, X)[0]
    top = np.sort(F, axis=1)
    radius = (top[:, -1] - top[:, -2]) / (np.sqrt(2) * K)
    d = rng.standard_normal((500, 2))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    for x, f, rad in zip(X, F, radius, strict=True):
        Fp = L.forward(net, x + 0.999 * rad * d)[0]
        assert np.all(np.argmax(Fp, axis=1) == np.argmax(f))
