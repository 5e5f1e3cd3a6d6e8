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
# # What do small weights buy a network, mathematically? (companion notebook)
#
# The computations of the
# [Lipschitz page](https://why-small-weights.github.io/why-small-weights/lipschitz/), ready to
# change. Everything comes from `snippets/lipschitz.py`, the same code that draws the page's
# figures. Run it in a clone of the repository after its set-up (`./run` installs the project into `.venv`,
# so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import lipschitz
from snippets.style import show

# %% [markdown]
# ## The bound, one layer at a time
# A network $f$ is $K$-Lipschitz if $\lVert f(x) - f(x') \rVert \le K \lVert x - x' \rVert$. Each
# layer stretches distances by at most $\max|\varphi'| \cdot \lVert W_l \rVert_2$, so
# $K \le \prod_l \max|\varphi'|\,\lVert W_l \rVert_2$. The activations' steepest slopes:

# %%
for act in ("sigmoid", "tanh", "relu"):
    top, where = lipschitz.max_slope(act)
    print(f"{act:>8}: max |φ′| = {top:.4f}")

# %% [markdown]
# **Try it:** build a random network (`act`, `depth`, weight scale `c`) and compare the bound
# with the measured constant: exact for a bias-free ReLU network (every linear piece is listed),
# otherwise the largest Jacobian norm a search finds, a lower estimate of the true $K$.

# %%
act, depth, c = "tanh", 4, 1.0  # try "relu", depth 6, c = 0.5 or 2
net = lipschitz.make_net(act, depth, c)
measured, bound = lipschitz.measured_k(net), lipschitz.lipschitz_bound(net)
kind = "K =" if lipschitz.certified(net) else "K ≥"
print("layer factors max|φ′|·‖W_l‖₂:", ", ".join(f"{v:.3f}" for v in lipschitz.layer_factors(net)))
print(f"bound {bound:.3f}, measured {kind} {measured:.3f}: the bound is {bound / measured:.1f} times larger")

# %%
show(lipschitz.fig_relu_depth)

# %%
show(lipschitz.fig_bound)

# %% [markdown]
# ## What an L2 penalty actually controls
# The penalty charges $\sum_l \lVert W_l \rVert_F^2$, which bounds the product of the spectral
# norms only loosely. Two networks with the same penalty can have very different $K$:

# %%
spread, aligned = lipschitz.equal_penalty_pair()
for name, n in (("orthogonal layers", spread), ("rank-one layers", aligned)):
    penalty, k = lipschitz.weight_penalty_sum(n), lipschitz.measured_k(n)
    print(f"{name:>17}: Σ‖W_l‖²_F = {penalty:.2f}, K ≈ {k:.3f}")

chain = lipschitz.penalty_chain(lipschitz.make_net("tanh", 6, 1.0, seed=6))
print("measured K ≤ spectral bound ≤ Frobenius bound ≤ penalty bound:")
print(" ≤ ".join(f"{chain[k]:.3g}" for k in ("measured", "spectral", "frobenius", "penalty")))

# %% [markdown]
# ## Robustness: a certified radius
# If $f$ is $K$-Lipschitz and $f(x) \ne 0$, no perturbation shorter than $|f(x)|/K$ can flip the
# sign of $f$. A small tanh classifier trained with an L2 penalty, its certified radii, and the
# closest flips an attack finds:

# %%
r = lipschitz.robustness()
ratio = r["found"] / r["certified"]
print(f"K ≤ {r['K']:.2f} (bound), K ≥ {r['K_measured']:.2f} (measured)")
print(
    f"{len(ratio)} correctly classified test points: the closest flip found is {ratio.min():.2f} to ", end=""
)
print(f"{ratio.max():.2f} times the certified radius (median {np.median(ratio):.2f})")

# %%
show(lipschitz.fig_robust)
