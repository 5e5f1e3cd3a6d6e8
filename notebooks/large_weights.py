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
# # What does overfitting do to the weights? (companion notebook)
#
# The computations of the
# [large weights page](https://why-small-weights.github.io/why-small-weights/large_weights/),
# ready to change. Everything comes from `snippets/large_weights.py`, the same code that draws the
# page's figures. Run it in a clone of the repository after its set-up (`./run` installs the project into
# `.venv`, so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import large_weights as lw
from snippets.style import show

# %% [markdown]
# ## Ten points, four degrees
# Ten noisy samples of $\sin(2\pi x)$, fitted by polynomials of growing degree. As the fit
# approaches interpolation, the coefficients explode.

# %%
print(f"{'degree':>6} {'max |coef|, raw x':>18} {'‖w‖ standardised':>17}", end="")
print(f" {'train RMSE':>11} {'held-out RMSE':>14}")
for m, row in lw.degree_table().items():
    print(
        f"{m:>6} {row['max_raw']:>18.4g} {row['norm_std']:>17.4g} {row['train']:>11.3f} {row['test']:>14.3f}"
    )

# %% [markdown]
# ## An L2 penalty tames them
# The degree-9 model on standardised powers of $x$, with a growing penalty $\lambda$.
# **Try it:** put your own values in `lams`.

# %%
lams = (0.0, 1e-6, 1e-3, 1.0, 100.0)  # the page's table; try 1e-4 or 0.1
x, y = lw.data()[:2]
for lam in lams:
    w, b = lw.fit_poly(9, lam)
    train = lw.rmse(lw.predict(x, 9, w, b), y)
    held_out = lw.held_out_rmse(9, w, b)
    print(
        f"λ = {lam:<6g} ‖w‖ = {np.linalg.norm(w):10.4g}  train {train:.3f}  held-out {held_out:.3f}", end=""
    )
    print(f"  turning points {lw.turning_points(lw.GRID, 9, w)}")

# %%
show(lw.fig_fits_across_lambda)

# %% [markdown]
# ## Units: why "small" needs a ruler
# The same interpolant, written for $x$ in $[0, 1]$, for $u = 10x$ in $[0, 10]$, and for
# standardised powers: the size of its coefficients depends entirely on the encoding.

# %%
u = lw.units()
for key, label in (("unit", "x in [0, 1]"), ("ten", "u = 10x"), ("std_unit", "standardised")):
    print(f"{label:>14}: largest |coefficient| {np.max(np.abs(u[key])):.3g}")

# %%
show(lw.fig_units)

# %% [markdown]
# ## Shrinking after training is not regularization
# Scale the interpolant's weights down to the norm of a ridge fit: the wiggles stay (only
# smaller), and the held-out error stays poor. The ridge fit of the same norm is a different
# curve.

# %%
s = lw.shrink_vs_ridge()
print(f"shrink factor c = {s['factor']:.2e}")
for k in ("interpolant", "shrunk", "ridge"):
    print(f"{k:>11}: ‖w‖ = {s['norm'][k]:9.4g}, turning points {s['turning'][k]}, ", end="")
    print(f"held-out RMSE {s['test'][k]:.3f}")

# %% [markdown]
# **Try it:** any factor of your own.

# %%
factor = 1e-3  # try 1e-5, 0.01 or 0.5
w_ls, b_ls = s["models"]["interpolant"]
print(f"factor {factor:g}: held-out RMSE {lw.held_out_rmse(9, factor * w_ls, b_ls):.3f}, ", end="")
print(f"turning points {lw.turning_points(lw.GRID, 9, factor * w_ls)}")

# %%
show(lw.fig_shrink_vs_ridge)

# %% [markdown]
# ## The norm always falls; single weights need not
# Along the ridge path of three correlated features, $\lVert w \rVert$ falls steadily, but one
# weight changes sign and the sum of the weights first rises.

# %%
for key, value in lw.path_summary().items():
    print(f"{key:>13}: {value:.4g}")

# %%
show(lw.fig_ridge_path)
