"""Over redrawn training sets least-squares weights swing widely; ridge trades that variance for bias."""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.ticker import NullLocator

from snippets.conventions import min_norm_lstsq, ridge, ridge_with_intercept

# --- the polynomial problem: ten fixed inputs, the noise redrawn -----------------------------
N_POINTS = 10
NOISE_SD = 0.3  # σ
DEGREE = 9
N_DRAWS = 400  # Monte-Carlo training sets
N_OVERLAID = 15  # fits drawn in the overlay figure
LAMBDAS = np.concatenate([[0.0], np.logspace(-12, 2, 29)])
X_TRAIN = np.linspace(0.0, 1.0, N_POINTS)
X_EVAL = np.linspace(0.0, 1.0, 201)  # test inputs: x uniform on [0, 1], averaged on this grid

# --- the correlated two-feature problem -------------------------------------------------------
CORR_N = 20
CORR_RHO = 0.98  # correlation of the process generating the two features
CORR_W_TRUE = np.array([1.5, 0.5])
CORR_SD = 1.0  # σ of this problem
CORR_LAM = 2.0
CORR_DRAWS = 4000
CORR_SHOWN = 250  # points in the scatter
CORR_DISAGREE = np.array([1.0, -1.0])  # a new input on which the two features disagree


def truth(x):
    return np.sin(2 * np.pi * x)


def features(x):
    """Powers x, …, x⁹ standardised with their mean and standard deviation on the training inputs."""
    k = np.arange(1, DEGREE + 1)
    p_train = X_TRAIN[:, None] ** k
    return (np.asarray(x)[:, None] ** k - p_train.mean(axis=0)) / p_train.std(axis=0)


def fit(X, y, lam):
    """(w, b) with an unpenalised intercept: least squares by SVD when λ = 0, else ridge."""
    if lam == 0:
        coef = min_norm_lstsq(np.column_stack([np.ones(len(y)), X]), y)
        return coef[1:], coef[0]
    return ridge_with_intercept(X, y, lam)


# --- closed forms for a fixed design ----------------------------------------------------------


def smoother(lam, x_eval=X_EVAL):
    """The matrix S with prediction(x_eval) = S y: mean of y plus the ridge fit on the centred design.

    With the SVD Z = U diag(d) Vᵀ of the (already centred) training features,
    w = V diag(d / (d² + λ)) Uᵀ y; at λ = 0 the near-zero d are inverted, not dropped.
    """
    Z = features(X_TRAIN)
    U, d, Vt = np.linalg.svd(Z, full_matrices=False)
    w_map = Vt.T @ np.diag(d / (d**2 + lam)) @ U.T
    return np.full((len(x_eval), N_POINTS), 1.0 / N_POINTS) + features(x_eval) @ w_map


def bias_variance_closed(lam):
    """Averages over x of bias² and variance of the prediction, and the expected test error σ² + both."""
    S = smoother(lam)
    bias2 = float(np.mean((S @ truth(X_TRAIN) - truth(X_EVAL)) ** 2))
    var = float(NOISE_SD**2 * np.mean(np.sum(S**2, axis=1)))
    return bias2, var, NOISE_SD**2 + bias2 + var


def weight_cov_closed(Z, sd, lam):
    """Cov(w) = σ² (ZᵀZ + λI)⁻¹ ZᵀZ (ZᵀZ + λI)⁻¹ for centred Z, via the SVD (λ = 0: σ² (ZᵀZ)⁻¹)."""
    _, d, Vt = np.linalg.svd(Z, full_matrices=False)
    return sd**2 * Vt.T @ np.diag(d**2 / (d**2 + lam) ** 2) @ Vt


@functools.cache
def curves_closed():
    rows = np.array([bias_variance_closed(lam) for lam in LAMBDAS])
    return {"bias2": rows[:, 0], "var": rows[:, 1], "error": rows[:, 2]}


def lam_best():
    """The λ of the grid with the smallest closed-form expected test error."""
    return float(LAMBDAS[np.argmin(curves_closed()["error"])])


# --- Monte Carlo: redraw the noise, refit -----------------------------------------------------


