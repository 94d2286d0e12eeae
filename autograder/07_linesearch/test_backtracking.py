"""Hidden tests, task 1: backtracking with the Armijo condition.

Margins (checked by hand): at every trial of every case below, f(x + alpha p) and the Armijo
bound f(x) + c1 alpha grad f(x)^T p differ by at least 3.9 % of |f|, so the first passing step
is the same for every order of evaluation; the step that gives up needs 125 trials (limit 100),
and the direction with zero slope has grad f(x)^T p = 0 exactly (small integers).
"""

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
    try:
        got = float(student.backtracking(f, grad, x, p, alpha0, rho, c1))
    except StudentError as err:
        if err.kind == "RuntimeError":
            pytest.fail("backtracking gave up (RuntimeError) although a step among the first trials passes Armijo: "
                        "check the Armijo inequality f(x + alpha p) <= f(x) + c1 alpha grad f(x)^T p")
        if err.kind == "ValueError":
            pytest.fail("backtracking raised ValueError for a descent direction: raise it only when grad f(x)^T p >= 0")
        raise
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


@pytest.mark.points(1.5)
def test_first_armijo_step_on_new_problems(student):
    """the first step of alpha0 rho^j passing Armijo, on Rosenbrock, a 3-D quadratic and sum cosh x,
    along -grad f and other descent directions, several alpha0, rho and c1"""
    for case in CASES:
        check_case(student, *case)


def raised(call):
    """The name of the exception the student's call raised, or None if it returned."""
    try:
        call()
    except StudentError as err:
        if err.kind is None:  # not an exception of the student's code (a bad return value)
            raise
        return err.kind
    return None


@pytest.mark.points(0.5)
def test_refuses_a_direction_that_is_not_descent(student):
    """raises ValueError when grad f(x)^T p >= 0: an ascent direction, and a direction with slope exactly 0"""
    x = np.array([-1.2, 1.0])
    kind = raised(lambda: student.backtracking(P_ROSEN.fun, P_ROSEN.grad, x, P_ROSEN.grad(x), 1.0, 0.5, 1e-4))
    if kind is None:
        pytest.fail("along an ascent direction (grad f(x)^T p > 0) backtracking returned a step: it should raise ValueError")
    assert kind == "ValueError", f"a direction that is not a descent direction should raise ValueError, not {kind}"
    # f = x1^2 + 3 x2^2 at (2, 0), p = (0, 1): grad f(x)^T p = 4 * 0 + 0 * 1 = 0 exactly
    kind = raised(lambda: student.backtracking(lambda y: float(y[0] ** 2 + 3 * y[1] ** 2),
                                               lambda y: np.array([2 * y[0], 6 * y[1]]),
                                               np.array([2.0, 0.0]), np.array([0.0, 1.0]), 1.0, 0.5, 1e-4))
    if kind is None:
        pytest.fail("a direction with grad f(x)^T p = 0 exactly is not a descent direction either: raise ValueError "
                    "when the slope is >= 0, not only when it is > 0")
    assert kind == "ValueError", f"a direction that is not a descent direction should raise ValueError, not {kind}"


@pytest.mark.points(0.5)
def test_gives_up_with_runtime_error_after_100_trials(student):
    """raises RuntimeError when none of the first 100 trial steps passes Armijo (a first step far too long)"""
    x = np.array([3.0, -4.0])
    # phi(alpha) = 25 (1 - alpha)^2: Armijo needs alpha <= 2 - 2 c1, first met at trial 125 from 1e6 with rho = 0.9
    kind = raised(lambda: student.backtracking(lambda y: float(y @ y), lambda y: 2 * y, x, -x, 1e6, 0.9, 1e-4))
    if kind is None:
        pytest.fail("no step among the first 100 trials passes Armijo here, and backtracking returned instead of "
                    "giving up: count the trials and raise RuntimeError after 100 of them")
    assert kind == "RuntimeError", f"after 100 failed trials raise RuntimeError, not {kind}"


@pytest.mark.points(0.5)
def test_evaluates_f_and_the_slope_at_x_once(student):
    """f(x) and grad f(x)^T p are computed once (one call each), not again at every trial"""
    x = np.array([-1.2, 1.0])
    calls = {"f at x": 0, "grad": 0}

    def f(y):
        if np.array_equal(np.asarray(y, dtype=float), x):
            calls["f at x"] += 1
        return P_ROSEN.fun(y)

    def grad(y):
        calls["grad"] += 1
        return P_ROSEN.grad(y)

    alpha = student.backtracking(f, grad, x, -P_ROSEN.grad(x), 1.0, 0.5, 1e-4)  # 11 trials
    assert np.isscalar(alpha) or np.ndim(alpha) == 0, "backtracking should return the step alpha, a number"
    if calls["f at x"] != 1:
        pytest.fail("f(x) is evaluated more than once: compute it once before the trials and reuse it"
                    if calls["f at x"] > 1 else "f(x) is never evaluated: the Armijo test compares with f(x)")
    if calls["grad"] != 1:
        pytest.fail("grad is called more than once: compute grad f(x)^T p once before the trials and reuse it"
                    if calls["grad"] > 1 else "grad is never called: the Armijo test needs the slope grad f(x)^T p")
