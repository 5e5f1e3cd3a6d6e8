"""Which perfect fit gradient descent picks: min-norm least squares, max-margin direction, flat vs sharp."""

from functools import cache
from itertools import pairwise

import numpy as np

from snippets.conventions import min_norm_lstsq, ridge

# --- 1. the capacity paradox: count the parameters -------------------------------------------

MNIST_TRAIN_IMAGES = 60_000
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


# --- 4. flat and sharp minima: small- vs large-batch SGD on a tiny ReLU network -------------------

HIDDEN = 32
N_TRAIN, N_TEST = 256, 2000
SGD_STEP = 1.0
SGD_STEPS = 1500
BATCHES = (8, 256)  # small batch, and the whole training set
SEEDS = (0, 1, 2, 3, 4)
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
        thetas = [sgd(X, y, batch, SGD_STEP, SGD_STEPS, seed) for seed in SEEDS]
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


def values():
    v = {
        "mnist_train": MNIST_TRAIN_IMAGES,
        "mnist_train_pixels": MNIST_TRAIN_IMAGES * MNIST_PIXELS,
    }
    for h in HIDDEN_WIDTHS:
        count = parameter_count(layer_sizes(h))
        v[f"params_h{h}"] = count
        v[f"ratio_h{h}"] = count / MNIST_TRAIN_IMAGES

    ls = least_squares_runs()
    X, y, w0 = least_squares_problem()
    v.update(
        ls_n=LS_N,
        ls_p=LS_P,
        ls_steps=LS_STEPS,
        ls_gap_from_zero=float(np.linalg.norm(ls["from_zero"][-1] - ls["w_plus"])),
        ls_gap_from_w0=float(np.linalg.norm(ls["from_w0"][-1] - ls["w_plus"])),
        ls_null_part=float(np.linalg.norm(null_space_part(X, w0))),
        ls_norm_plus=float(np.linalg.norm(ls["w_plus"])),
        ls_norm_from_w0=float(np.linalg.norm(ls["from_w0"][-1])),
        ls_residual_from_w0=float(np.linalg.norm(X @ ls["from_w0"][-1] - y)),
        ls_ridge_lam=RIDGELESS_LAM,
        ls_ridge_gap=float(np.linalg.norm(ridge(X, y, RIDGELESS_LAM) - ls["w_plus"])),
    )

    mm = max_margin_runs()
    t, ang, res = mm["t"], angles_to_max_margin(mm), residuals(mm)
    w_svm, _ = mm["svm_intercept"]
    X, y = separable_points()
    at = {int(k): i for i, k in enumerate(t)}
    v.update(
        mm_n=len(y),
        mm_eta=float(mm["eta"]),
        mm_eta_bound=float(8 / np.linalg.norm(y[:, None] * X, 2) ** 2),
        mm_w_hat_norm=float(np.linalg.norm(mm["w_hat"])),
        mm_margin_geometric=float(1 / np.linalg.norm(mm["w_hat"])),
        mm_angle_t10=ang[at[10]],
        mm_angle_t1000=ang[at[1000]],
        mm_angle_final=ang[-1],
        mm_norm_final=float(np.linalg.norm(mm["w_sum"][-1])),
        mm_residual_t1000=float(res[at[1000]]),
        mm_residual_final=float(res[-1]),
        mm_residual_max=float(res.max()),
        mm_residual_spread_last_decade=float(np.ptp(res[t >= MM_STEPS // 10])),
        mm_growth_last_decade=float(np.linalg.norm(mm["w_hat"]) * np.log(10)),
        mm_residual_mean_final=float(residuals(mm, "w_mean")[-1]),
        mm_sum_minus_mean_gap=float(
            np.linalg.norm(mm["w_sum"][-1] - mm["w_mean"][-1] - np.log(len(y)) * mm["w_hat"])
        ),
        mm_log_n=float(np.log(len(y))),
        svm_intercept_angle=angle_deg(w_svm, mm["w_hat"]),
        svm_intercept_margin=float(1 / np.linalg.norm(w_svm)),
    )

    be = batch_experiment()
    small, large = be[BATCHES[0]], be[BATCHES[-1]]
    v.update(
        sgd_hidden=HIDDEN,
        sgd_params=4 * HIDDEN + 1,
        sgd_n_train=N_TRAIN,
        sgd_n_test=N_TEST,
        sgd_eta=SGD_STEP,
        sgd_steps=SGD_STEPS,
        sgd_seeds=len(SEEDS),
        batch_small=BATCHES[0],
        batch_large=BATCHES[-1],
        stability_limit=2 / SGD_STEP,
        sharp_small_mean=float(small["sharpness"].mean()),
        sharp_small_max=float(small["sharpness"].max()),
        sharp_large_mean=float(large["sharpness"].mean()),
        sharp_large_min=float(large["sharpness"].min()),
        sharp_large_max=float(large["sharpness"].max()),
        sharp_ratio=float(large["sharpness"].mean() / small["sharpness"].mean()),
        acc_small_mean=float(100 * small["test_acc"].mean()),
        acc_small_sd=float(100 * small["test_acc"].std(ddof=1)),
        acc_large_mean=float(100 * large["test_acc"].mean()),
        acc_large_sd=float(100 * large["test_acc"].std(ddof=1)),
        acc_gap=float(100 * (large["test_acc"].mean() - small["test_acc"].mean())),
        loss_small_mean=float(small["train_loss"].mean()),
        loss_large_mean=float(large["train_loss"].mean()),
    )

    rs = rescaling_experiment()
    one = int(np.argmin(np.abs(np.log(rs["alpha"]))))
    v.update(
        rescale_sharp_at_1=float(rs["sharpness"][one]),
        rescale_sharp_at_max=float(rs["sharpness"][-1]),
        rescale_sharp_at_min=float(rs["sharpness"][0]),
        rescale_sharp_lowest=float(rs["sharpness"].min()),
        rescale_max_logit_change=rs["max_logit_change"],
    )
    return v


def fig_min_norm(fig, pal):
    """Left: GD paths on one equation in two unknowns. Right: distance to w⁺ in the n < p problem."""
    fig.set_size_inches(7.2, 3.4)
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.25]})

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
    ax.plot(*w_plus, "*", color=pal.fg, ms=10, label="min-norm $w^+$")
    ax.set_aspect("equal")
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-0.6, 2.8)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title("one equation, two unknowns")
    ax.legend(loc="upper right", fontsize=7.5)

    ls = least_squares_runs()
    X, y, w0 = least_squares_problem()
    steps = np.arange(LS_STEPS + 1)
    d0 = np.linalg.norm(ls["from_zero"] - ls["w_plus"], axis=1)
    d1 = np.linalg.norm(ls["from_w0"] - ls["w_plus"], axis=1)
    bx.semilogy(steps, d0, color=pal.blue, label="from 0")
    bx.semilogy(steps, d1, color=pal.orange, label="from $w_0$")
    bx.axhline(np.linalg.norm(null_space_part(X, w0)), color=pal.fg, ls=(0, (2, 3)), lw=1, zorder=3)
    bx.text(
        LS_STEPS,
        np.linalg.norm(null_space_part(X, w0)) / 2,
        "null-space part of $w_0$",
        ha="right",
        va="top",
        color=pal.muted,
        fontsize=8,
    )
    bx.set_xlabel("gradient steps τ")
    bx.set_ylabel(r"$\| w(\tau) - w^+ \|$")
    bx.set_title(f"n = {LS_N} equations, p = {LS_P} unknowns")
    bx.set_ylim(1e-16, 1e2)
    bx.legend(loc="center right")


