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
# # Why can more parameters than data points help again? (companion notebook)
#
# The computations of the
# [double descent page](https://why-small-weights.github.io/why-small-weights/double_descent/),
# ready to change. Everything comes from `snippets/double_descent.py`, the same code that draws
# the page's figures. Run it in a clone of the repository after its set-up (`./run` installs the project
# into `.venv`, so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import double_descent
from snippets.style import show

# %% [markdown]
# ## The experiment
# $n = 30$ noisy training points, $N$ random ReLU features
# $\varphi_j(x) = \max(0, \theta_j^\top x)/\sqrt{N}$, and the minimum-norm least-squares weights
# (or ridge with a small $\lambda$), over 30 independent draws. The held-out error peaks where
# the number of features equals the number of points, $N = n$, and falls again beyond it.

# %%
Ns = double_descent.feature_counts()
med = double_descent.median_curves()
n = double_descent.N_TRAIN
at_n = int(np.flatnonzero(Ns == n)[0])
print(f"n = {n} training points, input dimension {double_descent.D_INPUT}, N from {Ns.min()} to {Ns.max()}")
for i in (at_n, len(Ns) - 1):
    print(f"median held-out error at N = {Ns[i]:>3}: {med['err0'][i]:.3f} (minimum norm), ", end="")
    print(f"{med['errl'][i]:.3f} (ridge)")
print(f"best with N < n: {med['err0'][Ns < n].min():.3f}")

# %%
show(double_descent.fig_double_descent)

# %% [markdown]
# ## Why the peak: the smallest singular value
# At $N = n$ the feature matrix $F$ is square and nearly singular: its smallest singular value
# $d_{\min}$ is tiny, so the interpolating weights, which divide by it, explode. Ridge replaces
# $1/d$ by $d/(d^2 + \lambda)$, which never exceeds $1/(2\sqrt{\lambda})$.

# %%
for i in (0, at_n, len(Ns) - 1):
    print(
        f"N = {Ns[i]:>3}: d_min = {med['smin'][i]:.3g}, ‖w‖ = {med['norm0'][i]:.3g} (minimum norm), "
        f"{med['norml'][i]:.3g} (ridge)"
    )
print(f"ridge's largest gain 1/(2√λ) = {1 / (2 * np.sqrt(double_descent.LAM_SMALL)):.1f}")

# %%
show(double_descent.fig_weight_norm)

# %% [markdown]
# ## Try it: another input dimension, another penalty
# The whole sweep takes the input dimension as an argument. In low dimension a handful of random
# features already describes the target, and the far side of the peak never returns to the best
# small model. Change `d_input` (the page shows 8 and 3) and see where the minimum lands.

# %%
d_input = 3  # try 2, 5 or 12
curves = double_descent.median_curves(d_input)
under = Ns < n
print(f"input dimension {d_input}: peak at N = {Ns[np.argmax(curves['err0'])]}")
best = int(np.argmin(np.where(under, curves["err0"], np.inf)))
print(f"best with N < n: {curves['err0'][best]:.3f} (at N = {Ns[best]})")
print(f"at N = {Ns[-1]}: {curves['err0'][-1]:.3f}")

# %% [markdown]
# And the penalty: `spectral_fits` fits every draw for several $\lambda$ from one SVD. Here,
# the median held-out error at $N = n$ for a few values of $\lambda$ (put in your own).

# %%
D = double_descent.draws()
F_train, F_test = double_descent.features(n)
lams = [0.0, 1e-4, 1e-2, 1.0]  # try 1e-3 or 10
fits, _ = double_descent.spectral_fits(F_train, D["y_train"], lams)
for lam, w in zip(lams, fits, strict=True):
    pred = np.einsum("stN,sN->st", F_test, w)
    error = np.median(np.mean((pred - D["f_test"]) ** 2, axis=1))
    print(f"λ = {lam:<6g}: median held-out error at N = n: {error:.3f}")

# %% [markdown]
# ## How much penalty removes the peak?
# The page's slider runs over a grid of $\lambda$; `lambda_curves()` holds the median error for every
# $\lambda$ of that grid and every $N$. The peak counts as gone when the error at $N = n$ is at most
# 10 % above the best error with fewer features.

# %%
curves = double_descent.lambda_curves()
gone = double_descent.peak_removed(curves)
for lam, curve, ok in list(zip(double_descent.LAM_GRID, curves, gone, strict=True))[::4]:
    print(f"λ = {lam:.1e}: {curve[at_n]:6.2f} at N = n, best below {curve[under].min():.2f}, peak gone: {ok}")

# %%
show(double_descent.fig_penalty_sweep)

# %% [markdown]
# ## Why the mean at $N = n$ has nothing to settle on
# For Gaussian features, $\mathbb{E}\operatorname{tr}((X^\top X)^{-1}) = N/(n - N - 1)$ when $n > N + 1$,
# and infinite otherwise. **Try it:** change `N` and watch the seed means spread as $N$ nears $n$.

# %%
rng = np.random.default_rng(0)
for N in (20, 28, n):
    means = [
        np.mean(1 / np.linalg.svd(rng.standard_normal((200, n, N)), compute_uv=False) ** 2 @ np.ones(N))
        for _ in range(5)
    ]
    exact = double_descent.inverse_wishart_trace(n, N)
    print(f"N = {N}: exact {exact:.3g}, means of five seeds: " + ", ".join(f"{m:.3g}" for m in means))

# %% [markdown]
# ## Benign or not: the effective rank of the tail
# The covariance of the random ReLU features is the arc-cosine kernel; beyond its $d + 1$ leading
# directions, the effective rank $R$ of the rest decides whether interpolating the noise is harmless.

# %%
for d in (double_descent.D_INPUT, double_descent.D_CONTRAST):
    lam = double_descent.spectra(d)
    R = np.median([double_descent.effective_ranks(row, d + 1)[1] for row in lam])
    print(f"dimension {d}: median R beyond the first {d + 1} directions = {R:.1f} (n = {n})")
