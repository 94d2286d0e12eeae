"""Hidden tests, task 2: classifying critical points from the Hessian's eigenvalues.

Every Hessian is Q diag(lambda) Q^T for an orthogonal Q, symmetrised exactly, so eigvalsh returns
each eigenvalue to within 1e-14 of the chosen one on every machine. The chosen eigenvalues are at
least 0.1 away from zero, or exactly 0 (then computed at most 1e-14 from 0), or +-1e-10 / +-1e-6:
1e-10 is 100 times inside tol = 1e-8 and 1e4 times above rounding, 1e-6 is 100 times outside it.
With tol = 1e-3, eigenvalues 1e-4 (10 times inside) and 1e-2 (10 times outside) judge that the
argument is used.
"""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib.landscapes import classify_critical_point as reference


def hessian(eigenvalues, seed):
    lam = np.asarray(eigenvalues, dtype=float)
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(lam.size, lam.size)))
    H = (Q * lam) @ Q.T
    return 0.5 * (H + H.T)


def verdict(student, H, tol=None):
    try:
        out = student.classify_critical_point(H) if tol is None else student.classify_critical_point(H, tol)
    except StudentError as err:
        if err.kind is None:
            raise
        pytest.fail(f"classify_critical_point raised {err.kind} on a symmetric matrix")
    return out


@pytest.mark.points(1)
def test_rotated_hessians(student):
    """minima, maxima, strict saddles and degenerate points of sizes 2 to 8, rotated (not diagonal)"""
    cases = [([3.0, 0.5], 1), ([-0.2, -4.0, -1.0], 2), ([2.0, -0.1], 3), ([1.0, 2.0, 0.3, 5.0, 0.1], 4),
             ([-1.0, -1.0, 2.0, -3.0], 5), ([0.0, 1.0, 2.0], 6), ([-2.0, 0.0, -0.5, -1.0], 7),
             ([4.0, 1.0, -0.3, 2.0, 2.0, 1.0, 0.5, 0.2], 8), ([-0.5, -0.5, -0.5, -0.5, -0.5, -0.5], 9)]
    for lam, seed in cases:
        H = hessian(lam, seed)
        want = reference(H)
        got = verdict(student, H)
        if got != want:
            if got == reference(np.diag(np.diag(H))):
                pytest.fail("the verdict follows the diagonal entries; use the eigenvalues of H")
            pytest.fail(f"a {H.shape[0]} x {H.shape[0]} Hessian is classified '{got}', which its eigenvalues contradict")


@pytest.mark.points(1)
def test_zero_eigenvalues_and_tolerance(student):
    """a zero eigenvalue next to both signs is still a strict saddle; |lambda| <= tol counts as zero,
    just above tol does not; another tol is respected"""
    H = hessian([3.0, -1.0, 0.0], 21)
    got = verdict(student, H)
    if got == "degenerate":
        pytest.fail("eigenvalues of both signs make a strict saddle even when another eigenvalue is zero")
    assert got == "strict saddle", "a strict saddle is classified wrongly"
    for lam, want, why in (([2.0, 1e-10], "degenerate", "an eigenvalue of 1e-10 is within tol = 1e-8: it counts as zero"),
                           ([-1.0, -1e-10, -3.0], "degenerate", "an eigenvalue of -1e-10 is within tol = 1e-8: it counts as zero"),
                           ([2.0, 1e-6], "minimum", "an eigenvalue of 1e-6 is above tol = 1e-8: it is positive"),
                           ([1e-10, -1e-10], "degenerate", "eigenvalues within tol of zero are zero, whatever their sign")):
        got = verdict(student, hessian(lam, 22))
        assert got == want, why
    for lam, want in (([1.0, 1e-4], "degenerate"), ([1.0, 1e-2], "minimum"), ([-2.0, 1e-4, -1.0], "degenerate"),
                      ([1.0, -1e-2], "strict saddle")):
        got = verdict(student, hessian(lam, 23), 1e-3)
        assert got == want, "the tolerance is the argument tol: with tol = 1e-3, 1e-4 counts as zero and 1e-2 does not"
