"""Hidden tests, task 2: the variance of the mini-batch gradient against the batch size.

No message shows a hidden input or an expected value: hints describe the mistake.
"""

import itertools

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


def _possible_averages(c, M):
    """X = I, residuals c, batches of one: every value the average of ||g_B - grad C||^2 over M draws can take
    (whatever examples the draws pick), and every value the variance of the M draws around THEIR OWN mean
    (np.var with ddof 0 or 1, summed over components) can take."""
    G = np.diag(c)
    full = G.mean(axis=0)
    per_draw = np.sum((G - full) ** 2, axis=1)
    right, around_mean = [], []
    for draws in itertools.combinations_with_replacement(range(len(c)), M):
        right.append(per_draw[list(draws)].mean())
        around_mean += [G[list(draws)].var(axis=0, ddof=ddof).sum() for ddof in (0, 1)]
    return np.array(right), np.array(around_mean)


@pytest.mark.points(1)
def test_variance_matches_sigma2_over_b(student):
    """the estimate is within 5.73 standard errors of sigma^2 / b (with replacement) for several batch sizes,
    it is the average over the draws of ||g_B - grad C(theta)||^2 (deviations from the exact full gradient,
    not from the mean of the draws), and another seed gives another estimate"""
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
            pytest.fail("your variance is sigma^2/b * (n - b)/(n - 1), the value for batches drawn WITHOUT "
                        "replacement: the task asks for batches drawn with replacement (rng.integers(0, n, b))")
        full = G.mean(axis=0)
        sums = (b * b * _exact(G, b), b * b * _exact(G, b) + (b - 1) ** 2 * float(full @ full))  # E||S - b g||^2, E||S - g||^2
        if b > 1 and any(abs(got / s - 1) < 0.2 for s in sums):
            pytest.fail("your variance is far too large and grows with b: the batch gradient is a sum, not a mean")
        pytest.fail("your estimate is more than 5.73 standard errors away from sigma^2/b: average "
                    "||g_B - grad C(theta)||^2 over num_draws batches of batch_size indices drawn with replacement")
    other = float(student.gradient_variance(X, y, theta, 3, M, 99))
    assert other != float(student.gradient_variance(X, y, theta, 3, M, 43)), (
        "two seeds give exactly the same estimate: this should be a Monte Carlo average over random batches")
    # Deviations from the mean of the draws instead of from grad C (np.var of the draws) are off by the
    # factor (M - 1)/M only: invisible at a useful M. Exact here: with X = I and batches of one, every
    # possible outcome of M = 3 draws is enumerated; the right average takes one of 20 values, none within
    # 0.27% of any value np.var (ddof 0 or 1) can give, whatever the draws.
    c = np.array([1.0, 2.0, 4.0, 7.0])
    theta1 = np.random.default_rng(32).normal(size=4)
    got = float(student.gradient_variance(np.eye(4), theta1 - c, theta1, 1, 3, 33))
    right, around_mean = _possible_averages(c, 3)
    if not np.any(np.isclose(got, right, rtol=1e-9, atol=0)):
        if np.any(np.isclose(got, around_mean, rtol=1e-9, atol=0)):
            pytest.fail("you measure the spread of the draws around their own mean (np.var of the batch gradients): "
                        "V(b) averages ||g_B - grad C(theta)||^2, the distance to the exact full gradient")
        pytest.fail("the estimate should be the average over the num_draws batches of ||g_B - grad C(theta)||^2")


def _ls_slope(sizes, variances):
    return float(np.polyfit(np.log(sizes), np.log(variances), 1)[0])


@pytest.mark.points(1)
def test_slope_is_the_least_squares_fit(student):
    """variance_slope recovers p from V = c b^p exactly, and on scattered points it is the least-squares
    slope through all of them (not the line through the first and last point)"""
    for c, p, sizes in ((3.0, -1.0, [1, 2, 4, 8]), (0.2, -0.5, [1, 3, 10, 30, 100]), (7.0, 1.0, [2, 5, 6])):
        got = float(student.variance_slope(np.array(sizes), c * np.array(sizes, dtype=float) ** p))
        if not np.isclose(got, p, atol=1e-9):
            if np.isclose(got, np.log(c), atol=1e-9):
                pytest.fail("you return the intercept: np.polyfit(x, y, 1) returns [slope, intercept]")
            pytest.fail("for V = c b^p the slope should be p: fit log V against log b")
    # scattered points (batch sizes spaced evenly and unevenly in log b, and one curved like the
    # without-replacement variance): the least-squares slope differs from the two-point slope, from the mean
    # of consecutive slopes and from the fit with the axes swapped by 0.02 to 1.1 -- 10^7 times the tolerance
    cases = [
        ([1, 2, 4, 8, 16, 32], [1.0, 0.8, 0.2, 0.15, 0.04, 0.05]),
        ([1, 3, 10, 30, 100], [5.0 / b * (120 - b) / 119 for b in (1, 3, 10, 30, 100)]),
        ([2, 5, 6, 20], [0.8, 0.5, 0.2, 0.1]),
    ]
    for k, (sizes, variances) in enumerate(cases):
        args = (sizes, variances) if k == 2 else (np.array(sizes), np.array(variances))  # lists are fine too
        got = float(student.variance_slope(*args))
        want = _ls_slope(sizes, variances)
        if np.isclose(got, want, atol=1e-9):
            continue
        x, v = np.log(sizes), np.log(variances)
        if np.isclose(got, (v[-1] - v[0]) / (x[-1] - x[0]), atol=1e-9):
            pytest.fail("you take the slope through the first and last points only: fit a least-squares line through "
                        "all the points (np.polyfit(np.log(b), np.log(V), 1)[0])")
        if np.isclose(got, np.mean(np.diff(v) / np.diff(x)), atol=1e-9):
            pytest.fail("you average the slopes between consecutive points: the task asks for the least-squares line")
        if np.isclose(got, float(np.polyfit(v, x, 1)[0]), atol=1e-9) or np.isclose(got, 1 / float(np.polyfit(v, x, 1)[0]), atol=1e-9):
            pytest.fail("the axes are swapped: fit log V (y-axis) against log b (x-axis)")
        if np.isclose(got, float(np.polyfit(sizes, variances, 1)[0]), atol=1e-9):
            pytest.fail("fit the logarithms: the slope of log V against log b, not of V against b")
        pytest.fail("the slope should be that of the least-squares line through the points (log b, log V(b))")


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
    if abs(slope + 1) < Z_MAX * se_slope:
        return
    if slope > 0:
        pytest.fail("your estimates grow with b: the batch gradient is a sum instead of a mean")
    pytest.fail("the slope of your estimates is not -1 within 5.73 standard errors: batches drawn with "
                "replacement give V(b) = sigma^2/b (without replacement the curve bends down as b approaches n)")
