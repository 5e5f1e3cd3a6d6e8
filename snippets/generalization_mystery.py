"""Which perfect fit gradient descent picks: min-norm least squares, max-margin direction, flat vs sharp."""

from functools import cache
from itertools import pairwise

import numpy as np

from snippets.conventions import min_norm_lstsq, ridge

# --- 1. the capacity paradox: count the parameters -------------------------------------------

MNIST_TRAIN_IMAGES = 60_000
MNIST_TEST_IMAGES = 10_000
MLP800_TEST_ERROR = 0.016  # 2-layer 800-unit network, cross-entropy, no augmentation (MNIST results table)
MNIST_PIXELS = 28 * 28  # 784 inputs per image
MNIST_CLASSES = 10
HIDDEN_WIDTHS = (100, 300, 800)


def layer_sizes(hidden):
    """Layer widths of a one-hidden-layer MNIST classifier: 784 → hidden → 10."""
    return [MNIST_PIXELS, hidden, MNIST_CLASSES]


def parameter_count(sizes):
    """Weights plus biases of a fully connected network: each layer has a (fan_in × fan_out) matrix
    and fan_out biases."""
    return sum((fan_in + 1) * fan_out for fan_in, fan_out in pairwise(sizes))


# --- 2. least squares with more weights than equations -------------------------------------------

LS_N, LS_P = 20, 50  # n equations, p unknowns
LS_STEPS = 600
RIDGELESS_LAM = 1e-6  # a vanishing L2 penalty


def least_squares_problem():
    """A random underdetermined problem: X is n × p with n < p, and a nonzero start w0."""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((LS_N, LS_P))
    y = rng.standard_normal(LS_N)
    w0 = rng.standard_normal(LS_P)
    return X, y, w0


def gd_least_squares(X, y, w0, eta, steps):
    """Gradient descent on L(w) = (1/2n)‖Xw − y‖²; returns every iterate, shape (steps + 1, p)."""
    n = len(y)
    path = [np.array(w0, dtype=float)]
    for _ in range(steps):
        w = path[-1]
        path.append(w - eta * X.T @ (X @ w - y) / n)
    return np.array(path)


def safe_step(X):
    """η = 1/μ_max, with μ_max the largest eigenvalue of the Hessian XᵀX/n of L."""
    return len(X) / np.linalg.norm(X, 2) ** 2


def null_space_part(X, w):
    """The component of w that X cannot see: w minus its projection on the row space of X."""
    return w - np.linalg.pinv(X) @ (X @ w)


@cache
def least_squares_runs():
    """GD from zero and from w0 on the same problem, with the minimum-norm solution w⁺."""
    X, y, w0 = least_squares_problem()
    eta = safe_step(X)
    return {
        "w_plus": min_norm_lstsq(X, y),
        "from_zero": gd_least_squares(X, y, np.zeros(LS_P), eta, LS_STEPS),
        "from_w0": gd_least_squares(X, y, w0, eta, LS_STEPS),
        "w0": w0,
    }


def toy_line():
    """One equation in two unknowns, x·w = y: its solutions form a line in the (w₁, w₂) plane."""
    return np.array([[1.0, 2.0]]), np.array([2.0]), np.array([-1.2, 2.2])


def toy_paths(steps=14):
    """GD paths on the one-equation problem, from zero and from a nonzero start."""
    X, y, w0 = toy_line()
    eta = 0.3 * safe_step(X)
    return gd_least_squares(X, y, np.zeros(2), eta, steps), gd_least_squares(X, y, w0, eta, steps)


# --- 3. logistic loss on separable data: the slow turn toward the max-margin direction ----------

MM_STEPS = 100_000
MM_CHECKPOINTS = 41  # eight per decade, so t = 10, 100, ... are among them


def separable_points():
    """Sixteen points in the plane, two classes (y = ±1), separable by a line through the origin."""
    rng = np.random.default_rng(1)
    plus = rng.normal([1.5, 2.0], 0.8, (8, 2))
    minus = rng.normal([-1.5, -0.5], 0.8, (8, 2))
    return np.vstack([plus, minus]), np.repeat([1.0, -1.0], 8)


def unit(theta):
    return np.array([np.cos(theta), np.sin(theta)])


def best_angle(score, grid=3600, refinements=80):
    """The direction angle maximising score(angle): scan a grid, then golden-section search."""
    thetas = np.linspace(-np.pi, np.pi, grid, endpoint=False)
    k = int(np.argmax([score(t) for t in thetas]))
    lo, hi = thetas[k] - 2 * np.pi / grid, thetas[k] + 2 * np.pi / grid
    g = (np.sqrt(5) - 1) / 2
    for _ in range(refinements):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if score(a) > score(b):
            hi = b
        else:
            lo = a
    return (lo + hi) / 2


