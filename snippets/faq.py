"""Rescaling a bias-free ReLU network: the function stays, the weight norm moves."""

from __future__ import annotations

import functools
import itertools

import numpy as np

WIDTHS = (2, 16, 16, 1)  # input, two hidden layers, output: D = 3 weight matrices
N_INPUTS = 2000
A_GRID = np.logspace(-1.5, 1.5, 61)
C_GRID = np.logspace(-1, 1, 21)
LAYER = 1  # the rebalanced pair is W_1 (scaled by a) and W_2 (scaled by 1/a), counting from 0
BALANCE_SWEEPS = 400  # coordinate-descent sweeps of balance_units
UNIT_SPREAD = 1.5  # standard deviation of log s for the random per-unit factors s
LIP_ANGLES = 20_000  # directions searched for the Lipschitz constant


def random_network(seed=7):
    """Weight matrices W_1 … W_D of a bias-free ReLU network, with He-scaled Gaussian entries."""
    rng = np.random.default_rng(seed)
    return [rng.normal(0, np.sqrt(2 / m), (k, m)) for m, k in itertools.pairwise(WIDTHS)]


def relu_network(weights, X):
    """f(x) = W_D φ(… φ(W_1 x)) with φ = ReLU and no biases; X holds one input per row."""
    h = X
    for W in weights[:-1]:
        h = np.maximum(h @ W.T, 0.0)
    return (h @ weights[-1].T)[:, 0]


def inputs(seed=8):
    """Points spread over the input plane."""
    return np.random.default_rng(seed).normal(0, 1, (N_INPUTS, WIDTHS[0]))


def scale_all(weights, c):
    """Every weight multiplied by c."""
    return [c * W for W in weights]


def rebalance(weights, layer, a):
    """Layer ``layer`` multiplied by a and the next one divided by a."""
    out = list(weights)
    out[layer], out[layer + 1] = a * weights[layer], weights[layer + 1] / a
    return out


def rescale_neurons(weights, layer, scales):
    """Hidden unit j of layer ``layer``: incoming row times scales[j], outgoing column divided by it."""
    out = list(weights)
    out[layer] = scales[:, None] * weights[layer]
    out[layer + 1] = weights[layer + 1] / scales[None, :]
    return out


def squared_norm(weights):
    """‖θ‖² = Σ_l ‖W_l‖²_F, the quantity an L2 penalty charges."""
    return float(sum(np.sum(W**2) for W in weights))


def unit_scales(seed=9, spread=None):
    """The random per-unit factors s_j > 0 of the page (log-normal, standard deviation of log s = spread)
    for the hidden units of layer LAYER + 1."""
    spread = UNIT_SPREAD if spread is None else spread
    return np.exp(np.random.default_rng(seed).normal(0, spread, WIDTHS[LAYER + 1]))


def balance_units(weights, sweeps=BALANCE_SWEEPS):
    """The cheapest way of writing the same network: rescale every hidden unit (incoming row times s,
    outgoing column over s) to minimise ‖θ‖². For one unit alone the best s makes the incoming and outgoing
    squared norms equal, s⁴ = ‖out‖²/‖in‖²; repeating that over all units is coordinate descent on a convex
    function of the log s (a sum of exponentials), so it converges to the minimum."""
    out = [np.array(W, dtype=float) for W in weights]
    for _ in range(sweeps):
        for layer in range(len(out) - 1):
            s = (np.sum(out[layer + 1] ** 2, axis=0) / np.sum(out[layer] ** 2, axis=1)) ** 0.25
            out = rescale_neurons(out, layer, s)
    return out


def unit_imbalance(weights):
    """Largest |‖incoming‖² − ‖outgoing‖²| over the hidden units: zero at a minimum over rescalings."""
    return float(
        max(
            np.max(np.abs(np.sum(weights[l] ** 2, axis=1) - np.sum(weights[l + 1] ** 2, axis=0)))
            for l in range(len(weights) - 1)
        )
    )


def path_norm(weights):
    """The ℓ2 path norm φ₂ = √(Σ over input-output paths of the product of the squared weights along the
    path) = √(1ᵀ (W_D∘W_D) ⋯ (W_1∘W_1) 1): unchanged by any rescaling of the units."""
    m = np.ones((weights[0].shape[1], 1))
    for W in weights:
        m = (W**2) @ m
    return float(np.sqrt(m.sum()))


