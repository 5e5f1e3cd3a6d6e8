"""Tests for the saturation page: backprop, slopes in the tails, the gradient's size across weight scales."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import integrate, special, stats

from sitebuild import snippet_values
from snippets import saturation as S


@pytest.fixture(scope="module")
def v():
    return snippet_values("saturation")


def _slope(act, z):
    """Exact slopes, written independently of the snippet."""
    if act == "tanh":  # sech²(z) = 4 e^(−2|z|) / (1 + e^(−2|z|))²
        e = np.exp(-2 * np.abs(z))
        return 4 * e / (1.0 + e) ** 2
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _phi(act, z):
    return np.tanh(z) if act == "tanh" else special.expit(z)


def _per_example_gradients(act, c):
    """‖∂f/∂W_1‖_F for every input, by an independent chain rule (Jacobians built explicitly)."""
    X, u = S.inputs_and_readout()
    Ws = S.make_weights(c)
    out = []
    for x in X:
        h, zs = x, []
        for W in Ws:
            zs.append(W @ h)
            h = _phi(act, zs[-1])
        g = _slope(act, zs[-1]) * u  # ∂f/∂z_D
        for W, z in zip(Ws[:0:-1], zs[-2::-1], strict=True):
            g = _slope(act, z) * (W.T @ g)
        out.append(np.linalg.norm(np.outer(g, x)))
    return np.array(out)


@pytest.mark.claim("saturation.backprop_check")
def test_backprop_matches_finite_differences():
    """∂f/∂W_1 from the snippet's backward pass equals central differences of f, for both activations."""
    rng = np.random.default_rng(3)
    _, u = S.inputs_and_readout()
    for act in ("tanh", "sigmoid"):
        for c in (0.5, 3.0):
            Ws = S.make_weights(c)
            x = rng.standard_normal(S.WIDTH)
            G = S.first_layer_gradient(Ws, x, u, act)

            def f(W1, Ws=Ws, x=x, act=act):
                h = x
                for W in [W1, *Ws[1:]]:
                    h = _phi(act, W @ h)
                return u @ h

            for i, j in [(0, 0), (5, 17), (31, 31), (12, 3)]:
                E = np.zeros_like(Ws[0])
                E[i, j] = 1e-6
                fd = (f(Ws[0] + E) - f(Ws[0] - E)) / 2e-6
                assert G[i, j] == pytest.approx(fd, rel=1e-5, abs=1e-9)


@pytest.mark.slow
@pytest.mark.claim("saturation.slope_tail", "saturation.slope_power", "saturation.fig_slopes")
def test_mean_slope_follows_the_gaussian_tail(v):
    """At large c the mean slope matches E φ′(z) by quadrature, unit by unit, and falls like 1/c."""
    X, _ = S.inputs_and_readout()
    for act in ("tanh", "sigmoid"):
        s = S.sweep(act)
        i = int(np.argmin(np.abs(s["scale"] - 100)))
        zs = S.forward(S.make_weights(s["scale"][i]), X, act)
        grid = np.linspace(-80, 80, 32_001)
        expected = [
            integrate.simpson(
                _slope(act, grid)[None, :]
                * stats.norm.pdf(grid[None, :], z.mean(0)[:, None], z.std(0)[:, None]),
                x=grid,
            )
            for z in zs
        ]
        assert v[f"{act}_slope_at_100"] == pytest.approx(np.mean(expected), rel=0.1)
        assert v[f"{act}_tail_at_100"] == pytest.approx(np.mean(expected), rel=0.05)
        big = s["scale"] >= 10
        slope = np.polyfit(np.log(s["scale"][big]), np.log(s["mean_slope"][big]), 1)[0]
        assert v[f"{act}_slope_loglog"] == pytest.approx(slope) and -1.1 < slope < -0.9
        assert np.allclose(s["tail_slope"][big], s["mean_slope"][big], rtol=0.1)
        assert s["mean_slope"][-1] < 0.02 * (1.0 if act == "tanh" else 0.25)  # below 2 % of the peak slope


