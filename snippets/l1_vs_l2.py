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


def data_diamond_disk():
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
    for extra in (0.05, 0.3, 1.0):
        ell = w_ls + (np.sqrt(2 * extra) * (U / np.sqrt(mu)) @ np.vstack([np.cos(t), np.sin(t)])).T
        rings.append(_series("line", ell[:, 0], ell[:, 1], "muted", f"loss contour L = {base + extra:.2f}"))
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


# --- the numbers the page quotes -------------------------------------------------------------------


def values():
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
