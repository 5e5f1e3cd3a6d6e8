"""L2 keeps μ/(μ + λ/n) of each Hessian eigen-direction; the same for ridge, df(λ) and early stopping."""

from __future__ import annotations

import functools

import matplotlib.ticker
import numpy as np

from snippets.conventions import l2_gradient_step, ridge

# --- part 1: a two-dimensional quadratic loss ------------------------------------------------

N_QUAD = 10  # n: only sets the scale λ/n of the penalty
MU_STEEP, MU_FLAT = 2.0, 0.05  # Hessian eigenvalues μ_1, μ_2
ANGLE_DEG = 25.0  # direction of the steep eigenvector u_1
W_STAR_EIGEN = np.array([1.0, 2.0])  # components of w* along u_1 (steep) and u_2 (flat)
LAM_SHOW = 2.5  # the λ marked on the figure (λ/n = 0.25)


def eigenvectors():
    """Columns u_1 (steep) and u_2 (flat) of the rotation Q."""
    a = np.deg2rad(ANGLE_DEG)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def hessian():
    """H = Q diag(μ) Qᵀ."""
    Q = eigenvectors()
    return Q @ np.diag([MU_STEEP, MU_FLAT]) @ Q.T


def w_star():
    """The unregularised minimum w* = Σ c_i u_i."""
    return eigenvectors() @ W_STAR_EIGEN


def quadratic_loss(w):
    """L(w) = ½ (w − w*)ᵀ H (w − w*) (the constant L(w*) dropped); w may be (..., 2)."""
    d = np.asarray(w) - w_star()
    return 0.5 * np.einsum("...i,ij,...j->...", d, hessian(), d)


def shrink_factor(mu, lam, n):
    """μ / (μ + λ/n): what L2 keeps of a component along an eigenvector of curvature μ."""
    return mu / (mu + lam / n)


def regularised_optimum(lam, n=N_QUAD):
    """w̃(λ): each eigen-component of w* multiplied by μ_i / (μ_i + λ/n)."""
    mus = np.array([MU_STEEP, MU_FLAT])
    return eigenvectors() @ (shrink_factor(mus, lam, n) * W_STAR_EIGEN)


def lambda_path(num=60):
    """λ values from tiny to huge, for the path of w̃(λ)."""
    return np.geomspace(1e-3, 1e4, num)


# --- part 2: ridge through the SVD of a polynomial design ------------------------------------

N_POLY, DEGREE, NOISE = 40, 6, 0.1


@functools.cache
def poly_data():
    """x on [−1, 1], features x, x², …, x⁶ (no intercept), y = sin(2.5x) + noise."""
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(-1, 1, N_POLY))
    X = np.vander(x, DEGREE + 1, increasing=True)[:, 1:]
    y = np.sin(2.5 * x) + NOISE * rng.standard_normal(N_POLY)
    return X, y


def svd_design():
    """X = U diag(d) Vᵀ."""
    X, _ = poly_data()
    U, d, Vt = np.linalg.svd(X, full_matrices=False)
    return U, d, Vt.T


def ridge_factor(d, lam):
    """d² / (d² + λ): the share of the least-squares component ridge keeps along v_i."""
    return d**2 / (d**2 + lam)


def effective_df(lam):
    """df(λ) = Σ d_i² / (d_i² + λ)."""
    _, d, _ = svd_design()
    return np.sum(ridge_factor(d[:, None], np.atleast_1d(lam)[None, :]), axis=0)


def ridge_lambdas():
    return np.geomspace(1e-5, 1e3, 81)


@functools.cache
def measured_ridge_ratios():
    """(v_iᵀ w_ridge) / (v_iᵀ w_ls) for every λ of ridge_lambdas(), fitted with conventions.ridge."""
    X, y = poly_data()
    _, _, V = svd_design()
    w_ls = ridge(X, y, 0.0)
    ratios = [(V.T @ ridge(X, y, lam)) / (V.T @ w_ls) for lam in ridge_lambdas()]
    return np.array(ratios)  # shape (λ, direction)


