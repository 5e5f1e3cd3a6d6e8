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
# # Why do large weights also make training stall? (companion notebook)
#
# The computations of the
# [saturation page](https://why-small-weights.github.io/why-small-weights/saturation/), ready to
# change. Everything comes from `snippets/saturation.py`, the same code that draws the page's
# figures. Run it in a clone of the repository after its set-up (`./run` installs the project into `.venv`,
# so `import snippets` works from any folder).

# %%
import numpy as np

from snippets import saturation
from snippets.style import show

# %% [markdown]
# ## The backward pass
# A network of depth $D = 5$ and width 32 with weights $W_l = c\,G_l/\sqrt{\text{fan-in}}$. The
# gradient reaching layer $l$ is $\delta_{l-1} = \varphi'(z_{l-1}) \odot W_l^\top \delta_l$: every
# layer multiplies it by the slopes $\varphi'$ of its units. With large weights the units
# saturate, their slopes vanish, and the gradient with them.

# %%
for act in saturation.ACTIVATIONS:
    s = saturation.sweep(act)
    k = int(np.argmax(s["grad_median"]))
    print(f"{act:>8}: median ‖∂f/∂W₁‖ peaks at c = {s['scale'][k]:.2f} ({s['grad_median'][k]:.3g}); ", end="")
    print(f"{s['grad_median'][0]:.2g} at c = {s['scale'][0]:g}, ", end="")
    print(f"{s['grad_median'][-1]:.2g} at c = {s['scale'][-1]:.0f}")

# %%
show(saturation.fig_gradient)

# %% [markdown]
# ## Saturation: the mean slope falls like $1/c$
# When the pre-activations $z$ are spread wide (variance $\gg 1$), the average slope is the
# slope's area times the Gaussian density at zero: it falls like $1/c$.

# %%
show(saturation.fig_slopes)

# %% [markdown]
# **Try it:** pick a weight scale `c` and an activation, and compare the measured mean slope with
# the tail formula (which only holds for large `c`).

# %%
c, act = 30.0, "tanh"  # try c = 1, 3 or 300, act = "sigmoid"
X, u = saturation.inputs_and_readout()
zs = saturation.forward(saturation.make_weights(c), X, act)
slope = saturation.ACTIVATIONS[act][1]
print(f"c = {c}, {act}: mean slope {np.mean([slope(z) for z in zs]):.4f}, ", end="")
print(f"tail formula {saturation.predicted_mean_slope(zs, act):.4f}")

# %% [markdown]
# ## Layer by layer
# The median size of $\partial f/\partial z_l$ in each layer, for a tanh network at four weight
# scales. **Try it:** add a scale of your own to `scales`.

# %%
scales = saturation.PROFILE_SCALES  # (0.3, 1, 10, 100); try (0.1, 3.0)
for c in scales:
    p = saturation.profile("tanh", c)
    print(f"c = {c:>5g}: " + "  ".join(f"{v:9.3g}" for v in p))

# %%
show(saturation.fig_depth)
