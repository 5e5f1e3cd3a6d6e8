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
# # If small weights don't explain it, why do big networks generalize? (companion notebook)
#
# The computations of the
# [generalization mystery page](https://why-small-weights.github.io/why-small-weights/generalization_mystery/),
# ready to change. Everything comes from `snippets/generalization_mystery.py`, the same code that
# draws the page's figures. Run it in a clone of the repository after its set-up (`./run` installs the
# project into `.venv`, so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import generalization_mystery as gm
from snippets.style import show

# %% [markdown]
# ## Counting parameters
# A one-hidden-layer MNIST classifier, 784 → hidden → 10, against the 60,000 training images.
# **Try it:** add hidden widths of your own.

# %%
for hidden in (*gm.HIDDEN_WIDTHS, 2000):  # try 50 or 4000
    count = gm.parameter_count(gm.layer_sizes(hidden))
    per_image = count / gm.MNIST_TRAIN_IMAGES
    print(f"hidden width {hidden:>4}: {count:>9,} parameters, {per_image:.1f} per training image")

# %% [markdown]
# ## Gradient descent picks the smallest fit: least squares
# With fewer equations than unknowns ($n < p$) infinitely many weight vectors fit exactly.
# Gradient descent from zero converges to the one of smallest norm, $w^+$; from a start $w_0$, it
# keeps the part of $w_0$ that the data cannot see (its component in the null space of $X$).

# %%
X, y, w0 = gm.least_squares_problem()
runs = gm.least_squares_runs()
print(f"n = {gm.LS_N} equations, p = {gm.LS_P} unknowns, {gm.LS_STEPS} steps")
print(f"from zero: ‖w − w⁺‖ = {np.linalg.norm(runs['from_zero'][-1] - runs['w_plus']):.1e}")
print(f"from w₀:   ‖w − w⁺‖ = {np.linalg.norm(runs['from_w0'][-1] - runs['w_plus']):.3f}, ", end="")
print(f"null-space part of w₀: {np.linalg.norm(gm.null_space_part(X, w0)):.3f}")

# %% [markdown]
# **Try it:** start from a start of your own, scaled by `scale`; the distance to $w^+$ at the end
# is always the null-space part of the start.

# %%
scale = 3.0  # try 0.1 or 10
start = scale * np.random.default_rng(42).standard_normal(gm.LS_P)
end = gm.gd_least_squares(X, y, start, gm.safe_step(X), gm.LS_STEPS)[-1]
print(f"‖w − w⁺‖ = {np.linalg.norm(end - runs['w_plus']):.3f}, ", end="")
print(f"null-space part of the start: {np.linalg.norm(gm.null_space_part(X, start)):.3f}")
print(f"training residual ‖Xw − y‖ = {np.linalg.norm(X @ end - y):.1e}")

# %%
show(gm.fig_min_norm)

# %% [markdown]
# ## Gradient descent picks the widest margin, slowly: logistic regression
# On separable data the logistic loss has no minimum: $\lVert w(t) \rVert$ grows like
# $\lVert \hat w \rVert \log t$, and the direction of $w(t)$ turns, ever more slowly, towards the
# max-margin direction $\hat w$.

# %%
mm = gm.max_margin_runs()
angles = gm.angles_to_max_margin(mm)
for t, angle in zip(mm["t"], angles, strict=True):
    if t in (10, 100, 1000, 10_000, 100_000):
        print(f"t = {t:>7,}: angle to the max-margin direction {angle:.3f}°")

# %%
show(gm.fig_max_margin)

# %%
show(gm.fig_residual)

# %% [markdown]
# ## Flat and sharp minima: one small experiment
# A ReLU network with 32 hidden units on two moons, trained by SGD with small and large batches
# (five seeds each); $\mu_{\max}$ is the largest eigenvalue of the training loss's Hessian.

# %%
be = gm.batch_experiment()
for batch, r in be.items():
    print(
        f"batch {batch:>3}: μ_max {r['sharpness'].mean():6.2f} (mean of {len(gm.SEEDS)} seeds), "
        f"test accuracy {100 * r['test_acc'].mean():.1f} %"
    )

# %%
show(gm.fig_sharpness)

# %% [markdown]
# **Try it:** train one more network with a batch size of your own, and measure its sharpness.
# (Sharpness is not a property of the function alone: rescaling the layers changes it and
# leaves every output the same.)

# %%
batch = 32  # try 16 or 128
(Xm, ym), (Xt, yt) = gm.moons_data()
theta = gm.sgd(Xm, ym, batch, gm.SGD_STEP, gm.SGD_STEPS, seed=0)
accuracy = 100 * gm.accuracy(theta, Xt, yt)
print(f"batch {batch}: μ_max = {gm.sharpness(theta, Xm, ym):.2f}, test accuracy {accuracy:.1f} %")
for alpha in (0.5, 2.0):
    rescaled = gm.rescale(theta, alpha)
    change = np.max(np.abs(gm.logits(rescaled, Xm) - gm.logits(theta, Xm)))
    sharp = gm.sharpness(rescaled, Xm, ym)
    print(f"rescaled by a = {alpha}: μ_max = {sharp:.2f}, largest output change {change:.1e}")

# %% [markdown]
# ## The geometry of the algorithm
# Gradient descent is steepest descent in the Euclidean norm and heads for the Euclidean max margin;
# greedy coordinate descent is steepest descent in the $\ell_1$ norm and heads for the $\ell_1$ max
# margin. **Try it:** run `steepest_descent` longer, or on your own points `Z` (rows $y_i x_i$).

# %%
g = gm.geometry_runs()
for key, name in (("gd", "gradient descent"), ("cd", "coordinate descent")):
    w = g[key][-1]
    a2 = gm.angle_deg(w, g["w_l2"])
    a1 = gm.angle_deg(w, g["w_l1"])
    print(f"{name}: {a2:.1f}° from the ℓ2 max margin, {a1:.1f}° from the ℓ1 max margin")

# %%
show(gm.fig_geometry)
