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
# # What does weight decay do when a layer is normalised? (companion notebook)
#
# The computations of the
# [normalisation page](https://why-small-weights.github.io/why-small-weights/normalization/), ready
# to change. Everything comes from `snippets/normalization.py`, the code that draws the page's
# figures.

# %%
import numpy as np

from snippets import normalization as nz
from snippets.style import show

# %% [markdown]
# ## Scale does not matter
# Multiply the rows of $W$ by positive factors: the outputs stay the same and the gradient is
# divided by the factor. **Try it:** change `c`.

# %%
c = 7.0  # try 0.01 or 1000
check = nz.invariance_check(c)
for name, r in check.items():
    print(f"{name:>9}: output change {r['output_change']:.1e}, ", end="")
    print(f"gradient × factor − gradient {r['grad_ratio_error']:.1e}")

# %% [markdown]
# ## The norm, the effective step and the equilibrium angle
# One run per decay for a single seed (the page uses ten seeds). **Try it:** change `eta` or
# the decays; once the norm has settled, the angle per step follows
# $\arccos(1 - \eta\,\mathrm{wd}) \approx \sqrt{2\eta\,\mathrm{wd}}$. Small decays take longer
# to settle (about $1/(\eta\,\mathrm{wd})$ steps).

# %%
eta = 0.2  # try 0.1 or 0.4
wds = np.array([0.0, 0.008, 0.032])
run = nz.train(np.zeros(wds.size, dtype=int), wds, eta=eta, steps=3000)
measured = nz.rms_angle(run["angle"])
for wd, norm, angle in zip(wds, run["norm"][-1], measured, strict=True):
    predicted = nz.predicted_angle(eta, wd) if wd > 0 else float("nan")
    print(f"wd = {wd:5.3f}: final ‖W‖ {norm:5.2f}, effective step {eta / norm**2:.3f}, ", end="")
    print(f"angle per step {angle:.4f} (predicted {predicted:.4f})")

# %%
show(nz.fig_norm)

# %%
show(nz.fig_angle)
