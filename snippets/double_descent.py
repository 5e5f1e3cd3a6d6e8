"""Random-features regression: error and ‖w‖ peak at N = n, then fall; a little ridge removes the peak."""

from __future__ import annotations

import functools

import numpy as np

N_TRAIN = 30  # n training points
D_INPUT = 8  # input dimension
D_CONTRAST = 3  # a lower-dimensional input where the first minimum wins
NOISE = 0.3  # σ of the label noise
N_TEST = 500  # held-out points per draw
N_DRAWS = 30  # independent draws of data and features
LAM_SMALL = 1e-2  # the ridge λ of the first figure (features are scaled by 1/√N)
LAM_GRID = np.logspace(-7, 1, 33)  # λ on the slider: four steps per decade
LAM_TINY = 1e-4  # a penalty too small to remove the peak
SEED = 2019
PEAK_TOLERANCE = 1.1  # "no peak": the error at N = n is at most 10 % above the best with N < n
REPEAT_SEEDS = tuple(range(1, 11))  # ten further repetitions of the whole experiment (slow tests only)


def feature_counts():
    """N from 1 to 10n: every N near the threshold, geometric steps beyond."""
    near = np.concatenate([np.arange(1, 11), np.arange(12, 2 * N_TRAIN + 1, 2)])
    far = np.round(np.geomspace(2 * N_TRAIN, 10 * N_TRAIN, 9)).astype(int)
    return np.unique(np.concatenate([near, far]))


def target(x, beta):
    """The noise-free function to learn: f(x) = βᵀx + ½ tanh(2βᵀx)."""
    z = x @ beta
    return z + 0.5 * np.tanh(2 * z)


@functools.cache
def draws(d_input=D_INPUT, seed=SEED):
    """N_DRAWS independent draws, stacked: inputs, noisy labels, clean test targets, 10n directions θ_j."""
    rng = np.random.default_rng(seed)
    N_max = feature_counts().max()
    beta = rng.standard_normal((N_DRAWS, d_input))
    beta /= np.linalg.norm(beta, axis=1, keepdims=True)
    x_train = rng.standard_normal((N_DRAWS, N_TRAIN, d_input))
    x_test = rng.standard_normal((N_DRAWS, N_TEST, d_input))
    theta = rng.standard_normal((N_DRAWS, d_input, N_max)) / np.sqrt(d_input)
    f_train = np.stack([target(x, b) for x, b in zip(x_train, beta, strict=True)])
    f_test = np.stack([target(x, b) for x, b in zip(x_test, beta, strict=True)])
    y_train = f_train + NOISE * rng.standard_normal((N_DRAWS, N_TRAIN))
    return {
        "beta": beta,
        "x_train": x_train,
        "y_train": y_train,
        "x_test": x_test,
        "f_test": f_test,
        "theta": theta,
    }


def gains(d, lams):
    """The factor multiplying uᵢᵀy/… in each direction: d/(d² + λ) for λ > 0; for λ = 0 it is 1/d,
    and 0 for directions whose d is numerically zero (relative to the largest). Shape (..., λ, k)."""
    cutoff = d[..., :1] * N_TRAIN * 10 * np.finfo(float).eps
    safe = np.where(d > cutoff, d, 1.0)
    rows = [np.where(d > cutoff, 1.0 / safe, 0.0) if lam == 0 else d / (d**2 + lam) for lam in lams]
    return np.stack(rows, axis=-2)


def spectral_fits(F, y, lams):
    """Ridge through the SVD F = U diag(d) Vᵀ: w = V diag(d/(d² + λ)) Uᵀy, for a stack of draws.

    λ > 0 gives conventions.ridge(F, y, λ); λ = 0 gives the minimum-norm least-squares solution
    (conventions.min_norm_lstsq). One SVD serves every λ. Returns the list of weights (one per λ)
    and the singular values.
    """
    U, d, Vt = np.linalg.svd(F, full_matrices=False)
    Uty = np.einsum("...nk,...n->...k", U, y)
    g = gains(d, lams)
    return [np.einsum("...kN,...k->...N", Vt, g[..., i, :] * Uty) for i in range(len(lams))], d


