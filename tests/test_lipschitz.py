"""Tests for the Lipschitz page: slopes, the layer bound, measured K, the penalty chain, certified radii."""

from __future__ import annotations

import json

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
        net = L.make_net(act, 4, 1.3, p=4, bias=True, seed=7)
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


def _slope(act, z):
    if act == "sigmoid":
        return _sigmoid(z) * (1 - _sigmoid(z))
    if act == "tanh":
        return 1 - np.tanh(z) ** 2
    return (z > 0).astype(float)


def _jacobian_norms(net, X):
    """‖J(x)‖₂ by the explicit product W_D diag(φ′(z_{D-1})) W_{D-1} ⋯ diag(φ′(z_1)) W_1 (reverse order)."""
    act, layers = net
    h, prod = X, np.broadcast_to(np.eye(X.shape[1]), (len(X), X.shape[1], X.shape[1]))
    for l, (W, b) in enumerate(layers):
        z = h @ W.T + b
        if l < len(layers) - 1:
            prod = _slope(act, z)[:, :, None] * (W @ prod)
            h = PHI[act](z)
        else:
            prod = W @ prod
    return np.linalg.norm(prod, ord=2, axis=(1, 2))


def _relu_dense_angles(net, n=100_000):
    """max ‖J‖₂ of a bias-free 2-input ReLU network over n evenly spaced directions, and the number of
    distinct linear pieces met going once round the circle."""
    theta = (np.arange(n) + 0.5) * 2 * np.pi / n
    U = np.c_[np.cos(theta), np.sin(theta)]
    best, patterns = 0.0, []
    for chunk in np.array_split(np.arange(n), 20):
        best = max(best, _jacobian_norms(net, U[chunk]).max())
        h, pat = U[chunk], []
        for W, b in net[1][:-1]:
            z = h @ W.T + b
            pat.append(z > 0)
            h = np.maximum(z, 0)
        patterns.append(np.concatenate(pat, axis=1) if pat else np.zeros((len(chunk), 0), bool))
    patterns = np.concatenate(patterns)
    changes = np.sum(np.any(patterns[1:] != patterns[:-1], axis=1))
    return best, changes + (0 if np.array_equal(patterns[0], patterns[-1]) else 1)


def _smooth_max(net, half=10.0, step=0.1, refine=15):
    """An independent maximiser of ‖J(x)‖₂ over the square [−half, half]²: a grid, then Nelder–Mead from
    the best grid points."""
    g = np.arange(-half, half + step / 2, step)
    xx, yy = np.meshgrid(g, g)
    pts = np.c_[xx.ravel(), yy.ravel()]
    vals = np.concatenate([_jacobian_norms(net, c) for c in np.array_split(pts, 20)])
    best = vals.max()
    for x0 in pts[np.argsort(vals)[-refine:]]:
        res = optimize.minimize(
            lambda x: -_jacobian_norms(net, x[None])[0], x0, method="Nelder-Mead",
            options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 4000},
        )  # fmt: skip
        best = max(best, -res.fun)
    return best


@pytest.fixture(scope="module")
def oracle_k():
    """Independent constants of the sweep networks the page quotes: exact (dense directions) for ReLU,
    grid + Nelder–Mead for sigmoid and tanh, at c = 0.25, 1 and 4."""
    out = {}
    for act in L.ACTS:
        for depth in (2, 6):
            for i in (0, 4, 8):
                net = L.make_net(act, depth, L.SCALES[i], seed=depth)
                out[act, depth, i] = _relu_dense_angles(net)[0] if act == "relu" else _smooth_max(net)
    return out


