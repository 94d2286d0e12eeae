"""Hidden tests, task 2: Nesterov's method, iterates theta_t.

Margins (checked by hand, default and Prescott kernels): other correct formulations (the
two-step form y = x + mu (x - x_prev), x_next = y - lr grad(y); Bengio's reformulation) stay
within 1e-4 of the rtol = 1e-9 tolerances; heavy ball misses them by more than 1e10 times.
"""

import numpy as np
import pytest

from course_lib import problems
from course_lib.optim import momentum, run

ALIASED_HINT = ("every row is the last iterate: the list holds one array num_steps + 1 times, changed in place "
                "(theta += v); append a copy, or write theta = theta + v")
SHAPE_HINT = "return the num_steps + 1 iterates theta_0 = x0, ..., theta_num_steps as an array of shape (num_steps + 1, d)"


def nesterov_reference(grad, x0, lr, mu, n):
    """Written out from the task's two equations (independent of course_lib)."""
    x, v = np.array(x0, dtype=float), np.zeros(len(x0))
    xs = [x.copy()]
    for _ in range(n):
        v = mu * v - lr * grad(x + mu * v)
        x = x + v
        xs.append(x.copy())
    return np.array(xs)


@pytest.mark.points(1)
def test_iterates_match_the_two_equations(student):
    """iterates equal v = mu v - lr grad(theta + mu v), theta = theta + v on quadratics in other dimensions and on Rosenbrock"""
    cases = [(problems.quadratic(problems.spd_matrix([8.0, 0.5], seed=51)), np.array([1.0, 1.0]), 0.1, 0.8, 50),
             (problems.quadratic(problems.spd_matrix(np.linspace(0.2, 4.0, 5), seed=52), np.ones(5)),
              np.zeros(5), 0.2, 0.6, 40),
             (problems.rosenbrock(), np.array([-0.5, 1.5]), 1e-3, 0.95, 150)]
    for p, x0, lr, mu, n in cases:
        got = np.asarray(student.nesterov(p.grad, x0, lr, mu, n), dtype=float)
        want = nesterov_reference(p.grad, x0, lr, mu, n)
        assert got.shape == want.shape, SHAPE_HINT
        if np.all(got == got[-1]):
            pytest.fail(ALIASED_HINT)
        if np.allclose(got, run(momentum(lr, mu), p.grad, x0, n), rtol=1e-9):
            pytest.fail("these are heavy-ball iterates: evaluate the gradient at the look-ahead point theta + mu v")
        if np.allclose(got, run(momentum(lr, mu, nesterov=True), p.grad, x0, n), rtol=1e-9):
            pytest.fail("you return the look-ahead points theta_t + mu v_t; the task asks for theta_t")
        assert np.allclose(got, want, rtol=1e-9, atol=1e-12), \
            "the iterates differ from v = mu v - lr grad(theta + mu v), theta = theta + v"


@pytest.mark.points(1)
def test_returns_theta_not_the_look_ahead_points(student):
    """the look-ahead points phi_t = theta_t + mu (theta_t - theta_(t-1)) are course_lib's Nesterov iterates"""
    p = problems.quadratic(problems.spd_matrix([4.0, 1.0, 0.25], seed=53))
    x0 = np.array([2.0, -1.0, 1.0])
    lr, mu = 0.15, 0.9
    theta = np.asarray(student.nesterov(p.grad, x0, lr, mu, 30), dtype=float)
    assert theta.shape == (31, 3), SHAPE_HINT
    if np.all(theta == theta[-1]):
        pytest.fail(ALIASED_HINT)
    phi = run(momentum(lr, mu, nesterov=True), p.grad, x0, 30)
    if np.allclose(theta, phi, rtol=1e-9):
        pytest.fail("you return the look-ahead points theta_t + mu v_t; the task asks for theta_t")
    looked_ahead = theta[1:] + mu * (theta[1:] - theta[:-1])
    assert np.allclose(looked_ahead, phi[1:], rtol=1e-9, atol=1e-12), \
        "theta_t + mu v_t (with v_t = theta_t - theta_(t-1)) should be the look-ahead iterate of Nesterov's method"


@pytest.mark.points(1)
def test_nesterov_is_stable_where_it_should_be(student):
    """with lr = 1/L and a momentum close to 1, Nesterov converges on an ill-conditioned quadratic"""
    p = problems.quadratic(problems.spd_matrix([1.0, 0.001], seed=54))
    path = np.asarray(student.nesterov(p.grad, np.array([1.0, 1.0]), 1.0, 0.94, 400), dtype=float)
    assert path.shape == (401, 2), SHAPE_HINT
    if np.all(path == path[-1]):
        pytest.fail(ALIASED_HINT)
    assert np.all(np.isfinite(path)), "the iterates blew up"
    assert p.fun(path[-1]) < 1e-3 * p.fun(path[0]), \
        "the loss should fall a thousandfold here: check the look-ahead gradient and the sign of the step"