@functools.cache
def raw_features(d_input=D_INPUT, seed=SEED, cols=None):
    """max(0, θ_jᵀx) for the first `cols` (default all 10n) directions of every draw, on training and
    held-out inputs."""
    D = draws(d_input, seed)
    theta = D["theta"][..., :cols]
    return np.maximum(0.0, D["x_train"] @ theta), np.maximum(0.0, D["x_test"] @ theta)


def features(N, d_input=D_INPUT, seed=SEED, cols=None):
    """The first N random ReLU features φ_j(x) = max(0, θ_jᵀx)/√N of every draw: (draw, points, N) twice
    (computed from the first `cols` ≥ N directions only, if given)."""
    raw_train, raw_test = raw_features(d_input, seed, cols)
    return raw_train[..., :N] / np.sqrt(N), raw_test[..., :N] / np.sqrt(N)


def fit_all(N, lams, d_input=D_INPUT, seed=SEED, cols=None):
    """Ridge (λ > 0) or minimum-norm (λ = 0) fits on the first N features of every draw, for every λ:
    held-out error and ‖w‖, arrays (draw, λ), and the smallest singular value of F per draw.

    With F = U diag(d) Vᵀ, the weights are w = V c with c = gains · Uᵀy, so ‖w‖ = ‖c‖, and with
    G = F_test V the held-out error is (cᵀGᵀGc − 2cᵀGᵀf + fᵀf)/m: one SVD and one GᵀG serve every λ.
    """
    D = draws(d_input, seed)
    F_train, F_test = features(N, d_input, seed, cols)
    U, d, Vt = np.linalg.svd(F_train, full_matrices=False)
    G, f = np.einsum("stN,skN->stk", F_test, Vt, optimize=True), D["f_test"]
    GtG = np.einsum("stk,stl->skl", G, G, optimize=True)
    C = gains(d, lams) * np.einsum("snk,sn->sk", U, D["y_train"])[:, None, :]
    quad = np.einsum("slk,skm,slm->sl", C, GtG, C, optimize=True)
    cross = np.einsum("slk,stk,st->sl", C, G, f, optimize=True)
    err = (quad - 2 * cross + np.sum(f * f, axis=1)[:, None]) / f.shape[1]
    return err, np.linalg.norm(C, axis=2), d[:, -1]


@functools.cache
def sweep(d_input=D_INPUT, seed=SEED):
    """Arrays (draw, N): held-out error and ‖w‖ for λ = 0 and λ = LAM_SMALL, the smallest singular value
    of F; and "grid" (draw, λ, N): the held-out error for every λ of LAM_GRID."""
    Ns = feature_counts()
    out = {k: np.empty((N_DRAWS, len(Ns))) for k in ("err0", "errl", "norm0", "norml", "smin")}
    out["grid"] = np.empty((N_DRAWS, len(LAM_GRID), len(Ns)))
    for j, N in enumerate(Ns):
        err, norm, out["smin"][:, j] = fit_all(N, [0.0, LAM_SMALL, *LAM_GRID], d_input, seed)
        out["err0"][:, j], out["errl"][:, j], out["grid"][:, :, j] = err[:, 0], err[:, 1], err[:, 2:]
        out["norm0"][:, j], out["norml"][:, j] = norm[:, 0], norm[:, 1]
    return out


@functools.cache
def repeats():
    """The penalty threshold in REPEAT_SEEDS further repetitions of the whole experiment (dimension
    D_INPUT, N ≤ n only): for each, the median error at N = n with λ = LAM_TINY, the best with N < n,
    and λ*, the smallest grid λ that removes the peak."""
    Ns = feature_counts()
    Ns = Ns[Ns <= N_TRAIN]
    out = {"tiny_at_n": [], "tiny_best_under": [], "lam_star": []}
    for seed in REPEAT_SEEDS:
        med = np.median(
            np.stack([fit_all(N, LAM_GRID, D_INPUT, seed, N_TRAIN)[0] for N in Ns], axis=2), axis=0
        )
        i_tiny = _nearest(LAM_GRID, LAM_TINY)
        out["tiny_at_n"].append(med[i_tiny, -1])
        out["tiny_best_under"].append(med[i_tiny, :-1].min())
        out["lam_star"].append(LAM_GRID[np.argmax(med[:, -1] <= PEAK_TOLERANCE * med[:, :-1].min(axis=1))])
    return {k: np.array(x) for k, x in out.items()}


def median_curves(d_input=D_INPUT, seed=SEED):
    """Median over draws of each array of sweep(), per N."""
    return {k: np.median(a, axis=0) for k, a in sweep(d_input, seed).items()}


