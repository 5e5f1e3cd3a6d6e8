"""A 2-128-128-1 ReLU net with and without Keras' L1(0.001): near-zero weights, a shorter boundary."""

from __future__ import annotations

import functools
import itertools
import math

import contourpy
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator

from snippets import conventions as cv

# --- the experiment's settings --------------------------------------------------------------

LAYER_SIZES = (2, 128, 128, 1)  # inputs, two ReLU hidden layers, one sigmoid output
KERAS_L1 = 0.001  # tf.keras.regularizers.l1(0.001), as in the article on the hidden cost of large weights
REGULARIZED_LAYERS = (0, 1)  # the kernels of the two hidden layers carry the penalty; the output layer not
N_TRAIN, N_TEST = 100, 2000
NOISE, FLIP = 0.2, 0.10  # Gaussian jitter of the moons, fraction of labels flipped
BATCH_SIZE, EPOCHS = 32, 1000  # Keras' default batch size; 1000 epochs = 4000 Adam steps
RECORD_EVERY = 25  # epochs between two accuracy measurements
LEARNING_RATE, BETA1, BETA2, EPSILON = 1e-3, 0.9, 0.999, 1e-7  # Keras' Adam defaults
NEAR_ZERO = 3 * LEARNING_RATE  # |w| below three Adam step sizes counts as "near zero"
BOX = (-1.6, 2.6, -1.2, 1.7)  # the input square of the figures and the boundary length
GRID = 140  # grid points per side for the boundary
DATA_SEED, TRAIN_SEED = 0, 1
# The repeat over seeds: run k draws its data from seed k and its initial weights and shuffles from seed k + 1
# (run 0 has the page's seeds). 32 units per hidden layer instead of 128 keep all 20 trainings within the
# page's time budget; a slow test repeats the full-size network.
N_RUNS, RUN_WIDTH = 10, 32
BAYES_STEP, BAYES_NODES = 0.02, 200  # grid step of the Bayes-accuracy integral, nodes along each moon


def lam():
    """The site's λ for Keras' l1(c): the penalty c·Σ|W| on the batch mean is (λ/n)·‖W‖₁ with λ = n·c."""
    return cv.lam_from_keras_l1(KERAS_L1, N_TRAIN)


# --- data ---------------------------------------------------------------------------------


def two_moons(n, rng):
    """n points on two interleaving half circles (n/2 each), jittered by NOISE, with a FLIP share of
    the labels flipped."""
    k = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    x = np.where(k == 0, np.cos(t), 1 - np.cos(t))
    y = np.where(k == 0, np.sin(t), 0.5 - np.sin(t))
    X = np.column_stack([x, y]) + NOISE * rng.standard_normal((n, 2))
    flipped = rng.choice(n, size=round(FLIP * n), replace=False)
    labels = k.astype(float)
    labels[flipped] = 1 - labels[flipped]
    return X, labels


@functools.cache
def datasets(seed=DATA_SEED):
    """(X_train, y_train, X_test, y_test), drawn once from one seed."""
    rng = np.random.default_rng(seed)
    X, y = two_moons(N_TRAIN, rng)
    X_test, y_test = two_moons(N_TEST, rng)
    return X, y, X_test, y_test


# --- the network --------------------------------------------------------------------------


def parameter_count(sizes=LAYER_SIZES):
    """Weights plus biases of a dense network: Σ over layers of (fan_in · fan_out + fan_out)."""
    return sum(a * b + b for a, b in itertools.pairwise(sizes))


def glorot_uniform(fan_in, fan_out, rng):
    """Keras' default kernel initialiser: uniform on ±√(6 / (fan_in + fan_out))."""
    limit = math.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out))


def init_params(rng, sizes=LAYER_SIZES):
    """[(W_1, b_1), (W_2, b_2), ...]: Glorot-uniform kernels, zero biases."""
    return [(glorot_uniform(a, b, rng), np.zeros(b)) for a, b in itertools.pairwise(sizes)]