@functools.cache
def monte_carlo():
    """Refit on N_DRAWS training sets (same x, fresh noise) for every λ; keep summary statistics."""
    rng = np.random.default_rng(11)
    Z, Z_eval = features(X_TRAIN), features(X_EVAL)
    ys = truth(X_TRAIN) + NOISE_SD * rng.standard_normal((N_DRAWS, N_POINTS))
    keep = {0.0: None, lam_best(): None}
    bias2, var, error = [], [], []
    for lam in LAMBDAS:
        fits = [fit(Z, y, lam) for y in ys]
        preds = np.array([Z_eval @ w + b for w, b in fits])
        v = preds.var(axis=0, ddof=1)
        # the squared bias of the sample mean overstates bias² by var / N: remove it
        bias2.append(np.mean((preds.mean(axis=0) - truth(X_EVAL)) ** 2 - v / N_DRAWS))
        var.append(np.mean(v))
        error.append(NOISE_SD**2 + np.mean((preds - truth(X_EVAL)) ** 2))
        if lam in keep:
            keep[lam] = {"w": np.array([w for w, _ in fits]), "preds": preds}
    return {
        "bias2": np.array(bias2),
        "var": np.array(var),
        "error": np.array(error),
        "ls": keep[0.0],
        "ridge": keep[lam_best()],
    }


# --- correlated features ----------------------------------------------------------------------


@functools.cache
def correlated_design():
    """Two standardised features drawn with correlation CORR_RHO; X is then held fixed."""
    rng = np.random.default_rng(5)
    x1 = rng.standard_normal(CORR_N)
    x2 = CORR_RHO * x1 + np.sqrt(1 - CORR_RHO**2) * rng.standard_normal(CORR_N)
    X = np.column_stack([x1, x2])
    X -= X.mean(axis=0)
    return X / X.std(axis=0)


@functools.cache
def correlated_draws():
    """Least-squares and ridge weights over CORR_DRAWS noise vectors (X fixed, no intercept)."""
    X = correlated_design()
    rng = np.random.default_rng(13)
    Y = (X @ CORR_W_TRUE)[:, None] + CORR_SD * rng.standard_normal((CORR_N, CORR_DRAWS))
    return {
        name: np.array([ridge(X, y, lam) for y in Y.T]) for name, lam in (("ls", 0.0), ("ridge", CORR_LAM))
    }


def relative_frobenius(estimate, exact):
    return float(np.linalg.norm(estimate - exact) / np.linalg.norm(exact))


def expected_mc_error(cov, n_draws):
    """RMS relative Frobenius error of a sample covariance of Gaussian draws.

    E‖S − Σ‖²_F = (‖Σ‖²_F + (tr Σ)²) / (N − 1) for the unbiased sample covariance S of N draws.
    """
    return float(np.sqrt((1 + np.trace(cov) ** 2 / np.sum(cov**2)) / (n_draws - 1)))


@functools.cache
def correlated_summary():
    X = correlated_design()
    draws = correlated_draws()
    out = {"corr": float(np.corrcoef(X.T)[0, 1]), "cond": float(np.linalg.cond(X.T @ X))}
    for name, lam in (("ls", 0.0), ("ridge", CORR_LAM)):
        exact = weight_cov_closed(X, CORR_SD, lam)
        mc = np.cov(draws[name].T)
        out[name] = {
            "cov": exact,
            "cov_mc": mc,
            "mean_mc": draws[name].mean(axis=0),
            "rel_err": relative_frobenius(mc, exact),
            "expected_err": expected_mc_error(exact, CORR_DRAWS),
            "max_abs": float(np.max(np.abs(draws[name]))),
        }
    G = X.T @ X
    out["ridge"]["mean"] = np.linalg.solve(G + CORR_LAM * np.eye(2), G @ CORR_W_TRUE)
    # E‖w_LS‖² = ‖w*‖² + tr Cov(w_LS): least squares is unbiased, so all extra size is variance
    out["ls"]["mean_sq_norm_mc"] = float(np.mean(np.sum(draws["ls"] ** 2, axis=1)))
    out["ls"]["mean_sq_norm"] = float(CORR_W_TRUE @ CORR_W_TRUE + np.trace(out["ls"]["cov"]))
    # mean squared distance to the true weights: variance plus squared bias
    out["ls"]["mse"] = float(np.trace(out["ls"]["cov"]))
    bias = out["ridge"]["mean"] - CORR_W_TRUE
    out["ridge"]["mse"] = float(np.trace(out["ridge"]["cov"]) + bias @ bias)
    for name in ("ls", "ridge"):
        out[name]["mse_mc"] = float(np.mean(np.sum((draws[name] - CORR_W_TRUE) ** 2, axis=1)))
        cov = out[name]["cov"]
        # variance of the prediction xᵀw: averaged over the training inputs, and at CORR_DISAGREE
        out[name]["pred_var_train"] = float(np.mean(np.einsum("ij,jk,ik->i", X, cov, X)))
        out[name]["pred_var_disagree"] = float(CORR_DISAGREE @ cov @ CORR_DISAGREE)
    return out


