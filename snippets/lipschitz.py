"""Small weights cap a network's Lipschitz constant K: slopes, layer bound, measured K, certified radii."""

from __future__ import annotations

import functools
import itertools

import numpy as np
from matplotlib.ticker import LogLocator

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


NET_P, NET_WIDTH, NET_OUTPUTS = 2, 16, 2


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


N_RANDOM, N_STARTS, N_ROUNDS, N_PROPOSALS = 500, 4, 25, 16
SEARCH_TOL, MAX_EFFORT = 0.005, 64


def largest_jacobian_norm(net, effort=1, seed=1):
    """A lower estimate of K = sup_x ‖J(x)‖₂: the largest ‖J(x)‖₂ found by a search.

    effort × N_RANDOM random inputs, then an adaptive random local search from the best effort × N_STARTS
    of them: each of effort × N_ROUNDS rounds tries N_PROPOSALS Gaussian steps around every start, keeps
    the best if it improves (and grows the step by 1.5), else shrinks the step by 0.6. Any x found gives
    ‖J(x)‖₂ ≤ K, so the result can only err low.
    """
    p = net[1][0][0].shape[1]
    X = random_inputs(p, effort * N_RANDOM, seed)
    s = jacobian_norms(net, X)
    n_starts = min(effort * N_STARTS, len(s))
    best = np.argsort(s)[-n_starts:]
    x, val = X[best].copy(), s[best].copy()
    step = 0.3 * np.linalg.norm(x, axis=1)
    rng = np.random.default_rng(seed + 1)
    rows = np.arange(n_starts)
    for _ in range(effort * N_ROUNDS):
        noise = rng.standard_normal((n_starts, N_PROPOSALS, p)) / np.sqrt(p)
        cand = x[:, None, :] + step[:, None, None] * noise
        cval = jacobian_norms(net, cand.reshape(-1, p)).reshape(n_starts, N_PROPOSALS)
        j = cval.argmax(axis=1)
        up = cval[rows, j] > val
        x[up], val[up] = cand[rows, j][up], cval[rows, j][up]
        step = np.where(up, step * 1.5, step * 0.6)
    return float(max(s.max(), val.max()))


@functools.cache
def converged_search(net_key):
    """largest_jacobian_norm at effort 1, 2, 4, … (a fresh seed each time), keeping the best, until doubling
    the effort raises the best by less than SEARCH_TOL (or MAX_EFFORT is reached): (estimate, effort)."""
    net = _unkey(net_key)
    best, effort = largest_jacobian_norm(net, 1, seed=1), 1
    while effort < MAX_EFFORT:
        effort *= 2
        new = max(best, largest_jacobian_norm(net, effort, seed=effort))
        if new <= best * (1 + SEARCH_TOL):
            return new, effort
        best = new
    return best, effort


def _key(net):
    act, layers = net
    return act, tuple((W.tobytes(), W.shape, b.tobytes()) for W, b in layers)


def _unkey(key):
    act, layers = key
    return act, [(np.frombuffer(W).reshape(shape), np.frombuffer(b)) for W, shape, b in layers]


def relu_arcs(net):
    """Every linear piece of a bias-free ReLU network with two inputs, found exactly.

    f(r·u(θ)) = r·J(θ)u(θ) with u(θ) = (cos θ, sin θ): the Jacobian depends on the direction θ only and is
    constant on arcs. Layer by layer, each arc is cut where a unit's pre-activation Z_j·u(θ) changes sign,
    at θ = atan2(Z_j1, Z_j0) ± π/2. Returns [(θ_start, θ_end, J)].
    """
    act, layers = net
    assert act == "relu" and layers[0][0].shape[1] == 2 and all(not b.any() for _, b in layers)
    arcs = [(0.0, 2 * np.pi, np.eye(2))]
    for W, _ in layers[:-1]:
        new = []
        for lo, hi, A in arcs:
            Z = W @ A
            phase = np.arctan2(Z[:, 1], Z[:, 0])
            cuts = np.concatenate([phase + np.pi / 2, phase - np.pi / 2]) % (2 * np.pi)
            edges = np.concatenate([[lo], np.sort(cuts[(cuts > lo) & (cuts < hi)]), [hi]])
            for a, b in itertools.pairwise(edges):
                if b > a:
                    mid = 0.5 * (a + b)
                    on = Z @ np.array([np.cos(mid), np.sin(mid)]) > 0
                    new.append((a, b, Z * on[:, None]))
        arcs = new
    W_out = layers[-1][0]
    return [(a, b, W_out @ A) for a, b, A in arcs]