def forward(params, X):
    """The output logit f(x) for every row of X, and the activations backpropagation needs."""
    acts, pre = [X], []
    for l, (W, b) in enumerate(params):
        z = acts[-1] @ W + b
        pre.append(z)
        if l < len(params) - 1:
            acts.append(np.maximum(z, 0.0))
    return pre[-1][:, 0], acts, pre


def sigmoid(f):
    return 0.5 * (1 + np.tanh(0.5 * f))


def cross_entropy(f, y):
    """Mean binary cross-entropy of labels y given logits f: mean of log(1 + e^f) − y·f."""
    return np.mean(np.logaddexp(0.0, f) - y * f)


def penalty(params, lam_, n):
    """(λ/n)·Σ|W| over the kernels of the regularized layers: Keras' c·Σ|W| with c = λ/n."""
    return sum(cv.l1_penalty(params[l][0], lam_, n) for l in REGULARIZED_LAYERS)


def cost(params, X, y, lam_, n=N_TRAIN):
    """The quantity Keras minimises on a batch: mean cross-entropy plus the L1 term."""
    return cross_entropy(forward(params, X)[0], y) + penalty(params, lam_, n)


def gradients(params, X, y, lam_, n=N_TRAIN):
    """Backpropagation of cost(): [(∂J/∂W_l, ∂J/∂b_l)], with d|w|/dw = sign(w) (0 at 0), as TensorFlow."""
    f, acts, pre = forward(params, X)
    delta = ((sigmoid(f) - y) / len(y))[:, None]  # ∂J/∂f for each sample
    grads = []
    for l in reversed(range(len(params))):
        W = params[l][0]
        gW = acts[l].T @ delta
        if l in REGULARIZED_LAYERS:
            gW = gW + lam_ / n * np.sign(W)
        grads.append((gW, delta.sum(axis=0)))
        if l > 0:
            delta = (delta @ W.T) * (pre[l - 1] > 0)
    return grads[::-1]


# --- Adam, as Keras writes it --------------------------------------------------------------


def adam_update(theta, g, m, v, t, lr=LEARNING_RATE):
    """One Adam step in place (Kingma & Ba, with ε inside the bias-corrected step size as in Keras)."""
    m *= BETA1
    m += (1 - BETA1) * g
    v *= BETA2
    v += (1 - BETA2) * g * g
    step = lr * math.sqrt(1 - BETA2**t) / (1 - BETA1**t)
    theta -= step * m / (np.sqrt(v) + EPSILON)


def flat_views(params):
    """One flat vector of all parameters, and [(W, b)] as views into it: one Adam call updates all."""
    theta = np.concatenate([a.ravel() for pair in params for a in pair])
    views, start = [], 0
    for W, b in params:
        Wv = theta[start : start + W.size].reshape(W.shape)
        bv = theta[start + W.size : start + W.size + b.size]
        views.append((Wv, bv))
        start += W.size + b.size
    return theta, views


