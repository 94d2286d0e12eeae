"""Hidden tests, task 3: steepest descent with exact steps on quadratics.

Margins (checked by hand, default and Prescott kernels): other correct formulations of the
step (norm(g)**2 / g.(A g), 1 / Rayleigh quotient) stay within 1e-4 of the rtol = 1e-8
tolerance; no run comes near the rounding floor in 25 steps (f - f* stays above 1e-5 of its
start), so none can meet an exactly zero gradient by accident; the f-ratio stays more than 1 % under its
bound. The stopping cases are built exactly: integer matrices and starts on an eigenvector of
A with a power-of-two eigenvalue, where alpha = 1/lambda and the step land exactly on the
minimiser in every order of summation. (In exact arithmetic the gradient can become zero only
at the first step, or at x0: a later one would need a Rayleigh quotient equal to an end of
its own spectrum.)
"""

import numpy as np
import pytest

from course_lib import linesearch as ls
from course_lib.problems import quadratic, spd_matrix

SHAPE_HINT = "return the iterates x0, x1, ..., x_num_steps as an array of shape (num_steps + 1, d)"


@pytest.mark.points(0.5)
def test_exact_steps_and_orthogonal_gradients(student):
    """iterates equal the reference on quadratics in several dimensions; successive gradients are
    orthogonal; f - f* shrinks at least by ((kappa-1)/(kappa+1))^2 per step"""
    for d, kappa, seed in ((2, 10.0, 34), (5, 100.0, 2), (8, 30.0, 3)):
        A = spd_matrix(np.geomspace(kappa, 1.0, d), seed=seed)
        b = np.random.default_rng(seed).normal(size=d)
        x0 = np.random.default_rng(seed + 10).normal(size=d) * 3
        got = np.asarray(student.exact_steepest_descent(A, b, x0, 25), dtype=float)
        assert got.shape == (26, d), SHAPE_HINT
        q = quadratic(A, b)
        want = ls.line_search_descent(q.fun, q.grad, x0, step="exact", tol=1e-300, maxiter=25).history
        if not np.allclose(got, want, rtol=1e-8, atol=1e-10):
            x, g = x0, A @ x0 - b
            for wrong, hint in (((g @ g) / (g @ g), "alpha = g.g / g.g = 1: the curvature g^T A g belongs in the denominator"),
                                ((g @ A @ g) / (g @ g), "alpha is inverted: alpha = g^T g / g^T A g"),
                                (-(g @ g) / (g @ A @ g), "the step goes uphill: x_next = x - alpha g")):
                if np.allclose(got[1], x - wrong * g, rtol=1e-8):
                    pytest.fail(hint)
            if not np.allclose(got[0], x0):
                pytest.fail("the first row should be x0 itself")
            pytest.fail("the iterates differ from steepest descent with exact steps: g = A x - b, "
                        "alpha = g^T g / g^T A g, x_next = x - alpha g")
        grads = got @ A - b
        norms = np.linalg.norm(grads, axis=1)
        live = norms[1:] > 1e-8 * norms[0]              # below that, the gradients are rounding noise
        cos = np.sum(grads[:-1] * grads[1:], axis=1) / (norms[:-1] * norms[1:])
        assert np.max(np.abs(cos[live])) < 1e-6, "successive gradients should be orthogonal"
        fs = np.array([q.fun(x) for x in got]) - q.fun(q.x_min)
        assert np.all(fs[1:] <= ((kappa - 1) / (kappa + 1)) ** 2 * fs[:-1] * (1 + 1e-9) + 1e-12), \
            "f - f* should shrink at least by ((kappa - 1)/(kappa + 1))^2 at every exact step"


# (A, b, x0, the minimiser), all small integers. g0 = A x0 - b is an eigenvector of A for the eigenvalue 8
# (first) and 4 (second: the row sums of A are 4, g0 = (8, 8, 8, 8)), with ||g0|| = 24 and 16, so every usual
# way of writing the step (g.g / g.Ag, norm(g)**2 / g.Ag, a unit direction -g / norm(g) and the step
# length alpha ||g||) is exact: x1 is exactly the minimiser, where the gradient is exactly 0. (An eigenvector
# such as (1, -1) would not do: norm(g)**2 = 71.99999999999999 for g = (6, -6).)
ZERO_GRADIENT = [
    (np.diag([2.0, 8.0, 4.0]), np.array([2.0, -8.0, 8.0]), np.array([1.0, 2.0, 2.0]), np.array([1.0, -1.0, 2.0])),
    (np.array([[4.0, 1.0, -1.0, 0.0], [1.0, 4.0, 0.0, -1.0], [-1.0, 0.0, 4.0, 1.0], [0.0, -1.0, 1.0, 4.0]]),
     np.array([-1.0, -7.0, 11.0, 5.0]), np.array([3.0, 0.0, 5.0, 2.0]), np.array([1.0, -2.0, 3.0, 0.0])),
]
for _A, _b, _x0, _x_min, _lam in zip(*zip(*ZERO_GRADIENT), (8.0, 4.0)):   # the construction, checked exactly
    assert np.array_equal(_A @ _x_min, _b) and np.array_equal(_A @ (_A @ _x0 - _b), _lam * (_A @ _x0 - _b))


@pytest.mark.points(0.5)
def test_stops_where_the_gradient_is_exactly_zero(student):
    """stops early, returning the iterates so far, when the gradient becomes exactly zero (after a step, or at x0)"""
    for A, b, x0, x_min in ZERO_GRADIENT:
        got = np.asarray(student.exact_steepest_descent(A, b, x0, 10), dtype=float)
        assert got.ndim == 2 and got.shape[1] == len(x0), SHAPE_HINT
        if len(got) >= 2 and not np.allclose(got[1], x_min, rtol=0, atol=1e-12):
            continue  # a wrong step (the other test's business) does not reach the zero gradient: nothing to stop at
        if len(got) > 2:
            if not np.all(np.isfinite(got)):
                pytest.fail("after the gradient became exactly zero the run went on and produced nan (alpha = 0/0): "
                            "stop as soon as the gradient is exactly zero and return the iterates so far")
            pytest.fail("the gradient became exactly zero, but more iterates were returned: stop there and "
                        "return only the iterates so far (no padding)")
        assert len(got) == 2 and np.array_equal(got[0], x0), \
            "the first exact step from a start whose gradient is an eigenvector of A lands on the minimiser, where " \
            "the gradient is exactly zero: return x0 and that point"
    A, b, _, x_min = ZERO_GRADIENT[1]
    got = np.asarray(student.exact_steepest_descent(A, b, x_min, 10), dtype=float)
    if got.ndim == 2 and len(got) > 1:
        pytest.fail("x0 is already the minimiser (gradient exactly zero): return x0 alone, shape (1, d), "
                    "without taking a step")
    assert got.shape == (1, 4) and np.array_equal(got[0], x_min), \
        "x0 is already the minimiser (gradient exactly zero): return x0 alone, shape (1, d)"
