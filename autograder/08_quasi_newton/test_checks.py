"""Hidden tests, task 3: the numerical checks.

Every matrix is built exactly (small integers and halves, or an exact perturbation of them), so
its eigenvalues and its symmetry are known without rounding: the positive definite ones have
smallest eigenvalue 1e-9 or more, the others a negative or an exactly zero eigenvalue. Two
asymmetries judge the tolerance: 1e-7 (1000 times the task's relative 1e-10, but 100 times below
np.allclose's default rtol 1e-5) and 2^-45 = 2.8e-14 (3500 times below it, but not zero).
"""

import numpy as np
import pytest


@pytest.mark.points(1)
def test_residual_and_definiteness(student):
    """the relative secant residual on random data; positive definiteness of matrices that fool a
    determinant test (two negative eigenvalues), a diagonal test and a symmetry-blind test; symmetry
    judged with the relative tolerance 1e-10"""
    rng = np.random.default_rng(3)
    for d in (2, 5, 9):
        H, s, y = rng.normal(size=(d, d)), rng.normal(size=d), rng.normal(size=d)
        want = np.linalg.norm(H @ y - s) / np.linalg.norm(s)
        got = float(student.secant_residual(H, s, y))
        if np.isclose(got, np.linalg.norm(H @ y - s), rtol=1e-10):
            pytest.fail("secant_residual is the RELATIVE residual: divide ||H y - s|| by ||s||")
        assert np.isclose(got, want, rtol=1e-10), "secant_residual should be ||H y - s|| / ||s||"
    cases = [
        (np.diag([-1.0, -2.0, 3.0]), False,
         "two negative eigenvalues give a positive determinant: test the eigenvalues, not the determinant"),
        (np.array([[1.0, 3.0], [3.0, 1.0]]), False,
         "a symmetric matrix with a positive diagonal can have a negative eigenvalue: a diagonal test is not enough"),
        (np.array([[2.0, 1.0], [0.0, 2.0]]), False,
         "a clearly non-symmetric matrix (positive eigenvalues) is not positive definite in the sense of the task"),
        (np.array([[2.0, 1.0 + 1e-7], [1.0, 2.0]]), False,
         "an asymmetry far above the relative 1e-10 of the task (but within np.allclose's default tolerances) "
         "makes the matrix non-symmetric: compare H with H^T with rtol=1e-10"),
        (np.array([[2.0, 1.0 + 2 ** -45], [1.0, 2.0]]), True,
         "a positive definite matrix that is symmetric up to rounding counts as symmetric: compare H with H^T "
         "up to a relative 1e-10, not exactly"),
        (np.array([[1.0, 0.0], [0.0, 1e-9]]), True,
         "a matrix whose smallest eigenvalue is tiny but positive is positive definite"),
        (np.diag([3.0, 0.0, 1.0]), False, "a zero eigenvalue: semidefinite, not definite"),
        (np.array([[4.0, 2.0, 0.0], [2.0, 4.0, 2.0], [0.0, 2.0, 4.0]]), True,
         "a symmetric positive definite tridiagonal matrix was rejected"),
    ]
    for H, want, why in cases:
        got = student.is_positive_definite(H)
        assert bool(got) == want, why