def lambda_curves(d_input=D_INPUT, seed=SEED):
    """Median held-out error over draws for every λ of LAM_GRID and every N, array (λ, N)."""
    return np.median(sweep(d_input, seed)["grid"], axis=0)


def peak_removed(median_err):
    """For median error curves (λ, N): True where the error at N = n is at most PEAK_TOLERANCE times the
    best error with fewer features (no peak at the threshold)."""
    Ns = feature_counts()
    return median_err[:, Ns == N_TRAIN][:, 0] <= PEAK_TOLERANCE * median_err[:, Ns < N_TRAIN].min(axis=1)


def _at(Ns, N):
    return int(np.flatnonzero(Ns == N)[0])


# --- why the mean at N = n is unbounded: the inverse-Wishart mean ------------------------------------

IW_FEATURES = (20, 25, 28, N_TRAIN)  # N for the Monte-Carlo check of E tr((FᵀF)⁻¹)
IW_SEEDS = tuple(range(10))
IW_DRAWS = 400  # draws per seed


def inverse_wishart_trace(n, N):
    """E tr((XᵀX)⁻¹) for an n × N matrix X of independent standard normal entries: N/(n − N − 1) when
    n > N + 1 (the mean of an inverse-Wishart matrix), infinite otherwise."""
    return N / (n - N - 1) if n > N + 1 else np.inf


@functools.cache
def trace_inverse_draws():
    """tr((XᵀX)⁻¹) for Gaussian n × N matrices, array (N, seed, draw)."""
    out = np.empty((len(IW_FEATURES), len(IW_SEEDS), IW_DRAWS))
    for s_i, seed in enumerate(IW_SEEDS):
        rng = np.random.default_rng(100 + seed)
        for j, N in enumerate(IW_FEATURES):
            X = rng.standard_normal((IW_DRAWS, N_TRAIN, N))
            out[j, s_i] = 1.0 / np.linalg.svd(X, compute_uv=False) ** 2 @ np.ones(N)
    return out


# --- when interpolation is benign: effective ranks of the feature covariance ------------------------


def feature_covariance(theta):
    """Σ = E_x[φ(x)φ(x)ᵀ] for x ~ N(0, I) and φ_j(x) = max(0, θ_jᵀx)/√N: the arc-cosine kernel
    Σ_jk = ‖θ_j‖‖θ_k‖ (sin α + (π − α) cos α) / (2πN), with α the angle between θ_j and θ_k."""
    norms = np.linalg.norm(theta, axis=0)
    cos = np.clip((theta / norms).T @ (theta / norms), -1.0, 1.0)
    alpha = np.arccos(cos)
    return np.outer(norms, norms) * (np.sin(alpha) + (np.pi - alpha) * cos) / (2 * np.pi * theta.shape[1])


def effective_ranks(eigenvalues, k):
    """Bartlett et al.'s effective ranks of the spectrum beyond its k largest eigenvalues λ₁ ≥ λ₂ ≥ …:
    r_k = Σ_{i>k} λ_i / λ_{k+1} and R_k = (Σ_{i>k} λ_i)² / Σ_{i>k} λ_i²."""
    tail = np.sort(eigenvalues)[::-1][k:]
    return tail.sum() / tail[0], tail.sum() ** 2 / np.sum(tail**2)


@functools.cache
def spectra(d_input=D_INPUT):
    """Eigenvalues of Σ for the 10n features of every draw, largest first, array (draw, 10n)."""
    theta = draws(d_input)["theta"]
    return np.array([np.sort(np.linalg.eigvalsh(feature_covariance(t)))[::-1] for t in theta])


def values_blowup():
    """The mean of tr((XᵀX)⁻¹) for Gaussian features: closed form against Monte-Carlo, and its blow-up."""
    tr = trace_inverse_draws()
    out = {"iw_seeds": len(IW_SEEDS), "iw_draws": IW_DRAWS}
    for j, N in enumerate(IW_FEATURES[:-1]):
        out[f"iw_exact_{N}"] = inverse_wishart_trace(N_TRAIN, N)
        out[f"iw_mc_{N}"] = float(tr[j].mean())
        out[f"iw_mc_{N}_lo"] = float(tr[j].mean(axis=1).min())
        out[f"iw_mc_{N}_hi"] = float(tr[j].mean(axis=1).max())
    out["iw_mc_n_lo"] = float(tr[-1].mean(axis=1).min())
    out["iw_mc_n_hi"] = float(tr[-1].mean(axis=1).max())
    out["iw_median_n"] = float(np.median(tr[-1]))
    out["noise_var"] = NOISE**2
    return out