def fig_max_margin(fig, pal):
    """Left: the data, the max-margin line through the origin, and a library SVM's line with
    intercept. Right: the angle between w(t) and ŵ against t."""
    fig.set_size_inches(7.2, 3.4)
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.3]})
    X, y = separable_points()
    mm = max_margin_runs()
    w_hat = mm["w_hat"]
    w_svm, b_svm = mm["svm_intercept"]
    ax.scatter(*X[y > 0].T, color=pal.blue, s=18, label="$y = +1$", zorder=3)
    ax.scatter(*X[y < 0].T, color=pal.orange, s=18, marker="s", label="$y = -1$", zorder=3)
    s = np.linspace(-5, 5, 2)
    along = np.array([-w_hat[1], w_hat[0]]) / np.linalg.norm(w_hat)
    ax.plot(*(s[:, None] * along).T, color=pal.fg, lw=1.5, label="max margin, no intercept")
    along = np.array([-w_svm[1], w_svm[0]]) / np.linalg.norm(w_svm)
    foot = -b_svm * w_svm / (w_svm @ w_svm)
    ax.plot(*(foot + s[:, None] * along).T, color=pal.pink, lw=1.5, ls="--", label="SVM with intercept")
    ax.plot(0, 0, "+", color=pal.muted, ms=8)
    ax.set_aspect("equal")
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-2.5, 3.8)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=7)

    t, ang = mm["t"], angles_to_max_margin(mm)
    bx.semilogx(t, ang, "o-", color=pal.blue, ms=3, lw=1.4, label=r"GD: angle between $w(t)$ and $\hat w$")
    bx.axhline(
        angle_deg(w_svm, w_hat), color=pal.pink, ls="--", lw=1.2, label="direction of the SVM with intercept"
    )
    bx.set_xlabel("iteration t")
    bx.set_ylabel("angle to $\\hat w$ (degrees)")
    bx.set_ylim(0, None)
    bx.legend(loc="lower left", fontsize=7.5)


def fig_residual(fig, pal):
    """‖w(t)‖ grows like ‖ŵ‖ log t while ‖w(t) − ŵ log t‖ levels off, for the sum and the mean loss."""
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
    ax.legend(loc="upper left", fontsize=7.5)


def fig_sharpness(fig, pal):
    """Left: test accuracy against μ_max for each seed and batch size. Right: μ_max of one and the
    same function under the rescaling (W₁, b₁, w₂) → (αW₁, αb₁, w₂/α)."""
    fig.set_size_inches(7.2, 3.3)
    ax, bx = fig.subplots(1, 2)
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
    ax.axvline(2 / SGD_STEP, color=pal.muted, ls="--", lw=1)
    ax.text(2 / SGD_STEP, ax.get_ylim()[1], "2/η ", color=pal.muted, fontsize=8, va="top", ha="right")
    ax.set_xlim(0, 2 / SGD_STEP * 1.15)
    ax.set_xlabel(r"sharpness $\mu_{\max}$")
    ax.set_ylabel("test accuracy (%)")
    ax.legend(loc="lower right", fontsize=8)

    rs = rescaling_experiment()
    bx.loglog(rs["alpha"], rs["sharpness"], "o-", color=pal.green, ms=4)
    bx.axvline(1.0, color=pal.muted, ls=":", lw=1)
    ticks = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8]
    bx.set_xticks(ticks, ["1/8", "1/4", "1/2", "1", "2", "4", "8"])
    bx.set_yticks([1, 3, 10, 30, 100], ["1", "3", "10", "30", "100"])
    bx.minorticks_off()
    bx.set_xlabel(r"rescaling $\alpha$ (same function)")
    bx.set_ylabel(r"sharpness $\mu_{\max}$")
