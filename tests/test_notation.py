"""The site's conventions and the conversions from other libraries' conventions: scikit-learn is
used as an oracle directly; Keras and PyTorch rules are re-implemented from their documentation."""

import warnings

import numpy as np
import pytest
from scipy import optimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, Ridge
from sklearn.neural_network import MLPRegressor

from snippets import conventions as cv


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n, p = 40, 5
    X = rng.normal(size=(n, p))
    y = X @ np.array([1.5, -2.0, 0.0, 0.5, 0.0]) + rng.normal(0, 0.3, n)
    return X, y


def grad_squared_loss(w, X, y):
    return X.T @ (X @ w - y) / len(y)


@pytest.mark.claim("notation.ridge_closed_form", "notation.sklearn_ridge")
def test_ridge_matches_sklearn_and_a_numerical_minimiser(data):
    X, y = data
    for lam in (0.1, 3.0, 50.0):
        w = cv.ridge(X, y, lam)
        sk = Ridge(alpha=cv.lam_from_sklearn_ridge(lam), fit_intercept=False, tol=1e-12).fit(X, y).coef_
        np.testing.assert_allclose(w, sk, rtol=1e-8, atol=1e-10)
        res = optimize.minimize(
            cv.ridge_cost, np.zeros(X.shape[1]), args=(X, y, lam), method="BFGS", tol=1e-12
        )
        np.testing.assert_allclose(w, res.x, atol=1e-5)


@pytest.mark.claim("notation.sklearn_lasso", "notation.soft_threshold")
def test_lasso_matches_sklearn_and_soft_thresholding(data):
    X, y = data
    n = len(y)
    for lam in (1.0, 10.0):
        w = cv.lasso_cd(X, y, lam)
        sk = Lasso(alpha=lam / n, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y).coef_
        np.testing.assert_allclose(w, sk, atol=1e-7)
        assert cv.lam_from_sklearn_lasso(lam / n, n) == pytest.approx(lam)
    # orthonormal design: the minimiser is the soft-thresholded least-squares solution
    Q, _ = np.linalg.qr(np.random.default_rng(1).normal(size=(30, 4)))
    yq = np.random.default_rng(2).normal(size=30) * 3
    ls = Q.T @ yq
    np.testing.assert_allclose(
        cv.lasso_cd(Q, yq, 1.2), np.sign(ls) * np.maximum(np.abs(ls) - 1.2, 0), atol=1e-10
    )


@pytest.mark.claim("notation.decay_step")
def test_gradient_step_on_the_l2_cost_is_decay_plus_data_step(data):
    """The update equals plain gradient descent on J computed with a finite-difference gradient."""
    X, y = data
    w, eta, lam, n = np.ones(X.shape[1]), 0.1, 4.0, len(y)
    step = cv.l2_gradient_step(w, grad_squared_loss(w, X, y), eta, lam, n)
    numeric = optimize.approx_fprime(w, cv.ridge_cost, 1e-7, X, y, lam)
    np.testing.assert_allclose(step, w - eta * numeric, atol=1e-6)
    assert cv.decay_factor(eta, lam, n) == pytest.approx(1 - 0.1 * 4 / 40)


# --- other libraries' conventions ---------------------------------------------------------------
# Keras and PyTorch are not installed: their documented rules are re-implemented here, from their
# documentation, with their own losses (Keras "mse" and PyTorch MSELoss average r², not ½r²), and
# trained on real mini-batches of a training set of size N = 400.

N_BIG, BATCH = 400, 20


@pytest.fixture(scope="module")
def big():
    rng = np.random.default_rng(17)
    X = rng.normal(size=(N_BIG, 5))
    y = X @ np.array([1.5, -2.0, 0.0, 0.5, 0.0]) + rng.normal(0, 0.3, N_BIG)
    return X, y


def keras_batch_loss(w, Xb, yb, l1=0.0, l2=0.0, loss="mse"):
    """Keras: the batch's mean per-sample loss plus the layer's regulariser, added to every batch
    (keras.regularizers docs): mse = mean(r²); "half" = a custom loss mean(½r²)."""
    r = Xb @ w - yb
    data = np.mean(r**2) if loss == "mse" else 0.5 * np.mean(r**2)
    return data + l1 * np.sum(np.abs(w)) + l2 * np.sum(w**2)


