"""The home page's one picture: ten noisy points from a curve, a degree-9 polynomial fitted with a
penalty λ on the size of its weights. With no penalty the fit swings through every point and
misses new ones badly; as λ grows the weights shrink, the swings go, and the error on fresh data
falls; past a point the penalty flattens the curve itself and the error rises again."""

from functools import cache

import numpy as np

from snippets import conventions

N_POINTS = 10
DEGREE = 9
NOISE = 0.2  # σ, the standard deviation of the measurement noise
SEED = 1
N_FRESH = 500  # fresh observations the held-out error is measured on
LAMBDAS = np.logspace(-8, 2, 21)  # the slider's values of λ
SHOWN = (1e-8, 1e-3, 10.0)  # the three fits the static figure draws
XLIM = (0.0, 1.0)
YLIM = (-1.8, 1.8)
ERROR_LIM = (0.005, 20.0)  # the error panel's (logarithmic) y-axis


def truth(v):
    """The world the points come from: y = sin(2πx)."""
    return np.sin(2 * np.pi * np.asarray(v, dtype=float))


def observations():
    """Ten measurements y = sin(2πx) + noise at random x in [0.02, 0.98]."""
    rng = np.random.default_rng(SEED)
    x = np.sort(rng.uniform(0.02, 0.98, N_POINTS))
    return x, truth(x) + rng.normal(0.0, NOISE, N_POINTS)


def fresh():
    """New observations of the same world, at x uniform over [0, 1]: the held-out set."""
    rng = np.random.default_rng(SEED + 1)
    xt = rng.uniform(*XLIM, N_FRESH)
    return xt, truth(xt) + rng.normal(0.0, NOISE, N_FRESH)


def features(xs):
    """z_k(x) = (tᵏ − m_k)/s_k, k = 1…9: powers of t = 2x − 1 (x mapped onto [−1, 1]), standardised
    with their mean m_k and standard deviation s_k over the ten training points (so one λ means the
    same for every power)."""
    x, _ = observations()
    powers = lambda v: (2 * np.asarray(v, dtype=float)[:, None] - 1) ** np.arange(1, DEGREE + 1)  # noqa: E731
    train = powers(x)
    return (powers(xs) - train.mean(axis=0)) / train.std(axis=0)


def fit(lam):
    """Ridge on the features with an unpenalised intercept b: minimise ‖y − Zw − b‖² + λ‖w‖²."""
    x, y = observations()
    return conventions.ridge_with_intercept(features(x), y, lam)


def predict(lam, xs):
    w, b = fit(lam)
    return features(xs) @ w + b


def rms(r):
    """Root mean square √(mean rᵢ²)."""
    return float(np.sqrt(np.mean(np.square(r))))


def turning_points(curve):
    """How many times a sampled curve changes direction (up to down or back)."""
    signs = np.sign(np.diff(curve))
    signs = signs[signs != 0]
    return int(np.count_nonzero(np.diff(signs)))


def grid(num=101):
    return np.linspace(*XLIM, num)


@cache
def sweep():
    """For every λ of the slider: held-out RMS error, training RMS error, ‖w‖ and turning points."""
    x, y = observations()
    xt, yt = fresh()
    xs = grid(1001)
    rows = []
    for lam in LAMBDAS:
        rows.append(
            (
                rms(predict(lam, xt) - yt),
                rms(predict(lam, x) - y),
                float(np.linalg.norm(fit(lam)[0])),
                turning_points(predict(lam, xs)),
            )
        )
    held_out, train, norm, turns = (np.array(c) for c in zip(*rows, strict=True))
    return {"held_out": held_out, "train": train, "norm": norm, "turns": turns}


def best():
    """The slider's λ with the smallest held-out error, and its index."""
    i = int(np.argmin(sweep()["held_out"]))
    return i, float(LAMBDAS[i])


def noise_floor():
    """The held-out RMS error of the true curve itself: what no fit can beat (about σ)."""
    xt, yt = fresh()
    return rms(truth(xt) - yt)


# --- the figure ----------------------------------------------------------------------------