@functools.cache
def train(lam_, epochs=EPOCHS, sizes=LAYER_SIZES, data_seed=DATA_SEED, train_seed=TRAIN_SEED):
    """Mini-batch Adam on cost(): same data, same initialisation, same shuffles for every λ.

    Returns the trained parameters and the history [(epoch, training accuracy, held-out accuracy)].
    """
    X, y, X_test, y_test = datasets(data_seed)
    rng = np.random.default_rng(train_seed)
    theta, params = flat_views(init_params(rng, sizes))
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    history = [(0, accuracy(params, X, y), accuracy(params, X_test, y_test))]
    t = 0
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(y))
        for start in range(0, len(y), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            t += 1
            g = np.concatenate(
                [a.ravel() for pair in gradients(params, X[batch], y[batch], lam_) for a in pair]
            )
            adam_update(theta, g, m, v, t)
        if epoch % RECORD_EVERY == 0:
            history.append((epoch, accuracy(params, X, y), accuracy(params, X_test, y_test)))
    return params, np.array(history)


def networks():
    """{'plain': parameters trained without penalty, 'l1': with Keras' L1(0.001) on the hidden kernels}."""
    return {"plain": train(0.0)[0], "l1": train(lam())[0]}


def histories():
    """{'plain': ..., 'l1': ...}: rows (epoch, training accuracy, held-out accuracy) during training."""
    return {"plain": train(0.0)[1], "l1": train(lam())[1]}


def accuracy(params, X, y):
    return float(np.mean((forward(params, X)[0] > 0) == (y > 0.5)))


# --- what the trained networks look like ---------------------------------------------------


def hidden_weights(params):
    """Every entry of the regularized kernels W_1 (2×128) and W_2 (128×128) in one vector."""
    return np.concatenate([params[l][0].ravel() for l in REGULARIZED_LAYERS])


def prune(params, threshold=NEAR_ZERO):
    """A copy with every near-zero hidden weight set exactly to zero."""
    out = [(W.copy(), b.copy()) for W, b in params]
    for l in REGULARIZED_LAYERS:
        out[l][0][np.abs(out[l][0]) < threshold] = 0.0
    return out


def rescaled(params, c):
    """The same classifier with both hidden kernels multiplied by c > 0: (cW₁, cb₁), (cW₂, c²b₂), (W₃, c²b₃).

    ReLU is positively homogeneous (φ(cz) = cφ(z)), so the logit becomes c²·f and the boundary f = 0 stays.
    """
    (W1, b1), (W2, b2), (W3, b3) = params
    return [(c * W1, c * b1), (c * W2, c**2 * b2), (W3, c**2 * b3)]


def active_units(params, threshold=NEAR_ZERO):
    """Hidden units whose output still depends on x: layer 1 units with a weight from the input that is not
    near zero, then layer 2 units with such a weight from an active layer 1 unit."""
    kept1, kept2 = (np.abs(params[l][0]) >= threshold for l in REGULARIZED_LAYERS)
    active1 = kept1.any(axis=0)
    active2 = kept2[active1].any(axis=0)
    return int(active1.sum()), int(active2.sum())


def grid_axes(size=GRID):
    return np.linspace(BOX[0], BOX[1], size), np.linspace(BOX[2], BOX[3], size)


def logit_grid(params, size=GRID):
    """The logit f on a size×size grid over BOX (rows follow the second input)."""
    gx, gy = grid_axes(size)
    xx, yy = np.meshgrid(gx, gy)
    f = forward(params, np.column_stack([xx.ravel(), yy.ravel()]))[0]
    return f.reshape(size, size)


def boundary_pieces(f_grid):
    """The decision boundary f(x) = 0 inside BOX, as polylines (marching squares on the grid of f)."""
    gx, gy = grid_axes(f_grid.shape[0])
    return contourpy.contour_generator(gx, gy, f_grid).lines(0.0)


def boundary_length(f_grid):
    """Total length of the decision boundary inside BOX. Any positive rescaling of f leaves it unchanged."""
    return float(sum(np.sum(np.hypot(*np.diff(p, axis=0).T)) for p in boundary_pieces(f_grid)))


@functools.cache
def grids():
    """{'plain': logit grid, 'l1': logit grid} of the two trained networks."""
    return {name: logit_grid(params) for name, params in networks().items()}


def mcnemar_p(a_right_b_wrong, b_right_a_wrong):
    """Exact two-sided McNemar p-value: the disagreements split like fair coin flips under 'no difference'."""
    n, k = a_right_b_wrong + b_right_a_wrong, min(a_right_b_wrong, b_right_a_wrong)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2**n)


# --- the best any classifier can do ----------------------------------------------------------


