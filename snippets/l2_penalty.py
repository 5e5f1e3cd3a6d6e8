"""The L2 penalty: the disk picture, a validation curve, weight decay step by step, the Gaussian prior."""

from __future__ import annotations

import functools

import numpy as np

from snippets import conventions as cv

# --- 1. the penalised cost and the disk ---------------------------------------------------

RADIUS = 1.0  # radius of the L2 disk ‖w‖₂ ≤ r in the picture


TOY = {"n": 40, "mix": 0.7, "w": (2.0, 0.9), "sigma": 0.7}


@functools.cache
def toy_problem():
    """A 2-D least-squares problem: n = 40 points, two correlated features, noise σ = 0.7."""
    rng = np.random.default_rng(1)
    n, a = TOY["n"], TOY["mix"]
    z = rng.standard_normal((n, 2))
    X = np.column_stack([z[:, 0], a * z[:, 0] + a * z[:, 1]])
    y = X @ np.array(TOY["w"]) + TOY["sigma"] * rng.standard_normal(n)
    return X, y


def lam_for_radius(X, y, r, lo=1e-8, hi=1e8, iters=200):
    """The λ whose ridge solution has ‖w‖₂ = r (the norm falls as λ grows: bisect on log λ)."""
    for _ in range(iters):
        mid = np.sqrt(lo * hi)
        if np.linalg.norm(cv.ridge(X, y, mid)) > r:
            lo = mid
        else:
            hi = mid
    return np.sqrt(lo * hi)


@functools.cache
def disk_optimum():
    """(λ*, w*): the minimiser of L(w) on the disk ‖w‖ ≤ r is the ridge solution for λ*."""
    X, y = toy_problem()
    lam = lam_for_radius(X, y, RADIUS)
    return lam, cv.ridge(X, y, lam)


def loss_grid(X, y, w1, w2):
    """L(w) on a grid of weight pairs (rows follow w2, columns w1)."""
    return np.array([[cv.squared_loss(np.array([a, b]), X, y) for a in w1] for b in w2])


@functools.cache
def geometry_data():
    """Everything the disk figure draws: grid, losses, least squares, optimum, the ridge path."""
    X, y = toy_problem()
    w1, w2 = np.linspace(-1.4, 3.4, 121), np.linspace(-1.4, 2.4, 101)
    lam, w_star = disk_optimum()
    path = np.array([cv.ridge(X, y, lam) for lam in np.logspace(-3, 4, 80)])
    return {
        "w1": w1,
        "w2": w2,
        "loss": loss_grid(X, y, w1, w2),
        "w_ls": cv.ridge(X, y, 0.0),
        "w_star": w_star,
        "lam_star": lam,
        "path": path,
    }


def fig_geometry(fig, pal):
    """Contours of the squared loss, the L2 disk, and the constrained optimum where a contour touches it."""
    d = geometry_data()
    X, y = toy_problem()
    fig.set_size_inches(4.8, 5.0)
    ax = fig.subplots()
    loss_ls = cv.squared_loss(d["w_ls"], X, y)
    loss_star = cv.squared_loss(d["w_star"], X, y)
    levels = loss_ls + (loss_star - loss_ls) * np.array([0.15, 0.45, 1.8, 3.0, 4.5, 6.5])
    ax.contour(d["w1"], d["w2"], d["loss"], levels=np.sort(levels), colors=pal.muted, linewidths=0.8)
    ax.contour(d["w1"], d["w2"], d["loss"], levels=[loss_star], colors=pal.orange, linewidths=1.6)
    t = np.linspace(0, 2 * np.pi, 200)
    ax.fill(RADIUS * np.cos(t), RADIUS * np.sin(t), color=pal.blue, alpha=0.18, lw=0)
    ax.plot(RADIUS * np.cos(t), RADIUS * np.sin(t), color=pal.blue, label="disk ‖w‖₂ ≤ r")
    ax.plot(*d["path"].T, ls=":", color=pal.green, label="ridge solutions as λ grows")
    ax.plot(*d["w_ls"], "x", color=pal.fg, ms=9, mew=2, label="least squares (λ = 0)")
    ax.plot(*d["w_star"], "o", color=pal.orange, ms=7, label=f"optimum on the disk (λ ≈ {d['lam_star']:.1f})")
    ax.axhline(0, color=pal.muted, lw=0.6)
    ax.axvline(0, color=pal.muted, lw=0.6)
    ax.set_aspect("equal")
    ax.set_xlim(d["w1"][0], d["w1"][-1])
    ax.set_ylim(d["w2"][0], d["w2"][-1])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    fig.legend(loc="outside lower center", ncols=1)


