"""Hidden tests, task 2: L, m and kappa of least squares from the singular values.

The matrices are Gaussian with column scales fixed by the test (kappa between 17 and 33, n from 30
to 3000), so L and m are well away from 0 and every correct computation from the singular values
(svd with or without vectors, of X or of X / sqrt(n)) agrees with the reference to 1e-13; the
tolerance is 1e-9. The task's rule "from the singular values, not by forming X^T X" is checked on one
matrix built with singular values 1, 1e-3, 1e-7 (cond(X) = 1e7): a backward-stable SVD gets
sigma_3 to a relative eps cond(X) = 2e-9 on any machine, so m to 4e-9 (tolerance 1e-6, a margin of
250), while the eigenvalues of the computed X^T X carry an absolute error of order eps sigma_1^2, a
relative error in m of up to eps cond(X)^2 = 1e-2 (5.8e-4 on this matrix with numpy's default
kernel, 580 times the tolerance).
"""

import numpy as np
import pytest

from course_lib.convexity import least_squares_constants


def matrices():
    rng = np.random.default_rng(21)
    return [rng.normal(size=(30, 3)) * np.array([2.0, 1.0, 0.5]),
            rng.normal(size=(300, 5)) * np.geomspace(1, 0.2, 5) + 0.3,
            rng.normal(size=(3000, 2)) * np.array([0.3, 1.7])]


@pytest.mark.points(1)
def test_L_and_m(student):
    """L and m of three data matrices (n from 30 to 3000), and of one with cond(X) = 1e7"""
    for X in matrices():
        got = student.smoothness_constants(X.copy())
        assert len(got) == 3, "return the tuple (L, m, kappa)"
        L, m = float(got[0]), float(got[1])
        want = least_squares_constants(X)
        n = X.shape[0]
        if np.isclose(L, want.L * n, rtol=1e-9, atol=0) or np.isclose(m, want.m * n, rtol=1e-9, atol=0):
            pytest.fail("the Hessian is X^T X / n: divide the squared singular values by n")
        if np.isclose(L, np.sqrt(want.L * n), rtol=1e-9, atol=0) or np.isclose(L, np.sqrt(want.L * n) / n, rtol=1e-9, atol=0):
            pytest.fail("the eigenvalues of X^T X are the SQUARED singular values of X")
        if abs(m) < 1e-8 * abs(want.m):
            pytest.fail("m = 0: the eigenvalues of X X^T (n x n) include zeros; use the D singular values of X")
        if np.isclose(L, want.m, rtol=1e-9, atol=0) and np.isclose(m, want.L, rtol=1e-9, atol=0):
            pytest.fail("L and m are swapped: L is the largest eigenvalue, m the smallest")
        assert np.isclose(L, want.L, rtol=1e-9, atol=0), "L should be sigma_1^2 / n, the largest eigenvalue of X^T X / n"
        assert np.isclose(m, want.m, rtol=1e-9, atol=0), "m should be sigma_D^2 / n, the smallest eigenvalue of X^T X / n"
    X = ill_conditioned()
    got = student.smoothness_constants(X.copy())
    want = least_squares_constants(X)
    assert np.isclose(float(got[0]), want.L, rtol=1e-6, atol=0) and np.isclose(float(got[1]), want.m, rtol=1e-6, atol=0), (
        "with cond(X) = 1e7 the smallest eigenvalue m is wrong: compute it from the singular values of X, "
        "not from the eigenvalues of X^T X (whose condition number is cond(X)^2)")


def ill_conditioned():
    rng = np.random.default_rng(22)
    U, _ = np.linalg.qr(rng.normal(size=(50, 3)))
    V, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    return (U * np.array([1.0, 1e-3, 1e-7])) @ V.T


@pytest.mark.points(1)
def test_kappa(student):
    """kappa = L / m = (sigma_1 / sigma_D)^2 for the same matrices"""
    for X in matrices():
        got = student.smoothness_constants(X.copy())
        kappa = float(got[2])
        want = least_squares_constants(X).kappa
        if np.isclose(kappa, np.sqrt(want), rtol=1e-9, atol=0):
            pytest.fail("kappa = sigma_1 / sigma_D is the condition number of X; the Hessian's is its square")
        if np.isclose(kappa, 1 / want, rtol=1e-9, atol=0):
            pytest.fail("kappa is L / m, not m / L")
        assert np.isclose(kappa, want, rtol=1e-9, atol=0), "kappa should be L / m = (sigma_1 / sigma_D)^2"
