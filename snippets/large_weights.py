"""Overfitting inflates polynomial weights, L2 tames them, and shrinking after training does not."""

from __future__ import annotations

import functools

import numpy as np

from snippets.conventions import min_norm_lstsq, ridge, ridge_with_intercept

N_POINTS = 10  # training points
NOISE_SD = 0.3  # σ
N_HELD_OUT = 1000
SEED = 2
DEGREES = (1, 3, 6, 9)
TABLE_LAMBDAS = (0.0, 1e-6, 1e-3, 1.0, 100.0)
LAM_RIDGE = 1e-3  # the regularized fit compared with the shrunken interpolant
LAM_INTERCEPT_DEMO = 1.0
Y_OFFSET = 10.0  # a change of the zero of y (units), for the intercept demonstration
N_REPEATS = 200  # fresh draws of the ten noisy values, for typicality
GRID = np.linspace(0.0, 1.0, 2001)  # the data range, for plotting and turning points

# the explicit three-feature case for the ridge path
PATH_N = 50
PATH_CORR = np.array([[1.0, 0.8, 0.0], [0.8, 1.0, -0.5], [0.0, -0.5, 1.0]])
PATH_W_LS = np.array([3.0, -1.0, -1.0])
PATH_LAMBDAS = np.logspace(-2, 4, 1201)


def truth(x):
    return np.sin(2 * np.pi * x)


def draw(rng):
    """Ten equally spaced inputs on [0, 1] and noisy targets y = sin(2πx) + σ·noise."""
    x = np.linspace(0.0, 1.0, N_POINTS)
    return x, truth(x) + NOISE_SD * rng.standard_normal(N_POINTS)


@functools.cache
def data():
    """The training set and a held-out set from the same process."""
    rng = np.random.default_rng(SEED)
    x, y = draw(rng)
    x_test = rng.uniform(0.0, 1.0, N_HELD_OUT)
    y_test = truth(x_test) + NOISE_SD * rng.standard_normal(N_HELD_OUT)
    return x, y, x_test, y_test


# --- features and fits -------------------------------------------------------------------


def powers(x, degree):
    """Columns x, x², …, x^degree (the intercept is separate)."""
    return np.asarray(x, dtype=float)[:, None] ** np.arange(1, degree + 1)


def standardised(x, degree, x_train):
    """Powers of x, each standardised with the mean and standard deviation it has on x_train."""
    p_train = powers(x_train, degree)
    return (powers(x, degree) - p_train.mean(axis=0)) / p_train.std(axis=0)


def fit(X, y, lam):
    """(w, b) with an unpenalised intercept: least squares by SVD when λ = 0, else ridge."""
    if lam == 0:
        coef = min_norm_lstsq(np.column_stack([np.ones(len(y)), X]), y)
        return coef[1:], coef[0]
    return ridge_with_intercept(X, y, lam)


def fit_poly(degree, lam):
    """Fit on standardised powers of the training inputs; returns (w, b)."""
    x, y = data()[:2]
    return fit(standardised(x, degree, x), y, lam)


def predict(x_new, degree, w, b):
    return standardised(x_new, degree, data()[0]) @ w + b


def slope(x_new, degree, w):
    """Derivative of the fitted polynomial, from d/dx x^k = k x^(k-1)."""
    p_train = powers(data()[0], degree)
    k = np.arange(1, degree + 1)
    return (k * np.asarray(x_new)[:, None] ** (k - 1) / p_train.std(axis=0)) @ w


def turning_points(x_grid, degree, w):
    """Sign changes of the slope on the grid: the number of local maxima and minima."""
    s = np.sign(slope(x_grid, degree, w))
    s = s[s != 0]
    return int(np.sum(s[1:] != s[:-1]))


def rmse(pred, target):
    return float(np.sqrt(np.mean((pred - target) ** 2)))


def held_out_rmse(degree, w, b):
    _, _, x_test, y_test = data()
    return rmse(predict(x_test, degree, w, b), y_test)


# --- coefficient sizes -------------------------------------------------------------------