def max_margin_through_origin(X, y):
    """ŵ = argmin ‖w‖² subject to yᵢ xᵢᵀw ≥ 1 (no intercept), found as the best unit direction
    u, then scaled so that the smallest margin is exactly 1."""
    Z = y[:, None] * X
    u = unit(best_angle(lambda t: np.min(Z @ unit(t))))
    return u / np.min(Z @ u)


def max_margin_with_intercept(X, y):
    """The hard-margin separator wᵀx + b with a free, unpenalised intercept b (what a library SVM
    fits), scaled so that the smallest margin yᵢ(xᵢᵀw + b) is 1."""

    def gap(t):
        s = X @ unit(t)
        return (np.min(s[y > 0]) - np.max(s[y < 0])) / 2

    theta = best_angle(gap)
    s = X @ unit(theta)
    b = -(np.min(s[y > 0]) + np.max(s[y < 0])) / 2  # the line halfway between the two classes
    return unit(theta) / gap(theta), b / gap(theta)


def logistic_gd(Z, etas, steps, checkpoints):
    """Gradient descent from w = 0 on the SUM of logistic losses Σᵢ log(1 + exp(−zᵢᵀw)), where
    zᵢ = yᵢxᵢ, for several step sizes at once (one row of W per step size); returns W at the
    requested iteration counts, shape (checkpoints, step sizes, d)."""
    etas = np.asarray(etas, dtype=float)[:, None]
    W = np.zeros((len(etas), Z.shape[1]))
    keep = set(int(c) for c in checkpoints)
    saved = {}
    for t in range(1, steps + 1):
        W = W + etas * ((1.0 / (1.0 + np.exp(W @ Z.T))) @ Z)
        if t in keep:
            saved[t] = W.copy()
    return np.array([saved[int(c)] for c in checkpoints])


def angle_deg(a, b):
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


@cache
def max_margin_runs():
    """GD on the sum and on the mean of the logistic losses, with checkpoints at log-spaced t."""
    X, y = separable_points()
    Z = y[:, None] * X
    n = len(y)
    eta = 4.0 / np.linalg.norm(Z, 2) ** 2  # half of Soudry et al.'s bound 2/(β σ_max²), β = 1/4
    t = np.unique(np.round(np.geomspace(1, MM_STEPS, MM_CHECKPOINTS)).astype(int))
    # GD on the mean loss (1/n)Σ with step η is GD on the sum with step η/n: run both together
    W = logistic_gd(Z, [eta, eta / n], MM_STEPS, t)
    return {
        "t": t,
        "eta": eta,
        "w_sum": W[:, 0],
        "w_mean": W[:, 1],
        "w_hat": max_margin_through_origin(X, y),
        "svm_intercept": max_margin_with_intercept(X, y),
    }


def residuals(runs, key="w_sum"):
    """‖w(t) − ŵ log t‖ at each checkpoint."""
    return np.linalg.norm(runs[key] - np.log(runs["t"])[:, None] * runs["w_hat"], axis=1)


def angles_to_max_margin(runs):
    return np.array([angle_deg(w, runs["w_hat"]) for w in runs["w_sum"]])


# --- 3b. the geometry matters: steepest descent in the l1 norm heads for the l1 max margin ---------

GEO_STEPS = 10_000
GEO_CHECKPOINTS = np.unique(np.round(np.geomspace(1, GEO_STEPS, 33)).astype(int))


def geometry_points():
    """Twelve points in three dimensions, already multiplied by their labels (zᵢ = yᵢxᵢ), all on one
    side of a plane through the origin."""
    return np.random.default_rng(2).normal([1.0, 0.6, 0.3], 0.45, (12, 3))


def steepest_descent(Z, norm, eta, steps, checkpoints):
    """Steepest descent on Σᵢ log(1 + exp(−zᵢᵀw)) from w = 0 with respect to a norm: the step is
    argmin_v ∇Lᵀv + ‖v‖²/(2η). For "l2" that is gradient descent, v = −η∇L; for "l1" it moves one
    coordinate, the one with the largest |∂L/∂w_k|, by η‖∇L‖∞ (greedy coordinate descent)."""
    w, saved, keep = np.zeros(Z.shape[1]), [], set(int(c) for c in checkpoints)
    for t in range(1, steps + 1):
        g = -(1.0 / (1.0 + np.exp(Z @ w))) @ Z
        if norm == "l2":
            w = w - eta * g
        else:
            k = int(np.argmax(np.abs(g)))
            w[k] -= eta * np.abs(g[k]) * np.sign(g[k])
        if t in keep:
            saved.append(w.copy())
    return np.array(saved)


