"""Hidden tests, task 3: batch normalisation, forward and backward.

The batches have B != F (a normalisation over the wrong axis changes the shapes' roles), features
with scales from 0.3 to 40 and shifts up to 100, and eps = 1e-5 or 1e-3; every column has a
variance far above eps, so no quantity is near a cancellation: every correct way of writing the
passes (two-pass or one-pass variance, loops, the chapter's formula or the chain rule step by
step) agrees with the reference to about 1e-12 relative, and the tolerance 1e-7 leaves a margin
of about 1e5. The central differences (h = 1e-5 times the column's scale) are accurate to about
1e-8 relative here; they are compared with the tolerance 1e-5.
"""

import numpy as np
import pytest

from course_lib.training import batchnorm_backward, batchnorm_forward


def batch(B, F, seed):
    rng = np.random.default_rng(seed)
    scale = rng.uniform(0.3, 40.0, F)
    X = rng.normal(size=(B, F)) * scale + rng.uniform(-100.0, 100.0, F)
    gamma = rng.uniform(0.5, 2.0, F) * rng.choice([-1.0, 1.0], F)
    beta = rng.normal(size=F)
    dY = rng.normal(size=(B, F))
    return X, gamma, beta, dY


CASES = [(6, 3, 1, 1e-5), (10, 4, 2, 1e-3), (5, 8, 3, 1e-5), (32, 2, 4, 1e-5)]


def reference(X, gamma, beta, dY, eps):
    Y, cache = batchnorm_forward(X, gamma, beta, eps)
    return Y, batchnorm_backward(dY, cache)


def close(a, b, tol=1e-7):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol * np.abs(b).max())


@pytest.mark.points(1)
def test_forward(student):
    """the forward pass on batches with B != F, shifted and scaled features, two values of eps"""
    for B, F, seed, eps in CASES:
        X, gamma, beta, dY = batch(B, F, seed)
        got = np.asarray(student.batchnorm_forward(X.copy(), gamma.copy(), beta.copy(), eps), dtype=float)
        want, _ = reference(X, gamma, beta, dY, eps)
        assert got.shape == X.shape, "Y should have the shape of X, (B, F)"
        if close(got, want):
            continue
        mean, var = X.mean(axis=0), X.var(axis=0)
        if close(got, gamma * (X - mean) / np.sqrt(X.var(axis=0, ddof=1) + eps) + beta):
            pytest.fail("the variance is divided by B - 1; batch normalisation uses the batch variance with 1/B")
        if close(got, gamma * (X - mean) / (np.sqrt(var) + eps) + beta):
            pytest.fail("eps is added to the standard deviation; it belongs inside the square root, sqrt(var + eps)")
        rows = gamma * (X - X.mean(axis=1, keepdims=True)) / np.sqrt(X.var(axis=1, keepdims=True) + eps) + beta
        if close(got, rows):
            pytest.fail("the statistics are taken over each row; normalise each feature (column) over the batch, axis=0")
        pytest.fail("Y differs from gamma (X - mean) / sqrt(var + eps) + beta with per-column batch statistics")


@pytest.mark.points(1)
def test_backward_dX(student):
    """dX on the same batches, against the reference and against central differences of the
    reference forward pass"""
    for B, F, seed, eps in CASES:
        X, gamma, beta, dY = batch(B, F, seed)
        got = student.batchnorm_backward(dY.copy(), X.copy(), gamma.copy(), eps)
        assert isinstance(got, (list, tuple)) and len(got) == 3, "batchnorm_backward should return (dX, dgamma, dbeta)"
        dX = np.asarray(got[0], dtype=float)
        _, (want, _, _) = reference(X, gamma, beta, dY, eps)
        assert dX.shape == X.shape, "dX should have the shape of X"
        if close(dX, want):
            continue
        inv_std = 1.0 / np.sqrt(X.var(axis=0) + eps)
        if close(dX, dY * gamma * inv_std):
            pytest.fail("dX ignores that the batch mean and variance depend on X: subtract the two paths through "
                        "them (the chapter's theorem on the backward pass of batch normalisation)")
        if not np.all(np.isfinite(dX)) or not np.allclose(dX.sum(axis=0), 0, atol=1e-6 * np.abs(dX).max()):
            pytest.fail("the columns of dX should sum to 0 (a shift of a feature does not change Y)")
        # central differences of the reference forward pass, for the message
        loss = lambda Z: float(np.sum(dY * batchnorm_forward(Z, gamma, beta, eps)[0]))
        i, j = 0, 0
        h = 1e-5 * X[:, j].std()
        E = np.zeros_like(X)
        E[i, j] = h
        fd = (loss(X + E) - loss(X - E)) / (2 * h)
        assert np.isclose(dX[i, j], fd, rtol=1e-5, atol=1e-5 * np.abs(want).max()), (
            "dX disagrees with central differences of the forward pass")
        pytest.fail("dX differs from the gradient of the loss through the forward pass; check the term of the "
                    "variance path (X_hat times the batch mean of g X_hat)")


@pytest.mark.points(1)
def test_backward_parameters(student):
    """dgamma and dbeta: sums over the batch of dY X_hat and dY"""
    for B, F, seed, eps in CASES:
        X, gamma, beta, dY = batch(B, F, seed)
        got = student.batchnorm_backward(dY.copy(), X.copy(), gamma.copy(), eps)
        assert isinstance(got, (list, tuple)) and len(got) == 3, "batchnorm_backward should return (dX, dgamma, dbeta)"
        dgamma, dbeta = (np.asarray(v, dtype=float) for v in got[1:])
        _, (_, want_g, want_b) = reference(X, gamma, beta, dY, eps)
        assert dgamma.shape == (F,) and dbeta.shape == (F,), "dgamma and dbeta have one entry per feature, shape (F,)"
        if not (close(dgamma, want_g) and close(dbeta, want_b)):
            if close(dgamma, want_g / B) or close(dbeta, want_b / B):
                pytest.fail("dgamma and dbeta are means over the batch; the loss sums over the examples, so they are sums")
            if close(dgamma, want_g * gamma) or close(dgamma, (dY * (X - X.mean(axis=0))).sum(axis=0)):
                pytest.fail("dgamma is the sum over the batch of dY times the NORMALISED input X_hat")
            pytest.fail("dgamma should be sum(dY * X_hat, axis=0) and dbeta sum(dY, axis=0)")
