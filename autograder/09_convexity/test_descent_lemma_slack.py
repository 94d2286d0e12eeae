"""Hidden tests, task 4: the slacks of the descent lemma along a run.

The sequences have costs and gradients of order 1; every correct way of computing
s_t = C_t - eta (1 - L eta / 2) ||g_t||^2 - C_{t+1} (loops, norms squared, sums of squares, einsum)
agrees with the reference to 1e-14; the tolerance is rtol 1e-9, atol 1e-12. The runs use an L-smooth
quadratic with an indefinite Hessian and L = 1.25 max |lambda|, so every slack of a correct answer is
at least 1e-4 away from 0.
"""

import numpy as np
import pytest

from course_lib.convexity import descent_lemma_bound
from course_lib.optim import gradient_descent, run
from course_lib.problems import quadratic, spd_matrix


def reference(costs, grads, eta, L):
    return np.array([descent_lemma_bound(costs[t], grads[t], eta, L) - costs[t + 1] for t in range(len(costs) - 1)])


def diagnose(got, costs, grads, eta, L):
    sq = np.sum(grads**2, axis=1)
    wrongs = [
        (costs[:-1] - eta * (1 - L * eta / 2) * sq[1:] - costs[1:], "use g_t, the gradient at the START of each step"),
        (costs[:-1] - eta * (1 - L * eta / 2) * np.sqrt(sq[:-1]) - costs[1:], "the gradient's norm must be squared"),
        (costs[:-1] - eta * (1 - L * eta) * sq[:-1] - costs[1:], "the factor is (1 - L eta / 2), not (1 - L eta)"),
        (costs[1:] - costs[:-1] + eta * (1 - L * eta / 2) * sq[:-1], "the slack is bound minus C(theta_t+1): the sign is reversed"),
    ]
    for wrong, hint in wrongs:
        if got.shape == wrong.shape and np.allclose(got, wrong, rtol=1e-9, atol=1e-12):
            pytest.fail(hint)


def check(student, costs, grads, eta, L):
    got = np.asarray(student.descent_lemma_slack(costs.copy(), grads.copy(), eta, L), dtype=float)
    want = reference(costs, grads, eta, L)
    if got.shape != want.shape:
        pytest.fail(f"T steps give T slacks (one fewer than the costs); got shape {got.shape} for T = {len(want)}")
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        diagnose(got, costs, grads, eta, L)
        pytest.fail("the slacks differ from C_t - eta (1 - L eta / 2) ||g_t||^2 - C_t+1")
    return got


@pytest.mark.points(1)
def test_random_sequences(student):
    """random costs and gradients (D = 1 to 5, T = 1 to 12), several eta and L"""
    rng = np.random.default_rng(41)
    for D, T, eta, L in ((1, 1, 0.1, 3.0), (3, 7, 0.4, 2.0), (5, 12, 0.05, 10.0), (2, 4, 1.0, 1.5)):
        check(student, rng.normal(size=T + 1), rng.normal(size=(T + 1, D)), eta, L)


@pytest.mark.points(1)
def test_gradient_descent_runs(student):
    """gradient-descent runs on an L-smooth non-convex quadratic with eta = 0.5/L, 1/L, 1.5/L: all slacks >= 0"""
    A = spd_matrix([2.0, 0.5, -0.8, -1.6], seed=4)
    p = quadratic(A)
    L = 1.25 * 2.0
    for k, factor in enumerate((0.5, 1.0, 1.5)):
        eta = factor / L
        path = run(gradient_descent(eta), p.grad, np.array([0.5, -0.3, 0.2, 0.1]) * (k + 1), 15)
        costs = np.array([p.fun(x) for x in path])
        grads = np.array([p.grad(x) for x in path])
        got = check(student, costs, grads, eta, L)
        assert np.all(got >= 0), "a correct slack is >= 0 along gradient descent on an L-smooth function"
