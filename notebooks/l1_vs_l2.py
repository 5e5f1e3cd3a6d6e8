# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Why does L1 set weights to exactly zero? (companion notebook)
#
# The computations of the
# [L1 vs L2 page](https://why-small-weights.github.io/why-small-weights/l1_vs_l2/), ready to
# change. Everything comes from `snippets/l1_vs_l2.py` and the site's conventions in
# `snippets/conventions.py`, the same code that draws the page's figures. Run it in a clone of the
# repository after its set-up (`./run` installs the project into `.venv`, so `import snippets` works from
# any folder).

# %%
import numpy as np

from snippets import conventions, l1_vs_l2
from snippets.style import show

# %% [markdown]
# ## The two rules, in the simplest case
# With orthonormal features ($X^\top X = I$) both penalties act on each least-squares
# coefficient $z$ alone: ridge divides it by $1 + \lambda$, lasso soft-thresholds it,
# $\operatorname{sign}(z)\max(|z| - \lambda, 0)$. **Try it:** change `lam` and watch which
# coefficients the lasso sets to exactly zero.

# %%
lam = 1.0  # try 0.5, 3.0 or 6.0
fmt = lambda w: "[" + ", ".join(f"{v + 0.0:5.2f}" for v in w) + "]"  # noqa: E731
print("least squares:", fmt(l1_vs_l2.BEFORE))
print("ridge:        ", fmt(l1_vs_l2.ridge_fit(lam)))
print("lasso:        ", fmt(l1_vs_l2.lasso_fit(lam)))
print(
    "soft threshold of the least-squares coefficients:", fmt(conventions.soft_threshold(l1_vs_l2.BEFORE, lam))
)

# %% [markdown]
# The example vectors of the page's seed question, and the best ridge and lasso fits to them:

# %%
table = l1_vs_l2.rules_table()
for name, row in table["rows"].items():
    print(f"{name:>9}: {fmt(row)}")
for name, value in table["lams"].items():
    print(f"λ ({name}) = {value:.3f}")

# %%
show(l1_vs_l2.fig_rules)

# %% [markdown]
# ## The diamond and the disk
# The same budget $t$ for both balls, $\lVert w \rVert_1 \le t$ and $\lVert w \rVert_2 \le t$:
# the loss's contours first touch the diamond at a corner.

# %%
for key, (lam_ball, w) in l1_vs_l2.ball_optima().items():
    print(f"{key} ball: λ = {lam_ball:.3f}, w = ({w[0]:.4f}, {w[1]:.4f})")

# %%
show(l1_vs_l2.fig_diamond_disk)

# %% [markdown]
# ## Paths on a realistic problem
# $n = 100$ samples, $p = 15$ correlated features, four of them truly nonzero. Along the lasso
# path weights reach exactly zero one by one; ridge weights only approach zero.

# %%
X, y, w_true = l1_vs_l2.path_problem()
l_lams, l_path = l1_vs_l2.lasso_path()
r_lams, r_path = l1_vs_l2.ridge_path()
print(f"λ_max = {l1_vs_l2.lam_max(X, y):.1f}: above it every lasso weight is zero")
for i in (0, 10, 20, 30, 39):
    print(f"lasso, λ = {l_lams[i]:8.2f}: {int(np.sum(l_path[i] == 0)):>2} exact zeros")
print(f"ridge, whole path: {int(np.sum(r_path == 0))} exact zeros, smallest |w| = {np.abs(r_path).min():.1e}")

# %%
show(l1_vs_l2.fig_paths)

# %% [markdown]
# ## Exact zeros need the right optimiser
# Plain (sub)gradient descent on the L1 cost, as a network trainer runs it, never lands on zero:
# the weights the lasso zeroes only hover near it. **Try it:** pick another `lam_sub`.

# %%
lam_sub = float(l_lams[20])  # try l_lams[10] or l_lams[30]
w_sub = l1_vs_l2.subgradient_fit(lam_sub)
w_cd = conventions.lasso_cd(X, y, lam_sub)
print(f"λ = {lam_sub:.2f}")
print("coordinate descent (lasso):", fmt(w_cd))
print("subgradient descent:       ", fmt(w_sub))
print(f"exact zeros: {int(np.sum(w_cd == 0))} (lasso) vs {int(np.sum(w_sub == 0))} (subgradient)")

# %% [markdown]
# ## L1 in depth
# Under a Laplace prior $e^{-|w|/b}$ the posterior's peak is the lasso's soft threshold at
# $t = \tau^2/b$, but its mean is never exactly zero. **Try it:** change `z` or the prior scale `b`.

# %%
tau, b = l1_vs_l2.LAPLACE["tau"], l1_vs_l2.LAPLACE["b"]  # try b = 0.2 or 2.0
for z in (0.5, 1.0, 2.0, 4.0):
    print(
        f"z = {z}: MAP {float(l1_vs_l2.laplace_map(z, tau, b)):.3f}, "
        f"posterior mean {l1_vs_l2.laplace_mean(z, tau, b):.3f}"
    )

# %%
show(l1_vs_l2.fig_laplace)

# %% [markdown]
# With two strongly correlated features the lasso splits their weight arbitrarily; the elastic net
# keeps them together. And the lasso shrinks large weights by about λ, which the relaxed and the
# adaptive lasso undo.

# %%
lasso, enet = l1_vs_l2.stability_study()
print("w1 − w2 across data sets, lasso:      ", np.round(lasso[:, 0] - lasso[:, 1], 2))
print("w1 − w2 across data sets, elastic net:", np.round(enet[:, 0] - enet[:, 1], 2))
show(l1_vs_l2.fig_stability)

# %%
X, y, w_true = l1_vs_l2.bias_problem(200)
lam = l1_vs_l2.BIAS["lam"]  # try 10 or 60
for name, fit in (
    ("lasso", conventions.lasso_cd(X, y, lam)),
    ("relaxed lasso", l1_vs_l2.relaxed_lasso(X, y, lam)),
    ("adaptive lasso", l1_vs_l2.adaptive_lasso(X, y, lam)),
):
    error = np.linalg.norm(fit - w_true)
    print(f"{name:>15}: first four weights {np.round(fit[:4], 2)}, distance to truth {error:.2f}")
