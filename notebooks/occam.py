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
# # Is the simpler model more likely to be right? (companion notebook)
#
# The computations of the [Occam page](https://why-small-weights.github.io/why-small-weights/occam/),
# ready to change. Everything comes from `snippets/occam.py`, the same code that draws the
# site's figures. Run it from a clone of the repository (the first cell finds the repository's
# root and puts it on the import path).

# %%
import sys
from pathlib import Path

root = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "snippets" / "occam.py").is_file())
sys.path.insert(0, str(root))

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from snippets import occam, style  # noqa: E402

# %% [markdown]
# ## Ten points and two models
# The observations, and the line and degree-9 polynomial fitted to them.

# %%
x, y = occam.observations()
line, poly9 = occam.fits()
print("training RMS of the line:", round(occam.rms(line(x) - y), 3))
print("largest training residual of the degree-9 polynomial:", float(np.max(np.abs(poly9(x) - y))))

# %%
with plt.rc_context(style.rc(style.LIGHT)):
    fig = plt.figure()
    occam.fig_fits(fig, style.LIGHT)
    plt.show()

# %% [markdown]
# ## Try it: change the noise or the number of points
# Edit `occam.NOISE` or `occam.SEED`, then re-run the cells below (the fits are cached, so clear
# the cache first).

# %%
occam.fits.cache_clear()
xt, yt = occam.fresh_test_points()
line, poly9 = occam.fits()
print("held-out RMS, line:", round(occam.rms(line(xt) - yt), 3))
print("held-out RMS, degree 9:", round(occam.rms(poly9(xt) - yt), 3))

# %% [markdown]
# ## A penalty you can turn
# The degree-9 model with the L2 penalty λ: as λ grows, the wiggles go.

# %%
xs = np.linspace(x.min(), x.max(), 400)
for lam in (1e-8, 1e-4, 1e-2, 1.0):
    print(f"λ = {lam:g}: turning points inside the data = {occam.turning_points(occam.ridge_curve(lam, xs))}")

# %%
with plt.rc_context(style.rc(style.LIGHT)):
    fig = plt.figure()
    occam.fig_ridge_sweep(fig, style.LIGHT)
    plt.show()

# %% [markdown]
# ## Mercury
# General relativity's perihelion advance, in arcseconds per century.

# %%
print(round(occam.perihelion_arcsec_per_century(), 2))
