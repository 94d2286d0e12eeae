"""Hidden tests, task 2: classifying a stationary point from its Hessian."""

import numpy as np
import pytest

from course_lib import problems


def _verdict(student, H):
    out = student.classify_stationary_point(H)
    assert isinstance(out, str), f"classify_stationary_point should return a string, not {type(out).__name__}"
    return out.strip().lower()


def _verdict_tol(student, H, tol):
    out = student.classify_stationary_point(H, tol=tol)
    assert isinstance(out, str), f"classify_stationary_point should return a string, not {type(out).__name__}"
    return out.strip().lower()



LABELS = ("minimum", "maximum", "saddle", "inconclusive")


def said(got: str) -> str:
    """The student's answer, quoted only if it is one of the four labels (any other string could
    carry a hidden input out into the feedback)."""
    return f"'{got}'" if got in LABELS else "as something other than the four labels"

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
            assert got == want, (f"a non-diagonal Hessian was classified {said(got)}: the test reads the "
                                 "signs of the eigenvalues, not of the diagonal entries")


@pytest.mark.points(0.5)
def test_zero_eigenvalues(student):
    """a zero eigenvalue makes the test inconclusive unless other eigenvalues have both signs"""
    cases = [([2.0, 0.0, 1.0], "inconclusive", "a zero eigenvalue next to positive ones"),
             ([-2.0, 0.0], "inconclusive", "a zero eigenvalue next to a negative one"),
             ([0.0, 0.0, 0.0], "inconclusive", "a Hessian whose eigenvalues are all zero"),
             ([3.0, 0.0, -1.0], "saddle", "eigenvalues of both signs next to a zero one (a saddle, whatever the zero one)"),
             ([1.0, 1e-12], "inconclusive", "a positive eigenvalue far below tol (it counts as zero)"),
             ([2.0], "minimum", "a 1x1 Hessian with a positive entry")]
    for lam, want, what in cases:
        got = _verdict(student, problems.spd_matrix(lam, seed=8))
        assert got == want, (f"{what} was classified {said(got)}: eigenvalues with |lambda| <= tol "
                             "count as zero; positive and negative ones together prove a saddle")


@pytest.mark.points(0.5)
def test_tol_is_an_absolute_threshold(student):
    """the tol argument is used, as an absolute threshold on |lambda|"""
    # every eigenvalue is at least 10 times away from tol (and from tol * lambda_max) on either side
    cases = [([2.0, 1e-4, 1.0], 1e-3, "inconclusive"), ([2.0, 1e-4, 1.0], 1e-6, "minimum"),
             ([-1.0, -1e-4], 1e-3, "inconclusive"), ([5e-3, -2.0, -1.0], 1e-1, "inconclusive")]
    for lam, tol, want in cases:
        got = _verdict_tol(student, problems.spd_matrix(lam, seed=17), tol)
        assert got == want, (f"with tol given explicitly, a Hessian was classified {said(got)}: "
                             "compare |lambda| with the tol argument, not a fixed threshold such as 1e-8 or np.isclose")
    for lam, want in [([1000.0, 5e-7], "minimum"), ([1000.0, -5e-7, 3.0], "saddle")]:
        got = _verdict(student, problems.spd_matrix(lam, seed=23))
        assert got == want, (f"a Hessian with one large and one small (but above tol) eigenvalue was classified "
                             f"'{got}': tol is an absolute threshold, not relative to the largest eigenvalue")