def relu_pieces(net):
    """How many linear pieces the circle of directions falls into (the arcs at θ = 0 and 2π are one piece)."""
    arcs = relu_arcs(net)
    return len(arcs) - int(np.allclose(arcs[0][2], arcs[-1][2], rtol=1e-12, atol=0))


def exact_relu_constant(net):
    """K of a bias-free ReLU network with two inputs: the largest ‖J‖₂ over its linear pieces (certified)."""
    return float(max(np.linalg.norm(J, 2) for _, _, J in relu_arcs(net)))


def certified(net):
    """True when measured_k(net) is exact: a bias-free ReLU network with two inputs."""
    act, layers = net
    return act == "relu" and layers[0][0].shape[1] == 2 and all(not b.any() for _, b in layers)


def measured_k(net):
    """The page's "measured K": exact where certified(net), otherwise the search's lower estimate."""
    return exact_relu_constant(net) if certified(net) else converged_search(_key(net))[0]


ACTS = ("sigmoid", "tanh", "relu")
DEPTHS = (2, 3, 4, 5, 6)
MEASURED_DEPTHS = (2, 6)
SCALES = np.geomspace(0.25, 4.0, 9)
LOOSE_SEEDS = range(10)  # random draws for the spread of the exact ReLU looseness


def bound_curve(act, depth):
    """The layer-product bound of the bias-free network of every weight scale c in SCALES."""
    return np.array([lipschitz_bound(make_net(act, depth, c, seed=depth)) for c in SCALES])


@functools.cache
def sweep():
    """Measured K (exact for ReLU, a search's lower estimate otherwise) and the bound for every activation,
    depth 2 and 6 and weight scale c, networks without biases: rows (act, depth, c, measured, bound)."""
    rows = []
    for act in ACTS:
        for depth in MEASURED_DEPTHS:
            for c in SCALES:
                net = make_net(act, depth, c, seed=depth)
                rows.append((act, depth, float(c), measured_k(net), lipschitz_bound(net)))
    return rows


def sweep_arrays(act, depth):
    """(c, measured K, bound) over SCALES for one activation and depth."""
    rows = [r for r in sweep() if r[0] == act and r[1] == depth]
    return tuple(np.array([r[k] for r in rows]) for k in (2, 3, 4))


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
        "measured": measured_k(net),
        "spectral": lipschitz_bound(net),
        "frobenius": float(np.prod(a * fro)),
        "penalty": float(np.prod(a) * (weight_penalty_sum(net) / D) ** (D / 2)),
    }


def multiclass_radius(net, X):
    """The certified radius m/(√2 K) of each input: m the top score minus the runner-up, K the bound."""
    top = np.sort(forward(net, X)[0], axis=1)
    return (top[:, -1] - top[:, -2]) / (np.sqrt(2) * lipschitz_bound(net))


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
        "K_measured": measured_k(net),
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
    return {
        **values_slopes(),
        **values_bound(),
        **values_depth(),
        **values_scaling(),
        **values_penalty(),
        **values_robust(),
    }


def values_slopes():
    """The table of maximum slopes."""
    v = {}
    for act in ("sigmoid", "tanh", "relu", "identity"):
        top, where = max_slope(act)
        v[f"slope_{act}"] = float(top)
        v[f"argmax_lo_{act}"] = float(where.min())
        v[f"argmax_hi_{act}"] = float(where.max())
    v["slope_grid_step"] = float(SLOPE_GRID[1] - SLOPE_GRID[0])
    return v


def values_bound():
    """Checking the bound on random networks: measured K against the layer product."""
    rows = sweep()
    v = {"n_networks": len(rows), "n_certified": sum(r[0] == "relu" for r in rows)}
    v["max_measured_over_bound"] = max(r[3] / r[4] for r in rows)
    v["scale_min"], v["scale_max"] = float(SCALES[0]), float(SCALES[-1])
    v["search_random"], v["search_starts"] = N_RANDOM, N_STARTS
    v["search_rounds"], v["search_proposals"] = N_ROUNDS, N_PROPOSALS
    v["search_tol_percent"] = 100 * SEARCH_TOL
    v["net_p"], v["net_width"], v["net_outputs"] = NET_P, NET_WIDTH, NET_OUTPUTS
    for act in ACTS:
        for d in MEASURED_DEPTHS:
            _, meas, bound = sweep_arrays(act, d)
            v[f"loose_{act}_d{d}_c1"] = float(bound[4] / meas[4])
            v[f"bound_{act}_d{d}_cmin"] = float(bound[0])
            v[f"bound_{act}_d{d}_cmax"] = float(bound[-1])
            v[f"meas_{act}_d{d}_cmin"] = float(meas[0])
            v[f"meas_{act}_d{d}_cmax"] = float(meas[-1])
    v["loose_d6_min"] = min(v[f"loose_{act}_d6_c1"] for act in ACTS)
    v["loose_d6_max"] = max(v[f"loose_{act}_d6_c1"] for act in ACTS)
    v["relu_arcs_d6_c1"] = relu_pieces(make_net("relu", 6, 1.0, seed=6))
    for d in MEASURED_DEPTHS:  # the spread of the exact ReLU looseness over ten random draws at c = 1
        loose = [
            lipschitz_bound(n) / exact_relu_constant(n)
            for n in (make_net("relu", d, 1.0, seed=s) for s in LOOSE_SEEDS)
        ]
        v[f"relu_loose_seeds_d{d}_min"], v[f"relu_loose_seeds_d{d}_max"] = (
            float(min(loose)),
            float(max(loose)),
        )
    v["relu_loose_n_seeds"] = len(LOOSE_SEEDS)
    return v