def normalise_units(weights):
    """Rescale every hidden unit, layer by layer, so that its incoming weight vector has length 1; the
    output layer absorbs the factors. The function is unchanged."""
    out = [np.array(W, dtype=float) for W in weights]
    for layer in range(len(out) - 1):
        out = rescale_neurons(out, layer, 1.0 / np.linalg.norm(out[layer], axis=1))
    return out


def spectral_bound(weights):
    """The Lipschitz bound Π_l ‖W_l‖₂ (largest singular values; ReLU has slope at most 1)."""
    return float(np.prod([np.linalg.norm(W, 2) for W in weights]))


def input_gradients(weights, X):
    """∇ₓf at each row of X: the Jacobian is carried forward layer by layer, masked by the active units
    (f is piecewise linear)."""
    h, J = X, np.broadcast_to(np.eye(X.shape[1]), (len(X), X.shape[1], X.shape[1]))
    for W in weights[:-1]:
        z = h @ W.T
        J = (z > 0)[:, :, None] * np.einsum("kj,mji->mki", W, J)
        h = np.maximum(z, 0.0)
    return np.einsum("j,mji->mi", weights[-1][0], J)


def lipschitz_estimate(weights, m=LIP_ANGLES):
    """Largest ‖∇f‖ over m directions of the input plane. A bias-free ReLU network is positively
    homogeneous, so its gradient depends only on the direction: this is a lower estimate of the Lipschitz
    constant that misses only linear pieces narrower than 2π/m."""
    _, circle = circle_inputs(m)
    return float(np.max(np.linalg.norm(input_gradients(weights, circle), axis=1)))


def balanced_norm(weights):
    """The smallest ‖θ‖² reachable by per-layer rescalings with product 1: D · (Π_l ‖W_l‖_F)^(2/D)."""
    norms = np.array([np.linalg.norm(W) for W in weights])
    return float(len(weights) * np.prod(norms) ** (2 / len(weights)))


@functools.cache
def rebalance_sweep():
    """Weight norm and largest output change over the inputs, for each a in A_GRID."""
    weights, X = random_network(), inputs()
    f0 = relu_network(weights, X)
    norms, changes = [], []
    for a in A_GRID:
        w_a = rebalance(weights, LAYER, a)
        norms.append(squared_norm(w_a))
        changes.append(np.max(np.abs(relu_network(w_a, X) - f0)))
    return {"a": A_GRID, "norm": np.array(norms), "change": np.array(changes), "scale": np.max(np.abs(f0))}


C_SHOWN = (0.6, 1.0, 1.4)
C_SLIDER = np.round(np.arange(0.5, 1.5001, 0.1), 1)  # the live figure's weight scales
LIVE_STEP = 6  # the live figure draws every sixth of the 720 directions (every 3 degrees)


def circle_inputs(m=720):
    """Inputs on the unit circle; a bias-free ReLU network is positively homogeneous in x, so the circle
    shows every direction of the input plane."""
    theta = np.linspace(0, 2 * np.pi, m, endpoint=False)
    return theta, np.column_stack([np.cos(theta), np.sin(theta)])


def sign_changes(theta, f):
    """Angles where the output changes sign (the decision boundary, seen on the circle), by interpolation."""
    f_next, t_next = (
        np.roll(f, -1),
        np.roll(theta, -1) + (np.arange(theta.size) == theta.size - 1) * 2 * np.pi,
    )
    i = np.flatnonzero(np.sign(f) != np.sign(f_next))
    return theta[i] + (t_next[i] - theta[i]) * f[i] / (f[i] - f_next[i])


@functools.cache
def scale_sweep():
    """Output ratio f_c(x)/f(x), sign agreement and boundary angles for each c in C_GRID."""
    weights, X = random_network(), inputs()
    theta, circle = circle_inputs()
    f0 = relu_network(weights, X)
    keep = np.abs(f0) > 1e-12
    ratios, agree, shifts = [], [], []
    base = sign_changes(theta, relu_network(weights, circle))
    for c in C_GRID:
        scaled = scale_all(weights, c)
        fc = relu_network(scaled, X)
        ratios.append(fc[keep] / f0[keep])
        agree.append(np.mean(np.sign(fc) == np.sign(f0)))
        shifts.append(np.max(np.abs(sign_changes(theta, relu_network(scaled, circle)) - base)))
    return {
        "c": C_GRID,
        "ratios": np.array(ratios),
        "agree": np.array(agree),
        "boundary_shift": np.array(shifts),
        "boundary": base,
        "depth": len(weights),
    }


