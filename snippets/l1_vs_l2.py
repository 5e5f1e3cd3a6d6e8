"""L1 vs L2: shrink-by-a-factor vs soft-threshold rules, the diamond and the disk, and lasso/ridge paths."""

from __future__ import annotations

import functools
import itertools

import matplotlib.ticker
import numpy as np

from snippets import conventions as cv

# --- 1. the orthonormal design: one factor vs one threshold ------------------------------------

BEFORE = np.array(
    [8.2, 5.1, 2.8, 0.9]
)  # the article “The Hidden Cost of Large Weights”: "before" coefficients
SEED_L2 = np.array([4.1, 2.3, 1.2, 0.3])  # the article “The Hidden Cost of Large Weights”: "after L2"
SEED_L1 = np.array([4.5, 1.8, 0.0, 0.0])  # the article “The Hidden Cost of Large Weights”: "after L1"


@functools.cache
def orthonormal_problem(n=50):
    """X with orthonormal columns (XᵀX = I) and y whose least-squares coefficients are BEFORE."""
    rng = np.random.default_rng(4)
    X, _ = np.linalg.qr(rng.standard_normal((n, len(BEFORE))))
    residual = rng.standard_normal(n)
    residual -= X @ (X.T @ residual)  # orthogonal to every column: it leaves Xᵀy unchanged
    return X, X @ BEFORE + residual


def ridge_fit(lam):
    """Ridge on the orthonormal problem (closed form there: BEFORE / (1 + λ))."""
    X, y = orthonormal_problem()
    return cv.ridge(X, y, lam)


def lasso_fit(lam):
    """Lasso on the orthonormal problem (closed form there: soft-threshold BEFORE at λ)."""
    X, y = orthonormal_problem()
    return cv.lasso_cd(X, y, lam)


def best_ridge_lam(before, after):
    """The λ whose factor 1/(1+λ) best fits after ≈ factor·before in least squares."""
    factor = (before @ after) / (before @ before)
    return 1 / factor - 1


def best_threshold(before, after):
    """The threshold t ≥ 0 minimising ‖S(before, t) − after‖² (exact: quadratic in t between the |before|)."""
    mags = np.abs(before)
    edges = np.concatenate([[0.0], np.sort(mags)])
    candidates = []
    for lo, hi in itertools.pairwise(edges):
        alive = mags >= hi  # the coefficients that survive any t in [lo, hi)
        t = np.mean(mags[alive] - np.sign(before[alive]) * after[alive])
        candidates.append(float(np.clip(t, lo, hi)))
    errors = [np.sum((cv.soft_threshold(before, t) - after) ** 2) for t in candidates]
    return candidates[int(np.argmin(errors))]


@functools.cache
def rules_table():
    """Rows of the comparison table: name → coefficient vector."""
    lam_match_l2 = BEFORE[0] / SEED_L2[0] - 1  # ridge factor that reproduces the largest coefficient
    lam_match_l1 = BEFORE[0] - SEED_L1[0]  # threshold that reproduces the largest coefficient
    lam_fit_l2 = best_ridge_lam(BEFORE, SEED_L2)
    lam_fit_l1 = best_threshold(BEFORE, SEED_L1)
    return {
        "lams": {
            "l2_match": lam_match_l2,
            "l2_fit": lam_fit_l2,
            "l1_match": lam_match_l1,
            "l1_fit": lam_fit_l1,
        },
        "rows": {
            "before": BEFORE,
            "seed_l2": SEED_L2,
            "l2_match": ridge_fit(lam_match_l2),
            "l2_fit": ridge_fit(lam_fit_l2),
            "seed_l1": SEED_L1,
            "l1_match": lasso_fit(lam_match_l1),
            "l1_fit": lasso_fit(lam_fit_l1),
        },
    }


