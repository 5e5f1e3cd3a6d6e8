"""Tests for the double_descent page: the peak at N = n, the second descent, the ridge fix, min-norm facts."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from scipy.linalg import svdvals
from sklearn.linear_model import Ridge

from sitebuild import snippet_values
from snippets import double_descent as s


@pytest.fixture(scope="module")
def v():
    return snippet_values("double_descent")


def _features(x, theta, N):
    """Random ReLU features built here from the raw draws: max(0, xθ)/√N (works on stacks of draws)."""
    return np.maximum(0.0, x @ theta[..., :N]) / np.sqrt(N)


@functools.cache
def _pinv_curves(d_input):
    """Median (and mean) held-out error and median ‖w‖ per N, fitted with np.linalg.pinv over the draws."""
    D = s.draws(d_input)
    Ns = s.feature_counts()
    err = np.empty((s.N_DRAWS, len(Ns)))
    norm = np.empty_like(err)
    for j, N in enumerate(Ns):
        F = _features(D["x_train"], D["theta"], N)
        w = np.einsum("sNn,sn->sN", np.linalg.pinv(F), D["y_train"])
        pred = np.einsum("stN,sN->st", _features(D["x_test"], D["theta"], N), w)
        err[:, j] = np.mean((pred - D["f_test"]) ** 2, axis=1)
        norm[:, j] = np.linalg.norm(w, axis=1)
    return np.median(err, axis=0), err.mean(axis=0), np.median(norm, axis=0)


def _ridge_errors(d_input, N):
    """Held-out error of ridge on the first N features, per draw, from the dual form Fᵀ(FFᵀ + λI)⁻¹y."""
    D = s.draws(d_input)
    F = _features(D["x_train"], D["theta"], N)
    K = F @ np.swapaxes(F, 1, 2) + s.LAM_SMALL * np.eye(s.N_TRAIN)
    w = np.einsum("snN,sn->sN", F, np.linalg.solve(K, D["y_train"][..., None])[..., 0])
    pred = np.einsum("stN,sN->st", _features(D["x_test"], D["theta"], N), w)
    return np.mean((pred - D["f_test"]) ** 2, axis=1)


def test_dual_form_ridge_equals_sklearn():
    """The tests' dual-form ridge agrees with sklearn Ridge(alpha=λ, no intercept) on a few fits."""
    D = s.draws()
    for N in (12, s.N_TRAIN, 200):
        F = _features(D["x_train"], D["theta"], N)
        K = F @ np.swapaxes(F, 1, 2) + s.LAM_SMALL * np.eye(s.N_TRAIN)
        w = np.einsum("snN,sn->sN", F, np.linalg.solve(K, D["y_train"][..., None])[..., 0])
        for k in (0, 11):
            model = Ridge(alpha=s.LAM_SMALL, fit_intercept=False, solver="svd").fit(F[k], D["y_train"][k])
            assert np.allclose(w[k], model.coef_, rtol=1e-6, atol=1e-9)


@pytest.mark.claim("double_descent.fig_double_descent")
def test_figure_curves_match_an_independent_fit():
    """The plotted median curves equal pinv (λ = 0) and sklearn Ridge (λ > 0) fits done draw by draw."""
    for d_input in (s.D_INPUT, s.D_CONTRAST):
        med = s.median_curves(d_input)
        assert np.allclose(med["err0"], _pinv_curves(d_input)[0], rtol=1e-6)
        Ns = s.feature_counts()
        for N in (5, s.N_TRAIN, Ns.max()):
            j = int(np.flatnonzero(Ns == N)[0])
            assert med["errl"][j] == pytest.approx(np.median(_ridge_errors(d_input, N)), rel=1e-6)


