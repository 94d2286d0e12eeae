"""Hidden tests, task 1: the BFGS update."""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib.quasi_newton import bfgs_update


def random_case(d, seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(d, d))
    H = M @ M.T + 0.5 * np.eye(d)
    s = rng.normal(size=d)
    y = rng.normal(size=d)
    if s @ y <= 0.1 * np.linalg.norm(s) * np.linalg.norm(y):
        y = y + (0.5 - (s @ y) / (s @ s)) * s              # push into the curvature region
    return H, s, y


def diagnose(got, H, s, y):
    d = len(s)
    I = np.eye(d)
    for rho, what in ((1 / (s @ s), "s^T s"), (1 / (y @ y), "y^T y"), (1 / (s @ H @ s), "s^T H s")):
        wrong = (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
        if np.allclose(got, wrong, rtol=1e-9, atol=1e-12):
            pytest.fail(f"rho is computed from {what}; it is 1 / (y^T s)")
    rho = 1 / (y @ s)
    swapped = (I - rho * np.outer(y, s)) @ H @ (I - rho * np.outer(s, y)) + rho * np.outer(s, s)
    if np.allclose(got, swapped, rtol=1e-9, atol=1e-12):
        pytest.fail("the outer products are swapped: H+ = (I - rho s y^T) H (I - rho y s^T) + rho s s^T")
    B = np.linalg.inv(H)
    Bs = B @ s
    B_new = B - np.outer(Bs, Bs) / (s @ Bs) + rho * np.outer(y, y)
    if np.allclose(got, B_new, rtol=1e-9, atol=1e-12):
        pytest.fail("this is the update of the Hessian approximation B = H^-1 (NW eq. 6.19), not of H")


@pytest.mark.points(2)
def test_formula_and_properties(student):
    """dimensions 2 to 20: equals the reference, symmetric, satisfies H+ y = s, positive definite"""
    for d, seed in ((2, 1), (5, 2), (9, 3), (20, 4)):
        H, s, y = random_case(d, seed)
        got = np.asarray(student.bfgs_update(H.copy(), s, y), dtype=float)
        assert got.shape == (d, d), f"H+ should be {d} x {d}, got {got.shape}"
        want = bfgs_update(H, s, y)
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            diagnose(got, H, s, y)
            assert np.allclose(got @ y, s, rtol=1e-8, atol=1e-10), "the secant equation H+ y = s fails"
            pytest.fail(f"H+ differs from the BFGS update (d = {d})")
        assert np.allclose(got, got.T, atol=1e-10), "H+ should be symmetric"
        assert np.linalg.eigvalsh(0.5 * (got + got.T)).min() > 0, "H+ should be positive definite"


@pytest.mark.points(1)
def test_refuses_a_pair_without_curvature(student):
    """a pair with s^T y <= 0 raises ValueError"""
    H, s, _ = random_case(4, 9)
    for y in (-s, np.zeros(4)):
        try:
            student.bfgs_update(H, s, y)
        except StudentError as err:
            assert err.kind == "ValueError", f"s^T y <= 0 should raise ValueError, not {err.kind}"
        else:
            pytest.fail("with s^T y <= 0 the update should raise ValueError: no positive definite H+ satisfies the secant equation")