def fig_thesis(fig, pal):
    """Top: ten points, the true curve and the degree-9 fit with a tiny, a middling and a large
    penalty λ. Bottom: the error on fresh data against λ, falling then rising."""
    fig.set_size_inches(4.8, 6.2)
    top, bottom = fig.subplots(2, 1, height_ratios=[1.25, 1])
    x, y = observations()
    xs = grid(400)
    top.plot(xs, truth(xs), color=pal.muted, linestyle="--", label="true curve")
    colours = [pal.orange, pal.green, pal.blue]
    for lam, colour in zip(SHOWN, colours, strict=True):
        top.plot(xs, predict(lam, xs), color=colour, label=f"λ = {_tex_sci(lam)}")
    top.plot(x, y, "o", color=pal.fg, label="10 points", zorder=3)
    top.set(xlim=XLIM, ylim=YLIM, xlabel="x", ylabel="y")
    s = sweep()
    bottom.semilogx(LAMBDAS, s["held_out"], color=pal.fg, label="error on fresh data")
    bottom.semilogx(LAMBDAS, s["train"], color=pal.muted, linestyle="--", label="error on the 10 points")
    for lam, colour in zip(SHOWN, colours, strict=True):
        i = int(np.argmin(np.abs(np.log10(LAMBDAS / lam))))
        bottom.plot(LAMBDAS[i], s["held_out"][i], "o", color=colour, markersize=8, zorder=3)
    bottom.set(yscale="log", ylim=ERROR_LIM, xlabel="penalty strength λ", ylabel="RMS error")
    handles, labels = top.get_legend_handles_labels()
    handles2, labels2 = bottom.get_legend_handles_labels()
    fig.legend(handles + handles2, labels + labels2, loc="outside lower center", ncols=2)


def _tex_sci(v):
    """λ as matplotlib mathtext: 10⁻⁸, 10⁻³, 10."""
    e = int(np.round(np.log10(v)))
    return "10" if e == 1 else f"$10^{{{e}}}$"


# --- the interactive version ---------------------------------------------------------------


def data_thesis():
    """Move λ: the fit's swings shrink with its weights, and the error on fresh data falls, then rises."""
    x, y = observations()
    xs = grid()
    s = sweep()
    r = lambda a: np.round(np.asarray(a, dtype=float), 4).tolist()  # noqa: E731
    g = lambda a: [float(f"{v:.4g}") for v in np.ravel(a)]  # noqa: E731 (λ spans ten decades: significant digits)
    frames = []
    for i, lam in enumerate(LAMBDAS):
        frames.append(
            {
                "series": [
                    {
                        "type": "line",
                        "x": r(xs),
                        "y": r(predict(lam, xs)),
                        "color": "orange",
                        "label": "degree-9 fit",
                    }
                ],
                "panels": [
                    [
                        {
                            "type": "points",
                            "x": g(lam),
                            "y": g(s["held_out"][i]),
                            "color": "orange",
                            "label": "this λ",
                        }
                    ]
                ],
                "readout": (
                    f"λ = {_plain_sci(lam)}: error on fresh data {s['held_out'][i]:.2f}, "
                    f"on the 10 points {s['train'][i]:.2f}; weight size ‖w‖ = {_plain_num(s['norm'][i])}; "
                    f"the fit turns {s['turns'][i]} times."
                ),
            }
        )
    return {
        "kind": "frames",
        "xlabel": "x",
        "ylabel": "y",
        "xlim": list(XLIM),
        "ylim": list(YLIM),
        "xscale": "linear",
        "yscale": "linear",
        "equal": False,
        "slider": {"label": "penalty strength λ", "values": g(LAMBDAS), "format": "sci", "initial": 0},
        "static": [
            {
                "type": "line",
                "x": r(xs),
                "y": r(truth(xs)),
                "color": "muted",
                "dash": True,
                "label": "true curve",
            },
            {"type": "points", "x": r(x), "y": r(y), "color": "fg", "label": "10 points"},
        ],
        "panels": [
            {
                "xlabel": "penalty strength λ",
                "ylabel": "RMS error",
                "xlim": g([LAMBDAS[0], LAMBDAS[-1]]),
                "ylim": list(ERROR_LIM),
                "xscale": "log",
                "yscale": "log",
                "equal": False,
                "static": [
                    {
                        "type": "line",
                        "x": g(LAMBDAS),
                        "y": g(s["held_out"]),
                        "color": "fg",
                        "label": "error on fresh data",
                    },
                    {
                        "type": "line",
                        "x": g(LAMBDAS),
                        "y": g(s["train"]),
                        "color": "muted",
                        "dash": True,
                        "label": "error on the 10 points",
                    },
                ],
            }
        ],
        "frames": frames,
    }