@pytest.mark.slow
@pytest.mark.claim("saturation.interior_peak", "saturation.fig_gradient")
def test_gradient_peaks_at_an_interior_scale(v):
    """The median first-layer gradient is largest inside the scale range and far smaller at both ends."""
    for act in ("tanh", "sigmoid"):
        s = S.sweep(act)
        for k in (0, 10, -1):
            assert s["grad_median"][k] == pytest.approx(
                np.median(_per_example_gradients(act, s["scale"][k])), rel=1e-9
            )
        k = int(np.argmax(s["grad_median"]))
        assert 0 < k < len(s["scale"]) - 1
        assert v[f"{act}_peak_scale"] == pytest.approx(s["scale"][k])
        assert max(s["grad_median"][0], s["grad_median"][-1]) < 1e-3 * s["grad_median"][k]
    assert 3 < v["tanh_peak_scale"] < 30 and 10 < v["sigmoid_peak_scale"] < 60


@pytest.mark.claim("saturation.spread")
def test_large_scales_make_the_gradient_erratic(v):
    """90th/10th percentile ratio of per-example gradients: below 3 at c = 1, above 50 at c = 10^1.5."""
    for act in ("tanh", "sigmoid"):
        s = S.sweep(act)
        for c, key in ((1.0, "1"), (v["spread_scale"], "large")):
            i = int(np.argmin(np.abs(s["scale"] - c)))
            g = _per_example_gradients(act, s["scale"][i])
            q10, q90 = np.quantile(g, [0.1, 0.9])
            assert v[f"{act}_spread_{key}"] == pytest.approx(q90 / q10, rel=1e-9)
        assert v[f"{act}_spread_1"] < 3 and v[f"{act}_spread_large"] > 50
    assert v["tanh_spread_large"] > 1e4


def _median_layer_norms(act, c):
    """Median over inputs of ‖∂f/∂z_l‖ for l = 1..D, by an independent per-example chain rule."""
    X, u = S.inputs_and_readout()
    Ws = S.make_weights(c)
    norms = []
    for x in X:
        h, zs = x, []
        for W in Ws:
            zs.append(W @ h)
            h = _phi(act, zs[-1])
        g = _slope(act, zs[-1]) * u
        layer = [np.linalg.norm(g)]
        for W, z in zip(Ws[:0:-1], zs[-2::-1], strict=True):
            g = _slope(act, z) * (W.T @ g)
            layer.append(np.linalg.norm(g))
        norms.append(layer[::-1])
    return np.median(np.array(norms), axis=0)


@pytest.mark.claim("saturation.small_gain", "saturation.depth_profile", "saturation.fig_depth")
def test_layer_gains(v):
    """Per-layer gain: ≈ c·φ′(0) at small c; tanh ≈ 1 at c = 1, > 1 at c = 10, ≪ 1 at c = 100."""
    _, u = S.inputs_and_readout()
    for act, slope0 in (("tanh", 1.0), ("sigmoid", 0.25)):
        # nearly linear regime: δ_1 ≈ φ′(0)^D · W_2ᵀ ⋯ W_Dᵀ u, the same for every input
        Ws = S.make_weights(0.01)
        linear = slope0**S.DEPTH * (u @ Ws[4] @ Ws[3] @ Ws[2] @ Ws[1])
        assert S.profile(act, 0.01)[0] == pytest.approx(np.linalg.norm(linear), rel=1e-3)
        assert v[f"{act}_layer_gain_c03"] == pytest.approx(0.3 * slope0, rel=0.15)
        for c in S.PROFILE_SCALES:
            ours = _median_layer_norms(act, c)
            assert np.allclose(S.profile(act, c), ours, rtol=1e-9)
            assert v[f"{act}_layer_gain_{S.gain_key(c)}"] == pytest.approx(
                (ours[0] / ours[-1]) ** 0.25, rel=1e-9
            )
    assert 0.6 < v["tanh_layer_gain_c1"] < 1.3
    assert v["tanh_layer_gain_c10"] > 1.2
    assert v["tanh_layer_gain_c100"] < 0.1
    assert 0.15 < v["sigmoid_layer_gain_c1"] < 0.3


