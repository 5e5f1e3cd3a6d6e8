"""Too large and too small weights both starve the backward pass of tanh and sigmoid networks."""

from __future__ import annotations

import functools

import numpy as np

from snippets import activations

# --- the two bounded activations, their slopes and the integral of each slope -----------------


def tanh_slope(z):
    """sech²z = 4e^(−2|z|) / (1 + e^(−2|z|))²: 1 − tanh²z without its rounding in the far tails."""
    e = np.exp(-2 * np.abs(z))
    return 4 * e / (1 + e) ** 2


def sigmoid_slope(z):
    """σ(z)(1 − σ(z)) = e^(−|z|) / (1 + e^(−|z|))², accurate in the far tails too."""
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


# The tails matter here: at large c most slopes are far below 10⁻¹⁶, where 1 − tanh²z rounds to a multiple of
# the machine epsilon. The activations are the shared ones; only the slopes are written in a stable form.
ACTIVATIONS = {
    "tanh": (activations.ACTIVATIONS["tanh"][0], tanh_slope),
    "sigmoid": (activations.ACTIVATIONS["sigmoid"][0], sigmoid_slope),
}
SLOPE_AREA = {"tanh": 2.0, "sigmoid": 1.0}  # ∫ φ′(z) dz = φ(∞) − φ(−∞)
PEAK_SLOPE = {"tanh": 1.0, "sigmoid": 0.25}  # φ′(0)

DEPTH, WIDTH, N_INPUTS = 5, 32, 500
SCALES = 10.0 ** (np.arange(-10, 24) / 10)  # 0.1 to 200 in steps of 10^0.1; contains 1, 10, 100
PROFILE_SCALES = (0.3, 1.0, 10.0, 100.0)
SPREAD_SCALE = 10**1.5


def make_weights(scale, depth=DEPTH, width=WIDTH, seed=0):
    """W_l = c · G_l / √fan_in with G_l standard normal; the same G_l for every c."""
    rng = np.random.default_rng(seed)
    return [scale * rng.standard_normal((width, width)) / np.sqrt(width) for _ in range(depth)]


def inputs_and_readout(n=N_INPUTS, width=WIDTH, seed=1):
    """Inputs x ~ N(0, I) and a fixed read-out vector u: the network's output is f(x) = uᵀ h_D."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, width)), rng.standard_normal(width) / np.sqrt(width)


def forward(Ws, X, act):
    """Pre-activations z_l = W_l h_(l−1) for every layer (h_0 = x, h_l = φ(z_l)), one row per input."""
    phi = ACTIVATIONS[act][0]
    zs, h = [], X
    for W in Ws:
        zs.append(h @ W.T)
        h = phi(zs[-1])
    return zs


def backward(Ws, zs, u, act):
    """δ_l = ∂f/∂z_l for every layer: δ_D = φ′(z_D) ⊙ u, δ_(l−1) = φ′(z_(l−1)) ⊙ W_lᵀ δ_l."""
    slope = ACTIVATIONS[act][1]
    delta = slope(zs[-1]) * u
    deltas = [delta]
    for l in range(len(Ws) - 1, 0, -1):
        delta = (delta @ Ws[l]) * slope(zs[l - 1])
        deltas.append(delta)
    return deltas[::-1]


def first_layer_gradient(Ws, x, u, act):
    """∂f/∂W_1 = δ_1 xᵀ for one input x."""
    zs = forward(Ws, x[None], act)
    return np.outer(backward(Ws, zs, u, act)[0][0], x)


@functools.cache
def sweep(act):
    """For every weight scale c: mean slope (measured and tail formula), quantiles of ‖∂f/∂W_1‖, and
    the mean number of units per layer responding to an input (slope at least half its peak)."""
    X, u = inputs_and_readout()
    x_norm = np.linalg.norm(X, axis=1)
    slope = ACTIVATIONS[act][1]
    out = {
        "scale": SCALES,
        "mean_slope": [],
        "tail_slope": [],
        "grad_q10": [],
        "grad_median": [],
        "grad_q90": [],
        "responsive": [],
    }
    for c in SCALES:
        Ws = make_weights(c)
        zs = forward(Ws, X, act)
        deltas = backward(Ws, zs, u, act)
        grad = np.linalg.norm(deltas[0], axis=1) * x_norm  # ‖δ_1 xᵀ‖_F = ‖δ_1‖ ‖x‖
        out["mean_slope"].append(np.mean([slope(z) for z in zs]))
        out["tail_slope"].append(predicted_mean_slope(zs, act))
        out["responsive"].append(np.mean([np.sum(slope(z) >= PEAK_SLOPE[act] / 2, axis=1) for z in zs]))
        q10, q50, q90 = np.quantile(grad, [0.1, 0.5, 0.9])
        out["grad_q10"].append(q10)
        out["grad_median"].append(q50)
        out["grad_q90"].append(q90)
    return {k: np.array(v) for k, v in out.items()}


@functools.cache
def profile(act, scale):
    """Median ‖δ_l‖ = ‖∂f/∂z_l‖ over inputs for layers l = 1..D at one weight scale."""
    X, u = inputs_and_readout()
    Ws = make_weights(scale)
    deltas = backward(Ws, forward(Ws, X, act), u, act)
    return np.array([np.median(np.linalg.norm(d, axis=1)) for d in deltas])


def tail_mean_slope(act, mean, var):
    """E φ′(z) for z ~ N(mean, var) when var ≫ 1: the slope's area times the Gaussian density at 0."""
    return SLOPE_AREA[act] * np.exp(-(mean**2) / (2 * var)) / np.sqrt(2 * np.pi * var)


