"""Small weights cap a network's Lipschitz constant K: slopes, layer bound, measured K, certified radii."""

from __future__ import annotations

import functools

import numpy as np

from snippets.activations import ACTIVATIONS, sigmoid
from snippets.conventions import l2_gradient_step

# --- activations and their maximum slopes --------------------------------------------------


SLOPE_GRID = np.linspace(-10.0, 10.0, 20_001)  # step 0.001, contains z = 0 exactly


def max_slope(act):
    """max_z |φ′(z)| on a fine grid, and the grid points where it is attained."""
    slopes = np.abs(ACTIVATIONS[act][1](SLOPE_GRID))
    top = slopes.max()
    return top, SLOPE_GRID[slopes >= top - 1e-12]


# --- networks: D layers, z_l = W_l h_(l-1) + b_l, h_l = φ(z_l), the last layer linear -------------


NET_P, NET_WIDTH, NET_OUTPUTS = 4, 16, 2


def make_net(act, depth, scale, *, p=NET_P, width=NET_WIDTH, m=NET_OUTPUTS, bias=False, seed=0):
    """A random network with W_l = c · G_l / √fan_in (G_l standard normal); biases N(0, c²/4) if asked."""
    rng = np.random.default_rng(seed)
    dims = [p] + [width] * (depth - 1) + [m]
    layers = []
    for l in range(depth):
        W = scale * rng.standard_normal((dims[l + 1], dims[l])) / np.sqrt(dims[l])
        b = 0.5 * scale * rng.standard_normal(dims[l + 1]) if bias else np.zeros(dims[l + 1])
        layers.append((W, b))
    return act, layers


def scale_weights(net, c):
    """The same network with every W_l multiplied by c (biases untouched)."""
    act, layers = net
    return act, [(c * W, b) for W, b in layers]


def forward(net, X):
    """Outputs f(x) (n×m) and Jacobians J(x) = ∂f/∂x (n×m×p), by forward-mode differentiation."""
    act, layers = net
    phi, slope = ACTIVATIONS[act]
    h = np.atleast_2d(X)
    T = np.broadcast_to(np.eye(h.shape[1]), (h.shape[0], h.shape[1], h.shape[1]))
    for l, (W, b) in enumerate(layers):
        z = h @ W.T + b
        Tz = W @ T  # ∂z/∂x = W · ∂h/∂x
        if l < len(layers) - 1:
            h, T = phi(z), slope(z)[:, :, None] * Tz  # diag(φ′(z)) W ...
        else:
            h, T = z, Tz
    return h, T


def spectral_norms(J):
    """Largest singular value of each matrix in a stack (closed form when there are one or two rows)."""
    if J.shape[1] == 1:
        return np.linalg.norm(J[:, 0], axis=1)
    if J.shape[1] == 2:  # the larger eigenvalue of the 2×2 Gram matrix J Jᵀ
        a, b, d = (np.einsum("nk,nk->n", J[:, i], J[:, j]) for i, j in ((0, 0), (0, 1), (1, 1)))
        return np.sqrt(0.5 * (a + d) + np.sqrt(0.25 * (a - d) ** 2 + b**2))
    return np.linalg.svd(J, compute_uv=False)[:, 0]


def jacobian_norms(net, X):
    """‖J(x)‖₂, the largest singular value of each Jacobian."""
    return spectral_norms(forward(net, X)[1])


def layer_factors(net):
    """max|φ′| · ‖W_l‖₂ for every layer (the output layer is linear: slope 1)."""
    act, layers = net
    a = max_slope(act)[0]
    slopes = [a] * (len(layers) - 1) + [1.0]
    return np.array([s * np.linalg.norm(W, 2) for s, (W, _) in zip(slopes, layers, strict=True)])


def lipschitz_bound(net):
    """K ≤ Π_l max|φ′| ‖W_l‖₂."""
    return float(np.prod(layer_factors(net)))


def random_inputs(p, n=400, seed=1):
    """Inputs in every direction at radii from 0.01 to 10 (log-uniform)."""
    rng = np.random.default_rng(seed)
    d = rng.standard_normal((n, p))
    return d / np.linalg.norm(d, axis=1, keepdims=True) * 10 ** rng.uniform(-2, 1, (n, 1))


N_RANDOM, N_STARTS, N_STEPS = 200, 4, 20


