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
# # What does the L2 penalty do, and why is it called weight decay? (companion notebook)
#
# The computations of the
# [L2 penalty page](https://why-small-weights.github.io/why-small-weights/l2_penalty/), ready to
# change. Everything comes from `snippets/l2_penalty.py` and the site's conventions in
# `snippets/conventions.py`, the same code that draws the page's figures. Run it in a clone of the
# repository after its set-up (`./run` installs the project into `.venv`, so `import snippets` works from
# any folder).

# %%
import numpy as np

from snippets import conventions, l2_penalty
from snippets.style import show

# %% [markdown]
# ## The penalised cost and the disk
# The L2 cost is $J(w) = L(w) + \frac{\lambda}{2n}\lVert w \rVert_2^2$ with
# $L(w) = \frac{1}{2n}\lVert Xw - y \rVert^2$. Minimising it is the same as minimising $L$ on a
# disk $\lVert w \rVert_2 \le r$: each radius $r$ has its $\lambda$.

# %%
X, y = l2_penalty.toy_problem()
d = l2_penalty.geometry_data()
print(
    f"least squares (λ = 0):  w = ({d['w_ls'][0]:.3f}, {d['w_ls'][1]:.3f}),",
    f"‖w‖ = {np.linalg.norm(d['w_ls']):.3f}",
)
print(
    f"on the disk of radius {l2_penalty.RADIUS}: λ* = {d['lam_star']:.2f}, "
    f"w* = ({d['w_star'][0]:.3f}, {d['w_star'][1]:.3f})"
)

# %%
show(l2_penalty.fig_geometry)

# %% [markdown]
# **Try it:** pick another radius $r$ and find its $\lambda$ (a smaller disk needs a larger
# penalty).

# %%
r = 0.5  # try 0.25, 1.5 or 2.0
lam = l2_penalty.lam_for_radius(X, y, r)
w = conventions.ridge(X, y, lam)
print(f"r = {r}: λ = {lam:.2f}, w = ({w[0]:.3f}, {w[1]:.3f}), ‖w‖ = {np.linalg.norm(w):.3f}")

# %% [markdown]
# ## λ too small, too large, and the sweet spot
# Ridge on $p = 30$ correlated features with only $n = 40$ training points: training error
# rises with $\lambda$, held-out error first falls, then rises.

# %%
lams, train, held_out = l2_penalty.validation_curve()
best = int(np.argmin(held_out))
for i in (0, best, len(lams) - 1):
    print(f"λ = {lams[i]:<8.3g} training MSE {train[i]:.3f}   held-out MSE {held_out[i]:.3f}")

# %%
show(l2_penalty.fig_validation)

# %% [markdown]
# ## Why it is called weight decay
# One gradient step on the L2 cost multiplies every weight by $1 - \eta\lambda/n$ before the
# data's gradient moves it: a weight the data no longer pushes shrinks by a constant *factor*
# per step, not a constant amount. **Try it:** change the penalty `lam` or the step size `eta`.

# %%
eta, lam, n, w0 = 0.05, 40.0, 100, 10.0  # the page's values; try lam = 10 or eta = 0.2
sequence = l2_penalty.decay_sequence(w0, 5, eta, lam, n)
print("factor per step 1 − ηλ/n =", f"{conventions.decay_factor(eta, lam, n):.3f}")
print("weights:", ", ".join(f"{v:.3f}" for v in sequence))
print(f"half-life: {l2_penalty.half_life(eta, lam, n):.1f} steps")

# %%
show(l2_penalty.fig_decay)

# %% [markdown]
# With mini-batches of size $b$ every step applies the factor, and an epoch has $n/b$ steps: the
# factor per epoch is $(1 - \eta\lambda/n)^{n/b}$. At a fixed step size, halving the batch size
# doubles the decay per epoch.

# %%
page = l2_penalty.DECAY  # the measurement uses the page's η, λ and n
for b, f in l2_penalty.epoch_factors().items():
    steps = page["n"] // b
    closed = conventions.decay_factor(page["eta"], page["lam"], page["n"]) ** steps
    print(f"batch size {b:>3}: {steps:>3} steps per epoch, measured factor {f:.4f}, closed form {closed:.4f}")

# %% [markdown]
# ## L2 as a Gaussian prior
# With Gaussian noise of standard deviation $\sigma$ and a Gaussian prior of width $s$ on the
# weights, the most probable weights are the ridge solution with $\lambda = \sigma^2/s^2$.
# **Try it:** a wider prior (larger `s`) means a smaller penalty.

# %%
s = 0.5  # the prior's standard deviation; try 0.1 or 2.0
sigma = l2_penalty.PRIOR["sigma"]
Xp, yp = l2_penalty.prior_data(l2_penalty.PRIOR["n"])
w_map = l2_penalty.map_estimate(Xp, yp, sigma, s)
w_ridge = conventions.ridge(Xp, yp, sigma**2 / s**2)
print(
    f"λ = σ²/s² = {sigma**2 / s**2:.2f}; MAP = ({w_map[0]:.3f}, {w_map[1]:.3f}), "
    f"ridge = ({w_ridge[0]:.3f}, {w_ridge[1]:.3f})"
)

# %%
show(l2_penalty.fig_prior)

# %% [markdown]
# The prior's centre matters less and less as data accumulate:

# %%
for n_points, gap in l2_penalty.prior_centre_gaps().items():
    print(f"n = {n_points:>5}: ‖ŵ(prior at w₀) − ŵ(prior at 0)‖ = {gap:.2e}")