def moon_densities(x1, x2, nodes=BAYES_NODES):
    """p_k(x) = (1/π)∫₀^π N(x; m_k(t), σ²I) dt on the grid x1 × x2, for the moons m_0(t) = (cos t, sin t)
    and m_1(t) = (1 − cos t, ½ − sin t); midpoint rule in t. The Gaussian factorises: a matrix product."""
    t = (np.arange(nodes) + 0.5) * np.pi / nodes
    out = []
    for cx, cy in ((np.cos(t), np.sin(t)), (1 - np.cos(t), 0.5 - np.sin(t))):
        gx = np.exp(-0.5 * ((x1[None, :] - cx[:, None]) / NOISE) ** 2) / (NOISE * math.sqrt(2 * np.pi))
        gy = np.exp(-0.5 * ((x2[None, :] - cy[:, None]) / NOISE) ** 2) / (NOISE * math.sqrt(2 * np.pi))
        out.append(gx.T @ gy / nodes)  # [i, j] = p_k(x1_i, x2_j)
    return out


@functools.cache
def bayes_accuracy(step=BAYES_STEP):
    """Accuracy of the Bayes rule on fresh points: predict the moon with the larger density p_k(x).

    It picks the true moon with probability a = ½∫max(p₀, p₁)dx, and a label is flipped with probability
    FLIP, so the accuracy is (1 − FLIP)·a + FLIP·(1 − a). The integral is a Riemann sum over a grid
    reaching 6σ beyond the moons.
    """
    x1 = np.arange(-1 - 6 * NOISE, 2 + 6 * NOISE + step / 2, step)
    x2 = np.arange(-0.5 - 6 * NOISE, 1 + 6 * NOISE + step / 2, step)
    p0, p1 = moon_densities(x1, x2)
    a = 0.5 * float(np.sum(np.maximum(p0, p1))) * step**2
    return (1 - FLIP) * a + FLIP * (1 - a)


# --- the same experiment over many seeds ------------------------------------------------------


def stacked_views(theta, sizes):
    """[(W_l, b_l)] of each network in a stack: views (S, fan_in, fan_out), (S, fan_out) into theta (S, P)."""
    views, start = [], 0
    for a, b in itertools.pairwise(sizes):
        W = theta[:, start : start + a * b].reshape(len(theta), a, b)
        views.append((W, theta[:, start + a * b : start + a * b + b]))
        start += a * b + b
    return views


def stacked_forward(views, X):
    """forward() for a stack of networks, each with its own inputs X[s]."""
    acts, pre = [X], []
    for l, (W, b) in enumerate(views):
        pre.append(acts[-1] @ W + b[:, None, :])
        if l < len(views) - 1:
            acts.append(np.maximum(pre[-1], 0.0))
    return pre[-1][..., 0], acts, pre


def stacked_accuracy(views, X, y):
    return np.mean((stacked_forward(views, X)[0] > 0) == (y > 0.5), axis=1)


def train_stack(lams, data_seeds, train_seeds, sizes=LAYER_SIZES, epochs=EPOCHS):
    """train() for several networks at once, network s with penalty lams[s], its data from data_seeds[s] and
    its initial weights and batch order from train_seeds[s]: the same arithmetic, batched.

    Returns the stacked parameters and histories (S, records, 3): (epoch, training, held-out accuracy).
    """
    sets = [datasets(int(d)) for d in data_seeds]
    X, y, X_test, y_test = (np.array([d[k] for d in sets]) for k in range(4))
    rngs = [np.random.default_rng(int(t)) for t in train_seeds]
    theta = np.stack([flat_views(init_params(r, sizes))[0] for r in rngs])
    views = stacked_views(theta, sizes)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    lam_n = (np.asarray(lams, dtype=float) / N_TRAIN)[:, None, None]
    rows = np.arange(len(theta))[:, None]

    def record(epoch):
        train_acc, test_acc = stacked_accuracy(views, X, y), stacked_accuracy(views, X_test, y_test)
        return np.column_stack([np.full(len(theta), epoch), train_acc, test_acc])

    history, t = [record(0)], 0
    for epoch in range(1, epochs + 1):
        orders = np.stack([r.permutation(N_TRAIN) for r in rngs])
        for start in range(0, N_TRAIN, BATCH_SIZE):
            batch = orders[:, start : start + BATCH_SIZE]
            Xb, yb = X[rows, batch], y[rows, batch]
            t += 1
            f, acts, pre = stacked_forward(views, Xb)
            delta = ((sigmoid(f) - yb) / yb.shape[1])[..., None]
            grads = []
            for l in reversed(range(len(views))):
                W = views[l][0]
                gW = acts[l].transpose(0, 2, 1) @ delta
                if l in REGULARIZED_LAYERS:
                    gW = gW + lam_n * np.sign(W)
                grads += [delta.sum(axis=1), gW.reshape(len(theta), -1)]
                if l > 0:
                    delta = (delta @ W.transpose(0, 2, 1)) * (pre[l - 1] > 0)
            adam_update(theta, np.concatenate(grads[::-1], axis=1), m, v, t)
        if epoch % RECORD_EVERY == 0:
            history.append(record(epoch))
    return views, np.stack(history, axis=1)