@pytest.mark.claim("saturation.values_at_1")
def test_values_at_the_standard_scale(v):
    """At c = 1 (nearest grid scale) the quoted mean slopes and median gradients match a recomputation."""
    for act in ("tanh", "sigmoid"):
        s = S.sweep(act)
        i = int(np.argmin(np.abs(s["scale"] - 1)))
        assert s["scale"][i] == 1.0
        X, _ = S.inputs_and_readout()
        Ws = S.make_weights(s["scale"][i])
        h, slopes = X, []
        for W in Ws:
            z = h @ W.T
            slopes.append(_slope(act, z).mean())
            h = _phi(act, z)
        assert v[f"{act}_slope_at_1"] == pytest.approx(np.mean(slopes), rel=1e-10)
        assert v[f"{act}_grad_at_1"] == pytest.approx(
            np.median(_per_example_gradients(act, s["scale"][i])), rel=1e-9
        )
    assert v["tanh_slope_at_1"] > 0.7 and v["sigmoid_slope_at_1"] < 0.25


@pytest.mark.claim("saturation.responsive")
def test_responsive_unit_counts(v):
    """Units with slope ≥ half the peak: |z| ≤ artanh(1/√2) for tanh, |z| ≤ 2·artanh(1/√2) for sigmoid."""
    X, _ = S.inputs_and_readout()
    half_width = {"tanh": np.arctanh(1 / np.sqrt(2)), "sigmoid": 2 * np.arctanh(1 / np.sqrt(2))}
    for act in ("tanh", "sigmoid"):
        counts = []
        for key, c in (("1", 1.0), ("10", 10.0), ("large", v["spread_scale"]), ("100", 100.0)):
            s = S.sweep(act)
            c_grid = s["scale"][int(np.argmin(np.abs(s["scale"] - c)))]
            assert c_grid == pytest.approx(c, rel=1e-12)
            h, per_layer = X, []
            for W in S.make_weights(c_grid):
                z = h @ W.T
                per_layer.append(np.mean(np.sum(np.abs(z) <= half_width[act], axis=1)))
                h = _phi(act, z)
            assert v[f"{act}_responsive_{key}"] == pytest.approx(np.mean(per_layer), rel=1e-9)
            counts.append(np.mean(per_layer))
        assert np.all(np.diff(counts) < 0) and counts[0] > 0.8 * S.WIDTH and counts[-1] < 1


