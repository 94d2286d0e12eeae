"""Hidden tests, task 2: the two-loop recursion."""

import numpy as np
import pytest

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


@pytest.mark.points(2)
def test_equals_the_bfgs_matrix_product(student):
    """1 to 12 pairs in dimensions 3 to 30, gamma from 0.05 to 2: H g equals the product with the
    matrix BFGS builds from gamma I"""
    for d, m, gamma, seed in ((3, 1, 1.0, 1), (6, 3, 0.05, 2), (10, 5, 2.0, 3), (30, 12, 0.3, 4)):
        S, Y = pairs(d, m, seed)
        H = gamma * np.eye(d)
        for s, y in zip(S, Y):
            H = bfgs_update(H, s, y)
        g = np.random.default_rng(seed + 50).normal(size=d)
        got = np.asarray(student.two_loop(g, S, Y, gamma), dtype=float)
        assert got.shape == (d,), f"H g is a vector of length {d}, got shape {got.shape}"
        if not np.allclose(got, H @ g, rtol=1e-8, atol=1e-10):
            if m > 1 and any(np.allclose(got, w, rtol=1e-8, atol=1e-10) for w in wrong_orders(g, S, Y, gamma)):
                pytest.fail("the loops run in the wrong order: the first from the newest pair to the oldest, the second from the oldest to the newest")
            if np.allclose(got, two_loop_recursion(g, S, Y, 1.0), rtol=1e-8) and gamma != 1.0:
                pytest.fail("gamma is not used: r = gamma q between the loops")
            pytest.fail(f"H g is wrong ({m} pairs in dimension {d})")


@pytest.mark.points(1)
def test_secant_equation_for_the_newest_pair(student):
    """the recursion's matrix satisfies H y = s for the newest pair, and H g = gamma g without pairs"""
    S, Y = pairs(8, 4, 7)
    got = np.asarray(student.two_loop(Y[-1], S, Y, 0.7), dtype=float)
    assert np.allclose(got, S[-1], rtol=1e-8, atol=1e-10), "H y_newest should equal s_newest (the secant equation)"
    g = np.arange(8.0)
    assert np.allclose(np.asarray(student.two_loop(g, [], [], 0.7), dtype=float), 0.7 * g), "with no pairs, H g = gamma g"
