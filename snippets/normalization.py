"""Weight decay in a layer followed by batch normalisation: the scale of the weights does not matter
to the function, decay shrinks it anyway, and SGD settles at an equilibrium angular step.

The network: h = W x (no bias), batch normalisation of each unit over the mini-batch (no ε, so
the invariance is exact), a gain γ and shift β, ReLU, and a linear output v·a + c. Loss: the site's
½-mean squared error. Only W is decayed (PyTorch's weight_decay wd, per step w ← (1 − η·wd) w − η g,
which is the site's λ = N·wd); γ, β, v and c are not.

Every run of the multi-seed study is computed at once: the leading axis of every array is the run.
"""

from __future__ import annotations

import functools

import numpy as np

N_TRAIN, N_TEST, D_IN, WIDTH, BATCH = 512, 2000, 6, 16, 32
ETA = 0.2  # SGD step size
STEPS = 2000
WDS = np.array([0.008, 0.016, 0.032, 0.064])  # weight decay on W (PyTorch convention)
WD_MAIN = 0.016  # the decay of the page's main comparison
N_SEEDS = 10
WINDOW = 500  # the angle at equilibrium is measured over the last WINDOW steps
NOISE_SD = 0.1  # standard deviation of the noise in the targets
DIR_LEN = 2.0  # the target direction a has entries N(0, DIR_LEN²/d), so ‖a‖ ≈ DIR_LEN
INV_FACTORS = (0.5, 5.0)  # per-row scale factors of the invariance check, evenly spaced


# --- the network -----------------------------------------------------------------------------


def make_data(seed, n, fresh=False):
    """Inputs x ~ N(0, I) in 6 dimensions; target y = sin(uᵀx) + noise (sd 0.1), u drawn from the seed
    with ‖u‖ ≈ 2. ``fresh`` draws new inputs and noise for the same u (held-out data)."""
    u = np.random.default_rng(seed).normal(0, DIR_LEN / np.sqrt(D_IN), D_IN)
    rng = np.random.default_rng([seed, int(fresh)])
    X = rng.normal(0, 1, (n, D_IN))
    return X, np.sin(X @ u) + rng.normal(0, NOISE_SD, n)


def init_params(seed, runs=1):
    """W with N(0, 1/d) entries, γ = 1, β = 0, v with N(0, 1/m) entries, c = 0; one set per run."""
    rng = np.random.default_rng(seed)
    return {
        "W": rng.normal(0, 1 / np.sqrt(D_IN), (runs, WIDTH, D_IN)),
        "gamma": np.ones((runs, WIDTH)),
        "beta": np.zeros((runs, WIDTH)),
        "v": rng.normal(0, 1 / np.sqrt(WIDTH), (runs, WIDTH)),
        "c": np.zeros(runs),
    }


def forward(params, X, stats=None):
    """Outputs f (runs, batch) and the intermediate arrays. Batch normalisation: ĥ = (h − mean)/sd, mean
    and sd over the batch (axis 1) unless ``stats`` = (mean, sd) are given (evaluation)."""
    h = np.einsum("sbd,smd->sbm", X, params["W"])
    mean, sd = (h.mean(axis=1, keepdims=True), h.std(axis=1, keepdims=True)) if stats is None else stats
    h_hat = (h - mean) / sd
    z = params["gamma"][:, None, :] * h_hat + params["beta"][:, None, :]
    a = np.maximum(z, 0.0)
    f = np.einsum("sbm,sm->sb", a, params["v"]) + params["c"][:, None]
    return f, {"h": h, "mean": mean, "sd": sd, "h_hat": h_hat, "z": z, "a": a}


def loss(params, X, y):
    """L = mean over the batch of ½(f − y)², one value per run."""
    f, _ = forward(params, X)
    return 0.5 * np.mean((f - y) ** 2, axis=1)


def gradients(params, X, y):
    """∂L/∂(W, γ, β, v, c) by back-propagation, through the batch statistics:
    ∂L/∂h = (1/sd)(∂L/∂ĥ − mean(∂L/∂ĥ) − ĥ · mean(ĥ ∂L/∂ĥ)), means over the batch."""
    f, t = forward(params, X)
    df = (f - y) / y.shape[1]
    da = df[:, :, None] * params["v"][:, None, :]
    dz = da * (t["z"] > 0)
    dh_hat = dz * params["gamma"][:, None, :]
    dh = (
        dh_hat
        - dh_hat.mean(axis=1, keepdims=True)
        - t["h_hat"] * (dh_hat * t["h_hat"]).mean(axis=1, keepdims=True)
    ) / t["sd"]
    return {
        "W": np.einsum("sbm,sbd->smd", dh, X),
        "gamma": np.sum(dz * t["h_hat"], axis=1),
        "beta": np.sum(dz, axis=1),
        "v": np.einsum("sb,sbm->sm", df, t["a"]),
        "c": np.sum(df, axis=1),
    }