def values_benign():
    """Effective ranks of the feature spectrum beyond its d + 1 leading directions, medians over draws."""
    out = {}
    for d in (D_INPUT, D_CONTRAST):
        lam = spectra(d)
        ranks = np.array([effective_ranks(row, d + 1) for row in lam])
        out[f"head_{d}"] = d + 1
        out[f"head_share_{d}"] = float(np.median(lam[:, : d + 1].sum(axis=1) / lam.sum(axis=1)))
        out[f"tail_r_{d}"] = float(np.median(ranks[:, 0]))
        out[f"tail_rank_{d}"] = float(np.median(ranks[:, 1]))
        out[f"tail_rank_{d}_lo"] = float(ranks[:, 1].min())
        out[f"tail_rank_{d}_hi"] = float(ranks[:, 1].max())
    return out


def values_experiment():
    """The set-up, and the baseline of predicting 0."""
    return {
        "n": N_TRAIN,
        "d": D_INPUT,
        "noise": NOISE,
        "n_test": N_TEST,
        "n_draws": N_DRAWS,
        "lam": LAM_SMALL,
        "n_max": int(feature_counts().max()),
        "n_repeats": len(REPEAT_SEEDS),
        "target_var": float(np.var(draws()["f_test"])),
    }


def values_peak():
    """The three stages of the λ = 0 curve in dimension D_INPUT: medians, and the spread over draws."""
    Ns = feature_counts()
    med, err0 = median_curves(), sweep()["err0"]
    mean0 = err0.mean(axis=0)
    at_n, under = _at(Ns, N_TRAIN), Ns < N_TRAIN
    i_peak = int(np.argmax(med["err0"]))
    i_best_under = int(np.argmin(np.where(under, med["err0"], np.inf)))
    own_peak = Ns[np.argmax(err0, axis=1)]
    return {
        "peak_features": int(Ns[i_peak]),
        "peak_features_mean": int(Ns[np.argmax(mean0)]),
        "peak_err": med["err0"][i_peak],
        "peak_err_q1": float(np.percentile(err0[:, at_n], 25)),
        "peak_err_q3": float(np.percentile(err0[:, at_n], 75)),
        "draws_peak_near_n": int(np.sum(np.abs(own_peak - N_TRAIN) <= 2)),
        "best_under_features": int(Ns[i_best_under]),
        "best_under_err": med["err0"][i_best_under],
        "err_first": med["err0"][0],
        "err_far": med["err0"][-1],
        "peak_over_far": med["err0"][i_peak] / med["err0"][-1],
        "draws_far_below_n": int(np.sum(err0[:, -1] < err0[:, at_n])),
        "draws_far_beats_under": int(np.sum(err0[:, -1] < err0[:, under].min(axis=1))),
        "mean_at_n": mean0[at_n],
    }


def values_penalty():
    """Ridge with LAM_SMALL, and the error at N = n across the λ grid."""
    Ns = feature_counts()
    med = median_curves()
    at_n, under = _at(Ns, N_TRAIN), Ns < N_TRAIN
    lam_med = lambda_curves()
    removed = peak_removed(lam_med)
    i_tiny, i_star = _nearest(LAM_GRID, LAM_TINY), int(np.argmax(removed))
    i_best = int(np.argmin(lam_med[:, at_n]))
    tiny_n = sweep()["grid"][:, i_tiny, at_n]
    contrast = median_curves(D_CONTRAST)["errl"]
    return {
        "ridge_at_n": med["errl"][at_n],
        "ridge_far": med["errl"][-1],
        "ridge_gain_at_n": med["err0"][at_n] / med["errl"][at_n],
        "ridge_best_under": float(med["errl"][under].min()),
        "lam_min": float(LAM_GRID[0]),
        "lam_max": float(LAM_GRID[-1]),
        "lam_tiny": LAM_TINY,
        "tiny_at_n": float(lam_med[i_tiny, at_n]),
        "tiny_at_n_q1": float(np.percentile(tiny_n, 25)),
        "tiny_at_n_q3": float(np.percentile(tiny_n, 75)),
        "tiny_best_under": float(lam_med[i_tiny, under].min()),
        "lam_star": float(LAM_GRID[i_star]),
        "lam_below_star": float(LAM_GRID[i_star - 1]),
        "star_at_n": float(lam_med[i_star, at_n]),
        "star_best_under": float(lam_med[i_star, under].min()),
        "below_star_at_n": float(lam_med[i_star - 1, at_n]),
        "below_star_best_under": float(lam_med[i_star - 1, under].min()),
        "peak_tolerance_pct": round(100 * (PEAK_TOLERANCE - 1)),
        "lam_best": float(LAM_GRID[i_best]),
        "best_at_n": float(lam_med[i_best, at_n]),
        "best_far": float(lam_med[i_best, -1]),
        "contrast_small_at_n": float(contrast[at_n]),
        "contrast_small_best_under": float(contrast[under].min()),
    }


