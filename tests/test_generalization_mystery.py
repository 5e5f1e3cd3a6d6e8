"""Tests for the generalization-mystery page: parameter counts, min-norm least squares, the slow
max-margin limit of logistic regression, and the flat/sharp experiment, each against an
independent derivation (closed forms, scipy, scikit-learn, an analytic Hessian)."""

import itertools
import json

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from scipy.linalg import lstsq, null_space
from scipy.optimize import linprog, minimize
from scipy.special import expit
from sklearn.svm import SVC

from sitebuild import snippet_values
from snippets import generalization_mystery as gm
from snippets import style

PAGE = "generalization_mystery"


@pytest.fixture(scope="module")
def v():
    return snippet_values(PAGE)


def angle(a, b):
    return np.degrees(np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1, 1)))


# --- parameter counts ---------------------------------------------------------------------------


@pytest.mark.claim("generalization_mystery.param_counts")
def test_parameter_counts_match_closed_form(v):
    """784h + h + 10h + 10 weights and biases, and the ratio to MNIST's 60,000 training images."""
    for h in (100, 300, 800):
        closed = 784 * h + h + 10 * h + 10
        assert v[f"params_h{h}"] == closed
        assert v[f"ratio_h{h}"] == pytest.approx(closed / 60_000, rel=1e-12)
    assert v["params_h800"] == 636_010


@pytest.mark.claim("generalization_mystery.pixels")
def test_pixel_count(v):
    """60,000 images of 28 × 28 pixels hold 47,040,000 numbers, more than any of the counts."""
    assert v["mnist_train_pixels"] == 60_000 * 28 * 28 == 47_040_000
    assert v["mnist_train_pixels"] > 70 * v["params_h800"]
    assert v["mnist_test"] == 10_000 and v["mlp800_error_pct"] == pytest.approx(1.6)
    assert v["mlp800_mistakes"] == 160
    assert v["pixels_per_param"] == pytest.approx(47_040_000 / (795 * 800 + 10))


# --- least squares ------------------------------------------------------------------------------


@pytest.mark.claim("generalization_mystery.min_norm_from_zero", "generalization_mystery.fig_min_norm")
def test_gd_from_zero_reaches_pseudo_inverse_solution(v):
    """GD from 0 ends at pinv(X) y, which scipy's lstsq also returns, to rounding error."""
    X, y, _ = gm.least_squares_problem()
    end = gm.least_squares_runs()["from_zero"][-1]
    w_pinv = np.linalg.pinv(X) @ y
    w_scipy = lstsq(X, y)[0]
    assert np.linalg.norm(end - w_pinv) < 1e-12
    assert np.linalg.norm(end - w_scipy) < 1e-12
    assert v["ls_gap_from_zero"] < 1e-12
    assert v["ls_norm_plus"] == pytest.approx(np.linalg.norm(w_pinv), rel=1e-12)


@pytest.mark.claim("generalization_mystery.min_norm_from_w0", "generalization_mystery.fig_min_norm")
def test_gd_from_w0_keeps_its_null_space_part(v):
    """From w0, GD ends at w⁺ + (null-space projection of w0): scipy's null_space basis N gives
    the prediction w⁺ + N Nᵀ w0; the fit is exact and the norm obeys Pythagoras."""
    X, y, w0 = gm.least_squares_problem()
    runs = gm.least_squares_runs()
    N = null_space(X)
    assert N.shape[1] == v["ls_p"] - v["ls_n"]
    predicted = np.linalg.pinv(X) @ y + N @ (N.T @ w0)
    end = runs["from_w0"][-1]
    assert np.linalg.norm(end - predicted) < 1e-10
    assert np.linalg.norm(X @ end - y) < 1e-10 and v["ls_residual_from_w0"] < 1e-10
    null_norm = np.linalg.norm(N.T @ w0)
    assert v["ls_null_part"] == pytest.approx(null_norm, rel=1e-10)
    assert v["ls_gap_from_w0"] == pytest.approx(null_norm, rel=1e-10)
    assert v["ls_norm_from_w0"] ** 2 == pytest.approx(v["ls_norm_plus"] ** 2 + null_norm**2, rel=1e-10)
    # the figure's plateau: distance to w⁺ along the w0 run settles at ‖N Nᵀ w0‖
    dist = np.linalg.norm(runs["from_w0"] - np.linalg.pinv(X) @ y, axis=1)
    assert dist[-1] == pytest.approx(null_norm, rel=1e-10)