@functools.cache
def degree_table():
    """Per degree: largest |coefficient| in raw powers of x on [0, 1], ‖w‖ on standardised powers, errors."""
    x, y = data()[:2]
    rows = {}
    for m in DEGREES:
        w_raw, _ = fit(powers(x, m), y, 0.0)
        w, b = fit_poly(m, 0.0)
        rows[m] = {
            "max_raw": float(np.max(np.abs(w_raw))),
            "norm_std": float(np.linalg.norm(w)),
            "train": rmse(predict(x, m, w, b), y),
            "test": held_out_rmse(m, w, b),
        }
    return rows


@functools.cache
def lambda_table():
    """Degree 9 on standardised powers, for each λ of the table: sizes, errors, turning points."""
    x, y = data()[:2]
    rows = []
    for lam in TABLE_LAMBDAS:
        w, b = fit_poly(9, lam)
        rows.append(
            {
                "lam": lam,
                "norm": float(np.linalg.norm(w)),
                "max": float(np.max(np.abs(w))),
                "train": rmse(predict(x, 9, w, b), y),
                "test": held_out_rmse(9, w, b),
                "turning": turning_points(GRID, 9, w),
            }
        )
    return rows


def fitted_curves(lambdas=TABLE_LAMBDAS):
    """Degree-9 predictions on GRID for each λ (the data behind the fits figure)."""
    return {lam: predict(GRID, 9, *fit_poly(9, lam)) for lam in lambdas}


# --- units ---------------------------------------------------------------------------------


@functools.cache
def units():
    """The degree-9 interpolant's coefficients with x in [0, 1], with x in [0, 10], and standardised."""
    x, y = data()[:2]
    return {
        "unit": fit(powers(x, 9), y, 0.0)[0],
        "ten": fit(powers(10 * x, 9), y, 0.0)[0],
        "std_unit": fit(standardised(x, 9, x), y, 0.0)[0],
        "std_ten": fit(standardised(10 * x, 9, 10 * x), y, 0.0)[0],
    }


def raw_penalty_gap(lam=LAM_RIDGE):
    """Largest gap on GRID between ridge fits on raw powers of x in [0, 1] and of u = 10x."""
    x, y = data()[:2]
    curves = []
    for scale in (1.0, 10.0):
        w, b = ridge_with_intercept(powers(scale * x, 9), y, lam)
        curves.append(powers(scale * GRID, 9) @ w + b)
    return float(np.max(np.abs(curves[0] - curves[1])))


def penalised_intercept_fit(X, y, lam):
    """Ridge that penalises the intercept too (a column of ones inside X): what not to do."""
    coef = ridge(np.column_stack([np.ones(len(y)), X]), y, lam)
    return coef[1:], coef[0]


@functools.cache
def intercept_demo():
    """Shift y by Y_OFFSET and refit: how far the new curve lands from the old one moved by Y_OFFSET."""
    x, y = data()[:2]
    X, Xg = standardised(x, 9, x), standardised(GRID, 9, x)
    out = {}
    for name, solver in (("free", ridge_with_intercept), ("penalised", penalised_intercept_fit)):
        w0, b0 = solver(X, y, LAM_INTERCEPT_DEMO)
        w1, b1 = solver(X, y + Y_OFFSET, LAM_INTERCEPT_DEMO)
        out[name] = float(np.max(np.abs((Xg @ w1 + b1) - Y_OFFSET - (Xg @ w0 + b0))))
    return out


# --- shrinking after training vs regularizing ----------------------------------------------


@functools.cache
def shrink_vs_ridge():
    """The interpolant, the interpolant with w scaled to the ridge fit's norm, and that ridge fit."""
    x, y = data()[:2]
    w_ls, b_ls = fit_poly(9, 0.0)
    w_r, b_r = fit_poly(9, LAM_RIDGE)
    c = np.linalg.norm(w_r) / np.linalg.norm(w_ls)
    factors = np.logspace(-6, 0, 121)
    errors = np.array([held_out_rmse(9, f * w_ls, b_ls) for f in factors])
    models = {"interpolant": (w_ls, b_ls), "shrunk": (c * w_ls, b_ls), "ridge": (w_r, b_r)}
    return {
        "factor": float(c),
        "models": models,
        "norm": {k: float(np.linalg.norm(m[0])) for k, m in models.items()},
        "turning": {k: turning_points(GRID, 9, m[0]) for k, m in models.items()},
        "test": {k: held_out_rmse(9, *m) for k, m in models.items()},
        "train": {k: rmse(predict(x, 9, *m), y) for k, m in models.items()},
        "factors": factors,
        "factor_errors": errors,
    }


