"""Hidden tests, task 2: classifying a stationary point from its Hessian."""

import numpy as np
import pytest

from course_lib import problems


def _verdict(student, H):
    out = student.classify_stationary_point(H)
    assert isinstance(out, str), f"classify_stationary_point should return a string, not {type(out).__name__}"
    return out.strip().lower()


@pytest.mark.points(1)
def test_rotated_definite_and_indefinite(student):
    """minimum, maximum and saddle for rotated (non-diagonal) Hessians in 2 to 6 dimensions"""
    rng = np.random.default_rng(4242)
    for d in range(2, 7):
        mags = rng.uniform(0.5, 4.0, d)
        signs = np.ones(d)
        signs[rng.integers(d)] = -1
        cases = {"minimum": mags, "maximum": -mags, "saddle": signs * mags}
        for want, lam in cases.items():
            H = problems.spd_matrix(lam, seed=int(rng.integers(1e6)))
            got = _verdict(student, H)
            assert got == want, (f"a non-diagonal {d}x{d} Hessian was classified '{got}': the test reads the "
                                 "signs of the eigenvalues, not of the diagonal entries")


@pytest.mark.points(1)
def test_zero_eigenvalues(student):
    """a zero eigenvalue makes the test inconclusive unless other eigenvalues have both signs"""
    cases = [([2.0, 0.0, 1.0], "inconclusive"), ([-2.0, 0.0], "inconclusive"), ([0.0, 0.0, 0.0], "inconclusive"),
             ([3.0, 0.0, -1.0], "saddle"), ([1.0, 1e-12], "inconclusive"), ([2.0], "minimum")]
    for lam, want in cases:
        got = _verdict(student, problems.spd_matrix(lam, seed=8))
        assert got == want, (f"eigenvalues {lam} gave '{got}': eigenvalues within tol of zero count as zero; "
                             "positive and negative ones together prove a saddle")
