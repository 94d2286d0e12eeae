"""Hidden tests, task 1: the mini-batch gradient and its Monte Carlo mean."""

import numpy as np
import pytest

from course_lib.stochastic import least_squares, make_regression, minibatch_gradient

from autograder.statcheck import Z_MAX

@pytest.mark.points(1)
def test_minibatch_gradient_is_the_batch_mean(student):
    """minibatch_gradient is the mean of the per-example gradients (any d, repeated indices)"""
    for n, d, seed in ((9, 1, 1), (30, 7, 2)):
        X, y, theta = data(n, d, seed)
        problem = least_squares(X, y)
        for idx in (np.array([0]), np.array([3, 3, 5]), np.arange(n), np.array([n - 1, 0, 4, 2])):
            got = np.asarray(student.minibatch_gradient(X, y, theta, idx), dtype=float)
            want = minibatch_gradient(problem, theta, idx)
            assert got.shape == want.shape, f"expected shape {want.shape}, got {got.shape}"
            if np.allclose(got, want, rtol=1e-10, atol=1e-12):
                continue
            if np.allclose(got, len(idx) * want):
                pytest.fail("you return the batch SUM; the mean-form estimate divides by the batch size")
            if np.allclose(got, n * want):
                pytest.fail("you scale by n: that estimates the gradient of the sum form, not of the mean C")
            pytest.fail("the result is not (1/|idx|) sum_i (x_i.theta - y_i) x_i")


def data(n, d, seed, outlier=0.0):
    """Least-squares data from course_lib (new seeds), the LAST target shifted by ``outlier``; a point theta."""
    ds = make_regression(n, d, noise=0.3, seed=seed)
    y = ds.y.copy()
    y[-1] += outlier
    return ds.X, y, np.random.default_rng(seed + 1000).normal(size=d)


def per_example_gradients(X, y, theta):
    return least_squares(X, y).grad_i(theta, np.arange(len(y)))


def _z_scores(student, X, y, theta, b, M, seed):
    n = len(y)
    G = per_example_gradients(X, y, theta)
    full = G.mean(axis=0)
    # exact standard error of the mean of M batch means, without replacement
    se = np.sqrt(G.var(axis=0) / b * (n - b) / (n - 1) / M)
    mean, stderr = (np.asarray(v, dtype=float) for v in student.monte_carlo_gradient(X, y, theta, b, M, seed))
    return (mean - full) / se, stderr / se


@pytest.mark.points(1)
def test_monte_carlo_mean_covers_the_full_gradient(student):
    """the Monte Carlo mean lies within 5.73 exact standard errors of the full gradient, even with an outlier
    that a sampler which never draws the last example (rng.integers(0, n - 1)) misses"""
    for n, d, b, seed in ((17, 4, 4, 11), (40, 2, 10, 12)):
        X, y, theta = data(n, d, seed, outlier=25.0)
        z, _ = _z_scores(student, X, y, theta, b, 3000, seed + 100)
        assert np.all(np.isfinite(z)), "the mean is not finite"
        # a true Monte Carlo mean is off by about one standard error; all components within 0.001 of
        # them has probability below 1e-5 (d = 2) -- that is the exact gradient, not an estimate
        assert np.max(np.abs(z)) > 1e-3, (
            "your 'Monte Carlo' mean is exactly the full gradient: average the gradients of random batches")
        assert np.all(np.abs(z) < Z_MAX), (
            f"the Monte Carlo mean is {np.round(z, 1)} standard errors from the full gradient: a correct sampler "
            "stays within 5.7. Is every index 0..n-1 equally likely (rng.choice(n, b, replace=False))? "
            "Do you create the generator once, outside the loop? Is the estimate a mean over the batch?")


@pytest.mark.points(1)
def test_standard_error_is_the_spread_over_sqrt_m(student):
    """the returned standard error is close to the exact one (sample std with ddof=1 over sqrt(num_draws)),
    and the seed is respected (same seed, same result; another seed, another result)"""
    X, y, theta = data(25, 3, 21, outlier=8.0)
    _, ratio = _z_scores(student, X, y, theta, 5, 4000, 7)
    assert np.all(ratio > 0), "the standard errors are zero: do all your batches come out the same?"
    assert np.all((0.8 < ratio) & (ratio < 1.25)), (
        f"your standard errors are {np.round(ratio, 2)} times the exact ones: divide the standard deviation of "
        "the num_draws batch gradients by sqrt(num_draws), not by num_draws or sqrt(batch_size)")
    first = np.asarray(student.monte_carlo_gradient(X, y, theta, 5, 50, 3)[0], dtype=float)
    again = np.asarray(student.monte_carlo_gradient(X, y, theta, 5, 50, 3)[0], dtype=float)
    other = np.asarray(student.monte_carlo_gradient(X, y, theta, 5, 50, 4)[0], dtype=float)
    assert np.array_equal(first, again), "the same seed should give the same result: use np.random.default_rng(seed)"
    assert not np.array_equal(first, other), "different seeds give the same result: is the seed used at all?"