# --- the slider: the spread of the fits as λ grows --------------------------------------------
SLIDER_LAMBDAS = LAMBDAS[2::2]  # 10^-11.5 to 10^1.5, a decade apart, through the best λ = 10^-2.5
SLIDER_X = np.linspace(0.0, 1.0, 41)


def band(lam, x_eval=SLIDER_X):
    """Mean fit E f̂(x) = s_λ(x)ᵀ f_n and its standard deviation σ‖s_λ(x)‖ across training sets."""
    S = smoother(lam, x_eval)
    return S @ truth(X_TRAIN), NOISE_SD * np.sqrt(np.sum(S**2, axis=1))


def data_fits_overlaid():
    """Moving λ: the band holding most refitted curves (mean ± 2 standard deviations) narrows while the
    mean curve drifts off the sine; the readout gives bias², variance and expected test error."""
    xs = np.round(SLIDER_X, 3).tolist()
    frames = []
    for lam in SLIDER_LAMBDAS:
        mean, sd = band(lam)
        bias2, var, err = bias_variance_closed(lam)
        series = [
            {"type": "line", "x": xs, "y": np.round(mean + 2 * sd, 3).tolist(), "color": "sky", "dash": True},
            {"type": "line", "x": xs, "y": np.round(mean - 2 * sd, 3).tolist(), "color": "sky", "dash": True},
            {
                "type": "line",
                "x": xs,
                "y": np.round(mean, 4).tolist(),
                "color": "blue",
                "label": "average fit",
            },
        ]
        series[0]["label"] = "± 2 standard deviations across training sets"
        small = f"{bias2:.4f}" if bias2 >= 1e-4 else _sci(bias2)
        readout = f"λ = {_sci(lam)}: bias² {small}, variance {var:.4f}, expected test error {err:.4f}"
        frames.append({"series": series, "readout": readout})
    sine = {"type": "line", "x": xs, "y": np.round(truth(SLIDER_X), 4).tolist(), "color": "muted"}
    return {
        "kind": "frames",
        "xlabel": "x",
        "ylabel": "prediction",
        "xlim": [0.0, 1.0],
        "ylim": [-2.5, 2.5],
        "xscale": "linear",
        "yscale": "linear",
        "equal": False,
        "slider": {
            "label": "penalty strength λ",
            "values": SLIDER_LAMBDAS.tolist(),
            "format": "sci",
            "initial": int(np.argmin(np.abs(np.log10(SLIDER_LAMBDAS / lam_best())))),
        },
        "static": [sine | {"label": "sin 2πx (truth)", "dash": True}],
        "frames": frames,
    }


def values_slider():
    """What the slider shows: the band's largest half-width at both ends of the range."""
    _, sd_lo = band(SLIDER_LAMBDAS[0])
    _, sd_hi = band(SLIDER_LAMBDAS[-1])
    return {
        "slider_count": len(SLIDER_LAMBDAS),
        "slider_lam_lo": float(SLIDER_LAMBDAS[0]),
        "slider_lam_hi": float(SLIDER_LAMBDAS[-1]),
        "slider_band_lo": float(2 * sd_lo.max()),
        "slider_band_hi": float(2 * sd_hi.max()),
    }


# --- values and figures -----------------------------------------------------------------------