def predicted_mean_slope(zs, act):
    """The tail formula applied unit by unit, with each unit's mean and variance over the inputs."""
    return float(np.mean([tail_mean_slope(act, z.mean(axis=0), z.var(axis=0)) for z in zs]))


def gain_key(c):
    """Value-name suffix for a profile scale: 0.3 → "c03", 10 → "c10"."""
    return "c" + f"{c:g}".replace(".", "")


SPREAD_SEEDS = range(10)  # weight draws for the seed-to-seed spread of the headline numbers


@functools.cache
def seed_spread(act):
    """Over SPREAD_SEEDS weight draws (same inputs and read-out): the scale where the median first-layer
    gradient peaks, and the 90th/10th percentile ratio of per-example gradients at SPREAD_SCALE."""
    X, u = inputs_and_readout()
    x_norm = np.linalg.norm(X, axis=1)
    peaks, ratios = [], []
    for seed in SPREAD_SEEDS:
        med = []
        for c in SCALES:
            Ws = make_weights(c, seed=seed)
            g = np.linalg.norm(backward(Ws, forward(Ws, X, act), u, act)[0], axis=1) * x_norm
            med.append(np.median(g))
            if np.isclose(c, SPREAD_SCALE):
                q10, q90 = np.quantile(g, [0.1, 0.9])
                ratios.append(q90 / q10)
        peaks.append(float(SCALES[int(np.argmax(med))]))
    return np.array(peaks), np.array(ratios)


def values():
    v = {**values_sweep(), **values_slider()}
    v["n_spread_seeds"] = len(SPREAD_SEEDS)
    for act in ACTIVATIONS:
        peaks, ratios = seed_spread(act)
        v[f"{act}_peak_scale_seeds_min"], v[f"{act}_peak_scale_seeds_max"] = (
            float(peaks.min()),
            float(peaks.max()),
        )
        v[f"{act}_spread_large_seeds_min"] = float(ratios.min())
    return v