def values_repeats():
    """The spread of the penalty threshold over further repetitions of the whole experiment."""
    r = repeats()
    return {
        "rep_tiny_at_n_min": float(r["tiny_at_n"].min()),
        "rep_tiny_at_n_max": float(r["tiny_at_n"].max()),
        "rep_tiny_ratio_min": float(np.min(r["tiny_at_n"] / r["tiny_best_under"])),
        "rep_lam_star_min": float(r["lam_star"].min()),
        "rep_lam_star_max": float(r["lam_star"].max()),
    }


def values_why():
    """Weight norms and the smallest singular value."""
    Ns = feature_counts()
    med = median_curves()
    at_n, i_best_under = _at(Ns, N_TRAIN), int(np.argmin(np.where(Ns < N_TRAIN, med["err0"], np.inf)))
    return {
        "norm_first": med["norm0"][0],
        "norm_best_under": med["norm0"][i_best_under],
        "norm_at_n": med["norm0"][at_n],
        "norm_far": med["norm0"][-1],
        "norm_peak_features": int(Ns[np.argmax(med["norm0"])]),
        "smin_at_n": med["smin"][at_n],
        "smin_far": med["smin"][-1],
        "gain_bound": 1.0 / (2.0 * np.sqrt(LAM_SMALL)),
        "ridge_norm_at_n": med["norml"][at_n],
    }


def values_contrast():
    """Dimension D_CONTRAST: the first minimum wins."""
    Ns = feature_counts()
    under = Ns < N_TRAIN
    contrast, err0 = median_curves(D_CONTRAST), sweep(D_CONTRAST)["err0"]
    return {
        "d_contrast": D_CONTRAST,
        "contrast_best_under": np.min(contrast["err0"][under]),
        "contrast_far": contrast["err0"][-1],
        "contrast_peak_features": int(Ns[np.argmax(contrast["err0"])]),
        "contrast_draws_far_loses": int(np.sum(err0[:, -1] > err0[:, under].min(axis=1))),
    }


def values():
    return {
        **values_experiment(),
        **values_peak(),
        **values_penalty(),
        **values_repeats(),
        **values_why(),
        **values_blowup(),
        **values_contrast(),
        **values_benign(),
    }


def _error_panel(ax, pal, d_input, title):
    Ns = feature_counts()
    med = median_curves(d_input)
    ax.plot(Ns, med["err0"], color=pal.blue, marker="o", ms=3, label="minimum norm (λ = 0)")
    ax.plot(Ns, med["errl"], color=pal.orange, marker="o", ms=3, label=f"ridge, λ = {LAM_SMALL:g}")
    ax.axvline(N_TRAIN, color=pal.muted, ls="--", lw=1)
    ax.set(xscale="log", yscale="log", title=title, ylabel="median held-out error")


def fig_double_descent(fig, pal):
    """Median held-out error against the number of random features, without and with a ridge penalty."""
    fig.set_size_inches(4.8, 6.4)
    ax, bx = fig.subplots(2, 1, sharex=True, sharey=True)
    _error_panel(ax, pal, D_INPUT, f"input dimension {D_INPUT}")
    _error_panel(bx, pal, D_CONTRAST, f"input dimension {D_CONTRAST}")
    bx.set_xlabel("number of random features N")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2)


