"""Proves the practical recipe's numbers: units and intercept, CV and the one-SE rule, dropout and
noise as L2 penalties, Adam + L2 against AdamW."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.linear_model import Ridge, RidgeCV
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sitebuild import snippet_values
from snippets import practical_recipe as pr


@pytest.fixture(scope="module")
def v():
    return snippet_values("practical_recipe")


# --- 1. units and intercept -------------------------------------------------------------------


@pytest.mark.claim("practical_recipe.shift_free", "practical_recipe.fig_intercept")
def test_free_intercept_ignores_a_shift(v):
    """With an unpenalised intercept (scikit-learn's Ridge), adding c to y moves the fit up by exactly c."""
    X, y = pr.intercept_data()
    a = Ridge(alpha=v["lam_intercept"]).fit(X, y)
    b = Ridge(alpha=v["lam_intercept"]).fit(X, y + v["shift"])
    assert np.allclose(a.coef_, b.coef_, atol=1e-12)
    moved = b.predict(X) - a.predict(X)
    assert np.allclose(moved, v["shift"], atol=1e-9)
    assert v["shift_slope_change_free"] < 1e-9
    assert v["shift_moves_free_min"] == pytest.approx(v["shift"], abs=1e-9)
    assert v["shift_moves_free_max"] == pytest.approx(v["shift"], abs=1e-9)


@pytest.mark.claim("practical_recipe.shift_penalised", "practical_recipe.fig_intercept")
def test_penalised_intercept_changes_the_fit(v):
    """Penalising the intercept (a column of ones inside Ridge without intercept) makes a shift of y
    change the slope; the numbers quoted match scikit-learn's."""
    X, y = pr.intercept_data()
    X1 = np.column_stack([np.ones(len(y)), X])
    fits = [Ridge(alpha=v["lam_intercept"], fit_intercept=False).fit(X1, t) for t in (y, y + v["shift"])]
    slope_change = abs(fits[1].coef_[1] - fits[0].coef_[1])
    moved = fits[1].predict(X1) - fits[0].predict(X1)
    assert v["shift_slope_change_pen"] == pytest.approx(slope_change, rel=1e-9)
    assert v["shift_moves_pen_min"] == pytest.approx(moved.min(), rel=1e-9)
    assert v["shift_moves_pen_max"] == pytest.approx(moved.max(), rel=1e-9)
    assert slope_change > 1.0 and moved.min() < 0.5 * v["shift"] < v["shift"] < moved.max()
    w, b = pr.ridge_penalised_intercept(X, y, v["lam_intercept"])
    assert np.allclose([b, *w], fits[0].coef_, rtol=1e-9)


@pytest.mark.claim("practical_recipe.units")
def test_units_matter_unless_standardised(v):
    """Rewriting one feature in millimetres changes ridge on raw features, not on standardised ones."""
    X, y = pr.units_data()
    X_mm = X * np.array([1.0, 1000.0])
    raw = [Ridge(alpha=40.0).fit(A, y).predict(A) for A in (X, X_mm)]
    std = [make_pipeline(StandardScaler(), Ridge(alpha=40.0)).fit(A, y).predict(A) for A in (X, X_mm)]
    assert v["units_change_raw"] == pytest.approx(np.max(np.abs(raw[1] - raw[0])), rel=1e-9)
    assert v["units_change_raw"] > 0.5
    assert v["units_lam"] == 40.0  # the λ the page quotes is the one the test fits with
    assert np.max(np.abs(std[1] - std[0])) < 1e-9 and v["units_change_std"] < 1e-9


# --- 2. cross-validation -----------------------------------------------------------------------


def sklearn_cv(X, y, lams, folds):
    """Mean and SE of the fold MSEs from scikit-learn (StandardScaler fitted on the training folds, then
    Ridge with an intercept), on the given folds."""
    n = len(y)
    errors = np.empty((len(lams), len(folds)))
    for j, test in enumerate(folds):
        train = np.setdiff1d(np.arange(n), test)
        scaler = StandardScaler().fit(X[train])
        Z_train, Z_test = scaler.transform(X[train]), scaler.transform(X[test])
        for i, lam in enumerate(lams):
            pred = Ridge(alpha=lam).fit(Z_train, y[train]).predict(Z_test)
            errors[i, j] = mean_squared_error(y[test], pred)
    return errors.mean(axis=1), errors.std(axis=1, ddof=1) / np.sqrt(len(folds))


@pytest.mark.slow
def test_sklearn_cv_helper_matches_cross_val_score():
    """The helper above agrees with scikit-learn's own cross_val_score (a pipeline) at a few λ."""
    X, y = pr.cv_data(seed=pr.CV_SEED)
    folds = pr.fold_indices(len(y), 5)
    splits = [(np.setdiff1d(np.arange(len(y)), f), f) for f in folds]
    lams = pr.LAMS[::10]
    mean, _ = sklearn_cv(X, y, lams, folds)
    for lam, m in zip(lams, mean, strict=True):
        model = make_pipeline(StandardScaler(), Ridge(alpha=lam))
        scores = cross_val_score(model, X, y, cv=splits, scoring="neg_mean_squared_error")
        assert m == pytest.approx(-scores.mean(), rel=1e-10)


@pytest.fixture(scope="module")
def sk_cv(v):
    """scikit-learn's CV curve on the page's data set and seeded folds (computed once)."""
    X, y = pr.cv_data(seed=pr.CV_SEED)
    return sklearn_cv(X, y, pr.LAMS, pr.fold_indices(len(y), v["k_folds"]))


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.cv_curve", "practical_recipe.fig_cv")
def test_cv_curve_matches_sklearn(v, sk_cv):
    """The numpy CV curve equals scikit-learn's cross_val_score on the same seeded folds, for every λ."""
    _, y = pr.cv_data(seed=pr.CV_SEED)
    folds = pr.fold_indices(len(y), v["k_folds"])
    assert np.array_equal(np.sort(np.concatenate(folds)), np.arange(len(y)))
    assert {len(f) for f in folds} == {len(y) // v["k_folds"]}
    mean, se = sk_cv
    cv = pr.cv_curve()
    assert np.allclose(cv["cv"], mean, rtol=1e-8)
    assert np.allclose(cv["se"], se, rtol=1e-8)


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.one_se", "practical_recipe.fig_cv")
def test_one_se_rule(v, sk_cv):
    """λ_min minimises scikit-learn's CV curve; λ_1se is the largest λ within one SE of it, and larger."""
    mean, se = sk_cv
    best = int(np.argmin(mean))
    threshold = mean[best] + se[best]
    allowed = [lam for lam, m in zip(pr.LAMS, mean, strict=True) if m <= threshold]
    assert v["lam_min"] == pytest.approx(pr.LAMS[best])
    assert v["lam_1se"] == pytest.approx(max(allowed))
    assert v["lam_1se"] > v["lam_min"]
    assert v["cv_min"] == pytest.approx(mean[best]) and v["cv_min_se"] == pytest.approx(se[best])
    assert v["cv_1se"] <= threshold
    assert all(m > threshold for lam, m in zip(pr.LAMS, mean, strict=True) if lam > v["lam_1se"])


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.fresh_error", "practical_recipe.fig_cv")
def test_fresh_data_error(v):
    """The error on fresh data at both choices, recomputed with scikit-learn on the same fresh sample."""
    X, y = pr.cv_data(seed=pr.CV_SEED)
    X_new, y_new = pr.cv_data(n=5000, seed=pr.CV_SEED + 1000)

    def fresh(lam):
        model = make_pipeline(StandardScaler(), Ridge(alpha=lam)).fit(X, y)
        return np.mean((y_new - model.predict(X_new)) ** 2)

    assert v["test_at_min"] == pytest.approx(fresh(v["lam_min"]), rel=1e-9)
    assert v["test_at_1se"] == pytest.approx(fresh(v["lam_1se"]), rel=1e-9)
    assert v["test_best"] == pytest.approx(min(fresh(lam) for lam in pr.LAMS), rel=1e-9)
    assert v["test_best"] <= min(v["test_at_min"], v["test_at_1se"])


@pytest.mark.claim("practical_recipe.too_much", "practical_recipe.fig_cv")
def test_too_much_penalty_hurts(v):
    """At the largest λ of the grid the fresh-data error (scikit-learn) is far above the smallest λ's."""
    X, y = pr.cv_data(seed=pr.CV_SEED)
    X_new, y_new = pr.cv_data(n=5000, seed=pr.CV_SEED + 1000)
    errs = []
    for lam in (v["lam_small"], v["lam_large"]):
        model = make_pipeline(StandardScaler(), Ridge(alpha=lam)).fit(X, y)
        errs.append(np.mean((y_new - model.predict(X_new)) ** 2))
    assert v["test_at_small"] == pytest.approx(errs[0], rel=1e-9)
    assert v["test_at_large"] == pytest.approx(errs[1], rel=1e-9)
    assert errs[1] > 2 * errs[0] and v["lam_large"] == pr.LAMS[-1] and v["lam_small"] == pr.LAMS[0]


def svd_ridge_path(X, y, lams):
    """Independent ridge path: standardise, centre, then w(λ) = V diag(d/(d²+λ)) Uᵀy for all λ at once."""
    mean, sd = X.mean(axis=0), X.std(axis=0)
    Z = (X - mean) / sd
    U, d, Vt = np.linalg.svd(Z, full_matrices=False)
    uty = U.T @ (y - y.mean())
    ws = np.array([Vt.T @ (d / (d**2 + lam) * uty) for lam in lams])
    return ws, mean, sd, y.mean()


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.repeats", "practical_recipe.se_understates")
def test_one_se_over_many_data_sets(v):
    """Over the repeated data sets (an SVD-based ridge, written here), the one-SE choice costs a little
    fresh-data error on average and picks a larger λ; the averages quoted match."""
    rows, at_fixed = [], []
    fixed = int(np.argmin(np.abs(pr.LAMS - v["lam_fixed"])))
    assert pr.LAMS[fixed] == pytest.approx(10.0)
    for seed in range(100, 100 + v["n_repeats"]):
        X, y = pr.cv_data(seed=seed)
        n = len(y)
        folds = np.array_split(np.random.default_rng(0).permutation(n), v["k_folds"])
        errs = []
        for f in folds:
            tr = np.setdiff1d(np.arange(n), f)
            ws, mean, sd, ym = svd_ridge_path(X[tr], y[tr], pr.LAMS)
            pred = ((X[f] - mean) / sd) @ ws.T + ym
            errs.append(np.mean((y[f, None] - pred) ** 2, axis=0))
        errs = np.array(errs).T
        cv, se = errs.mean(axis=1), errs.std(axis=1, ddof=1) / np.sqrt(len(folds))
        best = int(np.argmin(cv))
        one = max(i for i in range(len(cv)) if cv[i] <= cv[best] + se[best])
        X_new, y_new = pr.cv_data(n=5000, seed=seed + 1000)
        ws, mean, sd, ym = svd_ridge_path(X, y, pr.LAMS)
        fresh = np.mean((y_new[:, None] - (((X_new - mean) / sd) @ ws.T + ym)) ** 2, axis=0)
        rows.append([fresh[best], fresh[one], fresh.min(), pr.LAMS[one] / pr.LAMS[best]])
        at_fixed.append([cv[fixed], se[fixed], pr.LAMS[best]])
    rows, at_fixed = np.array(rows), np.array(at_fixed)
    assert v["rep_test_min"] == pytest.approx(rows[:, 0].mean(), rel=1e-8)
    assert v["rep_test_1se"] == pytest.approx(rows[:, 1].mean(), rel=1e-8)
    assert v["rep_test_oracle"] == pytest.approx(rows[:, 2].mean(), rel=1e-8)
    assert v["rep_lam_ratio"] == pytest.approx(np.exp(np.log(rows[:, 3]).mean()), rel=1e-8)
    assert v["rep_extra_pct"] == pytest.approx(100 * (rows[:, 1].mean() / rows[:, 0].mean() - 1), rel=1e-6)
    assert v["rep_test_oracle"] < v["rep_test_min"] < v["rep_test_1se"] < 1.1 * v["rep_test_min"]
    assert v["rep_lam_ratio"] > 2
    assert v["rep_lam_min_lo"] == pytest.approx(at_fixed[:, 2].min(), rel=1e-9)
    assert v["rep_lam_min_hi"] == pytest.approx(at_fixed[:, 2].max(), rel=1e-9)
    assert v["rep_lam_min_lo"] < v["lam_fixed"] < v["rep_lam_min_hi"]
    # the spread of CV(λ) over data sets against the quoted standard errors sd/√k
    assert v["rep_cv_sd_fixed"] == pytest.approx(np.std(at_fixed[:, 0], ddof=1), rel=1e-8)
    assert v["rep_se_median_fixed"] == pytest.approx(np.median(at_fixed[:, 1]), rel=1e-8)
    assert v["rep_cv_sd_fixed"] > 1.5 * v["rep_se_median_fixed"]


# --- 2b. leave-one-out and GCV from the hat matrix ----------------------------------------------------


def explicit_hat_curves(X, y, lams):
    """LOO, GCV and tr H from the explicit n × n hat matrix [1 Z](AᵀA + diag(0, λI))⁻¹[1 Z]ᵀ of ridge with an
    unpenalised intercept column (Z standardised on all data by scikit-learn; no SVD, no centring trick)."""
    Z = StandardScaler().fit_transform(X)
    A = np.column_stack([np.ones(len(y)), Z])
    n = len(y)
    loo, gcv, df = [], [], []
    for lam in lams:
        P = lam * np.eye(A.shape[1])
        P[0, 0] = 0.0
        H = A @ np.linalg.solve(A.T @ A + P, A.T)
        e = y - H @ y
        loo.append(np.mean((e / (1 - np.diag(H))) ** 2))
        gcv.append(np.mean((e / (1 - np.trace(H) / n)) ** 2))
        df.append(np.trace(H))
    return np.array(loo), np.array(gcv), np.array(df)


@pytest.fixture(scope="module")
def hat_curves():
    X, y = pr.cv_data(seed=pr.CV_SEED)
    return explicit_hat_curves(X, y, pr.LAMS)


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.loo_exact", "practical_recipe.fig_loo")
def test_loo_shortcut_equals_refits_and_ridgecv(hat_curves):
    """The shortcut LOO equals n brute-force refits with scikit-learn's Ridge (every 4th λ), scikit-learn's
    RidgeCV (efficient LOO, every λ), and the explicit hat matrix; GCV equals the explicit formula."""
    X, y = pr.cv_data(seed=pr.CV_SEED)
    Z = StandardScaler().fit_transform(X)
    n = len(y)
    d = pr.loo_curve()
    for j in range(0, len(pr.LAMS), 4):
        errs = [
            (y[i] - Ridge(alpha=pr.LAMS[j]).fit(np.delete(Z, i, 0), np.delete(y, i)).predict(Z[i : i + 1])[0])
            ** 2
            for i in range(n)
        ]
        assert d["loo"][j] == pytest.approx(np.mean(errs), rel=1e-9)
    sk = RidgeCV(alphas=pr.LAMS, store_cv_results=True).fit(Z, y)
    assert np.allclose(d["loo"], sk.cv_results_.mean(axis=0), rtol=1e-8)
    loo, gcv, df = hat_curves
    assert np.allclose(d["loo"], loo, rtol=1e-9)
    assert np.allclose(d["gcv"], gcv, rtol=1e-9)
    assert np.allclose(d["df"], df, rtol=1e-9)
    assert sk.alpha_ == pytest.approx(pr.LAMS[np.argmin(loo)])
    # the snippet's own brute force agrees too, and counts its fits
    some = pr.LAMS[[3, 20, 33]]
    brute = pr.brute_loo(X, y, some)
    assert np.allclose(brute["loo"], loo[[3, 20, 33]], rtol=1e-9)
    assert brute["fits"] == n * 3


def counting_svd(monkeypatch):
    calls = []
    real = np.linalg.svd

    def svd(*args, **kwargs):
        calls.append(args[0].shape)
        return real(*args, **kwargs)

    monkeypatch.setattr(np.linalg, "svd", svd)
    return calls


@pytest.mark.claim("practical_recipe.loo_cost")
def test_loo_cost_in_fits(v, monkeypatch):
    """Counted by intercepting numpy's SVD (every ridge fit of the site is one SVD): the shortcut does one
    for the whole grid, 5-fold CV one per fold and λ, brute-force LOO one per sample and λ."""
    X, y = pr.cv_data(seed=pr.CV_SEED)
    calls = counting_svd(monkeypatch)
    pr.loo_gcv(X, y)
    assert len(calls) == 1 == v["loo_factorisations"]
    calls.clear()
    pr.fold_errors(X, y, pr.LAMS)
    assert len(calls) == v["kfold_fits"] == 5 * 41
    calls.clear()
    pr.brute_loo(X, y, pr.LAMS[:2])
    assert len(calls) == 2 * len(y)
    assert v["brute_fits"] == len(y) * len(pr.LAMS) == 80 * 41 and v["n_lams"] == len(pr.LAMS)


def fresh_error_sklearn(lam, seed=pr.CV_SEED):
    X, y = pr.cv_data(seed=seed)
    X_new, y_new = pr.cv_data(n=5000, seed=seed + 1000)
    model = make_pipeline(StandardScaler(), Ridge(alpha=lam)).fit(X, y)
    return np.mean((y_new - model.predict(X_new)) ** 2)


@pytest.mark.claim("practical_recipe.loo_choice")
def test_loo_and_gcv_choice(v, hat_curves, sk_cv):
    """The λ each criterion picks (explicit hat matrix; scikit-learn 5-fold curve), the fresh error there."""
    loo, gcv, df = hat_curves
    mean, _ = sk_cv
    i_loo, i_gcv, i_cv = int(np.argmin(loo)), int(np.argmin(gcv)), int(np.argmin(mean))
    assert v["loo_lam"] == pytest.approx(pr.LAMS[i_loo]) and v["gcv_lam"] == pytest.approx(pr.LAMS[i_gcv])
    assert v["kfold_lam"] == pytest.approx(pr.LAMS[i_cv])
    assert v["loo_min"] == pytest.approx(loo[i_loo], rel=1e-9) and v["gcv_min"] == pytest.approx(
        gcv[i_gcv], rel=1e-9
    )
    assert v["loo_df"] == pytest.approx(df[i_loo], rel=1e-9)
    assert v["loo_gcv_gap"] == pytest.approx(np.max(np.abs(gcv / loo - 1)), rel=1e-8)
    assert v["loo_test"] == pytest.approx(fresh_error_sklearn(pr.LAMS[i_loo]), rel=1e-9)
    assert v["kfold_test"] == pytest.approx(fresh_error_sklearn(pr.LAMS[i_cv]), rel=1e-9)
    assert v["df_max"] == pytest.approx(df[0], rel=1e-9) and v["df_min"] == pytest.approx(df[-1], rel=1e-9)
    assert 1 < v["df_min"] < 2 and 20 < v["df_max"] < 21


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.loo_repeats")
def test_loo_over_many_data_sets(v):
    """Over the repeated data sets, with the explicit hat matrix and an SVD-based 5-fold CV written here."""
    rows = []
    for seed in range(100, 100 + v["n_repeats"]):
        X, y = pr.cv_data(seed=seed)
        n = len(y)
        loo, gcv, _ = explicit_hat_curves(X, y, pr.LAMS)
        folds = np.array_split(np.random.default_rng(0).permutation(n), v["k_folds"])
        errs = []
        for f in folds:
            tr = np.setdiff1d(np.arange(n), f)
            ws, mean, sd, ym = svd_ridge_path(X[tr], y[tr], pr.LAMS)
            errs.append(np.mean((y[f, None] - (((X[f] - mean) / sd) @ ws.T + ym)) ** 2, axis=0))
        kfold = np.mean(errs, axis=0)
        X_new, y_new = pr.cv_data(n=5000, seed=seed + 1000)
        ws, mean, sd, ym = svd_ridge_path(X, y, pr.LAMS)
        fresh = np.mean((y_new[:, None] - (((X_new - mean) / sd) @ ws.T + ym)) ** 2, axis=0)
        picks = [int(np.argmin(loo)), int(np.argmin(gcv)), int(np.argmin(kfold))]
        rows.append([*(pr.LAMS[i] for i in picks), *(fresh[i] for i in picks)])
    rows = np.array(rows)
    close = np.abs(np.log(rows[:, 0] / rows[:, 2])) <= np.log(2) + 1e-9
    assert v["rep_loo_close"] == int(close.sum()) and v["rep_loo_close"] >= v["n_repeats"] // 2
    assert v["rep_loo_test"] == pytest.approx(rows[:, 3].mean(), rel=1e-8)
    assert v["rep_gcv_test"] == pytest.approx(rows[:, 4].mean(), rel=1e-8)
    assert v["rep_kfold_test"] == pytest.approx(rows[:, 5].mean(), rel=1e-8)
    assert v["rep_loo_lam_lo"] == pytest.approx(rows[:, 0].min()) and v["rep_loo_lam_hi"] == pytest.approx(
        rows[:, 0].max()
    )
    assert abs(v["rep_loo_test"] / v["rep_kfold_test"] - 1) < 0.02


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.loo_slider", "practical_recipe.fig_loo")
def test_interactive_loo_frames(v, hat_curves, sk_cv):
    """The slider's frames: one per λ of the grid, the four curves from independent computations, each
    frame's points on the curves at its λ, and the readout quoting those numbers and tr H (explicit trace),
    which falls strictly as λ grows."""
    import json

    data = pr.data_loo()
    text = json.dumps(data, allow_nan=False)
    assert len(text) < 40_000
    assert data["kind"] == "frames" and data["xscale"] == "log"
    assert np.allclose(data["slider"]["values"], pr.LAMS, rtol=1e-5)
    assert len(data["frames"]) == len(pr.LAMS)
    # the axis shows the slider's whole range: every frame's point is inside it
    assert np.allclose(data["xlim"], [pr.LAMS.min(), pr.LAMS.max()], rtol=1e-9)
    loo, gcv, df = hat_curves
    mean, _ = sk_cv
    fresh = np.array([fresh_error_sklearn(lam) for lam in pr.LAMS])
    expected = {"leave-one-out (exact)": loo, "GCV": gcv, "5-fold CV": mean, "fresh data": fresh}
    assert {s["label"] for s in data["static"]} == set(expected)
    for series in data["static"]:
        assert np.allclose(series["y"], expected[series["label"]], atol=1e-4)
        assert data["ylim"][0] <= min(series["y"]) and max(series["y"]) <= data["ylim"][1]
    assert data["slider"]["initial"] == int(np.argmin(loo))
    for i, frame in enumerate(data["frames"]):
        (points,) = frame["series"]
        assert np.allclose(points["x"], pr.LAMS[i], rtol=1e-5)
        assert np.allclose(sorted(points["y"]), sorted(c[i] for c in expected.values()), atol=1e-4)
        assert f"leave-one-out {loo[i]:.2f}" in frame["readout"] and f"GCV {gcv[i]:.2f}" in frame["readout"]
        assert f"tr H = {df[i]:.1f}" in frame["readout"] and f"5-fold {mean[i]:.2f}" in frame["readout"]
    assert np.all(np.diff(df) < 0)
    assert v["df_max"] == pytest.approx(df[0]) and v["df_min"] == pytest.approx(df[-1])


# --- 3. dropout and noise ------------------------------------------------------------------------


def exact_dropout_expectation(X, y, w, q, inverted):
    """E‖y − (M⊙X)w‖² by enumerating all 2^p keep-patterns of each row (no formula used)."""
    p = X.shape[1]
    total = 0.0
    for pattern in itertools.product([0, 1], repeat=p):
        m = np.array(pattern, dtype=float)
        prob = q ** m.sum() * (1 - q) ** (p - m.sum())
        pred = X @ (m * w) / (q if inverted else 1.0)
        total += prob * np.sum((y - pred) ** 2)
    return total


@pytest.mark.claim(
    "practical_recipe.dropout_unscaled",
    "practical_recipe.dropout_inverted",
    "practical_recipe.dropout_mc",
    "practical_recipe.fig_dropout",
)
@pytest.mark.slow
def test_dropout_expected_loss(v):
    """Exact expectations (enumerating every mask) equal the closed forms, and the Monte Carlo means lie
    within 4 standard errors (SE = sample sd/√draws with the quoted number of draws) for every q."""
    X, y = pr.noise_data()
    d = pr.dropout_check()
    worst = 0.0
    for key, inverted in (("unscaled", False), ("inverted", True)):
        exact = np.array([exact_dropout_expectation(X, y, d["w"], q, inverted) for q in d["q"]])
        assert np.allclose(d[key]["exact"], exact, rtol=1e-10)
        z = np.abs(d[key]["mc"] - exact) / d[key]["se"]
        assert np.all(z < 4)
        worst = max(worst, z.max())
    assert v["drop_max_z"] == pytest.approx(worst, rel=1e-9)
    i = int(np.argmin(np.abs(d["q"] - 0.5)))
    assert v["drop_uns_exact_half"] == pytest.approx(exact_dropout_expectation(X, y, d["w"], 0.5, False))
    assert v["drop_inv_exact_half"] == pytest.approx(exact_dropout_expectation(X, y, d["w"], 0.5, True))
    assert v["drop_uns_mc_half"] == pytest.approx(d["unscaled"]["mc"][i])
    assert abs(v["drop_inv_mc_half"] - v["drop_inv_exact_half"]) < 4 * v["drop_inv_se_half"]
    assert abs(v["drop_uns_mc_half"] - v["drop_uns_exact_half"]) < 4 * v["drop_uns_se_half"]
    assert v["drop_inv_se_half"] * np.sqrt(v["n_draws"]) < 0.5 * v["drop_inv_exact_half"]
    # the quoted standard errors against the spread of 20 000 independent masks drawn here
    rng = np.random.default_rng(2024)
    for key, inverted in (("drop_uns_se_half", False), ("drop_inv_se_half", True)):
        M = rng.random((20_000, *X.shape)) < 0.5
        losses = np.sum((y - (M * X) @ d["w"] / (0.5 if inverted else 1.0)) ** 2, axis=1)
        assert v[key] * np.sqrt(v["n_draws"]) == pytest.approx(losses.std(), rel=0.06)
        assert np.mean(losses) == pytest.approx(v[key.replace("_se_", "_exact_")], rel=0.01)


@pytest.mark.claim("practical_recipe.dropout_minimiser", "practical_recipe.dropout_augmented")
def test_dropout_minimiser_is_scaled_ridge(v):
    """The inverted-dropout minimiser is ridge with α = (1−q)/q on columns scaled to unit norm
    (scikit-learn), and least squares on many dropped-out copies lands on it."""
    X, y = pr.noise_data()
    q = 0.5
    norms = np.linalg.norm(X, axis=0)
    w_sk = Ridge(alpha=(1 - q) / q, fit_intercept=False).fit(X / norms, y).coef_ / norms
    assert np.allclose(pr.dropout_ridge(X, y, q), w_sk, rtol=1e-9)
    w_ols = np.linalg.lstsq(X, y, rcond=None)[0]
    assert v["drop_ridge_vs_ols"] == pytest.approx(np.linalg.norm(w_sk - w_ols), rel=1e-9)
    assert v["drop_aug_gap"] == pytest.approx(np.linalg.norm(pr.dropout_augmented_fit(X, y, q) - w_sk))
    assert v["drop_aug_gap"] < 0.05 * v["drop_ridge_vs_ols"]


@pytest.mark.claim("practical_recipe.dropout_standardised")
def test_dropout_on_standardised_features_is_ridge(v):
    """On standardised features (‖x_j‖² = n), inverted dropout's penalty is ridge with λ = n(1−q)/q."""
    X, y = pr.noise_data()
    n, q = len(y), 0.5
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    yc = y - y.mean()
    assert v["drop_lam_std"] == pytest.approx(n * (1 - q) / q)
    w_sk = Ridge(alpha=v["drop_lam_std"], fit_intercept=False).fit(Z, yc).coef_
    assert np.allclose(pr.dropout_ridge(Z, yc, q), w_sk, rtol=1e-9)


@pytest.mark.claim("practical_recipe.dropout_mean")
def test_dropout_removes_scale_not_mean(v):
    """Dropout's penalty weight is the raw ‖x_j‖² = n(s_j² + x̄_j²). With a free intercept its minimiser is
    scikit-learn's Ridge(α = (1−q)/q) on the columns divided by their raw norms; rescaling a feature
    leaves the predictions alone, shifting it does not, and the result is not ridge on standardised data."""
    X, y = pr.noise_data()
    q, alpha = 0.5, 1.0
    n = len(y)

    def dropout_fit(A):
        norms = np.sqrt(np.sum(A**2, axis=0))
        model = Ridge(alpha=alpha, fit_intercept=True).fit(A / norms, y)
        return model.predict(A / norms), model.coef_ / norms

    base, w = dropout_fit(X)
    shifted = X + np.array([v["drop_shift"], 0, 0, 0])
    rescaled = X * np.array([v["drop_rescale"], 1, 1, 1])
    moved_shift = np.max(np.abs(dropout_fit(shifted)[0] - base))
    moved_rescale = np.max(np.abs(dropout_fit(rescaled)[0] - base))
    assert v["drop_shift_change"] == pytest.approx(moved_shift, rel=1e-8)
    assert v["drop_rescale_change"] < 1e-12 and moved_rescale < 1e-12
    assert moved_shift > 0.1
    assert v["drop_weight_1"] == pytest.approx(w[0], rel=1e-9)
    assert v["drop_weight_1_shifted"] == pytest.approx(dropout_fit(shifted)[1][0], rel=1e-9)
    # the penalty weight counts the mean: n(s² + x̄²), s with ddof = 0
    x1 = shifted[:, 0]
    assert v["drop_penalty_ratio"] == pytest.approx(
        n * (x1.std() ** 2 + x1.mean() ** 2) / (n * (X[:, 0].std() ** 2 + X[:, 0].mean() ** 2)), rel=1e-9
    )
    assert v["drop_penalty_ratio"] > 10
    # on the shifted data dropout is not ridge with λ = n(1−q)/q on standardised features
    std_fit = make_pipeline(StandardScaler(), Ridge(alpha=n * (1 - q) / q)).fit(shifted, y).predict(shifted)
    assert np.max(np.abs(std_fit - dropout_fit(shifted)[0])) > 0.1


@pytest.mark.claim("practical_recipe.noise_mc")
def test_noise_expected_loss(v):
    """Monte Carlo of the noisy squared loss is within 4 SE of (1/2n)‖y − Xw‖² + ½ν²‖w‖²."""
    X, y = pr.noise_data()
    w, nu = pr.dropout_check()["w"], v["nu"]
    exact = 0.5 * np.mean((y - X @ w) ** 2) + 0.5 * nu**2 * np.sum(w**2)
    assert abs(v["noise_mc"] - exact) < 4 * v["noise_mc_se"]
    assert v["noise_exact"] == pytest.approx(exact, rel=1e-12)
    # the standard error from the closed-form variance: with z ~ N(0, ν²‖w‖²) per sample,
    # Var((a − z)²) = 4a²s² + 2s⁴, so Var(loss) = Σ(4aᵢ²s² + 2s⁴)/(4n²)
    a, s2, n = y - X @ w, nu**2 * np.sum(w**2), len(y)
    sd = np.sqrt(np.sum(4 * a**2 * s2 + 2 * s2**2) / (4 * n**2))
    assert v["noise_mc_se"] == pytest.approx(sd / np.sqrt(v["n_draws"]), rel=0.05)
    assert v["n_draws"] == 4000
    assert v["noise_lam"] == pytest.approx(len(y) * nu**2)


@pytest.mark.claim("practical_recipe.noise_ridge", "practical_recipe.fig_noise")
def test_noise_augmentation_is_ridge(v):
    """Least squares on noisy copies matches scikit-learn's Ridge(α = nν²) for every ν in the figure,
    far closer than ridge is to plain least squares; the plotted ridge path matches scikit-learn too."""
    X, y = pr.noise_data()
    d = pr.noise_path()
    w_ols = np.linalg.lstsq(X, y, rcond=None)[0]
    for nu, w_aug in zip(d["nu"], d["aug"], strict=True):
        w_sk = Ridge(alpha=len(y) * nu**2, fit_intercept=False).fit(X, y).coef_
        assert np.linalg.norm(w_aug - w_sk) < 0.05 * np.linalg.norm(w_sk - w_ols)
    for lam, w in zip(d["lams"][::7], d["path"][::7], strict=True):
        assert np.allclose(w, Ridge(alpha=lam, fit_intercept=False).fit(X, y).coef_, rtol=1e-8)
    assert v["noise_aug_gap"] < 0.05 * v["noise_ridge_vs_ols"]


@pytest.mark.claim("practical_recipe.combined")
def test_noise_plus_ridge_adds_up(v):
    """Ridge λ on noisy copies matches a single ridge with λ + nν², not λ alone nor nν² alone."""
    X, y = pr.noise_data()
    n, nu, lam = len(y), v["nu"], v["lam_extra"]
    assert v["lam_combined"] == pytest.approx(lam + n * nu**2)
    w_both = pr.noise_ridge_augmented_fit(X, y, nu, lam)
    target = Ridge(alpha=lam + n * nu**2, fit_intercept=False).fit(X, y).coef_
    assert v["combined_gap"] == pytest.approx(np.linalg.norm(w_both - target), rel=1e-6)
    for alpha in (lam, n * nu**2):
        other = Ridge(alpha=alpha, fit_intercept=False).fit(X, y).coef_
        assert np.linalg.norm(w_both - target) < 0.1 * np.linalg.norm(other - target)


# --- 4. Adam + L2 vs AdamW -------------------------------------------------------------------------


def scalar_adam(w, steps, eta, l2=0.0, wd=0.0, b1=0.9, b2=0.999, eps=1e-8):
    """Kingma & Ba's Algorithm 1 for one weight, written out; wd adds Loshchilov & Hutter's decay."""
    m = v = 0.0
    for t in range(1, steps + 1):
        g = l2 * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - eta * ((m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps) + wd * w)
    return w


@pytest.mark.claim("practical_recipe.adam_first_step")
def test_adam_first_step_is_sign_like():
    """Bias correction makes Adam's first step η·g/(|g| + ε): the same size η for any weight."""
    w0 = np.array([-100.0, -0.01, 0.01, 3.0, 100.0])
    w1 = pr.run_adam(w0, pr.zero_gradient, steps=1, l2=pr.WD)
    g = pr.WD * w0
    assert np.allclose(w1, w0 - pr.ETA * g / (np.abs(g) + pr.EPS), rtol=1e-12, atol=1e-15)
    assert np.allclose(np.abs(w0 - w1), pr.ETA, rtol=1e-5)


@pytest.mark.claim("practical_recipe.adam_l2", "practical_recipe.fig_adam")
def test_adam_l2_moves_each_weight_by_eta_per_step(v):
    """With no data gradient, Adam + L2 moves a large weight by about η per step (≈ ητ in total, within
    5 %), drives weights below ητ to zero, and agrees with a scalar Adam written from the paper."""
    d = pr.adam_shrinkage()
    travel = v["eta"] * v["steps"]
    assert v["eta_steps"] == pytest.approx(travel)
    large = d["w0"] >= 10 * travel
    moved = d["w0"][large] - d["adam_l2"][large]
    assert np.all((moved > 0.95 * travel) & (moved <= travel * (1 + 1e-9)))
    assert v["adam_l2_left_100"] == pytest.approx(1 - travel / 100, abs=travel / 100 * 0.05)
    assert v["adam_l2_left_10"] == pytest.approx(1 - travel / 10, abs=travel / 10 * 0.05)
    small = d["w0"] < travel / 2
    assert np.all(np.abs(d["adam_l2"][small]) < v["eta"])
    assert v["adam_l2_max_small"] < v["eta"]
    for i in (0, 8, 12, 16):
        assert d["adam_l2"][i] == pytest.approx(scalar_adam(d["w0"][i], v["steps"], v["eta"], l2=v["wd"]))
    assert v["adam_l2_abs_1"] == pytest.approx(abs(scalar_adam(1.0, v["steps"], v["eta"], l2=v["wd"])))


@pytest.mark.claim("practical_recipe.adam_l2_scale_free", "practical_recipe.fig_adam")
def test_adam_l2_ignores_its_coefficient(v):
    """Adam divides the gradient by its own size, so a 100× stronger L2 term gives the same weights."""
    d = pr.adam_shrinkage()
    assert np.allclose(d["adam_l2_strong"], d["adam_l2"], rtol=1e-6, atol=1e-3 * pr.ETA)
    assert v["adam_l2_strong_left_100"] == pytest.approx(v["adam_l2_left_100"], rel=1e-8)


def torch_adam_documented(w0, grad, lrs, weight_decay, decoupled, b1=0.9, b2=0.999, eps=1e-8):
    """The update of torch.optim.Adam (decoupled=False: weight_decay·θ added to the gradient) and of
    torch.optim.AdamW (decoupled=True: θ ← θ − lr·weight_decay·θ first), written from the pseudo-code in
    PyTorch's documentation, for one list of per-step learning rates."""
    theta = np.array(w0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t, lr in enumerate(lrs, start=1):
        g = grad(theta)
        if decoupled:
            theta = theta - lr * weight_decay * theta
        else:
            g = g + weight_decay * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta


def real_gradient():
    X, y = pr.adam_real_data()
    n = len(y)
    return X, y, lambda w: X.T @ (X @ w - y) / n


@pytest.mark.parametrize("decoupled", [False, True])
def test_snippet_adam_is_torchs_documented_update(decoupled):
    """On the real loss, 400 steps of the snippet's Adam (+ L2, or AdamW) equal PyTorch's documented
    algorithm step for step, with the same linearly falling learning rate."""
    X, y, grad = real_gradient()
    steps, c = 400, 0.3
    lrs = 0.02 * (1 - np.arange(steps) / steps)
    expected = torch_adam_documented(np.ones(X.shape[1]), grad, lrs, c, decoupled)
    kwargs = {"wd": c} if decoupled else {"l2": c}
    got = pr.run_adam_decaying(
        np.ones(X.shape[1]), pr.squared_loss_gradient(X, y), eta=0.02, steps=steps, **kwargs
    )
    assert np.allclose(got, expected, rtol=1e-12, atol=1e-14)
    constant = pr.run_adam(np.ones(X.shape[1]), pr.squared_loss_gradient(X, y), steps=50, eta=0.02, **kwargs)
    expected = torch_adam_documented(np.ones(X.shape[1]), grad, np.full(50, 0.02), c, decoupled)
    assert np.allclose(constant, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.adam_l2_real", "practical_recipe.fig_adam_real")
def test_adam_l2_converges_to_ridge(v):
    """Adam + L2 ends on scikit-learn's ridge solution with α = n·c (and = n·10c for the 10× term), in every
    coordinate; the features' scales span 0.1 to 10."""
    X, y = pr.adam_real_data()
    n = len(y)
    assert np.allclose(X.std(axis=0) / pr.ADAM_SCALES, 1, atol=0.2)
    assert v["n_adam"] == n and v["lam_real"] == pytest.approx(n * v["c_real"])
    d = pr.adam_real()
    ridge = Ridge(alpha=n * v["c_real"], fit_intercept=False, solver="cholesky").fit(X, y).coef_
    ridge10 = Ridge(alpha=n * 10 * v["c_real"], fit_intercept=False, solver="cholesky").fit(X, y).coef_
    assert np.allclose(d["ridge"], ridge, rtol=1e-10) and np.allclose(d["ridge_10"], ridge10, rtol=1e-10)
    assert np.max(np.abs(d["adam_l2"] - ridge)) < 1e-9
    assert np.max(np.abs(d["adam_l2_10"] - ridge10)) < 1e-9
    assert v["adam_l2_vs_ridge"] == pytest.approx(np.max(np.abs(d["adam_l2"] - ridge)), abs=1e-12)
    assert v["adam_l2_vs_ridge"] < 1e-9 and v["adam_l2_10_vs_ridge_10"] < 1e-9
    # the ten times larger coefficient really moves the optimum
    assert np.max(np.abs(ridge10 - ridge)) > 0.3
    assert v["steps_real_l2"] == v["steps_real"] // 2


@pytest.mark.claim("practical_recipe.adamw_real", "practical_recipe.fig_adam_real")
def test_adamw_converges_to_capped_least_squares(v):
    """AdamW with the same coefficient ends on least squares with |w_j| ≤ 1/wd (scipy's lsq_linear), far
    from ridge: capped where least squares exceeds the cap, unpenalised elsewhere."""
    from scipy.optimize import lsq_linear

    X, y = pr.adam_real_data()
    n = len(y)
    cap = 1 / v["c_real"]
    assert v["adam_cap"] == pytest.approx(cap)
    box = lsq_linear(X, y, bounds=(-cap, cap), tol=1e-14).x
    assert np.allclose(pr.box_least_squares(X, y, cap), box, atol=1e-9)
    d = pr.adam_real()
    ridge = Ridge(alpha=n * v["c_real"], fit_intercept=False, solver="cholesky").fit(X, y).coef_
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    assert v["adamw_vs_box"] == pytest.approx(np.max(np.abs(d["adamw"] - box)), rel=1e-6)
    assert v["adamw_vs_box"] < 0.05
    assert v["adamw_vs_ridge"] == pytest.approx(np.max(np.abs(d["adamw"] - ridge)), rel=1e-9)
    assert v["adamw_vs_ridge"] > 50 * v["adamw_vs_box"]
    assert v["adamw_w1"] == pytest.approx(d["adamw"][0]) and abs(v["adamw_w1"] - cap) < 0.05
    assert v["ols_w1"] == pytest.approx(ols[0], rel=1e-9) and v["ols_w1"] > cap
    assert v["ridge_w1"] == pytest.approx(ridge[0], rel=1e-9)
    assert v["adamw_w5"] == pytest.approx(d["adamw"][-1])
    # the large-scale weight is the capped fit's value (not plain least squares, which differs by 2 %)
    assert v["box_w5"] == pytest.approx(box[-1], rel=1e-9) and v["ols_w5"] == pytest.approx(ols[-1], rel=1e-9)
    assert abs(v["adamw_w5"] - v["box_w5"]) < 1e-3 < abs(v["box_w5"] - v["ols_w5"])
    assert v["ridge_w5"] == pytest.approx(ridge[-1], rel=1e-9)
    assert np.allclose(d["ols"], ols, rtol=1e-9)
    assert v["eta_real"] == pr.ETA_REAL and v["steps_real"] == pr.STEPS_REAL


@pytest.mark.slow
@pytest.mark.claim("practical_recipe.adam_real_seeds")
def test_adam_end_points_on_ten_more_data_sets():
    """On ten further data sets of the same design, Adam + L2 ends on ridge (scikit-learn) and AdamW on
    capped least squares (scipy), each far closer to its own end point than to the other's."""
    from scipy.optimize import lsq_linear

    c = pr.C_REAL
    for seed in range(10):
        X, y = pr.adam_real_data(seed)
        grad = pr.squared_loss_gradient(X, y)
        w0 = np.zeros(X.shape[1])
        ridge = Ridge(alpha=len(y) * c, fit_intercept=False, solver="cholesky").fit(X, y).coef_
        box = lsq_linear(X, y, bounds=(-1 / c, 1 / c), tol=1e-14).x
        adam_l2 = pr.run_adam_decaying(w0, grad, l2=c, steps=pr.STEPS_REAL // 2)
        adamw = pr.run_adam_decaying(w0, grad, wd=c)
        assert np.max(np.abs(adam_l2 - ridge)) < 1e-8, seed
        assert np.max(np.abs(adamw - box)) < 0.05, seed
        assert np.max(np.abs(adamw - ridge)) > 20 * np.max(np.abs(adamw - box)), seed


@pytest.mark.claim("practical_recipe.adamw", "practical_recipe.fig_adam")
def test_adamw_shrinks_proportionally(v):
    """With zero data gradient AdamW keeps (1 − η·wd)^τ of every weight: checked against PyTorch's documented
    AdamW update run here (decay, then an Adam step whose direction is 0/(0 + ε) = 0), which is independent
    of the snippet's loop, and against the closed form."""
    d = pr.adam_shrinkage()
    expected = torch_adam_documented(
        d["w0"], lambda w: np.zeros_like(w), np.full(v["steps"], v["eta"]), v["wd"], decoupled=True
    )
    assert np.allclose(d["adamw"], expected, rtol=1e-12)
    factor = (1 - v["eta"] * v["wd"]) ** v["steps"]
    assert v["adamw_factor"] == pytest.approx(factor, rel=1e-12)
    assert np.allclose(d["adamw"], factor * d["w0"], rtol=1e-10)
    assert v["adamw_left_100"] == pytest.approx(factor) and v["adamw_left_001"] == pytest.approx(factor)
    assert v["eta"] == 1e-3 and v["steps"] == 2000 and v["wd"] == 0.05


# --- the settings the page describes --------------------------------------------------------------------


@pytest.mark.slow
def test_settings_match_the_prose():
    """Constants the prose states in words (grid, sizes, seeds, steps), and the data-generating models,
    recovered by least squares from the snippet's data functions."""
    assert (pr.N_CV, pr.P_CV, pr.K_FOLDS, pr.N_REPEATS, pr.CV_SEED) == (80, 20, 5, 20, 22)
    assert np.allclose(pr.LAMS, np.logspace(-2, 4, 41)) and pr.I_FIXED == 20
    assert (pr.SHIFT, pr.LAM_INTERCEPT, pr.N_DROP, pr.P_DROP, pr.N_DRAWS) == (30.0, 20.0, 50, 4, 4000)
    assert np.allclose(pr.DROP_QS, np.linspace(0.1, 0.9, 9)) and np.allclose(
        pr.NOISE_NUS, [0.25, 0.5, 1, 1.5, 2.5]
    )
    assert np.allclose(pr.W0, np.logspace(-2, 2, 17)) and (pr.ETA, pr.STEPS, pr.WD) == (1e-3, 2000, 0.05)
    assert (pr.N_ADAM, pr.C_REAL, pr.ETA_REAL, pr.STEPS_REAL) == (200, 0.2, 0.05, 10_000)
    assert np.allclose(pr.ADAM_SCALES, np.logspace(-1, 1, 5)) and (pr.DROP_SHIFT, pr.DROP_RESCALE) == (
        3.0,
        10.0,
    )
    # cv_data: y = 5 + Σ 3·0.7^j z_j + N(0, 3²), feature j = z_j · s_j with s from 0.1 to 100
    X, y = pr.cv_data(n=200_000, seed=1)
    scales = X.std(axis=0)
    assert scales[0] == pytest.approx(0.1, rel=0.01) and scales[-1] == pytest.approx(100, rel=0.01)
    A = np.column_stack([np.ones(len(y)), X / np.logspace(-1, 2, 20)])
    coef, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    assert coef[0] == pytest.approx(5.0, abs=0.03)
    assert np.allclose(coef[1:], 3.0 * 0.7 ** np.arange(20), atol=0.03)
    assert np.sqrt(res[0] / len(y)) == pytest.approx(3.0, rel=0.01)
    # intercept_data: y = 20 + 1.5x + N(0, 2²) on x in [0, 10]; units_data: y = 2x₁ + x₂ + N(0, 1)
    X, y = pr.intercept_data()
    b, w = np.polynomial.polynomial.polyfit(X[:, 0], y, 1)
    assert (
        b == pytest.approx(20, abs=3) and w == pytest.approx(1.5, abs=0.5) and X.min() >= 0 and X.max() <= 10
    )
    X, y = pr.units_data()
    assert np.allclose(np.linalg.lstsq(X, y, rcond=None)[0], [2, 1], atol=0.4) and X.shape == (40, 2)
    # noise_data: feature sizes 0.5, 1, 2, 4; adam_real_data: weights 1/s_j, noise sd 0.5
    X, y = pr.noise_data()
    assert np.allclose(X.std(axis=0) / [0.5, 1, 2, 4], 1, atol=0.3) and X.shape == (50, 4)
    X, y = pr.adam_real_data()
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.allclose(w * pr.ADAM_SCALES, 1, atol=0.1)
    assert np.std(y - X @ w) == pytest.approx(0.5, rel=0.15)


def test_no_internal_seed_labels_on_the_page():
    """Readers do not know what "seed 002" is: neither the page nor the sources it cites name a source
    document by an internal number."""
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "practical_recipe.md").read_text()
    assert not re.search(r"\b[Ss]eeds? 0\d\d", text)
    cited = set(re.findall(r"(?:cite |source=)([a-z0-9_]+)", text))
    for entry in yaml.safe_load((root / "docs" / "sources.yml").read_text()):
        if entry["key"] in cited:
            visible = " ".join(
                str(entry.get(k, "")) for k in ("short", "title", "publisher", "note", "author")
            )
            assert not re.search(r"\b[Ss]eeds? 0\d\d", visible), entry["key"]


def test_cv_design_is_the_one_the_page_states(v):
    """The CV data set, regenerated from the settings the page states (n, p, scales 0.1 … 100, true weights
    3·0.7^(j−1), intercept 5, noise σ = 3), is the one the page's numbers come from."""
    n, p = v["n_cv"], v["p_cv"]
    rng = np.random.default_rng(pr.CV_SEED)
    Z = rng.normal(0, 1, (n, p))
    w_true = v["cv_w_first"] * v["cv_w_ratio"] ** np.arange(p)
    y = v["cv_intercept"] + Z @ w_true + rng.normal(0, v["cv_noise"], n)
    X_page, y_page = pr.cv_data(seed=pr.CV_SEED)
    np.testing.assert_allclose(X_page, Z * np.logspace(-1, 2, p), rtol=1e-12)
    np.testing.assert_allclose(y_page, y, rtol=1e-12)
    assert (v["cv_w_first"], v["cv_w_ratio"], v["cv_intercept"], v["cv_noise"]) == (3.0, 0.7, 5.0, 3.0)
    assert v["cv_w_last"] == pytest.approx(3.0 * 0.7**19)


def test_dropout_design_is_the_one_the_page_states(v):
    """The dropout and noise data set, regenerated from the settings the page states (feature standard
    deviations, true weights, noise), and the fixed weights of the Monte Carlo check."""
    n = v["n_noise"]
    sds = np.array([v[f"drop_sd_{j}"] for j in range(4)])
    w_true = np.array([v[f"drop_w_true_{j}"] for j in range(4)])
    rng = np.random.default_rng(31)
    X = rng.normal(0, 1, (n, 4)) * sds
    y = X @ w_true + rng.normal(0, v["drop_noise"], n)
    X_page, y_page = pr.noise_data()
    np.testing.assert_allclose(X_page, X, rtol=1e-12)
    np.testing.assert_allclose(y_page, y, rtol=1e-12)
    w_eval = np.array([v[f"drop_w_eval_{j}"] for j in range(4)])
    np.testing.assert_array_equal(pr.dropout_check()["w"], w_eval)
    # the unscaled expected loss at q = 1/2, from the formula with the stated weights
    col_sq = np.sum(X**2, axis=0)
    exact = np.sum((y - 0.5 * X @ w_eval) ** 2) + 0.25 * np.sum(col_sq * w_eval**2)
    assert v["drop_uns_exact_half"] == pytest.approx(exact, rel=1e-12)
