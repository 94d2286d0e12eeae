"""Hidden tests, task 1: heavy ball in velocity form.

Margins (checked by hand, default and Prescott kernels): other correct formulations (the
two-step form x + mu (x - x_prev) - lr g, PyTorch's b = m b + g, x -= lr b, loops over the
coordinates) stay within 1e-4 of the rtol = 1e-9 tolerance on every case; the speed-up check
passes with heavy ball 0.0028 times as far from the minimiser as gradient descent (bound 0.01),
while the averaged convention with the same lr is 1.0 times as far.
"""

import numpy as np
import pytest

from course_lib import problems
from course_lib.optim import gradient_descent, momentum, run


def ema_form(grad, x0, alpha, beta, n):
    """Source 004's convention u = beta u + (1 - beta) g, theta -= alpha u (the same lr): a mistake here."""
    x, u, xs = np.array(x0, dtype=float), np.zeros(len(x0)), [np.array(x0, dtype=float)]
    for _ in range(n):
        u = beta * u + (1 - beta) * grad(x)
        x = x - alpha * u
        xs.append(x)
    return np.array(xs)


ALIASED_HINT = ("every row is the last iterate: the list holds one array num_steps + 1 times, changed in place "
                "(theta += v); append a copy, or write theta = theta + v")
SHAPE_HINT = "return the num_steps + 1 iterates theta_0 = x0, ..., theta_num_steps as an array of shape (num_steps + 1, d)"


@pytest.mark.points(1)
def test_matches_the_velocity_form(student):
    """iterates equal v = mu v - lr g, theta = theta + v on rotated quadratics in other dimensions and on Rosenbrock"""
    cases = [(problems.quadratic(problems.spd_matrix([5.0, 2.0, 0.3], seed=41)), np.array([1.0, -2.0, 0.5]), 0.1, 0.7, 40),
             (problems.quadratic(problems.spd_matrix(np.linspace(0.1, 3.0, 6), seed=42), np.arange(6.0)),
              np.ones(6), 0.2, 0.9, 60),
             (problems.rosenbrock(), np.array([-1.2, 1.0]), 1e-3, 0.9, 150)]
    for p, x0, lr, mu, n in cases:
        want = run(momentum(lr, mu), p.grad, x0, n)
        got = np.asarray(student.heavy_ball(p.grad, x0, lr, mu, n), dtype=float)
        assert got.shape == want.shape, SHAPE_HINT
        if np.all(got == got[-1]):
            pytest.fail(ALIASED_HINT)
        if np.allclose(got[1], x0 + lr * p.grad(x0)):
            pytest.fail("the first step goes uphill: the velocity update is v = mu v - lr * grad, with a minus sign")
        if np.allclose(got, ema_form(p.grad, x0, lr, mu, n), rtol=1e-9):
            pytest.fail("these are the iterates of u = mu u + (1 - mu) g, theta -= lr u: the task asks for the "
                        "velocity form v = mu v - lr g (the same only with lr replaced by lr (1 - mu))")
        assert np.allclose(got, want, rtol=1e-9, atol=1e-12), "the iterates differ from v = mu v - lr g, theta = theta + v"


@pytest.mark.points(1)
def test_starts_from_rest_and_reduces_to_gradient_descent(student):
    """v_0 = 0 (the first step is -lr g(x0), not -(1 + mu) lr g(x0)), and momentum 0 is gradient descent"""
    p = problems.quadratic(problems.spd_matrix([3.0, 1.0, 0.5, 0.2], seed=43))
    x0 = np.array([0.3, -1.0, 2.0, 1.0])
    got = np.asarray(student.heavy_ball(p.grad, x0, 0.2, 0.8, 3), dtype=float)
    assert got.shape == (4, 4), SHAPE_HINT
    if np.all(got == got[-1]):
        pytest.fail(ALIASED_HINT)
    if np.allclose(got[1], x0 + 0.2 * p.grad(x0)):
        pytest.fail("the first step goes uphill (+lr grad): the velocity update is v = mu v - lr * grad")
    if np.allclose(got[1], x0 - 0.2 * (1 - 0.8) * p.grad(x0)):
        pytest.fail("the first step is -lr (1 - mu) grad(x0): that is the averaged convention u = mu u + (1 - mu) g; "
                    "the velocity form has v_1 = -lr grad(x0)")
    assert np.allclose(got[1], x0 - 0.2 * p.grad(x0)), \
        "the first step should be -lr * grad(x0): the velocity starts at zero, not at a gradient"
    gd = np.asarray(student.heavy_ball(p.grad, x0, 0.3, 0.0, 25), dtype=float)
    assert gd.shape == (26, 4), SHAPE_HINT
    assert np.allclose(gd, run(gradient_descent(0.3), p.grad, x0, 25), rtol=1e-10), \
        "with momentum 0 the method should be plain gradient descent"


@pytest.mark.points(1)
def test_momentum_speeds_up_an_ill_conditioned_quadratic(student):
    """on an ill-conditioned quadratic, heavy ball with lr = 1/L and a large momentum gets far closer to the
    minimiser than gradient descent with the same lr and number of steps"""
    A = problems.spd_matrix([1.0, 0.01], seed=44)
    p = problems.quadratic(A, np.array([0.02, -0.01]))
    x_min = np.linalg.solve(A, np.array([0.02, -0.01]))
    x0 = np.array([1.0, 1.0])
    hb = np.asarray(student.heavy_ball(p.grad, x0, 1.0, 0.8, 100), dtype=float)
    assert hb.shape == (101, 2), SHAPE_HINT
    gd = run(gradient_descent(1.0), p.grad, x0, 100)
    assert np.all(np.isfinite(hb[-1])), "the iterates blew up"
    assert np.linalg.norm(hb[-1] - x_min) < 0.01 * np.linalg.norm(gd[-1] - x_min), \
        "heavy ball should converge much faster than gradient descent here: check the velocity update"
