"""Hidden tests, task 1: backtracking with the Armijo condition."""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib import linesearch as ls
from course_lib.problems import quadratic, rosenbrock, spd_matrix


def sequence_answer(f, grad, x, p, alpha0, rho, c1, armijo):
    """The first alpha0 rho^j passing ``armijo(phi, alpha)`` (the reference and its mistakes)."""
    phi0, slope = f(x), float(grad(x) @ p)
    alpha = alpha0
    for _ in range(100):
        if armijo(f(x + alpha * p), alpha, phi0, slope):
            return alpha
        alpha *= rho
    return None


MISTAKES = [
    (lambda phi, a, phi0, s, c1=1e-4: phi >= phi0 + c1 * a * s, "the Armijo inequality is reversed: accept when f(x + alpha p) <= f(x) + c1 alpha grad f(x)^T p"),
    (lambda phi, a, phi0, s, c1=1e-4: phi < phi0, "this is simple decrease, f(x + alpha p) < f(x): the Armijo test also asks for c1 alpha grad f(x)^T p"),
    (lambda phi, a, phi0, s, c1=1e-4: phi <= phi0 - c1 * a * s, "the sign of the slope term is wrong: grad f(x)^T p is negative, the right-hand side is f(x) + c1 alpha grad f(x)^T p"),
]

P_ROSEN = rosenbrock()
Q = quadratic(spd_matrix([20.0, 5.0, 1.0], seed=4), np.array([1.0, -1.0, 2.0]))
CASES = [
    (P_ROSEN.fun, P_ROSEN.grad, np.array([-1.2, 1.0]), None, 1.0, 0.5, 1e-4),
    (P_ROSEN.fun, P_ROSEN.grad, np.array([0.3, 0.8]), None, 1.0, 0.3, 0.1),
    (P_ROSEN.fun, P_ROSEN.grad, np.array([2.0, -1.0]), np.array([-1.0, 0.5]), 2.0, 0.8, 1e-4),
    (Q.fun, Q.grad, np.array([3.0, -2.0, 1.0]), None, 1.0, 0.5, 0.3),
    (Q.fun, Q.grad, np.array([3.0, -2.0, 1.0]), np.array([-1.0, 0.0, 0.0]), 5.0, 0.6, 1e-4),
    (lambda x: float(np.sum(np.cosh(x))), lambda x: np.sinh(x), np.array([2.0, -1.0]), None, 3.0, 0.5, 0.5),
]


def check_case(student, f, grad, x, p, alpha0, rho, c1):
    p = -grad(x) if p is None else p
    got = float(student.backtracking(f, grad, x, p, alpha0, rho, c1))
    want = ls.backtracking(f, grad, x, p, alpha0=alpha0, rho=rho, c1=c1).alpha
    if np.isclose(got, want, rtol=1e-12):
        return
    for armijo, hint in MISTAKES:
        wrong = sequence_answer(f, grad, x, p, alpha0, rho, c1, lambda phi, a, phi0, s: armijo(phi, a, phi0, s, c1))
        if wrong is not None and np.isclose(got, wrong, rtol=1e-12):
            pytest.fail(hint)
    if np.isclose(got, want / rho, rtol=1e-12) or np.isclose(got, want * rho, rtol=1e-12):
        pytest.fail("the step is one factor rho off: return the first alpha0 rho^j that passes, and test alpha0 itself first")
    phi0, slope = f(x), grad(x) @ p
    if f(x + got * p) > phi0 + c1 * got * slope:
        pytest.fail("the returned step does not satisfy the Armijo condition")
    pytest.fail("the returned step satisfies Armijo but is not the first of alpha0, rho alpha0, rho^2 alpha0, ... to do so")


@pytest.mark.points(2)
def test_first_armijo_step_on_new_problems(student):
    """the first step of alpha0 rho^j passing Armijo, on Rosenbrock, a 3-D quadratic and sum cosh x,
    along -grad f and other descent directions, several alpha0, rho and c1"""
    for case in CASES:
        check_case(student, *case)


@pytest.mark.points(1)
def test_refuses_an_ascent_direction(student):
    """an ascent direction (grad f^T p > 0) raises ValueError"""
    x = np.array([-1.2, 1.0])
    try:
        got = student.backtracking(P_ROSEN.fun, P_ROSEN.grad, x, P_ROSEN.grad(x), 1.0, 0.5, 1e-4)
    except StudentError as err:
        assert err.kind == "ValueError", f"an ascent direction should raise ValueError, not {err.kind}"
    else:
        pytest.fail(f"along an ascent direction backtracking returned {got}; it should raise ValueError")