def values_sweep():
    """The numbers of the page's static figures: slopes, gradients, spreads and layer gains."""
    v = {"depth": DEPTH, "width": WIDTH, "n_inputs": N_INPUTS}
    v["scale_min"], v["scale_max"] = float(SCALES[0]), float(SCALES[-1])
    v["spread_scale"] = SPREAD_SCALE
    for act in ACTIVATIONS:
        s = sweep(act)
        k = int(np.argmax(s["grad_median"]))
        v[f"{act}_peak_scale"] = float(s["scale"][k])
        v[f"{act}_peak_grad"] = float(s["grad_median"][k])
        v[f"{act}_grad_at_min"] = float(s["grad_median"][0])
        v[f"{act}_grad_at_max"] = float(s["grad_median"][-1])
        i1 = int(np.argmin(np.abs(s["scale"] - 1.0)))
        v[f"{act}_grad_at_1"] = float(s["grad_median"][i1])
        v[f"{act}_slope_at_1"] = float(s["mean_slope"][i1])
        big = s["scale"] >= 10
        v[f"{act}_slope_loglog"] = float(
            np.polyfit(np.log(s["scale"][big]), np.log(s["mean_slope"][big]), 1)[0]
        )
        for key, c in (("1", 1.0), ("large", SPREAD_SCALE)):
            i = int(np.argmin(np.abs(s["scale"] - c)))
            v[f"{act}_spread_{key}"] = float(s["grad_q90"][i] / s["grad_q10"][i])
        for key, c in (("1", 1.0), ("10", 10.0), ("large", SPREAD_SCALE), ("100", 100.0)):
            i = int(np.argmin(np.abs(s["scale"] - c)))
            v[f"{act}_responsive_{key}"] = float(s["responsive"][i])
        i100 = int(np.argmin(np.abs(s["scale"] - 100.0)))
        v[f"{act}_slope_at_100"] = float(s["mean_slope"][i100])
        v[f"{act}_tail_at_100"] = float(s["tail_slope"][i100])
        for c in PROFILE_SCALES:
            p = profile(act, c)
            v[f"{act}_layer_gain_{gain_key(c)}"] = float((p[0] / p[-1]) ** (1 / (DEPTH - 1)))
    return v


SATURATED = 0.01  # a unit counts as saturated on an input when its slope φ′(z) is below this


@functools.cache
def saturated_fraction(act, scale):
    """Share of (unit, layer, input) triples with φ′(z) < SATURATED at one weight scale."""
    X, _ = inputs_and_readout()
    slope = ACTIVATIONS[act][1]
    return float(np.mean([np.mean(slope(z) < SATURATED) for z in forward(make_weights(scale), X, act)]))


def layer_gain(act, scale):
    """Average factor per layer on the way back: (median‖δ_1‖ / median‖δ_D‖)^(1/(D−1))."""
    p = profile(act, scale)
    return float((p[0] / p[-1]) ** (1 / (DEPTH - 1)))


def values_slider():
    """The interactive layer-by-layer figure: where the tanh per-layer factor crosses 1."""
    gains = np.array([layer_gain("tanh", c) for c in SCALES])
    above = SCALES[gains > 1]
    return {
        "tanh_gain_above_1_from": float(above.min()),
        "tanh_gain_above_1_to": float(above.max()),
        "tanh_saturated_1": 100 * saturated_fraction("tanh", 1.0),
        "tanh_saturated_10": 100 * saturated_fraction("tanh", 10.0),
        "tanh_saturated_100": 100 * saturated_fraction("tanh", 100.0),
        "saturated_slope": SATURATED,
    }


def fig_gradient(fig, pal):
    """Median ‖∂f/∂W_1‖ over inputs (band: 10th to 90th percentile) against the weight scale c."""
    fig.set_size_inches(4.8, 4.4)
    ax = fig.subplots()
    for act, colour in (("tanh", pal.blue), ("sigmoid", pal.orange)):
        s = sweep(act)
        ax.fill_between(s["scale"], s["grad_q10"], s["grad_q90"], color=colour, alpha=0.2, lw=0)
        ax.loglog(s["scale"], s["grad_median"], "o-", color=colour, ms=3, label=f"{act}: median")
    ax.axvline(1.0, color=pal.muted, ls=":", lw=1.2, label="c = 1, the 1/√fan-in scale")
    ax.set_ylim(1e-16, 1e4)
    ax.set_xlabel("weight scale c")
    ax.set_ylabel("‖∂f/∂W₁‖")
    fig.legend(loc="outside lower center", ncols=2)


