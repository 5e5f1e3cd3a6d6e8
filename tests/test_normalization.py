"""Proves the normalisation page: scale invariance after batch normalisation (against finite differences and
a second implementation of the network), the weight norm with and without decay, the effective step, and
the equilibrium angle per step against √(2η·wd) over ten seeds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sitebuild import snippet_values
from snippets import normalization as nz


@pytest.fixture(scope="module")
def v():
    return snippet_values("normalization")


# --- a second implementation of the network, one run at a time, per unit ----------------------------


def net_loss(W, gamma, beta, vout, c, X, y):
    """½-mean squared error of x → v·ReLU(γ·BN(Wx) + β) + c, batch statistics (ddof 0), unit by unit."""
    B = len(y)
    f = np.full(B, c, dtype=float)
    for u in range(W.shape[0]):
        h = X @ W[u]
        z = gamma[u] * (h - h.sum() / B) / np.sqrt(((h - h.sum() / B) ** 2).sum() / B) + beta[u]
        f = f + vout[u] * np.where(z > 0, z, 0.0)
    return 0.5 * np.mean((f - y) ** 2), f


def fd_grad_W(W, rest, X, y, step=1e-6):
    """Central finite differences of the loss with respect to every entry of W."""
    g = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        e = np.zeros_like(W)
        e[idx] = step
        g[idx] = (net_loss(W + e, *rest, X, y)[0] - net_loss(W - e, *rest, X, y)[0]) / (2 * step)
    return g


def one_net(seed=3):
    X, y = nz.make_data(seed, nz.BATCH)
    p = nz.init_params(seed)
    rest = (p["gamma"][0], p["beta"][0], p["v"][0], p["c"][0])
    return p, X, y, rest


@pytest.mark.claim("normalization.invariance")
def test_scale_invariance_and_gradient_scaling(v):
    """Scaling the rows of W (all by c, or each by its own factor) leaves the outputs unchanged to 1e-12
    (second implementation), and the gradient, by finite differences, is divided by the factor; the
    snippet's back-propagated gradient equals the finite differences."""
    p, X, y, rest = one_net()
    W = p["W"][0]
    loss0, f0 = net_loss(W, *rest, X, y)
    g_fd = fd_grad_W(W, rest, X, y)
    g_snip = nz.gradients(p, X[None], y[None])["W"][0]
    assert np.allclose(g_snip, g_fd, rtol=1e-5, atol=1e-9)
    assert nz.loss(p, X[None], y[None])[0] == pytest.approx(loss0, rel=1e-12)
    assert np.allclose(nz.forward(p, X[None])[0][0], f0, rtol=1e-12, atol=1e-13)
    for k in (np.full(nz.WIDTH, v["inv_c"]), np.linspace(0.5, 5.0, nz.WIDTH)):
        Wk = W * k[:, None]
        assert np.max(np.abs(net_loss(Wk, *rest, X, y)[1] - f0)) < 1e-12
        g_k = fd_grad_W(Wk, rest, X, y)
        assert np.allclose(g_k * k[:, None], g_fd, rtol=1e-4, atol=1e-8)
    assert v["inv_c"] == 7.0
    assert 0 <= v["inv_output_change"] < 1e-12 and 0 <= v["inv_grad_error"] < 1e-12
    # the gradient is orthogonal to each row of W (what makes the norm grow without decay)
    assert np.max(np.abs(np.sum(g_fd * W, axis=1))) < 1e-7


def net_grads(W, gamma, beta, vout, c, X, y):
    """Back-propagation for one run, per unit, from the chain rule through mean and variance."""
    B = len(y)
    H = X @ W.T
    mu, var = H.mean(axis=0), H.var(axis=0)
    Hn = (H - mu) / np.sqrt(var)
    Z = Hn * gamma + beta
    A = np.maximum(Z, 0)
    r = (A @ vout + c - y) / B
    dZ = np.outer(r, vout) * (Z > 0)
    dHn = dZ * gamma
    dvar = np.sum(dHn * (H - mu), axis=0) * -0.5 * var**-1.5
    dmu = -np.sum(dHn, axis=0) / np.sqrt(var) + dvar * np.mean(-2 * (H - mu), axis=0)
    dH = dHn / np.sqrt(var) + dvar * 2 * (H - mu) / B + dmu / B
    return {
        "W": dH.T @ X,
        "gamma": np.sum(dZ * Hn, axis=0),
        "beta": dZ.sum(axis=0),
        "v": A.T @ r,
        "c": r.sum(),
    }


