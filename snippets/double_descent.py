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
LAM_SMALL = 1e-2  # the "little ridge" λ (features are scaled by 1/√N)


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
def draws(d_input=D_INPUT):
    """N_DRAWS independent draws, stacked: inputs, noisy labels, clean test targets, 10n directions θ_j."""
    rng = np.random.default_rng(2019)
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


def spectral_fits(F, y, lams):
    """Ridge through the SVD F = U diag(d) Vᵀ: w = V diag(d/(d² + λ)) Uᵀy, for a stack of draws.

    λ > 0 gives conventions.ridge(F, y, λ); λ = 0 gives the minimum-norm least-squares solution
    (conventions.min_norm_lstsq), dropping directions whose d is numerically zero. One SVD serves
    every λ. Returns the list of weights (one per λ) and the singular values.
    """
    U, d, Vt = np.linalg.svd(F, full_matrices=False)
    Uty = np.einsum("...nk,...n->...k", U, y)
    fits = []
    for lam in lams:
        if lam == 0:
            cutoff = d[..., :1] * max(F.shape[-2:]) * np.finfo(float).eps
            gain = np.where(d > cutoff, 1.0 / np.where(d > cutoff, d, 1.0), 0.0)
        else:
            gain = d / (d**2 + lam)
        fits.append(np.einsum("...kN,...k->...N", Vt, gain * Uty))
    return fits, d


@functools.cache
def raw_features(d_input=D_INPUT):
    """max(0, θ_jᵀx) for all 10n directions of every draw, on training and held-out inputs."""
    D = draws(d_input)
    return np.maximum(0.0, D["x_train"] @ D["theta"]), np.maximum(0.0, D["x_test"] @ D["theta"])


def features(N, d_input=D_INPUT):
    """The first N random ReLU features φ_j(x) = max(0, θ_jᵀx)/√N of every draw: (draw, points, N) twice."""
    raw_train, raw_test = raw_features(d_input)
    return raw_train[..., :N] / np.sqrt(N), raw_test[..., :N] / np.sqrt(N)


@functools.cache
def sweep(d_input=D_INPUT):
    """Arrays (draw, N): held-out error and ‖w‖ for λ = 0 and λ = LAM_SMALL, smallest singular value of F."""
    D = draws(d_input)
    Ns = feature_counts()
    out = {k: np.empty((N_DRAWS, len(Ns))) for k in ("err0", "errl", "norm0", "norml", "smin")}
    for j, N in enumerate(Ns):
        F_train, F_test = features(N, d_input)
        fits, d = spectral_fits(F_train, D["y_train"], [0.0, LAM_SMALL])
        for w, tag in zip(fits, ["0", "l"], strict=True):
            pred = np.einsum("stN,sN->st", F_test, w)
            out["err" + tag][:, j] = np.mean((pred - D["f_test"]) ** 2, axis=1)
            out["norm" + tag][:, j] = np.linalg.norm(w, axis=1)
        out["smin"][:, j] = d[:, -1]
    return out


def median_curves(d_input=D_INPUT):
    """Median over draws of each array of sweep(), per N."""
    return {k: np.median(a, axis=0) for k, a in sweep(d_input).items()}


def values():
    Ns = feature_counts()
    med = median_curves()
    mean0 = sweep()["err0"].mean(axis=0)
    contrast = median_curves(D_CONTRAST)
    at_n = int(np.flatnonzero(Ns == N_TRAIN)[0])
    under = Ns < N_TRAIN
    i_peak = int(np.argmax(med["err0"]))
    i_best_under = int(np.argmin(np.where(under, med["err0"], np.inf)))
    return {
        "n": N_TRAIN,
        "d": D_INPUT,
        "noise": NOISE,
        "n_test": N_TEST,
        "n_draws": N_DRAWS,
        "lam": LAM_SMALL,
        "n_max": int(Ns.max()),
        "peak_features": int(Ns[i_peak]),
        "peak_features_mean": int(Ns[np.argmax(mean0)]),
        "peak_err": med["err0"][i_peak],
        "best_under_features": int(Ns[i_best_under]),
        "best_under_err": med["err0"][i_best_under],
        "err_far": med["err0"][-1],
        "peak_over_far": med["err0"][i_peak] / med["err0"][-1],
        "ridge_at_n": med["errl"][at_n],
        "ridge_far": med["errl"][-1],
        "ridge_gain_at_n": med["err0"][at_n] / med["errl"][at_n],
        "norm_at_n": med["norm0"][at_n],
        "norm_far": med["norm0"][-1],
        "norm_peak_features": int(Ns[np.argmax(med["norm0"])]),
        "smin_at_n": med["smin"][at_n],
        "smin_far": med["smin"][-1],
        "gain_bound": 1.0 / (2.0 * np.sqrt(LAM_SMALL)),
        "ridge_norm_at_n": med["norml"][at_n],
        "mean_at_n": mean0[at_n],
        "target_var": float(np.var(draws()["f_test"])),
        "d_contrast": D_CONTRAST,
        "contrast_best_under": np.min(contrast["err0"][under]),
        "contrast_far": contrast["err0"][-1],
        "contrast_peak_features": int(Ns[np.argmax(contrast["err0"])]),
    }


def _error_panel(ax, pal, d_input, title):
    Ns = feature_counts()
    med = median_curves(d_input)
    ax.plot(Ns, med["err0"], color=pal.blue, marker="o", ms=2, label=r"minimum norm ($\lambda = 0$)")
    ax.plot(Ns, med["errl"], color=pal.orange, marker="o", ms=2, label=rf"ridge, $\lambda = {LAM_SMALL:g}$")
    ax.axvline(N_TRAIN, color=pal.muted, ls="--", lw=1)
    ax.annotate(
        f"N = n = {N_TRAIN}",
        (N_TRAIN, 0.97),
        xycoords=("data", "axes fraction"),
        xytext=(4, 0),
        textcoords="offset points",
        color=pal.muted,
        fontsize=8,
    )
    ax.set(xscale="log", yscale="log", xlabel="number of random features N", title=title)


def fig_double_descent(fig, pal):
    """Median held-out error against the number of random features, without and with a small ridge."""
    fig.set_size_inches(7.2, 3.6)
    ax, bx = fig.subplots(1, 2, sharey=True)
    _error_panel(ax, pal, D_INPUT, f"input dimension {D_INPUT}")
    _error_panel(bx, pal, D_CONTRAST, f"input dimension {D_CONTRAST}")
    ax.set_ylabel(f"held-out error (median of {N_DRAWS} draws)")
    ax.legend(loc="lower left", fontsize=8)


def fig_weight_norm(fig, pal):
    """Median ‖w‖ of the fitted weights and the smallest singular value of the feature matrix, against N."""
    Ns = feature_counts()
    med = median_curves()
    ax = fig.subplots()
    ax.plot(Ns, med["norm0"], color=pal.blue, label=r"$\|w\|$, minimum norm")
    ax.plot(Ns, med["norml"], color=pal.orange, label=rf"$\|w\|$, ridge $\lambda = {LAM_SMALL:g}$")
    ax.plot(Ns, med["smin"], color=pal.green, ls=":", label=r"smallest singular value $d_{min}$ of $F$")
    ax.axhline(np.sqrt(LAM_SMALL), color=pal.green, lw=0.8, ls="-.", label=r"$\sqrt{\lambda}$")
    ax.axvline(N_TRAIN, color=pal.muted, ls="--", lw=1)
    ax.set(
        xscale="log", yscale="log", xlabel="number of random features N", ylabel=f"median of {N_DRAWS} draws"
    )
    ax.legend(loc="lower left", fontsize=8)