def fig_slopes(fig, pal):
    """Mean slope φ′ over all units, layers and inputs against c, with the Gaussian-tail prediction."""
    fig.set_size_inches(4.8, 4.4)
    ax = fig.subplots()
    for act, colour in (("tanh", pal.blue), ("sigmoid", pal.orange)):
        s = sweep(act)
        ax.loglog(s["scale"], s["mean_slope"], "o", color=colour, ms=4, label=f"{act}: measured")
        big = s["scale"] >= 3
        ax.loglog(
            s["scale"][big], s["tail_slope"][big], "-", color=colour, lw=1.4, label=f"{act}: tail formula"
        )
    ax.set_xlabel("weight scale c")
    ax.set_ylabel("mean slope φ′(z)")
    fig.legend(loc="outside lower center", ncols=2)


def fig_depth(fig, pal):
    """Median ‖∂f/∂z_l‖ layer by layer for a tanh network at four weight scales."""
    fig.set_size_inches(4.8, 4.4)
    ax = fig.subplots()
    layers = np.arange(1, DEPTH + 1)
    for c, colour in zip(PROFILE_SCALES, (pal.orange, pal.blue, pal.green, pal.pink), strict=True):
        ax.semilogy(layers, profile("tanh", c), "o-", color=colour, label=f"c = {c:g}")
    ax.set_xticks(layers)
    ax.set_xlabel("layer l (the signal travels from l = 5 to l = 1)")
    ax.set_ylabel("median ‖∂f/∂zₗ‖")
    fig.legend(loc="outside lower center", ncols=4)


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_number(x, digits=2):
    """x with `digits` significant digits, in a × 10ⁿ form (Unicode) when it is very small or large."""
    if 100 <= abs(x) < 1e5:
        return f"{x:,.0f}"
    if 1e-3 <= abs(x) < 100:
        return f"{x:.{digits}g}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def data_depth() -> dict:
    """Moving the slider changes the weight scale c: the backward signal layer by layer, tanh and sigmoid."""
    layers = [float(l) for l in range(1, DEPTH + 1)]
    frames = []
    for c in SCALES:
        series = [
            {"type": "line", "x": layers, "y": [float(f"{x:.4g}") for x in profile(act, c)], "color": colour,
             "label": act}
            for act, colour in (("tanh", "blue"), ("sigmoid", "orange"))
        ]  # fmt: skip
        gains = plain_number(layer_gain("tanh", c)), plain_number(layer_gain("sigmoid", c))
        shares = 100 * saturated_fraction("tanh", c), 100 * saturated_fraction("sigmoid", c)
        readout = (
            f"c = {c:.3g}: per layer the signal is multiplied by {gains[0]} (tanh) and {gains[1]} (sigmoid); "
            f"{shares[0]:.0f}% of tanh and {shares[1]:.0f}% of sigmoid units are saturated."
        )
        frames.append({"series": series, "readout": readout})
    return {
        "kind": "frames",
        "xlabel": "layer l (the signal travels from l = 5 to l = 1)",
        "ylabel": "median ‖∂f/∂zₗ‖",
        "xlim": [0.8, DEPTH + 0.2],
        "ylim": [1e-25, 1e2],
        "xscale": "linear",
        "yscale": "log",
        "equal": False,
        "slider": {
            "label": "weight scale c",
            "values": [float(f"{c:.4g}") for c in SCALES],
            "format": ".2f",
            "initial": int(np.argmin(np.abs(SCALES - 1.0))),
        },
        "static": [],
        "frames": frames,
    }