def l1_max_margin(Z):
    """argmax over ‖w‖₁ ≤ 1 of the smallest margin minᵢ zᵢᵀw, as a linear programme in (w⁺, w⁻, γ) with
    w = w⁺ − w⁻ (scipy's HiGHS solver)."""
    from scipy.optimize import linprog

    n, d = Z.shape
    cost = np.r_[np.zeros(2 * d), -1.0]
    A = np.vstack([np.hstack([-Z, Z, np.ones((n, 1))]), np.r_[np.ones(2 * d), 0.0][None]])
    res = linprog(cost, A_ub=A, b_ub=np.r_[np.zeros(n), 1.0], bounds=[(0, None)] * (2 * d) + [(None, None)])
    return res.x[:d] - res.x[d : 2 * d]


def l2_max_margin(Z):
    """argmin ‖w‖² subject to zᵢᵀw ≥ 1, by scipy's SLSQP."""
    from scipy.optimize import minimize

    res = minimize(
        lambda w: 0.5 * w @ w,
        Z.mean(axis=0),
        jac=lambda w: w,
        constraints=[{"type": "ineq", "fun": lambda w: Z @ w - 1, "jac": lambda w: Z}],
        method="SLSQP",
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    return res.x


@cache
def geometry_runs():
    """Gradient descent and coordinate descent on the same separable data, with both max-margin solutions."""
    Z = geometry_points()
    eta = 4.0 / np.linalg.norm(Z, 2) ** 2
    return {
        "t": GEO_CHECKPOINTS,
        "eta": eta,
        "gd": steepest_descent(Z, "l2", eta, GEO_STEPS, GEO_CHECKPOINTS),
        "cd": steepest_descent(Z, "l1", eta, GEO_STEPS, GEO_CHECKPOINTS),
        "w_l1": l1_max_margin(Z),
        "w_l2": l2_max_margin(Z),
    }


# --- 4. flat and sharp minima: small- vs large-batch SGD on a tiny ReLU network -------------------

HIDDEN = 32
N_TRAIN, N_TEST = 256, 2000
SGD_STEP = 1.0
SGD_STEPS = 1500
BATCHES = (8, 256)  # small batch, and the whole training set
SEEDS = tuple(range(10))
RESCALINGS = np.geomspace(1 / 8, 8, 13)


def two_moons(n, seed, noise=0.25):
    """Two interleaved noisy half-circles in the plane, labels 0 and 1."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, np.pi, n)
    label = rng.integers(0, 2, n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    x = np.where(label[:, None] == 1, upper, lower) + noise * rng.standard_normal((n, 2))
    return x - [0.5, 0.25], label.astype(float)


def unpack(theta):
    """θ (length 4H + 1) → W₁ (H × 2), b₁ (H), w₂ (H), b₂."""
    H = HIDDEN
    return theta[: 2 * H].reshape(H, 2), theta[2 * H : 3 * H], theta[3 * H : 4 * H], theta[4 * H]


def relu_mask(theta, X):
    W1, b1, _, _ = unpack(theta)
    return (X @ W1.T + b1) > 0


def logits(theta, X, mask=None):
    """f(x) = w₂ᵀ ReLU(W₁x + b₁) + b₂; with a given mask the on/off pattern of the units is held fixed."""
    W1, b1, w2, b2 = unpack(theta)
    z = X @ W1.T + b1
    m = (z > 0) if mask is None else mask
    return (z * m) @ w2 + b2


def loss_and_grad(theta, X, y, mask=None):
    """Mean logistic loss (1/n) Σ log(1 + exp(−sᵢ f(xᵢ))), sᵢ = 2yᵢ − 1, and its gradient (backprop)."""
    W1, b1, w2, b2 = unpack(theta)
    z = X @ W1.T + b1
    m = (z > 0) if mask is None else mask
    a = z * m
    s = 2 * y - 1
    f = a @ w2 + b2
    d = -s / (1 + np.exp(s * f)) / len(y)  # ∂loss/∂f for each sample
    da = np.outer(d, w2) * m
    grad = np.concatenate([(da.T @ X).ravel(), da.sum(0), a.T @ d, [d.sum()]])
    return np.mean(np.logaddexp(0.0, -s * f)), grad


def init_params(seed):
    """He-scaled first layer, 1/√H second layer, zero biases."""
    rng = np.random.default_rng(1000 + seed)
    W1 = rng.standard_normal((HIDDEN, 2))
    w2 = rng.standard_normal(HIDDEN) / np.sqrt(HIDDEN)
    return np.concatenate([W1.ravel(), np.zeros(HIDDEN), w2, [0.0]])


def sgd(X, y, batch, eta, steps, seed):
    """Plain SGD: reshuffle each epoch, step on consecutive mini-batches of the given size."""
    rng = np.random.default_rng(seed)
    theta = init_params(seed)
    order, pos = rng.permutation(len(y)), 0
    for _ in range(steps):
        if pos + batch > len(y):
            order, pos = rng.permutation(len(y)), 0
        idx = order[pos : pos + batch]
        pos += batch
        theta = theta - eta * loss_and_grad(theta, X[idx], y[idx])[1]
    return theta


def batch_gradients(thetas, Xb, yb):
    """Gradients of the mean logistic loss for S networks at once: thetas (S, 4H + 1), each on its own
    mini-batch Xb[s] (B × 2), yb[s]; the same backprop as loss_and_grad, stacked."""
    H = HIDDEN
    W1 = thetas[:, : 2 * H].reshape(-1, H, 2)
    b1, w2, b2 = thetas[:, 2 * H : 3 * H], thetas[:, 3 * H : 4 * H], thetas[:, 4 * H]
    z = Xb @ np.swapaxes(W1, 1, 2) + b1[:, None, :]
    m = z > 0
    a = z * m
    sgn = 2 * yb - 1
    f = (a @ w2[:, :, None])[..., 0] + b2[:, None]
    d = -sgn / (1 + np.exp(sgn * f)) / yb.shape[1]
    da = d[:, :, None] * w2[:, None, :] * m
    gW1 = (np.swapaxes(da, 1, 2) @ Xb).reshape(len(thetas), -1)
    gw2 = (np.swapaxes(a, 1, 2) @ d[:, :, None])[..., 0]
    return np.concatenate([gW1, da.sum(1), gw2, d.sum(1, keepdims=True)], axis=1)


def sgd_many(X, y, batch, eta, steps, seeds):
    """sgd() for several seeds at once (identical iterates, one vectorised step for all)."""
    rngs = [np.random.default_rng(seed) for seed in seeds]
    thetas = np.array([init_params(seed) for seed in seeds])
    orders, pos = [rng.permutation(len(y)) for rng in rngs], 0
    for _ in range(steps):
        if pos + batch > len(y):
            orders, pos = [rng.permutation(len(y)) for rng in rngs], 0
        idx = np.array([order[pos : pos + batch] for order in orders])
        pos += batch
        thetas = thetas - eta * batch_gradients(thetas, X[idx], y[idx])
    return list(thetas)


def hessian_vector(theta, X, y, v, eps=1e-5):
    """H v ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε with the ReLU on/off pattern of θ held fixed, so the
    difference measures curvature rather than units switching on or off."""
    mask = relu_mask(theta, X)
    plus = loss_and_grad(theta + eps * v, X, y, mask)[1]
    minus = loss_and_grad(theta - eps * v, X, y, mask)[1]
    return (plus - minus) / (2 * eps)


def sharpness(theta, X, y, iters=40):
    """The largest Hessian eigenvalue μ_max of the training loss, by power iteration."""
    v = np.random.default_rng(0).standard_normal(theta.size)
    v /= np.linalg.norm(v)
    mu = 0.0
    for _ in range(iters):
        hv = hessian_vector(theta, X, y, v)
        mu = float(v @ hv)
        v = hv / np.linalg.norm(hv)
    return mu


def accuracy(theta, X, y):
    return float(np.mean((logits(theta, X) > 0) == (y == 1)))


def moons_data():
    return two_moons(N_TRAIN, seed=0), two_moons(N_TEST, seed=1)


@cache
def batch_experiment():
    """For each batch size and seed: the trained θ, training loss, test accuracy and μ_max."""
    (X, y), (Xt, yt) = moons_data()
    out = {}
    for batch in BATCHES:
        thetas = sgd_many(X, y, batch, SGD_STEP, SGD_STEPS, SEEDS)
        out[batch] = {
            "theta": thetas,
            "train_loss": np.array([loss_and_grad(th, X, y)[0] for th in thetas]),
            "test_acc": np.array([accuracy(th, Xt, yt) for th in thetas]),
            "sharpness": np.array([sharpness(th, X, y) for th in thetas]),
        }
    return out


def rescale(theta, alpha):
    """Multiply the first layer (W₁, b₁) by α and w₂ by 1/α: for α > 0 the ReLU network computes
    exactly the same function."""
    W1, b1, w2, b2 = unpack(theta)
    return np.concatenate([(alpha * W1).ravel(), alpha * b1, w2 / alpha, [b2]])


@cache
def rescaling_experiment():
    """μ_max of the same function written with different (α-rescaled) weights."""
    (X, y), _ = moons_data()
    theta = batch_experiment()[BATCHES[-1]]["theta"][0]
    return {
        "alpha": RESCALINGS,
        "sharpness": np.array([sharpness(rescale(theta, a), X, y) for a in RESCALINGS]),
        "max_logit_change": max(
            float(np.max(np.abs(logits(rescale(theta, a), X) - logits(theta, X)))) for a in RESCALINGS
        ),
    }


# --- values and figures -----------------------------------------------------------------------


def values_counting():
    """Parameter counts against MNIST's size."""
    v = {
        "mnist_train": MNIST_TRAIN_IMAGES,
        "mnist_test": MNIST_TEST_IMAGES,
        "mnist_train_pixels": MNIST_TRAIN_IMAGES * MNIST_PIXELS,
        "mlp800_error_pct": 100 * MLP800_TEST_ERROR,
        "mlp800_mistakes": round(MLP800_TEST_ERROR * MNIST_TEST_IMAGES),
        "pixels_per_param": MNIST_TRAIN_IMAGES * MNIST_PIXELS / parameter_count(layer_sizes(800)),
    }
    for h in HIDDEN_WIDTHS:
        count = parameter_count(layer_sizes(h))
        v[f"params_h{h}"] = count
        v[f"ratio_h{h}"] = count / MNIST_TRAIN_IMAGES
    return v


def values_least_squares():
    """Gradient descent from zero and from w0 on an underdetermined least-squares problem."""
    ls = least_squares_runs()
    X, y, w0 = least_squares_problem()
    return {
        "ls_n": LS_N,
        "ls_p": LS_P,
        "ls_steps": LS_STEPS,
        "ls_gap_from_zero": float(np.linalg.norm(ls["from_zero"][-1] - ls["w_plus"])),
        "ls_gap_from_w0": float(np.linalg.norm(ls["from_w0"][-1] - ls["w_plus"])),
        "ls_null_part": float(np.linalg.norm(null_space_part(X, w0))),
        "ls_norm_plus": float(np.linalg.norm(ls["w_plus"])),
        "ls_norm_from_w0": float(np.linalg.norm(ls["from_w0"][-1])),
        "ls_residual_from_w0": float(np.linalg.norm(X @ ls["from_w0"][-1] - y)),
        "ls_ridge_lam": RIDGELESS_LAM,
        "ls_ridge_gap": float(np.linalg.norm(ridge(X, y, RIDGELESS_LAM) - ls["w_plus"])),
    }


def values_margin():
    """The slow turn of logistic-regression GD toward the max-margin direction."""
    mm = max_margin_runs()
    t, ang, res = mm["t"], angles_to_max_margin(mm), residuals(mm)
    w_svm, _ = mm["svm_intercept"]
    X, y = separable_points()
    at = {int(k): i for i, k in enumerate(t)}
    return {
        "mm_n": len(y),
        "mm_steps": MM_STEPS,
        "mm_eta": float(mm["eta"]),
        "mm_eta_bound": float(8 / np.linalg.norm(y[:, None] * X, 2) ** 2),
        "mm_w_hat_norm": float(np.linalg.norm(mm["w_hat"])),
        "mm_margin_geometric": float(1 / np.linalg.norm(mm["w_hat"])),
        "mm_angle_t10": ang[at[10]],
        "mm_angle_t1000": ang[at[1000]],
        "mm_angle_final": ang[-1],
        "mm_norm_final": float(np.linalg.norm(mm["w_sum"][-1])),
        "mm_residual_t1000": float(res[at[1000]]),
        "mm_residual_final": float(res[-1]),
        "mm_residual_max": float(res.max()),
        "mm_residual_spread_last_decade": float(np.ptp(res[t >= MM_STEPS // 10])),
        "mm_growth_last_decade": float(np.linalg.norm(mm["w_hat"]) * np.log(10)),
        "mm_residual_mean_final": float(residuals(mm, "w_mean")[-1]),
        "mm_sum_minus_mean_gap": float(
            np.linalg.norm(mm["w_sum"][-1] - mm["w_mean"][-1] - np.log(len(y)) * mm["w_hat"])
        ),
        "mm_log_n": float(np.log(len(y))),
        "svm_intercept_angle": angle_deg(w_svm, mm["w_hat"]),
        "svm_intercept_margin": float(1 / np.linalg.norm(w_svm)),
    }


def values_geometry():
    """Gradient descent against coordinate descent: each heads for the max margin of its own norm."""
    g = geometry_runs()
    Z = geometry_points()
    w1 = g["w_l1"]
    return {
        "geo_n": len(Z),
        "geo_dim": Z.shape[1],
        "geo_steps": GEO_STEPS,
        "geo_l1_l2_angle": angle_deg(w1, g["w_l2"]),
        "geo_l1_zero_coords": int(np.sum(np.abs(w1) < 1e-9)),
        "geo_l1_margin": float(np.min(Z @ w1) / np.abs(w1).sum()),
        "geo_cd_margin": float(np.min(Z @ g["cd"][-1]) / np.abs(g["cd"][-1]).sum()),
        "geo_gd_to_l2": angle_deg(g["gd"][-1], g["w_l2"]),
        "geo_gd_to_l1": angle_deg(g["gd"][-1], w1),
        "geo_cd_to_l1": angle_deg(g["cd"][-1], w1),
        "geo_cd_to_l2": angle_deg(g["cd"][-1], g["w_l2"]),
        "geo_cd_to_l1_t100": angle_deg(g["cd"][list(g["t"]).index(100)], w1),
    }


def values_batches():
    """Small- against full-batch SGD over the seeds: sharpness, accuracy, loss."""
    be = batch_experiment()
    small, large = be[BATCHES[0]], be[BATCHES[-1]]
    return {
        "sgd_hidden": HIDDEN,
        "sgd_params": 4 * HIDDEN + 1,
        "sgd_n_train": N_TRAIN,
        "sgd_n_test": N_TEST,
        "sgd_eta": SGD_STEP,
        "sgd_steps": SGD_STEPS,
        "sgd_seeds": len(SEEDS),
        "batch_small": BATCHES[0],
        "batch_large": BATCHES[-1],
        "stability_limit": 2 / SGD_STEP,
        "sharp_small_mean": float(small["sharpness"].mean()),
        "sharp_small_min": float(small["sharpness"].min()),
        "sharp_small_max": float(small["sharpness"].max()),
        "sharp_large_mean": float(large["sharpness"].mean()),
        "sharp_large_min": float(large["sharpness"].min()),
        "sharp_large_max": float(large["sharpness"].max()),
        "sharp_ratio": float(large["sharpness"].mean() / small["sharpness"].mean()),
        "acc_small_mean": float(100 * small["test_acc"].mean()),
        "acc_small_sd": float(100 * small["test_acc"].std(ddof=1)),
        "acc_small_min": float(100 * small["test_acc"].min()),
        "acc_small_max": float(100 * small["test_acc"].max()),
        "acc_large_mean": float(100 * large["test_acc"].mean()),
        "acc_large_sd": float(100 * large["test_acc"].std(ddof=1)),
        "acc_large_min": float(100 * large["test_acc"].min()),
        "acc_large_max": float(100 * large["test_acc"].max()),
        "acc_gap": float(100 * (large["test_acc"].mean() - small["test_acc"].mean())),
        "acc_pairs_small_worse": int(np.sum(small["test_acc"] < large["test_acc"])),
        "loss_small_mean": float(small["train_loss"].mean()),
        "loss_large_mean": float(large["train_loss"].mean()),
    }


def values_rescaling():
    """Sharpness of one function under the α-rescaling."""
    rs = rescaling_experiment()
    one = int(np.argmin(np.abs(np.log(rs["alpha"]))))
    return {
        "rescale_sharp_at_1": float(rs["sharpness"][one]),
        "rescale_sharp_at_max": float(rs["sharpness"][-1]),
        "rescale_sharp_at_min": float(rs["sharpness"][0]),
        "rescale_sharp_lowest": float(rs["sharpness"].min()),
        "rescale_max_logit_change": rs["max_logit_change"],
    }


def values():
    return {
        **values_counting(),
        **values_least_squares(),
        **values_margin(),
        **values_geometry(),
        **values_batches(),
        **values_rescaling(),
    }


def fig_min_norm(fig, pal):
    """Top: GD paths on one equation in two unknowns. Bottom: distance to w⁺ in the n < p problem."""
    fig.set_size_inches(4.8, 7.4)
    ax, bx = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.25, 1]})

    X, y, w0 = toy_line()
    x = X[0]
    w_plus = min_norm_lstsq(X, y)
    s = np.linspace(-3.0, 3.0, 2)
    direction = np.array([x[1], -x[0]]) / np.linalg.norm(x)
    line = w_plus + s[:, None] * direction
    ax.plot(line[:, 0], line[:, 1], color=pal.muted, lw=1.2, label="all exact solutions")
    circle = np.linspace(0, 2 * np.pi, 120)
    r = np.linalg.norm(w_plus)
    ax.plot(r * np.cos(circle), r * np.sin(circle), color=pal.muted, lw=0.8, ls=":")
    p0, p1 = toy_paths()
    ax.plot(p0[:, 0], p0[:, 1], "o-", color=pal.blue, ms=3, lw=1.2, label="GD from 0")
    ax.plot(p1[:, 0], p1[:, 1], "o-", color=pal.orange, ms=3, lw=1.2, label="GD from $w_0$")
    ax.plot(*w_plus, "*", color=pal.green, ms=12, label="min-norm $w^+$")
    ax.set_aspect("equal")
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-0.6, 2.8)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title("one equation, two unknowns")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)

    ls = least_squares_runs()
    X, y, w0 = least_squares_problem()
    steps = np.arange(LS_STEPS + 1)
    d0 = np.linalg.norm(ls["from_zero"] - ls["w_plus"], axis=1)
    d1 = np.linalg.norm(ls["from_w0"] - ls["w_plus"], axis=1)
    bx.semilogy(steps, d0, color=pal.blue, label="from 0")
    bx.semilogy(steps, d1, color=pal.orange, label="from $w_0$")
    bx.axhline(
        np.linalg.norm(null_space_part(X, w0)),
        color=pal.fg,
        ls=(0, (2, 3)),
        lw=1,
        zorder=3,
        label="null-space part of $w_0$",
    )
    bx.set_xlabel("gradient steps τ")
    bx.set_ylabel(r"$\| w(\tau) - w^+ \|$")
    bx.set_title(f"n = {LS_N} equations, p = {LS_P} unknowns")
    bx.set_ylim(1e-16, 1e2)
    bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=2)