def svd_slider_lambdas():
    """λ values of the interactive shrinkage figure (log grid, 10⁻⁴ to 10²)."""
    return np.geomspace(1e-4, 1e2, 25)


def data_shrinkage():
    """Moving λ slides the half-kept point d = √λ along the singular values: each direction's
    fitted ridge share lies on d²/(d² + λ), and the shares add up to df(λ)."""
    X, y = poly_data()
    _, d, V = svd_design()
    w_ls = ridge(X, y, 0.0)
    grid = np.geomspace(0.01, 10.0, 60)
    frames = []
    for lam in svd_slider_lambdas():
        share = (V.T @ ridge(X, y, lam)) / (V.T @ w_ls)
        df = float(effective_df(lam)[0])
        kept = ", ".join(f"{k:.2f}" for k in share)
        frames.append(
            {
                "series": [
                    {"type": "line", "x": np.round(grid, 3).tolist(),
                     "y": np.round(ridge_factor(grid, lam), 3).tolist(), "color": "blue",
                     "label": "d²/(d² + λ)"},
                    {"type": "line", "x": [float(np.sqrt(lam))] * 2, "y": [0.0, 1.0], "color": "muted",
                     "dash": True, "label": "half kept: d = √λ"},
                    {"type": "points", "x": np.round(d, 4).tolist(), "y": np.round(share, 4).tolist(),
                     "color": "orange", "label": "fitted ridge, per direction"},
                ],
                "readout": f"λ = {lam:.2g}: df = {df:.2f}; kept shares {kept}",
            }
        )  # fmt: skip
    return {
        "kind": "frames",
        "xlabel": "singular value d",
        "ylabel": "kept share",
        "xlim": [0.01, 10.0],
        "ylim": [0.0, 1.05],
        "xscale": "log",
        "yscale": "linear",
        "equal": False,
        "slider": {"label": "penalty strength λ", "values": np.round(svd_slider_lambdas(), 6).tolist(),
                   "format": "sci", "initial": 12},
        "static": [],
        "frames": frames,
    }  # fmt: skip


# --- part 3: early stopping as implicit L2 ---------------------------------------------------


def hessian_eigenvalues():
    """μ_i = d_i² / n: the eigenvalues of the Hessian XᵀX/n of L(w) = (1/2n)‖Xw − y‖²."""
    _, d, _ = svd_design()
    return d**2 / N_POLY


def step_size():
    """η = 1/μ_max, so every ημ_i lies in (0, 1]."""
    return 1.0 / hessian_eigenvalues().max()


def gd_filter(eta_mu, tau):
    """1 − (1 − ημ)^τ: what τ steps of gradient descent from 0 keep of a component."""
    return 1.0 - (1.0 - eta_mu) ** tau


def matched_l2_filter(eta_mu, tau):
    """μ / (μ + λ/n) with λ/n = 1/(τη), written in ημ: ημ / (ημ + 1/τ)."""
    return eta_mu / (eta_mu + 1.0 / tau)


def matched_lambda(tau, eta, n):
    """λ = n / (τη)."""
    return n / (tau * eta)


def eta_mu_grid():
    return np.geomspace(1e-6, 1.0, 4001)


def taus():
    return np.unique(np.round(np.geomspace(1, 1e4, 41)).astype(int))


def max_filter_gap(tau, eta_mu=None):
    """max over the spectrum of |GD filter − matched L2 filter|, and the ημ where it occurs."""
    eta_mu = eta_mu_grid() if eta_mu is None else eta_mu
    gap = np.abs(gd_filter(eta_mu, tau) - matched_l2_filter(eta_mu, tau))
    i = np.argmax(gap)
    return gap[i], eta_mu[i]


def continuum_gap(x, c=1.0):
    """The τ → ∞ limit in x = τημ: (1 − e^(−x)) − x/(x + c), with λ/n = c/(τη)."""
    return (1.0 - np.exp(-x)) - x / (x + c)


def half_kept_x():
    """The x = τημ at which gradient descent keeps half (τ → ∞): 1 − e^(−x) = ½, so x = ln 2.

    L2 with λ/n = c/(τη) keeps half at x = c, so matching the two half-kept points gives c = ln 2.
    """
    return float(np.log(2.0))