def loss_ellipse(X, y, level, num=120):
    """The contour L(w) = level of the quadratic loss: w = w_LS + c·H^(−1/2)(cos t, sin t), with
    H = XᵀX/n and c² = 2(level − L(w_LS))."""
    w_ls = cv.ridge(X, y, 0.0)
    H = X.T @ X / len(y)
    mu, U = np.linalg.eigh(H)
    c = np.sqrt(max(2 * (level - cv.squared_loss(w_ls, X, y)), 0.0))
    t = np.linspace(0, 2 * np.pi, num)
    return w_ls + (c * (U / np.sqrt(mu)) @ np.vstack([np.cos(t), np.sin(t)])).T


def slider_lambdas():
    """The λ values of the interactive disk figure: a log grid with λ* itself among them."""
    lam_star, _ = disk_optimum()
    return np.sort(np.append(np.logspace(-1, 4, 19), lam_star))


def _circle(r, num=40):
    t = np.linspace(0, 2 * np.pi, num)
    return r * np.cos(t), r * np.sin(t)


def _series(kind, x, y, color, label, dash=False):
    """One series of an interactive figure, rounded to 3 decimals."""
    out = {"type": kind, "x": np.round(x, 3).tolist(), "y": np.round(y, 3).tolist(), "color": color}
    out["label"] = label
    if dash:
        out["dash"] = True
    return out


def _contours(X, y):
    """Three grey loss contours, the levels of the static figure's three innermost ones."""
    d = geometry_data()
    loss_ls = cv.squared_loss(d["w_ls"], X, y)
    loss_star = cv.squared_loss(d["w_star"], X, y)
    out = []
    for k, f in enumerate((0.15, 0.45, 3.0)):
        ell = loss_ellipse(X, y, loss_ls + (loss_star - loss_ls) * f, num=50)
        out.append(_series("line", ell[:, 0], ell[:, 1], "muted", "loss contours"))
        if k:
            del out[-1]["label"]
    return out


def data_geometry():
    """Moving λ slides the ridge point along its path; the contour through it always touches the
    circle of its own radius, and the point crosses the unit disk's edge at λ*."""
    X, y = toy_problem()
    d = geometry_data()
    lam_star = d["lam_star"]
    lams = slider_lambdas()
    frames = []
    for lam in lams:
        w = cv.ridge(X, y, lam)
        r = float(np.linalg.norm(w))
        ell = loss_ellipse(X, y, cv.squared_loss(w, X, y), num=50)
        if abs(r - RADIUS) < 1e-6:
            where = "on the disk's edge (λ = λ*)"
        else:
            where = "outside the disk" if r > RADIUS else "inside the disk"
        frames.append(
            {
                "series": [
                    _series("line", *_circle(r), "sky", "circle of radius ‖ŵ‖", dash=True),
                    _series("line", ell[:, 0], ell[:, 1], "orange", "loss contour through ŵ"),
                    _series("points", [w[0]], [w[1]], "orange", "ridge solution ŵ(λ)"),
                ],
                "readout": f"λ = {lam:.3g}: ŵ = ({w[0]:.2f}, {w[1]:.2f}), ‖ŵ‖ = {r:.3f}, {where}",
            }
        )
    return {
        "kind": "frames",
        "xlabel": "w₁",
        "ylabel": "w₂",
        "xlim": [float(d["w1"][0]), float(d["w1"][-1])],
        "ylim": [float(d["w2"][0]), float(d["w2"][-1])],
        "xscale": "linear",
        "yscale": "linear",
        "equal": True,
        "slider": {
            "label": "penalty strength λ",
            "values": np.round(lams, 4).tolist(),
            "format": ".3g",
            "initial": int(np.flatnonzero(lams == lam_star)[0]),
        },
        "static": [
            *_contours(X, y),
            _series("line", *_circle(RADIUS), "blue", "disk ‖w‖ ≤ 1"),
            _series("line", d["path"][::2, 0], d["path"][::2, 1], "green", "ridge path", dash=True),
            _series("points", [d["w_ls"][0]], [d["w_ls"][1]], "fg", "least squares"),
        ],
        "frames": frames,
    }


# --- 2. λ too small, too large, the sweet spot ---------------------------------------------

VAL = {"n": 40, "n_test": 2000, "p": 30, "rho": 0.7, "sigma": 1.0, "w_sd": 0.4}
VAL_SEEDS = range(1, 21)  # further draws of the whole problem, for the spread of the best λ


