"""The practical recipe, computed: units, intercept, λ by CV, dropout and noise as L2, Adam + L2 vs AdamW."""

from __future__ import annotations

import functools

import numpy as np

from snippets.conventions import ridge, ridge_with_intercept

# --- 1. units and the intercept -------------------------------------------------------------

SHIFT = 30.0  # the constant added to every target
LAM_INTERCEPT = 20.0


def intercept_data():
    """Twenty points on a line far from the origin: y = 20 + 1.5 x + noise."""
    rng = np.random.default_rng(11)
    x = np.sort(rng.uniform(0, 10, 20))
    y = 20 + 1.5 * x + rng.normal(0, 2, x.size)
    return x[:, None], y


def ridge_penalised_intercept(X, y, lam):
    """Ridge with the intercept treated as one more weight: a column of ones, penalised too."""
    X1 = np.column_stack([np.ones(len(y)), X])
    coef = ridge(X1, y, lam)
    return coef[1:], coef[0]


def shift_effect(X, y, lam, shift):
    """How the slope and the fitted values change when every target moves up by ``shift``."""
    out = {}
    for name, fit in (("free", ridge_with_intercept), ("penalised", ridge_penalised_intercept)):
        w0, b0 = fit(X, y, lam)
        w1, b1 = fit(X, y + shift, lam)
        moved = (X @ w1 + b1) - (X @ w0 + b0)
        out[name] = {"slope_change": float(np.max(np.abs(w1 - w0))), "fit_moves_by": moved}
    return out


def units_data():
    """Two features in metres (n = 40); the second one will be rewritten in millimetres."""
    rng = np.random.default_rng(12)
    X = rng.normal(0, 1, (40, 2))
    y = X @ np.array([2.0, 1.0]) + rng.normal(0, 1, 40)
    return X, y


def standardise(X_train, X_other=None):
    """Scale columns by the training mean and standard deviation (ddof = 0); apply the same to X_other."""
    mean, sd = X_train.mean(axis=0), X_train.std(axis=0)
    scaled = (X_train - mean) / sd
    return scaled if X_other is None else (scaled, (X_other - mean) / sd)


UNITS_LAM = 40.0


def units_effect(lam=UNITS_LAM, factor=1000.0):
    """Largest change in the fitted values when feature 2 is rewritten in other units."""
    X, y = units_data()
    X_mm = X * np.array([1.0, factor])
    raw = [
        X_ @ w + b
        for X_, (w, b) in ((X, ridge_with_intercept(X, y, lam)), (X_mm, ridge_with_intercept(X_mm, y, lam)))
    ]
    std = [standardise(X_) @ ridge_with_intercept(standardise(X_), y, lam)[0] for X_ in (X, X_mm)]
    return float(np.max(np.abs(raw[1] - raw[0]))), float(np.max(np.abs(std[1] - std[0])))


# --- 2. λ by k-fold cross-validation ----------------------------------------------------------

N_CV, P_CV, K_FOLDS = 80, 20, 5
LAMS = np.logspace(-2, 4, 41)
CV_W_FIRST, CV_W_RATIO = 3.0, 0.7  # true weights 3, 2.1, 1.47, …: weight j is 3·0.7^(j−1)
CV_INTERCEPT, CV_NOISE = 5.0, 3.0  # the true intercept and the standard deviation of the target noise


def cv_data(n=N_CV, seed=21):
    """Twenty features on wildly different scales; only a few matter."""
    rng = np.random.default_rng(seed)
    scales = np.logspace(-1, 2, P_CV)
    w_true = CV_W_FIRST * CV_W_RATIO ** np.arange(P_CV)
    Z = rng.normal(0, 1, (n, P_CV))
    y = CV_INTERCEPT + Z @ w_true + rng.normal(0, CV_NOISE, n)
    return Z * scales, y


def fold_indices(n, k, seed=0):
    """Shuffle 0..n−1 with a fixed seed and cut it into k folds of (nearly) equal size."""
    order = np.random.default_rng(seed).permutation(n)
    return np.array_split(order, k)


def fit_predict(X_train, y_train, X_test, lam):
    """Standardise on the training part only, fit ridge with a free intercept, predict the rest."""
    Z_train, Z_test = standardise(X_train, X_test)
    w, b = ridge_with_intercept(Z_train, y_train, lam)
    return Z_test @ w + b


def fold_errors(X, y, lams, k=K_FOLDS, seed=0):
    """Mean squared error on each held-out fold, for each λ: shape (len(lams), k)."""
    folds = fold_indices(len(y), k, seed)
    errors = np.empty((len(lams), k))
    for j, test in enumerate(folds):
        train = np.setdiff1d(np.arange(len(y)), test)
        for i, lam in enumerate(lams):
            pred = fit_predict(X[train], y[train], X[test], lam)
            errors[i, j] = np.mean((y[test] - pred) ** 2)
    return errors


def one_se_choice(lams, cv_mean, cv_se):
    """Index of the minimum, and of the largest λ whose CV error is within one SE of the minimum."""
    best = int(np.argmin(cv_mean))
    within = np.flatnonzero(cv_mean <= cv_mean[best] + cv_se[best])
    return best, int(within[np.argmax(lams[within])])


