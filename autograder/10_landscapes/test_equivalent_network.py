"""Hidden tests, task 1: the permutation and sign-flip symmetry of a tanh layer.

The parameters are compared with the reference (course_lib.landscapes.permute_hidden, then
flip_signs) to 1e-12: every correct answer only reorders entries and changes signs, so it agrees
exactly. The function is compared on random inputs to 1e-10 (values of order 1; a reordered sum
differs by rounding, 1e-15). Permutations are chosen with no fixed point and not their own inverse,
so that the inverse permutation and a forgotten permutation are told apart.
"""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib.backprop import Layer
from course_lib.landscapes import flip_signs, permute_hidden


def case(m, n, seed):
    rng = np.random.default_rng(seed)
    W, b, beta = rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=m)
    perm = np.roll(np.arange(m), 1)[rng.permutation(m)] if m > 2 else np.roll(np.arange(m), 1)
    while np.any(perm == np.arange(m)) or np.array_equal(perm[perm], np.arange(m)):
        perm = rng.permutation(m)
    signs = np.where(rng.uniform(size=m) < 0.5, -1, 1)
    signs[0], signs[-1] = -1, 1
    return W, b, beta, perm, signs


def reference(W, b, beta, perm, signs):
    layers = [Layer(W, b), Layer(beta[None, :], np.zeros(1))]
    new = flip_signs(permute_hidden(layers, perm), signs)
    return new[0].W, new[0].b, new[1].W[0]


def call(student, *args):
    try:
        out = student.equivalent_network(*args)
    except StudentError as err:
        if err.kind is None:
            raise
        pytest.fail(f"equivalent_network raised {err.kind} on a valid network")
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        pytest.fail("equivalent_network should return the three arrays (W2, b2, beta2)")
    return [np.asarray(a, dtype=float) for a in out]


def diagnose(got, W, b, beta, perm, signs):
    inv = np.argsort(perm)
    if np.allclose(got[0], signs[:, None] * W[inv], atol=1e-12) or np.allclose(got[0], (signs[inv])[:, None] * W[inv],
                                                                                atol=1e-12):
        pytest.fail("the permutation is applied the other way round: new unit i is old unit perm[i] (W2[i] = s_i W[perm[i]])")
    if np.allclose(got[0], signs[perm][:, None] * W[perm], atol=1e-12):
        pytest.fail("the signs are permuted too: unit i of the NEW network is multiplied by signs[i]")
    if np.allclose(got[0], W[perm], atol=1e-12):
        pytest.fail("the signs are not applied to W: W2[i] = signs[i] * W[perm[i]]")


@pytest.mark.points(1)
def test_parameters(student):
    """sizes m = 3 to 12: W2[i] = s_i W[perm[i]], b2[i] = s_i b[perm[i]], beta2[i] = s_i beta[perm[i]]"""
    for m, n, seed in ((3, 2, 1), (5, 4, 2), (8, 1, 3), (12, 6, 4)):
        W, b, beta, perm, signs = case(m, n, seed)
        got = call(student, W.copy(), b.copy(), beta.copy(), perm.copy(), signs.copy())
        want = reference(W, b, beta, perm, signs)
        assert got[0].shape == W.shape and got[1].shape == b.shape and got[2].shape == beta.shape, \
            "W2, b2 and beta2 should have the shapes of W, b and beta"
        if not np.allclose(got[0], want[0], rtol=0, atol=1e-12):
            diagnose(got, W, b, beta, perm, signs)
            pytest.fail("W2 is wrong: W2[i] = signs[i] * W[perm[i]]")
        assert np.allclose(got[1], want[1], rtol=0, atol=1e-12), "b2 is wrong: b2[i] = signs[i] * b[perm[i]] (flip the bias too)"
        assert np.allclose(got[2], want[2], rtol=0, atol=1e-12), "beta2 is wrong: beta2[i] = signs[i] * beta[perm[i]]"


@pytest.mark.points(1)
def test_function_unchanged_and_arguments_untouched(student):
    """the new network computes the same function on random inputs, and W, b, beta, perm, signs are unchanged"""
    for m, n, seed in ((4, 3, 11), (9, 2, 12)):
        W, b, beta, perm, signs = case(m, n, seed)
        args = (W.copy(), b.copy(), beta.copy(), perm.copy(), signs.copy())
        try:
            out, after, _ = student.keeping_arguments("equivalent_network")(*args)
        except StudentError as err:
            if err.kind is None:
                raise
            pytest.fail(f"equivalent_network raised {err.kind} on a valid network")
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            pytest.fail("equivalent_network should return the three arrays (W2, b2, beta2)")
        W2, b2, beta2 = (np.asarray(a, dtype=float) for a in out)
        X = np.random.default_rng(seed).normal(size=(20, n))
        f_old = np.tanh(X @ W.T + b) @ beta
        assert W2.shape == W.shape and b2.shape == b.shape and beta2.shape == beta.shape, \
            "W2, b2 and beta2 should have the shapes of W, b and beta"
        f_new = np.tanh(X @ W2.T + b2) @ beta2
        assert np.allclose(f_new, f_old, rtol=0, atol=1e-10), \
            "the new network computes another function: permute and flip W, b and beta consistently"
        if after is not None:
            for name, before, now in zip(("W", "b", "beta", "perm", "signs"), (W, b, beta, perm, signs), after):
                assert np.array_equal(np.asarray(now), before), f"equivalent_network modified its argument {name}: return new arrays"