@functools.cache
def validation_problem(seed=0):
    """Train and held-out sets: p = 30 unit-variance features with correlation ρ^|j−k|, n = 40,
    dense true weights drawn N(0, 0.4²), noise σ = 1."""
    rng = np.random.default_rng(seed)
    p, rho = VAL["p"], VAL["rho"]
    corr = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    root = np.linalg.cholesky(corr)
    w_true = rng.normal(0.0, VAL["w_sd"], p)
    X = rng.standard_normal((VAL["n"], p)) @ root.T
    X_test = rng.standard_normal((VAL["n_test"], p)) @ root.T
    y = X @ w_true + VAL["sigma"] * rng.standard_normal(VAL["n"])
    y_test = X_test @ w_true + VAL["sigma"] * rng.standard_normal(VAL["n_test"])
    return X, y, X_test, y_test, w_true


def mse(w, X, y):
    """Mean squared error (1/n)‖Xw − y‖², i.e. twice the data loss L."""
    return 2 * cv.squared_loss(w, X, y)


@functools.cache
def validation_curve(seed=0):
    """Train and held-out mean squared error of ridge on a log grid of λ."""
    X, y, X_test, y_test, _ = validation_problem(seed)
    lams = np.logspace(-2, 4, 61)
    fits = [cv.ridge(X, y, lam) for lam in lams]
    train = np.array([mse(w, X, y) for w in fits])
    held_out = np.array([mse(w, X_test, y_test) for w in fits])
    return lams, train, held_out


def validation_spread():
    """The best λ on further draws of the whole problem (true weights, training and held-out sets)."""
    best, interior = [], 0
    for seed in VAL_SEEDS:
        lams, _, held_out = validation_curve(seed)
        i = int(np.argmin(held_out))
        best.append(lams[i])
        interior += 0 < i < len(lams) - 1
    return {
        "val_n_seeds": len(VAL_SEEDS),
        "val_seed_lam_lo": float(min(best)),
        "val_seed_lam_hi": float(max(best)),
        "val_seed_lam_median": float(np.median(best)),
        "val_seed_interior": interior,
    }


def fig_validation(fig, pal):
    """Train and held-out error of ridge against λ: overfitting on the left, underfitting on the right."""
    lams, train, held_out = validation_curve()
    best = np.argmin(held_out)
    ax = fig.subplots()
    ax.semilogx(lams, train, color=pal.blue, label="training error")
    ax.semilogx(lams, held_out, color=pal.orange, label="held-out error")
    ax.plot(lams[best], held_out[best], "o", color=pal.orange)
    ax.annotate(
        f"minimum at λ ≈ {lams[best]:.3g}",
        (lams[best], held_out[best]),
        xytext=(-8, -16),
        textcoords="offset points",
        ha="right",
        color=pal.fg,
    )
    ax.axhline(VAL["sigma"] ** 2, color=pal.muted, lw=0.8, ls="--", label="noise level σ²")
    ax.set_xlabel("penalty strength λ")
    ax.set_ylabel("mean squared error")
    ax.legend(loc="upper left")


# --- 3. the gradient step: weight decay -----------------------------------------------------

DECAY = {"eta": 0.05, "lam": 40.0, "n": 100, "w0": 10.0, "steps": 120}
L1_LAM = 400.0  # an L1 penalty with ηλ/n = 0.2 reproduces the popular 10 → 9.8 → 9.6 sequence


def decay_sequence(w0, steps, eta, lam, n):
    """A weight whose data gradient is zero, after 0, 1, …, steps gradient steps on the L2 cost."""
    w = [float(w0)]
    for _ in range(steps):
        w.append(float(cv.l2_gradient_step(w[-1], 0.0, eta, lam, n)))
    return np.array(w)


def subtraction_sequence(w0, steps, amount):
    """The popular picture: the same amount taken off at every step (10 → 9.8 → 9.6 → …)."""
    return w0 - amount * np.arange(steps + 1)


def l1_sequence(w0, steps, eta, lam, n):
    """The same weight under the L1 (sub)gradient step alone: a constant ηλ/n comes off at each step."""
    w = [float(w0)]
    for _ in range(steps):
        w.append(float(cv.l1_subgradient_step(w[-1], 0.0, eta, lam, n)))
    return np.array(w)


def half_life(eta, lam, n):
    """Steps until the penalty alone has halved a weight: ln 2 / (−ln(1 − ηλ/n))."""
    return np.log(2) / -np.log(cv.decay_factor(eta, lam, n))