def fresh_errors(X, y, lams, seed):
    """Mean squared error on 5000 fresh samples of the same problem, for each λ."""
    X_new, y_new = cv_data(n=5000, seed=seed)
    return np.array([np.mean((y_new - fit_predict(X, y, X_new, lam)) ** 2) for lam in lams])


def cv_summary(X, y, lams=LAMS, k=K_FOLDS):
    """CV mean and standard error per λ, and the indices of the minimum and the one-SE choice."""
    errors = fold_errors(X, y, lams, k)
    cv_mean = errors.mean(axis=1)
    cv_se = errors.std(axis=1, ddof=1) / np.sqrt(k)
    best, one_se = one_se_choice(lams, cv_mean, cv_se)
    return {"lams": lams, "cv": cv_mean, "se": cv_se, "best": best, "one_se": one_se}


CV_SEED = 22


@functools.cache
def cv_curve():
    """The CV curve of one data set, with the error of each λ on fresh data."""
    X, y = cv_data(seed=CV_SEED)
    return {**cv_summary(X, y), "test": fresh_errors(X, y, LAMS, seed=CV_SEED + 1000)}


N_REPEATS = 20
I_FIXED = 20  # LAMS[20] = 10, in the middle of where the repeated minima fall


@functools.cache
def repeat_result(seed):
    """One repeated data set: its 5-fold CV summary, its fresh-data error per λ, and its LOO and GCV."""
    X, y = cv_data(seed=seed)
    return {**cv_summary(X, y), "test": fresh_errors(X, y, LAMS, seed=seed + 1000), "fast": loo_gcv(X, y)}


@functools.cache
def cv_repeats():
    """Fresh-data error of the minimum, the one-SE choice and the best λ, over many data sets."""
    rows = []
    for seed in range(100, 100 + N_REPEATS):
        s = repeat_result(seed)
        test = s["test"]
        rows.append(
            [
                test[s["best"]],
                test[s["one_se"]],
                test.min(),
                LAMS[s["best"]],
                LAMS[s["one_se"]],
                s["cv"][I_FIXED],
                s["se"][I_FIXED],
            ]
        )
    return np.array(rows)


# --- 2b. λ from one fit: exact leave-one-out and GCV from the hat matrix -----------------------


def hat_diagonal_and_fit(Z, y, lams):
    """For ridge with a free intercept on centred features Z = U diag(d) Vᵀ, the hat matrix is
    H(λ) = 11ᵀ/n + U diag(d²/(d² + λ)) Uᵀ. Returns, for every λ, the residuals e = y − Hy, the
    diagonal Hᵢᵢ and the trace tr H, all from one SVD."""
    n = len(y)
    U, d, _ = np.linalg.svd(Z, full_matrices=False)
    shrink = d**2 / (d**2 + np.asarray(lams)[:, None])  # (len(lams), rank)
    uty = U.T @ (y - y.mean())
    fitted = y.mean() + (shrink * uty) @ U.T  # (len(lams), n)
    h_diag = 1 / n + shrink @ (U**2).T
    return y - fitted, h_diag, 1 + shrink.sum(axis=1)


def loo_gcv(X, y, lams=LAMS):
    """Exact leave-one-out error mean((eᵢ/(1 − Hᵢᵢ))²) and GCV mean((eᵢ/(1 − tr H/n))²) for every λ.

    The features are standardised once, on all n samples, so that H does not depend on which sample
    is left out; the intercept stays free."""
    Z = standardise(X)
    Z = Z - Z.mean(axis=0)
    e, h, tr = hat_diagonal_and_fit(Z, y, lams)
    n = len(y)
    return {
        "loo": np.mean((e / (1 - h)) ** 2, axis=1),
        "gcv": np.mean((e / (1 - tr[:, None] / n)) ** 2, axis=1),
        "df": tr,
        "factorisations": 1,
    }


def brute_loo(X, y, lams=LAMS):
    """Leave-one-out the slow way: for each λ and each i, refit without sample i (features scaled as in
    ``loo_gcv``) and predict it. Returns the curve and the number of fits, n · len(lams)."""
    Z = standardise(X)
    n = len(y)
    errors = np.empty((len(lams), n))
    for i in range(n):
        keep = np.arange(n) != i
        for j, lam in enumerate(lams):
            w, b = ridge_with_intercept(Z[keep], y[keep], lam)
            errors[j, i] = (y[i] - Z[i] @ w - b) ** 2
    return {"loo": errors.mean(axis=1), "fits": n * len(lams)}


@functools.cache
def loo_curve():
    """LOO, GCV and 5-fold CV on the page's data set, with the fresh-data error, and the λ each picks."""
    X, y = cv_data(seed=CV_SEED)
    cv = cv_curve()
    return {**loo_gcv(X, y), "cv": cv["cv"], "test": cv["test"], "lams": LAMS}


@functools.cache
def loo_repeats():
    """Over the repeated data sets: the λ picked by LOO, GCV and 5-fold CV, and the fresh error at each."""
    rows = []
    for seed in range(100, 100 + N_REPEATS):
        s = repeat_result(seed)
        picks = [int(np.argmin(s["fast"]["loo"])), int(np.argmin(s["fast"]["gcv"])), s["best"]]
        rows.append([*(LAMS[i] for i in picks), *(s["test"][i] for i in picks)])
    return np.array(rows)


# --- 3. dropout and input noise as L2 ----------------------------------------------------------