def values_scaling():
    """Scaling every weight: the output scales like c^D, the boundary stays."""
    sc = scale_sweep()
    D = len(random_network())
    slope = np.polyfit(np.log(C_GRID), np.log(np.median(sc["ratios"], axis=1)), 1)[0]
    return {
        "depth": D,
        "width": WIDTHS[1],
        "n_inputs": N_INPUTS,
        "c_min": float(C_GRID[0]),
        "c_max": float(C_GRID[-1]),
        "scale_slope": float(slope),
        "sign_agreement": float(sc["agree"].min()),
        "ratio_max_error": float(np.max(np.abs(sc["ratios"] / C_GRID[:, None] ** D - 1))),
        "n_boundary": len(sc["boundary"]),
        "boundary_shift": float(sc["boundary_shift"].max()),
    }


def values_rebalance():
    """One layer up, the next down: same function, different ‖θ‖²."""
    weights = random_network()
    rb = rebalance_sweep()
    n1, n2 = np.linalg.norm(weights[LAYER]), np.linalg.norm(weights[LAYER + 1])
    i10 = int(np.argmin(np.abs(A_GRID - 10)))
    return {
        "a_min": float(A_GRID[0]),
        "a_max": float(A_GRID[-1]),
        "norm_at_1": squared_norm(weights),
        "norm_at_10": float(rb["norm"][i10]),
        "norm_grid_max": float(rb["norm"].max()),
        "a_star": float(np.sqrt(n2 / n1)),
        "norm_pair_min": float(squared_norm(weights) - n1**2 - n2**2 + 2 * n1 * n2),
        "norm_balanced": balanced_norm(weights),
        "max_change": float(rb["change"].max()),
        "output_scale": float(rb["scale"]),
    }


def values_units():
    """Rescaling unit by unit: random factors, the cheapest form, the path norm."""
    weights, X = random_network(), inputs()
    f0 = relu_network(weights, X)
    per_neuron = rescale_neurons(weights, LAYER, unit_scales())
    cheapest = balance_units(weights)
    normalised = normalise_units(weights)
    D = len(weights)
    return {
        "per_neuron_norm": squared_norm(per_neuron),
        "per_neuron_change": float(np.max(np.abs(relu_network(per_neuron, X) - f0))),
        "unit_min_norm": squared_norm(cheapest),
        "unit_min_change": float(np.max(np.abs(relu_network(cheapest, X) - f0))),
        "unit_min_imbalance": unit_imbalance(cheapest),
        "unit_min_layer_norm": float(np.sum(cheapest[0] ** 2)),
        "unit_min_layer_spread": float(np.ptp([np.sum(W**2) for W in cheapest])),
        "path_norm": path_norm(weights),
        "path_norm_bound": float(D * path_norm(weights) ** (2 / D)),
        "normalised_out_norm": float(np.linalg.norm(normalised[-1])),
        "normalised_change": float(np.max(np.abs(relu_network(normalised, X) - f0))),
        "n_units": int(sum(WIDTHS[1:-1])),
        "unit_spread": UNIT_SPREAD,
    }


def values_lipschitz():
    """The Lipschitz bound against the measured constant, as written and in the cheapest form."""
    weights = random_network()
    K = lipschitz_estimate(weights)
    return {
        "lip_bound": spectral_bound(weights),
        "lip_bound_balanced": spectral_bound(balance_units(weights)),
        "lip_measured": K,
        "lip_ratio": spectral_bound(weights) / K,
        "lip_angles": LIP_ANGLES,
    }


def values():
    return {**values_scaling(), **values_rebalance(), **values_units(), **values_lipschitz()}


