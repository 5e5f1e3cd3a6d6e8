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
# site's figures. Run it in a clone of the repository after its set-up (`./run` installs the project into
# `.venv`, so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import occam
from snippets.style import show

# %% [markdown]
# ## Ten points and two models
# Ten noisy measurements of the line $y = 1 + 2x$ (noise of standard deviation $\sigma$), and two
# models fitted to them: the least-squares line $f_1(x) = w_0 + w_1 x$ and the degree-9
# polynomial $f_9(x) = \sum_{k=0}^{9} w_k x^k$, which passes through every point.

# %%
x, y = occam.observations()
line, poly9 = occam.fits()
print(f"n = {len(x)} points, x from {x.min():.2f} to {x.max():.2f}, noise σ = {occam.NOISE}")
print(f"training RMS of the line:                       {occam.rms(line(x) - y):.3f}")
print(f"largest training residual of the degree-9 fit:  {np.max(np.abs(poly9(x) - y)):.1e}")

# %%
show(occam.fig_fits)

# %% [markdown]
# ## Where they agree and where they do not
# At the data the two models differ by no more than the line's residuals; between the points
# and beyond them, by much more.

# %%
xs, inside = occam.regions()
print(f"largest gap at the observations: {occam.disagreement(x).max():.2f}")
print(f"largest gap inside the data:     {occam.disagreement(xs[inside]).max():.1f}")
print(f"largest gap just beyond it:      {occam.disagreement(xs[~inside]).max():.0f}")

xt, yt = occam.fresh_test_points()
print(
    f"held-out RMS on {len(xt)} fresh points: line {occam.rms(line(xt) - yt):.3f}, "
    f"degree 9 {occam.rms(poly9(xt) - yt):.3f}"
)

# %%
show(occam.fig_disagreement)

# %% [markdown]
# ## A penalty you can turn
# Keep all ten parameters, but add the L2 penalty $\frac{\lambda}{2n}\lVert w \rVert^2$. As the
# penalty strength $\lambda$ grows, the wiggles go. **Try it:** put your own values of $\lambda$
# in `LAMBDAS`.

# %%
LAMBDAS = (1e-8, 1e-4, 1e-2, 1.0)  # try 1e-6, 0.1 or 100

for lam in LAMBDAS:
    turns = occam.turning_points(occam.ridge_curve(lam, xs[inside]))
    held_out = occam.rms(occam.ridge_curve(lam, xt) - yt)
    print(f"λ = {lam:<6g}  turning points inside the data: {turns}   held-out RMS: {held_out:.3f}")

# %%
show(occam.fig_ridge_sweep)

# %% [markdown]
# ## The razor in numbers: the evidence
# The evidence (marginal likelihood) of each polynomial degree, with the noise level σ and the prior
# width s of the weights fitted by maximising it, split into the best fit and the Occam factor.
# **Try it:** fix σ and s yourself: `occam.log_evidence(d, 1 / s**2, 1 / σ**2)`.

# %%
for row in occam.evidence_table():
    print(
        f"degree {row['degree']}:  ln evidence {row['log_evidence']:7.2f} = ln fit {row['log_fit']:7.2f}"
        f" + ln Occam factor {row['log_occam']:7.2f}"
    )
choice = occam.lambda_choices()
print(f"λ from the evidence: {choice['lam_evidence']:.3f};  λ from leave-one-out CV: {choice['lam_cv']:.3f}")

# %%
show(occam.fig_evidence)

# %% [markdown]
# ## Mercury
# General relativity's extra perihelion advance per orbit is
# $\Delta\omega = \frac{6\pi GM}{c^2 a (1 - e^2)}$; per century, in arcseconds:

# %%
print(f"{occam.perihelion_arcsec_per_century():.2f} arcseconds per century")
print(
    f"starlight grazing the Sun: {occam.light_deflection_arcsec('newton'):.2f}″ (Newton), "
    f"{occam.light_deflection_arcsec('einstein'):.2f}″ (Einstein)"
)

# %% [markdown]
# ## Try it: more noise, another draw
# The data come from the module's settings `occam.NOISE` and `occam.SEED`. Change them, clear
# the cache of the fits, and look again: with more noise the line stays put while the
# polynomial swings wider. (This changes the module for the rest of the session; restart the
# kernel to get the page's data back.)

# %%
occam.NOISE = 0.3  # the page uses 0.15
occam.SEED = 0  # try 1, 2, 3 …
occam.fits.cache_clear()

x, y = occam.observations()
line, poly9 = occam.fits()
xt, yt = occam.fresh_test_points()
print(f"held-out RMS, line:     {occam.rms(line(xt) - yt):.3f}")
print(f"held-out RMS, degree 9: {occam.rms(poly9(xt) - yt):.3f}")

show(occam.fig_fits)
