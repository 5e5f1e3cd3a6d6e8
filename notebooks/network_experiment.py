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
# # Does an L1 penalty really make a network simpler? (companion notebook)
#
# The computations of the
# [network experiment page](https://why-small-weights.github.io/why-small-weights/network_experiment/),
# ready to change. Everything comes from `snippets/network_experiment.py`, the same numpy code
# that trains the two networks of the page and draws its figures. Run it in a clone of the repository after
# its set-up (`./run` installs the project into `.venv`, so `import snippets` works from any folder).

# %%
import os

# numpy's BLAS splits even these small matrix products across threads, which can make training
# several times slower (and far slower on a busy machine): use one thread. This must run before
# numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from snippets import network_experiment as ne
from snippets.style import show

# %% [markdown]
# ## The experiment
# Two interleaving half-moons, 100 training points with 10% of the labels flipped, and a
# 2-128-128-1 ReLU network trained twice with Adam for 1,000 epochs: without a penalty, and with
# Keras' `l1(0.001)` on the two hidden kernels, i.e. the penalty $\frac{\lambda}{n}\lVert W \rVert_1$
# with $\lambda = n c$. Both runs start from the same weights and see the same batches; the
# penalty is the only difference. Training both takes a few seconds.

# %%
print(f"{ne.parameter_count():,} parameters; {ne.N_TRAIN} training points, {ne.N_TEST} held-out points")
print(f"λ = n·c = {ne.lam():g} on the hidden kernels W₁, W₂, ", end="")
print(f"{ne.EPOCHS} epochs of Adam on batches of {ne.BATCH_SIZE}")

s = ne.summary()
rows = [
    ("training accuracy", "train_acc", "{:.1%}"),
    ("held-out accuracy", "test_acc", "{:.1%}"),
    ("decision boundary length", "boundary", "{:.2f}"),
    ("boundary pieces", "pieces", "{:d}"),
    ("hidden weights near zero (< 3η)", "near_zero", "{:,d}"),
    ("hidden weights exactly zero", "exact_zero", "{:d}"),
    ("ℓ1 norm of the hidden weights", "l1_norm", "{:,.1f}"),
    ("ℓ2 norm of the hidden weights", "l2_norm", "{:.2f}"),
    ("active units, layer 1", "units1", "{:d}"),
    ("active units, layer 2", "units2", "{:d}"),
]
print(f"\n{'':34}{'no penalty':>12}{'L1':>12}")
for label, key, fmt in rows:
    print(f"{label:34}{fmt.format(s['plain'][key]):>12}{fmt.format(s['l1'][key]):>12}")

# %%
show(ne.fig_boundaries)

# %%
show(ne.fig_weights)

# %%
show(ne.fig_accuracy)

# %% [markdown]
# ## Not a matter of scale
# Multiplying both hidden kernels of a ReLU network by $c > 0$ changes the size of its weights
# but not its decision boundary $f(x) = 0$. Shrinking the unpenalised network to the L1
# network's $\ell_2$ norm leaves its boundary exactly as long.

# %%
c = s["shrink_factor"]
shrunk = ne.rescaled(ne.networks()["plain"], c)
print(f"c = {c:.3f}: ℓ2 norm {np.linalg.norm(ne.hidden_weights(shrunk)):.2f}, ", end="")
print(
    f"boundary length {ne.boundary_length(ne.logit_grid(shrunk)):.2f} (unshrunk {s['plain']['boundary']:.2f})"
)

# %% [markdown]
# ## Try it: prune the near-zero weights
# Setting every near-zero weight of the L1 network exactly to zero hardly changes a prediction.
# Change the pruning `threshold` and see when it starts to matter.

# %%
threshold = 3 * ne.LEARNING_RATE  # the page's threshold 3η; try 0.01, 0.05 or 0.1
X, y, X_test, y_test = ne.datasets()
for name, params in ne.networks().items():
    pruned = ne.prune(params, threshold)
    kept = int(np.sum(ne.hidden_weights(pruned) != 0))
    agree = np.mean((ne.forward(pruned, X_test)[0] > 0) == (ne.forward(params, X_test)[0] > 0))
    print(f"{name:>5}: {kept:>6,} hidden weights kept, same prediction on {agree:.1%} of the held-out points")

# %% [markdown]
# ## Try it: another penalty strength
# Train one more network with a Keras coefficient `c` of your own (same data, same initial
# weights, same batches), and compare it with the two above.

# %%
c = 0.0003  # the page: 0.001; try 0.0001 or 0.003
params, history = ne.train(ne.N_TRAIN * c)
X, y, X_test, y_test = ne.datasets()
w = ne.hidden_weights(params)
print(f"c = {c:g}: held-out accuracy {ne.accuracy(params, X_test, y_test):.1%}, ", end="")
print(f"{int(np.sum(np.abs(w) < ne.NEAR_ZERO)):,} hidden weights near zero, ", end="")
print(f"boundary length {ne.boundary_length(ne.logit_grid(params)):.2f}")

# %% [markdown]
# ## Ten runs instead of one
# The page repeats the experiment over ten data and initialisation seeds, with 32 units per hidden
# layer to keep it quick (about ten seconds). Change `width` or `n_runs` to run your own repeat.

# %%
n_runs, width = 10, 32  # the page's repeat; width 128 is the page's network (much slower)
study = ne.seed_study(n_runs, width)
gains = ne.seed_gains(study)
print("L1 − plain held-out accuracy, points:", " ".join(f"{g:+.1f}" for g in gains))
print(f"median {np.median(gains):+.1f}, L1 ahead in {np.sum(gains > 0)} of {n_runs} runs")
print(f"Bayes accuracy of the data: {ne.bayes_accuracy():.3f}")