def test_second_implementation_matches_finite_differences():
    p, X, y, rest = one_net(5)
    g = net_grads(p["W"][0], *rest, X, y)
    assert np.allclose(g["W"], fd_grad_W(p["W"][0], rest, X, y), rtol=1e-5, atol=1e-9)


def test_training_loop_matches_a_second_implementation():
    """60 steps of the snippet's vectorised SGD (two seeds, without and with decay) equal plain per-run SGD
    written here: decay (1 − η·wd) on W only, the same mini-batches."""
    seeds, wds, steps = np.array([0, 0, 1]), np.array([0.0, 0.016, 0.064]), 60
    got = nz.train(seeds, wds, steps=steps)
    rng = np.random.default_rng(int(seeds.sum()) + 7)
    data = [nz.make_data(int(s), nz.N_TRAIN) for s in seeds]
    params = [{k: a[0].copy() for k, a in nz.init_params(int(s)).items()} for s in seeds]
    norms = np.empty((steps, 3))
    for t in range(steps):
        idx = rng.integers(0, nz.N_TRAIN, (3, nz.BATCH))
        for r in range(3):
            X, y = data[r][0][idx[r]], data[r][1][idx[r]]
            p = params[r]
            g = net_grads(p["W"], p["gamma"], p["beta"], p["v"], p["c"], X, y)
            norms[t, r] = np.linalg.norm(p["W"])
            p["W"] = (1 - nz.ETA * wds[r]) * p["W"] - nz.ETA * g["W"]
            for k in ("gamma", "beta", "v", "c"):
                p[k] = p[k] - nz.ETA * g[k]
    assert np.allclose(got["norm"], norms, rtol=1e-10)
    for r in range(3):
        assert np.allclose(got["params"]["W"][r], params[r]["W"], rtol=1e-9, atol=1e-12)
        assert np.allclose(got["params"]["v"][r], params[r]["v"], rtol=1e-9, atol=1e-12)
        assert np.allclose(got["params"]["gamma"][r], params[r]["gamma"], rtol=1e-9, atol=1e-12)


def test_data_and_initialisation_follow_the_page(v):
    """The setting the page describes, checked from its definitions: x ~ N(0, I) in 6 dimensions,
    y = sin(uᵀx) + noise of sd 0.1, u ~ N(0, 4/d · I), W ~ N(0, 1/d), γ = 1, β = 0, v ~ N(0, 1/m), c = 0."""
    assert (nz.N_TRAIN, nz.N_TEST, nz.D_IN, nz.WIDTH, nz.BATCH) == (512, 2000, 6, 16, 32)
    assert nz.ETA == 0.2 and nz.STEPS == 2000 and nz.N_SEEDS == 10 and nz.WINDOW == 500 and nz.BLOCK == 20
    assert list(nz.WDS) == [0.008, 0.016, 0.032, 0.064] and nz.WD_MAIN == 0.016
    resid, xs, ws, vs = [], [], [], []
    for seed in range(10):
        u = np.random.default_rng(seed).normal(0, 2 / np.sqrt(nz.D_IN), nz.D_IN)
        for fresh in (False, True):
            X, y = nz.make_data(seed, 4000, fresh=fresh)
            resid.append(y - np.sin(X @ u))
            xs.append(X)
        p = nz.init_params(seed)
        assert np.all(p["gamma"] == 1) and np.all(p["beta"] == 0) and np.all(p["c"] == 0)
        ws.append(p["W"].ravel())
        vs.append(p["v"].ravel())
    assert v["noise_sd"] == 0.1 and v["dir_len"] == 2.0 and v["block"] == nz.BLOCK == 20
    assert (v["inv_k_lo"], v["inv_k_hi"]) == (0.5, 5.0)
    assert np.std(np.concatenate(resid)) == pytest.approx(v["noise_sd"], rel=0.03)
    # "a random vector a of length about 2": the median length over 200 seeds
    lengths = [
        np.linalg.norm(np.random.default_rng(s).normal(0, 2 / np.sqrt(nz.D_IN), nz.D_IN)) for s in range(200)
    ]
    assert np.median(lengths) == pytest.approx(v["dir_len"], rel=0.1)
    assert abs(np.mean(np.concatenate(resid))) < 0.005
    assert np.std(np.concatenate(xs)) == pytest.approx(1.0, rel=0.02)
    assert np.std(np.concatenate(ws)) == pytest.approx(1 / np.sqrt(nz.D_IN), rel=0.1)
    assert np.std(np.concatenate(vs)) == pytest.approx(1 / np.sqrt(nz.WIDTH), rel=0.15)
    X0, _ = nz.make_data(0, 100)
    X1, _ = nz.make_data(0, 100, fresh=True)
    assert not np.allclose(X0, X1)  # held-out inputs are new draws