def largest_jacobian_norm(net, n_random=N_RANDOM, n_starts=N_STARTS, steps=N_STEPS, seed=1):
    """A lower estimate of K: the largest ‖J(x)‖₂ over random inputs, then gradient ascent from the best.

    The ascent uses central differences of ‖J(x)‖₂ and keeps a step only if it improves. A ReLU
    network's Jacobian is piecewise constant, so there is nothing to climb: random inputs only.
    """
    p = net[1][0][0].shape[1]
    X = random_inputs(p, n_random, seed)
    s = jacobian_norms(net, X)
    if net[0] == "relu":
        return float(s.max())
    best = np.argsort(s)[-n_starts:]
    x, val, lr = X[best].copy(), s[best].copy(), np.full(n_starts, 0.1)
    E = 1e-5 * np.eye(p)
    for _ in range(steps):
        probes = np.concatenate([x[:, None, :] + E, x[:, None, :] - E], axis=1).reshape(-1, p)
        fd = jacobian_norms(net, probes).reshape(n_starts, 2, p)
        g = (fd[:, 0] - fd[:, 1]) / 2e-5
        gn = np.linalg.norm(g, axis=1, keepdims=True)
        cand = x + lr[:, None] * g / np.maximum(gn, 1e-300)
        cval = jacobian_norms(net, cand)
        up = cval > val
        x[up], val[up] = cand[up], cval[up]
        lr = np.where(up, lr * 1.5, lr * 0.5)
    return float(max(s.max(), val.max()))


ACTS = ("sigmoid", "tanh", "relu")
DEPTHS = (2, 3, 4, 5, 6)
SCALES = np.geomspace(0.25, 4.0, 9)


@functools.cache
def sweep():
    """Measured K and the bound for every activation, depth, weight scale c, with and without bias."""
    rows = []
    for bias in (False, True):
        for act in ACTS:
            for depth in DEPTHS:
                for c in SCALES:
                    net = make_net(act, depth, c, bias=bias, seed=depth)
                    rows.append(
                        (act, depth, float(c), bias, largest_jacobian_norm(net), lipschitz_bound(net))
                    )
    return rows


def sweep_arrays(act, depth, bias=False):
    rows = [r for r in sweep() if r[0] == act and r[1] == depth and r[3] == bias]
    return tuple(np.array([r[k] for r in rows]) for k in (2, 4, 5))


# --- what an L2 penalty controls ---------------------------------------------------------------


def frobenius_over_spectral(W):
    return float(np.linalg.norm(W, "fro") / np.linalg.norm(W, 2))


def equal_penalty_pair(r=16, a=0.5, seed=3):
    """Two bias-free tanh networks r→r→r with the same Σ‖W_l‖_F² but different K.

    A: W_l = a Q_l (orthogonal), so ‖W_l‖₂ = a.  B: rank one, W_1 = a√r u vᵀ, W_2 = a√r w uᵀ.
    """
    rng = np.random.default_rng(seed)
    Q1, Q2 = (np.linalg.qr(rng.standard_normal((r, r)))[0] for _ in range(2))
    u, v, w = (q / np.linalg.norm(q) for q in rng.standard_normal((3, r)))
    zero = np.zeros(r)
    spread = ("tanh", [(a * Q1, zero), (a * Q2, zero)])
    aligned = ("tanh", [(a * np.sqrt(r) * np.outer(u, v), zero), (a * np.sqrt(r) * np.outer(w, u), zero)])
    return spread, aligned


def weight_penalty_sum(net):
    """Σ_l ‖W_l‖_F², the quantity an L2 penalty charges for."""
    return float(sum(np.sum(W**2) for W, _ in net[1]))


def penalty_chain(net):
    """measured K ≤ Π a_l‖W_l‖₂ ≤ Π a_l‖W_l‖_F ≤ (Π a_l)(Σ‖W_l‖_F² / D)^(D/2)."""
    act, layers = net
    a = np.array([max_slope(act)[0]] * (len(layers) - 1) + [1.0])
    fro = np.array([np.linalg.norm(W, "fro") for W, _ in layers])
    D = len(layers)
    return {
        "measured": largest_jacobian_norm(net),
        "spectral": lipschitz_bound(net),
        "frobenius": float(np.prod(a * fro)),
        "penalty": float(np.prod(a) * (weight_penalty_sum(net) / D) ** (D / 2)),
    }


# --- robustness: a trained binary classifier and its certified radii ------------------------------