def small_x_slope_c():
    """The c that matches the slopes at x → 0: GD keeps ≈ x, L2 keeps ≈ x/c, so c = 1."""
    return 1.0


@functools.cache
def continuum_worst(c=1.0):
    """max over x > 0 of the τ → ∞ gap with λ/n = c/(τη), and the x where it occurs (grid search)."""
    x = np.geomspace(1e-4, 1e4, 80001)
    gap = np.abs(continuum_gap(x, c))
    i = int(np.argmax(gap))
    return gap[i], x[i]


@functools.cache
def best_constant():
    """The c in λ/n = c/(τη) that minimises the worst τ → ∞ gap, by grid search."""
    x = np.geomspace(1e-4, 1e4, 20001)
    cs = np.linspace(0.2, 1.5, 1301)
    worst = [np.max(np.abs(continuum_gap(x, c))) for c in cs]
    i = int(np.argmin(worst))
    return cs[i], worst[i]


@functools.cache
def gd_run():
    """Run gradient descent on L from w = 0; return the weights after each τ in taus()."""
    X, y = poly_data()
    n = len(y)
    eta = step_size()
    keep = set(taus().tolist())
    w = np.zeros(X.shape[1])
    out = {}
    for t in range(1, max(keep) + 1):
        grad = X.T @ (X @ w - y) / n
        w = l2_gradient_step(w, grad, eta, 0.0, n)
        if t in keep:
            out[t] = w.copy()
    return np.array([out[t] for t in taus()])


@functools.cache
def early_stopping_curves():
    """Per τ: max filter gap (continuous spectrum), max gap on this design's μ_i, coefficient gap."""
    X, y = poly_data()
    n = len(y)
    eta = step_size()
    eta_mu_design = eta * hessian_eigenvalues()
    w_ls = ridge(X, y, 0.0)
    w_gd = gd_run()
    rows = []
    for k, tau in enumerate(taus()):
        gap, _ = max_filter_gap(tau)
        gap_design, _ = max_filter_gap(tau, eta_mu_design)
        w_l2 = ridge(X, y, matched_lambda(tau, eta, n))
        coef_gap = np.linalg.norm(w_gd[k] - w_l2) / np.linalg.norm(w_ls)
        rows.append((gap, gap_design, coef_gap))
    return np.array(rows)


# --- values -----------------------------------------------------------------------------------


def values():
    _, d, _ = svd_design()
    n = N_POLY
    eta = step_size()
    mu = hessian_eigenvalues()
    t = taus()
    curves = early_stopping_curves()
    c_best, gap_best = best_constant()
    x_lo, x_hi = 0.1, 10.0
    out = {
        "n_quad": N_QUAD,
        "mu_steep": MU_STEEP,
        "mu_flat": MU_FLAT,
        "curvature_ratio": MU_STEEP / MU_FLAT,
        "lam_show": LAM_SHOW,
        "lam_over_n_show": LAM_SHOW / N_QUAD,
        "keep_steep": shrink_factor(MU_STEEP, LAM_SHOW, N_QUAD),
        "keep_flat": shrink_factor(MU_FLAT, LAM_SHOW, N_QUAD),
        "lose_steep": 1.0 - shrink_factor(MU_STEEP, LAM_SHOW, N_QUAD),
        "move_dist": np.linalg.norm(regularised_optimum(LAM_SHOW) - w_star()),
        "loss_rise": quadratic_loss(regularised_optimum(LAM_SHOW)),
        "loss_rise_if_steep": 0.5 * MU_STEEP * np.linalg.norm(regularised_optimum(LAM_SHOW) - w_star()) ** 2,
        "w_star_1": w_star()[0],
        "w_star_2": w_star()[1],
        "w_tilde_1": regularised_optimum(LAM_SHOW)[0],
        "w_tilde_2": regularised_optimum(LAM_SHOW)[1],
        "n_poly": n,
        "degree": DEGREE,
        "d_max": d.max(),
        "d_min": d.min(),
        "df_lam_small": effective_df(1e-3)[0],
        "df_lam_1": effective_df(1.0)[0],
        "df_lam_100": effective_df(100.0)[0],
        "mu_max": mu.max(),
        "mu_min": mu.min(),
        "eta": eta,
        "tau_1_gap": curves[0, 0],
        "tau_10_gap": curves[t == 10][0, 0],
        "tau_100_gap": curves[t == 100][0, 0],
        "tau_10000_gap": curves[-1, 0],
        "limit_gap": continuum_worst()[0],
        "limit_gap_at": continuum_worst()[1],
        "gap_at_x_0_1": abs(continuum_gap(x_lo)),
        "gap_at_x_10": abs(continuum_gap(x_hi)),
        "gap_at_x_100": abs(continuum_gap(100.0)),
        "c_switch": half_kept_x(),
        "c_slope": small_x_slope_c(),
        "switch_c_gap": continuum_worst(half_kept_x())[0],
        "best_c": c_best,
        "best_c_gap": gap_best,
        "design_gap_max": curves[:, 1].max(),
        "coef_gap_max": curves[:, 2].max(),
        "coef_gap_tau_max": int(t[np.argmax(curves[:, 2])]),
        "tau_max": int(t[-1]),
        "shrinkage_initial_lam": float(svd_slider_lambdas()[12]),
    }
    return out