def fig_rules(fig, pal):
    """Ridge multiplies by one factor, lasso subtracts one amount; the article's vectors follow neither."""
    lams = rules_table()["lams"]
    z = np.linspace(0.05, 9, 300)
    ridge_rule = z / (1 + lams["l2_fit"])
    lasso_rule = cv.soft_threshold(z, lams["l1_fit"])
    fig.set_size_inches(4.8, 7.4)
    left, right = fig.subplots(2, 1, sharex=True)
    for ax, scale in [(left, np.ones_like(z)), (right, z)]:
        ax.plot(z, ridge_rule / scale, color=pal.blue, label=f"ridge rule (λ = {lams['l2_fit']:.2f})")
        ax.plot(z, lasso_rule / scale, color=pal.green, label=f"lasso rule (λ = {lams['l1_fit']:.2f})")
    left.plot(z, z, color=pal.muted, lw=0.8, ls=":", label="no penalty")
    for ax, scale in [(left, np.ones_like(BEFORE)), (right, BEFORE)]:
        ax.plot(BEFORE, SEED_L2 / scale, "o", color=pal.orange, label="article's “after L2”")
        ax.plot(BEFORE, SEED_L1 / scale, "D", color=pal.pink, label="article's “after L1”")
        ax.set_xlim(0, 9)
    right.set_xlabel("least-squares coefficient")
    left.set_ylim(-0.3, 9)
    left.set_ylabel("penalised coefficient")
    right.set_ylim(-0.03, 1.0)
    right.set_ylabel("fraction kept")
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncols=1)


# --- 2. the diamond and the disk --------------------------------------------------------------

BUDGET = 1.0  # the same radius t for both balls: ‖w‖₁ ≤ t and ‖w‖₂ ≤ t


@functools.cache
def toy_problem():
    """A 2-D least-squares problem: n = 40, correlated features, optimum far outside both balls."""
    rng = np.random.default_rng(7)
    n = 40
    z = rng.standard_normal((n, 2))
    X = np.column_stack([z[:, 0], 0.5 * z[:, 0] + 0.87 * z[:, 1]])
    y = X @ np.array([2.2, 0.6]) + 0.5 * rng.standard_normal(n)
    return X, y


def lam_for_norm(solve, norm, X, y, t, lo=1e-8, hi=1e8, iters=100):
    """The λ at which solve(X, y, λ) has norm(w) = t (the norm falls as λ grows: bisect on log λ)."""
    for _ in range(iters):
        mid = np.sqrt(lo * hi)
        if norm(solve(X, y, mid)) > t:
            lo = mid
        else:
            hi = mid
    return np.sqrt(lo * hi)


def _l1(w):
    return np.sum(np.abs(w))


@functools.cache
def ball_optima():
    """(λ, w) of the loss minimum on the L1 ball and on the L2 ball of radius BUDGET."""
    X, y = toy_problem()
    lam1 = lam_for_norm(cv.lasso_cd, _l1, X, y, BUDGET)
    lam2 = lam_for_norm(cv.ridge, np.linalg.norm, X, y, BUDGET)
    return {"l1": (lam1, cv.lasso_cd(X, y, lam1)), "l2": (lam2, cv.ridge(X, y, lam2))}


@functools.cache
def loss_grid():
    """The squared loss on a grid of (w1, w2) for the contour plot."""
    X, y = toy_problem()
    w1, w2 = np.linspace(-1.3, 3.0, 87), np.linspace(-1.3, 1.6, 59)
    loss = np.array([[cv.squared_loss(np.array([a, b]), X, y) for a in w1] for b in w2])
    return w1, w2, loss


def fig_diamond_disk(fig, pal):
    """Loss contours touch the L1 diamond at a corner (w₂ = 0 exactly) and the L2 disk off the axes."""
    X, y = toy_problem()
    w1, w2, loss = loss_grid()
    opt = ball_optima()
    w_ls = cv.ridge(X, y, 0.0)
    t = np.linspace(0, 2 * np.pi, 200)
    shapes = {
        "l1": (BUDGET * np.array([1, 0, -1, 0, 1]), BUDGET * np.array([0, 1, 0, -1, 0])),
        "l2": (BUDGET * np.cos(t), BUDGET * np.sin(t)),
    }
    titles = {"l1": "L1 ball ‖w‖₁ ≤ t", "l2": "L2 ball ‖w‖₂ ≤ t"}
    fig.set_size_inches(4.8, 6.2)
    axes = fig.subplots(2, 1, sharex=True)
    for ax, key, colour in zip(axes, ["l1", "l2"], [pal.green, pal.blue], strict=True):
        _, w = opt[key]
        level = cv.squared_loss(w, X, y)
        base = cv.squared_loss(w_ls, X, y)
        others = base + (level - base) * np.array([0.1, 0.4, 2.0, 3.5])
        ax.contour(w1, w2, loss, levels=others, colors=pal.muted, linewidths=0.7)
        ax.contour(w1, w2, loss, levels=[level], colors=pal.orange, linewidths=1.4)
        ax.fill(*shapes[key], color=colour, alpha=0.2, lw=0)
        ax.plot(*shapes[key], color=colour)
        ax.plot(*w_ls, "x", color=pal.fg, ms=8, mew=2)
        ax.plot(*w, "o", color=pal.orange, ms=7)

        ax.axhline(0, color=pal.muted, lw=0.6)
        ax.axvline(0, color=pal.muted, lw=0.6)
        ax.set_title(f"{titles[key]}: optimum ({w[0]:.2f}, {w[1]:.2f})")
        ax.set_aspect("equal")
        ax.set_xlim(w1[0], w1[-1])
        ax.set_ylim(w2[0], w2[-1])
        ax.set_ylabel("$w_2$")
    axes[1].set_xlabel("$w_1$")