def minibatch_sgd(grad, w, X, y, lr, epochs, batch=BATCH):
    """Plain mini-batch SGD (batches in a fixed reshuffled order per epoch) with a halving step size
    in the last epochs so the iterate settles; grad(w, Xb, yb) is one batch's gradient."""
    rng = np.random.default_rng(0)
    n = len(y)
    for epoch in range(epochs):
        step = lr * (0.5 ** max(0, epoch - epochs + 8))
        for idx in np.array_split(rng.permutation(n), n // batch):
            w = w - step * grad(w, X[idx], y[idx])
    return w


@pytest.mark.slow
@pytest.mark.claim("notation.keras_l2")
def test_keras_l2_conversion(big):
    """Keras l2(c) with loss="mse": the minimiser of mean(r²) + c·Σw² (scipy, and mini-batch SGD on the
    per-batch Keras loss) is the site's ridge at λ = Nc; with a ½-mean loss it is λ = 2Nc.
    Catches: λ = 2Nc for mse (the old table), n = batch size (λ 20 times too small)."""
    X, y = big
    c = 0.02
    for loss, mse in (("mse", True), ("half", False)):
        res = optimize.minimize(
            keras_batch_loss, np.zeros(5), args=(X, y, 0.0, c, loss), method="BFGS", options={"gtol": 1e-12}
        )
        site = cv.ridge(X, y, cv.lam_from_keras_l2(c, N_BIG, mse=mse))
        np.testing.assert_allclose(site, res.x, atol=1e-6)
        wrong = cv.ridge(X, y, cv.lam_from_keras_l2(c, BATCH, mse=mse))  # n taken as the batch size
        assert np.max(np.abs(wrong - res.x)) > 1e-2
    assert cv.lam_from_keras_l2(c, N_BIG, mse=True) == pytest.approx(N_BIG * c)
    assert cv.lam_from_keras_l2(c, N_BIG) == pytest.approx(2 * N_BIG * c)

    def grad(w, Xb, yb):  # the gradient of one batch's Keras loss (mse + c·Σw²), by finite differences
        return optimize.approx_fprime(w, keras_batch_loss, 1e-7, Xb, yb, 0.0, c, "mse")

    w = minibatch_sgd(grad, np.zeros(5), X, y, lr=0.02, epochs=60)
    np.testing.assert_allclose(w, cv.ridge(X, y, N_BIG * c), atol=2e-3)


@pytest.mark.claim("notation.keras_l1")
def test_keras_l1_conversion(big):
    """Keras l1(c) with loss="mse": the minimiser of mean(r²) + c·Σ|w| (L-BFGS-B on w = u − v, u, v ≥ 0)
    is the site's lasso at λ = Nc/2, exact zeros included; with a ½-mean loss it is λ = Nc.
    Catches: λ = Nc for mse (the old table), n = batch size."""
    X, y = big
    c = 0.1
    for loss, mse in (("mse", True), ("half", False)):

        def split(uv, loss=loss):
            """The Keras loss with |w| replaced by u + v, w = u − v, u, v ≥ 0 (smooth; same minimum), and
            its exact gradient."""
            u, v = uv[:5], uv[5:]
            g = (2.0 if loss == "mse" else 1.0) * X.T @ (X @ (u - v) - y) / len(y)
            value = keras_batch_loss(u - v, X, y, 0.0, 0.0, loss) + c * np.sum(u + v)
            return value, np.concatenate([g + c, -g + c])

        res = optimize.minimize(
            split, np.full(10, 0.1), jac=True, method="L-BFGS-B", bounds=[(0, None)] * 10,
            options={"ftol": 1e-16, "gtol": 1e-13, "maxiter": 10_000},
        )  # fmt: skip
        keras_w = res.x[:5] - res.x[5:]
        site = cv.lasso_cd(X, y, cv.lam_from_keras_l1(c, N_BIG, mse=mse))
        np.testing.assert_allclose(site, keras_w, atol=1e-5)
        assert np.sum(site == 0) >= 1  # the penalty is strong enough to zero a weight
        np.testing.assert_array_equal(site == 0, np.abs(keras_w) < 1e-6)
        wrong = cv.lasso_cd(X, y, cv.lam_from_keras_l1(c, BATCH, mse=mse))
        assert np.max(np.abs(wrong - keras_w)) > 1e-2
    assert cv.lam_from_keras_l1(c, N_BIG, mse=True) == pytest.approx(N_BIG * c / 2)
    assert cv.lam_from_keras_l1(c, N_BIG) == pytest.approx(N_BIG * c)


def torch_sgd(X, y, wd, lr, epochs, loss):
    """numpy re-implementation of torch.optim.SGD (no momentum, dampening 0) as documented:
    per mini-batch g ← ∇(batch loss) + wd·θ; θ ← θ − lr·g. loss "mse" is nn.MSELoss (mean r²),
    "half" a ½-mean squared loss."""
    scale = 2.0 if loss == "mse" else 1.0

    def grad(w, Xb, yb):
        return scale * Xb.T @ (Xb @ w - yb) / len(yb) + wd * w

    return minibatch_sgd(grad, np.zeros(X.shape[1]), X, y, lr, epochs)


@pytest.mark.claim("notation.torch_wd")
def test_torch_weight_decay_conversion(big):
    """Mini-batch SGD (B = 20, N = 400) with weight_decay = wd settles where (XᵀX + N·wd·I)w = Xᵀy
    for a ½-mean loss (λ = N·wd) and where (XᵀX + (N·wd/2)I)w = Xᵀy for MSELoss (λ = N·wd/2).
    Catches: n = batch size (λ = B·wd, 20 times too small), a missing ½ for MSELoss."""
    X, y = big
    wd = 0.05
    for loss, mse, lam_expected in (("half", False, N_BIG * wd), ("mse", True, N_BIG * wd / 2)):
        w = torch_sgd(X, y, wd, lr=0.02, epochs=60, loss=loss)
        solved = np.linalg.solve(X.T @ X + lam_expected * np.eye(5), X.T @ y)
        np.testing.assert_allclose(w, solved, atol=2e-3)
        lam = cv.lam_from_torch_weight_decay(wd, N_BIG, mse=mse)
        assert lam == pytest.approx(lam_expected)
        np.testing.assert_allclose(cv.ridge(X, y, lam), w, atol=2e-3)
        wrong = cv.ridge(X, y, cv.lam_from_torch_weight_decay(wd, BATCH, mse=mse))
        assert np.max(np.abs(wrong - w)) > 10 * 2e-3
    # one full-batch step of torch SGD is the site's decay step with λ = N·wd
    w0 = np.random.default_rng(5).normal(size=5)
    g = X.T @ (X @ w0 - y) / N_BIG
    np.testing.assert_allclose(
        w0 - 0.05 * (g + wd * w0),
        cv.l2_gradient_step(w0, g, 0.05, cv.lam_from_torch_weight_decay(wd, N_BIG), N_BIG),
        rtol=1e-12,
    )


def sk_mlp(X, y, alpha, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPRegressor(
            hidden_layer_sizes=(), activation="identity", alpha=alpha, random_state=0, **kw
        ).fit(X, y)


@pytest.mark.slow
@pytest.mark.claim("notation.sklearn_mlp")
def test_sklearn_mlp_alpha_is_the_sites_lambda(data, big):
    """A linear MLPRegressor is ridge with an unpenalised intercept: full batch (L-BFGS) at λ = α;
    with solver="sgd" and batches of B = 20 out of N = 400, at λ = αN/B = 20 for α = 1, not at λ = 1.
    Catches: λ = α for mini-batches (the old row), λ = αB/N."""
    X, y = data
    alpha = 5.0
    mlp = sk_mlp(X, y, alpha, solver="lbfgs", tol=1e-12, max_iter=10_000)
    w, b = cv.ridge_with_intercept(X, y, cv.lam_from_sklearn_mlp(alpha))
    np.testing.assert_allclose(mlp.coefs_[0].ravel(), w, atol=1e-5)
    assert mlp.intercepts_[0][0] == pytest.approx(b, abs=1e-5)

    X, y = big
    mlp = sk_mlp(
        X, y, 1.0, solver="sgd", batch_size=BATCH, learning_rate="constant", learning_rate_init=0.005,
        momentum=0.0, shuffle=False, max_iter=200, tol=0.0, n_iter_no_change=10**6,
    )  # fmt: skip
    lam = cv.lam_from_sklearn_mlp(1.0, N_BIG, BATCH)
    assert lam == pytest.approx(20.0)
    w, b = cv.ridge_with_intercept(X, y, lam)
    err = np.max(np.abs(mlp.coefs_[0].ravel() - w))
    assert err < 3e-3 and abs(mlp.intercepts_[0][0] - b) < 3e-3
    w1, _ = cv.ridge_with_intercept(X, y, 1.0)  # the old reading, λ = α
    assert np.max(np.abs(mlp.coefs_[0].ravel() - w1)) > 20 * err
    assert cv.lam_from_sklearn_mlp(1.0, N_BIG, min(200, N_BIG)) == pytest.approx(2.0)  # batch_size="auto"


def test_conventions_module_is_included_verbatim():
    """The Notation page includes snippets/conventions.py with the snippets extension's exact syntax
    (a formatter once rewrote it to `--8 < --"…"`, which the page then showed literally)."""
    from pathlib import Path

    from tests.test_l2_penalty import check_page_wording

    text = (Path(__file__).resolve().parents[1] / "docs" / "notation.md").read_text()
    assert '```python\n--8<-- "snippets/conventions.py"\n```' in text
    assert "--8 <" not in text and "< --" not in text
    check_page_wording("notation")


@pytest.mark.slow
@pytest.mark.claim("notation.minibatch_settles")
def test_minibatch_sgd_settles_only_when_its_step_shrinks(big):
    """Mini-batch SGD on the site's L2 cost (batches of 20 of 400): with a constant step the last iterates
    still wander around the full-cost minimiser; a step shrinking like 1/epoch brings them onto it,
    whatever the batch size."""
    X, y = big
    lam = 40.0
    target = cv.ridge(X, y, lam)

    def grad(w, Xb, yb):  # one batch's mean ½r² gradient plus the site's penalty gradient (λ/n)w
        return Xb.T @ (Xb @ w - yb) / len(yb) + lam / N_BIG * w

    def run(batch, shrink):
        rng = np.random.default_rng(0)
        w, tail = np.zeros(X.shape[1]), []
        for epoch in range(300):
            step = 0.05 * (5 / (5 + epoch) if shrink else 1.0)  # a step that shrinks like 1/epoch
            for idx in np.array_split(rng.permutation(N_BIG), N_BIG // batch):
                w = w - step * grad(w, X[idx], y[idx])
                tail.append(np.max(np.abs(w - target)))
        return max(tail[-N_BIG // batch :])

    for batch in (20, 50):
        constant, shrinking = run(batch, False), run(batch, True)
        assert constant > 5e-3  # a constant step keeps wandering
        assert shrinking < constant / 20 and shrinking < 5e-4
    full = cv.ridge(X, y, lam)
    w = np.zeros(X.shape[1])
    for _ in range(5000):  # full batch (B = n), constant step: settles exactly
        w = cv.l2_gradient_step(w, grad_squared_loss(w, X, y), 0.05, lam, N_BIG)
    np.testing.assert_allclose(w, full, atol=1e-10)


def test_description_front_matter():
    from pathlib import Path

    import yaml

    page = (Path(__file__).resolve().parents[1] / "docs" / "notation.md").read_text()
    assert yaml.safe_load(page.split("---\n")[1])["description"].startswith("One letter per meaning")


def test_cited_sources_show_a_label_not_a_key():
    """Software pages have no year, so without a short label the page printed the raw key ([keras_mse])."""
    import re
    from pathlib import Path

    import yaml

    from sitebuild.registry import source_label

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "notation.md").read_text()
    keys = {k for group in re.findall(r"cite ([\w, ]+?)\s*}}", page) for k in group.replace(",", " ").split()}
    assert len(keys) == 7
    entries = {e["key"]: e for e in yaml.safe_load((root / "docs" / "sources.yml").read_text())}
    for key in keys:
        assert source_label(entries[key]) != key, key