def run_seeds(n_runs=N_RUNS):
    """Data seed and training seed of each run: (k, k + 1) for k = 0 … n_runs − 1."""
    return np.arange(n_runs), np.arange(n_runs) + TRAIN_SEED


@functools.cache
def seed_study(n_runs=N_RUNS, width=RUN_WIDTH, epochs=EPOCHS):
    """Every run trained twice, without and with the page's L1 penalty, on a 2-width-width-1 network.

    Returns {'plain': histories, 'l1': histories}, each (runs, records, 3), and 'params': the stacked
    parameters (plain runs first)."""
    data, train_ = run_seeds(n_runs)
    lams = [0.0] * n_runs + [lam()] * n_runs
    views, hist = train_stack(lams, np.tile(data, 2), np.tile(train_, 2), (2, width, width, 1), epochs)
    return {"plain": hist[:n_runs], "l1": hist[n_runs:], "params": views}


def seed_gains(study):
    """Final held-out accuracy of L1 minus that of the plain network, in percentage points, run by run."""
    return 100 * (study["l1"][:, -1, 2] - study["plain"][:, -1, 2])


@functools.cache
def summary():
    """Every number of the page, computed once."""
    X, y, X_test, y_test = datasets()
    nets = networks()
    out = {}
    for name, params in nets.items():
        w = hidden_weights(params)
        out[name] = {
            "train_acc": accuracy(params, X, y),
            "test_acc": accuracy(params, X_test, y_test),
            "near_zero": int(np.sum(np.abs(w) < NEAR_ZERO)),
            "exact_zero": int(np.sum(w == 0)),
            "near_zero_median": float(np.median(np.abs(w[np.abs(w) < NEAR_ZERO]))),
            "l1_norm": float(np.sum(np.abs(w))),
            "l2_norm": float(np.linalg.norm(w)),
            "largest": float(np.max(np.abs(w))),
            "boundary": boundary_length(grids()[name]),
            "pieces": len(boundary_pieces(grids()[name])),
            "units1": active_units(params)[0],
            "units2": active_units(params)[1],
            "best_test_acc": float(histories()[name][:, 2].max()),
            "best_epoch": int(histories()[name][np.argmax(histories()[name][:, 2]), 0]),
            "pruned_agree": float(
                np.mean((forward(prune(params), X_test)[0] > 0) == (forward(params, X_test)[0] > 0))
            ),
        }
    right = {k: (forward(p, X_test)[0] > 0) == (y_test > 0.5) for k, p in nets.items()}
    c = out["l1"]["l2_norm"] / out["plain"]["l2_norm"]
    shrunk = rescaled(nets["plain"], c)
    out["shrink_factor"] = c
    out["shrunk_l2_norm"] = float(np.linalg.norm(hidden_weights(shrunk)))
    out["shrunk_boundary"] = boundary_length(logit_grid(shrunk))
    out["only_plain_right"] = int(np.sum(right["plain"] & ~right["l1"]))
    out["only_l1_right"] = int(np.sum(right["l1"] & ~right["plain"]))
    return out