def weight_sd_closed(lam):
    """Exact standard deviation of each polynomial weight across training sets: √diag Cov(w)."""
    return np.sqrt(np.diag(weight_cov_closed(features(X_TRAIN), NOISE_SD, lam)))


def values_setup():
    """The polynomial problem's constants."""
    d_min = float(np.linalg.svd(features(X_TRAIN), compute_uv=False)[-1])
    return {
        "n_points": N_POINTS,
        "noise_sd": NOISE_SD,
        "n_draws": N_DRAWS,
        "degree": DEGREE,
        "n_overlaid": N_OVERLAID,
        "noise_var": NOISE_SD**2,
        "d_min": d_min,
        "d_min_sq": d_min**2,
    }


def values_spread():
    """Many training sets, many fits: exact spreads of predictions and weights, and the simulation's."""
    closed, mc = curves_closed(), monte_carlo()
    i_best = int(np.argmin(closed["error"]))
    sd_ls, sd_ridge = weight_sd_closed(0.0), weight_sd_closed(lam_best())
    sd_ls_mc = mc["ls"]["w"].std(axis=0, ddof=1)
    v = {
        "var_ls": float(closed["var"][0]),
        "var_best": float(closed["var"][i_best]),
        "var_ls_mc": float(mc["var"][0]),
        "var_best_mc": float(mc["var"][i_best]),
        "var_ratio": float(closed["var"][0] / closed["var"][i_best]),
        "weight_sd_ls_min": float(sd_ls.min()),
        "weight_sd_ls_max": float(sd_ls.max()),
        "weight_sd_ridge_max": float(sd_ridge.max()),
        "weight_sd_ls_min_mc": float(sd_ls_mc.min()),
        "weight_sd_ls_max_mc": float(sd_ls_mc.max()),
        "weight_sd_ridge_max_mc": float(mc["ridge"]["w"].std(axis=0, ddof=1).max()),
    }
    # relative standard error of a sample standard deviation of N Gaussian draws: 1/√(2(N − 1))
    rel_se = 1 / np.sqrt(2 * (N_DRAWS - 1))
    v["weight_sd_rel_se_pct"] = 100 * rel_se
    quoted = [(v[k + "_mc"], v[k]) for k in ("weight_sd_ls_min", "weight_sd_ls_max", "weight_sd_ridge_max")]
    v["weight_sd_max_z"] = max(abs(mc_val / exact - 1) / rel_se for mc_val, exact in quoted)
    return v


def values_correlated():
    """The two correlated features: exact moments and their simulation."""
    c = correlated_summary()
    v = {"corr_n": CORR_N, "corr_draws": CORR_DRAWS, "corr_lam": CORR_LAM, "corr_sd": CORR_SD}
    v["corr_rho_process"] = CORR_RHO
    v["corr_w1"], v["corr_w2"] = float(CORR_W_TRUE[0]), float(CORR_W_TRUE[1])
    v["corr_sample"] = c["corr"]
    v["corr_cond"] = c["cond"]
    for name in ("ls", "ridge"):
        v[f"corr_sd_w1_{name}"] = float(np.sqrt(c[name]["cov"][0, 0]))
        v[f"corr_sd_w1_{name}_mc"] = float(np.sqrt(c[name]["cov_mc"][0, 0]))
        v[f"corr_rel_err_{name}"] = c[name]["rel_err"]
        v[f"corr_expected_err_{name}"] = c[name]["expected_err"]
        v[f"corr_max_abs_{name}"] = c[name]["max_abs"]
        v[f"corr_mse_{name}"] = c[name]["mse"]
        v[f"corr_mse_{name}_mc"] = c[name]["mse_mc"]
        v[f"corr_pred_var_train_{name}"] = c[name]["pred_var_train"]
        v[f"corr_pred_var_disagree_{name}"] = c[name]["pred_var_disagree"]
    v["corr_ridge_mean_w1"], v["corr_ridge_mean_w2"] = (float(t) for t in c["ridge"]["mean"])
    v["corr_true_sq_norm"] = float(CORR_W_TRUE @ CORR_W_TRUE)
    v["corr_mean_sq_norm_ls"] = c["ls"]["mean_sq_norm"]
    v["corr_mean_sq_norm_ls_mc"] = c["ls"]["mean_sq_norm_mc"]
    return v


