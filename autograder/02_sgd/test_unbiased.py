"""Hidden tests, task 1: the mini-batch gradient and its Monte Carlo mean.

No message shows a hidden input or an expected value: hints describe the mistake.
"""

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
            assert got.shape == want.shape, "the result should have shape (d,): one entry per column of X"
            if np.allclose(got, want, rtol=1e-10, atol=1e-12):
                continue
            if np.allclose(got, len(idx) * want):
                pytest.fail("you return the batch SUM; the mean-form estimate divides by the batch size")
            if np.allclose(got, n * want):
                pytest.fail("you scale by n: that estimates the gradient of the sum form, not of the mean C")
            if len(set(idx.tolist())) < len(idx) and np.allclose(got, minibatch_gradient(problem, theta, np.unique(idx))):
                pytest.fail("a repeated index is counted once: it should count as often as it appears in idx")
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
    """batches of distinct, equally likely indices: the Monte Carlo mean lies within 5.73 exact standard
    errors of the full gradient, even with an outlier that a sampler which never draws the last example
    (rng.integers(0, n - 1)) misses; and batches of size n (the whole data set when drawn without
    replacement) give the full gradient with zero spread"""
    for n, d, b, seed in ((17, 4, 4, 11), (40, 2, 10, 12)):
        X, y, theta = data(n, d, seed, outlier=25.0)
        z, _ = _z_scores(student, X, y, theta, b, 3000, seed + 100)
        assert np.all(np.isfinite(z)), "the mean is not finite"
        # a true Monte Carlo mean is off by about one standard error; all components within 0.001 of
        # them has probability below 1e-5 (d = 2) -- that is the exact gradient, not an estimate
        assert np.max(np.abs(z)) > 1e-3, (
            "your 'Monte Carlo' mean is exactly the full gradient: average the gradients of random batches")
        assert np.all(np.abs(z) < Z_MAX), (
            "the Monte Carlo mean is more than 5.73 standard errors away from the full gradient: a correct sampler "
            "stays within that. Is every index 0..n-1 equally likely (rng.choice(n, b, replace=False))? "
            "Do you create the generator once, outside the loop? Is the estimate a mean over the batch?")
    # Without replacement a batch of n distinct indices is the whole data set: every batch gradient is
    # the full gradient (up to rounding), so the spread is zero. With replacement it is not (a batch of
    # 6 indices drawn with replacement repeats one with probability 1 - 6!/6^6 > 0.98, and 200 batches
    # all equal to a permutation of 0..5 have probability below 1e-300).
    X, y, theta = data(6, 3, 13, outlier=5.0)
    G = per_example_gradients(X, y, theta)
    scale = np.max(np.abs(G))
    mean, stderr = (np.asarray(v, dtype=float) for v in student.monte_carlo_gradient(X, y, theta, 6, 200, 14))
    if not (np.allclose(mean, G.mean(axis=0), rtol=1e-9, atol=1e-12 * scale) and np.all(np.abs(stderr) <= 1e-9 * scale)):
        pytest.fail("with batch_size = n, batches of DISTINCT indices are the whole data set, so every batch gradient is "
                    "the full gradient and the spread is zero; yours vary: draw without replacement, "
                    "rng.choice(n, batch_size, replace=False)")


def _one_hot_problem(c, seed):
    """X = I (n = d), y = theta - c: the gradient of example i is c_i e_i, so each component of a
    batch gradient (batches of one) shows whether that example was drawn."""
    n = len(c)
    theta = np.random.default_rng(seed).normal(size=n)
    return np.eye(n), theta - c, theta


@pytest.mark.points(1)
def test_standard_error_is_the_spread_over_sqrt_m(student):
    """the returned standard error is the sample standard deviation (ddof=1) of the num_draws batch gradients,
    per component, over sqrt(num_draws), and close to the exact one; the seed is respected (same seed, same
    result; another seed, another result)"""
    X, y, theta = data(25, 3, 21, outlier=8.0)
    _, ratio = _z_scores(student, X, y, theta, 5, 4000, 7)
    assert np.all(ratio > 0), "the standard errors are zero: do all your batches come out the same?"
    # the ratio of a correct answer is 1 with standard deviation 0.011 here (simulated): 0.8 and 1.25 are
    # more than 18 standard deviations away
    if not np.all((0.8 < ratio) & (ratio < 1.25)):
        pytest.fail("your standard errors are far from the exact ones: divide the standard deviation of the "
                    "num_draws batch gradients by sqrt(num_draws), not by num_draws or sqrt(batch_size)")
    # ddof=1 against ddof=0: they differ by the factor sqrt((M - 1)/M), invisible in a statistical test at
    # any useful M. It is exact here. With batches of one example and X = I, component i of a batch
    # gradient is c_i if example i was drawn and 0 otherwise, so the mean tells how many of the M draws
    # picked each example (k_i), whatever the order or the random stream, and the sample standard
    # deviation of component i is c_i sqrt(k_i (M - k_i) / (M (M - 1))) exactly.
    c = np.array([1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
    X1, y1, theta1 = _one_hot_problem(c, 22)
    M = 10
    mean, stderr = (np.asarray(v, dtype=float) for v in student.monte_carlo_gradient(X1, y1, theta1, 1, M, 23))
    counts = mean * M / c
    k = np.round(counts)
    if np.allclose(counts, k, atol=1e-6) and k.sum() == M and np.all(k >= 0):  # a mean of M batch gradients
        ddof1 = c * np.sqrt(k * (M - k) / (M * (M - 1))) / np.sqrt(M)
        ddof0 = c * np.sqrt(k * (M - k)) / M / np.sqrt(M)
        if not np.allclose(stderr, ddof1, rtol=1e-7, atol=1e-12):
            if np.allclose(stderr, ddof0, rtol=1e-7, atol=1e-12):
                pytest.fail("the standard deviation uses ddof=0: the task asks for the sample standard deviation "
                            "with ddof=1 (np.std(..., ddof=1)), divided by sqrt(num_draws)")
            pytest.fail("the standard error should be the sample standard deviation (ddof=1) of the num_draws "
                        "batch gradients, component by component, divided by sqrt(num_draws)")
    first = np.asarray(student.monte_carlo_gradient(X, y, theta, 5, 50, 3)[0], dtype=float)
    again = np.asarray(student.monte_carlo_gradient(X, y, theta, 5, 50, 3)[0], dtype=float)
    other = np.asarray(student.monte_carlo_gradient(X, y, theta, 5, 50, 4)[0], dtype=float)
    assert np.array_equal(first, again), "the same seed should give the same result: use np.random.default_rng(seed)"
    assert not np.array_equal(first, other), "different seeds give the same result: is the seed used at all?"