def fig_rebalance(fig, pal):
    """‖θ‖² against the rebalancing factor a, with the function itself unchanged at every a; the cheapest
    forms over all layer rescalings and over all unit rescalings for comparison."""
    fig.set_size_inches(4.8, 5.0)
    d = rebalance_sweep()
    weights = random_network()
    n1, n2 = np.linalg.norm(weights[LAYER]), np.linalg.norm(weights[LAYER + 1])
    a_star = np.sqrt(n2 / n1)
    ax = fig.subplots()
    ax.plot(d["a"], d["norm"], color=pal.blue, label="‖θ‖², layer 2 times a, layer 3 over a")
    ax.plot([1.0], [squared_norm(weights)], "o", color=pal.orange, label="as initialised (a = 1)")
    ax.plot(
        [a_star],
        [squared_norm(rebalance(weights, LAYER, a_star))],
        "o",
        color=pal.green,
        label="balanced pair (a*)",
    )
    ax.axhline(
        balanced_norm(weights), color=pal.pink, ls="--", lw=1.2, label="cheapest over all layer scalings"
    )
    ax.axhline(
        squared_norm(balance_units(weights)),
        color=pal.sky,
        ls=":",
        lw=1.6,
        label="cheapest over all unit scalings",
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rebalancing factor a")
    ax.set_ylabel("sum of squared weights ‖θ‖²")
    fig.legend(loc="outside lower center", ncols=1)


def fig_scale_all(fig, pal):
    """The output around the unit circle for three scalings c: it grows like c^D, its zeros stay put."""
    fig.set_size_inches(4.8, 4.2)
    d = scale_sweep()
    weights = random_network()
    theta, circle = circle_inputs()
    ax = fig.subplots()
    for c, colour in zip(C_SHOWN, (pal.sky, pal.blue, pal.orange), strict=True):
        ax.plot(
            np.degrees(theta), relu_network(scale_all(weights, c), circle), color=colour, label=f"c = {c:g}"
        )
    for angle in d["boundary"]:
        ax.axvline(np.degrees(angle), color=pal.muted, lw=0.8, linestyle=":")
    ax.axhline(0, color=pal.muted, lw=0.8)
    ax.set_xlim(0, 360)
    ax.set_xticks(range(0, 361, 60))
    ax.set_xlabel("direction ψ of the input (cos ψ, sin ψ), degrees")
    ax.set_ylabel("network output f(x)")
    ax.plot([], [], color=pal.muted, lw=0.8, linestyle=":", label="sign changes, same for every c")
    fig.legend(loc="outside lower center", ncols=2)


def refined_zeros(weights, theta, f, steps=60):
    """The sign changes of the output on the circle, each bisected between its two grid angles."""

    def at(t):
        return relu_network(weights, np.array([[np.cos(t), np.sin(t)]]))[0]

    found = []
    for i in np.flatnonzero(np.sign(f) != np.sign(np.roll(f, -1))):
        lo, hi = theta[i], theta[i] + (theta[1] - theta[0])
        for _ in range(steps):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if np.sign(at(mid)) == np.sign(at(lo)) else (lo, mid)
        found.append(0.5 * (lo + hi))
    return np.array(found)


def data_scale_all() -> dict:
    """Moving the slider multiplies every weight by c: the curve grows like c^D, its zeros stay."""
    weights = random_network()
    theta, circle = circle_inputs()
    base = relu_network(weights, circle)
    zeros = sign_changes(theta, base)
    marks_at = refined_zeros(weights, theta, base)  # the marks exact, not interpolated on the grid
    degrees = [round(float(t)) for t in np.degrees(theta[::LIVE_STEP])]  # whole degrees
    top = round(1.05 * float(np.max(np.abs(base))) * float(C_SLIDER[-1]) ** len(weights), 2)
    frames = []
    for c in C_SLIDER:
        f = relu_network(scale_all(weights, float(c)), circle)
        moved = sign_changes(theta, f)
        same = moved.size == zeros.size and float(np.max(np.abs(moved - zeros))) < 1e-9
        readout = (
            f"c = {c:.2f}: every weight is multiplied by {c:.2f}, so the L2 penalty ‖θ‖² is multiplied by "
            f"{c**2:.3f} and the output by {c ** len(weights):.3f} (c³); the {zeros.size} sign changes "
            + ("have not moved." if same else "have moved.")
        )
        frames.append({
            "series": [{"type": "line", "x": degrees, "y": [float(f"{y:.3g}") for y in f[::LIVE_STEP]],
                        "color": "orange", "label": "output, every weight × c"}],
            "readout": readout,
        })  # fmt: skip
    marks = [
        {"type": "line", "x": [round(float(np.degrees(z)), 2)] * 2, "y": [-top, top], "color": "muted",
         "dash": True} | ({"label": "sign changes at c = 1"} if i == 0 else {})
        for i, z in enumerate(marks_at)
    ]  # fmt: skip
    reference = {"type": "line", "x": degrees, "y": [float(f"{y:.3g}") for y in base[::LIVE_STEP]],
                 "color": "blue", "label": "output at c = 1"}  # fmt: skip
    return {
        "kind": "frames",
        "xlabel": "direction ψ of the input (cos ψ, sin ψ), degrees",
        "ylabel": "network output f(x)",
        "xlim": [0, 360],
        "ylim": [-top, top],
        "xscale": "linear",
        "yscale": "linear",
        "equal": False,
        "slider": {
            "label": "every weight multiplied by c",
            "values": [float(c) for c in C_SLIDER],
            "format": ".2f",
            "initial": int(np.flatnonzero(C_SLIDER == 1.0)[0]),
        },
        "static": [reference, *marks],
        "frames": frames,
    }
