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
# # Why do large weights mean high variance? (companion notebook)
#
# The computations of the
# [bias and variance page](https://why-small-weights.github.io/why-small-weights/bias_variance/),
# ready to change. Everything comes from `snippets/bias_variance.py`, the same code that draws
# the page's figures. Run it in a clone of the repository after its set-up (`./run` installs the project
# into `.venv`, so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import bias_variance as bv
from snippets.style import show

# %% [markdown]
# ## Many training sets, many fits
# Ten points at fixed $x$, targets $\sin(2\pi x)$ plus fresh noise each time, a degree-9
# polynomial fitted by least squares and by ridge. The least-squares fits swing from one training
# set to the next; so do their weights.

# %%
mc = bv.monte_carlo()
sd_ls, sd_ridge = mc["ls"]["w"].std(axis=0, ddof=1), mc["ridge"]["w"].std(axis=0, ddof=1)
print(f"{bv.N_DRAWS} training sets; ridge with λ = {bv.lam_best():.3g} (the best λ of the grid)")
print("standard deviation of each weight, least squares:", ", ".join(f"{v:.3g}" for v in sd_ls))
print("standard deviation of each weight, ridge:        ", ", ".join(f"{v:.3g}" for v in sd_ridge))

# %%
show(bv.fig_fits_overlaid)

# %%
show(bv.fig_weight_spread)

# %% [markdown]
# ## Correlated features
# Two features with correlation close to 1: the data pin down their sum well and their
# difference badly. The covariance of the weights over redrawn noise is
# $\sigma^2 (Z^\top Z + \lambda I)^{-1} Z^\top Z (Z^\top Z + \lambda I)^{-1}$.
# **Try it:** change `lam`.

# %%
X = bv.correlated_design()
lam = bv.CORR_LAM  # the page: 2; try 0.1 or 20
print(
    f"sample correlation {np.corrcoef(X.T)[0, 1]:.3f}, condition number of XᵀX {np.linalg.cond(X.T @ X):.0f}"
)
for name, value in (("least squares", 0.0), (f"ridge λ = {lam:g}", lam)):
    sd = np.sqrt(np.diag(bv.weight_cov_closed(X, bv.CORR_SD, value)))
    print(f"{name:>16}: standard deviations of w₁, w₂: {sd[0]:.3f}, {sd[1]:.3f}")

# %%
show(bv.fig_correlated_weights)

# %% [markdown]
# ## Bias² and variance against λ
# The expected test error is $\sigma^2 + \text{bias}^2 + \text{variance}$; ridge trades variance
# for bias. **Try it:** evaluate the closed forms at values of $\lambda$ of your own.

# %%
for lam in (0.0, 1e-6, bv.lam_best(), 1e-2, 1.0):  # try your own
    bias2, var, error = bv.bias_variance_closed(lam)
    print(f"λ = {lam:<8.3g} bias² {bias2:9.3g}  variance {var:9.3g}  expected test error {error:.4f}")

# %%
show(bv.fig_tradeoff)