def sgd_epoch(w, X, y, eta, lam, batch):
    """One epoch of mini-batch gradient descent on the L2 cost (batches taken in order)."""
    n = len(y)
    for start in range(0, n, batch):
        Xb, yb = X[start : start + batch], y[start : start + batch]
        grad_loss = Xb.T @ (Xb @ w - yb) / len(yb)
        w = cv.l2_gradient_step(w, grad_loss, eta, lam, n)
    return w


BATCHES = (1, 10, 100)


@functools.cache
def epoch_factors():
    """Measured factor per epoch on a weight whose feature is always zero, for each batch size."""
    rng = np.random.default_rng(4)
    n = DECAY["n"]
    X = np.column_stack([rng.standard_normal(n), np.zeros(n)])  # feature 2 carries no data signal
    y = X[:, 0] + 0.1 * rng.standard_normal(n)
    w0 = np.array([0.5, 1.0])
    return {b: sgd_epoch(w0, X, y, DECAY["eta"], DECAY["lam"], b)[1] / w0[1] for b in BATCHES}


def gd_to_ridge(steps=3000, eta=0.5):
    """Full-batch gradient descent on the toy problem's L2 cost, from far away; returns the end point."""
    X, y = toy_problem()
    lam, _ = disk_optimum()
    n = len(y)
    w = np.array([10.0, -10.0])
    for _ in range(steps):
        w = cv.l2_gradient_step(w, X.T @ (X @ w - y) / n, eta, lam, n)
    return w


@functools.cache
def decay_curves():
    """What the decay figure draws: steps k, the L2 sequence 10·(1 − ηλ/n)^k, the subtraction
    10 − 0.2k up to where it reaches 0, and the half-life."""
    s = DECAY
    k = np.arange(s["steps"] + 1)
    geometric = decay_sequence(s["w0"], s["steps"], s["eta"], s["lam"], s["n"])
    linear = subtraction_sequence(s["w0"], s["steps"], s["w0"] - geometric[1])
    alive = linear >= -1e-9
    return {
        "k": k,
        "geometric": geometric,
        "k_linear": k[alive],
        "linear": linear[alive],
        "half_life": half_life(s["eta"], s["lam"], s["n"]),
    }


def fig_decay(fig, pal):
    """A weight under the L2 step alone shrinks by a constant factor per step, not a constant amount."""
    d = decay_curves()
    w0 = DECAY["w0"]
    ax = fig.subplots()
    ax.plot(d["k"], d["geometric"], color=pal.blue, label="L2 step: × (1 − ηλ/n) each step")
    amount = w0 - d["geometric"][1]
    ax.plot(
        d["k_linear"],
        d["linear"],
        color=pal.orange,
        ls="--",
        label=f"popular picture: − {amount:.1f} each step",
    )
    ax.plot(d["k_linear"][-1], 0, "x", color=pal.orange, ms=8)
    t_half = d["half_life"]
    ax.plot([t_half, t_half], [0, w0 / 2], color=pal.muted, lw=0.8, ls=":")
    ax.plot(t_half, w0 / 2, "o", color=pal.blue)
    ax.annotate(
        f"half-life {t_half:.1f} steps",
        (t_half, w0 / 2),
        xytext=(8, 6),
        textcoords="offset points",
        color=pal.fg,
    )
    ax.axhline(0, color=pal.muted, lw=0.8)
    ax.set_ylim(-0.4, w0 * 1.05)
    ax.set_xlabel("gradient step")
    ax.set_ylabel("weight")
    fig.legend(loc="outside lower center", ncols=1)


# --- 4. L2 as a Gaussian prior ----------------------------------------------------------------

PRIOR = {"n": 10, "sigma": 1.0, "s": 0.5, "w0": (1.0, 1.0)}


def map_estimate(X, y, sigma, s, w0=None):
    """MAP (= posterior mean) for y ~ N(Xw, σ²I), w ~ N(w0, s²I): ridge with λ = σ²/s² towards w0."""
    w0 = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float)
    return w0 + cv.ridge(X, y - X @ w0, sigma**2 / s**2)


def posterior_cov(X, sigma, s):
    """Posterior covariance σ²(XᵀX + λI)⁻¹ with λ = σ²/s²."""
    lam = sigma**2 / s**2
    return sigma**2 * np.linalg.inv(X.T @ X + lam * np.eye(X.shape[1]))


ANISO_SCALES = (1.0, 0.5)  # feature standard deviations of the second design: Σ = diag(1, ¼)