# --- figures ----------------------------------------------------------------------------------


def fig_quadratic(fig, pal):
    """Contours of a 2-D quadratic loss, w*, the L2 optimum at one λ, and the path of w̃ as λ grows."""
    fig.set_size_inches(4.8, 8.6)
    ax, bx = fig.subplots(2, 1, height_ratios=[1.25, 1])
    ws = w_star()
    g1 = np.linspace(-1.4, 2.0, 121)
    g2 = np.linspace(-0.5, 3.0, 121)
    G = np.stack(np.meshgrid(g1, g2), axis=-1)
    levels = 0.5 * MU_FLAT * np.array([0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]) ** 2
    ax.contour(g1, g2, quadratic_loss(G), levels=levels, cmap=pal.cmap, linewidths=0.8)
    Q = eigenvectors()
    for k, (name, end, ls) in enumerate(
        [("steep direction $u_1$", 2.1, ":"), ("flat direction $u_2$", 1.5, "-.")]
    ):
        ax.plot(*np.outer(Q[:, k], [-0.6, end]), ls=ls, color=pal.muted, lw=1, label=name)
    path = np.array([regularised_optimum(lam) for lam in lambda_path()])
    ax.plot(
        *np.vstack([ws, path, [0, 0]]).T,
        color=pal.orange,
        lw=1.8,
        label=r"$\tilde w(\lambda)$, $\lambda$ from 0 to ∞",
    )
    wt = regularised_optimum(LAM_SHOW)
    ax.plot(*ws, "o", color=pal.fg, label=r"$w^*$ (no penalty)")
    ax.plot(*wt, "s", color=pal.orange, label=rf"$\tilde w$ at $\lambda/n={LAM_SHOW / N_QUAD:g}$")
    ax.plot(0, 0, "+", color=pal.fg, ms=9)
    ax.set(xlim=(g1[0], g1[-1]), ylim=(g2[0], g2[-1]), xlabel="$w_1$", ylabel="$w_2$", aspect="equal")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, borderaxespad=0)

    lam = np.geomspace(1e-3, 1e3, 200)
    for mu, col, name in [(MU_STEEP, pal.blue, "steep"), (MU_FLAT, pal.green, "flat")]:
        bx.plot(lam / N_QUAD, shrink_factor(mu, lam, N_QUAD), color=col, label=rf"{name}, $\mu={mu:g}$")
        bx.plot(LAM_SHOW / N_QUAD, shrink_factor(mu, LAM_SHOW, N_QUAD), "s", color=col)
    bx.axvline(LAM_SHOW / N_QUAD, color=pal.muted, lw=0.8, ls="--")
    bx.set(xscale="log", xlabel=r"$\lambda/n$", ylabel=r"kept share $\mu/(\mu+\lambda/n)$", ylim=(0, 1.05))
    bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=2, borderaxespad=0)


