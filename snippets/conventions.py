"""The site's one convention for penalised losses and update rules (see the Notation page).

Symbols: n samples, p features, design matrix X (n x p), targets y, weights w, penalty
strength lam (written λ on the pages), step size eta (η).

    data loss   L(w)  = (1/n) Σ_i ℓ_i(w);   for squared error ℓ_i = ½ (x_iᵀw − y_i)²
    L2 cost     J(w)  = L(w) + λ/(2n) · ‖w‖₂²
    L1 cost     J(w)  = L(w) + λ/n    · ‖w‖₁

With squared error these are the textbook forms: ridge is (XᵀX + λI)⁻¹Xᵀy and a gradient step
multiplies w by (1 − ηλ/n). Other libraries' conventions convert with the functions at the end.
"""

from __future__ import annotations

import numpy as np

# --- losses and penalties ---------------------------------------------------------------


def squared_loss(w, X, y):
    """L(w) = (1/2n) ‖Xw − y‖²: the mean of ½ (residual)²."""
    r = X @ w - y
    return 0.5 * np.mean(r**2)


def l2_penalty(w, lam, n):
    """λ/(2n) ‖w‖₂²."""
    return lam / (2 * n) * np.sum(np.asarray(w) ** 2)


def l1_penalty(w, lam, n):
    """λ/n ‖w‖₁."""
    return lam / n * np.sum(np.abs(w))


def ridge_cost(w, X, y, lam):
    """J(w) = L(w) + λ/(2n) ‖w‖₂² for squared error."""
    return squared_loss(w, X, y) + l2_penalty(w, lam, len(y))


def lasso_cost(w, X, y, lam):
    """J(w) = L(w) + λ/n ‖w‖₁ for squared error."""
    return squared_loss(w, X, y) + l1_penalty(w, lam, len(y))


# --- solvers ------------------------------------------------------------------------------


def ridge(X, y, lam):
    """Minimiser of the L2 cost, w = (XᵀX + λI)⁻¹Xᵀy, computed through the SVD X = U diag(d) Vᵀ
    as w = V diag(d / (d² + λ)) Uᵀy: the same formula, without squaring X's condition number.
    With λ = 0 it is the minimum-norm least-squares solution."""
    U, d, Vt = np.linalg.svd(np.asarray(X, dtype=float), full_matrices=False)
    keep = d > d.max() * max(X.shape) * np.finfo(float).eps
    factor = np.zeros_like(d)
    factor[keep] = d[keep] / (d[keep] ** 2 + lam)
    Uy = U.T @ y
    return Vt.T @ (factor[:, None] * Uy if Uy.ndim == 2 else factor * Uy)  # y may hold one column per draw


def ridge_with_intercept(X, y, lam):
    """Ridge with an unpenalised intercept: centre X and y, solve, recover the intercept.

    Returns (w, b) such that predictions are X @ w + b.
    """
    X = np.asarray(X, dtype=float)
    x_mean, y_mean = X.mean(axis=0), np.mean(y)
    w = ridge(X - x_mean, y - y_mean, lam)
    return w, y_mean - x_mean @ w


def min_norm_lstsq(X, y):
    """The least-squares solution of smallest ‖w‖₂ (the pseudo-inverse solution)."""
    return np.linalg.lstsq(X, y, rcond=None)[0]


def soft_threshold(z, t):
    """sign(z) · max(|z| − t, 0): the proximal step of the L1 penalty."""
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def lasso_cd(X, y, lam, w0=None, max_sweeps=10_000, tol=1e-12):
    """Minimise the L1 cost by cyclic coordinate descent (exact zeros come from soft-thresholding).

    In the site's convention J(w) = (1/2n)‖Xw − y‖² + (λ/n)‖w‖₁, i.e. ½‖Xw − y‖² + λ‖w‖₁ up to
    the factor 1/n, so each coordinate update is w_j = S(x_jᵀ r_j, λ) / ‖x_j‖².
    """
    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    w = np.zeros(p) if w0 is None else np.array(w0, dtype=float)
    col_sq = np.sum(X**2, axis=0)
    r = y - X @ w
    for _ in range(max_sweeps):
        biggest = 0.0
        for j in range(p):
            if col_sq[j] == 0:
                continue
            old = w[j]
            rho = X[:, j] @ r + col_sq[j] * old
            w[j] = soft_threshold(rho, lam) / col_sq[j]
            if w[j] != old:
                r -= X[:, j] * (w[j] - old)
                biggest = max(biggest, abs(w[j] - old))
        if biggest < tol:
            break
    return w


