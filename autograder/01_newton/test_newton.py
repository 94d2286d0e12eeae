"""Hidden tests, task 1: the Newton step and Newton's iteration."""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib import problems
from course_lib.newton import newton


@pytest.mark.points(1)
def test_step_solves_the_newton_system(student):
    """newton_step solves H p = -g in other dimensions, for indefinite H too"""
    rng = np.random.default_rng(20261)
    for d in (1, 4, 7):
        H = problems.spd_matrix(rng.uniform(-5, 5, d) + np.sign(rng.uniform(-1, 1, d)), seed=int(rng.integers(1e6)))
        g = rng.normal(size=d)
        p = np.asarray(student.newton_step(g, H), dtype=float)
        assert p.shape == (d,), f"for a {d}-dimensional gradient the step should have shape ({d},), not {p.shape}"
        assert np.allclose(H @ p, -g, rtol=1e-8, atol=1e-10), (
            f"in dimension {d}, H @ p is not -g: check the sign of the step and that you solve "
            "with H itself (not its transpose, inverse of g, or a diagonal approximation)")


@pytest.mark.points(0.5)
def test_singular_hessian_raises(student):
    """newton_step raises numpy.linalg.LinAlgError when H is singular"""
    H = problems.spd_matrix([3.0, 0.0, -1.0], seed=5)
    try:
        p = student.newton_step(np.array([1.0, 0.0, 2.0]), H)
    except StudentError as err:
        assert err.kind == "LinAlgError", f"a singular H should raise LinAlgError, not {err.kind}"
        return
    raise AssertionError(f"a singular Hessian returned {np.shape(p)} instead of raising LinAlgError: "
                         "use np.linalg.solve (pseudo-inverses and tiny regularisers hide the problem)")


@pytest.mark.points(1)
def test_iterates_match_newton(student):
    """newton_iterates lands on A^{-1} b in one step and follows Newton on Rosenbrock"""
    rng = np.random.default_rng(77)
    A = problems.spd_matrix(rng.uniform(0.5, 20, 5), seed=3)
    b = rng.normal(size=5)
    q = problems.quadratic(A, b)
    xs = np.asarray(student.newton_iterates(q.grad, q.hess, rng.normal(size=5)), dtype=float)
    assert xs.ndim == 2 and xs.shape[1] == 5, f"expected an array of shape (k + 1, 5), got {xs.shape}"
    assert xs.shape[0] == 2, (f"on a quadratic, Newton needs exactly one step, then stops: you returned "
                              f"{xs.shape[0]} rows (include x0, stop when the gradient norm is <= tol)")
    assert np.allclose(xs[1], np.linalg.solve(A, b), atol=1e-8), "the step from x0 does not reach the minimiser of the quadratic"

    p = problems.rosenbrock(a=1.5, b=30.0)
    x0 = np.array([-1.4, 2.5])
    ref = newton(p.grad, p.hess, x0, tol=1e-10, maxiter=50).history
    xs = np.asarray(student.newton_iterates(p.grad, p.hess, x0), dtype=float)
    assert xs.shape == ref.shape, (f"on a Rosenbrock function your iteration has {len(xs)} rows where Newton "
                                   "takes a different number: check the stopping rule (norm of the gradient <= tol)")
    assert np.allclose(xs, ref, rtol=1e-7, atol=1e-9), "your iterates on a Rosenbrock function drift from Newton's"


@pytest.mark.points(0.5)
def test_iteration_limits(student):
    """newton_iterates stops after max_iter steps, and at once at a stationary point"""
    q = problems.oscillating_quartic()
    grad = lambda x: np.atleast_1d(q.grad(x))
    hess = lambda x: np.atleast_2d(q.hess(x))
    xs = np.asarray(student.newton_iterates(grad, hess, np.array([1.0]), max_iter=7), dtype=float)
    assert xs.shape == (8, 1), f"with max_iter=7 there should be 8 rows (x0 and 7 steps), got {xs.shape}"
    start = np.array([np.sqrt(5.0)])
    xs = np.asarray(student.newton_iterates(grad, hess, start), dtype=float)
    assert xs.shape == (1, 1), "started at a minimiser, the iteration should return x0 alone"