def lasso_entry_points():
    """(λ_max, λ₂, j): on the 2-D problem every lasso weight is 0 for λ ≥ λ_max = max|x_jᵀy|; below it
    only w_j moves, w_j = (x_jᵀy − λs)/‖x_j‖² with s = sign(x_jᵀy), and the other weight k stays exactly
    0 while |x_kᵀ(y − x_j w_j)| = |a + bλ| ≤ λ, a = x_kᵀy − (x_kᵀx_j)(x_jᵀy)/‖x_j‖², b = (x_kᵀx_j)s/‖x_j‖².
    It leaves zero at λ₂, the largest root of |a + bλ| = λ below λ_max."""
    X, y = toy_problem()
    c = X.T @ y
    j = int(np.argmax(np.abs(c)))
    k = 1 - j
    sj, gram = np.sign(c[j]), X.T @ X
    a = c[k] - gram[k, j] * c[j] / gram[j, j]
    b = gram[k, j] * sj / gram[j, j]
    roots = [r for r in (a / (1 - b), -a / (1 + b)) if 0 < r < abs(c[j])]
    return float(abs(c[j])), float(max(roots)), j


def ball_slider_lambdas():
    """λ values for the interactive balls: a log grid with λ₂ and the two balls' λ among them."""
    _, lam2, _ = lasso_entry_points()
    opt = ball_optima()
    extra = [lam2 * 0.97, lam2 * 1.001, opt["l1"][0], opt["l2"][0]]  # just below and just above λ₂
    return np.sort(np.concatenate([np.logspace(-1, 2.2, 22), extra]))


def _series(kind, x, y, color, label, dash=False):
    """One series of an interactive figure, rounded to 3 decimals."""
    out = {"type": kind, "x": np.round(x, 3).tolist(), "y": np.round(y, 3).tolist(), "color": color}
    out["label"] = label
    if dash:
        out["dash"] = True
    return out


def data_balls():
    """Moving λ moves the lasso point (green) and the ridge point (blue), each on the ball its norm
    defines: the lasso point sits on the diamond's corner, w₂ exactly 0, for every λ above λ₂."""
    X, y = toy_problem()
    w1, w2, _ = loss_grid()
    w_ls = cv.ridge(X, y, 0.0)
    _, lam2, _ = lasso_entry_points()
    lams = ball_slider_lambdas()
    t = np.linspace(0, 2 * np.pi, 40)
    frames = []
    for lam in lams:
        wl, wr = cv.lasso_cd(X, y, lam), cv.ridge(X, y, lam)
        r1, r2 = float(np.sum(np.abs(wl))), float(np.linalg.norm(wr))
        if not np.any(wl):
            corner = "both weights exactly 0"
        else:
            corner = "w₂ exactly 0, on a corner" if wl[1] == 0 else "w₂ nonzero, on an edge"
        diamond = r1 * np.array([[1, 0, -1, 0, 1], [0, 1, 0, -1, 0]])
        circle = r2 * np.array([np.cos(t), np.sin(t)])
        frames.append(
            {
                "series": [
                    _series("line", *diamond, "green", "diamond through the lasso point"),
                    _series("line", *circle, "blue", "circle through the ridge point", dash=True),
                    _series("points", [wl[0]], [wl[1]], "green", "lasso"),
                    _series("points", [wr[0]], [wr[1]], "blue", "ridge"),
                ],
                "readout": f"λ = {lam:.3g}: lasso ({wl[0]:.2f}, {wl[1]:.2f}), {corner}; "
                f"ridge ({wr[0]:.2f}, {wr[1]:.2f})",
            }
        )  # fmt: skip
    base = cv.squared_loss(w_ls, X, y)
    H = X.T @ X / len(y)
    mu, U = np.linalg.eigh(H)
    rings = []
    for extra in (0.05, 0.3, 1.0):  # the innermost contour is labelled
        ell = w_ls + (np.sqrt(2 * extra) * (U / np.sqrt(mu)) @ np.vstack([np.cos(t), np.sin(t)])).T
        rings.append(_series("line", ell[:, 0], ell[:, 1], "muted", f"loss contour, L = {base + extra:.2f}"))
    for ring in rings[1:]:
        del ring["label"]  # one legend entry for the three contours
    return {
        "kind": "frames",
        "xlabel": "w₁",
        "ylabel": "w₂",
        "xlim": [float(w1[0]), float(w1[-1])],
        "ylim": [float(w2[0]), float(w2[-1])],
        "xscale": "linear",
        "yscale": "linear",
        "equal": True,
        "slider": {
            "label": "penalty strength λ",
            "values": np.round(lams, 4).tolist(),
            "format": ".3g",
            "initial": int(np.flatnonzero(lams == lam2 * 1.001)[0]),
        },
        "static": [*rings, _series("points", [w_ls[0]], [w_ls[1]], "fg", "least squares")],
        "frames": frames,
    }