# --- training -----------------------------------------------------------------------------------


def train(seeds, wds, eta=ETA, steps=STEPS):
    """SGD with mini-batches of 32 for every (seed, wd) pair at once; decay on W only.

    Records, per run and step: ‖W‖ before the step, the gradient norm ‖∂L/∂W‖, and the angle between
    W before and after the step. Returns the records and the final parameters."""
    seeds, wds = np.asarray(seeds), np.asarray(wds, dtype=float)
    runs = seeds.size
    data = [make_data(int(s), N_TRAIN) for s in seeds]
    X = np.stack([d[0] for d in data])
    y = np.stack([d[1] for d in data])
    params = {k: np.concatenate([init_params(int(s))[k] for s in seeds]) for k in init_params(0)}
    rng = np.random.default_rng(int(seeds.sum()) + 7)
    norms, grad_norms, angles = (np.empty((steps, runs)) for _ in range(3))
    rows = np.arange(runs)[:, None]
    for t in range(steps):
        idx = rng.integers(0, N_TRAIN, (runs, BATCH))
        Xb, yb = X[rows, idx], y[rows, idx]
        g = gradients(params, Xb, yb)
        W = params["W"]
        W_new = (1 - eta * wds)[:, None, None] * W - eta * g["W"]
        norms[t] = np.linalg.norm(W, axis=(1, 2))
        grad_norms[t] = np.linalg.norm(g["W"], axis=(1, 2))
        cos = np.sum(W * W_new, axis=(1, 2)) / (norms[t] * np.linalg.norm(W_new, axis=(1, 2)))
        angles[t] = np.arccos(np.clip(cos, -1.0, 1.0))
        params = {k: params[k] - eta * g[k] for k in ("gamma", "beta", "v", "c")} | {"W": W_new}
    return {"norm": norms, "grad_norm": grad_norms, "angle": angles, "params": params, "X": X, "y": y}


def predicted_angle(eta, wd):
    """Equilibrium angle per step for SGD: the norm is steady when (1 − η·wd)²‖W‖² + η²‖g‖² = ‖W‖²
    (g ⊥ W), and then tan θ = η‖g‖ / ((1 − η·wd)‖W‖) = √(2η·wd − (η·wd)²)/(1 − η·wd) ≈ √(2η·wd)."""
    x = eta * np.asarray(wd)
    return np.arctan(np.sqrt(2 * x - x**2) / (1 - x))


def rms_angle(angles, window=WINDOW):
    """The root-mean-square angle per step over the last ``window`` steps (the quantity the prediction
    is about: the mean of tan²θ is fixed by the norm balance)."""
    return np.arctan(np.sqrt(np.mean(np.tan(angles[-window:]) ** 2, axis=0)))


def held_out_error(result, seeds):
    """Mean squared error on 2000 fresh inputs, with batch statistics from the whole training set."""
    fresh = [make_data(int(s), N_TEST, fresh=True) for s in seeds]
    Xt, yt = np.stack([d[0] for d in fresh]), np.stack([d[1] for d in fresh])
    _, t = forward(result["params"], result["X"])
    f, _ = forward(result["params"], Xt, stats=(t["mean"], t["sd"]))
    return np.mean((f - yt) ** 2, axis=1)


@functools.cache
def study():
    """Ten seeds, each trained without decay and with each decay of WDS (the same data and initial weights
    for every decay of one seed; every run draws its own mini-batches)."""
    seeds = np.repeat(np.arange(N_SEEDS), 1 + WDS.size)
    wds = np.tile(np.concatenate([[0.0], WDS]), N_SEEDS)
    result = train(seeds, wds)
    result["seeds"], result["wds"] = seeds, wds
    result["test"] = held_out_error(result, seeds)
    return result


def runs_with(wd):
    """Indices of the study's runs with decay ``wd``, in seed order."""
    return np.flatnonzero(np.isclose(study()["wds"], wd))


# --- invariance, checked on one network --------------------------------------------------------------


