"""Hidden tests, task 2: the variance of the mini-batch gradient against the batch size."""

import numpy as np
import pytest

from autograder.statcheck import Z_MAX
from course_lib.stochastic import least_squares, make_regression


def _sampling_sd(G, b, draws=20000, seed=0):
    """Standard deviation of ||g_B - g||^2 for batches of b drawn with replacement (large simulation)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(G), size=(draws, b))
    dev = G[idx].mean(axis=1) - G.mean(axis=0)
    return float(np.sum(dev**2, axis=1).std())


def data(n, d, seed, outlier=0.0):
    """Least-squares data from course_lib (new seeds), the LAST target shifted by ``outlier``; a point theta."""
    ds = make_regression(n, d, noise=0.3, seed=seed)
    y = ds.y.copy()
    y[-1] += outlier
    return ds.X, y, np.random.default_rng(seed + 1000).normal(size=d)


def per_example_gradients(X, y, theta):
    return least_squares(X, y).grad_i(theta, np.arange(len(y)))


def _exact(G, b):
    return float(np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))) / b


@pytest.mark.points(1)
def test_variance_matches_sigma2_over_b(student):
    """the estimate is within 5.73 standard errors of sigma^2 / b (with replacement) for b = 1, 3, 12 of n = 24"""
    X, y, theta = data(24, 3, 31)
    G = per_example_gradients(X, y, theta)
    M = 3000
    n = len(y)
    for b in (1, 3, 12):
        got = float(student.gradient_variance(X, y, theta, b, M, 40 + b))
        se = 1.1 * _sampling_sd(G, b) / np.sqrt(M)      # 10% margin on the simulated spread
        z = (got - _exact(G, b)) / se
        if abs(z) < Z_MAX:
            continue
        if abs(got - _exact(G, b) * (n - b) / (n - 1)) < Z_MAX * se:
            pytest.fail(f"for b = {b} your variance {got:.4g} is sigma^2/b * (n - b)/(n - 1): you draw WITHOUT "
                        "replacement, the task asks for batches drawn with replacement (rng.integers(0, n, b))")
        if b > 1 and abs(got / (b * b * _exact(G, b)) - 1) < 0.2:
            pytest.fail("your variance is about b^2 times too large: the batch gradient is a sum, not a mean")
        pytest.fail(f"for b = {b} your estimate {got:.4g} is {z:.1f} standard errors from sigma^2/b = {_exact(G, b):.4g}")
    other = float(student.gradient_variance(X, y, theta, 3, M, 99))
    assert other != float(student.gradient_variance(X, y, theta, 3, M, 43)), (
        "two seeds give exactly the same estimate: this should be a Monte Carlo average over random batches")


@pytest.mark.points(1)
def test_slope_of_exact_power_laws(student):
    """variance_slope recovers p from V = c b^p exactly, for unevenly spaced batch sizes"""
    for c, p, sizes in ((3.0, -1.0, [1, 2, 4, 8]), (0.2, -0.5, [1, 3, 10, 30, 100]), (7.0, 1.0, [2, 5, 6])):
        got = float(student.variance_slope(np.array(sizes), c * np.array(sizes, dtype=float) ** p))
        assert np.isclose(got, p, atol=1e-9), f"for V = {c} b^{p} the slope is {p}, you return {got}"


@pytest.mark.points(1)
def test_measured_slope_is_minus_one(student):
    """the slope of the student's own estimates for b = 1, 2, 4, 8, 16 is -1 within 5.73 standard errors"""
    X, y, theta = data(30, 2, 51, outlier=4.0)
    G = per_example_gradients(X, y, theta)
    M = 2000
    sizes = np.array([1, 2, 4, 8, 16])
    estimates = np.array([float(student.gradient_variance(X, y, theta, int(b), M, 60 + int(b))) for b in sizes])
    assert np.all(estimates > 0), "the variance estimates should be positive"
    slope = float(np.polyfit(np.log(sizes), np.log(estimates), 1)[0])   # not the student's fit: tested above
    # delta method: Var(log V_b) ~ (se_b / V_b)^2; the least-squares slope is sum_b w_b log V_b
    rel = np.array([1.1 * _sampling_sd(G, int(b)) / np.sqrt(M) / _exact(G, int(b)) for b in sizes])
    x = np.log(sizes)
    w = (x - x.mean()) / np.sum((x - x.mean()) ** 2)
    se_slope = float(np.sqrt(np.sum(w**2 * rel**2)))
    assert abs(slope + 1) < Z_MAX * se_slope, (
        f"your estimates give slope {slope:.3f}; batches drawn with replacement give -1 "
        f"(tolerance {Z_MAX * se_slope:.3f}). A slope of +1 means a sum instead of a mean.")