# --- 3. paths on a realistic problem ---------------------------------------------------------------

PATHS = {"n": 100, "p": 15, "k": 4, "rho": 0.5, "sigma": 1.0}


@functools.cache
def path_problem():
    """n = 100 samples, p = 15 standardised equicorrelated features, 4 truly nonzero weights, noise σ = 1."""
    rng = np.random.default_rng(15)
    n, p, rho = PATHS["n"], PATHS["p"], PATHS["rho"]
    shared = rng.standard_normal((n, 1))
    X = np.sqrt(rho) * shared + np.sqrt(1 - rho) * rng.standard_normal((n, p))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    w_true = np.zeros(p)
    support = rng.choice(p, PATHS["k"], replace=False)
    w_true[support] = [3.0, -2.0, 1.5, 1.0]
    y = X @ w_true + PATHS["sigma"] * rng.standard_normal(n)
    return X, y - y.mean(), w_true


def lam_max(X, y):
    """The smallest λ at which every lasso weight is exactly zero: max_j |x_jᵀy|."""
    return np.max(np.abs(X.T @ y))


@functools.cache
def lasso_path(num=40):
    """Lasso weights on a log grid from just above λ_max down a factor 1000, warm-started along the way."""
    X, y, _ = path_problem()
    lams = 1.01 * lam_max(X, y) * np.logspace(0, -3, num)
    w = np.zeros(X.shape[1])
    path = []
    for lam in lams:
        w = cv.lasso_cd(X, y, lam, w0=w, tol=1e-10)
        path.append(w.copy())
    return lams, np.array(path)


@functools.cache
def ridge_path(num=40):
    """Ridge weights on a log grid of λ from 10⁻¹ to 10⁵."""
    X, y, _ = path_problem()
    lams = np.logspace(5, -1, num)
    return lams, np.array([cv.ridge(X, y, lam) for lam in lams])


def fig_paths(fig, pal):
    """Coefficient paths: lasso weights reach exactly zero one by one; ridge weights only approach zero."""
    _, _, w_true = path_problem()
    colours = {j: pal.cycle[i] for i, j in enumerate(np.flatnonzero(w_true))}
    fig.set_size_inches(4.8, 5.6)
    axes = fig.subplots(2, 2, sharex="col", sharey="row", height_ratios=[3, 1.2])
    panels = [(*lasso_path(), "lasso (L1)"), (*ridge_path(), "ridge (L2)")]
    for col, (lams, path, title) in enumerate(panels):
        top, bottom = axes[0, col], axes[1, col]
        for j in range(path.shape[1]):
            if j in colours:
                top.semilogx(lams, path[:, j], color=colours[j], lw=1.6)
            else:
                top.semilogx(lams, path[:, j], color=pal.muted, lw=0.8)
        top.axhline(0, color=pal.fg, lw=0.6)
        top.set_title(title)
        bottom.semilogx(lams, np.sum(path == 0, axis=1), "o-", color=pal.orange, ms=2.5, lw=1.0)
        bottom.set_ylim(-1, PATHS["p"] + 1)
        bottom.set_xlabel("penalty λ")
        bottom.xaxis.set_major_locator(matplotlib.ticker.LogLocator(numticks=4))
        bottom.invert_xaxis()
    axes[0, 0].set_ylabel("weight")
    axes[1, 0].set_ylabel("exact zeros")