def values_tradeoff():
    """Bias², variance and expected test error against λ: closed forms and the simulation."""
    closed, mc = curves_closed(), monte_carlo()
    i_best, i_mc = int(np.argmin(closed["error"])), int(np.argmin(mc["error"]))
    v = {"lam_best": lam_best(), "lam_best_mc": float(LAMBDAS[i_mc])}
    v["lam_min"], v["lam_max"] = float(LAMBDAS[1]), float(LAMBDAS[-1])
    for key in ("bias2", "var", "error"):
        v[f"{key}_ls"] = float(closed[key][0])
        v[f"{key}_best"] = float(closed[key][i_best])
        v[f"{key}_max_lam"] = float(closed[key][-1])
    v["error_ls_mc"] = float(mc["error"][0])
    v["error_best_mc"] = float(mc["error"][i_best])
    v["error_max_lam_mc"] = float(mc["error"][-1])
    v["error_min_mc"] = float(mc["error"][i_mc])
    return v


def values():
    return {
        **values_setup(),
        **values_spread(),
        **values_correlated(),
        **values_tradeoff(),
        **values_slider(),
    }


def _sci(value):
    """3.2 × 10⁻³ style, for legends."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa} × 10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _thin(x, y, tol, xscale, yscale, ylim=None):
    """The points of the polyline (x, y) that matter at the size it is drawn: Ramer-Douglas-Peucker
    with tolerance `tol` points, x and y measured in points (`xscale`, `yscale` points per unit).
    With `ylim`, y is first clipped just outside the frame, so runs off the frame become straight."""
    y = np.asarray(y, float)
    if ylim is not None:
        margin = 0.05 * (ylim[1] - ylim[0])
        y = np.clip(y, ylim[0] - margin, ylim[1] + margin)
    px, py = np.asarray(x, float) * xscale, y * yscale
    keep = np.zeros(len(px), bool)
    keep[[0, -1]] = True
    stack = [(0, len(px) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        dx, dy = px[j] - px[i], py[j] - py[i]
        dist = np.abs(dx * (py[i + 1 : j] - py[i]) - dy * (px[i + 1 : j] - px[i])) / np.hypot(dx, dy)
        k = int(np.argmax(dist))
        if dist[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return np.asarray(x)[keep], y[keep]


def _ellipse(cov, centre, scale=2.0):
    """Points of the ellipse {centre + scale · Σ^½ u : ‖u‖ = 1}."""
    t = np.linspace(0, 2 * np.pi, 73)
    vals, vecs = np.linalg.eigh(cov)
    circle = np.vstack([np.cos(t), np.sin(t)])
    return centre[:, None] + scale * vecs @ (np.sqrt(vals)[:, None] * circle)


def fig_fits_overlaid(fig, pal):
    """Degree-9 fits on redrawn training sets: least squares (left) swings, ridge (right) barely moves."""
    fig.set_size_inches(4.8, 6.2)
    axes = fig.subplots(2, 1, sharex=True)
    mc = monte_carlo()
    titles = ("least squares (λ = 0)", f"ridge (λ = {_sci(lam_best())})")
    for ax, key, colour, title in zip(axes, ("ls", "ridge"), (pal.orange, pal.blue), titles, strict=True):
        for pred in mc[key]["preds"][:N_OVERLAID]:
            # the full 201-point curve, less the points that move it by under 0.2 pt where it is drawn
            ax.plot(*_thin(X_EVAL, pred, 0.4, 290, 34, (-2.5, 2.5)), color=colour, linewidth=0.8, alpha=0.55)
        ax.plot(X_EVAL, truth(X_EVAL), color=pal.fg, linestyle="--", linewidth=1.4, label="sin 2πx")
        ax.set_title(title)
        ax.set_ylabel("prediction")
        ax.set_ylim(-2.5, 2.5)
    axes[1].set_xlabel("x")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center")


def fig_weight_spread(fig, pal):
    """Standard deviation of each weight across training sets: closed form (lines) and Monte Carlo (marks)."""
    ax = fig.subplots()
    mc = monte_carlo()
    Z = features(X_TRAIN)
    k = np.arange(1, DEGREE + 1)
    for key, lam, colour, label in (
        ("ls", 0.0, pal.orange, "least squares"),
        ("ridge", lam_best(), pal.blue, f"ridge, λ = {_sci(lam_best())}"),
    ):
        exact = np.sqrt(np.diag(weight_cov_closed(Z, NOISE_SD, lam)))
        ax.semilogy(k, exact, color=colour, label=f"{label}: formula")
        ax.semilogy(k, mc[key]["w"].std(axis=0, ddof=1), "o", color=colour, label=f"{label}: simulation")
    ax.set_xlabel("weight of standardised power k")
    ax.set_ylabel("standard deviation across training sets")
    ax.set_xticks(k)
    ax.yaxis.set_minor_locator(NullLocator())  # unlabelled minor ticks: 9 kB of SVG, no information
    fig.set_size_inches(4.8, 4.8)
    fig.legend(loc="outside lower center", ncols=1)


def fig_correlated_weights(fig, pal):
    """Weights of two correlated features over redrawn noise, least squares vs ridge, with 2σ ellipses."""
    fig.set_size_inches(4.8, 8.6)
    full, zoom = fig.subplots(2, 1)
    draws, c = correlated_draws(), correlated_summary()
    pts = np.vstack([draws["ls"][:CORR_SHOWN], draws["ridge"][:CORR_SHOWN]])
    colours = [pal.orange] * CORR_SHOWN + [pal.blue] * CORR_SHOWN
    for ax in (full, zoom):
        ax.scatter(pts[:, 0], pts[:, 1], s=4, c=colours, linewidths=0, rasterized=True, antialiased=False)
        for key, colour, label in (
            ("ls", pal.orange, "least squares"),
            ("ridge", pal.blue, f"ridge, λ = {CORR_LAM:g}"),
        ):
            ax.scatter([], [], s=5, color=colour, label=label)
            centre = CORR_W_TRUE if key == "ls" else c["ridge"]["mean"]
            ax.plot(*_ellipse(c[key]["cov"], centre), color=colour, linewidth=1.6, zorder=4)
        ax.plot(*CORR_W_TRUE, "*", color=pal.fg, markersize=11, zorder=5, label="true weights")
        ax.plot(*c["ridge"]["mean"], "X", color=pal.fg, markersize=7, zorder=5, label="mean ridge weights")
        ax.set_xlabel("w₁")
        ax.set_ylabel("w₂")
        ax.set_aspect("equal", adjustable="box")
    shown = draws["ls"][:CORR_SHOWN]
    low, high = shown.min(axis=0) - 0.5, shown.max(axis=0) + 0.5
    full.set_xlim(low[0], high[0])
    full.set_ylim(low[1], high[1])
    full.set_title("all draws")
    zoom.set_xlim(0.3, 1.8)
    zoom.set_ylim(0.2, 1.7)
    zoom.set_title("zoom on the ridge cloud")
    fig.legend(*full.get_legend_handles_labels(), loc="outside lower center", ncols=2, markerscale=1.5)


def fig_tradeoff(fig, pal):
    """Bias², variance and expected test error of ridge against λ: formulas (lines), simulation (dots)."""
    ax = fig.subplots()
    closed, mc = curves_closed(), monte_carlo()
    lam = LAMBDAS[1:]
    for key, colour, label in (
        ("bias2", pal.green, "bias²"),
        ("var", pal.orange, "variance"),
        ("error", pal.blue, "expected test error"),
    ):
        ax.semilogx(lam, closed[key][1:], color=colour, label=label)
        ax.semilogx(lam, mc[key][1:], "o", color=colour, markersize=3)
    ax.axhline(NOISE_SD**2, color=pal.muted, linestyle=":", linewidth=1.2, label="σ² (noise floor)")
    ax.axvline(lam_best(), color=pal.muted, linestyle="--", linewidth=1.0)
    ax.set_ylim(0, 0.7)
    ax.set_xlabel("λ")
    ax.set_ylabel("average over x in [0, 1]")
    fig.set_size_inches(4.8, 4.6)
    fig.legend(loc="outside lower center", ncols=2)