def fig_weight_norm(fig, pal):
    """Median ‖w‖ of the fitted weights and the smallest singular value of the feature matrix, against N."""
    fig.set_size_inches(4.8, 4.8)
    Ns = feature_counts()
    med = median_curves()
    ax = fig.subplots()
    ax.plot(Ns, med["norm0"], color=pal.blue, label="‖w‖, minimum norm")
    ax.plot(Ns, med["norml"], color=pal.orange, label=f"‖w‖, ridge λ = {LAM_SMALL:g}")
    ax.plot(Ns, med["smin"], color=pal.green, ls=":", label="smallest singular value of F")
    ax.axhline(np.sqrt(LAM_SMALL), color=pal.green, lw=1, ls="-.", label="√λ")
    ax.axvline(N_TRAIN, color=pal.muted, ls="--", lw=1)
    ax.set(
        xscale="log", yscale="log", xlabel="number of random features N", ylabel=f"median of {N_DRAWS} draws"
    )
    fig.legend(loc="outside lower center", ncols=1)


#: the penalties drawn in the static version of the slider figure
LAM_SHOWN = (1e-6, LAM_TINY, 1e-3, 10**-1.5, 1.0)


def _sci(x):
    """1.0 × 10⁻⁴ in Unicode, for readouts."""
    exponent = int(np.floor(np.log10(x) + 1e-9))
    digits = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{x / 10.0**exponent:.1f} × 10{digits}"


def fig_penalty_sweep(fig, pal):
    """Median held-out error against N for a few penalties λ, with the minimum-norm curve for comparison."""
    fig.set_size_inches(4.8, 4.6)
    Ns, curves = feature_counts(), lambda_curves()
    ax = fig.subplots()
    ax.plot(Ns, median_curves()["err0"], color=pal.muted, ls="--", lw=1.2, label="λ = 0")
    colours = (pal.sky, pal.orange, pal.green, pal.blue, pal.pink)
    for lam, colour in zip(LAM_SHOWN, colours, strict=True):
        ax.plot(Ns, curves[_nearest(LAM_GRID, lam)], color=colour, label=f"λ = {_sci(lam)}")
    ax.axvline(N_TRAIN, color=pal.muted, ls=":", lw=1)
    ax.set(xscale="log", yscale="log", xlabel="number of random features N", ylabel="median held-out error")
    fig.legend(loc="outside lower center", ncols=2)


def _nearest(grid, x):
    return int(np.argmin(np.abs(np.log(grid / x))))


def data_penalty_sweep():
    """Moving λ: the median held-out error curve against N, and whether the peak at N = n survives."""
    Ns, curves, base = feature_counts(), lambda_curves(), median_curves()["err0"]
    at_n, under = _at(Ns, N_TRAIN), Ns < N_TRAIN
    frames = []
    for lam, curve, gone in zip(LAM_GRID, curves, peak_removed(curves), strict=True):
        verdict = "no peak at N = n" if gone else "the peak at N = n remains"
        line = {"type": "line", "x": Ns.tolist(), "y": np.round(curve, 4).tolist(), "color": "blue"}
        readout = (
            f"λ = {_sci(lam)}: median error {curve[at_n]:.2f} at N = n, best {curve[under].min():.2f} "
            f"below it, {curve[-1]:.2f} at N = 10n; {verdict}."
        )
        frames.append({"series": [{**line, "label": "ridge with this λ"}], "readout": readout})
    ylim = [float(np.round(min(curves.min(), base.min()) / 1.5, 4)), float(np.round(base.max() * 1.5, 4))]
    return {
        "kind": "frames",
        "xlabel": "number of random features N",
        "ylabel": "median held-out error",
        "xlim": [1, int(Ns.max())],
        "ylim": ylim,
        "xscale": "log",
        "yscale": "log",
        "equal": False,
        "slider": {
            "label": "penalty strength λ",
            "values": [float(x) for x in LAM_GRID],
            "format": "sci",
            "initial": _nearest(LAM_GRID, LAM_TINY),
        },
        "static": [
            {
                "type": "line",
                "x": Ns.tolist(),
                "y": np.round(base, 4).tolist(),
                "color": "muted",
                "label": "minimum norm (λ = 0)",
                "dash": True,
            },
            {
                "type": "line",
                "x": [N_TRAIN, N_TRAIN],
                "y": ylim,
                "color": "muted",
                "label": "N = n",
                "dash": True,
            },
        ],
        "frames": frames,
    }