def values_depth():
    """When depth makes the bound grow."""
    return {"hidden_factor_tanh_c1": float(layer_factors(make_net("tanh", 4, 1.0, seed=4))[1])}


def values_scaling():
    """Scaling the weights: measured K of the same depth-4 networks before and after doubling every W_l."""
    v = {"homog_c": 2.0, "homog_depth": 4}
    for act in ACTS:
        base = make_net(act, 4, 1.0, seed=4)
        v[f"homog_ratio_{act}"] = measured_k(scale_weights(base, 2.0)) / measured_k(base)
    return v


def values_penalty():
    """What an L2 penalty controls: Frobenius against spectral norms, the chain, the equal-penalty pair."""
    v = {
        "fro_over_spec_identity16": frobenius_over_spectral(np.eye(16)),
        "fro_over_spec_gauss16": frobenius_over_spectral(np.random.default_rng(0).standard_normal((16, 16))),
    }
    spread, aligned = equal_penalty_pair()
    v["pair_penalty_spread"] = weight_penalty_sum(spread)
    v["pair_penalty_aligned"] = weight_penalty_sum(aligned)
    v["pair_k_spread"] = measured_k(spread)
    v["pair_k_aligned"] = measured_k(aligned)
    v["pair_k_ratio"] = v["pair_k_aligned"] / v["pair_k_spread"]
    chain = penalty_chain(make_net("tanh", 6, 1.0, seed=6))
    v.update({f"chain_{k}": float(x) for k, x in chain.items()})
    return v


def values_robust():
    """Robustness: the trained classifier, its certified radii and the closest flips found."""
    net, X, y = trained_classifier()
    v = {"robust_train_acc": float(np.mean(np.sign(logit(net, X)) == y))}
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
    v["robust_norm_margin_median"] = float(np.median(r["certified"]))
    return v


def fig_bound(fig, pal):
    """Measured K and the product bound against the weight scale c, for depths 2 and 6."""
    fig.set_size_inches(4.8, 7.6)
    axes = fig.subplots(3, 1, sharex=True)
    for ax, act in zip(axes, ACTS, strict=True):
        for depth, colour in ((2, pal.blue), (6, pal.orange)):
            c, meas, bound = sweep_arrays(act, depth)
            ax.loglog(c, bound, color=colour, ls="--", label=f"bound, D = {depth}")
            ax.loglog(c, meas, "o", color=colour, ms=5, label=f"measured, D = {depth}")
        ax.set_ylabel(f"K, {act}")
        ax.minorticks_off()
        ax.yaxis.set_major_locator(LogLocator(numticks=4))
    axes[-1].set_xticks([0.25, 0.5, 1, 2, 4], ["0.25", "0.5", "1", "2", "4"])
    axes[-1].set_xlabel("weight scale c")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)


RELU_DEPTHS = (1, 2, 3, 4, 5, 6)
SLIDER_SCALES = SCALES


@functools.cache
def relu_depth_scan():
    """Exact K and the bound of bias-free ReLU networks of depth 1 to 6, at every slider scale c:
    arrays (len(SLIDER_SCALES), len(RELU_DEPTHS))."""
    exact = np.zeros((len(SLIDER_SCALES), len(RELU_DEPTHS)))
    bound = np.zeros_like(exact)
    for j, depth in enumerate(RELU_DEPTHS):
        base = make_net("relu", depth, 1.0, seed=depth)
        for i, c in enumerate(SLIDER_SCALES):
            net = scale_weights(base, c)
            exact[i, j], bound[i, j] = exact_relu_constant(net), lipschitz_bound(net)
    return exact, bound


