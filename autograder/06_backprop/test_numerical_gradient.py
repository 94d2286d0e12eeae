"""Hidden tests, task 4: central differences."""

import numpy as np
import pytest


@pytest.mark.points(1)
def test_central_differences(student):
    """second-order accurate (not a forward difference), shaped like theta for 1-D to 3-D arrays,
    and every evaluation moves a single entry of theta (earlier shifts undone)"""
    f = lambda t: float(np.sum(np.exp(t)) + np.prod(t[:2]) if t.ndim == 1 else np.sum(np.exp(t)))
    rng = np.random.default_rng(5)
    for shape in [(4,), (2, 3), (2, 2, 2)]:
        theta = rng.normal(size=shape)
        h = 1e-3
        got = np.asarray(student.numerical_gradient(f, theta, h), dtype=float)
        assert got.shape == shape, f"the gradient should have the shape of theta, {shape}, got {got.shape}"
        want = np.exp(theta)
        if theta.ndim == 1:
            want[0] += theta[1]
            want[1] += theta[0]
        forward = np.array([(f(theta + h * e) - f(theta)) / h for e in np.eye(theta.size).reshape(-1, *shape)]).reshape(shape)
        if np.allclose(got, forward, rtol=1e-9) and not np.allclose(forward, want, rtol=1e-5):
            pytest.fail("these are forward differences (error O(h)); use (f(theta + h e) - f(theta - h e)) / (2h)")
        # central differences: error h^2/6 |f'''| = 1.7e-7 e^theta at h = 1e-3
        assert np.allclose(got, want, rtol=1e-6, atol=1e-9), "not the central differences of f at theta"
    theta = np.array([0.3, -0.2, 0.1])
    seen = []
    student.numerical_gradient(lambda t: seen.append(np.array(t, dtype=float)) or float(np.sum(t)), theta, 1e-4)
    assert len(seen) >= 2 * theta.size, f"central differences evaluate f {2 * theta.size} times for 3 entries"
    for t in seen:
        moved = np.abs(t - theta) > 1e-12
        assert moved.sum() <= 1, ("each evaluation should move one entry of theta: an earlier shift was not undone "
                                  "(copy theta, or restore the entry after each evaluation)")