# --- the norm and the effective step over the study -----------------------------------------------------


@pytest.fixture(scope="module")
def s():
    return nz.study()


@pytest.mark.slow
@pytest.mark.claim("normalization.norm", "normalization.effective_step", "normalization.fig_norm")
def test_norm_and_effective_step(v, s):
    """Because the gradient is orthogonal to W, ‖W‖² after a step is exactly (1 − η·wd)²‖W‖² + η²‖g‖²
    (checked on every step of every run from the records); without decay the norm therefore only grows.
    The medians and ranges quoted, and the effective steps η/‖W‖², recomputed from the records."""
    wds = s["wds"]
    n, g = s["norm"], s["grad_norm"]
    pred = np.sqrt((1 - nz.ETA * wds) ** 2 * n[:-1] ** 2 + nz.ETA**2 * g[:-1] ** 2)
    assert np.allclose(n[1:], pred, rtol=1e-9)
    free = np.flatnonzero(wds == 0)
    decay = np.flatnonzero(np.isclose(wds, v["wd_main"]))
    assert len(free) == len(decay) == v["n_seeds"] == 10
    assert np.all(np.diff(n[:, free], axis=0) > 0)
    assert v["norm_start"] == pytest.approx(np.median(n[0, free]), rel=1e-12)
    assert v["norm_start"] == pytest.approx(np.sqrt(nz.WIDTH), rel=0.1)  # E‖W‖² = m·d·(1/d) = m
    assert np.allclose(n[0, free], n[0, decay])  # same initial weights
    # the final norms, after the last step: from the last record and the last gradient
    fin = np.sqrt((1 - nz.ETA * wds) ** 2 * n[-1] ** 2 + nz.ETA**2 * g[-1] ** 2)
    assert np.allclose(fin, np.linalg.norm(s["params"]["W"], axis=(1, 2)), rtol=1e-9)
    fin_free, fin_decay = fin[free], fin[decay]
    for key, arr in (("free", fin_free), ("decay", fin_decay)):
        assert v[f"norm_{key}_med"] == pytest.approx(np.median(arr), rel=1e-12)
        assert v[f"norm_{key}_lo"] == pytest.approx(arr.min(), rel=1e-12)
        assert v[f"norm_{key}_hi"] == pytest.approx(arr.max(), rel=1e-12)
    assert v["norm_decay_hi"] < v["norm_free_lo"]
    assert v["eff_free_med"] == pytest.approx(np.median(nz.ETA / fin_free**2), rel=1e-12)
    assert v["eff_decay_med"] == pytest.approx(np.median(nz.ETA / fin_decay**2), rel=1e-12)
    assert v["eff_ratio_med"] == pytest.approx(np.median(fin_free**2 / fin_decay**2), rel=1e-12)
    assert v["eff_ratio_med"] > 5
    assert v["lam_main"] == pytest.approx(v["n_train"] * v["wd_main"])