N_DROP, P_DROP = 50, 4
N_DRAWS = 4000


DROP_SDS = np.array([0.5, 1.0, 2.0, 4.0])  # the features' standard deviations
DROP_W_TRUE = np.array([1.0, -2.0, 0.5, 0.25])
DROP_NOISE = 0.5  # standard deviation of the target noise
DROP_W_EVAL = np.array([0.8, -1.5, 0.6, 0.2])  # the fixed weights at which the expected losses are checked


def noise_data():
    """A small regression problem whose features have different sizes."""
    rng = np.random.default_rng(31)
    X = rng.normal(0, 1, (N_DROP, P_DROP)) * DROP_SDS
    y = X @ DROP_W_TRUE + rng.normal(0, DROP_NOISE, N_DROP)
    return X, y


def dropout_masks(shape, q, draws, seed):
    """``draws`` independent keep-masks with entries 1 (probability q) or 0."""
    return np.random.default_rng(seed).random((draws, *shape)) < q


def dropout_losses(X, y, w, q, inverted, draws=N_DRAWS, seed=32):
    """‖y − (M⊙X)w‖² (or with M/q for inverted dropout) for each random mask M."""
    M = dropout_masks(X.shape, q, draws, seed)
    pred = (M * X) @ w
    if inverted:
        pred = pred / q
    return np.sum((y - pred) ** 2, axis=1)


def dropout_expected(X, y, w, q, inverted):
    """Closed form: ‖y − qXw‖² + q(1−q) wᵀdiag(XᵀX)w, or ‖y − Xw‖² + (1−q)/q · wᵀdiag(XᵀX)w."""
    col_sq = np.sum(X**2, axis=0)
    if inverted:
        return np.sum((y - X @ w) ** 2) + (1 - q) / q * np.sum(col_sq * w**2)
    return np.sum((y - q * X @ w) ** 2) + q * (1 - q) * np.sum(col_sq * w**2)


def per_feature_ridge(X, y, penalties):
    """Minimiser of ‖y − Xw‖² + Σ_j penalties_j w_j²: solve (XᵀX + diag(penalties)) w = Xᵀy."""
    return np.linalg.solve(X.T @ X + np.diag(penalties), X.T @ y)


def dropout_ridge(X, y, q):
    """Minimiser of the expected inverted-dropout loss: penalty (1−q)/q · ‖x_j‖² on weight j."""
    return per_feature_ridge(X, y, (1 - q) / q * np.sum(X**2, axis=0))


def dropout_ridge_with_intercept(X, y, q):
    """Inverted dropout on the inputs with a free (never dropped) intercept b: minimise
    ‖y − b − Xw‖² + (1−q)/q · Σ_j ‖x_j‖² w_j², where ‖x_j‖² = n(s_j² + x̄_j²) counts the mean too."""
    X1 = np.column_stack([np.ones(len(y)), X])
    penalties = np.concatenate([[0.0], (1 - q) / q * np.sum(X**2, axis=0)])
    coef = per_feature_ridge(X1, y, penalties)
    return coef[1:], coef[0]


DROP_SHIFT, DROP_RESCALE = 3.0, 10.0  # move feature 1 by 3 units; rewrite it in units 10 times smaller


def dropout_mean_and_scale():
    """How the dropout fit (free intercept, q = ½) changes when feature 1 is shifted, or rescaled.

    A shift is absorbed by the intercept in plain least squares and in ridge on standardised
    features; under dropout it changes the fitted values, because ‖x_j‖² includes n·x̄_j²."""
    X, y = noise_data()
    w, b = dropout_ridge_with_intercept(X, y, 0.5)
    fitted = X @ w + b
    X_shift = X + np.array([DROP_SHIFT, 0, 0, 0])
    w_s, b_s = dropout_ridge_with_intercept(X_shift, y, 0.5)
    X_scale = X * np.array([DROP_RESCALE, 1, 1, 1])
    w_r, b_r = dropout_ridge_with_intercept(X_scale, y, 0.5)
    return {
        "shift_change": float(np.max(np.abs(X_shift @ w_s + b_s - fitted))),
        "rescale_change": float(np.max(np.abs(X_scale @ w_r + b_r - fitted))),
        "weight_1": float(w[0]),
        "weight_1_shifted": float(w_s[0]),
        "penalty_ratio": float(np.sum(X_shift[:, 0] ** 2) / np.sum(X[:, 0] ** 2)),
    }


def dropout_augmented_fit(X, y, q, copies=2000, seed=33):
    """Least squares on many inverted-dropout copies of the data, stacked."""
    M = dropout_masks(X.shape, q, copies, seed)
    X_big = (M * X / q).reshape(-1, X.shape[1])
    return np.linalg.lstsq(X_big, np.tile(y, copies), rcond=None)[0]


DROP_QS = np.linspace(0.1, 0.9, 9)


@functools.cache
def dropout_check():
    """Monte Carlo mean and standard error of the dropout loss against the closed form, per q."""
    X, y = noise_data()
    w = DROP_W_EVAL.copy()
    rows = {}
    for inverted in (False, True):
        mc, se, exact = [], [], []
        for q in DROP_QS:
            losses = dropout_losses(X, y, w, q, inverted)
            mc.append(losses.mean())
            se.append(losses.std(ddof=1) / np.sqrt(losses.size))
            exact.append(dropout_expected(X, y, w, q, inverted))
        rows["inverted" if inverted else "unscaled"] = {
            "mc": np.array(mc),
            "se": np.array(se),
            "exact": np.array(exact),
        }
    return {"q": DROP_QS, "w": w, **rows}


