"""Hidden tests, task 4: the error of the second-order Taylor model."""

import numpy as np
import pytest

from course_lib import problems
from course_lib.taylor import taylor_error_ratios


def _fun(x):
    return np.exp(x[0]) * np.sin(x[1]) + x[2] ** 4 - x[0] * x[2]


def _grad(x):
    return np.array([np.exp(x[0]) * np.sin(x[1]) - x[2], np.exp(x[0]) * np.cos(x[1]), 4 * x[2] ** 3 - x[0]])


def _hess(x):
    e, s, c = np.exp(x[0]), np.sin(x[1]), np.cos(x[1])
    return np.array([[e * s, e * c, -1.0], [e * c, -e * s, 0.0], [-1.0, 0.0, 12 * x[2] ** 2]])


@pytest.mark.points(1)
def test_ratio_on_a_new_function(student):
    """taylor_error_ratio matches |f(x+d) - m(d)| / |d|^2 on an unseen 3-D function"""
    rng = np.random.default_rng(5)
    for _ in range(4):
        x, d = rng.normal(size=3), 0.1 * rng.normal(size=3)
        want = taylor_error_ratios(_fun, _grad, _hess, x, d, [1.0])[0]
        got = float(student.taylor_error_ratio(_fun, _grad, _hess, x, d))
        assert np.isclose(got, want, rtol=1e-6, atol=1e-12), (
            "the ratio differs on a new function: the model is f + g.d + 0.5 d.H.d (mind the 1/2) "
            "and the denominator is the squared norm of d")


@pytest.mark.points(1)
def test_ratio_vanishes_like_the_step(student):
    """the ratio is ~0 for a quadratic and shrinks tenfold when d shrinks tenfold"""
    A = problems.spd_matrix([3.0, -1.0, 0.5], seed=2)
    q = problems.quadratic(A, np.ones(3))
    x, u = np.array([0.3, 0.1, -0.2]), np.array([1.0, -2.0, 0.5])
    r = float(student.taylor_error_ratio(q.fun, q.grad, q.hess, x, 0.1 * u))
    assert abs(r) < 1e-8, "a quadratic equals its own second-order model, so the ratio should be (numerically) zero"
    r1 = float(student.taylor_error_ratio(_fun, _grad, _hess, x, 1e-2 * u))
    r2 = float(student.taylor_error_ratio(_fun, _grad, _hess, x, 1e-3 * u))
    assert 0.05 < r2 / r1 < 0.2, "the ratio should fall in proportion to |d| for a smooth function"
