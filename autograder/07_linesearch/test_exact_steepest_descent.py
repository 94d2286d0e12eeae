"""Hidden tests, task 3: steepest descent with exact steps on quadratics."""

import numpy as np
import pytest

from course_lib import linesearch as ls
from course_lib.problems import quadratic, spd_matrix


@pytest.mark.points(1)
def test_exact_steps_and_orthogonal_gradients(student):
    """iterates equal the reference on quadratics of dimension 2 to 8; successive gradients are
    orthogonal; f - f* shrinks at least by ((kappa-1)/(kappa+1))^2 per step"""
    for d, kappa, seed in ((2, 10.0, 1), (5, 100.0, 2), (8, 30.0, 3)):
        A = spd_matrix(np.geomspace(kappa, 1.0, d), seed=seed)
        b = np.random.default_rng(seed).normal(size=d)
        x0 = np.random.default_rng(seed + 10).normal(size=d) * 3
        got = np.asarray(student.exact_steepest_descent(A, b, x0, 25), dtype=float)
        assert got.shape == (26, d), f"25 steps in dimension {d} give shape (26, {d}), got {got.shape}"
        q = quadratic(A, b)
        want = ls.line_search_descent(q.fun, q.grad, x0, step="exact", tol=1e-300, maxiter=25).history
        if not np.allclose(got, want, rtol=1e-8, atol=1e-10):
            x, g = x0, A @ x0 - b
            for wrong, hint in (((g @ g) / (g @ g), "alpha = g.g / g.g = 1: the curvature g^T A g belongs in the denominator"),
                                ((g @ A @ g) / (g @ g), "alpha is inverted: alpha = g^T g / g^T A g"),
                                (-(g @ g) / (g @ A @ g), "the step goes uphill: x_next = x - alpha g")):
                if np.allclose(got[1], x - wrong * g, rtol=1e-8):
                    pytest.fail(hint)
            pytest.fail(f"the iterates differ from steepest descent with exact steps (dimension {d})")
        grads = got @ A - b
        norms = np.linalg.norm(grads, axis=1)
        live = norms[1:] > 1e-8 * norms[0]              # below that, the gradients are rounding noise
        cos = np.sum(grads[:-1] * grads[1:], axis=1) / (norms[:-1] * norms[1:])
        assert np.max(np.abs(cos[live])) < 1e-6, "successive gradients should be orthogonal"
        fs = np.array([q.fun(x) for x in got]) - q.fun(q.x_min)
        assert np.all(fs[1:] <= ((kappa - 1) / (kappa + 1)) ** 2 * fs[:-1] * (1 + 1e-9) + 1e-12)
