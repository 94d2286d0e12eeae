"""Hidden tests, task 4: vjp rules of array primitives."""

import numpy as np
import pytest

H = 1e-6


def pairing(f, x, v, G):
    """<G, J V> by central differences of f along V: the oracle for <J^T G, V>."""
    return float(np.sum(G * (f(x + H * v) - f(x - H * v)) / (2 * H)))


def close(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


@pytest.mark.points(1)
def test_matmul(student):
    """Y = A B for shapes (4, 4)(4, 4), (2, 3)(3, 4), (1, 5)(5, 1) and (3, 1)(1, 2): shapes, values
    and the identity <G, dY> = <GA, dA> + <GB, dB>"""
    rng = np.random.default_rng(11)
    for m, k, n in [(4, 4, 4), (2, 3, 4), (1, 5, 1), (3, 1, 2)]:
        A, B, G = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
        got = student.vjp_matmul(G, A, B)
        assert isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (GA, GB)"
        GA, GB = (np.asarray(g, dtype=float) for g in got)
        assert GA.shape == A.shape and GB.shape == B.shape, \
            f"GA has the shape of A {A.shape} and GB that of B {B.shape}; got {GA.shape} and {GB.shape}"
        if m == k == n and (np.allclose(GA, G @ B) or np.allclose(GB, A @ G)):
            pytest.fail("a transpose is missing (square matrices hide it from the shapes): GA = G B^T, GB = A^T G")
        VA, VB = rng.normal(size=A.shape), rng.normal(size=B.shape)
        assert close(float(np.sum(GA * VA)), pairing(lambda a: a @ B, A, VA, G)), f"GA is wrong for shapes {A.shape} @ {B.shape}"
        assert close(float(np.sum(GB * VB)), pairing(lambda b: A @ b, B, VB, G)), f"GB is wrong for shapes {A.shape} @ {B.shape}"


@pytest.mark.points(1)
def test_add_bias_and_tanh(student):
    """Y = X + b over batches of 1 to 6 rows, and Y = tanh(X) on arrays of several shapes"""
    rng = np.random.default_rng(12)
    for m, n in [(1, 3), (6, 2), (4, 4)]:
        X, b, G = rng.normal(size=(m, n)), rng.normal(size=n), rng.normal(size=(m, n))
        got = student.vjp_add_bias(G, X, b)
        assert isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (GX, Gb)"
        GX, Gb = (np.asarray(g, dtype=float) for g in got)
        assert GX.shape == X.shape and Gb.shape == b.shape, \
            f"GX has the shape of X {X.shape} and Gb that of b {b.shape}; got {GX.shape} and {Gb.shape}"
        assert np.allclose(GX, G), "GX = G: adding b does not change how Y depends on X"
        vb = rng.normal(size=n)
        assert close(float(np.sum(Gb * vb)), pairing(lambda c: X + c, b, vb, G)), \
            "Gb is wrong: b reaches every row, so its cotangent sums G over the rows"
    for shape in [(5,), (2, 3), (3, 2, 2)]:
        X, G, V = rng.normal(size=shape) * 2, rng.normal(size=shape), rng.normal(size=shape)
        GX = np.asarray(student.vjp_tanh(G, X), dtype=float)
        assert GX.shape == shape, f"GX has the shape of X {shape}; got {GX.shape}"
        assert close(float(np.sum(GX * V)), pairing(np.tanh, X, V, G)), "vjp_tanh is wrong: GX = G (1 - tanh(X)^2)"


@pytest.mark.points(1)
def test_sum_over_every_axis(student):
    """Y = X.sum(axis) for axis None, 0 and 1 on several shapes"""
    rng = np.random.default_rng(13)
    for shape in [(3, 4), (1, 5), (4, 1), (2, 2)]:
        X = rng.normal(size=shape)
        for axis in (None, 0, 1):
            G = rng.normal(size=np.shape(X.sum(axis=axis)))
            if axis is None:
                G = float(G)
            GX = np.asarray(student.vjp_sum(G, X, axis), dtype=float)
            assert GX.shape == shape, f"for axis={axis} GX has the shape of X {shape}; got {GX.shape}"
            V = rng.normal(size=shape)
            assert close(float(np.sum(GX * V)), pairing(lambda x: x.sum(axis=axis), X, V, np.asarray(G))), \
                f"vjp_sum is wrong for axis={axis} and shape {shape}: every entry of X gets the G of the sum it went into"