def values():
    s = summary()
    v = {
        "n_train": N_TRAIN,
        "n_test": N_TEST,
        "flip_percent": round(100 * FLIP),
        "noise": NOISE,
        "keras_c": KERAS_L1,
        "lam": lam(),
        "batch_size": BATCH_SIZE,
        "epochs": EPOCHS,
        "steps": EPOCHS * math.ceil(N_TRAIN / BATCH_SIZE),
        "last_batch": N_TRAIN - BATCH_SIZE * (math.ceil(N_TRAIN / BATCH_SIZE) - 1),
        "lr": LEARNING_RATE,
        "near_zero": NEAR_ZERO,
        "n_params": parameter_count(),
        "n_hidden_weights": int(hidden_weights(networks()["plain"]).size),
        "shrink_factor": s["shrink_factor"],
        "shrunk_l2_norm": s["shrunk_l2_norm"],
        "shrunk_boundary": s["shrunk_boundary"],
        "disagreements": s["only_plain_right"] + s["only_l1_right"],
        "l1_pruned_changed": round((1 - s["l1"]["pruned_agree"]) * N_TEST),
        "only_plain_right": s["only_plain_right"],
        "only_l1_right": s["only_l1_right"],
        "mcnemar_p": mcnemar_p(s["only_plain_right"], s["only_l1_right"]),
    }
    for name in ("plain", "l1"):
        for key, value in s[name].items():
            v[f"{name}_{key}"] = value
        v[f"{name}_near_zero_percent"] = 100 * s[name]["near_zero"] / v["n_hidden_weights"]
        v[f"{name}_kept"] = v["n_hidden_weights"] - s[name]["near_zero"]
    v["test_acc_gain_points"] = 100 * (s["l1"]["test_acc"] - s["plain"]["test_acc"])
    v["l1_norm_ratio"] = s["plain"]["l1_norm"] / s["l1"]["l1_norm"]
    v["l2_norm_ratio"] = s["plain"]["l2_norm"] / s["l1"]["l2_norm"]
    v["boundary_ratio"] = s["plain"]["boundary"] / s["l1"]["boundary"]
    v.update(values_ceiling())
    v.update(values_seeds())
    return v


def values_ceiling():
    """The Bayes accuracy of the data: the most any classifier can expect on fresh points."""
    b = bayes_accuracy()
    return {"bayes_acc": b, "bayes_acc_percent": 100 * b, "bayes_step": BAYES_STEP}


def values_seeds():
    """The experiment repeated over N_RUNS data and initialisation seeds, at RUN_WIDTH units per layer."""
    study = seed_study()
    gains = seed_gains(study)
    final = {k: study[k][:, -1, 2] for k in ("plain", "l1")}
    best = study["plain"][:, :, 2].max(axis=1)
    return {
        "n_runs": N_RUNS,
        "run_width": RUN_WIDTH,
        "runs_l1_ahead": int(np.sum(gains > 0)),
        "runs_gain_median": float(np.median(gains)),
        "runs_gain_min": float(gains.min()),
        "runs_gain_max": float(gains.max()),
        "runs_plain_median": float(np.median(final["plain"])),
        "runs_l1_median": float(np.median(final["l1"])),
        "runs_plain_best_beats_l1": int(np.sum(best >= final["l1"])),
        "runs_plain_train_median": float(np.median(study["plain"][:, -1, 1])),
        "runs_l1_train_median": float(np.median(study["l1"][:, -1, 1])),
    }


# --- figures --------------------------------------------------------------------------------

TITLES = {"plain": "no penalty", "l1": "L1(0.001)"}


