"""Hidden tests, task 3: perturbed gradient descent.

Deterministic checks: where the gradient norm stays above the threshold (by a factor 70 or more)
no kick may happen, so the path is gradient descent's to 1e-12; with radius 0 it is gradient
descent everywhere. Escape: from (1, 0) on C = t1^2/2 - t2^2/2 + t2^4/4 with kicks of radius 0.01
whenever |g| <= 0.01, gradient descent reaches the threshold after about 44 steps and every later
step near the saddle adds a kick, whose theta_2 part grows by 1.1 per step: a correct answer ends
near (0, +-1), C < -0.24 (C* = -0.25), within 200 steps for any seed (the runs of the reference
need fewer than 120).

Statistical check (autograder.statcheck), in three dimensions: with g(x) = x, eta = 1/2 and a
threshold never reached from below, every step kicks, and the kick is recovered exactly as
xi_t = 2 theta_{t+1} - theta_t. For xi uniform in the ball of radius r in R^3: |xi| <= r always,
|xi| / r = u^(1/3) with u uniform, so |xi|^2 / r^2 = u^(2/3) has mean 3/5 and variance
3/7 - 9/25 = 12/175, and each coordinate has mean 0 and variance r^2 / 5. Four comparisons at
Z_MAX standard errors of 1200 kicks (half-width 0.043 for the mean 3/5); the sphere (mean 1), the
disc's length r sqrt(u) used in 3-D (mean 1/2), a Gaussian (beyond r), a one-sided or repeated
kick, and a gradient taken before the kick (recovered kicks twice as long) miss by far.
"""

import math

import numpy as np
import pytest

from autograder.plain import StudentError
from autograder.statcheck import Z_MAX


def saddle_grad(theta):
    return np.array([theta[0], theta[1] ** 3 - theta[1]])


def saddle_loss(theta):
    return 0.5 * theta[0] ** 2 - 0.5 * theta[1] ** 2 + 0.25 * theta[1] ** 4


def path_of(student, *args):
    try:
        out = np.asarray(student.perturbed_gd(*args), dtype=float)
    except StudentError as err:
        if err.kind is None:
            raise
        pytest.fail(f"perturbed_gd raised {err.kind}")
    num_steps, d = args[3], len(args[1])
    assert out.shape == (num_steps + 1, d), "perturbed_gd should return the num_steps + 1 iterates, x0 first, as rows"
    return out


def gradient_descent(grad, x0, eta, num_steps):
    x, path = np.array(x0, dtype=float), [np.array(x0, dtype=float)]
    for _ in range(num_steps):
        x = x - eta * grad(x)
        path.append(x)
    return np.array(path)


@pytest.mark.points(1)
def test_gradient_descent_where_no_kick_and_escape(student):
    """no kick while |g| > grad_threshold; radius 0 is gradient descent; from the saddle's stable axis
    every seeded run reaches a minimum"""
    A = np.diag([1.0, 3.0])
    quad = lambda x: A @ x
    got = path_of(student, quad, [1.0, 2.0], 0.1, 25, 0.5, 1e-3, 7)
    if not np.allclose(got, gradient_descent(quad, [1.0, 2.0], 0.1, 25), rtol=0, atol=1e-12):
        pytest.fail("a kick was added where the gradient norm is larger than grad_threshold: kick only when |g| <= grad_threshold")
    got = path_of(student, saddle_grad, [1.0, 0.0], 0.1, 60, 0.0, 1e9, 3)
    assert np.allclose(got, gradient_descent(saddle_grad, [1.0, 0.0], 0.1, 60), rtol=0, atol=1e-12), \
        "with radius 0 the method is gradient descent"
    for seed in range(5):
        got = path_of(student, saddle_grad, [1.0, 0.0], 0.1, 200, 0.01, 1e-2, seed)
        assert saddle_loss(got[-1]) < -0.24, "a run did not leave the saddle: kick whenever |g| <= grad_threshold, " \
                                             "from a ball of radius `radius`, with a fresh draw each time"


@pytest.mark.points(1)
def test_kicks_uniform_in_the_ball(student):
    """kicks of a run that kicks at every step in R^3: within the radius, |xi|^2 / r^2 of mean 3/5, mean zero,
    fresh at every step, and the gradient step taken from the kicked point"""
    r, n = 0.1, 1200
    got = path_of(student, lambda x: x, [0.0, 0.0, 0.0], 0.5, n, r, 1e9, 2024)
    xi = 2 * got[1:] - got[:-1]                       # theta_{t+1} = (theta_t + xi_t) / 2
    lengths = np.linalg.norm(xi, axis=1)
    if not np.all(lengths <= r * (1 + 1e-9)) and np.all(np.linalg.norm(got[1:] - got[:-1] / 2, axis=1) <= r * (1 + 1e-9)):
        pytest.fail("the gradient step is taken from the point before the kick: take it from the kicked point")
    assert np.all(lengths <= r * (1 + 1e-9)), "a kick is longer than the radius: draw kicks from the BALL of radius r"
    assert np.max(lengths) > 0, "no kick was added although the gradient norm was below grad_threshold"
    if np.mean(np.all(np.isclose(xi[1:], xi[:-1], rtol=0, atol=1e-15), axis=1)) > 0.5:
        pytest.fail("the kicks repeat: draw a fresh kick each time from one generator made once from the seed")
    q = lengths**2 / r**2
    assert abs(q.mean() - 0.6) <= Z_MAX * math.sqrt(12 / 175 / n), (
        "the kicks are not uniform in the ball of R^d: the length of a uniform kick is r u^(1/d) with u uniform "
        "(on the sphere every kick has length r; r sqrt(u) is right only in two dimensions)")
    se = math.sqrt(r**2 / 5 / n)
    assert np.all(np.abs(xi.mean(axis=0)) <= Z_MAX * se), "the kicks are not centred: every direction should be equally likely"
