"""A 2-128-128-1 ReLU net with and without Keras' L1(0.001): near-zero weights, a shorter boundary."""

from __future__ import annotations

import functools
import itertools
import math

import contourpy
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator

from snippets import conventions as cv

# --- the experiment's settings --------------------------------------------------------------

LAYER_SIZES = (2, 128, 128, 1)  # inputs, two ReLU hidden layers, one sigmoid output
KERAS_L1 = 0.001  # tf.keras.regularizers.l1(0.001), as in seed 004
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
def datasets():
    """(X_train, y_train, X_test, y_test), drawn once from one seed."""
    rng = np.random.default_rng(DATA_SEED)
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
def train(lam_, epochs=EPOCHS):
    """Mini-batch Adam on cost(): same data, same initialisation, same shuffles for every λ.

    Returns the trained parameters and the history [(epoch, training accuracy, held-out accuracy)].
    """
    X, y, X_test, y_test = datasets()
    rng = np.random.default_rng(TRAIN_SEED)
    theta, params = flat_views(init_params(rng))
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
    return v


# --- figures --------------------------------------------------------------------------------

TITLES = {"plain": "no penalty", "l1": "L1(0.001) on the hidden kernels"}


def fig_boundaries(fig, pal):
    """Both decision boundaries over the training points, with the predicted probability shaded."""
    fig.set_size_inches(6.4, 3.3)
    X, y, _, _ = datasets()
    cmap = LinearSegmentedColormap.from_list("classes", [pal.blue, pal.bg, pal.orange])
    axes = fig.subplots(1, 2, sharey=True)
    for ax, name in zip(axes, ("plain", "l1"), strict=True):
        f = grids()[name]
        ax.imshow(sigmoid(f), extent=BOX, origin="lower", cmap=cmap, vmin=0, vmax=1, alpha=0.55,
                  aspect="auto", interpolation="none")  # fmt: skip
        for piece in boundary_pieces(f):
            ax.plot(*piece.T, color=pal.fg, lw=1.3)
        for label, color, marker in ((0, pal.blue, "o"), (1, pal.orange, "^")):
            pts = X[y == label]
            ax.scatter(*pts.T, s=11, color=color, marker=marker, edgecolors=pal.fg, linewidths=0.3)
        ax.set_title(f"{TITLES[name]}\nboundary length {boundary_length(f):.1f}")
        ax.set_xlim(BOX[0], BOX[1])
        ax.set_ylim(BOX[2], BOX[3])
        ax.set_xlabel("x₁")
        ax.grid(False)
    axes[0].set_ylabel("x₂")


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
    h = weight_histograms()
    colors = {"plain": pal.blue, "l1": pal.orange}
    left, right = fig.subplots(1, 2)
    for name in ("plain", "l1"):
        label = "no penalty" if name == "plain" else "L1"
        left.stairs(h["signed"][name], h["signed_edges"], color=colors[name], lw=1.5, label=label)
        right.stairs(h["log"][name], h["log_edges"], color=colors[name], lw=1.5)
    left.set_yscale("log")
    left.set_xlabel("weight w")
    left.set_ylabel("number of weights (log scale)")
    left.legend(loc="upper left")
    right.set_xscale("log")
    right.axvline(NEAR_ZERO, color=pal.muted, ls="--", lw=1)
    right.text(0.03, 0.97, "dashed: |w| = 3η,\nthe near-zero line", transform=right.transAxes,
               va="top", ha="left", color=pal.muted, fontsize=8)  # fmt: skip
    right.set_xlabel("|w| (log scale)")
    right.set_ylabel("number of weights")
    for axis in (left.yaxis, right.xaxis):
        axis.set_major_locator(LogLocator(numticks=6))
        axis.set_major_formatter(FuncFormatter(power_of_ten))
        axis.set_minor_formatter(FuncFormatter(lambda x, pos: ""))


def fig_accuracy(fig, pal):
    """Final training and held-out accuracy of both networks, and both accuracies during training."""
    fig.set_size_inches(6.4, 3.4)
    s = summary()
    colors = {"plain": pal.blue, "l1": pal.orange}
    bars_ax, curve_ax = fig.subplots(1, 2, width_ratios=[1, 1.4])
    for i, name in enumerate(("plain", "l1")):
        for offset, key, hatch, alpha in ((-0.2, "train_acc", None, 1.0), (0.2, "test_acc", "///", 0.55)):
            bar = bars_ax.bar(i + offset, s[name][key], width=0.38, color=colors[name], hatch=hatch,
                              alpha=alpha, edgecolor=pal.bg, linewidth=0)  # fmt: skip
            bars_ax.bar_label(bar, labels=[f"{s[name][key]:.3f}"], padding=2, color=pal.fg, fontsize=8)
    bars_ax.set_xticks([0, 1], ["no penalty", "L1"])
    bars_ax.legend(handles=[Patch(color=pal.muted, label="training"),
                            Patch(facecolor=pal.muted, alpha=0.55, hatch="///", label="held-out")],
                   loc="upper right", fontsize=8)  # fmt: skip
    bars_ax.grid(axis="x", visible=False)
    bars_ax.set_ylabel("accuracy")
    for name, hist in histories().items():
        label = "no penalty" if name == "plain" else "L1"
        curve_ax.plot(hist[:, 0], hist[:, 2], color=colors[name], label=f"{label}: held-out")
        curve_ax.plot(hist[:, 0], hist[:, 1], color=colors[name], ls=":", lw=1.3, label=f"{label}: training")
    curve_ax.set_xlabel("epoch")
    curve_ax.legend(loc="lower right", fontsize=8)
    for ax in (bars_ax, curve_ax):
        ax.axhline(1 - FLIP, color=pal.muted, ls="--", lw=1)
        ax.set_ylim(0.5, 1.0)