@pytest.mark.claim("generalization_mystery.ridgeless")
def test_vanishing_ridge_penalty_gives_the_same_solution(v):
    """(XᵀX + λI)⁻¹Xᵀy with λ → 0 tends to pinv(X) y: solved directly here for λ = 10⁻⁶."""
    X, y, _ = gm.least_squares_problem()
    lam = v["ls_ridge_lam"]
    assert lam <= 1e-6
    w_ridge = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
    assert np.linalg.norm(w_ridge - np.linalg.pinv(X) @ y) < 1e-5
    # the gap without cancellation: w_λ − w⁺ = −λ Xᵀ(XXᵀ + λI)⁻¹(XXᵀ)⁻¹y (dual forms of both)
    K = X @ X.T
    gap = np.linalg.norm(lam * X.T @ np.linalg.solve(K + lam * np.eye(len(K)), np.linalg.solve(K, y)))
    assert v["ls_ridge_gap"] == pytest.approx(gap, rel=1e-4)


@pytest.mark.claim("generalization_mystery.fig_min_norm")
def test_toy_paths_move_perpendicular_to_the_solution_line():
    """On one equation x·w = y every GD step is a multiple of x, so both paths are straight lines
    along x, and the path from 0 ends at the closest point y x/‖x‖² of the solution line."""
    X, y, w0 = gm.toy_line()
    x = X[0]
    p0, p1 = gm.toy_paths()
    for path, start in ((p0, np.zeros(2)), (p1, w0)):
        moves = path - start
        assert np.allclose(moves[:, 0] * x[1] - moves[:, 1] * x[0], 0, atol=1e-12)
    assert np.allclose(p0[-1], y[0] * x / (x @ x), atol=1e-2)
    assert abs(p1[-1] @ x - y[0]) < 2e-2


# --- max margin ---------------------------------------------------------------------------------


