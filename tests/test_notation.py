"""The site's conventions and the conversions from other libraries' conventions: scikit-learn is
used as an oracle directly; Keras and PyTorch rules are re-implemented from their documentation."""

import numpy as np
import pytest
from scipy import optimize
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


def keras_style_loss(w, X, y, l1=0.0, l2=0.0):
    """Keras adds l1·Σ|w| + l2·Σw² to the batch-mean loss (keras.regularizers docs)."""
    return cv.squared_loss(w, X, y) + l1 * np.sum(np.abs(w)) + l2 * np.sum(w**2)


@pytest.mark.claim("notation.keras_l2")
def test_keras_l2_conversion(data):
    X, y = data
    c, n = 0.01, len(y)
    w = np.random.default_rng(3).normal(size=X.shape[1])
    lam = cv.lam_from_keras_l2(c, n)
    assert keras_style_loss(w, X, y, l2=c) == pytest.approx(cv.ridge_cost(w, X, y, lam), rel=1e-12)
    assert lam == pytest.approx(2 * n * c)


@pytest.mark.claim("notation.keras_l1")
def test_keras_l1_conversion(data):
    X, y = data
    c, n = 0.001, len(y)
    w = np.random.default_rng(4).normal(size=X.shape[1])
    lam = cv.lam_from_keras_l1(c, n)
    assert keras_style_loss(w, X, y, l1=c) == pytest.approx(cv.lasso_cost(w, X, y, lam), rel=1e-12)


@pytest.mark.claim("notation.torch_wd")
def test_torch_weight_decay_conversion(data):
    """torch.optim.SGD without momentum: g ← ∇L + wd·θ; θ ← θ − lr·g (PyTorch docs)."""
    X, y = data
    wd, lr, n = 0.02, 0.05, len(y)
    w = np.random.default_rng(5).normal(size=X.shape[1])
    g = grad_squared_loss(w, X, y) + wd * w
    torch_step = w - lr * g
    site_step = cv.l2_gradient_step(
        w, grad_squared_loss(w, X, y), lr, cv.lam_from_torch_weight_decay(wd, n), n
    )
    np.testing.assert_allclose(torch_step, site_step, rtol=1e-12)


@pytest.mark.claim("notation.sklearn_mlp")
def test_sklearn_mlp_alpha_is_the_sites_lambda(data):
    """A linear MLPRegressor (no hidden layer) trained full-batch with L-BFGS is ridge with an
    unpenalised intercept at λ = alpha."""
    X, y = data
    alpha = 5.0
    mlp = MLPRegressor(
        hidden_layer_sizes=(),
        activation="identity",
        solver="lbfgs",
        alpha=alpha,
        tol=1e-12,
        max_iter=10_000,
        random_state=0,
    ).fit(X, y)
    w, b = cv.ridge_with_intercept(X, y, cv.lam_from_sklearn_mlp(alpha))
    np.testing.assert_allclose(mlp.coefs_[0].ravel(), w, atol=1e-5)
    assert mlp.intercepts_[0][0] == pytest.approx(b, abs=1e-5)