def _separator(ax, w, b, **kw):
    s = np.linspace(-6, 6, 2)
    along = np.array([-w[1], w[0]]) / np.linalg.norm(w)
    foot = -b * w / (w @ w)
    ax.plot(*(foot + s[:, None] * along).T, **kw)


def _data_panel(ax, pal):
    X, y = separable_points()
    ax.scatter(*X[y > 0].T, color=pal.blue, s=22, label="$y = +1$", zorder=3)
    ax.scatter(*X[y < 0].T, color=pal.orange, s=22, marker="s", label="$y = -1$", zorder=3)
    ax.set_aspect("equal")
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-2.5, 3.8)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def fig_max_margin(fig, pal):
    """Top: the data, the max-margin line through the origin, and a library SVM's line with intercept.
    Bottom: the angle between w(t) and ŵ against t."""
    fig.set_size_inches(4.8, 7.6)
    ax, bx = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.3, 1]})
    mm = max_margin_runs()
    w_hat = mm["w_hat"]
    w_svm, b_svm = mm["svm_intercept"]
    _data_panel(ax, pal)
    _separator(ax, w_hat, 0.0, color=pal.green, lw=1.8, label="max margin, no intercept")
    _separator(ax, w_svm, b_svm, color=pal.pink, lw=1.5, ls="--", label="SVM with intercept")
    ax.plot(0, 0, "+", color=pal.muted, ms=8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=2)

    t, ang = mm["t"], angles_to_max_margin(mm)
    bx.semilogx(t, ang, "o-", color=pal.blue, ms=3, lw=1.4, label=r"GD: angle of $w(t)$ to $\hat w$")
    bx.axhline(angle_deg(w_svm, w_hat), color=pal.pink, ls="--", lw=1.2, label="SVM with intercept")
    bx.set_xlabel("iteration t")
    bx.set_ylabel("angle to $\\hat w$ (degrees)")
    bx.set_ylim(0, None)
    bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=1)