def prior_data(n, seed=3, scales=(1.0, 1.0)):
    """n points from y = Xw + noise with w = (1.5, −0.5), σ = 1, features of the given standard
    deviations (independent; unit variance by default, so Σ = I)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2)) * np.asarray(scales)
    y = X @ np.array([1.5, -0.5]) + PRIOR["sigma"] * rng.standard_normal(n)
    return X, y


@functools.cache
def prior_centre_gaps(ns=(10, 100, 1000, 10000), scales=(1.0, 1.0)):
    """‖ŵ(prior at w0) − ŵ(prior at 0)‖ for growing n: the prior's centre matters less and less."""
    gaps = []
    for n in ns:
        X, y = prior_data(n, scales=scales)
        a = map_estimate(X, y, PRIOR["sigma"], PRIOR["s"])
        b = map_estimate(X, y, PRIOR["sigma"], PRIOR["s"], PRIOR["w0"])
        gaps.append(float(np.linalg.norm(b - a)))
    return dict(zip(ns, gaps, strict=True))


def centre_gap_limit(scales):
    """lim n·gap = λ‖Σ⁻¹w0‖: the gap is ‖(XᵀX + λI)⁻¹λw0‖ and XᵀX ≈ nΣ, Σ = diag(scales²)."""
    lam = PRIOR["sigma"] ** 2 / PRIOR["s"] ** 2
    return float(lam * np.linalg.norm(np.asarray(PRIOR["w0"]) / np.asarray(scales) ** 2))


def underdetermined_example():
    """p = 5 > n = 3: returns X, y, w0 and the MAP estimate with the prior centred at w0."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 5))
    y = rng.standard_normal(3)
    w0 = np.array([1.0, -1.0, 0.5, 2.0, 0.0])
    return X, y, w0, map_estimate(X, y, 1.0, 0.5, w0)


def _gauss_grid(mean, cov, g1, g2):
    """Mahalanobis distance of every grid point from a 2-D Gaussian's mean."""
    P = np.linalg.inv(cov)
    d1, d2 = np.meshgrid(g1 - mean[0], g2 - mean[1])
    return np.sqrt(P[0, 0] * d1**2 + 2 * P[0, 1] * d1 * d2 + P[1, 1] * d2**2)


def fig_prior(fig, pal):
    """Likelihood × prior = posterior: its peak is the ridge solution, pulled towards the prior's centre."""
    X, y = prior_data(PRIOR["n"])
    sigma, s = PRIOR["sigma"], PRIOR["s"]
    g1, g2 = np.linspace(-1.0, 2.6, 91), np.linspace(-1.6, 1.8, 86)
    w_ls = cv.ridge(X, y, 0.0)
    lik_cov = sigma**2 * np.linalg.inv(X.T @ X)
    post_cov = posterior_cov(X, sigma, s)
    fig.set_size_inches(4.8, 3.9)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, centre, title in zip(axes, [(0.0, 0.0), PRIOR["w0"]], ["prior at 0", "prior at w₀"], strict=True):
        centre = np.array(centre)
        w_map = map_estimate(X, y, sigma, s, centre)
        levels = [1.0, 2.0]
        ax.contour(g1, g2, _gauss_grid(w_ls, lik_cov, g1, g2), levels, colors=pal.muted, linewidths=0.9)
        ax.contour(
            g1, g2, _gauss_grid(centre, s**2 * np.eye(2), g1, g2), levels, colors=pal.blue, linewidths=0.9
        )
        ax.contour(g1, g2, _gauss_grid(w_map, post_cov, g1, g2), levels, colors=pal.orange, linewidths=1.4)
        ax.plot(*w_ls, "x", color=pal.fg, ms=8, mew=2, label="least squares")
        ax.plot(*centre, "s", color=pal.blue, label="prior centre")
        ax.plot(*w_map, "o", color=pal.orange, ms=7, label="MAP = ridge")
        ax.set_title(title)
        ax.set_aspect("equal")
        ax.set_xticks([-1, 0, 1, 2])
        ax.set_xlabel("$w_1$")
    axes[0].set_ylabel("$w_2$")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)


# --- the numbers the page quotes ----------------------------------------------------------------