def fig_relu_depth(fig, pal):
    """Exact K and the bound of bias-free ReLU networks against depth, at weight scales 0.5, 1 and 2."""
    fig.set_size_inches(4.8, 4.4)
    ax = fig.subplots()
    exact, bound = relu_depth_scan()
    for c, colour in ((0.5, pal.blue), (1.0, pal.orange), (2.0, pal.green)):
        i = int(np.argmin(np.abs(SLIDER_SCALES - c)))
        ax.semilogy(RELU_DEPTHS, bound[i], color=colour, ls="--", label=f"bound, c = {c:g}")
        ax.semilogy(RELU_DEPTHS, exact[i], "o", color=colour, ms=6, label=f"exact K, c = {c:g}")
    ax.set_xlabel("depth D")
    ax.set_ylabel("Lipschitz constant K")
    fig.legend(loc="outside lower center", ncols=2)


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_number(x, digits=3):
    """x with `digits` significant digits, in a × 10ⁿ form (Unicode) when it is very small or large."""
    if 100 <= abs(x) < 1e5:
        return f"{x:,.0f}"
    if 1e-3 <= abs(x) < 100:
        return f"{x:.{digits}g}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def data_relu_depth() -> dict:
    """Moving the slider scales every weight by c: the exact K and the bound at each depth."""
    exact, bound = (np.vectorize(lambda x: float(f"{x:.6g}"))(a) for a in relu_depth_scan())
    lo = float(10 ** np.floor(np.log10(exact.min())))
    hi = float(10 ** np.ceil(np.log10(bound.max())))
    depths = [float(d) for d in RELU_DEPTHS]
    frames = []
    for i, c in enumerate(SLIDER_SCALES):
        frames.append(
            {
                "series": [
                    {"type": "line", "x": depths, "y": bound[i].tolist(), "color": "blue",
                     "label": "bound ∏‖W‖₂", "dash": True},
                    {"type": "points", "x": depths, "y": exact[i].tolist(), "color": "orange",
                     "label": "exact K"},
                ],
                "readout": f"c = {c:.2f}: at depth 6 the bound is {plain_number(bound[i, -1])} and the exact "
                f"K {plain_number(exact[i, -1])}, {bound[i, -1] / exact[i, -1]:.0f} times smaller.",
            }
        )  # fmt: skip
    return {
        "kind": "frames",
        "xlabel": "depth D",
        "ylabel": "Lipschitz constant K",
        "xlim": [0.5, 6.5],
        "ylim": [lo, hi],
        "xscale": "linear",
        "yscale": "log",
        "equal": False,
        "slider": {
            "label": "weight scale c",
            "values": np.round(SLIDER_SCALES, 4).tolist(),
            "format": ".2f",
            "initial": 8,
        },
        "static": [],
        "frames": frames,
    }


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
    fig.set_size_inches(4.8, 8.0)
    ax1, ax2 = fig.subplots(2, 1, height_ratios=[1.15, 1])
    g = np.linspace(-2.0, 2.0, 80)
    G1, G2 = np.meshgrid(g, g)
    F = logit(net, np.c_[G1.ravel(), G2.ravel()]).reshape(G1.shape)
    ax1.contour(G1, G2, F, levels=[0.0], colors=pal.fg, linewidths=1.4)
    positive = r["f"] > 0
    ax1.scatter(*r["X"][positive].T, s=10, color=pal.blue, label="test point, class +1")
    ax1.scatter(*r["X"][~positive].T, s=10, marker="s", color=pal.orange, label="test point, class −1")
    ax1.plot(*circles(r["X"], r["certified"]), color=pal.green, lw=0.9, label="certified disc")
    ax1.scatter(*r["adversarial"].T, s=16, marker="x", lw=1.0, color=pal.pink, label="closest flip found")
    ax1.set_xlim(-2, 2)
    ax1.set_ylim(-1.5, 1.5)
    ax1.set_aspect("equal")
    ax1.set_xlabel("x₁")
    ax1.set_ylabel("x₂")
    lim = np.array([0.8 * r["certified"].min(), 1.2 * r["found"].max()])
    ax2.loglog(r["certified"], r["found"], "o", color=pal.green, ms=4, label="test point")
    ax2.loglog(lim, lim, color=pal.muted, ls="--", label="found = certified")
    ax2.set_xlabel("certified radius |f(x)|/K")
    ax2.set_ylabel("closest flip found")
    handles = ax1.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0][1:]
    fig.legend(handles, [h.get_label() for h in handles], loc="outside lower center", ncols=2)