@pytest.mark.claim("double_descent.peak_at_threshold")
def test_peak_sits_at_the_interpolation_threshold(v):
    """The argmax of the median (and of the mean) λ = 0 curve lies within two features of N = n."""
    Ns = s.feature_counts()
    for d_input in (s.D_INPUT, s.D_CONTRAST):
        median, mean, _ = _pinv_curves(d_input)
        assert abs(Ns[np.argmax(median)] - v["n"]) <= 2
        assert abs(Ns[np.argmax(mean)] - v["n"]) <= 2
    assert v["contrast_peak_features"] == Ns[np.argmax(_pinv_curves(s.D_CONTRAST)[0])]
    median, mean, _ = _pinv_curves(s.D_INPUT)
    assert v["peak_features"] == Ns[np.argmax(median)] and v["peak_features_mean"] == Ns[np.argmax(mean)]
    assert v["peak_err"] == pytest.approx(median.max(), rel=1e-6)
    assert v["mean_at_n"] == pytest.approx(mean[Ns == v["n"]][0], rel=1e-6)
    assert v["mean_at_n"] > v["peak_err"]


@pytest.mark.claim("double_descent.second_descent")
def test_second_descent(v):
    """At N = 10n the median error is far below the peak, by the quoted factor."""
    median, _, _ = _pinv_curves(s.D_INPUT)
    assert s.feature_counts()[-1] == 10 * v["n"]
    assert v["err_far"] == pytest.approx(median[-1], rel=1e-6)
    assert v["peak_over_far"] == pytest.approx(median.max() / median[-1], rel=1e-6)
    assert v["peak_over_far"] > 10
    # and the error keeps falling over the last stretch
    assert median[-1] < median[s.feature_counts() == 2 * v["n"]][0]


@pytest.mark.claim("double_descent.beats_first_minimum", "double_descent.contrast")
def test_which_minimum_wins_depends_on_the_problem(v):
    """In dimension 8 the N = 10n interpolator beats the best N < n; in dimension 3 it loses."""
    Ns = s.feature_counts()
    under = Ns < v["n"]
    main, _, _ = _pinv_curves(s.D_INPUT)
    contrast, _, _ = _pinv_curves(s.D_CONTRAST)
    assert v["best_under_err"] == pytest.approx(main[under].min(), rel=1e-6)
    assert v["best_under_features"] == Ns[under][np.argmin(main[under])]
    assert main[-1] < main[under].min()
    assert v["contrast_best_under"] == pytest.approx(contrast[under].min(), rel=1e-6)
    assert v["contrast_far"] == pytest.approx(contrast[-1], rel=1e-6)
    assert contrast[-1] > contrast[under].min()


@pytest.mark.claim("double_descent.ridge_removes_peak")
def test_small_ridge_removes_the_peak(v):
    """With sklearn Ridge(λ) the error at N = n is the quoted factor lower, and lower than at every N < n."""
    n = v["n"]
    at_n = np.median(_ridge_errors(s.D_INPUT, n))
    assert v["ridge_at_n"] == pytest.approx(at_n, rel=1e-6)
    median, _, _ = _pinv_curves(s.D_INPUT)
    gain = median[s.feature_counts() == n][0] / at_n
    assert v["ridge_gain_at_n"] == pytest.approx(gain, rel=1e-6)
    assert gain > 10
    for N in s.feature_counts()[s.feature_counts() < n]:
        assert at_n < np.median(_ridge_errors(s.D_INPUT, N)), N
    assert v["ridge_far"] == pytest.approx(np.median(_ridge_errors(s.D_INPUT, 10 * n)), rel=1e-6)


@pytest.mark.claim("double_descent.baseline")
def test_data_and_baseline(v):
    """Targets follow f(x) = βᵀx + ½tanh(2βᵀx); predicting 0 scores the targets' mean square (≈ variance)."""
    D = s.draws()
    z = np.einsum("std,sd->st", D["x_test"], D["beta"])
    f = z + 0.5 * np.tanh(2 * z)
    assert np.allclose(D["f_test"], f)
    assert np.allclose(np.linalg.norm(D["beta"], axis=1), 1.0)
    resid = D["y_train"] - (lambda z: z + 0.5 * np.tanh(2 * z))(
        np.einsum("snd,sd->sn", D["x_train"], D["beta"])
    )
    assert np.std(resid) == pytest.approx(v["noise"], rel=0.1)
    assert v["target_var"] == pytest.approx(np.mean(f**2), rel=0.02)
    assert v["target_var"] == pytest.approx(np.var(f), rel=1e-9)