SUBGRADIENT = {"eta": 0.1, "steps": 3000}


@functools.cache
def subgradient_fit(lam):
    """Plain (sub)gradient descent on the L1 cost, as a network trainer would run it: no thresholding step."""
    X, y, _ = path_problem()
    n = len(y)
    w = np.zeros(X.shape[1])
    for _ in range(SUBGRADIENT["steps"]):
        w = cv.l1_subgradient_step(w, X.T @ (X @ w - y) / n, SUBGRADIENT["eta"], lam, n)
    return w


# --- 4. L1 in depth: the Laplace prior, correlated features, the bias on large weights -----------

LAPLACE = {"tau": 1.0, "b": 0.5}  # τ: standard error of the least-squares estimate z; b: prior scale


def laplace_log_post(w, z, tau, b):
    """log posterior up to a constant: Gaussian likelihood N(z; w, τ²) times the prior e^(−|w|/b)/(2b)."""
    return -0.5 * ((w - z) / tau) ** 2 - np.abs(w) / b


def laplace_map(z, tau, b):
    """The posterior's peak: minimise (w − z)²/(2τ²) + |w|/b, a soft threshold at τ²/b. On an orthonormal
    design τ = σ, the noise standard deviation, and this is the site's lasso with λ = σ²/b (page: σ²/κ)."""
    return cv.soft_threshold(z, tau**2 / b)


def laplace_mean(z, tau, b, num=100_001):
    """The posterior mean ∫w p(w|z) dw / ∫p(w|z) dw by the trapezoid rule on a fine grid that is symmetric
    about 0 (so the prior's kink at 0 is a grid point) and reaches 40τ beyond z."""
    half_width = abs(z) + 40 * tau
    w = np.linspace(-half_width, half_width, num)
    log_post = laplace_log_post(w, z, tau, b)
    dens = np.exp(log_post - np.max(log_post))
    return float(np.trapezoid(w * dens, w) / np.trapezoid(dens, w))


@functools.cache
def laplace_curves():
    """MAP and posterior mean against the least-squares estimate z."""
    z = np.linspace(-6, 6, 121)
    t, b = LAPLACE["tau"], LAPLACE["b"]
    return z, laplace_map(z, t, b), np.array([laplace_mean(zi, t, b) for zi in z])


def fig_laplace(fig, pal):
    """Under a Laplace prior the posterior's peak (the lasso) is exactly 0 near z = 0; its mean never is."""
    z, w_map, w_mean = laplace_curves()
    fig.set_size_inches(4.8, 4.4)
    ax = fig.subplots()
    ax.plot(z, z, color=pal.muted, lw=0.8, ls=":", label="no prior (least squares)")
    ax.plot(z, w_map, color=pal.green, label="posterior peak (MAP) = lasso")
    ax.plot(z, w_mean, color=pal.orange, ls="--", label="posterior mean")
    ax.set_xlabel("least-squares estimate z")
    ax.set_ylabel("estimate of w")
    ax.set_xlim(z[0], z[-1])
    ax.set_ylim(z[0], z[-1])
    fig.legend(loc="outside lower center", ncols=1)


ENET = {
    "n": 50,
    "rho": 0.95,
    "lam1": 15.0,
    "lam2": 30.0,
    "draws": 20,
    "w": (1.5, 1.5, -1.0, -1.0, 0, 0, 0, 0),
}


def enet_cd(X, y, lam1, lam2, max_sweeps=10_000, tol=1e-12):
    """Elastic net by coordinate descent, in the site's convention
    J(w) = (1/2n)‖Xw − y‖² + (λ_L1/n)‖w‖₁ + (λ_L2/2n)‖w‖²: each update is
    w_j = S(x_jᵀr_j, λ_L1)/(‖x_j‖² + λ_L2), with lam1 = λ_L1 and lam2 = λ_L2."""
    p = X.shape[1]
    w = np.zeros(p)
    col_sq = np.sum(X**2, axis=0)
    r = y.copy()
    for _ in range(max_sweeps):
        biggest = 0.0
        for j in range(p):
            old = w[j]
            w[j] = cv.soft_threshold(X[:, j] @ r + col_sq[j] * old, lam1) / (col_sq[j] + lam2)
            if w[j] != old:
                r -= X[:, j] * (w[j] - old)
                biggest = max(biggest, abs(w[j] - old))
        if biggest < tol:
            break
    return w