def noise_losses(X, y, w, nu, draws=N_DRAWS, seed=34):
    """(1/2n)‖y − (X + E)w‖² for each draw of Gaussian input noise E with entries N(0, ν²)."""
    E = np.random.default_rng(seed).normal(0, nu, (draws, *X.shape))
    return 0.5 * np.mean((y - (X + E) @ w) ** 2, axis=1)


def noise_lambda(nu, n):
    """The ridge λ that Gaussian input noise of standard deviation ν amounts to: λ = nν²."""
    return n * nu**2


def noise_augmented_fit(X, y, nu, copies=500, seed=35):
    """Least squares on ``copies`` noisy copies of the data, stacked."""
    E = np.random.default_rng(seed).normal(0, nu, (copies, *X.shape))
    X_big = (X + E).reshape(-1, X.shape[1])
    return np.linalg.lstsq(X_big, np.tile(y, copies), rcond=None)[0]


def noise_ridge_augmented_fit(X, y, nu, lam, copies=500, seed=36):
    """Ridge λ on ``copies`` noisy copies, stacked: the stacked loss is ``copies`` times larger, so is λ."""
    E = np.random.default_rng(seed).normal(0, nu, (copies, *X.shape))
    X_big = (X + E).reshape(-1, X.shape[1])
    return ridge(X_big, np.tile(y, copies), copies * lam)


NOISE_NUS = np.array([0.25, 0.5, 1.0, 1.5, 2.5])


@functools.cache
def noise_path():
    """The ridge path over λ and the augmented-noise fits placed at λ = nν²."""
    X, y = noise_data()
    lams = np.logspace(-1, 3.5, 60)
    path = np.array([ridge(X, y, lam) for lam in lams])
    aug = np.array([noise_augmented_fit(X, y, nu) for nu in NOISE_NUS])
    return {
        "lams": lams,
        "path": path,
        "nu": NOISE_NUS,
        "aug_lams": noise_lambda(NOISE_NUS, len(y)),
        "aug": aug,
    }


# --- 4. Adam + L2 against decoupled weight decay (AdamW) -----------------------------------------

ETA, BETA1, BETA2, EPS = 1e-3, 0.9, 0.999, 1e-8
STEPS = 2000
WD = 0.05  # AdamW's decay; Adam + L2 uses the same number as its L2 coefficient λ/n
W0 = np.logspace(-2, 2, 17)


def adam_direction(g, m, v, t):
    """One Adam moment update; returns the step direction m̂/(√v̂ + ε) and the new moments."""
    m = BETA1 * m + (1 - BETA1) * g
    v = BETA2 * v + (1 - BETA2) * g**2
    m_hat, v_hat = m / (1 - BETA1**t), v / (1 - BETA2**t)
    return m_hat / (np.sqrt(v_hat) + EPS), m, v


def run_adam(w0, grad_data, steps=STEPS, l2=0.0, wd=0.0, eta=ETA):
    """Adam with an L2 term (l2·w added to the gradient) and/or decoupled weight decay wd (AdamW)."""
    w = np.array(w0, dtype=float)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, steps + 1):
        g = grad_data(w) + l2 * w
        direction, m, v = adam_direction(g, m, v, t)
        w = w - eta * (direction + wd * w)
    return w


def zero_gradient(w):
    """The data gradient of a loss that no longer depends on the weights."""
    return np.zeros_like(w)


@functools.cache
def adam_shrinkage():
    """Weights of sizes 0.01 … 100 after STEPS steps with no data gradient: Adam + L2 vs AdamW."""
    return {
        "w0": W0,
        "adam_l2": run_adam(W0, zero_gradient, l2=WD),
        "adam_l2_strong": run_adam(W0, zero_gradient, l2=100 * WD),
        "adamw": run_adam(W0, zero_gradient, wd=WD),
    }


# With a real loss: features on scales 0.1 … 10, full-batch gradients, a step that decays to zero.

N_ADAM = 200
ADAM_SCALES = np.logspace(-1, 1, 5)
C_REAL = 0.2  # the L2 coefficient of Adam + L2 and the decay of AdamW (the same number, as above)
ETA_REAL, STEPS_REAL = 0.05, 10_000


def adam_real_data(seed=41):
    """y = Σ_j x_j / s_j + noise, with feature j of standard deviation s_j: every feature matters
    equally, so the least-squares weights are about 1/s_j (10 … 0.1)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 1, (N_ADAM, ADAM_SCALES.size)) * ADAM_SCALES
    y = X @ (1 / ADAM_SCALES) + rng.normal(0, 0.5, N_ADAM)
    return X, y


def squared_loss_gradient(X, y):
    """∇L(w) = Xᵀ(Xw − y)/n, the gradient of the site's L(w) = (1/2n)‖Xw − y‖²."""
    gram, xty = X.T @ X / len(y), X.T @ y / len(y)
    return lambda w: gram @ w - xty