def fig_residual(fig, pal):
    """‖w(t)‖ grows like ‖ŵ‖ log t while ‖w(t) − ŵ log t‖ levels off, for the sum and the mean loss."""
    fig.set_size_inches(4.8, 5.4)
    ax = fig.subplots()
    mm = max_margin_runs()
    t = mm["t"]
    ax.semilogx(t, np.linalg.norm(mm["w_sum"], axis=1), color=pal.blue, label=r"$\| w(t) \|$, sum loss")
    ax.semilogx(t, residuals(mm), color=pal.blue, ls="--", label=r"$\| w(t) - \hat w \log t \|$, sum loss")
    ax.semilogx(t, np.linalg.norm(mm["w_mean"], axis=1), color=pal.green, label=r"$\| w(t) \|$, mean loss")
    ax.semilogx(
        t, residuals(mm, "w_mean"), color=pal.green, ls="--", label=r"$\| w(t) - \hat w \log t \|$, mean loss"
    )
    ax.semilogx(
        t,
        np.linalg.norm(mm["w_hat"]) * np.log(t),
        color=pal.muted,
        lw=1,
        ls=":",
        label=r"$\| \hat w \| \log t$",
    )
    ax.set_xlabel("iteration t")
    ax.set_ylabel("norm")
    fig.legend(loc="outside lower center", ncols=1)