def invariance_check(c=7.0):
    """Scale every row of W by its own factor (all equal to c, then 0.5 … 5): the outputs do not change,
    and the gradient with respect to W is divided by the factor."""
    X, y = make_data(seed=3, n=BATCH)
    params = init_params(seed=3)
    X, y = X[None], y[None]
    f0, g0 = forward(params, X)[0], gradients(params, X, y)["W"]
    factors = {"uniform": np.full(WIDTH, c), "per_unit": np.linspace(*INV_FACTORS, WIDTH)}
    out = {}
    for name, k in factors.items():
        scaled = params | {"W": params["W"] * k[None, :, None]}
        f1, g1 = forward(scaled, X)[0], gradients(scaled, X, y)["W"]
        out[name] = {
            "output_change": float(np.max(np.abs(f1 - f0))),
            "grad_ratio_error": float(np.max(np.abs(g1 * k[None, :, None] - g0)) / np.max(np.abs(g0))),
        }
    return out


# --- figures --------------------------------------------------------------------------------------------

BLOCK = 20  # steps per point of the angle curves


def block_rms_angle(angles, block=BLOCK):
    """RMS angle (as in ``rms_angle``) over consecutive blocks of steps: shape (steps // block, runs)."""
    t = np.tan(angles[: angles.shape[0] // block * block]) ** 2
    return np.arctan(np.sqrt(t.reshape(-1, block, t.shape[1]).mean(axis=1)))


def angle_curves(wd):
    """Block-RMS angle for the runs with decay wd: block centres, and median, min, max over seeds."""
    a = block_rms_angle(study()["angle"][:, runs_with(wd)])
    steps = (np.arange(a.shape[0]) + 0.5) * BLOCK
    return steps, np.median(a, axis=1), a.min(axis=1), a.max(axis=1)


def fig_norm(fig, pal):
    """‖W‖ and the effective step η/‖W‖² over training, without and with decay (median, range of 10 seeds)."""
    s = study()
    fig.set_size_inches(4.8, 6.2)
    top, bottom = fig.subplots(2, 1, sharex=True)
    steps = np.arange(1, STEPS + 1)[::10]
    for wd, colour, label in ((0.0, pal.orange, "no decay"), (WD_MAIN, pal.blue, f"decay wd = {WD_MAIN:g}")):
        norms = s["norm"][::10, runs_with(wd)]
        for ax, q in ((top, norms), (bottom, ETA / norms**2)):
            ax.fill_between(steps, q.min(axis=1), q.max(axis=1), color=colour, alpha=0.25, lw=0)
            ax.plot(steps, np.median(q, axis=1), color=colour, label=label if ax is top else None)
    top.set_ylabel("weight norm ‖W‖")
    bottom.set_ylabel("effective step η/‖W‖²")
    bottom.set_yscale("log")
    bottom.set_xlabel("SGD step")
    fig.legend(loc="outside lower center", ncols=2)


def fig_angle(fig, pal):
    """Angle W turns through per step (RMS over blocks of 20 steps, median of 10 seeds) against √(2η·wd)."""
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    colours = [pal.sky, pal.blue, pal.green, pal.pink]
    for wd, colour in zip(WDS, colours, strict=True):
        steps, med, _, _ = angle_curves(wd)
        ax.plot(steps, med, color=colour, label=f"wd = {wd:g}")
        ax.axhline(predicted_angle(ETA, wd), color=colour, lw=1, linestyle="--")
    steps, med, _, _ = angle_curves(0.0)
    ax.plot(steps, med, color=pal.orange, label="no decay")
    ax.plot([], [], color=pal.muted, linestyle="--", label="prediction")
    ax.set_yscale("log")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("angle per step (radians)")
    fig.legend(loc="outside lower center", ncols=3)


def data_angle():
    """Move wd: the measured angle per step (median and range of 10 seeds) settles on the prediction."""
    r4 = lambda a: np.round(np.asarray(a, dtype=float), 5).tolist()  # noqa: E731
    steps, free, _, _ = angle_curves(0.0)
    frames = []
    all_values = [free]
    for wd in WDS:
        steps, med, lo, hi = angle_curves(wd)
        all_values += [lo, hi]
        measured = rms_angle(study()["angle"][:, runs_with(wd)])
        pred = float(predicted_angle(ETA, wd))
        frames.append(
            {
                "series": [
                    {
                        "type": "line",
                        "x": r4(steps),
                        "y": r4(lo),
                        "color": "sky",
                        "label": "lowest, highest seed",
                    },
                    {"type": "line", "x": r4(steps), "y": r4(hi), "color": "sky"},
                    {
                        "type": "line",
                        "x": r4(steps),
                        "y": r4(med),
                        "color": "blue",
                        "label": "measured, median",
                    },
                    {
                        "type": "line",
                        "x": [0.0, float(STEPS)],
                        "y": [round(pred, 5)] * 2,
                        "color": "green",
                        "label": "prediction √(2η·wd)",
                        "dash": True,
                    },
                ],
                "readout": (
                    f"wd = {wd:g}, η·wd = {ETA * wd:.4f}: predicted {pred:.4f} rad per step; over the last "
                    f"{WINDOW} steps measured {np.median(measured):.4f} (median of {N_SEEDS} seeds, "
                    f"{measured.min():.4f} to {measured.max():.4f})"
                ),
            }
        )
    values = np.concatenate(all_values)
    return {
        "kind": "frames",
        "xlabel": "SGD step",
        "ylabel": "angle per step (radians)",
        "xlim": [0.0, float(STEPS)],
        "ylim": [float(np.floor(values.min() * 1000) / 1000), float(np.ceil(values.max() * 100) / 100)],
        "xscale": "linear",
        "yscale": "log",
        "equal": False,
        "slider": {
            "label": "weight decay wd",
            "values": [float(w) for w in WDS],
            "format": ".3f",
            "initial": 1,
        },
        "static": [{"type": "line", "x": r4(steps), "y": r4(free), "color": "orange", "label": "no decay"}],
        "frames": frames,
    }


# --- values --------------------------------------------------------------------------------------------


def values_setup():
    return {
        "n_train": N_TRAIN,
        "n_test": N_TEST,
        "d_in": D_IN,
        "width": WIDTH,
        "batch": BATCH,
        "eta": ETA,
        "steps": STEPS,
        "n_seeds": N_SEEDS,
        "window": WINDOW,
        "wd_main": WD_MAIN,
        "lam_main": WD_MAIN * N_TRAIN,
        "wd_lo": float(WDS[0]),
        "wd_hi": float(WDS[-1]),
        "noise_sd": NOISE_SD,
        "dir_len": DIR_LEN,
        "block": BLOCK,
    }


def values_invariance():
    inv = invariance_check()
    return {
        "inv_c": 7.0,
        "inv_k_lo": INV_FACTORS[0],
        "inv_k_hi": INV_FACTORS[1],
        "inv_output_change": max(inv["uniform"]["output_change"], inv["per_unit"]["output_change"]),
        "inv_grad_error": max(inv["uniform"]["grad_ratio_error"], inv["per_unit"]["grad_ratio_error"]),
    }


def values_norm():
    s = study()
    free, decay = runs_with(0.0), runs_with(WD_MAIN)
    start = s["norm"][0, free]
    final = np.linalg.norm(s["params"]["W"], axis=(1, 2))  # after the last step (s["norm"] is before each)
    final_free, final_decay = final[free], final[decay]
    eff_free = ETA / final_free**2
    eff_decay = ETA / final_decay**2
    return {
        "norm_start": float(np.median(start)),
        "norm_free_med": float(np.median(final_free)),
        "norm_free_lo": float(final_free.min()),
        "norm_free_hi": float(final_free.max()),
        "norm_decay_med": float(np.median(final_decay)),
        "norm_decay_lo": float(final_decay.min()),
        "norm_decay_hi": float(final_decay.max()),
        "eff_free_med": float(np.median(eff_free)),
        "eff_decay_med": float(np.median(eff_decay)),
        "eff_ratio_med": float(np.median(eff_decay / eff_free)),
        "test_free_med": float(np.median(s["test"][free])),
        "test_decay_med": float(np.median(s["test"][decay])),
        "test_decay_better": int(np.sum(s["test"][decay] < s["test"][free])),
        "test_diff_lo": float(np.min(s["test"][decay] - s["test"][free])),
        "test_diff_hi": float(np.max(s["test"][decay] - s["test"][free])),
    }


def values_angle():
    s = study()
    out = {}
    errs, med_errs = [], []
    for wd in WDS:
        measured = rms_angle(s["angle"][:, runs_with(wd)])
        rel = measured / predicted_angle(ETA, wd) - 1
        errs.append(rel)
        med_errs.append(abs(np.median(measured) / predicted_angle(ETA, wd) - 1))
        if np.isclose(wd, WD_MAIN):
            out |= {
                "angle_pred": float(predicted_angle(ETA, wd)),
                "angle_sqrt": float(np.sqrt(2 * ETA * wd)),
                "angle_med": float(np.median(measured)),
                "angle_lo": float(measured.min()),
                "angle_hi": float(measured.max()),
            }
    errs = np.array(errs)
    free = rms_angle(s["angle"][:, runs_with(0.0)])
    return out | {
        "angle_max_rel_err": float(np.max(np.abs(errs))),
        "angle_med_max_rel_err": float(np.max(med_errs)),
        "angle_worst_wd": float(WDS[np.argmax(np.max(np.abs(errs), axis=1))]),
        "angle_free_med": float(np.median(free)),
        "n_wds": int(WDS.size),
    }


def values():
    return {**values_setup(), **values_invariance(), **values_norm(), **values_angle()}