def fig_boundaries(fig, pal):
    """Both decision boundaries over the training points, with the predicted class lightly shaded."""
    fig.set_size_inches(4.8, 6.6)
    X, y, _, _ = datasets()
    cmap = LinearSegmentedColormap.from_list("classes", [pal.blue, pal.bg, pal.orange])
    axes = fig.subplots(2, 1, sharex=True)
    for ax, name in zip(axes, ("plain", "l1"), strict=True):
        f = grids()[name]
        ax.imshow(sigmoid(f), extent=BOX, origin="lower", cmap=cmap, vmin=0, vmax=1, alpha=0.3,
                  aspect="auto", interpolation="none")  # fmt: skip
        for piece in boundary_pieces(f):
            ax.plot(*piece.T, color=pal.fg, lw=1.6)
        for label, color, marker in ((0, pal.blue, "o"), (1, pal.orange, "^")):
            pts = X[y == label]
            ax.scatter(*pts.T, s=22, color=color, marker=marker, edgecolors=pal.fg, linewidths=0.6)
        ax.set_title(f"{TITLES[name]}: boundary length {boundary_length(f):.1f}")
        ax.set_xlim(BOX[0], BOX[1])
        ax.set_ylim(BOX[2], BOX[3])
        ax.set_ylabel("x₂")
        ax.grid(False)
    axes[1].set_xlabel("x₁")


def weight_histograms(bins_signed=61, bins_log=56):
    """Histogram counts of the hidden weights: signed (linear bins) and |w| (log bins), per network."""
    ws = {name: hidden_weights(p) for name, p in networks().items()}
    top = max(np.max(np.abs(w)) for w in ws.values())
    signed_edges = np.linspace(-top, top, bins_signed + 1)
    log_edges = np.logspace(-8, np.log10(top), bins_log + 1)
    return {
        "signed_edges": signed_edges,
        "log_edges": log_edges,
        "signed": {k: np.histogram(w, signed_edges)[0] for k, w in ws.items()},
        "log": {k: np.histogram(np.abs(w), log_edges)[0] for k, w in ws.items()},
    }


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(x, _pos=None):
    """Tick label 10ⁿ in plain text (no mathtext)."""
    return "10" + str(round(np.log10(x))).translate(SUPERSCRIPT) if x > 0 else "0"


def fig_weights(fig, pal):
    """Histograms of the 16,640 hidden-layer weights of both networks: signed, and |w| on a log axis."""
    fig.set_size_inches(4.8, 6.4)
    h = weight_histograms()
    colors = {"plain": pal.blue, "l1": pal.orange}
    top, bottom = fig.subplots(2, 1)
    for name in ("plain", "l1"):
        label = "no penalty" if name == "plain" else "L1"
        top.stairs(h["signed"][name], h["signed_edges"], color=colors[name], lw=1.5, label=label)
        bottom.stairs(h["log"][name], h["log_edges"], color=colors[name], lw=1.5)
    top.set_yscale("log")
    top.set_xlabel("weight w")
    top.set_ylabel("count (log scale)")
    bottom.set_xscale("log")
    bottom.axvline(NEAR_ZERO, color=pal.muted, ls="--", lw=1.2, label="near-zero line |w| = 3η")
    bottom.set_xlabel("|w| (log scale)")
    bottom.set_ylabel("count")
    for axis in (top.yaxis, bottom.xaxis):
        axis.set_major_locator(LogLocator(numticks=6))
        axis.set_major_formatter(FuncFormatter(power_of_ten))
        axis.set_minor_formatter(FuncFormatter(lambda x, pos: ""))
    handles = top.get_legend_handles_labels()[0] + bottom.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="outside lower center", ncols=2)