def moons(n, noise=0.15, seed=0):
    """Two interleaved half circles in 2-D, labels ±1."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    X = np.where(y[:, None] > 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return X - [0.5, 0.25] + noise * rng.standard_normal((n, 2)), y


def logit(net, X):
    """The first output f(x), without Jacobians."""
    act, layers = net
    h = X
    for l, (W, b) in enumerate(layers):
        h = h @ W.T + b
        if l < len(layers) - 1:
            h = ACTIVATIONS[act][0](h)
    return h[:, 0]


def logistic_grads(net, X, y):
    """Mean logistic loss (1/n)Σ log(1 + e^(−y f)) and its gradients for every (W_l, b_l), by backprop."""
    act, layers = net
    phi, slope = ACTIVATIONS[act]
    hs, zs = [X], []
    for l, (W, b) in enumerate(layers):
        zs.append(hs[-1] @ W.T + b)
        hs.append(phi(zs[-1]) if l < len(layers) - 1 else zs[-1])
    f = hs[-1][:, 0]
    loss = np.mean(np.logaddexp(0.0, -y * f))
    delta = (-y * sigmoid(-y * f))[:, None] / len(y)  # ∂loss/∂f
    grads = []
    for l in range(len(layers) - 1, -1, -1):
        W = layers[l][0]
        grads.append((delta.T @ hs[l], delta.sum(axis=0)))
        if l:
            delta = (delta @ W) * slope(zs[l - 1])
    return loss, grads[::-1]


ROBUST_LAM, ROBUST_ETA, ROBUST_STEPS = 0.5, 0.5, 3000
N_TRAIN, N_TEST, N_DIRS = 100, 60, 32


@functools.cache
def trained_classifier():
    """A 2-16-16-1 tanh network fitted by full-batch gradient descent on the L2 cost (weights only)."""
    X, y = moons(N_TRAIN, seed=0)
    act, layers = make_net("tanh", 3, 1.0, p=2, width=16, m=1, seed=5)
    for _ in range(ROBUST_STEPS):
        _, grads = logistic_grads((act, layers), X, y)
        layers = [
            (l2_gradient_step(W, gW, ROBUST_ETA, ROBUST_LAM, len(y)), b - ROBUST_ETA * gb)
            for (W, b), (gW, gb) in zip(layers, grads, strict=True)
        ]
    return (act, layers), X, y


def first_flip(net, X, Dirs, t_max=3.0, n_grid=100, n_bisect=30):
    """For each point x_i and unit direction d_ij: the smallest t ≤ t_max with sign f(x + t d) ≠ sign f(x).

    A grid search then bisection, all rays at once; inf where no flip is found.
    """
    n, k, _ = Dirs.shape
    s0 = np.sign(logit(net, X))[:, None]
    ts = np.linspace(t_max / n_grid, t_max, n_grid)
    pts = X[:, None, None, :] + ts[None, None, :, None] * Dirs[:, :, None, :]
    flipped = np.sign(logit(net, pts.reshape(-1, 2)).reshape(n, k, n_grid)) != s0[:, :, None]
    hit = flipped.any(axis=2)
    first = np.argmax(flipped, axis=2)
    hi = ts[first]
    lo = np.where(first > 0, ts[np.maximum(first - 1, 0)], 0.0)
    for _ in range(n_bisect):
        mid = 0.5 * (lo + hi)
        fm = np.sign(logit(net, (X[:, None, :] + mid[:, :, None] * Dirs).reshape(-1, 2)).reshape(n, k))
        lo, hi = np.where(fm != s0, lo, mid), np.where(fm != s0, mid, hi)
    return np.where(hit, hi, np.inf)


def gradient_attack(net, X, iters=50, overshoot=1.02):
    """Linearise f and jump to its zero (a DeepFool-style step), repeated until every sign has flipped."""
    s0 = np.sign(logit(net, X))
    delta = np.zeros_like(X)
    for _ in range(iters):
        f, J = forward(net, X + delta)
        active = np.sign(f[:, 0]) == s0
        if not active.any():
            break
        g = J[:, 0, :]
        step = overshoot * f[:, 0] / np.einsum("nk,nk->n", g, g)
        delta[active] -= (step[:, None] * g)[active]
    return delta


def refine_direction(net, X, d, spans=(0.4, 0.02, 0.001), n_fan=41):
    """Zoom in on the closest flip: a fan of directions around each d, narrower at each level (2-D)."""
    theta = np.arctan2(d[:, 1], d[:, 0])
    for span in spans:
        fan = theta[:, None] + np.linspace(-span, span, n_fan)
        t = first_flip(net, X, np.stack([np.cos(fan), np.sin(fan)], axis=2))
        theta = fan[np.arange(len(X)), np.argmin(t, axis=1)]
    d = np.c_[np.cos(theta), np.sin(theta)]
    return first_flip(net, X, d[:, None, :])[:, 0], d


@functools.cache
def robustness(n_dirs=N_DIRS):
    """Certified radius |f(x)|/K against the closest flip found, for correctly classified test points."""
    net, _, _ = trained_classifier()
    Xt, yt = moons(N_TEST, seed=1)
    f = logit(net, Xt)
    keep = np.sign(f) == yt
    Xt, f = Xt[keep], f[keep]
    rng = np.random.default_rng(2)
    dirs = rng.standard_normal((len(Xt), n_dirs, 2))
    g = gradient_attack(net, Xt)
    dirs[:, 0] = g
    dirs /= np.linalg.norm(dirs, axis=2, keepdims=True)
    t = first_flip(net, Xt, dirs)
    start = dirs[np.arange(len(Xt)), np.argmin(t, axis=1)]
    found, direction = refine_direction(net, Xt, start)
    K = lipschitz_bound(net)
    return {
        "X": Xt,
        "f": f,
        "K": K,
        "K_measured": largest_jacobian_norm(net),
        "certified": np.abs(f) / K,
        "found": found,
        "adversarial": Xt + found[:, None] * direction,
    }


def probes_inside_radius(n_dirs=256, shrink=0.999, seed=4):
    """Sign changes among perturbations of length shrink × certified radius, in many directions."""
    net, _, _ = trained_classifier()
    r = robustness()
    d = np.random.default_rng(seed).standard_normal((n_dirs, 2))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    pts = r["X"][:, None, :] + shrink * r["certified"][:, None, None] * d[None]
    signs = np.sign(logit(net, pts.reshape(-1, 2))).reshape(len(r["X"]), n_dirs)
    return int(np.sum(signs != np.sign(r["f"])[:, None])), signs.size


# --- values and figures -----------------------------------------------------------------------------


def values():
    v = {}
    for act in ("sigmoid", "tanh", "relu", "identity"):
        top, where = max_slope(act)
        v[f"slope_{act}"] = float(top)
        v[f"argmax_lo_{act}"] = float(where.min())
        v[f"argmax_hi_{act}"] = float(where.max())
    v["slope_grid_step"] = float(SLOPE_GRID[1] - SLOPE_GRID[0])
    rows = sweep()
    v["n_networks"] = len(rows)
    v["max_measured_over_bound"] = max(r[4] / r[5] for r in rows)
    v["scale_min"], v["scale_max"] = float(SCALES[0]), float(SCALES[-1])
    v["search_random"], v["search_starts"], v["search_steps"] = N_RANDOM, N_STARTS, N_STEPS
    v["net_p"], v["net_width"], v["net_outputs"] = NET_P, NET_WIDTH, NET_OUTPUTS
    for act in ACTS:
        for d in (2, 6):
            _, meas, bound = sweep_arrays(act, d)
            v[f"loose_{act}_d{d}_c1"] = float(bound[4] / meas[4])
            v[f"bound_{act}_d{d}_cmin"] = float(bound[0])
            v[f"bound_{act}_d{d}_cmax"] = float(bound[-1])
            v[f"meas_{act}_d{d}_cmin"] = float(meas[0])
            v[f"meas_{act}_d{d}_cmax"] = float(meas[-1])
    v["loose_d6_min"] = min(v[f"loose_{act}_d6_c1"] for act in ACTS)
    v["loose_d6_max"] = max(v[f"loose_{act}_d6_c1"] for act in ACTS)
    net = make_net("tanh", 4, 1.0, seed=4)
    v["hidden_factor_tanh_c1"] = float(layer_factors(net)[1])
    # homogeneity: the same inputs before and after doubling every W_l
    X = random_inputs(4)
    for act in ACTS:
        base = make_net(act, 4, 1.0, seed=4)
        ratio = jacobian_norms(scale_weights(base, 2.0), X).max() / jacobian_norms(base, X).max()
        v[f"homog_ratio_{act}"] = float(ratio)
    v["homog_c"], v["homog_depth"] = 2.0, 4
    # Frobenius vs spectral
    v["fro_over_spec_identity16"] = frobenius_over_spectral(np.eye(16))
    v["fro_over_spec_gauss16"] = frobenius_over_spectral(np.random.default_rng(0).standard_normal((16, 16)))
    spread, aligned = equal_penalty_pair()
    v["pair_penalty_spread"] = weight_penalty_sum(spread)
    v["pair_penalty_aligned"] = weight_penalty_sum(aligned)
    v["pair_k_spread"] = largest_jacobian_norm(spread)
    v["pair_k_aligned"] = largest_jacobian_norm(aligned)
    v["pair_k_ratio"] = v["pair_k_aligned"] / v["pair_k_spread"]
    chain = penalty_chain(make_net("tanh", 6, 1.0, seed=6))
    v.update({f"chain_{k}": float(x) for k, x in chain.items()})
    # robustness
    net, X, y = trained_classifier()
    v["robust_train_acc"] = float(np.mean(np.sign(logit(net, X)) == y))
    r = robustness()
    ratio = r["found"] / r["certified"]
    v["robust_k_bound"] = r["K"]
    v["robust_k_measured"] = r["K_measured"]
    v["robust_k_looseness"] = r["K"] / r["K_measured"]
    v["robust_n_points"] = len(ratio)
    v["robust_test_total"], v["robust_train_n"], v["robust_dirs"] = N_TEST, N_TRAIN, N_DIRS
    v["robust_ratio_min"] = float(ratio.min())
    v["robust_ratio_median"] = float(np.median(ratio))
    v["robust_ratio_max"] = float(ratio.max())
    v["robust_ratio_measured_k_median"] = float(np.median(r["found"] / (np.abs(r["f"]) / r["K_measured"])))
    flips, probes = probes_inside_radius()
    v["robust_probe_flips"], v["robust_probes"] = flips, probes
    v["robust_lam"], v["robust_eta"], v["robust_steps"] = ROBUST_LAM, ROBUST_ETA, ROBUST_STEPS
    return v


def fig_bound(fig, pal):
    """Measured K and the product bound against the weight scale c, for depths 2 and 6."""
    fig.set_size_inches(6.4, 3.3)
    axes = fig.subplots(1, 3)
    for ax, act in zip(axes, ACTS, strict=True):
        for depth, colour in ((2, pal.blue), (6, pal.orange)):
            c, meas, bound = sweep_arrays(act, depth)
            ax.loglog(c, bound, color=colour, ls="--", label=f"bound, D = {depth}")
            ax.loglog(c, meas, "o", color=colour, ms=4, label=f"measured, D = {depth}")
        ax.set_title(act)
        ax.set_xticks([0.25, 1, 4], ["0.25", "1", "4"])
        ax.minorticks_off()
        ax.set_xlabel("weight scale c")
    axes[0].set_ylabel("Lipschitz constant K")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=4, fontsize=8)


def circles(centres, radii, n=18):
    """x and y coordinates tracing each circle, separated by NaN (one line for all discs)."""
    t = np.append(np.linspace(0, 2 * np.pi, n), np.nan)
    xs = centres[:, :1] + radii[:, None] * np.cos(t)
    ys = centres[:, 1:] + radii[:, None] * np.sin(t)
    return xs.ravel(), ys.ravel()


def fig_robust(fig, pal):
    """Decision boundary with certified discs, and the closest flip found against the certified radius."""
    net, _, _ = trained_classifier()
    r = robustness()
    fig.set_size_inches(6.4, 3.4)
    ax1, ax2 = fig.subplots(1, 2)
    g = np.linspace(-2.0, 2.0, 80)
    G1, G2 = np.meshgrid(g, g)
    F = logit(net, np.c_[G1.ravel(), G2.ravel()]).reshape(G1.shape)
    ax1.contour(G1, G2, F, levels=[0.0], colors=pal.fg, linewidths=1.2)
    positive = r["f"] > 0
    ax1.scatter(*r["X"][positive].T, s=6, color=pal.blue, label="test point, class +1")
    ax1.scatter(*r["X"][~positive].T, s=6, color=pal.orange, label="test point, class −1")
    ax1.plot(*circles(r["X"], r["certified"]), color=pal.green, lw=0.7, label="certified disc")
    ax1.scatter(*r["adversarial"].T, s=9, marker="x", lw=0.8, color=pal.pink, label="closest flip found")
    ax1.set_xlim(-2, 2)
    ax1.set_ylim(-1.5, 1.5)
    ax1.set_aspect("equal")
    lim = np.array([0.8 * r["certified"].min(), 1.2 * r["found"].max()])
    ax2.loglog(r["certified"], r["found"], "o", color=pal.green, ms=3.5, label="test point")
    ax2.loglog(lim, lim, color=pal.muted, ls="--", label="found = certified")
    ax2.set_xlabel("certified radius |f(x)|/K")
    ax2.set_ylabel("closest flip found")
    handles = ax1.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0][1:]
    fig.legend(handles, [h.get_label() for h in handles], loc="outside lower center", ncol=3, fontsize=8)
