"""Hidden tests, task 2: the two-loop recursion.

The pairs have curvature y_i^T s_i of the order of |s_i|^2 (curvatures 0.5 to 20), so the BFGS
matrices are well conditioned and the recursion agrees with the matrix product to 1e-13; the
tolerance 1e-8 leaves a wide margin for any order of summation.
"""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib.quasi_newton import bfgs_update, two_loop_recursion


def pairs(d, m, seed):
    rng = np.random.default_rng(seed)
    curv = rng.uniform(0.5, 20.0, d)
    S = [rng.normal(size=d) for _ in range(m)]
    return S, [curv * s + 0.01 * rng.normal(size=d) for s in S]


def wrong_orders(g, S, Y, gamma):
    """The two-loop recursion with its loops in the wrong order (the classic mistake)."""
    out = []
    for first, second in ((range(len(S)), range(len(S))), (reversed(range(len(S))), reversed(range(len(S)))),
                          (range(len(S)), reversed(range(len(S))))):
        q, alphas = np.array(g, dtype=float), {}
        for i in first:
            alphas[i] = (S[i] @ q) / (Y[i] @ S[i])
            q = q - alphas[i] * Y[i]
        r = gamma * q
        for i in second:
            r = r + (alphas[i] - (Y[i] @ r) / (Y[i] @ S[i])) * S[i]
        out.append(r)
    return out


def vector(got, g):
    got = np.asarray(got, dtype=float)
    assert got.shape == g.shape, "H g is a vector with the shape of g"
    return got


@pytest.mark.points(1)
def test_equals_the_bfgs_matrix_product(student):
    """1 to 12 pairs in dimensions 3 to 30, gamma from 0.05 to 2: H g equals the product with the
    matrix BFGS builds from gamma I"""
    for d, m, gamma, seed in ((3, 1, 1.0, 1), (6, 3, 0.05, 2), (10, 5, 2.0, 3), (30, 12, 0.3, 4)):
        S, Y = pairs(d, m, seed)
        H = gamma * np.eye(d)
        for s, y in zip(S, Y):
            H = bfgs_update(H, s, y)
        g = np.random.default_rng(seed + 50).normal(size=d)
        got = vector(student.two_loop(g, S, Y, gamma), g)
        if not np.allclose(got, H @ g, rtol=1e-8, atol=1e-10):
            if m > 1 and any(np.allclose(got, w, rtol=1e-8, atol=1e-10) for w in wrong_orders(g, S, Y, gamma)):
                pytest.fail("the loops run in the wrong order: the first from the newest pair to the oldest, "
                            "the second from the oldest to the newest")
            if np.allclose(got, two_loop_recursion(g, S, Y, 1.0), rtol=1e-8) and gamma != 1.0:
                pytest.fail("gamma is not used: r = gamma q between the loops")
            pytest.fail("H g differs from the product with the BFGS matrix built from gamma I and the pairs")


@pytest.mark.points(1)
def test_secant_equation_for_the_newest_pair(student):
    """the recursion's matrix satisfies H y = s for the newest pair, and H g = gamma g without pairs"""
    S, Y = pairs(8, 4, 7)
    got = vector(student.two_loop(Y[-1], S, Y, 0.7), Y[-1])
    assert np.allclose(got, S[-1], rtol=1e-8, atol=1e-10), "H y_newest should equal s_newest (the secant equation)"
    g = np.arange(8.0)
    assert np.allclose(vector(student.two_loop(g, [], [], 0.7), g), 0.7 * g), "with no pairs, H g = gamma g"


@pytest.mark.points(1)
def test_no_d_by_d_matrix(student):
    """in dimension 100000, where a d x d matrix (80 GB) cannot be formed, one pair and gamma = 1: H g is right"""
    d = 100_000
    S, Y = pairs(d, 1, 11)
    g = np.random.default_rng(61).normal(size=d)
    try:
        got = vector(student.two_loop(g, S, Y, 1.0), g)
    except StudentError as err:
        if err.kind and "MemoryError" in err.kind:
            pytest.fail("a d x d matrix does not fit in memory for large d: the recursion uses only vectors "
                        "(dot products and vector updates), never np.eye(d), np.outer or a matrix H")
        raise
    assert np.allclose(got, two_loop_recursion(g, S, Y, 1.0), rtol=1e-8, atol=1e-10), \
        "with one pair, H g differs from the two-loop recursion's result"