def values():
    d = geometry_data()
    X, y = toy_problem()
    lams, train, held_out = validation_curve()
    best = int(np.argmin(held_out))
    s = DECAY
    geo = decay_sequence(s["w0"], 50, s["eta"], s["lam"], s["n"])
    lin = subtraction_sequence(s["w0"], 50, s["w0"] - geo[1])
    factors = epoch_factors()
    gaps = prior_centre_gaps()
    Xu, _, w0u, w_u = underdetermined_example()
    gd_end = gd_to_ridge()
    out = {
        "toy_n": len(y),
        "toy_mix": TOY["mix"],
        "toy_w1": TOY["w"][0],
        "toy_w2": TOY["w"][1],
        "toy_sigma": TOY["sigma"],
        "radius": RADIUS,
        "w_ls_1": d["w_ls"][0],
        "w_ls_2": d["w_ls"][1],
        "w_ls_norm": float(np.linalg.norm(d["w_ls"])),
        "lam_star": d["lam_star"],
        "w_star_1": d["w_star"][0],
        "w_star_2": d["w_star"][1],
        "loss_ls": cv.squared_loss(d["w_ls"], X, y),
        "loss_star": cv.squared_loss(d["w_star"], X, y),
        "gd_gap": float(np.linalg.norm(gd_end - d["w_star"])),
        "val_n": VAL["n"],
        "val_rho": VAL["rho"],
        "val_sigma": VAL["sigma"],
        "val_w_sd": VAL["w_sd"],
        **validation_spread(),
        "val_p": VAL["p"],
        "val_n_test": VAL["n_test"],
        "val_lam_min": lams[0],
        "val_lam_max": lams[-1],
        "val_grid": len(lams),
        "val_lam_best": lams[best],
        "val_test_best": held_out[best],
        "val_test_small": held_out[0],
        "val_test_large": held_out[-1],
        "val_train_small": train[0],
        "val_train_large": train[-1],
        "val_train_best": train[best],
        "eta": s["eta"],
        "lam": s["lam"],
        "n": s["n"],
        "factor": cv.decay_factor(s["eta"], s["lam"], s["n"]),
        "half_life": half_life(s["eta"], s["lam"], s["n"]),
        "w_50_geometric": geo[50],
        "w_50_linear": lin[50],
        "prior_sigma": PRIOR["sigma"],
        "prior_s": PRIOR["s"],
        "prior_lam": PRIOR["sigma"] ** 2 / PRIOR["s"] ** 2,
        "prior_n": PRIOR["n"],
        "under_null_gap": float(np.linalg.norm(_null_projection(Xu, w_u - w0u))),
    }
    l1 = l1_sequence(s["w0"], 4, s["eta"], L1_LAM, s["n"])
    out["l1_lam"] = L1_LAM
    for k in range(5):
        out[f"seq_{k}"] = geo[k]
        out[f"l1_seq_{k}"] = l1[k]
    for b, f in factors.items():
        out[f"epoch_factor_b{b}"] = f
        out[f"epoch_steps_b{b}"] = s["n"] // b
    for n, g in gaps.items():
        out[f"gap_n{n}"] = g
        out[f"gap_times_n{n}"] = g * n
    for n, g in prior_centre_gaps(scales=ANISO_SCALES).items():
        out[f"aniso_gap_times_n{n}"] = g * n
    Xp, yp = prior_data(PRIOR["n"])
    for tag, centre in (("0", None), ("w0", PRIOR["w0"])):
        w_map = map_estimate(Xp, yp, PRIOR["sigma"], PRIOR["s"], centre)
        out[f"prior_map{tag}_1"], out[f"prior_map{tag}_2"] = float(w_map[0]), float(w_map[1])
    w_ls_p = cv.ridge(Xp, yp, 0.0)
    out["prior_ls_1"], out["prior_ls_2"] = float(w_ls_p[0]), float(w_ls_p[1])
    full = decay_sequence(s["w0"], s["steps"], s["eta"], s["lam"], s["n"])
    out["decay_steps"] = s["steps"]
    out["w_end_geometric"] = full[-1]
    out["decrement"] = s["w0"] - geo[1]
    out["zero_step"] = int(np.argmax(subtraction_sequence(s["w0"], s["steps"], s["w0"] - geo[1]) <= 1e-9))
    out["aniso_scale_2"] = ANISO_SCALES[1]
    out["aniso_ratio"] = out["aniso_gap_times_n10000"] / out["gap_times_n10000"]
    out["gap_limit_iso"] = centre_gap_limit((1.0, 1.0))
    out["gap_limit_aniso"] = centre_gap_limit(ANISO_SCALES)
    return out


def _null_projection(X, v):
    """The part of v that X cannot see (its projection onto the null space of X)."""
    return v - np.linalg.pinv(X) @ (X @ v)
