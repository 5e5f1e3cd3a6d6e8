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
# # Where exactly does L2 shrink the weights? (companion notebook)
#
# The computations of the
# [L2 in depth page](https://why-small-weights.github.io/why-small-weights/l2_in_depth/), ready to
# change. Everything comes from `snippets/l2_in_depth.py`, the same code that draws the page's
# figures. Run it in a clone of the repository after its set-up (`./run` installs the project into `.venv`,
# so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import l2_in_depth
from snippets.style import show

# %% [markdown]
# ## The quadratic picture
# Near its minimum $w^*$ the loss is a quadratic with Hessian eigenvalues $\mu_i$. The L2
# penalty keeps the share $\frac{\mu_i}{\mu_i + \lambda/n}$ of $w^*$ along each eigenvector:
# almost all of it along a steep direction, little along a flat one. **Try it:** change `lam`.

# %%
lam, n = l2_in_depth.LAM_SHOW, l2_in_depth.N_QUAD  # the page: λ = 2.5, n = 10; try lam = 0.1 or 20
for label, mu in (("steep", l2_in_depth.MU_STEEP), ("flat", l2_in_depth.MU_FLAT)):
    print(f"{label:>5} direction, μ = {mu:<4}: kept share {l2_in_depth.shrink_factor(mu, lam, n):.3f}")
w_star, w_tilde = l2_in_depth.w_star(), l2_in_depth.regularised_optimum(lam, n)
print(f"w* = ({w_star[0]:.3f}, {w_star[1]:.3f})  →  w̃ = ({w_tilde[0]:.3f}, {w_tilde[1]:.3f})")
print(f"the loss rises by only {l2_in_depth.quadratic_loss(w_tilde):.4f}")

# %%
show(l2_in_depth.fig_quadratic)

# %% [markdown]
# ## Ridge regression through the singular value decomposition
# With $X = U \operatorname{diag}(d) V^\top$, ridge keeps the share $\frac{d_i^2}{d_i^2 + \lambda}$
# of the least-squares solution along each $v_i$. The effective degrees of freedom
# $\mathrm{df}(\lambda) = \sum_i \frac{d_i^2}{d_i^2 + \lambda}$ count how many directions survive.

# %%
_, d, _ = l2_in_depth.svd_design()
print("singular values d_i:", ", ".join(f"{v:.3g}" for v in d))
for lam in (1e-3, 1.0, 100.0):  # try your own
    kept = ", ".join(f"{v:.2f}" for v in l2_in_depth.ridge_factor(d, lam))
    print(f"λ = {lam:<6g} df = {l2_in_depth.effective_df(lam)[0]:.2f}   kept shares: {kept}")

# %%
show(l2_in_depth.fig_ridge_svd)

# %% [markdown]
# ## Early stopping as implicit L2
# After $\tau$ steps of gradient descent from zero, the share kept along a direction of
# curvature $\mu$ is $1 - (1 - \eta\mu)^\tau$; the L2 penalty with $\lambda/n = 1/(\tau\eta)$ keeps
# $\frac{\eta\mu}{\eta\mu + 1/\tau}$. The two filters differ by at most about 0.2, whatever
# $\tau$. **Try it:** change the values of `tau`.

# %%
eta, n_poly = l2_in_depth.step_size(), l2_in_depth.N_POLY
for tau in (1, 10, 100, 10_000):  # try 3 or 1000
    gap, where = l2_in_depth.max_filter_gap(tau)
    print(
        f"τ = {tau:>6}: matched λ = {l2_in_depth.matched_lambda(tau, eta, n_poly):10.4g}, "
        f"largest filter gap {gap:.3f} (at ημ = {where:.2g})"
    )
worst, at = l2_in_depth.continuum_worst()
print(f"as τ → ∞ the largest gap tends to {worst:.3f}, at τημ = {at:.2f}")

# %%
show(l2_in_depth.fig_early_stopping)

# %% [markdown]
# The filters on this design's own spectrum, for one $\tau$:

# %%
tau = 100
eta_mu = eta * l2_in_depth.hessian_eigenvalues()
gd, l2 = l2_in_depth.gd_filter(eta_mu, tau), l2_in_depth.matched_l2_filter(eta_mu, tau)
for a, b, c in zip(eta_mu, gd, l2, strict=True):
    print(f"ημ = {a:9.2e}: gradient descent keeps {b:.3f}, L2 keeps {c:.3f}")
print(f"largest difference: {np.max(np.abs(gd - l2)):.3f}")