def direction_shrinkage(lam):
    """Ridge's factor d²/(d² + λ) on each singular direction of the centred design (largest d first)."""
    x = data()[0]
    X = standardised(x, 9, x)
    d = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return d**2 / (d**2 + lam)


@functools.cache
def repeats():
    """Over fresh draws of the noise: turning points and held-out RMSE of interpolant, best shrink, ridge."""
    rng = np.random.default_rng(SEED + 1000)
    x = data()[0]
    _, _, x_test, y_test = data()
    X, X_test = standardised(x, 9, x), standardised(x_test, 9, x)
    tp_ls, tp_r, wins = [], [], 0
    for _ in range(N_REPEATS):
        y = draw(rng)[1]
        w_ls, b_ls = fit(X, y, 0.0)
        w_r, b_r = fit(X, y, LAM_RIDGE)
        tp_ls.append(turning_points(GRID, 9, w_ls))
        tp_r.append(turning_points(GRID, 9, w_r))
        g = X_test @ w_ls
        best_c = max(0.0, float(g @ (y_test - b_ls) / (g @ g)))  # hindsight: best factor on held-out
        best_shrunk = rmse(b_ls + best_c * g, y_test)
        wins += rmse(X_test @ w_r + b_r, y_test) < best_shrunk
    return {"tp_ls": np.array(tp_ls), "tp_ridge": np.array(tp_r), "ridge_wins": int(wins)}


# --- the norm falls, a coefficient and the sum need not --------------------------------------


@functools.cache
def path_problem():
    """A data set with XᵀX = n·R exactly, centred columns of variance 1, and least-squares weights W_LS."""
    rng = np.random.default_rng(7)
    raw = rng.standard_normal((PATH_N, 4))
    raw -= raw.mean(axis=0)
    q, _ = np.linalg.qr(raw)  # orthonormal columns, each orthogonal to the ones vector
    X = np.sqrt(PATH_N) * q[:, :3] @ np.linalg.cholesky(PATH_CORR).T
    y = X @ PATH_W_LS + q[:, 3]  # the residual is orthogonal to X, so least squares returns W_LS
    return X, y


@functools.cache
def ridge_path():
    """Ridge weights along PATH_LAMBDAS for the three-feature case."""
    X, y = path_problem()
    return np.array([ridge(X, y, lam) for lam in PATH_LAMBDAS])


def path_summary():
    X, y = path_problem()
    w_ls = ridge(X, y, 0.0)
    W = ridge_path()
    s = W.sum(axis=1)
    i_peak = int(np.argmax(s))
    i_cross = int(np.argmax(W[:, 1] > 0))
    return {
        "sum_start": float(w_ls.sum()),
        "sum_peak": float(s[i_peak]),
        "lam_sum_peak": float(PATH_LAMBDAS[i_peak]),
        "w1_start": float(w_ls[0]),
        "w2_start": float(w_ls[1]),
        "w3_start": float(w_ls[2]),
        "w2_peak": float(W[:, 1].max()),
        "lam_w2_cross": float(PATH_LAMBDAS[i_cross]),
        "norm_start": float(np.linalg.norm(w_ls)),
    }


# --- the slider: ridge against the interpolant shrunk to the same norm ------------------------
SLIDER_LAMBDAS = np.logspace(-8, 2, 21)
SLIDER_GRID = np.linspace(0.0, 1.0, 51)


