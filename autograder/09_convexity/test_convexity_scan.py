"""Hidden tests, task 1: the smallest Hessian eigenvalue over sampled points, and the verdict.

The Hessians are analytic (no finite differences). The reference value is compared with rtol 1e-9
and atol 1e-12: eigvalsh of a symmetric 2 x 2 to 6 x 6 matrix of entries of order 1-100 is exact to
about 1e-14, and every other correct way (eigh, eig then min, a closed form for 2 x 2) agrees to
1e-13. The verdict cases are built exactly (diagonal matrices, whose eigenvalues eigvalsh returns
exactly on every machine) with the smallest eigenvalue at -1e-9 (rounding for tol 1e-8: convex),
-1e-6 (not convex), -1e-4 with tol 1e-3 (convex for that tol), or far from 0.
"""

import numpy as np
import pytest


def hess_bilinear(w):
    c = 4 * w[0] * w[1] - 2
    return np.array([[2 * w[1] ** 2, c], [c, 2 * w[0] ** 2]])


def logistic_case(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 4))

    def hess(t):
        s = 1 / (1 + np.exp(-(X @ t)))
        return (X * (s * (1 - s))[:, None]).T @ X / len(X)

    return hess, rng.normal(size=(25, 4))


def moving_saddle(t):
    """Positive definite except near t = (3, 3, 3): the worst point comes last in the samples."""
    d = float(np.sum((t - 3.0) ** 2))
    return np.array([[2.0, 0.0, 0.0], [0.0, 1.0, 1.5 * np.exp(-d)], [0.0, 1.5 * np.exp(-d), 1.0]])


def big_offdiag(t):
    """Positive diagonal, negative eigenvalue: the diagonal alone does not decide."""
    return np.array([[1.0 + t[0] ** 2, 3.0], [3.0, 1.0 + t[1] ** 2]])


def reference(hess, points):
    return min(np.linalg.eigvalsh(hess(p))[0] for p in points)


def value_cases():
    rng = np.random.default_rng(11)
    pts3 = np.vstack([rng.normal(size=(12, 3)), [[3.0, 3.0, 3.0]]])
    hl, pl = logistic_case(5)
    return [
        ("(1 - w1 w2)^2", hess_bilinear, rng.normal(size=(20, 2)) * 1.5),
        ("logistic regression", hl, pl),
        ("a Hessian whose worst point is the last sample", moving_saddle, pts3),
        ("a Hessian with a positive diagonal", big_offdiag, rng.normal(size=(15, 2)) * 0.5),
    ]


def diagnose(got, hess, points):
    if np.isclose(got, max(np.linalg.eigvalsh(hess(p))[-1] for p in points), rtol=1e-9):
        pytest.fail("this is the LARGEST eigenvalue: eigvalsh sorts eigenvalues in increasing order, the smallest is [0]")
    if np.isclose(got, min(np.min(np.diag(hess(p))) for p in points), rtol=1e-9):
        pytest.fail("this is the smallest DIAGONAL entry; the eigenvalues of a matrix with off-diagonal entries differ")
    if np.isclose(got, np.linalg.eigvalsh(hess(points[0]))[0], rtol=1e-9):
        pytest.fail("only the first point was used: take the minimum over ALL rows of points")
    if np.isclose(got, np.linalg.eigvalsh(hess(points[-1]))[0], rtol=1e-9):
        pytest.fail("only the last point was used: take the minimum over ALL rows of points")


@pytest.mark.points(1)
def test_smallest_eigenvalue(student):
    """the smallest eigenvalue over the sampled points, for four Hessians (2 to 4 variables)"""
    for name, hess, points in value_cases():
        got = float(student.smallest_hessian_eigenvalue(hess, points))
        want = reference(hess, points)
        if not np.isclose(got, want, rtol=1e-9, atol=1e-12):
            diagnose(got, hess, points)
            pytest.fail(f"wrong smallest eigenvalue for {name}: the minimum over the points of eigvalsh(hess(p))[0]")


@pytest.mark.points(1)
def test_verdict_with_tolerance(student):
    """the verdict: rounding-level negative eigenvalues accepted, real ones rejected, tol respected"""
    rng = np.random.default_rng(12)
    pts2 = rng.normal(size=(6, 2))
    hl, pl = logistic_case(6)
    cases = [
        (lambda t: np.diag([2.0, -1e-9]), pts2, {}, True,
         "an eigenvalue of -1e-9 is rounding for tol = 1e-8: the samples are consistent with convexity "
         "(compare with -tol, not with 0)"),
        (lambda t: np.diag([2.0, -1e-6]), pts2, {}, False, "an eigenvalue of -1e-6 is below -1e-8: not convex"),
        (lambda t: np.diag([1.0, -1e-4, 3.0]), rng.normal(size=(4, 3)), {"tol": 1e-3}, True,
         "with tol = 1e-3 an eigenvalue of -1e-4 counts as rounding: use the tol argument"),
        (hess_bilinear, np.array([[1.0, 1.0], [0.0, 0.0]]), {}, False, "(1 - w1 w2)^2 has eigenvalue -2 at the origin"),
        (hl, pl, {}, True, "the logistic-regression Hessian is positive semidefinite at every point"),
        (moving_saddle, np.vstack([rng.normal(size=(5, 3)), [[3.0, 3.0, 3.0]]]), {}, False,
         "a negative eigenvalue at the last sample only: every sample counts"),
    ]
    for hess, points, kwargs, want, why in cases:
        got = student.is_convex_on_samples(hess, points, **kwargs)
        assert bool(got) == want, why