@pytest.mark.claim("double_descent.min_norm_facts")
def test_minimum_norm_solution_facts():
    """The snippet's λ = 0 fit equals pinv and lstsq, interpolates when N ≥ n, and has no null-space part."""
    D = s.draws()
    for N in (10, s.N_TRAIN, 45, 300):
        F_all, _ = s.features(N)
        fits, _ = s.spectral_fits(F_all, D["y_train"], [0.0])
        for k in (0, 7):
            F, y = _features(D["x_train"][k], D["theta"][k], N), D["y_train"][k]
            w = fits[0][k]
            assert np.allclose(w, np.linalg.pinv(F) @ y, rtol=1e-6, atol=1e-8)
            assert np.allclose(w, np.linalg.lstsq(F, y, rcond=None)[0], rtol=1e-6, atol=1e-8)
            if N >= s.N_TRAIN:
                assert np.max(np.abs(F @ w - y)) < 1e-8 * np.max(np.abs(y)) * 1e3
                # w lies in the row space of F: removing its null-space projection changes nothing
                null = np.eye(N) - np.linalg.pinv(F) @ F
                assert np.linalg.norm(null @ w) < 1e-8 * np.linalg.norm(w)
            else:
                assert np.allclose(F.T @ F @ w, F.T @ y, rtol=1e-8, atol=1e-8)


@pytest.mark.claim("double_descent.norm_peak", "double_descent.fig_weight_norm")
def test_weight_norm_and_smallest_singular_value(v):
    """The median ‖w‖ of the pinv fit peaks at N = n, where the median smallest singular value dips."""
    Ns = s.feature_counts()
    _, _, norm = _pinv_curves(s.D_INPUT)
    assert np.allclose(s.median_curves()["norm0"], norm, rtol=1e-6)
    assert Ns[np.argmax(norm)] == v["n"] == v["norm_peak_features"]
    assert v["norm_at_n"] == pytest.approx(norm[Ns == v["n"]][0], rel=1e-6)
    assert v["norm_far"] == pytest.approx(norm[-1], rel=1e-6)
    D = s.draws()
    smin = [
        np.median([svdvals(_features(D["x_train"][k], D["theta"][k], N)).min() for k in range(s.N_DRAWS)])
        for N in Ns
    ]
    assert Ns[np.argmin(smin)] == v["n"]
    assert v["smin_at_n"] == pytest.approx(smin[int(np.flatnonzero(Ns == v["n"])[0])], rel=1e-6)
    assert np.allclose(s.median_curves()["smin"], smin, rtol=1e-6)
    assert v["smin_far"] == pytest.approx(smin[-1], rel=1e-6)
    assert v["smin_far"] > 10 * v["smin_at_n"]


@pytest.mark.claim("double_descent.ridge_norm_bound")
def test_ridge_weights_are_bounded(v):
    """Ridge multiplies no direction by more than 1/(2√λ): every ridge fit has ‖w‖ ≤ ‖y‖/(2√λ)."""
    D = s.draws()
    bound = 1 / (2 * np.sqrt(s.LAM_SMALL))
    for N in (s.N_TRAIN - 1, s.N_TRAIN, s.N_TRAIN + 1):
        for k in range(s.N_DRAWS):
            F, y = _features(D["x_train"][k], D["theta"][k], N), D["y_train"][k]
            w = Ridge(alpha=s.LAM_SMALL, fit_intercept=False, solver="svd").fit(F, y).coef_
            assert np.linalg.norm(w) <= bound * np.linalg.norm(y)
    d = np.geomspace(1e-6, 1e3, 100_001)
    assert np.max(d / (d**2 + s.LAM_SMALL)) == pytest.approx(bound, rel=1e-6)
    assert v["gain_bound"] == pytest.approx(np.max(d / (d**2 + s.LAM_SMALL)), rel=1e-6)
    assert v["ridge_norm_at_n"] < v["norm_at_n"] / 5