@pytest.mark.slow
@pytest.mark.claim("lipschitz.never_exceeds", "lipschitz.fig_bound", "lipschitz.relu_exact")
def test_measured_k_against_independent_maximisers(v, oracle_k):
    """Every network of the sweep: the bound equals an independent SVD computation, and the measured K
    stays below it. ReLU: the exact constant equals the maximum over 10⁵ evenly spaced directions (to
    10⁻⁹), spaced more finely than the smallest piece. Sigmoid and tanh: the search's lower estimate
    agrees with an independent grid + Nelder–Mead maximiser
    within 1 % and is never beaten by more than that."""
    rows = L.sweep()
    assert len(rows) == v["n_networks"] == 3 * 2 * 9 and v["n_certified"] == 18
    worst = 0.0
    for act, depth, c, measured, bound in rows:
        net = L.make_net(act, depth, c, seed=depth)
        assert bound == pytest.approx(_bound_from_weights(net), rel=1e-10)
        assert 0 < measured <= bound
        worst = max(worst, measured / bound)
    assert v["max_measured_over_bound"] == pytest.approx(worst, rel=1e-9)
    for (act, depth, i), k in oracle_k.items():
        measured = L.sweep_arrays(act, depth)[1][i]
        if act == "relu":
            assert measured == pytest.approx(k, rel=1e-9)
        else:
            assert measured == pytest.approx(k, rel=0.01) and measured >= k * (1 - 0.01)
    for act in L.ACTS:
        for depth in (2, 6):
            c, meas, bound = L.sweep_arrays(act, depth)
            assert np.allclose(c, np.geomspace(0.25, 4, 9)) and np.all(meas <= bound)
    net = L.make_net("relu", 6, 1.0, seed=6)
    assert v["relu_arcs_d6_c1"] == _relu_dense_angles(net)[1]


@pytest.mark.slow
@pytest.mark.claim("lipschitz.search_converged")
def test_doubling_the_search_moves_no_estimate():
    """For every sigmoid and tanh network of the sweep, and the trained classifier, an independent search with
    twice the final effort (another seed) raises the estimate by less than 1 %."""
    nets = [L.make_net(a, d, c, seed=d) for a in ("sigmoid", "tanh") for d in (2, 6) for c in L.SCALES]
    nets.append(L.trained_classifier()[0])
    for net in nets:
        est, effort = L.converged_search(L._key(net))
        assert est == L.measured_k(net)
        again = L.largest_jacobian_norm(net, effort=2 * effort, seed=977)
        assert again <= est * 1.01


@pytest.mark.claim("lipschitz.search_exact")
def test_search_finds_known_constants_of_nonlinear_networks():
    """Networks whose constant is known in closed form, with the steepest point away from the origin:
    f(x) = v·tanh(w·x + b) has K = |v|‖w‖, reached only on the line w·x = −b; two decoupled tanh units
    f(x) = (tanh(a₁x₁ + b₁), tanh(a₂x₂ + b₂)) have K = max|aᵢ|."""
    for w, b, v_ in (((3.0, -4.0), 20.0, 1.5), ((0.5, 0.2), -2.0, 4.0), ((12.0, 5.0), 60.0, 0.3)):
        net = ("tanh", [(np.array([w]), np.array([b])), (np.array([[v_]]), np.zeros(1))])
        K = abs(v_) * np.hypot(*w)
        assert -b / np.hypot(*w) != 0  # the steepest line misses the origin
        assert L.measured_k(net) == pytest.approx(K, rel=1e-4)
        assert L.measured_k(net) <= K * (1 + 1e-12)
    A = np.diag([2.5, -7.0])
    net = ("tanh", [(A, np.array([3.0, -21.0])), (np.eye(2), np.zeros(2))])
    assert L.measured_k(net) == pytest.approx(7.0, rel=1e-4)
    net = L.make_net("identity", 3, 1.0, seed=2)
    exact = linalg.svdvals(net[1][2][0] @ net[1][1][0] @ net[1][0][0])[0]
    assert L.measured_k(net) == pytest.approx(exact, rel=1e-12)