@pytest.mark.slow
@pytest.mark.claim("saturation.slider")
def test_interactive_depth_profiles(v):
    """The slider's frames: one per weight scale, each holding the tanh and sigmoid medians of ‖∂f/∂zₗ‖ from
    an independent per-example chain rule; the tanh per-layer factor exceeds 1 exactly on the stated
    contiguous range of scales; the saturated share (slope below 0.01: |z| past an exact threshold) rises."""
    d = S.data_depth()
    assert d["kind"] == "frames" and d["yscale"] == "log" and len(json.dumps(d)) < 40_000
    assert len(d["frames"]) == len(d["slider"]["values"]) == len(S.SCALES) == 34
    assert d["slider"]["values"][d["slider"]["initial"]] == 1.0
    X, _ = S.inputs_and_readout()
    # φ′ < 0.01 ⇔ |z| > threshold: sech²z = 0.01 for tanh, σ(z)(1 − σ(z)) = 0.01 for the sigmoid
    cut = {"tanh": np.arccosh(10.0), "sigmoid": 2 * np.arccosh(5.0)}
    gains, shares = [], []
    for c, frame in zip(S.SCALES, d["frames"], strict=True):
        for series, act in zip(frame["series"], ("tanh", "sigmoid"), strict=True):
            if c in (0.1, 1.0, 10.0, 100.0) or series is frame["series"][0]:
                ours = _median_layer_norms(act, c)
                np.testing.assert_allclose(series["y"], ours, rtol=1e-3)
                assert all(d["ylim"][0] <= y <= d["ylim"][1] for y in series["y"])
        ours = _median_layer_norms("tanh", c)
        gains.append((ours[0] / ours[-1]) ** 0.25)
        h, share = X, []
        for W in S.make_weights(c):
            z = h @ W.T
            share.append(np.mean(np.abs(z) > cut["tanh"]))
            h = np.tanh(z)
        shares.append(100 * np.mean(share))
        assert f"{100 * np.mean(share):.0f}% of tanh" in frame["readout"]
        assert f"{S.plain_number(gains[-1])} (tanh)" in frame["readout"]
    gains, shares = np.array(gains), np.array(shares)
    above = np.flatnonzero(gains > 1)
    assert np.all(np.diff(above) == 1)  # one contiguous range
    assert (
        v["tanh_gain_above_1_from"] == S.SCALES[above[0]] and v["tanh_gain_above_1_to"] == S.SCALES[above[-1]]
    )
    assert S.SCALES[above[0]] > 1 and S.SCALES[above[-1]] < 100
    assert np.all(np.diff(shares) >= 0)
    for key, c in (("1", 1.0), ("10", 10.0), ("100", 100.0)):
        i = int(np.argmin(np.abs(S.SCALES - c)))
        assert v[f"tanh_saturated_{key}"] == pytest.approx(shares[i], rel=1e-12)
    assert v["saturated_slope"] == 0.01


def _median_and_ratio_seed(act, c, seed):
    """Median and q90/q10 of ‖∂f/∂W_1‖ for weight draw `seed`, written from the page's prose: W_l = c·G_l/√32,
    G_l standard normal from default_rng(seed), the page's inputs and read-out, φ′ from φ itself."""
    rng = np.random.default_rng(seed)
    G = [rng.standard_normal((S.WIDTH, S.WIDTH)) for _ in range(S.DEPTH)]
    X, u = S.inputs_and_readout()
    h, zs = X, []
    for g in G:
        zs.append(h @ (c * g / np.sqrt(S.WIDTH)).T)
        h = np.tanh(zs[-1]) if act == "tanh" else 0.5 * (1 + np.tanh(zs[-1] / 2))
    slope = (lambda z: 1 / np.cosh(z) ** 2) if act == "tanh" else (lambda z: 0.25 / np.cosh(z / 2) ** 2)
    d = slope(zs[-1]) * u
    for l in range(S.DEPTH - 1, 0, -1):
        d = (d @ (c * G[l] / np.sqrt(S.WIDTH))) * slope(zs[l - 1])
    grad = np.linalg.norm(d, axis=1) * np.linalg.norm(X, axis=1)
    q10, q50, q90 = np.quantile(grad, [0.1, 0.5, 0.9])
    return q50, q90 / q10


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.claim("saturation.seed_spread", "saturation.spread")
def test_peak_and_spread_over_ten_weight_draws(v):
    """Over ten weight draws the median gradient always peaks strictly inside the scale range, between the
    quoted scales; the q90/q10 ratio at c = 10^1.5 never falls below the quoted minimum."""
    assert v["n_spread_seeds"] == 10
    for act in ("tanh", "sigmoid"):
        peaks, ratios = [], []
        for seed in range(10):
            med = [_median_and_ratio_seed(act, c, seed)[0] for c in S.SCALES]
            k = int(np.argmax(med))
            assert 0 < k < len(S.SCALES) - 1
            peaks.append(S.SCALES[k])
            ratios.append(_median_and_ratio_seed(act, v["spread_scale"], seed)[1])
        assert v[f"{act}_peak_scale_seeds_min"] == pytest.approx(min(peaks))
        assert v[f"{act}_peak_scale_seeds_max"] == pytest.approx(max(peaks))
        assert v[f"{act}_spread_large_seeds_min"] == pytest.approx(min(ratios), rel=1e-6)
        assert min(peaks) <= v[f"{act}_peak_scale"] <= max(peaks)
