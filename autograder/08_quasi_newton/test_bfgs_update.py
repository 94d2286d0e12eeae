"""Hidden tests, task 1: the BFGS update.

The random cases have cond(H) <= 135 and y^T s >= 0.3 |s| |y|; every correct way of writing the
update (the product of three matrices, the expanded O(d^2) form, loops) agrees with the reference
to 1e-14, so the tolerance 1e-9 leaves a margin of 1e4 on every machine.
"""

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
    Hs = H @ s
    if np.allclose(got, H - np.outer(Hs, Hs) / (s @ Hs) + rho * np.outer(y, y), rtol=1e-9, atol=1e-12):
        pytest.fail("this is the update of the Hessian approximation B (NW eq. 6.19) applied to H; "
                    "H approximates the inverse Hessian: use eq. 6.17")
    if np.allclose(got, (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)), rtol=1e-9, atol=1e-12):
        pytest.fail("the term + rho s s^T is missing")


@pytest.mark.points(1)
def test_formula_and_properties(student):
    """dimensions 2 to 20: equals the reference, symmetric, satisfies H+ y = s, positive definite"""
    for d, seed in ((2, 1), (5, 2), (9, 3), (20, 4)):
        H, s, y = random_case(d, seed)
        got = np.asarray(student.bfgs_update(H.copy(), s, y), dtype=float)
        assert got.shape == (d, d), "H+ should be a d x d matrix, the shape of H"
        want = bfgs_update(H, s, y)
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            diagnose(got, H, s, y)
            assert np.allclose(got @ y, s, rtol=1e-8, atol=1e-10), "the secant equation H+ y = s fails"
            pytest.fail("H+ differs from the BFGS update (I - rho s y^T) H (I - rho y s^T) + rho s s^T")
        scale = np.abs(got).max()
        assert np.allclose(got, got.T, rtol=0, atol=1e-10 * scale), "H+ should be symmetric"
        assert np.linalg.eigvalsh(0.5 * (got + got.T)).min() > 0, "H+ should be positive definite"


@pytest.mark.points(1)
def test_refuses_a_pair_without_curvature(student):
    """a pair with s^T y < 0, and one with s^T y = 0 exactly, raise ValueError"""
    H, s, _ = random_case(4, 9)
    s_exact, y_orth = np.array([1.0, 2.0, -3.0, 0.5]), np.array([2.0, -1.0, 1.0, 6.0])
    # s_exact^T y_orth = 2 - 2 - 3 + 3 = 0 exactly: small integers and halves, exact in any order of summation
    cases = ((s, -s, "s^T y < 0"), (s, np.zeros(4), "s^T y = 0 (y = 0)"),
             (s_exact, y_orth, "s^T y = 0 (y orthogonal to s)"))
    for sk, yk, what in cases:
        try:
            student.bfgs_update(H, sk, yk)
        except StudentError as err:
            if err.kind is None:
                raise
            assert err.kind == "ValueError", f"with {what} the update should raise ValueError, not {err.kind}"
        else:
            pytest.fail(f"with {what} the update should raise ValueError (the curvature condition is s^T y > 0, "
                        "strictly): no positive definite H+ satisfies the secant equation then")


@pytest.mark.points(1)
def test_does_not_modify_H(student):
    """the update returns a new matrix and leaves the H it was given unchanged"""
    for d, seed in ((3, 5), (8, 6)):
        H, s, y = random_case(d, seed)
        result, args_after, _ = student.keeping_arguments("bfgs_update")(H.copy(), s, y)
        assert np.shape(result) == (d, d), "bfgs_update should return H+, a d x d matrix"
        H_after = np.asarray(args_after[0], dtype=float)
        assert H_after.shape == H.shape and np.allclose(H_after, H, rtol=1e-12, atol=1e-12 * np.abs(H).max()), (
            "bfgs_update changed the H it was given (H -= ..., H += ..., H[:] = ... or an in-place numpy "
            "operation): the task says not to modify H; compute H+ in a new array")