def fig_geometry(fig, pal):
    """Angle of gradient descent and of coordinate descent to the ℓ2 and the ℓ1 max-margin solutions."""
    fig.set_size_inches(4.8, 4.9)
    g = geometry_runs()
    ax = fig.subplots()
    for key, colour, name in (("gd", pal.blue, "gradient descent"), ("cd", pal.orange, "coordinate descent")):
        ax.semilogx(
            g["t"], [angle_deg(w, g["w_l2"]) for w in g[key]], color=colour, label=f"{name} to ℓ2 max margin"
        )
        ax.semilogx(
            g["t"],
            [angle_deg(w, g["w_l1"]) for w in g[key]],
            color=colour,
            ls="--",
            label=f"{name} to ℓ1 max margin",
        )
    ax.set_xlabel("iteration t")
    ax.set_ylabel("angle (degrees)")
    ax.set_ylim(0, None)
    fig.legend(loc="outside lower center", ncols=1)


def fig_sharpness(fig, pal):
    """Top: test accuracy against μ_max for each seed and batch size. Bottom: μ_max of one and the
    same function under the rescaling (W₁, b₁, w₂) → (αW₁, αb₁, w₂/α)."""
    fig.set_size_inches(4.8, 7.0)
    ax, bx = fig.subplots(2, 1)
    be = batch_experiment()
    for batch, colour, marker in zip(BATCHES, (pal.blue, pal.orange), ("o", "s"), strict=True):
        r = be[batch]
        ax.scatter(
            r["sharpness"],
            100 * r["test_acc"],
            color=colour,
            marker=marker,
            s=28,
            alpha=0.85,
            label=f"batch {batch}",
        )
    ax.axvline(2 / SGD_STEP, color=pal.muted, ls="--", lw=1, label="2/η")
    ax.set_xlim(0, 2 / SGD_STEP * 1.15)
    ax.set_xlabel(r"sharpness $\mu_{\max}$")
    ax.set_ylabel("test accuracy (%)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3)

    rs = rescaling_experiment()
    bx.loglog(rs["alpha"], rs["sharpness"], "o-", color=pal.green, ms=4)
    bx.axvline(1.0, color=pal.muted, ls=":", lw=1)
    ticks = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8]
    bx.set_xticks(ticks, ["1/8", "1/4", "1/2", "1", "2", "4", "8"])
    bx.set_yticks([1, 3, 10, 30, 100], ["1", "3", "10", "30", "100"])
    bx.minorticks_off()
    bx.set_xlabel(r"rescaling $a$ (same function)")
    bx.set_ylabel(r"sharpness $\mu_{\max}$")