def svm_qp(Z):
    """Hard-margin SVM through the origin by SLSQP: min ½‖w‖² s.t. Zw ≥ 1."""
    res = minimize(
        lambda w: 0.5 * w @ w,
        Z.mean(axis=0),
        jac=lambda w: w,
        constraints=[{"type": "ineq", "fun": lambda w: Z @ w - 1, "jac": lambda w: Z}],
        method="SLSQP",
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    assert res.success
    return res.x


@pytest.fixture(scope="module")
def mm():
    X, y = gm.separable_points()
    Z = y[:, None] * X
    runs = gm.max_margin_runs()
    w_hat = svm_qp(Z)
    sv = np.flatnonzero(Z @ w_hat < 1 + 1e-7)
    alpha = np.linalg.solve(Z[sv].T, w_hat)  # ŵ = Σ αₖ zₖ over the support vectors
    return {"X": X, "y": y, "Z": Z, "runs": runs, "w_hat": w_hat, "sv": sv, "alpha": alpha}


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.w_hat", "generalization_mystery.fig_max_margin")
def test_max_margin_direction_two_oracles(v, mm):
    """The snippet's angle-scan ŵ equals the SLSQP solution and the direction sklearn's SVC finds
    on the mirrored data set {(x, y)} ∪ {(−x, −y)}, where symmetry forces the intercept to 0."""
    X, y, w_hat = mm["X"], mm["y"], mm["w_hat"]
    assert np.linalg.norm(mm["runs"]["w_hat"] - w_hat) < 1e-6
    assert min(mm["Z"] @ w_hat) == pytest.approx(1.0, abs=1e-9)
    svc = SVC(kernel="linear", C=1e10, tol=1e-10).fit(np.vstack([X, -X]), np.concatenate([y, -y]))
    assert abs(svc.intercept_[0]) < 1e-3
    assert angle(svc.coef_[0], w_hat) < 1e-3
    assert v["mm_w_hat_norm"] == pytest.approx(np.linalg.norm(w_hat), rel=1e-6)
    assert len(mm["sv"]) == 2 and np.all(mm["alpha"] > 0)


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.intercept_trap", "generalization_mystery.fig_max_margin")
def test_library_svm_with_intercept_points_elsewhere(v, mm):
    """sklearn's SVC fits an unpenalised intercept: its direction is far from ŵ, and it matches the
    snippet's with-intercept separator (direction, intercept and margin)."""
    X, y, w_hat = mm["X"], mm["y"], mm["w_hat"]
    svc = SVC(kernel="linear", C=1e10, tol=1e-10).fit(X, y)
    w_svc, b_svc = svc.coef_[0], svc.intercept_[0]
    assert angle(w_svc, w_hat) > 10
    assert v["svm_intercept_angle"] == pytest.approx(angle(w_svc, w_hat), abs=0.01)
    w_snip, b_snip = mm["runs"]["svm_intercept"]
    assert np.allclose(w_snip, w_svc, rtol=1e-3) and b_snip == pytest.approx(b_svc, rel=1e-3)
    assert v["svm_intercept_margin"] == pytest.approx(1 / np.linalg.norm(w_svc), rel=1e-3)
    assert v["svm_intercept_margin"] > 3 * v["mm_margin_geometric"]


@pytest.mark.slow
@pytest.mark.claim(
    "generalization_mystery.step_size",
    "generalization_mystery.fig_max_margin",
    "generalization_mystery.fig_residual",
)
def test_gd_iterates_follow_the_sum_of_logistic_losses(v, mm):
    """An independent GD loop (scipy's expit, checked against finite differences of the summed
    loss) reproduces the snippet's checkpoints up to t = 1000."""
    Z, runs = mm["Z"], mm["runs"]
    eta = runs["eta"]
    bound = 8 / np.linalg.svd(Z, compute_uv=False)[0] ** 2  # Soudry et al.: η < 2/(β σ²max), β = 1/4
    assert eta == pytest.approx(bound / 2, rel=1e-12)
    assert v["mm_eta_bound"] == pytest.approx(bound, rel=1e-12) and v["mm_eta"] == pytest.approx(eta)

    def loss(w):
        return np.sum(np.logaddexp(0, -Z @ w))

    def grad(w):
        return -Z.T @ expit(-Z @ w)

    w = np.array([0.3, -0.2])
    fd = [(loss(w + 1e-6 * e) - loss(w - 1e-6 * e)) / 2e-6 for e in np.eye(2)]
    assert np.allclose(grad(w), fd, atol=1e-6)
    w = np.zeros(2)
    wanted = {int(t): i for i, t in enumerate(runs["t"]) if t <= 1000}
    for t in range(1, 1001):
        w = w - eta * grad(w)
        if t in wanted:
            assert np.allclose(w, runs["w_sum"][wanted[t]], rtol=1e-9, atol=1e-12)


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.residual_bounded", "generalization_mystery.fig_residual")
def test_residual_stays_bounded_and_converges(v, mm):
    """‖w(t) − ŵ log t‖ barely moves over the last decade while ‖ŵ‖ log t grows by ‖ŵ‖ log 10;
    and w(t) − ŵ log t approaches w̃, the solution of η exp(−zₖᵀw̃) = αₖ on the support vectors."""
    runs, w_hat, Z, sv = mm["runs"], mm["w_hat"], mm["Z"], mm["sv"]
    t = runs["t"]
    rho = runs["w_sum"] - np.log(t)[:, None] * w_hat
    last = t >= 10_000
    spread = np.ptp(np.linalg.norm(rho[last], axis=1))
    assert spread < 0.1 < np.linalg.norm(w_hat) * np.log(10)
    assert v["mm_residual_spread_last_decade"] == pytest.approx(spread, rel=1e-6)
    assert v["mm_growth_last_decade"] == pytest.approx(np.linalg.norm(w_hat) * np.log(10), rel=1e-6)
    w_tilde = np.linalg.solve(Z[sv], np.log(runs["eta"] / mm["alpha"]))
    assert np.linalg.norm(rho[-1] - w_tilde) < 0.05
    assert v["mm_residual_final"] == pytest.approx(np.linalg.norm(rho[-1]), rel=1e-6)
    assert v["mm_residual_final"] == pytest.approx(np.linalg.norm(w_tilde), abs=0.05)
    assert v["mm_residual_max"] == pytest.approx(np.linalg.norm(rho, axis=1).max(), rel=1e-6)
    # the quoted ‖w‖ at the last step: ŵ log t + w̃ from the independent ŵ and w̃, to the residual's 0.05
    assert t[-1] == v["mm_steps"]
    assert v["mm_norm_final"] == pytest.approx(np.linalg.norm(w_hat * np.log(t[-1]) + w_tilde), abs=0.06)


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.slow_angle", "generalization_mystery.fig_max_margin")
def test_angle_shrinks_like_one_over_log_t(v, mm):
    """The angle to ŵ decreases steadily but is still above 1° after 10⁵ steps, and late on it
    matches arctan(‖w̃⊥‖ / (‖ŵ‖ log t + w̃∥)) predicted from w(t) ≈ ŵ log t + w̃."""
    runs, w_hat, Z, sv = mm["runs"], mm["w_hat"], mm["Z"], mm["sv"]
    t = runs["t"]
    ang = np.array([angle(w, w_hat) for w in runs["w_sum"]])
    assert np.all(np.diff(ang) < 0)
    assert ang[-1] > 1.0
    for key, tt in (("mm_angle_t10", 10), ("mm_angle_t1000", 1000), ("mm_angle_final", 100_000)):
        assert v[key] == pytest.approx(ang[list(t).index(tt)], abs=1e-6)
    w_tilde = np.linalg.solve(Z[sv], np.log(runs["eta"] / mm["alpha"]))
    u = w_hat / np.linalg.norm(w_hat)
    perp = np.linalg.norm(w_tilde - (w_tilde @ u) * u)
    predicted = np.degrees(np.arctan(perp / (np.linalg.norm(w_hat) * np.log(t) + w_tilde @ u)))
    late = t >= 10_000
    assert np.allclose(ang[late], predicted[late], rtol=0.02)


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.mean_loss_offset", "generalization_mystery.fig_residual")
def test_mean_loss_only_shifts_the_residual_by_w_hat_log_n(v, mm):
    """With the mean loss (step η/n on the sum) the coefficient of log t is still ŵ: the two runs
    differ by a vector that tends to ŵ log n, and the mean-loss residual tends to w̃ − ŵ log n."""
    runs, w_hat, Z, sv = mm["runs"], mm["w_hat"], mm["Z"], mm["sv"]
    n = len(mm["y"])
    gap = runs["w_sum"][-1] - runs["w_mean"][-1]
    assert np.linalg.norm(gap - w_hat * np.log(n)) < 0.1
    assert v["mm_sum_minus_mean_gap"] == pytest.approx(np.linalg.norm(gap - w_hat * np.log(n)), rel=1e-4)
    w_tilde_mean = np.linalg.solve(Z[sv], np.log(runs["eta"] / n / mm["alpha"]))
    rho_mean = runs["w_mean"][-1] - np.log(runs["t"][-1]) * w_hat
    assert np.linalg.norm(rho_mean - w_tilde_mean) < 0.1
    assert v["mm_residual_mean_final"] == pytest.approx(np.linalg.norm(rho_mean), rel=1e-6)


# --- flat and sharp minima ------------------------------------------------------------------------


def split(theta, H=32):
    return theta[: 2 * H].reshape(H, 2), theta[2 * H : 3 * H], theta[3 * H : 4 * H], theta[4 * H]


def jacobian_and_logits(theta, X, mask):
    """Per-sample gradient of the logit f(x) = w₂ᵀ(m ⊙ (W₁x + b₁)) + b₂ with the mask m held fixed."""
    W1, b1, w2, b2 = split(theta)
    z = X @ W1.T + b1
    a = z * mask
    dW1 = (w2 * mask)[:, :, None] * X[:, None, :]
    J = np.hstack([dW1.reshape(len(X), -1), w2 * mask, a, np.ones((len(X), 1))])
    return J, a @ w2 + b2


def analytic_hessian(theta, X, y):
    """Exact Hessian of the mean logistic loss with the ReLU pattern of θ frozen:
    (1/n) Σ [ℓ''ᵢ ∇fᵢ∇fᵢᵀ + ℓ'ᵢ ∇²fᵢ], where ∇²fᵢ only couples w₂ⱼ with (W₁ⱼ, b₁ⱼ)."""
    H = 32
    W1, b1, _, _ = split(theta)
    mask = (X @ W1.T + b1) > 0
    J, f = jacobian_and_logits(theta, X, mask)
    s = 2 * y - 1
    p = expit(-s * f)
    d1 = -s * p  # ℓ'(f)
    d2 = p * (1 - p)  # ℓ''(f)
    hess = (J.T * d2) @ J / len(y)
    # cross terms ∂²f/∂w₂ⱼ∂W₁ⱼₖ = mⱼ xₖ and ∂²f/∂w₂ⱼ∂b₁ⱼ = mⱼ
    cross_W = np.einsum("i,ij,ik->jk", d1, mask, X) / len(y)
    cross_b = (d1 @ mask) / len(y)
    for j in range(H):
        for k in range(2):
            hess[2 * j + k, 3 * H + j] += cross_W[j, k]
            hess[3 * H + j, 2 * j + k] += cross_W[j, k]
        hess[2 * H + j, 3 * H + j] += cross_b[j]
        hess[3 * H + j, 2 * H + j] += cross_b[j]
    return hess


def mean_logistic_loss(theta, X, y):
    W1, b1, w2, b2 = split(theta)
    f = np.maximum(X @ W1.T + b1, 0) @ w2 + b2
    return np.mean(np.logaddexp(0, -(2 * y - 1) * f))


@pytest.fixture(scope="module")
def be():
    return gm.batch_experiment()


@pytest.mark.claim("generalization_mystery.fig_sharpness")
def test_backprop_gradient_and_training_loop():
    """The snippet's gradient matches finite differences of an independent loss, and its SGD with
    the whole training set as the batch is plain gradient descent on that loss."""
    (X, y), _ = gm.moons_data()
    theta = gm.init_params(3)
    grad = gm.loss_and_grad(theta, X, y)[1]
    rng = np.random.default_rng(0)
    for _ in range(5):
        e = rng.standard_normal(theta.size)
        fd = (mean_logistic_loss(theta + 1e-6 * e, X, y) - mean_logistic_loss(theta - 1e-6 * e, X, y)) / 2e-6
        assert grad @ e == pytest.approx(fd, rel=1e-5, abs=1e-9)
    ours = gm.init_params(3)
    for _ in range(4):
        W1, b1, _, _ = split(ours)
        J, f = jacobian_and_logits(ours, X, (X @ W1.T + b1) > 0)
        s = 2 * y - 1
        ours = ours - 1.0 * J.T @ (-s * expit(-s * f)) / len(y)
    assert np.allclose(gm.sgd(X, y, len(y), 1.0, 4, 3), ours, atol=1e-12)
    # the vectorised trainer behind the experiment gives the same iterates, full and mini-batch
    assert np.allclose(gm.sgd_many(X, y, len(y), 1.0, 4, (5, 3))[1], ours, atol=1e-12)
    assert np.allclose(gm.sgd_many(X, y, 8, 1.0, 70, (3, 4))[0], gm.sgd(X, y, 8, 1.0, 70, 3), atol=1e-12)


@pytest.mark.claim(
    "generalization_mystery.sharper_large_batch",
    "generalization_mystery.stability",
    "generalization_mystery.fig_sharpness",
)
@pytest.mark.slow
def test_large_batch_minima_are_sharper_in_every_seed(v, be):
    """Top eigenvalues of the exact (analytic) Hessian match the power iteration; every full-batch
    network is sharper than every small-batch one, and all full-batch ones stay below 2/η."""
    (X, y), _ = gm.moons_data()
    top = {}
    for batch in gm.BATCHES:
        top[batch] = np.array(
            [np.linalg.eigvalsh(analytic_hessian(th, X, y))[-1] for th in be[batch]["theta"]]
        )
        assert np.allclose(top[batch], be[batch]["sharpness"], rtol=1e-4)
    small, large = top[v["batch_small"]], top[v["batch_large"]]
    assert len(small) == v["sgd_seeds"] >= 10
    assert small.max() < large.min()
    assert v["sharp_small_min"] == pytest.approx(small.min(), rel=1e-4)
    assert v["sharp_small_max"] == pytest.approx(small.max(), rel=1e-4)
    assert v["sharp_large_min"] == pytest.approx(large.min(), rel=1e-4)
    assert v["sharp_large_max"] == pytest.approx(large.max(), rel=1e-4)
    assert large.max() < 2 / v["sgd_eta"] == v["stability_limit"]
    assert v["sharp_small_mean"] == pytest.approx(small.mean(), rel=1e-4)
    assert v["sharp_large_mean"] == pytest.approx(large.mean(), rel=1e-4)
    assert v["sharp_ratio"] == pytest.approx(large.mean() / small.mean(), rel=1e-4)
    assert v["sharp_ratio"] > 2


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.flat_not_better", "generalization_mystery.fig_sharpness")
def test_flatter_networks_did_not_test_better(v, be):
    """Recounted test accuracy: the small-batch (flatter) networks are not more accurate on
    average; the gap is smaller than the small-batch seed-to-seed spread."""
    _, (Xt, yt) = gm.moons_data()
    acc = {}
    for batch in gm.BATCHES:
        acc[batch] = np.array(
            [
                np.mean(
                    (np.maximum(Xt @ split(th)[0].T + split(th)[1], 0) @ split(th)[2] + th[-1] > 0)
                    == (yt == 1)
                )
                for th in be[batch]["theta"]
            ]
        )
    small, large = 100 * acc[v["batch_small"]], 100 * acc[v["batch_large"]]
    assert v["acc_small_mean"] == pytest.approx(small.mean(), abs=1e-9)
    assert v["acc_large_mean"] == pytest.approx(large.mean(), abs=1e-9)
    assert v["acc_small_sd"] == pytest.approx(small.std(ddof=1), abs=1e-9)
    assert small.mean() <= large.mean()
    assert v["acc_gap"] == pytest.approx(large.mean() - small.mean(), abs=1e-9)
    assert abs(small.mean() - large.mean()) < small.std(ddof=1)
    assert len(small) == len(large) == v["sgd_seeds"] >= 10
    assert v["acc_small_min"] == pytest.approx(small.min(), abs=1e-9)
    assert v["acc_small_max"] == pytest.approx(small.max(), abs=1e-9)
    assert v["acc_large_min"] == pytest.approx(large.min(), abs=1e-9)
    assert v["acc_large_max"] == pytest.approx(large.max(), abs=1e-9)
    assert v["acc_large_sd"] == pytest.approx(large.std(ddof=1), abs=1e-9)
    assert v["acc_pairs_small_worse"] == np.sum(small < large)
    (X, y), _ = gm.moons_data()
    assert v["loss_small_mean"] > v["loss_large_mean"]
    assert v["loss_large_mean"] == pytest.approx(
        np.mean([mean_logistic_loss(th, X, y) for th in be[v["batch_large"]]["theta"]]), rel=1e-9
    )


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.rescaling", "generalization_mystery.fig_sharpness")
def test_rescaling_changes_sharpness_not_the_function(v, be):
    """(αW₁, αb₁, w₂/α) computes the same logits (independent forward pass) while the exact
    Hessian's top eigenvalue grows roughly like α² or 1/α² away from the balanced scaling."""
    (X, y), _ = gm.moons_data()
    theta = be[v["batch_large"]]["theta"][0]
    W1, b1, w2, b2 = split(theta)

    def logits(W1, b1, w2, b2):
        return np.maximum(X @ W1.T + b1, 0) @ w2 + b2

    rs = gm.rescaling_experiment()
    for a, mu in zip(rs["alpha"], rs["sharpness"], strict=True):
        assert np.allclose(logits(a * W1, a * b1, w2 / a, b2), logits(W1, b1, w2, b2), atol=1e-12)
        scaled = np.concatenate([(a * W1).ravel(), a * b1, w2 / a, [b2]])
        assert mu == pytest.approx(np.linalg.eigvalsh(analytic_hessian(scaled, X, y))[-1], rel=1e-4)
    assert v["rescale_max_logit_change"] < 1e-12
    assert v["rescale_sharp_at_max"] > 10 * v["rescale_sharp_at_1"]
    assert v["rescale_sharp_at_min"] > 10 * v["rescale_sharp_at_1"]
    assert v["rescale_sharp_lowest"] <= v["rescale_sharp_at_1"]


# --- the geometry of the implicit bias -------------------------------------------------------------


def _l1_margin_dual(Z):
    """The ℓ1 max margin by LP duality: max over ‖w‖₁ ≤ 1 of minᵢ zᵢᵀw = min over probability vectors p
    of ‖Zᵀp‖∞ (a different linear programme from the snippet's)."""
    n, d = Z.shape
    cost = np.r_[np.zeros(n), 1.0]
    A = np.vstack([np.hstack([Z.T, -np.ones((d, 1))]), np.hstack([-Z.T, -np.ones((d, 1))])])
    res = linprog(
        cost,
        A_ub=A,
        b_ub=np.zeros(2 * d),
        A_eq=np.r_[np.ones(n), 0.0][None],
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs-ipm",
    )
    assert res.status == 0
    return res.fun


def _steepest(Z, norm, eta, steps):
    """Independent loops: gradient descent, or move the coordinate with the largest |gradient| by η‖g‖∞."""
    w, out = np.zeros(Z.shape[1]), {}
    for t in range(1, steps + 1):
        g = -Z.T @ expit(-Z @ w)
        if norm == "l2":
            w = w - eta * g
        else:
            k = np.argmax(np.abs(g))
            w[k] = w[k] - eta * np.max(np.abs(g)) * np.sign(g[k])
        out[t] = w.copy()
    return out


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.geometry", "generalization_mystery.fig_geometry")
def test_each_descent_heads_for_the_max_margin_of_its_own_norm(v):
    """The ℓ1 max-margin solution (margin from the dual LP, the ℓ1 optimum checked against it) is sparse;
    the ℓ2 one agrees with sklearn's SVC on mirrored data; independent GD and coordinate-descent loops
    reproduce the snippet's iterates; after 10⁴ steps each is far closer to its own norm's solution."""
    Z = gm.geometry_points()
    # the page's data: twelve Gaussian points around (1, 0.6, 0.3), spread 0.45, from generator 2
    assert np.allclose(Z, np.random.default_rng(2).normal([1.0, 0.6, 0.3], 0.45, (12, 3)), rtol=1e-12)
    g = gm.geometry_runs()
    gamma = _l1_margin_dual(Z)
    w1 = g["w_l1"]
    assert np.abs(w1).sum() == pytest.approx(1.0, abs=1e-9)
    assert np.min(Z @ w1) == pytest.approx(gamma, rel=1e-7)
    assert v["geo_l1_margin"] == pytest.approx(gamma, rel=1e-7)
    assert v["geo_l1_zero_coords"] == np.sum(np.abs(w1) < 1e-9) == 1
    svc = SVC(kernel="linear", C=1e10, tol=1e-10).fit(
        np.vstack([Z, -Z]), np.r_[np.ones(len(Z)), -np.ones(len(Z))]
    )
    assert angle(svc.coef_[0], g["w_l2"]) < 1e-3
    assert v["geo_l1_l2_angle"] == pytest.approx(angle(w1, svc.coef_[0]), abs=1e-3)
    assert v["geo_l1_l2_angle"] > 30
    eta = 4 / np.linalg.svd(Z, compute_uv=False)[0] ** 2
    gd, cd = _steepest(Z, "l2", eta, v["geo_steps"]), _steepest(Z, "l1", eta, v["geo_steps"])
    for i, t in enumerate(g["t"]):
        assert np.allclose(g["gd"][i], gd[t], rtol=1e-9, atol=1e-12)
        assert np.allclose(g["cd"][i], cd[t], rtol=1e-9, atol=1e-12)
    end_gd, end_cd = gd[v["geo_steps"]], cd[v["geo_steps"]]
    svc_w = svc.coef_[0]
    assert v["geo_gd_to_l2"] == pytest.approx(angle(end_gd, svc_w), abs=1e-3)
    assert v["geo_gd_to_l1"] == pytest.approx(angle(end_gd, w1), abs=1e-6)
    assert v["geo_cd_to_l1"] == pytest.approx(angle(end_cd, w1), abs=1e-6)
    assert v["geo_cd_to_l2"] == pytest.approx(angle(end_cd, svc_w), abs=1e-3)
    assert v["geo_cd_to_l1_t100"] == pytest.approx(angle(cd[100], w1), abs=1e-6)
    assert v["geo_gd_to_l2"] < v["geo_gd_to_l1"] / 2
    assert v["geo_cd_to_l1"] < v["geo_cd_to_l2"] / 10
    assert v["geo_cd_to_l1"] < v["geo_cd_to_l1_t100"]
    assert v["geo_cd_margin"] == pytest.approx(np.min(Z @ end_cd) / np.abs(end_cd).sum(), rel=1e-9)
    assert v["geo_cd_margin"] > 0.9 * gamma


@pytest.mark.slow
@pytest.mark.claim("generalization_mystery.margin_slider", "generalization_mystery.fig_margin_path")
def test_slider_frames_follow_independent_gradient_descent(v, mm):
    """Each frame's line is perpendicular to w(t) from an independent GD loop (to t = 10⁵), passes through
    the origin, and its readout quotes the angle to the SLSQP max-margin direction; the angle falls
    frame by frame."""
    data = gm.data_margin_path()
    assert len(json.dumps(data, allow_nan=False)) < 40_000
    Z, w_hat = mm["Z"], mm["w_hat"]
    ts = data["slider"]["values"]
    assert len(data["frames"]) == len(ts) and ts[0] == 1 and ts[-1] == 100_000
    eta = 4 / np.linalg.svd(Z, compute_uv=False)[0] ** 2
    w, wanted, angles = np.zeros(2), set(ts), {}
    for t in range(1, ts[-1] + 1):
        w = w + eta * Z.T @ expit(-Z @ w)
        if t in wanted:
            angles[t] = (w.copy(), angle(w, w_hat))
    for t, frame in zip(ts, data["frames"], strict=True):
        (series,) = frame["series"]
        d = np.array([series["x"][1] - series["x"][0], series["y"][1] - series["y"][0]])
        mid = np.array([np.mean(series["x"]), np.mean(series["y"])])
        wt, a = angles[t]
        assert abs(d @ wt) / np.linalg.norm(d) / np.linalg.norm(wt) < 1e-4
        assert np.linalg.norm(mid) < 1e-4
        assert f"{a:.1f}° from the max-margin direction" in frame["readout"]
        assert f"‖w‖ = {np.linalg.norm(wt):.2f}" in frame["readout"]
    seq = [angles[t][1] for t in ts]
    assert np.all(np.diff(seq) < 0)
    static = data["static"][2]
    d = np.array([static["x"][1] - static["x"][0], static["y"][1] - static["y"][0]])
    assert abs(d @ w_hat) / np.linalg.norm(d) / np.linalg.norm(w_hat) < 1e-4
    X, y = mm["X"], mm["y"]
    assert np.allclose(data["static"][0]["x"], X[y > 0, 0], atol=1e-4)
    assert np.allclose(data["static"][1]["y"], X[y < 0, 1], atol=1e-4)


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


@pytest.mark.claim(
    "generalization_mystery.fig_min_norm",
    "generalization_mystery.fig_max_margin",
    "generalization_mystery.fig_residual",
    "generalization_mystery.fig_sharpness",
    "generalization_mystery.fig_geometry",
    "generalization_mystery.fig_margin_path",
)
@pytest.mark.slow
def test_figures_fit_a_phone_and_legends_stay_off_the_data():
    for fn in (
        gm.fig_min_norm,
        gm.fig_max_margin,
        gm.fig_residual,
        gm.fig_sharpness,
        gm.fig_geometry,
        gm.fig_margin_path,
    ):
        check_layout(fn)


@pytest.mark.slow
def test_one_symbol_one_meaning_on_this_page():
    """Notation page: σ is the label noise (singular values are d_i), n counts samples; on this page α_k
    are the SVM's dual coefficients, so the Dinh rescaling factor is a (as on the FAQ), also in the
    figure's axis label; β (the target direction on the double-descent page) is not a smoothness bound."""
    import pathlib

    text = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "generalization_mystery.md").read_text()
    assert "\\sigma_{\\max}" not in text and "\\beta" not in text
    assert "$N$ points" not in text
    dinh = text.split("There is also a deeper problem with the measure itself.")[1].split("!!! warning")[0]
    assert "\\alpha" not in dinh and "$(W_1, b_1, w_2) \\to (a W_1, a b_1, w_2/a)$" in dinh
    assert "alpha" not in text.split("fig:sharpness")[0].rsplit("![", 1)[1]
    fig = Figure()
    gm.fig_sharpness(fig, style.LIGHT)
    labels = [ax.get_xlabel() for ax in fig.axes]
    assert any("$a$" in lab for lab in labels) and not any("alpha" in lab for lab in labels)