@functools.cache
def slider_table():
    """Per λ of the slider: ridge's ‖w‖, the factor c = ‖w_λ‖/‖w_LS‖, and for ridge and for the interpolant
    × c the turning points in [0, 1] and the held-out RMSE."""
    w_ls, b_ls = fit_poly(9, 0.0)
    rows = []
    for lam in SLIDER_LAMBDAS:
        w, b = fit_poly(9, lam)
        c = float(np.linalg.norm(w) / np.linalg.norm(w_ls))
        rows.append(
            {
                "lam": float(lam),
                "norm": float(np.linalg.norm(w)),
                "factor": c,
                "turning_ridge": turning_points(GRID, 9, w),
                "turning_shrunk": turning_points(GRID, 9, c * w_ls),
                "test_ridge": held_out_rmse(9, w, b),
                "test_shrunk": held_out_rmse(9, c * w_ls, b_ls),
            }
        )
    return rows


def _norm_label(norm):
    """1,943 for large norms, three significant digits below 100."""
    return f"{norm:,.0f}" if norm >= 100 else f"{norm:.3g}"


def data_fits_across_lambda():
    """Moving λ: the ridge fit bends from wiggly to flat, while the interpolant shrunk to the same weight
    norm stays a flat line at the mean; the readout compares their turning points and held-out errors."""
    x, y = data()[:2]
    w_ls, b_ls = fit_poly(9, 0.0)
    xs = np.round(SLIDER_GRID, 4).tolist()
    frames = []
    for row in slider_table():
        w, b = fit_poly(9, row["lam"])
        ridge_y = np.round(predict(SLIDER_GRID, 9, w, b), 3).tolist()
        shrunk_y = np.round(predict(SLIDER_GRID, 9, row["factor"] * w_ls, b_ls), 3).tolist()
        readout = (
            f"{_lam_label(row['lam'])}, ‖w‖ = {_norm_label(row['norm'])}. "
            f"Ridge: {row['turning_ridge']} turning points, held-out RMSE {row['test_ridge']:.3f}. "
            f"Interpolant × {_sci(row['factor'])}, same ‖w‖: "
            f"{row['turning_shrunk']} turning points, held-out RMSE {row['test_shrunk']:.3f}."
        )
        series = [
            {"type": "line", "x": xs, "y": ridge_y, "color": "blue", "label": "ridge fit"},
            {
                "type": "line",
                "x": xs,
                "y": shrunk_y,
                "color": "pink",
                "label": "interpolant shrunk to the same ‖w‖",
            },
        ]
        frames.append({"series": series, "readout": readout})
    truth_line = {"type": "line", "x": xs, "y": np.round(truth(SLIDER_GRID), 4).tolist(), "color": "muted"}
    points = {"type": "points", "x": np.round(x, 4).tolist(), "y": np.round(y, 4).tolist(), "color": "fg"}
    return {
        "kind": "frames",
        "xlabel": "x",
        "ylabel": "y",
        "xlim": [0.0, 1.0],
        "ylim": [-2.2, 2.2],
        "xscale": "linear",
        "yscale": "linear",
        "equal": False,
        "slider": {
            "label": "penalty strength λ",
            "values": SLIDER_LAMBDAS.tolist(),
            "format": "sci",
            "initial": 10,
        },
        "static": [
            truth_line | {"label": "sin 2πx (truth)", "dash": True},
            points | {"label": "training points"},
        ],
        "frames": frames,
    }


def values_slider():
    """What the slider shows, summarised."""
    rows = slider_table()
    test_ridge = np.array([r["test_ridge"] for r in rows])
    test_shrunk = np.array([r["test_shrunk"] for r in rows])
    return {
        "slider_lam_lo": float(SLIDER_LAMBDAS[0]),
        "slider_lam_hi": float(SLIDER_LAMBDAS[-1]),
        "slider_count": len(rows),
        "slider_ridge_test_lo": float(test_ridge.min()),
        "slider_ridge_test_hi": float(test_ridge.max()),
        "slider_shrunk_test_lo": float(test_shrunk.min()),
        "slider_shrunk_turning": int(min(r["turning_shrunk"] for r in rows)),
        "slider_factor_hi": float(max(r["factor"] for r in rows)),
        "slider_ridge_wins": int(np.sum(test_ridge < test_shrunk)),
    }