def fig_margin_path(fig, pal):
    """The data, the max-margin line, and the separating line of gradient descent after 10, 1,000 and
    100,000 steps."""
    fig.set_size_inches(4.8, 5.6)
    ax = fig.subplots()
    _data_panel(ax, pal)
    mm = max_margin_runs()
    _separator(ax, mm["w_hat"], 0.0, color=pal.green, lw=1.8, label="max margin")
    for steps, style_ in ((10, ":"), (1000, "-."), (MM_STEPS, "--")):
        w = mm["w_sum"][list(mm["t"]).index(steps)]
        _separator(ax, w, 0.0, color=pal.pink, lw=1.3, ls=style_, label=f"GD after {steps:,} steps")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2)


def data_margin_path():
    """Moving t: the separating line of gradient descent after t steps turns toward the max-margin line."""
    X, y = separable_points()
    mm = max_margin_runs()
    t, ang = mm["t"], angles_to_max_margin(mm)

    def line(w):
        along = np.array([-w[1], w[0]]) / np.linalg.norm(w)
        ends = np.array([-6.0, 6.0])[:, None] * along
        return {"x": np.round(ends[:, 0], 4).tolist(), "y": np.round(ends[:, 1], 4).tolist()}

    frames = []
    for steps, w, a in zip(t, mm["w_sum"], ang, strict=True):
        frames.append(
            {
                "series": [
                    {"type": "line", **line(w), "color": "pink", "label": "gradient descent after t steps"}
                ],
                "readout": (
                    f"After {int(steps):,} step{'s' * int(steps > 1)}: "
                    f"{a:.1f}° from the max-margin direction, "
                    f"‖w‖ = {np.linalg.norm(w):.2f}."
                ),
            }
        )
    return {
        "kind": "frames",
        "xlabel": "x₁",
        "ylabel": "x₂",
        "xlim": [-3.5, 3.5],
        "ylim": [-2.5, 3.8],
        "xscale": "linear",
        "yscale": "linear",
        "equal": True,
        "slider": {"label": "gradient steps t", "values": [int(k) for k in t], "format": ",d", "initial": 0},
        "static": [
            {
                "type": "points",
                "x": np.round(X[y > 0, 0], 4).tolist(),
                "y": np.round(X[y > 0, 1], 4).tolist(),
                "color": "blue",
                "label": "y = +1",
            },
            {
                "type": "points",
                "x": np.round(X[y < 0, 0], 4).tolist(),
                "y": np.round(X[y < 0, 1], 4).tolist(),
                "color": "orange",
                "label": "y = −1",
            },
            {"type": "line", **line(mm["w_hat"]), "color": "green", "label": "max margin, no intercept"},
        ],
        "frames": frames,
    }