# --- update rules -------------------------------------------------------------------------


def decay_factor(eta, lam, n):
    """The factor (1 − ηλ/n) that one full-batch L2 gradient step applies to every weight."""
    return 1.0 - eta * lam / n


def l2_gradient_step(w, grad_loss, eta, lam, n):
    """w ← (1 − ηλ/n) w − η ∇L(w): gradient descent on the L2 cost."""
    return decay_factor(eta, lam, n) * w - eta * grad_loss


def l1_subgradient_step(w, grad_loss, eta, lam, n):
    """w ← w − η (∇L(w) + (λ/n) sign(w)): (sub)gradient descent on the L1 cost."""
    return w - eta * (grad_loss + lam / n * np.sign(w))


# --- other libraries' conventions, converted to λ ---------------------------------------------
# Each returns the site's λ for a library's setting; the Notation page states and tests them.
# ``n`` is always the size of the TRAINING SET, never the mini-batch: a penalty added to every
# batch's mean loss (or a decay added to every batch's gradient) is, in expectation over the batches,
# added to the mean loss over all n samples, so mini-batch training settles at the minimiser of that
# full cost. ``mse=True`` is for a loss that averages r² (Keras ``"mse"``, PyTorch ``MSELoss``), which is
# twice the site's ½-mean squared loss: the same penalty then weighs half as much against the data.


def lam_from_keras_l2(c, n, mse=False):
    """Keras ``regularizers.l2(c)`` adds c·Σw² to the batch-mean loss.

    With a loss in the site's form (½r², or cross-entropy): λ/(2n) = c, so λ = 2nc. With Keras's
    ``"mse"`` (mean r², twice the site's L): 2L + cΣw² = 2[L + (c/2)Σw²], so λ = nc.
    """
    return (1 if mse else 2) * n * c


def lam_from_keras_l1(c, n, mse=False):
    """Keras ``regularizers.l1(c)`` adds c·Σ|w| to the batch-mean loss.

    Site-form loss: λ/n = c, so λ = nc. With ``"mse"``: 2L + cΣ|w| = 2[L + (c/2)Σ|w|], so λ = nc/2.
    """
    return (0.5 if mse else 1) * n * c


def lam_from_torch_weight_decay(wd, n, mse=False):
    """PyTorch ``SGD(weight_decay=wd)`` adds wd·w to each mini-batch's gradient.

    Site-form loss: ∇L + wd·w = ∇L + (λ/n)w, so λ = n·wd and the fit solves (XᵀX + n·wd·I)w = Xᵀy.
    With ``MSELoss`` (mean r²): 2∇L + wd·w = 2[∇L + (wd/2)w], so λ = n·wd/2.
    """
    return (0.5 if mse else 1) * n * wd


def lam_from_sklearn_ridge(alpha):
    """scikit-learn ``Ridge(alpha)`` minimises ‖Xw − y‖² + α‖w‖²: the same minimiser, λ = α."""
    return alpha


def lam_from_sklearn_lasso(alpha, n):
    """scikit-learn ``Lasso(alpha)`` minimises (1/2n)‖Xw − y‖² + α‖w‖₁: λ = nα."""
    return n * alpha


def lam_from_sklearn_mlp(alpha, n=None, batch_size=None):
    """scikit-learn ``MLPRegressor``/``MLPClassifier(alpha)`` adds (α/2B)·Σw² to the mean loss of
    each batch of B samples (its squared loss is already ½r²).

    Over an epoch that is the site's λ/(2n) term with λ/(2n) = α/(2B), so λ = αn/B. Full-batch
    training (``solver="lbfgs"``, or B = n) gives λ = α. The ``"auto"`` batch size is min(200, n).
    """
    if n is None or batch_size is None:
        return alpha
    return alpha * n / min(batch_size, n)