def test_relu_arcs_cover_the_circle_with_the_right_jacobians():
    """The exact enumeration's arcs tile [0, 2π) and each arc's Jacobian is the network's at its midpoint."""
    for depth in (2, 4, 6):
        net = L.make_net("relu", depth, 1.3, seed=depth)
        arcs = L.relu_arcs(net)
        starts, ends = np.array([a for a, _, _ in arcs]), np.array([b for _, b, _ in arcs])
        assert starts[0] == 0 and ends[-1] == pytest.approx(2 * np.pi) and np.all(starts[1:] == ends[:-1])
        for a, b, J in arcs[:: max(1, len(arcs) // 25)]:
            x = np.array([[np.cos((a + b) / 2), np.sin((a + b) / 2)]])
            assert np.allclose(L.forward(net, x)[1][0], J, atol=1e-12)


@pytest.mark.slow
@pytest.mark.claim("lipschitz.depth_trend", "lipschitz.depth_not_k", "lipschitz.loose_depth")
def test_bound_grows_or_shrinks_with_depth(v, oracle_k):
    """c = 0.25: every bound shrinks as D grows; c = 4: all grow; c = 1: tanh/ReLU grow, sigmoid shrinks.
    The looseness factors are the bound over the independent constants."""
    for act in L.ACTS:
        curves = np.array([L.bound_curve(act, d) for d in L.DEPTHS])
        for d, curve in zip(L.DEPTHS, curves, strict=True):
            for i in (0, 4, 8):
                net = L.make_net(act, d, L.SCALES[i], seed=d)
                assert curve[i] == pytest.approx(_bound_from_weights(net), rel=1e-10)
        small, mid, large = curves[:, 0], curves[:, 4], curves[:, -1]
        assert np.all(np.diff(small) < 0) and np.all(np.diff(large) > 0)
        assert np.all(np.diff(mid) > 0) if act != "sigmoid" else np.all(np.diff(mid) < 0)
    net = L.make_net("tanh", 4, 1.0, seed=4)
    assert v["hidden_factor_tanh_c1"] == pytest.approx(linalg.svdvals(net[1][1][0])[0], rel=1e-10)
    assert v["hidden_factor_tanh_c1"] > 1 > v["hidden_factor_tanh_c1"] / 4  # sigmoid's factor is a quarter
    sig2, sig6 = L.make_net("sigmoid", 2, 4.0, seed=2), L.make_net("sigmoid", 6, 4.0, seed=6)
    assert v["bound_sigmoid_d2_cmax"] == pytest.approx(_bound_from_weights(sig2), rel=1e-10)
    assert v["bound_sigmoid_d6_cmax"] == pytest.approx(_bound_from_weights(sig6), rel=1e-10)
    assert v["bound_sigmoid_d6_cmax"] > 10 * v["bound_sigmoid_d2_cmax"]
    assert v["meas_sigmoid_d2_cmax"] == pytest.approx(oracle_k["sigmoid", 2, 8], rel=0.01)
    assert v["meas_sigmoid_d6_cmax"] == pytest.approx(oracle_k["sigmoid", 6, 8], rel=0.01)
    assert v["meas_sigmoid_d6_cmax"] < v["meas_sigmoid_d2_cmax"]
    for act in L.ACTS:
        for d in (2, 6):
            net = L.make_net(act, d, 1.0, seed=d)
            tol = 1e-9 if act == "relu" else 0.01
            expected = _bound_from_weights(net) / oracle_k[act, d, 4]
            assert v[f"loose_{act}_d{d}_c1"] == pytest.approx(expected, rel=tol)
        assert v[f"loose_{act}_d6_c1"] > 3 * v[f"loose_{act}_d2_c1"] and v[f"loose_{act}_d6_c1"] > 10
    loose6 = [v[f"loose_{act}_d6_c1"] for act in L.ACTS]
    assert v["loose_d6_min"] == min(loose6) and v["loose_d6_max"] == max(loose6)


@pytest.mark.slow
@pytest.mark.claim("lipschitz.relu_homogeneous", "lipschitz.smooth_not_homogeneous")
def test_scaling_weights_scales_k_by_c_to_the_d_only_for_relu(v):
    """ReLU's exact K scales by exactly c^D (dense directions as the oracle); sigmoid's clearly not; tanh's
    steepest point found is x = 0, where J(0) = W_D ⋯ W_1 scales by c^D."""
    c, D = v["homog_c"], v["homog_depth"]
    base = L.make_net("relu", 4, 1.0, seed=4)
    k1, k2 = _relu_dense_angles(base)[0], _relu_dense_angles(L.scale_weights(base, c))[0]
    assert v["homog_ratio_relu"] == pytest.approx(k2 / k1, rel=1e-9) == c**D
    for scale in (0.3, 1.7, 5.0):
        for depth in (2, 5):
            net = L.make_net("relu", depth, 1.0, seed=depth)
            ratio = L.measured_k(L.scale_weights(net, scale)) / L.measured_k(net)
            assert ratio == pytest.approx(scale**depth, rel=1e-12)
    for act in ("tanh", "sigmoid"):
        base = L.make_net(act, 4, 1.0, seed=4)
        ks = [_smooth_max(L.scale_weights(base, s)) for s in (1.0, c)]
        assert v[f"homog_ratio_{act}"] == pytest.approx(ks[1] / ks[0], rel=0.02)
    assert abs(v["homog_ratio_sigmoid"] / c**D - 1) > 0.2
    base = L.make_net("tanh", 4, 1.0, seed=4)
    at_zero = linalg.svdvals(np.linalg.multi_dot([W for W, _ in base[1][::-1]]))[0]
    assert L.measured_k(base) == pytest.approx(at_zero, rel=1e-9)
    assert v["homog_ratio_tanh"] == pytest.approx(c**D, rel=1e-9)


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
@pytest.mark.slow
def test_no_flip_inside_the_certified_radius(v):
    """The radius |f(x)|/K holds against the snippet's and scipy's attacks; the flips found are real."""
    net, _, _ = L.trained_classifier()
    r = L.robustness()
    K = _bound_from_weights(net)
    assert r["K"] == pytest.approx(K, rel=1e-10) and v["robust_k_bound"] == pytest.approx(K, rel=1e-10)
    f_ours = _forward_scores(net, r["X"])[:, 0]
    np.testing.assert_allclose(r["certified"], np.abs(f_ours) / K, rtol=1e-10)
    np.testing.assert_allclose(r["f"], f_ours, rtol=1e-10, atol=1e-13)
    # the closest flips are genuine sign changes at the stated distance
    assert np.all(np.sign(L.logit(net, r["adversarial"])) != np.sign(r["f"]))
    assert np.allclose(np.linalg.norm(r["adversarial"] - r["X"], axis=1), r["found"])
    assert np.all(r["found"] >= r["certified"])
    ratio = r["found"] / r["certified"]
    Xt, yt = L.moons(v["robust_test_total"], seed=1)
    assert v["robust_n_points"] == len(r["X"]) == np.sum(np.sign(L.logit(net, Xt)) == yt)
    assert v["robust_ratio_min"] == pytest.approx(ratio.min()) and v["robust_ratio_min"] > 1
    assert v["robust_ratio_median"] == pytest.approx(np.median(ratio))
    K_meas = L.measured_k(net)
    assert v["robust_k_measured"] == K_meas
    assert v["robust_k_looseness"] == pytest.approx(K / K_meas, rel=1e-10) and K / K_meas > 1
    median_meas = np.median(r["found"] / (np.abs(r["f"]) / K_meas))
    assert v["robust_ratio_measured_k_median"] == pytest.approx(median_meas, rel=1e-10)
    assert 1 < median_meas < np.median(ratio)
    assert v["robust_probe_flips"] == 0 and v["robust_probes"] == 256 * len(r["X"])
    # the probes can see a flip: just past the closest flip found, some directions flip for every point
    flips, total = L.probes_inside_radius(shrink=1.05 * ratio.max())
    assert flips > 0 and total == v["robust_probes"]
    # the measured K is the trained network's largest Jacobian norm (independent maximiser, 1 %)
    assert K_meas == pytest.approx(_smooth_max(net, half=3.0, step=0.03), rel=0.01)
    rng = np.random.default_rng(9)
    for i in range(0, len(r["X"]), 6):
        x = r["X"][i]
        starts = [r["adversarial"][i] - x, *(0.3 * rng.standard_normal((2, 2)))]
        d_scipy = _attack_scipy(net, x, starts)
        assert d_scipy >= r["certified"][i]
        assert r["found"][i] <= d_scipy * (1 + 1e-4)  # as close as SLSQP gets


@pytest.mark.slow
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
    net = L.make_net("relu", 3, 1.0, p=4, m=1, seed=8)
    base_b = np.abs(L.logit(net, X)) / L.lipschitz_bound(net)
    base_m = np.abs(L.logit(net, X)) / L.largest_jacobian_norm(net)
    for c in (0.1, 3.0):
        scaled = L.scale_weights(net, c)
        assert np.allclose(np.abs(L.logit(scaled, X)) / L.lipschitz_bound(scaled), base_b, rtol=1e-12)
        assert np.allclose(np.abs(L.logit(scaled, X)) / L.largest_jacobian_norm(scaled), base_m, rtol=1e-12)


def _forward_scores(net, X):
    act, layers = net
    h = X
    for l, (W, b) in enumerate(layers):
        h = h @ W.T + b
        h = PHI[act](h) if l < len(layers) - 1 else h
    return h


@pytest.mark.claim("lipschitz.multiclass_check")
def test_multiclass_radius_holds_and_is_tight():
    """Three logits: no perturbation shorter than m/(√2 K) changes the arg max (random directions, a tanh
    network); and on a linear classifier whose two top rows are opposite, w₂ = −w₁, so that
    ‖w₁ − w₂‖ = √2‖W‖₂, the radius equals the exact distance to the decision boundary, margin/‖w_y − w_j‖."""
    net = L.make_net("tanh", 3, 1.5, p=2, width=16, m=3, bias=True, seed=12)
    K = _bound_from_weights(net)
    rng = np.random.default_rng(13)
    X = rng.uniform(-2, 2, (40, 2))
    F = _forward_scores(net, X)
    top = np.sort(F, axis=1)
    radius = (top[:, -1] - top[:, -2]) / (np.sqrt(2) * K)
    np.testing.assert_allclose(L.multiclass_radius(net, X), radius, rtol=1e-12)
    d = rng.standard_normal((500, 2))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    for x, f, rad in zip(X, F, radius, strict=True):
        Fp = _forward_scores(net, x + 0.999 * rad * d)
        assert np.all(np.argmax(Fp, axis=1) == np.argmax(f))
    W = np.array([[1.0, 0.5], [-1.0, -0.5], [0.0, 0.0]])
    linear = ("identity", [(W, np.array([0.3, -0.2, -50.0]))])
    X = rng.uniform(-2, 2, (30, 2))
    F = X @ W.T + linear[1][0][1]
    y = np.argmax(F, axis=1)
    j = np.where(y == 0, 1, 0)
    exact = (F[np.arange(30), y] - F[np.arange(30), j]) / np.linalg.norm(W[0] - W[1])
    np.testing.assert_allclose(L.multiclass_radius(linear, X), exact, rtol=1e-12)


@pytest.mark.slow
@pytest.mark.claim("lipschitz.relu_depth_slider", "lipschitz.fig_relu_depth")
def test_relu_depth_slider_data():
    """Each frame holds the bound (SVD product) and the exact K (dense directions) of the bias-free ReLU
    networks of depth 1 to 6 scaled by c; their ratio at each depth is the same in every frame, equal to 1 at
    depth 1 and growing with depth; the readout quotes the depth-6 numbers."""
    d = L.data_relu_depth()
    assert d["kind"] == "frames" and d["yscale"] == "log" and len(json.dumps(d)) < 40_000
    scales = np.geomspace(0.25, 4, 9)
    assert len(d["frames"]) == len(d["slider"]["values"]) == 9
    np.testing.assert_allclose(d["slider"]["values"], scales, rtol=2e-4)
    base = {D: L.make_net("relu", D, 1.0, seed=D) for D in range(1, 7)}
    exact1 = {D: _relu_dense_angles(net)[0] for D, net in base.items()}
    ratios = []
    for c, frame in zip(scales, d["frames"], strict=True):
        bound, exact = frame["series"]
        assert bound["x"] == exact["x"] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] and exact["type"] == "points"
        for i, D in enumerate(range(1, 7)):
            net = L.scale_weights(base[D], c)
            assert bound["y"][i] == pytest.approx(_bound_from_weights(net), rel=1e-5)
            assert exact["y"][i] == pytest.approx(c**D * exact1[D], rel=1e-5)
            assert d["ylim"][0] <= exact["y"][i] and bound["y"][i] <= d["ylim"][1]
        ratios.append(np.array(bound["y"]) / np.array(exact["y"]))
        assert f"{bound['y'][-1] / exact['y'][-1]:.0f} times" in frame["readout"]
    ratios = np.array(ratios)
    assert np.allclose(ratios, ratios[0], rtol=1e-4)
    assert ratios[0][0] == pytest.approx(1.0, rel=1e-4) and np.all(np.diff(ratios[0][1:]) > -1e-9)
    assert ratios[0][-1] > 10 * ratios[0][1]


@pytest.mark.slow
@pytest.mark.claim("lipschitz.loose_seeds")
def test_relu_looseness_spread_over_ten_draws(v):
    """The exact ReLU looseness at c = 1 over ten random draws (seeds 0-9): the bound from scipy's singular
    values over the maximum of ‖J‖₂ on 10⁵ evenly spaced directions (finer than the smallest piece)."""
    assert v["relu_loose_n_seeds"] == 10
    for d in (2, 6):
        loose = []
        for s in range(10):
            net = L.make_net("relu", d, 1.0, seed=s)
            loose.append(_bound_from_weights(net) / _relu_dense_angles(net)[0])
        assert v[f"relu_loose_seeds_d{d}_min"] == pytest.approx(min(loose), rel=1e-9)
        assert v[f"relu_loose_seeds_d{d}_max"] == pytest.approx(max(loose), rel=1e-9)
        assert min(loose) <= v[f"loose_relu_d{d}_c1"] <= max(loose)  # the page's draw lies inside the spread


def test_ratios_on_lower_estimates_say_which_way_they_err():
    """Quantities divided by (or into) a lower estimate of K are called estimates with a stated direction,
    never 'at least' or exact; the radius from the measured slope is the larger one."""
    from pathlib import Path

    text = " ".join((Path(__file__).parents[1] / "docs" / "lipschitz.md").read_text().split())
    assert "at least {{ lipschitz.loose_d6_min" not in text
    assert "that smaller radius" not in text
    assert "can only be too large" in text and "only too small" in text
    assert "no search can prove it" in text
    assert "the same number serves both purposes" not in text


def test_only_bias_free_two_input_relu_networks_count_as_certified():
    """The page calls a measured K exact only where it is: a bias-free ReLU network on the plane, whose
    Jacobian is constant on each of finitely many sectors. Smooth activations, biases or more inputs
    fall back to the search's lower estimate."""
    for depth in (2, 6):
        assert L.certified(L.make_net("relu", depth, 1.0, seed=depth))
        assert not L.certified(L.make_net("tanh", depth, 1.0, seed=depth))
        assert not L.certified(L.make_net("sigmoid", depth, 1.0, seed=depth))
        assert not L.certified(L.make_net("relu", depth, 1.0, bias=True, seed=depth))
        assert not L.certified(L.make_net("relu", depth, 1.0, p=3, seed=depth))


def test_the_linearised_attack_flips_every_point_near_the_closest_flip():
    """The DeepFool-style attack that seeds the closest-flip search: on an affine classifier one step
    lands 2 % past the boundary, along the normal (the exact closest flip); on the trained network every
    point's sign flips, at a median distance within 1.5 times the closest flip the search finds."""
    rng = np.random.default_rng(11)
    w, b = rng.standard_normal(2), 0.3
    net = ("relu", [(np.vstack([w, -w]), np.array([b, -b])), (np.array([[1.0, -1.0]]), np.zeros(1))])
    X = rng.standard_normal((50, 2))
    f = X @ w + b
    delta = L.gradient_attack(net, X)
    np.testing.assert_allclose(delta, -1.02 * (f / (w @ w))[:, None] * w, rtol=1e-9, atol=1e-12)
    trained, _, _ = L.trained_classifier()
    r = L.robustness()
    d = L.gradient_attack(trained, r["X"])
    assert np.all(np.sign(L.logit(trained, r["X"] + d)) != np.sign(r["f"]))
    assert np.median(np.linalg.norm(d, axis=1) / r["found"]) < 1.5
