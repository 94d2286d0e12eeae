"""Hidden tests, task 2: the Wolfe conditions.

Margins (checked by hand): at every step and pair of constants below, the Armijo inequality
holds or fails by at least 7 % of |f|, the curvature inequality by at least 2 % of |phi'(0)|
and the strong one by at least 0.7 %: far above rounding, whatever the order of evaluation.
"""

import numpy as np
import pytest

from course_lib import linesearch as ls
from course_lib.problems import rosenbrock

P = rosenbrock()
RAYS = [
    (P.fun, P.grad, np.array([0.8, 0.0]), None),
    (P.fun, P.grad, np.array([-1.2, 1.0]), np.array([1.0, -0.2])),
    (lambda x: float(np.sum(x ** 4) - x[0] * x[1]), lambda x: 4 * x ** 3 - np.array([x[1], x[0]]), np.array([1.0, 0.5]), None),
]


def reference(f, grad, x, p, alpha, c1, c2, strong):
    """The two conditions straight from their definitions."""
    phi0, dphi0 = f(x), float(grad(x) @ p)
    phi, dphi = f(x + alpha * p), float(grad(x + alpha * p) @ p)
    armijo = phi <= phi0 + c1 * alpha * dphi0
    curvature = abs(dphi) <= c2 * abs(dphi0) if strong else dphi >= c2 * dphi0
    return bool(armijo), bool(curvature)


def check(student, strong):
    for f, grad, x, p in RAYS:
        p = -grad(x) if p is None else p
        exact = ls.exact_line_search(f, grad, x, p, alpha0=1e-3).alpha
        for c1, c2 in ((1e-4, 0.9), (0.2, 0.5), (0.1, 0.1 + 1e-3)):
            for alpha in exact * np.array([0.05, 0.3, 0.7, 1.0, 1.4, 1.9, 2.5, 4.0]):
                got = student.wolfe_conditions(f, grad, x, p, float(alpha), c1, c2, strong)
                pair = isinstance(got, (tuple, list)) or (isinstance(got, np.ndarray) and got.ndim == 1)
                assert pair and len(got) == 2, "return the pair (armijo_holds, curvature_holds)"
                got = (bool(got[0]), bool(got[1]))
                want = reference(f, grad, x, p, alpha, c1, c2, strong)
                if got[0] != want[0]:
                    pytest.fail("the Armijo answer is wrong: check phi(alpha) <= phi(0) + c1 alpha phi'(0), with "
                                "phi'(0) = grad f(x)^T p")
                if got[1] != want[1]:
                    if strong and got[1] == reference(f, grad, x, p, alpha, c1, c2, False)[1]:
                        pytest.fail("with strong=True the curvature test needs absolute values: |phi'(alpha)| <= c2 |phi'(0)|")
                    kind = "strong curvature |phi'(alpha)| <= c2 |phi'(0)|" if strong else "curvature phi'(alpha) >= c2 phi'(0)"
                    pytest.fail(f"the curvature answer is wrong: check {kind}, with phi'(alpha) = grad f(x + alpha p)^T p")


@pytest.mark.points(1)
def test_weak_wolfe(student):
    """Armijo and curvature on three rays, eight steps from short to long, three (c1, c2) pairs"""
    check(student, strong=False)


@pytest.mark.points(1)
def test_strong_wolfe(student):
    """Armijo and strong curvature on the same rays and steps (steps beyond the minimiser have phi' > 0)"""
    check(student, strong=True)
