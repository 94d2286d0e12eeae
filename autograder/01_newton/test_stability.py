"""Hidden tests, task 3: the largest stable gradient-descent step."""

import numpy as np
import pytest

from course_lib import problems
from course_lib.optim import gradient_descent, run


@pytest.mark.points(1)
def test_bound_on_rotated_matrices(student):
    """max_stable_learning_rate is 2 / lambda_max for rotated matrices in 3 to 10 dimensions"""
    rng = np.random.default_rng(99)
    for d in (3, 6, 10):
        lam = rng.uniform(0.1, 50.0, d)
        A = problems.spd_matrix(lam, seed=int(rng.integers(1e6)))
        got = float(student.max_stable_learning_rate(A))
        assert np.isclose(got, 2 / lam.max(), rtol=1e-8), (
            "the bound should come from the largest eigenvalue of A (not its smallest, not the diagonal), "
            "and it is 2/lambda_max, not 1/lambda_max")


@pytest.mark.points(1)
def test_iterates_match_gradient_descent(student):
    """gd_iterates returns every iterate of theta - lr * grad, x0 first"""
    A = problems.spd_matrix([4.0, 2.0, 1.0, 0.3], seed=12)
    q = problems.quadratic(A, np.arange(4.0))
    x0 = np.array([1.0, -1.0, 2.0, 0.5])
    ref = run(gradient_descent(0.3), q.grad, x0, 17)
    xs = np.asarray(student.gd_iterates(q.grad, x0, 0.3, 17), dtype=float)
    assert xs.shape == ref.shape, "num_steps steps should give an array of shape (num_steps + 1, d), x0 first"
    assert np.allclose(xs, ref, rtol=1e-10, atol=1e-12), "the iterates differ from theta_(k+1) = theta_k - lr * grad(theta_k)"
    p = problems.rosenbrock()
    ref = run(gradient_descent(1e-3), p.grad, np.array([-0.5, 0.5]), 40)
    xs = np.asarray(student.gd_iterates(p.grad, np.array([-0.5, 0.5]), 1e-3, 40), dtype=float)
    assert xs.shape == ref.shape and np.allclose(xs, ref, rtol=1e-10), "on Rosenbrock the iterates differ from gradient descent"


def _descend(grad, x, lr, num_steps):
    """The last of num_steps gradient-descent iterates (any lr, even a wrong one)."""
    with np.errstate(all="ignore"):
        for _ in range(num_steps):
            x = x - lr * grad(x)
    return x


@pytest.mark.points(1)
def test_bound_separates_convergence_from_divergence(student):
    """just below the student's bound GD converges, just above it diverges (1-D and 5-D)"""
    for lam in ([7.0], [9.0, 7.0, 5.0, 4.0, 3.0]):
        A = problems.spd_matrix(lam, seed=31)
        q = problems.quadratic(A)
        x0 = np.ones(len(lam))
        eta = float(student.max_stable_learning_rate(A))
        # gradient descent written here, so that a mistake in gd_iterates is not charged here again
        below, above = _descend(q.grad, x0, 0.9 * eta, 60), _descend(q.grad, x0, 1.1 * eta, 60)
        assert np.linalg.norm(below) < 1e-2 * np.linalg.norm(x0), "a step just below your bound does not converge"
        assert not np.all(np.isfinite(above)) or np.linalg.norm(above) > 1e2 * np.linalg.norm(x0), (
            "a step just above your bound does not diverge: your bound is too small")