@pytest.mark.slow
@pytest.mark.claim("normalization.held_out")
def test_held_out_error_with_and_without_decay(v, s):
    """Held-out error (second implementation; batch statistics from the whole training set) per seed."""
    errs = np.empty(len(s["wds"]))
    for r, seed in enumerate(s["seeds"]):
        X = nz.make_data(int(seed), nz.N_TRAIN)[0]
        Xt, yt = nz.make_data(int(seed), nz.N_TEST, fresh=True)
        p = {k: a[r] for k, a in s["params"].items()}
        H = X @ p["W"].T
        mu, sd = H.mean(axis=0), H.std(axis=0)
        Z = (Xt @ p["W"].T - mu) / sd * p["gamma"] + p["beta"]
        errs[r] = np.mean((np.maximum(Z, 0) @ p["v"] + p["c"] - yt) ** 2)
    assert np.allclose(s["test"], errs, rtol=1e-9)
    free, decay = errs[s["wds"] == 0], errs[np.isclose(s["wds"], v["wd_main"])]
    assert v["test_free_med"] == pytest.approx(np.median(free), rel=1e-9)
    assert v["test_decay_med"] == pytest.approx(np.median(decay), rel=1e-9)
    assert v["test_decay_better"] == int(np.sum(decay < free))
    assert v["test_diff_lo"] == pytest.approx(np.min(decay - free), rel=1e-9)
    assert v["test_diff_hi"] == pytest.approx(np.max(decay - free), rel=1e-9)
    assert 0 < v["test_decay_better"] < v["n_seeds"]  # neither always better nor always worse
    target_var = np.var(nz.make_data(0, nz.N_TEST, fresh=True)[1])
    assert v["test_free_med"] < 0.5 * target_var  # the networks did learn


# --- the equilibrium angle ------------------------------------------------------------------------------


def angles_from_norms(s):
    """With g ⊥ W, cos θ = ⟨W, W'⟩/(‖W‖‖W'‖) = (1 − η·wd)‖W‖/‖W'‖: the angles from the norm record alone."""
    n = s["norm"]
    return np.arccos(np.clip((1 - nz.ETA * s["wds"]) * n[:-1] / n[1:], -1, 1))