def pair_problem(seed):
    """n = 50 samples of 8 features: features 1 and 2 correlated at ρ = 0.95, and so are 3 and 4; the true
    weights are equal within each pair, (1.5, 1.5, −1, −1), and 0 on the four others; noise σ = 1; centred."""
    rng = np.random.default_rng(seed)
    n, rho = ENET["n"], ENET["rho"]
    Z = rng.standard_normal((n, len(ENET["w"])))
    X = Z.copy()
    X[:, 1] = rho * Z[:, 0] + np.sqrt(1 - rho**2) * Z[:, 1]
    X[:, 3] = rho * Z[:, 2] + np.sqrt(1 - rho**2) * Z[:, 3]
    y = X @ np.array(ENET["w"], dtype=float) + rng.standard_normal(n)
    return X - X.mean(axis=0), y - y.mean()


STUDY_SEEDS = range(100, 120)  # the resampled data sets: fresh X and noise each time


@functools.cache
def stability_study():
    """Lasso (λ_L1) and elastic net (λ_L1, λ_L2) weights on each of 20 resampled data sets."""
    lasso, enet = [], []
    for seed in STUDY_SEEDS:
        X, y = pair_problem(seed)
        lasso.append(cv.lasso_cd(X, y, ENET["lam1"]))
        enet.append(enet_cd(X, y, ENET["lam1"], ENET["lam2"]))
    return np.array(lasso), np.array(enet)


def fig_stability(fig, pal):
    """The weights of a correlated pair across 20 resampled data sets: the lasso splits them
    arbitrarily, the elastic net keeps them together."""
    lasso, enet = stability_study()
    fig.set_size_inches(4.8, 5.0)
    ax = fig.subplots()
    ax.plot([0, 3.2], [0, 3.2], color=pal.muted, lw=0.8, ls=":", label="w₁ = w₂")
    ax.plot(lasso[:, 0], lasso[:, 1], "o", color=pal.green, label="lasso")
    ax.plot(enet[:, 0], enet[:, 1], "s", color=pal.blue, mfc="none", label="elastic net")
    ax.plot(*ENET["w"][:2], "x", color=pal.fg, ms=9, mew=2, label="true weights")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_xlim(-0.2, 3.2)
    ax.set_ylim(-0.2, 3.2)
    ax.set_aspect("equal")
    fig.legend(loc="outside lower center", ncols=2)


BIAS = {"lam": 30.0, "seeds": range(200, 220), "w": (3.0, -2.0, 1.5, 1.0)}


def bias_problem(seed):
    """The paths problem's recipe, resampled: n = 100, p = 15 standardised features correlated at 0.5,
    true weights (3, −2, 1.5, 1) on the first four and 0 on the rest, noise σ = 1; y centred."""
    rng = np.random.default_rng(seed)
    n, p, rho = PATHS["n"], PATHS["p"], PATHS["rho"]
    shared = rng.standard_normal((n, 1))
    X = np.sqrt(rho) * shared + np.sqrt(1 - rho) * rng.standard_normal((n, p))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    w = np.zeros(p)
    w[:4] = BIAS["w"]
    y = X @ w + PATHS["sigma"] * rng.standard_normal(n)
    return X, y - y.mean(), w


def relaxed_lasso(X, y, lam):
    """Relaxed lasso with φ = 0: least squares refitted on the features the lasso selected."""
    keep = cv.lasso_cd(X, y, lam) != 0
    w = np.zeros(X.shape[1])
    w[keep] = np.linalg.lstsq(X[:, keep], y, rcond=None)[0]
    return w


def adaptive_lasso(X, y, lam):
    """Adaptive lasso (γ = 1): penalty λ Σ|w_j|/|ŵ_j| with ŵ least squares, solved as a plain lasso on
    the columns x_j|ŵ_j| and mapped back."""
    scale = np.abs(np.linalg.lstsq(X, y, rcond=None)[0])
    return cv.lasso_cd(X * scale, y, lam) * scale


@functools.cache
def bias_study():
    """Per resampled data set: the three estimators' weights, and the true weights."""
    rows = []
    for seed in BIAS["seeds"]:
        X, y, w = bias_problem(seed)
        rows.append(
            [
                cv.lasso_cd(X, y, BIAS["lam"]),
                relaxed_lasso(X, y, BIAS["lam"]),
                adaptive_lasso(X, y, BIAS["lam"]),
                w,
            ]
        )
    return np.array(rows)  # (draw, method: lasso/relaxed/adaptive/true, feature)