# --- values and figures ------------------------------------------------------------------


def values():
    v = {"n_points": N_POINTS, "noise_sd": NOISE_SD, "n_held_out": N_HELD_OUT, "lam_ridge": LAM_RIDGE}
    for m, row in degree_table().items():
        v[f"max_raw_d{m}"] = row["max_raw"]
        v[f"norm_std_d{m}"] = row["norm_std"]
        v[f"train_d{m}"] = row["train"]
        v[f"test_d{m}"] = row["test"]
    for i, row in enumerate(lambda_table()):
        for key in ("lam", "norm", "max", "train", "test", "turning"):
            v[f"{key}_{i}"] = row[key]
    v["norm_cut_1"] = v["norm_0"] / v["norm_1"]
    u = units()
    v["max_unit"] = float(np.max(np.abs(u["unit"])))
    v["max_ten"] = float(np.max(np.abs(u["ten"])))
    v["max_ten_power"] = int(np.argmax(np.abs(u["ten"]))) + 1
    v["coef9_unit"] = float(u["unit"][-1])
    v["coef9_ten"] = float(u["ten"][-1])
    v["norm_std_units"] = float(np.linalg.norm(u["std_unit"]))
    v["raw_penalty_gap"] = raw_penalty_gap()
    v["lam_intercept_demo"] = LAM_INTERCEPT_DEMO
    v["y_offset"] = Y_OFFSET
    demo = intercept_demo()
    v["shift_change_free"] = demo["free"]
    v["shift_change_penalised"] = demo["penalised"]
    s = shrink_vs_ridge()
    v["shrink_factor"] = s["factor"]
    shrunk_curve = predict(GRID, 9, *s["models"]["shrunk"])
    v["shrunk_range"] = float(shrunk_curve.max() - shrunk_curve.min())
    for k in ("interpolant", "shrunk", "ridge"):
        v[f"norm_{k}"] = s["norm"][k]
        v[f"turning_{k}"] = s["turning"][k]
        v[f"test_{k}"] = s["test"][k]
        v[f"train_{k}"] = s["train"][k]
    i_best = int(np.argmin(s["factor_errors"]))
    v["best_factor"] = float(s["factors"][i_best])
    v["test_best_shrunk"] = float(s["factor_errors"][i_best])
    shrink = direction_shrinkage(LAM_RIDGE)
    v["shrink_top"] = float(shrink[0])
    v["shrink_bottom"] = float(shrink[-1])
    r = repeats()
    v["n_repeats"] = N_REPEATS
    v["median_tp_interpolant"] = float(np.median(r["tp_ls"]))
    v["median_tp_ridge"] = float(np.median(r["tp_ridge"]))
    v["ridge_wins"] = r["ridge_wins"]
    v["path_n"] = PATH_N
    v["path_grid_n"] = len(PATH_LAMBDAS)
    v["path_lam_lo"], v["path_lam_hi"] = float(PATH_LAMBDAS[0]), float(PATH_LAMBDAS[-1])
    v.update({f"path_{k}": val for k, val in path_summary().items()})
    v.update(values_slider())
    return v


def _sci(value):
    """1.6 × 10⁻⁵ style for legends; plain for 0.01 ≤ value < 1000."""
    if value == 0 or 0.01 <= abs(value) < 1000:
        return f"{value:g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    power = "10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return power if mantissa == "1.0" else f"{mantissa} × {power}"


def _lam_label(lam):
    return f"λ = {_sci(lam)}"


def _data_points(ax, pal):
    x, y = data()[:2]
    ax.plot(GRID, truth(GRID), color=pal.muted, linestyle="--", linewidth=1.2, label="sin 2πx (truth)")
    ax.scatter(x, y, color=pal.fg, s=22, zorder=5, label="training points")