def fig_ridge_svd(fig, pal):
    """Ridge along the SVD directions of a polynomial design: kept shares d²/(d²+λ) and df(λ)."""
    fig.set_size_inches(4.8, 7.6)
    ax, bx = fig.subplots(2, 1)
    _, d, _ = svd_design()
    lams = ridge_lambdas()
    measured = measured_ridge_ratios()
    fine = np.geomspace(lams[0], lams[-1], 300)
    for i, di in enumerate(d):
        col = pal.cycle[i % len(pal.cycle)]
        ax.plot(fine, ridge_factor(di, fine), color=col, lw=1.2, label=f"$d_{i + 1}$ = {di:.2g}")
        ax.plot(lams[::4], measured[::4, i], "o", color=col, ms=3, mfc="none")
    ax.plot([], [], "o", color=pal.muted, ms=4, mfc="none", label="fitted ridge")
    ax.set(xscale="log", ylabel=r"$v_i^\top w_{ridge} \,/\, v_i^\top w_{LS}$", ylim=(-0.03, 1.05))
    ax.set_title(r"lines: $d_i^2/(d_i^2+\lambda)$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3, borderaxespad=0, columnspacing=1.0)

    bx.plot(fine, effective_df(fine), color=pal.blue, label=r"$\mathrm{df}(\lambda)$")
    bx.axhline(len(d), color=pal.muted, ls="--", lw=0.8)
    bx.plot(d**2, effective_df(d**2), "o", color=pal.orange, ms=4, label=r"$\lambda = d_i^2$")
    bx.set(xscale="log", xlabel=r"$\lambda$", ylabel=r"$\mathrm{df}(\lambda)$", ylim=(0, len(d) + 0.4))
    bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=2, borderaxespad=0)


def fig_early_stopping(fig, pal):
    """GD filters 1 − (1 − ημ)^τ against matched L2 filters, and their worst gap as τ grows."""
    fig.set_size_inches(4.8, 8.4)
    ax, bx = fig.subplots(2, 1)
    em = eta_mu_grid()[::8]
    eta = step_size()
    for tau, col in [(10, pal.blue), (100, pal.orange), (1000, pal.green)]:
        ax.plot(em, gd_filter(em, tau), color=col, label=rf"$\tau={tau}$")
        ax.plot(em, matched_l2_filter(em, tau), color=col, ls="--", lw=1.2)
    ax.plot(
        eta * hessian_eigenvalues(), np.full(DEGREE, 0.01), "|", color=pal.fg, ms=10, label="design's ημᵢ"
    )
    ax.plot([], [], color=pal.muted, label="gradient descent")
    ax.plot([], [], color=pal.muted, ls="--", label=r"L2, $\lambda = n/(\tau\eta)$")
    ax.set(xscale="log", xlabel=r"$\eta\mu$", ylabel="kept share", xlim=(1e-5, 1), ylim=(0, 1.05))
    ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(numticks=4))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, borderaxespad=0)

    t = taus()
    curves = early_stopping_curves()
    bx.plot(t, curves[:, 0], color=pal.blue, label="max gap, all ημ in (0, 1]")
    bx.plot(t, curves[:, 1], color=pal.orange, ls="--", label="max gap, design's μᵢ")
    bx.plot(t, curves[:, 2], color=pal.green, ls=":", label=r"$\|w_{GD}-w_{L2}\| / \|w_{LS}\|$")
    bx.axhline(continuum_worst()[0], color=pal.muted, lw=0.8, label=r"$\tau\to\infty$ limit")
    bx.set(xscale="log", xlabel=r"steps $\tau$", ylabel="gap", ylim=(0, 0.55))
    bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=1, borderaxespad=0)


def _draw_frame(fig, pal, data, height):
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
    fig.legend(unique.values(), unique.keys(), loc="outside lower center", ncols=2)


def fig_shrinkage(fig, pal):
    """The static view of the slider figure: its first frame."""
    _draw_frame(fig, pal, data_shrinkage(), 4.4)
