"""Hidden tests, task 3: the numerical checks."""

import numpy as np
import pytest


@pytest.mark.points(1)
def test_residual_and_definiteness(student):
    """the relative secant residual on random data; positive definiteness of matrices that fool a
    determinant test (two negative eigenvalues), a diagonal test and a symmetry-blind test"""
    rng = np.random.default_rng(3)
    for d in (2, 5, 9):
        H, s, y = rng.normal(size=(d, d)), rng.normal(size=d), rng.normal(size=d)
        want = np.linalg.norm(H @ y - s) / np.linalg.norm(s)
        got = float(student.secant_residual(H, s, y))
        assert np.isclose(got, want, rtol=1e-10), "secant_residual should be ||H y - s|| / ||s||"
    cases = [
        (np.diag([-1.0, -2.0, 3.0]), False, "the eigenvalues -1, -2, 3 have a positive product: a determinant test is fooled"),
        (np.array([[1.0, 3.0], [3.0, 1.0]]), False, "positive diagonal but eigenvalues -2 and 4: the diagonal test is fooled"),
        (np.array([[2.0, 1.0], [0.0, 2.0]]), False, "a non-symmetric matrix is not positive definite in the sense of the task"),
        (np.array([[1.0, 0.0], [0.0, 1e-9]]), True, "eigenvalues 1 and 1e-9 are both positive"),
        (np.diag([3.0, 0.0, 1.0]), False, "a zero eigenvalue: semidefinite"),
        (np.array([[4.0, 2.0, 0.0], [2.0, 4.0, 2.0], [0.0, 2.0, 4.0]]), True, "a symmetric positive definite tridiagonal matrix"),
    ]
    for H, want, why in cases:
        got = student.is_positive_definite(H)
        assert bool(got) == want, why