@pytest.mark.slow
@pytest.mark.claim(
    "normalization.angle_main", "normalization.angle_all", "normalization.angle", "normalization.fig_angle"
)
def test_equilibrium_angle_matches_prediction(v, s):
    """The recorded angles equal those implied by the norms; over the last 500 steps their RMS is within
    10 % of arccos(1 − η·wd) ≈ √(2η·wd) for every decay and seed, and within 3 % in median at the main
    decay; without decay the angle is far smaller."""
    theta = angles_from_norms(s)
    assert np.allclose(s["angle"][:-1], theta, rtol=1e-6, atol=1e-9)
    theta = np.concatenate([theta, s["angle"][-1:]])  # the last step has no next norm
    rms = np.sqrt(np.mean(np.tan(theta[-v["window"] :]) ** 2, axis=0))  # tan of the RMS angle
    rms = np.arctan(rms)
    worst, worst_wd = 0.0, None
    for wd in nz.WDS:
        pred = np.arccos(1 - nz.ETA * wd)
        assert nz.predicted_angle(nz.ETA, wd) == pytest.approx(pred, rel=1e-12)
        assert pred == pytest.approx(np.sqrt(2 * nz.ETA * wd), rel=0.01)
        runs = np.isclose(s["wds"], wd)
        rel = rms[runs] / pred - 1
        assert np.all(np.abs(rel) < 0.10)
        if np.max(np.abs(rel)) > worst:
            worst, worst_wd = np.max(np.abs(rel)), wd
        if np.isclose(wd, v["wd_main"]):
            assert v["angle_pred"] == pytest.approx(pred, rel=1e-12)
            assert v["angle_sqrt"] == pytest.approx(np.sqrt(2 * nz.ETA * wd), rel=1e-12)
            assert v["angle_med"] == pytest.approx(np.median(rms[runs]), rel=1e-6)
            assert v["angle_lo"] == pytest.approx(rms[runs].min(), rel=1e-6)
            assert v["angle_hi"] == pytest.approx(rms[runs].max(), rel=1e-6)
            assert abs(v["angle_med"] / pred - 1) < 0.03
    assert v["angle_max_rel_err"] == pytest.approx(worst, rel=1e-5)
    # "at the smallest decay, which takes longest to settle"
    assert worst_wd == nz.WDS.min() and v["angle_worst_wd"] == v["wd_lo"]
    free_runs = s["wds"] == 0
    free = rms[free_runs]
    assert v["angle_free_med"] == pytest.approx(np.median(free), rel=1e-6)
    assert v["angle_free_med"] < 0.2 * v["angle_pred"]
    # without decay: "after an early rise the angle falls through the rest of training" (median curve,
    # blocks of 20 steps): it peaks in the first third, and each later quarter is lower on average
    blocks = np.arctan(
        np.sqrt((np.tan(theta[:, free_runs]) ** 2).reshape(-1, nz.BLOCK, free_runs.sum()).mean(axis=1))
    )
    med = np.median(blocks, axis=1)
    assert med[: len(med) // 4].mean() < med[len(med) // 4 : len(med) // 2].mean()
    assert np.argmax(np.convolve(med, np.ones(5) / 5, mode="same")) < len(med) / 3
    quarters = med.reshape(4, -1).mean(axis=1)
    assert quarters[1] > quarters[2] > quarters[3]
    assert v["n_wds"] == len(nz.WDS) and v["wd_lo"] == nz.WDS[0] and v["wd_hi"] == nz.WDS[-1]


@pytest.mark.slow
@pytest.mark.claim("normalization.angle_slider", "normalization.fig_angle")
def test_interactive_angle_frames(v, s):
    """One frame per decay: the median, lowest and highest block-RMS angle over seeds (recomputed here from
    the norms), a flat prediction line at arccos(1 − η·wd), and a readout quoting the measured median."""
    data = nz.data_angle()
    text = json.dumps(data, allow_nan=False)
    assert len(text) < 40_000 and data["kind"] == "frames"
    assert data["slider"]["values"] == pytest.approx(list(nz.WDS))
    assert data["slider"]["initial"] == 1 and data["xlim"] == [0.0, float(nz.STEPS)]
    assert all(len(f["series"][2]["x"]) == nz.STEPS // 20 for f in data["frames"])
    # stored to five decimals, as the page budget assumes (the angles are about 10⁻² rad)
    stored = [t for f in data["frames"] for line in f["series"] for t in line["x"] + line["y"]]
    assert all(round(t, 5) == t for t in stored)
    theta = np.concatenate([angles_from_norms(s), s["angle"][-1:]])  # the last angle has no next norm
    blocks = np.arctan(np.sqrt((np.tan(theta) ** 2).reshape(-1, nz.BLOCK, theta.shape[1]).mean(axis=1)))
    last = np.arctan(np.sqrt(np.mean(np.tan(theta[-v["window"] :]) ** 2, axis=0)))
    lo_all, med_err = [], []
    for wd, frame in zip(nz.WDS, data["frames"], strict=True):
        runs = np.isclose(s["wds"], wd)
        lo, hi, med, pred = frame["series"]
        assert np.allclose(med["y"], np.median(blocks[:, runs], axis=1), atol=2e-5)
        assert np.allclose(lo["y"], blocks[:, runs].min(axis=1), atol=2e-5)
        assert np.allclose(hi["y"], blocks[:, runs].max(axis=1), atol=2e-5)
        assert pred["y"] == pytest.approx([np.arccos(1 - nz.ETA * wd)] * 2, abs=1e-5)
        assert f"measured {np.median(last[runs]):.4f}" in frame["readout"]
        assert f"predicted {np.arccos(1 - nz.ETA * wd):.4f}" in frame["readout"]
        med_err.append(abs(np.median(last[runs]) / np.arccos(1 - nz.ETA * wd) - 1))
        # over the last quarter of training every block median is within 20 % of the prediction (blocks of
        # 20 steps are noisy) and their average within 5 %
        tail = np.array(med["y"])[-len(med["y"]) // 4 :] / np.arccos(1 - nz.ETA * wd)
        assert np.all(np.abs(tail - 1) < 0.2) and abs(np.mean(tail) - 1) < 0.05
        lo_all.append(min(lo["y"]))
    # "the readout's measured equilibrium (the median over seeds) is within 2 % of the prediction"
    assert v["angle_med_max_rel_err"] == pytest.approx(max(med_err), rel=1e-6) and max(med_err) < 0.02
    (free,) = data["static"]
    assert np.allclose(free["y"], np.median(blocks[:, s["wds"] == 0], axis=1), atol=2e-5)
    assert data["ylim"][0] <= min(min(lo_all), min(free["y"])) and data["ylim"][1] >= max(
        max(f["series"][1]["y"]) for f in data["frames"]
    )
