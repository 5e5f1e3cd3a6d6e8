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
# # Short answers: rescaling a ReLU network (companion notebook)
#
# The computations behind the caveat on the
# [short answers page](https://why-small-weights.github.io/why-small-weights/faq/), ready to
# change. Everything comes from `snippets/faq.py`, the same code that draws the page's figures.
# Run it in a clone of the repository after its set-up (`./run` installs the project into `.venv`, so
# `import snippets` works from any folder).

# %%
import numpy as np

from snippets import faq
from snippets.style import show

# %% [markdown]
# ## A bias-free ReLU network
# $f(x) = W_D\,\varphi(W_{D-1} \cdots \varphi(W_1 x))$ with $\varphi(z) = \max(z, 0)$ and no
# biases: $D = 3$ weight matrices, two hidden layers of 16 units, two inputs, one output.
# Because $\varphi(cz) = c\,\varphi(z)$ for $c > 0$, constants move freely through the layers.

# %%
weights, X = faq.random_network(), faq.inputs()
f0 = faq.relu_network(weights, X)
print("layer shapes:", ", ".join(f"{W.shape[0]}×{W.shape[1]}" for W in weights))
print(f"{len(X)} inputs, outputs up to {np.max(np.abs(f0)):.2f} in size")
print(f"sum of squared weights ‖θ‖² = {faq.squared_norm(weights):.1f}")

# %% [markdown]
# ## Scaling every weight by $c$ multiplies the output by $c^D$
# and leaves its sign, the classifier's decision, unchanged. **Try it:** change `c`.

# %%
c = 0.5  # try 0.1, 2 or 10
fc = faq.relu_network(faq.scale_all(weights, c), X)
keep = np.abs(f0) > 1e-12
print(
    f"c = {c}: output ratio f_c/f from {np.min(fc[keep] / f0[keep]):.6f} to {np.max(fc[keep] / f0[keep]):.6f}"
)
print(
    f"c^D = {c ** len(weights):.6f}; signs agree at {np.mean(np.sign(fc) == np.sign(f0)):.0%} of the inputs"
)

# %%
show(faq.fig_scale_all)

# %% [markdown]
# ## Rescaling one layer up and the next down
# Multiply $W_2$ by $a$ and divide $W_3$ by $a$: the function is identical, the sum of squared
# weights is not. **Try it:** change `a`.

# %%
a = 10.0  # try 0.1, 0.5 or 3
rebalanced = faq.rebalance(weights, faq.LAYER, a)
change = np.max(np.abs(faq.relu_network(rebalanced, X) - f0))
print(f"a = {a}: ‖θ‖² = {faq.squared_norm(rebalanced):.1f} (was {faq.squared_norm(weights):.1f}), ", end="")
print(f"largest output change {change:.0e}")

n2, n3 = np.linalg.norm(weights[faq.LAYER]), np.linalg.norm(weights[faq.LAYER + 1])
a_star = np.sqrt(n3 / n2)
print(f"cheapest at a* = √(‖W₃‖/‖W₂‖) = {a_star:.3f}: ‖θ‖² = ", end="")
print(f"{faq.squared_norm(faq.rebalance(weights, faq.LAYER, a_star)):.1f}")
print(f"cheapest over every rescaling of whole layers: {faq.balanced_norm(weights):.1f}")
cheapest = faq.balance_units(weights)
print(f"cheapest over every rescaling of single units: {faq.squared_norm(cheapest):.2f}")

# %%
show(faq.fig_rebalance)

# %% [markdown]
# ## One unit at a time
# Each hidden unit can be rescaled on its own: incoming weights times $s > 0$, outgoing weights
# divided by it. **Try it:** make the random factors wilder with `spread`.

# %%
spread = 1.5  # standard deviation of log s; try 0.1 or 3
scales = np.exp(np.random.default_rng(9).normal(0, spread, faq.WIDTHS[faq.LAYER + 1]))
per_unit = faq.rescale_neurons(weights, faq.LAYER, scales)
change = np.max(np.abs(faq.relu_network(per_unit, X) - f0))
print(f"‖θ‖² = {faq.squared_norm(per_unit):.0f}, largest output change {change:.0e}")

# %% [markdown]
# ## The path norm: what no rescaling can change
# The sum, over every path from an input to the output, of the product of the squared weights
# along it (square-rooted). Normalising every hidden unit's incoming weights to length 1 moves all
# the scale into the output weights, whose length is then the path norm. **Try it:** check that
# `faq.path_norm(per_unit)` is the same as for the original weights.

# %%
print(f"path norm ‖θ‖_path = {faq.path_norm(weights):.4f},", end=" ")
print(f"after random unit factors {faq.path_norm(per_unit):.4f}")
normalised = faq.normalise_units(weights)
print(f"output weights' length after normalising the units: {np.linalg.norm(normalised[-1]):.4f}")
bound, slope = faq.spectral_bound(weights), faq.lipschitz_estimate(weights)
print(f"Lipschitz bound Π‖W‖₂ = {bound:.2f}, steepest slope {slope:.2f}")
