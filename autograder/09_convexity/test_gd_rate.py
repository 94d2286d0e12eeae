"""Hidden tests, task 3: the measured rate of gradient descent on least squares.

Problems with kappa from 3 to 25 (n = 40 to 120, D = 3 to 6) and horizons chosen so that the final
gap g_T is at least 1e-6 g_0 and at least 1e-7: the gap C(theta_T) - C(theta*) is then known to a
relative 1e-8 or better (the costs are of order 1 and computed to 1e-16), so q = (g_T/g_0)^(1/T)
is known to 1e-9 relative, for any correct order of operations (lstsq or the normal equations for
theta*, the gap as a difference of costs or as a quadratic form). The tolerance is 1e-6.
"""

import numpy as np
import pytest

from course_lib.convexity import least_squares_constants
from course_lib.optim import gradient_descent, run
from course_lib.stochastic import least_squares


def cases():
    rng = np.random.default_rng(31)
    out = []
    for n, D, scale, T in ((40, 3, [1.0, 0.6, 0.35], 30), (120, 6, np.geomspace(1, 0.2, 6), 60),
                           (80, 4, [1.5, 1.0, 0.8, 0.6], 25)):
        X = rng.normal(size=(n, D)) * np.asarray(scale)
        y = X @ rng.normal(size=D) + 0.3 * rng.normal(size=n)
        theta0 = 3.0 * rng.normal(size=D)
        out.append((X, y, theta0, least_squares_constants(X).L, T))
    return out


def reference_parts(X, y, theta0, L, T):
    p = least_squares(X, y)
    path = run(gradient_descent(1.0 / L), p.grad, theta0, T)
    gaps = np.array([p.fun(t) for t in path]) - p.fun(p.x_min)
    dist = np.linalg.norm(path - p.x_min, axis=1)
    return gaps, dist


@pytest.mark.points(1)
def test_rate(student):
    """the measured rate on three least-squares problems, and below the theorem's 1 - m/L"""
    for X, y, theta0, L, T in cases():
        got = float(student.gd_rate(X.copy(), y.copy(), theta0.copy(), L, T))
        gaps, dist = reference_parts(X, y, theta0, L, T)
        want = (gaps[-1] / gaps[0]) ** (1 / T)
        assert gaps[-1] > 1e-6 * gaps[0] and gaps[-1] > 1e-7      # the test's own premise
        if not np.isclose(got, want, rtol=1e-6, atol=0):
            if np.isclose(got, (dist[-1] / dist[0]) ** (1 / T), rtol=1e-6, atol=0):
                pytest.fail("this is the rate of the distance ||theta_t - theta*||; the task asks for the gap "
                            "C(theta_t) - C(theta*)")
            if np.isclose(got, (gaps[-1] / gaps[0]) ** (1 / (T - 1)), rtol=1e-6, atol=0) or \
                    np.isclose(got, (gaps[-1] / gaps[0]) ** (1 / (T + 1)), rtol=1e-6, atol=0):
                pytest.fail("off by one: after num_steps = T steps the exponent is 1/T")
            if np.isclose(got, gaps[-1] / gaps[-2], rtol=1e-6, atol=0) or np.isclose(got, gaps[1] / gaps[0], rtol=1e-6, atol=0):
                pytest.fail("this is the ratio of one step; the task asks for the average (g_T / g_0)^(1/T)")
            if not np.isfinite(got) or got > 1:
                pytest.fail("the run does not converge: the gradient of ||X theta - y||^2 / (2n) is "
                            "X^T (X theta - y) / n (with the 1/n), and the step is 1/L")
            pytest.fail("the measured rate differs from (g_T / g_0)^(1/T) for gradient descent with step 1/L")
        m = least_squares_constants(X).m
        assert got <= 1 - m / L, "the measured rate should not exceed 1 - m/L"


@pytest.mark.points(1)
def test_theta0_unchanged(student):
    """theta0 is left unchanged (the task says not to modify it)"""
    X, y, theta0, L, T = cases()[0]
    result, args_after, _ = student.keeping_arguments("gd_rate")(X.copy(), y.copy(), theta0.copy(), L, T)
    assert np.isfinite(float(result)), "gd_rate should return a number"
    assert np.array_equal(np.asarray(args_after[2], dtype=float), theta0), (
        "gd_rate changed the theta0 it was given (theta -= ... on theta = theta0 is in place): copy it first, "
        "for example theta = np.array(theta0, dtype=float)")
