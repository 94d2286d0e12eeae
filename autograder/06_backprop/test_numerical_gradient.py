"""Hidden tests, task 4: central differences.

Hints describe the mistake; no message shows a hidden input or an expected value.
"""

import numpy as np
import pytest


def _f(t):
    """exp summed, plus t0 * t1 for vectors: the product couples entries, so an earlier shift of theta that was
    never undone changes later partial derivatives."""
    return float(np.sum(np.exp(t)) + np.prod(t[:2]) if t.ndim == 1 else np.sum(np.exp(t)))


def _grad(theta):
    want = np.exp(theta)
    if theta.ndim == 1:
        want[0] += theta[1]
        want[1] += theta[0]
    return want


@pytest.mark.points(1)
def test_central_differences(student):
    """every evaluation of f moves a single entry of theta (earlier shifts undone), f gets arrays shaped like theta,
    theta itself is left unchanged; the result is shaped like theta (1-D to 3-D) and second-order accurate (central,
    not forward differences)"""
    # 1. what f is called with, recorded in the judge: a copy of theta moved along one axis at a time
    theta = np.array([[0.3, -0.2, 0.1], [0.5, -0.4, 0.2]])
    seen = []
    _, args, _ = student.keeping_arguments("numerical_gradient")(
        lambda t: seen.append(np.array(t, dtype=float)) or float(np.sum(t)), theta, 1e-4)
    assert seen, "f was never called"
    assert all(t.shape == theta.shape for t in seen), (
        "call f with arrays of the shape of theta (a copy of theta with one entry moved), not with a flattened vector")
    moved = [int(np.sum(np.abs(t - theta) > 1e-12)) for t in seen]
    if max(moved) > 1:
        pytest.fail("an evaluation of f moves several entries of theta at once: an earlier shift was never undone. "
                    "Work on a copy for each evaluation (plus = theta.copy(); plus[i] += h), or put the entry back "
                    "(theta[i] = old) after each pair of evaluations")
    after = np.asarray(args[1], dtype=float)
    assert after.shape == theta.shape and np.allclose(after, theta, rtol=0, atol=1e-12), (
        "theta itself was changed: do not modify the array you are given (work on a copy, or restore each entry)")
    # 2. accuracy
    rng = np.random.default_rng(5)
    for shape in [(4,), (2, 3), (2, 2, 2)]:
        theta = rng.normal(size=shape)
        h = 1e-3
        got = np.asarray(student.numerical_gradient(_f, theta, h), dtype=float)
        assert got.shape == shape, "the gradient should have the shape of theta"
        want = _grad(theta)
        forward = np.array([(_f(theta + h * e) - _f(theta)) / h
                            for e in np.eye(theta.size).reshape(-1, *shape)]).reshape(shape)
        if np.allclose(got, forward, rtol=1e-9) and not np.allclose(forward, want, rtol=1e-5):
            pytest.fail("these are forward differences (error O(h)); use (f(theta + h e) - f(theta - h e)) / (2h)")
        if np.allclose(got, 2 * want, rtol=1e-5):
            pytest.fail("the result is twice the derivative: the two evaluations are 2h apart, divide by 2h")
        # central differences: error h^2/6 |f'''| = 1.7e-7 e^theta at h = 1e-3, six times below the tolerance
        assert np.allclose(got, want, rtol=1e-6, atol=1e-9), (
            "not the central differences (f(theta + h e_i) - f(theta - h e_i)) / (2h) of f at theta")