def fig_fits_across_lambda(fig, pal):
    """Degree-9 fits to ten noisy points for growing λ: the wiggles flatten, then the fit goes flat."""
    fig.set_size_inches(4.8, 4.8)
    ax = fig.subplots()
    _data_points(ax, pal)
    colours = (pal.orange, pal.pink, pal.blue, pal.green, pal.yellow)
    for (lam, curve), colour in zip(fitted_curves().items(), colours, strict=True):
        label = "λ = 0 (least squares)" if lam == 0 else _lam_label(lam)
        ax.plot(GRID, curve, color=colour, label=label)
    ax.set_ylim(-2.2, 2.2)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    fig.legend(loc="outside lower center", ncols=2)


def fig_units(fig, pal):
    """|coefficient| of each power in the same interpolant, for three encodings of x."""
    ax = fig.subplots()
    u = units()
    k = np.arange(1, 10)
    ax.semilogy(k, np.abs(u["unit"]), "o-", color=pal.orange, label="raw powers, x in [0, 1]")
    ax.semilogy(k, np.abs(u["ten"]), "s-", color=pal.blue, label="raw powers, x in [0, 10]")
    ax.semilogy(k, np.abs(u["std_unit"]), "^-", color=pal.green, label="standardised powers (either unit)")
    ax.set_xlabel("power k of x")
    ax.set_ylabel("|coefficient of the k-th power|")
    ax.set_xticks(k)
    fig.set_size_inches(4.8, 4.4)
    fig.legend(loc="outside lower center", ncols=1)


def fig_shrink_vs_ridge(fig, pal):
    """Shrinking the interpolant's weights keeps its wiggles; a ridge fit of the same norm does not."""
    fig.set_size_inches(4.8, 7.4)
    left, right = fig.subplots(2, 1, height_ratios=(1.3, 1))
    s = shrink_vs_ridge()
    _data_points(left, pal)
    w_ls, b_ls = s["models"]["interpolant"]
    best = s["factors"][np.argmin(s["factor_errors"])]
    curves = (
        ("interpolant", w_ls, b_ls, pal.orange, "-"),
        (f"interpolant, w × {best:.2f} (best c)", best * w_ls, b_ls, pal.pink, "-"),
        (f"interpolant, w × {_sci(s['factor'])} (ridge's norm)", *s["models"]["shrunk"], pal.yellow, "-"),
        (f"ridge, {_lam_label(LAM_RIDGE)}", *s["models"]["ridge"], pal.blue, "-"),
    )
    for label, w, b, colour, style in curves:
        left.plot(GRID, predict(GRID, 9, w, b), color=colour, linestyle=style, label=label)
    left.set_ylim(-2.2, 2.2)
    left.set_xlabel("x")
    left.set_ylabel("y")
    right.semilogx(s["factors"], s["factor_errors"], color=pal.pink)
    right.axhline(s["test"]["ridge"], color=pal.blue)
    right.plot([best], [s["factor_errors"].min()], "o", color=pal.pink)
    right.plot([s["factor"]], [s["test"]["shrunk"]], "o", color=pal.yellow)
    right.set_xlabel("shrink factor c (weights w × c)")
    right.set_ylabel("held-out RMSE")
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncols=1)


def fig_ridge_path(fig, pal):
    """Ridge path of a three-feature case: the norm falls, w₂ and the sum of weights rise first."""
    fig.set_size_inches(4.8, 6.2)
    left, right = fig.subplots(2, 1, sharex=True)
    W = ridge_path()
    for j, colour in enumerate((pal.blue, pal.orange, pal.green)):
        left.semilogx(PATH_LAMBDAS, W[:, j], color=colour, label=f"w{'₁₂₃'[j]}")
    left.semilogx(PATH_LAMBDAS, W.sum(axis=1), color=pal.pink, linestyle="--", label="w₁ + w₂ + w₃")
    left.axhline(0.0, color=pal.muted, linewidth=0.8)
    left.set_ylabel("weight")
    right.semilogx(PATH_LAMBDAS, np.linalg.norm(W, axis=1), color=pal.fg, label="‖w‖")
    right.set_xlabel("λ")
    right.set_ylabel("‖w‖")
    right.set_ylim(bottom=0)
    fig.legend(loc="outside lower center", ncols=3)