def values_in_depth():
    """The numbers of the section "L1 in depth"."""
    tau, b = LAPLACE["tau"], LAPLACE["b"]
    t = tau**2 / b
    z, w_map, w_mean = laplace_curves()
    nonzero_z = z != 0
    out = {
        "lap_tau": tau,
        "lap_b": b,
        "lap_t": t,
        "lap_mean_half_t": laplace_mean(t / 2, tau, b),
        "lap_map_half_t": float(laplace_map(t / 2, tau, b)),
        "lap_mean_2t": laplace_mean(2 * t, tau, b),
        "lap_map_2t": float(laplace_map(2 * t, tau, b)),
        "lap_min_abs_mean": float(np.min(np.abs(w_mean[nonzero_z]))),
        "lap_map_zeros": int(np.sum(w_map == 0)),
        "lap_grid": len(z),
        "lap_mean_zeros": int(np.sum(w_mean[nonzero_z] == 0)),
    }
    lasso, enet = stability_study()
    d_l, d_e = lasso[:, 0] - lasso[:, 1], enet[:, 0] - enet[:, 1]
    kept = ENET["w"][:4]
    out.update(
        {
            "enet_n": ENET["n"],
            "enet_rho": ENET["rho"],
            "enet_lam1": ENET["lam1"],
            "enet_lam2": ENET["lam2"],
            "enet_draws": len(lasso),
            "lasso_diff_sd": float(np.std(d_l)),
            "enet_diff_sd": float(np.std(d_e)),
            "lasso_diff_min": float(d_l.min()),
            "lasso_diff_max": float(d_l.max()),
            "enet_diff_min": float(d_e.min()),
            "enet_diff_max": float(d_e.max()),
            "lasso_all_kept": int(np.sum(np.all(lasso[:, : len(kept)] != 0, axis=1))),
            "enet_all_kept": int(np.sum(np.all(enet[:, : len(kept)] != 0, axis=1))),
        }
    )
    rows = bias_study()
    err = np.linalg.norm(rows[:, :3] - rows[:, 3:4], axis=2)  # (draw, method)
    short = np.abs(rows[:, 3:4, 0]) - np.abs(rows[:, :3, 0])  # shortfall on the largest true weight
    for k, name in enumerate(("lasso", "relaxed", "adaptive")):
        out[f"bias_err_{name}_med"] = float(np.median(err[:, k]))
        out[f"bias_err_{name}_min"] = float(err[:, k].min())
        out[f"bias_err_{name}_max"] = float(err[:, k].max())
        out[f"bias_short_{name}_med"] = float(np.median(short[:, k]))
        out[f"bias_support_{name}"] = int(np.sum(np.all((rows[:, k] != 0) == (rows[:, 3] != 0), axis=1)))
    ad_err = rows[:, 2] - rows[:, 3]  # the adaptive lasso's error, per draw and feature
    for j in range(len(BIAS["w"])):
        out[f"bias_adaptive_short_{j}"] = float(np.median(np.abs(rows[:, 3, j]) - np.abs(rows[:, 2, j])))
    out["bias_adaptive_small_share"] = float(
        np.median(np.sum(ad_err[:, 1:4] ** 2, axis=1) / np.sum(ad_err**2, axis=1))
    )  # share of its squared error on the three smaller true weights
    out["bias_relaxed_wins"] = int(np.sum(err[:, 1] < err[:, 0]))
    out["bias_adaptive_wins"] = int(np.sum(err[:, 2] < err[:, 0]))
    out["bias_draws"] = len(rows)
    out["bias_lam"] = BIAS["lam"]
    out["bias_big_w"] = BIAS["w"][0]
    return out


# --- the numbers the page quotes -------------------------------------------------------------------


def values():
    return {**values_main(), **values_in_depth()}