def run_adam_decaying(w0, grad_data, l2=0.0, wd=0.0, eta=ETA_REAL, steps=STEPS_REAL):
    """Adam (+ L2 term l2·w, or decoupled decay wd), the step η_t = η(1 − (t−1)/τ) falling linearly to 0."""
    w = np.array(w0, dtype=float)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, steps + 1):
        eta_t = eta * (1 - (t - 1) / steps)
        direction, m, v = adam_direction(grad_data(w) + l2 * w, m, v, t)
        w = w - eta_t * (direction + wd * w)
    return w


def box_least_squares(X, y, cap, sweeps=500):
    """min ‖y − Xw‖² subject to |w_j| ≤ cap for every j, by cyclic coordinate descent: each
    coordinate is set to its one-dimensional least-squares value, clipped to [−cap, cap]."""
    w = np.zeros(X.shape[1])
    col_sq = np.sum(X**2, axis=0)
    for _ in range(sweeps):
        for j in range(X.shape[1]):
            r = y - X @ w + X[:, j] * w[j]
            w[j] = np.clip(X[:, j] @ r / col_sq[j], -cap, cap)
    return w


@functools.cache
def adam_real():
    """Adam + L2 (coefficients c and 10c) and AdamW (decay c) on the real loss, from w = 0."""
    X, y = adam_real_data()
    grad = squared_loss_gradient(X, y)
    w0 = np.zeros(X.shape[1])
    return {
        "scales": ADAM_SCALES,
        "adam_l2": run_adam_decaying(w0, grad, l2=C_REAL, steps=STEPS_REAL // 2),
        "adam_l2_10": run_adam_decaying(w0, grad, l2=10 * C_REAL, steps=STEPS_REAL // 2),
        "adamw": run_adam_decaying(w0, grad, wd=C_REAL),
        "ridge": ridge(X, y, len(y) * C_REAL),
        "ridge_10": ridge(X, y, len(y) * 10 * C_REAL),
        "ols": ridge(X, y, 0.0),
    }


# --- values and figures ----------------------------------------------------------------------------


def values_loo():
    """Section 2b: λ from the hat matrix, against 5-fold CV, in cost and in choice."""
    d, reps = loo_curve(), loo_repeats()
    i_loo, i_gcv, i_cv = (int(np.argmin(d[k])) for k in ("loo", "gcv", "cv"))
    close = np.abs(np.log(reps[:, 0] / reps[:, 2])) <= np.log(2) + 1e-9
    return {
        "loo_lam": float(LAMS[i_loo]),
        "gcv_lam": float(LAMS[i_gcv]),
        "kfold_lam": float(LAMS[i_cv]),
        "loo_min": float(d["loo"][i_loo]),
        "gcv_min": float(d["gcv"][i_gcv]),
        "loo_df": float(d["df"][i_loo]),
        "loo_test": float(d["test"][i_loo]),
        "kfold_test": float(d["test"][i_cv]),
        "loo_gcv_gap": float(np.max(np.abs(d["gcv"] / d["loo"] - 1))),
        "df_max": float(d["df"][0]),
        "df_min": float(d["df"][-1]),
        "n_lams": int(LAMS.size),
        "loo_factorisations": d["factorisations"],
        "kfold_fits": K_FOLDS * int(LAMS.size),
        "brute_fits": N_CV * int(LAMS.size),
        "rep_loo_close": int(np.sum(close)),
        "rep_loo_test": float(reps[:, 3].mean()),
        "rep_gcv_test": float(reps[:, 4].mean()),
        "rep_kfold_test": float(reps[:, 5].mean()),
        "rep_loo_lam_lo": float(reps[:, 0].min()),
        "rep_loo_lam_hi": float(reps[:, 0].max()),
    }


def values():
    X1, y1 = intercept_data()
    shift = shift_effect(X1, y1, LAM_INTERCEPT, SHIFT)
    units_raw, units_std = units_effect()
    cv, reps = cv_curve(), cv_repeats()
    drop, inv, uns = dropout_check(), dropout_check()["inverted"], dropout_check()["unscaled"]
    i_half = int(np.argmin(np.abs(DROP_QS - 0.5)))
    Xn, yn = noise_data()
    n = len(yn)
    nu, lam_extra = NOISE_NUS[2], 20.0
    w_ols, w_ridge = ridge(Xn, yn, 0.0), ridge(Xn, yn, noise_lambda(nu, n))
    w_drop = dropout_ridge(Xn, yn, 0.5)
    noise_l = noise_losses(Xn, yn, drop["w"], nu)
    w_both = noise_ridge_augmented_fit(Xn, yn, nu, lam_extra)
    mean_scale = dropout_mean_and_scale()
    adam = adam_shrinkage()
    real = adam_real()
    X_real, y_real = adam_real_data()
    i100, i10, i1 = (int(np.argmin(np.abs(W0 - s))) for s in (100.0, 10.0, 1.0))
    return {
        "shift": SHIFT,
        "lam_intercept": LAM_INTERCEPT,
        "shift_slope_change_free": shift["free"]["slope_change"],
        "shift_moves_free_min": float(shift["free"]["fit_moves_by"].min()),
        "shift_moves_free_max": float(shift["free"]["fit_moves_by"].max()),
        "shift_slope_change_pen": shift["penalised"]["slope_change"],
        "shift_moves_pen_min": float(shift["penalised"]["fit_moves_by"].min()),
        "shift_moves_pen_max": float(shift["penalised"]["fit_moves_by"].max()),
        "units_lam": UNITS_LAM,
        "units_change_raw": units_raw,
        "units_change_std": units_std,
        "n_cv": N_CV,
        **{f"drop_sd_{j}": float(x) for j, x in enumerate(DROP_SDS)},
        **{f"drop_w_true_{j}": float(x) for j, x in enumerate(DROP_W_TRUE)},
        **{f"drop_w_eval_{j}": float(x) for j, x in enumerate(DROP_W_EVAL)},
        "drop_noise": DROP_NOISE,
        "cv_w_first": CV_W_FIRST,
        "cv_w_ratio": CV_W_RATIO,
        "cv_w_last": CV_W_FIRST * CV_W_RATIO ** (P_CV - 1),
        "cv_intercept": CV_INTERCEPT,
        "cv_noise": CV_NOISE,
        "p_cv": P_CV,
        "k_folds": K_FOLDS,
        "lam_min": float(cv["lams"][cv["best"]]),
        "lam_1se": float(cv["lams"][cv["one_se"]]),
        "cv_min": float(cv["cv"][cv["best"]]),
        "cv_min_se": float(cv["se"][cv["best"]]),
        "cv_1se": float(cv["cv"][cv["one_se"]]),
        "test_at_min": float(cv["test"][cv["best"]]),
        "test_at_1se": float(cv["test"][cv["one_se"]]),
        "test_best": float(cv["test"].min()),
        "test_at_small": float(cv["test"][0]),
        "test_at_large": float(cv["test"][-1]),
        "lam_small": float(LAMS[0]),
        "lam_large": float(LAMS[-1]),
        "n_repeats": N_REPEATS,
        "rep_test_min": float(reps[:, 0].mean()),
        "rep_test_1se": float(reps[:, 1].mean()),
        "rep_test_oracle": float(reps[:, 2].mean()),
        "rep_extra_pct": float(100 * (reps[:, 1].mean() / reps[:, 0].mean() - 1)),
        "rep_lam_ratio": float(np.exp(np.mean(np.log(reps[:, 4] / reps[:, 3])))),
        "rep_lam_min_lo": float(reps[:, 3].min()),
        "rep_lam_min_hi": float(reps[:, 3].max()),
        "lam_fixed": float(LAMS[I_FIXED]),
        "rep_cv_sd_fixed": float(np.std(reps[:, 5], ddof=1)),
        "rep_se_median_fixed": float(np.median(reps[:, 6])),
        **values_loo(),
        "n_draws": N_DRAWS,
        "drop_max_z": float(max(np.max(np.abs(r["mc"] - r["exact"]) / r["se"]) for r in (inv, uns))),
        "drop_inv_mc_half": float(inv["mc"][i_half]),
        "drop_inv_se_half": float(inv["se"][i_half]),
        "drop_inv_exact_half": float(inv["exact"][i_half]),
        "drop_uns_mc_half": float(uns["mc"][i_half]),
        "drop_uns_se_half": float(uns["se"][i_half]),
        "drop_uns_exact_half": float(uns["exact"][i_half]),
        "drop_lam_std": float(n * (1 - 0.5) / 0.5),
        "drop_shift": DROP_SHIFT,
        "drop_rescale": DROP_RESCALE,
        "drop_shift_change": mean_scale["shift_change"],
        "drop_rescale_change": mean_scale["rescale_change"],
        "drop_weight_1": mean_scale["weight_1"],
        "drop_weight_1_shifted": mean_scale["weight_1_shifted"],
        "drop_penalty_ratio": mean_scale["penalty_ratio"],
        "drop_aug_gap": float(np.linalg.norm(dropout_augmented_fit(Xn, yn, 0.5) - w_drop)),
        "drop_ridge_vs_ols": float(np.linalg.norm(w_drop - w_ols)),
        "nu": float(nu),
        "n_noise": n,
        "noise_lam": float(noise_lambda(nu, n)),
        "noise_mc": float(noise_l.mean()),
        "noise_mc_se": float(noise_l.std(ddof=1) / np.sqrt(noise_l.size)),
        "noise_exact": float(
            0.5 * np.mean((yn - Xn @ drop["w"]) ** 2) + 0.5 * nu**2 * np.sum(drop["w"] ** 2)
        ),
        "noise_aug_gap": float(np.linalg.norm(noise_path()["aug"][2] - w_ridge)),
        "noise_ridge_vs_ols": float(np.linalg.norm(w_ridge - w_ols)),
        "lam_extra": lam_extra,
        "lam_combined": float(lam_extra + noise_lambda(nu, n)),
        "combined_gap": float(np.linalg.norm(w_both - ridge(Xn, yn, lam_extra + noise_lambda(nu, n)))),
        "eta": ETA,
        "steps": STEPS,
        "wd": WD,
        "adamw_factor": float((1 - ETA * WD) ** STEPS),
        "eta_steps": ETA * STEPS,
        "adam_l2_left_100": float(adam["adam_l2"][i100] / W0[i100]),
        "adam_l2_left_10": float(adam["adam_l2"][i10] / W0[i10]),
        "adam_l2_abs_1": float(abs(adam["adam_l2"][i1])),
        "adam_l2_max_small": float(np.max(np.abs(adam["adam_l2"][W0 < 1.0]))),
        "adam_l2_strong_left_100": float(adam["adam_l2_strong"][i100] / W0[i100]),
        "adamw_left_100": float(adam["adamw"][i100] / W0[i100]),
        "adamw_left_001": float(adam["adamw"][0] / W0[0]),
        "n_adam": N_ADAM,
        "c_real": C_REAL,
        "lam_real": float(N_ADAM * C_REAL),
        "eta_real": ETA_REAL,
        "steps_real": STEPS_REAL,
        "steps_real_l2": STEPS_REAL // 2,
        "adam_cap": float(1 / C_REAL),
        "adam_l2_vs_ridge": float(np.max(np.abs(real["adam_l2"] - real["ridge"]))),
        "adam_l2_10_vs_ridge_10": float(np.max(np.abs(real["adam_l2_10"] - real["ridge_10"]))),
        "adamw_vs_ridge": float(np.max(np.abs(real["adamw"] - real["ridge"]))),
        "adamw_vs_box": float(np.max(np.abs(real["adamw"] - box_least_squares(X_real, y_real, 1 / C_REAL)))),
        "adamw_w1": float(real["adamw"][0]),
        "ridge_w1": float(real["ridge"][0]),
        "ols_w1": float(real["ols"][0]),
        "adamw_w5": float(real["adamw"][-1]),
        "box_w5": float(box_least_squares(X_real, y_real, 1 / C_REAL)[-1]),
        "ols_w5": float(real["ols"][-1]),
        "ridge_w5": float(real["ridge"][-1]),
    }


def fig_intercept(fig, pal):
    """Ridge fits to y and to y + 30: the free-intercept fit shifts, the penalised one changes shape."""
    X, y = intercept_data()
    grid = np.linspace(0, 10, 50)[:, None]
    fig.set_size_inches(4.8, 4.4)
    ax = fig.subplots()
    for data, colour, label in ((y, pal.blue, "data y"), (y + SHIFT, pal.orange, f"y + {SHIFT:g}")):
        ax.scatter(X[:, 0], data, s=14, color=colour, label=label)
        w, b = ridge_with_intercept(X, data, LAM_INTERCEPT)
        ax.plot(grid, grid @ w + b, color=colour)
        w, b = ridge_penalised_intercept(X, data, LAM_INTERCEPT)
        ax.plot(grid, grid @ w + b, color=colour, linestyle="--")
    ax.plot([], [], color=pal.muted, label="intercept free")
    ax.plot([], [], color=pal.muted, linestyle="--", label="intercept penalised")
    ax.set_xlabel("x")
    ax.set_ylabel("target")
    fig.legend(loc="outside lower center", ncols=2)


def fig_cv(fig, pal):
    """5-fold CV error of ridge against λ (± 1 SE), its minimum, the one-SE choice, the fresh-data error."""
    cv = cv_curve()
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    ax.fill_between(cv["lams"], cv["cv"] - cv["se"], cv["cv"] + cv["se"], color=pal.blue, alpha=0.2, lw=0)
    ax.plot(cv["lams"], cv["cv"], color=pal.blue, label="5-fold CV (± 1 SE)")
    ax.plot(cv["lams"], cv["test"], color=pal.fg, linestyle=":", label="fresh data")
    threshold = cv["cv"][cv["best"]] + cv["se"][cv["best"]]
    ax.axhline(threshold, color=pal.muted, lw=0.8, linestyle="--")
    ax.axvline(cv["lams"][cv["best"]], color=pal.green, lw=1.2, label="minimum")
    ax.axvline(cv["lams"][cv["one_se"]], color=pal.orange, lw=1.2, label="one-SE choice")
    ax.set_xscale("log")
    ax.set_xlabel("λ (features standardised)")
    ax.set_ylabel("mean squared error")
    ax.set_ylim(0, 1.08 * max(np.max(cv["cv"] + cv["se"]), np.max(cv["test"])))
    fig.legend(loc="outside lower center", ncols=2)


def fig_loo(fig, pal):
    """Exact leave-one-out, GCV and 5-fold CV error against λ, with the error on fresh data."""
    d = loo_curve()
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    for key, colour, style_, label in LOO_SERIES:
        ax.plot(d["lams"], d[key], color=getattr(pal, colour), linestyle=style_, label=label)
        i = int(np.argmin(d[key]))
        ax.plot(d["lams"][i], d[key][i], "o", color=getattr(pal, colour), ms=6)
    ax.set_xscale("log")
    ax.set_xlabel("λ (features standardised)")
    ax.set_ylabel("mean squared error")
    ax.set_ylim(*loo_ylim())
    fig.legend(loc="outside lower center", ncols=2)


LOO_SERIES = (
    ("loo", "blue", "-", "leave-one-out (exact)"),
    ("gcv", "green", "--", "GCV"),
    ("cv", "orange", "-.", "5-fold CV"),
    ("test", "fg", ":", "fresh data"),
)


def loo_ylim():
    """Fixed vertical range of the LOO figure and its frames: every curve fits, with a margin."""
    d = loo_curve()
    values = np.concatenate([d[key] for key, *_ in LOO_SERIES])
    return [float(np.floor(0.95 * values.min())), float(np.ceil(1.03 * values.max()))]


def data_loo():
    """Move λ: the four error estimates at that λ and the effective number of parameters tr H."""
    d = loo_curve()
    lams = d["lams"]
    static = [
        {
            "type": "line",
            "x": [float(f"{lam:.6g}") for lam in lams],
            "y": np.round(d[key], 4).tolist(),
            "color": colour,
            "label": label,
            "dash": style_ != "-",
        }
        for key, colour, style_, label in LOO_SERIES
    ]
    frames = []
    for i, lam in enumerate(lams):
        marker = {
            "type": "points",
            "x": [float(f"{lam:.6g}")] * len(LOO_SERIES),
            "y": [round(float(d[key][i]), 4) for key, *_ in LOO_SERIES],
            "color": "fg",
        }
        readout = (
            f"λ = {lam:.3g}: leave-one-out {d['loo'][i]:.2f}, GCV {d['gcv'][i]:.2f}, "
            f"5-fold {d['cv'][i]:.2f}, fresh data {d['test'][i]:.2f}; "
            f"effective parameters tr H = {d['df'][i]:.1f}"
        )
        frames.append({"series": [marker], "readout": readout})
    return {
        "kind": "frames",
        "xlabel": "λ (features standardised)",
        "ylabel": "mean squared error",
        "xlim": [float(lams[0]), float(lams[-1])],
        "ylim": loo_ylim(),
        "xscale": "log",
        "yscale": "linear",
        "equal": False,
        "slider": {
            "label": "penalty strength λ",
            "values": [float(f"{lam:.6g}") for lam in lams],
            "format": "sci",
            "initial": int(np.argmin(d["loo"])),
        },
        "static": static,
        "frames": frames,
    }


def fig_dropout(fig, pal):
    """Monte Carlo dropout loss against the closed forms, for unscaled and inverted dropout."""
    d = dropout_check()
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    for key, colour, label in (
        ("unscaled", pal.blue, "unscaled M⊙X"),
        ("inverted", pal.orange, "inverted M⊙X / q"),
    ):
        ax.plot(d["q"], d[key]["exact"], color=colour, label=f"{label}")
        ax.errorbar(d["q"], d[key]["mc"], yerr=2 * d[key]["se"], fmt="o", color=colour, ms=4, capsize=2)
    ax.plot([], [], "o", color=pal.muted, label=f"Monte Carlo, {N_DRAWS} masks")
    ax.set_yscale("log")
    ax.set_xlabel("keep probability q")
    ax.set_ylabel("expected loss E‖y − prediction‖²")
    fig.legend(loc="outside lower center", ncols=2)


def fig_noise(fig, pal):
    """The ridge path, with least squares on noisy copies of the data landing on it at λ = nν²."""
    d = noise_path()
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    colours = [pal.blue, pal.orange, pal.green, pal.pink]
    for j in range(d["path"].shape[1]):
        ax.plot(d["lams"], d["path"][:, j], color=colours[j], label=f"ridge $w_{j + 1}$")
        ax.plot(d["aug_lams"], d["aug"][:, j], "o", color=colours[j], ms=5, mfc="none")
    ax.plot([], [], "o", color=pal.muted, mfc="none", label="noisy copies, at λ = nν²")
    ax.axhline(0, color=pal.muted, lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("λ")
    ax.set_ylabel("weight")
    fig.legend(loc="outside lower center", ncols=2)


def fig_adam(fig, pal):
    """Fraction of each weight left after 2000 steps with no data gradient: Adam + L2 vs AdamW."""
    d = adam_shrinkage()
    travel = ETA * STEPS
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    ax.plot(d["w0"], d["adamw"] / d["w0"], "o-", color=pal.green, ms=4, label="AdamW")
    ax.plot(d["w0"], d["adam_l2"] / d["w0"], "o-", color=pal.orange, ms=4, label="Adam + L2")
    ax.plot(d["w0"], d["adam_l2_strong"] / d["w0"], "x", color=pal.pink, ms=7, label="Adam + L2, 100×")
    grid = np.logspace(-2, 2, 200)
    ax.plot(
        grid, np.maximum(0, 1 - travel / grid), color=pal.muted, lw=1, linestyle="--", label="1 − ητ / w₀"
    )
    ax.set_xscale("log")
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlabel("starting weight $w_0$")
    ax.set_ylabel(f"fraction left after {STEPS} steps")
    fig.legend(loc="outside lower center", ncols=2)


def fig_adam_real(fig, pal):
    """Final weights on a real loss against feature scale: Adam + L2 on ridge, AdamW on the capped fit."""
    d = adam_real()
    X, y = adam_real_data()
    box = box_least_squares(X, y, 1 / C_REAL)
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    ax.plot(d["scales"], d["ols"], color=pal.muted, linestyle=":", label="least squares")
    ax.plot(d["scales"], d["ridge"], color=pal.blue, label="ridge, closed form")
    ax.plot(d["scales"], box, color=pal.orange, linestyle="--", label=f"least squares, |w| ≤ {1 / C_REAL:g}")
    ax.plot(d["scales"], d["adam_l2"], "o", color=pal.blue, ms=8, mfc="none", label="Adam + L2")
    ax.plot(d["scales"], d["adamw"], "x", color=pal.orange, ms=8, label="AdamW")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("standard deviation of the feature")
    ax.set_ylabel("final weight")
    fig.legend(loc="outside lower center", ncols=2)
