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
        assert p.shape == (d,), "the step should be a 1-D array with the shape (d,) of the gradient"
        assert np.allclose(H @ p, -g, rtol=1e-8, atol=1e-10), (
            "H @ p is not -g: check the sign of the step and that you solve "
            "with H itself (not its transpose, inverse of g, or a diagonal approximation)")


# Exactly singular, symmetric and not diagonal (the last two indefinite), from small integers:
# LU with partial pivoting (np.linalg.solve, inv, det, scipy.linalg.solve) only meets multipliers
# that are exact binary fractions, so it reaches an exact zero pivot on every BLAS kernel.
# (A rotated diag(3, 0, -1) is singular only up to rounding: solve() then raises on some
# kernels and returns a 1e16 step on others.)
SINGULAR = [np.array([[1.0, 2.0], [2.0, 4.0]]),
            np.array([[4.0, 2.0, 2.0], [2.0, -1.0, 3.0], [2.0, 3.0, -1.0]]),
            np.array([[4.0, 2.0, 2.0, 0.0], [2.0, -1.0, 3.0, 1.0], [2.0, 3.0, -1.0, -1.0], [0.0, 1.0, -1.0, 2.0]])]


@pytest.mark.points(0.5)
def test_singular_hessian_raises(student):
    """newton_step raises numpy.linalg.LinAlgError when H is singular"""
    for H in SINGULAR:
        g = np.arange(1.0, len(H) + 1)
        try:
            p = student.newton_step(g, H)
        except StudentError as err:
            if err.kind is None:  # not an exception of the student's code (a missing name, say)
                raise
            assert err.kind == "LinAlgError", f"a singular H should raise LinAlgError, not {err.kind}"
            continue
        raise AssertionError("a singular Hessian returned a step instead of raising LinAlgError: use np.linalg.solve (pseudo-inverses, least squares and tiny "
                             "regularisers hide the problem)")


@pytest.mark.points(1)
def test_iterates_match_newton(student):
    """newton_iterates lands on A^{-1} b in one step and follows Newton on Rosenbrock"""
    rng = np.random.default_rng(77)
    A = problems.spd_matrix(rng.uniform(0.5, 20, 5), seed=3)
    b = rng.normal(size=5)
    q = problems.quadratic(A, b)
    xs = np.asarray(student.newton_iterates(q.grad, q.hess, rng.normal(size=5)), dtype=float)
    assert xs.ndim == 2 and xs.shape[1] == 5, "newton_iterates should return a 2-D array of shape (k + 1, d), one iterate per row"
    assert xs.shape[0] == 2, ("on a quadratic, Newton needs exactly one step, then stops: return x0 and x1 "
                              "(stop when the gradient norm is <= tol)")
    assert np.allclose(xs[1], np.linalg.solve(A, b), atol=1e-8), "the step from x0 does not reach the minimiser of the quadratic"

    p = problems.rosenbrock(a=1.5, b=30.0)
    x0 = np.array([-1.4, 2.5])
    ref = newton(p.grad, p.hess, x0, tol=1e-10, maxiter=50).history
    xs = np.asarray(student.newton_iterates(p.grad, p.hess, x0), dtype=float)
    assert xs.shape == ref.shape, ("on a Rosenbrock function your iteration takes a different number of steps "
                                   "from Newton's: check the stopping rule (norm of the gradient <= tol)")
    assert np.allclose(xs, ref, rtol=1e-7, atol=1e-9), "your iterates on a Rosenbrock function drift from Newton's"


@pytest.mark.points(0.5)
def test_iteration_limits(student):
    """newton_iterates stops after max_iter steps, at once at a stationary point, and as soon as
    the gradient norm is <= tol"""
    q = problems.oscillating_quartic()
    grad = lambda x: np.atleast_1d(q.grad(x))
    hess = lambda x: np.atleast_2d(q.hess(x))
    xs = np.asarray(student.newton_iterates(grad, hess, np.array([1.0]), max_iter=7), dtype=float)
    assert xs.shape == (8, 1), ("when the iteration does not converge it should return max_iter + 1 rows "
                                "(x0 and max_iter steps)")
    start = np.array([np.sqrt(5.0)])
    xs = np.asarray(student.newton_iterates(grad, hess, start), dtype=float)
    assert xs.shape == (1, 1), "started at a minimiser, the iteration should return x0 alone"

    # a quadratic whose gradient at x0 is exactly (3, 4), of norm exactly 5 (integers only)
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    grad2, hess2 = (lambda x: A @ x - np.array([1.0, 3.0])), (lambda x: A)
    x0 = np.array([1.0, 2.0])
    xs = np.asarray(student.newton_iterates(grad2, hess2, x0, tol=1000.0), dtype=float)
    assert xs.shape == (1, 2), ("with a tol larger than the gradient norm at x0 the iteration should return x0 "
                                "alone: use the tol argument, not a fixed tolerance")
    xs = np.asarray(student.newton_iterates(grad2, hess2, x0, tol=5.0), dtype=float)
    assert xs.shape == (1, 2), ("when the gradient norm at x0 equals tol exactly the iteration should return x0 "
                                "alone: stop when norm <= tol, not only when norm < tol")
