"""Hidden tests, task 4: vjp rules of array primitives.

The student's cotangents are compared with the exact rules (G B^T, A^T G, ...), whose rounding
differs from any correct implementation's by about 1e-15; the identity <G, J V> = <J^T G, V>
against central differences checks those exact rules (the oracle), never the student directly,
so no verdict depends on the finite-difference error (about 1e-10 here).
"""

import numpy as np
import pytest

H = 1e-6


def pairing(f, x, v, G):
    """<G, J V> by central differences of f along V: the oracle for <J^T G, V>."""
    return float(np.sum(G * (f(x + H * v) - f(x - H * v)) / (2 * H)))


def oracle(f, x, want, G, rng):
    """Is ``want`` the vjp of f at x for G? (Checks the suite's own rule, not the student.)"""
    V = rng.normal(size=np.shape(x))
    fd = pairing(f, x, V, G)
    assert abs(float(np.sum(want * V)) - fd) <= 1e-6 * max(1.0, abs(fd))


def same(got, want):
    """Equal up to rounding: 1e-9 of the scale of the exact cotangent."""
    return got.shape == want.shape and bool(np.all(np.abs(got - want) <= 1e-9 * max(1.0, float(np.max(np.abs(want))))))


def array(value, what):
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        pytest.fail(f"{what} should be a numpy array of numbers")
    return out


@pytest.mark.points(1)
def test_matmul(student):
    """Y = A B for shapes (4, 4)(4, 4), (2, 3)(3, 4), (1, 5)(5, 1) and (3, 1)(1, 2): shapes and values"""
    rng = np.random.default_rng(11)
    for m, k, n in [(4, 4, 4), (2, 3, 4), (1, 5, 1), (3, 1, 2)]:
        A, B, G = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
        want_A, want_B = G @ B.T, A.T @ G
        oracle(lambda a: a @ B, A, want_A, G, rng)
        oracle(lambda b: A @ b, B, want_B, G, rng)
        got = student.vjp_matmul(G, A, B)
        assert isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (GA, GB)"
        GA, GB = array(got[0], "GA"), array(got[1], "GB")
        assert GA.shape == A.shape and GB.shape == B.shape, \
            "GA should have the shape of A and GB that of B"
        if m == k == n and (same(GA, G @ B) or same(GB, A @ G)):
            pytest.fail("a transpose is missing (square matrices hide it from the shapes): GA = G B^T, GB = A^T G")
        assert same(GA, want_A), "GA is wrong: GA = G B^T"
        assert same(GB, want_B), "GB is wrong: GB = A^T G"


@pytest.mark.points(1)
def test_add_bias_and_tanh(student):
    """Y = X + b over batches of 1 to 6 rows, and Y = tanh(X) on arrays of several shapes"""
    rng = np.random.default_rng(12)
    for m, n in [(1, 3), (6, 2), (4, 4)]:
        X, b, G = rng.normal(size=(m, n)), rng.normal(size=n), rng.normal(size=(m, n))
        want_b = G.sum(axis=0)
        oracle(lambda c: X + c, b, want_b, G, rng)
        got = student.vjp_add_bias(G, X, b)
        assert isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (GX, Gb)"
        GX, Gb = array(got[0], "GX"), array(got[1], "Gb")
        assert GX.shape == X.shape and Gb.shape == b.shape, \
            "GX should have the shape of X and Gb that of b"
        assert same(GX, G), "GX = G: adding b does not change how Y depends on X"
        assert same(Gb, want_b), "Gb is wrong: b reaches every row, so its cotangent sums G over the rows"
    for shape in [(5,), (2, 3), (3, 2, 2)]:
        X, G = rng.normal(size=shape) * 2, rng.normal(size=shape)
        want = G * (1.0 - np.tanh(X) ** 2)
        oracle(np.tanh, X, want, G, rng)
        GX = array(student.vjp_tanh(G, X), "GX")
        assert GX.shape == shape, "GX should have the shape of X"
        assert same(GX, want), "vjp_tanh is wrong: GX = G (1 - tanh(X)^2)"


@pytest.mark.points(1)
def test_sum_over_every_axis(student):
    """Y = X.sum(axis) for axis None, 0 and 1 on several shapes"""
    rng = np.random.default_rng(13)
    for shape in [(3, 4), (1, 5), (4, 1), (2, 2)]:
        X = rng.normal(size=shape)
        for axis in (None, 0, 1):
            G = rng.normal(size=np.shape(X.sum(axis=axis)))
            want = np.broadcast_to(G if axis is None else np.expand_dims(G, axis), shape).copy()
            if axis is None:
                G = float(G)
            oracle(lambda x: x.sum(axis=axis), X, want, np.asarray(G), rng)
            GX = array(student.vjp_sum(G, X, axis), "GX")
            assert GX.shape == shape, f"for axis={axis} GX should have the shape of X"
            assert same(GX, want), \
                f"vjp_sum is wrong for axis={axis}: every entry of X gets the G of the sum it went into"