def _plain_sci(v):
    """1 × 10⁻⁸ as plain Unicode text (for the readout)."""
    e = int(np.floor(np.log10(v) + 1e-9))
    m = v / 10.0**e
    sup = str(e).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"10{sup}" if abs(m - 1) < 1e-9 else f"{m:.1f} × 10{sup}"


def _plain_num(v):
    """A weight size in plain text: 3 significant digits, large ones with thin-space thousands."""
    return f"{v:,.0f}".replace(",", "\u2009") if v >= 100 else f"{v:.3g}"


# --- numbers the home page quotes --------------------------------------------------------------


def values():
    s = sweep()
    i, lam = best()
    return {
        "n_points": N_POINTS,
        "degree": DEGREE,
        "lam_best": lam,
        "lam_min": float(LAMBDAS[0]),
        "lam_max": float(LAMBDAS[-1]),
        "lam_count": len(LAMBDAS),
        "train_none": float(s["train"][0]),
        "rms_none": float(s["held_out"][0]),
        "rms_best": float(s["held_out"][i]),
        "rms_large": float(s["held_out"][-1]),
        "norm_none": float(s["norm"][0]),
        "norm_best": float(s["norm"][i]),
        "turns_none": int(s["turns"][0]),
        "turns_best": int(s["turns"][i]),
        "turns_truth": turning_points(truth(grid(1001))),
        "noise_floor": noise_floor(),
        "noise": NOISE,
        "shown_count": len(SHOWN),
        **values_spread(),
    }


# --- the same experiment on other draws: the spread of the picture ---------------------------
SPREAD_SEEDS = range(100, 120)  # 20 further data sets: observations from seed s, fresh points from s + 1


@cache
def spread():
    """For each further draw of ten points (and 500 fresh ones) from the same recipe: the held-out RMS
    error with almost no penalty (λ = 10⁻⁸), the slider's best held-out error, and the λ that gives it."""
    rows = []
    for seed in SPREAD_SEEDS:
        rng = np.random.default_rng(seed)
        x = np.sort(rng.uniform(0.02, 0.98, N_POINTS))
        y = truth(x) + rng.normal(0.0, NOISE, N_POINTS)
        rng = np.random.default_rng(seed + 1)
        xt = rng.uniform(*XLIM, N_FRESH)
        yt = truth(xt) + rng.normal(0.0, NOISE, N_FRESH)
        powers = lambda v: (2 * np.asarray(v, dtype=float)[:, None] - 1) ** np.arange(1, DEGREE + 1)  # noqa: E731
        m, sd = powers(x).mean(axis=0), powers(x).std(axis=0)
        z, zt = (powers(x) - m) / sd, (powers(xt) - m) / sd
        errors = []
        for lam in LAMBDAS:
            w, b = conventions.ridge_with_intercept(z, y, lam)
            errors.append(rms(zt @ w + b - yt))
        i = int(np.argmin(errors))
        rows.append((errors[0], errors[i], float(LAMBDAS[i])))
    none, best_err, best_lam = (np.array(c) for c in zip(*rows, strict=True))
    return {"none": none, "best": best_err, "lam": best_lam}


def values_spread():
    s = spread()
    return {
        "spread_draws": len(SPREAD_SEEDS),
        "spread_none_median": float(np.median(s["none"])),
        "spread_none_lo": float(s["none"].min()),
        "spread_none_hi": float(s["none"].max()),
        "spread_best_median": float(np.median(s["best"])),
        "spread_best_lo": float(s["best"].min()),
        "spread_best_hi": float(s["best"].max()),
        "spread_lam_lo": float(s["lam"].min()),
        "spread_lam_hi": float(s["lam"].max()),
        "spread_best_wins": int(np.sum(s["best"] < s["none"])),
    }