def fig_accuracy(fig, pal):
    """Final training and held-out accuracy of both networks, and both accuracies during training."""
    fig.set_size_inches(4.8, 6.8)
    s = summary()
    colors = {"plain": pal.blue, "l1": pal.orange}
    bars_ax, curve_ax = fig.subplots(2, 1, height_ratios=[1, 1.3])
    for i, name in enumerate(("plain", "l1")):
        for offset, key, hatch, alpha in ((-0.2, "train_acc", None, 1.0), (0.2, "test_acc", "///", 0.55)):
            bars_ax.bar(i + offset, s[name][key], width=0.38, color=colors[name], hatch=hatch,
                        alpha=alpha, edgecolor=pal.bg, linewidth=0)  # fmt: skip
    bars_ax.set_xticks([0, 1], ["no penalty", "L1"])
    bars_ax.grid(axis="x", visible=False)
    bars_ax.set_ylabel("accuracy")
    for name, hist in histories().items():
        label = "no penalty" if name == "plain" else "L1"
        curve_ax.plot(hist[:, 0], hist[:, 2], color=colors[name], label=f"{label}: held-out")
        curve_ax.plot(hist[:, 0], hist[:, 1], color=colors[name], ls=":", lw=1.5, label=f"{label}: training")
    curve_ax.set_xlabel("epoch")
    curve_ax.set_ylabel("accuracy")
    for ax in (bars_ax, curve_ax):
        ax.axhline(bayes_accuracy(), color=pal.muted, ls="--", lw=1.2)
        ax.set_ylim(0.5, 1.0)
    handles = curve_ax.get_legend_handles_labels()[0] + [
        Patch(color=pal.muted, label="bar: training"),
        Patch(facecolor=pal.muted, alpha=0.55, hatch="///", label="bar: held-out"),
        Line2D([], [], color=pal.muted, ls="--", lw=1.2, label="Bayes accuracy"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2)


def fig_seeds(fig, pal):
    """Held-out accuracy during training in every run of the repeat, without and with the L1 penalty."""
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    study = seed_study()
    for name, colour in (("plain", pal.blue), ("l1", pal.orange)):
        for k, hist in enumerate(study[name]):
            label = None if k else ("no penalty" if name == "plain" else "L1")
            ax.plot(hist[:, 0], hist[:, 2], color=colour, lw=1, alpha=0.7, label=label)
    ax.axhline(bayes_accuracy(), color=pal.muted, ls="--", lw=1.2, label="Bayes accuracy")
    ax.set_ylim(*SEED_YLIM)
    ax.set_xlabel("epoch")
    ax.set_ylabel("held-out accuracy")
    fig.legend(loc="outside lower center", ncols=3)


SEED_YLIM = (0.6, 0.9)


def data_seeds() -> dict:
    """Moving the slider shows one run of the repeat at a time: its two held-out accuracy curves."""
    study = seed_study()
    gains = seed_gains(study)
    epochs = study["plain"][0, :, 0]
    bayes = round(bayes_accuracy(), 4)
    static = [{"type": "line", "x": [0.0, float(epochs[-1])], "y": [bayes, bayes], "color": "muted",
               "label": "Bayes accuracy", "dash": True}]  # fmt: skip
    frames = []
    for k in range(N_RUNS):
        series = [
            {
                "type": "line",
                "x": epochs.tolist(),
                "y": np.round(study[name][k, :, 2], 4).tolist(),
                "color": colour,
                "label": label,
            }
            for name, colour, label in (("plain", "blue", "no penalty"), ("l1", "orange", "L1"))
        ]
        p, q = study["plain"][k, -1, 2], study["l1"][k, -1, 2]
        readout = (
            f"Run {k + 1} of {N_RUNS}: held-out accuracy {p:.3f} without penalty, {q:.3f} with L1, "
            f"L1 {'ahead' if gains[k] > 0 else 'behind' if gains[k] < 0 else 'level'} by "
            f"{abs(gains[k]):.1f} points."
        )
        frames.append({"series": series, "readout": readout})
    return {
        "kind": "frames",
        "xlabel": "epoch",
        "ylabel": "held-out accuracy",
        "xlim": [0.0, float(epochs[-1])],
        "ylim": list(SEED_YLIM),
        "xscale": "linear",
        "yscale": "linear",
        "equal": False,
        "slider": {"label": "run", "values": [k + 1.0 for k in range(N_RUNS)], "format": "d", "initial": 0},
        "static": static,
        "frames": frames,
    }