def values_main():
    """The numbers of the first three sections."""
    t = rules_table()
    out = {}
    for name, row in t["rows"].items():
        for j, x in enumerate(row):
            out[f"{name}_{j}"] = float(x)
    for name, lam in t["lams"].items():
        out[f"lam_{name}"] = float(lam)
    for j in range(len(BEFORE)):
        out[f"ratio_l2_{j}"] = SEED_L2[j] / BEFORE[j]
        out[f"drop_l1_{j}"] = BEFORE[j] - SEED_L1[j]
    out["ridge_fit_share"] = 1.0 / (1.0 + float(t["lams"]["l2_fit"]))
    out["l2_fit_err"] = float(np.linalg.norm(t["rows"]["l2_fit"] - SEED_L2))
    out["l1_fit_err"] = float(np.linalg.norm(t["rows"]["l1_fit"] - SEED_L1))

    opt = ball_optima()
    for key in ("l1", "l2"):
        lam, w = opt[key]
        out[f"ball_{key}_lam"] = lam
        out[f"ball_{key}_w1"] = w[0]
        out[f"ball_{key}_w2"] = w[1]
    out["budget"] = BUDGET
    lmax2, lam2, _ = lasso_entry_points()
    out["ball_lam_max"], out["ball_lam2"] = lmax2, lam2
    w_ls2 = cv.ridge(*toy_problem(), 0.0)
    out["ls_w1"], out["ls_w2"] = float(w_ls2[0]), float(w_ls2[1])
    X2, y2 = toy_problem()
    pull = X2.T @ (X2 @ opt["l1"][1] - y2) / len(y2)  # ∇L at the corner
    out["corner_pull_ratio"] = float(abs(pull[1]) / abs(pull[0]))

    X, y, w_true = path_problem()
    l_lams, l_path = lasso_path()
    r_lams, r_path = ridge_path()
    zeros = np.sum(l_path == 0, axis=1)
    support = w_true != 0
    exact = [i for i in range(len(l_lams)) if np.array_equal(l_path[i] != 0, support)]
    sub_lam = l_lams[exact[0]]
    sub_w, lasso_w = subgradient_fit(sub_lam), l_path[exact[0]]
    out.update(
        {
            "sub_lam": sub_lam,
            "sub_eta": SUBGRADIENT["eta"],
            "sub_steps": SUBGRADIENT["steps"],
            "sub_exact_zeros": int(np.sum(sub_w == 0)),
            "sub_lasso_zeros": int(np.sum(lasso_w == 0)),
            "sub_near_min": float(np.min(np.abs(sub_w[lasso_w == 0]))),
            "sub_near_max": float(np.max(np.abs(sub_w[lasso_w == 0]))),
            "sub_kept_min": float(np.min(np.abs(sub_w[lasso_w != 0]))),
            "sub_step": SUBGRADIENT["eta"] * sub_lam / len(y),
        }
    )
    out.update(
        {
            "paths_n": PATHS["n"],
            "paths_p": PATHS["p"],
            "paths_k": PATHS["k"],
            "paths_null": PATHS["p"] - PATHS["k"],
            "paths_rho": PATHS["rho"],
            "paths_num": len(l_lams),
            "lam_max": lam_max(X, y),
            "lasso_lam_min": l_lams[-1],
            "lasso_lam_top": l_lams[0],
            "lasso_zeros_top": int(zeros[0]),
            "lasso_zeros_min": int(zeros.min()),
            "lasso_zeros_median": float(np.median(zeros)),
            "lasso_points_with_zero": int(np.sum(zeros > 0)),
            "ridge_lam_min": r_lams[-1],
            "ridge_lam_max": r_lams[0],
            "ridge_zeros_total": int(np.sum(r_path == 0)),
            "ridge_smallest_abs": float(np.min(np.abs(r_path))),
            "support_points": len(exact),
            "support_lam_hi": l_lams[exact[0]] if exact else 0.0,
            "support_lam_lo": l_lams[exact[-1]] if exact else 0.0,
        }
    )
    return out


def _draw_frame(fig, pal, data, height, ncols=2):
    """The static picture of an interactive figure: its fixed layers and its initial frame."""
    fig.set_size_inches(4.8, height)
    ax = fig.subplots()
    frame = data["frames"][data["slider"]["initial"]]
    for s in [*data["static"], *frame["series"]]:
        colour = getattr(pal, s["color"])
        if s["type"] == "line":
            ax.plot(
                s["x"], s["y"], color=colour, ls="--" if s.get("dash") else "-", lw=1.4, label=s.get("label")
            )
        else:
            ax.plot(s["x"], s["y"], "o", color=colour, ms=6, label=s.get("label", "_nolegend_"))
    ax.set(xlim=data["xlim"], ylim=data["ylim"], xscale=data["xscale"], yscale=data["yscale"])
    ax.set_xlabel(data["xlabel"])
    ax.set_ylabel(data["ylabel"])
    if data["equal"]:
        ax.set_aspect("equal")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    fig.legend(unique.values(), unique.keys(), loc="outside lower center", ncols=ncols)


def fig_balls(fig, pal):
    """The static view of the slider figure: its first frame."""
    _draw_frame(fig, pal, data_balls(), 5.0, ncols=1)
