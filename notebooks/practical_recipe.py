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
# # What should I do on Monday? (companion notebook)
#
# The computations of the
# [practical recipe page](https://why-small-weights.github.io/why-small-weights/practical_recipe/),
# ready to change. Everything comes from `snippets/practical_recipe.py` and the site's
# conventions in `snippets/conventions.py`, the same code that draws the page's figures. Run it
# in a clone of the repository after its set-up (`./run` installs the project into `.venv`, so
# `import snippets` works from any folder).

# %%
import numpy as np

from snippets import conventions, practical_recipe
from snippets.style import show

recipe = practical_recipe  # a shorter name

# %% [markdown]
# ## 1. Put the features on one scale, and leave the intercept alone
# The penalty $\frac{\lambda}{2n}\lVert w \rVert^2$ charges every weight the same, so a
# feature's units decide how much it is penalised, unless the features are standardised. And
# penalising the intercept makes the fit depend on where zero is on the $y$ axis.
# **Try it:** change the unit factor or the shift.

# %%
factor = 1000.0  # metres → millimetres; try 0.001 or 10
raw, standardised = recipe.units_effect(lam=40.0, factor=factor)
print(f"feature 2 rescaled by {factor:g}: fitted values move by up to {raw:.3f} on raw features, ", end="")
print(f"{standardised:.1e} on standardised ones")

shift = 30.0  # try 5 or 100
X1, y1 = recipe.intercept_data()
for name, r in recipe.shift_effect(X1, y1, recipe.LAM_INTERCEPT, shift).items():
    moved = r["fit_moves_by"]
    print(f"{name:>9} intercept: slope changes by {r['slope_change']:.3f}, ", end="")
    print(f"fitted values move by {moved.min():.2f} … {moved.max():.2f}")

# %%
show(recipe.fig_intercept)

# %% [markdown]
# ## 2. Choose λ by k-fold cross-validation
# Five folds, 41 values of $\lambda$; the minimum of the CV error, and the largest $\lambda$ whose
# error is within one standard error of it ("one-SE rule").

# %%
cv = recipe.cv_curve()
for label, i in (("minimum", cv["best"]), ("one-SE choice", cv["one_se"])):
    print(f"{label:>13}: λ = {cv['lams'][i]:8.3g}, CV error {cv['cv'][i]:.2f}, ", end="")
    print(f"error on fresh data {cv['test'][i]:.2f}")

# %%
show(recipe.fig_cv)

# %% [markdown]
# **Try it:** draw another data set (another `seed`) and see how far the two choices move.

# %%
seed = 5  # try any integer
X, y = recipe.cv_data(seed=seed)
s = recipe.cv_summary(X, y)
lam_min, lam_1se = s["lams"][s["best"]], s["lams"][s["one_se"]]
print(f"seed {seed}: minimum at λ = {lam_min:.3g}, one-SE choice at λ = {lam_1se:.3g}")

# %% [markdown]
# ## 3. Dropout and input noise are L2 penalties in disguise
# Averaged over the random masks, the loss with inverted dropout (keep probability $q$) is the
# plain loss plus $\frac{1-q}{q} \sum_j \lVert x_j \rVert^2 w_j^2$: a ridge penalty scaled per
# feature. Gaussian input noise of standard deviation $\nu$ is ridge with $\lambda = n\nu^2$.

# %%
d = recipe.dropout_check()
for q, mc, se, exact in zip(
    d["q"], d["inverted"]["mc"], d["inverted"]["se"], d["inverted"]["exact"], strict=True
):
    print(f"q = {q:.1f}: Monte Carlo {mc:8.2f} ± {se:.2f}, closed form {exact:8.2f}")

# %%
show(recipe.fig_dropout)

# %% [markdown]
# **Try it:** least squares on noisy copies of the data lands on the ridge solution with
# $\lambda = n\nu^2$. Change `nu`.

# %%
nu = 1.0  # try 0.3 or 2.5
Xn, yn = recipe.noise_data()
augmented = recipe.noise_augmented_fit(Xn, yn, nu)
ridge = conventions.ridge(Xn, yn, recipe.noise_lambda(nu, len(yn)))
print(f"ν = {nu}: λ = nν² = {recipe.noise_lambda(nu, len(yn)):.1f}")
print("noisy copies:", ", ".join(f"{v:.3f}" for v in augmented))
print("ridge:       ", ", ".join(f"{v:.3f}" for v in ridge))

# %%
show(recipe.fig_noise)

# %% [markdown]
# ## 4. With Adam, know what each penalty converges to
# On a real loss, Adam with an L2 term $c\,w$ in the gradient converges to the L2-penalised optimum
# (ridge with $\lambda = nc$). AdamW with decay wd converges, with full-batch gradients, to least
# squares with every weight capped at $1/\mathrm{wd}$.
# **Try it:** change `c`; with `c = 0.02` the cap (50) no longer binds and AdamW lands on plain
# least squares.

# %%
c = recipe.C_REAL  # try 0.02 or 1.0
X, y = recipe.adam_real_data()
grad = recipe.squared_loss_gradient(X, y)
w0 = np.zeros(X.shape[1])
adam_l2 = recipe.run_adam_decaying(w0, grad, l2=c, steps=5000)
adamw = recipe.run_adam_decaying(w0, grad, wd=c)
print("Adam + L2:", np.round(adam_l2, 3), "  ridge:", np.round(conventions.ridge(X, y, len(y) * c), 3))
print("AdamW:    ", np.round(adamw, 3), "  capped:", np.round(recipe.box_least_squares(X, y, 1 / c), 3))

# %%
show(recipe.fig_adam_real)

# %% [markdown]
# With **no** data gradient, AdamW shrinks every weight by the same factor $(1 - \eta\,\mathrm{wd})$
# per step, while Adam + L2 divides the penalty's gradient by its own size, so every weight moves by
# about $\eta$ per step whatever $c$ is. **Try it:** change `wd` or the number of steps.

# %%
wd, steps = 0.05, 2000  # the page's values; try wd = 0.5 or steps = 10000
w0 = np.array([0.1, 1.0, 10.0, 100.0])
adam_l2 = recipe.run_adam(w0, recipe.zero_gradient, steps=steps, l2=wd)
adamw = recipe.run_adam(w0, recipe.zero_gradient, steps=steps, wd=wd)
for start, a, b in zip(w0, adam_l2, adamw, strict=True):
    print(f"w₀ = {start:6g}: fraction left, Adam + L2 {a / start:7.3f}   AdamW {b / start:.3f}")

# %%
show(recipe.fig_adam)
